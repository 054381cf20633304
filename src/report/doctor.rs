//! What `doctor` found (README documents the JSON; keep it stable).

use serde::Serialize;

use crate::doctor::{Finding, Summary};

/// What `--format json` prints (README documents it; keep it stable).
#[derive(Debug, Serialize)]
pub(crate) struct DoctorReport {
    pub checks: Vec<Finding>,
    pub summary: Summary,
}
