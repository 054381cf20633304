//! Child processes that cannot outlive their welcome: each runs in a process group of its own,
//! a timeout kills the whole group (a browser's helpers with it), not just the leader, and only
//! the first 64 KiB of what it prints is kept (a tool stuck printing a prompt in a loop cannot
//! fill memory).

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// The most kept of a child's stdout or stderr by [`run`]; the rest is read and dropped.
pub(crate) const KEEP: usize = 64 * 1024;

/// How often a running child is looked at.
const POLL: Duration = Duration::from_millis(10);

/// How long a pipe may stay open after its process ended (a helper that escaped the group).
const PIPE_GRACE: Duration = Duration::from_secs(1);

/// Put the child about to be spawned in a new process group, led by itself.
pub(crate) fn own_group(command: &mut Command) {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    #[cfg(not(unix))]
    let _ = command;
}

/// Kill `child`'s whole process group (spawned with [`own_group`]). Call it before the child
/// is reaped, so that the group id cannot belong to anyone else yet.
pub(crate) fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let leader = rustix::process::Pid::from_child(child);
        let _ = rustix::process::kill_process_group(leader, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
}

/// What a bounded run left behind.
#[derive(Debug)]
pub(crate) struct Finished {
    /// `None` when the child was killed at the deadline.
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Run `command` (stdin from /dev/null) in its own process group, capturing its output, for at
/// most `limit`; past it the group is killed and `status` is `None`.
pub(crate) fn run(command: &mut Command, limit: Duration) -> Result<Finished, String> {
    run_with_input(command, None, limit, KEEP)
}

/// [`run`], with `input` on the child's stdin (written on a thread, so a child that does not
/// read it cannot block the deadline), keeping the first `keep` bytes of each stream.
pub(crate) fn run_with_input(
    command: &mut Command,
    input: Option<&[u8]>,
    limit: Duration,
    keep: usize,
) -> Result<Finished, String> {
    let deadline = Instant::now() + limit;
    own_group(command);
    let mut child = command
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", command.get_program().to_string_lossy()))?;
    if let (Some(input), Some(mut pipe)) = (input, child.stdin.take()) {
        let input = input.to_vec();
        let _ = thread::Builder::new().name("tlsforge-stdin".into()).spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(&input);
        });
    }
    let stdout = child.stdout.take().map(|pipe| capture(pipe, keep));
    let stderr = child.stderr.take().map(|pipe| capture(pipe, keep));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
            Ok(None) | Err(_) => {
                kill_group(&mut child);
                let _ = child.wait();
                break None;
            }
        }
    };
    let collect = |pipe: Option<Receiver<Vec<u8>>>| {
        pipe.and_then(|rx| rx.recv_timeout(PIPE_GRACE).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    Ok(Finished { status, stdout: collect(stdout), stderr: collect(stderr) })
}

/// Read `pipe` to its end on a thread, keeping the first `keep` bytes.
fn capture(mut pipe: impl Read + Send + 'static, keep: usize) -> Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    // Without a thread (the system refused one) the output is lost, not the run: the channel
    // reports nothing, and a child blocked on a full pipe meets its deadline.
    let _ = thread::Builder::new().name("tlsforge-pipe".into()).spawn(move || {
        let mut kept = Vec::new();
        let mut chunk = [0u8; 8192];
        while let Ok(n @ 1..) = pipe.read(&mut chunk) {
            let room = keep.saturating_sub(kept.len());
            kept.extend_from_slice(&chunk[..n.min(room)]);
        }
        let _ = tx.send(kept);
    });
    rx
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn output_and_status_come_back() {
        let done =
            run(Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]), Duration::from_secs(10))
                .unwrap();
        assert_eq!(done.status.and_then(|s| s.code()), Some(3));
        assert_eq!((done.stdout.as_str(), done.stderr.as_str()), ("out\n", "err\n"));
    }

    #[test]
    fn a_timeout_kills_the_whole_group() {
        // The shell's background child holds the pipes open: it must die with its leader.
        let started = Instant::now();
        let done =
            run(Command::new("sh").args(["-c", "sleep 30 & echo started; wait"]), Duration::from_millis(300))
                .unwrap();
        assert!(done.status.is_none());
        assert_eq!(done.stdout, "started\n");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let err =
            run(&mut Command::new("/nonexistent/tlsforge-no-such-tool"), Duration::from_secs(1)).unwrap_err();
        assert!(err.contains("cannot run /nonexistent/tlsforge-no-such-tool"), "{err}");
    }

    /// A tool stuck printing a prompt in a loop (`certutil -N` racing another one did, at
    /// 1 GB a minute): stopped at the deadline, with only the first 64 KiB kept.
    #[test]
    fn a_flood_of_output_is_bounded_and_stopped() {
        let done = run(Command::new("yes").arg("Enter Password or Pin"), Duration::from_millis(300)).unwrap();
        assert!(done.status.is_none());
        assert_eq!(done.stdout.len(), KEEP);
        assert!(done.stdout.starts_with("Enter Password or Pin\n"));
    }

    #[test]
    fn input_reaches_stdin_and_output_is_kept_up_to_the_bound() {
        let done =
            run_with_input(&mut Command::new("cat"), Some(b"pem\n"), Duration::from_secs(10), 3).unwrap();
        assert_eq!(done.status.and_then(|s| s.code()), Some(0));
        assert_eq!(done.stdout, "pem", "the first 3 bytes");
    }
}
