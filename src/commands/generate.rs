//! `tlsforge gen`: a certificate and key for domains and IPs, self-signed or from the local CA.

use std::path::{Path, PathBuf};

use anyhow::Result;
use time::OffsetDateTime;

use crate::cli::{Format, GenArgs};
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::pki::ca::{CaDir, LocalCa};
use crate::pki::keys::{self};
use crate::pki::leaf::{self, LeafRequest};
use crate::pki::names::{self, SubjectName};
use crate::pki::read;
use crate::render;
use crate::report::generate::{GenReport, Mode};

/// Validated options for one `gen` run.
#[derive(Debug)]
pub struct GenOptions {
    pub request: LeafRequest,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    /// `Some` in local-CA mode.
    pub ca_dir: Option<CaDir>,
    pub force: bool,
}

impl GenOptions {
    pub fn from_args(args: &GenArgs) -> Result<Self> {
        let names = collect_names(&args.names, &args.domains, &args.ips)?;
        check_basename(&args.basename)?;
        let out = std::path::absolute(&args.out).unwrap_or_else(|_| args.out.clone());
        Ok(Self {
            request: LeafRequest { names, days: args.days, key: args.key, client_auth: args.client },
            cert_path: out.join(format!("{}.crt", args.basename)),
            key_path: out.join(format!("{}.key", args.basename)),
            ca_dir: if args.ca {
                let dir = CaDir::resolve(args.ca_dir.path.clone())?;
                if let Some(warning) = dir.sudo_warning(args.ca_dir.path.is_some()) {
                    render::warning(&warning);
                }
                Some(dir)
            } else {
                None
            },
            force: args.force,
        })
    }
}

/// Positional names and `--domain` are DNS names or IPs; `--ip` must be an IP. With no names
/// at all, the loopback defaults.
pub fn collect_names(positional: &[String], domains: &[String], ips: &[String]) -> Result<Vec<SubjectName>> {
    let mut names = Vec::new();
    for input in positional.iter().chain(domains) {
        names.push(SubjectName::parse(input).map_err(|e| Error::input(e.to_string()))?);
    }
    for input in ips {
        names.push(SubjectName::parse_ip(input).map_err(|e| Error::input(format!("invalid --ip: {e}")))?);
    }
    if names.is_empty() {
        names = names::DEFAULT_NAMES.iter().map(|n| SubjectName::parse(n).expect("valid default")).collect();
    }
    Ok(names::dedup(names))
}

fn check_basename(name: &str) -> Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) || name.contains('\0') {
        return Err(Error::input(format!("invalid --name {name:?}: a file base name, without directories"))
            .hint("use --out DIR for the directory")
            .into());
    }
    Ok(())
}

pub fn run(args: &GenArgs) -> Result<()> {
    let options = GenOptions::from_args(args)?;
    let format = args.format.format;
    let spinner = (format == Format::Human && options.request.key.is_slow())
        .then(|| render::progress::spinner(&format!("generating an {} key", options.request.key)));
    let report = generate(&options);
    drop(spinner);
    let report = report?;
    match format {
        Format::Human => render::generate::human(&report),
        Format::Json => render::json(&report),
    }
}

/// Make and write the certificate and key. Nothing is written unless everything succeeds.
pub fn generate(options: &GenOptions) -> Result<GenReport> {
    if !options.force {
        // Refuse before the (possibly slow) key generation; the write re-checks atomically.
        for path in [&options.cert_path, &options.key_path] {
            if path.symlink_metadata().is_ok() {
                return Err(Error::failed(format!("{} already exists", path.display()))
                    .hint("pass --force to replace it, or --name/--out to write elsewhere")
                    .into());
            }
        }
    }
    let ca = match &options.ca_dir {
        Some(dir) => Some(load_ca_for(dir, &options.request.names)?),
        None => None,
    };
    let now = OffsetDateTime::now_utc();
    let key = keys::generate(options.request.key)?;
    let issued = match &ca {
        Some((ca, _)) => leaf::issued_by(&options.request, &key, ca, now)?,
        None => leaf::self_signed(&options.request, &key, now)?,
    };
    if let Some(dir) = options.cert_path.parent() {
        fsutil::create_dir(dir)?;
    }
    let key_pem = keys::private_key_pem(&key);
    fsutil::write_all(
        &[
            NewFile::private(options.key_path.clone(), key_pem.as_bytes()),
            NewFile::public(options.cert_path.clone(), issued.cert_pem.as_bytes()),
        ],
        options.force,
    )?;
    Ok(GenReport {
        cert_path: options.cert_path.clone(),
        key_path: options.key_path.clone(),
        names: options.request.names.iter().map(ToString::to_string).collect(),
        not_before: read::rfc3339(issued.not_before),
        not_after: read::rfc3339(issued.not_after),
        days: options.request.days,
        key_type: options.request.key,
        mode: if ca.is_some() { Mode::Ca } else { Mode::SelfSigned },
        fingerprint_sha256: read::sha256_fingerprint(&issued.cert_der),
        ca_cert_path: ca.as_ref().map(|(ca, _)| ca.dir().cert_path()),
        ca_created: ca.as_ref().map(|(_, created)| *created),
    })
}

/// Load (or create) the CA and check that it may vouch for every name, before anything is
/// written for the leaf.
fn load_ca_for(dir: &CaDir, names: &[SubjectName]) -> Result<(LocalCa, bool)> {
    if let Some(ca) = dir.load()? {
        check_permitted(&ca, names)?;
        return Ok((ca, false));
    }
    // A new CA gets the default constraints: check first so that a refused name does not
    // leave a CA behind either.
    let probe = crate::pki::ca::CaOptions::default();
    if let Some(permits) = &probe.permits {
        let rejected = rejected_names(names, |name| crate::pki::ca::permitted_by(permits, name));
        if !rejected.is_empty() {
            return Err(not_permitted(&rejected, dir.path()));
        }
    }
    let (ca, created) = dir.load_or_create()?;
    check_permitted(&ca, names)?;
    Ok((ca, created))
}

fn check_permitted(ca: &LocalCa, names: &[SubjectName]) -> Result<()> {
    let rejected = rejected_names(names, |name| ca.permits_name(name));
    if rejected.is_empty() { Ok(()) } else { Err(not_permitted(&rejected, ca.dir().path())) }
}

fn rejected_names(names: &[SubjectName], permitted: impl Fn(&SubjectName) -> bool) -> Vec<String> {
    names.iter().filter(|name| !permitted(name)).map(ToString::to_string).collect()
}

fn not_permitted(rejected: &[String], dir: &Path) -> anyhow::Error {
    let list = rejected.join(", ");
    let permit_flags: String = rejected
        .iter()
        .map(|n| n.trim_start_matches("*."))
        .fold(String::new(), |flags, n| flags + " --permit " + n);
    Error::input(format!(
        "the local CA in {} is name-constrained and may not issue for {list}",
        dir.display()
    ))
    .hint(format!(
        "drop --ca for a self-signed certificate, or widen the CA with `tlsforge ca init{permit_flags} --force` and trust it again"
    ))
    .into()
}
