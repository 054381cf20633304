//! PKCS#12 from `gen --p12` and `export --as p12`, DER and full chains, and the Kubernetes
//! manifests of `export --as k8s-secret|cert-manager`: each read back by the tools that consume
//! them (OpenSSL 3 without -legacy, keytool, Node, Python `cryptography`, kubernetes-validate).

use std::fs;
use std::path::Path;
use std::process::Stdio;

use base64::Engine as _;

use crate::harness::{Sandbox, cert_der, have, mode, python_with, require, tool};

const PASSWORD: &str = "correct horse";

/// A sandbox with a password file and `gen --ca app.test --p12` done for both profiles
/// (`compat.*` and `modern.*`).
fn with_both_profiles() -> Sandbox {
    let sb = Sandbox::new();
    fs::write(sb.path("pass.txt"), format!("{PASSWORD}\n")).unwrap();
    for profile in ["compat", "modern"] {
        let run = sb
            .run(&[
                "gen",
                "--ca",
                "app.test",
                "-n",
                profile,
                "--p12",
                "--p12-profile",
                profile,
                "--p12-password-file",
                "pass.txt",
            ])
            .success();
        assert!(run.stdout.contains(&format!("{profile}.p12")), "{}", run.stdout);
    }
    sb
}

fn openssl_info(p12: &Path, pass: &str) -> crate::harness::Run {
    tool(
        "openssl",
        &["pkcs12", "-info", "-noout", "-in", p12.to_str().unwrap(), "-passin", &format!("pass:{pass}")],
    )
}

#[test]
fn gen_p12_profiles_open_in_openssl_3_without_legacy_and_say_their_algorithms() {
    let sb = with_both_profiles();
    let compat = sb.run(&["gen", "-n", "x", "--p12", "--p12-password-file", "pass.txt"]).success();
    assert!(compat.stdout.contains("transport protection only"), "{}", compat.stdout);
    for profile in ["compat", "modern"] {
        let p12 = sb.path(&format!("{profile}.p12"));
        assert_eq!(mode(&p12), 0o600, "{profile}.p12 is as private as the key");
        if !have("openssl") {
            return;
        }
        let info = openssl_info(&p12, PASSWORD);
        assert_eq!(info.code, 0, "{profile}: {}", info.stderr);
        let text = format!("{}{}", info.stdout, info.stderr);
        if profile == "compat" {
            assert!(text.contains("MAC: sha1"), "{text}");
            assert!(text.contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC"), "{text}");
            assert!(text.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"), "{text}");
        } else {
            assert!(text.contains("MAC: sha256"), "{text}");
            assert!(text.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"), "{text}");
            assert!(text.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"), "{text}");
            assert!(text.contains("PRF hmacWithSHA256"), "{text}");
        }
        assert!(!text.contains("RC2"), "{text}");
        assert_ne!(openssl_info(&p12, "wrong").code, 0, "{profile}: a wrong password opens it");
        assert_ne!(openssl_info(&p12, "").code, 0, "{profile}: no password opens it");
        // The key, the leaf and the CA are inside: the same as the files beside it.
        let certs = tool(
            "openssl",
            &["pkcs12", "-in", p12.to_str().unwrap(), "-passin", &format!("pass:{PASSWORD}"), "-nokeys"],
        );
        assert_eq!(certs.code, 0, "{}", certs.stderr);
        assert_eq!(certs.stdout.matches("BEGIN CERTIFICATE").count(), 2, "leaf and CA");
        let leaf = fs::read_to_string(sb.path(&format!("{profile}.crt"))).unwrap();
        assert!(certs.stdout.contains(leaf.trim()), "{}", certs.stdout);
    }
}

#[test]
fn gen_p12_refuses_an_empty_or_missing_password_and_writes_nothing() {
    let sb = Sandbox::new();
    fs::write(sb.path("empty.txt"), "\n").unwrap();
    sb.run(&["gen", "--p12", "--p12-password-file", "empty.txt"]).fails(2, "empty password").one_error_line();
    let run = crate::harness::run_with({
        let mut cmd = sb.cmd(&["gen", "--p12"]);
        cmd.env("TLSFORGE_P12_PASSWORD", "");
        cmd
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("TLSFORGE_P12_PASSWORD is set but empty"), "{}", run.stderr);
    // No terminal, no file, no variable: refused, with where a password can come from.
    sb.run(&["gen", "--p12"]).fails(2, "no terminal to ask on");
    assert!(sb.listing(".").iter().all(|f| !f.starts_with("server.")), "{:?}", sb.listing("."));
    // The password from the environment works as the file does.
    let run = crate::harness::run_with({
        let mut cmd = sb.cmd(&["gen", "--p12"]);
        cmd.env("TLSFORGE_P12_PASSWORD", PASSWORD);
        cmd
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&sb.path("server.p12")), 0o600);
    // Files already there are said before a password is asked for (none is given here).
    sb.run(&["gen", "--p12"]).fails(1, "server.crt already exists");
    // Never a plain command-line value.
    sb.run(&["gen", "--p12", "--p12-password", "x"]).fails(2, "unexpected argument");
}

/// `tlsforge ARGS` on a pseudo-terminal, the terminal a person types a password into.
fn on_a_terminal(sb: &Sandbox, args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = sb.cmd(args);
    cmd.stdin(Stdio::inherit()).stdout(Stdio::inherit()).stderr(Stdio::inherit());
    let options = rexpect::reader::Options::new().timeout_ms(Some(30_000)).strip_ansi_escape_codes(true);
    rexpect::session::spawn_with_options(cmd, options).expect("spawn tlsforge on a pty")
}

#[test]
fn gen_p12_asks_twice_on_a_terminal_without_echo() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let mut p = on_a_terminal(&sb, &["gen", "--p12", "-n", "asked"]);
    p.exp_string("Password for").unwrap();
    p.send_line(PASSWORD).unwrap();
    p.exp_string("Repeat the password").unwrap();
    p.send_line(PASSWORD).unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("asked.p12"), "{rest}");
    assert!(!rest.contains(PASSWORD), "the password is not echoed: {rest}");
    let status = p.process().wait().unwrap();
    assert!(matches!(status, rexpect::process::WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(mode(&sb.path("asked.p12")), 0o600);
    let info = openssl_info(&sb.path("asked.p12"), PASSWORD);
    assert_eq!(info.code, 0, "{}", info.stderr);

    // Two different answers: nothing is written.
    let mut p = on_a_terminal(&sb, &["gen", "--p12", "-n", "differ"]);
    p.exp_string("Password for").unwrap();
    p.send_line(PASSWORD).unwrap();
    p.exp_string("Repeat the password").unwrap();
    p.send_line("something else").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("the two passwords differ"), "{rest}");
    let status = p.process().wait().unwrap();
    assert!(matches!(status, rexpect::process::WaitStatus::Exited(_, 2)), "{status:?}");
    assert!(sb.listing(".").iter().all(|f| !f.starts_with("differ.")), "{:?}", sb.listing("."));
}

#[test]
fn keytool_lists_the_key_under_its_alias() {
    if !have("keytool") {
        return;
    }
    let sb = with_both_profiles();
    for profile in ["compat", "modern"] {
        let p12 = sb.path(&format!("{profile}.p12"));
        let list = tool(
            "keytool",
            &["-list", "-storetype", "PKCS12", "-keystore", p12.to_str().unwrap(), "-storepass", PASSWORD],
        );
        assert_eq!(list.code, 0, "{}{}", list.stdout, list.stderr);
        assert!(list.stdout.contains(&format!("{profile}, ")), "alias {profile}: {}", list.stdout);
        assert!(list.stdout.contains("PrivateKeyEntry"), "{}", list.stdout);
        // One entry, with the CA in its chain (the CA's bag has no localKeyID of its own).
        let verbose = tool(
            "keytool",
            &[
                "-list",
                "-v",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.to_str().unwrap(),
                "-storepass",
                PASSWORD,
            ],
        );
        assert!(verbose.stdout.contains("Your keystore contains 1 entry"), "{}", verbose.stdout);
        assert!(verbose.stdout.contains("Certificate chain length: 2"), "{}", verbose.stdout);
        assert!(verbose.stdout.contains(&format!("Alias name: {profile}")), "{}", verbose.stdout);
    }
}

#[test]
fn node_and_python_cryptography_load_both_profiles() {
    let sb = with_both_profiles();
    for profile in ["compat", "modern"] {
        let p12 = sb.path(&format!("{profile}.p12"));
        if have("node") {
            let script = "const fs = require('fs'); const tls = require('tls');\n\
                tls.createSecureContext({ pfx: fs.readFileSync(process.argv[1]), passphrase: process.argv[2] });\n\
                console.log('loaded');";
            let node = tool("node", &["-e", script, p12.to_str().unwrap(), PASSWORD]);
            assert_eq!(node.code, 0, "{profile}: {}", node.stderr);
            assert_ne!(tool("node", &["-e", script, p12.to_str().unwrap(), "wrong"]).code, 0);
        }
        if let Some(python) = python_with("cryptography") {
            let script = "import sys\n\
                from cryptography.hazmat.primitives.serialization import pkcs12\n\
                key, cert, extra = pkcs12.load_key_and_certificates(open(sys.argv[1], 'rb').read(), sys.argv[2].encode())\n\
                assert key is not None and cert is not None and len(extra) == 1, (key, cert, extra)\n\
                print(cert.subject.rfc4514_string())";
            let py = tool(python, &["-c", script, p12.to_str().unwrap(), PASSWORD]);
            assert_eq!(py.code, 0, "{profile}: {}", py.stderr);
            assert!(py.stdout.contains("app.test"), "{}", py.stdout);
        }
    }
}

/// One bag as `openssl pkcs12 -info -nodes` prints it: its attributes, and the subject of a
/// certificate bag (`None` for the key's).
#[derive(Debug, Default)]
struct OpensslBag {
    subject: Option<String>,
    friendly_name: Option<String>,
    local_key_id: Option<String>,
}

fn openssl_bags(p12: &Path, pass: &str) -> Vec<OpensslBag> {
    let info = tool(
        "openssl",
        &["pkcs12", "-info", "-nodes", "-in", p12.to_str().unwrap(), "-passin", &format!("pass:{pass}")],
    );
    assert_eq!(info.code, 0, "{}", info.stderr);
    let mut bags: Vec<OpensslBag> = Vec::new();
    for line in info.stdout.lines() {
        if line.starts_with("Bag Attributes") {
            bags.push(OpensslBag::default());
        } else if let Some(bag) = bags.last_mut() {
            if let Some(name) = line.trim().strip_prefix("friendlyName: ") {
                bag.friendly_name = Some(name.to_owned());
            } else if let Some(id) = line.trim().strip_prefix("localKeyID: ") {
                bag.local_key_id = Some(id.trim().to_owned());
            } else if let Some(subject) = line.strip_prefix("subject=") {
                bag.subject.get_or_insert_with(|| subject.to_owned());
            }
        }
    }
    bags
}

/// What `openssl pkcs12 -export -name ALIAS` writes, which Windows shows as the certificate's
/// Friendly Name: the alias and the key's localKeyID on the leaf's certificate bag, nothing on
/// the CA's, and no bag named after a subject.
fn assert_named_like_openssl_export(p12: &Path, alias: &str, what: &str) {
    let bags = openssl_bags(p12, PASSWORD);
    assert_eq!(bags.len(), 3, "{what}: leaf, CA and key: {bags:?}");
    let key = bags.iter().find(|b| b.subject.is_none()).expect("the key's bag");
    let leaf = bags.iter().find(|b| b.subject.as_deref().is_some_and(|s| s.contains("CN = app.test")));
    let leaf = leaf.unwrap_or_else(|| panic!("{what}: the leaf's bag: {bags:?}"));
    let ca = bags.iter().find(|b| b.subject.as_deref().is_some_and(|s| s.contains("tlsforge local CA")));
    let ca = ca.unwrap_or_else(|| panic!("{what}: the CA's bag: {bags:?}"));
    assert_eq!(key.friendly_name.as_deref(), Some(alias), "{what}: {bags:?}");
    assert_eq!(leaf.friendly_name.as_deref(), Some(alias), "{what}: {bags:?}");
    assert!(key.local_key_id.as_ref().is_some_and(|id| id.split(' ').count() == 20), "{what}: {bags:?}");
    assert_eq!(leaf.local_key_id, key.local_key_id, "{what}: the leaf is tied to the key");
    assert_eq!((&ca.friendly_name, &ca.local_key_id), (&None, &None), "{what}: {bags:?}");
    assert!(bags.iter().all(|b| b.friendly_name.as_deref().is_none_or(|n| n == alias)), "{what}: {bags:?}");
}

/// Python `cryptography`'s own reading of the names: the certificate that goes with the key is
/// named ALIAS, the other is not named.
fn assert_python_reads_the_alias(python: &str, p12: &Path, alias: &str, what: &str) {
    let script = "import sys, json\n\
        from cryptography.hazmat.primitives.serialization import pkcs12\n\
        p = pkcs12.load_pkcs12(open(sys.argv[1], 'rb').read(), sys.argv[2].encode())\n\
        name = lambda c: None if c.friendly_name is None else c.friendly_name.decode('utf-8')\n\
        print(json.dumps({'key': p.key is not None, 'leaf': p.cert.certificate.subject.rfc4514_string(),\n\
            'leaf_name': name(p.cert), 'others': [name(c) for c in p.additional_certs]}))";
    let py = tool(python, &["-c", script, p12.to_str().unwrap(), PASSWORD]);
    assert_eq!(py.code, 0, "{what}: {}", py.stderr);
    let read: serde_json::Value = serde_json::from_str(&py.stdout).unwrap();
    assert_eq!(read["key"], true, "{what}: {read}");
    assert!(read["leaf"].as_str().unwrap().contains("CN=app.test"), "{what}: {read}");
    assert_eq!(read["leaf_name"], alias, "{what}: {read}");
    assert_eq!(read["others"], serde_json::json!([null]), "{what}: {read}");
}

#[test]
fn the_alias_names_the_leafs_certificate_bag_as_openssl_export_does() {
    let sb = with_both_profiles();
    // export too, with a name outside ASCII (inside the BMP, which a BMPString holds).
    sb.run(&[
        "export",
        "compat.crt",
        "--as",
        "p12",
        "--p12-profile",
        "modern",
        "--out",
        "exported.pfx",
        "--name",
        "Zürich app",
        "--p12-password-file",
        "pass.txt",
    ])
    .success();
    let files = [("compat.p12", "compat"), ("modern.p12", "modern"), ("exported.pfx", "Zürich app")];
    if require("openssl", have("openssl")) {
        // OpenSSL 3.0 prints a BMPString's low bytes (ü as the byte FC), later versions UTF-8:
        // it checks the ASCII aliases, Python (below) and the unit tests all three.
        for (file, alias) in files.iter().filter(|(_, alias)| alias.is_ascii()) {
            assert_named_like_openssl_export(&sb.path(file), alias, file);
        }
    }
    if let Some(python) = python_with("cryptography") {
        for (file, alias) in files {
            assert_python_reads_the_alias(python, &sb.path(file), alias, file);
        }
    }
}

#[test]
fn an_alias_a_bmpstring_cannot_hold_is_refused_before_the_password_is_asked() {
    let sb = Sandbox::new();
    fs::write(sb.path("pass.txt"), format!("{PASSWORD}\n")).unwrap();
    // No password source at all: the alias is what is refused, and nothing is written.
    sb.run(&["gen", "--p12", "-n", "app😀"]).fails(2, "U+1F600").one_error_line();
    assert!(sb.listing(".").iter().all(|f| !f.starts_with("app")), "{:?}", sb.listing("."));
    sb.run(&["gen", "-n", "app😀"]).success();
    sb.run(&["export", "app😀.crt", "--as", "p12", "--name", "🔒", "--out", "a.p12"])
        .fails(2, "Basic Multilingual Plane")
        .one_error_line();
    // The alias from the file name is the same BMPString: refused, nothing written.
    sb.run(&["export", "app😀.crt", "--as", "p12", "--out", "a.p12"]).fails(2, "U+1F600").one_error_line();
    assert!(!sb.path("a.p12").exists());
}

#[test]
fn inspect_opens_p12_names_its_profile_and_refuses_a_wrong_password() {
    let sb = with_both_profiles();
    for profile in ["compat", "modern"] {
        let run = sb
            .run(&[
                "inspect",
                &format!("{profile}.p12"),
                "--p12-password-file",
                "pass.txt",
                "--format",
                "json",
            ])
            .success();
        let entries = run.json();
        let entries = entries.as_array().unwrap();
        assert_eq!(entries[0]["kind"], "pkcs12");
        assert_eq!(entries[0]["protection"], profile);
        assert_eq!(entries[0]["certificates"], 2);
        assert_eq!(entries[0]["keys"], 1);
        // The key's bag and its certificate's carry the alias (listed once); the CA's has none.
        assert_eq!(entries[0]["friendly_names"], serde_json::json!([profile]));
        let kinds: Vec<&str> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["pkcs12", "certificate", "certificate", "private-key"]);
        assert_eq!(entries[3]["matching_certificates"][0]["index"], 1, "the key is the leaf's");
    }
    fs::write(sb.path("wrong.txt"), "not it\n").unwrap();
    let run =
        sb.run(&["inspect", "compat.p12", "--p12-password-file", "wrong.txt"]).fails(2, "wrong password");
    assert_eq!(run.stderr.matches("wrong password").count(), 1, "{}", run.stderr);
    assert!(!run.stdout.contains("PRIVATE"), "{}", run.stdout);
    // Human output names the protection.
    let human = sb.run(&["inspect", "modern.p12", "--p12-password-file", "pass.txt"]).success();
    assert!(human.stdout.contains("modern (PBES2 AES-256-CBC"), "{}", human.stdout);
}

#[test]
fn export_der_and_fullchain_are_what_openssl_reads_and_verifies() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    sb.run(&["export", "server.crt", "--as", "der", "--out", "server.cer"]).success();
    assert_eq!(fs::read(sb.path("server.cer")).unwrap(), cert_der(&sb.path("server.crt")));
    assert_eq!(mode(&sb.path("server.cer")), 0o644);
    sb.run(&["export", "server.crt", "--as", "fullchain", "--out", "fullchain.pem"]).success();
    let chain = fs::read_to_string(sb.path("fullchain.pem")).unwrap();
    let leaf = fs::read_to_string(sb.path("server.crt")).unwrap();
    let ca = fs::read_to_string(sb.ca_dir().join("ca.crt")).unwrap();
    assert_eq!(chain, format!("{leaf}{ca}"), "the leaf, then its issuer");
    // The CA by default, and what must not reach a file by accident refuses to be replaced.
    sb.run(&["export", "--as", "der", "--out", "server.cer"]).fails(1, "already exists").one_error_line();
    sb.run(&["export", "--as", "der", "--out", "ca.cer"]).success();
    assert_eq!(fs::read(sb.path("ca.cer")).unwrap(), cert_der(&sb.ca_dir().join("ca.crt")));
    // A self-signed certificate is its own chain; one from another CA has none to give.
    sb.run(&["gen", "-n", "self"]).success();
    let own = sb.run(&["export", "self.crt", "--as", "fullchain"]).success();
    assert_eq!(own.stdout, fs::read_to_string(sb.path("self.crt")).unwrap());
    sb.run(&["export", "missing.crt", "--as", "der", "--out", "m.cer"])
        .fails(1, "missing.crt")
        .one_error_line();
    if !have("openssl") {
        return;
    }
    let der = tool("openssl", &["x509", "-inform", "DER", "-in", sb.path("server.cer").to_str().unwrap()]);
    assert_eq!(der.code, 0, "{}", der.stderr);
    assert_eq!(der.stdout, leaf, "DER and PEM are one certificate");
    let ca_path = sb.ca_dir().join("ca.crt");
    let chain_path = sb.path("fullchain.pem");
    let verify = tool(
        "openssl",
        &[
            "verify",
            "-CAfile",
            ca_path.to_str().unwrap(),
            "-untrusted",
            chain_path.to_str().unwrap(),
            chain_path.to_str().unwrap(),
        ],
    );
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
}

#[test]
fn export_p12_from_an_existing_pair_is_private_and_never_reaches_a_terminal() {
    let sb = Sandbox::new();
    fs::write(sb.path("pass.txt"), format!("{PASSWORD}\n")).unwrap();
    sb.run(&["gen", "--ca", "app.test"]).success();
    let run = sb
        .run(&[
            "export",
            "server.crt",
            "--as",
            "p12",
            "--out",
            "server.pfx",
            "--name",
            "my app",
            "--p12-password-file",
            "pass.txt",
        ])
        .success();
    assert!(run.stdout.contains("transport protection only"), "{}", run.stdout);
    assert_eq!(mode(&sb.path("server.pfx")), 0o600);
    let inspect =
        sb.run(&["inspect", "server.pfx", "--p12-password-file", "pass.txt", "--format", "json"]).success();
    let entries = inspect.json();
    assert_eq!(entries[0]["protection"], "compat");
    assert!(entries[0]["friendly_names"].as_array().unwrap().iter().any(|n| n == "my app"));
    // A key that is not the certificate's is refused before anything is written.
    sb.run(&["gen", "-n", "other"]).success();
    sb.run(&[
        "export",
        "server.crt",
        "--key",
        "other.key",
        "--as",
        "p12",
        "--out",
        "bad.p12",
        "--p12-password-file",
        "pass.txt",
    ])
    .fails(1, "does not belong");
    assert!(!sb.path("bad.p12").exists());
    // On a terminal: refused, before a password is asked for.
    if have("script") {
        for format in ["p12", "der", "k8s-secret"] {
            let line =
                format!(r#"script -qec "\"$0\" export server.crt --as {format}; echo status=\$?" /dev/null"#);
            let run = tool("sh", &["-c", &line, crate::harness::BIN]);
            assert!(run.stdout.contains("refusing to write"), "{format}: {}", run.stdout);
            assert!(run.stdout.contains("status=2"), "{format}: {}", run.stdout);
            assert!(!run.stdout.contains("PRIVATE") && !run.stdout.contains("tls.key"), "{}", run.stdout);
        }
    }
}

/// The documents of a manifest file as JSON, read by Python's `yaml` module.
fn documents(sb: &Sandbox, file: &str) -> Vec<serde_json::Value> {
    let python = crate::harness::python();
    let script =
        "import sys, json, yaml\nprint(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))";
    let run = tool(python, &["-c", script, sb.path(file).to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn decoded(doc: &serde_json::Value, field: &str) -> String {
    let b64 = doc["data"][field].as_str().unwrap_or_else(|| panic!("no {field}: {doc}"));
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
}

/// Validate every Secret of `file` against the Kubernetes schemas, when kubernetes-validate
/// (pinned in .ci/run) is here.
fn kubernetes_validate(sb: &Sandbox, file: &str) {
    let Some(python) = python_with("kubernetes_validate") else { return };
    let script = "import sys, yaml, kubernetes_validate\n\
        from kubernetes_validate.utils import latest_version\n\
        n = 0\n\
        for d in yaml.safe_load_all(open(sys.argv[1])):\n\
        \x20   if d and d['apiVersion'] == 'v1':\n\
        \x20       kubernetes_validate.validate(d, latest_version(), strict=True); n += 1\n\
        bad = {'apiVersion': 'v1', 'kind': 'Secret', 'metadata': {'name': 'x'}, 'data': {'a': 1}}\n\
        try:\n\
        \x20   kubernetes_validate.validate(bad, latest_version(), strict=True); sys.exit('the validator took a bad Secret')\n\
        except kubernetes_validate.ValidationError:\n\
        \x20   pass\n\
        print(n)";
    let run = tool(python, &["-c", script, sb.path(file).to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.trim(), "1", "one Secret validated");
}

#[test]
fn k8s_secret_holds_the_files_and_validates() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    sb.run(&[
        "export",
        "server.crt",
        "--as",
        "k8s-secret",
        "--name",
        "app-tls",
        "--namespace",
        "web",
        "--out",
        "secret.yaml",
    ])
    .success();
    assert_eq!(mode(&sb.path("secret.yaml")), 0o600, "it holds the key");
    let docs = documents(&sb, "secret.yaml");
    let [secret] = docs.as_slice() else { panic!("{docs:?}") };
    assert_eq!(secret["kind"], "Secret");
    assert_eq!(secret["type"], "kubernetes.io/tls");
    assert_eq!(secret["metadata"]["name"], "app-tls");
    assert_eq!(secret["metadata"]["namespace"], "web");
    assert_eq!(decoded(secret, "tls.crt"), fs::read_to_string(sb.path("server.crt")).unwrap());
    assert_eq!(decoded(secret, "tls.key"), fs::read_to_string(sb.path("server.key")).unwrap());
    assert_eq!(decoded(secret, "ca.crt"), fs::read_to_string(sb.ca_dir().join("ca.crt")).unwrap());
    kubernetes_validate(&sb, "secret.yaml");
    // Names Kubernetes would refuse are refused here, with exit 2.
    sb.run(&["export", "server.crt", "--as", "k8s-secret", "--name", "App_TLS"])
        .fails(2, "not a Kubernetes object name");
    sb.run(&["export", "server.crt", "--as", "der", "--namespace", "web"]).fails(2, "--namespace goes with");
    // Piped (not a terminal), the manifest goes to stdout for kubectl apply -f -.
    let piped = sb.run(&["export", "server.crt", "--as", "k8s-secret"]).success();
    assert!(piped.stdout.contains("name: \"server-tls\""), "{}", piped.stdout);
}

/// Validate cert-manager objects against the JSON schemas generated from cert-manager's CRDs
/// (npm `@kubernetes-models/cert-manager`, pinned in .ci/run, installed globally), and check
/// that the validator refuses a broken copy, so that a pass means something.
fn cert_manager_validate(sb: &Sandbox, objects: &[&serde_json::Value]) {
    const MODULE: &str = "@kubernetes-models/cert-manager";
    let root =
        if have("npm") { tool("npm", &["root", "-g"]).stdout.trim().to_owned() } else { String::new() };
    let installed = !root.is_empty() && Path::new(&root).join(MODULE).exists();
    if !require(&format!("{MODULE} (npm install -g {MODULE}@4.4.2)"), installed) {
        return;
    }
    let file = sb.path("cert-manager.json");
    fs::write(&file, serde_json::to_string(objects).unwrap()).unwrap();
    let script = r#"
        const objects = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const model = (kind) => require(`@kubernetes-models/cert-manager/cert-manager.io/v1/${kind}`)[kind];
        for (const object of objects) {
            const Kind = model(object.kind);
            new Kind(object).validate();
            const broken = JSON.parse(JSON.stringify(object));
            broken.spec.issuerRef ? (broken.spec.secretName = 5) : delete broken.spec.ca.secretName;
            let refused = false;
            try { new Kind(broken).validate(); } catch (e) { refused = true; }
            if (!refused) { console.error(`the validator took a broken ${object.kind}`); process.exit(1); }
        }
        console.log(`${objects.length} valid`);
    "#;
    let run = crate::harness::run_with({
        let mut cmd = std::process::Command::new("node");
        cmd.args(["-e", script, file.to_str().unwrap()]).env("NODE_PATH", &root);
        cmd
    });
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.trim(), format!("{} valid", objects.len()));
}

#[test]
fn cert_manager_gets_the_ca_secret_an_issuer_and_an_example_certificate() {
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    for (flags, kind) in
        [(&["--namespace", "dev"][..], "Issuer"), (&["--cluster-issuer"][..], "ClusterIssuer")]
    {
        let file = format!("{kind}.yaml");
        let mut args = vec!["export", "--as", "cert-manager", "--out", file.as_str()];
        args.extend_from_slice(flags);
        sb.run(&args).success();
        assert_eq!(mode(&sb.path(&file)), 0o600);
        let text = fs::read_to_string(sb.path(&file)).unwrap();
        assert!(text.contains("whoever can read it can issue certificates"), "{text}");
        let docs = documents(&sb, &file);
        let [secret, issuer, certificate] = docs.as_slice() else { panic!("{docs:?}") };
        // The CA's Secret: its certificate (CA:TRUE) and its key, byte for byte.
        assert_eq!(secret["type"], "kubernetes.io/tls");
        let ca_pem = fs::read_to_string(sb.ca_dir().join("ca.crt")).unwrap();
        assert_eq!(decoded(secret, "tls.crt"), ca_pem);
        assert_eq!(decoded(secret, "tls.key"), fs::read_to_string(sb.ca_dir().join("ca.key")).unwrap());
        let namespace = if kind == "Issuer" { "dev" } else { "cert-manager" };
        assert_eq!(secret["metadata"]["namespace"], namespace);
        // The issuer and the example certificate: by shape here, and against cert-manager's own
        // schemas below.
        assert_eq!(issuer["apiVersion"], "cert-manager.io/v1");
        assert_eq!(issuer["kind"], kind);
        assert_eq!(issuer["spec"]["ca"]["secretName"], secret["metadata"]["name"]);
        assert_eq!(issuer["metadata"].get("namespace").is_some(), kind == "Issuer");
        assert_eq!(certificate["apiVersion"], "cert-manager.io/v1");
        assert_eq!(certificate["kind"], "Certificate");
        assert_eq!(certificate["spec"]["issuerRef"]["name"], issuer["metadata"]["name"]);
        assert_eq!(certificate["spec"]["issuerRef"]["kind"], kind);
        assert_eq!(certificate["spec"]["issuerRef"]["group"], "cert-manager.io");
        assert!(certificate["spec"]["secretName"].is_string());
        assert_eq!(certificate["spec"]["dnsNames"][0], "app.localhost", "a name the CA permits");
        kubernetes_validate(&sb, &file);
        cert_manager_validate(&sb, &[issuer, certificate]);
        if have("openssl") {
            fs::write(sb.path("secret-ca.pem"), decoded(secret, "tls.crt")).unwrap();
            let text = tool(
                "openssl",
                &["x509", "-noout", "-text", "-in", sb.path("secret-ca.pem").to_str().unwrap()],
            );
            assert!(text.stdout.contains("CA:TRUE"), "{}", text.stdout);
        }
    }
    sb.run(&["export", "--as", "p12", "--cluster-issuer"]).fails(2, "--cluster-issuer goes with");
    sb.run(&["export", "server.crt", "--as", "cert-manager"]).fails(2, "give no CERT");
}
