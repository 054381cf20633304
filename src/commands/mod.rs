//! One module per subcommand: each turns parsed arguments into validated options, calls the
//! domain code, and hands a report to `render`.

pub mod ca;
pub mod completions;
pub mod doctor;
pub mod env;
pub mod generate;
pub mod inspect;
pub mod man;
pub mod setup;
pub mod snippet;
pub mod trust;

use anyhow::Result;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Gen(args) => generate::run(&args),
        Command::Ca(command) => ca::run(command),
        Command::Inspect(args) => inspect::run(&args),
        Command::Trust(args) => trust::run_trust(&args),
        Command::Untrust(args) => trust::run_untrust(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Env(args) => env::run(&args),
        Command::Snippet(command) => snippet::run(&command),
        Command::Setup(args) => setup::run(&args),
    }
}
