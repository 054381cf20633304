//! Plans: what a backend wants done to a store, as data. Backends build them, the runner
//! executes them, `--dry-run` prints them, and unit tests assert them.

use std::path::PathBuf;

use serde::Serialize;

/// One concrete change to the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub(crate) enum Action {
    /// Write `contents` to `path` (mode 0644), replacing what is there.
    Write {
        path: PathBuf,
        #[serde(skip)]
        contents: Vec<u8>,
    },
    /// Remove `path` if it exists.
    Remove { path: PathBuf },
    /// Create `path` and its parents, readable by the owner only.
    CreateDir { path: PathBuf },
    /// Run a program; `argv[0]` is the program (a full path when it was found on the machine).
    Run { argv: Vec<String> },
}

/// A step of a plan: an action, whether it needs root, and what it means for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Step {
    pub description: String,
    #[serde(flatten)]
    pub action: Action,
    /// Needs administrator rights (root, or an elevated prompt on Windows).
    pub root: bool,
}

impl Step {
    pub(crate) fn write(
        description: impl Into<String>,
        path: PathBuf,
        contents: Vec<u8>,
        root: bool,
    ) -> Self {
        Self { description: description.into(), action: Action::Write { path, contents }, root }
    }

    pub(crate) fn remove(description: impl Into<String>, path: PathBuf, root: bool) -> Self {
        Self { description: description.into(), action: Action::Remove { path }, root }
    }

    pub(crate) fn create_dir(description: impl Into<String>, path: PathBuf) -> Self {
        Self { description: description.into(), action: Action::CreateDir { path }, root: false }
    }

    pub(crate) fn run<S: Into<String>>(
        description: impl Into<String>,
        argv: impl IntoIterator<Item = S>,
        root: bool,
    ) -> Self {
        Self {
            description: description.into(),
            action: Action::Run { argv: argv.into_iter().map(Into::into).collect() },
            root,
        }
    }
}

/// A read-only question about the machine, answered by a reader: is the certificate there?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "probe", rename_all = "kebab-case")]
pub(crate) enum Probe {
    /// The program exits 0 (and, with `needle`, prints it on stdout).
    Succeeds {
        argv: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        needle: Option<String>,
    },
}

impl Probe {
    pub(crate) fn succeeds<S: Into<String>>(argv: impl IntoIterator<Item = S>) -> Self {
        Self::Succeeds { argv: argv.into_iter().map(Into::into).collect(), needle: None }
    }

    pub(crate) fn prints<S: Into<String>>(
        argv: impl IntoIterator<Item = S>,
        needle: impl Into<String>,
    ) -> Self {
        Self::Succeeds { argv: argv.into_iter().map(Into::into).collect(), needle: Some(needle.into()) }
    }
}

/// Text for an argv: paths that are not UTF-8 cannot be passed through plans.
pub(crate) fn arg(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_serialise_without_contents() {
        let step = Step::write("add", PathBuf::from("/x.crt"), b"secret-ish".to_vec(), true);
        let json = serde_json::to_value(&step).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"description": "add", "action": "write", "path": "/x.crt", "root": true})
        );
    }
}
