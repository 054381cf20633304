//! Output of `setup` between the prompts: what was made or checked, headings, next steps. The
//! snippet and the trust progress come from `env` and `trust` themselves.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use crate::pki::pair::CertKeyPair;
use crate::report::generate::{GenReport, Mode};
use crate::report::setup::ProductionSummary;
use crate::text::{printable, printable_path, shell_path};

pub(crate) fn heading(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\n== {}", printable(text))?;
    out.flush()?;
    Ok(())
}

pub(crate) fn note(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", printable(text))?;
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
    writeln!(out, "  certificate  {}", printable_path(&report.cert_path))?;
    writeln!(out, "  key          {}  (readable by you only)", printable_path(&report.key_path))?;
    writeln!(out, "  names        {}", printable(&report.names.join(", ")))?;
    writeln!(out, "  expires      {}", report.not_after)?;
    if let Some(ca) = &report.ca_cert_path {
        let created = if report.ca_created == Some(true) { "  (created now)" } else { "" };
        writeln!(out, "  local CA     {}{created}", printable_path(ca))?;
    }
    out.flush()?;
    Ok(())
}

pub(crate) fn production(pair: &CertKeyPair, summary: &ProductionSummary) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\nThe certificate and key belong together and are in date:")?;
    writeln!(out, "  certificate  {}", printable_path(pair.cert_path()))?;
    writeln!(out, "  key          {}", printable_path(pair.key_path()))?;
    writeln!(out, "  subject      {}", printable(&summary.subject))?;
    writeln!(out, "  names        {}", printable(&summary.names.join(", ")))?;
    writeln!(out, "  expires      {} ({} days left)", summary.not_after, summary.days_left)?;
    out.flush()?;
    Ok(())
}

pub(crate) fn next_steps(cert: &Path, key: &Path, production: bool) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\n== Next steps")?;
    writeln!(out, "  Point your service at the files (SSL_CERT_PATH, SSL_KEY_PATH above), e.g. for nginx:")?;
    writeln!(out, "    ssl_certificate     {};", printable_path(cert))?;
    writeln!(out, "    ssl_certificate_key {};", printable_path(key))?;
    let command = format!("tlsforge snippet nginx --cert {}", shell_path(cert));
    writeln!(out, "  `{}` prints a whole server block.", printable(&command))?;
    writeln!(out, "  Once it runs: tlsforge doctor --connect localhost:PORT")?;
    if production {
        writeln!(out, "  Let's Encrypt certificates last 90 days: keep `certbot renew` scheduled.")?;
    }
    out.flush()?;
    Ok(())
}
