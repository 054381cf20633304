//! What `inspect` found: one entry per certificate, key, request or failed input, in order.

use serde::Serialize;
use time::Duration;

use crate::pki::describe::{CertificateInfo, CsrInfo, Standing};
use crate::pki::keyfile::{KeyFormat, PublicKeyInfo};
use crate::pki::lint;
use crate::pki::p12::Protection;

/// One object of `--format json`: a certificate, a key, a request, or an input that failed.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    Certificate(Box<CertificateEntry>),
    PrivateKey(KeyEntry),
    Csr(CsrEntry),
    Pkcs12(Pkcs12Entry),
    Error(ErrorEntry),
}

/// A PKCS#12 archive, opened: what protects it and what it holds (its certificates and keys
/// follow as entries of their own, with the same source).
#[derive(Debug, Serialize)]
pub struct Pkcs12Entry {
    pub source: String,
    pub index: usize,
    /// compat, modern, legacy or other; `null` when the algorithms cannot be read.
    pub protection: Option<Protection>,
    pub certificates: usize,
    pub keys: usize,
    /// The bags' friendly names (aliases), each once, keys' first.
    pub friendly_names: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CertificateEntry {
    pub source: String,
    pub index: usize,
    #[serde(flatten)]
    pub cert: CertificateInfo,
    pub days_remaining: i64,
    pub status: Standing,
    /// Set on the certificates of a `--connect` source.
    pub connection: Option<Connection>,
    /// With `--lint`: the client rules it breaks (empty when none); absent without `--lint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lint: Option<Vec<lint::Finding>>,
}

/// What a TLS handshake said about the chain (repeated on each certificate of that source).
#[derive(Debug, Clone, Serialize)]
pub struct Connection {
    pub host: String,
    pub port: u16,
    pub server_name: String,
    pub protocol: Option<&'static str>,
    pub trusted: bool,
    pub name_matches: bool,
    pub verify_error: Option<String>,
    pub handshake_error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct KeyEntry {
    pub source: String,
    pub index: usize,
    pub encrypted: bool,
    pub format: Option<KeyFormat>,
    /// `key_algorithm`, `key_bits`, `key_curve`: all `null` when the key is encrypted.
    #[serde(flatten, serialize_with = "key_fields")]
    pub key: Option<PublicKeyInfo>,
    /// Certificates in this run whose public key is this key's; `null` when that cannot be told.
    pub matching_certificates: Option<Vec<CertRef>>,
}

/// A key's description as three fields that are always there (`null` when unknown); serde's
/// `flatten` would drop them all for `None`.
#[allow(clippy::ref_option)] // the signature serde's serialize_with requires
fn key_fields<S: serde::Serializer>(key: &Option<PublicKeyInfo>, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(3))?;
    map.serialize_entry("key_algorithm", &key.as_ref().map(|k| k.algorithm))?;
    map.serialize_entry("key_bits", &key.as_ref().and_then(|k| k.bits))?;
    map.serialize_entry("key_curve", &key.as_ref().and_then(|k| k.curve))?;
    map.end()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertRef {
    pub source: String,
    pub index: usize,
}

#[derive(Debug, Serialize)]
pub struct CsrEntry {
    pub source: String,
    pub index: usize,
    #[serde(flatten)]
    pub csr: CsrInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorEntry {
    pub source: String,
    /// The position within the source when one block of it failed; `null` when the whole input did.
    pub index: Option<usize>,
    pub error: String,
}

/// What a run found, counted (the entries themselves are rendered as they are found).
#[derive(Debug, Default)]
pub struct InspectReport {
    pub certificates: usize,
    pub keys: usize,
    pub requests: usize,
    /// The inputs (or blocks) that failed, for one stderr line each.
    pub errors: Vec<ErrorEntry>,
    pub expired: Names,
    /// Within `--expiring-within`.
    pub expiring: Names,
    /// With `--lint`: the certificates that break an error-level rule (a client refuses them),
    /// and how many more only warnings.
    pub lint_failed: Names,
    pub lint_warned: usize,
    /// Files inside directories that held nothing to inspect.
    pub skipped: usize,
    pub window: Option<(Duration, String)>,
}

/// How many certificates are in a list, and the first few names (`source #index`).
#[derive(Debug, Default)]
pub struct Names {
    pub count: usize,
    pub first: Vec<String>,
}

impl Names {
    /// How many names are kept to be shown.
    const SHOWN: usize = 3;

    pub fn add(&mut self, name: String) {
        self.count += 1;
        if self.first.len() < Self::SHOWN {
            self.first.push(name);
        }
    }
}
