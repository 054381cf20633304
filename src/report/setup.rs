//! What `setup` found when it checked production certificates.

/// What the production check found, for the summary.
#[derive(Debug)]
pub(crate) struct ProductionSummary {
    pub subject: String,
    pub names: Vec<String>,
    pub not_after: String,
    pub days_left: i64,
}
