//! `tlsforge doctor`: one fixture per failure, built here (gen, openssl, chmod, rcgen, a plain
//! TCP listener, `openssl s_server`), each checked for id, status, fix and exit status in the
//! human, JSON and GitHub formats.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::harness::{Run, Sandbox, free_port, have, openssl_chain, require, serve, tool};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    checks: Vec<Check>,
    summary: Summary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    id: String,
    status: String,
    message: String,
    fix: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Summary {
    ok: usize,
    warn: usize,
    fail: usize,
}

/// What one finding should look like, in every format.
struct Expect<'a> {
    id: &'a str,
    status: &'a str,
    message: &'a str,
    fix: Option<&'a str>,
    code: i32,
}

fn doctor_cmd(sb: &Sandbox, args: &[&str], format: &str) -> Command {
    let mut full = vec!["doctor", "--format", format];
    full.extend_from_slice(args);
    sb.cmd(&full)
}

fn run_cmd(mut cmd: Command) -> Run {
    Run::from(cmd.output().expect("run tlsforge"))
}

/// Run doctor in all three formats (with `env` set) and assert `expect` in each; returns the
/// JSON report.
#[track_caller]
fn check(sb: &Sandbox, args: &[&str], env: &[(&str, &str)], expect: &Expect<'_>) -> Report {
    let with_env = |format: &str| {
        let mut cmd = doctor_cmd(sb, args, format);
        for (key, value) in env {
            cmd.env(key, value);
        }
        run_cmd(cmd)
    };
    let context =
        |run: &Run| format!("args {args:?} env {env:?}\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);

    let json = with_env("json");
    assert_eq!(json.code, expect.code, "json exit status, {}", context(&json));
    let report: Report =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", context(&json)));
    let found = report
        .checks
        .iter()
        .find(|c| c.id == expect.id && c.status == expect.status && c.message.contains(expect.message))
        .unwrap_or_else(|| {
            panic!("no {} {} mentioning {:?}: {}", expect.status, expect.id, expect.message, context(&json))
        });
    match expect.fix {
        Some(fix) => {
            let given = found.fix.as_deref().unwrap_or_else(|| panic!("no fix: {}", context(&json)));
            assert!(given.contains(fix), "fix {given:?} should contain {fix:?}");
        }
        None => assert_eq!(found.fix, None),
    }
    let counted = Summary {
        ok: report.checks.iter().filter(|c| c.status == "ok").count(),
        warn: report.checks.iter().filter(|c| c.status == "warn").count(),
        fail: report.checks.iter().filter(|c| c.status == "fail").count(),
    };
    assert_eq!(report.summary, counted);
    assert_eq!(expect.code != 0, report.summary.fail > 0 || args.contains(&"--strict"));

    let human = with_env("human");
    assert_eq!(human.code, expect.code, "human exit status, {}", context(&human));
    let mark = match expect.status {
        "ok" => "[ok]  ",
        "warn" => "[warn]",
        _ => "[FAIL]",
    };
    let lines: Vec<&str> = human.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{mark} {}: ", expect.id)) && l.contains(expect.message))
        .unwrap_or_else(|| panic!("no human line: {}", context(&human)));
    if let Some(fix) = expect.fix {
        let next = lines.get(at + 1).copied().unwrap_or_default();
        assert!(next.starts_with("    fix: ") && next.contains(fix), "fix line {next:?}");
    }
    assert!(lines.last().unwrap().ends_with("failed"), "summary line: {}", context(&human));

    let github = with_env("github");
    assert_eq!(github.code, expect.code, "github exit status, {}", context(&github));
    let prefix = match expect.status {
        "ok" => format!("ok {}: ", expect.id),
        "warn" => "::warning ".to_owned(),
        _ => "::error ".to_owned(),
    };
    let title = format!("title=tlsforge doctor%3A {}::", expect.id);
    assert!(
        github.stdout.lines().any(|l| l.starts_with(&prefix)
            && (expect.status == "ok" || l.contains(&title))
            && l.contains(expect.message)
            && expect.fix.is_none_or(|fix| l.contains("%0Afix: ") && l.contains(fix))),
        "no github line {prefix}{title}: {}",
        context(&github)
    );
    report
}

fn fail<'a>(id: &'a str, message: &'a str, fix: &'a str) -> Expect<'a> {
    Expect { id, status: "fail", message, fix: Some(fix), code: 1 }
}

fn warn<'a>(id: &'a str, message: &'a str, fix: &'a str) -> Expect<'a> {
    Expect { id, status: "warn", message, fix: Some(fix), code: 0 }
}

fn ok<'a>(id: &'a str, message: &'a str) -> Expect<'a> {
    Expect { id, status: "ok", message, fix: None, code: 0 }
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Write an rcgen certificate for `localhost` valid from `from` to `to` (days from now), with
/// its key (0600), as server.crt / server.key.
fn rcgen_pair(sb: &Sandbox, from: i64, to: i64) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now + time::Duration::days(from);
    params.not_after = now + time::Duration::days(to);
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).unwrap();
    fs::write(sb.path("server.crt"), cert.pem()).unwrap();
    fs::write(sb.path("server.key"), key.serialize_pem()).unwrap();
    chmod(&sb.path("server.key"), 0o600);
}

/// `openssl req -x509` with exactly the extensions in `extensions` (none from openssl.cnf).
/// `OPENSSL_CONF` points at the same file, so that no system-wide policy (a crypto policy that
/// forbids SHA-1 signatures, say) applies: the weak certificates doctor must flag can be made.
/// False, with openssl's reason printed, if openssl still refuses.
fn openssl_pair(sb: &Sandbox, key: &[&str], digest: &str, days: &str, extensions: &str) -> bool {
    let config = sb.path("req.cnf");
    fs::write(
        &config,
        format!("[req]\ndistinguished_name=dn\nx509_extensions=ext\n[dn]\n[ext]\n{extensions}\n"),
    )
    .unwrap();
    let (cert, keyout) = (sb.path("server.crt"), sb.path("server.key"));
    let mut args =
        vec!["req", "-x509", "-config", config.to_str().unwrap(), "-nodes", "-subj", "/CN=localhost"];
    args.extend_from_slice(&["-newkey"]);
    args.extend_from_slice(key);
    args.extend_from_slice(&[digest, "-days", days, "-keyout", keyout.to_str().unwrap()]);
    args.extend_from_slice(&["-out", cert.to_str().unwrap()]);
    let run = Run::from(
        Command::new("openssl")
            .args(&args)
            .env("OPENSSL_CONF", &config)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl"),
    );
    if run.code != 0 {
        eprintln!("openssl refused {key:?} {digest}: {}", run.stderr);
        return false;
    }
    chmod(&sb.path("server.key"), 0o600);
    true
}

const EC: &[&str] = &["ec", "-pkeyopt", "ec_paramgen_curve:P-256"];

// ---------------------------------------------------------------------------------------------
// Files, parsing, the key.

#[test]
fn a_healthy_pair_exits_0_with_every_local_check_ok() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let report = check(
        &sb,
        &["--host", "localhost", "--host", "127.0.0.1"],
        &[],
        &ok("hosts", "127.0.0.1 is covered"),
    );
    for id in [
        "files",
        "parse",
        "key-match",
        "key-permissions",
        "cert-permissions",
        "validity",
        "san",
        "hosts",
        "server-auth",
        "lifetime",
        "key-strength",
        "signature",
        "not-ca",
        "chain",
    ] {
        let statuses: Vec<&str> =
            report.checks.iter().filter(|c| c.id == id).map(|c| c.status.as_str()).collect();
        assert!(!statuses.is_empty() && statuses.iter().all(|s| *s == "ok"), "{id}: {statuses:?}");
    }
    assert_eq!(report.summary.fail, 0);
    // No network without --connect.
    assert!(report.checks.iter().all(|c| !c.id.starts_with("connect")));
}

#[test]
fn symbols_are_unicode_on_a_utf8_terminal_and_ascii_under_no_color() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let mut cmd = sb.cmd(&["doctor"]);
    cmd.env("LANG", "C.UTF-8");
    let utf8 = run_cmd(cmd).success();
    assert!(utf8.stdout.contains("✓ files: "), "{}", utf8.stdout);
    let mut cmd = sb.cmd(&["doctor"]);
    cmd.env("LANG", "C.UTF-8").env("NO_COLOR", "1");
    let plain = run_cmd(cmd).success();
    assert!(plain.stdout.contains("[ok]   files: ") && !plain.stdout.contains('✓'), "{}", plain.stdout);
}

#[test]
fn missing_files_fail_with_the_gen_command() {
    let sb = Sandbox::new();
    check(&sb, &[], &[], &fail("files", "no certificate at", "tlsforge gen"));
    check(&sb, &["--host", "192.168.1.100"], &[], &fail("files", "no key at", "tlsforge gen 192.168.1.100"));
    fs::create_dir(sb.path("ssl")).unwrap();
    check(
        &sb,
        &["--cert", "ssl/app.crt", "--key", "ssl/app.key"],
        &[],
        &fail("files", "no certificate at", "tlsforge gen --out"),
    );
}

#[test]
fn cert_alone_finds_the_key_beside_it() {
    let sb = Sandbox::new();
    fs::create_dir(sb.path("ssl")).unwrap();
    sb.run(&["gen", "--out", "ssl", "--name", "app"]).success();
    let report = check(&sb, &["--cert", "ssl/app.crt"], &[], &ok("key-match", "the key belongs"));
    assert!(report.checks.iter().any(|c| c.id == "files" && c.message.ends_with("ssl/app.key is readable")));
}

#[test]
fn environment_paths_are_used_and_one_pointing_at_nothing_is_named() {
    let sb = Sandbox::new();
    fs::create_dir(sb.path("ssl")).unwrap();
    sb.run(&["gen", "--out", "ssl", "--name", "app"]).success();
    let cert = sb.path("ssl/app.crt");
    let key = sb.path("ssl/app.key");
    let env = [
        ("SSL_CERT_PATH", cert.to_str().unwrap()),
        ("SSL_KEY_PATH", key.to_str().unwrap()),
        ("ENABLE_SSL", "true"),
    ];
    check(&sb, &[], &env, &ok("environment", "SSL_CERT_PATH points at the certificate checked"));
    check(&sb, &[], &env, &ok("environment", "ENABLE_SSL=true"));
    check(&sb, &[], &env, &ok("key-match", "the key belongs"));

    let missing = [("SSL_CERT_PATH", "/nowhere/app.crt"), ("SSL_KEY_PATH", key.to_str().unwrap())];
    check(
        &sb,
        &[],
        &missing,
        &fail("files", "SSL_CERT_PATH points at /nowhere/app.crt, which does not exist", "tlsforge env"),
    );

    check(
        &sb,
        &[],
        &[("ENABLE_SSL", "yes")],
        &fail("environment", "ENABLE_SSL=\"yes\"", "export ENABLE_SSL=true"),
    );
    check(
        &sb,
        &[],
        &[("ENABLE_SSL", "true")],
        &fail("environment", "SSL_CERT_PATH is not set", "tlsforge env"),
    );
    // Flags win over the variables; a variable pointing elsewhere is a warning.
    sb.run(&["gen"]).success();
    check(&sb, &[], &[("ENABLE_SSL", "false")], &ok("environment", "ENABLE_SSL=false"));
    check(
        &sb,
        &["--cert", "server.crt", "--key", "server.key"],
        &env,
        &warn("environment", "the service loads another file", "tlsforge env --cert"),
    );
}

#[test]
fn unparsable_and_encrypted_files_fail() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    fs::write(sb.path("server.crt"), "hello\n").unwrap();
    check(&sb, &[], &[], &fail("parse", "holds no certificate", "tlsforge gen --force"));

    sb.run(&["gen", "--force"]).success();
    let run = tool(
        "openssl",
        &[
            "pkey",
            "-in",
            sb.path("server.key").to_str().unwrap(),
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            sb.path("enc.key").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    chmod(&sb.path("enc.key"), 0o600);
    check(&sb, &["--key", "enc.key"], &[], &fail("parse", "is encrypted", "openssl pkey -in"));
}

#[test]
fn a_key_from_another_pair_fails() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    sb.run(&["gen", "--name", "other"]).success();
    check(
        &sb,
        &["--key", "other.key"],
        &[],
        &fail("key-match", "does not belong to the certificate", "tlsforge gen --force"),
    );
}

/// The content range of the DER element at `pos` in `der`: (start, length).
fn der_element(der: &[u8], pos: usize) -> (usize, usize) {
    let first = der[pos + 1];
    if first < 0x80 {
        return (pos + 2, usize::from(first));
    }
    let count = usize::from(first & 0x7f);
    let len = der[pos + 2..pos + 2 + count].iter().fold(0, |acc, b| (acc << 8) | usize::from(*b));
    (pos + 2 + count, len)
}

/// Flip a byte in the middle of the `field`th element of the key inside a PKCS#8 `PRIVATE KEY`
/// file (PKCS#8 { version, algorithm, OCTET STRING { key SEQUENCE { ... } } }), keeping the
/// public key it carries intact: the EC scalar is field 1, the RSA private exponent d field 3.
fn damage_pkcs8_key(path: &Path, field: usize) {
    let text = fs::read_to_string(path).unwrap();
    let mut block = pem::parse(&text).unwrap();
    assert_eq!(block.tag(), "PRIVATE KEY");
    let mut der = block.contents().to_vec();
    let (outer, _) = der_element(&der, 0);
    let (_, version_len) = der_element(&der, outer);
    let algorithm = outer + 2 + version_len;
    let (algorithm_start, algorithm_len) = der_element(&der, algorithm);
    let (octets, _) = der_element(&der, algorithm_start + algorithm_len);
    let (mut pos, _) = der_element(&der, octets);
    for _ in 0..field {
        let (start, len) = der_element(&der, pos);
        pos = start + len;
    }
    let (start, len) = der_element(&der, pos);
    der[start + len / 2] ^= 0x5a;
    block = pem::Pem::new("PRIVATE KEY", der);
    fs::write(path, pem::encode(&block)).unwrap();
}

#[test]
fn a_key_with_a_damaged_private_part_fails_though_its_public_half_matches() {
    if !have("openssl") {
        return;
    }
    for (key_type, field) in [("ecdsa-p256", 1), ("rsa-2048", 3)] {
        let sb = Sandbox::new();
        sb.run(&["gen", "--key", key_type]).success();
        let key = sb.path("server.key");
        damage_pkcs8_key(&key, field);
        // The witness: openssl still reads the key and its public half, but its check rejects it.
        let public = tool("openssl", &["pkey", "-in", key.to_str().unwrap(), "-pubout"]);
        assert_eq!(public.code, 0, "{key_type}: {}", public.stderr);
        let cert_public =
            tool("openssl", &["x509", "-in", sb.path("server.crt").to_str().unwrap(), "-noout", "-pubkey"]);
        assert_eq!(public.stdout, cert_public.stdout, "{key_type}: the public half still matches");
        let checked = tool("openssl", &["pkey", "-in", key.to_str().unwrap(), "-check", "-noout"]);
        assert_ne!(checked.code, 0, "{key_type}: openssl pkey -check accepted the damaged key");

        check(
            &sb,
            &[],
            &[],
            &fail("key-match", "does not work with the certificate", "tlsforge gen --force"),
        );
        let run = sb
            .run(&["env", "--cert", "server.crt", "--key", "server.key"])
            .fails(1, "does not work with the certificate")
            .one_error_line();
        assert_eq!(run.stdout, "", "{key_type}");
        sb.run(&["snippet", "nginx", "--cert", "server.crt", "--key", "server.key"])
            .fails(1, "does not work with the certificate");
    }
}

#[test]
fn a_readable_key_fails_with_chmod_600() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    chmod(&sb.path("server.key"), 0o644);
    let key = sb.path("server.key");
    check(
        &sb,
        &[],
        &[],
        &fail("key-permissions", "readable by others (mode 0644)", &format!("chmod 600 {}", key.display())),
    );
    let github = sb.run(&["doctor", "--format", "github"]);
    assert!(
        github.stdout.contains("::error file=server.key,title=tlsforge doctor%3A key-permissions::"),
        "{}",
        github.stdout
    );
    chmod(&sb.path("server.key"), 0o640);
    check(&sb, &[], &[], &fail("key-permissions", "readable by its group", "chmod 600"));
    chmod(&sb.path("server.key"), 0o600);
    chmod(&sb.path("server.crt"), 0o600);
    check(&sb, &[], &[], &warn("cert-permissions", "only the owner can read the certificate", "chmod 644"));
}

// ---------------------------------------------------------------------------------------------
// The certificate itself.

#[test]
fn expired_not_yet_valid_and_expiring_certificates() {
    let sb = Sandbox::new();
    rcgen_pair(&sb, -40, -5);
    check(&sb, &[], &[], &fail("validity", "the certificate expired on", "tlsforge gen --force localhost"));
    rcgen_pair(&sb, 3, 60);
    check(&sb, &[], &[], &fail("validity", "is not valid until", "tlsforge gen --force"));
    rcgen_pair(&sb, -1, 10);
    check(&sb, &[], &[], &warn("validity", "expires in 9 days", "tlsforge gen --force"));
    check(&sb, &["--min-days", "5"], &[], &ok("validity", "(9 days)"));
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    check(&sb, &["--min-days", "400"], &[], &warn("validity", "--min-days 400", "tlsforge gen --force"));
    let strict = Expect { code: 1, ..warn("validity", "--min-days 400", "tlsforge gen --force") };
    check(&sb, &["--min-days", "400", "--strict"], &[], &strict);
    let run = sb.run(&["doctor", "--min-days", "400", "--strict"]);
    assert!(run.stderr.contains("--strict"), "{}", run.stderr);
}

#[test]
fn a_cn_only_certificate_fails_because_browsers_ignore_the_cn() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    assert!(openssl_pair(&sb, EC, "-sha256", "30", "basicConstraints=CA:FALSE"));
    check(&sb, &[], &[], &fail("san", "no subjectAltName", "tlsforge gen --force localhost"));
    check(
        &sb,
        &[],
        &[],
        &Expect { code: 1, ..warn("server-auth", "no extended key usage", "tlsforge gen --force") },
    );
}

#[test]
fn hosts_tell_ip_addresses_from_dns_names() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    check(
        &sb,
        &["--host", "192.168.1.100"],
        &[],
        &fail(
            "hosts",
            "does not cover the IP address 192.168.1.100",
            "tlsforge gen --force localhost 127.0.0.1 ::1 192.168.1.100",
        ),
    );
    check(&sb, &["--host", "app.test"], &[], &fail("hosts", "does not cover app.test", "app.test"));
    sb.run(&["gen", "--force", "*.app.test"]).success();
    check(&sb, &["--host", "api.app.test"], &[], &ok("hosts", "api.app.test is covered"));
}

#[test]
fn a_ca_certificate_as_server_certificate_fails() {
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let ca = sb.ca_dir();
    let (cert, key) = (ca.join("ca.crt"), ca.join("ca.key"));
    check(
        &sb,
        &["--cert", cert.to_str().unwrap(), "--key", key.to_str().unwrap()],
        &[],
        &fail("not-ca", "a CA certificate", "tlsforge gen --ca"),
    );
}

#[test]
fn rsa_1024_sha1_and_long_lived_certificates_fail() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let san = "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth";
    // A skip here is a failure under TLSFORGE_REQUIRE_TOOLS=1: CI must run this case.
    let weak = openssl_pair(&sb, &["rsa:1024"], "-sha1", "30", san);
    if require("openssl making an RSA-1024 certificate signed with SHA-1", weak) {
        check(&sb, &[], &[], &fail("key-strength", "RSA 1024", "tlsforge gen --force localhost"));
        check(&sb, &[], &[], &fail("signature", "sha1WithRSAEncryption", "tlsforge gen --force"));
    }
    assert!(openssl_pair(&sb, EC, "-sha256", "1000", san));
    check(&sb, &[], &[], &fail("lifetime", "valid for 1000 days", "tlsforge gen --force"));
    assert!(openssl_pair(
        &sb,
        EC,
        "-sha256",
        "30",
        "subjectAltName=DNS:localhost\nextendedKeyUsage=clientAuth"
    ));
    check(&sb, &[], &[], &fail("server-auth", "clientAuth without serverAuth", "tlsforge gen --force"));
}

// ---------------------------------------------------------------------------------------------
// Chain and trust.

#[test]
fn chain_verifies_against_the_local_ca_and_names_a_missing_issuer() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    check(&sb, &[], &[], &ok("chain", "issued by tlsforge's local CA"));
    let ca = sb.ca_dir().join("ca.crt");
    check(&sb, &["--ca", ca.to_str().unwrap()], &[], &ok("chain", "issued by --ca"));
    // A fresh CA with the same name did not issue it.
    fs::copy(&ca, sb.path("old-ca.crt")).unwrap();
    sb.run(&["ca", "init", "--force"]).success();
    check(
        &sb,
        &[],
        &[],
        &warn("chain", "neither --ca, tlsforge's local CA nor a root this system trusts", "--ca ISSUER.crt"),
    );
    check(&sb, &["--ca", ca.to_str().unwrap()], &[], &fail("chain", "did not issue the certificate", "--ca"));
    check(&sb, &["--ca", "old-ca.crt"], &[], &ok("chain", "issued by --ca"));
    check(&sb, &["--ca", "nothing.crt"], &[], &fail("chain", "cannot read --ca", "--ca"));
}

#[test]
fn a_full_chain_is_followed_to_a_system_root_and_a_bare_leaf_asks_for_it() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    openssl_chain(&sb.work(), "Stand-in");
    let read = |name: &str| fs::read_to_string(sb.path(name)).unwrap();
    fs::write(sb.path("fullchain.pem"), read("leaf.crt") + &read("int.crt")).unwrap();
    fs::write(sb.path("roots.pem"), read("root.crt")).unwrap();
    let roots = sb.path("roots.pem");
    let roots = roots.to_str().unwrap();
    let full = ["--cert", "fullchain.pem", "--key", "leaf.key"];

    // The root among the system's (SSL_CERT_FILE stands in for the distribution bundle).
    check(
        &sb,
        &full,
        &[("SSL_CERT_FILE", roots)],
        &ok(
            "chain",
            "(1 intermediate in the file), which chains to CN=Stand-in Root (a root this system trusts)",
        ),
    );
    // The same chain on a system that does not trust its root.
    check(
        &sb,
        &full,
        &[],
        &warn("chain", "ends at CN=Stand-in Root, which is neither --ca", "tlsforge trust ROOT.crt"),
    );
    // ... unless the root is given.
    check(
        &sb,
        &[&full[..], &["--ca", "root.crt"]].concat(),
        &[],
        &ok("chain", "which chains to CN=Stand-in Root (--ca"),
    );
    // certbot's cert.pem: the leaf alone, whose issuer no client has.
    check(
        &sb,
        &["--cert", "leaf.crt", "--key", "leaf.key"],
        &[("SSL_CERT_FILE", roots)],
        &warn("chain", "holds no intermediate", "fullchain.pem, not cert.pem"),
    );
    // An intermediate from another CA after the leaf: the file's chain is broken.
    let other = sb.path("other");
    fs::create_dir(&other).unwrap();
    openssl_chain(&other, "Other");
    fs::write(sb.path("mixed.pem"), read("leaf.crt") + &fs::read_to_string(other.join("int.crt")).unwrap())
        .unwrap();
    check(
        &sb,
        &["--cert", "mixed.pem", "--key", "leaf.key"],
        &[("SSL_CERT_FILE", roots)],
        &fail("chain", "certificate #1 in", "put the leaf first"),
    );
}

#[test]
fn trust_is_checked_per_client_with_the_trust_command_as_fix() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let cert = sb.path("server.crt");
    // A Firefox profile with a database, made by hand as Firefox would.
    let profile = sb.home().join(".mozilla/firefox/p.default");
    fs::create_dir_all(&profile).unwrap();
    let made = tool("certutil", &["-N", "-d", &format!("sql:{}", profile.display()), "--empty-password"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    check(
        &sb,
        &[],
        &[],
        &warn(
            "trust",
            "self-signed certificate is not trusted by Firefox profile p.default",
            &format!("tlsforge trust {} --store nss", cert.display()),
        ),
    );
    // This machine's system store is not touched by tests: it does not trust the certificate.
    check(&sb, &[], &[], &warn("trust", "not trusted by OpenSSL clients", "--store system"));
    sb.run(&["trust", "server.crt", "--store", "nss"]).success();
    check(&sb, &[], &[], &ok("trust", "self-signed certificate is trusted by Firefox profile p.default"));

    // The flags tlsforge 0.1.0 wrote satisfy Chromium, not Firefox: doctor says which.
    let db = format!("sql:{}", profile.display());
    let entry =
        sb.run(&["trust", "server.crt", "--dry-run", "--format", "json"]).json()["certificate"]["entry_name"]
            .as_str()
            .unwrap()
            .to_owned();
    assert_eq!(tool("certutil", &["-M", "-d", &db, "-n", &entry, "-t", "P,,"]).code, 0);
    check(&sb, &[], &[], &warn("trust", "needs C as well", "--store nss"));

    // For a CA-issued certificate the anchor is the CA, and the fix trusts the CA.
    sb.run(&["gen", "--ca", "--force"]).success();
    check(
        &sb,
        &[],
        &[],
        &warn(
            "trust",
            "tlsforge's local CA is not trusted by Firefox profile p.default",
            "tlsforge trust --store nss",
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// --connect.

/// A port nobody listens on.
/// A plain-HTTP service: answers every connection with an HTTP response, whatever it receives.
fn plain_http() -> u16 {
    answering(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

/// A server on a free port that reads what comes and answers `reply`, whatever was asked.
fn answering(reply: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 1024];
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(500)));
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(reply);
        }
    });
    port
}

#[test]
fn nothing_listening_fails_with_the_port() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let port = free_port();
    let target = format!("127.0.0.1:{port}");
    check(
        &sb,
        &["--connect", &target],
        &[],
        &fail(
            "connect-listen",
            &format!("nothing listens on {port}"),
            &format!("start the service on port {port}"),
        ),
    );
    let run = sb.run(&["doctor", "--connect", &target]);
    assert!(run.stdout.contains("is the service running on this port?"), "{}", run.stdout);
}

#[test]
fn a_plain_http_service_gets_its_own_message() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let target = format!("127.0.0.1:{}", plain_http());
    check(
        &sb,
        &["--connect", &target],
        &[],
        &Expect { code: 1, ..ok("connect-listen", "something listens") },
    );
    check(
        &sb,
        &["--connect", &target],
        &[],
        &fail("connect-tls", "speaks plain HTTP, not TLS", "tlsforge env"),
    );
}

#[test]
fn another_protocol_on_the_port_does_not_speak_tls() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    // The SSH port by mistake: not HTTP, so not called plain HTTP.
    let target = format!("127.0.0.1:{}", answering(b"SSH-2.0-OpenSSH_9.2p1\r\n"));
    let report = check(
        &sb,
        &["--connect", &target],
        &[],
        &fail("connect-tls", "does not speak TLS (not a TLS server: it answered \"SSH-2.0", "tlsforge env"),
    );
    assert!(!report.checks.iter().any(|c| c.message.contains("plain HTTP")), "{:?}", report.checks);
}

#[test]
fn a_server_serving_another_certificate_fails_and_the_right_one_verifies() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost", "127.0.0.1"]).success();
    sb.run(&["gen", "--ca", "--name", "old", "localhost", "127.0.0.1"]).success();
    let stale = serve(&sb.path("old.crt"), &sb.path("old.key"));
    let target = format!("localhost:{}", stale.port);
    check(
        &sb,
        &["--connect", &target],
        &[],
        &fail(
            "connect-served",
            "serves another certificate",
            &format!("restart the service on port {}", stale.port),
        ),
    );
    drop(stale);

    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let target = format!("localhost:{}", server.port);
    check(&sb, &["--connect", &target], &[], &ok("connect-tls", "speaks TLS"));
    check(&sb, &["--connect", &target], &[], &ok("connect-served", "serves the certificate on disk"));
    check(&sb, &["--connect", &target], &[], &ok("connect-verify", "the handshake verifies for localhost"));

    // A self-signed certificate nobody trusts: the handshake does not verify.
    sb.run(&["gen", "--force", "--name", "self", "localhost"]).success();
    let own = serve(&sb.path("self.crt"), &sb.path("self.key"));
    let target = format!("localhost:{}", own.port);
    check(
        &sb,
        &["--cert", "self.crt", "--key", "self.key", "--connect", &target],
        &[],
        &fail("connect-verify", "not trusted", "tlsforge trust"),
    );
}

#[test]
fn bad_usage_exits_2() {
    let sb = Sandbox::new();
    sb.run(&["doctor", "--host", "bad name!"]).fails(2, "--host").one_error_line();
    sb.run(&["doctor", "--connect", "localhost"]).fails(2, "--connect").one_error_line();
    sb.run(&["doctor", "--format", "yaml"]).fails(2, "yaml");
}

#[test]
fn lint_names_the_client_for_the_certificate_and_its_issuer() {
    let sb = Sandbox::new();
    // tlsforge's own certificates break no client's rule.
    sb.run(&["gen", "--domain", "localhost"]).success();
    check(&sb, &[], &[], &ok("lint", "no client's rule is broken"));
    // A self-signed leaf without an authority key identifier (rcgen's default): a warning only.
    rcgen_pair(&sb, -1, 30);
    check(
        &sb,
        &[],
        &[],
        &warn(
            "rfc5280-authority-key-id",
            "RFC 5280: a self-signed leaf without an authority key identifier",
            "tlsforge gen",
        ),
    );
    if !have("openssl") {
        return;
    }
    // A leaf from a CA whose basicConstraints is not critical: Python 3.13+ refuses the chain.
    let script = r"set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj '/CN=Loose CA' \
    -keyout loose.key -out loose.crt -addext basicConstraints=CA:TRUE -addext keyUsage=keyCertSign
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=localhost' -keyout server.key -out server.csr
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n' > leaf.ext
openssl x509 -req -in server.csr -CA loose.crt -CAkey loose.key -days 30 -extfile leaf.ext -out server.crt
chmod 600 server.key
";
    let run = Command::new("sh").args(["-c", script]).current_dir(sb.work()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let loose = sb.path("loose.crt");
    check(
        &sb,
        &["--ca", loose.to_str().unwrap()],
        &[],
        &fail(
            "python-strict-ca-basic-constraints-critical",
            "(CN=Loose CA): Python 3.13+ / OpenSSL strict: a CA whose basicConstraints is not marked critical",
            "basicConstraints=critical,CA:TRUE",
        ),
    );
}
