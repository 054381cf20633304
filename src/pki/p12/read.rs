//! Reading PKCS#12: opening a file with its password (`p12-keystore` verifies the MAC and
//! decrypts), and naming, without the password, the algorithms that protect it.

use p12_keystore::Pkcs12Archive;

use super::{
    OID_AES256_CBC, OID_DATA, OID_ENCRYPTED_DATA, OID_HMAC_SHA256, OID_PBE_SHA1_3DES, OID_PBE_SHA1_RC2_40,
    OID_PBE_SHA1_RC2_128, OID_PBE_SHA1_RC4_40, OID_PBE_SHA1_RC4_128, OID_PBES2, OID_PBKDF2, OID_SHA1,
    OID_SHA256, OID_SHROUDED_KEY_BAG, Password, Protection,
};
use crate::pki::der::{self, OCTET_STRING, OID, SEQUENCE, context};

/// What an opened PKCS#12 file holds.
#[derive(Debug)]
pub(crate) struct Opened {
    /// DER, with each bag's friendly name.
    pub certificates: Vec<(Vec<u8>, Option<String>)>,
    /// PKCS#8 DER, with each bag's friendly name.
    pub keys: Vec<(Vec<u8>, Option<String>)>,
}

/// Why a PKCS#12 file did not open.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// The MAC does not verify (or the key does not decrypt) with this password.
    WrongPassword,
    Unreadable(String),
}

/// Verify the MAC and decrypt every bag with `password`.
pub(crate) fn open(der: &[u8], password: &Password) -> Result<Opened, OpenError> {
    let archive = Pkcs12Archive::from_pkcs12(der, password.as_str()).map_err(|e| match e {
        p12_keystore::error::Error::MacError(_) | p12_keystore::error::Error::UnpadError => {
            OpenError::WrongPassword
        }
        other => OpenError::Unreadable(other.to_string()),
    })?;
    Ok(Opened {
        certificates: archive
            .certs
            .into_iter()
            .map(|bag| (bag.cert.as_der().to_vec(), bag.friendly_name))
            .collect(),
        keys: archive.keys.into_iter().map(|bag| (bag.key.as_der().to_vec(), bag.friendly_name)).collect(),
    })
}

/// One encryption scheme as a file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Sha1TripleDes,
    Rc2OrRc4,
    Pbes2Aes256Sha256,
    Other,
}

/// Which profile protects a PKCS#12 file, from its algorithm identifiers (no password needed:
/// they are outside the encryption). `None` when the structure cannot be read.
pub(crate) fn protection(input: &[u8]) -> Option<Protection> {
    let (outer, _) = der::expect(input, SEQUENCE)?;
    let parts = der::children(outer.content)?;
    let mac = parts.get(2).and_then(mac_digest);
    let safes = octets_of(parts.get(1)?)?;
    let (safes, _) = der::expect(safes, SEQUENCE)?;
    let mut schemes = Vec::new();
    for info in der::children(safes.content)? {
        match content_type(&info) {
            Some(OID_ENCRYPTED_DATA) => {
                // [0] EXPLICIT EncryptedData { version, EncryptedContentInfo { type, algorithm, .. } }
                let body = der::children(info.content)?;
                let (data, _) = der::expect(body.get(1)?.content, SEQUENCE)?;
                let data = der::children(data.content)?;
                let content_info = der::children(data.get(1)?.content)?;
                schemes.push(scheme(content_info.get(1)?));
            }
            Some(OID_DATA) => {
                let (bags, _) = der::expect(octets_of(&info)?, SEQUENCE)?;
                for bag in der::children(bags.content)? {
                    let bag = der::children(bag.content)?;
                    if bag.first().is_some_and(|id| id.tag == OID && id.content == OID_SHROUDED_KEY_BAG) {
                        // [0] EXPLICIT EncryptedPrivateKeyInfo { algorithm, data }
                        let (shrouded, _) = der::expect(bag.get(1)?.content, SEQUENCE)?;
                        schemes.push(scheme(der::children(shrouded.content)?.first()?));
                    }
                }
            }
            _ => schemes.push(Scheme::Other),
        }
    }
    let all = |s: Scheme| !schemes.is_empty() && schemes.iter().all(|x| *x == s);
    Some(if schemes.contains(&Scheme::Rc2OrRc4) {
        Protection::Legacy
    } else if all(Scheme::Sha1TripleDes) && mac == Some(OID_SHA1) {
        Protection::Compat
    } else if all(Scheme::Pbes2Aes256Sha256) && mac == Some(OID_SHA256) {
        Protection::Modern
    } else {
        Protection::Other
    })
}

/// `ContentInfo { OID, [0] EXPLICIT ... }`: the OID.
fn content_type<'a>(info: &der::Tlv<'a>) -> Option<&'a [u8]> {
    let (oid, _) = der::expect(info.content, OID)?;
    Some(oid.content)
}

/// The OCTET STRING inside a `data` `ContentInfo`.
fn octets_of<'a>(info: &der::Tlv<'a>) -> Option<&'a [u8]> {
    let parts = der::children(info.content)?;
    let explicit = parts.get(1).filter(|t| t.tag == context(0))?;
    let (octets, _) = der::expect(explicit.content, OCTET_STRING)?;
    Some(octets.content)
}

/// `MacData { DigestInfo { AlgorithmIdentifier { OID, .. }, digest }, salt, iterations }`.
fn mac_digest<'a>(mac_data: &der::Tlv<'a>) -> Option<&'a [u8]> {
    let (digest_info, _) = der::expect(mac_data.content, SEQUENCE)?;
    let (algorithm, _) = der::expect(digest_info.content, SEQUENCE)?;
    content_type(&algorithm)
}

fn scheme(algorithm: &der::Tlv<'_>) -> Scheme {
    let Some(oid) = content_type(algorithm) else { return Scheme::Other };
    match oid {
        OID_PBE_SHA1_3DES => Scheme::Sha1TripleDes,
        OID_PBE_SHA1_RC2_40 | OID_PBE_SHA1_RC2_128 | OID_PBE_SHA1_RC4_40 | OID_PBE_SHA1_RC4_128 => {
            Scheme::Rc2OrRc4
        }
        OID_PBES2 if pbes2_is_aes256_sha256(algorithm) => Scheme::Pbes2Aes256Sha256,
        _ => Scheme::Other,
    }
}

/// `PBES2-params { keyDerivationFunc { PBKDF2, { salt, iterations, [keyLength], prf } },
/// encryptionScheme { aes256-CBC, iv } }`.
fn pbes2_is_aes256_sha256(algorithm: &der::Tlv<'_>) -> bool {
    let check = || -> Option<bool> {
        let parts = der::children(algorithm.content)?;
        let params = der::children(parts.get(1)?.content)?;
        let kdf = params.first()?;
        let encryption = params.get(1)?;
        let kdf_parts = der::children(kdf.content)?;
        let pbkdf2 = content_type(kdf)? == OID_PBKDF2;
        let prf = der::children(kdf_parts.get(1)?.content)?
            .iter()
            .filter(|t| t.tag == SEQUENCE)
            .find_map(content_type)
            == Some(OID_HMAC_SHA256);
        Some(pbkdf2 && prf && content_type(encryption)? == OID_AES256_CBC)
    };
    check().unwrap_or(false)
}
