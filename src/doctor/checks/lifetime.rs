//! `lifetime`: valid for at most 825 days, the longest Apple platforms accept, counted as
//! RFC 5280 counts (notBefore through notAfter inclusive; `pki::lint` decides).

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::lint::longer_than_apple_allows;
use crate::pki::validity::{MAX_DAYS, describe_lifetime, lifetime};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "lifetime";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let finding = if let Some(lifetime) = longer_than_apple_allows(info) {
        Finding::fail(
            ID,
            format!(
                "valid for {}: macOS and iOS reject server certificates valid for more than {MAX_DAYS} days",
                describe_lifetime(lifetime)
            ),
            cx.gen_command(true),
        )
    } else {
        let days = lifetime(info.not_before, info.not_after).whole_days();
        Finding::ok(ID, format!("valid for {days} days (at most {MAX_DAYS})"))
    };
    vec![finding.about(&cx.cert.path)]
}
