//! What each fuzz target checks, kept here so that the fuzz targets (`fuzz/`) and the ordinary
//! test suite, which replays every committed seed, run the very same properties. Each function
//! takes whatever bytes the fuzzer makes and panics only when a property does not hold.

use rcgen::{CidrSubnet, GeneralSubtree};
use time::{Duration, OffsetDateTime};

use crate::config::dotenv;
use crate::pki::ca::{self, Permit};
use crate::pki::content::{self, Content, Found, PrivateKey};
use crate::pki::names::SubjectName;

/// Certificates, keys, CSRs and bundles in any encoding, as `inspect` reads them from a file,
/// stdin or a server: items or reasons, never a panic; also `inspect`'s other text inputs.
pub fn parse_content(data: &[u8]) {
    if let Content::Items(items) = content::parse(data) {
        assert!(!items.is_empty(), "content is either items or a reason why there are none");
        let now = OffsetDateTime::now_utc();
        for item in items {
            match item {
                Ok(Found::Certificate(cert)) => {
                    let _ = (cert.days_remaining(now), cert.standing(now, Some(Duration::days(30))));
                    let _ = (cert.alt_names.to_labelled(), cert.key.describe());
                }
                Ok(Found::Csr(csr)) => {
                    let _ = (csr.alt_names.to_labelled(), csr.key.describe());
                }
                Ok(Found::PrivateKey(PrivateKey::Readable(key))) => {
                    let _ = (key.describe(), key.matches_public_key(data));
                }
                Ok(Found::PrivateKey(PrivateKey::Encrypted) | Found::Pkcs12(_)) => {}
                Err(reason) => assert!(!reason.is_empty(), "an unreadable block says why"),
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::net::connect::Target::parse(text);
    }
}

/// `--name` and `--permit`: domains, IP addresses, wildcards, IDNs. The first line is parsed as
/// a name and as a permitted subtree; a second line, when there is one, as the other of a pair.
///
/// - a name that parses is normal: parsing it again gives it back, a DNS name is lower-case
///   ASCII letters, digits, `-`, `_` and dots (a leading `*.` aside), at most 253 characters,
///   and it can go into a certificate;
/// - a permitted subtree that parses prints as something that parses to it again, permits
///   itself, and an IP range survives the address-and-mask form stored in the CA;
/// - a name and a subtree can always be compared.
pub fn names(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (first, second) = text.split_once('\n').unwrap_or((text, ""));
    let name = check_name(first);
    let permit = check_permit(first);
    let (other_name, other_permit) = (check_name(second), check_permit(second));
    for (permit, name) in [(&permit, &other_name), (&other_permit, &name)] {
        if let (Some(permit), Some(name)) = (permit, name) {
            let _ = ca::permitted_by(std::slice::from_ref(permit), name);
        }
    }
}

fn check_name(input: &str) -> Option<SubjectName> {
    let name = SubjectName::parse(input).ok()?;
    let again = SubjectName::parse(&name.to_string());
    assert_eq!(again.as_ref(), Ok(&name), "{input:?} parses to {name}, which parses to {again:?}");
    if let SubjectName::Dns(dns) = &name {
        let bare = dns.strip_prefix("*.").unwrap_or(dns);
        assert!(
            bare.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)),
            "{input:?} gave {dns:?}"
        );
        assert!(dns.len() <= 253 && !bare.is_empty() && !bare.contains(".."), "{input:?} gave {dns:?}");
    }
    assert!(crate::pki::leaf::san(&name).is_ok(), "{name} parses but cannot go into a certificate");
    Some(name)
}

fn check_permit(input: &str) -> Option<Permit> {
    let permit = Permit::parse(input).ok()?;
    let again = Permit::parse(&permit.to_string()).ok();
    assert_eq!(again.as_ref(), Some(&permit), "{input:?} parses to {permit}, which parses to {again:?}");
    let _ = permit.too_wide();
    let own = match &permit {
        Permit::Dns(dns) => SubjectName::Dns(dns.clone()),
        Permit::Ip(net) => SubjectName::Ip(net.network()),
    };
    assert!(ca::permitted_by(std::slice::from_ref(&permit), &own), "{permit} does not permit {own}");
    if let GeneralSubtree::IpAddress(subnet) = permit.to_subtree() {
        let stored: Vec<u8> = match subnet {
            CidrSubnet::V4(addr, mask) => addr.into_iter().chain(mask).collect(),
            CidrSubnet::V6(addr, mask) => addr.into_iter().chain(mask).collect(),
        };
        let read = ca::net_from_addr_mask(&stored).map(Permit::Ip);
        assert_eq!(read.as_ref(), Some(&permit), "{permit} is stored as {stored:?}, read back as {read:?}");
    }
    Some(permit)
}

/// Durations and counts typed on the command line: `inspect --expiring-within` and `--days`.
/// One that parses is within its documented bounds and reads the same spelled in seconds (or as
/// a plain number of days).
pub fn durations(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(window) = crate::commands::inspect::parse_window(text) {
        assert!(window >= Duration::ZERO && window <= Duration::days(36_500), "{text:?} gave {window}");
        let seconds = format!("{}s", window.whole_seconds());
        assert_eq!(crate::commands::inspect::parse_window(&seconds), Ok(window), "{text:?} gave {window}");
    }
    if let Ok(days) = crate::cli::parse_days(text) {
        assert!((crate::pki::validity::MIN_DAYS..=crate::pki::validity::MAX_DAYS).contains(&days));
        assert_eq!(crate::cli::parse_days(&days.to_string()), Ok(days), "{text:?} gave {days}");
    }
}

/// The value `env --write` sets, in two spellings that appear in no seed.
const ONE: &str = "'/tmp/tlsforge fuzz one/server.crt'";
const TWO: &str = "\"/tmp/tlsforge fuzz two/server.crt\"";

/// `env --write` editing a `.env` file it did not write.
///
/// - a second run with the same values changes nothing and appends nothing;
/// - a file that does not assign the keys is kept byte for byte, the keys appended after it;
/// - only the values change: writing one value, then another, differs exactly where they do
///   (every other byte, comments, quotes, line endings, is the same in both).
pub fn dotenv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.contains("tlsforge fuzz") {
        return;
    }
    let keys = ["SSL_CERT_PATH", "SSL_KEY_PATH"];
    let set =
        |value: &str, existing: &str| dotenv::update(existing, &keys.map(|key| (key, value.to_owned())));
    let Ok(once) = set(ONE, text) else {
        // A quote that is never closed: refused whatever the value.
        assert!(set(TWO, text).is_err(), "a file is refused with one value and not with another");
        return;
    };
    let twice = set(ONE, &once.text).expect("tlsforge's own output is always accepted");
    assert_eq!(twice.text, once.text, "a second identical write changes the file");
    assert!(twice.added.is_empty(), "a second identical write appends {:?}", twice.added);
    if once.replaced.is_empty() {
        assert!(once.text.starts_with(text), "a file without the keys is not kept as it was");
    }
    let other = set(TWO, text).expect("accepted with one value, so with any");
    assert_eq!(other.text.replace(TWO, ONE), once.text, "writing another value changed other bytes");
    assert_eq!((&other.replaced, &other.added), (&once.replaced, &once.added));
}
