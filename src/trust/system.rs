//! The Linux system store: an anchor file in the family's directory, then the family's refresh
//! command, which rebuilds the bundle OpenSSL, curl, Python and most other clients read.

use std::path::PathBuf;

use super::certificate::Certificate;
use super::machine::{Family, Machine, Tool, install_hint};
use super::plan::{Probe, Step, arg};
use super::{Backend, Found, Store};

/// Where a family keeps local anchors and how it refreshes its bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub family: Family,
    pub anchors: &'static str,
    /// Anchor file extension: Debian's update-ca-certificates reads only `.crt`.
    pub extension: &'static str,
    pub refresh: &'static [&'static str],
    /// The bundle the refresh rebuilds (checked by `--check`).
    pub bundle: &'static str,
}

pub const LAYOUTS: [Layout; 5] = [
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
    pub fn of(family: Family) -> Self {
        LAYOUTS.into_iter().find(|l| l.family == family).expect("every family has a layout")
    }
}

#[derive(Debug, Clone)]
pub struct SystemStore {
    pub layout: Layout,
    pub anchors: PathBuf,
    pub bundle: PathBuf,
    /// The refresh command with its program resolved.
    pub refresh: Vec<String>,
}

/// The family from os-release when its anchor directory exists, else the first family whose
/// anchor directory exists.
pub fn detect(machine: &Machine) -> Found {
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
    Found::Ready(Box::new(SystemStore {
        layout,
        anchors: machine.at(layout.anchors),
        bundle: machine.at(layout.bundle),
        refresh,
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

    fn check(&self, cert: &Certificate) -> Probe {
        Probe::All {
            probes: vec![
                Probe::FileEquals { path: self.anchor(cert), contents: cert.pem.clone().into_bytes() },
                Probe::BundleHas { path: self.bundle.clone(), der: cert.der.clone() },
            ],
        }
    }

    fn present(&self, cert: &Certificate) -> Probe {
        Probe::FileExists { path: self.anchor(cert) }
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

    fn untrust(&self, cert: &Certificate) -> Vec<Step> {
        vec![Step::remove("remove tlsforge's anchor", self.anchor(cert), true), self.refresh_step()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::certificate::Kind;
    use crate::trust::machine::Os;
    use crate::trust::plan::Action;
    use crate::trust::testing::{FakeRoot, argv, cert};

    fn ready(found: Found) -> Box<dyn Backend> {
        match found {
            Found::Ready(backend) => backend,
            Found::Skipped(skipped) => panic!("skipped: {skipped:?}"),
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

        let untrust = store.untrust(&cert);
        assert_eq!(untrust[0].action, Action::Remove { path: anchor.clone() });
        assert_eq!(argv(&untrust[1]), refresh_argv);
        assert!(untrust.iter().all(|s| s.root));

        assert_eq!(store.present(&cert), Probe::FileExists { path: anchor.clone() });
        assert_eq!(
            store.check(&cert),
            Probe::All {
                probes: vec![
                    Probe::FileEquals { path: anchor, contents: cert.pem.clone().into_bytes() },
                    Probe::BundleHas { path: root.path(bundle), der: cert.der.clone() },
                ]
            }
        );
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
}
