//! Output of `trust` and `untrust`: a header, one block per store as it finishes, a summary;
//! on stderr, warnings, the announcement before sudo, and a spinner while a command runs.
//! Subjects, paths, commands and what tools answered are shown [`printable`].

use std::fmt::Write as _;
use std::io::{self, Write};

use anyhow::Result;

use super::Format;
use super::color::Label;
use super::progress::{self, Spinner};
use crate::report::trust::{Action, Handshakes, Status, StoreReport, TrustReport, Watch};
use crate::text::{printable, printable_path};
use crate::trust::Store;
use crate::trust::certificate::Kind;
use crate::trust::plan::{Action as StepAction, Step};
use crate::trust::runner::Observer;
use crate::trust::verdict::{Trust, Verdict};

/// `warning:` lines on stderr, before anything changes.
fn warnings(warnings: &[String]) -> Result<()> {
    let mut err = io::stderr().lock();
    for warning in warnings {
        writeln!(err, "{} {}", Label::Warning, printable(warning))?;
    }
    Ok(())
}

fn header(report: &TrustReport) -> Result<()> {
    let mut out = io::stdout().lock();
    let cert = &report.certificate;
    let verb = match (report.action, report.dry_run) {
        (Action::Trust, false) => "Trusting",
        (Action::Trust, true) => "Would trust",
        (Action::Untrust, false) => "Untrusting",
        (Action::Untrust, true) => "Would untrust",
        (Action::Check, _) => "Checking",
    };
    let kind = match cert.kind {
        Kind::SelfSignedLeaf => "self-signed certificate, trusted as itself",
        Kind::LocalCa => "tlsforge's local CA",
        Kind::ForeignCa => "a CA from elsewhere",
    };
    writeln!(out, "{verb} {} ({kind})", printable(&cert.subject))?;
    writeln!(out, "  certificate  {}", printable_path(&cert.path))?;
    writeln!(out, "  entry name   {}", printable(&cert.entry_name))?;
    writeln!(out, "  SHA-256      {}", cert.fingerprint_sha256)?;
    for note in &report.notes {
        writeln!(out, "  note: {}", printable(note))?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn status_text(status: Status, action: Action) -> &'static str {
    match (status, action) {
        (Status::Trusted, Action::Check) => "trusted",
        (Status::Trusted, _) => "trusted now",
        (Status::AlreadyTrusted, _) => "already trusted, nothing to do",
        (Status::NotTrusted, _) => "NOT trusted",
        (Status::Removed, _) => "removed",
        (Status::NotPresent, _) => "not there, nothing to remove",
        (Status::Planned, _) => "would run:",
        (Status::Skipped, _) => "skipped",
        (Status::Unused, _) => "nothing to do yet",
        (Status::Failed, _) => "FAILED",
    }
}

/// One store, as soon as it is done.
fn store(report: &StoreReport, action: Action) -> Result<()> {
    let mut out = io::stdout().lock();
    let status = status_text(report.status, action);
    match &report.location {
        Some(location) => writeln!(out, "{:<8}{}: {status}", report.store.name(), printable(location))?,
        None => writeln!(out, "{:<8}{status}", report.store.name())?,
    }
    if let Some(detail) = &report.detail {
        writeln!(out, "        {}", printable(detail))?;
    }
    if action == Action::Check {
        for client in &report.clients {
            let verdict = match client.verdict {
                Trust::Trusted => "trusted",
                Trust::NotTrusted => "NOT trusted",
                Trust::Unknown => "unknown",
            };
            writeln!(out, "        {}: {verdict} ({})", printable(&client.name), printable(&client.reason))?;
        }
    }
    for note in &report.notes {
        writeln!(out, "        note: {}", printable(note))?;
    }
    for (n, step) in report.steps.iter().enumerate() {
        let root = if step.root { " (needs root)" } else { "" };
        writeln!(out, "        {}. {}{root}", n + 1, printable(&step.description))?;
        writeln!(out, "           {}", printable(&step.command))?;
    }
    out.flush()?;
    Ok(())
}

/// `--clients`: one line per handshake, as they all finished.
fn handshakes(handshakes: &Handshakes) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out)?;
    match (&handshakes.name, handshakes.port) {
        (Some(name), Some(port)) => writeln!(
            out,
            "Handshakes on 127.0.0.1:{port} as {}, serving {}:",
            printable(name),
            printable(handshakes.served.as_deref().unwrap_or("the certificate"))
        )?,
        _ => writeln!(out, "Handshakes:")?,
    }
    if let Some(error) = &handshakes.error {
        writeln!(out, "  none made: {}", printable(error))?;
    }
    if handshakes.clients.is_empty() && handshakes.error.is_none() {
        writeln!(out, "  no client of the selected stores is installed")?;
    }
    let width = handshakes.clients.iter().map(|p| printable(&p.name).chars().count()).max().unwrap_or(0);
    for proof in &handshakes.clients {
        let verdict = match proof.verdict {
            Trust::Trusted => "trusted".to_owned(),
            Trust::NotTrusted => format!("NOT trusted: {}", printable(&proof.reason)),
            Trust::Unknown => format!("no answer: {}", printable(&proof.reason)),
        };
        let version = proof.version.as_deref().map(|v| format!(" ({})", printable(v))).unwrap_or_default();
        writeln!(out, "  {:<width$}  {verdict}{version}", printable(&proof.name))?;
    }
    for disagreement in &handshakes.disagreements {
        writeln!(out, "  note: {}", printable(disagreement))?;
    }
    out.flush()?;
    Ok(())
}

fn summary(report: &TrustReport) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out)?;
    let done = report.stores.iter().filter(|s| s.status.ok()).count();
    let total = report.stores.len();
    let line = match (report.action, report.dry_run) {
        (_, true) => "Dry run: nothing was changed.".to_owned(),
        (Action::Check, false) => {
            let clients: Vec<&Verdict> = report.stores.iter().flat_map(|s| &s.clients).collect();
            let trusted = clients.iter().filter(|v| v.trusted()).count();
            let mut line =
                format!("Trusted by {trusted} of {}.", crate::text::plural(clients.len(), "client"));
            if let Some(handshakes) = &report.handshakes {
                let accepted = handshakes.clients.iter().filter(|p| p.verdict == Trust::Trusted).count();
                let total = handshakes.clients.len();
                let _ =
                    write!(line, " Accepted in {accepted} of {}.", crate::text::plural(total, "handshake"));
            }
            line
        }
        (Action::Trust, false) => format!("Trusted in {done} of {total} selected stores."),
        (Action::Untrust, false) => {
            let removed = report.stores.iter().filter(|s| s.status == Status::Removed).count();
            let name = printable(&report.certificate.entry_name);
            format!("Removed {name} from {removed} of {total} selected stores.")
        }
    };
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

/// A `trust` run on the terminal, as it happens: warnings first (on stderr, whatever the
/// format), then in human format the header, each store as it finishes and the handshakes;
/// the announcement before sudo and a spinner while a command runs. [`Live::finish`] adds the
/// summary (or the whole report as JSON) and says whether every line could be written.
#[derive(Debug)]
pub(crate) struct Live {
    format: Format,
    spinner: Option<Spinner>,
    error: Option<anyhow::Error>,
}

impl Live {
    pub(crate) fn new(format: Format) -> Self {
        Self { format, spinner: None, error: None }
    }

    fn keep(&mut self, result: Result<()>) {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }

    fn human(&self) -> bool {
        self.format == Format::Human
    }

    pub(crate) fn finish(&mut self, report: &TrustReport) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        match self.format {
            Format::Human => summary(report),
            Format::Json => super::json(report),
        }
    }
}

impl Watch for Live {
    fn begun(&mut self, report: &TrustReport) {
        let mut result = warnings(&report.warnings);
        if self.human() && result.is_ok() {
            result = header(report);
        }
        self.keep(result);
    }

    fn store(&mut self, report: &StoreReport, action: Action) {
        if self.human() {
            let result = store(report, action);
            self.keep(result);
        }
    }

    fn handshakes(&mut self, report: &Handshakes) {
        if self.human() {
            let result = handshakes(report);
            self.keep(result);
        }
    }
}

impl Observer for Live {
    fn elevating(&mut self, store: Store, location: &str, steps: &[&Step]) {
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "{} ({}) needs root for:", store.name(), printable(location));
        for step in steps {
            let _ = writeln!(err, "  - {}", printable(&step.description));
        }
        let _ = writeln!(err, "running these through sudo; it may ask for your password.");
        let _ = err.flush();
    }

    fn started(&mut self, step: &Step) {
        if matches!(step.action, StepAction::Run { .. }) {
            self.spinner = progress::spinner(&step.description);
        }
    }

    fn finished(&mut self, _: &Step) {
        self.spinner = None;
    }
}
