//! Java's cacerts, through `keytool`: `$JAVA_HOME`'s, or that of the JDK whose keytool is on
//! PATH. A `JAVA_HOME` without cacerts skips Java with a note and leaves the other stores alone
//! (mkcert #472).

use std::fs;
use std::path::{Path, PathBuf};

use super::certificate::Certificate;
use super::machine::{Machine, Os, Tool, install_hint};
use super::plan::{Step, arg};
use super::read::Reader;
use super::verdict::{Client, Verdict};
use super::{Backend, Entry, Found, Store};
use crate::net::handshake::{ClientKind, ClientSpec};
use crate::pki::armor;

/// The password of every JDK's cacerts unless someone changed it.
pub(crate) const STOREPASS: &str = "changeit";

#[derive(Debug, Clone)]
pub(crate) struct JavaStore {
    pub keytool: PathBuf,
    pub cacerts: PathBuf,
    /// How it was found: `JAVA_HOME` or `JDK on PATH`.
    pub origin: &'static str,
    /// The user cannot write cacerts (Debian's lives in /etc/ssl/certs/java).
    pub needs_root: bool,
}

pub(crate) fn detect(machine: &Machine, explicit: bool) -> Vec<Found> {
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

/// The alias Debian's ca-certificates-java gives the system anchor `NAME.crt`: `debian:NAME.pem`.
pub(crate) fn debian_alias(cert: &Certificate) -> String {
    format!("debian:{}.pem", cert.entry_name)
}

/// A keystore, read and changed through keytool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keystore<'a> {
    pub keytool: &'a Path,
    pub path: &'a Path,
    pub storepass: &'a str,
}

impl Keystore<'_> {
    /// `keytool COMMAND -keystore PATH -storepass PASS WORDS...`; listings in English, so that
    /// their labels read the same in every locale.
    fn command(&self, command: &str, words: &[&str]) -> Vec<String> {
        let mut argv = vec![arg(self.keytool)];
        if command == "-list" {
            argv.extend(["-J-Duser.language=en".to_owned(), "-J-Duser.country=US".to_owned()]);
        }
        argv.push(command.to_owned());
        argv.extend([
            "-keystore".to_owned(),
            arg(self.path),
            "-storepass".to_owned(),
            self.storepass.to_owned(),
        ]);
        argv.extend(words.iter().map(|s| (*s).to_owned()));
        argv
    }

    /// Every trusted certificate entry: alias and DER. `Err` when keytool cannot read the store.
    pub(crate) fn trusted(&self, reader: &dyn Reader) -> Result<Vec<(String, Vec<u8>)>, String> {
        let out = reader
            .output(&self.command("-list", &["-rfc"]))
            .ok_or_else(|| format!("cannot run {}", self.keytool.display()))?;
        if !out.success {
            return Err(format!("keytool cannot read {}: {}", self.path.display(), out.last_line()));
        }
        Ok(listed(&out.stdout))
    }

    /// Whether `alias` holds exactly `cert`.
    pub(crate) fn holds(&self, reader: &dyn Reader, alias: &str, cert: &Certificate) -> bool {
        reader
            .output(&self.command("-list", &["-rfc", "-alias", alias]))
            .is_some_and(|out| out.success && listed(&out.stdout).iter().any(|(_, der)| *der == cert.der))
    }

    pub(crate) fn delete(&self, alias: &str) -> Vec<String> {
        self.command("-delete", &["-alias", alias])
    }

    pub(crate) fn import(&self, alias: &str, file: &Path) -> Vec<String> {
        self.command("-importcert", &["-alias", alias, "-noprompt", "-file", &arg(file)])
    }
}

/// The trusted certificate entries of `keytool -list -rfc` (key entries are left out).
fn listed(text: &str) -> Vec<(String, Vec<u8>)> {
    text.split("Alias name: ")
        .skip(1)
        .filter_map(|entry| {
            let alias = entry.lines().next()?.trim().to_owned();
            let trusted = entry.lines().any(|l| l.trim() == "Entry type: trustedCertEntry");
            let der = armor::pem_blocks(entry.as_bytes())
                .filter_map(Result::ok)
                .find(|block| block.label == "CERTIFICATE")?
                .der;
            trusted.then_some((alias, der))
        })
        .collect()
}

impl JavaStore {
    fn keystore(&self) -> Keystore<'_> {
        Keystore { keytool: &self.keytool, path: &self.cacerts, storepass: STOREPASS }
    }
}

impl Backend for JavaStore {
    fn store(&self) -> Store {
        Store::Java
    }

    fn location(&self) -> String {
        format!("{} ({})", self.cacerts.display(), self.origin)
    }

    /// Java trusts any trusted certificate entry of its cacerts, whatever its alias.
    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
        let verdict =
            Verdict::of(Client::Java, format!("Java ({})", self.origin), self.cacerts.display().to_string());
        vec![match self.keystore().trusted(reader) {
            Err(why) => verdict.unknown(why),
            Ok(entries) => match entries.iter().find(|(_, der)| *der == cert.der) {
                Some((alias, _)) => verdict.is(true, format!("alias {alias}")),
                None => verdict.is(false, "no entry holds it"),
            },
        }]
    }

    /// tlsforge's alias, and the one Debian's ca-certificates-java gives a tlsforge anchor of
    /// the system store (the JDK's cacerts is often that same keystore).
    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
        let ours = [cert.entry_name.clone(), debian_alias(cert)];
        let Ok(entries) = self.keystore().trusted(reader) else { return Vec::new() };
        entries
            .iter()
            .filter(|(alias, der)| *der == cert.der && ours.iter().any(|o| o.eq_ignore_ascii_case(alias)))
            .map(|(alias, _)| Entry {
                name: format!("alias {alias}"),
                removal: vec![Step::run(
                    format!("delete the entry {alias}"),
                    self.keystore().delete(alias),
                    self.needs_root,
                )],
            })
            .collect()
    }

    /// The `java` of the JDK whose cacerts this is.
    fn witnesses(&self, _machine: &Machine) -> Vec<ClientSpec> {
        let name = if cfg!(windows) { "java.exe" } else { "java" };
        self.keytool
            .parent()
            .map(|bin| bin.join(name))
            .filter(|java| java.is_file())
            .map(|java| {
                let mut spec = ClientSpec::new(ClientKind::Java, java);
                spec.label = format!("Java ({})", self.origin);
                spec
            })
            .into_iter()
            .collect()
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::run(
            "import the certificate as a trusted entry",
            self.keystore().import(&cert.entry_name, &cert.file),
            self.needs_root,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use std::fmt::Write as _;

    use crate::trust::read::scripted::Scripted;
    use crate::trust::testing::{FakeRoot, argv, cert};

    /// `keytool -list -rfc` of a keystore holding `entries` (alias, certificate).
    fn listing(entries: &[(&str, &Certificate)]) -> String {
        let mut text = String::from("Keystore type: PKCS12\nKeystore provider: SUN\n\n");
        for (alias, cert) in entries {
            let _ = write!(
                text,
                "Alias name: {alias}\nCreation date: Dec 1, 2026\nEntry type: trustedCertEntry\n\n{}\n\n\
                 *******************************************\n\n",
                cert.pem
            );
        }
        text
    }

    fn list_argv(keytool: &Path, cacerts: &Path) -> Vec<String> {
        [&arg(keytool), "-J-Duser.language=en", "-J-Duser.country=US", "-list", "-keystore", &arg(cacerts)]
            .into_iter()
            .chain(["-storepass", "changeit", "-rfc"])
            .map(str::to_owned)
            .collect()
    }

    /// The trust plan, then the removal of the entry trust made.
    fn plan_of(
        found: &[Found],
        cert: &Certificate,
        keytool: &Path,
        cacerts: &Path,
    ) -> (String, Vec<Vec<String>>, bool) {
        match found {
            [Found::Ready(backend)] => {
                let steps = backend.trust(cert);
                let root = steps.iter().any(|s| s.root);
                let mut all: Vec<Vec<String>> = steps.iter().map(argv).collect();
                let trusted = Scripted::default()
                    .prints(&list_argv(keytool, cacerts), &listing(&[(cert.entry_name.as_str(), cert)]));
                all.extend(backend.entries(cert, &trusted).iter().flat_map(|e| &e.removal).map(argv));
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
        let (location, plans, needs_root) = plan_of(&detect(&machine, false), &c, &keytool, &cacerts);
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
        let (location, plans, _) = plan_of(&detect(&root.machine(Os::Linux), false), &c, &keytool, &cacerts);
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
    fn java_trusts_any_entry_holding_the_certificate_and_untrust_takes_only_tlsforges() {
        let root = FakeRoot::new();
        let keytool = root.tool("opt/jdk/bin/keytool");
        let cacerts = root.file("opt/jdk/lib/security/cacerts", "");
        let mut machine = root.machine(Os::Linux);
        machine.java_home = Some(root.path("opt/jdk"));
        let c = cert(Kind::LocalCa, &root.path("ca.crt"));
        let other = cert(Kind::LocalCa, &root.path("other.crt"));
        let found = detect(&machine, false);
        let [Found::Ready(store)] = found.as_slice() else { panic!("{found:?}") };
        let list = list_argv(&keytool, &cacerts);
        let hook_alias = format!("debian:{}.pem", c.entry_name);
        let with = |entries: &[(&str, &Certificate)]| Scripted::default().prints(&list, &listing(entries));

        // A different certificate under tlsforge's alias is not this one.
        let wrong = with(&[(c.entry_name.as_str(), &other)]);
        assert!(!store.verdicts(&c, &wrong)[0].trusted());
        assert!(store.entries(&c, &wrong).is_empty());

        // Debian's hook copy and tlsforge's own: both trusted, both removed; a user's alias stays.
        let both = with(&[("mine", &c), (hook_alias.as_str(), &c), (c.entry_name.as_str(), &c)]);
        let verdict = &store.verdicts(&c, &both)[0];
        assert!(verdict.trusted());
        assert_eq!(verdict.reason, "alias mine");
        let names: Vec<String> = store.entries(&c, &both).into_iter().map(|e| e.name).collect();
        assert_eq!(names, [format!("alias {hook_alias}"), format!("alias {}", c.entry_name)]);

        let broken = Scripted::default()
            .fails(&list, "keytool error: java.io.IOException: keystore password was incorrect");
        let verdict = &store.verdicts(&c, &broken)[0];
        assert_eq!(verdict.verdict, crate::trust::verdict::Trust::Unknown);
        assert!(verdict.reason.ends_with("keystore password was incorrect"), "{}", verdict.reason);
    }
}
