//! `key-match`: the key belongs to the certificate.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "key-match";

fn run(cx: &Context) -> Vec<Finding> {
    let (Some(info), Ok(key)) = (&cx.info, &cx.key_info) else { return Vec::new() };
    let finding = match key.matches_public_key(info.subject_public_key()) {
        Some(true) => Finding::ok(ID, "the key belongs to the certificate"),
        Some(false) => Finding::fail(
            ID,
            format!(
                "the key {} does not belong to the certificate {}: TLS servers refuse to start",
                cx.key.path.display(),
                cx.cert.path.display()
            ),
            format!("pass the matching --key, or make a new pair: {}", cx.gen_command(true)),
        ),
        None => Finding::warn(
            ID,
            "the key file does not carry its public half, so it cannot be matched",
            format!(
                "compare: openssl pkey -in {} -pubout; openssl x509 -in {} -noout -pubkey",
                cx.key_arg(),
                cx.cert_arg()
            ),
        ),
    };
    vec![finding.about(&cx.key.path)]
}
