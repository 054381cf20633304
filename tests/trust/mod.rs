//! `trust` and `untrust` against real stores and real clients, without touching this machine's
//! trust: the system store inside a private mount namespace (copies bind-mounted over the real
//! paths, so the real `update-ca-certificates` runs), NSS in a temporary HOME read by headless
//! Chromium, Java on a copy of cacerts read by a Java HTTPS client.

use std::fmt::Write as _;
use std::path::Path;

use crate::harness::cert_der;

mod chromium;
mod clients;
mod debian_java_hook;
mod dry_run;
mod java_keystore;
mod missing_tools;
mod nss_database;
mod refusals;
mod sudo;
mod system_store;

/// The entry name every store should use for the certificate in `path`: "tlsforge-" and the
/// first 16 hex digits of its SHA-256 fingerprint.
fn entry_for(path: &Path) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, &cert_der(path));
    digest.as_ref()[..8].iter().fold(String::from("tlsforge-"), |mut name, byte| {
        let _ = write!(name, "{byte:02x}");
        name
    })
}
