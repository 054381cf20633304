//! PKCS#12 (`.p12`, `.pfx`): a key, its certificate and its issuer in one password-protected
//! file, for Windows/IIS, Java, .NET and appliances.
//!
//! Two profiles are written (README, `gen --p12`): `compat` (PBE-SHA1-3DES for the key and
//! the certificates, an SHA-1 MAC: OpenSSL 3 without `-legacy`, Node, Java, Windows and the
//! macOS Keychain all open it; the password is transport protection only) and `modern` (PBES2,
//! PBKDF2-HMAC-SHA-256, AES-256-CBC, an HMAC-SHA-256 MAC: not the macOS Keychain).
//!
//! `write.rs` encodes the file itself, in the layout of `openssl pkcs12 -export -name ALIAS`
//! (the alias on the key's certificate bag too, which is where Windows reads a certificate's
//! Friendly Name), on the `RustCrypto` primitives for the key derivations and ciphers.
//! `read.rs` opens a file with the `p12-keystore` crate (MAC, decryption, bags) and reads,
//! without the password, which algorithms protect it.

use std::fmt;

use serde::Serialize;

use super::der;

mod read;
mod write;

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
/// its issuers), under `alias`: the friendly name of the key bag and of the key's certificate
/// bag, which keytool lists and Windows shows (see `write.rs` for the layout).
pub(crate) fn build(
    key_pkcs8: &[u8],
    chain: &[Vec<u8>],
    alias: &str,
    password: &Password,
    profile: P12Profile,
) -> Result<Vec<u8>, String> {
    if !matches!(der::expect(key_pkcs8, der::SEQUENCE), Some((_, []))) {
        return Err("the key cannot go into PKCS#12: it is not one DER structure".to_owned());
    }
    for cert in chain {
        match x509_parser::parse_x509_certificate(cert) {
            Ok(([], _)) => {}
            Ok(_) => return Err("a certificate cannot go into PKCS#12: bytes follow it".to_owned()),
            Err(e) => return Err(format!("a certificate cannot go into PKCS#12: {e}")),
        }
    }
    write::pfx(key_pkcs8, chain, alias, password, profile)
}

/// Whether `alias` can be a PKCS#12 friendly name (a `BMPString`): checked before anything is
/// asked or written.
pub(crate) fn check_alias(alias: &str) -> Result<(), String> {
    write::friendly_name(alias).map(drop)
}

// Object identifiers, as their DER content bytes.
const OID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const OID_ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const OID_SHROUDED_KEY_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const OID_CERT_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03];
const OID_X509_CERTIFICATE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01];
const OID_FRIENDLY_NAME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14];
const OID_LOCAL_KEY_ID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15];
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
        pair_for("app.test")
    }

    fn pair_for(name: &str) -> (Vec<u8>, Vec<u8>) {
        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let request = LeafRequest {
            names: vec![SubjectName::parse(name).unwrap()],
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
    fn the_alias_names_the_key_and_its_certificate_and_the_issuer_is_unnamed() {
        // p12-keystore's reader sees each bag's attributes as written: the alias and the
        // localKeyId on the key and on the leaf's certificate, nothing on the issuer's.
        let (key, leaf) = pair();
        let (_, issuer) = pair_for("issuer.test");
        let id = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &leaf).as_ref().to_vec();
        let password = Password::new("s3cret".into()).unwrap();
        for alias in ["app", "Zürich 東京 ü"] {
            for profile in [P12Profile::Compat, P12Profile::Modern] {
                let p12 = build(&key, &[leaf.clone(), issuer.clone()], alias, &password, profile).unwrap();
                let archive = p12_keystore::Pkcs12Archive::from_pkcs12(&p12, "s3cret").unwrap();
                assert_eq!(archive.keys.len(), 1, "{profile:?}");
                assert_eq!(archive.keys[0].key.as_der(), key);
                assert_eq!(archive.keys[0].friendly_name.as_deref(), Some(alias));
                assert_eq!(archive.keys[0].local_key_id.as_ref().map(AsRef::as_ref), Some(&id[..]));
                assert_eq!(archive.certs.len(), 2, "{profile:?}");
                assert_eq!(archive.certs[0].cert.as_der(), leaf);
                assert_eq!(archive.certs[0].friendly_name.as_deref(), Some(alias), "{profile:?}");
                assert_eq!(archive.certs[0].local_key_id.as_deref(), Some(&id[..]));
                assert_eq!(archive.certs[1].cert.as_der(), issuer);
                assert_eq!(archive.certs[1].friendly_name, None, "{profile:?}");
                assert_eq!(archive.certs[1].local_key_id, None);
                assert!(!archive.certs[1].trusted);
                assert_eq!(
                    protection(&p12),
                    Some(if profile == P12Profile::Compat { Protection::Compat } else { Protection::Modern })
                );
            }
        }
    }

    #[test]
    fn an_alias_outside_the_basic_multilingual_plane_is_refused() {
        // A BMPString holds one UTF-16 unit per character: no surrogate pairs.
        let (key, cert) = pair();
        let password = Password::new("s3cret".into()).unwrap();
        let error =
            build(&key, std::slice::from_ref(&cert), "app 😀", &password, P12Profile::Compat).unwrap_err();
        assert!(error.contains("U+1F600") && error.contains("Basic Multilingual Plane"), "{error}");
        assert_eq!(check_alias("app 😀"), Err(error));
        assert!(check_alias("\u{ffff}").is_err());
        assert_eq!(check_alias("\u{fffd} ok"), Ok(()));
    }

    #[test]
    fn what_cannot_go_into_a_file_is_an_error_not_a_panic() {
        let (key, cert) = pair();
        let password = Password::new("s3cret".into()).unwrap();
        let mut trailing = cert.clone();
        trailing.push(0);
        for (key, chain) in [
            (&key[..], &[][..]),
            (&b""[..], std::slice::from_ref(&cert)),
            (&key[..2], std::slice::from_ref(&cert)),
            (&key[..], &[cert[..cert.len() - 1].to_vec()][..]),
            (&key[..], std::slice::from_ref(&trailing)),
            (&key[..], &[Vec::new()][..]),
        ] {
            for profile in [P12Profile::Compat, P12Profile::Modern] {
                assert!(build(key, chain, "app", &password, profile).is_err());
            }
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
