//! A small builder around the real binary, in a hermetic environment.

#![allow(dead_code)]

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

/// Whether an external tool is here. Without it the test is skipped with a printed reason,
/// except under `TLSFORGE_REQUIRE_TOOLS=1` (set by `.ci/run`), where a skip is a failure.
pub(crate) fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{tool} is required (TLSFORGE_REQUIRE_TOOLS=1) but not installed"
        );
        eprintln!("SKIPPED: {tool} is not installed");
    }
    found
}

/// Whether a condition a test needs holds (root, a private mount namespace, ...). Like
/// [`have`]: skipped with a printed reason, a failure under `TLSFORGE_REQUIRE_TOOLS=1`.
pub(crate) fn require(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{what} is required (TLSFORGE_REQUIRE_TOOLS=1) but not available"
        );
        eprintln!("SKIPPED: {what} is not available");
    }
    ok
}

/// A TCP port nobody listens on now (bound, read, released).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A path inside this repository.
pub(crate) fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run an external tool and capture what it said.
pub(crate) fn tool(program: &str, args: &[&str]) -> Run {
    Run::from(
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running {program}: {e}")),
    )
}

pub(crate) fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Parse the first certificate of a PEM file into owned DER.
pub(crate) fn cert_der(path: &Path) -> Vec<u8> {
    let text = fs::read(path).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&text).expect("PEM");
    assert_eq!(pem.label, "CERTIFICATE");
    pem.contents
}

/// A root, an intermediate and a leaf for `example.com` made with openssl in `dir`, as a public
/// CA issues them: `root.crt`, `int.crt`, `leaf.crt`, `leaf.key` (0600).
pub(crate) fn openssl_chain(dir: &Path, tag: &str) {
    let script = format!(
        r"set -e
cd '{dir}'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj '/CN={tag} Root' \
    -keyout root.key -out root.crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN={tag} R3' -keyout int.key -out int.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n' > int.ext
openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -days 1000 -extfile int.ext -out int.crt
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=example.com' -keyout leaf.key -out leaf.csr
printf 'subjectAltName=DNS:example.com\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA int.crt -CAkey int.key -days 90 -extfile leaf.ext -out leaf.crt
chmod 600 leaf.key
",
        dir = dir.display()
    );
    let run = tool("sh", &["-c", &script]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A python3 that can import `module`: the first on PATH may be another build than Debian's.
pub(crate) fn python_with(module: &str) -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "python3 with {module} is required (TLSFORGE_REQUIRE_TOOLS=1)"
        );
        eprintln!("SKIPPED: no python3 with the {module} module");
    }
    found
}

/// Python from the distribution rather than a version manager's shim (which wants its HOME).
pub(crate) fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" }
}
