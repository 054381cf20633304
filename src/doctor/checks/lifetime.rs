//! `lifetime`: valid for at most 825 days, the longest Apple platforms accept, counted as
//! RFC 5280 counts (notBefore through notAfter inclusive).

use time::Duration;

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::validity::{MAX_DAYS, describe_lifetime, lifetime};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "lifetime";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let lifetime = lifetime(info.not_before, info.not_after);
    let finding = if lifetime > Duration::days(i64::from(MAX_DAYS)) {
        Finding::fail(
            ID,
            format!(
                "valid for {}: macOS and iOS reject server certificates valid for more than {MAX_DAYS} days",
                describe_lifetime(lifetime)
            ),
            cx.gen_command(true),
        )
    } else {
        Finding::ok(ID, format!("valid for {} days (at most {MAX_DAYS})", lifetime.whole_days()))
    };
    vec![finding.about(&cx.cert.path)]
}
