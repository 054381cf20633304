//! `--color auto|always|never`, `NO_COLOR` and `CLICOLOR_FORCE`, for tlsforge's own output and for
//! clap's help and errors alike. Output goes into pipes here, where `auto` means no colour.

use std::process::{Command, Stdio};

use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

use crate::harness::{Run, Sandbox};

/// `tlsforge ARGS` with extra environment variables (the sandbox's environment is scrubbed).
fn run_env(sb: &Sandbox, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut cmd = sb.cmd(args);
    cmd.env("LANG", "C.UTF-8").envs(vars.iter().copied());
    Run::from(cmd.output().expect("run tlsforge"))
}

/// A sandbox with a certificate and key in the work directory, so `inspect` and `doctor` pass.
fn with_pair() -> Sandbox {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    sb
}

/// Commands that write colourable text: certificate details, doctor's marks, an error from
/// tlsforge, an error from `inspect`, clap's help and clap's usage error, and `env`.
const SAMPLES: &[&[&str]] = &[
    &["inspect", "server.crt"],
    &["doctor"],
    &["env", "--cert", "missing.crt"],
    &["inspect", "missing.crt"],
    &["--help"],
    &["inspect", "--help"],
    &["no-such-command"],
    &["env"],
];

fn escapes(run: &Run) -> bool {
    run.stdout.contains('\x1b') || run.stderr.contains('\x1b')
}

#[test]
fn always_colours_even_into_a_pipe_on_both_sides_of_the_subcommand() {
    let sb = with_pair();
    for args in
        [&["--color", "always", "inspect", "server.crt"][..], &["inspect", "server.crt", "--color=always"]]
    {
        let run = run_env(&sb, args, &[]).success();
        assert!(run.stdout.contains("\x1b[32m("), "{args:?}: green days left:\n{}", run.stdout);
    }
    let doctor = run_env(&sb, &["doctor", "--color", "always"], &[]).success();
    assert!(doctor.stdout.contains("\x1b[32m✓\x1b[0m files: "), "{}", doctor.stdout);
    // GitHub parses workflow commands: they stay plain whatever the flag says.
    let github = run_env(&sb, &["doctor", "--color", "always", "--format", "github"], &[]).success();
    assert!(!github.stdout.contains('\x1b'), "{}", github.stdout);

    let error = run_env(&sb, &["--color", "always", "env", "--cert", "missing.crt"], &[]);
    assert_eq!(error.code, 1, "{}", error.stderr);
    assert!(error.stderr.starts_with("\x1b[1;31merror:\x1b[0m cannot read"), "{}", error.stderr);
    assert!(error.stderr.contains("\n\x1b[1;32mhint:\x1b[0m "), "{}", error.stderr);
    let unreadable = run_env(&sb, &["inspect", "missing.crt", "--color", "always"], &[]);
    assert!(unreadable.stderr.starts_with("\x1b[1;31merror:\x1b[0m missing.crt: "), "{}", unreadable.stderr);

    let help = run_env(&sb, &["--color", "always", "--help"], &[]).success();
    assert!(help.stdout.contains("\x1b["), "clap's help follows the flag:\n{}", help.stdout);
    let usage = run_env(&sb, &["--color", "always", "no-such-command"], &[]);
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains("\x1b["), "and so do clap's errors:\n{}", usage.stderr);
}

#[test]
fn the_flag_beats_no_color() {
    let sb = with_pair();
    let run = run_env(&sb, &["inspect", "server.crt", "--color", "always"], &[("NO_COLOR", "1")]).success();
    assert!(run.stdout.contains("\x1b[32m("), "{}", run.stdout);
    let help = run_env(&sb, &["--color", "always", "--help"], &[("NO_COLOR", "1")]).success();
    assert!(help.stdout.contains("\x1b["), "{}", help.stdout);
    let doctor = run_env(&sb, &["doctor", "--color", "always"], &[("NO_COLOR", "1")]).success();
    // NO_COLOR still picks the ASCII marks; the flag colours them.
    assert!(doctor.stdout.contains("\x1b[32m[ok]  \x1b[0m files: "), "{}", doctor.stdout);
}

#[test]
fn never_means_no_escape_on_stdout_or_stderr_even_with_clicolor_force() {
    let sb = with_pair();
    for args in SAMPLES {
        for front in [true, false] {
            let mut full: Vec<&str> = if front { vec!["--color", "never"] } else { Vec::new() };
            full.extend_from_slice(args);
            if !front {
                full.extend(["--color", "never"]);
            }
            if full.contains(&"no-such-command") && !front {
                continue; // clap stops at the unknown subcommand
            }
            let run = run_env(&sb, &full, &[("CLICOLOR_FORCE", "1")]);
            assert!(!escapes(&run), "{full:?}:\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
            assert!(!run.stdout.is_empty() || !run.stderr.is_empty(), "{full:?} said nothing");
        }
    }
}

#[test]
fn auto_is_plain_into_a_pipe_and_under_no_color_but_forced_by_clicolor_force() {
    let sb = with_pair();
    for args in SAMPLES {
        let plain = run_env(&sb, args, &[]);
        assert!(!escapes(&plain), "{args:?} into a pipe:\n{}\n{}", plain.stdout, plain.stderr);
        let explicit: Vec<&str> = ["--color", "auto"].iter().chain(args.iter()).copied().collect();
        let plain = run_env(&sb, &explicit, &[]);
        assert!(!escapes(&plain), "{explicit:?} into a pipe:\n{}\n{}", plain.stdout, plain.stderr);
        let no_color = run_env(&sb, args, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        assert!(!escapes(&no_color), "{args:?}, NO_COLOR wins:\n{}\n{}", no_color.stdout, no_color.stderr);
    }
    // CLICOLOR_FORCE alone colours, ours and clap's alike; `0` does not force.
    for args in [&["inspect", "server.crt"][..], &["doctor"], &["inspect", "missing.crt"], &["--help"]] {
        let forced = run_env(&sb, args, &[("CLICOLOR_FORCE", "1")]);
        assert!(escapes(&forced), "{args:?} with CLICOLOR_FORCE=1:\n{}\n{}", forced.stdout, forced.stderr);
    }
    let zero = run_env(&sb, &["inspect", "server.crt"], &[("CLICOLOR_FORCE", "0")]);
    assert!(!escapes(&zero), "{}", zero.stdout);
}

#[test]
fn a_bad_value_is_one_clap_usage_error() {
    let sb = Sandbox::new();
    for args in [&["--color", "bogus", "inspect", "x"][..], &["inspect", "x", "--color=bogus"]] {
        let run = run_env(&sb, args, &[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.stderr.starts_with("error: invalid value 'bogus' for '--color <WHEN>'"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.matches("error").count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("[possible values: auto, always, never]"), "{}", run.stderr);
    }
}

/// `tlsforge setup ARGS` on a pseudo-terminal with a colour-capable TERM and `vars`, raw bytes
/// and all; waits for the names prompt and returns what the terminal showed up to it.
fn setup_prompt(sb: &Sandbox, args: &[&str], vars: &[(&str, &str)]) -> String {
    let mut cmd: Command = sb.cmd(&[]);
    cmd.arg("setup").args(["--purpose", "self-signed"]).args(args);
    cmd.env("SHELL", "/bin/bash")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .envs(vars.iter().copied());
    cmd.stdin(Stdio::inherit()).stdout(Stdio::inherit()).stderr(Stdio::inherit());
    let mut p: PtySession =
        spawn_with_options(cmd, Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(false))
            .expect("spawn tlsforge on a pty");
    let mut seen = p.exp_string("::1").unwrap_or_else(|e| panic!("waiting for the names prompt: {e}"));
    seen.push_str("::1");
    p.send("\x1b").unwrap(); // Esc cancels: nothing is written
    p.flush().unwrap();
    let _ = p.exp_eof();
    seen
}

/// Whether `text` holds an SGR sequence (`ESC [ digits ; ... m`), i.e. a colour or a weight.
/// Cursor moves and line clearing are not colour, and prompts need them.
fn has_sgr(text: &str) -> bool {
    text.split("\x1b[").skip(1).any(|rest| {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        end.is_some_and(|i| rest[i..].starts_with('m'))
    })
}

#[test]
fn setup_prompts_are_plain_when_stderr_takes_no_colour() {
    let sb = Sandbox::new();
    let colourful = setup_prompt(&sb, &[], &[]);
    assert!(has_sgr(&colourful), "a terminal gets the colourful theme:\n{colourful:?}");
    for (args, vars) in [(&["--color", "never"][..], &[][..]), (&[], &[("NO_COLOR", "1")])] {
        let plain = setup_prompt(&sb, args, vars);
        assert!(!has_sgr(&plain), "{args:?} {vars:?}:\n{plain:?}");
        assert!(plain.contains("[ ]") || plain.contains("[x]"), "the plain theme's boxes:\n{plain:?}");
    }
    assert!(sb.listing(".").is_empty(), "cancelled: nothing written");
}

#[test]
fn sgr_detection() {
    assert!(has_sgr("a \x1b[1;31merror:\x1b[0m"));
    assert!(!has_sgr("\x1b[2K\x1b[1A plain"));
}
