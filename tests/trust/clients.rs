//! `--check --clients`: what is served for the handshakes, or why nothing could be.

use std::fs;

use crate::harness::{Sandbox, have, proofs, report};

/// `--clients` needs something to serve: the key of a self-signed certificate (beside it or
/// named), or the local CA to issue a temporary one. Without it the check says why, and fails.
#[test]
fn clients_say_why_nothing_could_be_served() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    fs::rename(sb.path("server.key"), sb.path("elsewhere.key")).unwrap();
    let run = sb.run(&["trust", "server.crt", "--store", "nss", "--check", "--clients", "--format", "json"]);
    let run = run.fails(1, "no handshake (cannot read the key");
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert!(
        handshakes.error.as_deref().unwrap().ends_with("pass the certificate's key with --key"),
        "{handshakes:?}"
    );
    assert!(handshakes.clients.is_empty() && handshakes.port.is_none());

    // Named with --key, it is served (and Chromium, whose database tlsforge trusted, accepts it).
    sb.run(&["trust", "server.crt", "--store", "nss"]).success();
    let args = [
        "trust",
        "server.crt",
        "--store",
        "nss",
        "--check",
        "--clients",
        "--key",
        "elsewhere.key",
        "--format",
        "json",
    ];
    let run = sb.run(&args);
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert_eq!(handshakes.error, None);
    assert_eq!(
        handshakes.served.as_deref(),
        Some(format!("{} with its key", sb.path("server.crt").display()).as_str())
    );
    if have("chromium") {
        assert_eq!(proofs(&handshakes), [("chromium", "trusted")]);
        run.success();
    }

    // The local CA, named by nothing: a temporary leaf it issues for localhost.
    sb.run(&["ca", "init"]).success();
    let run = sb.run(&["trust", "--store", "nss", "--check", "--clients", "--format", "json"]);
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert_eq!(
        handshakes.served.as_deref(),
        Some("a temporary certificate for localhost issued by the local CA")
    );
    assert_eq!(handshakes.name.as_deref(), Some("localhost"));
}
