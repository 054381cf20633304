//! curl: exit status 0 is trust; otherwise its own error line, e.g. `SSL certificate problem:
//! self-signed certificate`.

use std::path::Path;
use std::time::Duration;

use super::{ClientSpec, NETWORK_TIMEOUT_SECS, Target, Verdict, command, last_line};
use crate::process as child;

/// curl's exit statuses that are a verdict on the server's certificate (the rest — cannot
/// connect, timeout, bad option — say nothing about trust).
const TLS_FAILURES: [i32; 4] = [
    35, // SSL connect error: the handshake failed
    51, // the peer's certificate or fingerprint was not OK (older curl: a name mismatch)
    60, // the peer's certificate cannot be authenticated with the known CA certificates
    77, // the CA file or directory cannot be read (e.g. SSL_CERT_FILE names no file): nothing is trusted
];

pub(super) fn check(spec: &ClientSpec, target: &Target, dir: &Path, limit: Duration) -> Verdict {
    let mut curl = command(spec, dir);
    curl.args(["--silent", "--show-error", "--output", "/dev/null"])
        .args(["--max-time", &NETWORK_TIMEOUT_SECS.to_string()])
        // Straight to loopback, whatever proxy the environment names.
        .args(["--noproxy", "*"]);
    if !target.is_ip() {
        curl.arg("--resolve").arg(format!("{}:{}:127.0.0.1", target.name, target.port));
    }
    curl.arg(target.url());
    let finished = match child::run(&mut curl, limit) {
        Ok(finished) => finished,
        Err(why) => return Verdict::Failed(why),
    };
    let Some(status) = finished.status else {
        return Verdict::Failed(format!("curl gave no answer within {} s", limit.as_secs()));
    };
    // curl's own line (`curl: (60) …`), not the advice paragraph some versions print after it.
    let reason = finished
        .stderr
        .lines()
        .find(|line| line.starts_with("curl: "))
        .or_else(|| last_line(&finished.stderr))
        .map(strip_prefix)
        .unwrap_or_default();
    match status.code() {
        Some(0) => Verdict::Accepted,
        Some(code) if TLS_FAILURES.contains(&code) => {
            Verdict::Refused(if reason.is_empty() { format!("curl exit status {code}") } else { reason })
        }
        code => Verdict::Failed(if reason.is_empty() {
            format!("curl failed (exit status {})", code.map_or("none".into(), |c| c.to_string()))
        } else {
            reason
        }),
    }
}

/// `curl: (60) SSL certificate problem: …` → `SSL certificate problem: …`.
fn strip_prefix(line: &str) -> String {
    let rest = line.strip_prefix("curl: ").unwrap_or(line);
    match rest.strip_prefix('(').and_then(|r| r.split_once(") ")) {
        Some((code, message)) if code.bytes().all(|b| b.is_ascii_digit()) => message.to_owned(),
        _ => rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_status_prefix_goes() {
        assert_eq!(
            super::strip_prefix("curl: (60) SSL certificate problem: self-signed certificate"),
            "SSL certificate problem: self-signed certificate"
        );
        assert_eq!(super::strip_prefix("curl: (7) Failed to connect"), "Failed to connect");
        assert_eq!(super::strip_prefix("something else"), "something else");
    }
}
