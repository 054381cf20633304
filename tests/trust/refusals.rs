//! What `trust` refuses or warns about before touching anything: a leaf from another CA, no
//! local CA, bad input.

use std::fs;

use crate::harness::{Sandbox, have, report, run_with, tool};

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
