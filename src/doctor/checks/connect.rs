//! `connect-*`: for each `--connect HOST:PORT`, something listens, it speaks TLS, it serves the
//! certificate on disk, and the handshake verifies against the system roots plus the local CA.

use std::net::{TcpStream, ToSocketAddrs};

use super::Check;
use crate::doctor::{Context, Finding};
use crate::net::connect::{Anchors, FetchFailure, Target, fetch_chain};
use crate::pki::format;

pub(super) const CHECK: Check = Check { id: "connect", run };
const LISTEN: &str = "connect-listen";
const TLS: &str = "connect-tls";
const SERVED: &str = "connect-served";
const VERIFY: &str = "connect-verify";

fn run(cx: &Context) -> Vec<Finding> {
    if cx.connects.is_empty() {
        return Vec::new();
    }
    let mut extra: Vec<Vec<u8>> = cx.local_ca.iter().map(|ca| ca.der.clone()).collect();
    extra.extend(cx.ca.iter().flatten().map(|ca| ca.der.clone()));
    let anchors = Anchors::of(cx.system_roots(), &extra);
    cx.connects.iter().flat_map(|target| one(cx, target, &anchors)).collect()
}

fn one(cx: &Context, target: &Target, anchors: &Anchors) -> Vec<Finding> {
    let port = target.port;
    if let Err(why) = listening(target, cx.timeout) {
        return vec![Finding::fail(
            LISTEN,
            format!("{target}: nothing listens on {port} ({why}) — is the service running on this port?"),
            format!(
                "start the service on port {port}, or pass the port it listens on: --connect {}:PORT",
                target.host
            ),
        )];
    }
    let mut findings = vec![Finding::ok(LISTEN, format!("{target}: something listens on {port}"))];
    let handshake = match fetch_chain(target, None, anchors, cx.timeout) {
        Ok(handshake) => handshake,
        Err(why) => {
            let says = match why.kind {
                FetchFailure::PlainHttp => Some("speaks plain HTTP, not TLS"),
                FetchFailure::NotTls => Some("does not speak TLS"),
                FetchFailure::Other => None,
            };
            findings.push(if let Some(says) = says {
                Finding::fail(
                    TLS,
                    format!(
                        "{target} {says} ({why}): https:// and wss:// fail, and a page \
                         served over HTTPS that calls it is blocked as mixed content"
                    ),
                    format!(
                        "start the service with TLS: eval \"$(tlsforge env --cert {} --key {})\", or put nginx in front: tlsforge snippet nginx --upstream http://{target}",
                        cx.cert_arg(),
                        cx.key_arg()
                    ),
                )
            } else {
                Finding::fail(TLS, format!("{target}: {why}"), format!("openssl s_client -connect {target} </dev/null"))
            });
            return findings;
        }
    };
    findings.push(Finding::ok(TLS, format!("{target} speaks {}", handshake.protocol.unwrap_or("TLS"))));
    if let (Ok(disk), Some(served)) = (&cx.cert_der, handshake.chain.first()) {
        findings.push(if served == disk {
            Finding::ok(SERVED, format!("{target} serves the certificate on disk"))
        } else {
            Finding::fail(
                SERVED,
                format!(
                    "{target} serves another certificate (SHA-256 {}) than {} (SHA-256 {}): a process started \
                     before the files changed still serves the old one, or it loads other files",
                    format::sha256_fingerprint(served),
                    cx.cert.path.display(),
                    format::sha256_fingerprint(disk)
                ),
                format!("restart the service on port {port} so it loads {}", cx.cert_arg()),
            )
            .about(&cx.cert.path)
        });
    }
    findings.push(if handshake.trusted && handshake.name_matches {
        Finding::ok(VERIFY, format!("{target}: the handshake verifies for {}", handshake.server_name))
    } else {
        let why = handshake.verify_error.clone().unwrap_or_else(|| "does not verify".to_owned());
        let fix = if handshake.trusted {
            let mut names = cx.cert_names();
            names.push(target.host.clone());
            cx.gen_with(true, names)
        } else if cx.issuer().is_some_and(|ca| ca.local) {
            "tlsforge trust".to_owned()
        } else {
            format!("tlsforge trust {}", cx.cert_arg())
        };
        Finding::fail(VERIFY, format!("{target}: {why}"), fix)
    });
    findings
}

fn listening(target: &Target, timeout: std::time::Duration) -> Result<(), String> {
    let addrs = (target.host.as_str(), target.port).to_socket_addrs().map_err(|e| e.to_string())?;
    let mut last = "no address".to_owned();
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused".clone_into(&mut last);
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}
