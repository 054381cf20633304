//! Completions and man pages: generated from the clap definition, committed, checked for drift,
//! and proven to load in real shells and render in groff.

use std::fs;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;
use tlsforge::commands::{completions, man};

use crate::harness::{have, repo, tool};

const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

#[test]
fn the_cli_definition_is_consistent() {
    tlsforge::cli::Cli::command().debug_assert();
}

/// Every generated file, with what it should contain.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = SHELLS
        .iter()
        .map(|shell| {
            (repo(&format!("completions/{}", completions::file_name(*shell))), completions::script(*shell))
        })
        .collect();
    files.push((repo("man/tlsforge.1"), man::page(None).unwrap()));
    for sub in man::subcommands() {
        files.push((repo(&format!("man/{}", man::file_name(Some(&sub)))), man::page(Some(&sub)).unwrap()));
    }
    files
}

#[test]
fn committed_completions_and_man_pages_match_the_cli() {
    let bless = std::env::var_os("TLSFORGE_BLESS").is_some_and(|v| v == "1");
    let files = generated();
    let mut stale = Vec::new();
    for (path, expected) in &files {
        if fs::read(path).ok().as_ref() != Some(expected) {
            if bless {
                fs::write(path, expected).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // Pages of subcommands that no longer exist are drift too.
    let known: Vec<&PathBuf> = files.iter().map(|(p, _)| p).collect();
    for dir in ["completions", "man"] {
        for entry in fs::read_dir(repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !known.contains(&&path) && path.file_name().is_some_and(|n| n != ".gitkeep") {
                if bless {
                    fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no longer generated)", path.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are out of date:\n  {}\nrefresh them with: TLSFORGE_BLESS=1 cargo test --test integration committed_completions",
        stale.join("\n  ")
    );
}

fn subcommand_names() -> Vec<String> {
    man::subcommands()
}

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    if !have("bash") {
        return;
    }
    let script = repo("completions/tlsforge.bash");
    let out = tool(
        "bash",
        &[
            "--norc",
            "-c",
            &format!(
                "source '{}' && complete -p tlsforge && COMP_WORDS=(tlsforge '') COMP_CWORD=1 COMP_LINE='tlsforge ' \
                 COMP_POINT=9 && _tlsforge tlsforge '' tlsforge && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display()
            ),
        ],
    )
    .success();
    assert!(out.stdout.contains("-F _tlsforge tlsforge"), "{}", out.stdout);
    for sub in subcommand_names() {
        assert!(out.stdout.lines().any(|l| l == sub), "bash completes {sub}: {}", out.stdout);
    }
}

#[test]
fn zsh_completion_registers_with_compinit() {
    if !have("zsh") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("zsh")
        .args([
            "-f",
            "-c",
            &format!(
                "fpath=('{}' $fpath); autoload -U compinit; compinit -u -d '{}/zcompdump'; print -r -- ${{_comps[tlsforge]}}",
                repo("completions").display(),
                home.path().display()
            ),
        ])
        .env("HOME", home.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout.trim(), "_tlsforge", "{out:?}");
}

#[test]
fn fish_completion_lists_the_subcommands() {
    if !have("fish") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("fish")
        .args([
            "--no-config",
            "-c",
            &format!("source '{}'; complete -C 'tlsforge '", repo("completions/tlsforge.fish").display()),
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    for sub in subcommand_names() {
        assert!(
            stdout.lines().any(|l| l.split('\t').next() == Some(sub.as_str())),
            "fish completes {sub}: {stdout}"
        );
    }
}

#[test]
fn man_pages_render_without_warnings() {
    if !have("groff") || !have("man") {
        return;
    }
    for (path, _) in generated().into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "1")) {
        let file = path.to_str().unwrap();
        let out = tool("groff", &["-man", "-Tutf8", "-ww", "-z", file]).success();
        assert!(out.stderr.is_empty(), "{file}: groff warnings:\n{}", out.stderr);
        let rendered = tool("man", &["-l", "-Tutf8", file]).success();
        assert!(rendered.stdout.contains("tlsforge"), "{file}");
    }
}
