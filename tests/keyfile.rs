//! Private keys as other tools write them (PKCS#1, SEC1, PKCS#8, encrypted), read by
//! `tlsforge::pki::keyfile` and matched against certificates openssl made for them.

use std::fs;

use tlsforge::pki::keyfile::{self, KeyError, KeyFormat};

use crate::harness::{have, tool};

#[test]
fn openssl_keys_in_every_format_are_read_and_matched() {
    if !have("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let cases: [(&str, &[&str], KeyFormat, &str); 5] = [
        ("rsa1.key", &["genrsa", "-traditional", "-out", "OUT", "2048"], KeyFormat::Pkcs1, "RSA 2048"),
        (
            "rsa8.key",
            &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", "OUT"],
            KeyFormat::Pkcs8,
            "RSA 3072",
        ),
        (
            "ec1.key",
            &["ecparam", "-genkey", "-name", "secp384r1", "-noout", "-out", "OUT"],
            KeyFormat::Sec1,
            "EC P-384",
        ),
        (
            "ec8.key",
            &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "OUT"],
            KeyFormat::Pkcs8,
            "EC P-256",
        ),
        ("ed.key", &["genpkey", "-algorithm", "ED25519", "-out", "OUT"], KeyFormat::Pkcs8, "Ed25519"),
    ];
    for (name, args, format, describe) in cases {
        let key_path = path(name);
        let args: Vec<&str> = args.iter().map(|a| if *a == "OUT" { key_path.as_str() } else { a }).collect();
        tool("openssl", &args).success();
        let crt = path(&format!("{name}.crt"));
        tool(
            "openssl",
            &["req", "-x509", "-key", &key_path, "-subj", "/CN=k.test", "-days", "2", "-out", &crt],
        )
        .success();
        let info = keyfile::parse_pem(&fs::read_to_string(&key_path).unwrap()).unwrap();
        assert_eq!((info.format, info.describe().as_str()), (format, describe), "{name}");
        let der = crate::harness::cert_der(std::path::Path::new(&crt));
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(info.matches(&cert), Some(true), "{name}");
        assert!(!format!("{info:?}").contains("public_key"), "debug output shows no key bytes");
    }
    // Every key against a certificate of another key: no match.
    let der = crate::harness::cert_der(std::path::Path::new(&path("ec1.key.crt")));
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    for name in ["rsa1.key", "ec8.key", "ed.key"] {
        let info = keyfile::parse_pem(&fs::read_to_string(path(name)).unwrap()).unwrap();
        assert_eq!(info.matches(&cert), Some(false), "{name}");
    }

    let enc = path("enc.key");
    tool(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:pw",
            "-out",
            &enc,
        ],
    )
    .success();
    assert_eq!(keyfile::parse_pem(&fs::read_to_string(&enc).unwrap()), Err(KeyError::Encrypted));
}
