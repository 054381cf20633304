//! `not-ca`: the server certificate is not a CA certificate.

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "not-ca";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let finding = if info.is_ca {
        let mut names = cx.hosts.iter().map(ToString::to_string).collect::<Vec<_>>();
        if names.is_empty() {
            names = cx.cert_names();
        }
        let fix = cx.gen_line(true, true, names);
        Finding::fail(
            ID,
            "a CA certificate (basicConstraints CA:TRUE) is used as the server certificate: browsers \
             reject it; issue a server certificate from the CA instead",
            fix,
        )
    } else {
        Finding::ok(ID, "not a CA certificate")
    };
    vec![finding.about(&cx.cert.path)]
}
