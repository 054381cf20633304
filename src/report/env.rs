//! What `env` printed or wrote.

use std::path::PathBuf;

/// What `env` printed, for the renderer.
#[derive(Debug)]
pub(crate) struct EnvReport {
    pub snippet: String,
    /// The command that loads the snippet, for a hint on a terminal.
    pub load_hint: Option<String>,
    pub bundle: Option<BundleReport>,
}

/// What `env --write FILE` did.
#[derive(Debug)]
pub(crate) struct WriteReport {
    pub path: PathBuf,
    pub created: bool,
    pub replaced: Vec<String>,
    pub added: Vec<String>,
    pub bundle: Option<BundleReport>,
}

/// The combined bundle `--client-trust` wrote.
#[derive(Debug)]
pub(crate) struct BundleReport {
    pub path: PathBuf,
    pub system_path: PathBuf,
    pub system_count: usize,
    /// What was added to the system roots, e.g. `the certificate CN=localhost`.
    pub added: String,
    /// False when the file already held exactly this.
    pub written: bool,
}
