//! What backends may look at: the file system below a root directory, a few environment
//! variables, and the programs on PATH. Tests build a `Machine` over a fake root directory.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::input;

/// The operating system whose stores to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::Macos
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Linux
        }
    }
}

/// The machine as backends see it.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Where system paths (`/etc/...`) are looked up: `/`, or a fake root in tests.
    pub root: PathBuf,
    pub os: Os,
    pub home: Option<PathBuf>,
    /// `XDG_CONFIG_HOME` and `XDG_DATA_HOME` when set (absolute paths only, as the spec says).
    pub xdg_config_home: Option<PathBuf>,
    pub xdg_data_home: Option<PathBuf>,
    /// The directories of PATH, in order.
    pub path: Vec<PathBuf>,
    pub java_home: Option<PathBuf>,
    /// `WSL_DISTRO_NAME`: set inside WSL, and names the distribution for `\\wsl.localhost\` paths.
    pub wsl_distro: Option<String>,
    /// Running with administrator rights already (uid 0 on Unix).
    pub is_root: bool,
}

impl Machine {
    /// A Linux machine under `root` with nothing known about it: no home, no PATH, not root.
    #[cfg(test)]
    pub(crate) fn bare(root: PathBuf) -> Self {
        Self {
            root,
            os: Os::Linux,
            home: None,
            xdg_config_home: None,
            xdg_data_home: None,
            path: Vec::new(),
            java_home: None,
            wsl_distro: None,
            is_root: false,
        }
    }

    /// A system path (`/usr/local/share/...`) below the root.
    pub fn at(&self, absolute: &str) -> PathBuf {
        self.root.join(absolute.trim_start_matches('/'))
    }

    /// A program on PATH.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        self.path.iter().map(|dir| dir.join(program)).find(|candidate| is_executable(candidate))
    }

    /// A program on PATH or in the sbin directories, which ordinary users' PATH often lacks.
    pub fn which_admin(&self, program: &str) -> Option<PathBuf> {
        self.which(program).or_else(|| {
            ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
                .iter()
                .map(|dir| self.at(dir).join(program))
                .find(|candidate| is_executable(candidate))
        })
    }

    /// A path under the home directory.
    pub fn home_join(&self, rel: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|home| home.join(rel))
    }

    /// `$XDG_CONFIG_HOME`, by default `~/.config`.
    pub fn config_home(&self) -> Option<PathBuf> {
        self.xdg_config_home.clone().or_else(|| self.home_join(".config"))
    }

    /// `$XDG_DATA_HOME`, by default `~/.local/share`.
    pub fn data_home(&self) -> Option<PathBuf> {
        self.xdg_data_home.clone().or_else(|| self.home_join(".local/share"))
    }

    /// Whether process `pid` runs now and its name contains one of `names` (so a stale lock
    /// whose process id was reused does not count). Linux only: elsewhere, never.
    pub fn process_running(&self, pid: u32, names: &[&str]) -> bool {
        if self.os != Os::Linux || pid == 0 {
            return false;
        }
        input::read_to_string(&self.at(&format!("/proc/{pid}/comm")), input::SYSTEM)
            .is_ok_and(|comm| names.iter().any(|name| comm.trim().contains(name)))
    }

    /// `/etc/os-release` (or `/usr/lib/os-release`).
    pub fn os_release(&self) -> OsRelease {
        let text = input::read_to_string(&self.at("/etc/os-release"), input::SYSTEM)
            .or_else(|_| input::read_to_string(&self.at("/usr/lib/os-release"), input::SYSTEM))
            .unwrap_or_default();
        OsRelease::parse(&text)
    }

    /// The Linux family, from os-release.
    pub fn family(&self) -> Option<Family> {
        self.os_release().family()
    }

    /// Inside Windows Subsystem for Linux.
    pub fn is_wsl(&self) -> bool {
        if self.os != Os::Linux {
            return false;
        }
        self.wsl_distro.is_some()
            || self.at("/proc/sys/fs/binfmt_misc/WSLInterop").exists()
            || input::read_to_string(&self.at("/proc/version"), input::SYSTEM)
                .is_ok_and(|v| v.to_ascii_lowercase().contains("microsoft"))
    }

    /// Whether the current user may write `path` without elevation.
    pub fn can_write(&self, path: &Path) -> bool {
        self.is_root || writable(path)
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The fields of os-release that matter here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    pub id: String,
    pub id_like: Vec<String>,
    pub pretty_name: Option<String>,
}

impl OsRelease {
    pub fn parse(text: &str) -> Self {
        let mut release = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            let value = value.trim().trim_matches('"').trim_matches('\'');
            match key.trim() {
                "ID" => release.id = value.to_ascii_lowercase(),
                "ID_LIKE" => {
                    release.id_like = value.split_whitespace().map(str::to_ascii_lowercase).collect();
                }
                "PRETTY_NAME" => release.pretty_name = Some(value.to_owned()),
                _ => {}
            }
        }
        release
    }

    pub fn family(&self) -> Option<Family> {
        std::iter::once(&self.id).chain(&self.id_like).find_map(|id| Family::from_os_id(id))
    }
}

/// Linux distribution families: they differ in trust store layout and package names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Debian,
    Alpine,
    Fedora,
    Arch,
    Suse,
}

impl Family {
    pub const ALL: [Self; 5] = [Self::Debian, Self::Alpine, Self::Fedora, Self::Arch, Self::Suse];

    fn from_os_id(id: &str) -> Option<Self> {
        Some(match id {
            "debian" | "ubuntu" | "linuxmint" | "pop" | "raspbian" | "kali" => Self::Debian,
            "alpine" => Self::Alpine,
            "fedora" | "rhel" | "centos" | "rocky" | "almalinux" | "ol" | "amzn" => Self::Fedora,
            "arch" | "manjaro" | "endeavouros" | "archarm" => Self::Arch,
            _ if id.starts_with("opensuse") || id == "suse" || id == "sles" => Self::Suse,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Debian => "Debian/Ubuntu",
            Self::Alpine => "Alpine",
            Self::Fedora => "Fedora/RHEL",
            Self::Arch => "Arch",
            Self::Suse => "openSUSE",
        }
    }

    /// The package that provides `tool` here.
    pub fn package(self, tool: Tool) -> &'static str {
        match (tool, self) {
            (Tool::Certutil, Self::Debian) => "libnss3-tools",
            (Tool::Certutil, Self::Alpine | Self::Fedora) => "nss-tools",
            (Tool::Certutil, Self::Arch) => "nss",
            (Tool::Certutil, Self::Suse) => "mozilla-nss-tools",
            (Tool::Keytool, Self::Debian) => "default-jdk-headless",
            (Tool::Keytool, Self::Alpine) => "openjdk17-jdk",
            (Tool::Keytool, Self::Fedora | Self::Suse) => "java-17-openjdk-headless",
            (Tool::Keytool, Self::Arch) => "jre-openjdk-headless",
            (Tool::CaCertificates, Self::Debian | Self::Alpine | Self::Fedora | Self::Suse) => {
                "ca-certificates"
            }
            (Tool::CaCertificates, Self::Arch) => "ca-certificates-utils",
        }
    }
}

/// Tools whose absence skips a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Certutil,
    Keytool,
    CaCertificates,
}

/// "install libnss3-tools" on a known family, the list per family otherwise.
pub(crate) fn install_hint(machine: &Machine, tool: Tool) -> String {
    match machine.os {
        Os::Macos => match tool {
            Tool::Certutil => "install it with `brew install nss`".into(),
            Tool::Keytool => "install a JDK or set JAVA_HOME".into(),
            Tool::CaCertificates => "it is part of macOS".into(),
        },
        Os::Windows => match tool {
            Tool::Keytool => "install a JDK or set JAVA_HOME".into(),
            Tool::Certutil | Tool::CaCertificates => "NSS's certutil is not packaged for Windows; \
                 Firefox trusts the Windows store when security.enterprise_roots.enabled is true"
                .into(),
        },
        Os::Linux => {
            if let Some(family) = machine.family() {
                return format!("install the {} package", family.package(tool));
            }
            let list: Vec<String> =
                [Family::Debian, Family::Fedora, Family::Arch, Family::Suse, Family::Alpine]
                    .iter()
                    .map(|f| format!("{} ({})", f.package(tool), f.name()))
                    .collect();
            format!("install {}", list.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_names_the_family() {
        let ubuntu = OsRelease::parse("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n");
        assert_eq!(ubuntu.family(), Some(Family::Debian));
        let rocky = OsRelease::parse("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
        assert_eq!(rocky.family(), Some(Family::Fedora));
        let manjaro = OsRelease::parse("ID=manjaro\nID_LIKE=arch\n");
        assert_eq!(manjaro.family(), Some(Family::Arch));
        let tumbleweed = OsRelease::parse("ID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"\n");
        assert_eq!(tumbleweed.family(), Some(Family::Suse));
        let odd = OsRelease::parse("ID=something\nID_LIKE=ubuntu debian\n");
        assert_eq!(odd.family(), Some(Family::Debian));
        assert_eq!(OsRelease::parse("ID=gentoo\n").family(), None);
        assert_eq!(OsRelease::parse("").family(), None);
    }

    #[test]
    fn programs_are_found_on_path_and_in_sbin() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let machine =
            Machine { path: vec![root.path().join("usr/bin")], ..Machine::bare(root.path().to_path_buf()) };
        fs::create_dir_all(root.path().join("usr/bin")).unwrap();
        fs::create_dir_all(root.path().join("usr/sbin")).unwrap();
        let tool = root.path().join("usr/sbin/update-ca-certificates");
        fs::write(&tool, "#!/bin/sh\n").unwrap();
        assert_eq!(machine.which("update-ca-certificates"), None);
        // Not executable yet.
        assert_eq!(machine.which_admin("update-ca-certificates"), None);
        fs::set_permissions(&tool, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(machine.which_admin("update-ca-certificates"), Some(tool));
    }

    #[test]
    fn install_hints_name_the_package_of_the_family() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("etc")).unwrap();
        fs::write(root.path().join("etc/os-release"), "ID=fedora\n").unwrap();
        let mut machine = Machine::bare(root.path().to_path_buf());
        assert_eq!(install_hint(&machine, Tool::Certutil), "install the nss-tools package");
        fs::write(root.path().join("etc/os-release"), "ID=gentoo\n").unwrap();
        let hint = install_hint(&machine, Tool::Certutil);
        assert!(
            hint.contains("libnss3-tools (Debian/Ubuntu)") && hint.contains("mozilla-nss-tools (openSUSE)")
        );
        machine.os = Os::Macos;
        assert!(install_hint(&machine, Tool::Certutil).contains("brew install nss"));
    }
}
