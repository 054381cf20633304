//! Real TLS handshakes: `openssl s_server` serves what `gen` wrote, `curl` trusts only that
//! certificate (self-signed) or only the CA, and names outside the SANs are rejected.

use std::path::Path;

use crate::harness::{CURL_PEER_VERIFY_FAILED, Sandbox, have, serve, tool};

/// curl's exit status fetching https://NAME:PORT/ with NAME resolved to 127.0.0.1.
fn curl(name: &str, port: u16, cafile: Option<&Path>) -> i32 {
    let url_host = if name.contains(':') { format!("[{name}]") } else { name.to_owned() };
    let mut args = vec![
        "--silent".to_owned(),
        "--output".to_owned(),
        "/dev/null".to_owned(),
        "--max-time".to_owned(),
        "10".to_owned(),
    ];
    if name.parse::<std::net::IpAddr>().is_err() {
        args.push("--resolve".into());
        args.push(format!("{name}:{port}:127.0.0.1"));
    }
    if let Some(ca) = cafile {
        args.push("--cacert".into());
        args.push(ca.to_str().unwrap().to_owned());
    }
    args.push(format!("https://{url_host}:{port}/"));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    tool("curl", &argv).code
}

#[test]
fn curl_accepts_a_self_signed_certificate_it_trusts_and_nothing_else() {
    if !have("openssl") || !have("curl") {
        return;
    }
    let sb = Sandbox::new();
    for key in ["ecdsa-p256", "rsa-2048"] {
        sb.run(&["gen", "--key", key, "--name", key, "localhost", "app.test", "127.0.0.1"]).success();
        let cert = sb.path(&format!("{key}.crt"));
        let server = serve(&cert, &sb.path(&format!("{key}.key")));
        assert_eq!(curl("localhost", server.port, Some(&cert)), 0, "{key}: localhost");
        assert_eq!(curl("app.test", server.port, Some(&cert)), 0, "{key}: app.test");
        assert_eq!(curl("127.0.0.1", server.port, Some(&cert)), 0, "{key}: 127.0.0.1");
        assert_eq!(
            curl("other.test", server.port, Some(&cert)),
            CURL_PEER_VERIFY_FAILED,
            "{key}: name outside the SANs"
        );
        assert_eq!(
            curl("localhost", server.port, None),
            CURL_PEER_VERIFY_FAILED,
            "{key}: untrusted without --cacert"
        );
    }
}

#[test]
fn curl_accepts_a_ca_issued_certificate_when_it_trusts_only_the_ca() {
    if !have("openssl") || !have("curl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test", "*.app.test", "127.0.0.1"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    assert_eq!(curl("app.test", server.port, Some(&ca)), 0);
    assert_eq!(curl("api.app.test", server.port, Some(&ca)), 0);
    assert_eq!(curl("127.0.0.1", server.port, Some(&ca)), 0);
    assert_eq!(curl("other.test", server.port, Some(&ca)), CURL_PEER_VERIFY_FAILED);
    // The leaf alone is not a trust anchor for a CA-issued certificate.
    assert_eq!(curl("app.test", server.port, None), CURL_PEER_VERIFY_FAILED);
}

#[test]
fn an_ip_only_ca_certificate_passes_openssl_name_constraint_checks() {
    if !have("openssl") || !have("curl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "--domain", "127.0.0.1"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    assert_eq!(curl("127.0.0.1", server.port, Some(&ca)), 0);
}
