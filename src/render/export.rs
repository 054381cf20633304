//! Output of `export` and `ca export`: the bytes on stdout, or what was written where.

use std::io::{self, Write};

use anyhow::Result;

use crate::report::export::ExportReport;
use crate::text::{printable, printable_path};

/// The export on stdout (notes on stderr), or a summary of the file written.
pub(crate) fn human(report: &ExportReport) -> Result<()> {
    let Some(path) = &report.out else {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&report.bytes)?;
        stdout.flush()?;
        super::warnings(&report.notes);
        return Ok(());
    };
    let mut out = io::stdout().lock();
    writeln!(out, "Wrote {} ({})", printable_path(path), report.format.purpose())?;
    let what = if report.is_ca { "CA" } else { "subject" };
    writeln!(out, "  {what:<8} {}", printable(&report.subject))?;
    writeln!(out, "  SHA-256  {}", report.fingerprint_sha256)?;
    if let Some(profile) = report.p12_profile {
        writeln!(out, "  profile  {}", profile.describe())?;
    }
    if report.format.has_private_key() {
        writeln!(out, "  holds the private key: readable by you only")?;
    }
    for note in &report.notes {
        writeln!(out, "  note: {}", printable(note))?;
    }
    if report.is_ca && !report.format.has_private_key() {
        writeln!(out, "Compare this fingerprint with the one the device shows before trusting it.")?;
    }
    out.flush()?;
    Ok(())
}
