//! `doctor` output: one line per check with its fix (marks coloured when stdout takes colour),
//! or GitHub Actions workflow commands (never coloured: GitHub parses them).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use super::color::{Paint, Stream};
use crate::doctor::{Finding, Status, Summary};
use crate::report::doctor::DoctorReport;
use crate::text::{printable, printable_path};

/// The marks in front of each line: ✓ ⚠ ✗, or ASCII where those may not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Symbols {
    Unicode,
    Ascii,
}

impl Symbols {
    /// ASCII under `NO_COLOR` or when the locale is not UTF-8.
    pub(crate) fn detect() -> Self {
        if super::color::unicode() { Self::Unicode } else { Self::Ascii }
    }

    fn mark(self, status: Status) -> &'static str {
        match (self, status) {
            (Self::Unicode, Status::Ok) => "✓",
            (Self::Unicode, Status::Warn) => "⚠",
            (Self::Unicode, Status::Fail) => "✗",
            (Self::Ascii, Status::Ok) => "[ok]  ",
            (Self::Ascii, Status::Warn) => "[warn]",
            (Self::Ascii, Status::Fail) => "[FAIL]",
        }
    }
}

pub(crate) fn human(report: &DoctorReport, symbols: Symbols) -> Result<()> {
    let paint = Paint::new(Stream::Stdout);
    let mut text = String::new();
    for finding in &report.checks {
        let mark = symbols.mark(finding.status);
        let mark = match finding.status {
            Status::Ok => paint.green(mark),
            Status::Warn => paint.yellow(mark),
            Status::Fail => paint.red(mark),
        };
        // Messages and fixes carry subjects and paths: escaped whole, the mark's colour kept.
        let _ = writeln!(text, "{mark} {}: {}", finding.id, printable(&finding.message));
        if let Some(fix) = &finding.fix {
            let _ = writeln!(text, "    fix: {}", printable(fix));
        }
    }
    let _ = writeln!(text, "{}", summary_line(report.summary));
    write_out(&text)
}

/// `::error file=...,title=...::message` for failures, `::warning` for warnings, plain lines
/// (`ok ...`) for the rest; GitHub turns the commands into annotations on the run. Every line is
/// escaped as workflow commands require, after [`printable`]: no subject or file name can end a
/// line early, start a command of its own or send terminal escapes to the log.
/// File paths are made relative to `base` (the workspace), as annotations expect.
pub(crate) fn github(report: &DoctorReport, base: Option<&Path>) -> Result<()> {
    let mut text = String::new();
    for finding in &report.checks {
        let _ = writeln!(text, "{}", github_line(finding, base));
    }
    let _ = writeln!(text, "{}", summary_line(report.summary));
    write_out(&text)
}

fn github_line(finding: &Finding, base: Option<&Path>) -> String {
    let command = match finding.status {
        // Plain text, never a command: it starts with `ok`, holds no line break, and the runner's
        // older `##[command]` syntax, which it finds anywhere in a line, is broken up.
        Status::Ok => {
            let message = escape_data(&printable(&finding.message)).replace("##[", "#%23[");
            return format!("ok {}: {message}", finding.id);
        }
        Status::Warn => "warning",
        Status::Fail => "error",
    };
    let mut properties = Vec::new();
    if let Some(file) = &finding.file {
        let file = base.and_then(|base| file.strip_prefix(base).ok()).unwrap_or(file);
        properties.push(format!("file={}", escape_property(&printable_path(file))));
    }
    properties.push(format!("title={}", escape_property(&format!("tlsforge doctor: {}", finding.id))));
    let mut message = printable(&finding.message).into_owned();
    if let Some(fix) = &finding.fix {
        let _ = write!(message, "\nfix: {}", printable(fix));
    }
    format!("::{command} {}::{}", properties.join(","), escape_data(&message))
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow command properties: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn summary_line(summary: Summary) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(summary.ok, "ok", "ok"),
        plural(summary.warn, "warning", "warnings"),
        plural(summary.fail, "failed", "failed")
    )
}

fn write_out(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_github_requires() {
        let finding = Finding::fail("hosts", "50% of a, b: c", "tlsforge gen x").about("/w/a,b:c.crt");
        assert_eq!(
            github_line(&finding, Some(Path::new("/x"))),
            "::error file=/w/a%2Cb%3Ac.crt,title=tlsforge doctor%3A hosts::50%25 of a, b: c%0Afix: tlsforge gen x"
        );
        assert_eq!(github_line(&Finding::ok("san", "fine"), None), "ok san: fine");
        assert_eq!(
            github_line(&Finding::ok("san", "100% x\n::error::forged ##[add-mask]y\x1b[31m"), None),
            r"ok san: 100%25 x\n::error::forged #%23[add-mask]y\x1b[31m"
        );
        let hostile = Finding::fail("subject", "CN=a\r\n::add-mask::x %0A", "gen \u{202e}")
            .about("/w/a\n::error::b,c.crt");
        assert_eq!(
            github_line(&hostile, Some(Path::new("/w"))),
            r"::error file=a\n%3A%3Aerror%3A%3Ab%2Cc.crt,title=tlsforge doctor%3A subject::CN=a\r\n::add-mask::x %250A%0Afix: gen \u{202e}"
        );
        let inside = Finding::warn("validity", "soon", "gen").about("/x/ssl/server.crt");
        assert!(github_line(&inside, Some(Path::new("/x"))).starts_with("::warning file=ssl/server.crt,"));
    }

    #[test]
    fn summaries_count() {
        assert_eq!(summary_line(Summary { ok: 3, warn: 1, fail: 0 }), "3 ok, 1 warning, 0 failed");
    }
}
