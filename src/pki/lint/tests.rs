//! Each rule on certificates tlsforge makes, then broken one way at a time. Certificates broken
//! by openssl itself, and the clients that refuse them, are in tests/inspect/lint.rs.

use super::*;
use crate::pki::ca::{CaDir, CaOptions};
use crate::pki::keys::{self, KeyAlgorithm};
use crate::pki::leaf::{self, LeafRequest};
use crate::pki::names::SubjectName;

fn request() -> LeafRequest {
    let names = ["app.test", "127.0.0.1"].iter().map(|n| SubjectName::parse(n).unwrap()).collect();
    LeafRequest { names, days: MAX_DAYS, key: KeyAlgorithm::EcdsaP256, client_auth: false }
}

fn info(der: &[u8]) -> CertificateInfo {
    CertificateInfo::from_der(der).unwrap().0
}

/// A self-signed leaf, a local CA and a leaf it issued, all as tlsforge makes them.
fn ours() -> (CertificateInfo, CertificateInfo, CertificateInfo) {
    let now = time::OffsetDateTime::now_utc();
    let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
    let self_signed = leaf::self_signed(&request(), &key, now).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = CaDir::resolve(Some(dir.path().join("ca")), None)
        .unwrap()
        .create(&CaOptions::defaults("me@test", now), false)
        .unwrap();
    let issued = leaf::issued_by(&request(), &key, &ca, now).unwrap();
    (info(&self_signed.cert_der), info(ca.cert_der()), info(&issued.cert_der))
}

fn ids(cert: &CertificateInfo, role: Role) -> Vec<&'static str> {
    lint(cert, role).iter().map(|f| f.id).collect()
}

#[test]
fn what_tlsforge_issues_lints_clean() {
    let (self_signed, ca, issued) = ours();
    assert_eq!(ids(&self_signed, Role::Served), Vec::<&str>::new());
    assert_eq!(ids(&ca, Role::Unknown), Vec::<&str>::new());
    assert_eq!(ids(&issued, Role::Served), Vec::<&str>::new());
    assert_eq!(self_signed.layout.authority_key_id, Some(false), "self-signed leaves carry an AKI");
}

#[test]
fn ids_are_stable_unique_kebab_case_and_start_with_their_client() {
    let mut seen = Vec::new();
    for rule in RULES.iter().flat_map(|rules| rules.iter()) {
        let client = serde_json::to_value(rule.client).unwrap();
        let client = client.as_str().unwrap();
        assert!(rule.id.starts_with(&format!("{client}-")), "{} for {client}", rule.id);
        assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        assert!(!seen.contains(&rule.id), "{} twice", rule.id);
        assert!(super::rule(rule.id).is_some());
        seen.push(rule.id);
    }
    assert!(rule("no-such-rule").is_none());
}

#[test]
fn a_ca_whose_extensions_are_loose_breaks_the_strict_rules() {
    let (_, mut ca, _) = ours();
    ca.layout.basic_constraints = Some(false);
    assert_eq!(ids(&ca, Role::Unknown), ["python-strict-ca-basic-constraints-critical"]);
    ca.layout.key_usage = None;
    ca.layout.subject_key_id = None;
    assert_eq!(
        ids(&ca, Role::Unknown),
        [
            "python-strict-ca-basic-constraints-critical",
            "python-strict-ca-key-usage",
            "python-strict-ca-subject-key-id"
        ]
    );
    let found = lint(&ca, Role::Unknown);
    assert!(found.iter().all(|f| f.client == Client::PythonStrict && f.level == Level::Error));
    assert!(found[0].message.contains("error 89"), "{found:?}");
    assert!(found[0].fix.contains("critical,CA:TRUE"), "{found:?}");
}

#[test]
fn an_issued_certificate_without_authority_key_id_fails_and_a_self_signed_leaf_warns() {
    let (mut self_signed, _, mut issued) = ours();
    issued.layout.authority_key_id = None;
    assert_eq!(ids(&issued, Role::Served), ["python-strict-authority-key-id"]);
    self_signed.layout.authority_key_id = None;
    let found = lint(&self_signed, Role::Served);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].id, found[0].level), ("rfc5280-authority-key-id", Level::Warning));
}

#[test]
fn leaf_extension_rules() {
    let (_, _, mut issued) = ours();
    issued.key_usage = Some(vec!["digitalSignature", "keyCertSign"]);
    assert_eq!(ids(&issued, Role::Served), ["python-strict-leaf-key-cert-sign"]);
    let (_, _, mut issued) = ours();
    issued.layout.subject_key_id = Some(true);
    assert_eq!(ids(&issued, Role::Served), ["python-strict-key-id-critical"]);
    let (_, _, mut issued) = ours();
    issued.alt_names = crate::pki::describe::AltNames::default();
    issued.layout.subject_alt_names = Some(0);
    assert_eq!(ids(&issued, Role::Served), ["python-strict-empty-san", "chrome-san-required"]);
    issued.layout.subject_alt_names = None;
    assert_eq!(ids(&issued, Role::Served), ["chrome-san-required"]);
}

#[test]
fn apple_counts_days_inclusively() {
    let (mut self_signed, _, _) = ours();
    assert_eq!(validity::lifetime(self_signed.not_before, self_signed.not_after), Duration::days(825));
    self_signed.not_after += Duration::SECOND;
    let found = lint(&self_signed, Role::Served);
    assert_eq!(found.iter().map(|f| f.id).collect::<Vec<_>>(), ["apple-validity-825-days"]);
    assert!(found[0].message.starts_with("valid for 825 days and 1 second"), "{found:?}");
    // Before 2019-07-01 Apple's limits did not apply.
    self_signed.not_before = time::macros::datetime!(2019-06-30 00:00 UTC);
    self_signed.not_after = self_signed.not_before + Duration::days(900);
    assert_eq!(ids(&self_signed, Role::Served), Vec::<&str>::new());
}

#[test]
fn server_auth_is_required_by_apple() {
    let (_, _, mut issued) = ours();
    issued.extended_key_usage = None;
    assert_eq!(ids(&issued, Role::Served), ["apple-server-auth"]);
    issued.extended_key_usage = Some(vec!["clientAuth".to_owned()]);
    let found = lint(&issued, Role::Served);
    assert!(found[0].message.contains("lacks serverAuth"), "{found:?}");
    issued.extended_key_usage = Some(vec!["anyExtendedKeyUsage".to_owned()]);
    assert_eq!(ids(&issued, Role::Served), Vec::<&str>::new());
}

#[test]
fn small_rsa_keys_and_sha1_are_refused_by_every_client_named() {
    let (_, mut ca, mut issued) = ours();
    issued.key = PublicKeyInfo { algorithm: KeyAlgo::Rsa, bits: Some(1024), curve: None };
    assert_eq!(ids(&issued, Role::Served), ["apple-rsa-2048", "rustls-rsa-2048"]);
    issued.key.bits = Some(2048);
    issued.signature_algorithm = "sha1WithRSAEncryption".to_owned();
    assert_eq!(ids(&issued, Role::Served), ["apple-sha2", "chrome-sha1", "rustls-sha1"]);
    // A root's own signature is never checked: SHA-1 on it harms no one.
    ca.signature_algorithm = "ecdsa-with-SHA1".to_owned();
    assert_eq!(ids(&ca, Role::Unknown), Vec::<&str>::new());
}

#[test]
fn a_ca_used_as_a_server_certificate() {
    let (_, ca, _) = ours();
    // A CA without host names in a file is taken for a CA; served, it is refused.
    assert_eq!(ids(&ca, Role::Unknown), Vec::<&str>::new());
    let served = ids(&ca, Role::Served);
    assert!(
        served.contains(&"rustls-ca-as-server") && served.contains(&"firefox-ca-as-server"),
        "{served:?}"
    );
    // A CA:TRUE certificate naming hosts is a server's, wherever it is found.
    let (mut self_signed, _, _) = ours();
    self_signed.is_ca = true;
    let found = ids(&self_signed, Role::Unknown);
    assert!(found.contains(&"rustls-ca-as-server") && found.contains(&"firefox-ca-as-server"), "{found:?}");
}

#[test]
fn strict_rules_apply_to_chains_of_two_or_more_only() {
    // A self-signed CA:TRUE certificate served and trusted as itself is a chain of one: OpenSSL's
    // strict mode does not look at it, whatever its extensions; rustls and Firefox refuse it.
    let (_, mut ca, _) = ours();
    ca.layout.basic_constraints = Some(false);
    ca.layout.key_usage = None;
    ca.layout.subject_key_id = Some(true);
    let served = ids(&ca, Role::Served);
    assert!(!served.iter().any(|id| id.starts_with("python-strict-")), "{served:?}");
    assert!(
        served.contains(&"rustls-ca-as-server") && served.contains(&"firefox-ca-as-server"),
        "{served:?}"
    );
    let as_issuer = ids(&ca, Role::Unknown);
    assert!(
        as_issuer.iter().all(|id| id.starts_with("python-strict-")) && as_issuer.len() == 3,
        "{as_issuer:?}"
    );
}

#[test]
fn shared_predicates() {
    let rsa = |bits| PublicKeyInfo { algorithm: KeyAlgo::Rsa, bits: Some(bits), curve: None };
    assert!(key_too_small(&rsa(1024)) && !key_too_small(&rsa(2048)));
    let ec = PublicKeyInfo { algorithm: KeyAlgo::Ec, bits: Some(256), curve: Some("P-256") };
    assert!(!key_too_small(&ec));
    for weak in ["sha1WithRSAEncryption", "ecdsa-with-SHA1", "md5WithRSAEncryption", "dsaWithSHA1"] {
        assert!(weak_signature(weak), "{weak}");
    }
    for strong in ["sha256WithRSAEncryption", "ecdsa-with-SHA384", "ED25519", "RSASSA-PSS"] {
        assert!(!weak_signature(strong), "{strong}");
    }
    assert_eq!(allows_server_auth(None), None);
    assert_eq!(allows_server_auth(Some(&["clientAuth".to_owned()])), Some(false));
}
