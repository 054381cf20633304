//! `tlsforge inspect`: what certificates, keys and requests hold and when certificates expire,
//! from files, directories, stdin and live servers; exit statuses fit for CI.

use std::path::PathBuf;

use anyhow::Result;
use time::Duration;

use super::password::{self, Purpose};
use crate::cli::InspectArgs;
use crate::error::Error;
use crate::host::Host;
use crate::net::connect::{self, Anchors, Handshake, Target};
use crate::pki::content;
use crate::pki::content::{Content, Found, PrivateKey};
use crate::pki::describe::{CertificateInfo, Standing};
use crate::pki::keyfile::{self, PrivateKeyInfo, PublicKeyInfo};
use crate::pki::lint::{self, Level, Role};
use crate::pki::matching::{CertIndex, Place};
use crate::pki::p12::{self, OpenError, Password};
use crate::pki::sources::{self, Input};
use crate::report::inspect::{
    CertRef, CertificateEntry, Connection, CsrEntry, Entry, ErrorEntry, InspectReport, KeyEntry, Names,
    Pkcs12Entry,
};

/// Validated options for one `inspect` run.
#[derive(Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub targets: Vec<Target>,
    pub servername: Option<String>,
    pub recursive: bool,
    /// `--expiring-within`, and how the user wrote it (for messages).
    pub window: Option<(Duration, String)>,
    pub timeout: std::time::Duration,
    pub ca_dir: Option<PathBuf>,
    /// `--p12-password-file`, absolute.
    pub p12_password_file: Option<PathBuf>,
    /// `--lint`: judge each certificate against the clients' rules.
    pub lint: bool,
}

impl Options {
    pub fn from_args(args: &InspectArgs, host: &Host) -> Result<Self> {
        if args.paths.is_empty() && args.connects.is_empty() {
            return Err(Error::input("nothing to inspect")
                .hint("give files or directories, - for stdin, or --connect HOST:PORT")
                .into());
        }
        let targets = args
            .connects
            .iter()
            .map(|t| Target::parse(t).map_err(Error::input))
            .collect::<Result<Vec<_>, _>>()?;
        let window = match &args.expiring_within {
            Some(text) => Some((parse_window(text).map_err(Error::input)?, text.clone())),
            None => None,
        };
        Ok(Self {
            paths: args.paths.clone(),
            targets,
            servername: args.servername.clone(),
            recursive: args.recursive,
            window,
            timeout: std::time::Duration::from_secs(args.timeout),
            ca_dir: args.ca_dir.path.clone(),
            p12_password_file: args.p12_password.p12_password_file.as_ref().map(|f| host.absolute(f)),
            lint: args.lint,
        })
    }
}

/// `30d`, `12h`, `90m`, `3600s`; a bare number is days. At most 100 years.
pub fn parse_window(text: &str) -> Result<Duration, String> {
    window("--expiring-within", text)
}

/// A window given to `flag` (`list --expiring-within`, `renew --within` too): a span as
/// [`crate::text::seconds`] reads it, a bare number in days, at most 100 years.
pub(crate) fn window(flag: &str, text: &str) -> Result<Duration, String> {
    let bad = || format!("invalid {flag} {text:?}: expected e.g. 30d, 12h, 90m, 3600s or 30 (days)");
    let seconds = crate::text::seconds(text, 'd').ok_or_else(bad)?;
    let seconds = Some(seconds).filter(|s| *s <= 36_500 * 86_400);
    seconds.map(Duration::seconds).ok_or_else(|| format!("invalid {flag} {text:?}: at most 100 years"))
}

/// Read every input and handshake, in the order given, handing each entry to `emit` as soon as
/// it is complete: memory does not grow with the number of files. Private keys come last, once
/// every certificate they may match has been seen (see [`CertIndex`]).
pub fn execute(
    options: &Options,
    host: &Host,
    emit: &mut dyn FnMut(&Entry) -> Result<()>,
) -> Result<InspectReport> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut run = Run {
        now: host.now,
        window: options.window.as_ref().map(|(duration, _)| *duration),
        lint: options.lint,
        report: InspectReport { window: options.window.clone(), ..InspectReport::default() },
        certificates: CertIndex::default(),
        keys: Vec::new(),
        emit,
        unlock: Unlock { file: options.p12_password_file.as_deref(), host, password: None },
    };
    run.report.skipped =
        sources::gather(&options.paths, options.recursive, workers, |input| run.input(input))?;
    if !options.targets.is_empty() {
        let anchors = Anchors::system_and(&local_ca(options.ca_dir.clone(), host));
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = options
                .targets
                .iter()
                .map(|target| {
                    let anchors = &anchors;
                    scope.spawn(move || {
                        connect::fetch_chain(target, options.servername.as_deref(), anchors, options.timeout)
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("connection failed".to_owned())))
                .collect()
        });
        for (target, result) in options.targets.iter().zip(results) {
            for entry in handshake_entries(target, result) {
                run.entry(entry)?;
            }
        }
    }
    run.finish()
}

/// One run: what is counted, and what is held back for key matching.
struct Run<'a> {
    now: time::OffsetDateTime,
    window: Option<Duration>,
    lint: bool,
    report: InspectReport,
    /// Every certificate so far, for keys to match against.
    certificates: CertIndex,
    /// The private keys, emitted at the end, each with its public half when the file reveals it.
    keys: Vec<(KeyEntry, Option<Vec<u8>>)>,
    emit: &'a mut dyn FnMut(&Entry) -> Result<()>,
    unlock: Unlock<'a>,
}

/// The password of the PKCS#12 files of a run: looked for (or asked) at the first one.
struct Unlock<'a> {
    file: Option<&'a std::path::Path>,
    host: &'a Host,
    password: Option<Result<Password, String>>,
}

impl Unlock<'_> {
    fn password(&mut self) -> Result<Password, String> {
        let (file, host) = (self.file, self.host);
        self.password
            .get_or_insert_with(|| {
                password::resolve(file, host, Purpose::Open, "a PKCS#12 file").map_err(|e| {
                    let hint =
                        e.downcast_ref::<Error>().and_then(Error::hint_text).map(|h| format!(" ({h})"));
                    format!("{e}{}", hint.unwrap_or_default())
                })
            })
            .clone()
    }
}

impl Run<'_> {
    fn input(&mut self, input: Input) -> Result<()> {
        let Input { source, content } = input;
        let items = match content {
            Ok(Content::Items(items)) if items.is_empty() => {
                let error = "nothing to inspect in it".to_owned();
                return self.entry(Entry::Error(ErrorEntry { source, index: None, error }));
            }
            Ok(Content::Items(items)) => items,
            Ok(Content::Unrecognised(reason)) => {
                let error = reason.to_owned();
                return self.entry(Entry::Error(ErrorEntry { source, index: None, error }));
            }
            Err(error) => return self.entry(Entry::Error(ErrorEntry { source, index: None, error })),
        };
        // A PKCS#12 archive's certificates and keys number on after it.
        let mut next = 0;
        for item in items {
            let source = source.clone();
            let index = next;
            next += 1;
            let entry = match item {
                Ok(Found::Pkcs12(p12)) => {
                    next += self.pkcs12(source, index, &p12)?;
                    continue;
                }
                Ok(Found::Certificate(cert)) => {
                    Entry::Certificate(Box::new(certificate_entry(source, index, *cert, None)))
                }
                Ok(Found::Csr(csr)) => Entry::Csr(CsrEntry { source, index, csr: *csr }),
                Ok(Found::PrivateKey(PrivateKey::Encrypted)) => {
                    let entry = KeyEntry {
                        source,
                        index,
                        encrypted: true,
                        format: None,
                        key: None,
                        matching_certificates: None,
                    };
                    self.key(entry, None);
                    continue;
                }
                Ok(Found::PrivateKey(PrivateKey::Readable(key))) => {
                    self.readable_key(source, index, &key);
                    continue;
                }
                Err(error) => Entry::Error(ErrorEntry { source, index: Some(index), error }),
            };
            self.entry(entry)?;
        }
        Ok(())
    }

    /// A PKCS#12 archive, opened with the run's password: an entry for it, then one for each
    /// certificate and key inside, numbered on from `index`. Returns how many followed it.
    fn pkcs12(&mut self, source: String, index: usize, p12: &content::Pkcs12) -> Result<usize> {
        let opened = self.unlock.password().and_then(|password| {
            p12::open(&p12.der, &password).map_err(|e| match e {
                OpenError::WrongPassword => {
                    "wrong password: the PKCS#12 MAC does not verify with it".to_owned()
                }
                OpenError::Unreadable(reason) => format!("a PKCS#12 file that cannot be read: {reason}"),
            })
        });
        let opened = match opened {
            Ok(opened) => opened,
            Err(error) => {
                self.entry(Entry::Error(ErrorEntry { source, index: None, error }))?;
                return Ok(0);
            }
        };
        // A key and its certificate carry the same alias: each name once, in order.
        let mut names: Vec<String> = Vec::new();
        for (_, name) in opened.keys.iter().chain(&opened.certificates) {
            if let Some(name) = name.as_ref().filter(|name| !names.contains(name)) {
                names.push(name.clone());
            }
        }
        self.entry(Entry::Pkcs12(Pkcs12Entry {
            source: source.clone(),
            index,
            protection: p12.protection,
            certificates: opened.certificates.len(),
            keys: opened.keys.len(),
            friendly_names: names,
        }))?;
        let inside = opened.certificates.len() + opened.keys.len();
        let mut at = index;
        for (der, _) in opened.certificates {
            at += 1;
            let entry = match CertificateInfo::from_der(&der) {
                Ok((cert, _)) => {
                    Entry::Certificate(Box::new(certificate_entry(source.clone(), at, cert, None)))
                }
                Err(error) => Entry::Error(ErrorEntry { source: source.clone(), index: Some(at), error }),
            };
            self.entry(entry)?;
        }
        for (der, _) in opened.keys {
            at += 1;
            match keyfile::parse("PRIVATE KEY", &der) {
                Ok(key) => self.readable_key(source.clone(), at, &key),
                Err(e) => {
                    let error = e.to_string();
                    self.entry(Entry::Error(ErrorEntry { source: source.clone(), index: Some(at), error }))?;
                }
            }
        }
        Ok(inside)
    }

    /// A key that could be read, described without its secret.
    fn readable_key(&mut self, source: String, index: usize, key: &PrivateKeyInfo) {
        let entry = KeyEntry {
            source,
            index,
            encrypted: false,
            format: Some(key.format),
            key: Some(PublicKeyInfo { algorithm: key.algorithm, bits: key.bits, curve: key.curve }),
            matching_certificates: None,
        };
        self.key(entry, key.public_key().map(<[u8]>::to_vec));
    }

    /// Count a key, and keep it for the end, when every certificate it may match is known.
    fn key(&mut self, entry: KeyEntry, public_key: Option<Vec<u8>>) {
        self.report.keys += 1;
        self.keys.push((entry, public_key));
    }

    /// Count one entry (not a key), and emit it.
    fn entry(&mut self, mut entry: Entry) -> Result<()> {
        let report = &mut self.report;
        match &mut entry {
            Entry::Certificate(cert) => {
                cert.days_remaining = cert.cert.days_remaining(self.now);
                cert.status = cert.cert.standing(self.now, self.window);
                report.certificates += 1;
                let name = || format!("{} #{}", cert.source, cert.index);
                match cert.status {
                    Standing::Expired => report.expired.add(name()),
                    Standing::Expiring => report.expiring.add(name()),
                    Standing::Valid | Standing::NotYetValid => {}
                }
                if self.lint {
                    // A server's own certificate is the first it sends; in a file, lint tells a
                    // server's certificate from a CA's by what it says.
                    let served = cert.connection.is_some() && cert.index == 0;
                    let findings = lint::lint(&cert.cert, if served { Role::Served } else { Role::Unknown });
                    match findings.iter().map(|f| f.level).max() {
                        Some(Level::Error) => report.lint_failed.add(name()),
                        Some(Level::Warning) => report.lint_warned += 1,
                        None => {}
                    }
                    cert.lint = Some(findings);
                }
                let place = Place { source: cert.source.clone(), index: cert.index };
                self.certificates.add(cert.cert.subject_public_key(), place).map_err(spill_failed)?;
            }
            // Keys are counted by `key`, emitted by `finish`; an archive's contents count alone.
            Entry::PrivateKey(_) | Entry::Pkcs12(_) => {}
            Entry::Csr(_) => report.requests += 1,
            Entry::Error(error) => report.errors.push(error.clone()),
        }
        (self.emit)(&entry)
    }

    /// Match the keys against every certificate of the run, and emit them.
    fn finish(self) -> Result<InspectReport> {
        let public_keys: Vec<(usize, &[u8])> = self
            .keys
            .iter()
            .enumerate()
            .filter_map(|(n, (_, public))| Some((n, public.as_deref()?)))
            .collect();
        let mut found = self.certificates.matches(&public_keys).map_err(spill_failed)?;
        for (n, (mut entry, _)) in self.keys.into_iter().enumerate() {
            entry.matching_certificates = found.remove(&n).map(|places| {
                places.into_iter().map(|Place { source, index }| CertRef { source, index }).collect()
            });
            (self.emit)(&Entry::PrivateKey(entry))?;
        }
        Ok(self.report)
    }
}

#[allow(clippy::needless_pass_by_value, reason = "the shape map_err wants")]
fn spill_failed(e: std::io::Error) -> anyhow::Error {
    Error::failed(format!("cannot keep the certificates' public keys in a temporary file: {e}")).into()
}

fn certificate_entry(
    source: String,
    index: usize,
    cert: CertificateInfo,
    connection: Option<Connection>,
) -> CertificateEntry {
    CertificateEntry {
        source,
        index,
        cert,
        days_remaining: 0,
        status: Standing::Valid,
        connection,
        lint: None,
    }
}

fn handshake_entries(target: &Target, result: Result<Handshake, String>) -> Vec<Entry> {
    let source = target.to_string();
    let handshake = match result {
        Ok(handshake) => handshake,
        Err(error) => return vec![Entry::Error(ErrorEntry { source, index: None, error })],
    };
    let connection = Connection {
        host: target.host.clone(),
        port: target.port,
        server_name: handshake.server_name.clone(),
        protocol: handshake.protocol,
        trusted: handshake.trusted,
        name_matches: handshake.name_matches,
        verify_error: handshake.verify_error.clone(),
        handshake_error: handshake.handshake_error.clone(),
    };
    handshake
        .chain
        .iter()
        .enumerate()
        .map(|(index, der)| match CertificateInfo::from_der(der) {
            Ok((cert, _)) => Entry::Certificate(Box::new(certificate_entry(
                source.clone(),
                index,
                cert,
                Some(connection.clone()),
            ))),
            Err(error) => Entry::Error(ErrorEntry { source: source.clone(), index: Some(index), error }),
        })
        .collect()
}

/// The local CA's certificate, when there is one, as an extra trust anchor for `--connect`.
fn local_ca(explicit: Option<PathBuf>, host: &Host) -> Vec<Vec<u8>> {
    let Ok(dir) = super::ca::dir(explicit, host) else { return Vec::new() };
    crate::input::read(&dir.cert_path(), crate::input::CERTIFICATE)
        .ok()
        .and_then(|bytes| content::first_certificate(&bytes).ok())
        .into_iter()
        .collect()
}

/// The exit status: 2 when an input failed (after everything was reported), else 1 when a
/// certificate has expired, expires within the window or, with `--lint`, breaks a rule at
/// error level (a client refuses it), else 0. Lint warnings leave the status alone.
pub fn outcome(report: &InspectReport) -> Result<()> {
    let failed = report.errors.len();
    let (expired, expiring, refused) = (&report.expired, &report.expiring, &report.lint_failed);
    let mut parts = Vec::new();
    if expired.count > 0 {
        parts.push(format!("{} expired ({})", certificates(expired.count), some(expired)));
    }
    if let (true, Some((_, window))) = (expiring.count > 0, &report.window) {
        parts.push(format!("{} within {window} ({})", expire(expiring.count), some(expiring)));
    }
    if refused.count > 0 {
        let what = match refused.count {
            1 => "1 certificate breaks".to_owned(),
            n => format!("{n} certificates break"),
        };
        parts.push(format!("{what} a client's rule ({})", some(refused)));
    }
    if failed > 0 {
        let what = if failed == 1 { "1 input".to_owned() } else { format!("{failed} inputs") };
        let mut message = format!("{what} could not be read or parsed");
        if !parts.is_empty() {
            message = format!("{message}; {}", parts.join("; "));
        }
        return Err(Error::input(message).into());
    }
    if !parts.is_empty() {
        return Err(Error::failed(parts.join("; ")).into());
    }
    Ok(())
}

fn certificates(n: usize) -> String {
    if n == 1 { "1 certificate has".to_owned() } else { format!("{n} certificates have") }
}

fn expire(n: usize) -> String {
    if n == 1 { "1 certificate expires".to_owned() } else { format!("{n} certificates expire") }
}

/// The first few names of a list, and how many more.
fn some(names: &Names) -> String {
    let mut text = names.first.join(", ");
    if names.count > names.first.len() {
        text = format!("{text} and {} more", names.count - names.first.len());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse() {
        assert_eq!(parse_window("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_window("30").unwrap(), Duration::days(30));
        assert_eq!(parse_window("12h").unwrap(), Duration::hours(12));
        assert_eq!(parse_window("90m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_window("3600s").unwrap(), Duration::hours(1));
        assert_eq!(parse_window("0").unwrap(), Duration::ZERO);
        for bad in ["", "d", "-1d", "30x", "1.5d", "ten", "99999999999999999d", "36501d"] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn long_lists_are_shortened() {
        let mut names = Names::default();
        for i in 0..2 {
            names.add(format!("f #{i}"));
        }
        assert_eq!(some(&names), "f #0, f #1");
        for i in 2..5 {
            names.add(format!("f #{i}"));
        }
        assert_eq!(some(&names), "f #0, f #1, f #2 and 2 more");
    }
}
