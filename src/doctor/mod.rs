//! `tlsforge doctor`: every known HTTPS/WSS setup failure, one small check each, with a fix.
//!
//! [`context::Context`] loads what the checks look at once (files, the certificate, the key,
//! the issuer, the environment); each check in [`checks`] turns it into [`Finding`]s. A check is
//! one file with a stable id; [`checks::REGISTRY`] lists them in the order they run.

pub(crate) mod checks;
pub(crate) mod context;

use std::path::PathBuf;

use serde::Serialize;

pub(crate) use self::context::Context;

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    Warn,
    Fail,
}

/// One line of the report: a check's verdict, why, and what to run when it is not ok.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Finding {
    pub id: &'static str,
    pub status: Status,
    pub message: String,
    /// A command to run (or a short instruction); `None` when the check passed.
    pub fix: Option<String>,
    /// The file the finding is about, for CI annotations (not part of the JSON report).
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl Finding {
    pub(crate) fn ok(id: &'static str, message: impl Into<String>) -> Self {
        Self { id, status: Status::Ok, message: message.into(), fix: None, file: None }
    }

    pub(crate) fn warn(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { id, status: Status::Warn, message: message.into(), fix: Some(fix.into()), file: None }
    }

    pub(crate) fn fail(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { id, status: Status::Fail, message: message.into(), fix: Some(fix.into()), file: None }
    }

    #[must_use]
    pub(crate) fn about(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }
}

/// How many findings of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    pub ok: usize,
    pub warn: usize,
    pub fail: usize,
}

impl Summary {
    pub(crate) fn of(findings: &[Finding]) -> Self {
        let mut summary = Self::default();
        for finding in findings {
            match finding.status {
                Status::Ok => summary.ok += 1,
                Status::Warn => summary.warn += 1,
                Status::Fail => summary.fail += 1,
            }
        }
        summary
    }
}

/// Run every registered check, in order.
pub(crate) fn run(cx: &Context) -> Vec<Finding> {
    checks::REGISTRY.iter().flat_map(|check| (check.run)(cx)).collect()
}
