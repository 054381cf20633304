//! `server-auth`: the extended key usage allows TLS servers.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::lint::allows_server_auth;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "server-auth";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let usages = info.extended_key_usage.as_deref();
    let finding = match allows_server_auth(usages) {
        Some(true) => Finding::ok(ID, "extended key usage includes serverAuth"),
        Some(false) => Finding::fail(
            ID,
            format!(
                "extended key usage is {} without serverAuth: clients refuse it for a server",
                usages.unwrap_or_default().join(", ")
            ),
            cx.gen_command(true),
        ),
        None => Finding::warn(
            ID,
            "no extended key usage: macOS and iOS require serverAuth in server certificates",
            cx.gen_command(true),
        ),
    };
    vec![finding.about(&cx.cert.path)]
}
