//! What `trust`, `untrust` and `trust --check` did, store by store and client by client.

use std::path::PathBuf;

use serde::Serialize;

use crate::trust::Store;
use crate::trust::certificate::Kind;
use crate::trust::prove::Proof;
use crate::trust::runner::{Observer, Quiet};
use crate::trust::verdict::{Overall, Verdict};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Action {
    Trust,
    Untrust,
    Check,
}

/// How one store ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    Trusted,
    AlreadyTrusted,
    /// `--check`: not trusted there.
    NotTrusted,
    Removed,
    NotPresent,
    /// `--dry-run`: the steps would run.
    Planned,
    Skipped,
    /// A Firefox profile that has never run: no database, nothing to trust yet, not counted.
    Unused,
    Failed,
}

impl Status {
    pub(crate) fn ok(self) -> bool {
        !matches!(self, Self::NotTrusted | Self::Skipped | Self::Failed)
    }
}

/// A step as the runner would carry it out.
#[derive(Debug, Serialize)]
pub(crate) struct PlannedStep {
    pub description: String,
    /// The exact command (or file operation), with `sudo` when it would go through sudo.
    pub command: String,
    pub root: bool,
    pub sudo: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct StoreReport {
    pub store: Store,
    pub location: Option<String>,
    pub status: Status,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    /// What each client reading this store decides, after the change (before it, for a dry
    /// run); empty for a store that was skipped.
    pub clients: Vec<Verdict>,
    /// What to do next: restart a running browser, an entry someone else made, ...
    pub notes: Vec<String>,
    /// `--dry-run`: what would run (empty when there is nothing to do).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<PlannedStep>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CertificateInfo {
    /// What the user named (or the local CA's certificate).
    pub input: PathBuf,
    /// The certificate that goes into the stores.
    pub path: PathBuf,
    pub subject: String,
    pub kind: Kind,
    pub entry_name: String,
    pub fingerprint_sha256: String,
}

/// `--clients`: the handshakes, or why none could be made.
#[derive(Debug, Serialize)]
pub(crate) struct Handshakes {
    /// What was served ("server.crt with its key", ...), or `null` when nothing could be.
    pub served: Option<String>,
    /// The name clients asked for, on 127.0.0.1.
    pub name: Option<String>,
    pub port: Option<u16>,
    pub clients: Vec<Proof>,
    /// Why no handshake was made (nothing to serve, no listener), or `null`.
    pub error: Option<String>,
    /// Where a client's handshake contradicts the verdict read from its store.
    pub disagreements: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TrustReport {
    pub action: Action,
    pub dry_run: bool,
    pub certificate: CertificateInfo,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub stores: Vec<StoreReport>,
    /// `--check`: whether every client of the selected stores trusts it, some do, or none.
    pub verdict: Option<Overall>,
    /// `--check --clients`: what real clients made of the certificate served on loopback.
    pub handshakes: Option<Handshakes>,
    /// Every selected store succeeded (or, for `--check`, every client trusts the certificate).
    pub ok: bool,
}

/// Who follows a `trust` run as it happens (the terminal, or nobody): the report so far
/// before any store is touched, each store as it finishes, the handshakes, and — through
/// the runner's [`Observer`] — each step and the announcement before sudo.
pub(crate) trait Watch: Observer {
    /// Before the first store: the certificate, its notes and warnings.
    fn begun(&mut self, report: &TrustReport);
    fn store(&mut self, store: &StoreReport, action: Action);
    fn handshakes(&mut self, handshakes: &Handshakes);
}

/// Follows nothing: for callers that render the finished report themselves.
impl Watch for Quiet {
    fn begun(&mut self, _: &TrustReport) {}
    fn store(&mut self, _: &StoreReport, _: Action) {}
    fn handshakes(&mut self, _: &Handshakes) {}
}
