//! `--connect`: live handshakes with `openssl s_server`, trusted or not, and servers that are
//! unreachable or do not speak TLS.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use super::json::only_cert;
use crate::harness::{Run, Sandbox, free_port, have, serve};

#[test]
fn a_server_with_a_local_ca_certificate_is_trusted() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost", "127.0.0.1"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let target = format!("127.0.0.1:{}", server.port);
    let run = sb.run(&["inspect", "--connect", &target, "--format", "json"]).success();
    let leaf = only_cert(&run);
    assert_eq!((leaf.source.as_str(), leaf.index), (target.as_str(), 0));
    let expected = only_cert(&sb.run(&["inspect", "server.crt", "--format", "json"]));
    assert_eq!(leaf.fingerprint_sha256, expected.fingerprint_sha256);
    let c = leaf.connection.expect("connection details");
    assert_eq!((c.host.as_str(), c.port, c.server_name.as_str()), ("127.0.0.1", server.port, "127.0.0.1"));
    assert!(c.trusted && c.name_matches, "{c:?}");
    assert!(c.verify_error.is_none() && c.handshake_error.is_none(), "{c:?}");
    assert!(c.protocol.as_deref().is_some_and(|p| p.starts_with("TLSv1.")), "{c:?}");

    // SNI and the name check follow --servername.
    let run =
        sb.run(&["inspect", "--connect", &target, "--servername", "localhost", "--format", "json"]).success();
    let c = only_cert(&run).connection.unwrap();
    assert!(c.trusted && c.name_matches && c.server_name == "localhost", "{c:?}");
    let run = sb
        .run(&["inspect", "--connect", &target, "--servername", "other.test", "--format", "json"])
        .success();
    let c = only_cert(&run).connection.unwrap();
    assert!(c.trusted && !c.name_matches, "{c:?}");
    assert!(c.verify_error.as_deref().is_some_and(|e| e.contains("other.test")), "{c:?}");

    // Without the local CA the same chain is not trusted — and still shown.
    let run = Run::from(
        sb.cmd(&["inspect", "--connect", &target, "--format", "json"])
            .env("TLSFORGE_CA_DIR", sb.path("no-ca-here"))
            .output()
            .unwrap(),
    )
    .success();
    assert!(!only_cert(&run).connection.unwrap().trusted);

    let human = sb.run(&["inspect", "--connect", &target]).success().stdout;
    assert!(
        human.contains("trusted (system roots or the local CA)") && human.contains("valid for 127.0.0.1"),
        "{human}"
    );
}

#[test]
fn an_untrusted_self_signed_server_is_reported_not_hidden() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost", "127.0.0.1"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let target = format!("127.0.0.1:{}", server.port);
    let run = sb.run(&["inspect", "--connect", &target, "--format", "json"]).success();
    let leaf = only_cert(&run);
    assert!(leaf.self_signed);
    assert_eq!(leaf.dns_names, ["localhost"]);
    let c = leaf.connection.unwrap();
    assert!(!c.trusted && c.name_matches, "{c:?}");
    assert!(c.verify_error.as_deref().is_some_and(|e| e.contains("not trusted")), "{c:?}");
    let human = sb.run(&["inspect", "--connect", &target]).success().stdout;
    assert!(human.contains("NOT trusted") && human.contains("CN=localhost"), "{human}");
}

#[test]
fn unreachable_and_non_tls_servers_fail_fast_with_one_line() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let closed = format!("127.0.0.1:{}", free_port());

    // A plain-text server: answers like an HTTP server does to a TLS ClientHello.
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_target = format!("127.0.0.1:{}", http.local_addr().unwrap().port());
    let http_thread = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = http.accept() {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    // A server that accepts and says nothing.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_target = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());

    let started = Instant::now();
    let run = sb.run(&[
        "inspect",
        "server.crt",
        "--connect",
        &closed,
        "--connect",
        &http_target,
        "--connect",
        &silent_target,
        "--timeout",
        "1",
        "--format",
        "json",
    ]);
    let elapsed = started.elapsed();
    http_thread.join().unwrap();
    drop(silent);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert_eq!(only_cert(&run).source, "server.crt");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    assert!(lines[0].starts_with(&format!("error: {closed}: connection refused")), "{}", run.stderr);
    assert!(
        lines[1].starts_with(&format!(
            "error: {http_target}: not a TLS server: it answered \"HTTP/1.1 400 Bad Request\""
        )),
        "{}",
        run.stderr
    );
    assert!(
        lines[2].starts_with(&format!("error: {silent_target}: no TLS handshake within 1s")),
        "{}",
        run.stderr
    );
    assert!(lines[3].contains("3 inputs could not be read or parsed"), "{}", run.stderr);
}
