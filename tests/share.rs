//! `tlsforge share` as devices see it, on loopback: curl plays an iPhone, an Android phone and a
//! desktop (each gets its own file and steps; the files are the CA, byte for byte; nothing else
//! is served), headless Chromium plays a phone that trusts the CA and one that does not, and
//! zbar reads the QR code off a pseudo-terminal.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{
    Headless, Run, Running, Sandbox, cert_der, have, home_trusting, python_with, run_with, tool,
};

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const DESKTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// `tlsforge share --listen 127.0.0.1 --format json EXTRA`, once it listens.
fn share(sb: &Sandbox, extra: &[&str]) -> Running {
    let mut args = vec!["share", "--listen", "127.0.0.1", "--format", "json"];
    args.extend_from_slice(extra);
    Running::start(sb.cmd(&args), "listening")
}

fn url(running: &Running) -> String {
    running.first()["url"].as_str().unwrap().to_owned()
}

fn curl(args: &[&str]) -> Run {
    let mut all = vec!["-sS", "--max-time", "20"];
    all.extend_from_slice(args);
    tool("curl", &all)
}

/// Status code of a request (`-w %{http_code}`, body thrown away).
fn status(args: &[&str]) -> String {
    let mut all = vec!["-o", "/dev/null", "-w", "%{http_code}"];
    all.extend_from_slice(args);
    curl(&all).stdout
}

#[test]
fn each_device_gets_its_own_file_and_steps_and_nothing_else_is_served() {
    let sb = Sandbox::new();
    if !have("curl") || !have("openssl") {
        return;
    }
    let mut sharing = share(&sb, &["--timeout", "5m"]);
    let url = url(&sharing);
    let listening = sharing.first().clone();
    assert_eq!(listening["reachable_from_lan"], false, "{listening}");
    assert_eq!(listening["ca_created"], true, "no CA existed: share made one");
    let ca_pem = fs::read_to_string(sb.ca_dir().join("ca.crt")).unwrap();
    let ca_der = cert_der(&sb.ca_dir().join("ca.crt"));
    let fingerprint = tool(
        "openssl",
        &["x509", "-in", sb.ca_dir().join("ca.crt").to_str().unwrap(), "-noout", "-fingerprint", "-sha256"],
    );
    let fingerprint = fingerprint.stdout.trim().rsplit('=').next().unwrap().to_owned();
    assert_eq!(listening["fingerprint_sha256"], fingerprint.as_str());

    // Each device's page leads with its own download and steps, and shows the fingerprint.
    for (agent, file, step) in [
        (IPHONE, "tlsforge-ca.mobileconfig", "Certificate Trust Settings"),
        (ANDROID, "tlsforge-ca.crt", "Encryption &amp; credentials"),
        (DESKTOP, "tlsforge-ca.pem", "update-ca-certificates"),
    ] {
        let page = curl(&["-A", agent, &url]);
        assert_eq!(page.code, 0, "{}", page.stderr);
        assert!(
            page.stdout.contains(&format!("id=\"download\" href=\"/{file}\"")),
            "{agent}: {}",
            page.stdout
        );
        assert!(page.stdout.contains(step), "{agent}");
        assert!(page.stdout.contains(&fingerprint), "{agent}: the page shows the fingerprint");
        let visit = sharing.next_event("visit", Duration::from_secs(10));
        assert_eq!(visit["user_agent"], agent);
    }
    assert!(
        curl(&["-A", IPHONE, &format!("{url}?os=android")])
            .stdout
            .contains("id=\"download\" href=\"/tlsforge-ca.crt\"")
    );

    // The files are the CA: DER byte for byte, PEM as on disk, the profile carries the DER.
    let der = sb.path("ca.der");
    let got = curl(&[
        "-A",
        ANDROID,
        "-o",
        der.to_str().unwrap(),
        "-w",
        "%{content_type}",
        &format!("{url}tlsforge-ca.crt"),
    ]);
    assert_eq!(got.stdout, "application/x-x509-ca-cert");
    assert_eq!(fs::read(&der).unwrap(), ca_der);
    let parsed = tool(
        "openssl",
        &["x509", "-inform", "DER", "-in", der.to_str().unwrap(), "-noout", "-fingerprint", "-sha256"],
    );
    assert!(parsed.stdout.contains(&fingerprint), "{parsed:?}");
    let download = sharing.next_event("download", Duration::from_secs(10));
    assert_eq!(
        (download["file"].as_str(), download["format"].as_str()),
        (Some("tlsforge-ca.crt"), Some("der"))
    );
    assert_eq!(download["device"]["os"], "android");
    assert_eq!(curl(&[&format!("{url}tlsforge-ca.pem")]).stdout, ca_pem);
    let profile = sb.path("ca.mobileconfig");
    let got = curl(&[
        "-A",
        IPHONE,
        "-o",
        profile.to_str().unwrap(),
        "-w",
        "%{content_type}",
        &format!("{url}tlsforge-ca.mobileconfig"),
    ]);
    assert_eq!(got.stdout, "application/x-apple-aspen-config");
    let script = "import plistlib, sys\n\
        p = plistlib.load(open(sys.argv[1], 'rb'))\n\
        c = p['PayloadContent'][0]\n\
        print(p['PayloadType'], c['PayloadType'], c['PayloadContent'].hex())";
    let read = tool(crate::harness::python(), &["-c", script, profile.to_str().unwrap()]);
    let hex = ca_der.iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    assert_eq!(read.stdout.trim(), format!("Configuration com.apple.security.root {hex}"), "{}", read.stderr);

    // Ctrl-C stops it the normal way: exit 0 and a summary.
    let (code, stopped) = sharing.interrupt();
    assert_eq!(code, 0);
    assert_eq!(stopped["stopped"], "interrupted");
}

#[test]
fn only_the_known_paths_are_served_and_the_check_page_is_https_and_wss_on_the_same_port() {
    let sb = Sandbox::new();
    if !have("curl") {
        return;
    }
    let sharing = share(&sb, &["--timeout", "5m"]);
    let url = url(&sharing);
    let listening = sharing.first().clone();
    let profile = sb.path("ca.mobileconfig");
    assert_eq!(curl(&["-o", profile.to_str().unwrap(), &format!("{url}tlsforge-ca.mobileconfig")]).code, 0);

    // Nothing else: other paths, other methods, other hosts, oversized requests.
    for path in ["ca.key", "ca.crt", "../ca.key", "%2e%2e/ca.key", "tlsforge-ca.crt/x", "favicon.ico"] {
        assert_eq!(status(&["--path-as-is", &format!("{url}{path}")]), "404", "{path}");
    }
    assert_eq!(status(&["-X", "POST", &url]), "405");
    assert_eq!(status(&["-X", "DELETE", &format!("{url}tlsforge-ca.crt")]), "405");
    assert_eq!(status(&["-H", "Host: attacker.example", &url]), "421");
    let big_header = format!("X-Padding: {}", "a".repeat(10_000));
    assert_eq!(status(&["-H", &big_header, &url]), "431");
    let big_body = "x".repeat(10_000);
    assert_eq!(status(&["-X", "POST", "--data", &big_body, &format!("{url}results")]), "413");
    let served = [
        curl(&["-A", IPHONE, &url]).stdout,
        curl(&[&format!("{url}tlsforge-ca.pem")]).stdout,
        String::from_utf8_lossy(&fs::read(&profile).unwrap()).into_owned(),
    ];
    assert!(served.iter().all(|body| !body.contains("PRIVATE KEY")), "the CA key is never served");

    // Garbage, as plain text or after a TLS record byte, gets a 400 or a closed connection.
    let address = listening["listen"].as_str().unwrap().to_owned();
    for garbage in [&b"\x00\x01\x02 nonsense\r\n\r\n"[..], b"\x16\x03\x01\x00\x05hello", b"GET\r\n\r\n"] {
        let mut tcp = TcpStream::connect(&address).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(25))).unwrap();
        tcp.write_all(garbage).unwrap();
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400 "), "{garbage:?}: {answer}");
    }
    // At most 64 connections at once: one more is closed at once; once they go, it serves again.
    let held: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(&address).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = TcpStream::connect(&address).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let mut answer = Vec::new();
    let _ = extra.read_to_end(&mut answer);
    assert!(answer.is_empty(), "the 65th connection is not served: {}", String::from_utf8_lossy(&answer));
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(&[&url]), "200");

    // The check page and its echo are HTTPS and WSS on the same port, with the CA's leaf.
    let https = listening["check_url"].as_str().unwrap();
    let ca = sb.ca_dir().join("ca.crt");
    let check = curl(&["--cacert", ca.to_str().unwrap(), https]);
    assert_eq!(check.code, 0, "the check page verifies against the CA: {}", check.stderr);
    assert!(check.stdout.contains("<title>tlsforge check</title>"));
    if let Some(python) = python_with("websockets") {
        let echo = format!("wss://{}/echo", https.trim_start_matches("https://").trim_end_matches("/check"));
        let script = "import asyncio, ssl, sys, websockets\n\
            async def main():\n\
            \x20   ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
            \x20   async with websockets.connect(sys.argv[1], ssl=ctx) as ws:\n\
            \x20       await ws.send('ping from a phone')\n\
            \x20       print(await asyncio.wait_for(ws.recv(), 10))\n\
            asyncio.run(main())";
        let echoed = tool(python, &["-c", script, &echo, ca.to_str().unwrap()]);
        assert_eq!(echoed.stdout.trim(), "ping from a phone", "{}", echoed.stderr);
    }
}

#[test]
fn a_browser_that_trusts_the_ca_passes_every_check_and_one_that_does_not_fails_https() {
    let sb = Sandbox::new();
    if !have("chromium") || !have("certutil") || !have("timeout") {
        return;
    }
    sb.run(&["ca", "init"]).success();

    // A device that trusts the CA (in its NSS database): every check passes, --once stops.
    let trusting = sb.root().join("trusting");
    home_trusting(&trusting, &sb.ca_dir().join("ca.crt"));
    let mut sharing = share(&sb, &["--once", "--timeout", "2m"]);
    let browser = Headless::open(&trusting, &url(&sharing));
    let check = sharing.next_event("check", Duration::from_secs(90));
    assert_eq!(check["device"]["browser"], "Headless Chrome", "{check}");
    for test in ["https", "secure_context", "media_devices", "wss_echo"] {
        assert_eq!(check[test], true, "{test}: {check}");
    }
    assert_eq!(check["passed"], true);
    let stopped = sharing.next_event("stopped", Duration::from_secs(30));
    assert_eq!(stopped["stopped"], "passed");
    assert_eq!(sharing.wait(), 0);
    drop(browser);

    // A device that does not: the install page finds https refused and says so.
    let doubting = sb.root().join("doubting");
    fs::create_dir_all(&doubting).unwrap();
    let mut sharing = share(&sb, &["--timeout", "2m"]);
    let browser = Headless::open(&doubting, &url(&sharing));
    let check = sharing.next_event("check", Duration::from_secs(90));
    assert_eq!(check["https"], false, "{check}");
    assert_eq!(check["passed"], false);
    assert!(check["fixes"][0].as_str().unwrap().contains("does not trust the CA"), "{check}");
    assert!(
        sharing.events.iter().any(|e| e["event"] == "refused"),
        "the handshake the browser refused is reported: {:#?}",
        sharing.events
    );
    drop(browser);
    let (code, stopped) = sharing.interrupt();
    assert_eq!((code, stopped["checked"].as_u64()), (0, Some(1)));
    assert_eq!(stopped["passed"], serde_json::json!([]));
}

/// The modules of a QR code drawn with half blocks: in colour (black on white), dark cells are
/// the drawn halves; without colour the drawn halves are the light ones.
fn modules(text: &str, colour: bool) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    let drawn = |line: &&str| {
        if colour {
            line.contains("\x1b[30;107m")
        } else {
            line.contains('█') && line.trim_end().chars().all(|c| matches!(c, '█' | '▀' | '▄' | ' '))
        }
    };
    for line in text.lines().filter(drawn) {
        let line = line.replace("\x1b[30;107m", "").replace("\x1b[0m", "");
        let (mut upper, mut lower) = (Vec::new(), Vec::new());
        for c in line.trim_end_matches('\r').chars() {
            let (u, l) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                _ => (false, false),
            };
            upper.push(u == colour);
            lower.push(l == colour);
        }
        rows.push(upper);
        rows.push(lower);
    }
    rows
}

/// A portable bitmap of `rows` (dark = 1) inside a light margin, each module `scale` pixels square.
fn pbm(rows: &[Vec<bool>], scale: usize) -> String {
    let margin = 4;
    let width = rows.iter().map(Vec::len).max().unwrap_or(0) + 2 * margin;
    let blank = vec![false; width];
    let rows: Vec<Vec<bool>> = (0..margin)
        .map(|_| blank.clone())
        .chain(rows.iter().map(|row| [vec![false; margin], row.clone(), vec![false; margin]].concat()))
        .chain((0..margin).map(|_| blank.clone()))
        .collect();
    let mut out = format!("P1\n{} {}\n", width * scale, rows.len() * scale);
    for row in &rows {
        let line: Vec<&str> = (0..width * scale)
            .map(|x| if row.get(x / scale).copied().unwrap_or(false) { "1" } else { "0" })
            .collect();
        for _ in 0..scale {
            out.push_str(&line.join(" "));
            out.push('\n');
        }
    }
    out
}

#[test]
fn the_qr_code_on_a_terminal_decodes_to_the_printed_address() {
    let sb = Sandbox::new();
    if !have("script") || !have("zbarimg") {
        return;
    }
    // On a pseudo-terminal, in colour; then piped without colour (drawn the other way round).
    let line = r#"script -qec "\"$0\" share --listen 127.0.0.1 --timeout 1s" /dev/null"#;
    let on_terminal = run_with(sb.cmd_via(&["sh", "-c", line], &[]));
    let piped = sb.run(&["share", "--listen", "127.0.0.1", "--timeout", "1s", "--color", "never"]).success();
    for (run, colour) in [(&on_terminal, true), (&piped, false)] {
        assert!(run.stdout.contains("\x1b[30;107m") == colour, "colour {colour}: {}", run.stdout);
        let url = run.stdout.split("open ").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let image = sb.path(&format!("qr-{colour}.pbm"));
        fs::write(&image, pbm(&modules(&run.stdout, colour), 6)).unwrap();
        let decoded = tool("zbarimg", &["--raw", "-q", image.to_str().unwrap()]);
        assert_eq!(decoded.stdout.trim(), url, "colour {colour}: {}", decoded.stderr);
        assert!(
            run.stdout.contains("Stopped at the timeout; no device passed every check"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn bad_listen_addresses_and_timeouts_are_one_clear_line() {
    let sb = Sandbox::new();
    sb.run(&["share", "--listen", "localhost:99999"]).fails(2, "invalid --listen").one_error_line();
    let usage = sb.run(&["share", "--timeout", "0"]);
    assert_eq!(usage.code, 2, "{}", usage.stderr);
    assert!(usage.stderr.contains("between 1s and 24h"), "{}", usage.stderr);
    let usage = sb.run(&["share", "--timeout", "soon"]);
    assert_eq!(usage.code, 2);
    // A port in use: exit 1, naming it.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    sb.run(&["share", "--listen", &format!("127.0.0.1:{port}"), "--timeout", "1s"])
        .fails(1, &format!("cannot listen on 127.0.0.1:{port}"))
        .one_error_line();
    // --once and nobody came: exit 1 after the summary.
    let run = sb.run(&["share", "--listen", "127.0.0.1", "--timeout", "1s", "--once", "--format", "json"]);
    let run = run.fails(1, "no device passed every check");
    let last: Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["stopped"], "timeout");
}

#[test]
fn the_terminal_shows_a_line_per_device_with_the_fix_for_what_failed() {
    let sb = Sandbox::new();
    if !have("curl") {
        return;
    }
    let mut child = sb
        .cmd(&["share", "--listen", "127.0.0.1", "--timeout", "2m"])
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn share");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let url = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "share ended early: {seen}");
        seen.push_str(&line);
        if let Some(url) = line.strip_prefix("Scan this with the device's camera, or open ") {
            break url.trim().to_owned();
        }
    };
    let https = url.replace("http://", "https://");
    let ca = sb.ca_dir().join("ca.crt");
    let ca = ca.to_str().unwrap();
    // An iPhone downloads the profile, but its https probe fails: it was not given full trust.
    assert_eq!(curl(&["-A", IPHONE, "-o", "/dev/null", &format!("{url}tlsforge-ca.mobileconfig")]).code, 0);
    let answer = curl(&["-A", IPHONE, "--data", r#"{"page":"landing"}"#, &format!("{url}results")]);
    assert!(
        answer.stdout.contains("Certificate Trust Settings"),
        "the page is told the fix too: {}",
        answer.stdout
    );
    // Later the check page loads, but wss fails.
    let posted = r#"{"page":"check","secure_context":true,"media_devices":true,"wss_echo":false}"#;
    assert_eq!(curl(&["-A", IPHONE, "--cacert", ca, "--data", posted, &format!("{https}results")]).code, 0);
    // The same again is not a new line; an Android phone that passes is.
    assert_eq!(curl(&["-A", IPHONE, "--cacert", ca, "--data", posted, &format!("{https}results")]).code, 0);
    let passed = r#"{"page":"check","secure_context":true,"media_devices":true,"wss_echo":true}"#;
    assert_eq!(curl(&["-A", ANDROID, "--cacert", ca, "--data", passed, &format!("{https}results")]).code, 0);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(tool("kill", &["-INT", &child.id().to_string()]).code, 0);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let events = rest.split_once("Ctrl-C stops.\n").map(|(_, events)| events).unwrap_or_default();
    let lines: Vec<&str> = events.lines().collect();
    let expected = [
        "↓ iPhone · Safari (127.0.0.1) downloaded tlsforge-ca.mobileconfig",
        "✗ iPhone · Safari (127.0.0.1): ✗ https",
        "    fix: the profile was downloaded but this device does not trust the CA yet: install it (Settings → Profile Downloaded → Install), then turn on full trust in Settings → General → About → Certificate Trust Settings",
        "✗ iPhone · Safari (127.0.0.1): ✓ https  ✓ secure context  ✓ microphone/camera API  ✗ wss:// echo",
    ];
    assert_eq!(lines[..4], expected, "{rest}");
    assert!(lines[4].starts_with("    fix: https loaded but wss:// failed: Safari refuses wss://"), "{rest}");
    assert_eq!(
        lines[5..],
        [
            "✓ Android · Chrome (127.0.0.1): ✓ https  ✓ secure context  ✓ microphone/camera API  ✓ wss:// echo",
            "Stopped; 1 device passed every check: Android · Chrome (127.0.0.1)."
        ],
        "{rest}"
    );
}

#[test]
fn setup_shares_on_the_machines_lan_address_when_asked() {
    if !crate::harness::network_namespace_here(&["curl"]) {
        return;
    }
    let sb = Sandbox::new();
    // A network namespace of the test's own, its loopback interface holding a LAN address: what
    // `share` picks by default, and where the curl "phone" inside the namespace connects.
    let out = sb.path("setup.out");
    let script = format!(
        r#"ip link set lo up && ip addr add 192.168.77.5/24 dev lo || exit 9
        LANG=C.UTF-8 "$0" setup --yes --purpose ca --domain app.test --no-trust --no-env-file --share > {out} 2>&1 &
        pid=$!
        i=0; until grep -q 'Waiting for devices' {out} || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done
        url=$(sed -n "s/^Scan this with the device's camera, or open //p" {out})
        curl -sS --max-time 10 -A 'Mozilla/5.0 (Linux; Android 14)' -o /dev/null -w 'curl=%{{http_code}}\n' "${{url}}tlsforge-ca.crt"
        sleep 0.5; kill -INT $pid; wait $pid; echo "status=$?""#,
        out = out.display()
    );
    let run = run_with(sb.cmd_via(&["unshare", "-n", "sh", "-c", &script], &[]));
    let said = fs::read_to_string(&out).unwrap_or_default();
    assert!(run.stdout.contains("curl=200"), "{run:?}\n{said}");
    assert!(run.stdout.contains("status=0"), "Ctrl-C ends the sharing and setup exits 0: {run:?}\n{said}");
    assert!(said.contains("== Phones and other devices"), "{said}");
    assert!(said.contains("Devices on your network can reach http://192.168.77.5:"), "{said}");
    assert!(said.contains("↓ Android · a browser (192.168.77.5) downloaded tlsforge-ca.crt"), "{said}");
    assert!(said.contains("Stopped; no device passed every check (0 checked)."), "{said}");
}
