//! Reading certificates back: PEM framing, fingerprints, time formats.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// SHA-256 fingerprint in the form `openssl x509 -fingerprint -sha256` prints: `AB:CD:...`.
pub fn sha256_fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    colon_hex(digest.as_ref())
}

/// Upper-case hex without separators (`0A1B…`).
pub(crate) fn hex(bytes: &[u8]) -> String {
    colon_hex(bytes).replace(':', "")
}

/// Upper-case hex bytes joined by colons.
pub fn colon_hex(bytes: &[u8]) -> String {
    // Built by hand: `inspect` prints one per certificate, thousands per run.
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// RFC 3339 in UTC with whole seconds, e.g. `2027-11-23T16:12:14Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Calendar date in UTC, e.g. `2027-11-23`.
pub fn date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_look_like_openssl() {
        assert_eq!(colon_hex(&[0x0a, 0xff, 0x10]), "0A:FF:10");
        assert_eq!(sha256_fingerprint(b"").len(), 32 * 3 - 1);
    }

    #[test]
    fn rfc3339_is_utc_with_seconds() {
        let t = time::macros::datetime!(2027-01-02 03:04:05.678 +02:00);
        assert_eq!(rfc3339(t), "2027-01-02T01:04:05Z");
    }
}
