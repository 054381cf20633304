//! The addresses this machine has on its network interfaces, as the OS reports them: what a
//! phone or another computer on the LAN would type to reach it.

use std::net::{IpAddr, SocketAddr};

/// An address of a non-loopback interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LanAddress {
    pub(crate) ip: IpAddr,
    /// The interface's name (`eth0`, `en0`, `Wi-Fi`).
    pub(crate) interface: String,
}

/// Every address a device on the LAN could use: not loopback, not link-local (an IPv6
/// link-local address needs a zone that browsers do not take, and 169.254/16 is only for
/// networks without DHCP), not multicast or unspecified. In the order the OS lists them,
/// without repeats.
pub(crate) fn lan_addresses() -> Vec<LanAddress> {
    let Ok(interfaces) = if_addrs::get_if_addrs() else { return Vec::new() };
    let mut out: Vec<LanAddress> = Vec::new();
    for interface in interfaces {
        let ip = interface.ip();
        if reachable_from_lan(ip) && !out.iter().any(|a| a.ip == ip) {
            out.push(LanAddress { ip, interface: interface.name });
        }
    }
    out
}

/// Whether another device could reach this address.
pub(crate) fn reachable_from_lan(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_multicast())
        }
        IpAddr::V6(v6) => {
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(v6.is_loopback() || link_local || v6.is_unspecified() || v6.is_multicast())
        }
    }
}

/// `--listen`: `ADDR:PORT`, `[V6]:PORT`, or an address alone (then `port`; 0 is a free one).
pub(crate) fn parse_listen(text: &str, port: u16) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    let bare = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
    bare.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, port)).map_err(|_| {
        format!("invalid --listen {text:?}: expected ADDR:PORT (192.168.1.20:8080, [fd00::5]:8080) or ADDR")
    })
}

/// The multicast DNS name of a host name (`laptop.local`): its first label, lower-case, when it
/// is a valid DNS label.
pub(crate) fn mdns_name(hostname: &str) -> Option<String> {
    let label = hostname.trim().split('.').next()?.to_ascii_lowercase();
    let valid = !label.is_empty()
        && label.len() <= 63
        && label != "localhost"
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    valid.then(|| format!("{label}.local"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_another_device_can_use_count() {
        for (ip, lan) in [
            ("192.168.1.20", true),
            ("10.0.0.5", true),
            ("203.0.113.7", true),
            ("127.0.0.1", false),
            ("169.254.3.4", false),
            ("0.0.0.0", false),
            ("224.0.0.1", false),
            ("fd12::5", true),
            ("2001:db8::5", true),
            ("::1", false),
            ("fe80::1", false),
            ("febf::1", false),
            ("ff02::1", false),
        ] {
            assert_eq!(reachable_from_lan(ip.parse().unwrap()), lan, "{ip}");
        }
    }

    #[test]
    fn listen_takes_an_address_with_or_without_a_port() {
        assert_eq!(parse_listen("127.0.0.1:8080", 0).unwrap(), SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(parse_listen("127.0.0.1", 5443).unwrap(), SocketAddr::from(([127, 0, 0, 1], 5443)));
        assert_eq!(parse_listen("[::1]:0", 1).unwrap().ip(), "::1".parse::<IpAddr>().unwrap());
        assert_eq!(parse_listen("[::1]", 0).unwrap().port(), 0);
        for bad in ["localhost:8080", "127.0.0.1:99999", "", ":8080"] {
            assert!(parse_listen(bad, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn mdns_names_come_from_the_first_label() {
        assert_eq!(mdns_name("Laptop").as_deref(), Some("laptop.local"));
        assert_eq!(mdns_name("build-7.corp.example").as_deref(), Some("build-7.local"));
        assert_eq!(mdns_name("localhost"), None);
        assert_eq!(mdns_name("my_host"), None);
        assert_eq!(mdns_name(""), None);
    }

    #[test]
    fn this_machine_lists_no_loopback_address() {
        assert!(lan_addresses().iter().all(|a| reachable_from_lan(a.ip)));
    }
}
