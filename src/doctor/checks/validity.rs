//! `validity`: valid now, and for at least `--min-days` more days.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::format;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "validity";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let days = info.days_remaining(cx.now);
    let until = format::date(info.not_after);
    let finding = if info.not_before > cx.now {
        Finding::fail(
            ID,
            format!(
                "the certificate is not valid until {} (check the clock)",
                format::rfc3339(info.not_before)
            ),
            cx.gen_command(true),
        )
    } else if info.not_after < cx.now {
        Finding::fail(ID, format!("the certificate expired on {until}"), cx.gen_command(true))
    } else if days < i64::from(cx.min_days) {
        Finding::warn(
            ID,
            format!("the certificate expires in {days} days, on {until} (--min-days {})", cx.min_days),
            cx.gen_command(true),
        )
    } else {
        Finding::ok(ID, format!("valid until {until} ({days} days)"))
    };
    vec![finding.about(&cx.cert.path)]
}
