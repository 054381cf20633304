//! NSS, read by headless Chromium: a page loads after trust and not after untrust, and the
//! local CA's name constraints hold.

use std::path::Path;
use std::process::{Command, Stdio};

use super::entry_for;
use crate::harness::{Sandbox, have, serve, tool};

/// Headless Chromium with HOME set to the sandbox's: whether it loads the page (`--dump-dom`
/// prints the page when the certificate is trusted, nothing when it is not).
fn chromium_loads(sb: &Sandbox, port: u16) -> bool {
    chromium_loads_host(sb, "localhost", port)
}

/// As [`chromium_loads`], for `https://HOST:PORT/` with HOST resolved to 127.0.0.1.
fn chromium_loads_host(sb: &Sandbox, host: &str, port: u16) -> bool {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .args(["120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        // Containers often have a small /dev/shm.
        .arg("--disable-dev-shm-usage")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--host-resolver-rules=MAP {host} 127.0.0.1"))
        .arg("--dump-dom")
        .arg(format!("https://{host}:{port}/"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.home())
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run chromium");
    assert_ne!(out.status.code(), Some(124), "chromium timed out");
    String::from_utf8_lossy(&out.stdout).contains("s_server")
}

fn nss_round_trip_in_chromium(gen_args: &[&str], flags: &str) {
    if !have("openssl") || !have("certutil") || !have("chromium") || !have("timeout") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(gen_args).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    assert!(!chromium_loads(&sb, server.port), "chromium loads the page before trust");

    let run = sb.run(&["trust", "server.crt", "--store", "nss"]).success();
    let nssdb = sb.home().join(".local/share/pki/nssdb");
    assert!(run.stdout.contains(&format!("{} (Chromium): trusted now", nssdb.display())), "{}", run.stdout);
    let anchor = if flags == "C,," { sb.ca_dir().join("ca.crt") } else { sb.path("server.crt") };
    let entry = entry_for(&anchor);
    let listed = tool("certutil", &["-L", "-d", &nssdb_spec(&nssdb)]).stdout;
    assert!(
        listed.lines().any(|l| l.starts_with(&entry) && l.split_whitespace().last() == Some(flags)),
        "{entry} with {flags}:\n{listed}"
    );
    assert!(chromium_loads(&sb, server.port), "chromium does not load the page after trust");
    sb.run(&["trust", "server.crt", "--store", "nss", "--check"]).success();

    let run = sb.run(&["untrust", "server.crt", "--store", "nss"]).success();
    assert!(run.stdout.contains("(Chromium): removed"), "{}", run.stdout);
    assert!(!chromium_loads(&sb, server.port), "chromium still loads the page after untrust");
    sb.run(&["trust", "server.crt", "--store", "nss", "--check"]).fails(1, "trusted by no client");
}

fn nssdb_spec(dir: &Path) -> String {
    format!("sql:{}", dir.display())
}

#[test]
fn chromium_trusts_a_self_signed_leaf_after_trust_store_nss() {
    // A self-signed leaf is a trusted peer (P) for Chromium and a trust anchor (C) for Firefox.
    nss_round_trip_in_chromium(&["gen", "localhost"], "CP,,");
}

#[test]
fn chromium_trusts_a_ca_issued_leaf_after_trust_store_nss() {
    nss_round_trip_in_chromium(&["gen", "--ca", "localhost"], "C,,");
}

#[test]
fn chromium_enforces_the_local_ca_name_constraints() {
    if !have("openssl") || !have("certutil") || !have("chromium") || !have("timeout") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    sb.run(&["trust", "--store", "nss"]).success();
    // Leaves signed with the CA key directly, as a thief holding ca.key would: a permitted name
    // loads (the CA is trusted), a real site's name does not (the constraints hold in Chromium).
    for (host, loads) in [("shop.test", true), ("example.com", false)] {
        let (crt, key) = (sb.path(&format!("{host}.crt")), sb.path(&format!("{host}.key")));
        crate::harness::forge_leaf(&sb.ca_dir(), host, &crt, Some(&key));
        let server = serve(&crt, &key);
        assert_eq!(chromium_loads_host(&sb, host, server.port), loads, "{host}");
    }
}
