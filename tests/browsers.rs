//! `trust` and `untrust` as headless Firefox ESR and Chromium see them: each browser runs on a
//! temporary HOME where it made its own databases (so tlsforge must find them where the browser
//! keeps them today), loads `https://localhost:PORT/` and opens a `wss://` WebSocket from the
//! page, driven through WebDriver BiDi and the DevTools protocol by `tests/support/browser.py`
//! (an implementation independent of tlsforge's own drivers). The page and the echo are one
//! loopback server using the same certificate (`tests/support/wss_echo.py`).

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde::Deserialize;

use crate::harness::{Run, Sandbox, have, python_with, repo, tool};

/// What a browser did with a page.
#[derive(Debug, Deserialize)]
pub(crate) struct Visit {
    pub(crate) loaded: bool,
    pub(crate) error: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) websocket: Option<String>,
}

impl Visit {
    /// Loaded the page, and the page's WebSocket made its round trip.
    #[track_caller]
    pub(crate) fn assert_loaded_with_websocket(&self, what: &str) {
        assert!(self.loaded, "{what}: refused ({:?})", self.error);
        assert_eq!(self.title.as_deref(), Some("tlsforge test page"), "{what}");
        assert_eq!(self.websocket.as_deref(), Some("echo: echo: ping from the page"), "{what}");
    }

    #[track_caller]
    pub(crate) fn assert_refused(&self, what: &str, code: &str) {
        assert!(!self.loaded, "{what}: the browser loaded the page");
        assert_eq!(self.error.as_deref(), Some(code), "{what}");
    }
}

/// The tools these tests need; `None` (skipped with a reason) without them.
pub(crate) fn browsers_here(firefox: bool, chromium: bool) -> Option<&'static str> {
    let python = python_with("websockets")?;
    let tools = ["certutil", "timeout"]
        .into_iter()
        .chain(firefox.then_some("firefox-esr"))
        .chain(chromium.then_some("chromium"));
    for tool in tools {
        if !have(tool) {
            return None;
        }
    }
    Some(python)
}

/// The page and a WebSocket echo over TLS on one loopback port.
pub(crate) struct Echo {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Echo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Echo {
    pub(crate) fn start(python: &str, cert: &Path, key: &Path) -> Self {
        let mut child = Command::new(python)
            .arg(repo("tests/support/wss_echo.py"))
            .args([cert, key])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the echo server");
        let mut line = String::new();
        // The server prints its port once it listens, or exits (and the read ends) if it cannot.
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the echo server did not start: {line:?}")
        });
        Self { child, port }
    }

    pub(crate) fn url(&self) -> String {
        format!("https://localhost:{}/", self.port)
    }

    pub(crate) fn wss(&self) -> String {
        format!("wss://localhost:{}/echo", self.port)
    }
}

/// Open the echo's page in `browser` ("chromium" or "firefox") with HOME = `home`.
pub(crate) fn visit(python: &str, browser: &str, home: &Path, profile: Option<&Path>, echo: &Echo) -> Visit {
    let mut args = vec![repo("tests/support/browser.py").display().to_string(), browser.to_owned()];
    args.extend(["--home".to_owned(), home.display().to_string()]);
    if let Some(profile) = profile {
        args.extend(["--profile".to_owned(), profile.display().to_string()]);
    }
    args.extend([echo.url(), echo.wss()]);
    let mut all = vec!["300", python];
    all.extend(args.iter().map(String::as_str));
    let run = tool("timeout", &all);
    assert_eq!(run.code, 0, "the browser driver failed:\n{}\n{}", run.stdout, run.stderr);
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// The profile Firefox made for itself under `home`: `~/.config/mozilla/firefox/*.default-esr`.
fn firefox_profile(home: &Path) -> PathBuf {
    let root = home.join(".config/mozilla/firefox");
    let profile = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".default-esr"))
        .expect("a default-esr profile");
    assert!(profile.join("cert9.db").is_file(), "Firefox made no database in {}", profile.display());
    profile
}

/// `tlsforge ARGS` in the sandbox.
fn tlsforge(sb: &Sandbox, args: &[&str]) -> Run {
    sb.run(args)
}

#[test]
fn firefox_trusts_a_self_signed_and_a_ca_issued_certificate_in_the_profile_it_made_itself() {
    let Some(python) = browsers_here(true, false) else { return };
    let sb = Sandbox::new();
    tlsforge(&sb, &["gen", "localhost"]).success();
    tlsforge(&sb, &["gen", "--ca", "--name", "issued", "localhost"]).success();
    let own = Echo::start(python, &sb.path("server.crt"), &sb.path("server.key"));
    let issued = Echo::start(python, &sb.path("issued.crt"), &sb.path("issued.key"));
    let home = sb.home();

    // A fresh HOME: Firefox makes its profile (and no ~/.mozilla) on its first run.
    visit(python, "firefox", &home, None, &own)
        .assert_refused("before trust", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    let profile = firefox_profile(&home);
    assert!(!home.join(".mozilla").exists());

    let run = tlsforge(&sb, &["trust", "server.crt", "--store", "nss"]).success();
    let line = format!("{} (Firefox profile default-esr): trusted now", profile.display());
    assert!(run.stdout.contains(&line), "{}", run.stdout);
    // The profile Firefox lists but never ran with is reported, not counted.
    assert!(run.stdout.contains("(Firefox profile default): nothing to do yet"), "{}", run.stdout);
    visit(python, "firefox", &home, None, &own).assert_loaded_with_websocket("self-signed, after trust");
    tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--check"]).success();

    visit(python, "firefox", &home, None, &issued)
        .assert_refused("CA not trusted", "SEC_ERROR_UNKNOWN_ISSUER");
    let run = tlsforge(&sb, &["trust", "issued.crt", "--store", "nss"]).success();
    assert!(run.stdout.contains("trusting the CA"), "{}", run.stdout);
    visit(python, "firefox", &home, None, &issued).assert_loaded_with_websocket("CA-issued, after trust");

    tlsforge(&sb, &["untrust", "server.crt", "--store", "nss"]).success();
    tlsforge(&sb, &["untrust", "--store", "nss"]).success();
    visit(python, "firefox", &home, None, &own)
        .assert_refused("after untrust", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    visit(python, "firefox", &home, None, &issued)
        .assert_refused("after untrust", "SEC_ERROR_UNKNOWN_ISSUER");
    tlsforge(&sb, &["trust", "--store", "nss", "--check"]).fails(1, "trusted by no client");
}

#[test]
fn firefox_profiles_that_profiles_ini_lists_are_trusted_and_untrusted_too() {
    let Some(python) = browsers_here(true, false) else { return };
    let sb = Sandbox::new();
    tlsforge(&sb, &["gen", "--name", "own", "localhost"]).success();
    tlsforge(&sb, &["gen", "--ca", "localhost"]).success();
    let own = Echo::start(python, &sb.path("own.crt"), &sb.path("own.key"));
    let issued = Echo::start(python, &sb.path("server.crt"), &sb.path("server.key"));
    let home = sb.home();
    // The classic root, with one profile beside it and one elsewhere by absolute path (as a
    // Developer Edition or a profile made with the profile manager would be).
    let relative = home.join(".mozilla/firefox/k2.dev-edition-default");
    let absolute = sb.root().join("profiles/work");
    fs::create_dir_all(&relative).unwrap();
    fs::create_dir_all(&absolute).unwrap();
    fs::write(
        home.join(".mozilla/firefox/profiles.ini"),
        format!(
            "[Profile0]\nName=dev-edition-default\nIsRelative=1\nPath=k2.dev-edition-default\n\n\
             [Profile1]\nName=work\nIsRelative=0\nPath={}\n\n[General]\nStartWithLastProfile=1\nVersion=2\n",
            absolute.display()
        ),
    )
    .unwrap();
    let firefox = |profile: &Path, echo: &Echo| visit(python, "firefox", &home, Some(profile), echo);
    // Firefox makes each profile's database on its first run.
    firefox(&relative, &own).assert_refused("self-signed, before", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    firefox(&absolute, &issued).assert_refused("CA-issued, before", "SEC_ERROR_UNKNOWN_ISSUER");

    tlsforge(&sb, &["trust", "own.crt", "--store", "nss"]).success();
    let run = tlsforge(&sb, &["trust", "--store", "nss"]).success();
    for (profile, name) in [(&relative, "dev-edition-default"), (&absolute, "work")] {
        let line = format!("{} (Firefox profile {name}): trusted now", profile.display());
        assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
    }
    firefox(&relative, &own).assert_loaded_with_websocket("self-signed, dev-edition-default");
    firefox(&relative, &issued).assert_loaded_with_websocket("CA-issued, dev-edition-default");
    firefox(&absolute, &issued).assert_loaded_with_websocket("CA-issued, work");

    tlsforge(&sb, &["untrust", "own.crt", "--store", "nss"]).success();
    tlsforge(&sb, &["untrust", "--store", "nss"]).success();
    firefox(&relative, &own)
        .assert_refused("self-signed, after untrust", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    firefox(&absolute, &issued).assert_refused("CA-issued, after untrust", "SEC_ERROR_UNKNOWN_ISSUER");
}

#[test]
fn chromium_uses_the_database_it_made_and_never_creates_the_legacy_one() {
    let Some(python) = browsers_here(false, true) else { return };
    let sb = Sandbox::new();
    tlsforge(&sb, &["gen", "localhost"]).success();
    let echo = Echo::start(python, &sb.path("server.crt"), &sb.path("server.key"));
    let home = sb.home();
    visit(python, "chromium", &home, None, &echo)
        .assert_refused("before trust", "net::ERR_CERT_AUTHORITY_INVALID");
    let db = home.join(".local/share/pki/nssdb");
    assert!(db.join("cert9.db").is_file(), "Chromium made its database at the XDG path");

    let run = tlsforge(&sb, &["trust", "server.crt", "--store", "nss"]).success();
    assert!(run.stdout.contains(&format!("{} (Chromium): trusted now", db.display())), "{}", run.stdout);
    assert!(!home.join(".pki").exists(), "tlsforge created the legacy ~/.pki: Chromium would switch to it");
    visit(python, "chromium", &home, None, &echo).assert_loaded_with_websocket("after trust");

    tlsforge(&sb, &["untrust", "server.crt", "--store", "nss"]).success();
    visit(python, "chromium", &home, None, &echo)
        .assert_refused("after untrust", "net::ERR_CERT_AUTHORITY_INVALID");
    assert!(!home.join(".pki").exists());

    // A HOME that has the legacy directory: Chromium uses it, and so does tlsforge.
    let legacy = Sandbox::new();
    fs::create_dir_all(legacy.home().join(".pki/nssdb")).unwrap();
    fs::copy(sb.path("server.crt"), legacy.path("server.crt")).unwrap();
    visit(python, "chromium", &legacy.home(), None, &echo)
        .assert_refused("legacy, before", "net::ERR_CERT_AUTHORITY_INVALID");
    assert!(legacy.home().join(".pki/nssdb/cert9.db").is_file());
    assert!(!legacy.home().join(".local/share/pki").exists());
    let run = tlsforge(&legacy, &["trust", "server.crt", "--store", "nss"]).success();
    let db = legacy.home().join(".pki/nssdb");
    assert!(run.stdout.contains(&format!("{} (Chromium): trusted now", db.display())), "{}", run.stdout);
    visit(python, "chromium", &legacy.home(), None, &echo)
        .assert_loaded_with_websocket("legacy, after trust");
}

#[derive(Debug, Deserialize)]
struct CheckJson {
    stores: Vec<CheckStore>,
    verdict: Option<String>,
    handshakes: Option<crate::harness::HandshakesJson>,
}

#[derive(Debug, Deserialize)]
struct CheckStore {
    clients: Vec<crate::harness::ClientJson>,
}

/// (client, verdict) of every client `trust --check --format json` judged.
fn verdicts(run: &Run) -> (Option<String>, Vec<(String, String)>) {
    let report: CheckJson =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let clients = report
        .stores
        .iter()
        .flat_map(|s| &s.clients)
        .map(|c| (c.client.clone(), c.verdict.clone()))
        .collect();
    (report.verdict, clients)
}

/// The flags tlsforge 0.1.0 wrote (`P,,`) satisfy Chromium and not Firefox: `--check` says
/// exactly that, with exit status 3, and agrees with both browsers; `trust` repairs it; an
/// entry removed behind tlsforge's back is named.
#[test]
fn check_reports_each_browser_and_agrees_with_them() {
    let Some(python) = browsers_here(true, true) else { return };
    let sb = Sandbox::new();
    tlsforge(&sb, &["gen", "localhost"]).success();
    let echo = Echo::start(python, &sb.path("server.crt"), &sb.path("server.key"));
    let home = sb.home();
    visit(python, "chromium", &home, None, &echo)
        .assert_refused("chromium, before", "net::ERR_CERT_AUTHORITY_INVALID");
    visit(python, "firefox", &home, None, &echo)
        .assert_refused("firefox, before", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    let chromium_db = format!("sql:{}", home.join(".local/share/pki/nssdb").display());
    let firefox_db = format!("sql:{}", firefox_profile(&home).display());
    let dry =
        tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--dry-run", "--format", "json"]).success();
    let entry = dry.json()["certificate"]["entry_name"].as_str().unwrap().to_owned();
    for db in [&chromium_db, &firefox_db] {
        let added = tool(
            "certutil",
            &["-A", "-d", db, "-t", "P,,", "-n", &entry, "-i", sb.path("server.crt").to_str().unwrap()],
        );
        assert_eq!(added.code, 0, "{}", added.stderr);
    }

    // --clients proves it with tlsforge's own drivers: they agree with the store verdicts, and
    // with the independent drivers below.
    let check =
        tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--check", "--clients", "--format", "json"]);
    let check = check.fails(3, "trusted by some clients, not by 2 clients: Firefox profile default-esr");
    assert_eq!(
        verdicts(&check),
        (
            Some("partial".into()),
            vec![("chromium".into(), "trusted".into()), ("firefox".into(), "not-trusted".into())]
        )
    );
    let report: CheckJson = serde_json::from_str(&check.stdout).unwrap();
    let handshakes = report.handshakes.expect("handshakes");
    assert_eq!(crate::harness::proofs(&handshakes), [("chromium", "trusted"), ("firefox", "not-trusted")]);
    assert_eq!(handshakes.clients[1].reason, "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    assert!(handshakes.disagreements.is_empty(), "{:?}", handshakes.disagreements);
    let served = format!("{} with its key", sb.path("server.crt").display());
    assert_eq!(handshakes.served.as_deref(), Some(served.as_str()));
    visit(python, "chromium", &home, None, &echo).assert_loaded_with_websocket("chromium with P,,");
    visit(python, "firefox", &home, None, &echo)
        .assert_refused("firefox with P,,", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
    let human = tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--check"]);
    assert_eq!(human.code, 3);
    assert!(human.stdout.contains("Firefox does not accept a trusted peer (P) alone"), "{}", human.stdout);
    assert!(human.stdout.contains("Trusted by 1 of 2 clients."), "{}", human.stdout);

    // trust repairs the flags in both databases.
    tlsforge(&sb, &["trust", "server.crt", "--store", "nss"]).success();
    let check =
        tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--check", "--format", "json"]).success();
    assert_eq!(verdicts(&check).0.as_deref(), Some("trusted"));
    visit(python, "chromium", &home, None, &echo).assert_loaded_with_websocket("chromium after trust");
    visit(python, "firefox", &home, None, &echo).assert_loaded_with_websocket("firefox after trust");

    // Behind tlsforge's back: the Firefox entry goes.
    assert_eq!(tool("certutil", &["-D", "-d", &firefox_db, "-n", &entry]).code, 0);
    let check = tlsforge(&sb, &["trust", "server.crt", "--store", "nss", "--check", "--clients"])
        .fails(3, "Firefox profile default-esr (not in the database)");
    assert!(check.stdout.contains("Accepted in 1 of 2 handshakes."), "{}", check.stdout);
    visit(python, "firefox", &home, None, &echo)
        .assert_refused("firefox after removal", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT");
}
