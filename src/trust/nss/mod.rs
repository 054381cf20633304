//! NSS databases, through `certutil`: Chromium's on Linux ([`locate`] says where), and every
//! Firefox profile's. Each database has one client, judged by that browser's rules for the
//! trust flags ([`flags`]) of the entry that holds the certificate, found by its fingerprint
//! whatever its nickname ([`listing`]).

pub(crate) mod flags;
pub(crate) mod listing;
pub(crate) mod locate;

use std::path::PathBuf;

use self::flags::Browser;
use self::locate::{Location, NssDb};
use super::certificate::Certificate;
use super::machine::{Machine, Os, Tool, install_hint};
use super::plan::{Step, arg};
use super::read::Reader;
use super::verdict::{Client, Verdict};
use super::{Backend, Entry, Found, Store};
use crate::net::handshake::{ClientKind, ClientSpec};

/// Nicknames looked at, besides tlsforge's own, when searching a database for a certificate.
const MAX_NICKNAMES: usize = 64;

#[derive(Debug, Clone)]
pub(crate) struct NssStore {
    pub db: NssDb,
    pub certutil: PathBuf,
    /// Whether a running browser can be seen here (Linux: its lock names a live process).
    pub sees_processes: bool,
}

/// Every NSS database of the user. `explicit` (`--store nss`) creates Chromium's database
/// even when no Chromium-family browser is on PATH.
pub(crate) fn detect(machine: &Machine, explicit: bool) -> Vec<Found> {
    if machine.os == Os::Windows {
        return if explicit {
            vec![Found::skipped(Store::Nss, None, install_hint(machine, Tool::Certutil))]
        } else {
            Vec::new()
        };
    }
    let locations = locate::databases(machine, explicit);
    if locations.is_empty() {
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
    let certutil = machine.which("certutil");
    let mut found = Vec::new();
    let mut without_certutil = Vec::new();
    for location in locations {
        match (location, &certutil) {
            (Location::NoDatabase { dir, label }, _) => found.push(Found::Unused(super::Skipped {
                store: Store::Nss,
                location: Some(format!("{} ({label})", dir.display())),
                note: "no certificate database yet: Firefox creates it the first time it runs with this \
                       profile; run `tlsforge trust` again after that"
                    .into(),
            })),
            (Location::Ready(db), Some(certutil)) => {
                let sees_processes = machine.os == Os::Linux;
                found.push(Found::Ready(Box::new(NssStore {
                    db,
                    certutil: certutil.clone(),
                    sees_processes,
                })));
            }
            (Location::Ready(db), None) => without_certutil.push(db.dir.display().to_string()),
        }
    }
    if !without_certutil.is_empty() {
        found.insert(
            0,
            Found::skipped(
                Store::Nss,
                Some(without_certutil.join(", ")),
                format!("certutil not found: {}", install_hint(machine, Tool::Certutil)),
            ),
        );
    }
    found
}

impl NssStore {
    fn certutil(&self, words: &[&str]) -> Vec<String> {
        let mut command = vec![arg(&self.certutil)];
        command.extend(words.iter().map(|s| (*s).to_owned()));
        command
    }

    /// The database exists now (one found missing may have been created since).
    fn created(&self, reader: &dyn Reader) -> bool {
        self.db.exists || ["cert9.db", "cert8.db"].iter().any(|f| reader.exists(&self.db.dir.join(f)))
    }

    fn client(&self) -> Client {
        match self.db.browser {
            Browser::Chromium => Client::Chromium,
            Browser::Firefox => Client::Firefox,
        }
    }

    /// The nickname and SSL flags of the entry holding `cert`: tlsforge's own entry first, then
    /// the others (bounded). `Err` when the database cannot be read.
    fn lookup(
        &self,
        cert: &Certificate,
        reader: &dyn Reader,
    ) -> Result<Option<(String, flags::SslTrust)>, String> {
        let spec = self.db.spec();
        let list = self.certutil(&["-L", "-d", &spec]);
        let out = reader.output(&list).ok_or_else(|| format!("cannot run {}", self.certutil.display()))?;
        if !out.success {
            return Err(format!("certutil cannot read the database: {}", out.last_line()));
        }
        let mut names = listing::nicknames(&out.stdout);
        if let Some(at) = names.iter().position(|n| *n == cert.entry_name) {
            let ours = names.remove(at);
            names.insert(0, ours);
        }
        for name in names.iter().take(MAX_NICKNAMES + 1) {
            let Some(out) = reader.output(&self.certutil(&["-L", "-d", &spec, "-n", name])) else { continue };
            if let Some(found) = listing::printed(&out.stdout).into_iter().find(|p| p.sha256 == cert.sha256) {
                return Ok(Some((name.clone(), found.ssl)));
            }
        }
        Ok(None)
    }
}

impl Backend for NssStore {
    fn store(&self) -> Store {
        Store::Nss
    }

    fn location(&self) -> String {
        format!("{} ({})", self.db.dir.display(), self.db.label)
    }

    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
        let verdict = Verdict::of(self.client(), self.db.label.clone(), self.db.dir.display().to_string());
        if !self.created(reader) {
            return vec![verdict.is(false, "no database yet")];
        }
        vec![match self.lookup(cert, reader) {
            Err(why) => verdict.unknown(why),
            Ok(None) => verdict.is(false, "not in the database"),
            Ok(Some((name, ssl))) => {
                let decision = ssl.decide(self.db.browser, cert.kind);
                verdict.is(decision.trusted, format!("entry {name:?}: {}", decision.why))
            }
        }]
    }

    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
        if !self.created(reader) {
            return Vec::new();
        }
        match self.lookup(cert, reader) {
            Ok(Some((name, _))) if name == cert.entry_name => vec![Entry {
                name: format!("NSS entry {name}"),
                removal: vec![Step::run(
                    "delete tlsforge's entry",
                    self.certutil(&["-D", "-d", &self.db.spec(), "-n", &name]),
                    false,
                )],
            }],
            _ => Vec::new(),
        }
    }

    /// The browser that reads this database, run on a copy of it.
    fn witnesses(&self, machine: &Machine) -> Vec<ClientSpec> {
        let kind = match self.db.browser {
            Browser::Chromium => ClientKind::Chromium,
            Browser::Firefox => ClientKind::Firefox,
        };
        super::installed(machine, kind)
            .map(|mut spec| {
                spec.nssdb = Some(self.db.dir.clone());
                spec.label.clone_from(&self.db.label);
                spec
            })
            .into_iter()
            .collect()
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
        let flags = flags::for_kind(cert.kind);
        steps.push(Step::run(
            format!(
                "add the certificate as {} ({flags})",
                if cert.kind.is_ca() { "a trusted CA" } else { "a trusted peer and anchor" }
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

    /// A running browser does not see every change: Chromium 156 kept refusing a CA added
    /// while it ran, Firefox ESR 153 kept accepting one removed while it ran.
    fn after_change(&self) -> Option<String> {
        match &self.db.running {
            Some((browser, pid)) => Some(format!(
                "{browser} is running on this database (pid {pid}): restart it, a running browser keeps \
                 what it saw before"
            )),
            None if !self.sees_processes => Some(format!(
                "restart {} if it is running: a running browser keeps what it saw before",
                match self.db.browser {
                    Browser::Chromium => "Chrome",
                    Browser::Firefox => "Firefox",
                }
            )),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::plan::Action;
    use crate::trust::read::scripted::Scripted;
    use crate::trust::testing::{FakeRoot, argv, cert};
    use crate::trust::verdict::Trust;

    fn store(root: &FakeRoot) -> NssStore {
        let certutil = root.tool("usr/bin/certutil");
        root.file("home/u/.mozilla/firefox/p.default/cert9.db", "");
        let found = detect(&root.machine(Os::Linux), false);
        let [Found::Ready(_)] = found.as_slice() else { panic!("{found:?}") };
        let db = match locate::databases(&root.machine(Os::Linux), false).remove(0) {
            Location::Ready(db) => db,
            Location::NoDatabase { .. } => unreachable!(),
        };
        NssStore { db, certutil, sees_processes: true }
    }

    fn printed(sha256: &str, ssl_words: &[&str]) -> String {
        let words: String = ssl_words.iter().fold(String::new(), |text, w| text + "            " + w + "\n");
        format!(
            "Certificate:\n    Data:\n        Version: 3 (0x2)\n    Fingerprint (SHA-256):\n        {sha256}\n\
             \n    Certificate Trust Flags:\n        SSL Flags:\n{words}        Email Flags:\n"
        )
    }

    #[test]
    fn plans_create_a_missing_chromium_database_and_use_the_flags_both_browsers_accept() {
        let root = FakeRoot::new();
        let certutil = root.tool("usr/bin/certutil");
        let machine = root.machine(Os::Linux);
        let found = detect(&machine, true);
        let [Found::Ready(backend)] = found.as_slice() else { panic!("{found:?}") };
        let dir = root.path("home/u/.local/share/pki/nssdb");
        assert_eq!(backend.location(), format!("{} (Chromium)", dir.display()));
        let spec = format!("sql:{}", dir.display());
        let c = arg(&certutil);

        let leaf = cert(Kind::SelfSignedLeaf, &root.path("work/server.crt"));
        let steps = backend.trust(&leaf);
        assert_eq!(steps[0].action, Action::CreateDir { path: dir.clone() });
        assert_eq!(argv(&steps[1]), [&c, "-N", "-d", &spec, "--empty-password"]);
        let file = arg(&root.path("work/server.crt"));
        assert_eq!(
            argv(&steps[2]),
            [&c, "-A", "-d", &spec, "-t", "CP,,", "-n", &leaf.entry_name, "-i", &file]
        );
        assert!(steps.iter().all(|s| !s.root), "per-user databases never need root");
        let nothing = Scripted::default();
        let verdicts = backend.verdicts(&leaf, &nothing);
        assert_eq!(verdicts[0].verdict, Trust::NotTrusted);
        assert_eq!(verdicts[0].reason, "no database yet");

        let ca = cert(Kind::LocalCa, &root.path("ca/ca.crt"));
        assert_eq!(argv(&backend.trust(&ca)[2])[5], "C,,");
    }

    #[test]
    fn a_firefox_profile_is_judged_by_firefoxs_rules_from_the_entrys_flags() {
        let root = FakeRoot::new();
        let store = store(&root);
        let spec = store.db.spec();
        let leaf = cert(Kind::SelfSignedLeaf, &root.path("server.crt"));
        let list = store.certutil(&["-L", "-d", &spec]);
        let ours = store.certutil(&["-L", "-d", &spec, "-n", &leaf.entry_name]);
        let listing = |names: &[&str]| {
            let rows: String = names.iter().fold(String::new(), |text, n| text + &format!("{n:<60} P,,\n"));
            format!("\nCertificate Nickname   Trust Attributes\n   SSL,S/MIME,JAR/XPI\n\n{rows}")
        };

        // As tlsforge 0.1 left it: P,, which Chromium accepts and Firefox does not.
        let old = Scripted::default()
            .prints(&list, &listing(&[&leaf.entry_name]))
            .prints(&ours, &printed(&leaf.sha256, &["Terminal Record", "Trusted"]));
        let [verdict] = store.verdicts(&leaf, &old).try_into().unwrap();
        assert_eq!((verdict.client, verdict.verdict), (Client::Firefox, Trust::NotTrusted));
        assert!(verdict.reason.contains("P,,") && verdict.reason.contains("needs C"), "{}", verdict.reason);
        assert_eq!(verdict.name, "Firefox profile p.default");
        assert_eq!(store.entries(&leaf, &old).len(), 1, "tlsforge's entry is there to remove");

        let now = Scripted::default()
            .prints(&list, &listing(&[&leaf.entry_name]))
            .prints(&ours, &printed(&leaf.sha256, &["Terminal Record", "Trusted", "Valid CA", "Trusted CA"]));
        assert!(store.verdicts(&leaf, &now)[0].trusted());

        // Under someone else's nickname: found by fingerprint, trusted, but not tlsforge's to remove.
        let by_hand = store.certutil(&["-L", "-d", &spec, "-n", "My dev cert"]);
        let theirs = Scripted::default()
            .prints(&list, &listing(&["Some Root", "My dev cert"]))
            .prints(
                &store.certutil(&["-L", "-d", &spec, "-n", "Some Root"]),
                &printed("00:11", &["Valid CA"]),
            )
            .prints(
                &by_hand,
                &printed(&leaf.sha256, &["Terminal Record", "Trusted", "Valid CA", "Trusted CA"]),
            );
        let verdict = &store.verdicts(&leaf, &theirs)[0];
        assert!(verdict.trusted());
        assert!(verdict.reason.starts_with("entry \"My dev cert\""), "{}", verdict.reason);
        assert!(store.entries(&leaf, &theirs).is_empty());

        // Not there; and a database certutil cannot open.
        let absent = Scripted::default().prints(&list, &listing(&[]));
        assert_eq!(store.verdicts(&leaf, &absent)[0].reason, "not in the database");
        let broken = Scripted::default().fails(&list, "certutil: function failed: SEC_ERROR_BAD_DATABASE");
        let verdict = &store.verdicts(&leaf, &broken)[0];
        assert_eq!(verdict.verdict, Trust::Unknown);
        assert!(verdict.reason.ends_with("SEC_ERROR_BAD_DATABASE"), "{}", verdict.reason);
    }

    #[test]
    fn untrust_deletes_tlsforges_entry_by_name() {
        let root = FakeRoot::new();
        let store = store(&root);
        let spec = store.db.spec();
        let ca = cert(Kind::LocalCa, &root.path("ca.crt"));
        let answers = Scripted::default()
            .prints(
                &store.certutil(&["-L", "-d", &spec]),
                &format!("\n  SSL,S/MIME,JAR/XPI\n\n{}  C,,\n", ca.entry_name),
            )
            .prints(
                &store.certutil(&["-L", "-d", &spec, "-n", &ca.entry_name]),
                &printed(&ca.sha256, &["Valid CA", "Trusted CA"]),
            );
        let entries = store.entries(&ca, &answers);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            argv(&entries[0].removal[0]),
            [&arg(&store.certutil), "-D", "-d", &spec, "-n", &ca.entry_name]
        );
        assert!(store.verdicts(&ca, &answers)[0].trusted());
    }

    #[test]
    fn profiles_without_a_database_are_reported_not_counted_and_a_missing_certutil_names_the_package() {
        let root = FakeRoot::new();
        root.os_release("ID=debian\n");
        root.mkdir("home/u/.mozilla/firefox/new.default");
        root.file("home/u/.mozilla/firefox/profiles.ini", "[Profile0]\nName=new\nPath=new.default\n");
        root.file("home/u/.mozilla/firefox/old.default/cert9.db", "");
        let found = detect(&root.machine(Os::Linux), false);
        assert_eq!(found.len(), 2, "{found:?}");
        let Found::Skipped(skipped) = &found[0] else { panic!("{found:?}") };
        assert_eq!(skipped.note, "certutil not found: install the libnss3-tools package");
        assert!(skipped.location.as_deref().unwrap().ends_with("old.default"));
        let Found::Unused(unused) = &found[1] else { panic!("{found:?}") };
        assert!(unused.location.as_deref().unwrap().contains("(Firefox profile new)"));
        assert!(unused.note.starts_with("no certificate database yet"));
    }
}
