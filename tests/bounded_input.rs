//! Every input is bounded: `/dev/zero`, a FIFO, a socket or an oversize file given as a
//! certificate is refused promptly with one clear line, never read until memory runs out or
//! blocked on.

use std::fs;
use std::process::Command;

use crate::harness::{Run, Sandbox, run_with};

/// `tlsforge ARGS` with at most 2 GiB of address space and 20 seconds: a run that would read
/// forever or block fails the test (killed: no exit code) instead of the machine.
fn bounded(sb: &Sandbox, args: &[&str]) -> Run {
    let script = "ulimit -v 2097152; exec timeout -s KILL 20 \"$@\"";
    let run = run_with(sb.cmd_via(&["sh", "-c", script, "bounded"], args));
    assert!(run.code >= 0 && run.code != 124, "tlsforge {args:?} did not finish: {run:?}");
    run
}

fn fifo(sb: &Sandbox, name: &str) -> String {
    let path = sb.path(name);
    assert!(Command::new("mkfifo").arg(&path).status().unwrap().success());
    name.to_owned()
}

/// A pair for the flag that is not under test.
fn key(sb: &Sandbox) -> &'static str {
    sb.run(&["gen", "localhost"]).success();
    "server.key"
}

#[test]
fn dev_zero_as_a_certificate_is_refused() {
    let sb = Sandbox::new();
    let key = key(&sb);
    for args in [
        vec!["env", "--cert", "/dev/zero", "--key", key],
        vec!["snippet", "nginx", "--cert", "/dev/zero", "--key", key],
        vec!["snippet", "compose", "--cert", "/dev/zero", "--key", key],
    ] {
        bounded(&sb, &args)
            .fails(1, "cannot read the certificate /dev/zero: a character device, not a regular file")
            .one_error_line();
    }
    bounded(&sb, &["trust", "/dev/zero", "--dry-run"])
        .fails(2, "cannot read /dev/zero: a character device, not a regular file")
        .one_error_line();
    let run = bounded(&sb, &["doctor", "--cert", "/dev/zero", "--key", key]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("/dev/zero: a character device, not a regular file"), "{}", run.stdout);
    let run =
        bounded(&sb, &["inspect", "/dev/zero"]).fails(2, "/dev/zero: a character device, not a regular file");
    assert_eq!(run.stderr.lines().count(), 2, "the input, then the summary: {}", run.stderr);
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let sb = Sandbox::new();
    let key = key(&sb);
    let fifo = fifo(&sb, "cert.pipe");
    let refused = "cert.pipe: a FIFO (named pipe), not a regular file";
    bounded(&sb, &["env", "--cert", &fifo, "--key", key]).fails(1, refused).one_error_line();
    bounded(&sb, &["trust", &fifo, "--dry-run"]).fails(2, refused).one_error_line();
    let run = bounded(&sb, &["doctor", "--cert", &fifo, "--key", key]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains(refused), "{}", run.stdout);
    let run = bounded(&sb, &["inspect", &fifo]).fails(2, &format!("error: {refused}"));
    assert_eq!(run.stderr.lines().count(), 2, "the input, then the summary: {}", run.stderr);
    // A FIFO as the key, too.
    bounded(&sb, &["env", "--cert", "server.crt", "--key", &fifo])
        .fails(1, "cannot read the key")
        .one_error_line();
}

#[test]
fn an_oversize_certificate_is_refused_naming_the_limit() {
    let sb = Sandbox::new();
    let key = key(&sb);
    // 1 MiB of PEM is read; one byte more is refused.
    let pem = fs::read_to_string(sb.path("server.crt")).unwrap();
    let mut big = pem.clone().into_bytes();
    big.resize(1024 * 1024 + 1, b'\n');
    fs::write(sb.path("big.crt"), &big).unwrap();
    let limit = "big.crt: too large: 1048577 bytes (the limit for a certificate or key file is 1 MiB)";
    bounded(&sb, &["env", "--cert", "big.crt", "--key", key]).fails(1, limit).one_error_line();
    bounded(&sb, &["trust", "big.crt", "--dry-run"]).fails(2, limit).one_error_line();
    big.truncate(1024 * 1024);
    fs::write(sb.path("big.crt"), &big).unwrap();
    bounded(&sb, &["env", "--cert", "big.crt", "--key", key]).success();
}

#[test]
fn a_unix_socket_is_refused_by_name() {
    let sb = Sandbox::new();
    let key = key(&sb);
    let _listener = std::os::unix::net::UnixListener::bind(sb.path("cert.sock")).unwrap();
    let refused = "cert.sock: a socket, not a regular file";
    bounded(&sb, &["env", "--cert", "cert.sock", "--key", key]).fails(1, refused).one_error_line();
    bounded(&sb, &["snippet", "nginx", "--cert", "cert.sock", "--key", key])
        .fails(1, refused)
        .one_error_line();
    bounded(&sb, &["trust", "cert.sock", "--dry-run"]).fails(2, refused).one_error_line();
    let run = bounded(&sb, &["doctor", "--cert", "cert.sock", "--key", key]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains(refused), "{}", run.stdout);
    bounded(&sb, &["inspect", "cert.sock"]).fails(2, refused);
    // In a directory, a socket is skipped and counted like any file that holds nothing to read.
    let run = bounded(&sb, &["inspect", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("1 file skipped in directories"), "{}", run.stdout);
}
