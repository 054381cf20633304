//! Human output of `gen`.

use std::io::{self, Write};

use anyhow::Result;

use crate::report::generate::{GenReport, Mode};
use crate::text::{printable, printable_path, shell_path};

pub(crate) fn human(report: &GenReport) -> Result<()> {
    let mut out = io::stdout().lock();
    let kind = match report.mode {
        Mode::SelfSigned => "self-signed".to_owned(),
        Mode::Ca => "issued by the local CA".to_owned(),
    };
    writeln!(out, "Created a certificate ({} key, {kind}, {})", report.key_type, validity(report))?;
    writeln!(out, "  certificate  {}", printable_path(&report.cert_path))?;
    writeln!(out, "  key          {}  (readable by you only)", printable_path(&report.key_path))?;
    if let Some(p12) = &report.p12 {
        writeln!(
            out,
            "  PKCS#12      {}  (readable by you only; alias {})",
            printable_path(&p12.path),
            printable(&p12.alias)
        )?;
        writeln!(out, "               {}", p12.profile.describe())?;
    }
    writeln!(out, "  names        {}", printable(&report.names.join(", ")))?;
    writeln!(out, "  expires      {}", report.not_after)?;
    for note in &report.notes {
        writeln!(out, "  note: {}", printable(note))?;
    }
    if let Some(ca) = &report.ca_cert_path {
        let note = if report.ca_created == Some(true) { "  (created now)" } else { "" };
        writeln!(out, "  local CA     {}{note}", printable_path(ca))?;
    }
    writeln!(out)?;
    writeln!(out, "Next steps:")?;
    match report.mode {
        Mode::SelfSigned => {
            writeln!(
                out,
                "  tlsforge trust {}    # make browsers and clients trust it",
                printable(&shell_path(&report.cert_path))
            )?;
        }
        Mode::Ca => {
            writeln!(
                out,
                "  tlsforge trust    # trust the local CA once; every certificate it issues follows"
            )?;
        }
    }
    writeln!(out, "  tlsforge env      # SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell")?;
    out.flush()?;
    Ok(())
}

fn validity(report: &GenReport) -> String {
    if report.days == 1 { "valid 1 day".into() } else { format!("valid {} days", report.days) }
}
