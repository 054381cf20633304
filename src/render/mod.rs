//! Output: human text and JSON. Commands hand reports here; nothing else prints to stdout.

pub mod ca;
pub mod color;
pub mod doctor;
pub mod env;
pub mod error;
pub mod generate;
pub mod inspect;
pub mod progress;
pub mod setup;
pub mod trust;

use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;

/// How a report is written: for people, or as one JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// One JSON document on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    // Stdout is line-buffered: without a buffer of our own, pretty JSON costs a write per line.
    let mut out = io::BufWriter::new(io::stdout().lock());
    // As an io::Error, a closed pipe (`... --format json | head`) is recognised as such by
    // error::report and exits quietly instead of printing a serde_json error.
    serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// One plain line on stdout.
pub fn line(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// A warning on stderr: something worked but deserves attention.
pub fn warning(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{} {text}", color::Label::Warning);
}

/// `warning:` lines on stderr, said before anything changes.
pub fn warnings(texts: &[String]) {
    for text in texts {
        warning(text);
    }
}
