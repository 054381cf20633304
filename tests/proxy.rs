//! `tlsforge proxy` with real clients and real backends on loopback: curl (HTTP/1.1 and HTTP/2)
//! through the proxy to a Python HTTP backend that reports what it received, a Python
//! `websockets` client over `wss://` to a `ws://` echo backend, backends that are down or slow,
//! hostile requests, Ctrl-C with a request in flight, and a certificate pair from files.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{Headless, Run, Running, Sandbox, have, home_trusting, python, python_with, repo, tool};

/// A backend from `tests/support`, on a free port; killed when dropped.
struct Backend {
    child: Child,
    port: u16,
}

impl Backend {
    fn start(python: &str, script: &str) -> Self {
        let mut child = Command::new(python)
            .arg(repo(&format!("tests/support/{script}")))
            .arg("0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start a backend");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("{script} printed {line:?}"));
        Self { child, port }
    }

    fn authority(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `tlsforge proxy --listen 127.0.0.1:0 --format json ARGS`, once it listens; and its port.
fn proxy(sb: &Sandbox, args: &[&str]) -> (Running, u16) {
    let mut all = vec!["proxy", "--listen", "127.0.0.1:0", "--format", "json"];
    all.extend_from_slice(args);
    let running = Running::start(sb.cmd(&all), "listening");
    let listen = running.first()["listen"].as_str().unwrap().to_owned();
    let port = listen.rsplit(':').next().unwrap().parse().unwrap();
    (running, port)
}

/// curl to `https://localhost:PORT/PATH`, trusting the sandbox's local CA.
fn curl(sb: &Sandbox, port: u16, path: &str, extra: &[&str]) -> Run {
    let ca = sb.ca_dir().join("ca.crt");
    let resolve = format!("localhost:{port}:127.0.0.1");
    let url = format!("https://localhost:{port}{path}");
    let mut args = vec!["-sS", "--max-time", "60", "--resolve", &resolve, "--cacert", ca.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(&url);
    tool("curl", &args)
}

/// Header names as HTTP compares them.
fn lower_case(headers: &Value) -> serde_json::Map<String, Value> {
    headers
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect()
}

fn tools_here() -> Option<&'static str> {
    (have("curl") && have("openssl")).then(python)
}

#[test]
fn http1_and_http2_reach_the_backend_with_forwarding_headers_and_bodies_stream_through() {
    let Some(python) = tools_here() else { return };
    let sb = Sandbox::new();
    let (main, api) = (Backend::start(python, "http_backend.py"), Backend::start(python, "http_backend.py"));
    let route = format!("/api={}", api.authority());
    let (mut running, port) =
        proxy(&sb, &["--to", &main.authority(), "--route", &route, "--upgrade-insecure"]);
    let listening = running.first().clone();
    assert_eq!(listening["certificate"]["source"], "local-ca");
    assert_eq!(listening["urls"][0], format!("https://localhost:{port}/"));

    // HTTP/1.1: the path and query unchanged, Host kept, the forwarding headers nginx sets.
    let run = curl(&sb, port, "/hello?x=1", &["--http1.1", "-D", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (head, body) = run.stdout.split_once("\r\n\r\n").unwrap();
    let seen: Value = serde_json::from_str(body).unwrap();
    assert_eq!(seen["path"], "/hello?x=1");
    let headers = lower_case(&seen["headers"]);
    let host = format!("localhost:{port}");
    assert_eq!(headers["host"], host.as_str());
    assert_eq!(headers["x-forwarded-for"], "127.0.0.1");
    assert_eq!(headers["x-forwarded-proto"], "https");
    assert_eq!(headers["x-forwarded-host"], host.as_str());
    assert_eq!(headers["forwarded"], format!("for=127.0.0.1;proto=https;host=\"{host}\"").as_str());
    let head = head.to_ascii_lowercase();
    assert!(head.contains("x-backend: yes"), "{head}");
    assert!(head.contains("content-security-policy: upgrade-insecure-requests"), "{head}");
    assert!(!head.contains("keep-alive: timeout"), "hop-by-hop headers stay behind: {head}");
    let request = running.next_event("request", Duration::from_secs(10));
    assert_eq!((request["status"].as_u64(), request["protocol"].as_str()), (Some(200), Some("HTTP/1.1")));
    assert_eq!(request["path"], "/hello", "no query in the log");

    // The server's suite order: AES-128-GCM (a SHA-256 key schedule, the cheaper handshake) even
    // though OpenSSL lists AES-256 first; the other suites are still there for clients that
    // offer only them.
    let connect = format!("127.0.0.1:{port}");
    for (offered, chosen) in [
        (None, "TLS_AES_128_GCM_SHA256"),
        (Some("TLS_AES_256_GCM_SHA384"), "TLS_AES_256_GCM_SHA384"),
        (Some("TLS_CHACHA20_POLY1305_SHA256"), "TLS_CHACHA20_POLY1305_SHA256"),
    ] {
        let mut args = vec!["s_client", "-connect", &connect, "-servername", "localhost", "-brief"];
        args.extend(offered.map(|suite| ["-ciphersuites", suite]).iter().flatten());
        let run = tool("openssl", &args);
        assert!(run.stderr.contains(&format!("Ciphersuite: {chosen}")), "{offered:?}: {}", run.stderr);
    }

    // HTTP/2 from the browser side; the backend still gets HTTP/1.1 with a Host header.
    let run = curl(&sb, port, "/api/users", &["--http2", "-w", "\n%{http_version}"]);
    let (body, version) = run.stdout.rsplit_once('\n').unwrap();
    assert_eq!(version, "2", "{}", run.stderr);
    let seen: Value = serde_json::from_str(body).unwrap();
    assert_eq!(lower_case(&seen["headers"])["host"], host.as_str());
    let request = running.next_event("request", Duration::from_secs(10));
    assert_eq!(request["backend"], format!("http://{}", api.authority()), "/api goes to its own backend");
    assert_eq!(request["protocol"], "HTTP/2");

    // Bodies stream both ways: 48 MiB up (both protocols) and down, byte for byte.
    let upload = sb.path("upload.bin");
    let mut data = Vec::with_capacity(48 << 20);
    let mut state = 0x2545_f491_u32;
    for _ in 0..(48 << 20) / 4 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        data.extend_from_slice(&state.to_le_bytes());
    }
    fs::write(&upload, &data).unwrap();
    let sha =
        tool("sha256sum", &[upload.to_str().unwrap()]).stdout.split_whitespace().next().unwrap().to_owned();
    let body = format!("@{}", upload.display());
    for version in ["--http1.1", "--http2"] {
        let run = curl(
            &sb,
            port,
            "/upload",
            &[version, "--data-binary", &body, "-H", "Content-Type: application/octet-stream"],
        );
        assert_eq!(run.code, 0, "{version}: {}", run.stderr);
        let seen: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            (seen["length"].as_u64(), seen["sha256"].as_str()),
            (Some(48 << 20), Some(sha.as_str())),
            "{version}"
        );
    }
    let download = sb.path("download.bin");
    let run = curl(&sb, port, "/big?mb=48", &["-o", download.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::metadata(&download).unwrap().len(), 48 << 20);

    // http:// on the TLS port: a redirect to the same place over https, not a TLS alert.
    let plain = tool(
        "curl",
        &[
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
            &format!("http://localhost:{port}/a?b=1"),
        ],
    );
    assert_eq!(plain.stdout, format!("308 https://localhost:{port}/a?b=1"));

    let (code, stopped) = running.interrupt();
    assert_eq!(code, 0);
    assert!(stopped["requests"].as_u64().unwrap() >= 6, "{stopped}");
}

#[test]
fn backend_connections_are_kept_alive_and_one_the_backend_closed_is_replaced() {
    let Some(python) = tools_here() else { return };
    let sb = Sandbox::new();
    let backend = Backend::start(python, "http_backend.py");
    let (mut running, port) = proxy(&sb, &["--to", &backend.authority()]);
    let url = |path: &str| format!("https://localhost:{port}{path}");
    let ports = |run: &Run| -> Vec<u64> {
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap()["peer_port"].as_u64().unwrap())
            .collect()
    };

    // Four requests on one browser connection: one connection to the backend carries them all.
    let (a, b, c) = (url("/a"), url("/b"), url("/c"));
    let run = curl(&sb, port, "/d", &["--http1.1", "-w", "\n", &a, &b, &c]);
    let seen = ports(&run);
    assert_eq!(seen.len(), 4, "{}", run.stdout);
    assert!(seen.iter().all(|&p| p == seen[0]), "one backend connection for all four: {seen:?}");

    // The backend closes its side after half a second idle; three seconds later the next request
    // gets a new connection instead of a 502 from the dead one.
    // (curl puts the URL it is given last.)
    let first = url("/first?close-idle-after=0.5");
    let run = curl(&sb, port, "/second", &["--http1.1", "--rate", "20/m", "-w", "\n", &first]);
    let seen = ports(&run);
    assert_eq!(seen.len(), 2, "{}", run.stdout);
    assert_ne!(seen[0], seen[1], "the closed connection is not used again: {}", run.stdout);
    for _ in 0..6 {
        let request = running.next_event("request", Duration::from_secs(10));
        assert_eq!(request["status"], 200, "{request}");
    }
}

#[test]
fn websocket_upgrades_pass_through_as_wss() {
    let Some(python) = python_with("websockets") else { return };
    if !have("curl") {
        return;
    }
    let sb = Sandbox::new();
    let page = Backend::start(python, "http_backend.py");
    let echo = Backend::start(python, "ws_backend.py");
    let route = format!("/ws={}", echo.authority());
    let (mut running, port) = proxy(&sb, &["--to", &page.authority(), "--route", &route]);
    let script = "import asyncio, ssl, sys, websockets\n\
        async def main():\n\
        \x20   ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
        \x20   async with websockets.connect(sys.argv[1], ssl=ctx) as ws:\n\
        \x20       for text in ['one', 'two', 'x' * 100000]:\n\
        \x20           await ws.send(text)\n\
        \x20           print(len(await asyncio.wait_for(ws.recv(), 10)))\n\
        asyncio.run(main())";
    let url = format!("wss://127.0.0.1:{port}/ws/chat");
    let run = tool(python, &["-c", script, &url, sb.ca_dir().join("ca.crt").to_str().unwrap()]);
    assert_eq!(run.stdout.split_whitespace().collect::<Vec<_>>(), ["9", "9", "100006"], "{}", run.stderr);
    let request = running.next_event("request", Duration::from_secs(10));
    assert_eq!((request["status"].as_u64(), request["path"].as_str()), (Some(101), Some("/ws/chat")));
    // The page's own route still works over the same listener.
    assert_eq!(curl(&sb, port, "/", &["-o", "/dev/null", "-w", "%{http_code}"]).stdout, "200");
}

#[test]
fn a_backend_down_gets_502_a_slow_one_504_and_the_other_routes_keep_serving() {
    let Some(python) = tools_here() else { return };
    let sb = Sandbox::new();
    let main = Backend::start(python, "http_backend.py");
    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let route = format!("/down={closed}");
    let (mut running, port) =
        proxy(&sb, &["--to", &main.authority(), "--route", &route, "--backend-timeout", "1"]);

    let down = curl(&sb, port, "/down/x", &["-w", "\n%{http_code}"]);
    assert!(down.stdout.ends_with("\n502"), "{}", down.stdout);
    assert!(down.stdout.contains(&format!("could not reach http://{closed}")), "{}", down.stdout);
    assert!(down.stdout.to_ascii_lowercase().contains("connection refused"), "{}", down.stdout);
    let request = running.next_event("request", Duration::from_secs(10));
    assert_eq!(request["status"], 502);
    assert!(request["error"].as_str().unwrap().to_ascii_lowercase().contains("refused"), "{request}");

    let started = Instant::now();
    let slow = curl(&sb, port, "/slow?s=5", &["-w", "\n%{http_code}"]);
    assert!(slow.stdout.ends_with("\n504"), "{}", slow.stdout);
    assert!(slow.stdout.contains("--backend-timeout"), "{}", slow.stdout);
    assert!(started.elapsed() < Duration::from_secs(4), "504 after the timeout, not after the backend");

    // Hostile requests: a head over the limit, garbage and a dropped handshake on the TLS port.
    let huge = format!("X-Padding: {}", "a".repeat(70 * 1024));
    let refused = curl(&sb, port, "/", &["--http1.1", "-H", &huge, "-o", "/dev/null", "-w", "%{http_code}"]);
    assert_eq!(refused.stdout, "431", "{}", refused.stderr);
    // HTTP/2 refuses the stream (REFUSED_STREAM): curl retries a few times, then gives up.
    let refused = curl(&sb, port, "/", &["--http2", "-H", &huge, "-o", "/dev/null", "-w", "%{http_code}"]);
    assert_eq!((refused.code, refused.stdout.as_str()), (56, "000"), "{}", refused.stderr);
    for garbage in [&b"\x16\x03\x01\x00\x05hello"[..], b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"] {
        let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        tcp.write_all(garbage).unwrap();
        let _ = tcp.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer);
    }
    // More header lines than the limit (100): refused, not forwarded.
    let lines: Vec<String> = (0..120).map(|i| format!("X-Line-{i}: {i}")).collect();
    for version in ["--http1.1", "--http2"] {
        let mut many = vec![version, "-o", "/dev/null", "-w", "%{http_code}"];
        for line in &lines {
            many.extend(["-H", line.as_str()]);
        }
        let refused = curl(&sb, port, "/", &many);
        assert_eq!(refused.stdout, "431", "{version}: {refused:?}");
    }
    // Clients that vanish: an HTTP/2 request given up half-way, a TLS connection cut mid-request.
    let gone = curl(&sb, port, "/slow?s=3", &["--http2", "--max-time", "1"]);
    assert_ne!(gone.code, 0, "curl gave up");
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.write_all(b"\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03").unwrap();
    drop(tcp);
    let ok = curl(&sb, port, "/", &["-o", "/dev/null", "-w", "%{http_code}"]);
    assert_eq!(ok.stdout, "200", "the other routes keep serving: {}", ok.stderr);
    let (code, _) = running.interrupt();
    assert_eq!(code, 0);
}

#[test]
fn ctrl_c_lets_a_request_in_flight_finish_then_stops_accepting() {
    let Some(python) = tools_here() else { return };
    let sb = Sandbox::new();
    let main = Backend::start(python, "http_backend.py");
    let (running, port) = proxy(&sb, &["--to", &main.authority()]);
    let ca = sb.ca_dir().join("ca.crt");
    let in_flight = Command::new("curl")
        .args([
            "-sS",
            "--max-time",
            "30",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--cacert",
            ca.to_str().unwrap(),
        ])
        .arg(format!("https://127.0.0.1:{port}/slow?s=2"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let (code, stopped) = running.interrupt();
    let answer = in_flight.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&answer.stdout), "200", "the request in flight finished");
    assert_eq!(code, 0);
    assert_eq!(stopped["requests"], 1);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "no longer accepting");
}

#[test]
fn a_pair_from_files_is_served_with_its_chain_whatever_form_its_key_has() {
    let Some(python) = tools_here() else { return };
    let sb = Sandbox::new();
    let main = Backend::start(python, "http_backend.py");
    let (cert, key) = (sb.path("cert.pem"), sb.path("key.pem"));
    // An EC key as `EC PRIVATE KEY` (SEC1), as `openssl ecparam -genkey` writes it.
    let made = tool(
        "openssl",
        &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.to_str().unwrap()],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(fs::read_to_string(&key).unwrap().contains("BEGIN EC PRIVATE KEY"));
    let made = tool(
        "openssl",
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            key.to_str().unwrap(),
            "-subj",
            "/CN=localhost",
            "-days",
            "2",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-out",
            cert.to_str().unwrap(),
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let (mut running, port) = proxy(
        &sb,
        &["--to", &main.authority(), "--cert", cert.to_str().unwrap(), "--key", key.to_str().unwrap()],
    );
    assert_eq!(running.first()["certificate"]["source"], "files");
    let resolve = format!("localhost:{port}:127.0.0.1");
    let url = format!("https://localhost:{port}/");
    let status_trusting = |anchor: &Path| {
        let args = ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--resolve", &resolve, "--cacert"];
        let mut args = args.to_vec();
        args.extend([anchor.to_str().unwrap(), &url]);
        tool("curl", &args)
    };
    let run = status_trusting(&cert);
    assert_eq!(run.stdout, "200", "{}", run.stderr);
    assert!(!sb.ca_dir().exists(), "no local CA is made for a pair from files");

    // Renewed on disk (a new key, RSA as PKCS#1 this time, and certificate moved into place,
    // as certbot does): served from the next handshake on, without a restart.
    let (new_cert, new_key) = (sb.path("new-cert.pem"), sb.path("new-key.pem"));
    let made = tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            new_key.to_str().unwrap(),
            "-subj",
            "/CN=localhost",
            "-days",
            "2",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-out",
            new_cert.to_str().unwrap(),
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let converted = tool(
        "openssl",
        &["rsa", "-in", new_key.to_str().unwrap(), "-traditional", "-out", new_key.to_str().unwrap()],
    );
    assert_eq!(converted.code, 0, "{}", converted.stderr);
    assert!(fs::read_to_string(&new_key).unwrap().contains("BEGIN RSA PRIVATE KEY"));
    let old_cert = sb.path("old-cert.pem");
    fs::copy(&cert, &old_cert).unwrap();
    fs::rename(&new_key, &key).unwrap();
    fs::rename(&new_cert, &cert).unwrap();
    let renewed = running.next_event("certificate", Duration::from_secs(20));
    assert_eq!(renewed["reason"], "the files changed", "{renewed}");
    assert_eq!(status_trusting(&cert).stdout, "200", "the new certificate is served");
    assert_ne!(status_trusting(&old_cert).stdout, "200", "the old one is not");
    drop(running);

    // Another certificate's key: refused before serving, one line.
    let other = sb.path("other.key");
    tool(
        "openssl",
        &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", other.to_str().unwrap()],
    );
    sb.run(&[
        "proxy",
        "--to",
        &main.authority(),
        "--listen",
        "127.0.0.1:0",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        other.to_str().unwrap(),
    ])
    .fails(1, "does not belong to the certificate")
    .one_error_line();
}

#[test]
fn bad_arguments_are_one_clear_line() {
    let sb = Sandbox::new();
    sb.run(&["proxy", "--to", "https://127.0.0.1:5000"]).fails(2, "plain HTTP").one_error_line();
    sb.run(&["proxy", "--to", "127.0.0.1"]).fails(2, "the port is needed").one_error_line();
    sb.run(&["proxy", "--to", "127.0.0.1:5000", "--route", "api=127.0.0.1:5001"])
        .fails(2, "must start with /")
        .one_error_line();
    sb.run(&["proxy", "--to", "127.0.0.1:5000", "--route", "/a=127.0.0.1:1", "--route", "/a/=127.0.0.1:2"])
        .fails(2, "given twice")
        .one_error_line();
    let usage = sb.run(&["proxy", "--to", "127.0.0.1:5000", "--cert", "x.pem"]);
    assert_eq!(usage.code, 2, "--cert needs --key: {}", usage.stderr);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    sb.run(&["proxy", "--to", "127.0.0.1:5000", "--listen", &address])
        .fails(1, &format!("cannot listen on {address}"))
        .one_error_line();
    assert!(!sb.ca_dir().exists(), "a taken port stops the run before a CA is made");
}

#[test]
fn with_lan_a_new_address_gets_a_reissued_certificate_without_a_restart() {
    if !crate::harness::network_namespace_here(&["curl"]) {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let out = sb.path("proxy.out");
    let ca = sb.ca_dir().join("ca.crt");
    // A network namespace of the test's own: its loopback holds the "LAN" addresses, and the
    // curl inside it is the phone. No backend: a 502 still proves the handshake verified.
    let script = format!(
        r#"ip link set lo up && ip addr add 192.168.77.5/24 dev lo || exit 9
        "$0" proxy --lan --to 127.0.0.1:9 --format json > {out} 2>&1 &
        pid=$!
        i=0; until grep -q '"listening"' {out} || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done
        before=$(curl -sS -o /dev/null -w '%{{http_code}}' --cacert {ca} https://192.168.77.6:5443/ 2>&1)
        ip addr add 192.168.77.6/24 dev lo
        i=0; until grep -q '"event":"certificate"' {out} || [ $i -ge 150 ]; do sleep 0.1; i=$((i+1)); done
        after=$(curl -sS -o /dev/null -w '%{{http_code}}' --cacert {ca} https://192.168.77.6:5443/ 2>&1)
        echo "before=$before"; echo "after=$after"
        kill -INT $pid; wait $pid; echo "status=$?""#,
        out = out.display(),
        ca = ca.display()
    );
    let run = crate::harness::run_with(sb.cmd_via(&["unshare", "-n", "sh", "-c", &script], &[]));
    let said = fs::read_to_string(&out).unwrap_or_default();
    assert!(run.stdout.contains("after=502"), "the new address is covered now: {run:?}\n{said}");
    assert!(!run.stdout.contains("before=502"), "it was not before: {run:?}\n{said}");
    assert!(run.stdout.contains("status=0"), "{run:?}\n{said}");
    let renewed: Value = said
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|event| event["event"] == "certificate")
        .unwrap_or_else(|| panic!("no certificate event: {said}"));
    assert_eq!(renewed["reason"], "the names to cover changed");
    assert!(
        renewed["certificate"]["names"].as_array().unwrap().iter().any(|n| n == "192.168.77.6"),
        "{renewed}"
    );
}

#[test]
fn a_browser_that_trusts_the_ca_gets_a_secure_context_and_wss_through_the_proxy() {
    let Some(python) = python_with("websockets") else { return };
    if !have("chromium") || !have("certutil") || !have("timeout") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["ca", "init"]).success();
    let home = sb.root().join("browser");
    home_trusting(&home, &sb.ca_dir().join("ca.crt"));
    let app = Backend::start(python, "http_backend.py");
    let echo = Backend::start(python, "ws_backend.py");
    let route = format!("/ws={}", echo.authority());
    let (mut running, port) = proxy(&sb, &["--to", &app.authority(), "--route", &route]);

    // The app's own page, whose script opens wss:// on its origin (through to the ws:// backend)
    // and reports to the proxy's check endpoint.
    let browser = Headless::open(&home, &format!("https://localhost:{port}/page.html"));
    let check = running.next_event("check", Duration::from_secs(90));
    drop(browser);
    assert_eq!(check["device"]["browser"], "Headless Chrome", "{check}");
    for test in ["https", "secure_context", "media_devices", "wss_echo"] {
        assert_eq!(check[test], true, "{test}: {check}");
    }
    let upgraded = running
        .events
        .iter()
        .any(|e| e["event"] == "request" && e["path"] == "/ws/app" && e["status"] == 101);
    assert!(upgraded, "the page's WebSocket went through to the backend: {:#?}", running.events);

    // The check page built into the proxy, the same checks without any app.
    let browser = Headless::open(&home, &format!("https://localhost:{port}/.well-known/tlsforge/check"));
    let check = running.next_event("check", Duration::from_secs(90));
    drop(browser);
    assert_eq!(check["fixes"], serde_json::json!([]), "{check}");
    for test in ["https", "secure_context", "media_devices", "wss_echo"] {
        assert_eq!(check[test], true, "{test}: {check}");
    }
    let (code, _) = running.interrupt();
    assert_eq!(code, 0);
}

#[test]
fn idle_keep_alive_connections_are_closed_but_not_idle_websockets_or_trickling_responses() {
    let Some(python) = python_with("websockets") else { return };
    let sb = Sandbox::new();
    let app = Backend::start(python, "http_backend.py");
    let echo = Backend::start(python, "ws_backend.py");
    let route = format!("/ws={}", echo.authority());
    let (_running, port) = proxy(&sb, &["--to", &app.authority(), "--route", &route]);
    // Both at once: a keep-alive connection after one request, and a WebSocket, left idle.
    let script = "import asyncio, socket, ssl, sys, time, websockets\n\
        ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
        def slow():\n\
        \x20   import http.client\n\
        \x20   c = http.client.HTTPSConnection('localhost', int(sys.argv[1]), context=ctx, timeout=60)\n\
        \x20   c.request('GET', '/trickle?gap=24')\n\
        \x20   return c.getresponse().read().decode().replace(chr(10), ' ').strip()\n\
        async def main():\n\
        \x20   port = int(sys.argv[1])\n\
        \x20   reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=ctx, server_hostname='localhost')\n\
        \x20   writer.write(b'GET / HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n')\n\
        \x20   await writer.drain()\n\
        \x20   head = await reader.readuntil(b'\\r\\n\\r\\n')\n\
        \x20   length = int([l for l in head.split(b'\\r\\n') if l.lower().startswith(b'content-length')][0].split(b':')[1])\n\
        \x20   await reader.readexactly(length)\n\
        \x20   start = time.monotonic()\n\
        \x20   ws = await websockets.connect(f'wss://localhost:{port}/ws/idle', ssl=ctx, ping_interval=None)\n\
        \x20   trickle = asyncio.create_task(asyncio.to_thread(slow))\n\
        \x20   closed = await asyncio.wait_for(reader.read(1), 60)\n\
        \x20   print('keep-alive closed after', round(time.monotonic() - start), 'bytes', len(closed))\n\
        \x20   await asyncio.sleep(max(0, 26 - (time.monotonic() - start)))\n\
        \x20   await ws.send('still here')\n\
        \x20   print('websocket', await asyncio.wait_for(ws.recv(), 10))\n\
        \x20   print('trickled', await trickle)\n\
        asyncio.run(main())";
    let run = tool(python, &["-c", script, &port.to_string(), sb.ca_dir().join("ca.crt").to_str().unwrap()]);
    let seconds: u64 = run
        .stdout
        .split_whitespace()
        .nth(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{run:?}"));
    // HTTP/1.1 waits at most 15 s for a next request head; any connection at most 20 s idle.
    assert!((14..=23).contains(&seconds), "closed after {seconds} s: {run:?}");
    assert!(run.stdout.contains("bytes 0"), "{run:?}");
    assert!(run.stdout.contains("websocket echo: still here"), "an idle WebSocket is kept: {run:?}");
    assert!(
        run.stdout.contains("trickled data: one  data: two"),
        "a response that pauses 24 s between events is not cut: {run:?}"
    );
}

/// The most memory the proxy process has held (`VmHWM`), in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_gigabyte_streams_through_both_ways_in_flat_memory_and_a_client_that_never_reads_is_held_back() {
    let Some(python) = tools_here() else { return };
    if !have("sh") {
        return;
    }
    let sb = Sandbox::new();
    let app = Backend::start(python, "http_backend.py");
    let (running, port) = proxy(&sb, &["--to", &app.authority()]);
    let ca = sb.ca_dir().join("ca.crt");
    let before = peak_kib(running.pid());

    // 1 GiB up, read from a pipe (curl sends it chunked, as it comes), and 1 GiB down.
    let up = format!(
        "head -c 1073741824 /dev/zero | curl -sS --max-time 300 --cacert {ca} -X POST -T - \
         -H 'Content-Type: application/octet-stream' https://127.0.0.1:{port}/upload",
        ca = ca.display()
    );
    let run = tool("sh", &["-c", &up]);
    let seen: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    assert_eq!(seen["length"], 1_073_741_824_u64, "{seen}");
    let down = format!(
        "curl -sS --max-time 300 --cacert {ca} -o /dev/null -w '%{{size_download}}' https://127.0.0.1:{port}/big?mb=1024",
        ca = ca.display()
    );
    assert_eq!(tool("sh", &["-c", &down]).stdout, "1073741824");

    // A client that asks for a gigabyte and reads nothing: the proxy stops reading from the
    // backend instead of buffering it.
    let script = "import socket, ssl, sys, time\n\
        ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
        raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n\
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)\n\
        s = ctx.wrap_socket(raw, server_hostname='127.0.0.1')\n\
        s.sendall(b'GET /big?mb=1024 HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n')\n\
        time.sleep(5)\n\
        print('held')";
    let held = tool(python, &["-c", script, &port.to_string(), ca.to_str().unwrap()]);
    assert_eq!(held.stdout.trim(), "held", "{held:?}");
    let after = peak_kib(running.pid());
    eprintln!("proxy peak memory: {before} KiB at start, {after} KiB after 3 GiB");
    assert!(
        after < before + 64 * 1024,
        "peak memory grew from {before} KiB to {after} KiB while 3 GiB went through or waited"
    );
}
