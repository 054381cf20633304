//! Apple platforms (macOS 10.15+, iOS 13+) on TLS server certificates issued after 2019-07-01,
//! locally trusted roots included: at most 825 days, serverAuth, RSA of 2048 bits or more, SHA-2.

use time::macros::datetime;

use super::{Client, KEY_FIX, Level, Rule, SHA2_FIX, Subject, allows_server_auth, longer_than_apple_allows};
use crate::pki::validity::{MAX_DAYS, describe_lifetime};

/// Apple's rules bind certificates whose notBefore is on or after this day.
const SINCE: time::OffsetDateTime = datetime!(2019-07-01 00:00 UTC);

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "apple-validity-825-days",
        client: Client::Apple,
        level: Level::Error,
        fix: "re-issue it valid for at most 825 days (tlsforge gen --days 825 is exactly that)",
        check: |s: &Subject<'_>| {
            let lifetime =
                longer_than_apple_allows(s.cert).filter(|_| s.served && s.cert.not_before >= SINCE)?;
            Some(format!(
                "valid for {} (notBefore through notAfter, both included, as RFC 5280 counts): macOS and \
                 iOS reject server certificates valid for more than {MAX_DAYS} days",
                describe_lifetime(lifetime)
            ))
        },
    },
    Rule {
        id: "apple-server-auth",
        client: Client::Apple,
        level: Level::Error,
        fix: "re-issue it with extendedKeyUsage=serverAuth (tlsforge gen always writes it)",
        check: |s: &Subject<'_>| {
            if !s.served || s.cert.not_before < SINCE {
                return None;
            }
            match allows_server_auth(s.cert.extended_key_usage.as_deref()) {
                Some(true) => None,
                Some(false) => Some(
                    "its extended key usage lacks serverAuth: macOS and iOS refuse it for a server"
                        .to_owned(),
                ),
                None => Some(
                    "no extended key usage: macOS and iOS require serverAuth in server certificates"
                        .to_owned(),
                ),
            }
        },
    },
    Rule {
        id: "apple-rsa-2048",
        client: Client::Apple,
        level: Level::Error,
        fix: KEY_FIX,
        check: |s: &Subject<'_>| s.small_key("macOS and iOS refuse RSA keys under 2048 bits"),
    },
    Rule {
        id: "apple-sha2",
        client: Client::Apple,
        level: Level::Error,
        fix: SHA2_FIX,
        check: |s: &Subject<'_>| s.weak_signature("macOS and iOS accept only SHA-2 signatures"),
    },
];
