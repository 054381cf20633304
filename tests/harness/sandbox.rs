//! The sandbox every test runs tlsforge in: a temporary HOME, work directory and CA directory,
//! the scrubbed command, and what a finished run said.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_tlsforge");

/// A temporary HOME with a work directory and a CA directory inside it.
pub(crate) struct Sandbox {
    root: TempDir,
}

impl Sandbox {
    pub(crate) fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("home")).unwrap();
        fs::create_dir_all(root.path().join("work")).unwrap();
        Self { root }
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// The directory commands run in.
    pub(crate) fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// The CA directory every command sees through `TLSFORGE_CA_DIR`.
    pub(crate) fn ca_dir(&self) -> PathBuf {
        self.root.path().join("ca")
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.work().join(rel)
    }

    /// `tlsforge ARGS` in the work directory, with nothing from the developer's environment.
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("USER", "tester")
            .env("TLSFORGE_CA_DIR", self.ca_dir())
            .stdin(Stdio::null());
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("run tlsforge"))
    }

    /// `tlsforge ARGS` started `n` times at once; every run must succeed.
    pub(crate) fn all_at_once(&self, n: usize, args: &[&str]) {
        let children: Vec<std::process::Child> = (0..n)
            .map(|_| {
                self.cmd(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn tlsforge")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }

    /// `WRAPPER... tlsforge ARGS` (nsenter, setpriv, ...) with the same scrubbed environment.
    pub(crate) fn cmd_via(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let (program, rest) = wrapper.split_first().expect("a wrapper program");
        let mut cmd = Command::new(program);
        let ours = self.cmd(&[]);
        cmd.args(rest).arg(BIN).args(args).current_dir(self.work()).env_clear().stdin(Stdio::null());
        for (key, value) in ours.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        cmd
    }

    /// The temporary directory holding home, work and the CA directory.
    pub(crate) fn root(&self) -> &Path {
        self.root.path()
    }

    /// Names of the entries in the work directory (sorted), to prove nothing was written.
    pub(crate) fn listing(&self, rel: &str) -> Vec<String> {
        listing(&self.path(rel))
    }
}

pub(crate) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => return Vec::new(),
    };
    names.sort();
    names
}

/// A finished run.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub(crate) fn success(self) -> Self {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Exit `code` with one `error:` line (and at most a `hint:` line) on stderr mentioning `needle`.
    #[track_caller]
    pub(crate) fn fails(self, code: i32, needle: &str) -> Self {
        assert_eq!(self.code, code, "exit status\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(self.stderr.contains(needle), "stderr should mention {needle:?}:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("PRIVATE KEY"), "key material on stderr");
        self
    }

    /// A tlsforge error (not a clap usage error): exactly one error line, optionally a hint.
    #[track_caller]
    pub(crate) fn one_error_line(self) -> Self {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert!(lines.first().is_some_and(|l| l.starts_with("error: ")), "{}", self.stderr);
        assert!(lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")), "{}", self.stderr);
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A path inside this repository.
pub(crate) fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub(crate) fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Run a prepared command (tlsforge through a wrapper, with extra variables...).
pub(crate) fn run_with(mut cmd: Command) -> Run {
    Run::from(cmd.output().expect("run"))
}
