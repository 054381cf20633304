//! Nothing a certificate, a server or a file name says is written raw to a terminal or a CI
//! log: control characters, terminal escapes and bidi overrides are shown escaped (`\x1b`,
//! `\n`, `\u{202e}`), no line can be forged, and `doctor --format github` starts no workflow
//! command but its own.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::{HOSTILE_CN, HOSTILE_DNS, HOSTILE_O, Run, Sandbox, hostile_pair, run_with};

/// File names as hostile as the certificate: a line break, terminal escapes, `%0A` and `::`.
const CERT_NAME: &str = "evil\n::error::forged by a file name\x1b]0;x\x07 %0A.crt";
const KEY_NAME: &str = "evil\n✓ trust: forged by a key name\x1b[31m.key";

/// A sandbox holding the hostile pair in `work/hostile/`.
fn hostile() -> (Sandbox, PathBuf, PathBuf) {
    let sb = Sandbox::new();
    let dir = sb.path("hostile");
    fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join(CERT_NAME), dir.join(KEY_NAME));
    hostile_pair(&cert, &key);
    (sb, cert, key)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Characters that must never reach a terminal raw: C0 but the line feed, DEL, C1, and the
/// invisible format characters that reorder or hide text.
fn raw(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Neither stream holds a raw control or bidi character nor a line the input forged, and the
/// escaped form shows.
#[track_caller]
fn assert_escaped(what: &str, run: &Run) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some((at, c)) = text.char_indices().find(|&(_, c)| raw(c)) {
            panic!("{what}: raw {c:?} on {stream} at byte {at}:\n{text:?}");
        }
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with("✓ trust: forged"),
                "{what}: a forged line on {stream}:\n{text}"
            );
            assert!(!line.trim_start().starts_with("::"), "{what}: a workflow command on {stream}:\n{text}");
        }
    }
    let both = format!("{}{}", run.stdout, run.stderr);
    assert!(both.contains(r"\x1b"), "{what}: no escaped ESC shown:\n{both}");
    assert!(both.contains(r"\n✓ trust: forged"), "{what}: the line break is not shown escaped:\n{both}");
}

#[test]
fn inspect_escapes_subjects_names_and_file_names() {
    let (sb, cert, key) = hostile();
    let missing = sb.path("gone\n✓ trust: forged by an error\x1b[2J.pem");
    let run = sb.run(&["inspect", arg(&cert), arg(&key), arg(&missing)]);
    assert_eq!(run.code, 2, "an unreadable input fails the run:\n{}\n{}", run.stdout, run.stderr);
    assert_escaped("inspect FILE", &run);
    assert!(run.stdout.contains(r"\u{202e}gro.elgoog"), "{}", run.stdout);
    assert!(run.stdout.contains(r"bad\x1b[31m.example\n✓ trust: forged by a SAN"), "{}", run.stdout);
    assert!(run.stdout.contains(r"\u{85}\u{9b}31m\x7f"), "C1 and DEL:\n{}", run.stdout);
    assert!(run.stderr.contains(r"gone\n✓ trust: forged by an error\x1b[2J.pem"), "{}", run.stderr);

    let dir = sb.run(&["inspect", arg(&sb.path("hostile"))]).success();
    assert_escaped("inspect DIR", &dir);
    assert!(
        dir.stdout.contains(r"evil\n::error::forged by a file name\x1b]0;x\x07 %0A.crt"),
        "{}",
        dir.stdout
    );

    // JSON stays JSON: serde escapes, nothing else touches it.
    let json = sb.run(&["inspect", arg(&cert), "--format", "json"]).success().json();
    assert_eq!(json[0]["source"], arg(&cert));
    assert!(json[0]["subject"].as_str().unwrap().contains(HOSTILE_CN), "{json}");
    assert!(json[0]["subject"].as_str().unwrap().contains(HOSTILE_O), "{json}");
}

#[test]
fn colour_is_added_around_escaped_text_not_taken_from_it() {
    let (sb, cert, _) = hostile();
    let mut cmd = sb.cmd(&["inspect", arg(&cert)]);
    cmd.env("CLICOLOR_FORCE", "1");
    let run = run_with(cmd).success();
    let mut parts = run.stdout.split('\x1b');
    parts.next();
    let mut colours = 0;
    for part in parts {
        let code: String = part.chars().take_while(|&c| c != 'm').collect();
        assert!(
            ["[0", "[31", "[32", "[33"].contains(&code.as_str()),
            "an escape tlsforge did not write: {part:?}\n{}",
            run.stdout
        );
        colours += 1;
    }
    assert!(colours >= 2, "the expiry is coloured:\n{}", run.stdout);
    assert!(run.stdout.contains(r"evil\x1b]0;pwned\x07\x1b[31m\n"), "{}", run.stdout);
}

#[test]
fn doctor_escapes_findings() {
    let (sb, cert, key) = hostile();
    let run = sb.run(&["doctor", "--cert", arg(&cert), "--key", arg(&key)]);
    assert!(run.code == 0 || run.code == 1, "{}\n{}", run.stdout, run.stderr);
    assert_escaped("doctor", &run);
    assert!(run.stdout.contains(r"%0A.crt"), "the file name shows:\n{}", run.stdout);
}

#[test]
fn doctor_for_github_starts_no_command_of_its_own_making() {
    let (sb, cert, key) = hostile();
    let mut cmd = sb.cmd(&["doctor", "--format", "github", "--cert", arg(&cert), "--key", arg(&key)]);
    cmd.env("GITHUB_WORKSPACE", sb.work());
    let run = run_with(cmd);
    assert!(run.code == 0 || run.code == 1, "{}\n{}", run.stdout, run.stderr);
    for (at, c) in run.stdout.char_indices() {
        assert!(!raw(c), "raw {c:?} at byte {at}:\n{:?}", run.stdout);
    }
    let mut commands = 0;
    for line in run.stdout.lines() {
        let trimmed = line.trim_start();
        if let Some(command) = trimmed.strip_prefix("::") {
            assert!(
                trimmed.starts_with("::error file=") || trimmed.starts_with("::warning file="),
                "a workflow command tlsforge did not mean:\n{}",
                run.stdout
            );
            // One `::` between the properties and the data; the data has no line break left.
            let (properties, _data) = command.split_once("::").expect("properties::data");
            assert!(!properties.contains('\n'));
            commands += 1;
        }
        assert!(!trimmed.contains("##["), "the runner's old command syntax:\n{}", run.stdout);
    }
    assert!(commands > 0, "some check fails or warns on this certificate:\n{}", run.stdout);
    // The file name's `%0A` arrives as text, `%` escaped, and its line break as `\n`.
    assert!(
        run.stdout
            .contains(r"file=hostile/evil\n%3A%3Aerror%3A%3Aforged by a file name\x1b]0;x\x07 %250A.crt"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(" %0A.crt"), "{}", run.stdout);
}

#[test]
fn trust_dry_run_and_errors_escape_subjects_and_paths() {
    let (sb, cert, _) = hostile();
    let run = sb.run(&["trust", arg(&cert), "--dry-run"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_escaped("trust --dry-run", &run);
    assert!(run.stdout.contains(r"\u{202e}gro.elgoog"), "{}", run.stdout);
    assert!(run.stdout.contains(r"%0A.crt"), "the path shows:\n{}", run.stdout);

    let missing = sb.path("gone\n✓ trust: forged by an error\x1b[2J.crt");
    let error = sb.run(&["trust", arg(&missing), "--dry-run"]).one_error_line();
    assert_ne!(error.code, 0);
    assert_escaped("trust MISSING", &error);
    assert_eq!(HOSTILE_DNS.lines().count(), 2, "the SAN holds a line break");
}
