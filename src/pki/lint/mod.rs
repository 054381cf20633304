//! Lint: what real clients refuse in a certificate, as rules named after the client that
//! enforces them (Python's strict mode, Apple, Chrome, rustls, Firefox) and the fix for each.
//! `inspect --lint` and doctor's `lint` check run them on any certificate, whoever made it; the
//! doctor checks about one concept (key size, signature, lifetime, serverAuth) decide it with
//! the predicates here. One file per client; [`RULES`] lists them all, their ids stable.

mod apple;
mod chrome;
mod firefox;
mod python;
mod rfc5280;
mod rustls;

use serde::Serialize;
use time::Duration;

use super::describe::{CertificateInfo, Layout};
use super::keyfile::{KeyAlgo, PublicKeyInfo};
use super::validity::{self, MAX_DAYS};

/// The client (or standard) that enforces a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    /// OpenSSL's X.509 strict mode, which Python 3.13+ turns on in its default context
    /// (requests, httpx and aiohttp included); `openssl verify -x509_strict`.
    PythonStrict,
    Apple,
    Chrome,
    Rustls,
    Firefox,
    /// The standard itself, where no client refuses yet (pkilint and zlint report it).
    Rfc5280,
}

impl Client {
    /// How people know the client.
    pub fn name(self) -> &'static str {
        match self {
            Self::PythonStrict => "Python 3.13+ / OpenSSL strict",
            Self::Apple => "Apple macOS/iOS",
            Self::Chrome => "Chrome",
            Self::Rustls => "rustls/webpki",
            Self::Firefox => "Firefox (NSS)",
            Self::Rfc5280 => "RFC 5280",
        }
    }
}

/// Whether the client refuses the certificate (`error`) or only a standard asks (`warning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable: README lists every id.
    pub id: &'static str,
    pub client: Client,
    pub level: Level,
    pub message: String,
    pub fix: &'static str,
}

/// What the certificate is used as, when the caller knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A server sends it as its own certificate (doctor's certificate, a `--connect` leaf).
    Served,
    /// Found in a file: a CA certificate counts as a server's only when it names hosts (a
    /// DNS name or an IP address in its subjectAltName), as a CA:TRUE self-signed leaf does.
    Unknown,
}

/// A rule: its id, who enforces it, and the check that says why a certificate breaks it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub id: &'static str,
    pub client: Client,
    pub level: Level,
    pub fix: &'static str,
    check: fn(&Subject<'_>) -> Option<String>,
}

/// The certificate under lint, and whether a server presents it.
pub(crate) struct Subject<'a> {
    cert: &'a CertificateInfo,
    served: bool,
}

impl Subject<'_> {
    fn layout(&self) -> &Layout {
        &self.cert.layout
    }

    /// A certificate someone else signed: it needs an authority key identifier, and its
    /// signature is checked (a root's own signature is not).
    fn issued(&self) -> bool {
        !self.cert.self_signed
    }

    fn names_hosts(&self) -> bool {
        names_hosts(self.cert)
    }

    /// Part of a chain of two or more, where OpenSSL's strict mode applies: issued by another
    /// certificate, or a CA that issues. A self-signed certificate served and trusted as itself
    /// is a chain of one.
    fn chained(&self) -> bool {
        self.issued() || !self.served
    }

    /// `signed with ALG: WHY`, for an issued certificate signed with SHA-1 (or MD5).
    fn weak_signature(&self, why: &str) -> Option<String> {
        let algorithm = &self.cert.signature_algorithm;
        (self.issued() && weak_signature(algorithm)).then(|| format!("signed with {algorithm}: {why}"))
    }

    /// `the key is RSA 1024: WHY`, for an RSA (or DSA) key under [`MIN_RSA_BITS`].
    fn small_key(&self, why: &str) -> Option<String> {
        key_too_small(&self.cert.key).then(|| format!("the key is {}: {why}", self.cert.key.describe()))
    }

    /// `WHO`'s refusal of a CA:TRUE certificate that a server presents as its own.
    fn ca_as_server(&self, why: &str) -> Option<String> {
        (self.served && self.cert.is_ca).then(|| {
            format!("a CA certificate (basicConstraints CA:TRUE) used as a server's certificate: {why}")
        })
    }
}

/// The fixes several clients' rules share.
const SHA2_FIX: &str = "re-issue it signed with SHA-256 or better";
const KEY_FIX: &str = "re-issue it with an RSA key of 2048 bits or more, or ECDSA (tlsforge gen's default)";
const LEAF_FIX: &str = "serve a leaf issued by the CA instead (tlsforge gen --ca NAME...), and trust the CA";

/// Every rule, by client, in the order findings are reported.
pub(crate) const RULES: &[&[Rule]] =
    &[python::RULES, apple::RULES, chrome::RULES, rustls::RULES, firefox::RULES, rfc5280::RULES];

/// Every rule a certificate breaks, errors and warnings, in [`RULES`] order.
pub(crate) fn lint(cert: &CertificateInfo, role: Role) -> Vec<Finding> {
    let served = role == Role::Served || !cert.is_ca || names_hosts(cert);
    let subject = Subject { cert, served };
    RULES
        .iter()
        .flat_map(|rules| rules.iter())
        .filter_map(|rule| {
            (rule.check)(&subject).map(|message| Finding {
                id: rule.id,
                client: rule.client,
                level: rule.level,
                message,
                fix: rule.fix,
            })
        })
        .collect()
}

/// The rule with this id.
#[cfg(test)]
pub(crate) fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().flat_map(|rules| rules.iter()).find(|rule| rule.id == id)
}

/// Whether a subjectAltName names a host (what a server certificate is matched on).
fn names_hosts(cert: &CertificateInfo) -> bool {
    !cert.alt_names.dns_names.is_empty() || !cert.alt_names.ip_addresses.is_empty()
}

/// The smallest RSA (and DSA) key clients accept: Apple, rustls/webpki and browsers refuse less.
pub(crate) const MIN_RSA_BITS: usize = 2048;

/// An RSA or DSA key shorter than [`MIN_RSA_BITS`].
pub(crate) fn key_too_small(key: &PublicKeyInfo) -> bool {
    matches!(key.algorithm, KeyAlgo::Rsa | KeyAlgo::RsaPss | KeyAlgo::Dsa)
        && key.bits.is_some_and(|bits| bits < MIN_RSA_BITS)
}

/// A signature algorithm on SHA-1 (or MD5, MD2), which every current client rejects.
pub(crate) fn weak_signature(algorithm: &str) -> bool {
    let lower = algorithm.to_ascii_lowercase();
    lower.contains("sha1") || lower.contains("md5") || lower.contains("md2")
}

/// Whether an extended key usage allows a TLS server: `None` (no extension) is `None`, as the
/// answer differs between clients (Apple requires the extension; others accept its absence).
pub(crate) fn allows_server_auth(usages: Option<&[String]>) -> Option<bool> {
    usages.map(|usages| usages.iter().any(|u| u == "serverAuth" || u == "anyExtendedKeyUsage"))
}

/// The validity, counted inclusively, when it exceeds [`MAX_DAYS`] (Apple's limit for server
/// certificates).
pub(crate) fn longer_than_apple_allows(cert: &CertificateInfo) -> Option<Duration> {
    let lifetime = validity::lifetime(cert.not_before, cert.not_after);
    (lifetime > Duration::days(i64::from(MAX_DAYS))).then_some(lifetime)
}

#[cfg(test)]
pub(crate) mod tests;
