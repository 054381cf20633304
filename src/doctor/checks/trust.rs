//! `trust`: the trust anchor (the self-signed certificate itself, or its CA) is trusted in the
//! system store and in every NSS database found. Asks the stores through `trust --check`'s
//! probes; changes nothing.

use std::path::Path;

use super::Check;
use crate::doctor::{Context, Finding};
use crate::trust::certificate::{Certificate, Kind};
use crate::trust::machine::Machine;
use crate::trust::runner::{Elevation, Quiet, Runner};
use crate::trust::{self, Found, Selection, Store};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "trust";

fn run(cx: &Context) -> Vec<Finding> {
    let (Some(info), Ok(der)) = (&cx.info, &cx.cert_der) else { return Vec::new() };
    // What the stores must hold, and the `tlsforge trust` argument that adds it.
    let (anchor, argument) = if let Some(issuer) = cx.issuer() {
        let kind = if issuer.local { Kind::LocalCa } else { Kind::ForeignCa };
        let argument = if issuer.local { String::new() } else { format!(" {}", shell(&issuer.path)) };
        (Certificate::from_der(issuer.der.clone(), issuer.path.clone(), kind), argument)
    } else if info.self_signed && !info.is_ca {
        (
            Certificate::from_der(der.clone(), cx.cert.path.clone(), Kind::SelfSignedLeaf),
            format!(" {}", cx.cert_arg()),
        )
    } else {
        return Vec::new();
    };
    let Ok(anchor) = anchor else { return Vec::new() };
    let what = match anchor.kind {
        Kind::SelfSignedLeaf => "the self-signed certificate".to_owned(),
        Kind::LocalCa => "tlsforge's local CA".to_owned(),
        Kind::ForeignCa => format!("the CA {}", anchor.subject),
    };
    let machine = Machine::from_env();
    let mut quiet = Quiet;
    let runner = Runner::new(Elevation::for_machine(&machine), &mut quiet);
    trust::detect(&machine, &Selection::default())
        .iter()
        .filter_map(|found| match found {
            Found::Ready(backend) if matches!(backend.store(), Store::System | Store::Nss) => Some(backend),
            _ => None,
        })
        .map(|backend| {
            let store = backend.store().name();
            let location = backend.location();
            if runner.probe(&backend.check(&anchor)) {
                Finding::ok(ID, format!("{what} is trusted in the {store} store ({location})"))
            } else {
                Finding::warn(
                    ID,
                    format!("{what} is not trusted in the {store} store ({location}): clients using it say \"not secure\""),
                    format!("tlsforge trust{argument} --store {store}"),
                )
                .about(&cx.cert.path)
            }
        })
        .collect()
}

fn shell(path: &Path) -> String {
    crate::render::shell_path(path)
}
