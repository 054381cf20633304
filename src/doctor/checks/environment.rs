//! `environment`: `ENABLE_SSL` is unset, `true` or `false`, and `SSL_CERT_PATH` /
//! `SSL_KEY_PATH` point at the files checked.

use std::path::Path;

use super::Check;
use crate::config::{ENABLE_SSL, SSL_CERT_PATH, SSL_KEY_PATH};
use crate::doctor::context::{Loaded, Source};
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "environment";

fn run(cx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    match cx.env.enable_ssl.as_deref() {
        None => {}
        Some(value @ ("true" | "false")) => findings.push(Finding::ok(ID, format!("{ENABLE_SSL}={value}"))),
        Some(value) => findings.push(Finding::fail(
            ID,
            format!("{ENABLE_SSL}={value:?}: services read only true or false"),
            format!("export {ENABLE_SSL}=true   # or false for plain HTTP"),
        )),
    }
    let env_fix = format!("eval \"$(tlsforge env --cert {} --key {})\"", cx.cert_arg(), cx.key_arg());
    for (var, value, file) in
        [(SSL_CERT_PATH, &cx.env.ssl_cert_path, &cx.cert), (SSL_KEY_PATH, &cx.env.ssl_key_path, &cx.key)]
    {
        match value.as_deref() {
            None | Some("") => {
                if cx.env.enable_ssl.as_deref() == Some("true") {
                    findings.push(Finding::fail(
                        ID,
                        format!("{ENABLE_SSL}=true but {var} is not set: the service has no {}", what(var)),
                        env_fix.clone(),
                    ));
                }
            }
            Some(value) => findings.push(consistent(var, &cx.env.absolute(Path::new(value)), file, &env_fix)),
        }
    }
    findings
}

fn what(var: &str) -> &'static str {
    if var == SSL_KEY_PATH { "key" } else { "certificate" }
}

fn consistent(var: &'static str, points_at: &Path, file: &Loaded, fix: &str) -> Finding {
    if file.source == Source::Env(var) {
        return Finding::ok(ID, format!("{var} points at the {} checked", what(var)));
    }
    if points_at == file.path {
        Finding::ok(ID, format!("{var} points at the {} checked", what(var)))
    } else {
        Finding::warn(
            ID,
            format!(
                "{var} points at {}, but the {} checked is {}: the service loads another file",
                points_at.display(),
                what(var),
                file.path.display()
            ),
            fix.to_owned(),
        )
    }
}
