//! `tlsforge setup`: driven through a pseudo-terminal with keys as a person types them, and
//! with `--yes` and flags only, without a terminal. Trust goes only into an NSS database in the
//! temporary HOME, never into this machine's stores.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};
use x509_parser::extensions::GeneralName;

use crate::harness::{Sandbox, cert_der, have, listing, mode, tool};

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const SPACE: &str = " ";
const ESC: &str = "\x1b";

/// `tlsforge setup ARGS` on a pseudo-terminal, in the sandbox's environment with bash as the
/// login shell. `strip`: compare against the text with colours and cursor moves removed.
fn spawn(sb: &Sandbox, args: &[&str], strip: bool) -> PtySession {
    let mut cmd: Command = sb.cmd(&[]);
    cmd.arg("setup").args(args).env("SHELL", "/bin/bash").env("TERM", "xterm-256color");
    // The pty is the terminal: the harness's null stdin would hide it.
    cmd.stdin(Stdio::inherit()).stdout(Stdio::inherit()).stderr(Stdio::inherit());
    spawn_with_options(cmd, Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(strip))
        .expect("spawn tlsforge on a pty")
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// rexpect reads the terminal byte by byte, one char per byte: UTF-8 text as it arrives.
fn pty_text(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Wait for `text`, failing with what was seen instead.
#[track_caller]
fn expect(p: &mut PtySession, text: &str) -> String {
    p.exp_string(text).unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"))
}

#[track_caller]
fn exit_code(p: &mut PtySession) -> (i32, String) {
    let rest = p.exp_eof().unwrap_or_default();
    match exit_within(p, 15) {
        Some(code) => (code, rest),
        None => panic!("tlsforge did not exit within 15 s of its end of output\n{rest}"),
    }
}

/// The exit status once the process ends, or `None` (and the process killed) when it is still
/// running after `seconds`: a test must fail, not wait forever.
fn exit_within(p: &mut PtySession, seconds: u64) -> Option<i32> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        match p.process().status() {
            Some(WaitStatus::Exited(_, code)) => return Some(code),
            Some(WaitStatus::StillAlive) | None if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => {
                let _ = p.process_mut().kill(rexpect::process::Signal::SIGKILL);
                return None;
            }
        }
    }
}

/// The subjectAltNames of a certificate file, as `DNS:x` / `IP:y`.
fn sans(path: &Path) -> Vec<String> {
    let der = cert_der(path);
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let san = cert.subject_alternative_name().unwrap().expect("a SAN extension");
    san.value
        .general_names
        .iter()
        .map(|name| match name {
            GeneralName::DNSName(dns) => format!("DNS:{dns}"),
            GeneralName::IPAddress(bytes) => {
                let ip: std::net::IpAddr = match bytes.len() {
                    4 => <[u8; 4]>::try_from(*bytes).unwrap().into(),
                    _ => <[u8; 16]>::try_from(*bytes).unwrap().into(),
                };
                format!("IP:{ip}")
            }
            other => panic!("unexpected SAN {other:?}"),
        })
        .collect()
}

/// The validity in days as RFC 5280 counts it: notBefore through notAfter, both included.
fn validity_days(path: &Path) -> i64 {
    let der = cert_der(path);
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let v = cert.validity();
    (v.not_after.timestamp() + 1 - v.not_before.timestamp()) / 86_400
}

/// An empty NSS database where the trust code looks for Chromium's: `$HOME/.pki/nssdb`.
fn nss_db(sb: &Sandbox) -> String {
    let dir = sb.home().join(".pki/nssdb");
    fs::create_dir_all(&dir).unwrap();
    let db = format!("sql:{}", dir.display());
    tool("certutil", &["-N", "-d", &db, "--empty-password"]).success();
    db
}

#[test]
fn a_person_answers_every_question_with_keys() {
    let sb = Sandbox::new();
    let mut p = spawn(&sb, &[], true);
    expect(&mut p, "What is the certificate for?");
    expect(&mut p, "tlsforge's local CA");
    send(&mut p, ENTER); // the default: self-signed
    expect(&mut p, "Names the certificate covers");
    expect(&mut p, "::1");
    // Down twice to ::1, uncheck it, accept.
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, SPACE);
    send(&mut p, ENTER);
    expect(&mut p, "More names");
    send(&mut p, "app..test");
    send(&mut p, ENTER);
    expect(&mut p, "empty label");
    send(&mut p, "app.test 10.0.0.5");
    send(&mut p, ENTER);
    expect(&mut p, "Days the certificate is valid");
    send(&mut p, "900");
    send(&mut p, ENTER);
    expect(&mut p, "Apple platforms reject");
    // A rejected answer is cleared: type the next one afresh.
    send(&mut p, "30");
    send(&mut p, ENTER);
    expect(&mut p, "Key type");
    send(&mut p, ENTER);
    expect(&mut p, "Directory to write into");
    send(&mut p, ENTER);
    expect(&mut p, "Base name of the files");
    send(&mut p, ENTER);
    expect(&mut p, "Created a certificate");
    expect(&mut p, "Trust the certificate now in");
    send(&mut p, ENTER); // none selected: nothing trusted
    expect(&mut p, "Nothing trusted now");
    let snippet = sb.path("server.crt").display().to_string();
    expect(&mut p, &format!("export SSL_CERT_PATH={snippet}"));
    expect(&mut p, "Write them into .env");
    send(&mut p, "y");
    expect(&mut p, "Created");
    expect(&mut p, "tlsforge doctor --connect localhost:PORT");
    let (code, _) = exit_code(&mut p);
    assert_eq!(code, 0);

    let crt = sb.path("server.crt");
    assert_eq!(sans(&crt), ["DNS:localhost", "IP:127.0.0.1", "DNS:app.test", "IP:10.0.0.5"]);
    assert_eq!(validity_days(&crt), 30);
    assert_eq!(mode(&sb.path("server.key")), 0o600);
    let dotenv = fs::read_to_string(sb.path(".env")).unwrap();
    assert!(dotenv.contains(&format!("SSL_CERT_PATH={snippet}")), "{dotenv}");
    assert!(dotenv.contains("ENABLE_SSL=true"), "{dotenv}");
    assert_eq!(sb.listing("."), [".env", "server.crt", "server.key"]);
}

#[test]
fn the_trust_step_shows_the_stores_found_and_trusts_in_the_one_chosen() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    let db = nss_db(&sb);
    fs::write(sb.path("server.crt"), "old").unwrap();
    let mut p = spawn(&sb, &["--purpose", "self-signed", "--domain", "localhost", "--days", "30"], true);
    // Every other question is answered by a flag; the files exist, so: replace?
    expect(&mut p, "Key type");
    send(&mut p, ENTER);
    expect(&mut p, "Directory to write into");
    send(&mut p, ENTER);
    expect(&mut p, "Base name of the files");
    send(&mut p, ENTER);
    expect(&mut p, "server.crt already exists. Replace it?");
    send(&mut p, "y");
    expect(&mut p, "Created a certificate");
    expect(&mut p, "Trust the certificate now in");
    // The menu lists the stores in a fixed order; walk down to the NSS line, whatever is above.
    let menu = expect(&mut p, &format!("nss     {}", sb.home().join(".pki/nssdb").display()));
    let items = menu.rsplit("Trust the certificate").next().unwrap();
    // Each item starts with a box (unchecked) or a tick; the NSS line's own box is the last one.
    let above = items.matches(&pty_text("⬚")).count() + items.matches(&pty_text("✔")).count() - 1;
    for _ in 0..above {
        send(&mut p, DOWN);
    }
    send(&mut p, SPACE);
    // Only once the NSS line shows checked is the choice confirmed: never another store.
    expect(&mut p, &pty_text("✔ nss"));
    send(&mut p, ENTER);
    expect(&mut p, "Trusting");
    expect(&mut p, "Trusted in 1 of 1 selected stores.");
    expect(&mut p, "Write them into .env");
    send(&mut p, "n");
    let (code, _) = exit_code(&mut p);
    assert_eq!(code, 0);
    assert_eq!(sb.listing("."), ["server.crt", "server.key"]);
    assert_eq!(sans(&sb.path("server.crt")), ["DNS:localhost"]);
    let listed = tool("certutil", &["-L", "-d", &db]).success();
    assert!(listed.stdout.contains("tlsforge"), "{}", listed.stdout);
}

#[test]
fn ctrl_c_at_the_names_prompt_leaves_nothing_and_exits_130() {
    let sb = Sandbox::new();
    let mut p = spawn(&sb, &["--purpose", "self-signed"], false);
    expect(&mut p, "Names the certificate covers");
    expect(&mut p, "::1");
    p.send_control('c').unwrap();
    let (code, rest) = exit_code(&mut p);
    assert_eq!(code, 130, "{rest}");
    assert!(rest.contains("setup cancelled: nothing was written or trusted"), "{rest}");
    // The multi-select hid the cursor; it is shown again.
    assert!(rest.contains("\x1b[?25h"), "cursor not restored: {rest:?}");
    assert!(sb.listing(".").is_empty(), "{:?}", sb.listing("."));
    assert!(listing(&sb.ca_dir()).is_empty());
}

#[test]
fn ctrl_c_at_the_text_prompt_and_esc_at_a_menu_also_cancel() {
    let sb = Sandbox::new();
    let mut p = ctrl_c_while_typing_a_name(&sb);
    let (code, rest) = exit_code(&mut p);
    assert_eq!(code, 130, "{rest}");

    let mut p = spawn(&sb, &[], true);
    expect(&mut p, "What is the certificate for?");
    send(&mut p, ESC);
    let (code, rest) = exit_code(&mut p);
    assert_eq!(code, 130, "{rest}");
    assert!(rest.contains("setup cancelled"), "{rest}");
    assert!(sb.listing(".").is_empty());
    assert!(listing(&sb.ca_dir()).is_empty(), "no CA created either");
}

/// SIGINT while a prompt waits for a key: what the terminal sends when Ctrl-C lands in the
/// instant between two prompts, before the next one reads keys. The handler must end setup
/// itself: a flag read after the prompt would leave it waiting for a key nobody sends.
#[test]
fn sigint_while_a_prompt_waits_cancels_at_once_with_the_cursor_back() {
    let sb = Sandbox::new();
    let mut p = spawn(&sb, &[], false);
    expect(&mut p, "What is the certificate for?");
    p.process_mut().signal(rexpect::process::Signal::SIGINT).unwrap();
    let (code, rest) = exit_code(&mut p);
    assert_eq!(code, 130, "{rest}");
    assert_eq!(rest.matches("setup cancelled: nothing was written or trusted").count(), 1, "{rest}");
    assert!(rest.contains("\x1b[?25h"), "the cursor is shown again: {rest:?}");
    assert!(sb.listing(".").is_empty());
    assert!(listing(&sb.ca_dir()).is_empty());
}

/// Setup at the free-entry names prompt, "app.te" typed and Ctrl-C right behind it.
fn ctrl_c_while_typing_a_name(sb: &Sandbox) -> PtySession {
    let mut p = spawn(sb, &["--purpose", "ca"], true);
    expect(&mut p, "Names the certificate covers");
    send(&mut p, ENTER);
    expect(&mut p, "More names");
    send(&mut p, "app.te");
    p.send_control('c').unwrap();
    p
}

/// Ctrl-C typed right behind other keys may land while the terminal is briefly back in cooked
/// mode between two key reads, and then arrives as SIGINT on whichever thread the kernel picks.
/// Every time, setup must end with 130 — never sit at the prompt waiting for a key.
#[test]
fn ctrl_c_right_behind_keys_always_ends_setup() {
    for round in 0..25 {
        let sb = Sandbox::new();
        let mut p = ctrl_c_while_typing_a_name(&sb);
        let status = exit_within(&mut p, 15);
        assert_eq!(status, Some(130), "round {round}: setup did not end after Ctrl-C");
        assert!(sb.listing(".").is_empty());
    }
}

#[test]
fn without_a_terminal_it_refuses_naming_the_flags() {
    let sb = Sandbox::new();
    let run = sb.run(&["setup", "--domain", "app.test"]).fails(2, "--yes").one_error_line();
    for flag in ["--purpose", "--domain", "--days", "--key", "--out", "--store", "--env-file", "--fullchain"]
    {
        assert!(run.stderr.contains(flag), "{flag} not named: {}", run.stderr);
    }
    assert!(sb.listing(".").is_empty());
}

#[test]
fn yes_takes_the_defaults_gen_would() {
    let sb = Sandbox::new();
    let run = sb.run(&["setup", "--yes", "--shell", "bash"]).success();
    let crt = sb.path("server.crt");
    assert_eq!(sans(&crt), ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]);
    assert_eq!(validity_days(&crt), 365);
    assert!(run.stdout.contains(&format!("export SSL_CERT_PATH={}", crt.display())), "{}", run.stdout);
    assert!(run.stdout.contains("Nothing trusted now"), "{}", run.stdout);
    // No .env unless asked for, and `env` finds the pair without flags afterwards.
    assert_eq!(sb.listing("."), ["server.crt", "server.key"]);
    sb.run(&["env", "--shell", "bash"]).success();

    // Files exist: --yes does not replace them without --force.
    sb.run(&["setup", "--yes"]).fails(1, "already exists").one_error_line();
    sb.run(&["setup", "--yes", "--force", "--days", "7"]).success();
    assert_eq!(validity_days(&crt), 7);
}

#[test]
fn flags_answer_everything_local_ca_trust_in_nss_and_env_file() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    let db = nss_db(&sb);
    let run = sb
        .run(&[
            "setup",
            "--yes",
            "--purpose",
            "ca",
            "--domain",
            "app.test",
            "--ip",
            "10.0.0.5",
            "--days",
            "30",
            "--out",
            "certs",
            "--name",
            "app",
            "--store",
            "nss",
            "--shell",
            "fish",
            "--env-file",
            ".env",
        ])
        .success();
    let crt = sb.path("certs/app.crt");
    assert_eq!(sans(&crt), ["DNS:app.test", "IP:10.0.0.5"]);
    let der = cert_der(&crt);
    let (_, leaf) = x509_parser::parse_x509_certificate(&der).unwrap();
    let issuer = leaf.issuer().to_string();
    assert!(
        issuer.contains("tlsforge") && issuer != leaf.subject().to_string(),
        "issued by the local CA: {issuer}"
    );
    assert!(!listing(&sb.ca_dir()).is_empty(), "the local CA was created");
    assert!(run.stdout.contains("Trusted in 1 of 1 selected stores."), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("set -gx SSL_CERT_PATH {}", crt.display())), "{}", run.stdout);
    let dotenv = fs::read_to_string(sb.path(".env")).unwrap();
    assert!(dotenv.contains(&format!("SSL_KEY_PATH={}", sb.path("certs/app.key").display())), "{dotenv}");
    // The CA, not the leaf, went into the NSS database.
    let listed = tool("certutil", &["-L", "-d", &db]).success();
    assert!(listed.stdout.contains("tlsforge"), "{}", listed.stdout);
    assert!(listed.stdout.contains("C,,"), "trusted as a CA: {}", listed.stdout);
}

#[test]
fn production_checks_existing_files_and_never_issues() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "live", "--name", "x", "example.test"]).success();
    fs::rename(sb.path("live/x.crt"), sb.path("live/fullchain.pem")).unwrap();
    fs::rename(sb.path("live/x.key"), sb.path("live/privkey.pem")).unwrap();
    let run = sb
        .run(&[
            "setup",
            "--yes",
            "--purpose",
            "production",
            "--fullchain",
            "live/fullchain.pem",
            "--shell",
            "sh",
        ])
        .success();
    let chain = sb.path("live/fullchain.pem").display().to_string();
    assert!(run.stdout.contains(&format!("export SSL_CERT_PATH={chain}")), "{}", run.stdout);
    assert!(run.stdout.contains("days left"), "{}", run.stdout);
    assert!(run.stdout.contains("certbot renew"), "{}", run.stdout);
    assert_eq!(sb.listing("."), ["live"]);
    assert_eq!(sb.listing("live"), ["fullchain.pem", "privkey.pem"]);

    // A key that belongs to another certificate is refused.
    sb.run(&["gen", "--name", "other"]).success();
    sb.run(&[
        "setup",
        "--yes",
        "--purpose",
        "production",
        "--fullchain",
        "live/fullchain.pem",
        "--privkey",
        "other.key",
    ])
    .fails(1, "does not belong")
    .one_error_line();
    sb.run(&["setup", "--yes", "--purpose", "production"]).fails(2, "--fullchain").one_error_line();
}

#[test]
fn production_by_keys_rejects_a_missing_file_and_defaults_the_key_beside_it() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "live", "--name", "x", "example.test"]).success();
    fs::rename(sb.path("live/x.crt"), sb.path("live/fullchain.pem")).unwrap();
    fs::rename(sb.path("live/x.key"), sb.path("live/privkey.pem")).unwrap();
    let mut p = spawn(&sb, &["--no-env-file"], true);
    expect(&mut p, "What is the certificate for?");
    expect(&mut p, "Let's Encrypt");
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, ENTER);
    expect(&mut p, "Certificate chain");
    send(&mut p, "live/nothere.pem");
    send(&mut p, ENTER);
    expect(&mut p, "no such file");
    send(&mut p, "live/fullchain.pem");
    send(&mut p, ENTER);
    expect(&mut p, "Its private key");
    send(&mut p, ENTER); // live/privkey.pem, beside it
    expect(&mut p, "days left");
    expect(&mut p, "nothing to trust here");
    expect(&mut p, &format!("export SSL_KEY_PATH={}", sb.path("live/privkey.pem").display()));
    let (code, rest) = exit_code(&mut p);
    assert_eq!(code, 0, "{rest}");
    assert_eq!(sb.listing("live"), ["fullchain.pem", "privkey.pem"], "nothing issued");
}

#[test]
fn a_local_ca_setup_offers_to_share_the_ca_with_other_devices_last() {
    let sb = Sandbox::new();
    let args = [
        "--purpose",
        "ca",
        "--domain",
        "app.test",
        "--days",
        "30",
        "--key",
        "ecdsa-p256",
        "--out",
        ".",
        "--name",
        "server",
        "--no-trust",
        "--no-env-file",
    ];
    let mut p = spawn(&sb, &args, true);
    expect(&mut p, "Created a certificate");
    expect(&mut p, "Will you open the service from a phone, a tablet or another computer?");
    send(&mut p, "n");
    expect(&mut p, "`tlsforge share` puts the CA on them with one scan");
    let (code, _) = exit_code(&mut p);
    assert_eq!(code, 0);
    // Other purposes are not asked, and --no-share keeps it quiet.
    let run = sb
        .run(&["setup", "--yes", "--purpose", "ca", "--domain", "app.test", "--force", "--no-share"])
        .success();
    assert!(
        !run.stdout.contains("Phones and other devices") && !run.stdout.contains("tlsforge share"),
        "{}",
        run.stdout
    );
}
