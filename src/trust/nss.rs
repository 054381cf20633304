//! NSS databases, through `certutil`: Chrome/Chromium on Linux read `~/.pki/nssdb`, Firefox
//! reads its profile's database on every platform.
//!
//! Trust flags differ by kind, and were checked in headless Chromium: a CA needs `C,,` (a
//! trusted issuer); a self-signed leaf needs `P,,` (a trusted peer), with `C,,` it is rejected.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::certificate::Certificate;
use super::machine::{Machine, Os, Tool, install_hint};
use super::plan::{Probe, Step, arg};
use super::{Backend, Found, Store};

/// Browsers that read `~/.pki/nssdb` on Linux: when one is installed the database is created
/// if it does not exist yet.
const CHROMIUM_FAMILY: [&str; 9] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "google-chrome-beta",
    "brave-browser",
    "microsoft-edge",
    "microsoft-edge-stable",
    "vivaldi",
];

/// Where Firefox keeps profiles, relative to HOME: classic, snap, flatpak, macOS.
const FIREFOX_ROOTS: [(&str, &str); 4] = [
    (".mozilla/firefox", "Firefox"),
    ("snap/firefox/common/.mozilla/firefox", "Firefox (snap)"),
    (".var/app/org.mozilla.firefox/.mozilla/firefox", "Firefox (flatpak)"),
    ("Library/Application Support/Firefox", "Firefox"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NssDb {
    pub dir: PathBuf,
    /// `sql` (cert9.db) or `dbm` (cert8.db).
    pub kind: &'static str,
    /// Who reads it: "Chromium", "Firefox profile abc.default-release", ...
    pub label: String,
    /// False for `~/.pki/nssdb` when it is still to be created.
    pub exists: bool,
}

impl NssDb {
    fn spec(&self) -> String {
        format!("{}:{}", self.kind, arg(&self.dir))
    }
}

#[derive(Debug, Clone)]
pub struct NssStore {
    pub db: NssDb,
    pub certutil: PathBuf,
    /// NSS's chain verifier, from the same package: checks trust of the certificate itself,
    /// whatever its nickname. Without it, `certutil -V` checks tlsforge's entry by nickname.
    pub vfychain: Option<PathBuf>,
}

/// Every NSS database of the user. `explicit` (`--store nss`) creates `~/.pki/nssdb` even when
/// no Chromium-family browser is on PATH.
pub fn detect(machine: &Machine, explicit: bool) -> Vec<Found> {
    if machine.os == Os::Windows {
        return if explicit {
            vec![Found::skipped(Store::Nss, None, install_hint(machine, Tool::Certutil))]
        } else {
            Vec::new()
        };
    }
    let dbs = databases(machine, explicit);
    if dbs.is_empty() {
        return if explicit {
            vec![Found::skipped(
                Store::Nss,
                None,
                "no NSS database found (no Chromium or Firefox profile in HOME)",
            )]
        } else {
            Vec::new()
        };
    }
    let Some(certutil) = machine.which("certutil") else {
        let places: Vec<String> = dbs.iter().map(|db| db.dir.display().to_string()).collect();
        return vec![Found::skipped(
            Store::Nss,
            Some(places.join(", ")),
            format!("certutil not found: {}", install_hint(machine, Tool::Certutil)),
        )];
    };
    let vfychain = certutil
        .parent()
        .map(|dir| dir.join("vfychain"))
        .filter(|v| v.is_file())
        .or_else(|| machine.which("vfychain"));
    dbs.into_iter()
        .map(|db| {
            Found::Ready(Box::new(NssStore { db, certutil: certutil.clone(), vfychain: vfychain.clone() }))
        })
        .collect()
}

/// The databases to use, without duplicates.
pub fn databases(machine: &Machine, explicit: bool) -> Vec<NssDb> {
    let Some(home) = &machine.home else { return Vec::new() };
    let mut dbs = Vec::new();
    if machine.os == Os::Linux {
        let chromium = home.join(".pki/nssdb");
        match existing(&chromium, "Chrome/Chromium") {
            Some(db) => dbs.push(db),
            None if explicit || CHROMIUM_FAMILY.iter().any(|b| machine.which(b).is_some()) => {
                dbs.push(NssDb {
                    dir: chromium,
                    kind: "sql",
                    label: "Chrome/Chromium".into(),
                    exists: false,
                });
            }
            None => {}
        }
        dbs.extend(existing(&home.join("snap/chromium/current/.pki/nssdb"), "Chromium (snap)"));
    }
    for (rel, label) in FIREFOX_ROOTS {
        dbs.extend(firefox_profiles(&home.join(rel), label));
    }
    let mut seen = HashSet::new();
    dbs.retain(|db| seen.insert(fs::canonicalize(&db.dir).unwrap_or_else(|_| db.dir.clone())));
    dbs
}

fn existing(dir: &Path, label: &str) -> Option<NssDb> {
    let kind = if dir.join("cert9.db").is_file() {
        "sql"
    } else if dir.join("cert8.db").is_file() {
        "dbm"
    } else {
        return None;
    };
    Some(NssDb { dir: dir.to_path_buf(), kind, label: label.to_owned(), exists: true })
}

/// Profiles under a Firefox root: its subdirectories (and `Profiles/*` on macOS), and every
/// profile `profiles.ini` lists, relative or absolute.
fn firefox_profiles(root: &Path, label: &str) -> Vec<NssDb> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    for dir in [root.to_path_buf(), root.join("Profiles")] {
        if let Ok(entries) = fs::read_dir(&dir) {
            let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            found.sort();
            candidates.extend(found);
        }
    }
    if let Ok(ini) = fs::read_to_string(root.join("profiles.ini")) {
        candidates.extend(profiles_ini(&ini, root));
    }
    candidates
        .iter()
        .filter_map(|dir| {
            let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            existing(dir, &format!("{label} profile {name}"))
        })
        .collect()
}

/// The profile directories a `profiles.ini` lists.
pub fn profiles_ini(text: &str, root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut path: Option<String> = None;
    let mut relative = true;
    let mut flush = |path: &mut Option<String>, relative: &mut bool| {
        if let Some(p) = path.take() {
            dirs.push(if *relative { root.join(p) } else { PathBuf::from(p) });
        }
        *relative = true;
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut path, &mut relative);
        } else if let Some((key, value)) = line.split_once('=') {
            match key.trim() {
                "Path" => path = Some(value.trim().to_owned()),
                "IsRelative" => relative = value.trim() != "0",
                _ => {}
            }
        }
    }
    flush(&mut path, &mut relative);
    dirs
}

impl NssStore {
    fn certutil(&self, words: &[&str]) -> Vec<String> {
        let mut command = vec![arg(&self.certutil)];
        command.extend(words.iter().map(|s| (*s).to_owned()));
        command
    }
}

impl Backend for NssStore {
    fn store(&self) -> Store {
        Store::Nss
    }

    fn location(&self) -> String {
        format!("{} ({})", self.db.dir.display(), self.db.label)
    }

    fn check(&self, cert: &Certificate) -> Probe {
        // Verify for the usage clients need: an SSL CA, or an SSL server for a leaf.
        if let Some(vfychain) = &self.vfychain {
            let usage = if cert.kind.is_ca() { "3" } else { "1" };
            return Probe::succeeds([
                arg(vfychain),
                "-d".into(),
                self.db.spec(),
                "-u".into(),
                usage.into(),
                "-a".into(),
                arg(&cert.file),
            ]);
        }
        let usage = if cert.kind.is_ca() { "L" } else { "V" };
        Probe::succeeds(self.certutil(&["-V", "-u", usage, "-d", &self.db.spec(), "-n", &cert.entry_name]))
    }

    fn present(&self, cert: &Certificate) -> Probe {
        Probe::succeeds(self.certutil(&["-L", "-d", &self.db.spec(), "-n", &cert.entry_name]))
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        let mut steps = Vec::new();
        if !self.db.exists {
            steps.push(Step::create_dir("create the NSS database directory", self.db.dir.clone()));
            steps.push(Step::run(
                "create an empty NSS database",
                self.certutil(&["-N", "-d", &self.db.spec(), "--empty-password"]),
                false,
            ));
        }
        let flags = if cert.kind.is_ca() { "C,," } else { "P,," };
        steps.push(Step::run(
            format!(
                "add the certificate as {}",
                if cert.kind.is_ca() { "a trusted CA" } else { "a trusted peer" }
            ),
            self.certutil(&[
                "-A",
                "-d",
                &self.db.spec(),
                "-t",
                flags,
                "-n",
                &cert.entry_name,
                "-i",
                &arg(&cert.file),
            ]),
            false,
        ));
        steps
    }

    fn untrust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run(
            "delete tlsforge's entry",
            self.certutil(&["-D", "-d", &self.db.spec(), "-n", &cert.entry_name]),
            false,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::plan::Action;
    use crate::trust::testing::{FakeRoot, argv, cert};

    #[test]
    fn finds_chromium_snap_and_every_firefox_profile() {
        let root = FakeRoot::new();
        let home = root.path("home/u");
        root.file("home/u/.pki/nssdb/cert9.db", "");
        root.file("home/u/snap/chromium/current/.pki/nssdb/cert9.db", "");
        root.file("home/u/.mozilla/firefox/abc.default-release/cert9.db", "");
        root.file("home/u/.mozilla/firefox/old.default/cert8.db", "");
        root.mkdir("home/u/.mozilla/firefox/Crash Reports");
        root.file("home/u/snap/firefox/common/.mozilla/firefox/snp.default/cert9.db", "");
        root.file("home/u/.var/app/org.mozilla.firefox/.mozilla/firefox/flt.default/cert9.db", "");
        // A profile elsewhere, listed only in profiles.ini; and one listed twice.
        root.file("home/u/elsewhere/dev-edition/cert9.db", "");
        root.file(
            "home/u/.mozilla/firefox/profiles.ini",
            &format!(
                "[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=default\nIsRelative=1\nPath=abc.default-release\n\n\
                 [Profile1]\nName=dev\nIsRelative=0\nPath={}\n",
                home.join("elsewhere/dev-edition").display()
            ),
        );
        let dbs = databases(&root.machine(Os::Linux), false);
        let found: Vec<(String, &str, &str)> = dbs
            .iter()
            .map(|db| (db.dir.strip_prefix(&home).unwrap().display().to_string(), db.kind, db.label.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (".pki/nssdb".into(), "sql", "Chrome/Chromium"),
                ("snap/chromium/current/.pki/nssdb".into(), "sql", "Chromium (snap)"),
                (".mozilla/firefox/abc.default-release".into(), "sql", "Firefox profile abc.default-release"),
                (".mozilla/firefox/old.default".into(), "dbm", "Firefox profile old.default"),
                ("elsewhere/dev-edition".into(), "sql", "Firefox profile dev-edition"),
                (
                    "snap/firefox/common/.mozilla/firefox/snp.default".into(),
                    "sql",
                    "Firefox (snap) profile snp.default"
                ),
                (
                    ".var/app/org.mozilla.firefox/.mozilla/firefox/flt.default".into(),
                    "sql",
                    "Firefox (flatpak) profile flt.default"
                ),
            ]
        );
        assert!(dbs.iter().all(|db| db.exists));
    }

    #[test]
    fn chromium_database_is_created_when_a_browser_is_installed_or_nss_is_named() {
        let root = FakeRoot::new();
        let machine = root.machine(Os::Linux);
        assert!(databases(&machine, false).is_empty());
        assert!(detect(&machine, false).is_empty());
        let named = databases(&machine, true);
        assert_eq!(named.len(), 1);
        assert!(!named[0].exists);
        root.tool("usr/bin/chromium");
        let installed = databases(&machine, false);
        assert_eq!(installed, named);
    }

    #[test]
    fn macos_firefox_profiles_and_no_pki_nssdb() {
        let root = FakeRoot::new();
        root.file("home/u/.pki/nssdb/cert9.db", "");
        root.file("home/u/Library/Application Support/Firefox/Profiles/x.default/cert9.db", "");
        let dbs = databases(&root.machine(Os::Macos), true);
        assert_eq!(dbs.len(), 1);
        assert!(dbs[0].dir.ends_with("Library/Application Support/Firefox/Profiles/x.default"));
    }

    #[test]
    fn plans_for_a_new_database_a_leaf_and_a_ca() {
        let root = FakeRoot::new();
        let certutil = root.tool("usr/bin/certutil");
        let machine = root.machine(Os::Linux);
        let db = databases(&machine, true).remove(0);
        let spec = format!("sql:{}", root.path("home/u/.pki/nssdb").display());
        let store = NssStore { db, certutil: certutil.clone(), vfychain: None };
        let c = certutil.to_string_lossy().into_owned();

        let leaf = cert(Kind::SelfSignedLeaf, &root.path("work/server.crt"));
        let steps = store.trust(&leaf);
        assert_eq!(steps[0].action, Action::CreateDir { path: root.path("home/u/.pki/nssdb") });
        assert_eq!(argv(&steps[1]), [&c, "-N", "-d", &spec, "--empty-password"]);
        let file = root.path("work/server.crt").to_string_lossy().into_owned();
        assert_eq!(
            argv(&steps[2]),
            [&c, "-A", "-d", &spec, "-t", "P,,", "-n", &leaf.entry_name, "-i", &file]
        );
        assert!(steps.iter().all(|s| !s.root), "per-user databases never need root");
        assert_eq!(
            store.check(&leaf),
            Probe::succeeds([&c, "-V", "-u", "V", "-d", &spec, "-n", &leaf.entry_name])
        );

        let ca = cert(Kind::LocalCa, &root.path("ca/ca.crt"));
        let steps = store.trust(&ca);
        assert_eq!(argv(&steps[2])[5], "C,,");
        assert_eq!(
            store.check(&ca),
            Probe::succeeds([&c, "-V", "-u", "L", "-d", &spec, "-n", &ca.entry_name])
        );
        assert_eq!(argv(&store.untrust(&ca)[0]), [&c, "-D", "-d", &spec, "-n", &ca.entry_name]);
        assert_eq!(store.present(&ca), Probe::succeeds([&c, "-L", "-d", &spec, "-n", &ca.entry_name]));
    }

    #[test]
    fn vfychain_checks_the_certificate_itself_when_it_is_there() {
        let root = FakeRoot::new();
        let certutil = root.tool("usr/bin/certutil");
        let vfychain = root.tool("usr/bin/vfychain");
        root.file("home/u/.pki/nssdb/cert9.db", "");
        let found = detect(&root.machine(Os::Linux), false);
        let [Found::Ready(store)] = found.as_slice() else { panic!("{found:?}") };
        let spec = format!("sql:{}", root.path("home/u/.pki/nssdb").display());
        let leaf = cert(Kind::SelfSignedLeaf, &root.path("work/server.crt"));
        let ca = cert(Kind::LocalCa, &root.path("ca/ca.crt"));
        let v = arg(&vfychain);
        assert_eq!(store.check(&leaf), Probe::succeeds([&v, "-d", &spec, "-u", "1", "-a", &arg(&leaf.file)]));
        assert_eq!(store.check(&ca), Probe::succeeds([&v, "-d", &spec, "-u", "3", "-a", &arg(&ca.file)]));
        assert_eq!(argv(&store.trust(&leaf)[0])[0], arg(&certutil));
    }

    #[test]
    fn an_existing_dbm_database_is_used_as_it_is() {
        let root = FakeRoot::new();
        let certutil = root.tool("usr/bin/certutil");
        root.file("home/u/.mozilla/firefox/p.default/cert8.db", "");
        let db = databases(&root.machine(Os::Linux), false).remove(0);
        let store = NssStore { db, certutil, vfychain: None };
        let ca = cert(Kind::ForeignCa, &root.path("ca.crt"));
        let steps = store.trust(&ca);
        assert_eq!(steps.len(), 1);
        assert!(
            argv(&steps[0])
                .contains(&format!("dbm:{}", root.path("home/u/.mozilla/firefox/p.default").display()))
        );
    }

    #[test]
    fn missing_certutil_skips_with_the_package_name() {
        let root = FakeRoot::new();
        root.os_release("ID=debian\n");
        root.file("home/u/.pki/nssdb/cert9.db", "");
        let found = detect(&root.machine(Os::Linux), false);
        assert_eq!(found.len(), 1);
        let Found::Skipped(skipped) = &found[0] else { panic!("not skipped") };
        assert_eq!(skipped.note, "certutil not found: install the libnss3-tools package");
    }
}
