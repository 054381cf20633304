//! What `ca init` and `ca show` show of a CA.

use serde::Serialize;

use crate::pki::ca::LocalCa;
use crate::pki::format;

/// What the renderer shows of a CA.
#[derive(Debug, Serialize)]
pub(crate) struct CaReport {
    pub dir: std::path::PathBuf,
    pub cert_path: std::path::PathBuf,
    pub key_path: std::path::PathBuf,
    pub subject: String,
    pub not_before: String,
    pub not_after: String,
    pub fingerprint_sha256: String,
    /// `null` when the CA is unconstrained.
    pub permitted: Option<Vec<String>>,
    /// Set by `ca init --force` when an older CA was replaced.
    pub replaced: bool,
}

impl CaReport {
    pub(crate) fn new(ca: &LocalCa, replaced: bool) -> Self {
        Self {
            dir: ca.dir().path().to_path_buf(),
            cert_path: ca.dir().cert_path(),
            key_path: ca.dir().key_path(),
            subject: ca.subject().to_owned(),
            not_before: format::rfc3339(ca.not_before()),
            not_after: format::rfc3339(ca.not_after()),
            fingerprint_sha256: format::sha256_fingerprint(ca.cert_der()),
            permitted: ca.permits().map(|p| p.iter().map(ToString::to_string).collect()),
            replaced,
        }
    }
}
