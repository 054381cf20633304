//! What `gen` did.

use std::path::PathBuf;

use serde::Serialize;

use crate::pki::keys::KeyAlgorithm;
use crate::pki::p12::P12Profile;

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
    /// `--p12`: the PKCS#12 file written beside the pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p12: Option<P12Written>,
}

/// The PKCS#12 file `gen --p12` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct P12Written {
    pub path: PathBuf,
    pub profile: P12Profile,
    /// The friendly name keytool and Windows show.
    pub alias: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    SelfSigned,
    Ca,
}
