//! `cert-permissions`: the certificate is readable by a service running as another user.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "cert-permissions";

#[cfg(unix)]
fn run(cx: &Context) -> Vec<Finding> {
    use std::os::unix::fs::MetadataExt;

    let Ok(meta) = std::fs::metadata(&cx.cert.path) else { return Vec::new() };
    if !meta.is_file() || cx.cert.bytes.is_err() {
        return Vec::new();
    }
    let mode = meta.mode() & 0o777;
    let finding = if mode & 0o044 == 0 {
        Finding::warn(
            ID,
            format!(
                "only the owner can read the certificate (mode {mode:04o}): a service running as another user cannot"
            ),
            format!("chmod 644 {}", cx.cert_arg()),
        )
    } else {
        Finding::ok(ID, format!("the certificate is readable by services (mode {mode:04o})"))
    };
    vec![finding.about(&cx.cert.path)]
}

#[cfg(not(unix))]
fn run(_: &Context) -> Vec<Finding> {
    Vec::new()
}
