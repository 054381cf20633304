//! `renew --install-timer`: a per-user daily `tlsforge renew` through the platform's scheduler,
//! as a plan (the steps of `trust`'s model: files to write, commands to run). One backend per
//! scheduler; each builds its plan from a `Machine`, so every one is tested on every platform
//! and `--dry-run` is the plan printed.

mod launchd;
mod systemd;
mod task_scheduler;

use std::path::{Path, PathBuf};

use crate::trust::machine::{Machine, Os};
use crate::trust::plan::Step;

/// The job's name in every scheduler.
pub(crate) const JOB: &str = "tlsforge-renew";

/// What the job runs: this program, `renew`.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The absolute path of the tlsforge binary.
    pub exe: PathBuf,
    /// The user's id (launchd's `gui/UID` domain).
    pub uid: Option<u32>,
    /// Where files that belong to no scheduler directory go (the Windows task's XML).
    pub data_dir: Option<PathBuf>,
}

impl Job {
    fn argv(&self) -> [String; 2] {
        [self.exe.to_string_lossy().into_owned(), "renew".to_owned()]
    }
}

/// Which scheduler a machine's jobs go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Scheduler {
    /// A systemd user service and timer.
    Systemd,
    /// A launchd user agent.
    Launchd,
    /// A Task Scheduler task.
    #[serde(rename = "task-scheduler")]
    WindowsTask,
}

impl Scheduler {
    pub(crate) fn of(machine: &Machine) -> Self {
        match machine.os {
            Os::Linux => Self::Systemd,
            Os::Macos => Self::Launchd,
            Os::Windows => Self::WindowsTask,
        }
    }
}

/// The steps that install (or replace) the daily job.
pub(crate) fn install(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    match Scheduler::of(machine) {
        Scheduler::Systemd => systemd::install(machine, job),
        Scheduler::Launchd => launchd::install(machine, job),
        Scheduler::WindowsTask => task_scheduler::install(machine, job),
    }
}

/// The steps that remove the job (none for what is not there).
pub(crate) fn uninstall(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    match Scheduler::of(machine) {
        Scheduler::Systemd => systemd::uninstall(machine),
        Scheduler::Launchd => launchd::uninstall(machine, job),
        Scheduler::WindowsTask => task_scheduler::uninstall(machine, job),
    }
}

/// A program on PATH by its full path, else its bare name (a plan for another machine).
fn program(machine: &Machine, name: &str) -> String {
    machine.which(name).map_or_else(|| name.to_owned(), |path| path.to_string_lossy().into_owned())
}

fn under_home(machine: &Machine, rel: &str) -> Result<PathBuf, String> {
    machine.home_join(rel).ok_or_else(|| "no home directory (HOME is not set)".to_owned())
}

fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}
