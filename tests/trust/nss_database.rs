//! The NSS database itself: trusting twice is one entry, untrust leaves neighbours alone.

use crate::harness::{Sandbox, have, report, statuses, tool};

fn nssdb(sb: &Sandbox) -> String {
    format!("sql:{}", sb.home().join(".local/share/pki/nssdb").display())
}

/// Nicknames in the sandbox's `~/.pki/nssdb`.
fn nss_nicknames(sb: &Sandbox) -> Vec<String> {
    let run = tool("certutil", &["-L", "-d", &nssdb(sb)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("SSL,S/MIME"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim_end().rsplit_once(char::is_whitespace).map_or(l, |(nick, _)| nick).trim().to_owned())
        .collect()
}

#[test]
fn nss_trust_is_idempotent_and_untrust_leaves_neighbours_alone() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    sb.run(&["gen", "--name", "other", "other.test"]).success();
    sb.run(&["trust", "server.crt", "--store", "nss"]).success();
    let again = report(&sb.run(&["trust", "server.crt", "--store", "nss", "--format", "json"]).success());
    assert_eq!(statuses(&again), [("nss", "already-trusted")]);
    let entry = again.certificate.entry_name;
    // A neighbour: another certificate someone trusted by hand.
    let other = sb.path("other.crt");
    let run = tool(
        "certutil",
        &["-A", "-d", &nssdb(&sb), "-t", "P,,", "-n", "neighbour", "-i", other.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut before = nss_nicknames(&sb);
    before.sort();
    assert_eq!(before, ["neighbour", entry.as_str()]);
    sb.run(&["untrust", "server.crt", "--store", "nss"]).success();
    assert_eq!(nss_nicknames(&sb), ["neighbour"]);
    let run = tool("certutil", &["-L", "-d", &nssdb(&sb), "-n", "neighbour"]);
    assert!(run.stdout.contains("Trusted Client CA") || run.stdout.contains("Trusted"), "{}", run.stdout);
}

/// Eight `trust` (then eight `untrust`) runs at once on one database, round after round: they
/// take turns, every one succeeds, and each round ends with exactly one entry (then none).
#[test]
fn parallel_trust_and_untrust_take_turns() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let parallel = |args: &[&str]| sb.all_at_once(8, args);
    for round in 0..4 {
        parallel(&["trust", "server.crt", "--store", "nss"]);
        assert_eq!(nss_nicknames(&sb).len(), 1, "round {round}: {:?}", nss_nicknames(&sb));
        parallel(&["untrust", "server.crt", "--store", "nss"]);
        assert!(nss_nicknames(&sb).is_empty(), "round {round}: {:?}", nss_nicknames(&sb));
    }
}
