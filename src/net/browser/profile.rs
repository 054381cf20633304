//! The throwaway places a checked browser runs in: a HOME of its own (so it reads no trust
//! store and writes no file of the user's), copies of the NSS database under test, and for
//! Firefox a fresh profile with a `user.js`. Everything is deleted when dropped.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// NSS's SQL database: the certificates and trust (required) and the keys (created if absent).
const CERT_DB: &str = "cert9.db";
const KEY_DB: &str = "key4.db";

#[derive(Debug)]
pub(crate) struct Scratch {
    root: TempDir,
}

impl Scratch {
    pub(crate) fn new(browser: &str) -> Result<Self, String> {
        let root = tempfile::Builder::new()
            .prefix(&format!("tlsforge-{browser}."))
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let scratch = Self { root };
        fs::create_dir(scratch.home()).map_err(|e| format!("cannot create a temporary HOME: {e}"))?;
        Ok(scratch)
    }

    /// The browser's HOME.
    pub(crate) fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// A directory for `--user-data-dir` or `--profile`, created empty.
    pub(crate) fn fresh_dir(&self, name: &str) -> Result<PathBuf, String> {
        let dir = self.root.path().join(name);
        fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }
}

/// Copy the NSS database in `from` into `to` (created): `cert9.db` must be there, `key4.db`
/// is copied when it is. The original is never opened by a browser, so a running browser's
/// lock on it does not matter and nothing is written to it.
pub(crate) fn copy_nssdb(from: &Path, to: &Path) -> Result<(), String> {
    let certs = from.join(CERT_DB);
    if !certs.is_file() {
        return Err(format!("{} holds no NSS database ({CERT_DB})", from.display()));
    }
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for name in [CERT_DB, KEY_DB] {
        let source = from.join(name);
        if name == CERT_DB || source.is_file() {
            fs::copy(&source, to.join(name)).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
        }
    }
    Ok(())
}

/// Firefox preferences for a check: `name` (when given) resolves to loopback, no proxy, and
/// none of the background traffic a new profile starts (telemetry, updates, captive-portal
/// and man-in-the-middle detection). Nothing here changes how certificates are verified.
pub(crate) fn firefox_user_js(map_to_loopback: Option<&str>) -> String {
    let mut prefs: Vec<(&str, String)> = vec![
        ("network.proxy.type", "0".into()),
        ("network.captive-portal-service.enabled", "false".into()),
        ("network.connectivity-service.enabled", "false".into()),
        ("security.certerrors.mitm.priming.enabled", "false".into()),
        ("security.certerrors.recordEventTelemetry", "false".into()),
        ("browser.shell.checkDefaultBrowser", "false".into()),
        ("browser.startup.homepage_override.mstone", "\"ignore\"".into()),
        ("browser.aboutwelcome.enabled", "false".into()),
        ("browser.safebrowsing.update.enabled", "false".into()),
        ("browser.safebrowsing.malware.enabled", "false".into()),
        ("browser.safebrowsing.phishing.enabled", "false".into()),
        ("browser.safebrowsing.downloads.enabled", "false".into()),
        ("browser.region.network.url", "\"\"".into()),
        ("browser.search.update", "false".into()),
        ("app.update.disabledForTesting", "true".into()),
        ("app.update.auto", "false".into()),
        ("extensions.update.enabled", "false".into()),
        ("extensions.getAddons.cache.enabled", "false".into()),
        ("datareporting.policy.dataSubmissionEnabled", "false".into()),
        ("datareporting.healthreport.uploadEnabled", "false".into()),
        ("toolkit.telemetry.enabled", "false".into()),
        ("toolkit.telemetry.unified", "false".into()),
        ("toolkit.telemetry.server", "\"\"".into()),
        ("network.dns.disablePrefetch", "true".into()),
        ("network.prefetch-next", "false".into()),
        ("network.predictor.enabled", "false".into()),
    ];
    if let Some(name) = map_to_loopback {
        prefs.push(("network.dns.localDomains", format!("\"{name}\"")));
    }
    let mut user_js = String::new();
    for (name, value) in prefs {
        let _ = writeln!(user_js, "user_pref(\"{name}\", {value});");
    }
    user_js
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_databases_are_copied_and_cert9_is_required() {
        let from = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        let err = copy_nssdb(from.path(), &to.path().join("db")).unwrap_err();
        assert!(err.contains("no NSS database"), "{err}");
        fs::write(from.path().join("cert9.db"), b"certs").unwrap();
        fs::write(from.path().join("pkcs11.txt"), b"modules").unwrap();
        copy_nssdb(from.path(), &to.path().join("db")).unwrap();
        assert_eq!(fs::read(to.path().join("db/cert9.db")).unwrap(), b"certs");
        assert!(!to.path().join("db/key4.db").exists());
        assert!(!to.path().join("db/pkcs11.txt").exists());
        fs::write(from.path().join("key4.db"), b"keys").unwrap();
        copy_nssdb(from.path(), &to.path().join("db2")).unwrap();
        assert_eq!(fs::read(to.path().join("db2/key4.db")).unwrap(), b"keys");
    }

    #[test]
    fn user_js_maps_the_name_only_when_asked() {
        let with = firefox_user_js(Some("app.test"));
        assert!(with.contains("user_pref(\"network.dns.localDomains\", \"app.test\");\n"), "{with}");
        assert!(with.contains("user_pref(\"network.proxy.type\", 0);\n"));
        assert!(!firefox_user_js(None).contains("localDomains"));
        assert!(!with.contains("security.OCSP") && !with.contains("enterprise_roots"));
    }
}
