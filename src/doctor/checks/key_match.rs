//! `key-match`: the key belongs to the certificate and works with it (a test signature that
//! the certificate's public key verifies: a damaged private part with an intact public half
//! matches, yet every handshake fails).

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::proof::{self, Proof};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "key-match";

fn run(cx: &Context) -> Vec<Finding> {
    let (Some(info), Ok(key), Ok(bytes)) = (&cx.info, &cx.key_info, &cx.key.bytes) else { return Vec::new() };
    let proof = proof::proves_pem(&String::from_utf8_lossy(bytes), info.subject_public_key());
    let finding = match (key.matches_public_key(info.subject_public_key()), proof) {
        (Some(false), _) => Finding::fail(
            ID,
            format!(
                "the key {} does not belong to the certificate {}: TLS servers refuse to start",
                cx.key.path.display(),
                cx.cert.path.display()
            ),
            format!("pass the matching --key, or make a new pair: {}", cx.gen_command(true)),
        ),
        (_, Err(reason)) => Finding::fail(
            ID,
            format!(
                "the key {} does not work with the certificate {}: {reason}; every handshake fails",
                cx.key.path.display(),
                cx.cert.path.display()
            ),
            format!("make a new pair: {}", cx.gen_command(true)),
        ),
        (Some(true), _) | (None, Ok(Proof::Proven)) => Finding::ok(ID, "the key belongs to the certificate"),
        (None, Ok(Proof::Untested)) => Finding::warn(
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
