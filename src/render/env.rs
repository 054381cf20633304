//! Output of `env` and `snippet`. Stdout carries the snippet and nothing else, so that
//! `eval "$(tlsforge env)"` and `| source` work; hints go to stderr, and only when a person is
//! reading (stdout is a terminal). The snippet is shell code, quoted for the shell, and printed
//! as it is; messages around it are [`printable`].

use std::io::{self, IsTerminal, Write};

use anyhow::Result;

use super::color::Label;
use crate::report::env::{BundleReport, EnvReport, WriteReport};
use crate::text::{printable, printable_path};

pub(crate) fn snippet(report: &EnvReport) -> Result<()> {
    let hints: Vec<String> =
        report.load_hint.iter().cloned().chain(report.bundle.as_ref().map(bundle_line)).collect();
    print(&report.snippet, &hints)
}

/// A snippet from `tlsforge snippet`, with an optional hint for a person.
pub(crate) fn text(snippet: &str, hint: Option<&str>) -> Result<()> {
    let hints: Vec<String> = hint.iter().map(|h| (*h).to_owned()).collect();
    print(snippet, &hints)
}

fn print(snippet: &str, hints: &[String]) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(snippet.as_bytes())?;
    out.flush()?;
    if out.is_terminal() {
        let mut err = io::stderr().lock();
        for hint in hints {
            let _ = writeln!(err, "{} {}", Label::Hint, printable(hint));
        }
    }
    Ok(())
}

pub(crate) fn written(report: &WriteReport) -> Result<()> {
    let mut out = io::stdout().lock();
    let path = printable_path(&report.path);
    if report.replaced.is_empty() && report.added.is_empty() {
        writeln!(out, "{path}: nothing to set")?;
    } else if report.created {
        writeln!(out, "Created {path} with {}", report.added.join(", "))?;
    } else {
        let mut parts = Vec::new();
        if !report.replaced.is_empty() {
            parts.push(format!("set {}", report.replaced.join(", ")));
        }
        if !report.added.is_empty() {
            parts.push(format!("added {}", report.added.join(", ")));
        }
        writeln!(out, "Updated {path}: {}; every other line kept", parts.join("; "))?;
    }
    if let Some(bundle) = &report.bundle {
        writeln!(out, "{}", bundle_line(bundle))?;
    }
    out.flush()?;
    Ok(())
}

fn bundle_line(bundle: &BundleReport) -> String {
    let verb = if bundle.written { "wrote" } else { "up to date:" };
    format!(
        "{verb} {} ({} system roots from {} plus {})",
        printable_path(&bundle.path),
        bundle.system_count,
        printable_path(&bundle.system_path),
        printable(&bundle.added)
    )
}
