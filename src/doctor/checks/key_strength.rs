//! `key-strength`: RSA keys have at least 2048 bits.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::lint::{MIN_RSA_BITS, key_too_small};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "key-strength";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let finding = if key_too_small(&info.key) {
        Finding::fail(
            ID,
            format!("a {} key: clients refuse keys under {MIN_RSA_BITS} bits", info.key.describe()),
            cx.gen_command(true),
        )
    } else {
        Finding::ok(ID, format!("key: {}", info.key.describe()))
    };
    vec![finding.about(&cx.cert.path)]
}
