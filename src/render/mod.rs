//! Output: human text and JSON. Commands hand reports here; nothing else prints to stdout.

pub mod ca;
pub mod generate;
pub mod inspect;
pub mod progress;

use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;

/// One JSON document on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
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

/// A path as a shell user would type it: quoted when it holds characters a shell would split.
pub fn shell_path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c)) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
