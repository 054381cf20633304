//! A tlsforge server (`share`, `proxy`) running with `--format json`: its events as they come,
//! Ctrl-C, and its exit.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::tool;

pub(crate) struct Running {
    child: Child,
    lines: Receiver<String>,
    /// Every event read so far, in order.
    pub(crate) events: Vec<Value>,
}

impl Running {
    /// Start `cmd` (tlsforge with `--format json`) and wait for its first event, `first`.
    pub(crate) fn start(mut cmd: Command, first: &str) -> Self {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn tlsforge");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut running = Self { child, lines, events: Vec::new() };
        running.next_event(first, Duration::from_secs(30));
        running
    }

    /// The first event, which `start` waited for.
    pub(crate) fn first(&self) -> &Value {
        &self.events[0]
    }

    /// The next event of `kind` (those before it are kept in `events`); panics after `limit`.
    pub(crate) fn next_event(&mut self, kind: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                let stderr = self.stderr_if_exited();
                panic!("no {kind} event within {limit:?}; events so far: {:#?}\n{stderr}", self.events)
            });
            let event: Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            self.events.push(event.clone());
            if event["event"] == kind {
                return event;
            }
        }
    }

    fn stderr_if_exited(&mut self) -> String {
        if let Ok(Some(_)) = self.child.try_wait() {
            let mut text = String::new();
            if let Some(mut stderr) = self.child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            }
            return format!("it exited; stderr: {text}");
        }
        String::new()
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ctrl-C, as a terminal sends it; then the exit status and the closing event.
    pub(crate) fn interrupt(mut self) -> (i32, Value) {
        assert_eq!(tool("kill", &["-INT", &self.pid().to_string()]).code, 0);
        let stopped = self.next_event("stopped", Duration::from_secs(30));
        (self.wait(), stopped)
    }

    /// The exit status, within 30 s.
    pub(crate) fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "tlsforge did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
