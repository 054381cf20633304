//! Every fuzz target's committed corpus (`fuzz/seeds/TARGET`), replayed in the ordinary suite
//! through the same properties the target checks (`tlsforge::fuzzing`). The seeds of the
//! content parser also go through `inspect` as a user runs it, which answers with a documented
//! exit status and one error line per unreadable block, never a panic.

use std::fs;
use std::path::PathBuf;

use tlsforge::pki::content::{self, Content};

use crate::harness::{Sandbox, repo};

/// The properties a fuzz target checks.
type Property = fn(&[u8]);

/// Each target, with the property function its fuzz target calls.
const TARGETS: [(&str, Property); 4] = [
    ("parse_content", tlsforge::fuzzing::parse_content),
    ("names", tlsforge::fuzzing::names),
    ("durations", tlsforge::fuzzing::durations),
    ("dotenv", tlsforge::fuzzing::dotenv),
];

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = repo(&format!("fuzz/seeds/{target}"));
    let mut seeds: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 10, "the corpus is committed: {}", dir.display());
    seeds
}

#[test]
fn every_fuzz_target_has_a_committed_corpus_replayed_here() {
    let manifest = fs::read_to_string(repo("fuzz/Cargo.toml")).unwrap();
    let declared: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|name| *name != "tlsforge-fuzz")
        .collect();
    let replayed: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(declared, replayed, "fuzz/Cargo.toml declares these targets");
    let mut dirs: Vec<String> = fs::read_dir(repo("fuzz/seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort_unstable();
    let mut expected = replayed.clone();
    expected.sort_unstable();
    assert_eq!(dirs, expected, "one seed directory per target");
}

#[test]
fn every_seed_holds_the_properties_of_its_fuzz_target() {
    for (target, property) in TARGETS {
        for seed in seeds(target) {
            let bytes = fs::read(&seed).unwrap();
            let outcome = std::panic::catch_unwind(|| property(&bytes));
            assert!(outcome.is_ok(), "{target}: {} breaks a property (panic above)", seed.display());
        }
    }
}

#[test]
fn every_content_seed_parses_and_inspects_without_a_panic() {
    let seeds = seeds("parse_content");
    let sb = Sandbox::new();
    let mut items = 0;
    for seed in &seeds {
        let bytes = fs::read(seed).unwrap();
        if let Content::Items(found) = content::parse(&bytes) {
            items += found.len();
        }
        let run = sb.run(&["inspect", seed.to_str().unwrap()]);
        assert!((0..=2).contains(&run.code), "{}: exit {}: {run:?}", seed.display(), run.code);
        assert!(!run.stderr.contains("panicked"), "{}: {run:?}", seed.display());
    }
    assert!(items > seeds.len() / 2, "the corpus is mostly things inspect reads: {items} items");
}
