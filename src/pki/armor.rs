//! PEM armour: the one reader of `-----BEGIN X-----` ... `-----END X-----` blocks behind every
//! read of a certificate, key or bundle in tlsforge (fuzzed through `content::parse`).

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const BEGIN: &[u8] = b"-----BEGIN ";

/// One PEM block: its label and its decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
    /// RFC 1421 headers said `Proc-Type: 4,ENCRYPTED` (OpenSSL's legacy encrypted keys).
    pub encrypted: bool,
}

/// The PEM blocks of `input` in order; text around them (comments, `openssl x509 -text`
/// output, PKCS#12 "Bag Attributes") is ignored. A block that cannot be read is an `Err` with
/// the reason; a truncated one ends the walk. The one PEM reader behind every read of a
/// certificate, key or bundle in tlsforge.
pub(crate) fn pem_blocks(input: &[u8]) -> impl Iterator<Item = Result<PemBlock, String>> + '_ {
    let mut at = Some(0);
    std::iter::from_fn(move || {
        let start = find(input, BEGIN, at?)?;
        let label_start = start + BEGIN.len();
        let Some(label_end) = find(input, b"-----", label_start) else {
            at = None;
            return Some(Err("truncated PEM: a BEGIN line without its closing dashes".to_owned()));
        };
        let label = String::from_utf8_lossy(&input[label_start..label_end]).into_owned();
        if label.contains(['\n', '\r']) {
            at = Some(label_start);
            return Some(Err("malformed PEM: a BEGIN line broken across lines".to_owned()));
        }
        let end_marker = format!("-----END {label}-----");
        // The body starts after the BEGIN line's closing dashes; the END line cannot overlap them.
        let body_start = label_end + 5;
        let Some(end) = find(input, end_marker.as_bytes(), body_start) else {
            at = None;
            return Some(Err(format!("truncated PEM: the {label} block has no END line")));
        };
        at = Some(end + end_marker.len());
        Some(match decode_body(&input[body_start..end]) {
            Some((der, encrypted)) => Ok(PemBlock { label, der, encrypted }),
            None => Err(format!("broken base64 in the {label} block")),
        })
    })
}

/// Whether `input` is PEM (holds a BEGIN line) rather than DER.
pub(crate) fn is_pem(input: &[u8]) -> bool {
    find(input, BEGIN, 0).is_some()
}

/// Base64 as PEM writers produce it: padding is expected but not insisted on.
const PEM_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A block's body: optional RFC 1421 headers (`Proc-Type`, `DEK-Info`) up to a blank line,
/// then base64 in lines of any length: the bytes, and whether the headers say `ENCRYPTED`.
/// `None` when the base64 is broken.
fn decode_body(body: &[u8]) -> Option<(Vec<u8>, bool)> {
    let mut encrypted = false;
    let mut base64 = body;
    let first_line = body.split(|b| *b == b'\n').find(|line| !line.trim_ascii().is_empty());
    if first_line.is_some_and(|line| line.contains(&b':')) {
        let (mut consumed, mut in_headers) = (0, false);
        for line in body.split_inclusive(|b| *b == b'\n') {
            consumed += line.len();
            let line = line.trim_ascii();
            if line.is_empty() && in_headers {
                break;
            }
            in_headers |= !line.is_empty();
            encrypted |= line.starts_with(b"Proc-Type:") && find(line, b"ENCRYPTED", 0).is_some();
        }
        base64 = &body[consumed.min(body.len())..];
    }
    // Line by line: whole lines are copied at once; only odd ones with inner spaces are filtered.
    let mut text = Vec::with_capacity(base64.len());
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', base64).chain(std::iter::once(base64.len())) {
        let line = base64[start..end].trim_ascii();
        if line.iter().any(u8::is_ascii_whitespace) {
            text.extend(line.iter().copied().filter(|b| !b.is_ascii_whitespace()));
        } else {
            text.extend_from_slice(line);
        }
        start = (end + 1).min(base64.len());
    }
    PEM_BASE64.decode(text).ok().map(|der| (der, encrypted))
}

/// The first position of `needle` in `haystack` at or after `from` (memchr's SIMD search:
/// a bundle of thousands of certificates is mostly scanning).
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack.get(from..)?, needle).map(|at| from + at)
}

/// The one PEM writer: a block of `der` under `label`, base64 in 64-character lines, LF endings.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new(label, der),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_finds() {
        assert_eq!(find(b"aa-----BEGIN x", BEGIN, 0), Some(2));
        assert_eq!(find(b"-----BEGIN -----BEGIN ", BEGIN, 1), Some(11));
        assert_eq!(find(b"----", BEGIN, 0), None);
        assert_eq!(find(b"", b"", 0), None);
    }
}
