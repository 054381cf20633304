//! `--help` for every command: a one-line summary, help for every argument, and 2–4 examples that
//! clap accepts, so an example cannot show a flag that does not exist. And `--version` everywhere.

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use tlsforge::cli::Cli;

use crate::harness::Sandbox;

/// Every command below `tlsforge` (and `tlsforge` itself, path `[]`), with its path of names
/// (e.g. `["ca", "init"]`). clap's generated `help` subcommands are left out.
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.to_vec(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut sub_path = path.to_vec();
            sub_path.push(sub.get_name().to_owned());
            walk(sub, &sub_path, out);
        }
    }
    let mut root = Cli::command();
    // Built, the command has what `--help` shows: help and version flags, propagated arguments.
    root.build();
    let mut out = Vec::new();
    walk(&root, &[], &mut out);
    out
}

/// The lines of a help text's examples block: those indented by two spaces after `Examples:`.
fn example_lines(after_help: &str) -> Option<Vec<&str>> {
    let mut lines = after_help.lines().skip_while(|l| l.trim_end() != "Examples:");
    lines.next()?;
    Some(lines.take_while(|l| l.starts_with("  ")).collect())
}

/// The examples of a help text, with `\` continuations joined and `# comments` dropped.
fn examples(after_help: &str) -> Option<Vec<String>> {
    let mut examples: Vec<String> = Vec::new();
    let mut continued = false;
    for line in example_lines(after_help)? {
        let line = line.trim();
        let (text, next_continues) = match line.strip_suffix('\\') {
            Some(text) => (text.trim_end(), true),
            None => (line, false),
        };
        let text = text.find(" #").map_or(text, |at| text[..at].trim_end());
        match examples.last_mut() {
            Some(last) if continued => {
                last.push(' ');
                last.push_str(text);
            }
            _ => examples.push(text.to_owned()),
        }
        continued = next_continues;
    }
    Some(examples)
}

/// The words clap sees for an example: what comes before a pipe or redirection, split on
/// whitespace, quotes removed (the examples quote only to keep a shell from globbing).
fn words(example: &str) -> Vec<String> {
    let end = ["|", ">", "<", "$("].iter().filter_map(|s| example.find(s)).min().unwrap_or(example.len());
    example[..end].split_whitespace().map(|w| w.replace(['\'', '"'], "")).collect()
}

/// What is wrong with the examples of the command at `path` (empty: nothing).
fn example_problems(path: &[String], after_help: Option<&str>) -> Vec<String> {
    let name = format!("tlsforge {}", path.join(" ")).trim_end().to_owned();
    let Some(examples) = after_help.and_then(examples) else {
        return vec![format!("{name}: no `Examples:` block after the help")];
    };
    let mut problems = Vec::new();
    // clap wraps help at 100 columns without a terminal: a longer line breaks mid-example.
    for line in after_help.and_then(example_lines).unwrap_or_default() {
        if line.chars().count() > 100 {
            problems.push(format!("{name}: example line longer than 100 columns: {line}"));
        }
    }
    if !(2..=4).contains(&examples.len()) {
        problems.push(format!("{name}: {} examples, not 2 to 4: {examples:#?}", examples.len()));
    }
    for example in &examples {
        let words = words(example);
        if words.first().map(String::as_str) != Some("tlsforge") {
            problems.push(format!("{name}: example does not start with `tlsforge `: {example}"));
            continue;
        }
        if !words[1..].starts_with(path) {
            problems.push(format!("{name}: example is not of this command: {example}"));
        }
        if let Err(err) = Cli::try_parse_from(&words) {
            problems.push(format!("{name}: clap refuses the example `{example}`:\n{err}"));
        }
    }
    problems
}

#[test]
fn every_command_has_a_summary_argument_help_and_examples() {
    let mut problems = Vec::new();
    let all = commands();
    for (path, cmd) in &all {
        let name = format!("tlsforge {}", path.join(" "));
        match cmd.get_about().map(ToString::to_string) {
            None => problems.push(format!("{name}: no summary (about)")),
            Some(about) if about.contains('\n') || about.ends_with('.') || about.is_empty() => {
                problems.push(format!("{name}: the summary is not one line without a full stop: {about:?}"));
            }
            Some(_) => {}
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_hide_set() || id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none_or(|h| h.to_string().trim().is_empty()) {
                problems.push(format!("{name}: argument {id} has no help"));
            }
        }
        let after_help = cmd.get_after_help().or(cmd.get_after_long_help()).map(ToString::to_string);
        // The top level shows the whole flow: its examples may be of any subcommand.
        let scope = if path.is_empty() { &[][..] } else { &path[..] };
        problems.extend(example_problems(scope, after_help.as_deref()));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The walk found the nested commands, not just the top level.
    for expected in [&["ca", "init"][..], &["snippet", "compose"], &["doctor"], &[]] {
        assert!(all.iter().any(|(p, _)| p == expected), "{expected:?} not walked");
    }
}

/// The checker above fails on what it should catch.
#[test]
fn the_example_check_catches_bad_examples() {
    let gen_path = vec!["gen".to_owned()];
    let check = |text: &str| example_problems(&gen_path, Some(text));
    assert!(check("Examples:\n  tlsforge gen\n  tlsforge gen --days 30  # a month").is_empty());
    assert!(check("Examples:\n  tlsforge gen --out \\\n      certs\n  tlsforge gen > log").is_empty());
    for (bad, needle) in [
        ("Examples:\n  tlsforge gen\n  tlsforge gen --no-such-flag", "clap refuses"),
        ("Examples:\n  tlsforge gen\n  tlsforge gen --days 9999", "clap refuses"),
        ("Examples:\n  tlsforge gen\n  tlsforge inspect x.pem", "not of this command"),
        ("Examples:\n  tlsforge gen\n  eval \"$(tlsforge gen)\"", "does not start with"),
        ("Examples:\n  tlsforge gen", "1 examples"),
        (
            "Examples:\n  tlsforge gen\n  tlsforge gen\n  tlsforge gen\n  tlsforge gen\n  tlsforge gen",
            "5 examples",
        ),
        ("Usage: tlsforge gen", "no `Examples:`"),
        (&format!("Examples:\n  tlsforge gen\n  tlsforge gen --days 30 # {}", "x".repeat(80)), "100 columns"),
    ] {
        let problems = check(bad);
        assert!(problems.iter().any(|p| p.contains(needle)), "{bad:?} → {problems:?}");
    }
    assert_eq!(words("tlsforge ca path | xargs ls -l"), ["tlsforge", "ca", "path"]);
    assert_eq!(words("tlsforge gen '*.app.test' >> log"), ["tlsforge", "gen", "*.app.test"]);
}

#[test]
fn help_shows_the_examples() {
    let sb = Sandbox::new();
    let out = sb.run(&["ca", "init", "--help"]).success();
    assert!(out.stdout.contains("Examples:\n  tlsforge ca init\n"), "{}", out.stdout);
    let out = sb.run(&["-h"]).success();
    assert!(out.stdout.contains("  tlsforge gen --domain localhost --days 365"), "{}", out.stdout);
}

#[test]
fn version_is_printed_by_tlsforge_and_every_subcommand() {
    let version = env!("CARGO_PKG_VERSION");
    let sb = Sandbox::new();
    let out = sb.run(&["--version"]).success();
    assert_eq!(out.stdout, format!("tlsforge {version}\n"));
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_eq!(sb.run(&["-V"]).success().stdout, format!("tlsforge {version}\n"));
    let out = sb.run(&["ca", "init", "--version"]).success();
    assert!(out.stdout.ends_with(&format!(" {version}\n")), "{}", out.stdout);
    assert!(!sb.ca_dir().exists(), "--version created the CA");
    for (path, _) in commands() {
        let mut argv = vec!["tlsforge".to_owned()];
        argv.extend(path.iter().cloned());
        argv.push("--version".to_owned());
        let err = Cli::try_parse_from(&argv).expect_err("--version stops parsing");
        assert_eq!(err.kind(), ErrorKind::DisplayVersion, "{argv:?}: {err}");
        assert!(err.to_string().contains(version), "{argv:?}: {err}");
    }
}
