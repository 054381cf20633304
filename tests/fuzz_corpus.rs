//! The fuzz target's committed corpus (`fuzz/seeds/parse_content`), replayed in the ordinary
//! suite: every seed goes through the parser the fuzz target drives, and through `inspect` as a
//! user runs it, which answers with a documented exit status and one error line per unreadable
//! block, never a panic.

use std::fs;

use tlsforge::pki::content::{self, Content};

use crate::harness::{Sandbox, repo};

#[test]
fn every_seed_of_the_fuzz_corpus_parses_and_inspects_without_a_panic() {
    let dir = repo("fuzz/seeds/parse_content");
    let mut seeds: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    assert!(seeds.len() >= 10, "the corpus is committed: {}", dir.display());
    let sb = Sandbox::new();
    let mut items = 0;
    for seed in &seeds {
        let bytes = fs::read(seed).unwrap();
        if let Content::Items(found) = content::parse(&bytes) {
            assert!(!found.is_empty(), "{}: items, or a reason why none", seed.display());
            items += found.len();
        }
        let run = sb.run(&["inspect", seed.to_str().unwrap()]);
        assert!((0..=2).contains(&run.code), "{}: exit {}: {run:?}", seed.display(), run.code);
        assert!(!run.stderr.contains("panicked"), "{}: {run:?}", seed.display());
    }
    assert!(items > seeds.len() / 2, "the corpus is mostly things inspect reads: {items} items");
}
