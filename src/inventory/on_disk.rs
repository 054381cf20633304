//! Whether the files of a recorded certificate are still the ones tlsforge wrote.

use serde::Serialize;

use super::Entry;
use crate::input;
use crate::pki::{content, format, pair};

/// Where a recorded certificate's files stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum OnDisk {
    /// The certificate recorded, with its key.
    Present,
    /// The certificate or its key is gone (`list --prune` forgets the entry).
    Missing,
    /// Another certificate is at its path now.
    Replaced,
    /// The certificate is the one recorded, but the key beside it does not belong to it.
    KeyMismatch,
}

/// How `entry`'s files stand, and what is wrong when something is.
pub(crate) fn on_disk(entry: &Entry) -> (OnDisk, Option<String>) {
    for path in [&entry.cert_path, &entry.key_path] {
        if path.symlink_metadata().is_err() {
            return (OnDisk::Missing, Some(format!("{} is gone", path.display())));
        }
    }
    let fingerprint = input::read(&entry.cert_path, input::CERTIFICATE)
        .ok()
        .and_then(|bytes| content::first_certificate(&bytes).ok())
        .map(|der| format::sha256_fingerprint(&der));
    if fingerprint.as_deref() != Some(entry.fingerprint_sha256.as_str()) {
        let what =
            if fingerprint.is_some() { "another certificate" } else { "something that is not a certificate" };
        return (OnDisk::Replaced, Some(format!("{} now holds {what}", entry.cert_path.display())));
    }
    match pair::load(&entry.cert_path, &entry.key_path) {
        Ok(_) => (OnDisk::Present, None),
        Err(e) => (OnDisk::KeyMismatch, Some(e.to_string())),
    }
}
