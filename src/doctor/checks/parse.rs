//! `parse`: the certificate file holds a certificate and the key file an unencrypted key.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::keyfile::KeyError;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "parse";

fn run(cx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    if cx.cert.bytes.is_ok() {
        findings.push(
            match (&cx.cert_der, &cx.info) {
                (Ok(_), Some(info)) => Finding::ok(ID, format!("the certificate parses ({})", info.subject)),
                (Err(why), _) => Finding::fail(
                    ID,
                    format!("{} holds no certificate: {why}", cx.cert.path.display()),
                    cx.gen_command(true),
                ),
                (Ok(_), None) => Finding::fail(
                    ID,
                    format!("{} holds a certificate that cannot be parsed", cx.cert.path.display()),
                    cx.gen_command(true),
                ),
            }
            .about(&cx.cert.path),
        );
    }
    if cx.key.bytes.is_ok() {
        let key = cx.key_arg();
        findings.push(
            match &cx.key_info {
                Ok(info) => Finding::ok(ID, format!("the key parses ({})", info.describe())),
                Err(KeyError::Encrypted) => Finding::fail(
                    ID,
                    format!(
                        "{} is encrypted: services read the key without a passphrase",
                        cx.key.path.display()
                    ),
                    format!("(umask 077; openssl pkey -in {key} -out {key}.plain) && mv {key}.plain {key}"),
                ),
                Err(e) => Finding::fail(ID, format!("{}: {e}", cx.key.path.display()), cx.gen_command(true)),
            }
            .about(&cx.key.path),
        );
    }
    findings
}
