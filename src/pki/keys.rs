//! Key generation. ring does the work (about 0.1 ms for an ECDSA key, no per-process start-up
//! cost); ring cannot generate RSA keys, so the pure-Rust `rsa` crate makes those and ring
//! signs with them.

use std::fmt;

use anyhow::{Context, Result};
use clap::ValueEnum;
use rcgen::{KeyPair, SignatureAlgorithm};
use rsa::pkcs8::EncodePrivateKey;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgorithm {
    /// ECDSA on P-256: fast, small, accepted everywhere (the default)
    #[value(name = "ecdsa-p256")]
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
    /// ECDSA on P-384
    #[value(name = "ecdsa-p384")]
    #[serde(rename = "ecdsa-p384")]
    EcdsaP384,
    /// Ed25519: curl, OpenSSL and rustls accept it; browsers do not yet
    #[value(name = "ed25519")]
    Ed25519,
    /// RSA 2048 bits, for old clients (generation takes a moment)
    #[value(name = "rsa-2048")]
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    /// RSA 3072 bits
    #[value(name = "rsa-3072")]
    #[serde(rename = "rsa-3072")]
    Rsa3072,
    /// RSA 4096 bits (generation can take seconds)
    #[value(name = "rsa-4096")]
    #[serde(rename = "rsa-4096")]
    Rsa4096,
}

impl KeyAlgorithm {
    /// RSA modulus size in bits, for RSA algorithms.
    pub fn rsa_bits(self) -> Option<usize> {
        match self {
            Self::Rsa2048 => Some(2048),
            Self::Rsa3072 => Some(3072),
            Self::Rsa4096 => Some(4096),
            Self::EcdsaP256 | Self::EcdsaP384 | Self::Ed25519 => None,
        }
    }

    /// Whether generating a key may take long enough to deserve a spinner.
    pub fn is_slow(self) -> bool {
        self.rsa_bits().is_some()
    }

    pub fn signature_algorithm(self) -> &'static SignatureAlgorithm {
        match self {
            Self::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            Self::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            Self::Ed25519 => &rcgen::PKCS_ED25519,
            Self::Rsa2048 | Self::Rsa3072 | Self::Rsa4096 => &rcgen::PKCS_RSA_SHA256,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ecdsa-p256",
            Self::EcdsaP384 => "ecdsa-p384",
            Self::Ed25519 => "ed25519",
            Self::Rsa2048 => "rsa-2048",
            Self::Rsa3072 => "rsa-3072",
            Self::Rsa4096 => "rsa-4096",
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Generate a fresh private key.
pub(crate) fn generate(alg: KeyAlgorithm) -> Result<KeyPair> {
    let Some(bits) = alg.rsa_bits() else {
        return KeyPair::generate_for(alg.signature_algorithm())
            .with_context(|| format!("generating an {alg} key"));
    };
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
        .with_context(|| format!("generating an {alg} key"))?;
    let pkcs8 = key.to_pkcs8_der().context("encoding the RSA key")?;
    KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.as_bytes().into(), alg.signature_algorithm())
        .context("loading the RSA key")
}

/// The private key as PKCS#8 PEM, in a form every TLS server can load.
///
/// ring writes Ed25519 keys as PKCS#8 v2 (RFC 5958, with the public key attached), which
/// OpenSSL 3.0 refuses ("unsupported"), so nginx or Apache could not load them. Those are
/// rewritten as the plain v1 structure of RFC 8410: version 0, the algorithm, the seed.
pub(crate) fn private_key_pem(key: &KeyPair) -> String {
    pem_block("PRIVATE KEY", &private_key_der(key))
}

/// The PKCS#8 DER inside [`private_key_pem`] (what a PKCS#12 key bag holds).
pub(crate) fn private_key_der(key: &KeyPair) -> Vec<u8> {
    let der = key.serialized_der();
    if key.algorithm() == &rcgen::PKCS_ED25519 {
        ed25519_pkcs8_v1(der).unwrap_or_else(|| der.to_vec())
    } else {
        der.to_vec()
    }
}

/// RFC 8410 prefix of a v1 Ed25519 PKCS#8: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 },
/// OCTET STRING { OCTET STRING (32 bytes) } }.
const ED25519_V1_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

fn ed25519_pkcs8_v1(v2: &[u8]) -> Option<Vec<u8>> {
    // ring's v2 layout: SEQUENCE (short length), INTEGER 1, the same algorithm, the same nested
    // seed, then [1] the public key. From the algorithm to the seed, bytes sit where v1 has them.
    if v2.len() < 48 || v2[0] != 0x30 || v2[2..5] != [0x02, 0x01, 0x01] || v2[5..16] != ED25519_V1_PREFIX[5..]
    {
        return None;
    }
    let mut v1 = ED25519_V1_PREFIX.to_vec();
    v1.extend_from_slice(&v2[16..48]);
    Some(v1)
}

fn pem_block(label: &str, der: &[u8]) -> String {
    super::armor::encode(label, der)
}

/// Read a PKCS#8 PEM private key back (the format tlsforge writes).
pub(crate) fn from_pem(pem: &str) -> Result<KeyPair> {
    let der = super::armor::pem_blocks(pem.as_bytes())
        .filter_map(Result::ok)
        .find(|block| block.label == "PRIVATE KEY")
        .map(|block| block.der)
        .context("not a PKCS#8 private key tlsforge can use: no PRIVATE KEY block")?;
    KeyPair::try_from(der.as_slice()).context("not a PKCS#8 private key tlsforge can use")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fast_algorithm_generates_a_usable_key() {
        for alg in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::EcdsaP384, KeyAlgorithm::Ed25519] {
            let key = generate(alg).unwrap();
            assert!(key.is_compatible(alg.signature_algorithm()), "{alg}");
            let back = from_pem(&private_key_pem(&key)).unwrap();
            assert_eq!(back.public_key_raw(), key.public_key_raw());
        }
    }

    #[test]
    fn ed25519_keys_are_written_as_pkcs8_v1() {
        let key = generate(KeyAlgorithm::Ed25519).unwrap();
        let pem = private_key_pem(&key);
        let der = ::pem::parse(&pem).unwrap().into_contents();
        assert_eq!(der.len(), 48);
        assert_eq!(der[..16], ED25519_V1_PREFIX);
        assert_eq!(from_pem(&pem).unwrap().public_key_raw(), key.public_key_raw());
    }

    #[test]
    fn rsa_keys_have_the_requested_size() {
        let key = generate(KeyAlgorithm::Rsa2048).unwrap();
        assert!(key.is_compatible(&rcgen::PKCS_RSA_SHA256));
        let spki = rcgen::PublicKeyData::subject_public_key_info(&key);
        let (_, info) =
            <x509_parser::x509::SubjectPublicKeyInfo as x509_parser::prelude::FromDer<_>>::from_der(&spki)
                .unwrap();
        assert_eq!(info.parsed().unwrap().key_size(), 2048);
    }
}
