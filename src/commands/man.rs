//! `tlsforge man [SUBCOMMAND]`: roff man pages generated from the clap definition.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::error::Error;

pub fn run(args: &ManArgs) -> Result<()> {
    let page = page(args.subcommand.as_deref())?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}

/// The top-level subcommands that get a page of their own (`tlsforge-NAME.1`).
pub fn subcommands() -> Vec<String> {
    Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect()
}

/// The man page of tlsforge, or of one subcommand.
pub fn page(subcommand: Option<&str>) -> Result<Vec<u8>> {
    let mut root = Cli::command();
    root.build();
    let command = match subcommand {
        None => root,
        Some(name) => {
            let sub = root.find_subcommand(name).ok_or_else(|| {
                Error::input(format!("no subcommand {name:?}"))
                    .hint(format!("one of: {}", subcommands().join(", ")))
            })?;
            // The page's title and synopsis name the whole command line, e.g. `tlsforge-gen`.
            sub.clone().name(format!("tlsforge-{name}")).bin_name(format!("tlsforge {name}"))
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(command).render(&mut buf)?;
    Ok(buf)
}

/// The committed file name of a page under `man/`.
pub fn file_name(subcommand: Option<&str>) -> String {
    subcommand.map_or_else(|| "tlsforge.1".to_owned(), |name| format!("tlsforge-{name}.1"))
}
