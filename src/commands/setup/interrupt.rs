//! Ctrl-C during `setup`: at a prompt, or between prompts, it cancels at once; during a step
//! that writes files or changes trust stores, the step finishes whole and setup stops after it.
//!
//! At a prompt the terminal is in raw mode and Ctrl-C reaches dialoguer as a key. Anywhere else
//! the terminal turns it into SIGINT — also in the instant after one prompt ends and before the
//! next starts reading, when a flag alone would be seen only after the next prompt, which then
//! waits for a key nobody sends. So the handler itself ends the process when no step runs.
//! A step begins under the same lock the handler decides under, so the two cannot interleave.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use dialoguer::console::Term;

use crate::error::ExitStatus;
use crate::render::color::Label;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static STATE: Mutex<State> = Mutex::new(State { in_step: false, done: Vec::new() });

struct State {
    in_step: bool,
    /// What setup has done so far, for the message when it is cancelled.
    done: Vec<String>,
}

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Handle SIGINT from now on (interactive setup only).
pub(super) fn install() {
    #[cfg(unix)]
    terminal::save();
    let _ = ctrlc::set_handler(on_sigint);
}

fn on_sigint() {
    let state = state();
    INTERRUPTED.store(true, Ordering::SeqCst);
    if state.in_step {
        return;
    }
    // Raw mode may have begun since the signal: give the terminal back as it was.
    #[cfg(unix)]
    terminal::restore();
    let term = Term::stderr();
    let _ = term.show_cursor();
    let _ = term.write_line("");
    let _ = writeln!(std::io::stderr(), "{} {}", Label::Error, crate::text::printable(&message(&state.done)));
    // Exits holding the lock: a step cannot begin any more.
    std::process::exit(ExitStatus::Cancelled as i32);
}

/// Whether Ctrl-C arrived (as SIGINT) since setup started.
pub(super) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The cancellation message for what was done so far, when this thread reports the
/// cancellation (Esc, or Ctrl-C seen by the prompt): the handler stays silent from now on, so
/// the user reads one `error:` line whichever thread saw the signal.
pub(super) fn cancelled_message() -> String {
    let state = state();
    let text = message(&state.done);
    // Held until the process exits: a handler that runs now waits instead of printing.
    std::mem::forget(state);
    text
}

fn message(done: &[String]) -> String {
    if done.is_empty() {
        "setup cancelled: nothing was written or trusted".to_owned()
    } else {
        format!("setup cancelled after it {}; nothing else was done", done.join(", "))
    }
}

/// A step that must not stop halfway; `None` when Ctrl-C came first (cancel instead).
pub(super) fn begin_step() -> Option<Step> {
    let mut state = state();
    if interrupted() {
        return None;
    }
    state.in_step = true;
    Some(Step)
}

/// Held while a step runs; record what it did with [`Step::done`].
pub(super) struct Step;

impl Step {
    #[expect(clippy::unused_self, reason = "only a step in progress records what it did")]
    pub(super) fn done(&self, what: String) {
        state().done.push(what);
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        state().in_step = false;
    }
}

#[cfg(unix)]
mod terminal {
    use std::sync::OnceLock;

    use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};

    static SAVED: OnceLock<Termios> = OnceLock::new();

    pub(super) fn save() {
        if let Ok(termios) = tcgetattr(std::io::stdin()) {
            let _ = SAVED.set(termios);
        }
    }

    pub(super) fn restore() {
        if let Some(termios) = SAVED.get() {
            let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, termios);
        }
    }
}
