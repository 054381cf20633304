//! `lint`: the certificate and the CA certificates behind it (`--ca` or the local CA, and any
//! bundled after it) against the rules real clients enforce ([`crate::pki::lint`]). What a
//! check of its own already reports about the server certificate is left to it.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::describe::CertificateInfo;
use crate::pki::lint::{self, Level, Role};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "lint";

/// Rules on the server certificate that another doctor check decides, with the same predicate.
const LEFT_TO_OTHER_CHECKS: &[(&str, &str)] = &[
    ("apple-validity-825-days", "lifetime"),
    ("apple-server-auth", "server-auth"),
    ("apple-rsa-2048", "key-strength"),
    ("rustls-rsa-2048", "key-strength"),
    ("apple-sha2", "signature"),
    ("chrome-sha1", "signature"),
    ("rustls-sha1", "signature"),
    ("chrome-san-required", "san"),
    ("rustls-ca-as-server", "not-ca"),
    ("firefox-ca-as-server", "not-ca"),
];

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let mut findings: Vec<Finding> = lint::lint(info, Role::Served)
        .into_iter()
        .filter(|f| !LEFT_TO_OTHER_CHECKS.iter().any(|(id, _)| *id == f.id))
        .map(|f| finding(&f, ""))
        .collect();
    let issuer = cx.issuer().map(|ca| (ca.der.clone(), ca.path.display().to_string()));
    let bundled =
        cx.bundled.iter().enumerate().map(|(n, der)| (der.clone(), format!("certificate #{}", n + 1)));
    for (der, name) in bundled.chain(issuer) {
        let Ok((ca, _)) = CertificateInfo::from_der(&der) else { continue };
        let on = format!("{name} ({}): ", ca.subject);
        findings.extend(lint::lint(&ca, Role::Unknown).iter().map(|f| finding(f, &on)));
    }
    if findings.is_empty() {
        findings.push(Finding::ok(
            ID,
            "no client's rule is broken (Python 3.13+ strict, Apple, Chrome, rustls, Firefox)",
        ));
    }
    findings.into_iter().map(|f| f.about(&cx.cert.path)).collect()
}

fn finding(f: &lint::Finding, on: &str) -> Finding {
    let message = format!("{on}{}: {}", f.client.name(), f.message);
    match f.level {
        Level::Error => Finding::fail(f.id, message, f.fix),
        Level::Warning => Finding::warn(f.id, message, f.fix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_left_to_other_checks_exist_and_so_do_those_checks() {
        for (rule, check) in LEFT_TO_OTHER_CHECKS {
            assert!(lint::rule(rule).is_some(), "{rule}");
            assert!(super::super::REGISTRY.iter().any(|c| c.id == *check), "{check}");
        }
    }
}
