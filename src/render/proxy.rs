//! `proxy` as it happens: where to open it and what it forwards, then one access-log line per
//! request (JSON lines with `--format json`), then the summary.

use std::io::{self, Write};

use anyhow::Result;

use super::Format;
use super::color::{Paint, Stream};
use crate::report::proxy::{Event, ProxyReport, Sink};
use crate::text::{plural, printable, printable_path};

/// Writes each event as it comes.
#[derive(Debug)]
pub(crate) struct Live {
    format: Format,
    /// Decided once: whether stdout takes colour (asking costs a system call per line).
    paint: Paint,
    /// Request lines not yet written: one write per batch, not per request.
    pending: Vec<u8>,
}

impl Live {
    pub(crate) fn new(format: Format) -> Self {
        Self { format, paint: Paint::new(Stream::Stdout), pending: Vec::new() }
    }

    fn write_out(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            let mut out = io::stdout().lock();
            out.write_all(&self.pending)?;
            out.flush()?;
            self.pending.clear();
        }
        Ok(())
    }

    pub(crate) fn finish(&mut self, report: &ProxyReport) -> Result<()> {
        self.write_out()?;
        let mut out = io::stdout().lock();
        let summary = &report.summary;
        match self.format {
            Format::Json => super::json_line(report, Some("stopped"))?,
            Format::Human => {
                let requests = usize::try_from(summary.requests).unwrap_or(usize::MAX);
                write!(out, "Stopped after {}", plural(requests, "request"))?;
                if summary.log_dropped > 0 {
                    write!(out, " ({} not logged: the terminal did not keep up)", summary.log_dropped)?;
                }
                if summary.cut {
                    write!(out, "; connections still busy after 10 s were cut")?;
                }
                writeln!(out, ".")?;
            }
        }
        out.flush()?;
        Ok(())
    }
}

impl Sink for Live {
    fn event(&mut self, event: &Event) -> Result<()> {
        match self.format {
            Format::Json => {
                serde_json::to_writer(&mut self.pending, event).map_err(io::Error::from)?;
                self.pending.push(b'\n');
            }
            Format::Human => human(&mut self.pending, event, self.paint)?,
        }
        // Requests wait for the end of their batch; anything else is said at once.
        if matches!(event, Event::Request(_)) { Ok(()) } else { self.write_out() }
    }

    fn flush(&mut self) -> Result<()> {
        self.write_out()
    }
}

fn human(out: &mut impl Write, event: &Event, paint: Paint) -> io::Result<()> {
    match event {
        Event::Listening {
            listen, urls, reachable_from_lan, routes, certificate, upgrade_insecure, ..
        } => {
            for route in routes {
                writeln!(out, "Forwarding {} → {}", route.prefix, route.backend)?;
            }
            let source = if certificate.source == "files" {
                format!("{}", printable_path(&certificate.path))
            } else if certificate.ca_created {
                format!("a new local CA ({}), in memory", printable_path(&certificate.path))
            } else {
                format!("the local CA ({}), in memory", printable_path(&certificate.path))
            };
            writeln!(
                out,
                "Certificate from {source}, for {}, until {}",
                printable(&certificate.names.join(", ")),
                certificate.not_after
            )?;
            if *upgrade_insecure {
                writeln!(
                    out,
                    "Responses ask browsers to upgrade http:// subresources (upgrade-insecure-requests)."
                )?;
            }
            if *reachable_from_lan {
                writeln!(out, "Listening on {listen}: devices on your network can reach it.")?;
            }
            writeln!(out, "Open {}", urls.join("  "))?;
            writeln!(out, "Ctrl-C stops.")?;
        }
        Event::Certificate { certificate, reason } => {
            writeln!(
                out,
                "Serving a new certificate ({}): for {}, until {}",
                printable(reason),
                printable(&certificate.names.join(", ")),
                certificate.not_after
            )?;
        }
        Event::CertificateKept { error } => {
            writeln!(out, "Still serving the old certificate: {}", printable(error))?;
        }
        Event::Check(check) => {
            super::share::check(out, check.client, check.device, check.findings, &check.fixes)?;
        }
        Event::Request(access) => {
            let status = access.status.to_string();
            let status = match access.status {
                500.. => paint.red(&status),
                400..500 => paint.yellow(&status),
                _ => paint.green(&status),
            };
            write!(
                out,
                "{} {} {status} → {} {} ms",
                printable(access.method.as_str()),
                printable(&access.path),
                access.backend,
                access.millis
            )?;
            if let Some(error) = &access.error {
                write!(out, ": {}", printable(error))?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
