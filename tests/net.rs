//! `tlsforge::net` against real clients: the loopback server serves what `gen` made, and curl,
//! Python, Node, Java, headless Chromium and headless Firefox each refuse it while untrusted
//! and accept it once *they* trust it — through variables given to that client only
//! (`SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`, `JAVA_TOOL_OPTIONS`) or an NSS database made here
//! with certutil. Nothing of this machine's stores is touched; everything stays on loopback.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tlsforge::net::handshake::{ClientKind, ClientSpec, Handshake, Target, handshake};
use tlsforge::net::loopback::{Identity, LoopbackServer, PAGE_TITLE};

use crate::harness::{Sandbox, have, python, tool};

/// Two servers made by the real binary: a self-signed certificate and one issued by the local
/// CA, both for `localhost`, `app.test` and `127.0.0.1`.
struct Servers {
    sb: Sandbox,
    self_signed: LoopbackServer,
    ca_issued: LoopbackServer,
}

impl Servers {
    fn start() -> Self {
        let sb = Sandbox::new();
        sb.run(&["gen", "--name", "self", "localhost", "app.test", "127.0.0.1"]).success();
        sb.run(&["gen", "--ca", "--name", "issued", "localhost", "app.test", "127.0.0.1"]).success();
        let self_signed =
            LoopbackServer::start(&identity(&sb.path("self.crt"), &sb.path("self.key"))).unwrap();
        let ca_issued =
            LoopbackServer::start(&identity(&sb.path("issued.crt"), &sb.path("issued.key"))).unwrap();
        Self { sb, self_signed, ca_issued }
    }

    fn self_signed_cert(&self) -> PathBuf {
        self.sb.path("self.crt")
    }

    fn ca_cert(&self) -> PathBuf {
        self.sb.ca_dir().join("ca.crt")
    }
}

fn identity(cert: &Path, key: &Path) -> Identity {
    let chain =
        pem::parse_many(fs::read(cert).unwrap()).unwrap().into_iter().map(pem::Pem::into_contents).collect();
    let key = pem::parse(fs::read(key).unwrap()).unwrap();
    assert_eq!(key.tag(), "PRIVATE KEY", "gen writes PKCS#8");
    Identity::pkcs8(chain, key.into_contents())
}

fn spec(kind: ClientKind, program: &str, env: &[(&str, &Path)]) -> ClientSpec {
    let mut spec = ClientSpec::new(kind, program);
    spec.env = env.iter().map(|(k, v)| (OsString::from(k), v.as_os_str().to_owned())).collect();
    spec
}

fn at(name: &str, server: &LoopbackServer) -> Target {
    Target { name: name.into(), port: server.port() }
}

#[track_caller]
fn accepted(got: &Handshake) {
    assert!(got.trusted && got.conclusive && got.reason == "accepted", "{got:?}");
}

#[track_caller]
fn refused(got: &Handshake, words: &str) {
    assert!(!got.trusted && got.conclusive, "{got:?}");
    assert!(got.reason.contains(words), "the reason should name {words:?}: {got:?}");
}

#[test]
fn the_loopback_server_serves_its_page_over_tls_1_2_and_1_3_to_curl() {
    if !have("curl") {
        return;
    }
    let servers = Servers::start();
    let port = servers.self_signed.port().to_string();
    let cert = servers.self_signed_cert();
    let resolve = format!("app.test:{port}:127.0.0.1");
    let url = format!("https://app.test:{port}/favicon.ico");
    for (version, pin) in [("1.3", &["--tlsv1.3"][..]), ("1.2", &["--tls-max", "1.2"])] {
        let mut args =
            vec!["--silent", "--show-error", "--max-time", "10", "--cacert", cert.to_str().unwrap()];
        args.extend(["--resolve", &resolve]);
        args.extend_from_slice(pin);
        args.extend(["--write-out", "\n%{http_code} %{http_version} %{ssl_verify_result}", &url]);
        let run = tool("curl", &args);
        assert_eq!(run.code, 0, "TLS {version}: {}", run.stderr);
        assert!(run.stdout.contains(&format!("<title>{PAGE_TITLE}</title>")), "{}", run.stdout);
        assert!(run.stdout.ends_with("\n200 1.1 0"), "HTTP/1.1 over ALPN, verified: {}", run.stdout);
    }
    let trace = tool(
        "curl",
        &[
            "-sv",
            "--max-time",
            "10",
            "--cacert",
            cert.to_str().unwrap(),
            &format!("https://127.0.0.1:{port}/"),
        ],
    );
    assert!(trace.stderr.contains("ALPN: server accepted http/1.1"), "{}", trace.stderr);
}

#[test]
fn the_loopback_server_stops_at_once_with_idle_connections_open() {
    let servers = Servers::start();
    let port = servers.ca_issued.port();
    let mut idle: Vec<TcpStream> = (0..5).map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    drop(servers);
    assert!(started.elapsed() < Duration::from_secs(2), "stopping took {:?}", started.elapsed());
    for stream in &mut idle {
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        assert!(rest.is_empty(), "an idle connection got {rest:?}");
    }
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "nothing listens after drop");
}

#[test]
fn the_loopback_server_refuses_more_connections_than_its_bound() {
    let servers = Servers::start();
    let port = servers.self_signed.port();
    let held: Vec<TcpStream> = (0..tlsforge::net::loopback::MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = TcpStream::connect(("127.0.0.1", port)).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = extra.read_to_end(&mut rest);
    assert!(started.elapsed() < Duration::from_secs(3), "the connection over the bound was closed at once");
    drop(held);
}

#[test]
fn curl_refuses_an_untrusted_server_and_accepts_one_its_ca_file_trusts() {
    if !have("curl") {
        return;
    }
    let s = Servers::start();
    let plain = spec(ClientKind::Curl, "curl", &[]);
    let got = handshake(&plain, &at("localhost", &s.self_signed));
    refused(&got, "SSL certificate problem: self-signed certificate");
    assert!(got.version.as_deref().is_some_and(|v| v.starts_with("curl ")), "{got:?}");
    refused(&handshake(&plain, &at("app.test", &s.ca_issued)), "unable to get local issuer certificate");

    // curl reads CURL_CA_BUNDLE first, then SSL_CERT_DIR, then SSL_CERT_FILE: the variables only
    // add, so the one curl reads first is set too, whatever this process inherited.
    let leaf = s.self_signed_cert();
    let trusting_leaf =
        spec(ClientKind::Curl, "curl", &[("CURL_CA_BUNDLE", &leaf), ("SSL_CERT_FILE", &leaf)]);
    for name in ["localhost", "app.test", "127.0.0.1"] {
        accepted(&handshake(&trusting_leaf, &at(name, &s.self_signed)));
    }
    let ca = s.ca_cert();
    let trusting_ca = spec(ClientKind::Curl, "curl", &[("CURL_CA_BUNDLE", &ca), ("SSL_CERT_FILE", &ca)]);
    accepted(&handshake(&trusting_ca, &at("app.test", &s.ca_issued)));
    refused(&handshake(&trusting_ca, &at("other.test", &s.ca_issued)), "other.test");
}

#[test]
fn python_refuses_an_untrusted_server_and_accepts_one_its_ca_file_trusts() {
    if !have(python()) {
        return;
    }
    let s = Servers::start();
    let plain = spec(ClientKind::Python, python(), &[]);
    let got = handshake(&plain, &at("localhost", &s.self_signed));
    refused(&got, "self-signed certificate");
    assert!(got.version.as_deref().is_some_and(|v| v.starts_with("Python 3.")), "{got:?}");
    refused(&handshake(&plain, &at("app.test", &s.ca_issued)), "unable to get local issuer certificate");

    let trusting_leaf = spec(ClientKind::Python, python(), &[("SSL_CERT_FILE", &s.self_signed_cert())]);
    accepted(&handshake(&trusting_leaf, &at("127.0.0.1", &s.self_signed)));
    let trusting_ca = spec(ClientKind::Python, python(), &[("SSL_CERT_FILE", &s.ca_cert())]);
    accepted(&handshake(&trusting_ca, &at("app.test", &s.ca_issued)));
    refused(&handshake(&trusting_ca, &at("other.test", &s.ca_issued)), "Hostname mismatch");
}

#[test]
fn node_refuses_an_untrusted_server_and_accepts_one_its_extra_ca_certs_trust() {
    if !have("node") {
        return;
    }
    let s = Servers::start();
    let plain = spec(ClientKind::Node, "node", &[]);
    let got = handshake(&plain, &at("localhost", &s.self_signed));
    refused(&got, "DEPTH_ZERO_SELF_SIGNED_CERT");
    assert!(got.version.as_deref().is_some_and(|v| v.starts_with("Node.js ")), "{got:?}");
    refused(&handshake(&plain, &at("app.test", &s.ca_issued)), "UNABLE_TO_VERIFY_LEAF_SIGNATURE");

    let trusting_ca = spec(ClientKind::Node, "node", &[("NODE_EXTRA_CA_CERTS", &s.ca_cert())]);
    accepted(&handshake(&trusting_ca, &at("app.test", &s.ca_issued)));
    accepted(&handshake(&trusting_ca, &at("127.0.0.1", &s.ca_issued)));
    refused(&handshake(&trusting_ca, &at("other.test", &s.ca_issued)), "ERR_TLS_CERT_ALTNAME_INVALID");
}

#[test]
fn java_refuses_an_untrusted_server_and_accepts_one_its_truststore_trusts() {
    if !have("java") || !have("keytool") {
        return;
    }
    let s = Servers::start();
    let plain = spec(ClientKind::Java, "java", &[]);
    let got = handshake(&plain, &at("app.test", &s.ca_issued));
    refused(&got, "PKIX path building failed");
    let version = got.version.as_deref().unwrap_or_default();
    assert!(version.chars().any(|c| c.is_ascii_digit()) && !version.starts_with("Picked up"), "{got:?}");

    // A truststore of its own (not a copy of this machine's cacerts), holding only the CA.
    let store = s.sb.root().join("trust.p12");
    let ca = s.ca_cert();
    let import = tool(
        "keytool",
        &[
            "-importcert",
            "-noprompt",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-alias",
            "tlsforge-ca",
        ]
        .into_iter()
        .chain(["-keystore", store.to_str().unwrap(), "-file", ca.to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    assert_eq!(import.code, 0, "{}", import.stderr);
    let options = PathBuf::from(format!(
        "-Djavax.net.ssl.trustStore={} -Djavax.net.ssl.trustStorePassword=changeit \
         -Djavax.net.ssl.trustStoreType=PKCS12",
        store.display()
    ));
    let trusting_ca = spec(ClientKind::Java, "java", &[("JAVA_TOOL_OPTIONS", &options)]);
    let got = handshake(&trusting_ca, &at("app.test", &s.ca_issued));
    accepted(&got);
    assert!(got.version.is_some(), "`Picked up JAVA_TOOL_OPTIONS` is not the version: {got:?}");
    accepted(&handshake(&trusting_ca, &at("127.0.0.1", &s.ca_issued)));
    refused(&handshake(&trusting_ca, &at("other.test", &s.ca_issued)), "other.test");
}

/// An NSS database made with the real certutil in `dir`, trusting `cert` with `flags`.
fn nssdb(dir: &Path, cert: &Path, flags: &str) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    let db = format!("sql:{}", dir.display());
    let made = tool("certutil", &["-N", "-d", &db, "--empty-password"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let added = tool(
        "certutil",
        &["-A", "-d", &db, "-t", flags, "-n", "tlsforge test", "-i", cert.to_str().unwrap()],
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    dir.to_owned()
}

/// One browser: untrusted (an empty database, then none at all), then trusted through the CA
/// (`C,,`) at `app.test`, then through the self-signed leaf itself (`CP,,`) at 127.0.0.1.
fn browser_refuses_then_accepts(kind: ClientKind, program: &str, untrusted: &str, untrusted_ca: &str) {
    let s = Servers::start();
    let empty = s.sb.root().join("empty-nssdb");
    fs::create_dir_all(&empty).unwrap();
    assert_eq!(
        tool("certutil", &["-N", "-d", &format!("sql:{}", empty.display()), "--empty-password"]).code,
        0
    );
    let ca_db = nssdb(&s.sb.root().join("ca-nssdb"), &s.ca_cert(), "C,,");
    let leaf_db = nssdb(&s.sb.root().join("leaf-nssdb"), &s.self_signed_cert(), "CP,,");
    let before = fs::read(ca_db.join("cert9.db")).unwrap();

    let mut browser = spec(kind, program, &[]);
    browser.nssdb = Some(empty);
    let started = Instant::now();
    let got = handshake(&browser, &at("localhost", &s.self_signed));
    refused(&got, untrusted);
    assert!(got.version.is_some(), "{got:?}");
    // No database at all: the browser makes a fresh one in its throwaway HOME or profile.
    browser.nssdb = None;
    refused(&handshake(&browser, &at("app.test", &s.ca_issued)), untrusted_ca);

    browser.nssdb = Some(ca_db.clone());
    accepted(&handshake(&browser, &at("app.test", &s.ca_issued)));
    browser.nssdb = Some(leaf_db);
    accepted(&handshake(&browser, &at("127.0.0.1", &s.self_signed)));
    eprintln!("{}: four loads in {:?}", kind.name(), started.elapsed());

    assert_eq!(fs::read(ca_db.join("cert9.db")).unwrap(), before, "only a copy of the database was opened");
}

#[test]
fn chromium_refuses_an_untrusted_server_and_accepts_one_its_nss_database_trusts() {
    if !have("chromium") || !have("certutil") {
        return;
    }
    browser_refuses_then_accepts(
        ClientKind::Chromium,
        "chromium",
        "net::ERR_CERT_AUTHORITY_INVALID",
        "net::ERR_CERT_AUTHORITY_INVALID",
    );
}

#[test]
fn firefox_refuses_an_untrusted_server_and_accepts_one_its_nss_database_trusts() {
    if !have("firefox-esr") || !have("certutil") {
        return;
    }
    browser_refuses_then_accepts(
        ClientKind::Firefox,
        "firefox-esr",
        "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT",
        "SEC_ERROR_UNKNOWN_ISSUER",
    );
}

/// An executable shell script in `dir` that records its pid and its child's, then waits.
fn hanging_program(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("hangs");
    let script = format!("#!/bin/sh\necho $$ > '{dir}/leader.pid'\n{body}\n", dir = dir.display());
    fs::write(&path, script).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Whether `dir/NAME.pid` names a process that is still running (not even a zombie).
fn still_running(dir: &Path, name: &str) -> bool {
    let pid = fs::read_to_string(dir.join(format!("{name}.pid"))).expect("the script ran and wrote its pid");
    fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

#[test]
fn a_client_that_never_answers_is_no_verdict_within_the_limit_and_killed_with_its_helpers() {
    if !have("sleep") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let helper = format!("sleep 600 &\necho $! > '{}/helper.pid'\nwait", dir.path().display());
    let program = hanging_program(dir.path(), &helper);
    let started = Instant::now();
    let got =
        handshake(&ClientSpec::new(ClientKind::Node, program), &Target { name: "localhost".into(), port: 9 });
    let took = started.elapsed();
    assert!(!got.trusted && !got.conclusive, "{got:?}");
    assert!(got.reason.contains("gave no answer within 15 s"), "{got:?}");
    assert_eq!(got.version, None, "{got:?}");
    assert!(took <= ClientKind::Node.time_limit() + Duration::from_secs(1), "took {took:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!still_running(dir.path(), "leader") && !still_running(dir.path(), "helper"));
}

#[test]
fn a_browser_that_never_starts_its_protocol_is_killed_at_the_deadline() {
    use tlsforge::net::browser::{Launch, chromium, firefox};
    if !have("sleep") {
        return;
    }
    for driver in [chromium, firefox] {
        let dir = tempfile::tempdir().unwrap();
        let helper = format!(
            "echo 'starting…' >&2\nsleep 600 &\necho $! > '{}/helper.pid'\nwait",
            dir.path().display()
        );
        let program = hanging_program(dir.path(), &helper);
        let launch = Launch { program: &program, nssdb: None, env: &[], map_to_loopback: Some("app.test") };
        let started = Instant::now();
        let err =
            driver(&launch, "https://app.test:9/", Instant::now() + Duration::from_secs(2)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(err.contains("did not start its remote protocol in time: starting…"), "{err}");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!still_running(dir.path(), "leader") && !still_running(dir.path(), "helper"));
    }
}
