//! The inventory: every certificate tlsforge wrote to disk, what it was made with, and where it
//! stands now. One versioned JSON file in the data directory, changed only under its lock and
//! replaced atomically, so parallel runs (eight `gen`s at once, a timer's `renew`) each leave
//! their entry. `list` shows it, `renew` re-issues from it.

mod adopt;
mod on_disk;

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::Error;
use crate::fsutil::{self, FileSet, NewFile};
use crate::input;
use crate::pki::keys::KeyAlgorithm;
use crate::pki::p12::P12Profile;

pub(crate) use adopt::{adopt, key_beside};
pub(crate) use on_disk::{OnDisk, on_disk};

/// The format version this tlsforge writes and reads.
const VERSION: u32 = 1;

/// The largest inventory read (some thousands of entries).
const LIMIT: input::Limit = input::Limit { bytes: 16 * 1024 * 1024, what: "the inventory" };

/// The file as written.
#[derive(Debug, Serialize, Deserialize)]
struct Document {
    version: u32,
    certificates: Vec<Entry>,
}

/// One certificate tlsforge wrote (or adopted), as it was when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    /// `gen --p12`: the PKCS#12 file beside the pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p12_path: Option<PathBuf>,
    /// DNS names and IP addresses, in the certificate's order.
    pub names: Vec<String>,
    pub key_type: KeyAlgorithm,
    pub issuer: Issuer,
    /// Upper-case hex, as `openssl x509 -serial` prints it.
    pub serial: String,
    pub fingerprint_sha256: String,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    /// When tlsforge wrote (or adopted) it, RFC 3339.
    pub recorded_at: String,
    pub made_with: MadeWith,
}

/// Who vouches for a recorded certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Issuer {
    SelfSigned,
    /// tlsforge's local CA in `ca_dir`, by its certificate's fingerprint.
    LocalCa {
        ca_dir: PathBuf,
        fingerprint_sha256: String,
    },
    /// Another CA (an adopted certificate): listed, never renewed.
    Other {
        name: String,
    },
}

/// The options a certificate was made with: what `renew` makes it with again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools, reason = "gen's flags, as recorded")]
pub(crate) struct MadeWith {
    pub days: u32,
    pub key: KeyAlgorithm,
    /// `--lan`: the LAN names of the time are among `names`.
    pub lan: bool,
    /// With `lan`: the names given (the rest of `names` came from the LAN then). `renew` gives
    /// these again with `--lan`, so the machine's addresses are looked up anew (a new DHCP
    /// lease); without them (older records) it gives every recorded name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<Vec<String>>,
    pub client_auth: bool,
    /// `--p12`, with its protection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p12: Option<P12Profile>,
    /// Recorded by `list --adopt`, not made by tlsforge.
    #[serde(default)]
    pub adopted: bool,
}

impl Entry {
    pub(crate) fn not_after(&self) -> Option<OffsetDateTime> {
        parse_time(&self.not_after)
    }

    pub(crate) fn not_before(&self) -> Option<OffsetDateTime> {
        parse_time(&self.not_before)
    }

    /// Whole days until notAfter, rounded down: negative once expired.
    pub(crate) fn days_left(&self, now: OffsetDateTime) -> Option<i64> {
        self.not_after().map(|end| (end - now).whole_seconds().div_euclid(86_400))
    }

    /// Whether it expires within `window`, by default when a third of its lifetime (at least
    /// seven days) is left. An unreadable date counts as due.
    pub(crate) fn due(&self, now: OffsetDateTime, window: Option<Duration>) -> bool {
        let (Some(start), Some(end)) = (self.not_before(), self.not_after()) else { return true };
        let window = window.unwrap_or_else(|| ((end - start) / 3_i32).max(Duration::days(7)));
        end - now <= window
    }

    /// Whether `path` (absolute) is this entry's certificate, key or PKCS#12 file.
    pub(crate) fn is_at(&self, path: &Path) -> bool {
        self.cert_path == path || self.key_path == path || self.p12_path.as_deref() == Some(path)
    }
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// The inventory file at a path.
#[derive(Debug, Clone)]
pub(crate) struct Inventory {
    path: PathBuf,
}

impl Inventory {
    pub(crate) fn at(path: PathBuf) -> Self {
        Self { path }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file and its lock (kept between runs: the inventory is never deleted under a waiter).
    fn files(&self) -> FileSet {
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        FileSet::of_file(&self.path).with_lock_file(&format!(".{name}.lock"))
    }

    /// The entries, as recorded (none when there is no inventory yet).
    pub(crate) fn read(&self) -> Result<Vec<Entry>> {
        if self.path.symlink_metadata().is_err() && self.files().torn().is_none() {
            return Ok(Vec::new());
        }
        self.update(|entries| entries.clone())
    }

    /// Change the entries under the inventory's lock; written back (atomically) only when
    /// `change` changed them. Returns what `change` returned.
    pub(crate) fn update<T>(&self, change: impl FnOnce(&mut Vec<Entry>) -> T) -> Result<T> {
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        fsutil::create_private_dir(dir)?;
        let set = self.files();
        let lock = set.lock()?;
        let mut entries = self.load()?;
        let before = entries.clone();
        let result = change(&mut entries);
        if entries != before {
            let document = Document { version: VERSION, certificates: entries };
            let mut json = serde_json::to_vec_pretty(&document)?;
            json.push(b'\n');
            lock.write(&[NewFile::private(self.path.clone(), &json)], true)?;
        }
        Ok(result)
    }

    fn load(&self) -> Result<Vec<Entry>> {
        /// Read first: a newer format is refused as such, not as damage.
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let bytes = match input::read(&self.path, LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::failed(format!(
                    "cannot read the inventory {}: {}",
                    self.path.display(),
                    e.reason()
                ))
                .into());
            }
        };
        let damaged = |why: String| -> anyhow::Error {
            Error::failed(format!("the inventory {} cannot be read: {why}", self.path.display()))
                .hint(format!(
                    "move it aside (mv {0} {0}.bad) and record the certificates again with `tlsforge list --adopt PATH...`",
                    crate::text::shell_path(&self.path)
                ))
                .into()
        };
        let version: Version = serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))?;
        if version.version != VERSION {
            return Err(Error::failed(format!(
                "the inventory {} has format version {}; this tlsforge reads version {VERSION}",
                self.path.display(),
                version.version
            ))
            .hint("use the tlsforge that wrote it, or a newer one")
            .into());
        }
        let document: Document = serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))?;
        Ok(document.certificates)
    }
}

/// Record `entry`, replacing what was recorded for the same certificate file.
pub(crate) fn record(entries: &mut Vec<Entry>, entry: Entry) {
    entries.retain(|old| old.cert_path != entry.cert_path);
    entries.push(entry);
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn entry(cert: &str, not_before: &str, not_after: &str) -> Entry {
        Entry {
            cert_path: cert.into(),
            key_path: PathBuf::from(cert).with_extension("key"),
            p12_path: None,
            names: vec!["localhost".into()],
            key_type: KeyAlgorithm::EcdsaP256,
            issuer: Issuer::SelfSigned,
            serial: "01".into(),
            fingerprint_sha256: "AA".into(),
            not_before: not_before.into(),
            not_after: not_after.into(),
            recorded_at: not_before.into(),
            made_with: MadeWith {
                days: 30,
                key: KeyAlgorithm::EcdsaP256,
                lan: false,
                given: None,
                client_auth: false,
                p12: None,
                adopted: false,
            },
        }
    }

    fn at(text: &str) -> OffsetDateTime {
        parse_time(text).unwrap()
    }

    #[test]
    fn due_by_default_with_a_third_of_the_lifetime_or_a_week_left() {
        let year = entry("/a.crt", "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z");
        assert!(!year.due(at("2024-08-01T00:00:00Z"), None));
        assert!(year.due(at("2024-10-01T00:00:00Z"), None), "less than a third left");
        let short = entry("/b.crt", "2024-01-01T00:00:00Z", "2024-01-11T00:00:00Z");
        assert!(!short.due(at("2024-01-02T00:00:00Z"), None));
        assert!(short.due(at("2024-01-04T12:00:00Z"), None), "a week left");
        assert!(year.due(at("2024-12-10T00:00:00Z"), Some(Duration::days(30))));
        assert!(!year.due(at("2024-11-10T00:00:00Z"), Some(Duration::days(30))));
        assert!(year.due(at("2025-01-10T00:00:00Z"), Some(Duration::days(1))), "expired");
        assert_eq!(year.days_left(at("2024-12-29T12:00:00Z")), Some(1));
        assert_eq!(year.days_left(at("2024-12-31T00:00:01Z")), Some(-1));
    }

    #[test]
    fn records_replace_by_certificate_and_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let inventory = Inventory::at(dir.path().join("sub").join("inventory.json"));
        assert!(inventory.read().unwrap().is_empty());
        assert!(!inventory.path().exists(), "reading writes nothing");
        let a = entry("/a.crt", "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z");
        let b = entry("/b.crt", "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z");
        inventory.update(|entries| record(entries, a.clone())).unwrap();
        inventory.update(|entries| record(entries, b.clone())).unwrap();
        let mut newer = a.clone();
        newer.serial = "02".into();
        inventory.update(|entries| record(entries, newer.clone())).unwrap();
        assert_eq!(inventory.read().unwrap(), [b, newer]);
        let text = std::fs::read_to_string(inventory.path()).unwrap();
        assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    }

    #[test]
    fn a_damaged_or_newer_inventory_is_an_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory.json");
        let inventory = Inventory::at(path.clone());
        std::fs::write(&path, "{not json").unwrap();
        let err = inventory.update(Vec::clear).unwrap_err();
        assert!(err.to_string().contains("cannot be read"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
        std::fs::write(&path, r#"{"version": 2, "certificates": []}"#).unwrap();
        let err = inventory.read().unwrap_err();
        assert!(err.to_string().contains("format version 2"), "{err}");
    }
}
