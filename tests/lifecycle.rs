//! Issue 18's lifecycle: the inventory `gen` keeps (`list`), renewals (`renew`), and the daily
//! job (`renew --install-timer`), run in the sandbox with real tools checking the results.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use x509_parser::prelude::*;

use crate::harness::{BIN, Run, Sandbox, cert_der, have, mode, run_with, tool};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListJson {
    inventory: PathBuf,
    certificates: Vec<ListedJson>,
    adopted: Vec<PathBuf>,
    pruned: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListedJson {
    cert_path: PathBuf,
    key_path: PathBuf,
    #[serde(default)]
    p12_path: Option<PathBuf>,
    names: Vec<String>,
    key_type: String,
    issuer: IssuerJson,
    serial: String,
    fingerprint_sha256: String,
    not_before: String,
    not_after: String,
    recorded_at: String,
    made_with: MadeWithJson,
    days_left: Option<i64>,
    files: String,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerJson {
    kind: String,
    #[serde(default)]
    ca_dir: Option<PathBuf>,
    #[serde(default)]
    fingerprint_sha256: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_excessive_bools)]
struct MadeWithJson {
    days: u32,
    key: String,
    lan: bool,
    #[serde(default)]
    given: Option<Vec<String>>,
    client_auth: bool,
    #[serde(default)]
    p12: Option<String>,
    adopted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenewJson {
    dry_run: bool,
    inventory: PathBuf,
    certificates: Vec<RenewalJson>,
    ok: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenewalJson {
    cert_path: PathBuf,
    key_path: PathBuf,
    names: Vec<String>,
    outcome: String,
    detail: Option<String>,
    not_after: String,
    new_not_after: Option<String>,
    trust_again: bool,
    trusted: Option<bool>,
    exec: Option<ExecJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExecJson {
    ok: bool,
    status: String,
}

fn list(sb: &Sandbox, extra: &[&str]) -> ListJson {
    let mut args = vec!["list", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&sb.run(&args).success().stdout).unwrap()
}

fn renew(sb: &Sandbox, extra: &[&str]) -> (Run, RenewJson) {
    let mut args = vec!["renew", "--format", "json"];
    args.extend_from_slice(extra);
    let run = sb.run(&args);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    (run, report)
}

/// `gen ARGS` as if run `days_ago` days ago.
fn gen_ago(sb: &Sandbox, days_ago: i64, args: &[&str]) {
    let then = ::time::OffsetDateTime::now_utc() - ::time::Duration::days(days_ago);
    let then = then.format(&::time::format_description::well_known::Rfc3339).unwrap();
    let mut cmd = sb.cmd(&[&["gen"], args].concat());
    cmd.env("TLSFORGE_TEST_NOW", then);
    run_with(cmd).success();
}

fn serial(path: &Path) -> Vec<u8> {
    let der = cert_der(path);
    parse_x509_certificate(&der).unwrap().1.raw_serial().to_vec()
}

/// The public key of a certificate and of a key, as openssl reads them.
fn pair_matches(cert: &Path, key: &Path) -> bool {
    let from_cert = tool("openssl", &["x509", "-in", cert.to_str().unwrap(), "-noout", "-pubkey"]).success();
    let from_key = tool("openssl", &["pkey", "-in", key.to_str().unwrap(), "-pubout"]).success();
    from_cert.stdout == from_key.stdout
}

/// Two long-lived certificates made now and two short ones made weeks ago, self-signed and
/// from the local CA, in four directories: `list` shows each with the right fields.
fn four_certificates_listed(sb: &Sandbox) -> ListJson {
    sb.run(&["gen", "--ca", "--out", "long-ca", "--days", "365", "app.test"]).success();
    sb.run(&["gen", "--out", "long-self", "--days", "200", "--key", "ecdsa-p384"]).success();
    gen_ago(sb, 20, &["--out", "short-self", "--days", "40", "short.test"]);
    gen_ago(sb, 80, &["--ca", "--out", "short-ca", "--name", "api", "--days", "90", "api.test", "10.0.0.5"]);

    let listed = list(sb, &[]);
    assert!(
        listed.inventory.ends_with(".local/share/tlsforge/inventory.json"),
        "{}",
        listed.inventory.display()
    );
    assert!(listed.adopted.is_empty() && listed.pruned.is_empty());
    let paths: Vec<PathBuf> = listed.certificates.iter().map(|c| c.cert_path.clone()).collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert_eq!(paths[2..], [sb.path("short-self/server.crt"), sb.path("short-ca/api.crt")], "newest first");
    let by = |dir: &str| listed.certificates.iter().find(|c| c.cert_path.starts_with(sb.path(dir))).unwrap();
    let long_ca = by("long-ca");
    assert_eq!(long_ca.names, ["app.test"]);
    assert_eq!(long_ca.key_path, sb.path("long-ca/server.key"));
    assert_eq!(long_ca.issuer.kind, "local-ca");
    assert_eq!(long_ca.issuer.ca_dir.as_deref(), Some(sb.ca_dir().as_path()));
    let ca_fp = tool(
        "openssl",
        &["x509", "-in", sb.ca_dir().join("ca.crt").to_str().unwrap(), "-noout", "-fingerprint", "-sha256"],
    );
    assert!(ca_fp.stdout.contains(long_ca.issuer.fingerprint_sha256.as_deref().unwrap()));
    assert_eq!((long_ca.made_with.days, long_ca.days_left), (365, Some(364)));
    assert_eq!(long_ca.files, "present");
    assert!(long_ca.problem.is_none() && long_ca.p12_path.is_none());
    let long_self = by("long-self");
    assert_eq!((long_self.issuer.kind.as_str(), long_self.key_type.as_str()), ("self-signed", "ecdsa-p384"));
    assert_eq!(long_self.names, ["localhost", "127.0.0.1", "::1"]);
    assert_eq!(by("short-self").days_left, Some(19));
    let short_ca = by("short-ca");
    assert_eq!(
        (short_ca.days_left, short_ca.names.clone()),
        (Some(9), vec!["api.test".to_owned(), "10.0.0.5".into()])
    );
    assert_eq!(short_ca.serial.len(), 32);
    assert!(!short_ca.made_with.adopted && !short_ca.made_with.lan && !short_ca.made_with.client_auth);
    assert_eq!((short_ca.made_with.key.as_str(), short_ca.made_with.p12.as_deref()), ("ecdsa-p256", None));
    assert!(
        !short_ca.recorded_at.is_empty() && !short_ca.not_before.is_empty() && short_ca.issuer.name.is_none()
    );
    let _ = (&short_ca.not_after, &short_ca.fingerprint_sha256);
    // The window filters.
    let expiring = list(sb, &["--expiring-within", "30d"]);
    assert_eq!(expiring.certificates.len(), 2);

    listed
}

#[test]
fn list_shows_every_certificate_and_renew_renews_exactly_the_short_ones() {
    let sb = Sandbox::new();
    let listed = four_certificates_listed(&sb);
    let paths: Vec<PathBuf> = listed.certificates.iter().map(|c| c.cert_path.clone()).collect();
    let before: Vec<(PathBuf, Vec<u8>)> = paths.iter().map(|p| (p.clone(), serial(p))).collect();
    let log = sb.path("exec.log");
    let exec =
        format!("echo \"$TLSFORGE_CERT|$TLSFORGE_KEY|$TLSFORGE_CA|$TLSFORGE_NAMES\" >> {}", log.display());
    let (run, report) = renew(&sb, &["--within", "30d", "--exec", &exec]);
    run.success();
    assert!(report.ok && !report.dry_run);
    assert_eq!(report.inventory, listed.inventory);
    let outcome =
        |dir: &str| report.certificates.iter().find(|c| c.cert_path.starts_with(sb.path(dir))).unwrap();
    assert_eq!(outcome("long-ca").outcome, "not-due");
    assert_eq!(outcome("long-self").outcome, "not-due");
    let renewed_self = outcome("short-self");
    assert_eq!(renewed_self.outcome, "renewed", "{renewed_self:?}");
    assert!(renewed_self.trust_again && renewed_self.trusted.is_none(), "self-signed: trust it again");
    let renewed_ca = outcome("short-ca");
    assert_eq!(renewed_ca.outcome, "renewed");
    assert!(!renewed_ca.trust_again, "the local CA vouches for it already");
    assert_eq!(renewed_ca.names, ["api.test", "10.0.0.5"]);
    assert_eq!(renewed_ca.key_path, sb.path("short-ca/api.key"));
    assert!(renewed_ca.exec.as_ref().is_some_and(|e| e.ok && e.status == "exit status 0"));
    assert!(renewed_ca.new_not_after.as_deref() > Some(renewed_ca.not_after.as_str()));
    assert!(renewed_ca.detail.is_none());

    for (path, old_serial) in &before {
        let renewed = path.starts_with(sb.path("short-self")) || path.starts_with(sb.path("short-ca"));
        assert_eq!(serial(path) != *old_serial, renewed, "{}", path.display());
        let key = path.with_extension("key");
        assert!(pair_matches(path, &key), "{}", path.display());
        assert_eq!(mode(&key), 0o600);
    }
    let verified = tool(
        "openssl",
        &[
            "verify",
            "-CAfile",
            sb.ca_dir().join("ca.crt").to_str().unwrap(),
            sb.path("short-ca/api.crt").to_str().unwrap(),
        ],
    );
    assert!(verified.success().stdout.contains(": OK"));
    let der = cert_der(&sb.path("short-ca/api.crt"));
    let (_, cert) = parse_x509_certificate(&der).unwrap();
    let validity = cert.validity();
    // The same days again, counted as RFC 5280 counts them (both ends included).
    assert_eq!(
        validity.not_after.to_datetime() - validity.not_before.to_datetime() + ::time::Duration::seconds(1),
        ::time::Duration::days(90)
    );

    let mut lines: Vec<String> = fs::read_to_string(&log).unwrap().lines().map(str::to_owned).collect();
    lines.sort();
    let ca = sb.ca_dir().join("ca.crt");
    assert_eq!(
        lines,
        [
            format!(
                "{}|{}|{}|api.test 10.0.0.5",
                sb.path("short-ca/api.crt").display(),
                sb.path("short-ca/api.key").display(),
                ca.display()
            ),
            format!(
                "{}|{}||short.test",
                sb.path("short-self/server.crt").display(),
                sb.path("short-self/server.key").display()
            ),
        ]
    );

    // The inventory follows; a second run renews nothing and runs nothing.
    let after = list(&sb, &[]);
    assert_eq!(after.certificates.len(), 4);
    assert!(after.certificates.iter().all(|c| c.files == "present" && c.days_left >= Some(39)), "{after:?}");
    let (run, report) = renew(&sb, &["--within", "30d", "--exec", &exec]);
    run.success();
    assert!(report.certificates.iter().all(|c| c.outcome == "not-due"), "{report:?}");
    assert_eq!(fs::read_to_string(&log).unwrap().lines().count(), 2);

    // Human output says what to do about the self-signed one.
    let run = sb.run(&["renew", "--all", "--dry-run"]).success();
    assert!(run.stdout.contains("would renew"), "{}", run.stdout);
    assert!(run.stdout.contains("Dry run: 4 certificates due, nothing changed."), "{}", run.stdout);
    let run = sb.run(&["renew", &sb.path("long-self/server.key").display().to_string(), "--all"]).success();
    assert!(
        run.stdout.contains("tlsforge trust ") && run.stdout.contains("long-self/server.crt"),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_files_show_and_prune_forgets_them() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "kept"]).success();
    sb.run(&["gen", "--out", "gone"]).success();
    sb.run(&["gen", "--out", "swapped"]).success();
    fs::remove_file(sb.path("gone/server.key")).unwrap();
    fs::copy(sb.path("kept/server.crt"), sb.path("swapped/server.crt")).unwrap();
    let listed = list(&sb, &[]);
    let files = |listed: &ListJson, dir: &str| {
        listed.certificates.iter().find(|c| c.cert_path.starts_with(sb.path(dir))).map(|c| c.files.clone())
    };
    assert_eq!(files(&listed, "gone").as_deref(), Some("missing"));
    assert_eq!(files(&listed, "swapped").as_deref(), Some("replaced"));
    assert_eq!(files(&listed, "kept").as_deref(), Some("present"));
    let human = sb.run(&["list"]).success();
    assert!(human.stdout.contains("missing") && human.stdout.contains("list --prune"), "{}", human.stdout);

    // Renewing skips them, without failing: there is nothing tlsforge wrote to renew.
    let (run, report) = renew(&sb, &["--all"]);
    run.success();
    let skipped: Vec<&str> = report.certificates.iter().map(|c| c.outcome.as_str()).collect();
    assert_eq!(skipped.iter().filter(|o| **o == "skipped").count(), 2, "{report:?}");

    let pruned = list(&sb, &["--prune"]);
    assert_eq!(pruned.pruned, [sb.path("gone/server.crt")]);
    assert_eq!(pruned.certificates.len(), 2);
    assert_eq!(list(&sb, &[]).certificates.len(), 2);
}

#[test]
fn eight_parallel_gens_leave_eight_entries() {
    let sb = Sandbox::new();
    std::thread::scope(|scope| {
        for n in 0..8 {
            let sb = &sb;
            scope.spawn(move || {
                let out = format!("dir{n}");
                sb.run(&["gen", "--out", &out]).success();
            });
        }
    });
    let listed = list(&sb, &[]);
    assert_eq!(listed.certificates.len(), 8, "{listed:?}");
    let inventory = fs::read_to_string(&listed.inventory).unwrap();
    assert!(inventory.starts_with("{\n  \"version\": 1,"));
    assert_eq!(mode(&listed.inventory), 0o600);
}

#[test]
fn adopt_records_certificates_made_before() {
    let sb = Sandbox::new();
    // Made while the inventory was elsewhere: this one does not know it.
    let mut cmd = sb.cmd(&["gen", "--ca", "--out", "old", "old.test"]);
    cmd.env("TLSFORGE_INVENTORY", sb.root().join("elsewhere.json"));
    run_with(cmd).success();
    assert!(list(&sb, &[]).certificates.is_empty());
    let adopted = list(&sb, &["--adopt", "old/server.crt"]);
    assert_eq!(adopted.adopted, [sb.path("old/server.crt")]);
    let entry = &adopted.certificates[0];
    assert!(entry.made_with.adopted);
    assert_eq!((entry.issuer.kind.as_str(), entry.made_with.days), ("local-ca", 365));
    assert_eq!(entry.names, ["old.test"]);
    // Not a certificate: one error line, nothing recorded.
    fs::write(sb.path("junk.crt"), "junk").unwrap();
    sb.run(&["list", "--adopt", "junk.crt"]).fails(1, "junk.crt").one_error_line();
    assert_eq!(list(&sb, &[]).certificates.len(), 1);
}

#[test]
fn failures_exit_1_and_bad_input_exits_2() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "a"]).success();
    let (run, report) = renew(&sb, &["--all", "--exec", "echo broken >&2; exit 3"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!report.ok);
    let renewal = &report.certificates[0];
    assert_eq!(renewal.outcome, "failed");
    assert_eq!(renewal.exec.as_ref().map(|e| e.status.as_str()), Some("exit status 3: broken"));
    assert!(run.stderr.contains("1 certificate could not be renewed"), "{}", run.stderr);

    sb.run(&["renew", "--within", "soon"]).fails(2, "invalid --within").one_error_line();
    sb.run(&["renew", "nothere.crt"]).fails(2, "is not in the inventory").one_error_line();
    sb.run(&["list", "--expiring-within=-3d"]).fails(2, "--expiring-within").one_error_line();
    sb.run(&["renew", "--install-timer", "--all"]).fails(2, "cannot be used with");

    // A damaged inventory is an error, left as it is.
    let inventory = sb.home().join(".local/share/tlsforge/inventory.json");
    fs::write(&inventory, "{\"version\": 1, \"certificates\": [\x1b]}").unwrap();
    let run = sb.run(&["list"]).fails(1, "cannot be read").one_error_line();
    assert!(!run.stderr.contains('\x1b'));
    sb.run(&["gen", "--out", "b"]).success();
    assert!(fs::read_to_string(&inventory).unwrap().contains('\x1b'), "not overwritten");
}

/// A `systemctl` that records its arguments instead of touching any systemd.
fn fake_systemctl(sb: &Sandbox) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = sb.root().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let log = sb.root().join("systemctl.log");
    let script = bin.join("systemctl");
    fs::write(&script, format!("#!/bin/sh\necho \"$@\" >> '{}'\n", log.display())).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    (bin, log)
}

#[test]
fn the_daily_job_is_a_systemd_user_timer_that_verifies() {
    let sb = Sandbox::new();
    let (bin, log) = fake_systemctl(&sb);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let units = sb.home().join(".config/systemd/user");

    let mut cmd = sb.cmd(&["renew", "--install-timer", "--dry-run"]);
    cmd.env("PATH", &path);
    let dry = run_with(cmd).success();
    for step in [
        "mkdir -p -m 700",
        "write ",
        "tlsforge-renew.service",
        "tlsforge-renew.timer",
        "--user daemon-reload",
        "--user enable --now tlsforge-renew.timer",
    ] {
        assert!(dry.stdout.contains(step), "{step}: {}", dry.stdout);
    }
    assert!(!units.exists() && !log.exists(), "a dry run changes nothing");

    let mut cmd = sb.cmd(&["renew", "--install-timer"]);
    cmd.env("PATH", &path);
    run_with(cmd).success();
    let service = fs::read_to_string(units.join("tlsforge-renew.service")).unwrap();
    assert!(service.contains(&format!("ExecStart=\"{BIN}\" \"renew\"")), "{service}");
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "--user daemon-reload\n--user enable --now tlsforge-renew.timer\n"
    );
    if have("systemd-analyze") {
        let verify = tool(
            "systemd-analyze",
            &[
                "verify",
                units.join("tlsforge-renew.service").to_str().unwrap(),
                units.join("tlsforge-renew.timer").to_str().unwrap(),
            ],
        );
        assert!(verify.code == 0 && verify.stderr.trim().is_empty(), "{verify:?}");
    }

    let mut cmd = sb.cmd(&["renew", "--uninstall-timer", "--format", "json"]);
    cmd.env("PATH", &path);
    let removed = run_with(cmd).success().json();
    assert_eq!(removed["scheduler"], "systemd");
    assert!(!units.join("tlsforge-renew.service").exists() && !units.join("tlsforge-renew.timer").exists());
    assert!(
        fs::read_to_string(&log)
            .unwrap()
            .ends_with("--user disable --now tlsforge-renew.timer\n--user daemon-reload\n")
    );
    let again = sb.run(&["renew", "--uninstall-timer"]).success();
    assert!(again.stdout.contains("nothing to remove"), "{}", again.stdout);
}

#[test]
fn reuse_key_keeps_the_key_and_a_p12_is_written_again() {
    let sb = Sandbox::new();
    let mut cmd = sb.cmd(&["gen", "--out", "p", "--p12"]);
    cmd.env("TLSFORGE_P12_PASSWORD", "s3cret");
    run_with(cmd).success();
    let key = fs::read(sb.path("p/server.key")).unwrap();
    let p12 = fs::read(sb.path("p/server.p12")).unwrap();
    let listed = list(&sb, &[]);
    assert_eq!(listed.certificates[0].p12_path.as_deref(), Some(sb.path("p/server.p12").as_path()));
    assert_eq!(listed.certificates[0].made_with.p12.as_deref(), Some("compat"));

    // Without the password and without a terminal, the renewal fails and says why.
    let (run, report) = renew(&sb, &["--all", "--reuse-key"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(report.certificates[0].detail.as_deref().is_some_and(|d| d.contains("TLSFORGE_P12_PASSWORD")));
    assert_eq!(fs::read(sb.path("p/server.p12")).unwrap(), p12, "nothing written");

    let mut cmd = sb.cmd(&["renew", "--all", "--reuse-key", "--format", "json"]);
    cmd.env("TLSFORGE_P12_PASSWORD", "s3cret");
    let report: RenewJson = serde_json::from_str(&run_with(cmd).success().stdout).unwrap();
    assert_eq!(report.certificates[0].outcome, "renewed");
    assert_eq!(fs::read(sb.path("p/server.key")).unwrap(), key, "--reuse-key keeps the key");
    assert_ne!(fs::read(sb.path("p/server.p12")).unwrap(), p12, "the PKCS#12 file follows");
    assert!(pair_matches(&sb.path("p/server.crt"), &sb.path("p/server.key")));
    if have("openssl") {
        let out = tool(
            "openssl",
            &[
                "pkcs12",
                "-in",
                sb.path("p/server.p12").to_str().unwrap(),
                "-nokeys",
                "-passin",
                "pass:s3cret",
            ],
        );
        let crt = fs::read_to_string(sb.path("p/server.crt")).unwrap();
        assert!(out.success().stdout.contains(crt.trim()), "the new certificate is in the PKCS#12 file");
    }
}

#[test]
fn a_lan_certificate_is_renewed_for_the_addresses_of_today() {
    if !crate::harness::network_namespace_here(&["openssl"]) {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    // A network namespace of the test's own, whose loopback holds the "LAN" address: made
    // with .5, then the lease changes to .6 and the certificate is renewed.
    let script = r#"ip link set lo up && ip addr add 192.168.77.5/24 dev lo || exit 9
        "$0" gen --ca --lan -n phone app.test > /dev/null || exit 10
        ip addr del 192.168.77.5/24 dev lo && ip addr add 192.168.77.6/24 dev lo || exit 11
        "$0" renew --all > /dev/null || exit 12
        "$0" list --format json"#;
    let run = run_with(sb.cmd_via(&["unshare", "-n", "sh", "-c", script], &[]));
    assert_eq!(run.code, 0, "{run:?}");
    let listed: ListJson = serde_json::from_str(&run.stdout).unwrap();
    let entry = &listed.certificates[0];
    assert!(entry.made_with.lan, "{entry:?}");
    assert_eq!(entry.made_with.given.as_deref(), Some(&["app.test".to_owned()][..]));
    let text = tool(
        "openssl",
        &["x509", "-noout", "-ext", "subjectAltName", "-in", sb.path("phone.crt").to_str().unwrap()],
    );
    assert!(
        text.stdout.contains("DNS:app.test") && text.stdout.contains("IP Address:192.168.77.6"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("192.168.77.5"), "the old lease's address is gone: {}", text.stdout);
}
