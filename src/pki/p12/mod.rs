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
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey, PrivateKeyChain,
};
use serde::Serialize;

mod read;

pub(crate) use read::{OpenError, open, protection};

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

// Object identifiers, as their DER content bytes.
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
