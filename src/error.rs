//! Errors that know their exit status; `render::error` prints them.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the operation failed (unwritable directory, files already there, ...) |
//! | 2 | bad usage or bad input (bad name, bad IP, days out of range, unknown key type) |
//! | 3 | `trust --check`: trusted by some of the selected clients, not by others |
//! | 130 | cancelled at a prompt (Ctrl-C or Esc): nothing half-written, nothing trusted halfway |

use std::fmt;

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Partial = 3,
    Cancelled = 130,
}

/// An error that knows its exit status and, where one helps, a hint for the user.
#[derive(Debug)]
pub struct Error {
    status: ExitStatus,
    message: String,
    hint: Option<String>,
}

impl Error {
    /// Bad usage or bad input: exit status 2.
    pub fn input(message: impl Into<String>) -> Self {
        Self { status: ExitStatus::Usage, message: message.into(), hint: None }
    }

    /// The operation failed: exit status 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self { status: ExitStatus::Failure, message: message.into(), hint: None }
    }

    /// Done for some, not for others (`trust --check`): exit status 3.
    pub fn partial(message: impl Into<String>) -> Self {
        Self { status: ExitStatus::Partial, message: message.into(), hint: None }
    }

    /// The user cancelled at a prompt: exit status 130, as after Ctrl-C in a shell.
    pub fn cancelled(message: impl Into<String>) -> Self {
        Self { status: ExitStatus::Cancelled, message: message.into(), hint: None }
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn status(&self) -> ExitStatus {
        self.status
    }

    pub fn hint_text(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
