//! `key-strength`: RSA keys have at least 2048 bits.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::keyfile::KeyAlgo;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "key-strength";
const MIN_RSA_BITS: usize = 2048;

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let weak = matches!(info.key.algorithm, KeyAlgo::Rsa | KeyAlgo::RsaPss | KeyAlgo::Dsa)
        && info.key.bits.is_some_and(|bits| bits < MIN_RSA_BITS);
    let finding = if weak {
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
