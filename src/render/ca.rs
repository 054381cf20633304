//! Human output of `ca init` and `ca show`.

use std::io::{self, Write};

use anyhow::Result;

use crate::report::ca::CaReport;
use crate::text::{printable, printable_path};

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
