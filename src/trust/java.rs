//! Java's cacerts, through `keytool`: `$JAVA_HOME`'s, or that of the JDK whose keytool is on
//! PATH. A `JAVA_HOME` without cacerts skips Java with a note and leaves the other stores alone
//! (mkcert #472).

use std::fs;
use std::path::{Path, PathBuf};

use super::certificate::Certificate;
use super::machine::{Machine, Os, Tool, install_hint};
use super::plan::{Probe, Step, arg};
use super::{Backend, Found, Store};

/// The password of every JDK's cacerts unless someone changed it.
pub const STOREPASS: &str = "changeit";

#[derive(Debug, Clone)]
pub struct JavaStore {
    pub keytool: PathBuf,
    pub cacerts: PathBuf,
    /// How it was found: `JAVA_HOME` or `JDK on PATH`.
    pub origin: &'static str,
    /// The user cannot write cacerts (Debian's lives in /etc/ssl/certs/java).
    pub needs_root: bool,
}

pub fn detect(machine: &Machine, explicit: bool) -> Vec<Found> {
    let keytool_name = if machine.os == Os::Windows { "keytool.exe" } else { "keytool" };
    let (home, origin) = if let Some(java_home) = &machine.java_home {
        (java_home.clone(), "JAVA_HOME")
    } else if let Some(keytool) = machine.which(keytool_name) {
        // /usr/bin/keytool -> /etc/alternatives/keytool -> /usr/lib/jvm/<jdk>/bin/keytool
        let real = fs::canonicalize(&keytool).unwrap_or(keytool);
        let Some(home) = real.parent().and_then(Path::parent) else { return Vec::new() };
        (home.to_path_buf(), "JDK on PATH")
    } else {
        return if explicit {
            vec![Found::skipped(
                Store::Java,
                None,
                format!(
                    "no JDK found (no JAVA_HOME, no keytool on PATH): {}",
                    install_hint(machine, Tool::Keytool)
                ),
            )]
        } else {
            Vec::new()
        };
    };
    let Some(cacerts) = cacerts_of(&home) else {
        let note = if origin == "JAVA_HOME" {
            format!(
                "JAVA_HOME={} has no lib/security/cacerts: point JAVA_HOME at a JDK or unset it",
                home.display()
            )
        } else {
            format!("the JDK at {} has no lib/security/cacerts", home.display())
        };
        return vec![Found::skipped(Store::Java, Some(home.display().to_string()), note)];
    };
    let keytool = Some(home.join("bin").join(keytool_name))
        .filter(|k| k.is_file())
        .or_else(|| machine.which(keytool_name));
    let Some(keytool) = keytool else {
        return vec![Found::skipped(
            Store::Java,
            Some(cacerts.display().to_string()),
            format!("keytool not found: {}", install_hint(machine, Tool::Keytool)),
        )];
    };
    let needs_root = !machine.can_write(&cacerts);
    vec![Found::Ready(Box::new(JavaStore { keytool, cacerts, origin, needs_root }))]
}

fn cacerts_of(home: &Path) -> Option<PathBuf> {
    ["lib/security/cacerts", "jre/lib/security/cacerts"]
        .iter()
        .map(|rel| home.join(rel))
        .find(|p| p.is_file())
}

impl JavaStore {
    fn keytool(&self, command: &str, cert: &Certificate, extra: &[&str]) -> Vec<String> {
        let mut argv = vec![arg(&self.keytool), command.to_owned()];
        argv.extend(
            ["-keystore", &arg(&self.cacerts), "-storepass", STOREPASS, "-alias", &cert.entry_name]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        argv.extend(extra.iter().map(|s| (*s).to_owned()));
        argv
    }
}

impl Backend for JavaStore {
    fn store(&self) -> Store {
        Store::Java
    }

    fn location(&self) -> String {
        format!("{} ({})", self.cacerts.display(), self.origin)
    }

    fn check(&self, cert: &Certificate) -> Probe {
        // keytool prints the entry's SHA-256 fingerprint: the alias must hold this certificate.
        Probe::prints(self.keytool("-list", cert, &[]), cert.sha256.clone())
    }

    fn present(&self, cert: &Certificate) -> Probe {
        Probe::succeeds(self.keytool("-list", cert, &[]))
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run(
            "import the certificate as a trusted entry",
            self.keytool("-importcert", cert, &["-noprompt", "-file", &arg(&cert.file)]),
            self.needs_root,
        )]
    }

    fn untrust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run("delete tlsforge's entry", self.keytool("-delete", cert, &[]), self.needs_root)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::testing::{FakeRoot, argv, cert};

    fn plan_of(found: &[Found], cert: &Certificate) -> (String, Vec<Vec<String>>, bool) {
        match found {
            [Found::Ready(backend)] => {
                let steps = backend.trust(cert);
                let root = steps.iter().any(|s| s.root);
                let mut all: Vec<Vec<String>> = steps.iter().map(argv).collect();
                all.extend(backend.untrust(cert).iter().map(argv));
                (backend.location(), all, root)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn java_home_with_cacerts() {
        let root = FakeRoot::new();
        let jdk = root.mkdir("opt/jdk");
        let keytool = root.tool("opt/jdk/bin/keytool");
        let cacerts = root.file("opt/jdk/lib/security/cacerts", "");
        let mut machine = root.machine(Os::Linux);
        machine.java_home = Some(jdk);
        let c = cert(Kind::LocalCa, &root.path("ca.crt"));
        let (location, plans, needs_root) = plan_of(&detect(&machine, false), &c);
        assert_eq!(location, format!("{} (JAVA_HOME)", cacerts.display()));
        let (k, store, file) = (arg(&keytool), arg(&cacerts), arg(&c.file));
        assert_eq!(
            plans,
            [
                vec![
                    &k,
                    "-importcert",
                    "-keystore",
                    &store,
                    "-storepass",
                    "changeit",
                    "-alias",
                    &c.entry_name,
                    "-noprompt",
                    "-file",
                    &file
                ],
                vec![&k, "-delete", "-keystore", &store, "-storepass", "changeit", "-alias", &c.entry_name],
            ]
        );
        assert!(!needs_root, "a cacerts the user owns needs no root");
    }

    #[test]
    fn the_jdk_on_path_through_symlinks_and_an_old_jre_layout() {
        let root = FakeRoot::new();
        let keytool = root.tool("usr/lib/jvm/jdk-8/bin/keytool");
        let cacerts = root.file("usr/lib/jvm/jdk-8/jre/lib/security/cacerts", "");
        std::os::unix::fs::symlink(&keytool, root.path("usr/bin/keytool")).unwrap();
        let c = cert(Kind::SelfSignedLeaf, &root.path("server.crt"));
        let (location, plans, _) = plan_of(&detect(&root.machine(Os::Linux), false), &c);
        assert_eq!(location, format!("{} (JDK on PATH)", cacerts.display()));
        assert_eq!(plans[0][0], arg(&keytool));
    }

    #[test]
    fn java_home_without_cacerts_is_skipped_with_a_note() {
        let root = FakeRoot::new();
        let jdk = root.mkdir("opt/broken-jdk");
        root.tool("opt/broken-jdk/bin/keytool");
        let mut machine = root.machine(Os::Linux);
        machine.java_home = Some(jdk.clone());
        let found = detect(&machine, false);
        let [Found::Skipped(skipped)] = found.as_slice() else { panic!("{found:?}") };
        assert_eq!(
            skipped.note,
            format!(
                "JAVA_HOME={} has no lib/security/cacerts: point JAVA_HOME at a JDK or unset it",
                jdk.display()
            )
        );
    }

    #[test]
    fn no_jdk_is_silent_unless_java_is_named() {
        let root = FakeRoot::new();
        root.os_release("ID=arch\n");
        let machine = root.machine(Os::Linux);
        assert!(detect(&machine, false).is_empty());
        let found = detect(&machine, true);
        let [Found::Skipped(skipped)] = found.as_slice() else { panic!("{found:?}") };
        assert!(skipped.note.ends_with("install the jre-openjdk-headless package"), "{}", skipped.note);
    }

    #[test]
    fn check_requires_this_exact_certificate_under_the_alias() {
        let root = FakeRoot::new();
        root.tool("opt/jdk/bin/keytool");
        root.file("opt/jdk/lib/security/cacerts", "");
        let mut machine = root.machine(Os::Linux);
        machine.java_home = Some(root.path("opt/jdk"));
        let c = cert(Kind::LocalCa, &root.path("ca.crt"));
        let found = detect(&machine, false);
        let [Found::Ready(store)] = found.as_slice() else { panic!("{found:?}") };
        let Probe::Succeeds { needle, .. } = store.check(&c) else { panic!("not a command probe") };
        assert_eq!(needle.as_deref(), Some(c.sha256.as_str()));
    }
}
