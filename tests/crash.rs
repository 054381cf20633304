//! Killed writers and concurrent writers: whatever moment `gen`, `gen --force`, `ca init
//! --force` or `env --write` dies, the next tlsforge command on the same files finds the old
//! set or the new one, never a key beside a certificate it does not belong to, and no
//! temporary file (which may hold a private key) survives. The kill is injected by strace at
//! the Nth rename, fsync, write and unlink, for every N until a run gets through.

use std::path::Path;

use crate::harness::{Run, Sandbox, have, listing, require, run_with, tool};

/// The system calls of each step of a write; a kill is injected at every one in turn.
const STEPS: [&str; 4] = ["rename,renameat,renameat2", "fsync,fdatasync", "write,writev", "unlink,unlinkat"];

/// No run writes this often: a bound on each loop.
const MAX_CALLS: usize = 40;

fn tools_here() -> bool {
    have("strace")
        && have("openssl")
        && require(
            "ptrace (strace -f true)",
            tool("strace", &["-f", "-qq", "-o", "/dev/null", "true"]).code == 0,
        )
}

/// `tlsforge ARGS`, killed (SIGKILL) at the `n`th call of `syscalls`, if it makes that many.
fn killed_at(sb: &Sandbox, syscalls: &str, n: usize, args: &[&str]) -> Run {
    let trace = format!("trace={syscalls}");
    let inject = format!("inject={syscalls}:signal=SIGKILL:when={n}");
    run_with(sb.cmd_via(&["strace", "-f", "-qq", "-o", "/dev/null", "-e", &trace, "-e", &inject], args))
}

/// Whether the key belongs to the certificate, as OpenSSL sees them.
fn matched(key: &Path, cert: &Path) -> bool {
    let key = tool("openssl", &["pkey", "-in", key.to_str().unwrap(), "-pubout"]);
    let cert = tool("openssl", &["x509", "-in", cert.to_str().unwrap(), "-noout", "-pubkey"]);
    key.code == 0 && cert.code == 0 && key.stdout == cert.stdout
}

/// Run `args` killed at every step in turn; `after_kill` checks what each run left (and the
/// last, unkilled run's result too). Says how many kills it injected (README's figures).
fn kill_everywhere(sb: &Sandbox, args: &[&str], mut after_kill: impl FnMut(&str, usize)) {
    let mut kills = 0;
    for syscalls in STEPS {
        for n in 1..=MAX_CALLS {
            let run = killed_at(sb, syscalls, n, args);
            after_kill(syscalls, n);
            if run.code != -1 {
                run.success();
                break;
            }
            kills += 1;
            assert!(n < MAX_CALLS, "{args:?} still killed at {syscalls} call {n}");
        }
    }
    assert!(kills > 0, "{args:?} was never killed: the test does not test it");
    eprintln!("faults: {kills} kills injected into tlsforge {}", args.join(" "));
}

#[test]
fn gen_killed_at_any_step_leaves_the_old_pair_or_the_new() {
    if !tools_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--name", "s"]).success();
    let (key, cert) = (sb.path("s.key"), sb.path("s.crt"));
    // Whichever command touches the pair next completes an interrupted write before it reads:
    // gen (which then refuses, as the files exist), and the readers env, snippet and trust.
    let next: [&[&str]; 4] = [
        &["env", "--shell", "sh", "--cert", "s.crt"],
        &["snippet", "nginx", "--cert", "s.crt"],
        &["trust", "s.crt", "--dry-run"],
        &["gen", "--name", "s"],
    ];
    let mut torn = 0;
    kill_everywhere(&sb, &["gen", "--name", "s", "--force"], |syscalls, n| {
        let at = format!("killed at {syscalls} call {n}");
        let reader = next[torn % next.len()];
        if sb.listing("").contains(&".s.tlsforge-journal".to_owned()) {
            // Between two renames: the journal says so, and doctor names it.
            torn += 1;
            let doctor = sb.run(&["doctor", "--cert", "s.crt", "--key", "s.key"]);
            assert!(doctor.stdout.contains("interrupted half-way"), "{at}: {}", doctor.stdout);
            let run = sb.run(reader);
            if reader[0] == "gen" {
                run.fails(1, "already exists");
            } else {
                run.success();
            }
        } else {
            assert!(matched(&key, &cert), "{at}: a mismatched pair without a journal");
            sb.run(&["gen", "--name", "s"]).fails(1, "already exists");
        }
        assert_eq!(sb.listing(""), ["s.crt", "s.key"], "{at}: leftovers after {reader:?}");
        assert!(matched(&key, &cert), "{at}: after {reader:?}");
    });
    assert!(torn >= next.len(), "{torn} kills fell between the two renames: not every reader was tried");

    // A first gen killed: no pair, or a whole one.
    let sb = Sandbox::new();
    kill_everywhere(&sb, &["gen", "--name", "n"], |syscalls, n| {
        let at = format!("killed at {syscalls} call {n}");
        sb.run(&["gen", "--name", "n", "--force"]).success();
        assert_eq!(sb.listing(""), ["n.crt", "n.key"], "{at}");
        assert!(matched(&sb.path("n.key"), &sb.path("n.crt")), "{at}");
        std::fs::remove_file(sb.path("n.key")).unwrap();
        std::fs::remove_file(sb.path("n.crt")).unwrap();
    });
}

#[test]
fn ca_init_force_killed_at_any_step_leaves_the_old_ca_or_the_new() {
    if !tools_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let (key, cert) = (sb.ca_dir().join("ca.key"), sb.ca_dir().join("ca.crt"));
    // Every command that uses the CA completes an interrupted write first, trust among them
    // (it must not put the old certificate in a store while the new key signs).
    let next: [&[&str]; 2] = [&["ca", "show"], &["trust", "--dry-run"]];
    let mut torn = 0;
    kill_everywhere(&sb, &["ca", "init", "--force"], |syscalls, n| {
        let at = format!("killed at {syscalls} call {n}");
        let mut user = next[0];
        if listing(&sb.ca_dir()).contains(&".ca.tlsforge-journal".to_owned()) {
            let doctor = sb.run(&["doctor", "--cert", "none.crt"]);
            assert!(doctor.stdout.contains("replacing the local CA in"), "{at}: {}", doctor.stdout);
            user = next[torn % next.len()];
            torn += 1;
        } else {
            assert!(matched(&key, &cert), "{at}: a mismatched CA without a journal");
        }
        sb.run(user).success();
        assert_eq!(listing(&sb.ca_dir()), [".lock", "ca.crt", "ca.key"], "{at}: leftovers after {user:?}");
        assert!(matched(&key, &cert), "{at}: after {user:?}");
    });
    assert!(torn >= next.len(), "{torn} kills fell between the two renames: not every user was tried");
}

#[test]
fn env_write_killed_at_any_step_leaves_the_old_file_or_the_new() {
    if !tools_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--name", "a"]).success();
    let old = "PORT=1\n";
    std::fs::write(sb.path("reference.env"), old).unwrap();
    sb.run(&["env", "--write", "reference.env", "--cert", "a.crt"]).success();
    let new = std::fs::read_to_string(sb.path("reference.env")).unwrap();
    std::fs::remove_file(sb.path("reference.env")).unwrap();
    std::fs::write(sb.path(".env"), old).unwrap();
    kill_everywhere(&sb, &["env", "--write", ".env", "--cert", "a.crt"], |syscalls, n| {
        let at = format!("killed at {syscalls} call {n}");
        let now = std::fs::read_to_string(sb.path(".env")).unwrap();
        assert!(now == old || now == new, "{at}: {now:?}");
        sb.run(&["env", "--write", ".env", "--cert", "a.crt"]).success();
        assert_eq!(sb.listing(""), [".env", "a.crt", "a.key"], "{at}: leftovers");
        std::fs::write(sb.path(".env"), old).unwrap();
    });
}

/// Eight writers at once on one target, round after round: they take turns, all succeed, and
/// the result is one whole set.
#[test]
fn parallel_writers_take_turns() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let parallel = |args: &[&str]| sb.all_at_once(8, args);
    for round in 0..10 {
        parallel(&["gen", "--name", "s", "--force"]);
        assert_eq!(sb.listing(""), ["s.crt", "s.key"], "round {round}");
        assert!(matched(&sb.path("s.key"), &sb.path("s.crt")), "round {round}: mismatched pair");
    }
    for round in 0..4 {
        parallel(&["ca", "init", "--force"]);
        assert_eq!(listing(&sb.ca_dir()), [".lock", "ca.crt", "ca.key"], "round {round}");
        let (key, cert) = (sb.ca_dir().join("ca.key"), sb.ca_dir().join("ca.crt"));
        assert!(matched(&key, &cert), "round {round}: mismatched CA");
    }
    for round in 0..4 {
        parallel(&["env", "--write", ".env", "--cert", "s.crt"]);
        assert_eq!(sb.listing(""), [".env", "s.crt", "s.key"], "round {round}");
        let text = std::fs::read_to_string(sb.path(".env")).unwrap();
        assert_eq!(text.matches("SSL_CERT_PATH=").count(), 1, "round {round}: {text}");
    }
}
