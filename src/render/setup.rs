//! Output of `setup` between the prompts: what was made or checked, headings, next steps. The
//! snippet and the trust progress come from `env` and `trust` themselves.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use crate::pki::pair::CertKeyPair;
use crate::report::generate::{GenReport, Mode};
use crate::report::setup::ProductionSummary;
use crate::text::shell_path;

pub(crate) fn heading(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\n== {text}")?;
    out.flush()?;
    Ok(())
}

pub(crate) fn note(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

pub(crate) fn generated(report: &GenReport) -> Result<()> {
    let mut out = io::stdout().lock();
    let kind = match report.mode {
        Mode::SelfSigned => "self-signed",
        Mode::Ca => "issued by the local CA",
    };
    writeln!(out, "\nCreated a certificate ({} key, {kind}, valid {} days)", report.key_type, report.days)?;
    writeln!(out, "  certificate  {}", report.cert_path.display())?;
    writeln!(out, "  key          {}  (readable by you only)", report.key_path.display())?;
    writeln!(out, "  names        {}", report.names.join(", "))?;
    writeln!(out, "  expires      {}", report.not_after)?;
    if let Some(ca) = &report.ca_cert_path {
        let created = if report.ca_created == Some(true) { "  (created now)" } else { "" };
        writeln!(out, "  local CA     {}{created}", ca.display())?;
    }
    out.flush()?;
    Ok(())
}

pub(crate) fn production(pair: &CertKeyPair, summary: &ProductionSummary) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\nThe certificate and key belong together and are in date:")?;
    writeln!(out, "  certificate  {}", pair.cert_path().display())?;
    writeln!(out, "  key          {}", pair.key_path().display())?;
    writeln!(out, "  subject      {}", summary.subject)?;
    writeln!(out, "  names        {}", summary.names.join(", "))?;
    writeln!(out, "  expires      {} ({} days left)", summary.not_after, summary.days_left)?;
    out.flush()?;
    Ok(())
}

pub(crate) fn next_steps(cert: &Path, key: &Path, production: bool) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\n== Next steps")?;
    writeln!(out, "  Point your service at the files (SSL_CERT_PATH, SSL_KEY_PATH above), e.g. for nginx:")?;
    writeln!(out, "    ssl_certificate     {};", cert.display())?;
    writeln!(out, "    ssl_certificate_key {};", key.display())?;
    writeln!(out, "  `tlsforge snippet nginx --cert {}` prints a whole server block.", shell_path(cert))?;
    writeln!(out, "  Once it runs: tlsforge doctor --connect localhost:PORT")?;
    if production {
        writeln!(out, "  Let's Encrypt certificates last 90 days: keep `certbot renew` scheduled.")?;
    }
    out.flush()?;
    Ok(())
}
