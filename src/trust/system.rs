//! The Linux system store: an anchor file in the family's directory, then the family's refresh
//! command, which rebuilds the bundle OpenSSL, curl, Python and most other clients read.
//!
//! On Debian and Ubuntu, `update-ca-certificates` also runs the hooks of ca-certificates-java,
//! which copy every new anchor into `/etc/ssl/certs/java/cacerts` as `debian:NAME.pem`, and
//! never take it out again when the anchor goes (the removal is not passed to the hook). So
//! untrust removes that copy itself.

use std::path::PathBuf;

use super::certificate::Certificate;
use super::java;
use super::machine::{Family, Machine, Tool, install_hint};
use super::plan::{Step, arg};
use super::read::{Reader, bundle_has};
use super::verdict::{Client, Verdict};
use super::{Backend, Entry, Found, Store};
use crate::input;
use crate::net::handshake::{ClientKind, ClientSpec};

/// Debian's hook that copies anchors into Java's shared keystore.
pub(crate) const JAVA_HOOK: &str = "/etc/ca-certificates/update.d/jks-keystore";
/// The keystore that hook keeps, which Debian's JDKs link their cacerts to.
pub(crate) const JAVA_HOOK_KEYSTORE: &str = "/etc/ssl/certs/java/cacerts";
/// Where ca-certificates-java reads a changed keystore password.
const JAVA_HOOK_DEFAULTS: &str = "/etc/default/cacerts";

/// Where a family keeps local anchors and how it refreshes its bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub family: Family,
    pub anchors: &'static str,
    /// Anchor file extension: Debian's update-ca-certificates reads only `.crt`.
    pub extension: &'static str,
    pub refresh: &'static [&'static str],
    /// The bundle the refresh rebuilds (checked by `--check`).
    pub bundle: &'static str,
}

pub(crate) const LAYOUTS: [Layout; 5] = [
    Layout {
        family: Family::Debian,
        anchors: "/usr/local/share/ca-certificates",
        extension: "crt",
        refresh: &["update-ca-certificates"],
        bundle: "/etc/ssl/certs/ca-certificates.crt",
    },
    Layout {
        family: Family::Alpine,
        anchors: "/usr/local/share/ca-certificates",
        extension: "crt",
        refresh: &["update-ca-certificates"],
        bundle: "/etc/ssl/certs/ca-certificates.crt",
    },
    Layout {
        family: Family::Fedora,
        anchors: "/etc/pki/ca-trust/source/anchors",
        extension: "pem",
        refresh: &["update-ca-trust", "extract"],
        bundle: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    },
    Layout {
        family: Family::Arch,
        anchors: "/etc/ca-certificates/trust-source/anchors",
        extension: "crt",
        refresh: &["trust", "extract-compat"],
        bundle: "/etc/ssl/certs/ca-certificates.crt",
    },
    Layout {
        family: Family::Suse,
        anchors: "/usr/share/pki/trust/anchors",
        extension: "pem",
        refresh: &["update-ca-certificates"],
        bundle: "/var/lib/ca-certificates/ca-bundle.pem",
    },
];

impl Layout {
    pub(crate) fn of(family: Family) -> Self {
        LAYOUTS.into_iter().find(|l| l.family == family).expect("every family has a layout")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SystemStore {
    pub layout: Layout,
    pub anchors: PathBuf,
    pub bundle: PathBuf,
    /// The refresh command with its program resolved.
    pub refresh: Vec<String>,
    /// Debian's Java hook, when it is installed: the keystore it fills and its keytool.
    pub java_hook: Option<JavaHook>,
}

/// The keystore Debian's ca-certificates-java fills from the system anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JavaHook {
    pub keystore: PathBuf,
    pub keytool: PathBuf,
    pub storepass: String,
}

impl JavaHook {
    fn detect(machine: &Machine) -> Option<Self> {
        let keystore = machine.at(JAVA_HOOK_KEYSTORE);
        if !machine.at(JAVA_HOOK).is_file() || !keystore.is_file() {
            return None;
        }
        let keytool = machine.which_admin("keytool")?;
        let storepass = input::read_to_string(&machine.at(JAVA_HOOK_DEFAULTS), input::SYSTEM)
            .ok()
            .and_then(|text| {
                text.lines().find_map(|line| {
                    let value = line.trim().strip_prefix("storepass=")?;
                    Some(value.trim_matches(['\'', '"']).to_owned())
                })
            })
            .unwrap_or_else(|| java::STOREPASS.to_owned());
        Some(Self { keystore, keytool, storepass })
    }
}

/// The family from os-release when its anchor directory exists, else the first family whose
/// anchor directory exists.
pub(crate) fn detect(machine: &Machine) -> Found {
    let by_release = machine.family().map(Layout::of);
    let layout = by_release
        .filter(|l| machine.at(l.anchors).is_dir())
        .or_else(|| LAYOUTS.into_iter().find(|l| machine.at(l.anchors).is_dir()));
    let Some(layout) = layout else {
        let looked: Vec<&str> = LAYOUTS.iter().map(|l| l.anchors).collect();
        let mut note = format!("no system trust store found (looked for {})", looked.join(", "));
        if by_release.is_some() {
            note = format!("{note}: {}", install_hint(machine, Tool::CaCertificates));
        }
        return Found::skipped(Store::System, None, note);
    };
    let location = format!("{} ({})", machine.at(layout.anchors).display(), layout.family.name());
    let Some(program) = machine.which_admin(layout.refresh[0]) else {
        return Found::skipped(
            Store::System,
            Some(location),
            format!("{} not found: {}", layout.refresh[0], install_hint(machine, Tool::CaCertificates)),
        );
    };
    let mut refresh = vec![arg(&program)];
    refresh.extend(layout.refresh[1..].iter().map(|s| (*s).to_owned()));
    let java_hook = (layout.family == Family::Debian).then(|| JavaHook::detect(machine)).flatten();
    Found::Ready(Box::new(SystemStore {
        layout,
        anchors: machine.at(layout.anchors),
        bundle: machine.at(layout.bundle),
        refresh,
        java_hook,
    }))
}

impl SystemStore {
    fn anchor(&self, cert: &Certificate) -> PathBuf {
        self.anchors.join(format!("{}.{}", cert.entry_name, self.layout.extension))
    }

    fn refresh_step(&self) -> Step {
        Step::run(format!("rebuild {}", self.bundle.display()), self.refresh.clone(), true)
    }
}

impl Backend for SystemStore {
    fn store(&self) -> Store {
        Store::System
    }

    fn location(&self) -> String {
        format!("{} ({})", self.anchors.display(), self.layout.family.name())
    }

    /// OpenSSL-based clients read the bundle the refresh builds; an anchor alone is not enough.
    fn verdicts(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Verdict> {
        let verdict = Verdict::of(
            Client::Openssl,
            "OpenSSL clients (curl, Python, Go, Node with --use-openssl-ca)",
            self.bundle.display().to_string(),
        );
        let Some(bundle) = reader.read_file(&self.bundle) else {
            return vec![verdict.is(false, format!("cannot read {}", self.bundle.display()))];
        };
        vec![if bundle_has(&bundle, &cert.der) {
            verdict.is(true, "in the bundle")
        } else if reader.exists(&self.anchor(cert)) {
            verdict.is(
                false,
                format!(
                    "the anchor {} is there but the bundle was not rebuilt: run `{}`",
                    self.anchor(cert).display(),
                    self.layout.refresh.join(" ")
                ),
            )
        } else {
            verdict.is(false, "not in the bundle")
        }]
    }

    fn entries(&self, cert: &Certificate, reader: &dyn Reader) -> Vec<Entry> {
        let mut entries = Vec::new();
        let anchor = self.anchor(cert);
        if reader.exists(&anchor) {
            entries.push(Entry {
                name: anchor.display().to_string(),
                removal: vec![Step::remove("remove tlsforge's anchor", anchor, true), self.refresh_step()],
            });
        }
        if let Some(hook) = &self.java_hook {
            let alias = java::debian_alias(cert);
            let keystore =
                java::Keystore { keytool: &hook.keytool, path: &hook.keystore, storepass: &hook.storepass };
            if keystore.holds(reader, &alias, cert) {
                entries.push(Entry {
                    name: format!("{alias} in {} (ca-certificates-java's copy)", hook.keystore.display()),
                    removal: vec![Step::run(
                        "delete the copy ca-certificates-java made in Java's keystore",
                        keystore.delete(&alias),
                        true,
                    )],
                });
            }
        }
        entries
    }

    /// curl and Python read the bundle; Node reads its own list unless told otherwise, which
    /// is exactly what a user needs to see.
    fn witnesses(&self, machine: &Machine) -> Vec<ClientSpec> {
        [ClientKind::Curl, ClientKind::Python, ClientKind::Node]
            .into_iter()
            .filter_map(|kind| super::installed(machine, kind))
            .collect()
    }

    fn trust(&self, cert: &Certificate) -> Vec<Step> {
        vec![
            Step::write(
                "add the certificate as a system anchor",
                self.anchor(cert),
                cert.pem.clone().into_bytes(),
                true,
            ),
            self.refresh_step(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::machine::Os;
    use crate::trust::plan::Action;
    use crate::trust::read::scripted::Scripted;
    use crate::trust::testing::{FakeRoot, argv, cert};

    fn ready(found: Found) -> Box<dyn Backend> {
        match found {
            Found::Ready(backend) => backend,
            Found::Skipped(skipped) | Found::Unused(skipped) => panic!("skipped: {skipped:?}"),
        }
    }

    /// The plans of one family on a fake root with that family's os-release and tools.
    fn assert_family(os_release: &str, anchors: &str, ext: &str, tool: &str, refresh: &[&str], bundle: &str) {
        let root = FakeRoot::new();
        root.os_release(os_release);
        root.mkdir(anchors);
        let program = root.tool(&format!("usr/sbin/{tool}"));
        let machine = root.machine(Os::Linux);
        let store = ready(detect(&machine));
        let cert = cert(Kind::LocalCa, &root.path("home/u/ca.crt"));
        let anchor = root.path(anchors).join(format!("{}.{ext}", cert.entry_name));
        let mut refresh_argv = vec![program.to_string_lossy().into_owned()];
        refresh_argv.extend(refresh.iter().map(|s| (*s).to_owned()));

        assert_eq!(store.store(), Store::System);
        let trust = store.trust(&cert);
        assert_eq!(trust.len(), 2);
        assert_eq!(
            trust[0].action,
            Action::Write { path: anchor.clone(), contents: cert.pem.clone().into_bytes() }
        );
        assert!(trust[0].root);
        assert_eq!(argv(&trust[1]), refresh_argv);
        assert!(trust[1].root);

        // Trusted when the bundle the refresh builds holds it; an anchor alone is not enough.
        let bundle = root.path(bundle);
        let refreshed = Scripted::default().file(&anchor, cert.pem.clone()).file(&bundle, cert.pem.clone());
        let [verdict] = store.verdicts(&cert, &refreshed).try_into().unwrap();
        assert_eq!((verdict.client, verdict.trusted()), (Client::Openssl, true));
        assert_eq!(verdict.path, bundle.display().to_string());
        let stale = Scripted::default().file(&anchor, cert.pem.clone()).file(&bundle, "");
        let reason = &store.verdicts(&cert, &stale)[0].reason;
        assert!(reason.contains("is there but the bundle was not rebuilt"), "{reason}");
        assert!(!store.verdicts(&cert, &Scripted::default().file(&bundle, ""))[0].trusted());

        let entries = store.entries(&cert, &refreshed);
        let [entry] = entries.as_slice() else { panic!("{entries:?}") };
        assert_eq!(entry.removal[0].action, Action::Remove { path: anchor.clone() });
        assert_eq!(argv(&entry.removal[1]), refresh_argv);
        assert!(entry.removal.iter().all(|s| s.root));
        assert!(store.entries(&cert, &Scripted::default()).is_empty());
    }

    #[test]
    fn debian_and_ubuntu() {
        assert_family(
            "ID=ubuntu\nID_LIKE=debian\n",
            "usr/local/share/ca-certificates",
            "crt",
            "update-ca-certificates",
            &[],
            "etc/ssl/certs/ca-certificates.crt",
        );
    }

    #[test]
    fn alpine() {
        assert_family(
            "ID=alpine\n",
            "usr/local/share/ca-certificates",
            "crt",
            "update-ca-certificates",
            &[],
            "etc/ssl/certs/ca-certificates.crt",
        );
    }

    #[test]
    fn fedora_rhel_centos() {
        for release in
            ["ID=fedora\n", "ID=\"rhel\"\nID_LIKE=\"fedora\"\n", "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\n"]
        {
            assert_family(
                release,
                "etc/pki/ca-trust/source/anchors",
                "pem",
                "update-ca-trust",
                &["extract"],
                "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
            );
        }
    }

    #[test]
    fn arch_and_manjaro() {
        for release in ["ID=arch\n", "ID=manjaro\nID_LIKE=arch\n"] {
            assert_family(
                release,
                "etc/ca-certificates/trust-source/anchors",
                "crt",
                "trust",
                &["extract-compat"],
                "etc/ssl/certs/ca-certificates.crt",
            );
        }
    }

    #[test]
    fn opensuse() {
        assert_family(
            "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n",
            "usr/share/pki/trust/anchors",
            "pem",
            "update-ca-certificates",
            &[],
            "var/lib/ca-certificates/ca-bundle.pem",
        );
    }

    #[test]
    fn an_unknown_distribution_uses_the_first_anchor_directory_found() {
        let root = FakeRoot::new();
        root.os_release("ID=gentoo\n");
        root.mkdir("etc/pki/ca-trust/source/anchors");
        root.tool("usr/bin/update-ca-trust");
        let store = ready(detect(&root.machine(Os::Linux)));
        assert!(store.location().contains("Fedora/RHEL"), "{}", store.location());
    }

    #[test]
    fn os_release_wins_over_other_directories() {
        let root = FakeRoot::new();
        root.os_release("ID=opensuse-tumbleweed\n");
        root.mkdir("usr/local/share/ca-certificates");
        root.mkdir("usr/share/pki/trust/anchors");
        root.tool("usr/sbin/update-ca-certificates");
        let store = ready(detect(&root.machine(Os::Linux)));
        assert!(store.location().contains("openSUSE"), "{}", store.location());
    }

    #[test]
    fn no_store_or_no_refresh_tool_is_a_skip_with_a_reason() {
        let root = FakeRoot::new();
        root.os_release("ID=debian\n");
        let Found::Skipped(skipped) = detect(&root.machine(Os::Linux)) else { panic!("not skipped") };
        assert!(skipped.note.contains("no system trust store found"), "{}", skipped.note);
        assert!(skipped.note.contains("install the ca-certificates package"), "{}", skipped.note);

        root.mkdir("usr/local/share/ca-certificates");
        let Found::Skipped(skipped) = detect(&root.machine(Os::Linux)) else { panic!("not skipped") };
        assert!(skipped.note.starts_with("update-ca-certificates not found"), "{}", skipped.note);
    }

    /// Debian's ca-certificates-java copies an anchor into Java's keystore as debian:NAME.pem
    /// and never removes it: untrust does.
    #[test]
    fn debian_untrust_also_removes_the_java_hooks_copy() {
        let root = FakeRoot::new();
        root.os_release("ID=debian\n");
        root.mkdir("usr/local/share/ca-certificates");
        root.tool("usr/sbin/update-ca-certificates");
        root.tool("etc/ca-certificates/update.d/jks-keystore");
        let keystore = root.file("etc/ssl/certs/java/cacerts", "");
        let keytool = root.tool("usr/bin/keytool");
        root.file("etc/default/cacerts", "# comment\ncacerts_updates=yes\nstorepass='s3cret'\n");
        let found = detect(&root.machine(Os::Linux));
        let Found::Ready(store) = found else { panic!("{found:?}") };
        let cert = cert(Kind::LocalCa, &root.path("home/u/ca.crt"));
        let alias = format!("debian:{}.pem", cert.entry_name);
        let (k, ks) = (arg(&keytool), arg(&keystore));
        let list: Vec<String> =
            [&k, "-J-Duser.language=en", "-J-Duser.country=US", "-list", "-keystore", &ks]
                .into_iter()
                .chain(["-storepass", "s3cret", "-rfc", "-alias", &alias])
                .map(str::to_owned)
                .collect();
        let listing = format!(
            "Alias name: {alias}\nCreation date: Dec 1, 2026\nEntry type: trustedCertEntry\n\n{}\n",
            cert.pem
        );
        // The anchor is already gone (an earlier untrust), the copy is not.
        let left = Scripted::default().prints(&list, &listing);
        let entries = store.entries(&cert, &left);
        let [entry] = entries.as_slice() else { panic!("{entries:?}") };
        assert!(entry.name.starts_with(&alias), "{}", entry.name);
        assert_eq!(
            argv(&entry.removal[0]),
            [&k, "-delete", "-keystore", &ks, "-storepass", "s3cret", "-alias", &alias]
        );
        assert!(entry.removal[0].root);
        // Another certificate under that alias is not ours to remove.
        let other = crate::trust::testing::cert(Kind::LocalCa, &root.path("home/u/other.crt"));
        let foreign = Scripted::default().prints(&list, &listing.replace(&cert.pem, &other.pem));
        assert!(store.entries(&cert, &foreign).is_empty());
    }
}
