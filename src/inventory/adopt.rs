//! `list --adopt`: an entry for a certificate made before the inventory existed (or by
//! another tool), read from its files.

use std::path::{Path, PathBuf};

use anyhow::Result;
use time::OffsetDateTime;

use super::{Entry, Issuer, MadeWith};
use crate::error::Error;
use crate::pki::describe::CertificateInfo;
use crate::pki::format;
use crate::pki::keyfile::KeyAlgo;
use crate::pki::keys::KeyAlgorithm;
use crate::pki::p12::P12Profile;
use crate::pki::pair::{self, CertKeyPair};
use crate::pki::validity::{MAX_DAYS, MIN_DAYS};

/// An entry for the pair `cert` and `key` (checked: the key must belong to the certificate),
/// issued by itself, by the local CA `local_ca` (its directory and certificate), or by another CA.
pub(crate) fn adopt(
    cert: &Path,
    key: &Path,
    local_ca: Option<(&Path, &[u8])>,
    now: OffsetDateTime,
) -> Result<Entry> {
    let pair = pair::load(cert, key)?;
    let (info, _) = CertificateInfo::from_der(pair.cert_der()).map_err(Error::failed)?;
    let key_type = key_algorithm(&info).ok_or_else(|| {
        Error::input(format!(
            "{}: tlsforge does not make {} keys, so it could not renew this certificate",
            cert.display(),
            info.key.describe()
        ))
    })?;
    let lifetime = (info.not_after - info.not_before).whole_seconds();
    let days = u32::try_from((lifetime + 86_399) / 86_400).unwrap_or(MAX_DAYS).clamp(MIN_DAYS, MAX_DAYS);
    Ok(Entry {
        cert_path: cert.to_path_buf(),
        key_path: key.to_path_buf(),
        p12_path: None,
        names: pair.names(),
        key_type,
        issuer: issuer(&pair, &info, local_ca),
        serial: info.serial.clone(),
        fingerprint_sha256: format::sha256_fingerprint(pair.cert_der()),
        not_before: format::rfc3339(info.not_before),
        not_after: format::rfc3339(info.not_after),
        recorded_at: format::rfc3339(now),
        made_with: MadeWith {
            days,
            key: key_type,
            lan: false,
            given: None,
            client_auth: info
                .extended_key_usage
                .as_ref()
                .is_some_and(|eku| eku.iter().any(|u| u == "clientAuth")),
            p12: None::<P12Profile>,
            adopted: true,
        },
    })
}

/// The key file of an adopted certificate: `NAME.key` beside `NAME.crt` (or `privkey.pem`
/// beside a `fullchain.pem`/`cert.pem`, as certbot writes them).
pub(crate) fn key_beside(cert: &Path) -> PathBuf {
    let key = cert.with_extension("key");
    let certbot = cert.with_file_name("privkey.pem");
    if key.exists() || !certbot.exists() { key } else { certbot }
}

fn issuer(pair: &CertKeyPair, info: &CertificateInfo, local_ca: Option<(&Path, &[u8])>) -> Issuer {
    if info.self_signed {
        return Issuer::SelfSigned;
    }
    match local_ca {
        Some((dir, ca)) if pair.is_issued_by(ca) => {
            Issuer::LocalCa { ca_dir: dir.to_path_buf(), fingerprint_sha256: format::sha256_fingerprint(ca) }
        }
        _ => Issuer::Other { name: info.issuer.clone() },
    }
}

/// The kind of key tlsforge would make for the certificate's key.
fn key_algorithm(info: &CertificateInfo) -> Option<KeyAlgorithm> {
    match (info.key.algorithm, info.key.curve, info.key.bits) {
        (KeyAlgo::Ec, Some("P-256"), _) => Some(KeyAlgorithm::EcdsaP256),
        (KeyAlgo::Ec, Some("P-384"), _) => Some(KeyAlgorithm::EcdsaP384),
        (KeyAlgo::Ed25519, _, _) => Some(KeyAlgorithm::Ed25519),
        (KeyAlgo::Rsa, _, Some(2048)) => Some(KeyAlgorithm::Rsa2048),
        (KeyAlgo::Rsa, _, Some(3072)) => Some(KeyAlgorithm::Rsa3072),
        (KeyAlgo::Rsa, _, Some(4096)) => Some(KeyAlgorithm::Rsa4096),
        _ => None,
    }
}
