//! The JSON schema of `inspect`, exactly: an unknown or a missing field fails the test.

use std::net::IpAddr;

use serde::Deserialize;

use crate::harness::Run;

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant)] // a test's parsed output, never moved around
pub(crate) enum Item {
    Certificate(Cert),
    PrivateKey(Key),
    Csr(Csr),
    Error(Failed),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Cert {
    pub(crate) source: String,
    pub(crate) index: usize,
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) serial: String,
    pub(crate) not_before: String,
    pub(crate) not_after: String,
    pub(crate) days_remaining: i64,
    pub(crate) status: String,
    pub(crate) dns_names: Vec<String>,
    pub(crate) ip_addresses: Vec<IpAddr>,
    pub(crate) email_addresses: Vec<String>,
    pub(crate) uris: Vec<String>,
    pub(crate) key_algorithm: String,
    pub(crate) key_bits: Option<u32>,
    pub(crate) key_curve: Option<String>,
    pub(crate) signature_algorithm: String,
    pub(crate) is_ca: bool,
    pub(crate) path_len: Option<u32>,
    pub(crate) key_usage: Option<Vec<String>>,
    pub(crate) extended_key_usage: Option<Vec<String>>,
    pub(crate) name_constraints: Option<Constraints>,
    pub(crate) self_signed: bool,
    pub(crate) fingerprint_sha256: String,
    pub(crate) connection: Option<Connection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Constraints {
    pub(crate) permitted: Vec<String>,
    pub(crate) excluded: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Connection {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) server_name: String,
    pub(crate) protocol: Option<String>,
    pub(crate) trusted: bool,
    pub(crate) name_matches: bool,
    pub(crate) verify_error: Option<String>,
    pub(crate) handshake_error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the schema's names
pub(crate) struct Key {
    pub(crate) source: String,
    pub(crate) index: usize,
    pub(crate) encrypted: bool,
    pub(crate) format: Option<String>,
    pub(crate) key_algorithm: Option<String>,
    pub(crate) key_bits: Option<u32>,
    pub(crate) key_curve: Option<String>,
    pub(crate) matching_certificates: Option<Vec<CertRef>>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct CertRef {
    pub(crate) source: String,
    pub(crate) index: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Csr {
    pub(crate) source: String,
    pub(crate) index: usize,
    pub(crate) subject: String,
    pub(crate) dns_names: Vec<String>,
    pub(crate) ip_addresses: Vec<IpAddr>,
    pub(crate) email_addresses: Vec<String>,
    pub(crate) uris: Vec<String>,
    pub(crate) key_algorithm: String,
    pub(crate) key_bits: Option<u32>,
    pub(crate) key_curve: Option<String>,
    pub(crate) signature_algorithm: String,
    pub(crate) signature_valid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Failed {
    pub(crate) source: String,
    pub(crate) index: Option<usize>,
    pub(crate) error: String,
}

/// The documented fields of each kind: every one is always there (`deny_unknown_fields` alone
/// would let a field go missing).
pub(crate) const SCHEMA: &[(&str, &[&str])] = &[
    (
        "certificate",
        &[
            "kind",
            "source",
            "index",
            "subject",
            "issuer",
            "serial",
            "not_before",
            "not_after",
            "days_remaining",
            "status",
            "dns_names",
            "ip_addresses",
            "email_addresses",
            "uris",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "signature_algorithm",
            "is_ca",
            "path_len",
            "key_usage",
            "extended_key_usage",
            "name_constraints",
            "self_signed",
            "fingerprint_sha256",
            "connection",
        ],
    ),
    (
        "private-key",
        &[
            "kind",
            "source",
            "index",
            "encrypted",
            "format",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "matching_certificates",
        ],
    ),
    (
        "csr",
        &[
            "kind",
            "source",
            "index",
            "subject",
            "dns_names",
            "ip_addresses",
            "email_addresses",
            "uris",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "signature_algorithm",
            "signature_valid",
        ],
    ),
    ("error", &["kind", "source", "index", "error"]),
];

pub(crate) const CONNECTION_FIELDS: &[&str] = &[
    "host",
    "port",
    "server_name",
    "protocol",
    "trusted",
    "name_matches",
    "verify_error",
    "handshake_error",
];

pub(crate) fn keys_of(object: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

pub(crate) fn sorted<'a>(fields: &[&'a str]) -> Vec<&'a str> {
    let mut fields = fields.to_vec();
    fields.sort_unstable();
    fields
}

pub(crate) fn items(run: &Run) -> Vec<Item> {
    for object in run.json().as_array().expect("a JSON array") {
        let kind = object["kind"].as_str().expect("a kind");
        let (_, fields) = SCHEMA.iter().find(|(k, _)| *k == kind).unwrap_or_else(|| panic!("kind {kind}"));
        assert_eq!(keys_of(object), sorted(fields), "fields of a {kind}");
        if let Some(connection) = object.get("connection").filter(|c| !c.is_null()) {
            assert_eq!(keys_of(connection), sorted(CONNECTION_FIELDS));
        }
    }
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not the documented JSON ({e}):\n{}", run.stdout))
}

pub(crate) fn certs(run: &Run) -> Vec<Cert> {
    items(run).into_iter().filter_map(|i| if let Item::Certificate(c) = i { Some(c) } else { None }).collect()
}

pub(crate) fn only_cert(run: &Run) -> Cert {
    let mut all = certs(run);
    assert_eq!(all.len(), 1, "{}", run.stdout);
    all.remove(0)
}

pub(crate) fn failures(run: &Run) -> Vec<Failed> {
    items(run).into_iter().filter_map(|i| if let Item::Error(f) = i { Some(f) } else { None }).collect()
}
