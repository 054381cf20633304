//! `tlsforge doctor`: validate the options, load the context once, run every check, and turn
//! the verdict into the exit status.

use std::time::Duration;

use anyhow::Result;

use crate::cli::DoctorArgs;
use crate::doctor::context::Environment;
pub(crate) use crate::doctor::context::Options;
use crate::doctor::{self, Context, Summary};
use crate::error::Error;
use crate::host::Host;
use crate::net::connect::Target;
use crate::pki::names::SubjectName;
use crate::report::doctor::DoctorReport;

impl Options {
    pub(crate) fn from_args(args: &DoctorArgs, host: &Host) -> Result<Self> {
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
        Ok(Self {
            cert: args.cert.clone(),
            key: args.key.clone(),
            ca: args.ca.clone(),
            hosts,
            connects,
            min_days: args.min_days,
            timeout: Duration::from_secs(args.timeout),
            ca_dir: super::ca::dir(args.ca_dir.path.clone(), host)?,
        })
    }
}

/// Every check, in order.
pub(crate) fn execute(options: &Options, host: &Host) -> DoctorReport {
    let env = Environment {
        ssl_cert_path: host.service.ssl_cert_path.clone(),
        ssl_key_path: host.service.ssl_key_path.clone(),
        enable_ssl: host.service.enable_ssl.clone(),
        cwd: host.cwd.clone(),
        machine: host.machine.clone(),
        now: host.now,
        lan: crate::net::interfaces::lan_addresses().into_iter().map(|a| (a.ip, a.interface)).collect(),
    };
    let cx = Context::load(options.clone(), env);
    let checks = doctor::run(&cx);
    DoctorReport { summary: Summary::of(&checks), checks }
}

/// Exit status 1 when a check failed (or, with `--strict`, warned).
pub(crate) fn outcome(report: &DoctorReport, strict: bool) -> Result<()> {
    let summary = report.summary;
    if summary.fail > 0 {
        Err(Error::failed(format!("{} of {} checks failed", summary.fail, report.checks.len())).into())
    } else if strict && summary.warn > 0 {
        Err(Error::failed(format!("{} checks warned (--strict)", summary.warn)).into())
    } else {
        Ok(())
    }
}
