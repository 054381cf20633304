//! `signature`: not signed with SHA-1 (or MD5), which browsers reject.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::lint::weak_signature;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "signature";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let algorithm = &info.signature_algorithm;
    let finding = if weak_signature(algorithm) {
        Finding::fail(
            ID,
            format!("signed with {algorithm}: browsers reject SHA-1 and MD5 signatures"),
            cx.gen_command(true),
        )
    } else {
        Finding::ok(ID, format!("signed with {algorithm}"))
    };
    vec![finding.about(&cx.cert.path)]
}
