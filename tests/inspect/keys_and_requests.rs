//! Private keys and certificate requests: recognised, matched to certificates, never shown.

use std::fs;
use std::net::IpAddr;

use super::json::{CertRef, Item, Key, items};
use super::s;
use crate::harness::{Sandbox, have, tool};

#[test]
fn keys_and_requests_are_recognised_and_keys_matched_without_showing_them() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let other = sb.path("other.key");
    tool("openssl", &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", s(&other)])
        .success();
    let legacy = sb.path("legacy.key");
    tool("openssl", &["pkey", "-in", s(&other), "-traditional", "-out", s(&legacy)]).success();
    let locked = sb.path("locked.key");
    tool(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:pw",
            "-out",
            s(&locked),
        ],
    )
    .success();
    let csr = sb.path("req.csr");
    tool(
        "openssl",
        &[
            "req",
            "-new",
            "-key",
            s(&other),
            "-subj",
            "/CN=csr.test",
            "-addext",
            "subjectAltName=DNS:csr.test,IP:10.0.0.9",
            "-out",
            s(&csr),
        ],
    )
    .success();
    let run = sb.run(&[
        "inspect",
        "--format",
        "json",
        "server.crt",
        "server.key",
        "other.key",
        "legacy.key",
        "locked.key",
        "req.csr",
    ]);
    let run = run.success();
    let secret = fs::read_to_string(sb.path("server.key")).unwrap();
    let body = secret.lines().nth(1).unwrap();
    for stream in [&run.stdout, &run.stderr] {
        assert!(!stream.contains(body) && !stream.contains("PRIVATE KEY-----"), "key material printed");
    }
    let found = items(&run);
    let keys: Vec<&Key> =
        found.iter().filter_map(|i| if let Item::PrivateKey(k) = i { Some(k) } else { None }).collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(
        (keys[0].source.as_str(), keys[0].index, keys[0].format.as_deref()),
        ("server.key", 0, Some("pkcs8"))
    );
    assert_eq!(
        (keys[0].key_algorithm.as_deref(), keys[0].key_bits, keys[0].key_curve.as_deref()),
        (Some("ec"), Some(256), Some("P-256"))
    );
    assert_eq!(keys[0].matching_certificates, Some(vec![CertRef { source: "server.crt".into(), index: 0 }]));
    assert_eq!((keys[1].key_algorithm.as_deref(), keys[1].key_bits), (Some("rsa"), Some(2048)));
    assert_eq!(keys[1].matching_certificates, Some(vec![]), "no certificate for this key");
    assert_eq!(keys[2].format.as_deref(), Some("pkcs1"));
    assert!(keys[3].encrypted && keys[3].key_algorithm.is_none() && keys[3].matching_certificates.is_none());
    assert!(!keys[1].encrypted);
    let csr =
        found.iter().find_map(|i| if let Item::Csr(c) = i { Some(c) } else { None }).expect("a CSR entry");
    assert_eq!((csr.source.as_str(), csr.index, csr.subject.as_str()), ("req.csr", 0, "CN=csr.test"));
    assert_eq!(csr.dns_names, ["csr.test"]);
    assert_eq!(csr.ip_addresses, ["10.0.0.9".parse::<IpAddr>().unwrap()]);
    assert!(csr.email_addresses.is_empty() && csr.uris.is_empty());
    assert_eq!(
        (csr.key_algorithm.as_str(), csr.key_bits, csr.key_curve.as_deref()),
        ("rsa", Some(2048), None)
    );
    assert_eq!(csr.signature_algorithm, "sha256WithRSAEncryption");
    assert!(csr.signature_valid);

    let human = sb.run(&["inspect", "server.key", "server.crt", "locked.key"]).success().stdout;
    assert!(human.contains("matches      server.crt #0"), "{human}");
    assert!(human.contains("encrypted"), "{human}");
}
