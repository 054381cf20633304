//! Firefox (NSS, `mozilla::pkix`), where it differs from the others: it refuses a CA certificate
//! as a server's own even when that certificate is trusted directly (Chrome accepts it).

use super::{Client, LEAF_FIX, Level, Rule, Subject};

pub(super) const RULES: &[Rule] = &[Rule {
    id: "firefox-ca-as-server",
    client: Client::Firefox,
    level: Level::Error,
    fix: LEAF_FIX,
    check: |s: &Subject<'_>| s.ca_as_server("Firefox shows MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY"),
}];
