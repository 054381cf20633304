//! `tlsforge ca init|show|path|export`: the local certificate authority.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{CaExportArgs, CaInitArgs};
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::host::Host;
use crate::pki::ca::{self, CaDir, CaOptions, Owner, Permit};
use crate::pki::export::{self, ExportFormat};
use crate::pki::format;
use crate::pki::keys::KeyAlgorithm;
use crate::report::ca::{CaReport, ExportReport};

/// Validated options for `ca init`.
#[derive(Debug)]
pub(crate) struct InitOptions {
    pub dir: CaDir,
    /// `None`: no name constraints.
    pub permits: Option<Vec<Permit>>,
    pub key: KeyAlgorithm,
    pub force: bool,
    /// Said before anything is made.
    pub warnings: Vec<String>,
}

impl InitOptions {
    pub(crate) fn from_args(args: &CaInitArgs, host: &Host) -> Result<Self> {
        let mut warnings = Vec::new();
        let permits = if args.unconstrained {
            None
        } else {
            let mut permits = ca::default_permits();
            for input in &args.permits {
                let permit = Permit::parse(input)?;
                warnings.extend(permit.too_wide());
                if !permits.contains(&permit) {
                    permits.push(permit);
                }
            }
            Some(permits)
        };
        let dir = dir(args.ca_dir.path.clone(), host)?;
        warnings.extend(dir.sudo_warning(args.ca_dir.path.is_some(), host.sudo_user.as_deref()));
        Ok(Self { dir, permits, key: args.key, force: args.force, warnings })
    }
}

/// Make the CA (replacing one with `force`).
pub(crate) fn init(options: &InitOptions, host: &Host) -> Result<CaReport> {
    let existed = options.dir.cert_path().exists();
    if existed && !options.force {
        return Err(Error::failed(format!("a local CA already exists in {}", options.dir.path().display()))
            .hint("pass --force to replace it; certificates it issued will stop verifying")
            .into());
    }
    let ca_options = CaOptions {
        permits: options.permits.clone(),
        key: options.key,
        owner: host.owner.clone(),
        now: host.now,
    };
    let ca = options.dir.create(&ca_options, options.force)?;
    Ok(CaReport::new(&ca, existed))
}

/// The CA in `--ca-dir` (or the default directory).
pub(crate) fn show(explicit: Option<PathBuf>, host: &Host) -> Result<CaReport> {
    let dir = dir(explicit, host)?;
    dir.recover()?;
    let ca = dir.load()?.ok_or_else(|| no_ca(&dir))?;
    Ok(CaReport::new(&ca, false))
}

/// Validated options for `ca export`.
#[derive(Debug)]
pub(crate) struct ExportOptions {
    pub dir: CaDir,
    pub format: ExportFormat,
    /// Absolute; `None`: stdout.
    pub out: Option<PathBuf>,
    pub force: bool,
}

impl ExportOptions {
    pub(crate) fn from_args(args: &CaExportArgs, host: &Host) -> Result<Self> {
        Ok(Self {
            dir: dir(args.ca_dir.path.clone(), host)?,
            format: args.format,
            out: args.out.as_ref().map(|out| host.absolute(out)),
            force: args.force,
        })
    }
}

/// The CA's certificate in `format`, written to `out` (atomically; an existing file only with
/// `force`) or handed back for stdout. The key is never read.
pub(crate) fn export(options: &ExportOptions) -> Result<ExportReport> {
    let dir = &options.dir;
    dir.recover()?;
    // Devices are told to trust this file: not when other users could have swapped it.
    dir.check_private(false)?;
    let ca = dir.load_certificate()?.ok_or_else(|| no_ca(dir))?;
    let bytes = match options.format {
        ExportFormat::Pem => export::pem(&ca.der).into_bytes(),
        ExportFormat::Der => ca.der.clone(),
        ExportFormat::Mobileconfig => export::mobileconfig(&ca.der, &ca.display_name).into_bytes(),
    };
    if let Some(out) = &options.out {
        if out.exists() && !options.force {
            return Err(Error::failed(format!("{} already exists", out.display()))
                .hint("pass --force to replace it, or --out another file")
                .into());
        }
        fsutil::write_one(&NewFile::public(out.clone(), &bytes), true)?;
    }
    Ok(ExportReport {
        format: options.format,
        out: options.out.clone(),
        subject: ca.subject,
        fingerprint_sha256: format::sha256_fingerprint(&ca.der),
        bytes: if options.out.is_some() { Vec::new() } else { bytes },
    })
}

/// Where the CA lives.
pub(crate) fn path(explicit: Option<PathBuf>, host: &Host) -> Result<PathBuf> {
    Ok(dir(explicit, host)?.path().to_path_buf())
}

/// The local CA's directory for every command: `--ca-dir` (or `TLSFORGE_CA_DIR`) taken from
/// the working directory, else the user's data directory.
pub(crate) fn dir(explicit: Option<PathBuf>, host: &Host) -> Result<CaDir> {
    let owner = host.uid.map(|uid| Owner { uid, sudo_uid: host.sudo_uid, name: host.user.clone() });
    Ok(CaDir::resolve(explicit.map(|dir| host.absolute(&dir)), host.data_dir.as_deref())?.owned_by(owner))
}

fn no_ca(dir: &CaDir) -> anyhow::Error {
    Error::failed(format!("no local CA in {}", dir.path().display()))
        .hint("`tlsforge ca init` creates one (so does `tlsforge gen --ca`)")
        .into()
}
