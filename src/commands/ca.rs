//! `tlsforge ca init|show|path`: the local certificate authority.

use anyhow::Result;

use crate::cli::{CaCommand, CaInitArgs, Format};
use crate::error::Error;
use crate::pki::ca::{self, CaDir, CaOptions, Permit};
use crate::render;
use crate::report::ca::CaReport;

pub fn run(command: CaCommand) -> Result<()> {
    match command {
        CaCommand::Init(args) => {
            let report = init(&args)?;
            render_report(&report, args.format.format)
        }
        CaCommand::Show(args) => {
            let dir = CaDir::resolve(args.ca_dir.path)?;
            let ca = dir.load()?.ok_or_else(|| no_ca(&dir))?;
            render_report(&CaReport::new(&ca, false), args.format.format)
        }
        CaCommand::Path(args) => {
            let dir = CaDir::resolve(args.ca_dir.path)?;
            render::line(&dir.path().display().to_string())
        }
    }
}

fn render_report(report: &CaReport, format: Format) -> Result<()> {
    match format {
        Format::Human => render::ca::human(report),
        Format::Json => render::json(report),
    }
}

fn no_ca(dir: &CaDir) -> anyhow::Error {
    Error::failed(format!("no local CA in {}", dir.path().display()))
        .hint("`tlsforge ca init` creates one (so does `tlsforge gen --ca`)")
        .into()
}

fn init(args: &CaInitArgs) -> Result<CaReport> {
    let permits = if args.unconstrained {
        None
    } else {
        let mut permits = ca::default_permits();
        for input in &args.permits {
            let permit = Permit::parse(input)?;
            if !permits.contains(&permit) {
                permits.push(permit);
            }
        }
        Some(permits)
    };
    let dir = CaDir::resolve(args.ca_dir.path.clone())?;
    if let Some(warning) = dir.sudo_warning(args.ca_dir.path.is_some()) {
        render::warning(&warning);
    }
    let existed = dir.cert_path().exists();
    if existed && !args.force {
        return Err(Error::failed(format!("a local CA already exists in {}", dir.path().display()))
            .hint("pass --force to replace it; certificates it issued will stop verifying")
            .into());
    }
    let ca = dir.create(&CaOptions { permits, key: args.key }, args.force)?;
    Ok(CaReport::new(&ca, existed))
}
