//! `inspect --lint`: certificates made with openssl to break one client rule each are flagged
//! with that client named, and the strict clients really refuse them (`openssl verify
//! -x509_strict`, Python's `ssl` in strict mode); everything tlsforge issues lints clean and
//! passes `openssl verify -x509_strict`; `--days 825` is 825 days as RFC 5280 counts them.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::s;
use crate::harness::{Run, Sandbox, have, python_with, tool};

/// One finding of `--format json`, exactly (an unknown or a missing field fails).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    id: String,
    client: String,
    level: String,
    message: String,
    fix: String,
}

/// Extensions per kind of certificate: good ones, and each broken one way.
fn config() -> String {
    let ca = "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash";
    let leaf = "basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth";
    let san = "subjectAltName = DNS:localhost,IP:127.0.0.1";
    let ids = "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid";
    let no_ids = "subjectKeyIdentifier = none\nauthorityKeyIdentifier = none";
    let ca_leaf = "basicConstraints = critical,CA:TRUE\nkeyUsage = critical,digitalSignature,keyCertSign\n\
                   extendedKeyUsage = serverAuth";
    format!(
        "[req]\ndistinguished_name = dn\n[dn]\n\
         [root]\nbasicConstraints = critical,CA:TRUE\n{ca}\n\
         [loose_root]\nbasicConstraints = CA:TRUE\n{ca}\n\
         [leaf]\n{leaf}\n{san}\n{ids}\n\
         [leaf_no_aki]\n{leaf}\n{san}\n{no_ids}\n\
         [leaf_no_san]\n{leaf}\n{ids}\n\
         [ca_leaf]\n{ca_leaf}\n{san}\n{ids}\n"
    )
}

/// Run openssl with `config` as its only configuration (no system policy that would refuse to
/// make a SHA-1 or RSA-1024 certificate); panics with what it said when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env("OPENSSL_CONF", dir.join("lint.cnf"))
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    let run = Run::from(out);
    assert_eq!(run.code, 0, "openssl {args:?}: {}", run.stderr);
}

const EC: &str = "ec:P-256.pem";

/// The certificates, in `dir`: `root` and `loose_root` (CAs), and leaves named after what is
/// wrong with them, each with its key: `good` and `no_aki` from `root`, `under_loose` from
/// `loose_root`, `days900`, `no_san`, `sha1`, `rsa1024` from `root`, and `ca_leaf` self-signed.
fn make_certificates(dir: &Path) {
    fs::write(dir.join("lint.cnf"), config()).unwrap();
    openssl(
        dir,
        &[
            "genpkey",
            "-genparam",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "ec:P-256.pem",
        ],
    );
    let cnf = "lint.cnf";
    for (name, section) in [("root", "root"), ("loose_root", "loose_root"), ("ca_leaf", "ca_leaf")] {
        let subject = format!("/CN=lint {name}");
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-config",
                cnf,
                "-extensions",
                section,
                "-newkey",
                &format!("ec:{EC}"),
                "-nodes",
                "-subj",
                &subject,
                "-days",
                "365",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.crt"),
            ],
        );
    }
    // name, issuer, extensions, key, digest, days
    let leaves = [
        ("good", "root", "leaf", "ec", "-sha256", "365"),
        ("no_aki", "root", "leaf_no_aki", "ec", "-sha256", "365"),
        ("under_loose", "loose_root", "leaf", "ec", "-sha256", "365"),
        ("days900", "root", "leaf", "ec", "-sha256", "900"),
        ("days825", "root", "leaf", "ec", "-sha256", "825"),
        ("no_san", "root", "leaf_no_san", "ec", "-sha256", "365"),
        ("sha1", "root", "leaf", "ec", "-sha1", "365"),
        ("rsa1024", "root", "leaf", "rsa:1024", "-sha256", "365"),
    ];
    for (name, issuer, section, key, digest, days) in leaves {
        let key = if key == "ec" { format!("ec:{EC}") } else { key.to_owned() };
        let (csr, out, keyout) = (format!("{name}.csr"), format!("{name}.crt"), format!("{name}.key"));
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-config",
                cnf,
                "-newkey",
                &key,
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                &keyout,
                "-out",
                &csr,
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &format!("{issuer}.crt"),
                "-CAkey",
                &format!("{issuer}.key"),
                "-CAcreateserial",
                "-extfile",
                cnf,
                "-extensions",
                section,
                digest,
                "-days",
                days,
                "-out",
                &out,
            ],
        );
    }
}

/// `inspect --lint --format json FILE`: the exit status and each certificate's findings.
fn lint(sb: &Sandbox, file: &Path) -> (i32, Vec<Vec<Finding>>, Run) {
    let run = sb.run(&["inspect", "--lint", "--format", "json", s(file)]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let entries = run.json();
    let findings = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "certificate")
        .map(|e| serde_json::from_value(e["lint"].clone()).expect("lint findings"))
        .collect();
    (run.code, findings, run)
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

/// `openssl verify -x509_strict`, trusting `ca`: Ok, or what openssl said.
fn verify_strict(ca: &Path, cert: &Path) -> Result<(), String> {
    let run = tool("openssl", &["verify", "-x509_strict", "-CAfile", s(ca), s(cert)]);
    if run.code == 0 { Ok(()) } else { Err(format!("{}{}", run.stdout, run.stderr)) }
}

/// Python's own `ssl`: a server presenting `cert`/`key` on loopback, a client with the default
/// context trusting `ca`. Python 3.13+ sets `VERIFY_X509_STRICT` in `create_default_context()`;
/// this machine's Python may be older (3.11 here), so the client sets it explicitly, as 3.13 does.
const PYTHON_CLIENT: &str = r#"
import socket, ssl, sys, threading
ca, cert, key = sys.argv[1:4]
server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_ctx.load_cert_chain(cert, key)
listener = socket.create_server(("127.0.0.1", 0))
port = listener.getsockname()[1]
def serve():
    conn, _ = listener.accept()
    try:
        with server_ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)
    except Exception:
        pass
threading.Thread(target=serve, daemon=True).start()
ctx = ssl.create_default_context(cafile=ca)
ctx.verify_flags |= ssl.VERIFY_X509_STRICT  # what Python 3.13+ sets by default
try:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"x")
    print("accepted")
except ssl.SSLCertVerificationError as e:
    print("refused:", e.verify_message)
"#;

/// What Python's strict client says of a server presenting `cert`: `accepted` or `refused: ...`.
fn python_strict(python: &str, ca: &Path, cert: &Path, key: &Path) -> String {
    tool(python, &["-c", PYTHON_CLIENT, s(ca), s(cert), s(key)]).stdout.trim().to_owned()
}

#[test]
fn certificates_breaking_a_rule_are_flagged_with_the_client_named_and_strict_clients_refuse_them() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.work();
    make_certificates(&dir);
    let at = |name: &str| dir.join(format!("{name}.crt"));

    // The well-made chain lints clean and every strict client accepts it.
    for name in ["root", "good"] {
        let (code, findings, run) = lint(&sb, &at(name));
        assert_eq!((code, ids(&findings[0])), (0, vec![]), "{name}: {}", run.stdout);
    }
    verify_strict(&at("root"), &at("good")).unwrap();

    let expect: &[(&str, &[&str], &str)] = &[
        ("loose_root", &["python-strict-ca-basic-constraints-critical"], "python-strict"),
        ("no_aki", &["python-strict-authority-key-id"], "python-strict"),
        ("days900", &["apple-validity-825-days"], "apple"),
        ("days825", &["apple-validity-825-days"], "apple"),
        ("no_san", &["chrome-san-required"], "chrome"),
        ("sha1", &["apple-sha2", "chrome-sha1", "rustls-sha1"], "apple"),
        ("rsa1024", &["apple-rsa-2048", "rustls-rsa-2048"], "apple"),
        ("ca_leaf", &["rustls-ca-as-server", "firefox-ca-as-server"], "rustls"),
    ];
    for (name, rules, client) in expect {
        let (code, findings, run) = lint(&sb, &at(name));
        let found = &findings[0];
        assert_eq!(ids(found), *rules, "{name}: {}", run.stdout);
        assert_eq!(found[0].client, *client, "{name}");
        assert!(found.iter().all(|f| f.level == "error" && !f.message.is_empty() && !f.fix.is_empty()));
        assert_eq!(code, 1, "{name}: an error-level finding exits 1: {}", run.stderr);
        assert!(run.stderr.contains("1 certificate breaks a client's rule"), "{name}: {}", run.stderr);
    }
    // openssl's own `-days 825` is a second longer than 825 days, counted as RFC 5280 counts.
    let (_, findings, _) = lint(&sb, &at("days825"));
    assert!(findings[0][0].message.starts_with("valid for 825 days and 1 second"), "{:?}", findings[0]);

    // The human report names the client and the fix.
    let human = sb.run(&["inspect", "--lint", s(&at("no_aki"))]);
    assert_eq!(human.code, 1);
    assert!(
        human
            .stdout
            .contains("lint         error python-strict-authority-key-id (Python 3.13+ / OpenSSL strict)"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("fix: re-issue it from a CA tool that writes authorityKeyIdentifier"),
        "{}",
        human.stdout
    );

    // OpenSSL's strict mode refuses what the Python rules flag, and only in strict mode.
    let refused = verify_strict(&at("loose_root"), &at("under_loose")).unwrap_err();
    assert!(refused.contains("Basic Constraints of CA cert not marked critical"), "{refused}");
    let refused = verify_strict(&at("root"), &at("no_aki")).unwrap_err();
    assert!(refused.contains("Missing Authority Key Identifier"), "{refused}");
    let lax = tool("openssl", &["verify", "-CAfile", s(&at("root")), s(&at("no_aki"))]);
    assert_eq!(lax.code, 0, "without -x509_strict it passes: {}", lax.stderr);

    // And so does Python's ssl in strict mode, which accepts the good chain.
    let Some(python) = python_with("ssl") else { return };
    let key = |name: &str| dir.join(format!("{name}.key"));
    assert_eq!(python_strict(python, &at("root"), &at("good"), &key("good")), "accepted");
    let refused = python_strict(python, &at("loose_root"), &at("under_loose"), &key("under_loose"));
    assert!(refused.starts_with("refused: Basic Constraints of CA cert not marked critical"), "{refused}");
    let refused = python_strict(python, &at("root"), &at("no_aki"), &key("no_aki"));
    assert!(refused.starts_with("refused: Missing Authority Key Identifier"), "{refused}");
}

#[test]
fn everything_tlsforge_issues_lints_clean_and_passes_openssl_strict() {
    let sb = Sandbox::new();
    let kinds: &[(&str, &[&str])] = &[
        ("self-ec", &["gen", "--name", "self-ec"]),
        ("self-rsa", &["gen", "--name", "self-rsa", "--key", "rsa-2048"]),
        ("self-ed", &["gen", "--name", "self-ed", "--key", "ed25519"]),
        ("ca-ec", &["gen", "--ca", "--name", "ca-ec", "app.test", "127.0.0.1"]),
        ("ca-rsa", &["gen", "--ca", "--name", "ca-rsa", "--key", "rsa-2048"]),
        ("lan", &["gen", "--name", "lan", "--lan"]),
        ("ca-lan", &["gen", "--ca", "--name", "ca-lan", "--lan"]),
        ("days825", &["gen", "--name", "days825", "--days", "825"]),
    ];
    for (name, args) in kinds {
        sb.run(args).success();
        let cert = sb.path(&format!("{name}.crt"));
        let (code, findings, run) = lint(&sb, &cert);
        assert_eq!((code, ids(&findings[0])), (0, vec![]), "{name}: {}", run.stdout);
        if have("openssl") {
            let anchor = if name.starts_with("ca-") { sb.ca_dir().join("ca.crt") } else { cert.clone() };
            verify_strict(&anchor, &cert).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let ca = sb.ca_dir().join("ca.crt");
    let (code, findings, run) = lint(&sb, &ca);
    assert_eq!((code, ids(&findings[0])), (0, vec![]), "the local CA: {}", run.stdout);
    if have("openssl") {
        verify_strict(&ca, &ca).unwrap();
    }
    // The human form says so.
    let human = sb.run(&["inspect", "--lint", s(&ca)]).success();
    assert!(human.stdout.contains("lint         ok: no client refuses it"), "{}", human.stdout);

    // 825 days as RFC 5280 counts them: notBefore through notAfter, both included.
    let der = crate::harness::cert_der(&sb.path("days825.crt"));
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let (nb, na) = (cert.validity().not_before.to_datetime(), cert.validity().not_after.to_datetime());
    assert_eq!(na - nb + ::time::Duration::SECOND, ::time::Duration::days(825));

    if let Some(python) = python_with("ssl") {
        let key = |name: &str| sb.path(&format!("{name}.key"));
        let self_signed = sb.path("self-ec.crt");
        assert_eq!(python_strict(python, &self_signed, &self_signed, &key("self-ec")), "accepted");
        // The CA-issued leaf names app.test; the client asks for localhost: use one that covers it.
        sb.run(&["gen", "--ca", "--name", "ca-local"]).success();
        assert_eq!(python_strict(python, &ca, &sb.path("ca-local.crt"), &key("ca-local")), "accepted");
    }
}

#[test]
fn lint_warnings_leave_the_status_alone_and_json_has_no_lint_without_the_flag() {
    let sb = Sandbox::new();
    // A self-signed leaf without an authority key identifier, as tlsforge made them before.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = ::time::OffsetDateTime::now_utc() - ::time::Duration::hours(1);
    params.not_after = params.not_before + ::time::Duration::days(30);
    let cert = sb.path("old.crt");
    fs::write(&cert, params.self_signed(&key).unwrap().pem()).unwrap();
    let (code, findings, run) = lint(&sb, &cert);
    assert_eq!(code, 0, "{}", run.stderr);
    assert_eq!(ids(&findings[0]), ["rfc5280-authority-key-id"]);
    assert_eq!((findings[0][0].level.as_str(), findings[0][0].client.as_str()), ("warning", "rfc5280"));
    let plain = sb.run(&["inspect", "--format", "json", s(&cert)]).success();
    assert!(plain.json()[0].get("lint").is_none(), "{}", plain.stdout);
    // Bad input stays exit 2, one line, with --lint too.
    fs::write(sb.path("junk.crt"), "not a certificate").unwrap();
    sb.run(&["inspect", "--lint", s(&sb.path("junk.crt"))]).fails(2, "junk.crt");
}
