//! The one place that changes the machine: executes plans and answers probes.
//!
//! Steps that need root go through `sudo` (announced first, validated once with `sudo -v` so
//! that a password prompt never fights a spinner); as root they run directly. Everything else,
//! per-user state included, runs as the user.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::Store;
use super::machine::{Machine, Os};
use super::plan::{Action, Step, arg};
use super::read::{Live, Reader};
use crate::fsutil::{self, NewFile};
use crate::process;
use crate::text::shell_path;
use crate::text::shell_words;

/// How steps that need root are run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Elevation {
    /// Already root: run them directly.
    AlreadyRoot,
    /// Through this `sudo`.
    Sudo(PathBuf),
    /// No sudo here: such steps fail with a hint.
    Unavailable,
    /// Windows: run directly; an unelevated prompt gets "access denied" and a hint.
    Direct,
}

impl Elevation {
    pub(crate) fn for_machine(machine: &Machine) -> Self {
        if machine.os == Os::Windows {
            Self::Direct
        } else if machine.is_root {
            Self::AlreadyRoot
        } else {
            machine.which("sudo").map_or(Self::Unavailable, Self::Sudo)
        }
    }

    /// Whether `step` would run through sudo.
    pub(crate) fn via_sudo(&self, step: &Step) -> bool {
        step.root && matches!(self, Self::Sudo(_))
    }

    /// What the runner does for `step`: as the user, or through sudo.
    fn invocation<'s>(&self, step: &'s Step) -> Invocation<'s> {
        let sudo = match self {
            Self::Sudo(sudo) if step.root => arg(sudo),
            _ => {
                return match &step.action {
                    Action::Write { path, contents } => Invocation::WriteFile(path, contents),
                    Action::Remove { path } => Invocation::RemoveFile(path),
                    Action::CreateDir { path } => Invocation::CreateDir(path),
                    Action::Run { argv } => Invocation::Command(argv.clone(), None),
                };
            }
        };
        match &step.action {
            // tee, so that only the write runs as root: the certificate comes from the user.
            Action::Write { path, contents } => {
                Invocation::Command(vec![sudo, "tee".into(), "--".into(), arg(path)], Some(contents))
            }
            Action::Remove { path } => {
                Invocation::Command(vec![sudo, "rm".into(), "-f".into(), "--".into(), arg(path)], None)
            }
            Action::CreateDir { path } => Invocation::Command(
                vec![sudo, "mkdir".into(), "-p".into(), "-m".into(), "700".into(), arg(path)],
                None,
            ),
            Action::Run { argv } => {
                let mut full = vec![sudo, "--".into()];
                full.extend(argv.iter().cloned());
                Invocation::Command(full, None)
            }
        }
    }

    /// The exact command (or file operation) the runner would carry out for `step`.
    pub(crate) fn command_line(&self, step: &Step) -> String {
        match self.invocation(step) {
            Invocation::WriteFile(path, _) => format!("write {}", shell_path(path)),
            Invocation::RemoveFile(path) => format!("rm -f {}", shell_path(path)),
            Invocation::CreateDir(path) => format!("mkdir -p -m 700 {}", shell_path(path)),
            Invocation::Command(argv, None) => shell_words(&argv),
            Invocation::Command(argv, Some(_)) => {
                format!("{} < {}", shell_words(&argv), "the certificate (PEM)")
            }
        }
    }
}

/// A step made concrete.
enum Invocation<'s> {
    WriteFile(&'s Path, &'s [u8]),
    RemoveFile(&'s Path),
    CreateDir(&'s Path),
    /// A program, with what to feed it on stdin.
    Command(Vec<String>, Option<&'s [u8]>),
}

/// What the runner tells the person in front of the terminal.
pub(crate) trait Observer {
    /// Before the steps of one store that go through sudo (and before any password prompt).
    fn elevating(&mut self, store: Store, location: &str, steps: &[&Step]);
    fn started(&mut self, step: &Step);
    fn finished(&mut self, step: &Step);
}

/// An observer that says nothing.
#[derive(Debug, Default)]
pub(crate) struct Quiet;

impl Observer for Quiet {
    fn elevating(&mut self, _: Store, _: &str, _: &[&Step]) {}
    fn started(&mut self, _: &Step) {}
    fn finished(&mut self, _: &Step) {}
}

pub(crate) struct Runner<'o> {
    elevation: Elevation,
    observer: &'o mut dyn Observer,
    sudo_validated: bool,
}

impl<'o> Runner<'o> {
    /// A runner; `sudo_validated` when an earlier runner of this run already asked sudo for
    /// the password.
    pub(crate) fn new(elevation: Elevation, observer: &'o mut dyn Observer, sudo_validated: bool) -> Self {
        Self { elevation, observer, sudo_validated }
    }

    /// Whether sudo has been asked for its password in this run.
    pub(crate) fn sudo_validated(&self) -> bool {
        self.sudo_validated
    }

    /// Run the steps of one store in order; the first failure stops them.
    pub(crate) fn run(&mut self, store: Store, location: &str, steps: &[Step]) -> Result<(), String> {
        let elevated: Vec<&Step> = steps.iter().filter(|s| self.elevation.via_sudo(s)).collect();
        if !elevated.is_empty() {
            self.observer.elevating(store, location, &elevated);
            self.validate_sudo()?;
        }
        for step in steps {
            if step.root && self.elevation == Elevation::Unavailable {
                return Err(format!(
                    "{} needs root and sudo is not installed: run it as root (`--dry-run` prints the steps)",
                    step.description
                ));
            }
            self.observer.started(step);
            let result = self.execute(step);
            self.observer.finished(step);
            result?;
        }
        Ok(())
    }

    /// Run steps that change only the user's own files and jobs (a scheduler's), in order; the
    /// first failure stops them. A step that would need root is refused.
    pub(crate) fn run_as_user(&mut self, steps: &[Step]) -> Result<(), String> {
        if let Some(step) = steps.iter().find(|s| s.root) {
            return Err(format!("internal error: {} would need root", step.description));
        }
        for step in steps {
            self.observer.started(step);
            let result = self.execute(step);
            self.observer.finished(step);
            result?;
        }
        Ok(())
    }

    fn validate_sudo(&mut self) -> Result<(), String> {
        let Elevation::Sudo(sudo) = &self.elevation else { return Ok(()) };
        if self.sudo_validated {
            return Ok(());
        }
        // Interactive on purpose: sudo asks for the password on the terminal.
        let status = Command::new(sudo).arg("-v").status().map_err(|e| format!("cannot run sudo: {e}"))?;
        if !status.success() {
            return Err("sudo did not grant root (`--dry-run` prints the steps to run by hand)".into());
        }
        self.sudo_validated = true;
        Ok(())
    }

    fn execute(&self, step: &Step) -> Result<(), String> {
        match self.elevation.invocation(step) {
            Invocation::WriteFile(path, contents) => {
                fsutil::write_all(&[NewFile::public(path.to_path_buf(), contents)], true)
                    .map_err(|e| format!("{e:#}"))
            }
            Invocation::RemoveFile(path) => match fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(format!("cannot remove {}: {e}", path.display()))
                }
                _ => Ok(()),
            },
            Invocation::CreateDir(path) => fsutil::create_private_dir(path).map_err(|e| format!("{e:#}")),
            Invocation::Command(argv, stdin) => run_command(&argv, stdin),
        }
    }

    /// What backends read through while judging: this machine. Reading never needs root.
    #[allow(clippy::unused_self)] // the runner answers; reading needs no state today
    pub(crate) fn reader(&self) -> &'static dyn Reader {
        &Live
    }
}

/// How long one step may take: `update-ca-certificates` with Java's hook takes tens of seconds.
const STEP_LIMIT: Duration = Duration::from_secs(300);

/// Run a program with its output captured (bounded) for at most [`STEP_LIMIT`]; a failure
/// carries the last line it printed.
fn run_command(argv: &[String], stdin: Option<&[u8]>) -> Result<(), String> {
    let Some((program, rest)) = argv.split_first() else { return Err("empty command".into()) };
    let out = process::run_with_input(Command::new(program).args(rest), stdin, STEP_LIMIT, process::KEEP)?;
    let status = match out.status {
        Some(status) if status.success() => return Ok(()),
        Some(status) => {
            status.code().map_or_else(|| "a signal".to_owned(), |code| format!("exit status {code}"))
        }
        None => {
            return Err(format!(
                "`{}` did not finish within {} s and was stopped",
                shell_words(argv),
                STEP_LIMIT.as_secs()
            ));
        }
    };
    let last_line =
        |text: &str| text.lines().map(str::trim).rfind(|line| !line.is_empty()).map(str::to_owned);
    let said = last_line(&out.stderr).or_else(|| last_line(&out.stdout)).unwrap_or_default();
    Err(format!(
        "`{}` failed with {status}{}",
        shell_words(argv),
        if said.is_empty() { String::new() } else { format!(": {said}") }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_root_steps_go_through_sudo() {
        let sudo = Elevation::Sudo(PathBuf::from("/usr/bin/sudo"));
        let root_step = Step::run("refresh", ["update-ca-certificates"], true);
        let user_step = Step::run("add", ["certutil", "-A"], false);
        assert!(sudo.via_sudo(&root_step));
        assert!(!sudo.via_sudo(&user_step));
        assert!(!Elevation::AlreadyRoot.via_sudo(&root_step));
        assert!(!Elevation::Direct.via_sudo(&root_step));
    }

    #[test]
    fn command_lines_say_exactly_what_runs() {
        let sudo = Elevation::Sudo(PathBuf::from("/usr/bin/sudo"));
        let write = Step::write(
            "add",
            PathBuf::from("/usr/local/share/ca-certificates/x.crt"),
            b"pem".to_vec(),
            true,
        );
        let refresh = Step::run("refresh", ["/usr/sbin/update-ca-certificates"], true);
        let user = Step::run("add", ["/usr/bin/certutil", "-A", "-t", "P,,"], false);
        let remove = Step::remove("rm", PathBuf::from("/a b.crt"), true);
        assert_eq!(
            sudo.command_line(&write),
            "/usr/bin/sudo tee -- /usr/local/share/ca-certificates/x.crt < the certificate (PEM)"
        );
        assert_eq!(sudo.command_line(&refresh), "/usr/bin/sudo -- /usr/sbin/update-ca-certificates");
        assert_eq!(sudo.command_line(&user), "/usr/bin/certutil -A -t P,,");
        assert_eq!(sudo.command_line(&remove), "/usr/bin/sudo rm -f -- '/a b.crt'");
        assert_eq!(
            Elevation::AlreadyRoot.command_line(&write),
            "write /usr/local/share/ca-certificates/x.crt"
        );
        assert_eq!(Elevation::AlreadyRoot.command_line(&remove), "rm -f '/a b.crt'");
        assert_eq!(Elevation::AlreadyRoot.command_line(&refresh), "/usr/sbin/update-ca-certificates");
    }

    #[test]
    fn steps_run_as_the_user_and_report_failures() {
        use crate::trust::plan::Probe;

        let dir = tempfile::tempdir().unwrap();
        let mut quiet = Quiet;
        let mut runner = Runner::new(Elevation::AlreadyRoot, &mut quiet, false);
        let file = dir.path().join("sub").join("a.crt");
        let steps = vec![
            Step::create_dir("dir", dir.path().join("sub")),
            Step::write("write", file.clone(), b"pem".to_vec(), false),
        ];
        runner.run(Store::System, "here", &steps).unwrap();
        assert_eq!(runner.reader().read_file(&file).as_deref(), Some(&b"pem"[..]));
        runner.run(Store::System, "here", &[Step::remove("rm", file.clone(), false)]).unwrap();
        assert!(!runner.reader().exists(&file));
        // Removing what is not there is fine.
        runner.run(Store::System, "here", &[Step::remove("rm", file, false)]).unwrap();

        let err = runner
            .run(
                Store::System,
                "here",
                &[Step::run("fail", ["sh", "-c", "echo first; echo 'it broke' >&2; exit 3"], false)],
            )
            .unwrap_err();
        assert_eq!(
            err,
            "`sh -c 'echo first; echo '\\''it broke'\\'' >&2; exit 3'` failed with exit status 3: it broke"
        );
        assert!(!runner.reader().probe(&Probe::succeeds(["/nonexistent/tool"])));
    }

    #[test]
    fn root_steps_without_sudo_fail_with_a_hint() {
        let mut quiet = Quiet;
        let mut runner = Runner::new(Elevation::Unavailable, &mut quiet, false);
        let err = runner
            .run(Store::System, "here", &[Step::run("refresh the bundle", ["true"], true)])
            .unwrap_err();
        assert!(err.contains("needs root") && err.contains("--dry-run"), "{err}");
    }
}
