//! The macOS keychain, through `security`: the login keychain with the user's trust settings
//! by default, the System keychain with admin trust settings (sudo) with `--machine`.
//! Untrust removes the trust setting, then the certificate (found by its SHA-1 hash).
//! macOS may show a confirmation dialog for trust settings, even under sudo.

use std::path::PathBuf;

use super::certificate::Certificate;
use super::machine::Machine;
use super::plan::{Probe, Step, arg};
use super::read::Reader;
use super::verdict::{Client, Verdict};
use super::{Backend, Entry, Found, Store};

pub(crate) const SYSTEM_KEYCHAIN: &str = "/Library/Keychains/System.path";

#[derive(Debug, Clone)]
pub(crate) struct Keychain {
    pub security: PathBuf,
    pub path: PathBuf,
    /// The System keychain and admin trust settings.
    pub machine: bool,
}

pub(crate) fn detect(machine: &Machine, machine_store: bool) -> Found {
    match locate(machine, machine_store) {
        Ok(keychain) => Found::Ready(Box::new(keychain)),
        Err(skipped) => skipped,
    }
}

fn locate(machine: &Machine, machine_store: bool) -> Result<Keychain, Found> {
    let security = machine.at("/usr/bin/security");
    if !security.is_file() {
        return Err(Found::skipped(Store::System, None, "/usr/bin/security not found"));
    }
    let keychain = if machine_store {
        machine.at(SYSTEM_KEYCHAIN)
    } else {
        match machine.home_join("Library/Keychains/login.path-db") {
            Some(path) => path,
            None => return Err(Found::skipped(Store::System, None, "HOME is not set: no login keychain")),
        }
    };
    Ok(Keychain { security, path: keychain, machine: machine_store })
}

impl Keychain {
    fn security(&self, words: &[&str]) -> Vec<String> {
        let mut command = vec![arg(&self.security)];
        command.extend(words.iter().map(|s| (*s).to_owned()));
        command
    }

    /// Trust evaluated the way clients evaluate it.
    pub(crate) fn check(&self, cert: &Certificate) -> Probe {
        // Evaluate trust the way clients do, without network fetches; -l: the cert is a CA.
        let file = arg(&cert.file);
        let mut args = vec!["verify-cert", "-c", &file, "-L", "-q"];
        if cert.kind.is_ca() {
            args.push("-l");
        } else {
            args.extend(["-p", "ssl"]);
        }
        Probe::succeeds(self.security(&args))
    }

    /// The certificate is in the keychain.
    pub(crate) fn present(&self, cert: &Certificate) -> Probe {
        Probe::prints(
            self.security(&["find-certificate", "-a", "-Z", &arg(&self.path)]),
            format!("SHA-1 hash: {}", cert.sha1),
        )
    }

    pub(crate) fn untrust(&self, cert: &Certificate) -> Vec<Step> {
        let file = arg(&cert.file);
        let mut remove_trust = vec!["remove-trusted-cert"];
        if self.machine {
            remove_trust.push("-d");
        }
        remove_trust.push(&file);
        vec![
            Step::run("remove the trust setting", self.security(&remove_trust), self.machine),
            Step::run(
                "delete the certificate from the keychain",
                self.security(&["delete-certificate", "-Z", &cert.sha1, &arg(&self.path)]),
                self.machine,
            ),
        ]
    }
}

impl Backend for Keychain {
    fn store(&self) -> Store {
        Store::System
    }

    fn location(&self) -> String {
        let whose = if self.machine { "admin trust settings" } else { "your trust settings" };
        format!("{} ({whose})", self.path.display())
    }

    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
        let trusted = reader.probe(&self.check(cert));
        let reason =
            if trusted { "security verify-cert accepts it" } else { "security verify-cert refuses it" };
        vec![
            Verdict::of(
                Client::Macos,
                "macOS clients (Safari, Chrome, curl)",
                self.path.display().to_string(),
            )
            .is(trusted, reason),
        ]
    }

    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
        if reader.probe(&self.present(cert)) {
            vec![Entry {
                name: format!("{} in {}", cert.subject, self.path.display()),
                removal: self.untrust(cert),
            }]
        } else {
            Vec::new()
        }
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        let keychain = arg(&self.path);
        let file = arg(&cert.file);
        let mut args = vec!["add-trusted-cert"];
        if self.machine {
            args.push("-d");
        }
        args.extend(["-r", "trustRoot", "-p", "ssl", "-p", "basic", "-k", &keychain, &file]);
        vec![Step::run("add the certificate with SSL trust", self.security(&args), self.machine)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::machine::Os;
    use crate::trust::testing::{FakeRoot, argv, cert};

    fn keychain(root: &FakeRoot, machine_store: bool) -> Keychain {
        root.tool("usr/bin/security");
        assert!(matches!(detect(&root.machine(Os::Macos), machine_store), Found::Ready(_)));
        locate(&root.machine(Os::Macos), machine_store).unwrap()
    }

    #[test]
    fn the_verdict_is_security_verify_cert_and_the_entry_is_found_by_sha1() {
        use crate::trust::read::scripted::Scripted;
        let root = FakeRoot::new();
        let store = keychain(&root, false);
        let c = cert(Kind::LocalCa, &root.path("ca/ca.crt"));
        let Probe::Succeeds { argv: verify, .. } = store.check(&c);
        let Probe::Succeeds { argv: find, .. } = store.present(&c);
        let yes = Scripted::default().prints(&verify, "").prints(&find, &format!("SHA-1 hash: {}\n", c.sha1));
        assert!(store.verdicts(&c, &yes)[0].trusted());
        assert_eq!(store.entries(&c, &yes)[0].removal, store.untrust(&c));
        let no = Scripted::default().fails(&verify, "").prints(&find, "SHA-1 hash: 00\n");
        assert!(!store.verdicts(&c, &no)[0].trusted());
        assert!(store.entries(&c, &no).is_empty());
    }

    #[test]
    fn login_keychain_by_default() {
        let root = FakeRoot::new();
        let store = keychain(&root, false);
        let security = arg(&root.path("usr/bin/security"));
        let login = arg(&root.path("home/u/Library/Keychains/login.path-db"));
        let c = cert(Kind::LocalCa, &root.path("ca/ca.crt"));
        let file = arg(&c.file);
        let trust = store.trust(&c);
        assert_eq!(
            argv(&trust[0]),
            [
                &security,
                "add-trusted-cert",
                "-r",
                "trustRoot",
                "-p",
                "ssl",
                "-p",
                "basic",
                "-k",
                &login,
                &file
            ]
        );
        assert!(!trust[0].root);
        let untrust = store.untrust(&c);
        assert_eq!(argv(&untrust[0]), [&security, "remove-trusted-cert", &file]);
        assert_eq!(argv(&untrust[1]), [&security, "delete-certificate", "-Z", &c.sha1, &login]);
        assert_eq!(
            store.present(&c),
            Probe::prints(
                [&security, "find-certificate", "-a", "-Z", &login],
                format!("SHA-1 hash: {}", c.sha1)
            )
        );
        assert_eq!(
            store.check(&c),
            Probe::succeeds([&security, "verify-cert", "-c", &file, "-L", "-q", "-l"])
        );
    }

    #[test]
    fn system_keychain_with_machine() {
        let root = FakeRoot::new();
        let store = keychain(&root, true);
        let security = arg(&root.path("usr/bin/security"));
        let system = arg(&root.path(SYSTEM_KEYCHAIN));
        let c = cert(Kind::SelfSignedLeaf, &root.path("server.crt"));
        let file = arg(&c.file);
        let trust = store.trust(&c);
        assert_eq!(
            argv(&trust[0]),
            [
                &security,
                "add-trusted-cert",
                "-d",
                "-r",
                "trustRoot",
                "-p",
                "ssl",
                "-p",
                "basic",
                "-k",
                &system,
                &file
            ]
        );
        let untrust = store.untrust(&c);
        assert_eq!(argv(&untrust[0]), [&security, "remove-trusted-cert", "-d", &file]);
        assert_eq!(argv(&untrust[1]), [&security, "delete-certificate", "-Z", &c.sha1, &system]);
        assert!(trust.iter().chain(&untrust).all(|s| s.root), "admin trust settings need root");
        assert_eq!(
            store.check(&c),
            Probe::succeeds([&security, "verify-cert", "-c", &file, "-L", "-q", "-p", "ssl"])
        );
    }
}
