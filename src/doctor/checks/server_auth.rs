//! `server-auth`: the extended key usage allows TLS servers.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "server-auth";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let finding = match &info.extended_key_usage {
        Some(usages) if usages.iter().any(|u| u == "serverAuth" || u == "anyExtendedKeyUsage") => {
            Finding::ok(ID, "extended key usage includes serverAuth")
        }
        Some(usages) => Finding::fail(
            ID,
            format!(
                "extended key usage is {} without serverAuth: clients refuse it for a server",
                usages.join(", ")
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
