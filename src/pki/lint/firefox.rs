//! Firefox (NSS, `mozilla::pkix`), where it differs from the others: it refuses a CA certificate
//! as a server's own even when that certificate is trusted directly (Chrome accepts it).

use super::{Client, Level, Rule, Subject};

pub(super) const RULES: &[Rule] = &[Rule {
    id: "firefox-ca-as-server",
    client: Client::Firefox,
    level: Level::Error,
    fix: "serve a leaf issued by the CA instead (tlsforge gen --ca NAME...), and trust the CA",
    check: |s: &Subject<'_>| {
        (s.served && s.cert.is_ca).then(|| {
            "a CA certificate used as a server's certificate: Firefox shows \
             MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY"
                .to_owned()
        })
    },
}];
