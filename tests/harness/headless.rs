//! Headless Chromium as a device that opens one URL: on a HOME of its own (whose NSS database
//! decides what it trusts), ended when dropped.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::tool;

/// A Chromium that has opened a URL; dropping it ends it (and the browser processes it
/// started: `timeout` passes its SIGTERM on, and ends them all after 120 s in any case).
pub(crate) struct Headless(Child);

impl Headless {
    pub(crate) fn open(home: &Path, url: &str) -> Self {
        let child = Command::new("timeout")
            .args(["120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
            .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
            .arg("--disable-dev-shm-usage")
            .arg(format!("--user-data-dir={}", home.join("profile").display()))
            .arg(url)
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chromium");
        Self(child)
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = tool("kill", &["-TERM", &self.0.id().to_string()]);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A HOME whose NSS database (what Chromium on Linux reads) trusts `ca` for websites.
pub(crate) fn home_trusting(home: &Path, ca: &Path) {
    let db = home.join(".pki/nssdb");
    fs::create_dir_all(&db).unwrap();
    let db = format!("sql:{}", db.display());
    assert_eq!(tool("certutil", &["-N", "-d", &db, "--empty-password"]).code, 0);
    let added =
        tool("certutil", &["-A", "-d", &db, "-t", "C,,", "-n", "tlsforge", "-i", ca.to_str().unwrap()]);
    assert_eq!(added.code, 0, "{}", added.stderr);
}
