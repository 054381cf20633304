//! Human output of `renew` and of its timer.

use std::io::{self, Write};

use anyhow::Result;

use crate::report::renew::{Outcome, RenewReport, TimerReport};
use crate::text::{plural, printable, printable_path, shell_path};

pub(crate) fn human(report: &RenewReport) -> Result<()> {
    let mut out = io::stdout().lock();
    if report.certificates.is_empty() {
        writeln!(out, "No certificates recorded in {}", printable_path(&report.inventory))?;
        out.flush()?;
        return Ok(());
    }
    for renewal in &report.certificates {
        let path = printable_path(&renewal.cert_path);
        let line = match renewal.outcome {
            Outcome::Renewed => format!(
                "renewed   {path}  (now expires {})",
                printable(renewal.new_not_after.as_deref().unwrap_or_default())
            ),
            Outcome::Due => format!("would renew {path}  (expires {})", printable(&renewal.not_after)),
            Outcome::NotDue => format!("not due   {path}  (expires {})", printable(&renewal.not_after)),
            Outcome::Skipped => format!("skipped   {path}"),
            Outcome::Failed => format!("FAILED    {path}"),
        };
        writeln!(out, "{line}")?;
        if let Some(detail) = &renewal.detail {
            writeln!(out, "          {}", printable(detail))?;
        }
        if let Some(exec) = &renewal.exec {
            writeln!(out, "          --exec: {}", printable(&exec.status))?;
        }
        if renewal.trust_again {
            match renewal.trusted {
                Some(true) => writeln!(out, "          trusted again")?,
                Some(false) => {}
                None => writeln!(
                    out,
                    "          self-signed: clients trust the old certificate, not this one: tlsforge trust {}",
                    printable(&shell_path(&renewal.cert_path))
                )?,
            }
        }
    }
    let count = |outcome| report.certificates.iter().filter(|c| c.outcome == outcome).count();
    let (renewed, due, failed) = (count(Outcome::Renewed), count(Outcome::Due), count(Outcome::Failed));
    writeln!(out)?;
    if report.dry_run {
        writeln!(out, "Dry run: {} due, nothing changed.", plural(due, "certificate"))?;
    } else if renewed + failed == 0 {
        writeln!(out, "Nothing due.")?;
    } else {
        writeln!(out, "Renewed {}; {} failed.", plural(renewed, "certificate"), failed)?;
    }
    out.flush()?;
    Ok(())
}

pub(crate) fn timer(report: &TimerReport) -> Result<()> {
    let mut out = io::stdout().lock();
    let what = if report.install { "install" } else { "remove" };
    if report.steps.is_empty() {
        writeln!(out, "No daily job installed: nothing to remove.")?;
        out.flush()?;
        return Ok(());
    }
    if report.dry_run {
        writeln!(out, "Would {what} the daily `tlsforge renew` job with these steps:")?;
    } else if report.error.is_none() {
        writeln!(
            out,
            "{} the daily `tlsforge renew` job:",
            if report.install { "Installed" } else { "Removed" }
        )?;
    } else {
        writeln!(out, "Tried to {what} the daily `tlsforge renew` job:")?;
    }
    for step in &report.steps {
        writeln!(out, "  {}", printable(&step.description))?;
        writeln!(out, "    {}", printable(&step.command))?;
    }
    out.flush()?;
    Ok(())
}
