//! The one place an error becomes the line a user reads: `error:` and, where one helps, `hint:`.

use std::io::{self, Write};

use super::color::Label;
use crate::error::{Error, ExitStatus};
use crate::text::printable;

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
    // One line whatever the message holds: file names and tools' output in it are escaped,
    // line breaks and terminal escapes included.
    let line = format!("{err:#}");
    let _ = writeln!(stderr, "{} {}", Label::Error, printable(line.trim_end()));
    if let Some(hint) = typed.and_then(Error::hint_text) {
        let _ = writeln!(stderr, "{} {}", Label::Hint, printable(hint));
    }
    status
}
