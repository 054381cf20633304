//! Bundles, PKCS#7 and openssl's text output, and the system bundle, are read whole.

use std::fs;
use std::path::Path;

use super::json::certs;
use super::s;
use crate::harness::{Sandbox, have, tool};

#[test]
fn bundles_pkcs7_and_openssl_text_output_are_read_whole() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    let chain =
        [fs::read_to_string(sb.path("server.crt")).unwrap(), fs::read_to_string(&ca).unwrap()].concat();
    fs::write(sb.path("fullchain.pem"), &chain).unwrap();
    let text = tool("openssl", &["x509", "-in", s(&sb.path("server.crt")), "-text"]).success().stdout;
    fs::write(sb.path("with-text.pem"), &text).unwrap();
    for (outform, name) in [("PEM", "chain.p7b"), ("DER", "chain.p7b.der")] {
        tool(
            "openssl",
            &[
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                s(&sb.path("fullchain.pem")),
                "-outform",
                outform,
                "-out",
                s(&sb.path(name)),
            ],
        )
        .success();
    }
    let run = sb.run(&[
        "inspect",
        "--format",
        "json",
        "fullchain.pem",
        "with-text.pem",
        "chain.p7b",
        "chain.p7b.der",
    ]);
    let all = certs(&run.success());
    let summary: Vec<(&str, usize)> = all.iter().map(|c| (c.source.as_str(), c.index)).collect();
    assert_eq!(
        summary,
        [
            ("fullchain.pem", 0),
            ("fullchain.pem", 1),
            ("with-text.pem", 0),
            ("chain.p7b", 0),
            ("chain.p7b", 1),
            ("chain.p7b.der", 0),
            ("chain.p7b.der", 1)
        ]
    );
    assert!(all[1].is_ca && all[1].self_signed && !all[0].is_ca);
    assert_eq!(all[0].fingerprint_sha256, all[5].fingerprint_sha256);
}

#[test]
fn the_system_bundle_is_read_whole() {
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    if !bundle.exists() {
        assert!(std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"), "no system bundle");
        eprintln!("SKIPPED: no {}", bundle.display());
        return;
    }
    let sb = Sandbox::new();
    let run = sb.run(&["inspect", "--format", "json", s(bundle)]);
    // Distributions ship the odd expired root: 1 is as right as 0, 2 is not.
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let expected = fs::read_to_string(bundle).unwrap().matches("-----BEGIN CERTIFICATE-----").count();
    let all = certs(&run);
    assert_eq!(all.len(), expected);
    assert!(all.iter().all(|c| c.is_ca || c.self_signed), "roots");
    assert_eq!(run.code == 1, all.iter().any(|c| c.status == "expired"));
}
