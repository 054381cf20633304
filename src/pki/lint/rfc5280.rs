//! What RFC 5280 asks that no client enforces yet: a warning, not an error.

use super::{Client, Level, Rule, Subject};

pub(super) const RULES: &[Rule] = &[Rule {
    id: "rfc5280-authority-key-id",
    client: Client::Rfc5280,
    level: Level::Warning,
    fix: "re-issue it with authorityKeyIdentifier=keyid (tlsforge gen writes it on every certificate)",
    check: |s: &Subject<'_>| {
        (!s.issued() && !s.cert.is_ca && s.layout().authority_key_id.is_none()).then(|| {
            "a self-signed leaf without an authority key identifier: RFC 5280 (4.2.1.1) exempts only a \
             CA's self-signed certificate; strict clients reject it once it is part of a chain"
                .to_owned()
        })
    },
}];
