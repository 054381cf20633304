//! `tlsforge completions SHELL`: completion scripts generated from the clap definition.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(&script(args.shell))?;
    out.flush()?;
    Ok(())
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tlsforge", &mut buf);
    buf
}

/// The committed file name of each shell's script under `completions/`.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "tlsforge.bash",
        Shell::Zsh => "_tlsforge",
        Shell::Fish => "tlsforge.fish",
        Shell::PowerShell => "_tlsforge.ps1",
        Shell::Elvish => "tlsforge.elv",
        _ => "tlsforge.completion",
    }
}
