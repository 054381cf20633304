//! `key-permissions`: only its owner, the current user, can read the private key.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "key-permissions";

#[cfg(unix)]
fn run(cx: &Context) -> Vec<Finding> {
    use std::os::unix::fs::MetadataExt;

    let Ok(meta) = std::fs::metadata(&cx.key.path) else { return Vec::new() };
    if !meta.is_file() {
        return Vec::new();
    }
    let key = cx.key_arg();
    let mode = meta.mode() & 0o777;
    let uid = rustix::process::geteuid().as_raw();
    let finding = if mode & 0o077 != 0 {
        Finding::fail(
            ID,
            format!(
                "the key {} is readable by {} (mode {mode:04o}): anyone on the machine can impersonate the server",
                cx.key.path.display(),
                if mode & 0o007 != 0 { "others" } else { "its group" }
            ),
            format!("chmod 600 {key}"),
        )
    } else if meta.uid() != uid {
        Finding::fail(
            ID,
            format!(
                "the key {} belongs to uid {}, not to you (uid {uid})",
                cx.key.path.display(),
                meta.uid()
            ),
            format!("sudo chown \"$(id -un)\" {key}"),
        )
    } else {
        Finding::ok(ID, format!("the key is private to you (mode {mode:04o})"))
    };
    vec![finding.about(&cx.key.path)]
}

#[cfg(not(unix))]
fn run(_: &Context) -> Vec<Finding> {
    Vec::new()
}
