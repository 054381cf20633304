//! `files`: the certificate and the key exist and can be read.

use std::io::ErrorKind;

use super::Check;
use crate::doctor::context::{Loaded, Source};
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "files";

fn run(cx: &Context) -> Vec<Finding> {
    let force = cx.cert.path.exists() || cx.key.path.exists();
    [("certificate", &cx.cert), ("key", &cx.key)]
        .into_iter()
        .map(|(what, file)| one(cx, what, file, force))
        .collect()
}

fn one(cx: &Context, what: &str, file: &Loaded, force: bool) -> Finding {
    let path = file.path.display();
    let finding = match (&file.bytes, file.source) {
        (Ok(_), _) => Finding::ok(ID, format!("the {what} {path} is readable")),
        (Err(e), Source::Env(var)) if e.kind() == ErrorKind::NotFound => Finding::fail(
            ID,
            format!("{var} points at {path}, which does not exist"),
            format!("{}, then: eval \"$(tlsforge env)\"", cx.gen_command(force)),
        ),
        (Err(e), _) if e.kind() == ErrorKind::NotFound => {
            Finding::fail(ID, format!("no {what} at {path}"), cx.gen_command(force))
        }
        (Err(e), _) if e.kind() == ErrorKind::PermissionDenied => Finding::fail(
            ID,
            format!("cannot read the {what} {path}: permission denied"),
            format!("sudo chown \"$(id -un)\" {}", crate::text::shell_path(&file.path)),
        ),
        (Err(e), _) if e.kind() == ErrorKind::IsADirectory => Finding::fail(
            ID,
            format!("the {what} {path} is a directory, not a file"),
            format!("pass the file with --{}", if what == "key" { "key" } else { "cert" }),
        ),
        (Err(e), _) => {
            Finding::fail(ID, format!("cannot read the {what} {path}: {}", e.reason()), cx.gen_command(force))
        }
    };
    finding.about(&file.path)
}
