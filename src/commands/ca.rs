//! `tlsforge ca init|show|path`: the local certificate authority (`ca export` is
//! [`super::export`] with the CA).

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::CaInitArgs;
use crate::error::Error;
use crate::host::Host;
use crate::pki::ca::{self, CaDir, CaOptions, Owner, Permit};
use crate::pki::keys::KeyAlgorithm;
use crate::report::ca::CaReport;

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

pub(super) fn no_ca(dir: &CaDir) -> anyhow::Error {
    Error::failed(format!("no local CA in {}", dir.path().display()))
        .hint("`tlsforge ca init` creates one (so does `tlsforge gen --ca`)")
        .into()
}
