//! `hosts`: every `--host` is covered, IP addresses by IP SANs and DNS names by DNS SANs.

use std::net::IpAddr;

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::names::SubjectName;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "hosts";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let covers = info.alt_names.to_labelled().join(", ");
    let covers = if covers.is_empty() { "no names".to_owned() } else { covers };
    cx.hosts
        .iter()
        .map(|host| {
            let covered = match host {
                SubjectName::Ip(ip) => info.alt_names.ip_addresses.contains(ip),
                SubjectName::Dns(name) => info.alt_names.dns_names.iter().any(|pattern| dns_matches(pattern, name)),
            };
            if covered {
                return Finding::ok(ID, format!("{host} is covered"));
            }
            let mut names = cx.cert_names();
            for wanted in cx.hosts.iter().map(ToString::to_string) {
                if !names.contains(&wanted) {
                    names.push(wanted);
                }
            }
            let message = match host {
                SubjectName::Ip(ip) if info.alt_names.dns_names.iter().any(|n| n.parse::<IpAddr>() == Ok(*ip)) => {
                    format!(
                        "{host} is in the certificate as a DNS name, which clients never match against an \
                         IP address (it covers {covers})"
                    )
                }
                SubjectName::Ip(_) => format!(
                    "the certificate does not cover the IP address {host} (it covers {covers}): a page opened \
                     at https://{} says \"not secure\"",
                    url_host(host)
                ),
                SubjectName::Dns(_) => format!(
                    "the certificate does not cover {host} (it covers {covers}): clients reject https://{host}"
                ),
            };
            Finding::fail(ID, message, cx.gen_with(true, names)).about(&cx.cert.path)
        })
        .collect()
}

fn url_host(host: &SubjectName) -> String {
    match host {
        SubjectName::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
        other => other.to_string(),
    }
}

/// RFC 6125 matching: exact (case-insensitive), or a `*.` wildcard standing for one label.
fn dns_matches(pattern: &str, name: &str) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => name.split_once('.').is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == name,
    }
}

#[cfg(test)]
mod tests {
    use super::dns_matches;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(dns_matches("*.app.test", "api.app.test"));
        assert!(!dns_matches("*.app.test", "app.test"));
        assert!(!dns_matches("*.app.test", "a.b.app.test"));
        assert!(dns_matches("LocalHost", "localhost."));
        assert!(!dns_matches("localhost", "127.0.0.1"));
    }
}
