//! `tlsforge inspect`'s parsing entry point: whatever bytes a file, stdin or a server hands us
//! must give items or reasons, never a panic. Also the command-line parsers of `inspect`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsforge::pki::content::{self, Content, Found, PrivateKey};

fuzz_target!(|data: &[u8]| {
    if let Content::Items(items) = content::parse(data) {
        let now = time::OffsetDateTime::now_utc();
        for item in items {
            match item {
                Ok(Found::Certificate(cert)) => {
                    let _ = (cert.days_remaining(now), cert.standing(now, Some(time::Duration::days(30))));
                    let _ = (cert.alt_names.to_labelled(), cert.key.describe());
                }
                Ok(Found::Csr(csr)) => {
                    let _ = (csr.alt_names.to_labelled(), csr.key.describe());
                }
                Ok(Found::PrivateKey(PrivateKey::Readable(key))) => {
                    let _ = (key.describe(), key.matches_public_key(data));
                }
                Ok(Found::PrivateKey(PrivateKey::Encrypted)) | Err(_) => {}
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tlsforge::commands::inspect::parse_window(text);
        let _ = tlsforge::net::connect::Target::parse(text);
    }
});
