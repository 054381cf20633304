//! Trust stores: which certificate to trust ([`certificate`]), what the machine has
//! ([`machine`]), one backend per store that turns a certificate into a [`plan`], and the
//! [`runner`] that carries plans out. Only the runner touches the system.
//!
//! Backends: the Linux system store by family ([`system`]), NSS databases of Chromium and
//! Firefox ([`nss`]), Java's cacerts ([`java`]), the macOS keychain ([`macos`]), and the Windows
//! certificate store, natively or from WSL through `certutil.exe` ([`windows`]).

pub(crate) mod certificate;
pub(crate) mod java;
pub(crate) mod machine;
pub(crate) mod macos;
pub(crate) mod nss;
pub(crate) mod plan;
pub(crate) mod prove;
pub(crate) mod read;
pub(crate) mod runner;
pub(crate) mod system;
pub(crate) mod verdict;
pub(crate) mod windows;

use serde::Serialize;

use self::certificate::Certificate;
use self::machine::{Machine, Os};
use self::plan::Step;
use self::read::Reader;
use self::runner::Runner;
use self::verdict::{Verdict, all_trusted};
use crate::net::handshake::{ClientKind, ClientSpec};

/// The stores `--store` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Store {
    /// The operating system's store: Linux anchors, the macOS keychain, the Windows Root store.
    System,
    /// NSS databases: Chrome/Chromium on Linux, Firefox everywhere.
    Nss,
    /// Java's cacerts.
    Java,
    /// The Windows store of the host, from WSL.
    Windows,
}

impl Store {
    pub(crate) const ALL: [Self; 4] = [Self::System, Self::Nss, Self::Java, Self::Windows];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Nss => "nss",
            Self::Java => "java",
            Self::Windows => "windows",
        }
    }
}

/// One store location and how to change it. Backends build plans and judge from what a
/// [`Reader`] tells them; they never change the machine (detection reads files and PATH).
pub(crate) trait Backend {
    fn store(&self) -> Store;
    /// Where, for people: a path or a store name, and what reads it.
    fn location(&self) -> String;
    /// What each client that reads this store decides about `cert`, from the data it reads and
    /// with its own rules.
    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict>;
    /// The entries for `cert` that tlsforge made here, or that the store's own hooks made
    /// because of tlsforge: what untrust removes, each with the steps that remove it.
    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry>;
    fn trust(&self, cert: &Certificate) -> Vec<Step>;
    /// Said once the store has changed: a running browser to restart, ...
    fn after_change(&self) -> Option<String> {
        None
    }
    /// The installed clients that read this store, to prove its verdicts with a handshake
    /// (`trust --check --clients`).
    fn witnesses(&self, _machine: &Machine) -> Vec<ClientSpec> {
        Vec::new()
    }
}

/// The first of `kind`'s programs on PATH.
fn installed(machine: &Machine, kind: ClientKind) -> Option<ClientSpec> {
    kind.programs().iter().find_map(|p| machine.which(p)).map(|program| ClientSpec::new(kind, program))
}

/// An entry holding the certificate, and how to remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// For people: "NSS entry tlsforge-…", "alias debian:tlsforge-….pem in /etc/ssl/certs/java/cacerts".
    pub name: String,
    pub removal: Vec<Step>,
}

/// The steps that remove every entry, in order; a step that several entries share (a refresh)
/// runs once, after the last entry that needs it.
pub(crate) fn removal(entries: &[Entry]) -> Vec<Step> {
    let all: Vec<&Step> = entries.iter().flat_map(|e| &e.removal).collect();
    all.iter()
        .enumerate()
        .filter(|(i, step)| !all[i + 1..].contains(step))
        .map(|(_, step)| (*step).clone())
        .collect()
}

/// A store location found on the machine, one that cannot be used (with the reason), or one
/// with nothing to trust yet (a Firefox profile that has never run: reported, not counted).
pub(crate) enum Found {
    Ready(Box<dyn Backend>),
    Skipped(Skipped),
    Unused(Skipped),
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ready(backend) => write!(f, "Ready({}: {})", backend.store().name(), backend.location()),
            Self::Skipped(skipped) => write!(f, "{skipped:?}"),
            Self::Unused(unused) => write!(f, "Unused({unused:?})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Skipped {
    pub store: Store,
    pub location: Option<String>,
    pub note: String,
}

impl Found {
    fn skipped(store: Store, location: Option<String>, note: impl Into<String>) -> Self {
        Self::Skipped(Skipped { store, location, note: note.into() })
    }
}

/// Which stores to look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Named stores; empty means every store detected on the machine.
    pub stores: Vec<Store>,
    /// The machine-wide store on Windows and macOS instead of the current user's.
    pub machine_store: bool,
}

/// The selected stores of this machine. A store named explicitly that is not here is
/// reported as skipped; with no names, only what is found counts (the system store always).
pub(crate) fn detect(machine: &Machine, selection: &Selection) -> Vec<Found> {
    let mut wanted: Vec<Store> = selection.stores.clone();
    if machine.os == Os::Windows {
        // Natively, the Windows store is the system store.
        for store in &mut wanted {
            if *store == Store::Windows {
                *store = Store::System;
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    let everything = wanted.is_empty();
    let mut found = Vec::new();
    for store in Store::ALL {
        let explicit = wanted.contains(&store);
        if !(everything || explicit) {
            continue;
        }
        found.extend(match store {
            Store::System => match machine.os {
                Os::Linux => vec![system::detect(machine)],
                Os::Macos => vec![macos::detect(machine, selection.machine_store)],
                Os::Windows => vec![windows::detect_native(machine, selection.machine_store)],
            },
            Store::Nss => nss::detect(machine, explicit),
            Store::Java => java::detect(machine, explicit),
            Store::Windows => windows::detect_wsl(machine, explicit, selection.machine_store),
        });
    }
    found
}

/// What happened to one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    Trusted,
    AlreadyTrusted,
    Removed,
    NotPresent,
    /// `--check`: trusted by every client of the store or not.
    Checked(bool),
    Failed(String),
}

/// One store after `trust`, `untrust` or `--check`: what happened, what each of its clients
/// decides now, and anything the user should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Done {
    pub outcome: Outcome,
    pub clients: Vec<Verdict>,
    pub notes: Vec<String>,
}

/// Trust `cert` in one store: nothing to do when its clients trust it already; judged again
/// afterwards by the same rules. When that judgement fails, the entries this run added are
/// taken back: a store is left as it was rather than holding an entry its clients refuse.
pub(crate) fn trust(runner: &mut Runner<'_>, backend: &dyn Backend, cert: &Certificate) -> Done {
    let before = backend.verdicts(cert, runner.reader());
    if all_trusted(&before) {
        return Done { outcome: Outcome::AlreadyTrusted, clients: before, notes: Vec::new() };
    }
    let had = backend.entries(cert, runner.reader());
    let ran = runner.run(backend.store(), &backend.location(), &backend.trust(cert));
    let mut clients = backend.verdicts(cert, runner.reader());
    let mut notes: Vec<String> = backend.after_change().into_iter().collect();
    let outcome = match ran {
        Err(err) => Outcome::Failed(err),
        Ok(()) => match clients.iter().find(|v| !v.trusted()) {
            None => Outcome::Trusted,
            Some(refusing) => Outcome::Failed(format!(
                "the steps ran, but {} still does not trust it: {}",
                refusing.name, refusing.reason
            )),
        },
    };
    if matches!(outcome, Outcome::Failed(_)) {
        let added: Vec<Entry> =
            backend.entries(cert, runner.reader()).into_iter().filter(|entry| !had.contains(entry)).collect();
        if !added.is_empty() {
            let names = added.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ");
            match runner.run(backend.store(), &backend.location(), &removal(&added)) {
                Ok(()) => notes.push(format!("took back what this run added ({names})")),
                Err(err) => notes.push(format!("could not take back what this run added ({names}): {err}")),
            }
            clients = backend.verdicts(cert, runner.reader());
        }
    }
    Done { outcome, clients, notes }
}

/// Remove every entry tlsforge (or a hook of the store, because of tlsforge) made for `cert`;
/// checked afterwards. A client that still trusts it through an entry of someone else's is
/// named, not touched.
pub(crate) fn untrust(runner: &mut Runner<'_>, backend: &dyn Backend, cert: &Certificate) -> Done {
    let entries = backend.entries(cert, runner.reader());
    let (outcome, mut notes) = if entries.is_empty() {
        (Outcome::NotPresent, Vec::new())
    } else {
        let ran = runner.run(backend.store(), &backend.location(), &removal(&entries));
        let left = backend.entries(cert, runner.reader());
        let outcome = match ran {
            Err(err) => Outcome::Failed(err),
            Ok(()) if !left.is_empty() => Outcome::Failed(format!(
                "the steps ran, but {} is still there",
                left.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
            )),
            Ok(()) => Outcome::Removed,
        };
        (outcome, backend.after_change().into_iter().collect())
    };
    let clients = backend.verdicts(cert, runner.reader());
    for still in clients.iter().filter(|v| v.trusted()) {
        notes.push(format!(
            "{} still trusts it through an entry tlsforge did not make ({}): remove that by hand if you \
             want it gone",
            still.name, still.reason
        ));
    }
    Done { outcome, clients, notes }
}

/// Whether every client of one store trusts `cert`.
pub(crate) fn check(runner: &Runner<'_>, backend: &dyn Backend, cert: &Certificate) -> Done {
    let clients = backend.verdicts(cert, runner.reader());
    Done { outcome: Outcome::Checked(all_trusted(&clients)), clients, notes: Vec::new() }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Fake machines for backend unit tests.

    use std::fs;
    use std::path::{Path, PathBuf};

    use super::certificate::{Certificate, Kind};
    use super::machine::{Machine, Os};

    /// A fake root directory with a home inside, for detection tests.
    pub(crate) struct FakeRoot {
        pub(crate) dir: tempfile::TempDir,
    }

    impl FakeRoot {
        pub(crate) fn new() -> Self {
            let root = Self { dir: tempfile::tempdir().unwrap() };
            root.mkdir("home/u");
            root.mkdir("usr/bin");
            root
        }

        pub(crate) fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel.trim_start_matches('/'))
        }

        pub(crate) fn mkdir(&self, rel: &str) -> PathBuf {
            let path = self.path(rel);
            fs::create_dir_all(&path).unwrap();
            path
        }

        pub(crate) fn file(&self, rel: &str, contents: &str) -> PathBuf {
            let path = self.path(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
            path
        }

        /// An executable that does nothing.
        pub(crate) fn tool(&self, rel: &str) -> PathBuf {
            use std::os::unix::fs::PermissionsExt;
            let path = self.file(rel, "#!/bin/sh\nexit 0\n");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
            path
        }

        pub(crate) fn machine(&self, os: Os) -> Machine {
            Machine {
                root: self.dir.path().to_path_buf(),
                os,
                home: Some(self.path("home/u")),
                xdg_config_home: None,
                xdg_data_home: None,
                path: vec![self.path("usr/bin")],
                java_home: None,
                wsl_distro: None,
                is_root: false,
            }
        }

        pub(crate) fn os_release(&self, text: &str) {
            self.file("etc/os-release", text);
        }
    }

    /// A self-signed leaf or a CA certificate, at `file`.
    pub(crate) fn cert(kind: Kind, file: &Path) -> Certificate {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        if kind.is_ca() {
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        }
        let der = params.self_signed(&key).unwrap().der().to_vec();
        Certificate::from_der(der, file.to_path_buf(), kind).unwrap()
    }

    pub(crate) fn argv(step: &super::plan::Step) -> Vec<String> {
        match &step.action {
            super::plan::Action::Run { argv } => argv.clone(),
            other => panic!("not a command: {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::certificate::Kind;
    use super::runner::{Elevation, Quiet};
    use super::testing::{FakeRoot, cert};
    use super::*;

    /// A store that is one file: trusted when the file exists.
    struct FileStore {
        path: PathBuf,
        /// A broken store: its trust steps do not make the certificate trusted.
        broken: bool,
        /// Its clients refuse whatever it holds.
        refuses: bool,
    }

    impl Backend for FileStore {
        fn store(&self) -> Store {
            Store::Nss
        }
        fn location(&self) -> String {
            self.path.display().to_string()
        }
        fn verdicts(&self, _: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
            let there = reader.exists(&self.path) && !self.refuses;
            vec![Verdict::of(verdict::Client::Chromium, "a file", self.location()).is(there, "the file")]
        }
        fn entries(&self, _: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
            match reader.read_file(&self.path) {
                Some(_) => vec![Entry {
                    name: "the file".into(),
                    removal: vec![Step::remove("remove", self.path.clone(), false)],
                }],
                None => Vec::new(),
            }
        }
        fn trust(&self, cert: &Certificate) -> Vec<Step> {
            let path = if self.broken { self.path.with_extension("elsewhere") } else { self.path.clone() };
            vec![Step::write("add", path, cert.pem.clone().into_bytes(), false)]
        }
        fn after_change(&self) -> Option<String> {
            Some("restart it".into())
        }
    }

    #[test]
    fn trust_is_idempotent_untrust_says_what_it_did_and_both_are_verified() {
        let root = FakeRoot::new();
        let c = cert(Kind::SelfSignedLeaf, &root.path("server.crt"));
        let store = FileStore { path: root.path("store.pem"), broken: false, refuses: false };
        let mut quiet = Quiet;
        let mut runner = Runner::new(Elevation::AlreadyRoot, &mut quiet, false);
        assert_eq!(check(&runner, &store, &c).outcome, Outcome::Checked(false));
        let done = trust(&mut runner, &store, &c);
        assert_eq!(done.outcome, Outcome::Trusted);
        assert!(done.clients[0].trusted());
        assert_eq!(done.notes, ["restart it"]);
        let again = trust(&mut runner, &store, &c);
        assert_eq!(again.outcome, Outcome::AlreadyTrusted);
        assert!(again.notes.is_empty(), "nothing changed: nothing to restart");
        assert_eq!(check(&runner, &store, &c).outcome, Outcome::Checked(true));
        let removed = untrust(&mut runner, &store, &c);
        assert_eq!(removed.outcome, Outcome::Removed);
        assert!(!removed.clients[0].trusted());
        assert_eq!(untrust(&mut runner, &store, &c).outcome, Outcome::NotPresent);

        let broken = FileStore { path: root.path("broken.pem"), broken: true, refuses: false };
        let Outcome::Failed(why) = trust(&mut runner, &broken, &c).outcome else { panic!("not failed") };
        assert_eq!(why, format!("the steps ran, but a file still does not trust it: the file"));

        // The entry lands but the clients refuse it: it is taken back, and one that was there
        // before the run is left alone.
        let refusing = FileStore { path: root.path("refusing.pem"), broken: false, refuses: true };
        let done = trust(&mut runner, &refusing, &c);
        assert!(matches!(done.outcome, Outcome::Failed(_)), "{done:?}");
        assert!(!refusing.path.exists(), "the entry this run added stays");
        assert_eq!(done.notes, ["restart it", "took back what this run added (the file)"]);
        std::fs::write(&refusing.path, "someone else's").unwrap();
        let done = trust(&mut runner, &refusing, &c);
        assert!(matches!(done.outcome, Outcome::Failed(_)));
        assert!(
            refusing.path.exists(),
            "an entry that was there before the run is not this run's to take back"
        );
    }

    #[test]
    fn a_shared_refresh_runs_once_when_several_entries_go() {
        let refresh = Step::run("refresh", ["update-ca-certificates"], true);
        let entries = [
            Entry {
                name: "a".into(),
                removal: vec![Step::remove("rm a", "/a".into(), true), refresh.clone()],
            },
            Entry {
                name: "b".into(),
                removal: vec![Step::remove("rm b", "/b".into(), true), refresh.clone()],
            },
        ];
        let steps: Vec<String> = removal(&entries).into_iter().map(|s| s.description).collect();
        assert_eq!(steps, ["rm a", "rm b", "refresh"]);
    }

    #[test]
    fn named_stores_that_are_missing_are_skipped_and_unnamed_ones_left_out() {
        let root = FakeRoot::new();
        root.os_release("ID=debian\n");
        root.mkdir("usr/local/share/ca-certificates");
        root.tool("usr/sbin/update-ca-certificates");
        let machine = root.machine(Os::Linux);
        let everything = detect(&machine, &Selection::default());
        assert_eq!(everything.len(), 1, "only the system store is here: {everything:?}");
        assert!(matches!(&everything[0], Found::Ready(b) if b.store() == Store::System));

        let named = detect(
            &machine,
            &Selection { stores: vec![Store::Java, Store::Nss, Store::Windows], machine_store: false },
        );
        let skipped: Vec<Store> = named
            .iter()
            .map(|f| match f {
                Found::Skipped(s) => s.store,
                Found::Ready(b) => panic!("{} found", b.store().name()),
                Found::Unused(u) => panic!("{u:?}"),
            })
            .collect();
        assert_eq!(skipped, [Store::Nss, Store::Java, Store::Windows], "in a fixed order");
    }

    #[test]
    fn on_windows_the_windows_store_is_the_system_store() {
        let root = FakeRoot::new();
        root.tool("usr/bin/certutil.exe");
        let machine = root.machine(Os::Windows);
        let found =
            detect(&machine, &Selection { stores: vec![Store::Windows, Store::System], machine_store: true });
        assert_eq!(found.len(), 1, "{found:?}");
        let Found::Ready(store) = &found[0] else { panic!("{found:?}") };
        assert_eq!(store.location(), "Windows local machine Root store");
    }
}
