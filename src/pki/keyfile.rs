//! Private-key files as users have them: PKCS#8 (`PRIVATE KEY`, what tlsforge, certbot and
//! modern OpenSSL write), PKCS#1 (`RSA PRIVATE KEY`) and SEC1 (`EC PRIVATE KEY`). Reads the
//! algorithm, the size and the public half, so a key can be matched against a certificate
//! without ever showing the secret.

use std::fmt;

use serde::Serialize;
use x509_parser::certificate::X509Certificate;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::armor;
use super::der::{self, BIT_STRING, INTEGER, OCTET_STRING, OID, SEQUENCE, Tlv};

pub(super) const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
pub(super) const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
pub(super) const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub(super) const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub(super) const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
pub(super) const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];

/// The algorithm family of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgo {
    Rsa,
    RsaPss,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

impl fmt::Display for KeyAlgo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rsa => "RSA",
            Self::RsaPss => "RSA-PSS",
            Self::Ec => "EC",
            Self::Ed25519 => "Ed25519",
            Self::Ed448 => "Ed448",
            Self::Dsa => "DSA",
            Self::Unknown => "unknown",
        })
    }
}

/// The file format a key came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyFormat {
    Pkcs8,
    Pkcs1,
    Sec1,
}

/// What can be said about a private key without revealing it.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyInfo {
    pub format: KeyFormat,
    pub algorithm: KeyAlgo,
    /// RSA modulus bits, or the curve size.
    pub bits: Option<usize>,
    /// `P-256`, `P-384`, `P-521` for EC keys.
    pub curve: Option<&'static str>,
    /// The subjectPublicKey bits a certificate for this key carries, when derivable.
    public_key: Option<Vec<u8>>,
}

impl fmt::Debug for PrivateKeyInfo {
    // Never print key bytes, not even the public half, in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKeyInfo")
            .field("format", &self.format)
            .field("algorithm", &self.algorithm)
            .field("bits", &self.bits)
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// `ENCRYPTED PRIVATE KEY`, or a legacy PEM with `Proc-Type: 4,ENCRYPTED`.
    Encrypted,
    Malformed(&'static str),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Encrypted => f.write_str("the private key is encrypted (a passphrase protects it)"),
            Self::Malformed(what) => write!(f, "not a valid private key: {what}"),
        }
    }
}

impl std::error::Error for KeyError {}

/// PEM labels of private keys, and how to read each.
pub fn is_private_key_label(label: &str) -> bool {
    matches!(label, "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "ENCRYPTED PRIVATE KEY")
}

/// Read a private key from the DER body of a PEM block with `label`.
pub fn parse(label: &str, der: &[u8]) -> Result<PrivateKeyInfo, KeyError> {
    match label {
        "PRIVATE KEY" => parse_pkcs8(der),
        "RSA PRIVATE KEY" => parse_pkcs1(der, KeyFormat::Pkcs1),
        "EC PRIVATE KEY" => parse_sec1(der, None, KeyFormat::Sec1),
        "ENCRYPTED PRIVATE KEY" => Err(KeyError::Encrypted),
        _ => Err(KeyError::Malformed("not a private key PEM label")),
    }
}

/// Read the first private key in a PEM text.
pub fn parse_pem(text: &str) -> Result<PrivateKeyInfo, KeyError> {
    if text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(KeyError::Encrypted);
    }
    let block = private_key_block(text)?;
    parse(&block.label, &block.der)
}

/// The first private-key block of a PEM text (a broken block before it is an error).
pub(crate) fn private_key_block(text: &str) -> Result<armor::PemBlock, KeyError> {
    for block in armor::pem_blocks(text.as_bytes()) {
        let block = block.map_err(|_| KeyError::Malformed("broken PEM"))?;
        if is_private_key_label(&block.label) {
            return Ok(block);
        }
    }
    Err(KeyError::Malformed("no PRIVATE KEY block"))
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivateKeyInfo, KeyError> {
    let bad = KeyError::Malformed;
    let (outer, _) = der::expect(der, SEQUENCE).ok_or(bad("not a DER SEQUENCE"))?;
    let fields = der::children(outer.content).ok_or(bad("broken DER"))?;
    let [version, algorithm, private, rest @ ..] = fields.as_slice() else {
        return Err(bad("too few PKCS#8 fields"));
    };
    if version.tag != INTEGER || algorithm.tag != SEQUENCE || private.tag != OCTET_STRING {
        return Err(bad("unexpected PKCS#8 layout"));
    }
    let alg = der::children(algorithm.content).ok_or(bad("broken algorithm identifier"))?;
    let oid = alg.first().filter(|t| t.tag == OID).ok_or(bad("no algorithm OID"))?.content;
    match oid {
        o if o == OID_RSA => parse_pkcs1(private.content, KeyFormat::Pkcs8),
        o if o == OID_RSA_PSS => parse_pkcs1(private.content, KeyFormat::Pkcs8)
            .map(|k| PrivateKeyInfo { algorithm: KeyAlgo::RsaPss, ..k }),
        o if o == OID_EC => {
            let curve = alg.get(1).filter(|t| t.tag == OID).map(|t| t.content);
            parse_sec1(private.content, curve, KeyFormat::Pkcs8)
        }
        o if o == OID_ED25519 => {
            let (seed, _) = der::expect(private.content, OCTET_STRING).ok_or(bad("no Ed25519 seed"))?;
            let public = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.content)
                .ok()
                .map(|pair| ring::signature::KeyPair::public_key(&pair).as_ref().to_vec())
                // A v2 key carries its public key as [1]; use it when the seed was odd.
                .or_else(|| v2_public_key(rest));
            Ok(PrivateKeyInfo {
                format: KeyFormat::Pkcs8,
                algorithm: KeyAlgo::Ed25519,
                bits: Some(256),
                curve: None,
                public_key: public,
            })
        }
        o if o == OID_ED448 => Ok(PrivateKeyInfo {
            format: KeyFormat::Pkcs8,
            algorithm: KeyAlgo::Ed448,
            bits: Some(456),
            curve: None,
            public_key: v2_public_key(rest),
        }),
        _ => Ok(PrivateKeyInfo {
            format: KeyFormat::Pkcs8,
            algorithm: KeyAlgo::Unknown,
            bits: None,
            curve: None,
            public_key: None,
        }),
    }
}

fn v2_public_key(rest: &[Tlv<'_>]) -> Option<Vec<u8>> {
    let public = rest.iter().find(|t| t.tag == der::context_primitive(1))?;
    // BIT STRING contents: one unused-bits byte, then the key.
    public.content.split_first().map(|(_, key)| key.to_vec())
}

/// `RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, ... }`. The public key a certificate
/// carries is `RSAPublicKey ::= SEQUENCE { n, e }`: the same two INTEGERs, byte for byte.
fn parse_pkcs1(der: &[u8], format: KeyFormat) -> Result<PrivateKeyInfo, KeyError> {
    let bad = KeyError::Malformed;
    let (outer, _) = der::expect(der, SEQUENCE).ok_or(bad("not an RSA key"))?;
    let fields = der::children(outer.content).ok_or(bad("broken RSA key"))?;
    let [_version, n, e, ..] = fields.as_slice() else {
        return Err(bad("too few RSA key fields"));
    };
    if n.tag != INTEGER || e.tag != INTEGER {
        return Err(bad("unexpected RSA key layout"));
    }
    let mut body = n.raw.to_vec();
    body.extend_from_slice(e.raw);
    let public = encode(SEQUENCE, &body);
    Ok(PrivateKeyInfo {
        format,
        algorithm: KeyAlgo::Rsa,
        bits: Some(der::bit_len(n.content)),
        curve: None,
        public_key: Some(public),
    })
}

/// `ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] curve OID OPTIONAL,
/// [1] publicKey BIT STRING OPTIONAL }`.
fn parse_sec1(
    der: &[u8],
    curve_from_pkcs8: Option<&[u8]>,
    format: KeyFormat,
) -> Result<PrivateKeyInfo, KeyError> {
    let bad = KeyError::Malformed;
    let (outer, _) = der::expect(der, SEQUENCE).ok_or(bad("not an EC key"))?;
    let fields = der::children(outer.content).ok_or(bad("broken EC key"))?;
    if !matches!(fields.as_slice(), [version, private, ..] if version.tag == INTEGER && private.tag == OCTET_STRING)
    {
        return Err(bad("unexpected EC key layout"));
    }
    let explicit = |n: u8, tag: u8| {
        fields
            .iter()
            .find(|t| t.tag == der::context(n))
            .and_then(|t| der::expect(t.content, tag))
            .map(|(t, _)| t)
    };
    let curve_oid = curve_from_pkcs8.or_else(|| explicit(0, OID).map(|t| t.content));
    let (curve, bits) = curve_of(curve_oid);
    let public = explicit(1, BIT_STRING).and_then(|t| t.content.split_first()).map(|(_, key)| key.to_vec());
    Ok(PrivateKeyInfo { format, algorithm: KeyAlgo::Ec, bits, curve, public_key: public })
}

fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len() - 1);
        out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or(0));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

impl PrivateKeyInfo {
    /// Whether this key belongs to `cert`; `None` when the key does not reveal its public half.
    pub fn matches(&self, cert: &X509Certificate<'_>) -> Option<bool> {
        self.matches_public_key(&cert.public_key().subject_public_key.data)
    }

    /// Whether this key's public half is `subject_public_key` (the BIT STRING contents of a
    /// certificate's `SubjectPublicKeyInfo`); `None` when the key does not reveal its public half.
    pub fn matches_public_key(&self, subject_public_key: &[u8]) -> Option<bool> {
        let public = self.public_key.as_deref()?;
        Some(subject_public_key == public)
    }

    /// The public half, as a certificate's `SubjectPublicKeyInfo` holds it, when the key file
    /// reveals it.
    pub fn public_key(&self) -> Option<&[u8]> {
        self.public_key.as_deref()
    }

    /// Whether the key reveals its public half, so that it can be matched at all.
    pub fn knows_public_key(&self) -> bool {
        self.public_key.is_some()
    }

    /// A short description: `EC P-256`, `RSA 2048`, `Ed25519`.
    pub fn describe(&self) -> String {
        describe(self.algorithm, self.curve, self.bits)
    }
}

fn describe(algorithm: KeyAlgo, curve: Option<&str>, bits: Option<usize>) -> String {
    match (algorithm, curve, bits) {
        (KeyAlgo::Ec, Some(curve), _) => format!("EC {curve}"),
        (KeyAlgo::Rsa | KeyAlgo::RsaPss | KeyAlgo::Dsa, _, Some(bits)) => format!("{algorithm} {bits}"),
        (alg, _, _) => alg.to_string(),
    }
}

/// What a certificate's or CSR's `SubjectPublicKeyInfo` says about its key, in the same terms
/// as [`PrivateKeyInfo`], so a key file and a certificate describe their keys alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKeyInfo {
    #[serde(rename = "key_algorithm")]
    pub algorithm: KeyAlgo,
    /// RSA modulus bits, the curve size, or DSA's prime size.
    #[serde(rename = "key_bits")]
    pub bits: Option<usize>,
    #[serde(rename = "key_curve")]
    pub curve: Option<&'static str>,
}

impl PublicKeyInfo {
    /// Read `spki`'s algorithm and size. Unknown algorithms and malformed keys give
    /// [`KeyAlgo::Unknown`] or no size rather than an error: the certificate is still worth showing.
    pub fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> Self {
        let oid = spki.algorithm.algorithm.as_bytes();
        let params = spki.algorithm.parameters.as_ref();
        let key: &[u8] = &spki.subject_public_key.data;
        let rsa_bits = || {
            let (outer, _) = der::expect(key, SEQUENCE)?;
            let (n, _) = der::expect(outer.content, INTEGER)?;
            Some(der::bit_len(n.content))
        };
        match oid {
            o if o == OID_RSA => Self { algorithm: KeyAlgo::Rsa, bits: rsa_bits(), curve: None },
            o if o == OID_RSA_PSS => Self { algorithm: KeyAlgo::RsaPss, bits: rsa_bits(), curve: None },
            o if o == OID_EC => {
                let curve_oid =
                    params.filter(|p| p.tag().0 == u32::from(OID)).map(x509_parser::asn1_rs::Any::as_bytes);
                let (curve, bits) = curve_of(curve_oid);
                Self { algorithm: KeyAlgo::Ec, bits, curve }
            }
            o if o == OID_ED25519 => Self { algorithm: KeyAlgo::Ed25519, bits: Some(256), curve: None },
            o if o == OID_ED448 => Self { algorithm: KeyAlgo::Ed448, bits: Some(456), curve: None },
            o if o == OID_DSA => {
                // Dss-Parms ::= SEQUENCE { p, q, g }: the size is p's.
                let bits = params.and_then(|p| der::children(p.as_bytes())).and_then(|fields| {
                    fields.first().filter(|p| p.tag == INTEGER).map(|p| der::bit_len(p.content))
                });
                Self { algorithm: KeyAlgo::Dsa, bits, curve: None }
            }
            _ => Self { algorithm: KeyAlgo::Unknown, bits: None, curve: None },
        }
    }

    /// A short description: `EC P-256`, `RSA 2048`, `Ed25519`.
    pub fn describe(&self) -> String {
        describe(self.algorithm, self.curve, self.bits)
    }
}

fn curve_of(oid: Option<&[u8]>) -> (Option<&'static str>, Option<usize>) {
    match oid {
        Some(o) if o == OID_P256 => (Some("P-256"), Some(256)),
        Some(o) if o == OID_P384 => (Some("P-384"), Some(384)),
        Some(o) if o == OID_P521 => (Some("P-521"), Some(521)),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::keys::{self, KeyAlgorithm};

    fn cert_for(key: &rcgen::KeyPair) -> Vec<u8> {
        rcgen::CertificateParams::new(vec!["a.test".to_owned()])
            .unwrap()
            .self_signed(key)
            .unwrap()
            .der()
            .to_vec()
    }

    #[test]
    fn keys_tlsforge_writes_are_read_and_matched() {
        for (alg, describe) in [
            (KeyAlgorithm::EcdsaP256, "EC P-256"),
            (KeyAlgorithm::EcdsaP384, "EC P-384"),
            (KeyAlgorithm::Ed25519, "Ed25519"),
            (KeyAlgorithm::Rsa2048, "RSA 2048"),
        ] {
            let key = keys::generate(alg).unwrap();
            let info = parse_pem(&keys::private_key_pem(&key)).unwrap();
            assert_eq!(info.format, KeyFormat::Pkcs8);
            assert_eq!(info.describe(), describe);
            let der = cert_for(&key);
            let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
            assert_eq!(info.matches(&cert), Some(true), "{alg}");
            let other = cert_for(&keys::generate(alg).unwrap());
            let (_, other) = x509_parser::parse_x509_certificate(&other).unwrap();
            assert_eq!(info.matches(&other), Some(false), "{alg}");
        }
    }

    #[test]
    fn encrypted_and_garbage_keys_are_errors() {
        assert_eq!(parse("ENCRYPTED PRIVATE KEY", &[0x30, 0x00]), Err(KeyError::Encrypted));
        assert!(parse_pem("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n").is_err());
        for garbage in [&[][..], &[0x30, 0x03, 0x02, 0x01, 0x00], &[0x04, 0x00], &[0xff; 40]] {
            for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
                assert!(matches!(parse(label, garbage), Err(KeyError::Malformed(_))), "{label} {garbage:?}");
            }
        }
    }

    #[test]
    fn long_lengths_encode_minimally() {
        assert_eq!(encode(0x30, &[0; 3])[..2], [0x30, 3]);
        assert_eq!(encode(0x30, &[0; 0x80])[..3], [0x30, 0x81, 0x80]);
        assert_eq!(encode(0x30, &[0; 0x1234])[..4], [0x30, 0x82, 0x12, 0x34]);
    }
}
