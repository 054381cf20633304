//! Names this machine is reachable by beyond loopback, offered (unchecked) by the wizard:
//! its host name and its LAN addresses. Best effort: whatever cannot be read is left out.

use std::process::{Command, Stdio};

use crate::pki::names::SubjectName;

/// The host name, then the global-scope addresses, each a valid certificate name.
pub(super) fn detect(hostname: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(host) = hostname.map(str::to_ascii_lowercase).filter(|h| h != "localhost") {
        names.push(host);
    }
    if let Some(text) = ip_addr_output() {
        names.extend(parse_ip_addr(&text));
    }
    names.retain(|n| SubjectName::parse(n).is_ok());
    names.dedup();
    names
}

/// `ip -o addr show scope global` (iproute2): one line per address. Absent on macOS and
/// Windows, where no LAN addresses are offered.
fn ip_addr_output() -> Option<String> {
    let out = Command::new("ip")
        .args(["-o", "addr", "show", "scope", "global"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `2: eth0    inet 192.168.1.20/24 brd 192.168.1.255 scope global eth0 ...` → `192.168.1.20`.
fn parse_ip_addr(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            words.find(|w| *w == "inet" || *w == "inet6")?;
            let address = words.next()?.split('/').next()?;
            Some(address.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addr_lines_give_addresses() {
        let text = "\
2: eth0    inet 192.168.1.20/24 brd 192.168.1.255 scope global dynamic eth0\\       valid_lft 86000sec
2: eth0    inet6 2001:db8::5/64 scope global dynamic \\       valid_lft 86000sec
3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever
garbage line
";
        assert_eq!(parse_ip_addr(text), ["192.168.1.20", "2001:db8::5", "172.17.0.1"]);
    }
}
