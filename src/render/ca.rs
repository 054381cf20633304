//! Human output of `ca init` and `ca show`.

use std::io::{self, Write};

use anyhow::Result;

use crate::report::ca::{CaReport, ExportReport};
use crate::text::{printable, printable_path};

/// The certificate on stdout, or what was written where.
pub(crate) fn export(report: &ExportReport) -> Result<()> {
    let Some(path) = &report.out else {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&report.bytes)?;
        stdout.flush()?;
        return Ok(());
    };
    let mut out = io::stdout().lock();
    writeln!(out, "Wrote {} ({})", printable_path(path), report.format.purpose())?;
    writeln!(out, "  CA       {}", printable(&report.subject))?;
    writeln!(out, "  SHA-256  {}", report.fingerprint_sha256)?;
    writeln!(out, "Compare this fingerprint with the one the device shows before trusting it.")?;
    out.flush()?;
    Ok(())
}

pub(crate) fn human(report: &CaReport) -> Result<()> {
    let mut out = io::stdout().lock();
    if report.replaced {
        writeln!(out, "Replaced the local CA: certificates issued by the old one no longer verify,")?;
        writeln!(out, "and the old CA stays trusted where it was trusted until you untrust it.")?;
    }
    writeln!(out, "Local CA      {}", printable(&report.subject))?;
    writeln!(out, "  certificate  {}", printable_path(&report.cert_path))?;
    writeln!(out, "  key          {}", printable_path(&report.key_path))?;
    writeln!(out, "  valid        {} to {}", report.not_before, report.not_after)?;
    writeln!(out, "  SHA-256      {}", report.fingerprint_sha256)?;
    match &report.permitted {
        Some(names) => writeln!(out, "  permits only {}", printable(&names.join(", ")))?,
        None => writeln!(out, "  permits      any name (unconstrained: guard the key like a password)")?,
    }
    out.flush()?;
    Ok(())
}
