//! `half-written`: no write of the key and certificate, or of the local CA, was interrupted
//! half-way. A tlsforge killed between renaming the new key and the new certificate into
//! place leaves a journal; until the next tlsforge command that reads the pair completes it,
//! the key may not belong to the certificate. Doctor only reports it: it writes nothing.

use super::Check;
use crate::doctor::{Context, Finding};
use crate::fsutil::FileSet;

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "half-written";

fn run(cx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Every command that uses the local CA completes its writes first; doctor, which writes
    // nothing, names an interrupted one.
    if let Some(journal) = cx.ca_dir.files().torn() {
        findings.push(
            Finding::fail(
                ID,
                format!(
                    "replacing the local CA in {} was interrupted half-way ({} records it): its key may not belong to its certificate",
                    cx.ca_dir.path().display(),
                    journal.display()
                ),
                "complete it: tlsforge ca show (every command that uses the CA finishes the interrupted write first)",
            )
            .about(&journal),
        );
    }
    if let Some(journal) = FileSet::pair(&cx.key.path, &cx.cert.path).and_then(|set| set.torn()) {
        findings.push(
            Finding::fail(
                ID,
                format!(
                    "writing {} and {} was interrupted half-way ({} records it): the key may not belong to the certificate",
                    cx.key.path.display(),
                    cx.cert.path.display(),
                    journal.display()
                ),
                format!(
                    "complete it: {} (it finishes the interrupted write first, then stops as the files exist), or any tlsforge command that reads the pair",
                    cx.gen_command(false)
                ),
            )
            .about(&journal),
        );
    }
    findings
}
