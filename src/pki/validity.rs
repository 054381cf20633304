//! How long certificates live: the limits `gen` accepts, the clock-skew allowance, the validity
//! window of a new certificate, and its serial number. One place for all of them.

use anyhow::Result;
use rcgen::SerialNumber;
use time::{Duration, OffsetDateTime};

/// Shortest validity `gen` accepts, in days.
pub(crate) const MIN_DAYS: u32 = 1;
/// Longest validity `gen` accepts: Apple platforms reject TLS server certificates valid longer.
pub(crate) const MAX_DAYS: u32 = 825;
/// The local CA's lifetime: ten years, long enough never to be re-trusted in a project's life.
pub(crate) const CA_DAYS: u32 = 3650;

/// How far notBefore is moved into the past so that a client whose clock is slightly behind
/// still accepts a certificate made a moment ago. The total validity still stays `days` long.
pub(crate) const CLOCK_SKEW: Duration = Duration::hours(1);

/// notBefore a little in the past; notAfter `days` after notBefore, so the total validity is
/// exactly `days` (Apple counts notAfter − notBefore against its 825-day limit).
pub(crate) fn validity(now: OffsetDateTime, days: u32) -> (OffsetDateTime, OffsetDateTime) {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let not_before = now - CLOCK_SKEW;
    (not_before, not_before + Duration::days(i64::from(days)))
}

/// A random positive 128-bit serial, as mkcert uses (RFC 5280 asks for at most 20 octets and
/// the CA/Browser Forum for at least 64 random bits).
pub(crate) fn random_serial() -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("reading random bytes: {e}"))?;
    bytes[0] &= 0x7f; // keep the DER INTEGER positive without a padding byte
    bytes[0] |= 0x40; // and exactly 16 octets long
    Ok(SerialNumber::from_slice(&bytes))
}
