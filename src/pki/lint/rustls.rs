//! rustls and webpki (reqwest, hyper-rustls, most Rust clients): no CA certificate as a
//! server's own, RSA of 2048 bits or more, no SHA-1 signatures.

use super::{Client, Level, Rule, Subject, key_too_small, weak_signature};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "rustls-ca-as-server",
        client: Client::Rustls,
        level: Level::Error,
        fix: "serve a leaf issued by the CA instead (tlsforge gen --ca NAME...), and trust the CA",
        check: |s: &Subject<'_>| {
            (s.served && s.cert.is_ca).then(|| {
                "a CA certificate (basicConstraints CA:TRUE) used as a server's certificate: webpki \
                 rejects it (CaUsedAsEndEntity)"
                    .to_owned()
            })
        },
    },
    Rule {
        id: "rustls-rsa-2048",
        client: Client::Rustls,
        level: Level::Error,
        fix: "re-issue it with an RSA key of 2048 bits or more, or ECDSA (tlsforge gen's default)",
        check: |s: &Subject<'_>| {
            key_too_small(&s.cert.key).then(|| {
                format!("a {} key: webpki verifies RSA of 2048 bits or more only", s.cert.key.describe())
            })
        },
    },
    Rule {
        id: "rustls-sha1",
        client: Client::Rustls,
        level: Level::Error,
        fix: "re-issue it signed with SHA-256 or better",
        check: |s: &Subject<'_>| {
            (s.issued() && weak_signature(&s.cert.signature_algorithm)).then(|| {
                format!("signed with {}: webpki has no SHA-1 (or MD5) verifier", s.cert.signature_algorithm)
            })
        },
    },
];
