//! The local CA: `gen --ca`, `ca init|show|path`, and name constraints proven with openssl.

use std::fs;
use std::process::Stdio;

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::*;

use crate::harness::{Sandbox, cert_der, forge_leaf, have, is_root, listing, mode, require, tool};

fn key_id(cert: &X509Certificate<'_>, authority: bool) -> Vec<u8> {
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) if !authority => return id.0.to_vec(),
            ParsedExtension::AuthorityKeyIdentifier(aki) if authority => {
                return aki.key_identifier.as_ref().unwrap().0.to_vec();
            }
            _ => {}
        }
    }
    panic!("no key identifier");
}

#[test]
fn gen_ca_creates_a_constrained_ca_and_issues_a_verifiable_leaf() {
    let sb = Sandbox::new();
    let run = sb.run(&["gen", "--ca", "app.test", "10.1.2.3", "--format", "json"]).success();
    let report = run.json();
    assert_eq!(report["mode"], "ca");
    assert_eq!(report["ca_cert_path"], sb.ca_dir().join("ca.crt").to_str().unwrap());
    assert_eq!(report["ca_created"], true);

    assert_eq!(listing(&sb.ca_dir()), [".lock", "ca.crt", "ca.key"]);
    assert_eq!(mode(&sb.ca_dir()), 0o700);
    assert_eq!(mode(&sb.ca_dir().join("ca.key")), 0o600);

    let ca_der = cert_der(&sb.ca_dir().join("ca.crt"));
    let (_, ca) = parse_x509_certificate(&ca_der).unwrap();
    let bc = ca.basic_constraints().unwrap().unwrap();
    assert!(bc.critical && bc.value.ca && bc.value.path_len_constraint == Some(0));
    assert!(ca.key_usage().unwrap().unwrap().value.key_cert_sign());
    let cn = ca.subject().iter_common_name().next().unwrap().as_str().unwrap().to_owned();
    assert!(cn.starts_with("tlsforge local CA tester@"), "{cn}");
    let nc = ca.name_constraints().unwrap().expect("name constraints");
    assert!(nc.critical);
    assert_eq!(nc.value.permitted_subtrees.as_ref().unwrap().len(), 15);
    let ca_days = ca.validity().not_after.to_datetime() - ca.validity().not_before.to_datetime();
    assert_eq!(
        ca_days + ::time::Duration::SECOND,
        ::time::Duration::days(3650),
        "inclusive, as RFC 5280 counts"
    );

    let leaf_der = cert_der(&sb.path("server.crt"));
    let (_, leaf) = parse_x509_certificate(&leaf_der).unwrap();
    assert_eq!(leaf.issuer(), ca.subject());
    leaf.verify_signature(Some(ca.public_key())).expect("signed by the CA");
    assert_eq!(key_id(&leaf, true), key_id(&ca, false), "AKI names the CA's SKI");
    assert!(!leaf.basic_constraints().unwrap().unwrap().value.ca);

    if have("openssl") {
        let ca_path = sb.ca_dir().join("ca.crt");
        let out = tool(
            "openssl",
            &["verify", "-CAfile", ca_path.to_str().unwrap(), sb.path("server.crt").to_str().unwrap()],
        );
        assert!(out.stdout.contains(": OK"), "{out:?}");
    }

    // A second leaf comes from the same CA.
    let again = sb.run(&["gen", "--ca", "--name", "second", "--format", "json"]).success().json();
    assert_eq!(again["ca_created"], false);
    assert_eq!(cert_der(&sb.ca_dir().join("ca.crt")), ca_der);
}

#[test]
fn names_outside_the_constraints_are_refused_before_anything_is_written() {
    let sb = Sandbox::new();
    let run = sb.run(&["gen", "--ca", "app.test", "example.com", "8.8.8.8"]).fails(2, "example.com, 8.8.8.8");
    assert!(
        run.stderr.contains("tlsforge ca init --permit example.com --permit 8.8.8.8 --force"),
        "{}",
        run.stderr
    );
    assert!(sb.listing(".").is_empty());
    assert!(!sb.ca_dir().join("ca.crt").exists(), "no CA left behind by a refused request");

    // With an existing CA too.
    sb.run(&["ca", "init"]).success();
    sb.run(&["gen", "--ca", "www.google.com"]).fails(2, "may not issue for www.google.com");
    assert!(sb.listing(".").is_empty());
}

#[test]
fn openssl_rejects_a_leaf_outside_the_permitted_subtrees() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    for (name, allowed) in [
        ("shop.test", true),
        ("192.168.7.7", true),
        ("fe80::9", true),
        ("example.com", false),
        ("test.com", false),
        ("8.8.8.8", false),
        ("2001:db8::1", false),
    ] {
        let leaf = sb.path("forged.crt");
        forge_leaf(&sb.ca_dir(), name, &leaf, None);
        let out = tool("openssl", &["verify", "-CAfile", ca.to_str().unwrap(), leaf.to_str().unwrap()]);
        if allowed {
            assert_eq!(out.code, 0, "{name} should verify: {out:?}");
        } else {
            assert_ne!(out.code, 0, "{name} must be rejected: {out:?}");
            assert!(out.stderr.contains("permitted subtree violation"), "{name}: {out:?}");
        }
    }
}

#[test]
fn ca_init_permit_unconstrained_show_and_path() {
    let sb = Sandbox::new();
    sb.run(&["ca", "show"]).fails(1, "no local CA").one_error_line();
    assert_eq!(sb.run(&["ca", "path"]).success().stdout.trim(), sb.ca_dir().to_str().unwrap());

    sb.run(&["ca", "init", "--permit", "corp.example", "--permit", "203.0.113.0/24"]).success();
    let shown = sb.run(&["ca", "show", "--format", "json"]).success().json();
    let permitted: Vec<&str> =
        shown["permitted"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        permitted.contains(&"corp.example")
            && permitted.contains(&"203.0.113.0/24")
            && permitted.contains(&"localhost")
    );
    sb.run(&["gen", "--ca", "api.corp.example", "203.0.113.9"]).success();

    sb.run(&["ca", "init"]).fails(1, "already exists").one_error_line();
    let old = cert_der(&sb.ca_dir().join("ca.crt"));
    let human = sb.run(&["ca", "init", "--unconstrained", "--force"]).success();
    assert!(human.stdout.contains("Replaced"), "{}", human.stdout);
    assert_ne!(cert_der(&sb.ca_dir().join("ca.crt")), old);
    let shown = sb.run(&["ca", "show", "--format", "json"]).success().json();
    assert!(shown["permitted"].is_null());
    let ca_der = cert_der(&sb.ca_dir().join("ca.crt"));
    let (_, ca) = parse_x509_certificate(&ca_der).unwrap();
    assert!(ca.name_constraints().unwrap().is_none());
    sb.run(&["gen", "--ca", "--name", "public", "example.com"]).success();

    sb.run(&["ca", "init", "--permit", "bad name", "--force"]).fails(2, "invalid --permit");
    sb.run(&["ca", "init", "--permit", "x.test", "--unconstrained"]).fails(2, "cannot be used with");
}

#[test]
fn a_leaf_never_outlives_its_ca() {
    let sb = Sandbox::new();
    // A CA that expires in 10 days, made outside tlsforge and placed in its CA directory.
    fs::create_dir_all(sb.ca_dir()).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    params.not_before = ::time::OffsetDateTime::now_utc() - ::time::Duration::days(1);
    params.not_after =
        (::time::OffsetDateTime::now_utc() + ::time::Duration::days(10)).replace_nanosecond(0).unwrap();
    let ca = params.self_signed(&key).unwrap();
    fs::write(sb.ca_dir().join("ca.crt"), ca.pem()).unwrap();
    fs::write(sb.ca_dir().join("ca.key"), key.serialize_pem()).unwrap();
    chmod(&sb.ca_dir().join("ca.key"), 0o600); // as any CA key must be

    sb.run(&["gen", "--ca", "--days", "365"]).success();
    let leaf_der = cert_der(&sb.path("server.crt"));
    let (_, leaf) = parse_x509_certificate(&leaf_der).unwrap();
    assert_eq!(leaf.validity().not_after.to_datetime(), params.not_after);
}

#[test]
fn a_ca_key_that_does_not_match_is_reported() {
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    fs::write(sb.ca_dir().join("ca.key"), rcgen::KeyPair::generate().unwrap().serialize_pem()).unwrap();
    sb.run(&["gen", "--ca"]).fails(1, "does not belong").one_error_line();
    assert!(sb.listing(".").is_empty());
}

#[test]
fn concurrent_first_use_makes_one_ca() {
    for round in 0..3 {
        let sb = Sandbox::new();
        let children: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|name| {
                sb.cmd(&["gen", "--ca", "--name", name])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        assert_eq!(listing(&sb.ca_dir()), [".lock", "ca.crt", "ca.key"]);
        let ca_der = cert_der(&sb.ca_dir().join("ca.crt"));
        let (_, ca) = parse_x509_certificate(&ca_der).unwrap();
        for name in ["a", "b", "c"] {
            let leaf_der = cert_der(&sb.path(&format!("{name}.crt")));
            let (_, leaf) = parse_x509_certificate(&leaf_der).unwrap();
            leaf.verify_signature(Some(ca.public_key()))
                .unwrap_or_else(|e| panic!("round {round} {name}: {e}"));
        }
    }
}

#[test]
fn sudo_with_the_default_ca_dir_warns_that_the_ca_lands_in_roots_home() {
    let sb = Sandbox::new();
    let run =
        sb.cmd(&["gen", "--ca"]).env_remove("TLSFORGE_CA_DIR").env("SUDO_USER", "alice").output().unwrap();
    let run = crate::harness::Run::from(run).success();
    assert!(run.stderr.starts_with("warning: running under sudo"), "{}", run.stderr);
    assert!(run.stderr.contains("alice"));
    assert!(sb.home().join(".local/share/tlsforge/ca.crt").exists(), "default CA dir under HOME");
    // An explicit CA directory is the user's choice: no warning.
    let run = sb.cmd(&["ca", "init"]).env("SUDO_USER", "alice").output().unwrap();
    assert!(crate::harness::Run::from(run).success().stderr.is_empty());
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_ca_directory_other_users_can_write_is_refused_with_the_chmod() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    let dir = sb.ca_dir();
    chmod(&dir, 0o777);
    let fix = format!("chmod 700 {}", dir.display());
    for args in [
        &["gen", "--ca", "--name", "again", "app.test"][..],
        &["ca", "show"],
        &["env", "--cert", "server.crt", "--client-trust"],
    ] {
        let run = sb.run(args).fails(1, &fix).one_error_line();
        assert!(run.stderr.contains("writable by other users"), "{args:?}: {}", run.stderr);
    }
    assert!(!sb.path("again.crt").exists(), "nothing issued from a CA others could swap");
    chmod(&dir, 0o700);
    sb.run(&["gen", "--ca", "--name", "again", "app.test"]).success();

    // An empty directory others can write to is not made a CA either.
    let fresh = Sandbox::new();
    fs::create_dir(fresh.ca_dir()).unwrap();
    chmod(&fresh.ca_dir(), 0o757);
    fresh.run(&["gen", "--ca"]).fails(1, &format!("chmod 700 {}", fresh.ca_dir().display())).one_error_line();
    assert!(!fresh.ca_dir().join("ca.key").exists());
}

#[test]
fn a_ca_key_other_users_can_read_is_refused_with_the_chmod() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca"]).success();
    let key = sb.ca_dir().join("ca.key");
    chmod(&key, 0o644);
    let fix = format!("chmod 600 {}", key.display());
    sb.run(&["gen", "--ca", "--name", "again"]).fails(1, &fix).one_error_line();
    sb.run(&["ca", "show"]).fails(1, &fix).one_error_line();
    chmod(&key, 0o600);
    sb.run(&["gen", "--ca", "--name", "again"]).success();
}

#[test]
fn a_ca_owned_by_another_user_is_refused_with_the_chown() {
    if !require("root (to chown the CA to nobody)", is_root()) {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca"]).success();
    let dir = sb.ca_dir();
    let key = dir.join("ca.key");
    assert_eq!(tool("chown", &["nobody", key.to_str().unwrap()]).code, 0);
    sb.run(&["gen", "--ca", "--name", "again"])
        .fails(1, &format!("chown tester {}", key.display()))
        .one_error_line();
    assert_eq!(tool("chown", &["root", key.to_str().unwrap()]).code, 0);
    assert_eq!(tool("chown", &["nobody", dir.to_str().unwrap()]).code, 0);
    sb.run(&["gen", "--ca", "--name", "again"])
        .fails(1, &format!("chown tester {}", dir.display()))
        .one_error_line();
}

#[test]
fn directories_gen_creates_ignore_a_permissive_umask() {
    let sb = Sandbox::new();
    let umask_000 = ["sh", "-c", "umask 000; exec \"$@\"", "sh"];
    let run = crate::harness::run_with(sb.cmd_via(&umask_000, &["gen", "--ca", "--out", "new/certs"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&sb.path("new")), 0o755);
    assert_eq!(mode(&sb.path("new/certs")), 0o755);
    assert_eq!(mode(&sb.path("new/certs/server.key")), 0o600);
    assert_eq!(mode(&sb.ca_dir()), 0o700);
    assert_eq!(mode(&sb.ca_dir().join("ca.key")), 0o600);
}

#[test]
fn gen_into_a_directory_every_user_can_write_warns() {
    let sb = Sandbox::new();
    fs::create_dir(sb.path("shared")).unwrap();
    chmod(&sb.path("shared"), 0o1777);
    let run = sb.run(&["gen", "--out", "shared"]).success();
    assert!(run.stderr.contains("writable by every user"), "{}", run.stderr);
    assert!(sb.path("shared/server.key").exists());
    let run = sb.run(&["gen", "--name", "private"]).success();
    assert!(!run.stderr.contains("writable by every user"), "{}", run.stderr);
}

#[test]
fn permits_wider_than_any_local_network_are_warned_about() {
    let sb = Sandbox::new();
    let run = sb.run(&["ca", "init", "--permit", "com", "--permit", "0.0.0.0/0"]).success();
    for wide in ["--permit com", "--permit 0.0.0.0/0"] {
        assert!(run.stderr.lines().any(|l| l.starts_with("warning:") && l.contains(wide)), "{wide}: {run:?}");
    }
    let run = Sandbox::new().run(&["ca", "init", "--permit", "corp.example"]).success();
    assert!(!run.stderr.contains("warning:"), "{run:?}");
}

/// `ca export`: the CA's certificate as devices take it, read back by the tools that matter:
/// OpenSSL for PEM and DER (same fingerprint as `ca show`), Python's `plistlib` for the Apple
/// profile (a root payload holding the CA's DER, identifiers stable per CA). Never the key; DER
/// and profiles never to a terminal; an existing file only with `--force`.
#[test]
fn ca_export_writes_pem_der_and_a_profile_that_real_readers_take() {
    let sb = Sandbox::new();
    sb.run(&["ca", "export"]).fails(1, "no local CA in").one_error_line();
    sb.run(&["ca", "init"]).success();
    let show = sb.run(&["ca", "show", "--format", "json"]).success();
    let show: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    let fingerprint = show["fingerprint_sha256"].as_str().unwrap().to_owned();
    let ca_der = cert_der(&sb.ca_dir().join("ca.crt"));
    let key = fs::read_to_string(sb.ca_dir().join("ca.key")).unwrap();
    let key_body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();

    // PEM on stdout: what ca.crt holds.
    let pem = sb.run(&["ca", "export"]).success().stdout;
    assert_eq!(pem, fs::read_to_string(sb.ca_dir().join("ca.crt")).unwrap());
    // DER on stdout (not a terminal here): the same certificate, byte for byte.
    let der = sb.cmd(&["ca", "export", "--format", "der"]).output().unwrap();
    assert!(der.status.success());
    assert_eq!(der.stdout, ca_der);
    // To a file: OpenSSL reads it, with the fingerprint ca show prints.
    let run = sb.run(&["ca", "export", "--format", "der", "--out", "tlsforge-ca.crt"]).success();
    assert!(run.stdout.contains(&fingerprint), "{}", run.stdout);
    assert_eq!(mode(&sb.path("tlsforge-ca.crt")), 0o644);
    if have("openssl") {
        let out = tool(
            "openssl",
            &[
                "x509",
                "-inform",
                "DER",
                "-in",
                sb.path("tlsforge-ca.crt").to_str().unwrap(),
                "-noout",
                "-fingerprint",
                "-sha256",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.trim().ends_with(&fingerprint), "{} vs {fingerprint}", out.stdout);
    }
    sb.run(&["ca", "export", "--format", "der", "--out", "tlsforge-ca.crt"])
        .fails(1, "already exists")
        .one_error_line();
    sb.run(&["ca", "export", "--format", "pem", "--out", "tlsforge-ca.crt", "--force"]).success();
    assert_eq!(fs::read_to_string(sb.path("tlsforge-ca.crt")).unwrap(), pem);

    // The Apple profile, as a property list.
    sb.run(&["ca", "export", "--format", "mobileconfig", "--out", "ca.mobileconfig"]).success();
    let profile = fs::read_to_string(sb.path("ca.mobileconfig")).unwrap();
    for text in [&pem, &profile] {
        assert!(!text.contains("PRIVATE KEY") && !text.contains(&key_body[..40]), "the key leaked");
    }
    let script = "import plistlib, sys, json\n\
        p = plistlib.load(open(sys.argv[1], 'rb'))\n\
        c = p['PayloadContent'][0]\n\
        print(json.dumps({'type': p['PayloadType'], 'id': p['PayloadIdentifier'], 'uuid': p['PayloadUUID'],\n\
            'payload_type': c['PayloadType'], 'der': c['PayloadContent'].hex(), 'name': p['PayloadDisplayName']}))";
    let read = tool(crate::harness::python(), &["-c", script, sb.path("ca.mobileconfig").to_str().unwrap()]);
    assert_eq!(read.code, 0, "{}", read.stderr);
    let read: serde_json::Value = serde_json::from_str(&read.stdout).unwrap();
    assert_eq!(read["type"], "Configuration");
    assert_eq!(read["payload_type"], "com.apple.security.root");
    let hex = ca_der.iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    assert_eq!(read["der"], hex.as_str(), "the payload is the CA's DER");
    assert!(read["name"].as_str().unwrap().starts_with("tlsforge local CA"), "{read}");
    // The same CA, the same profile (a device updates it); a new CA, a new identifier.
    sb.run(&["ca", "export", "--format", "mobileconfig", "--out", "again.mobileconfig"]).success();
    assert_eq!(fs::read_to_string(sb.path("again.mobileconfig")).unwrap(), profile);
    sb.run(&["ca", "init", "--force"]).success();
    let other = sb.cmd(&["ca", "export", "--format", "mobileconfig"]).output().unwrap();
    let other = String::from_utf8(other.stdout).unwrap();
    let id = |p: &str| p.lines().find(|l| l.contains("<string>dev.tlsforge.ca.")).map(str::to_owned);
    assert!(id(&profile).is_some());
    assert_ne!(id(&other), id(&profile));

    // Never to a terminal: refused before anything is read, with the way out.
    if have("script") {
        for format in ["der", "mobileconfig"] {
            // `sh -c SCRIPT tlsforge`: $0 is tlsforge, run by script(1) on a pseudo-terminal.
            let line =
                format!(r#"script -qec "\"$0\" ca export --format {format}; echo status=\$?" /dev/null"#);
            let run = crate::harness::run_with(sb.cmd_via(&["sh", "-c", &line], &[]));
            assert!(
                run.stdout.contains("refusing to write") && run.stdout.contains("to a terminal"),
                "{run:?}"
            );
            assert!(run.stdout.contains("status=2"), "{run:?}");
            assert!(run.stdout.len() < 400, "nothing else was written: {run:?}");
        }
    }
}
