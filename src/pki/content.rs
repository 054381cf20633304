//! What a file holds, judged by its content and never by its name: PEM (any number of blocks),
//! DER (certificates, a CSR, a private key), or PKCS#7 bundles of certificates. Every block
//! gets its own verdict, so one broken block in a bundle does not hide the others.
//!
//! [`parse`] is the entry point the fuzz target drives: it must never panic.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::der::{self, INTEGER, OID, SEQUENCE};
use super::describe::{CertificateInfo, CsrInfo};
use super::keyfile::{self, KeyError, PrivateKeyInfo};

/// One thing found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Certificate(Box<CertificateInfo>),
    Csr(Box<CsrInfo>),
    PrivateKey(PrivateKey),
}

/// A private key, described without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKey {
    Readable(PrivateKeyInfo),
    /// A passphrase protects it: its algorithm and size cannot be read without it.
    Encrypted,
}

/// The verdict on a whole input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// What the input holds, in order; a block that could not be read is an `Err` with the reason.
    Items(Vec<Result<Found, String>>),
    /// Neither PEM nor DER of anything tlsforge reads (or empty): the reason.
    Unrecognised(&'static str),
}

const PKCS7_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const PKCS7_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const BEGIN: &[u8] = b"-----BEGIN ";

/// Read whatever `input` holds.
pub fn parse(input: &[u8]) -> Content {
    if input.first() == Some(&SEQUENCE)
        && let Some(items) = parse_der(input)
    {
        return Content::Items(items);
    }
    if find(input, BEGIN, 0).is_some() {
        return Content::Items(parse_pem(input));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return Content::Unrecognised("empty");
    }
    if input.first() == Some(&SEQUENCE) && der::read(input).is_none() && der_header_len(input).is_some() {
        return Content::Unrecognised("truncated DER: the data ends before the length its header announces");
    }
    Content::Unrecognised("not a certificate, key or certificate request (neither PEM nor DER)")
}

/// A DER input: a certificate (or several back to back), a CSR, a private key, a PKCS#7
/// bundle. `None` when the bytes are not one well-formed DER element of a kind tlsforge reads.
fn parse_der(input: &[u8]) -> Option<Vec<Result<Found, String>>> {
    let (outer, rest) = der::read(input)?;
    if let Ok((cert, mut more)) = CertificateInfo::from_der(input) {
        let mut items = vec![Ok(Found::Certificate(Box::new(cert)))];
        while !more.is_empty() {
            match CertificateInfo::from_der(more) {
                Ok((cert, after)) => {
                    items.push(Ok(Found::Certificate(Box::new(cert))));
                    more = after;
                }
                Err(e) => {
                    items.push(Err(format!("after {} certificate(s) in DER: {e}", items.len())));
                    break;
                }
            }
        }
        return Some(items);
    }
    if !rest.is_empty() {
        return None;
    }
    if let Ok((csr, [])) = CsrInfo::from_der(input) {
        return Some(vec![Ok(Found::Csr(Box::new(csr)))]);
    }
    if let Some(certs) = pkcs7_certificates(outer.content) {
        return Some(certs);
    }
    if is_pkcs12(outer.content) {
        return Some(vec![Err("a PKCS#12 archive, which inspect does not open: `openssl pkcs12 -in FILE \
                              -nokeys` extracts its certificates"
            .to_owned())]);
    }
    for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
        if let Ok(key) = keyfile::parse(label, input) {
            return Some(vec![Ok(Found::PrivateKey(PrivateKey::Readable(key)))]);
        }
    }
    Some(vec![Err("DER data that is not a certificate, private key or certificate request".to_owned())])
}

/// The length of a DER SEQUENCE header, when `input` starts with a plausible one.
fn der_header_len(input: &[u8]) -> Option<usize> {
    let first = *input.get(1)?;
    if first < 0x80 {
        return Some(2);
    }
    let count = usize::from(first & 0x7f);
    (1..=8).contains(&count).then_some(2 + count).filter(|len| *len <= input.len())
}

/// `ContentInfo { signedData, [0] SignedData { version, digestAlgorithms, encapContentInfo,
/// [0] IMPLICIT certificates ... } }`: the certificates, or `None` if this is not PKCS#7.
fn pkcs7_certificates(content_info: &[u8]) -> Option<Vec<Result<Found, String>>> {
    let fields = der::children(content_info)?;
    let [oid, explicit, ..] = fields.as_slice() else { return None };
    if oid.tag != OID || oid.content != PKCS7_SIGNED_DATA || explicit.tag != der::context(0) {
        return None;
    }
    let (signed_data, _) = der::expect(explicit.content, SEQUENCE)?;
    let signed = der::children(signed_data.content)?;
    let Some(certificates) = signed.iter().find(|field| field.tag == der::context(0)) else {
        return Some(vec![Err("a PKCS#7 bundle without certificates".to_owned())]);
    };
    let Some(certs) = der::children(certificates.content) else {
        return Some(vec![Err("a PKCS#7 bundle whose certificate list is malformed".to_owned())]);
    };
    if certs.is_empty() {
        return Some(vec![Err("a PKCS#7 bundle without certificates".to_owned())]);
    }
    Some(
        certs
            .iter()
            .map(|cert| match CertificateInfo::from_der(cert.raw) {
                Ok((info, _)) => Ok(Found::Certificate(Box::new(info))),
                Err(e) => Err(format!("in a PKCS#7 bundle: {e}")),
            })
            .collect(),
    )
}

/// `PFX { version 3, authSafe ContentInfo { data | signedData ... }, ... }`.
fn is_pkcs12(pfx: &[u8]) -> bool {
    let Some(fields) = der::children(pfx) else { return false };
    let [version, auth_safe, ..] = fields.as_slice() else { return false };
    let content_type = der::expect(auth_safe.content, OID).map(|(oid, _)| oid.content);
    version.tag == INTEGER
        && version.content == [3]
        && auth_safe.tag == SEQUENCE
        && matches!(content_type, Some(oid) if oid == PKCS7_DATA || oid == PKCS7_SIGNED_DATA)
}

/// Every `-----BEGIN X-----` ... `-----END X-----` block in order; text around them (comments,
/// `openssl x509 -text` output, PKCS#12 "Bag Attributes") is ignored.
fn parse_pem(input: &[u8]) -> Vec<Result<Found, String>> {
    let mut items = Vec::new();
    let mut at = 0;
    while let Some(start) = find(input, BEGIN, at) {
        let label_start = start + BEGIN.len();
        let Some(label_end) = find(input, b"-----", label_start) else {
            items.push(Err("truncated PEM: a BEGIN line without its closing dashes".to_owned()));
            break;
        };
        let label = String::from_utf8_lossy(&input[label_start..label_end]).into_owned();
        if label.contains(['\n', '\r']) {
            items.push(Err("malformed PEM: a BEGIN line broken across lines".to_owned()));
            at = label_start;
            continue;
        }
        let end_marker = format!("-----END {label}-----");
        // The body starts after the BEGIN line's closing dashes; the END line cannot overlap them.
        let body_start = label_end + 5;
        let Some(end) = find(input, end_marker.as_bytes(), body_start) else {
            items.push(Err(format!("truncated PEM: the {label} block has no END line")));
            break;
        };
        at = end + end_marker.len();
        match decode_body(&input[body_start..end]) {
            Some(block) => decode_block(&label, &block, &mut items),
            None => items.push(Err(format!("broken base64 in the {label} block"))),
        }
    }
    items
}

/// The decoded body of one PEM block.
struct Block {
    der: Vec<u8>,
    /// RFC 1421 headers said `Proc-Type: 4,ENCRYPTED` (OpenSSL's legacy encrypted keys).
    encrypted: bool,
}

/// Base64 as PEM writers produce it: padding is expected but not insisted on.
const PEM_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A block's body: optional RFC 1421 headers (`Proc-Type`, `DEK-Info`) up to a blank line,
/// then base64 in lines of any length. `None` when the base64 is broken.
fn decode_body(body: &[u8]) -> Option<Block> {
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
    PEM_BASE64.decode(text).ok().map(|der| Block { der, encrypted })
}

fn decode_block(label: &str, block: &Block, items: &mut Vec<Result<Found, String>>) {
    let der = block.der.as_slice();
    match label {
        // TRUSTED CERTIFICATE is OpenSSL's certificate followed by trust settings: read the first part.
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            items.push(match CertificateInfo::from_der(der) {
                Ok((_, rest)) if !rest.is_empty() && label != "TRUSTED CERTIFICATE" => {
                    Err("not a valid certificate: data after its end".to_owned())
                }
                Ok((cert, _)) => Ok(Found::Certificate(Box::new(cert))),
                Err(e) => Err(e),
            });
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            items.push(CsrInfo::from_der(der).map(|(csr, _)| Found::Csr(Box::new(csr))));
        }
        "PKCS7" | "CMS" => {
            match der::expect(der, SEQUENCE).and_then(|(outer, _)| pkcs7_certificates(outer.content)) {
                Some(certs) => items.extend(certs),
                None => items.push(Err(format!("a {label} block that is not a PKCS#7 certificate bundle"))),
            }
        }
        label if keyfile::is_private_key_label(label) => {
            items.push(match keyfile::parse(label, der) {
                _ if block.encrypted => Ok(Found::PrivateKey(PrivateKey::Encrypted)),
                Ok(key) => Ok(Found::PrivateKey(PrivateKey::Readable(key))),
                Err(KeyError::Encrypted) => Ok(Found::PrivateKey(PrivateKey::Encrypted)),
                Err(e @ KeyError::Malformed(_)) => Err(e.to_string()),
            });
        }
        other => items.push(Err(format!("a PEM block of type {other:?}, which inspect does not read"))),
    }
}

/// The first position of `needle` in `haystack` at or after `from` (memchr's SIMD search:
/// a bundle of thousands of certificates is mostly scanning).
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack.get(from..)?, needle).map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed() -> (String, Vec<u8>, String) {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let cert =
            rcgen::CertificateParams::new(vec!["a.test".to_owned()]).unwrap().self_signed(&key).unwrap();
        (cert.pem(), cert.der().to_vec(), key.serialize_pem())
    }

    fn kinds(content: &Content) -> Vec<&'static str> {
        let Content::Items(items) = content else { return vec!["unrecognised"] };
        items
            .iter()
            .map(|item| match item {
                Ok(Found::Certificate(_)) => "cert",
                Ok(Found::Csr(_)) => "csr",
                Ok(Found::PrivateKey(PrivateKey::Readable(_))) => "key",
                Ok(Found::PrivateKey(PrivateKey::Encrypted)) => "encrypted-key",
                Err(_) => "error",
            })
            .collect()
    }

    #[test]
    fn pem_bundles_keep_going_past_broken_blocks() {
        let (pem, _, key) = self_signed();
        let broken = "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";
        let unknown = "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n";
        let text = format!("comment\n{pem}{broken}{unknown}{key}{pem}");
        assert_eq!(kinds(&parse(text.as_bytes())), ["cert", "error", "error", "key", "cert"]);
        let truncated = &pem[..pem.len() / 2];
        assert_eq!(kinds(&parse(format!("{pem}{truncated}").as_bytes())), ["cert", "error"]);
    }

    #[test]
    fn der_certificates_keys_and_bundles_are_recognised() {
        let (_, der, key_pem) = self_signed();
        assert_eq!(kinds(&parse(&der)), ["cert"]);
        assert_eq!(kinds(&parse(&[der.clone(), der.clone()].concat())), ["cert", "cert"]);
        let key_der = ::pem::parse(&key_pem).unwrap().into_contents();
        assert_eq!(kinds(&parse(&key_der)), ["key"]);
        assert_eq!(kinds(&parse(&der[..der.len() - 1])), ["unrecognised"]);
    }

    #[test]
    fn an_empty_pkcs7_bundle_is_an_error() {
        let signed_data = [
            &[0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09][..],
            PKCS7_DATA,
            &[0xa0, 0x00],
        ]
        .concat();
        let content_info =
            [&[0x30, 0x23, 0x06, 0x09][..], PKCS7_SIGNED_DATA, &[0xa0, 0x16], &signed_data].concat();
        assert_eq!(content_info.len(), 0x25);
        assert!(
            matches!(parse(&content_info), Content::Items(items) if items == [Err("a PKCS#7 bundle without certificates".to_owned())])
        );
    }

    #[test]
    fn nothing_recognisable_is_unrecognised() {
        for input in [&b""[..], b"  \n", b"hello world", &[0xff; 64], &[0x30]] {
            assert!(matches!(parse(input), Content::Unrecognised(_)), "{input:?}");
        }
        assert!(
            matches!(parse(&[0x30, 0x82, 0x05, 0x00, 1, 2]), Content::Unrecognised(r) if r.contains("truncated"))
        );
    }

    #[test]
    fn pem_line_endings_and_padding_do_not_matter() {
        let (pem, _, _) = self_signed();
        assert_eq!(kinds(&parse(pem.replace('\n', "\r\n").as_bytes())), ["cert"]);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let one_line = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            body.trim_end_matches('=')
        );
        assert_eq!(kinds(&parse(one_line.as_bytes())), ["cert"]);
    }

    #[test]
    fn encrypted_keys_are_keys() {
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(kinds(&parse(legacy.as_bytes())), ["encrypted-key"]);
        assert_eq!(kinds(&parse(legacy.replace('\n', "\r\n").as_bytes())), ["encrypted-key"]);
        let pkcs8 = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(kinds(&parse(pkcs8.as_bytes())), ["encrypted-key"]);
    }

    /// The fuzz target's committed seeds, each read as `inspect` would.
    #[test]
    fn the_fuzz_seeds_read_as_expected() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("fuzz/seeds/parse_content");
        // The published crate (marked by the Cargo.toml.orig that `cargo package` writes) leaves
        // fuzz/ out: its seeds hold throwaway keys. A checkout must have them.
        if !dir.exists() && root.join("Cargo.toml.orig").exists() {
            eprintln!("SKIPPED: {} is not in the published crate", dir.display());
            return;
        }
        let expected: &[(&str, &[&str])] = &[
            ("leaf.pem", &["cert"]),
            ("leaf.der", &["cert"]),
            ("fullchain.pem", &["cert", "cert"]),
            ("chain.p7b", &["cert", "cert"]),
            ("chain.p7b.der", &["cert", "cert"]),
            ("trusted.pem", &["cert"]),
            ("request.csr", &["csr"]),
            ("throwaway-key-pkcs8.pem", &["key"]),
            ("throwaway-key-pkcs8.der", &["key"]),
            ("throwaway-key-sec1.pem", &["key"]),
            ("throwaway-key-encrypted.pem", &["encrypted-key"]),
            ("truncated.pem", &["error"]),
            ("broken-base64.pem", &["error"]),
            ("unknown-type.pem", &["error"]),
            ("truncated.der", &["unrecognised"]),
            ("text.txt", &["unrecognised"]),
            ("regression-overlapping-markers.pem", &["error"]),
        ];
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let content = parse(&std::fs::read(&path).unwrap());
            if let Some((_, kinds_expected)) = expected.iter().find(|(n, _)| *n == name) {
                assert_eq!(kinds(&content), *kinds_expected, "{name}");
                seen += 1;
            }
        }
        assert_eq!(seen, expected.len(), "every seed is there");
    }

    /// Found by the fuzzer: an END line overlapping the BEGIN line's closing dashes.
    #[test]
    fn overlapping_markers_are_an_error_not_a_panic() {
        let input = b"-----BEGIN CERTIFICATE------END CERTIFICATE-----lIN CERTIFICEQMA21UE-\n";
        assert_eq!(kinds(&parse(input)), ["error"]);
        assert_eq!(kinds(&parse(b"-----BEGIN X-----END X-----")), ["error"]);
    }

    #[test]
    fn find_finds() {
        assert_eq!(find(b"aa-----BEGIN x", BEGIN, 0), Some(2));
        assert_eq!(find(b"-----BEGIN -----BEGIN ", BEGIN, 1), Some(11));
        assert_eq!(find(b"----", BEGIN, 0), None);
        assert_eq!(find(b"", b"", 0), None);
    }
}
