use std::time::Duration;

use super::*;
use crate::process::Finished;

fn target(name: &str) -> Target {
    Target { name: name.into(), port: 8443 }
}

#[test]
fn only_names_that_stay_on_loopback_are_checked() {
    for good in ["localhost", "app.test", "api.app.test", "xn--bcher-kva.test", "a-b.test.", "127.0.0.1"] {
        assert_eq!(target(good).check(), Ok(()), "{good}");
    }
    for bad in [
        "",
        "10.0.0.5",
        "::1",
        "192.168.1.20",
        "bücher.test",
        "-a.test",
        "a..test",
        "*.app.test",
        "a.test,MAP * 10.0.0.1",
        "app.test:443",
        "a b",
    ] {
        assert!(target(bad).check().is_err(), "{bad}");
    }
    assert!(Target { name: "localhost".into(), port: 0 }.check().is_err());
    assert_eq!(target("app.test").url(), "https://app.test:8443/");
    assert!(target("127.0.0.1").is_ip() && !target("localhost").is_ip());
}

#[test]
fn a_bad_target_is_no_verdict_and_runs_nothing() {
    let spec = ClientSpec::new(ClientKind::Curl, "/nonexistent/curl");
    let got = handshake(&spec, &target("10.1.2.3"));
    assert!(!got.trusted && !got.conclusive, "{got:?}");
    assert!(got.reason.contains("only 127.0.0.1"), "{got:?}");
}

#[test]
fn a_missing_program_is_no_verdict() {
    for kind in [ClientKind::Curl, ClientKind::Python, ClientKind::Node, ClientKind::Java] {
        let got = handshake(&ClientSpec::new(kind, "/nonexistent/tlsforge-client"), &target("localhost"));
        assert!(!got.trusted && !got.conclusive, "{got:?}");
        assert!(got.reason.contains("cannot run /nonexistent/tlsforge-client"), "{got:?}");
        assert_eq!(got.version, None);
    }
}

#[cfg(unix)]
fn finished(code: i32, stdout: &str, stderr: &str) -> Finished {
    use std::os::unix::process::ExitStatusExt;
    Finished {
        status: Some(std::process::ExitStatus::from_raw(code << 8)),
        stdout: stdout.into(),
        stderr: stderr.into(),
    }
}

#[cfg(unix)]
#[test]
fn scripts_report_on_their_last_marked_line() {
    let program = Path::new("python3");
    let limit = Duration::from_secs(20);
    let verdict = |code, out, err| scripted_verdict(&finished(code, out, err), program, limit);
    assert_eq!(verdict(0, "noise\ntlsforge: accepted\n", ""), Verdict::Accepted);
    assert_eq!(
        verdict(0, "tlsforge: refused self-signed certificate\n", ""),
        Verdict::Refused("self-signed certificate".into())
    );
    assert_eq!(
        verdict(2, "", "Traceback…\nModuleNotFoundError: No module named 'ssl'\n"),
        Verdict::Failed("python3 failed: ModuleNotFoundError: No module named 'ssl'".into())
    );
    assert_eq!(verdict(1, "", ""), Verdict::Failed("python3 failed without a word".into()));
    let timed_out = Finished { status: None, stdout: String::new(), stderr: String::new() };
    assert_eq!(
        scripted_verdict(&timed_out, program, limit),
        Verdict::Failed("python3 gave no answer within 20 s".into())
    );
}

#[test]
fn every_kind_has_a_program_name_and_a_bounded_time() {
    for kind in ClientKind::ALL {
        assert!(!kind.programs().is_empty());
        assert!(kind.time_limit() <= Duration::from_secs(60));
        assert!(kind.time_limit() > VERSION_LIMIT);
    }
    assert_eq!(ClientKind::Firefox.programs()[0], "firefox-esr");
    assert!(ClientKind::Chromium.uses_nssdb() && !ClientKind::Curl.uses_nssdb());
}
