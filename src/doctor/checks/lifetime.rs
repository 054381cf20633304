//! `lifetime`: valid for at most 825 days, the longest Apple platforms accept.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::validity::MAX_DAYS;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "lifetime";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let days = (info.not_after - info.not_before).whole_days();
    let finding = if days > i64::from(MAX_DAYS) {
        Finding::fail(
            ID,
            format!(
                "valid for {days} days: macOS and iOS reject server certificates valid for more than {MAX_DAYS}"
            ),
            cx.gen_command(true),
        )
    } else {
        Finding::ok(ID, format!("valid for {days} days (at most {MAX_DAYS})"))
    };
    vec![finding.about(&cx.cert.path)]
}
