//! PKCS#12 (`.p12`, `.pfx`): a key, its certificate and its issuer in one password-protected
//! file, for Windows/IIS, Java, .NET and appliances.
//!
//! Two profiles are written (see PLATFORM-NOTES.md): `compat` (PBE-SHA1-3DES for the key and
//! the certificates, an SHA-1 MAC: OpenSSL 3 without `-legacy`, Node, Java, Windows and the
//! macOS Keychain all open it; the password is transport protection only) and `modern` (PBES2,
//! PBKDF2-HMAC-SHA-256, AES-256-CBC, an HMAC-SHA-256 MAC: not the macOS Keychain). The
//! `p12-keystore` crate encodes and decrypts; this module chooses the algorithms and reads,
//! without the password, which algorithms protect a file.

use std::fmt;

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, Pkcs12Archive, PrivateKey,
    PrivateKeyChain,
};
use serde::Serialize;

use super::der::{self, OCTET_STRING, OID, SEQUENCE, context};

/// How a PKCS#12 file tlsforge writes is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum P12Profile {
    /// PBE-SHA1-3DES + SHA-1 MAC: opens everywhere (macOS Keychain too); the password is transport protection only
    Compat,
    /// PBES2 AES-256-CBC + PBKDF2-SHA-256 + HMAC-SHA-256 MAC: OpenSSL, Java, Windows 10+; not the macOS Keychain
    Modern,
}

/// What protects a PKCS#12 file, as read from its algorithm identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protection {
    /// tlsforge's compat profile (and `openssl pkcs12 -export -certpbe PBE-SHA1-3DES -keypbe
    /// PBE-SHA1-3DES -macalg sha1`).
    Compat,
    /// OpenSSL 3's default: PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA-256, HMAC-SHA-256 MAC.
    Modern,
    /// RC2-40 (or RC4) certificates: mkcert, step, OpenSSL 1.x; OpenSSL 3 needs `-legacy`.
    Legacy,
    /// Any other mix.
    Other,
}

impl Protection {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Compat => {
                "compat (PBE-SHA1-3DES, SHA-1 MAC): opens everywhere; the password is transport protection only"
            }
            Self::Modern => "modern (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA-256, HMAC-SHA-256 MAC)",
            Self::Legacy => "legacy (RC2-40 or RC4): OpenSSL 3 and Node 17+ refuse it without -legacy",
            Self::Other => "another mix of algorithms",
        }
    }
}

impl P12Profile {
    fn algorithms(self) -> (EncryptionAlgorithm, MacAlgorithm) {
        match self {
            Self::Compat => (EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc, MacAlgorithm::HmacSha1),
            Self::Modern => (EncryptionAlgorithm::PbeWithHmacSha256AndAes256, MacAlgorithm::HmacSha256),
        }
    }

    /// What the human output says of it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Compat => Protection::Compat.describe(),
            Self::Modern => {
                "modern (AES-256, PBKDF2-SHA-256, HMAC-SHA-256): OpenSSL, Java, Windows 10+; not the macOS Keychain"
            }
        }
    }
}

/// A PKCS#12 password: never empty, never shown (not even in debug output).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Password(String);

impl Password {
    /// `None` for an empty password: macOS 15 rejects such a file, and it protects nothing.
    pub(crate) fn new(text: String) -> Option<Self> {
        (!text.is_empty()).then_some(Self(text))
    }

    fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Iterations of the key derivations, for the key and the MAC: Java's default (OpenSSL's is
/// 2048). The password is the weak part either way.
const ITERATIONS: u32 = 10_000;

/// A PKCS#12 file of `key` (PKCS#8 DER) and `chain` (DER, the key's certificate first, then
/// its issuers), under `alias`: the key bag's friendly name, which keytool lists and Windows shows.
pub(crate) fn build(
    key_pkcs8: &[u8],
    chain: &[Vec<u8>],
    alias: &str,
    password: &Password,
    profile: P12Profile,
) -> Result<Vec<u8>, String> {
    let key = PrivateKey::from_der(key_pkcs8).map_err(|e| format!("the key cannot go into PKCS#12: {e}"))?;
    let certs = chain
        .iter()
        .map(|der| Certificate::from_der(der))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("a certificate cannot go into PKCS#12: {e}"))?;
    let leaf = chain.first().ok_or("no certificate for the PKCS#12 file")?;
    // The localKeyId ties the key bag to its certificate's bag: the certificate's SHA-1, as
    // OpenSSL and Windows set it.
    let local_key_id = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, leaf).as_ref().to_vec();
    let mut store = KeyStore::new();
    store.add_entry(alias, KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_key_id, key, certs)));
    let (encryption, mac) = profile.algorithms();
    store
        .writer(password.as_str())
        .encryption_algorithm(encryption)
        .encryption_iterations(ITERATIONS)
        .mac_algorithm(mac)
        .mac_iterations(ITERATIONS)
        .write()
        .map_err(|e| format!("cannot encode the PKCS#12 file: {e}"))
}

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

const OID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const OID_ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const OID_SHROUDED_KEY_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const OID_PBE_SHA1_3DES: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03];
const OID_PBE_SHA1_RC2_40: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06];
const OID_PBE_SHA1_RC4_128: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x01];
const OID_PBE_SHA1_RC4_40: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x02];
const OID_PBE_SHA1_RC2_128: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05];
const OID_PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const OID_PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
const OID_HMAC_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const OID_AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
const OID_SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::keys::{self, KeyAlgorithm};
    use crate::pki::leaf::{self, LeafRequest};
    use crate::pki::names::SubjectName;

    fn pair() -> (Vec<u8>, Vec<u8>) {
        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let request = LeafRequest {
            names: vec![SubjectName::parse("app.test").unwrap()],
            days: 30,
            key: KeyAlgorithm::EcdsaP256,
            client_auth: false,
        };
        let cert = leaf::self_signed(&request, &key, time::OffsetDateTime::now_utc()).unwrap().cert_der;
        (keys::private_key_der(&key), cert)
    }

    #[test]
    fn both_profiles_round_trip_and_say_what_protects_them() {
        let (key, cert) = pair();
        let password = Password::new("s3cret".into()).unwrap();
        for (profile, expected) in
            [(P12Profile::Compat, Protection::Compat), (P12Profile::Modern, Protection::Modern)]
        {
            let p12 = build(&key, std::slice::from_ref(&cert), "app", &password, profile).unwrap();
            assert!(
                matches!(crate::pki::content::parse(&p12), crate::pki::content::Content::Items(items) if matches!(items.as_slice(), [Ok(crate::pki::content::Found::Pkcs12(_))]))
            );
            assert_eq!(protection(&p12), Some(expected), "{profile:?}");
            let opened = open(&p12, &password).unwrap();
            assert_eq!(opened.keys, [(key.clone(), Some("app".to_owned()))]);
            assert_eq!(opened.certificates.len(), 1);
            assert_eq!(opened.certificates[0].0, cert);
            let wrong = Password::new("S3cret".into()).unwrap();
            assert_eq!(open(&p12, &wrong).unwrap_err(), OpenError::WrongPassword);
        }
    }

    #[test]
    fn an_empty_password_is_refused_and_never_shown() {
        assert!(Password::new(String::new()).is_none());
        assert_eq!(format!("{:?}", Password::new("hunter2".into()).unwrap()), "Password(..)");
    }

    #[test]
    fn other_inputs_have_no_protection_and_do_not_panic() {
        let (key, cert) = pair();
        for input in [&key[..], &cert[..], b"", &[0x30, 0x03, 0x02, 0x01, 0x03]] {
            assert_eq!(protection(input), None);
        }
    }
}
