//! Python 3.13+ and OpenSSL's X.509 strict mode (`VERIFY_X509_STRICT`, `openssl verify
//! -x509_strict`): RFC 5280's rules on how CA and leaf extensions are written. OpenSSL applies
//! them to chains of two or more certificates only: to a CA that issues and to every certificate
//! it issued, not to a self-signed certificate a client trusts as itself (a chain of one).

use super::{Client, Level, Rule, Subject};

const CA_FIX: &str = "re-issue the CA with basicConstraints=critical,CA:TRUE, keyUsage=critical,keyCertSign,cRLSign \
                      and a subjectKeyIdentifier (tlsforge ca init writes all three), then its certificates";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "python-strict-ca-basic-constraints-critical",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: CA_FIX,
        check: |s: &Subject<'_>| {
            (s.chained() && s.cert.is_ca && s.layout().basic_constraints == Some(false)).then(|| {
                "a CA whose basicConstraints is not marked critical: the strict mode rejects every chain \
                 through it (OpenSSL error 89)"
                    .to_owned()
            })
        },
    },
    Rule {
        id: "python-strict-ca-key-usage",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: CA_FIX,
        check: |s: &Subject<'_>| {
            (s.chained() && s.cert.is_ca && s.layout().key_usage.is_none())
                .then(|| "a CA without keyUsage: the strict mode rejects every chain through it".to_owned())
        },
    },
    Rule {
        id: "python-strict-ca-subject-key-id",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: CA_FIX,
        check: |s: &Subject<'_>| {
            (s.chained() && s.cert.is_ca && s.layout().subject_key_id.is_none()).then(|| {
                "a CA without a subject key identifier: the strict mode rejects every chain through it"
                    .to_owned()
            })
        },
    },
    Rule {
        id: "python-strict-authority-key-id",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: "re-issue it from a CA tool that writes authorityKeyIdentifier=keyid (tlsforge gen --ca does; \
              with openssl x509 -req, put it in -extfile)",
        check: |s: &Subject<'_>| {
            (s.issued() && s.layout().authority_key_id.is_none()).then(|| {
                "issued by another certificate, without an authority key identifier: the strict mode \
                 rejects it (OpenSSL error 85, \"Missing Authority Key Identifier\")"
                    .to_owned()
            })
        },
    },
    Rule {
        id: "python-strict-leaf-key-cert-sign",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: "re-issue it without keyCertSign in keyUsage (a server needs digitalSignature, and \
              keyEncipherment for RSA)",
        check: |s: &Subject<'_>| {
            let signs = s.cert.key_usage.as_ref().is_some_and(|usage| usage.contains(&"keyCertSign"));
            (s.chained() && !s.cert.is_ca && signs)
                .then(|| "not a CA, yet its keyUsage has keyCertSign: the strict mode rejects it".to_owned())
        },
    },
    Rule {
        id: "python-strict-empty-san",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: "re-issue it with its names in subjectAltName (tlsforge gen NAME...)",
        check: |s: &Subject<'_>| {
            (s.chained() && s.layout().subject_alt_names == Some(0)).then(|| {
                "a subjectAltName extension with no names in it: the strict mode rejects it".to_owned()
            })
        },
    },
    Rule {
        id: "python-strict-key-id-critical",
        client: Client::PythonStrict,
        level: Level::Error,
        fix: "re-issue it with the key identifier extensions not marked critical",
        check: |s: &Subject<'_>| {
            let layout = s.layout();
            (s.chained() && (layout.subject_key_id == Some(true) || layout.authority_key_id == Some(true)))
                .then(|| {
                    "a key identifier extension marked critical: RFC 5280 forbids it and the strict mode \
                 rejects it"
                        .to_owned()
                })
        },
    },
];
