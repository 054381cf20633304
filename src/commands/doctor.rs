//! `tlsforge doctor`: validate the options, load the context once, run every check, render,
//! and turn the verdict into the exit status.

use std::time::Duration;

use anyhow::Result;

use crate::cli::{DoctorArgs, DoctorFormat};
use crate::doctor::context::{Environment, Options};
use crate::doctor::{self, Context, Summary};
use crate::error::Error;
use crate::pki::ca::CaDir;
use crate::pki::connect::Target;
use crate::pki::names::SubjectName;
use crate::render;
use crate::report::doctor::DoctorReport;

pub fn run(args: &DoctorArgs) -> Result<()> {
    let hosts = args
        .hosts
        .iter()
        .map(|host| SubjectName::parse(host).map_err(|e| Error::input(format!("--host: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let connects = args
        .connects
        .iter()
        .map(|target| Target::parse(target).map_err(Error::input))
        .collect::<Result<Vec<_>, _>>()?;
    let options = Options {
        cert: args.cert.clone(),
        key: args.key.clone(),
        ca: args.ca.clone(),
        hosts,
        connects,
        min_days: args.min_days,
        timeout: Duration::from_secs(args.timeout),
        ca_dir: CaDir::resolve(args.ca_dir.path.clone())?,
    };
    let cx = Context::load(options, Environment::from_process());
    let checks = doctor::run(&cx);
    let report = DoctorReport { summary: Summary::of(&checks), checks };
    match args.format {
        DoctorFormat::Human => render::doctor::human(&report, render::doctor::Symbols::detect())?,
        DoctorFormat::Json => render::json(&report)?,
        DoctorFormat::Github => {
            // Annotations name files relative to the checked-out repository.
            let base = std::env::var_os("GITHUB_WORKSPACE")
                .map(std::path::PathBuf::from)
                .or_else(|| std::env::current_dir().ok());
            render::doctor::github(&report, base.as_deref())?;
        }
    }
    let summary = report.summary;
    if summary.fail > 0 {
        Err(Error::failed(format!("{} of {} checks failed", summary.fail, report.checks.len())).into())
    } else if args.strict && summary.warn > 0 {
        Err(Error::failed(format!("{} checks warned (--strict)", summary.warn)).into())
    } else {
        Ok(())
    }
}
