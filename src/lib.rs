//! tlsforge: certificates, trust and configuration for local and self-hosted HTTPS/WSS.
//!
//! Layers, top to bottom; a module imports only from the layers below it:
//!
//! - [`cli`]: the clap definitions, nothing else;
//! - `host`: the environment (variables, working directory, host name, clock), read once;
//! - [`commands`]: one service per subcommand, `execute(&Options, &Host) -> Report`, and
//!   `commands::run`, the one place that renders;
//! - domain: [`pki`] makes and reads certificates and keys; `trust` touches trust stores
//!   (plans run by one runner); [`net`] opens every socket and drives every client; `doctor`
//!   runs one check per file; `config` writes what services load (env snippets, `.env`, CA
//!   bundles, nginx and compose snippets); `inventory` records every certificate tlsforge
//!   wrote (`list`, `renew`); `schedule` plans the daily `renew` job for the platform's
//!   scheduler (run by trust's runner);
//! - `report`: what each command did, as data;
//! - `render`: human text and JSON on stdout, colour, errors on stderr;
//! - bottom: `text` (quoting, plurals), `fsutil` (atomic writes), `input` (bounded reads of
//!   regular files only), `process` (child processes with a deadline and bounded output),
//!   `error` (exit statuses).
//!
//! Beside the layers, [`fuzzing`] holds the properties the fuzz targets check; only the fuzz
//! targets and the tests that replay their corpora call it.

// Private by default. What the integration tests, the fuzz targets and the man-page and
// completion generators reach is the small `#[doc(hidden)]` surface of `cli`, `commands`,
// `fuzzing`, `net` and `pki`, each of which opens only the modules named there.
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod commands;
mod config;
mod doctor;
mod error;
mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
mod host;
mod input;
mod inventory;
#[doc(hidden)]
pub mod net;
#[doc(hidden)]
pub mod pki;
mod process;
mod render;
mod report;
mod schedule;
mod text;
mod trust;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, ValueEnum};

pub use error::{Error, ExitStatus};

/// Parse `args`, run the subcommand, print any error once, and map it to an exit status.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { ExitStatus::Usage as u8 } else { 0 });
        }
    };
    let host = host::Host::from_process();
    render::color::set(cli.color, host.terminal);
    match commands::run(cli, &host) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => ExitCode::from(render::error::report(&err) as u8),
    }
}

/// clap's own help and errors must follow `--color` too, and they are written while parsing:
/// so the flag is picked out of the raw arguments first, and the command built with it.
fn parse(args: &[OsString]) -> Result<cli::Cli, clap::Error> {
    let mut command = cli::Cli::command().color(match color_in_args(args) {
        Some(cli::ColorWhen::Always) => clap::ColorChoice::Always,
        Some(cli::ColorWhen::Never) => clap::ColorChoice::Never,
        // clap's auto honours NO_COLOR and CLICOLOR_FORCE; a bad value gets clap's usual error.
        Some(cli::ColorWhen::Auto) | None => clap::ColorChoice::Auto,
    });
    let mut matches = command.try_get_matches_from_mut(args)?;
    cli::Cli::from_arg_matches_mut(&mut matches).map_err(|err| err.format(&mut command))
}

/// The last `--color WHEN` / `--color=WHEN` before a `--`, if its value is a valid one.
fn color_in_args(args: &[OsString]) -> Option<cli::ColorWhen> {
    let mut found = None;
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word {
            Some("--") => break,
            Some("--color") => words.next().flatten(),
            Some(word) => word.strip_prefix("--color="),
            None => None,
        };
        if let Some(value) = value {
            found = cli::ColorWhen::from_str(value, false).ok();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use cli::ColorWhen;

    fn scan(line: &str) -> Option<ColorWhen> {
        let args: Vec<OsString> = line.split_whitespace().map(OsString::from).collect();
        color_in_args(&args)
    }

    #[test]
    fn color_is_found_before_clap_parses() {
        assert_eq!(scan("tlsforge inspect x"), None);
        assert_eq!(scan("tlsforge --color never inspect x"), Some(ColorWhen::Never));
        assert_eq!(scan("tlsforge inspect x --color=always"), Some(ColorWhen::Always));
        assert_eq!(scan("tlsforge --color never inspect --color always x"), Some(ColorWhen::Always));
        assert_eq!(scan("tlsforge inspect -- --color always"), None);
        assert_eq!(scan("tlsforge --color bogus inspect"), None);
        assert_eq!(scan("tlsforge --color"), None);
    }

    #[test]
    fn the_color_flag_parses_anywhere() {
        let parse_line = |line: &str| parse(&line.split_whitespace().map(OsString::from).collect::<Vec<_>>());
        assert_eq!(parse_line("tlsforge inspect x --color never").unwrap().color, ColorWhen::Never);
        assert_eq!(parse_line("tlsforge --color always inspect x").unwrap().color, ColorWhen::Always);
        assert_eq!(parse_line("tlsforge inspect x").unwrap().color, ColorWhen::Auto);
        let err = parse_line("tlsforge --color bogus inspect x").unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
