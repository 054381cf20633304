//! What `gen` did.

use std::path::PathBuf;

use serde::Serialize;

use crate::pki::keys::KeyAlgorithm;

/// What `gen` did, for the renderer.
#[derive(Debug, Serialize)]
pub(crate) struct GenReport {
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    pub names: Vec<String>,
    pub not_before: String,
    pub not_after: String,
    pub days: u32,
    pub key_type: KeyAlgorithm,
    pub mode: Mode,
    pub fingerprint_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert_path: Option<PathBuf>,
    /// Whether this run created the local CA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_created: Option<bool>,
    /// What was left out of `--lan`, and why.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    SelfSigned,
    Ca,
}
