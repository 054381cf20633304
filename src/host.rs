//! What the environment says, read once at the start and handed down (ripgrep's idea): the
//! machine trust stores live on, who runs tlsforge and where, the variables that steer it, and
//! the clock. No module below `commands` reads an environment variable or the current
//! directory; they take what they need from here.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::render::color::Terminal;
use crate::trust::machine::{Machine, Os};

/// The variable that holds the password of the PKCS#12 files tlsforge writes and reads.
pub(crate) const P12_PASSWORD_VAR: &str = "TLSFORGE_P12_PASSWORD";

/// `TLSFORGE_P12_PASSWORD` as this process sees it: set to something empty is an error, not a
/// choice of no password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnvPassword {
    Unset,
    Empty,
    Set(crate::pki::p12::Password),
}

/// The variable that points `env --client-trust` at a system CA bundle tlsforge does not know.
pub(crate) const SYSTEM_BUNDLE_VAR: &str = "TLSFORGE_SYSTEM_CA_BUNDLE";

/// The variable that moves the inventory of certificates tlsforge wrote (default
/// `DATA_DIR/inventory.json`).
pub(crate) const INVENTORY_VAR: &str = "TLSFORGE_INVENTORY";

/// A hidden variable for tests: the clock, as an RFC 3339 time, so that a certificate can be
/// made "months ago" and renewed now. Only debug builds (what `cargo test` runs) read it: a
/// release build never lets the environment move its clock.
#[cfg(debug_assertions)]
const TEST_NOW_VAR: &str = "TLSFORGE_TEST_NOW";

/// The three variables services of the old guide read, as this process sees them.
#[derive(Debug, Clone, Default)]
pub struct ServiceVariables {
    pub ssl_cert_path: Option<String>,
    pub ssl_key_path: Option<String>,
    pub enable_ssl: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Host {
    /// The machine as trust backends see it: OS, HOME and XDG directories, PATH, `JAVA_HOME`,
    /// WSL, whether tlsforge runs as root.
    pub machine: Machine,
    /// The working directory, when it can be read.
    pub cwd: Option<PathBuf>,
    /// tlsforge's data directory for this user (`~/.local/share/tlsforge` on Linux): where the
    /// local CA lives unless `--ca-dir` says otherwise.
    pub data_dir: Option<PathBuf>,
    /// The inventory of certificates tlsforge wrote: `TLSFORGE_INVENTORY`, else
    /// `inventory.json` in the data directory.
    pub inventory: Option<PathBuf>,
    /// This program's own absolute path, for jobs that run it later (`renew --install-timer`).
    pub exe: Option<PathBuf>,
    /// `SUDO_USER`, when tlsforge runs under sudo for a user other than root.
    pub sudo_user: Option<String>,
    /// The effective user id (`None` off Unix): who must own the local CA's directory and key.
    pub uid: Option<u32>,
    /// `SUDO_UID` when tlsforge runs as root under sudo: that user may own the local CA too.
    pub sudo_uid: Option<u32>,
    /// `USER` (else `USERNAME`, `LOGNAME`), for fixes such as `chown USER DIR`.
    pub user: String,
    /// `user@host`, to name a new local CA so people recognise it in a trust store.
    pub owner: String,
    /// The machine's host name (`None` when unknown or `localhost`).
    pub hostname: Option<String>,
    /// `SHELL` and `PSModulePath`: which shell `env` writes for.
    pub shell: Option<OsString>,
    pub ps_module_path: Option<OsString>,
    /// `TLSFORGE_SYSTEM_CA_BUNDLE`.
    pub system_bundle: Option<PathBuf>,
    /// `GITHUB_WORKSPACE`: CI annotations name files relative to it.
    pub github_workspace: Option<PathBuf>,
    /// `SSL_CERT_PATH`, `SSL_KEY_PATH`, `ENABLE_SSL`.
    pub service: ServiceVariables,
    /// `TLSFORGE_P12_PASSWORD` (never shown, not even by `Debug`).
    pub(crate) p12_password: EnvPassword,
    /// What the terminal conventions say (`NO_COLOR`, `CLICOLOR*`, `TERM`, the locale).
    pub terminal: Terminal,
    pub now: OffsetDateTime,
}

impl Host {
    /// This process's environment.
    pub fn from_process() -> Self {
        let var_os = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let var = |name: &str| var_os(name).map(|v| v.to_string_lossy().into_owned());
        let home = var_os("HOME").or_else(|| var_os("USERPROFILE")).map(PathBuf::from);
        let machine = Machine {
            root: PathBuf::from("/"),
            os: Os::current(),
            xdg_config_home: var_os("XDG_CONFIG_HOME").map(PathBuf::from).filter(|p| p.is_absolute()),
            xdg_data_home: var_os("XDG_DATA_HOME").map(PathBuf::from).filter(|p| p.is_absolute()),
            path: var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default(),
            java_home: var_os("JAVA_HOME").map(PathBuf::from),
            wsl_distro: var("WSL_DISTRO_NAME"),
            is_root: is_root(),
            home,
        };
        let hostname = hostname(var("COMPUTERNAME"));
        let user = ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|name| var(name))
            .unwrap_or_else(|| "user".into());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|name| var(name)).unwrap_or_default();
        let data_dir =
            directories::ProjectDirs::from("", "", "tlsforge").map(|dirs| dirs.data_dir().to_path_buf());
        let cwd = std::env::current_dir().ok();
        Self {
            inventory: var_os(INVENTORY_VAR)
                .map(|path| crate::fsutil::absolute(cwd.as_deref(), Path::new(&path)))
                .or_else(|| data_dir.as_ref().map(|dir| dir.join("inventory.json"))),
            exe: std::env::current_exe().ok(),
            data_dir,
            cwd,
            sudo_user: var("SUDO_USER").filter(|user| user != "root"),
            owner: format!("{user}@{}", hostname.as_deref().unwrap_or("localhost")),
            uid: euid(),
            sudo_uid: var("SUDO_UID").and_then(|uid| uid.parse().ok()).filter(|uid| *uid != 0),
            user,
            hostname,
            shell: var_os("SHELL"),
            ps_module_path: var_os("PSModulePath"),
            system_bundle: var_os(SYSTEM_BUNDLE_VAR).map(PathBuf::from),
            github_workspace: var_os("GITHUB_WORKSPACE").map(PathBuf::from),
            service: ServiceVariables {
                ssl_cert_path: std::env::var_os(crate::config::SSL_CERT_PATH)
                    .map(|v| v.to_string_lossy().into_owned()),
                ssl_key_path: std::env::var_os(crate::config::SSL_KEY_PATH)
                    .map(|v| v.to_string_lossy().into_owned()),
                enable_ssl: std::env::var_os(crate::config::ENABLE_SSL)
                    .map(|v| v.to_string_lossy().into_owned()),
            },
            p12_password: match std::env::var_os(P12_PASSWORD_VAR) {
                None => EnvPassword::Unset,
                Some(value) => crate::pki::p12::Password::new(value.to_string_lossy().into_owned())
                    .map_or(EnvPassword::Empty, EnvPassword::Set),
            },
            terminal: Terminal {
                no_color: var_os("NO_COLOR").is_some(),
                force: std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"),
                declines: std::env::var_os("CLICOLOR").is_some_and(|v| v == "0")
                    || std::env::var_os("TERM").is_some_and(|v| v == "dumb"),
                utf8: {
                    let locale = locale.to_ascii_lowercase();
                    locale.contains("utf-8") || locale.contains("utf8")
                },
            },
            now: test_now(&var).unwrap_or_else(OffsetDateTime::now_utc),
            machine,
        }
    }

    /// A path relative to the working directory made absolute (as it is, when there is none).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        crate::fsutil::absolute(self.cwd.as_deref(), path)
    }
}

/// The test clock (debug builds only; see [`TEST_NOW_VAR`]).
#[cfg(debug_assertions)]
fn test_now(var: &impl Fn(&str) -> Option<String>) -> Option<OffsetDateTime> {
    var(TEST_NOW_VAR)
        .and_then(|now| OffsetDateTime::parse(&now, &time::format_description::well_known::Rfc3339).ok())
}

#[cfg(not(debug_assertions))]
fn test_now(_: &impl Fn(&str) -> Option<String>) -> Option<OffsetDateTime> {
    None
}

/// The kernel's node name (uname), else `COMPUTERNAME` on Windows.
fn hostname(computer_name: Option<String>) -> Option<String> {
    #[cfg(unix)]
    let name = Some(rustix::system::uname().nodename().to_string_lossy().into_owned());
    #[cfg(not(unix))]
    let name = computer_name.clone();
    name.or(computer_name)
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty() && !h.eq_ignore_ascii_case("localhost"))
}

#[cfg(unix)]
fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps, reason = "None off Unix")]
fn euid() -> Option<u32> {
    Some(rustix::process::geteuid().as_raw())
}

#[cfg(not(unix))]
fn euid() -> Option<u32> {
    None
}

#[cfg(not(unix))]
fn is_root() -> bool {
    // Windows: elevation is not detected; steps that need it fail with a hint instead.
    false
}
