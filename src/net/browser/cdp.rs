//! Chromium through the DevTools protocol: start it with the NSS database under test at
//! `HOME/.pki/nssdb` (the legacy path, which every Chromium version reads when it exists), read
//! "DevTools listening on ws://…" from stderr, open a tab, navigate, and read the verdict from
//! `Page.navigate`'s `errorText` or, once loaded, the page's title.

use std::time::Instant;

use serde_json::{Value, json};

use super::process::Browser;
use super::profile::{Scratch, copy_nssdb};
use super::session::Session;
use super::{CLOSE_TIME, Launch, Visit, left};

/// Resolves once the document has loaded, with its title.
const TITLE_WHEN_LOADED: &str = r#"new Promise((resolve) => {
  const done = () => resolve(document.title);
  if (document.readyState === "complete") done(); else window.addEventListener("load", done);
})"#;

pub(super) fn visit(launch: &Launch<'_>, url: &str, deadline: Instant) -> Result<Visit, String> {
    let scratch = Scratch::new("chromium")?;
    let home = scratch.home();
    // Without one, Chromium makes a fresh database where its version keeps it (in the HOME).
    if let Some(nssdb) = launch.nssdb {
        copy_nssdb(nssdb, &home.join(".pki/nssdb"))?;
    }
    let user_data = scratch.fresh_dir("user-data")?;
    let mut command = launch.command(&home);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--disable-quic",
        // Straight to loopback whatever proxy the environment names; no keyring on the desktop.
        "--no-proxy-server",
        "--password-store=basic",
        "--remote-debugging-port=0",
    ]);
    command.arg(format!("--user-data-dir={}", user_data.display()));
    if let Some(name) = launch.map_to_loopback {
        command.arg(format!("--host-resolver-rules=MAP {name} 127.0.0.1"));
    }
    command.arg("about:blank");
    let mut browser = Browser::spawn(command, "Chromium")?;
    let endpoint = browser.wait_for_line(
        |line| line.strip_prefix("DevTools listening on ").map(|url| url.trim().to_owned()),
        deadline,
    )?;
    let mut cdp = Session::connect(&endpoint, deadline)?;
    let visit = navigate(&mut cdp, url, deadline);
    let close_by = Instant::now() + CLOSE_TIME.min(left(deadline));
    let _ = cdp.call("Browser.close", json!({}), None, close_by);
    cdp.close(close_by);
    browser.wait_then_kill(close_by);
    drop(scratch);
    visit
}

fn navigate(cdp: &mut Session, url: &str, deadline: Instant) -> Result<Visit, String> {
    let created = result(cdp.call("Target.createTarget", json!({"url": "about:blank"}), None, deadline)?)?;
    let target = text(&created, "targetId")?;
    let attached = result(cdp.call(
        "Target.attachToTarget",
        json!({"targetId": target, "flatten": true}),
        None,
        deadline,
    )?)?;
    let session = text(&attached, "sessionId")?;
    let navigated = result(cdp.call("Page.navigate", json!({"url": url}), Some(&session), deadline)?)?;
    if let Some(error) = navigated.get("errorText").and_then(Value::as_str).filter(|e| !e.is_empty()) {
        return Ok(if is_tls_error(error) {
            Visit::Refused(error.to_owned())
        } else {
            Visit::Failed(format!("Chromium could not load the page: {error}"))
        });
    }
    let evaluated = result(cdp.call(
        "Runtime.evaluate",
        json!({"expression": TITLE_WHEN_LOADED, "awaitPromise": true, "returnByValue": true}),
        Some(&session),
        deadline,
    )?)?;
    if let Some(details) = evaluated.get("exceptionDetails") {
        return Err(format!("Chromium could not read the page's title: {details}"));
    }
    let title = evaluated.pointer("/result/value").and_then(Value::as_str).unwrap_or_default();
    Ok(Visit::Loaded { title: title.to_owned() })
}

/// Chromium's certificate and TLS errors: `net::ERR_CERT_…`, `net::ERR_SSL_…`,
/// `net::ERR_BAD_SSL_CLIENT_AUTH_CERT`, `net::ERR_INSECURE_RESPONSE`.
fn is_tls_error(error: &str) -> bool {
    error.contains("CERT") || error.contains("SSL") || error == "net::ERR_INSECURE_RESPONSE"
}

/// The `result` of a CDP answer, or its error's message.
fn result(mut answer: Value) -> Result<Value, String> {
    if let Some(error) = answer.get("error") {
        let message = error.get("message").and_then(Value::as_str).unwrap_or("an error");
        return Err(format!("Chromium answered: {message}"));
    }
    match answer.get_mut("result").map(Value::take) {
        Some(result) => Ok(result),
        None => Err(format!("Chromium answered without a result: {answer}")),
    }
}

fn text(value: &Value, field: &str) -> Result<String, String> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("Chromium's answer has no {field}: {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_are_told_from_other_failures() {
        assert!(is_tls_error("net::ERR_CERT_AUTHORITY_INVALID"));
        assert!(is_tls_error("net::ERR_CERT_COMMON_NAME_INVALID"));
        assert!(is_tls_error("net::ERR_SSL_PROTOCOL_ERROR"));
        assert!(!is_tls_error("net::ERR_CONNECTION_REFUSED"));
        assert!(!is_tls_error("net::ERR_NAME_NOT_RESOLVED"));
    }

    #[test]
    fn answers_are_results_or_errors() {
        assert_eq!(result(json!({"id": 1, "result": {"a": 1}})), Ok(json!({"a": 1})));
        let err = result(json!({"id": 1, "error": {"code": -32000, "message": "No target"}})).unwrap_err();
        assert!(err.contains("No target"), "{err}");
        assert!(result(json!({"id": 1})).is_err());
    }
}
