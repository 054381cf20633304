//! Writing PKCS#12 (RFC 7292) in the layout `openssl pkcs12 -export -name ALIAS` writes, which
//! Windows, keytool, OpenSSL, Node and Python read the alias from:
//!
//! ```text
//! PFX { version 3,
//!       authSafe data { AuthenticatedSafe [
//!           encryptedData { certBag leaf    { friendlyName ALIAS, localKeyID ID }
//!                           certBag issuer  (no attributes) ... },
//!           data { pkcs8ShroudedKeyBag key  { friendlyName ALIAS, localKeyID ID } } ] },
//!       macData }
//! ```
//!
//! ID is the SHA-1 of the leaf's DER, as OpenSSL sets it. Issuers carry no friendly name, as
//! with `openssl pkcs12 -export` without `-caname`: they are the key's chain, not entries of
//! their own, so the alias names one certificate, the key's. Both the key and the certificates
//! are encrypted with the profile's scheme; the MAC key comes from the RFC 7292 appendix B
//! derivation with the profile's digest.

use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use pkcs5::der::Encode as _;
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use ring::hmac;

use super::{
    ITERATIONS, OID_CERT_BAG, OID_DATA, OID_ENCRYPTED_DATA, OID_FRIENDLY_NAME, OID_LOCAL_KEY_ID,
    OID_PBE_SHA1_3DES, OID_SHA1, OID_SHA256, OID_SHROUDED_KEY_BAG, OID_X509_CERTIFICATE, P12Profile,
    Password,
};
use crate::pki::der::{self, BMP_STRING, NULL, OCTET_STRING, OID, context, context_primitive};

/// Salts of the key derivations (PBE, PBKDF2 and MAC): 128 bits, as NIST SP 800-132 asks.
const SALT_LEN: usize = 16;

/// The PKCS#12 file of `key_pkcs8` and `chain` (leaf first), named `alias`.
pub(super) fn pfx(
    key_pkcs8: &[u8],
    chain: &[Vec<u8>],
    alias: &str,
    password: &Password,
    profile: P12Profile,
) -> Result<Vec<u8>, String> {
    let (leaf, issuers) = chain.split_first().ok_or("no certificate for the PKCS#12 file")?;
    let name = friendly_name(alias)?;
    let local_key_id =
        der::tlv(OCTET_STRING, ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, leaf).as_ref());
    let attributes =
        der::set_of(vec![attribute(OID_FRIENDLY_NAME, &name), attribute(OID_LOCAL_KEY_ID, &local_key_id)]);

    let mut cert_bags = vec![cert_bag(leaf, Some(&attributes))];
    cert_bags.extend(issuers.iter().map(|issuer| cert_bag(issuer, None)));
    let (algorithm, encrypted) = encrypt(profile, password, &der::sequence(&as_slices(&cert_bags)))?;
    let encrypted_content_info =
        der::sequence(&[&oid(OID_DATA), &algorithm, &der::tlv(context_primitive(0), &encrypted)]);
    let encrypted_data = der::sequence(&[&der::integer(0), &encrypted_content_info]);
    let certificates = content_info(OID_ENCRYPTED_DATA, &encrypted_data);

    let (algorithm, encrypted) = encrypt(profile, password, key_pkcs8)?;
    let shrouded = der::sequence(&[&algorithm, &der::tlv(OCTET_STRING, &encrypted)]);
    let key_bag = safe_bag(OID_SHROUDED_KEY_BAG, &shrouded, Some(&attributes));
    let key = content_info(OID_DATA, &der::tlv(OCTET_STRING, &der::sequence(&[&key_bag])));

    let authenticated_safe = der::sequence(&[&certificates, &key]);
    let mac_data = mac(profile, password, &authenticated_safe)?;
    Ok(der::sequence(&[
        &der::integer(3),
        &content_info(OID_DATA, &der::tlv(OCTET_STRING, &authenticated_safe)),
        &mac_data,
    ]))
}

/// `alias` as a `BMPString`, or why it cannot be one.
pub(super) fn friendly_name(alias: &str) -> Result<Vec<u8>, String> {
    // A BMPString holds UCS-2: one 16-bit unit per character, U+FFFF excluded. OpenSSL 3.0
    // refuses such a name too ("illegal characters"), and DER readers (p12-keystore's, so
    // `tlsforge inspect`'s) reject a surrogate pair in a BMPString.
    if let Some(c) = alias.chars().find(|c| u32::from(*c) >= 0xffff) {
        return Err(format!(
            "the alias cannot be a PKCS#12 friendly name: U+{:04X} is outside the Basic Multilingual Plane, \
             which is all a BMPString holds",
            u32::from(c)
        ));
    }
    let ucs2: Vec<u8> = alias.encode_utf16().flat_map(u16::to_be_bytes).collect();
    Ok(der::tlv(BMP_STRING, &ucs2))
}

fn oid(content: &[u8]) -> Vec<u8> {
    der::tlv(OID, content)
}

fn as_slices(elements: &[Vec<u8>]) -> Vec<&[u8]> {
    elements.iter().map(Vec::as_slice).collect()
}

/// `ContentInfo { contentType, [0] EXPLICIT content }`.
fn content_info(content_type: &[u8], content: &[u8]) -> Vec<u8> {
    der::sequence(&[&oid(content_type), &der::tlv(context(0), content)])
}

/// `PKCS12Attribute { attrId, attrValues SET OF { value } }`.
fn attribute(id: &[u8], value: &[u8]) -> Vec<u8> {
    der::sequence(&[&oid(id), &der::set_of(vec![value.to_vec()])])
}

/// `SafeBag { bagId, [0] EXPLICIT bagValue, bagAttributes OPTIONAL }`.
fn safe_bag(id: &[u8], value: &[u8], attributes: Option<&[u8]>) -> Vec<u8> {
    let (id, value) = (oid(id), der::tlv(context(0), value));
    match attributes {
        Some(attributes) => der::sequence(&[&id, &value, attributes]),
        None => der::sequence(&[&id, &value]),
    }
}

/// `CertBag { x509Certificate, [0] EXPLICIT OCTET STRING der }` in its safe bag.
fn cert_bag(cert_der: &[u8], attributes: Option<&[u8]>) -> Vec<u8> {
    let value = der::sequence(&[
        &oid(OID_X509_CERTIFICATE),
        &der::tlv(context(0), &der::tlv(OCTET_STRING, cert_der)),
    ]);
    safe_bag(OID_CERT_BAG, &value, attributes)
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random bytes for the PKCS#12 file: {e}"))?;
    Ok(bytes)
}

/// The iteration count as the RFC 7292 derivation takes it.
fn rounds() -> Result<i32, String> {
    i32::try_from(ITERATIONS).map_err(|_| "too many PKCS#12 iterations".to_owned())
}

/// `plain` encrypted under `password` by the profile's scheme: its `AlgorithmIdentifier` (DER)
/// and the ciphertext.
fn encrypt(profile: P12Profile, password: &Password, plain: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let salt = random::<SALT_LEN>()?;
    match profile {
        P12Profile::Compat => {
            // pbeWithSHAAnd3-KeyTripleDES-CBC: key and IV from the appendix B derivation (SHA-1,
            // the password as a BMPString), then DES-EDE3-CBC with PKCS#7 padding.
            let derive = |id, len| {
                derive_key_utf8::<sha1::Sha1>(password.as_str(), &salt, id, rounds()?, len)
                    .map_err(|e| format!("the password cannot protect a PKCS#12 file: {e}"))
            };
            let key = derive(Pkcs12KeyType::EncryptionKey, 24)?;
            let iv = derive(Pkcs12KeyType::Iv, 8)?;
            let cipher = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|e| format!("cannot set up 3DES: {e}"))?;
            let encrypted = cipher.encrypt_padded_vec::<Pkcs7>(plain);
            let parameters = der::sequence(&[&der::tlv(OCTET_STRING, &salt), &der::integer(ITERATIONS)]);
            Ok((der::sequence(&[&oid(OID_PBE_SHA1_3DES), &parameters]), encrypted))
        }
        P12Profile::Modern => {
            // PBES2: PBKDF2-HMAC-SHA-256 over the password's UTF-8 bytes (as OpenSSL), AES-256-CBC.
            let iv = random::<16>()?;
            let parameters =
                pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(ITERATIONS, &salt, iv)
                    .map_err(|e| format!("cannot set up PBES2: {e}"))?;
            let encrypted = parameters
                .encrypt(password.as_str().as_bytes(), plain)
                .map_err(|e| format!("cannot encrypt the PKCS#12 file: {e}"))?;
            let algorithm = pkcs5::EncryptionScheme::from(parameters)
                .to_der()
                .map_err(|e| format!("cannot encode the PBES2 parameters: {e}"))?;
            Ok((algorithm, encrypted))
        }
    }
}

/// `MacData { DigestInfo { digestAlgorithm, HMAC }, macSalt, iterations }` over `content`: the
/// MAC key from the appendix B derivation with the profile's digest, as long as its output.
fn mac(profile: P12Profile, password: &Password, content: &[u8]) -> Result<Vec<u8>, String> {
    let salt = random::<SALT_LEN>()?;
    let (digest, algorithm, key) = match profile {
        P12Profile::Compat => (
            OID_SHA1,
            hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            derive_key_utf8::<sha1::Sha1>(password.as_str(), &salt, Pkcs12KeyType::Mac, rounds()?, 20),
        ),
        P12Profile::Modern => (
            OID_SHA256,
            hmac::HMAC_SHA256,
            derive_key_utf8::<sha2::Sha256>(password.as_str(), &salt, Pkcs12KeyType::Mac, rounds()?, 32),
        ),
    };
    let key = key.map_err(|e| format!("the password cannot protect a PKCS#12 file: {e}"))?;
    let tag = hmac::sign(&hmac::Key::new(algorithm, &key), content);
    let digest_algorithm = der::sequence(&[&oid(digest), &[NULL, 0]]);
    let digest_info = der::sequence(&[&digest_algorithm, &der::tlv(OCTET_STRING, tag.as_ref())]);
    Ok(der::sequence(&[&digest_info, &der::tlv(OCTET_STRING, &salt), &der::integer(ITERATIONS)]))
}
