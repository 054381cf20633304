//! `local-ca-private`: the local CA's directory and key are the user's alone. Whoever else can
//! write the directory can swap the CA every device trusts; whoever can read the key can sign
//! for any name it permits. Every command that uses the CA refuses it then; doctor says so
//! before one does, with the same fix.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::error::Error;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "local-ca-private";

fn run(cx: &Context) -> Vec<Finding> {
    if cx.local_ca.is_none() {
        return Vec::new();
    }
    let about = cx.ca_dir.path().to_path_buf();
    let finding = match cx.ca_dir.check_private(true) {
        Ok(()) => Finding::ok(ID, format!("the local CA in {} is private to you", about.display())),
        Err(err) => {
            let (message, fix) = match err.downcast_ref::<Error>() {
                Some(e) => (e.to_string(), e.hint_text().unwrap_or_default().to_owned()),
                None => (format!("{err:#}"), String::new()),
            };
            Finding::fail(ID, message, fix)
        }
    };
    vec![finding.about(about)]
}
