//! The one place an error becomes the line a user reads: `error:` and, where one helps, `hint:`.

use std::io::{self, Write};

use super::color::Label;
use crate::error::{Error, ExitStatus};

/// Print `err` on stderr (one line, plus a hint line when there is one) and return its status.
///
/// A closed stdout (`tlsforge ... | head`) is not an error worth a message: exit quietly with 0.
pub(crate) fn report(err: &anyhow::Error) -> ExitStatus {
    if err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
    {
        return ExitStatus::Success;
    }
    let typed = err.chain().find_map(|cause| cause.downcast_ref::<Error>());
    let status = typed.map_or(ExitStatus::Failure, Error::status);
    let mut stderr = io::stderr().lock();
    // Newlines inside a message would break the one-line promise; fold them.
    let line = format!("{err:#}").replace(['\n', '\r'], " ");
    let _ = writeln!(stderr, "{} {line}", Label::Error);
    if let Some(hint) = typed.and_then(Error::hint_text) {
        let _ = writeln!(stderr, "{} {hint}", Label::Hint);
    }
    status
}
