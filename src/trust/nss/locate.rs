//! Where browsers keep their NSS databases today, and whether a browser is running on one.
//!
//! - Chromium 146+ (and Chrome, Brave, Edge, Vivaldi built on it) reads `~/.pki/nssdb` when
//!   that directory exists, else `$XDG_DATA_HOME/pki/nssdb`. Creating the legacy directory
//!   would make it switch away from its real database, so tlsforge never creates it: a missing
//!   database is created at the XDG path. (Checked in Chromium 156: an empty `~/.pki/nssdb`
//!   is used; without it the database goes to `~/.local/share/pki/nssdb`.)
//! - snap Chromium applies the same rule inside `~/snap/chromium/current`; flatpak builds keep
//!   theirs under `~/.var/app/ID/data/pki/nssdb`. Those are used when they exist.
//! - Firefox keeps one database per profile. ESR 153 on a fresh HOME puts profiles under
//!   `$XDG_CONFIG_HOME/mozilla/firefox`; older installs use `~/.mozilla/firefox`; snap and
//!   flatpak have their own roots, macOS `~/Library/Application Support/Firefox/Profiles`.
//!   Every profile `profiles.ini` lists counts (relative or absolute paths: ESR, Developer
//!   Edition and Nightly share the file), and so does any folder beside it holding a database.
//!   A listed profile without a database is one Firefox has not run with yet.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::flags::Browser;
use crate::input;
use crate::trust::machine::{Machine, Os};

/// Browsers that read the Chromium database: when one is installed, a missing database is
/// created.
pub(crate) const CHROMIUM_FAMILY: [&str; 9] = [
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

/// Chromium-family user data directories under `$XDG_CONFIG_HOME`: a `SingletonLock` there
/// means that browser is running.
const CHROMIUM_PROFILES: [(&str, &str); 7] = [
    ("chromium", "Chromium"),
    ("google-chrome", "Chrome"),
    ("google-chrome-beta", "Chrome Beta"),
    ("google-chrome-unstable", "Chrome Dev"),
    ("BraveSoftware/Brave-Browser", "Brave"),
    ("microsoft-edge", "Edge"),
    ("vivaldi", "Vivaldi"),
];

/// Flatpak Chromium-family browsers, whose database lives in their own data directory.
const CHROMIUM_FLATPAKS: [(&str, &str); 4] = [
    ("org.chromium.Chromium", "Chromium (flatpak)"),
    ("com.google.Chrome", "Chrome (flatpak)"),
    ("com.brave.Browser", "Brave (flatpak)"),
    ("com.microsoft.Edge", "Edge (flatpak)"),
];

/// An NSS database some browser reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NssDb {
    pub dir: PathBuf,
    /// `sql` (cert9.db) or `dbm` (cert8.db).
    pub kind: &'static str,
    pub browser: Browser,
    /// For people: "Chromium", "Firefox profile default-esr", ...
    pub label: String,
    /// False when the database is still to be created (Chromium's, at the XDG path).
    pub exists: bool,
    /// A browser using this database now, and its process id.
    pub running: Option<(String, u32)>,
}

impl NssDb {
    /// `sql:DIR` or `dbm:DIR`, as certutil takes it.
    pub(crate) fn spec(&self) -> String {
        format!("{}:{}", self.kind, self.dir.to_string_lossy())
    }
}

/// A database, or a Firefox profile without one yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    Ready(NssDb),
    /// A profile Firefox lists but has not run with: nothing to trust there yet.
    NoDatabase {
        dir: PathBuf,
        label: String,
    },
}

/// Every NSS database of the user, without duplicates. With `create`, Chromium's database is
/// included even when it does not exist yet (it is created at the XDG path).
pub(crate) fn databases(machine: &Machine, create: bool) -> Vec<Location> {
    let Some(home) = &machine.home else { return Vec::new() };
    let mut found = Vec::new();
    if machine.os == Os::Linux {
        let installed = CHROMIUM_FAMILY.iter().any(|b| machine.which(b).is_some());
        if let Some(db) = chromium(machine, home, machine.data_home(), "Chromium", create || installed) {
            found.push(Location::Ready(db));
        }
        let snap = home.join("snap/chromium/current");
        if let Some(db) = chromium(machine, &snap, Some(snap.join(".local/share")), "Chromium (snap)", false)
        {
            found.push(Location::Ready(db));
        }
        for (id, label) in CHROMIUM_FLATPAKS {
            let dir = home.join(".var/app").join(id).join("data/pki/nssdb");
            found.extend(existing(&dir, Browser::Chromium, label).map(Location::Ready));
        }
    }
    for (root, label) in firefox_roots(machine, home) {
        found.extend(firefox_profiles(machine, &root, label));
    }
    let mut seen = HashSet::new();
    found.retain(|location| {
        let dir = match location {
            Location::Ready(db) => &db.dir,
            Location::NoDatabase { dir, .. } => dir,
        };
        seen.insert(fs::canonicalize(dir).unwrap_or_else(|_| dir.clone()))
    });
    found
}

/// The database Chromium reads for `home`: the legacy one if its directory exists, else the
/// one under `data_home`, which is created only when `create`.
fn chromium(
    machine: &Machine,
    home: &Path,
    data_home: Option<PathBuf>,
    label: &str,
    create: bool,
) -> Option<NssDb> {
    let legacy = home.join(".pki/nssdb");
    let dir = if legacy.is_dir() { legacy } else { data_home?.join("pki/nssdb") };
    let mut db = existing(&dir, Browser::Chromium, label).or_else(|| {
        create.then(|| NssDb {
            dir: dir.clone(),
            kind: "sql",
            browser: Browser::Chromium,
            label: label.to_owned(),
            exists: false,
            running: None,
        })
    })?;
    if label == "Chromium" {
        db.running = chromium_running(machine);
    } else if let Some(pid) = singleton_pid(&home.join("../common/chromium/SingletonLock")) {
        db.running = machine.process_running(pid, &["chrom"]).then(|| ("Chromium".to_owned(), pid));
    }
    Some(db)
}

/// A running Chromium-family browser of this user, by its `SingletonLock`.
fn chromium_running(machine: &Machine) -> Option<(String, u32)> {
    let config = machine.config_home()?;
    CHROMIUM_PROFILES.iter().find_map(|(dir, name)| {
        let pid = singleton_pid(&config.join(dir).join("SingletonLock"))?;
        let names = ["chrom", "brave", "msedge", "vivaldi"];
        machine.process_running(pid, &names).then(|| ((*name).to_owned(), pid))
    })
}

/// `SingletonLock` is a symlink to `HOSTNAME-PID`.
fn singleton_pid(lock: &Path) -> Option<u32> {
    let target = fs::read_link(lock).ok()?;
    target.to_str()?.rsplit_once('-')?.1.parse().ok()
}

/// Firefox's `lock` symlink points to `ADDRESS:+PID` while it runs a profile.
fn firefox_pid(profile: &Path) -> Option<u32> {
    let target = fs::read_link(profile.join("lock")).ok()?;
    target.to_str()?.rsplit_once(":+")?.1.parse().ok()
}

/// A database directory that holds a database, as certutil names its format.
fn existing(dir: &Path, browser: Browser, label: &str) -> Option<NssDb> {
    let kind = if dir.join("cert9.db").is_file() {
        "sql"
    } else if dir.join("cert8.db").is_file() {
        "dbm"
    } else {
        return None;
    };
    Some(NssDb {
        dir: dir.to_path_buf(),
        kind,
        browser,
        label: label.to_owned(),
        exists: true,
        running: None,
    })
}

/// Where Firefox keeps profiles on this OS, each with how to name it.
fn firefox_roots(machine: &Machine, home: &Path) -> Vec<(PathBuf, &'static str)> {
    match machine.os {
        Os::Macos => vec![(home.join("Library/Application Support/Firefox"), "Firefox")],
        Os::Windows => Vec::new(),
        Os::Linux => {
            let mut roots = Vec::new();
            if let Some(config) = machine.config_home() {
                roots.push((config.join("mozilla/firefox"), "Firefox"));
            }
            roots.push((home.join(".mozilla/firefox"), "Firefox"));
            roots.push((home.join("snap/firefox/common/.mozilla/firefox"), "Firefox (snap)"));
            let flatpak = home.join(".var/app/org.mozilla.firefox");
            roots.push((flatpak.join("config/mozilla/firefox"), "Firefox (flatpak)"));
            roots.push((flatpak.join(".mozilla/firefox"), "Firefox (flatpak)"));
            roots
        }
    }
}

/// The profiles under one Firefox root: those `profiles.ini` lists (named as it names them),
/// then any other folder holding a database (and `Profiles/*` on macOS).
fn firefox_profiles(machine: &Machine, root: &Path, label: &str) -> Vec<Location> {
    let mut candidates: Vec<(PathBuf, Option<String>)> =
        match input::read_to_string(&root.join("profiles.ini"), input::SYSTEM) {
            Ok(ini) => profiles_ini(&ini, root).into_iter().map(|(dir, name)| (dir, Some(name))).collect(),
            Err(_) => Vec::new(),
        };
    for dir in [root.to_path_buf(), root.join("Profiles")] {
        if let Ok(entries) = fs::read_dir(&dir) {
            let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            found.sort();
            candidates.extend(found.into_iter().map(|dir| (dir, None)));
        }
    }
    let mut seen = HashSet::new();
    candidates
        .into_iter()
        .filter(|(dir, _)| seen.insert(dir.clone()))
        .filter_map(|(dir, name)| {
            let listed = name.is_some();
            let name = name.unwrap_or_else(|| {
                dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            });
            let label = format!("{label} profile {name}");
            match existing(&dir, Browser::Firefox, &label) {
                Some(mut db) => {
                    db.running = firefox_pid(&dir)
                        .filter(|pid| machine.process_running(*pid, &["firefox"]))
                        .map(|pid| ("Firefox".to_owned(), pid));
                    Some(Location::Ready(db))
                }
                None if listed => Some(Location::NoDatabase { dir, label }),
                None => None,
            }
        })
        .collect()
}

/// The profiles a `profiles.ini` lists: directory and name (the directory's name when the
/// profile has none).
pub(crate) fn profiles_ini(text: &str, root: &Path) -> Vec<(PathBuf, String)> {
    let mut profiles = Vec::new();
    let mut section = Section::default();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            profiles.extend(section.take(root));
            section.is_profile = line.starts_with("[Profile");
        } else if let Some((key, value)) = line.split_once('=') {
            let value = value.trim().to_owned();
            match key.trim() {
                "Path" => section.path = Some(value),
                "Name" => section.name = Some(value),
                "IsRelative" => section.absolute = value == "0",
                _ => {}
            }
        }
    }
    profiles.extend(section.take(root));
    profiles
}

/// One `[ProfileN]` section while it is read.
#[derive(Debug, Default)]
struct Section {
    is_profile: bool,
    path: Option<String>,
    name: Option<String>,
    absolute: bool,
}

impl Section {
    fn take(&mut self, root: &Path) -> Option<(PathBuf, String)> {
        let section = std::mem::take(self);
        let path = section.path.filter(|_| section.is_profile)?;
        let dir = if section.absolute { PathBuf::from(&path) } else { root.join(&path) };
        let name = section.name.unwrap_or(path);
        Some((dir, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::testing::FakeRoot;

    fn found(root: &FakeRoot, os: Os, create: bool) -> Vec<(String, String, bool)> {
        let home = root.path("home/u");
        databases(&root.machine(os), create)
            .into_iter()
            .map(|location| match location {
                Location::Ready(db) => {
                    (db.dir.strip_prefix(&home).unwrap().display().to_string(), db.label, db.exists)
                }
                Location::NoDatabase { dir, label } => (
                    dir.strip_prefix(&home).unwrap().display().to_string(),
                    format!("no database: {label}"),
                    false,
                ),
            })
            .collect()
    }

    fn row(dir: &str, label: &str, exists: bool) -> (String, String, bool) {
        (dir.to_owned(), label.to_owned(), exists)
    }

    #[test]
    fn chromium_uses_the_legacy_database_only_when_its_directory_exists() {
        let root = FakeRoot::new();
        // Nothing: no browser installed, nothing to use.
        assert!(found(&root, Os::Linux, false).is_empty());
        // Chromium installed, no database yet: created at the XDG path, never at ~/.pki.
        root.tool("usr/bin/chromium");
        assert_eq!(found(&root, Os::Linux, false), [row(".local/share/pki/nssdb", "Chromium", false)]);
        // Chromium made its own database there.
        root.file("home/u/.local/share/pki/nssdb/cert9.db", "");
        assert_eq!(found(&root, Os::Linux, false), [row(".local/share/pki/nssdb", "Chromium", true)]);
        // A legacy directory, even empty, wins: Chromium reads it.
        root.mkdir("home/u/.pki/nssdb");
        assert_eq!(found(&root, Os::Linux, false), [row(".pki/nssdb", "Chromium", false)]);
        root.file("home/u/.pki/nssdb/cert9.db", "");
        assert_eq!(found(&root, Os::Linux, false), [row(".pki/nssdb", "Chromium", true)]);
    }

    #[test]
    fn xdg_data_home_moves_chromiums_database() {
        let root = FakeRoot::new();
        let mut machine = root.machine(Os::Linux);
        machine.xdg_data_home = Some(root.path("data"));
        let dbs = databases(&machine, true);
        let [Location::Ready(db)] = dbs.as_slice() else { panic!("{dbs:?}") };
        assert_eq!(db.dir, root.path("data/pki/nssdb"));
        assert!(!db.exists);
    }

    #[test]
    fn every_firefox_profile_in_every_root() {
        let root = FakeRoot::new();
        let home = root.path("home/u");
        // ESR 153 on a fresh HOME: the XDG root, one used profile and one it never ran.
        root.file("home/u/.config/mozilla/firefox/8afq.default-esr/cert9.db", "");
        root.mkdir("home/u/.config/mozilla/firefox/pmyf.default");
        root.mkdir("home/u/.config/mozilla/firefox/Crash Reports");
        root.file(
            "home/u/.config/mozilla/firefox/profiles.ini",
            "[Install3B60]\nDefault=8afq.default-esr\nLocked=1\n\n[Profile1]\nName=default\nIsRelative=1\n\
             Path=pmyf.default\nDefault=1\n\n[Profile0]\nName=default-esr\nIsRelative=1\nPath=8afq.default-esr\n\n\
             [General]\nStartWithLastProfile=1\nVersion=2\n",
        );
        // The classic root: a listed profile, an old dbm one, and one elsewhere by absolute path.
        root.file("home/u/.mozilla/firefox/abc.default-release/cert9.db", "");
        root.file("home/u/.mozilla/firefox/old.default/cert8.db", "");
        root.file("home/u/elsewhere/dev-edition/cert9.db", "");
        root.file(
            "home/u/.mozilla/firefox/profiles.ini",
            &format!(
                "[Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\n\n\
                 [Profile1]\nName=dev-edition-default\nIsRelative=0\nPath={}\n",
                home.join("elsewhere/dev-edition").display()
            ),
        );
        root.file("home/u/snap/firefox/common/.mozilla/firefox/snp.default/cert9.db", "");
        root.file("home/u/.var/app/org.mozilla.firefox/.mozilla/firefox/flt.default/cert9.db", "");
        root.file("home/u/snap/chromium/current/.local/share/pki/nssdb/cert9.db", "");
        root.file("home/u/.var/app/com.google.Chrome/data/pki/nssdb/cert9.db", "");
        assert_eq!(
            found(&root, Os::Linux, false),
            [
                row("snap/chromium/current/.local/share/pki/nssdb", "Chromium (snap)", true),
                row(".var/app/com.google.Chrome/data/pki/nssdb", "Chrome (flatpak)", true),
                row(".config/mozilla/firefox/pmyf.default", "no database: Firefox profile default", false),
                row(".config/mozilla/firefox/8afq.default-esr", "Firefox profile default-esr", true),
                row(".mozilla/firefox/abc.default-release", "Firefox profile default-release", true),
                row("elsewhere/dev-edition", "Firefox profile dev-edition-default", true),
                row(".mozilla/firefox/old.default", "Firefox profile old.default", true),
                row(
                    "snap/firefox/common/.mozilla/firefox/snp.default",
                    "Firefox (snap) profile snp.default",
                    true
                ),
                row(
                    ".var/app/org.mozilla.firefox/.mozilla/firefox/flt.default",
                    "Firefox (flatpak) profile flt.default",
                    true
                ),
            ]
        );
        let dbm = databases(&root.machine(Os::Linux), false).into_iter().find_map(|l| match l {
            Location::Ready(db) if db.dir.ends_with("old.default") => Some(db),
            _ => None,
        });
        assert_eq!(
            dbm.unwrap().spec(),
            format!("dbm:{}", home.join(".mozilla/firefox/old.default").display())
        );
    }

    #[test]
    fn macos_has_firefox_profiles_and_no_chromium_database() {
        let root = FakeRoot::new();
        root.file("home/u/.pki/nssdb/cert9.db", "");
        root.file("home/u/Library/Application Support/Firefox/Profiles/x.default/cert9.db", "");
        assert_eq!(
            found(&root, Os::Macos, true),
            [row(
                "Library/Application Support/Firefox/Profiles/x.default",
                "Firefox profile x.default",
                true
            )]
        );
    }

    #[test]
    fn a_running_browser_is_found_by_its_lock_and_a_stale_lock_is_not() {
        let root = FakeRoot::new();
        let profile =
            root.file("home/u/.mozilla/firefox/p.default/cert9.db", "").parent().unwrap().to_path_buf();
        std::os::unix::fs::symlink("127.0.1.1:+4242", profile.join("lock")).unwrap();
        root.file("home/u/.local/share/pki/nssdb/cert9.db", "");
        root.mkdir("home/u/.config/chromium");
        std::os::unix::fs::symlink("laptop-777", root.path("home/u/.config/chromium/SingletonLock")).unwrap();
        let running = |root: &FakeRoot| -> Vec<Option<(String, u32)>> {
            databases(&root.machine(Os::Linux), false)
                .into_iter()
                .map(|l| match l {
                    Location::Ready(db) => db.running,
                    Location::NoDatabase { .. } => None,
                })
                .collect()
        };
        assert_eq!(running(&root), [None, None], "no such processes: stale locks");
        root.file("proc/4242/comm", "firefox-esr\n");
        root.file("proc/777/comm", "chromium\n");
        assert_eq!(running(&root), [Some(("Chromium".into(), 777)), Some(("Firefox".into(), 4242))]);
        root.file("proc/4242/comm", "bash\n");
        assert_eq!(running(&root)[1], None, "a reused process id is not Firefox");
    }

    #[test]
    fn profiles_ini_sections_other_than_profiles_are_ignored() {
        let root = Path::new("/r");
        let text = "[General]\nPath=nope\n[Install1]\nDefault=x\n[Profile0]\nPath=a\n[Profile1]\nName=B\nIsRelative=0\nPath=/abs/b\n";
        assert_eq!(
            profiles_ini(text, root),
            [(PathBuf::from("/r/a"), "a".to_owned()), (PathBuf::from("/abs/b"), "B".to_owned())]
        );
    }
}
