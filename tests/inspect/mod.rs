//! `tlsforge inspect`: certificates from `tlsforge gen` and from openssl, checked field by
//! field against what `openssl x509` prints; every exit status; JSON read back through
//! `deny_unknown_fields` structs; stdin; bad input; live handshakes with `openssl s_server`; and
//! `--lint` against the clients that enforce each rule.

use std::path::Path;

mod bad_input;
mod bundles;
mod certificates;
mod colour;
mod directories;
mod exit_status;
mod json;
mod keys_and_requests;
mod lint;
mod live_servers;
mod openssl;
mod stdin;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}
