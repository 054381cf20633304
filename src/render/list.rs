//! Human output of `list`.

use std::io::{self, Write};

use anyhow::Result;

use crate::inventory::{Issuer, OnDisk};
use crate::report::list::ListReport;
use crate::text::{plural, printable, printable_path};

pub(crate) fn human(report: &ListReport) -> Result<()> {
    let mut out = io::stdout().lock();
    for path in &report.adopted {
        writeln!(out, "Recorded {}", printable_path(path))?;
    }
    for path in &report.pruned {
        writeln!(out, "Forgot {} (its files are gone)", printable_path(path))?;
    }
    if report.certificates.is_empty() {
        writeln!(out, "No certificates recorded in {}", printable_path(&report.inventory))?;
        out.flush()?;
        return Ok(());
    }
    writeln!(
        out,
        "{} in {}, newest first:",
        plural(report.certificates.len(), "certificate"),
        printable_path(&report.inventory)
    )?;
    for listed in &report.certificates {
        let entry = &listed.entry;
        writeln!(out)?;
        writeln!(out, "{}", printable_path(&entry.cert_path))?;
        writeln!(out, "  names    {}", printable(&entry.names.join(", ")))?;
        let left = match listed.days_left {
            Some(days) if days < 0 => "expired".to_owned(),
            Some(days) => format!("{} left", plural(usize::try_from(days).unwrap_or(0), "day")),
            None => "unknown".to_owned(),
        };
        writeln!(out, "  expires  {} ({left})", printable(&entry.not_after))?;
        let issuer = match &entry.issuer {
            Issuer::SelfSigned => "self-signed".to_owned(),
            Issuer::LocalCa { ca_dir, .. } => format!("local CA in {}", printable_path(ca_dir)),
            Issuer::Other { name } => format!("{} (not renewed by tlsforge)", printable(name)),
        };
        writeln!(out, "  issuer   {issuer}")?;
        let mut made = format!("{}, {}", entry.key_type, plural(entry.made_with.days as usize, "day"));
        if entry.made_with.lan {
            made.push_str(", --lan");
        }
        if entry.made_with.client_auth {
            made.push_str(", --client");
        }
        if entry.made_with.p12.is_some() {
            made.push_str(", --p12");
        }
        if entry.made_with.adopted {
            made.push_str(", adopted");
        }
        writeln!(out, "  made     {made}")?;
        let files = match listed.files {
            OnDisk::Present => "as written".to_owned(),
            OnDisk::Missing => "missing".to_owned(),
            OnDisk::Replaced => "replaced by something else".to_owned(),
            OnDisk::KeyMismatch => "the key no longer matches".to_owned(),
        };
        match &listed.problem {
            Some(problem) => writeln!(out, "  files    {files}: {}", printable(problem))?,
            None => writeln!(out, "  files    {files}")?,
        }
    }
    if report.certificates.iter().any(|c| c.files == OnDisk::Missing) && report.pruned.is_empty() {
        writeln!(out)?;
        writeln!(out, "  tlsforge list --prune    # forget the certificates whose files are gone")?;
    }
    out.flush()?;
    Ok(())
}
