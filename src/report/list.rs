//! What `list` found in the inventory.

use std::path::PathBuf;

use serde::Serialize;

use crate::inventory::{Entry, OnDisk};

#[derive(Debug, Serialize)]
pub(crate) struct ListReport {
    /// The inventory file.
    pub inventory: PathBuf,
    /// Newest first (by notBefore).
    pub certificates: Vec<Listed>,
    /// `--adopt`: the certificates recorded by this run.
    pub adopted: Vec<PathBuf>,
    /// `--prune`: the certificates forgotten by this run, their files being gone.
    pub pruned: Vec<PathBuf>,
}

/// One recorded certificate and where it stands now.
#[derive(Debug, Serialize)]
pub(crate) struct Listed {
    #[serde(flatten)]
    pub entry: Entry,
    /// Whole days until it expires (negative once expired).
    pub days_left: Option<i64>,
    pub files: OnDisk,
    /// What is wrong with the files, when something is.
    pub problem: Option<String>,
}
