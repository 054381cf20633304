//! Exit statuses: expiry and `--expiring-within`, and bad usage.

use super::json::only_cert;
use crate::harness::Sandbox;

#[test]
fn exit_statuses_follow_expiry_and_the_window() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--days", "365"]).success();
    let status = |window: &str| {
        sb.run(&["inspect", "server.crt", "--expiring-within", window, "--format", "json"]).code
    };
    assert_eq!(sb.run(&["inspect", "server.crt"]).code, 0);
    for (window, code) in [
        ("30d", 0),
        ("364d", 0),
        ("366d", 1),
        ("400", 1),
        ("30", 0),
        ("9000h", 1),
        ("8000h", 0),
        ("600000m", 1),
        ("90m", 0),
        ("3600s", 0),
        ("40000000s", 1),
        ("0", 0),
    ] {
        assert_eq!(status(window), code, "--expiring-within {window}");
    }
    let run = sb.run(&["inspect", "server.crt", "--expiring-within", "400d", "--format", "json"]);
    assert_eq!(only_cert(&run).status, "expiring");
    assert!(run.stderr.contains("1 certificate expires within 400d (server.crt #0)"), "{}", run.stderr);
}

#[test]
fn bad_usage_exits_2_with_one_line() {
    let sb = Sandbox::new();
    sb.run(&["inspect"]).fails(2, "nothing to inspect").one_error_line();
    sb.run(&["inspect", "x.pem", "--expiring-within", "30x"]).fails(2, "--expiring-within").one_error_line();
    sb.run(&["inspect", "x.pem", "--expiring-within=-3d"]).fails(2, "--expiring-within");
    sb.run(&["inspect", "--connect", "localhost"]).fails(2, "HOST:PORT").one_error_line();
    sb.run(&["inspect", "--connect", "::1:443"]).fails(2, "brackets").one_error_line();
    sb.run(&["inspect", "x.pem", "--servername", "a.test"]).fails(2, "--connect");
    sb.run(&["inspect", "--connect", "localhost:1", "--timeout", "0"]).fails(2, "--timeout");
}
