//! Output of `inspect`: human text (colours as `render::color` decides for stdout), a JSON
//! array, and one stderr line per input that failed. What a certificate, a server or a file
//! name says is shown [`printable`]: escaped before it is coloured.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::color::{Label, Paint, Stream};
use crate::pki::describe::Standing;
use crate::pki::format;
use crate::pki::keyfile::KeyFormat;
use crate::pki::lint;
use crate::pki::p12::Protection;
use crate::report::inspect::{CertificateEntry, Connection, CsrEntry, Entry, InspectReport, KeyEntry};
use crate::text::{plural, printable};

/// Certificates closer than this to expiry are shown in yellow.
const SOON_DAYS: i64 = 30;

/// Entries rendered as `inspect` finds them: human text, or the JSON array element by element
/// (the bytes `serde_json::to_writer_pretty` writes for the whole array). Buffered: a bundle of
/// thousands of certificates is a few writes, not thousands.
pub(crate) struct Output {
    out: BufWriter<io::StdoutLock<'static>>,
    json: bool,
    paint: Paint,
    /// Entries written so far (JSON), or whether the next one is the first of its group (human).
    written: usize,
    first: bool,
    last_connection: Option<String>,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Self {
            out: BufWriter::new(io::stdout().lock()),
            json,
            paint: Paint::new(Stream::Stdout),
            written: 0,
            first: true,
            last_connection: None,
        }
    }

    pub(crate) fn entry(&mut self, entry: &Entry) -> Result<()> {
        if self.json {
            self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
            // An element at depth one: its pretty form, every line indented once (JSON strings
            // hold no raw newlines).
            let text = serde_json::to_string_pretty(entry)?;
            for (n, line) in text.split('\n').enumerate() {
                if n > 0 {
                    self.out.write_all(b"\n")?;
                }
                write!(self.out, "  {line}")?;
            }
            self.written += 1;
            return Ok(());
        }
        let (out, paint) = (&mut self.out, self.paint);
        match entry {
            Entry::Certificate(cert) => {
                if let Some(connection) = &cert.connection
                    && self.last_connection.as_deref() != Some(cert.source.as_str())
                {
                    separate(out, &mut self.first)?;
                    connection_header(out, paint, &cert.source, connection)?;
                    self.last_connection = Some(cert.source.clone());
                    self.first = true;
                }
                separate(out, &mut self.first)?;
                certificate(out, paint, cert)?;
            }
            Entry::PrivateKey(key) => {
                separate(out, &mut self.first)?;
                private_key(out, key)?;
            }
            Entry::Csr(csr) => {
                separate(out, &mut self.first)?;
                request(out, csr)?;
            }
            Entry::Pkcs12(p12) => {
                separate(out, &mut self.first)?;
                writeln!(out, "{} #{}  PKCS#12", printable(&p12.source), p12.index)?;
                let protection = p12.protection.map_or("unreadable algorithms", Protection::describe);
                writeln!(out, "  protection   {protection}")?;
                writeln!(
                    out,
                    "  holds        {}, {}",
                    plural(p12.certificates, "certificate"),
                    plural(p12.keys, "private key")
                )?;
                if !p12.friendly_names.is_empty() {
                    writeln!(out, "  names        {}", printable(&p12.friendly_names.join(", ")))?;
                }
            }
            Entry::Error(_) => {}
        }
        Ok(())
    }

    /// The end of the array, or the human summary.
    pub(crate) fn finish(mut self, report: &InspectReport) -> Result<()> {
        if self.json {
            self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        } else {
            summary(&mut self.out, report)?;
        }
        self.out.flush()?;
        Ok(())
    }
}

/// One `error: SOURCE: reason` line on stderr per input (or block) that failed.
pub(crate) fn errors(report: &InspectReport) -> Result<()> {
    let mut err = io::stderr().lock();
    for e in &report.errors {
        let at = e.index.map(|i| format!(" #{i}")).unwrap_or_default();
        let line = format!("{}{at}: {}", e.source, e.error);
        writeln!(err, "{} {}", Label::Error, printable(line.trim_end()))?;
    }
    Ok(())
}

fn separate(out: &mut impl Write, first: &mut bool) -> io::Result<()> {
    if !std::mem::replace(first, false) {
        writeln!(out)?;
    }
    Ok(())
}

fn connection_header(out: &mut impl Write, paint: Paint, source: &str, c: &Connection) -> io::Result<()> {
    let protocol = c.protocol.unwrap_or("TLS");
    let (source, server_name) = (printable(source), printable(&c.server_name));
    writeln!(out, "{source}  {protocol}, server name {server_name}")?;
    let chain = if c.trusted {
        paint.green("trusted (system roots or the local CA)")
    } else {
        paint.red("NOT trusted")
    };
    writeln!(out, "  chain        {chain}")?;
    let name = if c.name_matches {
        paint.green(&format!("valid for {server_name}"))
    } else {
        paint.red(&format!("NOT valid for {server_name}"))
    };
    writeln!(out, "  name         {name}")?;
    if let Some(reason) = &c.verify_error {
        writeln!(out, "  why          {}", printable(reason))?;
    }
    if let Some(reason) = &c.handshake_error {
        writeln!(out, "  handshake    {}", printable(reason))?;
    }
    Ok(())
}

fn certificate(out: &mut impl Write, paint: Paint, entry: &CertificateEntry) -> io::Result<()> {
    let cert = &entry.cert;
    let role = match (cert.is_ca, cert.self_signed) {
        (true, true) => "certificate (root CA)",
        (true, false) => "certificate (intermediate CA)",
        (false, true) => "certificate (self-signed)",
        (false, false) => "certificate",
    };
    writeln!(out, "{} #{}  {role}", printable(&entry.source), entry.index)?;
    writeln!(out, "  subject      {}", or_empty(&cert.subject))?;
    let own = if cert.self_signed { "  (self-signed)" } else { "" };
    writeln!(out, "  issuer       {}{own}", or_empty(&cert.issuer))?;
    writeln!(out, "  serial       {}", printable(&cert.serial))?;
    writeln!(out, "  not before   {}", format::rfc3339(cert.not_before))?;
    writeln!(out, "  not after    {}  {}", format::rfc3339(cert.not_after), expiry(paint, entry))?;
    writeln!(out, "  names        {}", names(&cert.alt_names.to_labelled()))?;
    writeln!(out, "  key          {}", printable(&cert.key.describe()))?;
    writeln!(out, "  signature    {}", printable(&cert.signature_algorithm))?;
    let ca = match (cert.is_ca, cert.path_len) {
        (true, Some(len)) => format!("yes, path length {len}"),
        (true, None) => "yes".to_owned(),
        (false, _) => "no".to_owned(),
    };
    writeln!(out, "  CA           {ca}")?;
    if let Some(usage) = &cert.key_usage {
        writeln!(out, "  key usage    {}", printable(&usage.join(", ")))?;
    }
    if let Some(usage) = &cert.extended_key_usage {
        writeln!(out, "  ext. usage   {}", printable(&usage.join(", ")))?;
    }
    if let Some(constraints) = &cert.name_constraints {
        if !constraints.permitted.is_empty() {
            writeln!(out, "  permitted    {}", printable(&constraints.permitted.join(", ")))?;
        }
        if !constraints.excluded.is_empty() {
            writeln!(out, "  excluded     {}", printable(&constraints.excluded.join(", ")))?;
        }
    }
    writeln!(out, "  SHA-256      {}", cert.fingerprint_sha256)?;
    if let Some(findings) = &entry.lint {
        lint(out, paint, findings)?;
    }
    Ok(())
}

/// `--lint`: `ok`, or each broken rule with its client, why, and the fix.
fn lint(out: &mut impl Write, paint: Paint, findings: &[lint::Finding]) -> io::Result<()> {
    if findings.is_empty() {
        return writeln!(out, "  lint         {}", paint.green("ok: no client refuses it"));
    }
    for (n, finding) in findings.iter().enumerate() {
        let label = if n == 0 { "lint" } else { "" };
        let level = match finding.level {
            lint::Level::Error => paint.red("error"),
            lint::Level::Warning => paint.yellow("warning"),
        };
        writeln!(out, "  {label:<12} {level} {} ({})", finding.id, finding.client.name())?;
        writeln!(out, "               {}", printable(&finding.message))?;
        writeln!(out, "               fix: {}", finding.fix)?;
    }
    Ok(())
}

/// `(expired 3 days ago)`, `(expires in 12 days)`: red, yellow under 30 days, green.
fn expiry(paint: Paint, entry: &CertificateEntry) -> String {
    let days = entry.days_remaining;
    let text = match entry.status {
        Standing::Expired if days == -1 => "(EXPIRED within the last day)".to_owned(),
        Standing::Expired => format!("(EXPIRED {} days ago)", -days),
        _ if days == 0 => "(expires within a day)".to_owned(),
        _ if days == 1 => "(1 day left)".to_owned(),
        Standing::NotYetValid => format!("({days} days left, NOT VALID YET)"),
        _ => format!("({days} days left)"),
    };
    if entry.status == Standing::Expired {
        paint.red(&text)
    } else if days < SOON_DAYS || entry.status == Standing::Expiring {
        paint.yellow(&text)
    } else {
        paint.green(&text)
    }
}

fn private_key(out: &mut impl Write, entry: &KeyEntry) -> io::Result<()> {
    writeln!(out, "{} #{}  private key", printable(&entry.source), entry.index)?;
    if entry.encrypted {
        return writeln!(out, "  key          encrypted (a passphrase protects it)");
    }
    let format = match entry.format {
        Some(KeyFormat::Pkcs8) => " (PKCS#8)",
        Some(KeyFormat::Pkcs1) => " (PKCS#1)",
        Some(KeyFormat::Sec1) => " (SEC1)",
        None => "",
    };
    let key =
        entry.key.as_ref().map_or_else(|| "unknown".to_owned(), crate::pki::keyfile::PublicKeyInfo::describe);
    writeln!(out, "  key          {}{format}", printable(&key))?;
    let matches = match &entry.matching_certificates {
        None => "cannot tell (the key file does not carry its public half)".to_owned(),
        Some(list) if list.is_empty() => "no certificate given here".to_owned(),
        Some(list) => {
            let list = list.iter().map(|c| format!("{} #{}", c.source, c.index)).collect::<Vec<_>>();
            printable(&list.join(", ")).into_owned()
        }
    };
    writeln!(out, "  matches      {matches}")
}

fn request(out: &mut impl Write, entry: &CsrEntry) -> io::Result<()> {
    let csr = &entry.csr;
    writeln!(out, "{} #{}  certificate request", printable(&entry.source), entry.index)?;
    writeln!(out, "  subject      {}", or_empty(&csr.subject))?;
    writeln!(out, "  names        {}", names(&csr.alt_names.to_labelled()))?;
    writeln!(out, "  key          {}", printable(&csr.key.describe()))?;
    let valid = if csr.signature_valid { "valid" } else { "DOES NOT VERIFY" };
    writeln!(out, "  signature    {} ({valid})", printable(&csr.signature_algorithm))
}

/// A closing line when there was more than one thing to show, or something was skipped.
fn summary(out: &mut impl Write, report: &InspectReport) -> io::Result<()> {
    let counts = [report.certificates, report.keys, report.requests, report.errors.len()];
    let (expired, expiring) = (report.expired.count, report.expiring.count);
    if counts.iter().sum::<usize>() <= 1 && report.skipped == 0 {
        return Ok(());
    }
    let mut parts = Vec::new();
    let mut certs = plural(counts[0], "certificate");
    let mut notes = Vec::new();
    if expired > 0 {
        notes.push(format!("{expired} expired"));
    }
    if let (true, Some((_, window))) = (expiring > 0, &report.window) {
        notes.push(format!("{expiring} expiring within {window}"));
    }
    if report.lint_failed.count > 0 {
        notes.push(format!("{} refused by a client", report.lint_failed.count));
    }
    if report.lint_warned > 0 {
        notes.push(format!("{} with lint warnings only", report.lint_warned));
    }
    if !notes.is_empty() {
        certs = format!("{certs} ({})", notes.join(", "));
    }
    parts.push(certs);
    if counts[1] > 0 {
        parts.push(plural(counts[1], "private key"));
    }
    if counts[2] > 0 {
        parts.push(plural(counts[2], "certificate request"));
    }
    if counts[3] > 0 {
        parts.push(plural(counts[3], "unreadable input"));
    }
    if report.skipped > 0 {
        parts.push(format!("{} skipped in directories (nothing to inspect)", plural(report.skipped, "file")));
    }
    writeln!(out)?;
    writeln!(out, "{}", parts.join(", "))
}

/// A subject or issuer as shown: escaped, or `(empty)`.
fn or_empty(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_empty() { "(empty)".into() } else { printable(text) }
}

/// Subject alternative names as shown: escaped each (a name may hold `, `), or `(none)`.
fn names(names: &[String]) -> String {
    if names.is_empty() { "(none)".to_owned() } else { printable(&names.join(", ")).into_owned() }
}
