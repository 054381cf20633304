//! Output: human text and JSON. Commands hand reports here; nothing else prints to stdout.

pub(crate) mod ca;
pub(crate) mod color;
pub(crate) mod doctor;
pub(crate) mod env;
pub(crate) mod error;
pub(crate) mod export;
pub(crate) mod generate;
pub(crate) mod inspect;
pub(crate) mod list;
pub(crate) mod progress;
pub(crate) mod proxy;
pub(crate) mod qr;
pub(crate) mod renew;
pub(crate) mod setup;
pub(crate) mod share;
pub(crate) mod trust;

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use serde::Serialize;

use crate::text::printable;

/// How a report is written: for people, or as one JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// One JSON document on stdout.
pub(crate) fn json<T: Serialize>(value: &T) -> Result<()> {
    // Stdout is line-buffered: without a buffer of our own, pretty JSON costs a write per line.
    let mut out = io::BufWriter::new(io::stdout().lock());
    // As an io::Error, a closed pipe (`... --format json | head`) is recognised as such by
    // error::report and exits quietly instead of printing a serde_json error.
    serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// One JSON object on a line of its own (the event streams of `share` and `proxy`), with
/// `"event": EVENT` added when given.
pub(crate) fn json_line<T: Serialize>(value: &T, event: Option<&str>) -> Result<()> {
    let mut value = serde_json::to_value(value)?;
    if let (Some(event), Some(object)) = (event, value.as_object_mut()) {
        object.insert("event".to_owned(), event.into());
    }
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &value).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// One plain line on stdout (a path, say: escaped as [`printable`]).
pub(crate) fn line(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", printable(text))?;
    out.flush()?;
    Ok(())
}

/// Refuse to write `what` (binary, or a file format nobody reads on screen) to a terminal, before
/// anything is done.
pub(crate) fn refuse_terminal(what: &str) -> Result<()> {
    if io::stdout().is_terminal() {
        return Err(crate::error::Error::input(format!("refusing to write {what} to a terminal"))
            .hint("pass --out FILE, or redirect stdout to a file")
            .into());
    }
    Ok(())
}

/// A warning on stderr: something worked but deserves attention.
pub(crate) fn warning(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{} {}", color::Label::Warning, printable(text));
}

/// `warning:` lines on stderr, said before anything changes.
pub(crate) fn warnings(texts: &[String]) {
    for text in texts {
        warning(text);
    }
}
