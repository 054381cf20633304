//! Names this machine is reachable by beyond loopback, offered (unchecked) by the wizard:
//! its host name and its LAN addresses, as the OS reports them (the same list as `gen --lan`).

use crate::net::interfaces;
use crate::pki::names::SubjectName;

/// The host name, then the addresses of non-loopback interfaces, each a valid certificate name.
pub(super) fn detect(hostname: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(host) = hostname.map(str::to_ascii_lowercase).filter(|h| h != "localhost") {
        names.push(host);
    }
    names.extend(interfaces::lan_addresses().into_iter().map(|a| a.ip.to_string()));
    names.retain(|n| SubjectName::parse(n).is_ok());
    names.dedup();
    names
}
