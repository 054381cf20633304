//! `signature`: not signed with SHA-1 (or MD5), which browsers reject.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "signature";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let algorithm = &info.signature_algorithm;
    let lower = algorithm.to_ascii_lowercase();
    let finding = if lower.contains("sha1") || lower.contains("md5") || lower.contains("md2") {
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
