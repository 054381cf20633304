//! The system store, for real, in a private mount namespace: copies of the Debian store are
//! bind-mounted over the real paths, so the real `update-ca-certificates` runs and this
//! machine's trust is never touched.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{Run, Sandbox, have, is_root, python, require, run_with, tool};

/// A TLS client in Python using the default trust (exit 3 when verification fails).
const PYTHON_CLIENT: &str = r#"
import socket, ssl, sys
ctx = ssl.create_default_context()
try:
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10),
                         server_hostname="localhost"):
        pass
except ssl.SSLCertVerificationError as e:
    print("verify failed:", e)
    sys.exit(3)
"#;

/// A process holding a private mount namespace in which copies of the Debian system store are
/// bind-mounted over the real paths. Commands run inside it through nsenter.
pub(crate) struct Namespace {
    holder: Child,
    pid: String,
    pub(crate) copies: tempfile::TempDir,
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

pub(crate) const STORE_DIRS: [&str; 2] = ["/usr/local/share/ca-certificates", "/etc/ssl/certs"];
/// update-ca-certificates' hooks (ca-certificates-java) write outside the copies: hidden.
const HOOKS_DIR: &str = "/etc/ca-certificates/update.d";
/// What Debian's Java hook writes besides /etc/ssl/certs/java/cacerts: its pending list, and
/// dpkg's trigger state and log (the hook asks dpkg to run the ca-certificates-java trigger).
const JAVA_HOOK_DIRS: [&str; 3] = ["/var/lib/ca-certificates-java", "/var/lib/dpkg", "/var/log"];

impl Namespace {
    /// `None` (skipped with a reason) without root, unshare or the Debian store.
    pub(crate) fn new() -> Option<Self> {
        Self::build(false)
    }

    /// A namespace where Debian's ca-certificates-java hook runs for real: it fills the copy of
    /// /etc/ssl/certs/java/cacerts (which Debian's JDK links its cacerts to), and dpkg, which it
    /// calls, works on copies of its state.
    pub(crate) fn with_java_hook() -> Option<Self> {
        let hook = Path::new(HOOKS_DIR).join("jks-keystore");
        if !require("Debian's ca-certificates-java hook (package ca-certificates-java)", hook.is_file())
            || !have("keytool")
            || !have("dpkg")
        {
            return None;
        }
        Self::build(true)
    }

    fn build(java_hook: bool) -> Option<Self> {
        if !require("root (for unshare -m)", is_root())
            || !have("unshare")
            || !have("nsenter")
            || !have("update-ca-certificates")
        {
            return None;
        }
        let copies = tempfile::tempdir().unwrap();
        let mut script = String::from("set -e\n");
        for (n, dir) in STORE_DIRS.iter().enumerate() {
            let copy = copies.path().join(n.to_string());
            let out = tool("cp", &["-a", dir, copy.to_str().unwrap()]);
            assert_eq!(out.code, 0, "copying {dir}: {}", out.stderr);
            let _ = writeln!(script, "mount --bind {} {dir}", copy.display());
        }
        if java_hook {
            for (n, dir) in JAVA_HOOK_DIRS.iter().enumerate() {
                let copy = copies.path().join(format!("hook{n}"));
                fs::create_dir_all(dir).unwrap();
                let out = tool("cp", &["-a", dir, copy.to_str().unwrap()]);
                assert_eq!(out.code, 0, "copying {dir}: {}", out.stderr);
                let _ = writeln!(script, "mount --bind {} {dir}", copy.display());
            }
        } else {
            let hooks = copies.path().join("hooks");
            fs::create_dir(&hooks).unwrap();
            if Path::new(HOOKS_DIR).is_dir() {
                let _ = writeln!(script, "mount --bind {} {HOOKS_DIR}", hooks.display());
            }
        }
        script += "echo ready\nexec sleep 3600\n";
        let mut holder = Command::new("unshare")
            .args(["--mount", "--propagation", "private", "sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("unshare");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap()).read_line(&mut line).unwrap();
        if line.trim() != "ready" {
            let _ = holder.kill();
            let _ = holder.wait();
            require("a private mount namespace (unshare -m)", false);
            return None;
        }
        let pid = holder.id().to_string();
        Some(Self { holder, pid, copies })
    }

    /// nsenter into the namespace, working in `dir` (entering a mount namespace moves to /).
    pub(crate) fn enter(&self, dir: &Path) -> Vec<String> {
        vec![
            "nsenter".into(),
            "-t".into(),
            self.pid.clone(),
            "-m".into(),
            format!("--wd={}", dir.display()),
            "--".into(),
        ]
    }

    /// tlsforge inside the namespace.
    pub(crate) fn tlsforge(&self, sb: &Sandbox, args: &[&str]) -> Run {
        let wrapper = self.enter(&sb.work());
        let wrapper: Vec<&str> = wrapper.iter().map(String::as_str).collect();
        run_with(sb.cmd_via(&wrapper, args))
    }

    /// A client inside the namespace, with nothing from our environment (no `SSL_CERT_FILE`...).
    pub(crate) fn client(&self, program: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new("nsenter");
        cmd.args(["-t", &self.pid, "-m", "--", program])
            .args(args)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", "/nonexistent")
            .stdin(Stdio::null());
        run_with(cmd)
    }

    pub(crate) fn curl(&self, port: u16) -> i32 {
        let url = format!("https://localhost:{port}/");
        self.client("curl", &["--silent", "--output", "/dev/null", "--max-time", "10", &url]).code
    }

    pub(crate) fn python(&self, port: u16) -> i32 {
        self.client(python(), &["-c", PYTHON_CLIENT, &port.to_string()]).code
    }

    /// The copy mounted over /usr/local/share/ca-certificates.
    pub(crate) fn anchors(&self) -> PathBuf {
        self.copies.path().join("0")
    }
}
