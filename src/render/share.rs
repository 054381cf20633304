//! `share` as it happens: for people, the address, its QR code and a line per thing a device
//! does; for scripts, one JSON object per line per event, then the summary.

use std::fmt::Write as _;
use std::io::{self, Write};

use anyhow::Result;

use super::Format;
use super::color::{self, Paint, Stream};
use std::net::IpAddr;

use crate::net::share::{Device, Findings};
use crate::report::share::{Event, ShareReport, Stop};
use crate::text::{plural, printable, printable_path};

/// Writes each event as it comes.
#[derive(Debug)]
pub(crate) struct Live {
    format: Format,
}

impl Live {
    pub(crate) fn new(format: Format) -> Self {
        Self { format }
    }

    pub(crate) fn event(&mut self, event: &Event) -> Result<()> {
        if self.format == Format::Json {
            return super::json_line(event, None);
        }
        let mut out = io::stdout().lock();
        human(&mut out, event)?;
        out.flush()?;
        Ok(())
    }

    pub(crate) fn finish(&mut self, report: &ShareReport) -> Result<()> {
        let mut out = io::stdout().lock();
        match self.format {
            Format::Json => super::json_line(report, Some("stopped"))?,
            Format::Human => {
                let why = match report.stopped {
                    Stop::Timeout => "Stopped at the timeout",
                    Stop::Interrupted => "Stopped",
                    Stop::Passed => "Stopped: a device passed every check",
                };
                let passed = if report.passed.is_empty() {
                    format!("no device passed every check ({} checked)", report.checked)
                } else {
                    format!(
                        "{} passed every check: {}",
                        plural(report.passed.len(), "device"),
                        printable(&report.passed.join(", "))
                    )
                };
                writeln!(out, "{why}; {passed}.")?;
            }
        }
        out.flush()?;
        Ok(())
    }
}

/// Pass, fail, opened, downloaded: symbols in a UTF-8 locale, words elsewhere.
fn marks() -> [&'static str; 4] {
    if color::unicode() { ["✓", "✗", "→", "↓"] } else { ["ok", "FAIL", "*", "*"] }
}

fn human(out: &mut impl Write, event: &Event) -> io::Result<()> {
    let paint = Paint::new(Stream::Stdout);
    let [ok, fail, opened, downloaded] = marks();
    let mark = |passed: bool| if passed { paint.green(ok) } else { paint.red(fail) };
    match event {
        Event::Listening {
            url,
            check_url,
            listen,
            reachable_from_lan,
            ca_subject,
            ca_cert_path,
            ca_created,
            fingerprint_sha256,
            timeout_seconds,
            once,
            ..
        } => {
            if *ca_created {
                writeln!(out, "Created a local CA: {}", printable_path(ca_cert_path))?;
            }
            writeln!(out, "CA: {}", printable(ca_subject))?;
            writeln!(out, "SHA-256 fingerprint (the page shows the same): {fingerprint_sha256}")?;
            if *reachable_from_lan {
                writeln!(
                    out,
                    "Devices on your network can reach {url} while this runs (listening on {listen}); \
                     it serves the CA's certificate, never its key."
                )?;
            }
            writeln!(out, "Scan this with the device's camera, or open {url}")?;
            if let Some(lines) = super::qr::lines(url, color::enabled(Stream::Stdout)) {
                for line in lines {
                    writeln!(out, "{line}")?;
                }
            }
            writeln!(out, "Check page (HTTPS, microphone API, wss://): {check_url}")?;
            let until = if *once { ", or until a device passes every check" } else { "" };
            writeln!(out, "Waiting for devices for {}{until}; Ctrl-C stops.", span(*timeout_seconds))?;
        }
        Event::Visit { peer, device, .. } => {
            writeln!(out, "{opened} {} ({peer}) opened the page", device.label())?;
        }
        Event::Download { peer, device, file, .. } => {
            writeln!(out, "{downloaded} {} ({peer}) downloaded {file}", device.label())?;
        }
        Event::Refused { peer, alert } => {
            writeln!(
                out,
                "{} {peer} refused the certificate ({}): that device does not trust the CA yet",
                mark(false),
                printable(alert)
            )?;
        }
        Event::Check { peer, device, findings, fixes, .. } => check(out, *peer, *device, *findings, fixes)?,
    }
    Ok(())
}

/// A device's check, one line with a mark per test, then a line per fix (also for `proxy`'s
/// built-in check page).
pub(super) fn check(
    out: &mut impl Write,
    peer: IpAddr,
    device: Device,
    findings: Findings,
    fixes: &[String],
) -> io::Result<()> {
    let paint = Paint::new(Stream::Stdout);
    let [ok, fail, ..] = marks();
    let mark = |passed: bool| if passed { paint.green(ok) } else { paint.red(fail) };
    let mut line =
        format!("{} {} ({peer}): {} https", mark(findings.passed()), device.label(), mark(findings.https));
    for (name, result) in [
        ("secure context", findings.secure_context),
        ("microphone/camera API", findings.media_devices),
        ("wss:// echo", findings.wss_echo),
    ] {
        if let Some(result) = result {
            let _ = write!(line, "  {} {name}", mark(result));
        }
    }
    writeln!(out, "{line}")?;
    for fix in fixes {
        writeln!(out, "    fix: {}", printable(fix))?;
    }
    Ok(())
}

/// `10 minutes`, `90 seconds`, `1 hour`.
fn span(seconds: u64) -> String {
    let whole = |n: u64, unit: &str| plural(usize::try_from(n).unwrap_or(usize::MAX), unit);
    match seconds {
        s if s % 3600 == 0 => whole(s / 3600, "hour"),
        s if s % 60 == 0 => whole(s / 60, "minute"),
        s => whole(s, "second"),
    }
}
