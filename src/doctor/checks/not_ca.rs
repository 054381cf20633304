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
        // Into the current directory: next to the CA's own files, gen would replace them.
        let fix = format!(
            "tlsforge gen --ca {}, then serve server.crt and server.key",
            names
                .iter()
                .map(|n| crate::text::shell_path(std::path::Path::new(n)))
                .collect::<Vec<_>>()
                .join(" ")
        );
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
