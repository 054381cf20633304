//! rustls and webpki (reqwest, hyper-rustls, most Rust clients): no CA certificate as a
//! server's own, RSA of 2048 bits or more, no SHA-1 signatures.

use super::{Client, KEY_FIX, LEAF_FIX, Level, Rule, SHA2_FIX, Subject};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "rustls-ca-as-server",
        client: Client::Rustls,
        level: Level::Error,
        fix: LEAF_FIX,
        check: |s: &Subject<'_>| s.ca_as_server("webpki rejects it (CaUsedAsEndEntity)"),
    },
    Rule {
        id: "rustls-rsa-2048",
        client: Client::Rustls,
        level: Level::Error,
        fix: KEY_FIX,
        check: |s: &Subject<'_>| s.small_key("webpki verifies RSA of 2048 bits or more only"),
    },
    Rule {
        id: "rustls-sha1",
        client: Client::Rustls,
        level: Level::Error,
        fix: SHA2_FIX,
        check: |s: &Subject<'_>| s.weak_signature("webpki has no SHA-1 (or MD5) verifier"),
    },
];
