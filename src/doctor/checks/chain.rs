//! `chain`: the certificate's signature verifies against its issuer: itself when self-signed,
//! `--ca`, tlsforge's local CA, or the certificates that follow it in the same file (a full
//! chain, as certbot's `fullchain.pem`) up to a root the system trusts.

use x509_parser::prelude::{FromDer, X509Certificate};

use super::Check;
use crate::doctor::{Context, Finding};
use crate::text::plural;

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
    } else if let (Some(Ok(ca)), true) = (&cx.ca, cx.bundled.is_empty()) {
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
        through_the_file(cx, &leaf)
    };
    vec![finding.about(&cx.cert.path)]
}

/// A certificate from some other CA: follow the certificates after it in the file, each
/// issuing the one before, to a root among the system's.
fn through_the_file(cx: &Context, leaf: &X509Certificate<'_>) -> Finding {
    let file = cx.cert.path.display();
    let mut chain = vec![leaf.clone()];
    for (n, der) in cx.bundled.iter().enumerate() {
        let Ok((_, next)) = X509Certificate::from_der(der) else {
            return Finding::fail(
                ID,
                format!("certificate #{} in {file} does not parse", n + 1),
                "replace the file with the chain your CA issued",
            );
        };
        let below = chain.last().expect("the leaf is first");
        if next.subject().as_raw() != below.issuer().as_raw()
            || below.verify_signature(Some(next.public_key())).is_err()
        {
            return Finding::fail(
                ID,
                format!(
                    "certificate #{} in {file} ({}) did not issue the one before it ({}): clients \
                     that build the chain from the file in order refuse it",
                    n + 1,
                    next.subject(),
                    below.subject()
                ),
                "put the leaf first, then each issuer in order (certbot's fullchain.pem is in order)",
            );
        }
        chain.push(next);
    }
    let top = chain.last().expect("the leaf is first");
    let ends_at = anchors(cx).into_iter().find_map(|(der, what)| {
        let (_, anchor) = X509Certificate::from_der(der).ok()?;
        let issued = anchor.subject().as_raw() == top.issuer().as_raw()
            && top.verify_signature(Some(anchor.public_key())).is_ok();
        issued.then(|| format!("{} ({what})", anchor.subject()))
    });
    match (ends_at, chain.len()) {
        (Some(anchor), 1) => Finding::ok(ID, format!("issued by {anchor}; the signature verifies")),
        (Some(anchor), n) => Finding::ok(
            ID,
            format!(
                "issued by {} ({} in the file), which chains to {anchor}",
                leaf.issuer(),
                plural(n - 1, "intermediate")
            ),
        ),
        (None, 1) => Finding::warn(
            ID,
            format!(
                "issued by {}, which is neither --ca, tlsforge's local CA nor a root this system \
                 trusts, and {file} holds no intermediate: clients that do not already have the \
                 intermediate refuse it",
                leaf.issuer()
            ),
            "use the full chain your CA issued (certbot: fullchain.pem, not cert.pem), or pass the \
             issuer's certificate: --ca ISSUER.crt",
        ),
        (None, n) => Finding::warn(
            ID,
            format!(
                "the chain in {file} ({} after the certificate) ends at {}, which is neither --ca, \
                 tlsforge's local CA nor a root this system trusts: clients refuse it unless they \
                 trust that root",
                plural(n - 1, "certificate"),
                top.issuer()
            ),
            "trust that root (tlsforge trust ROOT.crt), or pass it: --ca ROOT.crt",
        ),
    }
}

/// Where a chain may end: `--ca`, the local CA, the system's roots; each with what it is.
fn anchors(cx: &Context) -> Vec<(&[u8], String)> {
    let given = cx.ca.iter().filter_map(|ca| ca.as_ref().ok()).chain(cx.local_ca.as_ref()).map(|ca| {
        let what =
            if ca.local { "tlsforge's local CA".to_owned() } else { format!("--ca {}", ca.path.display()) };
        (ca.der.as_slice(), what)
    });
    let system = cx.system_roots().iter().map(|der| (der.as_slice(), "a root this system trusts".to_owned()));
    given.chain(system).collect()
}
