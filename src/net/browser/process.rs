//! A browser process: started in a process group of its own, its stderr read line by line on a
//! thread (so the browser never blocks on a full pipe), and the whole group killed on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::process::{kill_group, own_group};

/// Lines of stderr kept to explain a browser that did not start.
const KEEP_LINES: usize = 20;

/// The longest line kept from stderr (the rest of it is dropped).
const MAX_LINE: usize = 4096;

#[derive(Debug)]
pub(crate) struct Browser {
    child: Child,
    name: String,
    lines: Receiver<String>,
    /// The last lines seen, for an error message.
    seen: Vec<String>,
}

impl Browser {
    pub(crate) fn spawn(mut command: Command, name: &str) -> Result<Self, String> {
        own_group(&mut command);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", command.get_program().to_string_lossy()))?;
        let Some(stderr) = child.stderr.take() else {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(format!("{name} has no stderr to read"));
        };
        let (tx, lines) = mpsc::channel();
        let reader = thread::Builder::new().name("tlsforge-browser-stderr".into()).spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            // Ends when every process of the group has closed stderr, i.e. has exited. Once
            // nobody listens, sending fails and the lines are dropped, but reading goes on so
            // that the browser never blocks on a full pipe.
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                line.truncate(MAX_LINE);
                let _ = tx.send(String::from_utf8_lossy(&line).trim_end().to_owned());
                line.clear();
            }
        });
        if let Err(e) = reader {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(format!("cannot start a thread to read {name}'s output: {e}"));
        }
        Ok(Self { child, name: name.to_owned(), lines, seen: Vec::new() })
    }

    /// The first stderr line for which `pick` finds something, e.g. the protocol's address
    /// in "DevTools listening on ws://…". Waits until `deadline` at most.
    pub(crate) fn wait_for_line(
        &mut self,
        pick: impl Fn(&str) -> Option<String>,
        deadline: Instant,
    ) -> Result<String, String> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(self.explain("did not start its remote protocol in time"));
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.explain("exited")),
            };
            if let Some(found) = pick(&line) {
                return Ok(found);
            }
            if self.seen.len() == KEEP_LINES {
                self.seen.remove(0);
            }
            self.seen.push(line);
        }
    }

    /// Give the browser until `deadline` to exit by itself (after it was asked to close), then
    /// kill what is left of its group.
    pub(crate) fn wait_then_kill(self, deadline: Instant) {
        // Every process of the group holds stderr: its end means all of them have exited.
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left.max(Duration::from_millis(1))) {
                Ok(_) if !left.is_zero() => {}
                _ => break,
            }
        }
        // Drop kills the group and reaps the leader.
    }

    fn explain(&self, what: &str) -> String {
        // (Not `try_wait`: the leader stays unreaped until drop, see there.)
        let said: Vec<&str> = self.seen.iter().map(String::as_str).filter(|l| !l.trim().is_empty()).collect();
        if said.is_empty() {
            format!("{} {what}", self.name)
        } else {
            format!("{} {what}: {}", self.name, said[said.len().saturating_sub(3)..].join(" / "))
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The leader is not reaped before this point (a zombie still holds its group id), so
        // the group id cannot have passed to anyone else.
        kill_group(&mut self.child);
        let _ = self.child.wait();
    }
}
