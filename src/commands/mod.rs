//! One module per subcommand: each turns parsed arguments into validated options, calls the
//! domain code, and hands a report to `render`.

pub mod ca;
pub mod generate;
pub mod inspect;

use anyhow::Result;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Gen(args) => generate::run(&args),
        Command::Ca(command) => ca::run(command),
        Command::Inspect(args) => inspect::run(&args),
    }
}
