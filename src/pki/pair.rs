//! A certificate and its private key as a service will load them: both readable, the key
//! unencrypted, belonging to the certificate and able to sign for it. Used by `env` and `snippet` before they point
//! anything at the files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;

use super::keyfile::{self, KeyError};
use super::{armor, content, proof};
use crate::error::Error;
use crate::fsutil;
use crate::input::{self, ReadError};

/// A checked pair, with absolute paths. Its certificate parses: only [`load`] and
/// [`CertKeyPair::new`] make one.
#[derive(Debug, Clone)]
pub(crate) struct CertKeyPair {
    cert_path: PathBuf,
    key_path: PathBuf,
    /// The first certificate in the certificate file.
    cert_der: Vec<u8>,
}

const GEN_HINT: &str = "create a pair with `tlsforge gen`, or pass --cert PATH and --key PATH";

/// Read and check the pair at `cert` and `key` (absolute paths: they are reported as given).
pub(crate) fn load(cert: &Path, key: &Path) -> Result<CertKeyPair> {
    let cert_path = cert.to_path_buf();
    let key_path = key.to_path_buf();
    // A `gen` killed between its renames is completed first: never the new key with the old
    // certificate.
    fsutil::settle(cert)?;
    fsutil::settle(key)?;
    let cert_text = input::read_to_string(&cert_path, input::CERTIFICATE).map_err(|e| {
        Error::failed(format!("cannot read the certificate {}: {}", cert_path.display(), read_reason(&e)))
            .hint(GEN_HINT)
    })?;
    // Services read PEM: a DER certificate here would not load in them.
    let cert_der = Some(cert_text.as_bytes())
        .filter(|text| armor::is_pem(text))
        .and_then(|text| content::first_certificate(text).ok())
        .ok_or_else(|| {
            Error::failed(format!("{} holds no PEM certificate", cert_path.display())).hint(GEN_HINT)
        })?;
    let (_, cert) = x509_parser::parse_x509_certificate(&cert_der).map_err(|e| {
        Error::failed(format!("{} holds a certificate that cannot be parsed: {e}", cert_path.display()))
            .hint(GEN_HINT)
    })?;
    let key_text = input::read_to_string(&key_path, input::CERTIFICATE).map_err(|e| {
        Error::failed(format!("cannot read the key {}: {}", key_path.display(), read_reason(&e)))
            .hint(GEN_HINT)
    })?;
    let info = keyfile::parse_pem(&key_text).map_err(|e| {
        let err = Error::failed(format!("{}: {e}", key_path.display()));
        match e {
            KeyError::Encrypted => err.hint(
                "services read SSL_KEY_PATH without a passphrase; `openssl pkey -in KEY -out server.key` writes it decrypted, or make a new pair with `tlsforge gen`",
            ),
            KeyError::Malformed(_) => err.hint(GEN_HINT),
        }
    })?;
    if info.matches(&cert) == Some(false) {
        return Err(Error::failed(format!(
            "the key {} does not belong to the certificate {}",
            key_path.display(),
            cert_path.display()
        ))
        .hint("pass the matching --key, or make a new pair with `tlsforge gen --force`")
        .into());
    }
    // A matching public half is not enough: the private part must sign for the certificate.
    if let Err(reason) = proof::proves_pem(&key_text, &cert.public_key().subject_public_key.data) {
        return Err(Error::failed(format!(
            "the key {} does not work with the certificate {}: {reason}",
            key_path.display(),
            cert_path.display()
        ))
        .hint(format!(
            "`openssl pkey -check -noout -in {}` shows the damage; make a new pair with `tlsforge gen --force`",
            key_path.display()
        ))
        .into());
    }
    Ok(CertKeyPair { cert_path, key_path, cert_der })
}

/// What a server needs to serve a checked pair: every certificate of its certificate file (the
/// leaf first, then the chain a `fullchain.pem` carries) and its key's PEM block (`PRIVATE KEY`,
/// `RSA PRIVATE KEY` or `EC PRIVATE KEY`).
pub(crate) fn serving(pair: &CertKeyPair) -> Result<(Vec<Vec<u8>>, armor::PemBlock)> {
    let cert_text = input::read(&pair.cert_path, input::CERTIFICATE)
        .with_context(|| format!("reading {}", pair.cert_path.display()))?;
    let chain = content::certificates(&cert_text);
    let key_text = input::read(&pair.key_path, input::CERTIFICATE)
        .with_context(|| format!("reading {}", pair.key_path.display()))?;
    let key = armor::pem_blocks(&key_text)
        .filter_map(Result::ok)
        .find(|block| block.label.ends_with("PRIVATE KEY") && !block.encrypted)
        .ok_or_else(|| {
            Error::failed(format!("{} holds no unencrypted private key", pair.key_path.display()))
        })?;
    Ok((chain, key))
}

/// Why a text file could not be read: not text at all, or the I/O reason.
fn read_reason(e: &ReadError) -> String {
    if e.kind() == std::io::ErrorKind::InvalidData { "not a text file".into() } else { e.reason() }
}

impl CertKeyPair {
    /// A pair whose key was checked elsewhere; `None` when `cert_der` is not a certificate.
    pub(crate) fn new(cert_path: PathBuf, key_path: PathBuf, cert_der: Vec<u8>) -> Option<Self> {
        x509_parser::parse_x509_certificate(&cert_der).ok()?;
        Some(Self { cert_path, key_path, cert_der })
    }

    pub(crate) fn cert_path(&self) -> &Path {
        &self.cert_path
    }

    pub(crate) fn key_path(&self) -> &Path {
        &self.key_path
    }

    pub(crate) fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    fn parsed(&self) -> X509Certificate<'_> {
        // Every constructor parsed it.
        x509_parser::parse_x509_certificate(&self.cert_der).expect("parsed when the pair was made").1
    }

    /// DNS names and IP addresses from the subjectAltName, in order.
    pub(crate) fn names(&self) -> Vec<String> {
        let cert = self.parsed();
        let Ok(Some(san)) = cert.subject_alternative_name() else { return Vec::new() };
        san.value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                GeneralName::IPAddress(bytes) => ip_from_bytes(bytes).map(|ip| ip.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Whether `ca_der` names itself as this certificate's issuer (the one issued-by rule,
    /// [`super::issuer::is_issued_by`]).
    pub(crate) fn is_issued_by(&self, ca_der: &[u8]) -> bool {
        let Ok((_, ca)) = x509_parser::parse_x509_certificate(ca_der) else { return false };
        super::issuer::is_issued_by(&self.parsed(), &ca)
    }

    /// The issuer's distinguished name, for messages.
    pub(crate) fn issuer(&self) -> String {
        self.parsed().issuer().to_string()
    }

    /// The subject's distinguished name, for messages.
    pub(crate) fn subject(&self) -> String {
        self.parsed().subject().to_string()
    }
}

fn ip_from_bytes(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ca::{CaDir, CaOptions};
    use crate::pki::keys::{self, KeyAlgorithm};
    use crate::pki::leaf::{self, LeafRequest};
    use crate::pki::names::SubjectName;

    fn request() -> LeafRequest {
        LeafRequest {
            names: vec![SubjectName::parse("app.test").unwrap(), SubjectName::parse("10.0.0.5").unwrap()],
            days: 30,
            key: KeyAlgorithm::EcdsaP256,
            client_auth: false,
        }
    }

    fn pair(der: Vec<u8>) -> CertKeyPair {
        CertKeyPair { cert_path: "/c".into(), key_path: "/k".into(), cert_der: der }
    }

    #[test]
    fn a_leaf_belongs_to_its_ca_and_not_to_a_new_ca_with_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let old = CaDir::resolve(Some(dir.path().join("old")), None)
            .unwrap()
            .create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false)
            .unwrap();
        let new = CaDir::resolve(Some(dir.path().join("new")), None)
            .unwrap()
            .create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false)
            .unwrap();
        assert_eq!(old.subject(), new.subject(), "`ca init --force` keeps the name");
        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let leaf = pair(leaf::issued_by(&request(), &key, &old, now).unwrap().cert_der);
        assert!(leaf.is_issued_by(old.cert_der()));
        assert!(!leaf.is_issued_by(new.cert_der()), "the authority key identifier tells them apart");
        assert!(!leaf.is_issued_by(leaf.cert_der()));
        assert_eq!(leaf.names(), ["app.test", "10.0.0.5"]);
        assert!(!leaf.is_issued_by(b"not a certificate"));
    }

    #[test]
    fn a_self_signed_leaf_is_its_own_issuer() {
        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let leaf =
            pair(leaf::self_signed(&request(), &key, time::OffsetDateTime::now_utc()).unwrap().cert_der);
        assert!(leaf.is_issued_by(leaf.cert_der()), "self-signed: its own issuer");
        assert_eq!(leaf.issuer(), leaf.subject());
    }
}
