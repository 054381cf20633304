//! `-` reads standard input.

use std::fs;
use std::io::Write;
use std::process::Stdio;

use super::json::{certs, only_cert};
use crate::harness::{Run, Sandbox};

#[test]
fn stdin_is_read_as_dash() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--name", "one"]).success();
    sb.run(&["gen", "--name", "two"]).success();
    let pem = [fs::read(sb.path("one.crt")).unwrap(), fs::read(sb.path("two.crt")).unwrap()].concat();
    let run = with_stdin(&sb, &["inspect", "-", "--format", "json"], &pem).success();
    let all = certs(&run);
    assert_eq!(all.iter().map(|c| (c.source.as_str(), c.index)).collect::<Vec<_>>(), [("-", 0), ("-", 1)]);
    let from_file = only_cert(&sb.run(&["inspect", "one.crt", "--format", "json"]));
    assert_eq!(all[0].fingerprint_sha256, from_file.fingerprint_sha256);

    let run = with_stdin(&sb, &["inspect", "-"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: -: empty"), "{}", run.stderr);
}

fn with_stdin(sb: &Sandbox, args: &[&str], input: &[u8]) -> Run {
    let mut child =
        sb.cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}
