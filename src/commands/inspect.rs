//! `tlsforge inspect`: what certificates, keys and requests hold and when certificates expire,
//! from files, directories, stdin and live servers; exit statuses fit for CI.

use std::path::PathBuf;

use anyhow::Result;
use time::Duration;

use crate::cli::InspectArgs;
use crate::error::Error;
use crate::host::Host;
use crate::net::connect::{self, Anchors, Handshake, Target};
use crate::pki::content;
use crate::pki::content::{Content, Found, PrivateKey};
use crate::pki::describe::{CertificateInfo, Standing};
use crate::pki::keyfile::{PrivateKeyInfo, PublicKeyInfo};
use crate::pki::sources::{self, Input};
use crate::report::inspect::{
    CertRef, CertificateEntry, Connection, CsrEntry, Entry, ErrorEntry, InspectReport, KeyEntry,
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
}

impl Options {
    pub fn from_args(args: &InspectArgs) -> Result<Self> {
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
        })
    }
}

/// `30d`, `12h`, `90m`, `3600s`; a bare number is days. At most 100 years.
pub fn parse_window(text: &str) -> Result<Duration, String> {
    let bad =
        || format!("invalid --expiring-within {text:?}: expected e.g. 30d, 12h, 90m, 3600s or 30 (days)");
    let trimmed = text.trim();
    let (number, unit) = match trimmed.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => (&trimmed[..at], c.to_ascii_lowercase()),
        _ => (trimmed, 'd'),
    };
    let value: i64 = number.parse().ok().filter(|v| *v >= 0).ok_or_else(bad)?;
    let seconds_per_unit = match unit {
        'd' => 86_400,
        'h' => 3_600,
        'm' => 60,
        's' => 1,
        _ => return Err(bad()),
    };
    let seconds = value.checked_mul(seconds_per_unit).filter(|s| *s <= 36_500 * 86_400);
    seconds
        .map(Duration::seconds)
        .ok_or_else(|| format!("invalid --expiring-within {text:?}: at most 100 years"))
}

/// Read every input and handshake, in the order given.
pub fn execute(options: &Options, host: &Host) -> InspectReport {
    let now = host.now;
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let gathered = sources::gather(&options.paths, options.recursive, workers);
    let mut entries = Vec::new();
    let mut keys = Vec::new();
    for input in gathered.inputs {
        add_input(input, &mut entries, &mut keys);
    }
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
            add_handshake(target, result, &mut entries);
        }
    }
    let window = options.window.as_ref().map(|(duration, _)| *duration);
    for entry in &mut entries {
        if let Entry::Certificate(cert) = entry {
            cert.days_remaining = cert.cert.days_remaining(now);
            cert.status = cert.cert.standing(now, window);
        }
    }
    match_keys(&mut entries, &keys);
    InspectReport { entries, skipped: gathered.skipped, window: options.window.clone() }
}

fn add_input(input: Input, entries: &mut Vec<Entry>, keys: &mut Vec<(usize, PrivateKeyInfo)>) {
    let Input { source, content } = input;
    let items = match content {
        Ok(Content::Items(items)) if items.is_empty() => {
            let error = "nothing to inspect in it".to_owned();
            entries.push(Entry::Error(ErrorEntry { source, index: None, error }));
            return;
        }
        Ok(Content::Items(items)) => items,
        Ok(Content::Unrecognised(reason)) => {
            entries.push(Entry::Error(ErrorEntry { source, index: None, error: reason.to_owned() }));
            return;
        }
        Err(reason) => {
            entries.push(Entry::Error(ErrorEntry { source, index: None, error: reason }));
            return;
        }
    };
    for (index, item) in items.into_iter().enumerate() {
        let source = source.clone();
        entries.push(match item {
            Ok(Found::Certificate(cert)) => {
                Entry::Certificate(Box::new(certificate_entry(source, index, *cert, None)))
            }
            Ok(Found::Csr(csr)) => Entry::Csr(CsrEntry { source, index, csr: *csr }),
            Ok(Found::PrivateKey(PrivateKey::Encrypted)) => Entry::PrivateKey(KeyEntry {
                source,
                index,
                encrypted: true,
                format: None,
                key: None,
                matching_certificates: None,
            }),
            Ok(Found::PrivateKey(PrivateKey::Readable(key))) => {
                keys.push((entries.len(), key.clone()));
                Entry::PrivateKey(KeyEntry {
                    source,
                    index,
                    encrypted: false,
                    format: Some(key.format),
                    key: Some(PublicKeyInfo { algorithm: key.algorithm, bits: key.bits, curve: key.curve }),
                    matching_certificates: None,
                })
            }
            Err(error) => Entry::Error(ErrorEntry { source, index: Some(index), error }),
        });
    }
}

fn certificate_entry(
    source: String,
    index: usize,
    cert: CertificateInfo,
    connection: Option<Connection>,
) -> CertificateEntry {
    CertificateEntry { source, index, cert, days_remaining: 0, status: Standing::Valid, connection }
}

fn add_handshake(target: &Target, result: Result<Handshake, String>, entries: &mut Vec<Entry>) {
    let source = target.to_string();
    let handshake = match result {
        Ok(handshake) => handshake,
        Err(error) => {
            entries.push(Entry::Error(ErrorEntry { source, index: None, error }));
            return;
        }
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
    for (index, der) in handshake.chain.iter().enumerate() {
        entries.push(match CertificateInfo::from_der(der) {
            Ok((cert, _)) => Entry::Certificate(Box::new(certificate_entry(
                source.clone(),
                index,
                cert,
                Some(connection.clone()),
            ))),
            Err(error) => Entry::Error(ErrorEntry { source: source.clone(), index: Some(index), error }),
        });
    }
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

/// For each readable key, the certificates of this run that carry its public key.
fn match_keys(entries: &mut [Entry], keys: &[(usize, PrivateKeyInfo)]) {
    for (position, key) in keys {
        let matches = key.knows_public_key().then(|| {
            entries
                .iter()
                .filter_map(|entry| match entry {
                    Entry::Certificate(cert) => Some(cert),
                    _ => None,
                })
                .filter(|cert| key.matches_public_key(cert.cert.subject_public_key()) == Some(true))
                .map(|cert| CertRef { source: cert.source.clone(), index: cert.index })
                .collect()
        });
        if let Some(Entry::PrivateKey(entry)) = entries.get_mut(*position) {
            entry.matching_certificates = matches;
        }
    }
}

/// The exit status: 2 when an input failed (after everything was reported), else 1 when a
/// certificate has expired or expires within the window, else 0.
pub fn outcome(report: &InspectReport) -> Result<()> {
    let failed = report.entries.iter().filter(|e| matches!(e, Entry::Error(_))).count();
    let mut expired = Vec::new();
    let mut expiring = Vec::new();
    for entry in &report.entries {
        if let Entry::Certificate(cert) = entry {
            let name = format!("{} #{}", cert.source, cert.index);
            match cert.status {
                Standing::Expired => expired.push(name),
                Standing::Expiring => expiring.push(name),
                Standing::Valid | Standing::NotYetValid => {}
            }
        }
    }
    let mut parts = Vec::new();
    if !expired.is_empty() {
        parts.push(format!("{} expired ({})", certificates(expired.len()), some(&expired)));
    }
    if let (false, Some((_, window))) = (expiring.is_empty(), &report.window) {
        parts.push(format!("{} within {window} ({})", expire(expiring.len()), some(&expiring)));
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
fn some(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text = format!("{text} and {} more", names.len() - SHOWN);
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
        let names: Vec<String> = (0..5).map(|i| format!("f #{i}")).collect();
        assert_eq!(some(&names[..2]), "f #0, f #1");
        assert_eq!(some(&names), "f #0, f #1, f #2 and 2 more");
    }
}
