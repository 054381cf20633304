//! What `export` (and `ca export`) wrote, or hands to stdout.

use std::path::PathBuf;

use crate::pki::export::ExportAs;
use crate::pki::p12::P12Profile;

#[derive(Debug)]
pub(crate) struct ExportReport {
    pub format: ExportAs,
    /// `None`: `bytes` go to stdout.
    pub out: Option<PathBuf>,
    pub subject: String,
    pub fingerprint_sha256: String,
    /// Whether the certificate is the local CA's.
    pub is_ca: bool,
    /// Set for PKCS#12.
    pub p12_profile: Option<P12Profile>,
    /// What the user should know about the result (a chain of one, no `ca.crt`).
    pub notes: Vec<String>,
    /// Empty when written to `out`.
    pub bytes: Vec<u8>,
}
