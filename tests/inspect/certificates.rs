//! Certificates from `tlsforge gen` and from openssl, an expired one too, agree with what
//! `openssl x509` prints, field by field.

use std::net::IpAddr;

use super::json::{certs, only_cert};
use super::openssl::{OpensslCa, assert_agrees};
use super::s;
use crate::harness::{Sandbox, have, tool};

#[test]
fn a_gen_certificate_agrees_with_openssl_field_by_field() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test", "*.app.test", "127.0.0.1", "::1"]).success();
    sb.run(&["gen", "--key", "rsa-2048", "--name", "rsa", "--days", "20"]).success();
    let run = sb.run(&["inspect", "server.crt", "rsa.crt", "--format", "json"]).success();
    let all = certs(&run);
    assert_eq!(all.len(), 2);
    let leaf = &all[0];
    assert_agrees(leaf, &sb.path("server.crt"));
    assert_eq!((leaf.source.as_str(), leaf.index), ("server.crt", 0));
    assert_eq!(leaf.dns_names, ["app.test", "*.app.test"]);
    assert_eq!(leaf.ip_addresses, ["127.0.0.1".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]);
    assert_eq!((leaf.key_algorithm.as_str(), leaf.key_curve.as_deref()), ("ec", Some("P-256")));
    assert!(!leaf.self_signed && !leaf.is_ca);
    assert_eq!(leaf.status, "valid");
    assert!((363..=365).contains(&leaf.days_remaining), "{}", leaf.days_remaining);
    assert_eq!(leaf.extended_key_usage.as_deref(), Some(&["serverAuth".to_owned()][..]));
    assert!(leaf.connection.is_none());

    let rsa = &all[1];
    assert_agrees(rsa, &sb.path("rsa.crt"));
    assert_eq!((rsa.key_algorithm.as_str(), rsa.key_bits), ("rsa", Some(2048)));
    assert_eq!(rsa.signature_algorithm, "sha256WithRSAEncryption");
    assert!(rsa.self_signed);
    assert_eq!(
        rsa.key_usage.as_deref(),
        Some(&["digitalSignature".to_owned(), "keyEncipherment".to_owned()][..])
    );

    let ca_run = sb.run(&["inspect", s(&sb.ca_dir().join("ca.crt")), "--format", "json"]).success();
    let ca = only_cert(&ca_run);
    assert_agrees(&ca, &sb.ca_dir().join("ca.crt"));
    assert!(ca.is_ca && ca.self_signed);
    assert_eq!(ca.path_len, Some(0));
    let constraints = ca.name_constraints.expect("the local CA is name-constrained");
    assert!(constraints.permitted.contains(&"DNS:test".to_owned()), "{constraints:?}");
    assert!(constraints.permitted.contains(&"IP:127.0.0.0/8".to_owned()), "{constraints:?}");
    assert!(constraints.excluded.is_empty());
    assert_eq!(ca.issuer, leaf.issuer);

    // The human view names the same things.
    let human = sb.run(&["inspect", "server.crt"]).success().stdout;
    for needle in [
        "server.crt #0",
        "DNS:app.test, DNS:*.app.test, IP:127.0.0.1, IP:::1",
        &leaf.fingerprint_sha256,
        "days left",
    ] {
        assert!(human.contains(needle), "{needle:?} in\n{human}");
    }
}

#[test]
fn openssl_certificates_including_an_expired_one_agree_with_openssl() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let ca = OpensslCa::new(sb.path("ossl"));
    let expired = ca.issue("expired", "old.example", "20200101000000Z", "20200301120000Z");
    let current = ca.issue("current", "new.example", "20240101000000Z", "20991231235959Z");
    let der = sb.path("current.der");
    tool("openssl", &["x509", "-in", s(&current), "-outform", "DER", "-out", s(&der)]).success();

    let run =
        sb.run(&["inspect", "--format", "json", s(&expired), s(&current), s(&der), s(&ca.path("ca.crt"))]);
    assert_eq!(run.code, 1, "an expired certificate exits 1\n{}", run.stderr);
    assert!(
        run.stderr.contains("1 certificate has expired") && run.stderr.contains("expired.crt #0"),
        "{}",
        run.stderr
    );
    let all = certs(&run);
    assert_eq!(all.len(), 4);
    assert_agrees(&all[0], &expired);
    assert_agrees(&all[1], &current);
    assert_agrees(&all[2], &current);
    assert_agrees(&all[3], &ca.path("ca.crt"));
    assert_eq!(all[0].status, "expired");
    assert!(all[0].days_remaining < -365, "{}", all[0].days_remaining);
    assert_eq!(all[0].not_after, "2020-03-01T12:00:00Z");
    assert_eq!(all[0].email_addresses, ["ops@old.example"]);
    assert_eq!(all[1].status, "valid");
    assert_eq!(all[1].fingerprint_sha256, all[2].fingerprint_sha256, "PEM and DER of one certificate");
    assert_eq!((all[3].key_algorithm.as_str(), all[3].key_bits), ("ec", Some(384)));
    assert_eq!(all[3].signature_algorithm, "ecdsa-with-SHA256");

    let human = sb.run(&["inspect", s(&expired)]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("EXPIRED") && human.stdout.contains("days ago"), "{}", human.stdout);
}
