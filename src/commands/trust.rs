//! `tlsforge trust` and `tlsforge untrust`: resolve CERT, detect the selected stores, then
//! check, plan (`--dry-run`) or carry out the change store by store.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::cli::{Format, StoreArg, StoreSelection, TrustArgs, UntrustArgs};
use crate::error::Error;
use crate::pki::ca::CaDir;
use crate::render;
use crate::trust::certificate::{self, Kind, Resolved};
use crate::trust::machine::Machine;
use crate::trust::runner::{Elevation, Runner};
use crate::trust::{self, Backend, Found, Outcome, Selection, Store};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Trust,
    Untrust,
    Check,
}

/// How one store ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Trusted,
    AlreadyTrusted,
    /// `--check`: not trusted there.
    NotTrusted,
    Removed,
    NotPresent,
    /// `--dry-run`: the steps would run.
    Planned,
    Skipped,
    Failed,
}

impl Status {
    pub fn ok(self) -> bool {
        !matches!(self, Self::NotTrusted | Self::Skipped | Self::Failed)
    }
}

/// A step as the runner would carry it out.
#[derive(Debug, Serialize)]
pub struct PlannedStep {
    pub description: String,
    /// The exact command (or file operation), with `sudo` when it would go through sudo.
    pub command: String,
    pub root: bool,
    pub sudo: bool,
}

#[derive(Debug, Serialize)]
pub struct StoreReport {
    pub store: Store,
    pub location: Option<String>,
    pub status: Status,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    /// `--dry-run`: what would run (empty when there is nothing to do).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<PlannedStep>,
}

#[derive(Debug, Serialize)]
pub struct CertificateInfo {
    /// What the user named (or the local CA's certificate).
    pub input: PathBuf,
    /// The certificate that goes into the stores.
    pub path: PathBuf,
    pub subject: String,
    pub kind: Kind,
    pub entry_name: String,
    pub fingerprint_sha256: String,
}

#[derive(Debug, Serialize)]
pub struct TrustReport {
    pub action: Action,
    pub dry_run: bool,
    pub certificate: CertificateInfo,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub stores: Vec<StoreReport>,
    /// Every selected store succeeded (or, for `--check`, trusts the certificate).
    pub ok: bool,
}

pub fn run_trust(args: &TrustArgs) -> Result<()> {
    let action = if args.check { Action::Check } else { Action::Trust };
    execute(
        action,
        args.cert.as_deref(),
        &args.stores,
        args.dry_run,
        args.ca_dir.path.clone(),
        args.format.format,
    )
}

pub fn run_untrust(args: &UntrustArgs) -> Result<()> {
    execute(
        Action::Untrust,
        args.cert.as_deref(),
        &args.stores,
        args.dry_run,
        args.ca_dir.path.clone(),
        args.format.format,
    )
}

fn selection(stores: &StoreSelection) -> Selection {
    let mut named = Vec::new();
    for arg in &stores.stores {
        match arg {
            StoreArg::System => named.push(Store::System),
            StoreArg::Nss => named.push(Store::Nss),
            StoreArg::Java => named.push(Store::Java),
            StoreArg::Windows => named.push(Store::Windows),
            // `all` is what no --store means: everything found.
            StoreArg::All => return Selection { stores: Vec::new(), machine_store: stores.machine },
        }
    }
    Selection { stores: named, machine_store: stores.machine }
}

pub fn execute(
    action: Action,
    cert: Option<&Path>,
    stores: &StoreSelection,
    dry_run: bool,
    ca_dir: Option<PathBuf>,
    format: Format,
) -> Result<()> {
    let ca_dir = CaDir::resolve(ca_dir)?;
    // The known trap: the whole tool under sudo looks for per-user state in root's home.
    let sudo_user = std::env::var("SUDO_USER").ok().filter(|u| !u.is_empty() && u != "root");
    if let Some(user) = &sudo_user
        && cert.is_none()
        && !ca_dir.cert_path().exists()
    {
        return Err(Error::failed(format!("no local CA in {}", ca_dir.path().display()))
            .hint(format!(
                "tlsforge runs under sudo, so it looks in root's home, not {user}'s: run it as {user}; \
                 it uses sudo itself for the steps that need root"
            ))
            .into());
    }
    let mut resolved = certificate::resolve(cert, &ca_dir)?;
    if let Some(user) = &sudo_user {
        resolved.notes.push(format!(
            "running under sudo: the per-user stores (NSS databases, the login keychain) are root's, not {user}'s"
        ));
    }
    let machine = Machine::from_env();
    let found = trust::detect(&machine, &selection(stores));
    if found.is_empty() {
        return Err(Error::failed("no trust store found on this machine").into());
    }
    let mut report = TrustReport {
        action,
        dry_run,
        certificate: CertificateInfo {
            input: resolved.input.clone(),
            path: resolved.cert.file.clone(),
            subject: resolved.cert.subject.clone(),
            kind: resolved.cert.kind,
            entry_name: resolved.cert.entry_name.clone(),
            fingerprint_sha256: resolved.cert.sha256.clone(),
        },
        notes: resolved.notes.clone(),
        warnings: resolved.warnings.clone(),
        stores: Vec::new(),
        ok: true,
    };
    // Warnings come before anything changes, whatever the format.
    render::trust::warnings(&report.warnings)?;
    if format == Format::Human {
        render::trust::header(&report)?;
    }
    let elevation = Elevation::for_machine(&machine);
    let mut observer = render::trust::Progress::default();
    let mut runner = Runner::new(elevation.clone(), &mut observer);
    for item in &found {
        let store_report = match item {
            Found::Skipped(skipped) => StoreReport {
                store: skipped.store,
                location: skipped.location.clone(),
                status: Status::Skipped,
                detail: Some(skipped.note.clone()),
                steps: Vec::new(),
            },
            Found::Ready(backend) => {
                one_store(action, dry_run, &mut runner, &elevation, backend.as_ref(), &resolved)
            }
        };
        if format == Format::Human {
            render::trust::store(&store_report, action)?;
        }
        report.stores.push(store_report);
    }
    drop(runner);
    report.ok = report.stores.iter().all(|s| s.status.ok());
    match format {
        Format::Human => render::trust::summary(&report)?,
        Format::Json => render::json(&report)?,
    }
    if report.ok { Ok(()) } else { Err(not_ok(&report).into()) }
}

fn one_store(
    action: Action,
    dry_run: bool,
    runner: &mut Runner<'_>,
    elevation: &Elevation,
    backend: &dyn Backend,
    resolved: &Resolved,
) -> StoreReport {
    let cert = &resolved.cert;
    let mut report = StoreReport {
        store: backend.store(),
        location: Some(backend.location()),
        status: Status::Planned,
        detail: None,
        steps: Vec::new(),
    };
    if dry_run {
        // The exact steps a real run would take: none when there is nothing to do.
        let (done, steps, done_status) = match action {
            Action::Untrust => {
                (!runner.probe(&backend.present(cert)), backend.untrust(cert), Status::NotPresent)
            }
            Action::Trust | Action::Check => {
                (runner.probe(&backend.check(cert)), backend.trust(cert), Status::AlreadyTrusted)
            }
        };
        if done {
            report.status = done_status;
        } else {
            report.steps = steps
                .iter()
                .map(|step| PlannedStep {
                    description: step.description.clone(),
                    command: elevation.command_line(step),
                    root: step.root,
                    sudo: elevation.via_sudo(step),
                })
                .collect();
        }
        return report;
    }
    let outcome = match action {
        Action::Trust => trust::trust(runner, backend, cert),
        Action::Untrust => trust::untrust(runner, backend, cert),
        Action::Check => trust::check(runner, backend, cert),
    };
    (report.status, report.detail) = match outcome {
        Outcome::Trusted | Outcome::Checked(true) => (Status::Trusted, None),
        Outcome::AlreadyTrusted => (Status::AlreadyTrusted, None),
        Outcome::Removed => (Status::Removed, None),
        Outcome::NotPresent => (Status::NotPresent, None),
        Outcome::Checked(false) => (Status::NotTrusted, None),
        Outcome::Failed(why) => (Status::Failed, Some(why)),
    };
    report
}

fn not_ok(report: &TrustReport) -> Error {
    let bad: Vec<String> = report
        .stores
        .iter()
        .filter(|s| !s.status.ok())
        .map(|s| match &s.location {
            Some(location) => format!("{} at {location}", s.store.name()),
            None => s.store.name().to_owned(),
        })
        .collect();
    let total = report.stores.len();
    let message = match report.action {
        Action::Check => {
            format!("not trusted in {} of {total} selected stores: {}", bad.len(), bad.join(", "))
        }
        _ if report.dry_run => {
            format!("{} of {total} selected stores cannot be used: {}", bad.len(), bad.join(", "))
        }
        _ => format!("{} of {total} selected stores did not succeed: {}", bad.len(), bad.join(", ")),
    };
    let error = Error::failed(message);
    if report.action == Action::Check {
        error.hint("`tlsforge trust` adds it")
    } else {
        error.hint("the reasons are above; --store selects the stores to use")
    }
}
