//! `san`: the certificate names its hosts in a subjectAltName (browsers ignore the CN).

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "san";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let names = cx.cert_names();
    let finding = if names.is_empty() {
        let mut wanted: Vec<String> = cx.hosts.iter().map(ToString::to_string).collect();
        if wanted.is_empty() {
            wanted.extend(common_name(&info.subject));
        }
        Finding::fail(
            ID,
            format!(
                "no subjectAltName: browsers and most clients ignore the subject's CN ({})",
                info.subject
            ),
            cx.gen_with(true, wanted),
        )
    } else {
        Finding::ok(ID, format!("subjectAltName: {}", info.alt_names.to_labelled().join(", ")))
    };
    vec![finding.about(&cx.cert.path)]
}

fn common_name(subject: &str) -> Option<String> {
    subject.split(',').map(str::trim).find_map(|part| part.strip_prefix("CN=")).map(str::to_owned)
}
