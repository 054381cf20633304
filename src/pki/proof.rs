//! Proof that a private key works with a certificate: the key signs a fixed message and the
//! certificate's public key verifies the signature. Matching public halves is not enough: a key
//! whose private part is damaged still carries an intact public key, `openssl pkey -check`
//! rejects it, and every handshake with it fails.
//!
//! The one place that decides; `doctor`'s key-match and [`super::pair::load`] ask it.

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};

use super::der::{self, OCTET_STRING, OID, SEQUENCE};
use super::keyfile::{self, OID_EC, OID_ED25519, OID_P256, OID_P384, OID_RSA, OID_RSA_PSS};

/// What the test signature showed, when the key is not broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proof {
    /// The key signed and the certificate's public key verified it.
    Proven,
    /// Not tested: an algorithm or size this build cannot sign with (P-521, Ed448, DSA, RSA
    /// under 2048 bits), or a key file too malformed to get this far (reported elsewhere).
    Untested,
}

/// What is signed: any fixed message will do.
const MESSAGE: &[u8] = b"tlsforge: this key signs for its certificate";

/// Prove the first private key in PEM `text` against `subject_public_key` (the BIT STRING
/// contents of the certificate's `SubjectPublicKeyInfo`). `Err` says, in a few words, what is
/// wrong with the key.
pub(crate) fn proves_pem(text: &str, subject_public_key: &[u8]) -> Result<Proof, String> {
    match keyfile::private_key_block(text) {
        Ok(block) => proves(&block.label, &block.der, subject_public_key),
        // No key to sign with: what is wrong with the file is said where it is read.
        Err(_) => Ok(Proof::Untested),
    }
}

/// Prove the private key in a PEM block's DER body with `label` against `subject_public_key`.
pub(crate) fn proves(label: &str, der: &[u8], subject_public_key: &[u8]) -> Result<Proof, String> {
    match label {
        "PRIVATE KEY" => pkcs8(der, subject_public_key),
        "RSA PRIVATE KEY" => rsa(der, subject_public_key),
        "EC PRIVATE KEY" => ec(der, None, subject_public_key),
        _ => Ok(Proof::Untested),
    }
}

fn pkcs8(der: &[u8], spk: &[u8]) -> Result<Proof, String> {
    let Some(fields) = der::expect(der, SEQUENCE).and_then(|(outer, _)| der::children(outer.content)) else {
        return Ok(Proof::Untested);
    };
    let [_, algorithm, private, ..] = fields.as_slice() else { return Ok(Proof::Untested) };
    if private.tag != OCTET_STRING {
        return Ok(Proof::Untested);
    }
    let Some(alg) = der::children(algorithm.content) else { return Ok(Proof::Untested) };
    let Some(oid) = alg.first().filter(|t| t.tag == OID).map(|t| t.content) else {
        return Ok(Proof::Untested);
    };
    match oid {
        o if o == OID_RSA || o == OID_RSA_PSS => rsa(private.content, spk),
        o if o == OID_EC => ec(private.content, alg.get(1).filter(|t| t.tag == OID).map(|t| t.content), spk),
        o if o == OID_ED25519 => {
            let Some((seed, _)) = der::expect(private.content, OCTET_STRING) else {
                return Ok(Proof::Untested);
            };
            let pair = Ed25519KeyPair::from_seed_and_public_key(seed.content, spk)
                .map_err(|_| "its private part does not produce its public key".to_owned())?;
            verify(&signature::ED25519, spk, pair.sign(MESSAGE).as_ref())
        }
        _ => Ok(Proof::Untested),
    }
}

/// `ECPrivateKey` (SEC1, or inside PKCS#8 with the curve from the algorithm identifier). The
/// public key used is the certificate's, so a key file without its public half is proven too.
fn ec(der: &[u8], curve_from_pkcs8: Option<&[u8]>, spk: &[u8]) -> Result<Proof, String> {
    let Some(fields) = der::expect(der, SEQUENCE).and_then(|(outer, _)| der::children(outer.content)) else {
        return Ok(Proof::Untested);
    };
    let Some(private) = fields.get(1).filter(|t| t.tag == OCTET_STRING) else { return Ok(Proof::Untested) };
    let curve = curve_from_pkcs8.or_else(|| {
        fields
            .iter()
            .find(|t| t.tag == der::context(0))
            .and_then(|t| der::expect(t.content, OID))
            .map(|(t, _)| t.content)
    });
    let (signing, verifying, size) = match (curve, spk.len()) {
        (Some(o), _) if o == OID_P256 => P256,
        (Some(o), _) if o == OID_P384 => P384,
        (None, 65) => P256,
        (None, 97) => P384,
        _ => return Ok(Proof::Untested),
    };
    // Some writers drop the scalar's leading zero bytes: ring wants the curve's full width.
    let scalar = der::unsigned(private.content);
    if scalar.len() > size {
        return Err("its private part is longer than the curve allows".to_owned());
    }
    let mut padded = vec![0; size - scalar.len()];
    padded.extend_from_slice(scalar);
    let rng = SystemRandom::new();
    let pair = EcdsaKeyPair::from_private_key_and_public_key(signing, &padded, spk, &rng)
        .map_err(|_| "its private part does not produce its public key".to_owned())?;
    let sig = pair.sign(&rng, MESSAGE).map_err(|_| "it cannot sign".to_owned())?;
    verify(verifying, spk, sig.as_ref())
}

type Curve =
    (&'static signature::EcdsaSigningAlgorithm, &'static dyn signature::VerificationAlgorithm, usize);
const P256: Curve = (&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &signature::ECDSA_P256_SHA256_FIXED, 32);
const P384: Curve = (&signature::ECDSA_P384_SHA384_FIXED_SIGNING, &signature::ECDSA_P384_SHA384_FIXED, 48);

/// `RSAPrivateKey` (PKCS#1). The `rsa` crate checks the numbers ring never uses (n = p·q and
/// d·e ≡ 1 mod p−1, q−1: what `openssl pkey -check` checks); ring checks the CRT values by
/// signing with them.
fn rsa(der: &[u8], spk: &[u8]) -> Result<Proof, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    let pair = match RsaKeyPair::from_der(der) {
        Ok(pair) => pair,
        // Sizes and exponents ring does not sign with, or not an RSA key at all: untested.
        Err(e) if matches!(e.to_string().as_str(), "InvalidComponent" | "InconsistentComponents") => {
            return Err("its private numbers are inconsistent".to_owned());
        }
        Err(_) => return Ok(Proof::Untested),
    };
    // Within ring's sizes (2048 to 8192 bits) the `rsa` crate reads any two-prime key.
    if rsa::PrivateKey::from_pkcs1_der(der).is_err() {
        return Err("its private numbers do not fit together (p·q must be n, d must invert e)".to_owned());
    }
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(&signature::RSA_PKCS1_SHA256, &SystemRandom::new(), MESSAGE, &mut sig)
        .map_err(|_| "it cannot sign: its private numbers are inconsistent".to_owned())?;
    verify(&signature::RSA_PKCS1_2048_8192_SHA256, spk, &sig)
}

fn verify(
    alg: &'static dyn signature::VerificationAlgorithm,
    spk: &[u8],
    sig: &[u8],
) -> Result<Proof, String> {
    signature::UnparsedPublicKey::new(alg, spk)
        .verify(MESSAGE, sig)
        .map(|()| Proof::Proven)
        .map_err(|_| "its signatures do not verify with the certificate's public key".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::armor;
    use crate::pki::keys::{self, KeyAlgorithm};

    fn spk_of(key: &rcgen::KeyPair) -> Vec<u8> {
        rcgen::PublicKeyData::der_bytes(key).to_vec()
    }

    /// The DER of the only PEM block in `text`.
    fn block(text: &str) -> (String, Vec<u8>) {
        let block = armor::pem_blocks(text.as_bytes()).next().unwrap().unwrap();
        (block.label.clone(), block.der.clone())
    }

    #[test]
    fn keys_tlsforge_writes_prove_themselves_and_not_another_certificate() {
        for alg in
            [KeyAlgorithm::EcdsaP256, KeyAlgorithm::EcdsaP384, KeyAlgorithm::Ed25519, KeyAlgorithm::Rsa2048]
        {
            let key = keys::generate(alg).unwrap();
            let pem = keys::private_key_pem(&key);
            assert_eq!(proves_pem(&pem, &spk_of(&key)), Ok(Proof::Proven), "{alg}");
            let other = keys::generate(alg).unwrap();
            assert!(proves_pem(&pem, &spk_of(&other)).is_err(), "{alg}");
        }
    }

    #[test]
    fn a_damaged_private_part_fails_though_the_public_half_is_intact() {
        for alg in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::EcdsaP384, KeyAlgorithm::Rsa2048] {
            let key = keys::generate(alg).unwrap();
            let (label, mut der) = block(&keys::private_key_pem(&key));
            // PKCS#8 { version, algorithm, OCTET STRING { ECPrivateKey | RSAPrivateKey } }: the
            // inner key's second field is the EC scalar; the RSA modulus n, so damage d (fourth).
            let (outer, _) = der::expect(&der, SEQUENCE).unwrap();
            let fields = der::children(outer.content).unwrap();
            let inner = fields[2].content;
            let (inner_seq, _) = der::expect(inner, SEQUENCE).unwrap();
            let parts = der::children(inner_seq.content).unwrap();
            let target = if alg == KeyAlgorithm::Rsa2048 { &parts[3] } else { &parts[1] };
            let offset = target.content.as_ptr() as usize - der.as_ptr() as usize + target.content.len() / 2;
            let info = keyfile::parse(&label, &der).unwrap();
            der[offset] ^= 0x01;
            let damaged = keyfile::parse(&label, &der).unwrap();
            assert_eq!(damaged, info, "{alg}: the public half is intact");
            assert!(proves(&label, &der, &spk_of(&key)).is_err(), "{alg}");
        }
    }

    #[test]
    fn what_cannot_be_tested_is_not_called_broken() {
        assert_eq!(proves("PRIVATE KEY", b"garbage", b""), Ok(Proof::Untested));
        assert_eq!(proves("EC PRIVATE KEY", &[0x30, 0x00], b""), Ok(Proof::Untested));
        assert_eq!(proves("RSA PRIVATE KEY", &[0x30, 0x00], b""), Ok(Proof::Untested));
        assert_eq!(proves_pem("no key here", b""), Ok(Proof::Untested));
    }
}
