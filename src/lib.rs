//! tlsforge: certificates, trust and configuration for local and self-hosted HTTPS/WSS.
//!
//! Data flows one way: [`cli`] → [`commands`] → domain ([`pki`]) → a report → [`render`].
//! Domain modules never read argv and never print.

pub mod cli;
pub mod commands;
pub mod doctor;
pub mod env;
pub mod error;
pub mod fsutil;
pub mod pki;
pub mod render;
pub mod trust;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use error::{Error, ExitStatus};

/// Parse `args`, run the subcommand, print any error once, and map it to an exit status.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { ExitStatus::Usage as u8 } else { 0 });
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => ExitCode::from(error::report(&err) as u8),
    }
}
