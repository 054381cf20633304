//! What the checks look at, loaded once: where the files are and why, their bytes, the parsed
//! certificate and key, the issuer, the environment. Loading never fails; what cannot be read
//! is recorded for the checks to report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use time::OffsetDateTime;

use crate::input::{self, ReadError};
use crate::net::connect::Target;
use crate::pki::ca::CaDir;
use crate::pki::content;
use crate::pki::describe::CertificateInfo;
use crate::pki::keyfile::{self, KeyError, PrivateKeyInfo};
use crate::pki::names::SubjectName;
use crate::pki::pair::CertKeyPair;
use crate::trust::machine::Machine;

/// Where a path came from: a flag, an environment variable, or the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Flag,
    /// The variable named (`SSL_CERT_PATH` / `SSL_KEY_PATH`).
    Env(&'static str),
    Default,
}

/// A file as read: its bytes, or why it could not be read.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub path: PathBuf,
    pub source: Source,
    pub bytes: Result<Vec<u8>, ReadError>,
}

impl Loaded {
    /// `path` is absolute.
    fn read(path: PathBuf, source: Source) -> Self {
        let bytes = input::read(&path, input::CERTIFICATE);
        Self { path, source, bytes }
    }
}

/// What doctor needs of the environment, handed down from the `Host`: the variables services
/// read, the working directory, the machine whose trust stores to ask, the clock.
#[derive(Debug, Clone)]
pub(crate) struct Environment {
    pub ssl_cert_path: Option<String>,
    pub ssl_key_path: Option<String>,
    pub enable_ssl: Option<String>,
    pub cwd: Option<PathBuf>,
    pub machine: Machine,
    pub now: OffsetDateTime,
    /// This machine's LAN addresses now (`gen --lan` covers them), with their interfaces.
    pub lan: Vec<(std::net::IpAddr, String)>,
}

impl Environment {
    /// A path relative to the working directory made absolute.
    pub(crate) fn absolute(&self, path: &Path) -> PathBuf {
        crate::fsutil::absolute(self.cwd.as_deref(), path)
    }
}

/// What the user asked for, validated.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub ca: Option<PathBuf>,
    pub hosts: Vec<SubjectName>,
    pub connects: Vec<Target>,
    pub min_days: u32,
    pub timeout: Duration,
    pub ca_dir: CaDir,
}

/// A certificate that signs the leaf: `--ca`, or the local CA.
#[derive(Debug)]
pub(crate) struct Issuer {
    pub der: Vec<u8>,
    pub path: PathBuf,
    /// tlsforge's local CA (rather than `--ca`).
    pub local: bool,
}

/// Everything the checks need.
#[derive(Debug)]
pub(crate) struct Context {
    pub cert: Loaded,
    pub key: Loaded,
    pub env: Environment,
    pub hosts: Vec<SubjectName>,
    pub connects: Vec<Target>,
    pub min_days: u32,
    pub timeout: Duration,
    pub now: OffsetDateTime,
    /// The first certificate in the certificate file, or why there is none.
    pub cert_der: Result<Vec<u8>, String>,
    /// The certificates after the first in the same file (a full chain's intermediates), in order.
    pub bundled: Vec<Vec<u8>>,
    pub info: Option<CertificateInfo>,
    pub key_info: Result<PrivateKeyInfo, KeyError>,
    /// `--ca` as read, or why it could not be.
    pub ca: Option<Result<Issuer, String>>,
    /// tlsforge's local CA, when there is one.
    pub local_ca: Option<Issuer>,
    /// Where the local CA lives (whether or not there is one).
    pub ca_dir: CaDir,
    /// The system's roots, read when a check first needs them (`chain` and `--connect` share).
    system_roots: OnceLock<Vec<Vec<u8>>>,
}

impl Context {
    pub(crate) fn load(options: Options, env: Environment) -> Self {
        let (cert_path, cert_source) = match (&options.cert, &env.ssl_cert_path) {
            (Some(path), _) => (path.clone(), Source::Flag),
            (None, Some(var)) if !var.is_empty() => {
                (PathBuf::from(var), Source::Env(crate::config::SSL_CERT_PATH))
            }
            _ => (PathBuf::from("server.crt"), Source::Default),
        };
        let (key_path, key_source) = match (&options.key, &env.ssl_key_path) {
            (Some(path), _) => (path.clone(), Source::Flag),
            // As `env` and `snippet` do: the key beside a certificate named on the command line.
            (None, _) if cert_source == Source::Flag => (cert_path.with_extension("key"), Source::Flag),
            (None, Some(var)) if !var.is_empty() => {
                (PathBuf::from(var), Source::Env(crate::config::SSL_KEY_PATH))
            }
            _ => (PathBuf::from("server.key"), Source::Default),
        };
        let cert = Loaded::read(env.absolute(&cert_path), cert_source);
        let key = Loaded::read(env.absolute(&key_path), key_source);
        let cert_der = match &cert.bytes {
            Ok(bytes) => certificate_der(bytes),
            Err(_) => Err("unreadable".to_owned()),
        };
        let info = cert_der.as_ref().ok().and_then(|der| CertificateInfo::from_der(der).ok()).map(|(i, _)| i);
        let bundled = match (&cert.bytes, &cert_der) {
            (Ok(bytes), Ok(_)) => following_certificates(bytes),
            _ => Vec::new(),
        };
        let key_info = match &key.bytes {
            Ok(bytes) => keyfile::parse_pem(&String::from_utf8_lossy(bytes)),
            Err(_) => Err(KeyError::Malformed("unreadable")),
        };
        let ca = options.ca.map(|path| {
            let path = env.absolute(&path);
            input::read(&path, input::BUNDLE)
                .map_err(|e| format!("cannot read --ca {}: {e}", path.display()))
                .and_then(|bytes| {
                    certificate_der(&bytes).map_err(|e| format!("--ca {}: {e}", path.display()))
                })
                .map(|der| Issuer { der, path, local: false })
        });
        let local_ca = input::read(&options.ca_dir.cert_path(), input::CERTIFICATE)
            .ok()
            .and_then(|bytes| certificate_der(&bytes).ok())
            .map(|der| Issuer { der, path: options.ca_dir.cert_path(), local: true });
        Self {
            cert,
            key,
            hosts: options.hosts,
            connects: options.connects,
            min_days: options.min_days,
            timeout: options.timeout,
            now: env.now,
            cert_der,
            bundled,
            info,
            key_info,
            ca,
            local_ca,
            ca_dir: options.ca_dir,
            system_roots: OnceLock::new(),
            env,
        }
    }

    /// The operating system's root certificates (DER), read once.
    pub(crate) fn system_roots(&self) -> &[Vec<u8>] {
        self.system_roots.get_or_init(crate::net::connect::system_roots)
    }

    /// The certificate as a [`CertKeyPair`], to ask who issued it.
    pub(crate) fn pair(&self) -> Option<CertKeyPair> {
        let der = self.cert_der.as_ref().ok()?;
        self.info.as_ref()?;
        CertKeyPair::new(self.cert.path.clone(), self.key.path.clone(), der.clone())
    }

    /// The certificate's issuer among `--ca` and the local CA, when one of them issued it.
    pub(crate) fn issuer(&self) -> Option<&Issuer> {
        let pair = self.pair()?;
        let given = self.ca.as_ref().and_then(|ca| ca.as_ref().ok());
        given
            .into_iter()
            .chain(self.local_ca.as_ref())
            .find(|ca| ca.der != pair.cert_der() && pair.is_issued_by(&ca.der))
    }

    /// `tlsforge gen` writing a new pair where the checked files are, for the names needed:
    /// the `--host` values, else the certificate's names, else gen's defaults.
    pub(crate) fn gen_command(&self, force: bool) -> String {
        let names: Vec<String> = if self.hosts.is_empty() {
            self.cert_names()
        } else {
            self.hosts.iter().map(ToString::to_string).collect()
        };
        self.gen_with(force, names)
    }

    /// The DNS names and IP addresses of the certificate's subjectAltName.
    pub(crate) fn cert_names(&self) -> Vec<String> {
        let Some(info) = &self.info else { return Vec::new() };
        let dns = info.alt_names.dns_names.iter().cloned();
        dns.chain(info.alt_names.ip_addresses.iter().map(ToString::to_string)).collect()
    }

    /// `tlsforge gen` for exactly `names` (gen's defaults when empty), where the files are.
    pub(crate) fn gen_with(&self, force: bool, names: Vec<String>) -> String {
        self.gen_line(force, self.issuer().is_some_and(|ca| ca.local), names)
    }

    /// `tlsforge gen`, from the local CA when `from_ca`.
    pub(crate) fn gen_line(&self, force: bool, from_ca: bool, names: Vec<String>) -> String {
        let mut command = "tlsforge gen".to_owned();
        let dir = self.cert.path.parent().unwrap_or(Path::new("."));
        if self.env.cwd.as_deref() != Some(dir) {
            let _ = write!(command, " --out {}", crate::text::shell_path(dir));
        }
        let stem = self.cert.path.file_stem().and_then(|s| s.to_str()).unwrap_or("server");
        if stem != "server" {
            let _ = write!(command, " --name {}", crate::text::shell_path(Path::new(stem)));
        }
        if from_ca {
            command.push_str(" --ca");
        }
        if force {
            command.push_str(" --force");
        }
        for name in names {
            command.push(' ');
            command.push_str(&crate::text::shell_path(Path::new(&name)));
        }
        command
    }

    /// The certificate path as a shell user would type it.
    pub(crate) fn cert_arg(&self) -> String {
        crate::text::shell_path(&self.cert.path)
    }

    pub(crate) fn key_arg(&self) -> String {
        crate::text::shell_path(&self.key.path)
    }
}

/// The first certificate in PEM text or DER bytes.
/// Every certificate after the first: PEM blocks in order, or DER certificates back to back.
fn following_certificates(bytes: &[u8]) -> Vec<Vec<u8>> {
    content::certificates(bytes).into_iter().skip(1).collect()
}

fn certificate_der(bytes: &[u8]) -> Result<Vec<u8>, String> {
    content::first_certificate(bytes)
}
