//! `chain`: the certificate's signature verifies against its issuer: itself when self-signed,
//! `--ca`, or tlsforge's local CA.

use x509_parser::prelude::{FromDer, X509Certificate};

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "chain";

fn run(cx: &Context) -> Vec<Finding> {
    let (Some(info), Ok(der)) = (&cx.info, &cx.cert_der) else { return Vec::new() };
    let Ok((_, leaf)) = X509Certificate::from_der(der) else { return Vec::new() };
    let finding = if let Some(Err(why)) = &cx.ca {
        Finding::fail(ID, why.clone(), "pass the CA's certificate (PEM or DER) to --ca")
    } else if let Some(issuer) = cx.issuer() {
        let from = if issuer.local {
            format!("tlsforge's local CA ({})", issuer.path.display())
        } else {
            format!("--ca {}", issuer.path.display())
        };
        let verified = X509Certificate::from_der(&issuer.der)
            .is_ok_and(|(_, ca)| leaf.verify_signature(Some(ca.public_key())).is_ok());
        if verified {
            Finding::ok(ID, format!("issued by {from}; the signature verifies"))
        } else {
            Finding::fail(ID, format!("the signature does not verify against {from}"), cx.gen_command(true))
        }
    } else if info.self_signed {
        if leaf.verify_signature(None).is_ok() {
            Finding::ok(ID, "self-signed; the signature verifies")
        } else {
            Finding::fail(ID, "self-signed, but the signature does not verify", cx.gen_command(true))
        }
    } else if let Some(Ok(ca)) = &cx.ca {
        Finding::fail(
            ID,
            format!(
                "--ca {} did not issue the certificate (its issuer is {})",
                ca.path.display(),
                info.issuer
            ),
            "pass the CA that issued it to --ca",
        )
    } else {
        Finding::warn(
            ID,
            format!("issued by {}, which is neither --ca nor tlsforge's local CA", info.issuer),
            "pass the issuer's certificate: --ca ISSUER.crt",
        )
    };
    vec![finding.about(&cx.cert.path)]
}
