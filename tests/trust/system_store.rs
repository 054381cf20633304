//! The system store, for real, in a private mount namespace: trust, check and untrust with
//! curl and Python as the clients.

use std::path::Path;

use super::entry_for;
use crate::harness::{
    CURL_PEER_VERIFY_FAILED, Namespace, STORE_DIRS, Sandbox, have, listing, proofs, python, report, serve,
    statuses,
};

/// Trust, check, trust again, untrust, check, with curl and Python as the clients.
fn system_store_round_trip(gen_args: &[&str], expect_kind: &str) {
    if !have("openssl") || !have("curl") || !have(python()) {
        return;
    }
    let Some(ns) = Namespace::new() else { return };
    let real_before = listing(Path::new(STORE_DIRS[0]));
    let sb = Sandbox::new();
    sb.run(gen_args).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl trusts it before trust");
    assert_eq!(ns.python(server.port), 3, "python trusts it before trust");
    let anchors_before = listing(&ns.anchors());

    // --dry-run: the exact steps, nothing changed.
    let dry =
        ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--dry-run", "--format", "json"]);
    let dry = report(&dry.success());
    assert_eq!(dry.certificate.kind, expect_kind);
    let entry = dry.certificate.entry_name.clone();
    let anchor = if expect_kind == "local-ca" { sb.ca_dir().join("ca.crt") } else { sb.path("server.crt") };
    assert_eq!(entry, entry_for(&anchor));
    assert!(entry.starts_with("tlsforge-") && entry.len() == "tlsforge-".len() + 16, "{entry}");
    let steps: Vec<&str> = dry.stores[0].steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(
        steps,
        [
            format!("write /usr/local/share/ca-certificates/{entry}.crt").as_str(),
            "/usr/sbin/update-ca-certificates"
        ]
    );
    assert!(dry.stores[0].steps.iter().all(|s| s.root && !s.sudo), "root needs no sudo");
    assert_eq!(listing(&ns.anchors()), anchors_before, "--dry-run changed the store");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"])
        .fails(1, "trusted by no client");

    let run = ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system"]).success();
    assert!(
        run.stdout.contains("/usr/local/share/ca-certificates (Debian/Ubuntu): trusted now"),
        "{}",
        run.stdout
    );
    if expect_kind == "local-ca" {
        assert!(run.stdout.contains("was issued by tlsforge's local CA: trusting the CA"), "{}", run.stdout);
    }
    assert_eq!(ns.curl(server.port), 0, "curl after trust");
    assert_eq!(ns.python(server.port), 0, "python after trust");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"]).success();
    // Proved by handshakes: curl and Python read the bundle; Node reads its own list of roots,
    // so it refuses, and the check is partial (exit 3) — what a Node service would do.
    let proved = ns.tlsforge(
        &sb,
        &["trust", "server.crt", "--store", "system", "--check", "--clients", "--format", "json"],
    );
    let expected: &[(&str, &str)] = if have("node") {
        &[("curl", "trusted"), ("python", "trusted"), ("node", "not-trusted")]
    } else {
        &[("curl", "trusted"), ("python", "trusted")]
    };
    let proved = if have("node") { proved.fails(3, "Node.js handshake") } else { proved.success() };
    let proved = report(&proved);
    let handshakes = proved.handshakes.as_ref().expect("handshakes");
    assert_eq!(proofs(handshakes), expected, "{handshakes:?}");
    assert_eq!(handshakes.name.as_deref(), Some("localhost"));
    assert!(handshakes.disagreements.is_empty(), "{:?}", handshakes.disagreements);

    // Twice: one entry, nothing to do.
    let again = ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--format", "json"]).success();
    assert_eq!(statuses(&report(&again)), [("system", "already-trusted")]);
    let mut expected = anchors_before.clone();
    expected.push(format!("{entry}.crt"));
    expected.sort();
    assert_eq!(listing(&ns.anchors()), expected);

    let run = ns.tlsforge(&sb, &["untrust", "server.crt", "--store", "system"]).success();
    assert!(run.stdout.contains("(Debian/Ubuntu): removed"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("Removed {entry} from 1 of 1 selected stores")), "{}", run.stdout);
    assert_eq!(listing(&ns.anchors()), anchors_before, "untrust removes only its own anchor");
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl after untrust");
    assert_eq!(ns.python(server.port), 3, "python after untrust");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"])
        .fails(1, "trusted by no client");
    let twice =
        ns.tlsforge(&sb, &["untrust", "server.crt", "--store", "system", "--format", "json"]).success();
    assert_eq!(statuses(&report(&twice)), [("system", "not-present")]);

    assert_eq!(listing(Path::new(STORE_DIRS[0])), real_before, "the real store was touched");
}

#[test]
fn system_store_trusts_a_self_signed_leaf_for_curl_and_python() {
    system_store_round_trip(&["gen", "localhost", "127.0.0.1"], "self-signed-leaf");
}

#[test]
fn system_store_trusts_the_local_ca_for_a_ca_issued_leaf() {
    system_store_round_trip(&["gen", "--ca", "localhost", "127.0.0.1"], "local-ca");
}
