//! Firefox through WebDriver BiDi: a fresh profile holding copies of the NSS database under
//! test and a `user.js`, "WebDriver BiDi listening on ws://…" read from stderr, then
//! `session.new`, `browsingContext.navigate` (a certificate error comes back as an error naming
//! the `about:certerror` page and the NSS code), and the title through `script.evaluate`.

use std::fs;
use std::time::Instant;

use serde_json::{Value, json};

use super::process::Browser;
use super::profile::{Scratch, copy_nssdb, firefox_user_js};
use super::session::Session;
use super::{CLOSE_TIME, Launch, Visit, left};

pub(super) fn visit(launch: &Launch<'_>, url: &str, deadline: Instant) -> Result<Visit, String> {
    let scratch = Scratch::new("firefox")?;
    let profile = scratch.fresh_dir("profile")?;
    if let Some(nssdb) = launch.nssdb {
        copy_nssdb(nssdb, &profile)?;
    }
    let user_js = profile.join("user.js");
    fs::write(&user_js, firefox_user_js(launch.map_to_loopback))
        .map_err(|e| format!("cannot write {}: {e}", user_js.display()))?;
    let mut command = launch.command(&scratch.home());
    command
        .args(["--headless", "--no-remote", "--profile"])
        .arg(&profile)
        .args(["--remote-debugging-port", "0", "about:blank"])
        .env("MOZ_CRASHREPORTER_DISABLE", "1");
    let mut browser = Browser::spawn(command, "Firefox")?;
    let endpoint = browser.wait_for_line(
        |line| {
            let at = line.find("WebDriver BiDi listening on ")?;
            let url =
                line[at..].trim_start_matches("WebDriver BiDi listening on ").split_whitespace().next()?;
            Some(url.to_owned())
        },
        deadline,
    )?;
    let mut bidi = Session::connect(&format!("{}/session", endpoint.trim_end_matches('/')), deadline)?;
    let visit = navigate(&mut bidi, url, deadline);
    let close_by = Instant::now() + CLOSE_TIME.min(left(deadline));
    let _ = bidi.call("browser.close", json!({}), None, close_by);
    bidi.close(close_by);
    browser.wait_then_kill(close_by);
    drop(scratch);
    visit
}

fn navigate(bidi: &mut Session, url: &str, deadline: Instant) -> Result<Visit, String> {
    success(bidi.call("session.new", json!({"capabilities": {}}), None, deadline)?)?;
    let tree = success(bidi.call("browsingContext.getTree", json!({}), None, deadline)?)?;
    let context = tree
        .pointer("/contexts/0/context")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("Firefox has no browsing context: {tree}"))?
        .to_owned();
    let navigated = bidi.call(
        "browsingContext.navigate",
        json!({"context": context, "url": url, "wait": "complete"}),
        None,
        deadline,
    )?;
    if navigated.get("type").and_then(Value::as_str) == Some("error") {
        let message = navigated.get("message").and_then(Value::as_str).unwrap_or_default();
        return Ok(page_error(message));
    }
    let evaluated = success(bidi.call(
        "script.evaluate",
        json!({"expression": "document.title", "target": {"context": context}, "awaitPromise": false}),
        None,
        deadline,
    )?)?;
    if evaluated.get("type").and_then(Value::as_str) == Some("exception") {
        return Err(format!("Firefox could not read the page's title: {evaluated}"));
    }
    let title = evaluated.pointer("/result/value").and_then(Value::as_str).unwrap_or_default();
    Ok(Visit::Loaded { title: title.to_owned() })
}

/// A failed navigation's message: a refusal when it names an NSS code (Firefox ESR 153 says
/// `Error: NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT)`;
/// others name the error page, `about:certerror?e=nssBadCert&…&d=…SEC_ERROR_UNKNOWN_ISSUER…`)
/// or the certificate-error page; a failure without a verdict otherwise.
fn page_error(message: &str) -> Visit {
    if let Some(code) = nss_code(message) {
        return Visit::Refused(code.to_owned());
    }
    match error_page_kind(message) {
        Some(("certerror", kind) | ("neterror", kind @ "nssFailure2")) => Visit::Refused(kind.to_owned()),
        Some((_, kind)) => Visit::Failed(format!("Firefox could not load the page: {kind}")),
        None => Visit::Failed(format!("Firefox could not load the page: {}", clip(message))),
    }
}

/// The first `MOZILLA_PKIX_ERROR_…`, `SEC_ERROR_…` or `SSL_ERROR_…` in `text`.
fn nss_code(text: &str) -> Option<&str> {
    ["MOZILLA_PKIX_ERROR_", "SEC_ERROR_", "SSL_ERROR_"]
        .iter()
        .filter_map(|prefix| text.find(prefix))
        .min()
        .map(|start| {
            let rest = &text[start..];
            let end = rest.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
            &rest[..end.unwrap_or(rest.len())]
        })
}

/// `("certerror", "nssBadCert")` from `about:certerror?e=nssBadCert&…`.
fn error_page_kind(text: &str) -> Option<(&'static str, &str)> {
    for page in ["certerror", "neterror"] {
        if let Some(at) = text.find(&format!("about:{page}?e=")) {
            let rest = &text[at + "about:?e=".len() + page.len()..];
            let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            return Some((page, &rest[..end]));
        }
    }
    None
}

fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(300).collect();
    if clipped.len() < text.len() { format!("{clipped}…") } else { clipped }
}

/// The `result` of a successful BiDi answer, or its error.
fn success(mut answer: Value) -> Result<Value, String> {
    if answer.get("type").and_then(Value::as_str) == Some("error") {
        let error = answer.get("error").and_then(Value::as_str).unwrap_or("error");
        let message = answer.get("message").and_then(Value::as_str).unwrap_or_default();
        return Err(format!("Firefox answered {error}: {}", clip(message)));
    }
    match answer.get_mut("result").map(Value::take) {
        Some(result) => Ok(result),
        None => Err(format!("Firefox answered without a result: {answer}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_error_pages_give_their_nss_code() {
        assert_eq!(
            page_error(
                "Error: NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT)"
            ),
            Visit::Refused("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT".into())
        );
        let message = "Error: Reached error page: about:certerror?e=nssBadCert&u=https%3A//app.test%3A41011/\
                       &c=UTF-8&d=%20app.test%3A41011%20uses%20an%20invalid%20security%20certificate.%0A%0A\
                       The%20certificate%20is%20not%20trusted%20because%20it%20is%20self-signed.%0A%0A\
                       Error%20code%3A%20MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT%0A";
        assert_eq!(page_error(message), Visit::Refused("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT".into()));
        assert_eq!(
            page_error("Reached error page: about:certerror?e=nssBadCert&u=x&d=SEC_ERROR_UNKNOWN_ISSUER."),
            Visit::Refused("SEC_ERROR_UNKNOWN_ISSUER".into())
        );
        assert_eq!(
            page_error("Reached error page: about:certerror?e=nssBadCert&u=x"),
            Visit::Refused("nssBadCert".into())
        );
        assert_eq!(
            page_error("Reached error page: about:neterror?e=nssFailure2&d=SSL_ERROR_NO_CYPHER_OVERLAP"),
            Visit::Refused("SSL_ERROR_NO_CYPHER_OVERLAP".into())
        );
    }

    #[test]
    fn other_error_pages_are_no_verdict() {
        assert_eq!(
            page_error("Error: Reached error page: about:neterror?e=connectionFailure&u=https%3A//x/"),
            Visit::Failed("Firefox could not load the page: connectionFailure".into())
        );
        assert!(matches!(page_error("NS_ERROR_UNKNOWN_HOST"), Visit::Failed(_)));
    }

    #[test]
    fn answers_are_results_or_errors() {
        assert_eq!(success(json!({"type": "success", "id": 1, "result": {}})), Ok(json!({})));
        let err = success(json!({"type": "error", "id": 1, "error": "unknown error", "message": "boom"}));
        assert_eq!(err, Err("Firefox answered unknown error: boom".into()));
    }
}
