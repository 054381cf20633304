//! `lan`: a certificate made for other devices (it covers a LAN address or a `.local` name)
//! covers every LAN address this machine has now. A DHCP lease that changed gives the machine
//! an address the certificate does not name, and phones typing it get a warning page.

use std::net::IpAddr;

use super::Check;
use crate::doctor::{Context, Finding};
use crate::net::interfaces::reachable_from_lan;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "lan";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let names = &info.alt_names;
    let for_devices = names.ip_addresses.iter().any(|ip| reachable_from_lan(*ip))
        || names.dns_names.iter().any(|n| n.to_ascii_lowercase().ends_with(".local"));
    if !for_devices || cx.env.lan.is_empty() {
        return Vec::new();
    }
    let missing: Vec<&(IpAddr, String)> =
        cx.env.lan.iter().filter(|(ip, _)| !names.ip_addresses.contains(ip)).collect();
    if missing.is_empty() {
        return vec![Finding::ok(ID, "every LAN address of this machine is covered")];
    }
    let list: Vec<String> = missing.iter().map(|(ip, interface)| format!("{ip} ({interface})")).collect();
    let mut wanted = cx.cert_names();
    wanted.retain(|name| name.parse::<IpAddr>().map_or(true, |ip| !reachable_from_lan(ip)));
    let fix = format!("{} --lan", cx.gen_with(true, wanted));
    vec![
        Finding::warn(
            ID,
            format!(
                "this machine has LAN addresses the certificate does not cover: {} (a new DHCP lease?): \
                 devices opening https://{}/ get a warning",
                list.join(", "),
                url_host(missing[0].0)
            ),
            fix,
        )
        .about(&cx.cert.path),
    ]
}

fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    }
}
