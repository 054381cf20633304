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

/// notBefore a little in the past, and notAfter so that the validity is exactly `days` as
/// RFC 5280 counts it: both notBefore and notAfter belong to the period (4.1.2.5), so `days`
/// days end one second before notBefore + `days`. A notAfter of notBefore + 825 days would be
/// 825 days and one second, longer than Apple's limit by the CA/Browser Forum's reckoning.
pub(crate) fn validity(now: OffsetDateTime, days: u32) -> (OffsetDateTime, OffsetDateTime) {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let not_before = now - CLOCK_SKEW;
    (not_before, not_before + Duration::days(i64::from(days)) - Duration::SECOND)
}

/// How long a certificate is valid, counted as RFC 5280 counts it: from notBefore through
/// notAfter inclusive, so one second more than their difference (times have whole seconds).
pub(crate) fn lifetime(not_before: OffsetDateTime, not_after: OffsetDateTime) -> Duration {
    not_after - not_before + Duration::SECOND
}

/// A lifetime in words: `825 days`, `825 days and 1 second`, `1 day and 2 hours`.
pub(crate) fn describe_lifetime(lifetime: Duration) -> String {
    let days = lifetime.whole_days();
    let rest = lifetime - Duration::days(days);
    let day_text = if days == 1 { "1 day".to_owned() } else { format!("{days} days") };
    if rest.is_zero() {
        return day_text;
    }
    let (n, unit) = if rest.whole_hours() > 0 {
        (rest.whole_hours(), "hour")
    } else if rest.whole_minutes() > 0 {
        (rest.whole_minutes(), "minute")
    } else {
        (rest.whole_seconds(), "second")
    };
    let plural = if n == 1 { "" } else { "s" };
    format!("{day_text} and {n} {unit}{plural}")
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_are_counted_inclusively_as_rfc_5280_counts_them() {
        let (not_before, not_after) = validity(datetime!(2026-01-01 12:00:00.5 UTC), MAX_DAYS);
        assert_eq!(not_before, datetime!(2026-01-01 11:00:00 UTC));
        assert_eq!(not_after - not_before, Duration::days(825) - Duration::SECOND);
        assert_eq!(lifetime(not_before, not_after), Duration::days(825));
        assert_eq!(describe_lifetime(lifetime(not_before, not_after)), "825 days");
    }

    #[test]
    fn lifetimes_read_in_words() {
        assert_eq!(describe_lifetime(Duration::days(1)), "1 day");
        assert_eq!(describe_lifetime(Duration::days(825) + Duration::SECOND), "825 days and 1 second");
        assert_eq!(describe_lifetime(Duration::days(900) + Duration::hours(2)), "900 days and 2 hours");
        assert_eq!(describe_lifetime(Duration::minutes(1)), "0 days and 1 minute");
    }
}
