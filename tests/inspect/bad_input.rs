//! Unreadable and malformed input: one line each, the rest still reported, nothing panics.

use std::fs;
use std::time::{Duration, Instant};

use super::json::{certs, failures, only_cert};
use super::openssl::OpensslCa;
use super::s;
use crate::harness::{Sandbox, have};

#[test]
fn unreadable_input_exits_2_after_everything_else_is_reported() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    fs::write(sb.path("garbage.txt"), "hello").unwrap();
    let run = sb.run(&["inspect", "missing.pem", "server.crt", "garbage.txt", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(only_cert(&run).source, "server.crt");
    let failed = failures(&run);
    assert_eq!(failed.len(), 2);
    assert_eq!((failed[0].source.as_str(), failed[0].index), ("missing.pem", None));
    assert!(failed[0].error.contains("no such file"), "{}", failed[0].error);
    assert!(failed[1].error.contains("neither PEM nor DER"), "{}", failed[1].error);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[0], "error: missing.pem: cannot read: no such file or directory");
    assert!(lines[1].starts_with("error: garbage.txt: "), "{}", run.stderr);
    assert_eq!(lines.len(), 3, "one line per input and a summary:\n{}", run.stderr);

    // 2 wins over 1: an expired certificate is still reported, and named.
    if have("openssl") {
        let ca = OpensslCa::new(sb.path("ossl"));
        let expired = ca.issue("expired", "old.example", "20200101000000Z", "20200301000000Z");
        let run = sb.run(&["inspect", s(&expired), "missing.pem"]);
        assert_eq!(run.code, 2);
        assert!(run.stdout.contains("EXPIRED"), "{}", run.stdout);
        assert!(
            run.stderr.contains("1 input could not be read or parsed; 1 certificate has expired"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn each_bad_input_gets_one_line_and_nothing_panics() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let pem = fs::read_to_string(sb.path("server.crt")).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(sb.path(name), bytes).unwrap();
    write("empty.pem", b"");
    write("garbage.bin", &(0..4096u32).map(|i| (i * 7 + 3).to_le_bytes()[0]).collect::<Vec<_>>());
    write("truncated.pem", &pem.as_bytes()[..pem.len() / 2]);
    let mut lines: Vec<String> = pem.lines().map(str::to_owned).collect();
    lines[2] = format!("{}*!*{}", &lines[2][..10], &lines[2][13..]);
    write("base64.pem", lines.join("\n").as_bytes());
    write("unknown.pem", b"-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n");
    let mut big = Vec::with_capacity(6 << 20);
    while big.len() < 6 << 20 {
        big.extend_from_slice(b"not a certificate, just a multi-megabyte log line\n");
    }
    write("big.log", &big);
    fs::File::create(sb.path("huge.img")).unwrap().set_len(40 << 20).unwrap();
    fs::create_dir(sb.path("dir")).unwrap();
    fs::copy(sb.path("server.crt"), sb.path("dir/good.crt")).unwrap();
    std::os::unix::fs::symlink("nowhere.pem", sb.path("dir/dangling.pem")).unwrap();
    std::os::unix::fs::symlink("loop-b.pem", sb.path("dir/loop-a.pem")).unwrap();
    std::os::unix::fs::symlink("loop-a.pem", sb.path("dir/loop-b.pem")).unwrap();
    std::os::unix::fs::symlink("self.pem", sb.path("self.pem")).unwrap();

    let names = [
        "empty.pem",
        "garbage.bin",
        "truncated.pem",
        "base64.pem",
        "unknown.pem",
        "big.log",
        "huge.img",
        "self.pem",
        "dir",
        "server.crt",
    ];
    let mut args = vec!["inspect", "--format", "json"];
    args.extend(names);
    let started = Instant::now();
    let run = sb.run(&args);
    assert!(started.elapsed() < Duration::from_secs(20), "bad input is handled quickly");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let good: Vec<String> = certs(&run).into_iter().map(|c| c.source).collect();
    assert_eq!(good, ["dir/good.crt", "server.crt"], "the good inputs are still inspected");

    let expected = [
        ("empty.pem", "empty"),
        ("garbage.bin", "neither PEM nor DER"),
        ("truncated.pem", "truncated PEM"),
        ("base64.pem", "base64"),
        ("unknown.pem", "\"SOMETHING ELSE\""),
        ("big.log", "neither PEM nor DER"),
        ("huge.img", "too large"),
        ("self.pem", "symbolic links"),
        ("dir/dangling.pem", "no such file"),
        ("dir/loop-a.pem", "symbolic links"),
        ("dir/loop-b.pem", "symbolic links"),
    ];
    let failed = failures(&run);
    let got: Vec<&str> = failed.iter().map(|f| f.source.as_str()).collect();
    let mut want: Vec<&str> = expected.iter().map(|(source, _)| *source).collect();
    want.sort_by_key(|source| got.iter().position(|g| g == source));
    assert_eq!(got, want, "{failed:#?}");
    let stderr: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(stderr.len(), expected.len() + 1, "one line each, then a summary:\n{}", run.stderr);
    for (source, reason) in expected {
        let entry = failed.iter().find(|f| f.source == source).unwrap();
        assert!(entry.error.contains(reason), "{source}: {}", entry.error);
        let lines: Vec<&&str> =
            stderr.iter().filter(|l| l.starts_with(&format!("error: {source}"))).collect();
        assert_eq!(lines.len(), 1, "{source}:\n{}", run.stderr);
        assert!(lines[0].contains(reason), "{}", lines[0]);
    }
    assert!(stderr.last().unwrap().contains("11 inputs could not be read or parsed"), "{}", run.stderr);
}
