//! Spinners for slow steps, only where a person is watching.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner on stderr while the returned value lives; `None` when stderr is not a terminal.
pub(crate) fn spinner(message: &str) -> Option<Spinner> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    // No `{spinner:.green}`-style keys: the spinner never colours, whatever `--color` says.
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(crate::text::printable(message).into_owned());
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(Spinner(bar))
}

/// Clears itself when dropped.
#[derive(Debug)]
pub(crate) struct Spinner(ProgressBar);

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
