//! `trust`: the trust anchor (the self-signed certificate itself, or its CA) is trusted by every
//! client of the system store and of every NSS database found (each browser by its own rules):
//! the verdicts of `trust --check`. Changes nothing.

use std::path::Path;

use super::Check;
use crate::doctor::{Context, Finding};
use crate::pki::issuer::{self, Anchor};
use crate::trust::certificate::{Certificate, Kind};
use crate::trust::read::Live;
use crate::trust::{self, Found, Selection, Store};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "trust";

fn run(cx: &Context) -> Vec<Finding> {
    let (Some(_), Ok(der)) = (&cx.info, &cx.cert_der) else { return Vec::new() };
    // What the stores must hold, and the `tlsforge trust` argument that adds it.
    let given = cx.ca.as_ref().and_then(|ca| ca.as_ref().ok());
    let local = cx.local_ca.as_ref();
    let issuer =
        match issuer::anchor(der, given.map(|ca| ca.der.as_slice()), local.map(|ca| ca.der.as_slice())) {
            Some(Anchor::Given) => given,
            Some(Anchor::LocalCa) => local,
            Some(Anchor::Itself { ca: false }) => None,
            _ => return Vec::new(),
        };
    let (anchor, argument) = match issuer {
        Some(issuer) => {
            let kind = if issuer.local { Kind::LocalCa } else { Kind::ForeignCa };
            let argument = if issuer.local { String::new() } else { format!(" {}", shell(&issuer.path)) };
            (Certificate::from_der(issuer.der.clone(), issuer.path.clone(), kind), argument)
        }
        None => (
            Certificate::from_der(der.clone(), cx.cert.path.clone(), Kind::SelfSignedLeaf),
            format!(" {}", cx.cert_arg()),
        ),
    };
    let Ok(anchor) = anchor else { return Vec::new() };
    let what = match anchor.kind {
        Kind::SelfSignedLeaf => "the self-signed certificate".to_owned(),
        Kind::LocalCa => "tlsforge's local CA".to_owned(),
        Kind::ForeignCa => format!("the CA {}", anchor.subject),
    };
    let machine = &cx.env.machine;
    let mut findings = Vec::new();
    for found in trust::detect(machine, &Selection::default()) {
        let Found::Ready(backend) = found else { continue };
        if !matches!(backend.store(), Store::System | Store::Nss) {
            continue;
        }
        let store = backend.store().name();
        for verdict in backend.verdicts(&anchor, &Live) {
            let client = &verdict.name;
            findings.push(if verdict.trusted() {
                Finding::ok(ID, format!("{what} is trusted by {client} ({})", verdict.path))
            } else {
                Finding::warn(
                    ID,
                    format!(
                        "{what} is not trusted by {client} ({}: {}): it says \"not secure\"",
                        verdict.path, verdict.reason
                    ),
                    format!("tlsforge trust{argument} --store {store}"),
                )
                .about(&cx.cert.path)
            });
        }
    }
    findings
}

fn shell(path: &Path) -> String {
    crate::text::shell_path(path)
}
