//! Directories hold certificate files; `--recursive` descends without looping.

use std::fs;

use super::json::{Item, items};
use crate::harness::Sandbox;

#[test]
fn directories_hold_certificate_files_and_recursive_descends() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "certs", "--name", "a", "a.test"]).success();
    sb.run(&["gen", "--out", "certs/sub", "--name", "b", "b.test"]).success();
    fs::write(sb.path("certs/README"), "These are my certificates.\n").unwrap();
    fs::copy(sb.path("certs/a.crt"), sb.path("certs/.hidden.crt")).unwrap();
    // An OpenSSL hash link to a.crt: the same file, inspected once under its own name.
    std::os::unix::fs::symlink("a.crt", sb.path("certs/0123abcd.0")).unwrap();
    // A directory link back up must not loop.
    std::os::unix::fs::symlink("..", sb.path("certs/sub/up")).unwrap();

    let run = sb.run(&["inspect", "certs", "--format", "json"]).success();
    let sources: Vec<String> = items(&run)
        .into_iter()
        .map(|i| match i {
            Item::Certificate(c) => c.source,
            Item::PrivateKey(k) => k.source,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sources, ["certs/a.crt", "certs/a.key"]);

    let run = sb.run(&["inspect", "certs/", "--recursive", "--format", "json"]).success();
    let found: Vec<(String, Option<bool>)> = items(&run)
        .into_iter()
        .map(|i| match i {
            Item::Certificate(c) => (c.source, None),
            Item::PrivateKey(k) => (k.source, k.matching_certificates.map(|m| m.len() == 1)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        found,
        [
            // Keys come last, each with every certificate of the run it belongs to.
            ("certs/a.crt".to_owned(), None),
            ("certs/sub/b.crt".to_owned(), None),
            ("certs/a.key".to_owned(), Some(true)),
            ("certs/sub/b.key".to_owned(), Some(true)),
        ]
    );
    let human = sb.run(&["inspect", "certs", "-r"]).success().stdout;
    assert!(human.contains("1 file skipped in directories"), "{human}");
}
