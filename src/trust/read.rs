//! Reading the machine while judging trust. Backends ask through [`Reader`] — files, and the
//! output of commands that only read — so their rules run the same against this machine
//! ([`Live`]) and against scripted answers in unit tests.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::plan::Probe;
use crate::pki::armor;
use crate::{input, process};

/// How long a command that only reads may take (`certutil -L`, `keytool -list`, `security`).
const READ_LIMIT: Duration = Duration::from_secs(60);

/// How much of what it prints is kept: a whole store listed as PEM (`keytool -list -rfc` of a
/// JDK's cacerts is about 200 KiB), as much as [`input::STORE`] allows for a store's file.
const READ_KEEP: usize = 64 << 20;

/// What a read-only command printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The last non-empty line of stderr (else stdout): what a tool says when it fails.
    pub(crate) fn last_line(&self) -> String {
        let last = |text: &str| text.lines().map(str::trim).rfind(|l| !l.is_empty()).map(str::to_owned);
        last(&self.stderr).or_else(|| last(&self.stdout)).unwrap_or_default()
    }
}

pub(crate) trait Reader {
    /// The contents of `path`, or `None` when it is missing, unreadable or too large.
    fn read_file(&self, path: &Path) -> Option<Vec<u8>>;
    /// Run a command that only reads; `None` when it could not be started.
    fn output(&self, argv: &[String]) -> Option<Output>;
    /// Whether `path` exists (without reading it).
    fn exists(&self, path: &Path) -> bool;

    /// Answer a yes/no probe.
    fn probe(&self, probe: &Probe) -> bool {
        let Probe::Succeeds { argv, needle } = probe;
        self.output(argv).is_some_and(|out| {
            out.success && needle.as_ref().is_none_or(|needle| out.stdout.contains(needle))
        })
    }
}

/// This machine.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Live;

impl Reader for Live {
    fn read_file(&self, path: &Path) -> Option<Vec<u8>> {
        input::read(path, input::STORE).ok()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    /// At most [`READ_LIMIT`], and the first [`READ_KEEP`] bytes of each stream; a command
    /// stopped at the deadline did not succeed.
    fn output(&self, argv: &[String]) -> Option<Output> {
        let (program, rest) = argv.split_first()?;
        let out =
            process::run_with_input(Command::new(program).args(rest), None, READ_LIMIT, READ_KEEP).ok()?;
        Some(Output {
            success: out.status.is_some_and(|s| s.success()),
            stdout: out.stdout,
            stderr: out.stderr,
        })
    }
}

/// Whether a PEM bundle holds the certificate `der` (comments and other text are skipped).
pub(crate) fn bundle_has(bundle: &[u8], der: &[u8]) -> bool {
    armor::pem_blocks(bundle)
        .filter_map(Result::ok)
        .any(|block| block.label == "CERTIFICATE" && block.der == der)
}

#[cfg(test)]
pub(crate) mod scripted {
    //! A reader with canned answers, for backend unit tests on any platform.

    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use super::{Output, Reader};

    #[derive(Debug, Default)]
    pub(crate) struct Scripted {
        files: HashMap<PathBuf, Vec<u8>>,
        commands: HashMap<Vec<String>, Output>,
    }

    impl Scripted {
        pub(crate) fn file(mut self, path: &Path, contents: impl Into<Vec<u8>>) -> Self {
            self.files.insert(path.to_path_buf(), contents.into());
            self
        }

        /// `argv` succeeds and prints `stdout`.
        pub(crate) fn prints(mut self, argv: &[String], stdout: &str) -> Self {
            self.commands.insert(
                argv.to_vec(),
                Output { success: true, stdout: stdout.into(), stderr: String::new() },
            );
            self
        }

        /// `argv` fails, saying `stderr`.
        pub(crate) fn fails(mut self, argv: &[String], stderr: &str) -> Self {
            self.commands.insert(
                argv.to_vec(),
                Output { success: false, stdout: String::new(), stderr: stderr.into() },
            );
            self
        }
    }

    impl Reader for Scripted {
        fn read_file(&self, path: &Path) -> Option<Vec<u8>> {
            self.files.get(path).cloned()
        }

        fn exists(&self, path: &Path) -> bool {
            self.files.contains_key(path)
        }

        fn output(&self, argv: &[String]) -> Option<Output> {
            Some(self.commands.get(argv).cloned().unwrap_or_else(|| Output {
                success: false,
                stdout: String::new(),
                stderr: format!("not scripted: {}", argv.join(" ")),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn bundles_are_searched_by_der() {
        let key = rcgen::KeyPair::generate().unwrap();
        let a = rcgen::CertificateParams::new(vec!["a.test".into()]).unwrap().self_signed(&key).unwrap();
        let b = rcgen::CertificateParams::new(vec!["b.test".into()]).unwrap().self_signed(&key).unwrap();
        let bundle = format!("# a comment\n{}\nnoise\n{}", a.pem(), b.pem());
        assert!(bundle_has(bundle.as_bytes(), b.der()));
        assert!(!bundle_has(a.pem().as_bytes(), b.der()));
    }

    #[test]
    fn live_reads_files_and_commands() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "pem").unwrap();
        assert_eq!(Live.read_file(&file).as_deref(), Some(&b"pem"[..]));
        assert_eq!(Live.read_file(&dir.path().join("missing")), None);
        // A FIFO (or any special file) where a store's file should be: nothing, at once.
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo");
            let mode = rustix::fs::Mode::from_raw_mode(0o600);
            rustix::fs::mknodat(rustix::fs::CWD, &fifo, rustix::fs::FileType::Fifo, mode, 0).unwrap();
            assert_eq!(Live.read_file(&fifo), None);
            // So does the machine for os-release, which names the distribution family.
            let root = dir.path().join("root");
            fs::create_dir_all(root.join("etc")).unwrap();
            rustix::fs::mknodat(
                rustix::fs::CWD,
                root.join("etc/os-release"),
                rustix::fs::FileType::Fifo,
                mode,
                0,
            )
            .unwrap();
            let machine = crate::trust::machine::Machine::bare(root);
            assert_eq!(machine.os_release(), crate::trust::machine::OsRelease::default());
        }
        let out =
            Live.output(&["sh".into(), "-c".into(), "echo out; echo 'it broke' >&2; exit 3".into()]).unwrap();
        assert!(!out.success);
        assert_eq!(out.stdout, "out\n");
        assert_eq!(out.last_line(), "it broke");
        assert!(Live.output(&["/nonexistent/tool".into()]).is_none());
        assert!(Live.probe(&Probe::prints(["sh", "-c", "echo hello"], "ell")));
        assert!(!Live.probe(&Probe::prints(["sh", "-c", "echo hello"], "bye")));
        assert!(!Live.probe(&Probe::succeeds(["sh", "-c", "exit 1"])));
    }
}
