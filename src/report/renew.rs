//! What `renew` did (or, with `--dry-run`, would do).

use std::path::PathBuf;

use serde::Serialize;

use crate::schedule::Scheduler;

#[derive(Debug, Serialize)]
pub(crate) struct RenewReport {
    pub dry_run: bool,
    pub inventory: PathBuf,
    /// Every selected certificate, with what became of it.
    pub certificates: Vec<Renewal>,
    /// Every renewal (and its `--exec`) succeeded.
    pub ok: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Renewal {
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    pub names: Vec<String>,
    pub outcome: Outcome,
    /// Why it was skipped or failed; what to do next.
    pub detail: Option<String>,
    /// The expiry before, and after a renewal (RFC 3339).
    pub not_after: String,
    pub new_not_after: Option<String>,
    /// Self-signed: clients must trust the new certificate again.
    pub trust_again: bool,
    /// `--trust`: whether trusting it again succeeded (`None` when not asked or not needed).
    pub trusted: Option<bool>,
    /// `--exec`: how the command went (`None` when not run).
    pub exec: Option<ExecOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Outcome {
    Renewed,
    /// `--dry-run`: would be renewed.
    Due,
    NotDue,
    /// Not renewed on purpose: files gone or replaced, another issuer.
    Skipped,
    Failed,
}

#[derive(Debug, Serialize)]
pub(crate) struct ExecOutcome {
    pub ok: bool,
    /// The exit status, or why it did not run or finish.
    pub status: String,
}

/// `renew --install-timer` / `--uninstall-timer`.
#[derive(Debug, Serialize)]
pub(crate) struct TimerReport {
    pub install: bool,
    pub dry_run: bool,
    pub scheduler: Scheduler,
    /// Each step as a person would carry it out.
    pub steps: Vec<TimerStep>,
    /// Why the steps stopped, when one failed.
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimerStep {
    pub description: String,
    pub command: String,
}
