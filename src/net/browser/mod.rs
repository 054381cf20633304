//! Headless browsers loading one page, to see whether they trust its server: Chromium through
//! the DevTools protocol (CDP), Firefox through WebDriver BiDi, both over [`crate::net::websocket`].
//!
//! Each run gets a throwaway HOME holding *copies* of the NSS database under test, so the
//! user's own databases and profiles are never opened (a running Firefox may hold them locked,
//! and a browser writes to what it opens). `XDG_*`, `DISPLAY`, `WAYLAND_DISPLAY` and the
//! session bus are taken out of the environment: a checked browser sees nothing of the user's
//! desktop. Every wait ends at the caller's deadline; the browser's whole process group is
//! killed at the end.

mod bidi;
mod cdp;
mod process;
mod profile;
mod session;

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One browser to start.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// `chromium`, `firefox-esr`…
    pub program: &'a Path,
    /// The NSS database directory whose trust to test (copied); `None` for an empty one.
    pub nssdb: Option<&'a Path>,
    /// Variables set on top of the inherited environment.
    pub env: &'a [(OsString, OsString)],
    /// A DNS name the browser must resolve to 127.0.0.1 (none for an IP address).
    pub map_to_loopback: Option<&'a str>,
}

/// What the browser showed for the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visit {
    /// The page loaded, with this title.
    Loaded { title: String },
    /// The browser refused the server's certificate or TLS, in its own code:
    /// `net::ERR_CERT_AUTHORITY_INVALID`, `MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT`…
    Refused(String),
    /// The page failed for a reason that says nothing about trust (refused connection, …).
    Failed(String),
}

/// Variables a checked browser must not see: other places to find a profile or an NSS
/// database, and the user's desktop session.
const HIDDEN_VARIABLES: [&str; 10] = [
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_DIRS",
    "XDG_DATA_DIRS",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "DBUS_SESSION_BUS_ADDRESS",
];

/// Time left for closing the browser politely before its group is killed.
const CLOSE_TIME: Duration = Duration::from_secs(3);

/// Load `url` in headless Chromium through CDP.
pub fn chromium(launch: &Launch<'_>, url: &str, deadline: Instant) -> Result<Visit, String> {
    launch.check(url)?;
    cdp::visit(launch, url, deadline)
}

/// Load `url` in headless Firefox through WebDriver BiDi.
pub fn firefox(launch: &Launch<'_>, url: &str, deadline: Instant) -> Result<Visit, String> {
    launch.check(url)?;
    bidi::visit(launch, url, deadline)
}

impl Launch<'_> {
    /// The name goes into a command-line rule and a preference: letters, digits, dots and
    /// hyphens only. The URL must be https on a name the browser reaches at 127.0.0.1.
    fn check(&self, url: &str) -> Result<(), String> {
        if let Some(name) = self.map_to_loopback
            && (name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
        {
            return Err(format!("{name:?} is not a DNS name"));
        }
        let host = url
            .strip_prefix("https://")
            .and_then(|rest| rest.split(['/', ':']).next())
            .ok_or_else(|| format!("{url:?} is not an https:// URL"))?;
        if Some(host) != self.map_to_loopback && host != "127.0.0.1" && host != "localhost" {
            return Err(format!("{url:?} would leave this machine: map {host} to 127.0.0.1"));
        }
        if is_snap(self.program) {
            // snapd sets HOME to the snap's own data directory and gives the browser a /tmp of
            // its own: it would read (and write) the user's real NSS database, not the copy.
            return Err(format!(
                "{} is a snap package, which cannot be pointed at a throwaway profile",
                self.program.display()
            ));
        }
        Ok(())
    }

    /// `program` with the inherited environment minus [`HIDDEN_VARIABLES`], plus `env`, and
    /// HOME set to `home`.
    fn command(&self, home: &Path) -> Command {
        let mut command = Command::new(self.program);
        for name in HIDDEN_VARIABLES {
            command.env_remove(name);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v))).env("HOME", home).current_dir(home);
        command
    }
}

/// `/snap/bin/chromium` and the like: links to `/usr/bin/snap`, or inside `/snap/`; or a shell
/// script that hands over to a snap (Ubuntu's `/usr/bin/firefox` and `chromium-browser`).
fn is_snap(program: &Path) -> bool {
    let resolved = std::fs::canonicalize(program).unwrap_or_else(|_| program.to_owned());
    if resolved.starts_with("/snap") || resolved.file_name().is_some_and(|name| name == "snap") {
        return true;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(&resolved)
        .and_then(|file| std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head));
    read.is_ok() && head.starts_with(b"#!") && {
        let text = String::from_utf8_lossy(&head);
        text.contains("snap run") || text.contains("/snap/bin/")
    }
}

/// What is left until `deadline`, never zero (a zero read timeout means "forever" to some APIs).
fn left(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_stay_on_loopback() {
        let program = Path::new("chromium");
        let launch = Launch { program, nssdb: None, env: &[], map_to_loopback: Some("app.test") };
        assert_eq!(launch.check("https://app.test:8443/"), Ok(()));
        assert_eq!(launch.check("https://127.0.0.1:8443/"), Ok(()));
        assert_eq!(launch.check("https://localhost:8443/"), Ok(()));
        assert!(launch.check("https://example.com:8443/").is_err());
        assert!(launch.check("http://app.test:8443/").is_err());
        let bad = Launch { map_to_loopback: Some("a.test,MAP * 10.0.0.1"), ..launch };
        assert!(bad.check("https://a.test:1/").is_err());
    }

    #[test]
    fn snap_browsers_are_refused() {
        assert!(is_snap(Path::new("/snap/bin/chromium")));
        assert!(is_snap(Path::new("/usr/bin/snap")));
        assert!(!is_snap(Path::new("/usr/bin/chromium")));
        assert!(!is_snap(Path::new("firefox-esr")));
        let dir = tempfile::tempdir().unwrap();
        let wrapper = dir.path().join("firefox");
        std::fs::write(&wrapper, "#!/bin/sh\n# transitional package\nexec /snap/bin/firefox \"$@\"\n")
            .unwrap();
        assert!(is_snap(&wrapper), "a script that hands over to a snap");
        std::fs::write(&wrapper, "#!/bin/sh\nexec /usr/lib/chromium/chromium \"$@\"\n").unwrap();
        assert!(!is_snap(&wrapper), "Debian's wrapper script");
        let snap =
            Launch { program: Path::new("/snap/bin/firefox"), nssdb: None, env: &[], map_to_loopback: None };
        let err = snap.check("https://127.0.0.1:1/").unwrap_err();
        assert!(err.contains("snap package"), "{err}");
    }
}
