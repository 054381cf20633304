//! The published crate, as `cargo package --list` shows it: complete metadata (cargo warns
//! otherwise), everything the build and tests need, nothing private or throwaway.

use std::path::Path;
use std::process::Command;

use crate::harness::repo;

/// The files `cargo package` would put in the crate, without network.
fn package_list() -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo(""))
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo package --list failed:\n{stderr}");
    assert!(!stderr.to_lowercase().contains("warning"), "cargo package warns:\n{stderr}");
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}

/// Every file under `dir` (relative to the crate root), `/`-separated as cargo lists them.
fn files_under(dir: &str) -> Vec<String> {
    let root = repo("");
    let mut found = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(&root).unwrap();
                found.push(
                    rel.components().map(|c| c.as_os_str().to_str().unwrap()).collect::<Vec<_>>().join("/"),
                );
            }
        }
    }
    found
}

#[test]
fn the_crate_holds_sources_docs_and_licenses_and_nothing_private() {
    let files = package_list();
    // Keys anywhere; certificates and .env files that trying the README leaves at the root.
    let unwanted: Vec<&String> = files
        .iter()
        .filter(|f| {
            let ext = Path::new(f).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            ["fuzz/", ".ci/", "target/", "bench/"].iter().any(|dir| f.starts_with(dir))
                || ext.as_deref() == Some("key")
                || (!f.contains('/') && (*f == ".env" || matches!(ext.as_deref(), Some("pem" | "crt"))))
        })
        .collect();
    assert!(unwanted.is_empty(), "the crate would ship {unwanted:?}");

    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "src/lib.rs",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "man/tlsforge.1",
        "completions/tlsforge.bash",
        "tests/lib.rs",
    ] {
        assert!(files.iter().any(|f| f == needed), "{needed} is not in the crate: {files:#?}");
    }
    // The templates are embedded at build time: a missing one breaks `cargo install` from the crate.
    for template in files_under("templates") {
        assert!(files.contains(&template), "{template} is not in the crate");
    }
}

/// Keep a Changelog: an Unreleased section first, then an entry for the version Cargo.toml
/// names, dated, with a link for each.
#[test]
fn the_changelog_has_an_entry_for_this_version() {
    let changelog = std::fs::read_to_string(repo("CHANGELOG.md")).unwrap();
    let headings: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.first(), Some(&"## [Unreleased]"), "{headings:?}");
    let version = env!("CARGO_PKG_VERSION");
    let entry = format!("## [{version}] - ");
    let dated = headings.iter().find_map(|h| h.strip_prefix(entry.as_str()));
    let date =
        dated.unwrap_or_else(|| panic!("no `{entry}YYYY-MM-DD` heading in CHANGELOG.md: {headings:?}"));
    assert!(
        time::Date::parse(date, time::macros::format_description!("[year]-[month]-[day]")).is_ok(),
        "{date}"
    );
    for link in ["[Unreleased]: ", &format!("[{version}]: ")] {
        assert!(changelog.lines().any(|l| l.starts_with(link)), "no {link}link at the end");
    }
}
