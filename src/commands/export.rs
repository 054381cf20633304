//! `tlsforge export` (and `ca export`, which is this with the local CA and three formats): a
//! certificate as its consumer takes it in — DER, a full chain, PKCS#12 with its key, a
//! Kubernetes TLS Secret, or the local CA handed to cert-manager.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::password::{self, Purpose};
use crate::cli::{CaExportArgs, ExportArgs};
use crate::config::kubernetes::{self, CaIssuer, Certificate, TlsSecret};
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::host::Host;
use crate::input;
use crate::pki::ca::{CaDir, Permit};
use crate::pki::export::{self, ExportAs};
use crate::pki::p12::{self, P12Profile, Password};
use crate::pki::{armor, content, format, issuer, keyfile, pair};
use crate::report::export::ExportReport;

/// Validated options for one `export`.
#[derive(Debug)]
pub(crate) struct Options {
    /// Absolute; `None`: the local CA.
    pub cert: Option<PathBuf>,
    /// Absolute: `--key`, else CERT with `.key`.
    pub key: Option<PathBuf>,
    pub format: ExportAs,
    /// Absolute; `None`: stdout.
    pub out: Option<PathBuf>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub cluster_issuer: bool,
    pub profile: P12Profile,
    /// Set for `p12` only.
    pub password: Option<Password>,
    pub force: bool,
    pub dir: CaDir,
}

impl Options {
    pub(crate) fn from_args(args: &ExportArgs, host: &Host) -> Result<Self> {
        let cert = args.cert.as_ref().map(|c| host.absolute(c));
        let key = match (&args.key, &cert) {
            (Some(key), _) => Some(host.absolute(key)),
            (None, Some(cert)) => Some(cert.with_extension("key")),
            (None, None) => None,
        };
        let format = args.format;
        if args.cluster_issuer && format != ExportAs::CertManager {
            return Err(Error::input("--cluster-issuer goes with --as cert-manager").into());
        }
        if format == ExportAs::CertManager && cert.is_some() {
            return Err(Error::input("cert-manager signs with the local CA: give no CERT")
                .hint("`tlsforge export CERT --as k8s-secret` writes a Secret for one certificate")
                .into());
        }
        let kubernetes = matches!(format, ExportAs::K8sSecret | ExportAs::CertManager);
        if kubernetes {
            if let Some(name) = &args.name {
                kubernetes::check_object_name(name)
                    .map_err(|e| Error::input(format!("invalid --name: {e}")))?;
            }
            if let Some(namespace) = &args.namespace {
                kubernetes::check_namespace(namespace)
                    .map_err(|e| Error::input(format!("invalid --namespace: {e}")))?;
            }
        } else if args.namespace.is_some() {
            return Err(Error::input("--namespace goes with --as k8s-secret or cert-manager").into());
        }
        if let Some(name) = args.name.as_deref().filter(|n| n.is_empty() || n.chars().any(char::is_control)) {
            return Err(Error::input(format!("invalid --name {name:?}")).into());
        }
        if format == ExportAs::P12 {
            // The alias (--name, else CERT's file stem) is refused before the password is asked.
            match (&args.name, cert.as_deref().and_then(Path::file_stem)) {
                (Some(name), _) => {
                    p12::check_alias(name).map_err(|e| Error::input(format!("invalid --name: {e}")))?;
                }
                (None, Some(stem)) => p12::check_alias(&stem.to_string_lossy())
                    .map_err(|e| Error::input(e).hint("pass --name with another alias"))?,
                (None, None) => {} // the local CA's alias, tlsforge-ca
            }
        }
        let out = args.out.as_ref().map(|out| host.absolute(out));
        if let Some(out) = &out {
            refuse_existing(out, args.force)?;
        }
        let mut options = Self {
            cert,
            key,
            format,
            out,
            name: args.name.clone(),
            namespace: args.namespace.clone(),
            cluster_issuer: args.cluster_issuer,
            profile: args.p12_options.p12_profile,
            password: None,
            force: args.force,
            dir: super::ca::dir(args.ca_dir.path.clone(), host)?,
        };
        if format == ExportAs::P12 {
            let file = args.p12_options.password.p12_password_file.as_ref().map(|f| host.absolute(f));
            options.password =
                Some(password::resolve(file.as_deref(), host, Purpose::Create, "the PKCS#12 file")?);
        }
        Ok(options)
    }

    /// `ca export`: the local CA's certificate as PEM, DER or a configuration profile.
    pub(crate) fn for_ca(args: &CaExportArgs, host: &Host) -> Result<Self> {
        let out = args.out.as_ref().map(|out| host.absolute(out));
        if let Some(out) = &out {
            refuse_existing(out, args.force)?;
        }
        Ok(Self {
            cert: None,
            key: None,
            format: args.format.into(),
            out,
            name: None,
            namespace: None,
            cluster_issuer: false,
            profile: P12Profile::Compat,
            password: None,
            force: args.force,
            dir: super::ca::dir(args.ca_dir.path.clone(), host)?,
        })
    }
}

fn refuse_existing(out: &Path, force: bool) -> Result<()> {
    if force {
        Ok(())
    } else {
        super::refuse_existing([out], "pass --force to replace it, or --out another file")
    }
}

/// What is exported: a certificate, its issuer when known, and its key when the format needs it.
struct Material {
    /// DER.
    cert: Vec<u8>,
    /// DER of the local CA when it issued `cert` (or `cert` is the CA).
    issuer: Option<Vec<u8>>,
    self_signed: bool,
    /// The key's PEM block (PKCS#8, PKCS#1 or SEC1), when the format needs it.
    key: Option<armor::PemBlock>,
    /// For default names: the certificate file's stem, or `tlsforge-ca`.
    stem: String,
    /// What a device shows (the common name).
    display_name: String,
    subject: String,
    /// The CA's permitted subtrees (cert-manager's example name).
    permits: Option<Vec<Permit>>,
    is_ca: bool,
}

/// Write (or hand back for stdout) the export.
pub(crate) fn execute(options: &Options) -> Result<ExportReport> {
    let material = match &options.cert {
        None => local_ca(options)?,
        Some(cert) => certificate(options, cert)?,
    };
    let mut notes = Vec::new();
    let bytes = render(options, &material, &mut notes)?;
    if let Some(out) = &options.out {
        let file = if options.format.has_private_key() {
            NewFile::private(out.clone(), &bytes)
        } else {
            NewFile::public(out.clone(), &bytes)
        };
        fsutil::write_one(&file, options.force)?;
    }
    Ok(ExportReport {
        format: options.format,
        out: options.out.clone(),
        subject: material.subject,
        fingerprint_sha256: format::sha256_fingerprint(&material.cert),
        is_ca: material.is_ca,
        p12_profile: (options.format == ExportAs::P12).then_some(options.profile),
        notes,
        bytes: if options.out.is_some() { Vec::new() } else { bytes },
    })
}

fn local_ca(options: &Options) -> Result<Material> {
    let dir = &options.dir;
    dir.recover()?;
    let with_key = options.format.has_private_key();
    // Devices are told to trust this file, clusters to sign with the key: not when other users
    // could have swapped either.
    dir.check_private(with_key)?;
    if with_key {
        let ca = dir.load()?.ok_or_else(|| super::ca::no_ca(dir))?;
        return Ok(Material {
            cert: ca.cert_der().to_vec(),
            issuer: Some(ca.cert_der().to_vec()),
            self_signed: true,
            key: Some(armor::PemBlock { label: "PRIVATE KEY".into(), der: ca.key_der(), encrypted: false }),
            stem: "tlsforge-ca".into(),
            display_name: ca.display_name().to_owned(),
            subject: ca.subject().to_owned(),
            permits: ca.permits().map(<[Permit]>::to_vec),
            is_ca: true,
        });
    }
    let ca = dir.load_certificate()?.ok_or_else(|| super::ca::no_ca(dir))?;
    Ok(Material {
        issuer: Some(ca.der.clone()),
        cert: ca.der,
        self_signed: true,
        key: None,
        stem: "tlsforge-ca".into(),
        display_name: ca.display_name,
        subject: ca.subject,
        permits: None,
        is_ca: true,
    })
}

fn certificate(options: &Options, cert_path: &Path) -> Result<Material> {
    let (cert, key) = if options.format.has_private_key() {
        let key_path = options.key.as_deref().unwrap_or(cert_path);
        // The one pair check: readable, the key unencrypted, belonging to and signing for the certificate.
        let pair = pair::load(cert_path, key_path)?;
        let text = input::read_to_string(key_path, input::CERTIFICATE).map_err(|e| {
            Error::failed(format!("cannot read the key {}: {}", key_path.display(), e.reason()))
        })?;
        let block = keyfile::private_key_block(&text)
            .map_err(|e| Error::failed(format!("{}: {e}", key_path.display())))?;
        (pair.cert_der().to_vec(), Some(block))
    } else {
        fsutil::settle(cert_path)?;
        let bytes = input::read(cert_path, input::CERTIFICATE).map_err(|e| {
            Error::failed(format!("cannot read the certificate {}: {}", cert_path.display(), e.reason()))
        })?;
        let der = content::first_certificate(&bytes)
            .map_err(|e| Error::input(format!("{}: {e}", cert_path.display())))?;
        (der, None)
    };
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert).map_err(|e| {
        Error::input(format!("{} holds a certificate that cannot be parsed: {e}", cert_path.display()))
    })?;
    let self_signed = issuer::is_self_signed(&parsed);
    let local = if self_signed {
        None
    } else {
        options.dir.recover()?;
        options.dir.load_certificate()?
    };
    let issuer = local.map(|ca| ca.der).filter(|ca_der| {
        x509_parser::parse_x509_certificate(ca_der).is_ok_and(|(_, ca)| issuer::is_issued_by(&parsed, &ca))
    });
    let is_ca = parsed.is_ca();
    let subject = parsed.subject().to_string();
    let display_name = parsed
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map_or_else(|| subject.clone(), str::to_owned);
    drop(parsed);
    Ok(Material {
        stem: cert_path.file_stem().map_or_else(|| "server".into(), |s| s.to_string_lossy().into_owned()),
        display_name,
        subject,
        issuer,
        self_signed,
        key,
        cert,
        permits: None,
        is_ca,
    })
}

/// The bytes of the export.
fn render(options: &Options, material: &Material, notes: &mut Vec<String>) -> Result<Vec<u8>> {
    let cert_pem = export::pem(&material.cert);
    let issuer_pem = material.issuer.as_deref().map(export::pem);
    // The chain beyond the certificate: its issuer, when that is another certificate.
    let chain: Vec<Vec<u8>> = std::iter::once(material.cert.clone())
        .chain(material.issuer.clone().filter(|_| !material.self_signed))
        .collect();
    Ok(match options.format {
        ExportAs::Pem => cert_pem.into_bytes(),
        ExportAs::Der => material.cert.clone(),
        ExportAs::Mobileconfig => export::mobileconfig(&material.cert, &material.display_name).into_bytes(),
        ExportAs::Fullchain => {
            if material.issuer.is_none() && !material.self_signed {
                return Err(Error::failed(format!(
                    "the issuer of {} is not the local CA in {}",
                    material.subject,
                    options.dir.path().display()
                ))
                .hint("pass a certificate from `tlsforge gen --ca`, or --ca-dir the CA that issued it")
                .into());
            }
            if material.self_signed && !material.is_ca {
                notes.push("self-signed: the chain is the certificate alone".to_owned());
            }
            export::pem_chain(&chain).into_bytes()
        }
        ExportAs::P12 => {
            let key = material.key.as_ref().context("the key was read")?;
            let key_der = pkcs8(key)?;
            let alias = options.name.clone().unwrap_or_else(|| material.stem.clone());
            let password = options.password.as_ref().context("the password was asked")?;
            p12::build(&key_der, &chain, &alias, password, options.profile).map_err(Error::failed)?
        }
        ExportAs::K8sSecret => {
            let key = material.key.as_ref().context("the key was read")?;
            let default_name = format!("{}-tls", kubernetes_stem(&material.stem));
            let name = options.name.as_deref().unwrap_or(&default_name);
            kubernetes::check_object_name(name).map_err(|e| Error::input(format!("{e}: pass --name")))?;
            let key_pem = armor::encode(&key.label, &key.der);
            if issuer_pem.is_none() && !material.self_signed {
                notes.push("no ca.crt: the local CA did not issue this certificate".to_owned());
            }
            let secret = TlsSecret {
                name,
                namespace: options.namespace.as_deref(),
                cert_pem: &cert_pem,
                key_pem: &key_pem,
                ca_pem: issuer_pem.as_deref(),
            };
            kubernetes::stream(&secret_comments(material), &[secret.yaml()]).into_bytes()
        }
        ExportAs::CertManager => cert_manager(options, material, &cert_pem)?.into_bytes(),
    })
}

/// The CA's Secret, an issuer that signs with it, and an example Certificate.
fn cert_manager(options: &Options, material: &Material, cert_pem: &str) -> Result<String> {
    let key = material.key.as_ref().context("the key was read")?;
    let key_pem = armor::encode(&key.label, &key.der);
    let name = options.name.as_deref().unwrap_or("tlsforge-ca");
    // A ClusterIssuer reads its Secret from cert-manager's own namespace (its "cluster resource
    // namespace", `cert-manager` unless the installation changed it).
    let secret_namespace = match (&options.namespace, options.cluster_issuer) {
        (Some(namespace), _) => Some(namespace.as_str()),
        (None, true) => Some("cert-manager"),
        (None, false) => None,
    };
    let secret =
        TlsSecret { name, namespace: secret_namespace, cert_pem, key_pem: &key_pem, ca_pem: Some(cert_pem) };
    let issuer = CaIssuer {
        name,
        namespace: if options.cluster_issuer { None } else { options.namespace.as_deref() },
        cluster: options.cluster_issuer,
        secret_name: name,
    };
    let dns_names = vec![example_name(material.permits.as_deref())];
    let certificate = Certificate {
        name: "example-app",
        namespace: if options.cluster_issuer { None } else { options.namespace.as_deref() },
        secret_name: "example-app-tls",
        dns_names: &dns_names,
        issuer: &issuer,
    };
    let mut comments = secret_comments(material);
    comments.push(format!(
        "The {} signs with it; the Certificate is an example: change its name and dnsNames.",
        issuer.kind()
    ));
    Ok(kubernetes::stream(&comments, &[secret.yaml(), issuer.yaml(), certificate.yaml()]))
}

fn secret_comments(material: &Material) -> Vec<String> {
    let mut lines = vec![format!("Written by tlsforge for {}.", material.subject)];
    if material.is_ca {
        lines.push(
            "This Secret holds the local CA's private key: whoever can read it can issue certificates".into(),
        );
        lines.push("that every device trusting the CA accepts, within the CA's name constraints.".into());
    }
    lines
}

/// A DNS name the CA may vouch for: `app.` and the first permitted DNS subtree.
fn example_name(permits: Option<&[Permit]>) -> String {
    let first = permits.unwrap_or_default().iter().find_map(|permit| match permit {
        Permit::Dns(name) => Some(name.clone()),
        Permit::Ip(_) => None,
    });
    format!("app.{}", first.unwrap_or_else(|| "test".to_owned()))
}

/// A file stem as the start of a Kubernetes name: lowercase, other characters as `-`.
fn kubernetes_stem(stem: &str) -> String {
    let lowered: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let trimmed = lowered.trim_matches('-');
    if trimmed.is_empty() { "tlsforge".to_owned() } else { trimmed.to_owned() }
}

/// The key as PKCS#8 DER, what a PKCS#12 key bag holds.
fn pkcs8(key: &armor::PemBlock) -> Result<Vec<u8>> {
    if key.label == "PRIVATE KEY" {
        return Ok(key.der.clone());
    }
    Err(Error::input(format!("a {} block cannot go into PKCS#12 as it is: it needs PKCS#8", key.label))
        .hint("`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8` converts it; pass that as --key")
        .into())
}
