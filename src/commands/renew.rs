//! `tlsforge renew`: re-issue the recorded certificates that expire soon through `gen`'s own
//! service (same names, key type, days and issuer), run `--exec` for each, trust renewed
//! self-signed ones again with `--trust`; `--install-timer` makes the platform's scheduler run
//! it daily.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration as StdDuration;

use anyhow::Result;
use time::Duration;

use super::generate::{self, P12Request};
use super::password::{self, Purpose};
use crate::cli::RenewArgs;
use crate::error::Error;
use crate::fsutil;
use crate::host::Host;
use crate::inventory::{self, Entry, Issuer, OnDisk};
use crate::process;
use crate::report::renew::{ExecOutcome, Outcome, RenewReport, Renewal, TimerReport, TimerStep};
use crate::schedule::{self, Job, Scheduler};
use crate::trust::runner::{Elevation, Quiet, Runner};

/// The lock file in the inventory's directory that renewals take turns on (a timer's run and
/// one typed by hand would otherwise both renew the same certificate).
const RENEW_LOCK: &str = ".renew.lock";

/// How long one `--exec` command may take.
const EXEC_LIMIT: StdDuration = StdDuration::from_secs(300);

#[derive(Debug)]
#[allow(clippy::struct_excessive_bools, reason = "renew's flags")]
pub(crate) struct Options {
    /// Absolute paths of the certificates to consider (none: every one recorded).
    pub paths: Vec<PathBuf>,
    pub within: Option<Duration>,
    pub all: bool,
    pub reuse_key: bool,
    pub dry_run: bool,
    pub exec: Option<String>,
    pub trust: bool,
}

/// What a `renew` run is asked for: renewals, or the daily job.
#[derive(Debug)]
pub(crate) enum Request {
    Renew(Options),
    Timer { install: bool, dry_run: bool },
}

impl Request {
    pub(crate) fn from_args(args: &RenewArgs, host: &Host) -> Result<Self> {
        if args.install_timer || args.uninstall_timer {
            return Ok(Self::Timer { install: args.install_timer, dry_run: args.dry_run });
        }
        let within = args
            .within
            .as_deref()
            .map(|text| super::inspect::window("--within", text).map_err(Error::input))
            .transpose()?;
        if args.exec.as_deref().is_some_and(|cmd| cmd.trim().is_empty()) {
            return Err(Error::input("--exec needs a command").into());
        }
        Ok(Self::Renew(Options {
            paths: args.paths.iter().map(|path| host.absolute(path)).collect(),
            within,
            all: args.all,
            reuse_key: args.reuse_key,
            dry_run: args.dry_run,
            exec: args.exec.clone(),
            trust: args.trust,
        }))
    }
}

pub(crate) fn execute(options: &Options, host: &Host) -> Result<RenewReport> {
    let inventory = super::list::inventory(host)?;
    let _turn = match inventory.path().parent() {
        Some(dir) if !options.dry_run && inventory.path().exists() => {
            Some(fsutil::exclusive(&dir.join(RENEW_LOCK))?)
        }
        _ => None,
    };
    let entries = inventory.read()?;
    let selected = select(entries, &options.paths)?;
    let mut report = RenewReport {
        dry_run: options.dry_run,
        inventory: inventory.path().to_path_buf(),
        certificates: Vec::new(),
        ok: true,
    };
    for entry in selected {
        let renewal = renew(&entry, options, host);
        report.ok &= renewal.outcome != Outcome::Failed;
        report.certificates.push(renewal);
    }
    Ok(report)
}

/// Exit 1 when a renewal, its `--exec` or its `--trust` failed.
pub(crate) fn outcome(report: &RenewReport) -> Result<()> {
    if report.ok {
        return Ok(());
    }
    let failed = report.certificates.iter().filter(|c| c.outcome == Outcome::Failed).count();
    Err(Error::failed(format!("{} could not be renewed", crate::text::plural(failed, "certificate"))).into())
}

/// The recorded certificates `paths` name (each must be recorded), or every one.
fn select(entries: Vec<Entry>, paths: &[PathBuf]) -> Result<Vec<Entry>> {
    if paths.is_empty() {
        return Ok(entries);
    }
    let mut selected: Vec<Entry> = Vec::new();
    for path in paths {
        let entry = entries.iter().find(|entry| entry.is_at(path)).ok_or_else(|| {
            Error::input(format!("{} is not in the inventory", path.display()))
                .hint("`tlsforge list` shows what is; `tlsforge list --adopt PATH` records a certificate made before")
        })?;
        if !selected.contains(entry) {
            selected.push(entry.clone());
        }
    }
    Ok(selected)
}

fn renew(entry: &Entry, options: &Options, host: &Host) -> Renewal {
    let mut renewal = Renewal {
        cert_path: entry.cert_path.clone(),
        key_path: entry.key_path.clone(),
        names: entry.names.clone(),
        outcome: Outcome::NotDue,
        detail: None,
        not_after: entry.not_after.clone(),
        new_not_after: None,
        trust_again: false,
        trusted: None,
        exec: None,
    };
    if !options.all && !entry.due(host.now, options.within) {
        return renewal;
    }
    let skip = |renewal: &mut Renewal, why: String| {
        renewal.outcome = Outcome::Skipped;
        renewal.detail = Some(why);
    };
    if let Issuer::Other { name } = &entry.issuer {
        skip(&mut renewal, format!("issued by {name}, not by tlsforge: renew it where it came from"));
        return renewal;
    }
    match inventory::on_disk(entry) {
        (OnDisk::Present, _) => {}
        (state, problem) => {
            let what = match state {
                OnDisk::Missing => "its files are gone (`tlsforge list --prune` forgets it)",
                _ => "its files are no longer the ones tlsforge wrote; `tlsforge gen --force` makes new ones",
            };
            skip(&mut renewal, format!("{}: {what}", problem.unwrap_or_default()));
            return renewal;
        }
    }
    if options.dry_run {
        renewal.outcome = Outcome::Due;
        renewal.trust_again = entry.issuer == Issuer::SelfSigned;
        return renewal;
    }
    let written = match reissue(entry, options.reuse_key, host) {
        Ok(written) => written,
        Err(e) => {
            renewal.outcome = Outcome::Failed;
            // The hint says what to do, and there is no error line per certificate to carry it.
            let hint = e.downcast_ref::<Error>().and_then(Error::hint_text);
            renewal.detail = Some(match hint {
                Some(hint) => format!("{e:#} ({hint})"),
                None => format!("{e:#}"),
            });
            return renewal;
        }
    };
    renewal.outcome = Outcome::Renewed;
    renewal.new_not_after = Some(written.not_after.clone());
    renewal.trust_again = entry.issuer == Issuer::SelfSigned;
    if renewal.trust_again && options.trust {
        let trusted = trust_again(&entry.cert_path, host);
        if let Err(why) = &trusted {
            renewal.detail = Some(format!("renewed, but not trusted again: {why}"));
            renewal.outcome = Outcome::Failed;
        }
        renewal.trusted = Some(trusted.is_ok());
    }
    if let Some(cmd) = &options.exec {
        let exec = run_exec(cmd, &written);
        if !exec.ok {
            renewal.outcome = Outcome::Failed;
            renewal.detail = Some(format!("renewed, but --exec failed: {}", exec.status));
        }
        renewal.exec = Some(exec);
    }
    renewal
}

/// `gen --force` with the recorded options, through gen's own service (which records the new
/// certificate in place of the old).
fn reissue(entry: &Entry, reuse_key: bool, host: &Host) -> Result<crate::report::generate::GenReport> {
    let out = entry.cert_path.parent().unwrap_or_else(|| Path::new("/"));
    let basename = entry.cert_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ca_dir = match &entry.issuer {
        Issuer::LocalCa { ca_dir, .. } => Some(ca_dir.clone()),
        Issuer::SelfSigned | Issuer::Other { .. } => None,
    };
    // A `--lan` certificate is made for the machine's addresses of today, not of then.
    let (names, lan) = match (&entry.made_with.given, entry.made_with.lan) {
        (Some(given), true) => (given, true),
        _ => (&entry.names, false),
    };
    let mut options = generate::Options::new(
        &generate::Request {
            names,
            domains: &[],
            ips: &[],
            days: entry.made_with.days,
            key: entry.key_type,
            client_auth: entry.made_with.client_auth,
            out,
            basename: &basename,
            ca: ca_dir.is_some(),
            ca_dir,
            force: true,
            lan,
        },
        host,
    )?;
    options.cert_path.clone_from(&entry.cert_path);
    options.key_path.clone_from(&entry.key_path);
    if reuse_key {
        options.reuse_key = Some(entry.key_path.clone());
    }
    if let (Some(path), Some(profile)) = (&entry.p12_path, entry.made_with.p12) {
        let password = password::resolve(None, host, Purpose::Create, "the renewed PKCS#12 file")?;
        options.p12 = Some(P12Request { path: path.clone(), profile, password, alias: basename });
    }
    generate::execute(&options, host)
}

/// `tlsforge trust CERT` in every store found, as `trust`'s own service does it.
fn trust_again(cert: &Path, host: &Host) -> Result<(), String> {
    let options = super::trust::Options {
        action: crate::report::trust::Action::Trust,
        cert: Some(cert.to_path_buf()),
        stores: super::trust::selection(&[], false),
        dry_run: false,
        ca_dir: None,
        prove: None,
    };
    let report = super::trust::execute(&options, host, &mut Quiet).map_err(|e| format!("{e:#}"))?;
    super::trust::outcome(&report).map_err(|e| format!("{e:#}"))
}

/// Run `cmd` through the shell with the renewed files in its environment.
fn run_exec(cmd: &str, written: &crate::report::generate::GenReport) -> ExecOutcome {
    let mut command = if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", cmd]);
        command
    } else {
        let mut command = Command::new("sh");
        command.args(["-c", cmd]);
        command
    };
    command
        .env("TLSFORGE_CERT", &written.cert_path)
        .env("TLSFORGE_KEY", &written.key_path)
        .env("TLSFORGE_NAMES", written.names.join(" "));
    if let Some(p12) = &written.p12 {
        command.env("TLSFORGE_P12", &p12.path);
    }
    if let Some(ca) = &written.ca_cert_path {
        command.env("TLSFORGE_CA", ca);
    }
    match process::run(&mut command, EXEC_LIMIT) {
        Ok(out) => match out.status {
            Some(status) if status.success() => ExecOutcome { ok: true, status: "exit status 0".into() },
            Some(status) => {
                let said = out.stderr.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or_default();
                let code =
                    status.code().map_or_else(|| "a signal".to_owned(), |c| format!("exit status {c}"));
                ExecOutcome {
                    ok: false,
                    status: if said.is_empty() { code } else { format!("{code}: {said}") },
                }
            }
            None => ExecOutcome {
                ok: false,
                status: format!("did not finish within {} s and was stopped", EXEC_LIMIT.as_secs()),
            },
        },
        Err(why) => ExecOutcome { ok: false, status: why },
    }
}

/// Install or remove the daily job (with `dry_run`, only say how).
pub(crate) fn timer(install: bool, dry_run: bool, host: &Host) -> Result<TimerReport> {
    let exe = host
        .exe
        .clone()
        .ok_or_else(|| Error::failed("cannot tell where this tlsforge program is, for the job to run it"))?;
    let job = Job { exe, uid: host.uid, data_dir: host.data_dir.clone() };
    let plan = if install {
        schedule::install(&host.machine, &job)
    } else {
        schedule::uninstall(&host.machine, &job)
    };
    let steps = plan.map_err(|why| Error::failed(format!("cannot plan the daily job: {why}")))?;
    // Every step is the user's own: no sudo in any command line.
    let elevation = Elevation::AlreadyRoot;
    let mut report = TimerReport {
        install,
        dry_run,
        scheduler: Scheduler::of(&host.machine),
        steps: steps
            .iter()
            .map(|step| TimerStep {
                description: step.description.clone(),
                command: elevation.command_line(step),
            })
            .collect(),
        error: None,
    };
    if !dry_run {
        let mut quiet = Quiet;
        report.error = Runner::new(elevation, &mut quiet, false).run_as_user(&steps).err();
    }
    Ok(report)
}

pub(crate) fn timer_outcome(report: &TimerReport) -> Result<()> {
    match &report.error {
        None => Ok(()),
        Some(why) => Err(Error::failed(format!(
            "the daily job was not {}: {why}",
            if report.install { "installed" } else { "removed" }
        ))
        .hint("`tlsforge renew --install-timer --dry-run` prints the steps to carry out by hand")
        .into()),
    }
}
