//! Subject names: parsing, validation and normalisation of what goes into a subjectAltName.
//!
//! Anything that parses as an IP address becomes an iPAddress SAN (never a dNSName: clients
//! would not match it). DNS names are converted to punycode, lower-cased and checked label by
//! label; wildcards cover exactly one leftmost label under at least two more labels.

use std::fmt;
use std::net::IpAddr;

/// The defaults when no name is given at all.
pub(crate) const DEFAULT_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

const MAX_NAME_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// One name a certificate covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SubjectName {
    /// An ASCII (punycode), lower-case DNS name, possibly starting with `*.`.
    Dns(String),
    Ip(IpAddr),
}

impl SubjectName {
    /// Parse a name given on the command line: an IP address if it is one, else a DNS name.
    pub(crate) fn parse(input: &str) -> Result<Self, NameError> {
        let trimmed = input.trim();
        if let Some(ip) = parse_ip(trimmed) {
            return Ok(Self::Ip(ip));
        }
        if trimmed.contains('%') && parse_ip(trimmed.split('%').next().unwrap_or("")).is_some() {
            return Err(NameError::new(input, "an IP address with a zone index cannot be in a certificate"));
        }
        parse_dns(trimmed).map(Self::Dns).map_err(|reason| NameError::new(input, reason))
    }

    /// Parse a value that must be an IP address.
    pub(crate) fn parse_ip(input: &str) -> Result<Self, NameError> {
        parse_ip(input.trim())
            .map(Self::Ip)
            .ok_or_else(|| NameError::new(input, "not an IPv4 or IPv6 address"))
    }
}

impl fmt::Display for SubjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(name) => f.write_str(name),
            Self::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// A name that cannot go into a certificate, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameError {
    pub input: String,
    pub reason: String,
}

impl NameError {
    fn new(input: &str, reason: impl Into<String>) -> Self {
        Self { input: input.to_owned(), reason: reason.into() }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid name {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for NameError {}

/// Names in the order given, duplicates folded.
pub(crate) fn dedup(names: impl IntoIterator<Item = SubjectName>) -> Vec<SubjectName> {
    let mut out: Vec<SubjectName> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    let unbracketed = s.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).unwrap_or(s);
    unbracketed.parse().ok()
}

/// Validate and normalise a DNS name (wildcards allowed in the leftmost label only).
pub(crate) fn parse_dns(input: &str) -> Result<String, String> {
    if input.is_empty() {
        return Err("the name is empty".into());
    }
    // One trailing dot is the fully-qualified spelling of the same name.
    let input = input.strip_suffix('.').unwrap_or(input);
    let (wildcard, rest) = match input.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    if rest.contains('*') {
        return Err(if input == "*" {
            "a bare wildcard matches nothing clients accept; use *.example.test".into()
        } else {
            "a wildcard may only be the whole leftmost label, as in *.example.test".into()
        });
    }
    let ascii = to_ascii(rest)?;
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        check_label(label)?;
    }
    if labels.last().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit())) {
        return Err("not a valid IP address, and a DNS name cannot end in a numeric label".into());
    }
    if wildcard && labels.len() < 2 {
        return Err(format!(
            "*.{ascii} would cover a whole top-level domain, which browsers refuse; \
             use *.app.{ascii} or list the names"
        ));
    }
    let name = if wildcard { format!("*.{ascii}") } else { ascii };
    if name.len() > MAX_NAME_LEN {
        return Err(format!("longer than {MAX_NAME_LEN} characters"));
    }
    Ok(name)
}

fn to_ascii(name: &str) -> Result<String, String> {
    if name.is_ascii() {
        return Ok(name.to_ascii_lowercase());
    }
    idna::domain_to_ascii(name).map_err(|_| "not a valid internationalised domain name".to_owned())
}

fn check_label(label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Err("empty label (two dots in a row, or a leading dot)".into());
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(format!("label {label:?} is longer than {MAX_LABEL_LEN} characters"));
    }
    // Underscores are not hostname characters, but container and service names use them
    // and clients accept them in certificates (as mkcert does).
    if let Some(bad) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("character {bad:?} is not allowed in a DNS name"));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(format!("label {label:?} starts or ends with a hyphen"));
    }
    // An A-label must decode to a valid U-label, or browsers refuse the name.
    if label.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("xn--"))
        && idna::domain_to_unicode(label).1.is_err()
    {
        return Err(format!("label {label:?} is not valid punycode"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dns(s: &str) -> SubjectName {
        SubjectName::Dns(s.into())
    }

    #[test]
    fn ip_addresses_become_ip_names_even_as_domains() {
        assert_eq!(
            SubjectName::parse("192.168.1.100"),
            Ok(SubjectName::Ip("192.168.1.100".parse().unwrap()))
        );
        assert_eq!(SubjectName::parse("::1"), Ok(SubjectName::Ip("::1".parse().unwrap())));
        assert_eq!(SubjectName::parse("[fe80::1]"), Ok(SubjectName::Ip("fe80::1".parse().unwrap())));
    }

    #[test]
    fn dns_names_are_normalised() {
        assert_eq!(SubjectName::parse("LocalHost"), Ok(dns("localhost")));
        assert_eq!(SubjectName::parse("app.test."), Ok(dns("app.test")));
        assert_eq!(SubjectName::parse("bücher.example"), Ok(dns("xn--bcher-kva.example")));
        assert_eq!(SubjectName::parse("xn--bcher-kva.example"), Ok(dns("xn--bcher-kva.example")));
        assert!(SubjectName::parse("xn--zz.example").unwrap_err().to_string().contains("not valid punycode"));
        assert_eq!(SubjectName::parse("*.app.test"), Ok(dns("*.app.test")));
        assert_eq!(SubjectName::parse("my_service"), Ok(dns("my_service")));
    }

    #[test]
    fn bad_names_are_refused_with_a_reason() {
        for bad in [
            "",
            "*",
            "*.com",
            "*.localhost",
            "foo.*.test",
            "f*.test",
            "a..b",
            ".a",
            "-a.test",
            "a-.test",
            "a b",
            "a/b",
            "999.1.1.1",
            "1.2.3",
            "fe80::1%eth0",
        ] {
            let err = SubjectName::parse(bad).expect_err(bad);
            assert!(!err.reason.is_empty());
        }
        let long_label = "a".repeat(64);
        assert!(SubjectName::parse(&format!("{long_label}.test")).is_err());
        let long_name = ["a".repeat(63).as_str(); 4].join(".") + ".test";
        assert!(SubjectName::parse(&long_name).is_err());
    }

    #[test]
    fn parse_ip_refuses_dns_names() {
        assert!(SubjectName::parse_ip("localhost").is_err());
        assert!(SubjectName::parse_ip("10.0.0.1").is_ok());
    }

    #[test]
    fn dedup_keeps_first_order() {
        let names = ["b.test", "a.test", "B.test", "127.0.0.1", "127.0.0.1"]
            .iter()
            .map(|n| SubjectName::parse(n).unwrap());
        let out: Vec<String> = dedup(names).iter().map(ToString::to_string).collect();
        assert_eq!(out, ["b.test", "a.test", "127.0.0.1"]);
    }
}
