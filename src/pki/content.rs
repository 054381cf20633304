//! What a file holds, judged by its content and never by its name: PEM (any number of blocks),
//! DER (certificates, a CSR, a private key), or PKCS#7 bundles of certificates. Every block
//! gets its own verdict, so one broken block in a bundle does not hide the others.
//!
//! [`parse`] is the entry point the fuzz target drives: it must never panic.

use super::armor::{PemBlock, is_pem, pem_blocks};
use super::der::{self, INTEGER, OID, SEQUENCE};
use super::describe::{CertificateInfo, CsrInfo};
use super::keyfile::{self, KeyError, PrivateKeyInfo};

/// One thing found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Certificate(Box<CertificateInfo>),
    Csr(Box<CsrInfo>),
    PrivateKey(PrivateKey),
    /// A PKCS#12 archive (`.p12`, `.pfx`), still locked.
    Pkcs12(Box<Pkcs12>),
}

/// A PKCS#12 archive as found: its bytes, to open with a password, and what protects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs12 {
    pub der: Vec<u8>,
    /// `None` when its structure cannot be read.
    pub protection: Option<super::p12::Protection>,
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

/// Read whatever `input` holds.
pub fn parse(input: &[u8]) -> Content {
    if input.first() == Some(&SEQUENCE)
        && let Some(items) = parse_der(input)
    {
        return Content::Items(items);
    }
    if is_pem(input) {
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
        // Opened with a password by the caller; which algorithms protect it is readable without.
        let protection = super::p12::protection(input);
        return Some(vec![Ok(Found::Pkcs12(Box::new(Pkcs12 { der: input.to_vec(), protection })))]);
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

/// Every `-----BEGIN X-----` ... `-----END X-----` block in order, each read for what it holds.
fn parse_pem(input: &[u8]) -> Vec<Result<Found, String>> {
    let mut items = Vec::new();
    for block in pem_blocks(input) {
        match block {
            Ok(block) => decode_block(&block.label, &block, &mut items),
            Err(e) => items.push(Err(e)),
        }
    }
    items
}

fn is_certificate_label(label: &str) -> bool {
    matches!(label, "CERTIFICATE" | "X509 CERTIFICATE")
}

/// The certificates of a file, as DER: its CERTIFICATE blocks in order when it is PEM (blocks
/// that cannot be read are passed over), else DER certificates back to back.
pub fn certificates(input: &[u8]) -> Vec<Vec<u8>> {
    if is_pem(input) {
        return pem_blocks(input)
            .filter_map(Result::ok)
            .filter(|block| is_certificate_label(&block.label))
            .map(|block| block.der)
            .collect();
    }
    let mut found = Vec::new();
    let mut rest = input;
    while let Ok((_, after)) = CertificateInfo::from_der(rest) {
        found.push(rest[..rest.len() - after.len()].to_vec());
        rest = after;
    }
    found
}

/// The first certificate of a PEM text or DER file. The error says why there is none.
pub fn first_certificate(input: &[u8]) -> Result<Vec<u8>, String> {
    if !is_pem(input) {
        return CertificateInfo::from_der(input)
            .map(|(_, rest)| input[..input.len() - rest.len()].to_vec())
            .map_err(|_| "neither a PEM certificate nor a DER one".to_owned());
    }
    let mut broken = None;
    for block in pem_blocks(input) {
        match block {
            Ok(block) if is_certificate_label(&block.label) => return Ok(block.der),
            Ok(_) => {}
            Err(e) => {
                broken.get_or_insert(e);
            }
        }
    }
    Err(broken.unwrap_or_else(|| "no CERTIFICATE block found".to_owned()))
}

fn decode_block(label: &str, block: &PemBlock, items: &mut Vec<Result<Found, String>>) {
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
                Ok(Found::Pkcs12(_)) => "pkcs12",
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
    fn the_certificates_of_a_file_are_read_one_way_from_pem_or_der() {
        let (pem, der, key) = self_signed();
        assert!(first_certificate(b"hello").is_err());
        let key_only = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(first_certificate(key_only.as_bytes()), Err("no CERTIFICATE block found".to_owned()));
        // A key before the certificate, comments around: the certificate is found.
        let file = format!("{key}# a comment\n{pem}");
        assert_eq!(first_certificate(file.as_bytes()), Ok(der.clone()));
        assert_eq!(first_certificate(&der), Ok(der.clone()));
        let two_der = [der.clone(), der.clone()].concat();
        assert_eq!(certificates(&two_der), [der.clone(), der.clone()]);
        // A broken block is passed over, not taken for the end of the bundle.
        let broken = "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";
        assert_eq!(certificates(format!("{broken}{pem}{pem}").as_bytes()), [der.clone(), der]);
        assert_eq!(
            first_certificate(broken.as_bytes()),
            Err("broken base64 in the CERTIFICATE block".to_owned())
        );
    }
}
