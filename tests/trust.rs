//! `trust` and `untrust` against real stores and real clients, without touching this machine's
//! trust: the system store inside a private mount namespace (copies bind-mounted over the real
//! paths, so the real `update-ca-certificates` runs), NSS in a temporary HOME read by headless
//! Chromium, Java on a copy of cacerts read by a Java HTTPS client.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{
    CURL_PEER_VERIFY_FAILED, JAVA_CLIENT, Namespace, STORE_DIRS, Sandbox, cert_der, fake_java_home, have,
    keytool_has, listing, proofs, python, report, run_with, serve, statuses, tool,
};

// ---------------------------------------------------------------------------------------------
// Helpers

/// The entry name every store should use for the certificate in `path`: "tlsforge-" and the
/// first 16 hex digits of its SHA-256 fingerprint.
fn entry_for(path: &Path) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, &cert_der(path));
    digest.as_ref()[..8].iter().fold(String::from("tlsforge-"), |mut name, byte| {
        let _ = write!(name, "{byte:02x}");
        name
    })
}

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

/// Trust, check, trust again, untrust, check, with curl and Python as the clients.
fn system_store_round_trip(gen_args: &[&str], expect_kind: &str) {
    if !have("openssl") || !have("curl") || !have(python()) {
        return;
    }
    let Some(ns) = Namespace::new() else { return };
    let real_before = listing(Path::new(STORE_DIRS[0]));
    let sb = Sandbox::new();
    sb.run(gen_args).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl trusts it before trust");
    assert_eq!(ns.python(server.port), 3, "python trusts it before trust");
    let anchors_before = listing(&ns.anchors());

    // --dry-run: the exact steps, nothing changed.
    let dry =
        ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--dry-run", "--format", "json"]);
    let dry = report(&dry.success());
    assert_eq!(dry.certificate.kind, expect_kind);
    let entry = dry.certificate.entry_name.clone();
    let anchor = if expect_kind == "local-ca" { sb.ca_dir().join("ca.crt") } else { sb.path("server.crt") };
    assert_eq!(entry, entry_for(&anchor));
    assert!(entry.starts_with("tlsforge-") && entry.len() == "tlsforge-".len() + 16, "{entry}");
    let steps: Vec<&str> = dry.stores[0].steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(
        steps,
        [
            format!("write /usr/local/share/ca-certificates/{entry}.crt").as_str(),
            "/usr/sbin/update-ca-certificates"
        ]
    );
    assert!(dry.stores[0].steps.iter().all(|s| s.root && !s.sudo), "root needs no sudo");
    assert_eq!(listing(&ns.anchors()), anchors_before, "--dry-run changed the store");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"])
        .fails(1, "trusted by no client");

    let run = ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system"]).success();
    assert!(
        run.stdout.contains("/usr/local/share/ca-certificates (Debian/Ubuntu): trusted now"),
        "{}",
        run.stdout
    );
    if expect_kind == "local-ca" {
        assert!(run.stdout.contains("was issued by tlsforge's local CA: trusting the CA"), "{}", run.stdout);
    }
    assert_eq!(ns.curl(server.port), 0, "curl after trust");
    assert_eq!(ns.python(server.port), 0, "python after trust");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"]).success();
    // Proved by handshakes: curl and Python read the bundle; Node reads its own list of roots,
    // so it refuses, and the check is partial (exit 3) — what a Node service would do.
    let proved = ns.tlsforge(
        &sb,
        &["trust", "server.crt", "--store", "system", "--check", "--clients", "--format", "json"],
    );
    let expected: &[(&str, &str)] = if have("node") {
        &[("curl", "trusted"), ("python", "trusted"), ("node", "not-trusted")]
    } else {
        &[("curl", "trusted"), ("python", "trusted")]
    };
    let proved = if have("node") { proved.fails(3, "Node.js handshake") } else { proved.success() };
    let proved = report(&proved);
    let handshakes = proved.handshakes.as_ref().expect("handshakes");
    assert_eq!(proofs(handshakes), expected, "{handshakes:?}");
    assert_eq!(handshakes.name.as_deref(), Some("localhost"));
    assert!(handshakes.disagreements.is_empty(), "{:?}", handshakes.disagreements);

    // Twice: one entry, nothing to do.
    let again = ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--format", "json"]).success();
    assert_eq!(statuses(&report(&again)), [("system", "already-trusted")]);
    let mut expected = anchors_before.clone();
    expected.push(format!("{entry}.crt"));
    expected.sort();
    assert_eq!(listing(&ns.anchors()), expected);

    let run = ns.tlsforge(&sb, &["untrust", "server.crt", "--store", "system"]).success();
    assert!(run.stdout.contains("(Debian/Ubuntu): removed"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("Removed {entry} from 1 of 1 selected stores")), "{}", run.stdout);
    assert_eq!(listing(&ns.anchors()), anchors_before, "untrust removes only its own anchor");
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl after untrust");
    assert_eq!(ns.python(server.port), 3, "python after untrust");
    ns.tlsforge(&sb, &["trust", "server.crt", "--store", "system", "--check"])
        .fails(1, "trusted by no client");
    let twice =
        ns.tlsforge(&sb, &["untrust", "server.crt", "--store", "system", "--format", "json"]).success();
    assert_eq!(statuses(&report(&twice)), [("system", "not-present")]);

    assert_eq!(listing(Path::new(STORE_DIRS[0])), real_before, "the real store was touched");
}

#[test]
fn system_store_trusts_a_self_signed_leaf_for_curl_and_python() {
    system_store_round_trip(&["gen", "localhost", "127.0.0.1"], "self-signed-leaf");
}

#[test]
fn system_store_trusts_the_local_ca_for_a_ca_issued_leaf() {
    system_store_round_trip(&["gen", "--ca", "localhost", "127.0.0.1"], "local-ca");
}

/// As an ordinary user, only the store's steps go through sudo, announced first. A stand-in
/// `sudo` records its arguments and runs the command as the same user; the namespace's copies
/// of the store belong to that user so that the real update-ca-certificates can run.
#[test]
fn as_a_user_only_the_store_steps_go_through_sudo() {
    if !have("openssl") || !have("curl") || !have("setpriv") {
        return;
    }
    let Some(ns) = Namespace::new() else { return };
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let fake_bin = sb.root().join("bin");
    fs::create_dir(&fake_bin).unwrap();
    let log = sb.root().join("sudo.log");
    fs::write(
        fake_bin.join("sudo"),
        format!(
            "#!/bin/sh\necho \"$*\" >> {}\n[ \"$1\" = -v ] && exit 0\n[ \"$1\" = -- ] && shift\nexec \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    let nobody = "65534";
    for path in [sb.root(), ns.copies.path()] {
        assert_eq!(tool("chown", &["-R", &format!("{nobody}:{nobody}"), path.to_str().unwrap()]).code, 0);
        assert_eq!(tool("chmod", &["755", path.to_str().unwrap()]).code, 0);
    }
    fs::set_permissions(fake_bin.join("sudo"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The binary must be reachable by nobody: run a copy from the sandbox.
    let enter = ns.enter(&sb.work());
    let mut wrapper: Vec<&str> = enter.iter().map(String::as_str).collect();
    let uid = format!("--reuid={nobody}");
    let gid = format!("--regid={nobody}");
    wrapper.extend(["setpriv", &uid, &gid, "--clear-groups"]);
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", fake_bin.display());
    let as_user = |args: &[&str]| {
        let mut cmd = sb.cmd_via(&wrapper, args);
        cmd.env("PATH", &path);
        run_with(cmd)
    };

    let dry = report(
        &as_user(&["trust", "server.crt", "--store", "system", "--dry-run", "--format", "json"]).success(),
    );
    let entry = dry.certificate.entry_name.clone();
    assert!(dry.stores[0].steps.iter().all(|s| s.root && s.sudo));
    let sudo = fake_bin.join("sudo");
    assert_eq!(
        dry.stores[0].steps[0].command,
        format!(
            "{} tee -- /usr/local/share/ca-certificates/{entry}.crt < the certificate (PEM)",
            sudo.display()
        )
    );
    assert!(!log.exists(), "--dry-run ran sudo");

    let run = as_user(&["trust", "server.crt", "--store", "system"]).success();
    assert!(
        run.stderr.contains("system (/usr/local/share/ca-certificates (Debian/Ubuntu)) needs root for:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("it may ask for your password"), "{}", run.stderr);
    assert_eq!(ns.curl(server.port), 0, "curl after trust through sudo");
    let calls = fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        [
            "-v".to_owned(),
            format!("tee -- /usr/local/share/ca-certificates/{entry}.crt"),
            "-- /usr/sbin/update-ca-certificates".to_owned(),
        ]
    );

    fs::remove_file(&log).unwrap();
    as_user(&["untrust", "server.crt", "--store", "system"]).success();
    let calls = fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        [
            "-v".to_owned(),
            format!("rm -f -- /usr/local/share/ca-certificates/{entry}.crt"),
            "-- /usr/sbin/update-ca-certificates".to_owned(),
        ]
    );
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl after untrust");
}

/// Debian's `update-ca-certificates` copies a new anchor into Java's keystore through the
/// ca-certificates-java hook, and does not remove it when the anchor goes: untrust must, or
/// Java clients keep trusting a certificate the user untrusted.
#[test]
fn system_untrust_on_debian_also_takes_the_anchor_out_of_javas_keystore() {
    if !have("openssl") || !have("java") {
        return;
    }
    let Some(ns) = Namespace::with_java_hook() else { return };
    let real_before = tool("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout;
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    fs::write(sb.path("Client.java"), JAVA_CLIENT).unwrap();
    let url = format!("https://localhost:{}/", server.port);
    let client = sb.path("Client.java");
    // Java's default truststore, i.e. /etc/ssl/certs/java/cacerts inside the namespace.
    let java = || ns.client("java", &[client.to_str().unwrap(), &url]);
    let listed = || ns.client("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout;
    assert_ne!(java().code, 0, "Java trusts the server before trust");

    let run = ns.tlsforge(&sb, &["trust", "--store", "system"]).success();
    let entry = entry_for(&sb.ca_dir().join("ca.crt"));
    assert!(run.stdout.contains("trusted now"), "{}", run.stdout);
    assert!(
        listed().contains(&format!("debian:{entry}.pem")),
        "the hook did not copy the anchor:\n{}",
        listed()
    );
    let after = java();
    assert_eq!(after.code, 0, "Java after the hook copied the anchor: {}", after.stderr);

    let dry = report(
        &ns.tlsforge(&sb, &["untrust", "--store", "system", "--dry-run", "--format", "json"]).success(),
    );
    let commands: Vec<&str> = dry.stores[0].steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    assert!(
        commands[2].contains(&format!(
            "-delete -keystore /etc/ssl/certs/java/cacerts -storepass changeit -alias debian:{entry}.pem"
        )),
        "{commands:?}"
    );

    let run = ns.tlsforge(&sb, &["untrust", "--store", "system"]).success();
    assert!(run.stdout.contains("(Debian/Ubuntu): removed"), "{}", run.stdout);
    assert!(!listed().contains("tlsforge"), "a tlsforge entry is left in Java's keystore:\n{}", listed());
    assert_ne!(java().code, 0, "Java still trusts the server after untrust");
    // Once more: nothing left anywhere.
    let again = report(&ns.tlsforge(&sb, &["untrust", "--store", "system", "--format", "json"]).success());
    assert_eq!(statuses(&again), [("system", "not-present")]);
    assert_eq!(
        tool("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout,
        real_before,
        "the real keystore changed"
    );
}

// ---------------------------------------------------------------------------------------------
// NSS, read by headless Chromium.

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

// ---------------------------------------------------------------------------------------------
// Java, on a copy of cacerts.

#[test]
fn java_keystore_entry_and_a_java_client() {
    if !have("openssl") || !have("keytool") || !have("java") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost"]).success();
    let java_home = fake_java_home(sb.root());
    let java = |args: &[&str]| {
        let mut cmd = sb.cmd(args);
        cmd.env("JAVA_HOME", &java_home);
        run_with(cmd)
    };
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    fs::write(sb.path("Client.java"), JAVA_CLIENT).unwrap();
    let truststore = java_home.join("lib/security/cacerts");
    let client = || {
        tool(
            "java",
            &[
                &format!("-Djavax.net.ssl.trustStore={}", truststore.display()),
                "-Djavax.net.ssl.trustStorePassword=changeit",
                sb.path("Client.java").to_str().unwrap(),
                &format!("https://localhost:{}/", server.port),
            ],
        )
    };
    let before = client();
    assert_ne!(before.code, 0, "the Java client accepts the server before trust");
    assert!(before.stderr.contains("PKIX path building failed"), "{}", before.stderr);

    let dry =
        report(&java(&["trust", "server.crt", "--store", "java", "--dry-run", "--format", "json"]).success());
    let entry = dry.certificate.entry_name.clone();
    let command = &dry.stores[0].steps[0].command;
    assert!(
        command.contains(" -importcert -keystore ") && command.contains(&format!("-alias {entry}")),
        "{command}"
    );
    assert!(!keytool_has(&java_home, &entry), "--dry-run changed cacerts");
    java(&["trust", "server.crt", "--store", "java", "--check"]).fails(1, "trusted by no client");

    let run = java(&["trust", "server.crt", "--store", "java"]).success();
    assert!(
        run.stdout.contains(&format!("{} (JAVA_HOME): trusted now", truststore.display())),
        "{}",
        run.stdout
    );
    assert!(keytool_has(&java_home, &entry));
    let after = client();
    assert_eq!(after.code, 0, "the Java client rejects the server after trust: {}", after.stderr);
    assert_eq!(after.stdout.trim(), "200");
    java(&["trust", "server.crt", "--store", "java", "--check"]).success();
    let again = report(&java(&["trust", "server.crt", "--store", "java", "--format", "json"]).success());
    assert_eq!(statuses(&again), [("java", "already-trusted")]);

    java(&["untrust", "server.crt", "--store", "java"]).success();
    assert!(!keytool_has(&java_home, &entry));
    assert_ne!(client().code, 0, "the Java client accepts the server after untrust");
}

#[test]
fn java_home_without_cacerts_skips_java_and_nothing_else() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let broken = sb.root().join("broken-jdk");
    fs::create_dir_all(broken.join("bin")).unwrap();
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "java", "--store", "nss", "--format", "json"]);
    cmd.env("JAVA_HOME", &broken);
    let run = run_with(cmd).fails(1, "1 of 2 selected stores did not succeed: java");
    let report = report(&run);
    assert!(!report.ok);
    assert_eq!(statuses(&report), [("nss", "trusted"), ("java", "skipped")]);
    assert_eq!(
        report.stores[1].detail.as_deref(),
        Some(
            format!(
                "JAVA_HOME={} has no lib/security/cacerts: point JAVA_HOME at a JDK or unset it",
                broken.display()
            )
            .as_str()
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Missing tools, refusals, warnings, the JSON report.

#[test]
fn a_missing_certutil_skips_nss_with_the_package_to_install() {
    if !have("keytool") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let java_home = fake_java_home(sb.root());
    let empty_path = sb.root().join("empty-path");
    fs::create_dir(&empty_path).unwrap();
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "nss", "--store", "java"]);
    cmd.env("PATH", &empty_path).env("JAVA_HOME", &java_home);
    let run = run_with(cmd).fails(1, "1 of 2 selected stores did not succeed: nss").one_error_line();
    let debian = fs::read_to_string("/etc/os-release")
        .is_ok_and(|r| r.contains("ID=debian") || r.contains("ID_LIKE=debian"));
    let package = if debian { "install the libnss3-tools package" } else { "libnss3-tools (Debian/Ubuntu)" };
    assert!(run.stdout.contains("certutil not found: "), "{}", run.stdout);
    assert!(run.stdout.contains(package), "{}", run.stdout);
    // Java went ahead all the same.
    assert!(run.stdout.contains("(JAVA_HOME): trusted now"), "{}", run.stdout);
    assert!(keytool_has(&java_home, &entry_for(&sb.path("server.crt"))));
}

#[test]
fn a_leaf_from_another_ca_is_refused_naming_its_issuer() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let ca_key = sb.path("other-ca.key");
    let ca = sb.path("other-ca.crt");
    let ok = tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=Some Other CA",
            "-keyout",
            ca_key.to_str().unwrap(),
            "-out",
            ca.to_str().unwrap(),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let leaf_key = sb.path("leaf.key");
    let csr = sb.path("leaf.csr");
    let leaf = sb.path("leaf.crt");
    let ok = tool(
        "openssl",
        &["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=app.test"]
            .into_iter()
            .chain(["-keyout", leaf_key.to_str().unwrap(), "-out", csr.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let ok = tool(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            csr.to_str().unwrap(),
            "-CA",
            ca.to_str().unwrap(),
            "-CAkey",
            ca_key.to_str().unwrap(),
            "-days",
            "30",
            "-out",
            leaf.to_str().unwrap(),
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);

    sb.run(&["trust", "leaf.crt", "--store", "nss", "--dry-run"])
        .fails(2, "leaf.crt is not self-signed: it was issued by CN=Some Other CA, which is not tlsforge's local CA")
        .one_error_line();
    sb.run(&["untrust", "leaf.crt", "--store", "nss"]).fails(2, "issued by CN=Some Other CA");

    // The foreign CA itself is accepted, after a warning on stderr: it has no name constraints.
    let run = sb.run(&["trust", "other-ca.crt", "--store", "nss", "--dry-run", "--format", "json"]).success();
    assert!(
        run.stderr.starts_with("warning: CN=Some Other CA is a CA from elsewhere without name constraints"),
        "{}",
        run.stderr
    );
    let report = report(&run);
    assert_eq!(report.certificate.kind, "foreign-ca");
    assert_eq!(report.warnings.len(), 1);
}

#[test]
fn cert_defaults_to_the_local_ca_and_needs_one() {
    let sb = Sandbox::new();
    sb.run(&["trust", "--store", "nss", "--dry-run"]).fails(1, "no local CA in").one_error_line();
    // The whole tool under sudo looks in root's home: say so.
    let mut cmd = sb.cmd(&["trust", "--store", "nss", "--dry-run"]);
    cmd.env("SUDO_USER", "alice");
    run_with(cmd).fails(1, "no local CA in").one_error_line().fails(1, "hint: tlsforge runs under sudo");
    sb.run(&["ca", "init"]).success();
    let report = report(&sb.run(&["trust", "--store", "nss", "--dry-run", "--format", "json"]).success());
    assert_eq!(report.certificate.kind, "local-ca");
    assert_eq!(report.certificate.path, sb.ca_dir().join("ca.crt"));
    assert!(report.certificate.subject.contains("CN=tlsforge local CA"), "{}", report.certificate.subject);
    assert!(report.warnings.is_empty(), "the constrained local CA needs no warning");
}

#[test]
fn bad_input_is_refused_before_anything_happens() {
    let sb = Sandbox::new();
    sb.run(&["trust", "missing.crt", "--store", "nss"]).fails(2, "cannot read").one_error_line();
    fs::write(sb.path("junk.crt"), "hello").unwrap();
    sb.run(&["trust", "junk.crt", "--store", "nss"]).fails(2, "neither a PEM nor a DER certificate");
    sb.run(&["trust", "--store", "nope"]).fails(2, "invalid value 'nope'");
    sb.run(&["trust", "--check", "--dry-run"]).fails(2, "cannot be used with");
    sb.run(&["trust", "--clients"]).fails(2, "--check");
    sb.run(&["trust", "--check", "--key", "x.key"]).fails(2, "--clients");
}

#[test]
fn dry_run_of_the_default_stores_changes_nothing_and_shows_every_step() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    // JAVA_HOME: a copy, in case a JDK is found (a dry run only reads, but reads a copy here).
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "all", "--dry-run", "--format", "json"]);
    if have("keytool") {
        cmd.env("JAVA_HOME", fake_java_home(sb.root()));
    }
    let run = run_with(cmd).success();
    let report = report(&run);
    assert!(report.dry_run);
    let nss = report.stores.iter().find(|s| s.store == "nss").expect("nss with certutil installed");
    assert_eq!(nss.status, "planned");
    let commands: Vec<&str> = nss.steps.iter().map(|s| s.command.as_str()).collect();
    let db = sb.home().join(".local/share/pki/nssdb");
    assert_eq!(commands[0], format!("mkdir -p -m 700 {}", db.display()));
    assert!(
        commands[1].ends_with(&format!("certutil -N -d sql:{} --empty-password", db.display())),
        "{}",
        commands[1]
    );
    assert!(
        commands[2].contains(&format!("-t CP,, -n {}", report.certificate.entry_name)),
        "{}",
        commands[2]
    );
    assert!(!db.exists(), "--dry-run created the NSS database");
    assert!(!sb.home().join(".pki").exists(), "the legacy database directory was created");
    assert!(report.stores.iter().any(|s| s.store == "system"), "the system store is always selected");

    let human = sb.run(&["untrust", "server.crt", "--store", "nss", "--dry-run"]).success();
    assert!(human.stdout.contains("not there, nothing to remove"), "{}", human.stdout);
    assert!(human.stdout.contains("Dry run: nothing was changed."), "{}", human.stdout);
}

/// `--clients` needs something to serve: the key of a self-signed certificate (beside it or
/// named), or the local CA to issue a temporary one. Without it the check says why, and fails.
#[test]
fn clients_say_why_nothing_could_be_served() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    fs::rename(sb.path("server.key"), sb.path("elsewhere.key")).unwrap();
    let run = sb.run(&["trust", "server.crt", "--store", "nss", "--check", "--clients", "--format", "json"]);
    let run = run.fails(1, "no handshake (cannot read the key");
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert!(
        handshakes.error.as_deref().unwrap().ends_with("pass the certificate's key with --key"),
        "{handshakes:?}"
    );
    assert!(handshakes.clients.is_empty() && handshakes.port.is_none());

    // Named with --key, it is served (and Chromium, whose database tlsforge trusted, accepts it).
    sb.run(&["trust", "server.crt", "--store", "nss"]).success();
    let args = [
        "trust",
        "server.crt",
        "--store",
        "nss",
        "--check",
        "--clients",
        "--key",
        "elsewhere.key",
        "--format",
        "json",
    ];
    let run = sb.run(&args);
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert_eq!(handshakes.error, None);
    assert_eq!(
        handshakes.served.as_deref(),
        Some(format!("{} with its key", sb.path("server.crt").display()).as_str())
    );
    if have("chromium") {
        assert_eq!(proofs(&handshakes), [("chromium", "trusted")]);
        run.success();
    }

    // The local CA, named by nothing: a temporary leaf it issues for localhost.
    sb.run(&["ca", "init"]).success();
    let run = sb.run(&["trust", "--store", "nss", "--check", "--clients", "--format", "json"]);
    let handshakes = report(&run).handshakes.expect("handshakes");
    assert_eq!(
        handshakes.served.as_deref(),
        Some("a temporary certificate for localhost issued by the local CA")
    );
    assert_eq!(handshakes.name.as_deref(), Some("localhost"));
}
