//! Which certificate to trust: CERT as given, the local CA instead of a leaf it issued, or a
//! refusal. Also the name every store entry carries.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use tempfile::TempDir;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::Error;
use crate::fsutil;
use crate::input;
use crate::pki::ca::CaDir;
use crate::pki::format;
use crate::pki::issuer::{self, Anchor};
use crate::pki::{armor, content};

/// What kind of trust anchor the certificate becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kind {
    /// A self-signed server certificate, trusted as itself.
    SelfSignedLeaf,
    /// tlsforge's local CA.
    LocalCa,
    /// A CA certificate from elsewhere.
    ForeignCa,
}

impl Kind {
    pub(crate) fn is_ca(self) -> bool {
        self != Self::SelfSignedLeaf
    }
}

/// The certificate that goes into the stores.
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    pub der: Vec<u8>,
    /// The certificate alone, as PEM.
    pub pem: String,
    /// A PEM file holding this certificate and nothing else, for tools that read one.
    pub file: PathBuf,
    pub subject: String,
    pub kind: Kind,
    /// `AB:CD:...`
    pub sha256: String,
    /// Upper-case hex without separators, as `security` and Windows `certutil` name certificates.
    pub sha1: String,
    /// The entry name in every store: `tlsforge-` and the first 16 hex digits of the SHA-256
    /// fingerprint, so an entry names this exact certificate and untrust touches nothing else.
    pub entry_name: String,
}

impl Certificate {
    pub(crate) fn from_der(der: Vec<u8>, file: PathBuf, kind: Kind) -> Result<Self> {
        let (_, x509) =
            X509Certificate::from_der(&der).map_err(|e| Error::input(format!("not a certificate: {e}")))?;
        let subject = x509.subject().to_string();
        let sha256 = format::sha256_fingerprint(&der);
        let sha1 = format::hex(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref());
        let entry_name = format!("tlsforge-{}", sha256.replace(':', "")[..16].to_ascii_lowercase());
        let pem = armor::encode("CERTIFICATE", &der);
        Ok(Self { der, pem, file, subject, kind, sha256, sha1, entry_name })
    }
}

/// CERT resolved: what to trust, and what the user should be told about it.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub cert: Certificate,
    /// The file the user named, or the local CA's certificate.
    pub input: PathBuf,
    pub notes: Vec<String>,
    /// Said before anything changes.
    pub warnings: Vec<String>,
    /// Keeps a staged copy of the certificate alive while tools read it.
    #[allow(dead_code)]
    staged: Option<TempDir>,
}

/// Resolve CERT (default: the local CA's certificate).
///
/// A self-signed leaf is trusted as itself; a leaf issued by the local CA means the CA; any
/// other leaf is refused, naming its issuer. A CA from elsewhere without name constraints
/// comes with a warning.
pub(crate) fn resolve(input: Option<&Path>, ca_dir: &CaDir, now: time::OffsetDateTime) -> Result<Resolved> {
    let local_ca = read_local_ca(ca_dir)?;
    let Some(input) = input else {
        let Some((der, path)) = local_ca else {
            return Err(Error::failed(format!("no local CA in {}", ca_dir.path().display()))
                .hint("`tlsforge ca init` creates one; or name a certificate: tlsforge trust server.crt")
                .into());
        };
        return resolved_ca(der, path, Kind::LocalCa, Vec::new());
    };
    let input = input.to_path_buf();
    let (der, clean) = read_certificate(&input)?;
    let (_, x509) = X509Certificate::from_der(&der)
        .map_err(|e| Error::input(format!("{} is not a valid certificate: {e}", input.display())))?;
    let anchor = issuer::anchor(&der, None, local_ca.as_ref().map(|(ca, _)| ca.as_slice()));
    let mut notes = Vec::new();
    if x509.validity().not_after.to_datetime() < now {
        notes.push(format!(
            "{} expired on {}: clients reject it even when trusted",
            input.display(),
            format::rfc3339(x509.validity().not_after.to_datetime())
        ));
    }

    if anchor == Some(Anchor::Itself { ca: true })
        && issuer::is_self_signed(&x509)
        && x509.verify_signature(None).is_err()
    {
        // A root whose own signature does not verify: damaged or forged. No client would use it.
        return Err(Error::input(format!(
            "{} claims to be a self-signed CA, but its signature does not verify",
            input.display()
        ))
        .hint("the file is damaged or forged: get the CA's certificate again from where it came from")
        .into());
    }
    if anchor == Some(Anchor::Itself { ca: true }) {
        let local = local_ca.as_ref().is_some_and(|(ca_der, _)| *ca_der == der);
        let kind = if local { Kind::LocalCa } else { Kind::ForeignCa };
        let mut resolved = resolved_ca(der.clone(), input.clone(), kind, notes)?;
        if !clean {
            resolved.stage()?;
        }
        if !local && !issuer::is_self_signed(&x509) {
            resolved.notes.push(
                "it is not a self-signed root: OpenSSL-based clients (curl, Python) accept only a \
                 root as a trust anchor"
                    .into(),
            );
        }
        return Ok(resolved);
    }
    if anchor == Some(Anchor::Itself { ca: false }) {
        let cert = Certificate::from_der(der, input.clone(), Kind::SelfSignedLeaf)?;
        let mut resolved = Resolved { cert, input, notes, warnings: Vec::new(), staged: None };
        if !clean {
            resolved.stage()?;
        }
        return Ok(resolved);
    }
    if let (Some(Anchor::LocalCa), Some((ca_der, ca_path))) = (anchor, local_ca) {
        let (_, ca) = X509Certificate::from_der(&ca_der)
            .map_err(|e| Error::failed(format!("reading {}: {e}", ca_path.display())))?;
        notes.push(format!(
            "{} was issued by tlsforge's local CA: trusting the CA ({}), which covers every \
             certificate it issues",
            input.display(),
            ca.subject()
        ));
        let mut resolved = resolved_ca(ca_der.clone(), ca_path, Kind::LocalCa, notes)?;
        resolved.input = input;
        return Ok(resolved);
    }
    Err(Error::input(format!(
        "{} is not self-signed: it was issued by {}, which is not tlsforge's local CA",
        input.display(),
        x509.issuer()
    ))
    .hint("trust the certificate of the CA that issued it instead, or make one with `tlsforge gen`")
    .into())
}

fn resolved_ca(der: Vec<u8>, path: PathBuf, kind: Kind, mut notes: Vec<String>) -> Result<Resolved> {
    let (_, x509) = X509Certificate::from_der(&der)
        .map_err(|e| Error::input(format!("{} is not a valid certificate: {e}", path.display())))?;
    let constraints =
        x509.name_constraints().ok().flatten().is_some_and(|nc| {
            nc.value.permitted_subtrees.as_ref().is_some_and(|subtrees| !subtrees.is_empty())
        });
    let mut warnings = Vec::new();
    match (kind, constraints) {
        (Kind::ForeignCa, false) => warnings.push(format!(
            "{} is a CA from elsewhere without name constraints: once trusted, whoever holds its key \
             can impersonate any website to this machine. Trust it only if you know where it comes from.",
            x509.subject()
        )),
        (Kind::ForeignCa, true) => {
            notes.push(format!("{} is a CA from elsewhere, limited by its name constraints", x509.subject()));
        }
        (Kind::LocalCa, false) => notes.push(
            "the local CA is unconstrained: it can vouch for any name, so guard its key like a password"
                .into(),
        ),
        _ => {}
    }
    let cert = Certificate::from_der(der, path.clone(), kind)?;
    Ok(Resolved { cert, input: path, notes, warnings, staged: None })
}

impl Resolved {
    /// Point tools at a copy holding only the certificate (the input also held keys or a chain).
    fn stage(&mut self) -> Result<()> {
        let dir = tempfile::Builder::new()
            .prefix("tlsforge-trust.")
            .tempdir()
            .map_err(|e| Error::failed(format!("cannot create a temporary directory: {e}")))?;
        let file = dir.path().join(format!("{}.crt", self.cert.entry_name));
        fs::write(&file, &self.cert.pem)
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", file.display())))?;
        self.cert.file = file;
        self.staged = Some(dir);
        Ok(())
    }
}

/// The local CA's certificate, if there is one (its key is never read here). A CA directory
/// other users can write to is refused: its `ca.crt` may not be the CA's.
fn read_local_ca(dir: &CaDir) -> Result<Option<(Vec<u8>, PathBuf)>> {
    let path = dir.cert_path();
    // The certificate a killed `ca init --force` was about to put in place, not the old one.
    dir.recover()?;
    match input::read(&path, input::CERTIFICATE) {
        Ok(bytes) => {
            dir.check_private(false)?;
            let der = content::first_certificate(&bytes)
                .map_err(|e| Error::failed(format!("reading the local CA {}: {e}", path.display())))?;
            Ok(Some((der, path)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::failed(format!("cannot read {}: {e}", path.display())).into()),
    }
}

/// The first certificate of a PEM or DER file, and whether the file is PEM holding nothing else.
fn read_certificate(path: &Path) -> Result<(Vec<u8>, bool)> {
    // The certificate a killed `gen --force` was about to put in place, not the old one.
    fsutil::settle(path)?;
    let bytes = input::read(path, input::CERTIFICATE)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    if armor::is_pem(&bytes) {
        let blocks = armor::pem_blocks(&bytes)
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| Error::input(format!("{} is not valid PEM: {e}", path.display())))?;
        let Some(first) = blocks.iter().find(|b| b.label == "CERTIFICATE") else {
            return Err(Error::input(format!("{} holds no certificate", path.display())).into());
        };
        return Ok((first.der.clone(), blocks.len() == 1));
    }
    match X509Certificate::from_der(&bytes) {
        // DER: staged as PEM, which every tool reads.
        Ok((rest, _)) => Ok((bytes[..bytes.len() - rest.len()].to_vec(), false)),
        Err(_) => Err(Error::input(format!("{} is neither a PEM nor a DER certificate", path.display()))
            .hint("pass the .crt file that `tlsforge gen` wrote")
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ca::CaOptions;
    use crate::pki::keys::{self, KeyAlgorithm};
    use crate::pki::leaf::{self, LeafRequest};
    use crate::pki::names::SubjectName;

    fn request() -> LeafRequest {
        LeafRequest {
            names: vec![SubjectName::parse("localhost").unwrap()],
            days: 30,
            key: KeyAlgorithm::EcdsaP256,
            client_auth: false,
        }
    }

    /// A CA directory with a local CA, a self-signed leaf and a leaf the CA issued.
    fn fixtures(dir: &Path) -> (CaDir, crate::pki::leaf::Issued, crate::pki::leaf::Issued) {
        let ca_dir = CaDir::resolve(Some(dir.join("ca")), None).unwrap();
        let ca =
            ca_dir.create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let own =
            leaf::self_signed(&request(), &keys::generate(KeyAlgorithm::EcdsaP256).unwrap(), now).unwrap();
        let issued =
            leaf::issued_by(&request(), &keys::generate(KeyAlgorithm::EcdsaP256).unwrap(), &ca, now).unwrap();
        (ca_dir, own, issued)
    }

    #[test]
    fn a_self_signed_leaf_is_trusted_as_itself_from_pem_or_der() {
        let dir = tempfile::tempdir().unwrap();
        let (ca_dir, own, _) = fixtures(dir.path());
        let pem_path = dir.path().join("server.crt");
        fs::write(&pem_path, &own.cert_pem).unwrap();
        let resolved = resolve(Some(&pem_path), &ca_dir, time::OffsetDateTime::now_utc()).unwrap();
        assert_eq!(resolved.cert.kind, Kind::SelfSignedLeaf);
        assert_eq!(resolved.cert.der, own.cert_der);
        assert_eq!(resolved.cert.file, pem_path, "a clean PEM file is used as it is");
        assert!(resolved.notes.is_empty() && resolved.warnings.is_empty());

        // DER, or PEM with the key beside it: tools get a staged PEM copy of the certificate alone.
        let der_path = dir.path().join("server.der");
        fs::write(&der_path, &own.cert_der).unwrap();
        let key_pem = keys::private_key_pem(&keys::generate(KeyAlgorithm::EcdsaP256).unwrap());
        let both = dir.path().join("both.pem");
        fs::write(&both, format!("{key_pem}{}", own.cert_pem)).unwrap();
        for path in [der_path, both] {
            let resolved = resolve(Some(&path), &ca_dir, time::OffsetDateTime::now_utc()).unwrap();
            assert_eq!(resolved.cert.der, own.cert_der);
            assert_ne!(resolved.cert.file, path);
            assert_eq!(fs::read_to_string(&resolved.cert.file).unwrap(), resolved.cert.pem);
        }
    }

    #[test]
    fn a_leaf_of_the_local_ca_means_the_ca() {
        let dir = tempfile::tempdir().unwrap();
        let (ca_dir, _, issued) = fixtures(dir.path());
        let path = dir.path().join("server.crt");
        fs::write(&path, &issued.cert_pem).unwrap();
        let resolved = resolve(Some(&path), &ca_dir, time::OffsetDateTime::now_utc()).unwrap();
        assert_eq!(resolved.cert.kind, Kind::LocalCa);
        assert_eq!(resolved.cert.file, ca_dir.cert_path());
        assert_eq!(resolved.input, path);
        assert!(resolved.notes[0].contains("was issued by tlsforge's local CA: trusting the CA"));
        assert!(resolved.warnings.is_empty(), "the local CA is name-constrained");
        let default = resolve(None, &ca_dir, time::OffsetDateTime::now_utc()).unwrap();
        assert_eq!(default.cert.der, resolved.cert.der);
    }

    #[test]
    fn a_leaf_of_another_ca_is_refused_and_a_foreign_ca_warned_about() {
        let dir = tempfile::tempdir().unwrap();
        let (_, _, issued) = fixtures(dir.path());
        // Another CA directory: the leaf's issuer is not this one's CA.
        let other = CaDir::resolve(Some(dir.path().join("other")), None).unwrap();
        other.create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false).unwrap();
        let path = dir.path().join("server.crt");
        fs::write(&path, &issued.cert_pem).unwrap();
        let err = resolve(Some(&path), &other, time::OffsetDateTime::now_utc()).unwrap_err();
        let typed = err.downcast_ref::<Error>().unwrap();
        assert_eq!(typed.status(), crate::error::ExitStatus::Usage);
        assert!(
            err.to_string().contains("is not self-signed: it was issued by O=tlsforge local CA"),
            "{err}"
        );

        let unconstrained = CaDir::resolve(Some(dir.path().join("wide")), None).unwrap();
        unconstrained
            .create(
                &CaOptions {
                    permits: None,
                    key: KeyAlgorithm::EcdsaP256,
                    owner: "me@test".into(),
                    now: time::OffsetDateTime::now_utc(),
                },
                false,
            )
            .unwrap();
        let foreign =
            resolve(Some(&unconstrained.cert_path()), &other, time::OffsetDateTime::now_utc()).unwrap();
        assert_eq!(foreign.cert.kind, Kind::ForeignCa);
        assert!(foreign.warnings[0].contains("without name constraints"), "{:?}", foreign.warnings);
        let constrained =
            resolve(Some(&ca_path_of(dir.path())), &other, time::OffsetDateTime::now_utc()).unwrap();
        assert_eq!(constrained.cert.kind, Kind::ForeignCa);
        assert!(constrained.warnings.is_empty());
        assert!(constrained.notes[0].contains("limited by its name constraints"));
    }

    #[test]
    fn a_ca_whose_own_signature_does_not_verify_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ca_dir = CaDir::resolve(Some(dir.path().join("ca")), None).unwrap();
        let ca =
            ca_dir.create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false).unwrap();
        let mut der = ca.cert_der().to_vec();
        // The last bytes are the signature's: flip one.
        let last = der.len() - 2;
        der[last] ^= 0x01;
        let path = dir.path().join("forged.crt");
        fs::write(&path, &der).unwrap();
        let other = CaDir::resolve(Some(dir.path().join("other")), None).unwrap();
        let err = resolve(Some(&path), &other, time::OffsetDateTime::now_utc()).unwrap_err();
        assert!(err.to_string().contains("its signature does not verify"), "{err}");
    }

    fn ca_path_of(dir: &Path) -> PathBuf {
        dir.join("ca").join(crate::pki::ca::CERT_FILE)
    }

    #[test]
    fn no_local_ca_and_no_cert() {
        let dir = tempfile::tempdir().unwrap();
        let none = CaDir::resolve(Some(dir.path().join("none")), None).unwrap();
        let err = resolve(None, &none, time::OffsetDateTime::now_utc()).unwrap_err();
        assert!(err.to_string().starts_with("no local CA in"), "{err}");
    }

    #[test]
    fn entry_names_carry_the_fingerprint() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert =
            rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap().self_signed(&key).unwrap();
        let c = Certificate::from_der(cert.der().to_vec(), PathBuf::from("x"), Kind::SelfSignedLeaf).unwrap();
        let fp = c.sha256.replace(':', "").to_ascii_lowercase();
        assert_eq!(c.entry_name, format!("tlsforge-{}", &fp[..16]));
        assert_eq!(c.sha1.len(), 40);
        assert!(c.pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }
}
