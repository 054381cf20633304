//! Whether to colour, decided in one place for the whole process: `--color` first, then (for
//! `auto`) `NO_COLOR` (no-color.org), `CLICOLOR_FORCE` / `CLICOLOR` (bixense.com/clicolors), and
//! whether the stream in question is a terminal. Everything that colours asks here.

use std::fmt;
use std::io::{self, IsTerminal};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// `--color`: `always` wins over `NO_COLOR`, as a flag should; `auto` follows the terminal and
/// the `NO_COLOR` / `CLICOLOR_FORCE` conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The choice from the command line; `auto` until [`set`] is called.
static CHOICE: AtomicU8 = AtomicU8::new(ColorWhen::Auto as u8);
/// What the environment says, from [`set`]; nothing (no colour conventions) until then.
static TERMINAL: OnceLock<Terminal> = OnceLock::new();

/// Where the coloured text goes: the answer differs when only one of them is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Record `--color` and the terminal conventions for the process, and hand the same decision
/// to the terminal crates (dialoguer's prompts, indicatif's spinner), which would otherwise
/// decide for themselves.
pub(crate) fn set(choice: ColorWhen, terminal: Terminal) {
    CHOICE.store(choice as u8, Ordering::Relaxed);
    let _ = TERMINAL.set(terminal);
    dialoguer::console::set_colors_enabled(enabled(Stream::Stdout));
    dialoguer::console::set_colors_enabled_stderr(enabled(Stream::Stderr));
}

fn choice() -> ColorWhen {
    match CHOICE.load(Ordering::Relaxed) {
        n if n == ColorWhen::Always as u8 => ColorWhen::Always,
        n if n == ColorWhen::Never as u8 => ColorWhen::Never,
        _ => ColorWhen::Auto,
    }
}

/// Colour on `stream`?
pub(crate) fn enabled(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => io::stdout().is_terminal(),
        Stream::Stderr => io::stderr().is_terminal(),
    };
    decide(choice(), TERMINAL.get().copied().unwrap_or_default(), terminal)
}

/// Whether the marks `doctor` prints may be Unicode: not under `NO_COLOR`, and only in a UTF-8
/// locale.
pub(crate) fn unicode() -> bool {
    TERMINAL.get().is_some_and(|t| t.utf8 && !t.no_color)
}

/// The variables that steer `auto` (read once, into the `Host`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools, reason = "four independent facts the environment states")]
pub struct Terminal {
    /// `NO_COLOR` set and not empty.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set, not empty and not `0`.
    pub force: bool,
    /// `CLICOLOR=0`, or `TERM=dumb` (a terminal that shows escapes as garbage): no colour even
    /// on a terminal.
    pub declines: bool,
    /// The locale (`LC_ALL`, `LC_CTYPE`, `LANG`) is UTF-8.
    pub utf8: bool,
}

/// A flag beats the environment; under `auto`, `NO_COLOR` beats `CLICOLOR_FORCE`, which beats the
/// terminal test.
fn decide(choice: ColorWhen, env: Terminal, terminal: bool) -> bool {
    match choice {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !env.no_color && (env.force || (terminal && !env.declines)),
    }
}

/// Colours for one stream, or plain text when that stream takes none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paint {
    on: bool,
}

impl Paint {
    pub(crate) fn new(stream: Stream) -> Self {
        Self { on: enabled(stream) }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    pub(crate) fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }

    pub(crate) fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }

    pub(crate) fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
}

/// The prefix of a line on stderr: `error:` in bold red, `warning:` in bold yellow, `hint:` in
/// bold green (as clap's `tip:`), when stderr takes colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Error,
    Warning,
    Hint,
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (code, text) = match self {
            Self::Error => ("1;31", "error:"),
            Self::Warning => ("1;33", "warning:"),
            Self::Hint => ("1;32", "hint:"),
        };
        f.write_str(&Paint::new(Stream::Stderr).wrap(code, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_environment_and_auto_follows_the_conventions() {
        let plain = Terminal::default();
        let no_color = Terminal { no_color: true, ..plain };
        let force = Terminal { force: true, ..plain };
        let both = Terminal { no_color: true, force: true, ..plain };
        let declines = Terminal { declines: true, ..plain };
        // (choice, environment, terminal) → colour
        let table = [
            (ColorWhen::Always, plain, false, true),
            (ColorWhen::Always, no_color, false, true),
            (ColorWhen::Always, both, true, true),
            (ColorWhen::Never, plain, true, false),
            (ColorWhen::Never, force, true, false),
            (ColorWhen::Never, force, false, false),
            (ColorWhen::Auto, plain, true, true),
            (ColorWhen::Auto, plain, false, false),
            (ColorWhen::Auto, no_color, true, false),
            (ColorWhen::Auto, force, false, true),
            (ColorWhen::Auto, force, true, true),
            (ColorWhen::Auto, both, false, false),
            (ColorWhen::Auto, both, true, false),
            (ColorWhen::Auto, declines, true, false),
            (ColorWhen::Auto, Terminal { declines: true, force: true, ..plain }, true, true),
            (ColorWhen::Always, declines, false, true),
        ];
        for (choice, env, terminal, expected) in table {
            assert_eq!(decide(choice, env, terminal), expected, "{choice:?} {env:?} terminal={terminal}");
        }
    }

    #[test]
    fn paint_leaves_text_alone_when_off() {
        assert_eq!(Paint { on: false }.red("x"), "x");
        assert_eq!(Paint { on: true }.green("ok"), "\x1b[32mok\x1b[0m");
    }
}
