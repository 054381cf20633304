//! Conventions every subcommand keeps: a closed stdout is not an error.

use std::process::Stdio;

use crate::harness::{Run, Sandbox};

/// Run with stdout connected to a pipe whose reading end is already closed, as in
/// `tlsforge ... | head` after head has exited: every write fails with EPIPE.
fn with_closed_stdout(sb: &Sandbox, args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Run::from(sb.cmd(args).stdout(writer).stderr(Stdio::piped()).output().unwrap())
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    let ca = ca.to_str().unwrap();
    for args in [
        &["ca", "show", "--format", "json"][..],
        &["ca", "show"],
        &["man"],
        &["completions", "bash"],
        &["inspect", ca],
        &["inspect", ca, "--format", "json"],
    ] {
        let run = with_closed_stdout(&sb, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }
}
