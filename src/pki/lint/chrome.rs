//! Chrome (58+): names only from subjectAltName, never the Common Name; no SHA-1 signatures.
//! (Its 398-day limit binds publicly trusted CAs only, not locally added roots.)

use super::{Client, Level, Rule, SHA2_FIX, Subject};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "chrome-san-required",
        client: Client::Chrome,
        level: Level::Error,
        fix: "re-issue it with every host name and IP address in subjectAltName (tlsforge gen NAME...)",
        check: |s: &Subject<'_>| {
            (s.served && !s.names_hosts()).then(|| {
                "no DNS name or IP address in subjectAltName: Chrome (like Apple and rustls) matches hosts \
                 only there and ignores the subject's Common Name"
                    .to_owned()
            })
        },
    },
    Rule {
        id: "chrome-sha1",
        client: Client::Chrome,
        level: Level::Error,
        fix: SHA2_FIX,
        check: |s: &Subject<'_>| s.weak_signature("Chrome rejects SHA-1 signatures"),
    },
];
