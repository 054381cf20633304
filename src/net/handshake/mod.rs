//! Does a real client trust the server? One function per kind of client, each making a real
//! connection to 127.0.0.1:PORT *as* the target name (SNI and the name check on that name),
//! with the client's own default trust and the environment this process inherited (so a
//! user's `SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`, `JAVA_HOME`… count), plus [`ClientSpec::env`].
//!
//! [`handshake`] never panics and every wait is bounded: [`ClientKind::time_limit`] for the
//! whole check, child processes killed (with their process group) when it runs out.

mod browsers;
mod curl;
mod java;
mod node;
mod python;
mod version;

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The kinds of client a check can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKind {
    Curl,
    Python,
    Node,
    Java,
    Chromium,
    Firefox,
}

impl ClientKind {
    pub const ALL: [Self; 6] =
        [Self::Curl, Self::Python, Self::Node, Self::Java, Self::Chromium, Self::Firefox];

    /// Program names to look for on PATH, the usual one first.
    pub fn programs(self) -> &'static [&'static str] {
        match self {
            Self::Curl => &["curl"],
            Self::Python => &["python3"],
            Self::Node => &["node", "nodejs"],
            Self::Java => &["java"],
            Self::Chromium => &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"],
            Self::Firefox => &["firefox-esr", "firefox"],
        }
    }

    /// The client's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Curl => "curl",
            Self::Python => "Python",
            Self::Node => "Node.js",
            Self::Java => "Java",
            Self::Chromium => "Chromium",
            Self::Firefox => "Firefox",
        }
    }

    /// Whether the client reads an NSS database ([`ClientSpec::nssdb`]).
    pub fn uses_nssdb(self) -> bool {
        matches!(self, Self::Chromium | Self::Firefox)
    }

    /// The longest one [`handshake`] with this client may take, version query included.
    pub fn time_limit(self) -> Duration {
        if self.uses_nssdb() { BROWSER_LIMIT } else { CLIENT_LIMIT }
    }
}

/// The whole check with a browser: start (~5 s for Firefox), load, close.
const BROWSER_LIMIT: Duration = Duration::from_secs(60);
/// The whole check with any other client (Java compiles its source first: a few seconds).
const CLIENT_LIMIT: Duration = Duration::from_secs(20);
/// What a client's own network timeout is set to (connect, handshake), below the limits above.
const NETWORK_TIMEOUT_SECS: u32 = 10;
/// The most spent asking a client its version.
const VERSION_LIMIT: Duration = Duration::from_secs(5);

/// One installed client to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSpec {
    pub kind: ClientKind,
    /// The program as found on PATH: curl, python3, node, java, chromium, firefox-esr…
    pub program: PathBuf,
    /// Chromium and Firefox: the NSS database directory (`cert9.db`, `key4.db`) whose trust to
    /// test. Only copies are opened. `None`: a fresh, empty database (built-in roots only).
    pub nssdb: Option<PathBuf>,
    /// For people: "Firefox profile default-esr".
    pub label: String,
    /// Variables set for this client on top of the inherited environment (e.g. `SSL_CERT_FILE`
    /// to show what a variable the user has not set yet would change).
    pub env: Vec<(OsString, OsString)>,
}

impl ClientSpec {
    pub fn new(kind: ClientKind, program: impl Into<PathBuf>) -> Self {
        Self { kind, program: program.into(), nssdb: None, label: kind.name().to_owned(), env: Vec::new() }
    }
}

/// The name a client is asked to reach, and the loopback port that answers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// A DNS name (`localhost`, `app.test`) or `127.0.0.1`.
    pub name: String,
    pub port: u16,
}

impl Target {
    /// `https://NAME:PORT/`.
    pub fn url(&self) -> String {
        format!("https://{}:{}/", self.name, self.port)
    }

    /// Whether the name is an IP address (no SNI, no name mapping).
    pub fn is_ip(&self) -> bool {
        self.name.parse::<IpAddr>().is_ok()
    }

    /// Names every client can be pointed at 127.0.0.1 with: an ASCII DNS name (A-labels for
    /// international names) or 127.0.0.1 itself. Another address would have to be reached
    /// where it is, off this machine, so it is refused.
    fn check(&self) -> Result<(), String> {
        if self.port == 0 {
            return Err("no port to connect to (0)".into());
        }
        if let Ok(ip) = self.name.parse::<IpAddr>() {
            return if ip == IpAddr::V4(Ipv4Addr::LOCALHOST) {
                Ok(())
            } else {
                Err(format!("only 127.0.0.1 can be checked among IP addresses, not {ip}"))
            };
        }
        let name = self.name.strip_suffix('.').unwrap_or(&self.name);
        let label_ok = |label: &str| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if name.len() > 253 || !name.split('.').all(label_ok) {
            return Err(format!("{:?} is not a DNS name or 127.0.0.1", self.name));
        }
        Ok(())
    }
}

/// What one client made of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The client completed the handshake, certificate and name verified.
    pub trusted: bool,
    /// `accepted`, or the client's own words: `SSL certificate problem: self-signed
    /// certificate`, `net::ERR_CERT_AUTHORITY_INVALID`, `DEPTH_ZERO_SELF_SIGNED_CERT`…; when
    /// not [`Handshake::conclusive`], why there is no verdict.
    pub reason: String,
    /// `false` when the client gave no verdict: it could not be run, crashed, or ran out of
    /// time. `trusted` is then `false` too, but nothing is known about its trust.
    pub conclusive: bool,
    /// "curl 7.88.1", "Python 3.11.2", "Chromium 156.0.8078.114"… when the client says.
    pub version: Option<String>,
}

/// What a client driver found out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accepted,
    /// Refused, in the client's words.
    Refused(String),
    /// No verdict, and why.
    Failed(String),
}

pub(crate) const ACCEPTED: &str = "accepted";

/// Connect `spec`'s client to 127.0.0.1:`target.port` as `target.name` and report whether it
/// trusted the server.
pub fn handshake(spec: &ClientSpec, target: &Target) -> Handshake {
    let deadline = Instant::now() + spec.kind.time_limit();
    let verdict = match target.check() {
        Err(why) => Verdict::Failed(why),
        Ok(()) => match scratch_dir() {
            Err(why) => Verdict::Failed(why),
            Ok(scratch) => {
                let limit = spec.kind.time_limit().saturating_sub(VERSION_LIMIT);
                let verdict = match spec.kind {
                    ClientKind::Curl => curl::check(spec, target, scratch.path(), limit),
                    ClientKind::Python => python::check(spec, target, scratch.path(), limit),
                    ClientKind::Node => node::check(spec, target, scratch.path(), limit),
                    ClientKind::Java => java::check(spec, target, scratch.path(), limit),
                    ClientKind::Chromium => browsers::chromium(spec, target, limit),
                    ClientKind::Firefox => browsers::firefox(spec, target, limit),
                };
                drop(scratch);
                verdict
            }
        },
    };
    let left = deadline.saturating_duration_since(Instant::now()).min(VERSION_LIMIT);
    let version = if left.is_zero() { None } else { version::of(spec, left) };
    let (trusted, conclusive, reason) = match verdict {
        Verdict::Accepted => (true, true, ACCEPTED.to_owned()),
        Verdict::Refused(reason) => (false, true, reason),
        Verdict::Failed(reason) => (false, false, reason),
    };
    Handshake { trusted, reason, conclusive, version }
}

/// A private, empty directory for the client to run in: nothing of the caller's working
/// directory (a stray `ssl.py`, a `node_modules`) can change what the client loads.
fn scratch_dir() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("tlsforge-check.")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))
}

/// `spec.program` run in `dir` with the inherited environment plus `spec.env`.
fn command(spec: &ClientSpec, dir: &Path) -> Command {
    let mut command = Command::new(&spec.program);
    command.current_dir(dir).envs(spec.env.iter().map(|(k, v)| (k, v)));
    command
}

/// The verdict a client script printed: its last line starting with `tlsforge: `, either
/// `tlsforge: accepted` or `tlsforge: refused REASON`. Anything else is no verdict, explained
/// by the last line of stderr.
fn scripted_verdict(finished: &crate::process::Finished, program: &Path, limit: Duration) -> Verdict {
    if finished.status.is_none() {
        return Verdict::Failed(format!("{} gave no answer within {} s", program.display(), limit.as_secs()));
    }
    let said = finished.stdout.lines().rev().find_map(|line| line.strip_prefix("tlsforge: "));
    match said {
        Some(ACCEPTED) => Verdict::Accepted,
        Some(other) => match other.strip_prefix("refused ") {
            Some(reason) if !reason.trim().is_empty() => Verdict::Refused(reason.trim().to_owned()),
            _ => Verdict::Refused("refused".to_owned()),
        },
        None => Verdict::Failed(match last_line(&finished.stderr) {
            Some(line) => format!("{} failed: {line}", program.display()),
            None => format!("{} failed without a word", program.display()),
        }),
    }
}

/// The last non-empty line of `text`, trimmed.
fn last_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).rfind(|line| !line.is_empty())
}

#[cfg(test)]
mod tests;
