//! The Windows certificate store, through `certutil`: the current user's Root store by default
//! (no administrator needed; Windows asks for confirmation in a dialog), the machine's Root
//! store with `--machine` (administrator; what Windows services read).
//!
//! From WSL the same commands go to the host through `certutil.exe`, so a browser on the
//! Windows side trusts a server running in WSL. Certificates are named by their SHA-1
//! thumbprint, which is how certutil finds them.

use std::path::{Component, Path, PathBuf};

use super::certificate::Certificate;
use super::machine::Machine;
use super::plan::{Probe, Step, arg};
use super::read::Reader;
use super::verdict::{Client, Verdict};
use super::{Backend, Entry, Found, Store};

const CERTUTIL_EXE: &str = "/mnt/c/Windows/System32/certutil.exe";

#[derive(Debug, Clone)]
pub(crate) struct WindowsStore {
    pub certutil: PathBuf,
    /// The machine store instead of the current user's.
    pub machine: bool,
    /// `Some(distro)` from WSL: Linux paths become `\\wsl.localhost\distro\...` for certutil.exe.
    pub wsl_distro: Option<String>,
    /// `Store::System` natively, `Store::Windows` from WSL.
    pub store: Store,
}

/// Windows itself: the system store.
pub(crate) fn detect_native(machine: &Machine, machine_store: bool) -> Found {
    let certutil = machine
        .which("certutil.exe")
        .or_else(|| Some(PathBuf::from(r"C:\Windows\System32\certutil.exe")).filter(|p| p.is_file()));
    match certutil {
        Some(certutil) => Found::Ready(Box::new(WindowsStore {
            certutil,
            machine: machine_store,
            wsl_distro: None,
            store: Store::System,
        })),
        None => Found::skipped(Store::System, None, "certutil.exe not found"),
    }
}

/// The host's store from WSL, when `certutil.exe` is reachable.
pub(crate) fn detect_wsl(machine: &Machine, explicit: bool, machine_store: bool) -> Vec<Found> {
    if !machine.is_wsl() {
        return if explicit {
            vec![Found::skipped(
                Store::Windows,
                None,
                "not running in WSL (on Windows itself, use --store system)",
            )]
        } else {
            Vec::new()
        };
    }
    let certutil =
        machine.which("certutil.exe").or_else(|| Some(machine.at(CERTUTIL_EXE)).filter(|p| p.is_file()));
    let Some(certutil) = certutil else {
        return vec![Found::skipped(
            Store::Windows,
            None,
            "certutil.exe not found: Windows interop is off or C: is not mounted at /mnt/c",
        )];
    };
    let distro = machine.wsl_distro.clone().unwrap_or_else(|| "Ubuntu".into());
    vec![Found::Ready(Box::new(WindowsStore {
        certutil,
        machine: machine_store,
        wsl_distro: Some(distro),
        store: Store::Windows,
    }))]
}

/// How certutil.exe, a Windows program, names a file of the WSL distribution.
pub(crate) fn windows_path(path: &Path, distro: &str) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let [mnt, drive, rest @ ..] = parts.as_slice()
        && mnt == "mnt"
        && drive.len() == 1
        && drive.chars().all(|c| c.is_ascii_alphabetic())
    {
        return format!("{}:\\{}", drive.to_ascii_uppercase(), rest.join("\\"));
    }
    format!("\\\\wsl.localhost\\{distro}\\{}", parts.join("\\"))
}

impl WindowsStore {
    fn certutil(&self, words: &[&str]) -> Vec<String> {
        let mut command = vec![arg(&self.certutil)];
        if !self.machine {
            command.push("-user".into());
        }
        command.extend(words.iter().map(|s| (*s).to_owned()));
        command
    }

    fn file(&self, cert: &Certificate) -> String {
        match &self.wsl_distro {
            Some(distro) => windows_path(&cert.file, distro),
            None => arg(&cert.file),
        }
    }

    /// The certificate is in the Root store (where Windows trusts it).
    pub(crate) fn check(&self, cert: &Certificate) -> Probe {
        Probe::succeeds(self.certutil(&["-verifystore", "Root", &cert.sha1]))
    }

    pub(crate) fn untrust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run(
            "delete the certificate (by thumbprint) from the Root store",
            self.certutil(&["-delstore", "Root", &cert.sha1]),
            self.machine,
        )]
    }
}

impl Backend for WindowsStore {
    fn store(&self) -> Store {
        self.store
    }

    fn location(&self) -> String {
        let which = if self.machine { "local machine" } else { "current user" };
        let via = if self.wsl_distro.is_some() { " via certutil.exe" } else { "" };
        format!("Windows {which} Root store{via}")
    }

    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
        let trusted = reader.probe(&self.check(cert));
        let reason = if trusted { "in the Root store" } else { "not in the Root store" };
        vec![
            Verdict::of(Client::Windows, "Windows clients (Edge, Chrome, .NET)", self.location())
                .is(trusted, reason),
        ]
    }

    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
        if reader.probe(&self.check(cert)) {
            vec![Entry { name: format!("{} in the Root store", cert.sha1), removal: self.untrust(cert) }]
        } else {
            Vec::new()
        }
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run(
            "add the certificate to the Root store",
            self.certutil(&["-addstore", "Root", &self.file(cert)]),
            self.machine,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::machine::Os;
    use crate::trust::read::scripted::Scripted;
    use crate::trust::testing::{FakeRoot, argv, cert};

    #[test]
    fn wsl_paths_for_windows_programs() {
        assert_eq!(
            windows_path(Path::new("/home/u/ca/ca.crt"), "Ubuntu"),
            r"\\wsl.localhost\Ubuntu\home\u\ca\ca.crt"
        );
        assert_eq!(windows_path(Path::new("/mnt/c/Users/u/server.crt"), "Debian"), r"C:\Users\u\server.crt");
        assert_eq!(
            windows_path(Path::new("/mnt/wsl/x.crt"), "Debian"),
            r"\\wsl.localhost\Debian\mnt\wsl\x.crt"
        );
    }

    #[test]
    fn wsl_is_detected_and_offers_the_windows_store() {
        let root = FakeRoot::new();
        let machine = root.machine(Os::Linux);
        assert!(detect_wsl(&machine, false, false).is_empty());
        let found = detect_wsl(&machine, true, false);
        let [Found::Skipped(skipped)] = found.as_slice() else { panic!() };
        assert!(skipped.note.starts_with("not running in WSL"));

        root.file("proc/version", "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@x) #1 SMP\n");
        let certutil = root.tool("mnt/c/Windows/System32/certutil.exe");
        let mut machine = root.machine(Os::Linux);
        machine.wsl_distro = Some("Debian".into());
        let found = detect_wsl(&machine, false, false);
        let [Found::Ready(store)] = found.as_slice() else { panic!("{found:?}") };
        assert_eq!(store.store(), Store::Windows);
        assert_eq!(store.location(), "Windows current user Root store via certutil.exe");
        let c = cert(Kind::LocalCa, Path::new("/home/u/.local/share/tlsforge/ca.crt"));
        let exe = arg(&certutil);
        assert_eq!(
            argv(&store.trust(&c)[0]),
            [
                &exe,
                "-user",
                "-addstore",
                "Root",
                r"\\wsl.localhost\Debian\home\u\.local\share\tlsforge\ca.crt"
            ]
        );
        assert!(!store.trust(&c)[0].root);
        let verify: Vec<String> = [exe.as_str(), "-user", "-verifystore", "Root", &c.sha1]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let present = Scripted::default().prints(&verify, "");
        assert!(store.verdicts(&c, &present)[0].trusted());
        let entries = store.entries(&c, &present);
        assert_eq!(argv(&entries[0].removal[0]), [&exe, "-user", "-delstore", "Root", &c.sha1]);
        let absent = Scripted::default().fails(&verify, "CertUtil: -verifystore command FAILED");
        assert!(!store.verdicts(&c, &absent)[0].trusted());
        assert!(store.entries(&c, &absent).is_empty());

        let found = detect_wsl(&machine, false, true);
        let [Found::Ready(store)] = found.as_slice() else { panic!("{found:?}") };
        assert_eq!(argv(&store.trust(&c)[0])[1..3], ["-addstore", "Root"]);
        assert!(store.trust(&c)[0].root, "the machine store needs an administrator");
    }

    #[test]
    fn native_windows_user_and_machine_stores() {
        let root = FakeRoot::new();
        let certutil = root.tool("usr/bin/certutil.exe");
        let machine = root.machine(Os::Windows);
        let c = cert(Kind::SelfSignedLeaf, Path::new(r"C:\Users\u\server.crt"));
        let exe = arg(&certutil);
        let Found::Ready(user) = detect_native(&machine, false) else { panic!() };
        assert_eq!(user.store(), Store::System);
        assert_eq!(argv(&user.trust(&c)[0]), [&exe, "-user", "-addstore", "Root", r"C:\Users\u\server.crt"]);
        let present = |args: &[&str]| {
            let argv: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
            Scripted::default().prints(&argv, "")
        };
        let entries = user.entries(&c, &present(&[&exe, "-user", "-verifystore", "Root", &c.sha1]));
        assert_eq!(argv(&entries[0].removal[0]), [&exe, "-user", "-delstore", "Root", &c.sha1]);
        let Found::Ready(machine_store) = detect_native(&machine, true) else { panic!() };
        assert_eq!(argv(&machine_store.trust(&c)[0]), [&exe, "-addstore", "Root", r"C:\Users\u\server.crt"]);
        assert_eq!(machine_store.location(), "Windows local machine Root store");
        let entries = machine_store.entries(&c, &present(&[&exe, "-verifystore", "Root", &c.sha1]));
        assert!(entries[0].removal[0].root);
    }
}
