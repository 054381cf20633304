//! NSS trust flags (the SSL column of `certutil -t`), and what each browser makes of them.
//!
//! Chromium and Firefox read the same flags with different rules. Measured in headless
//! Chromium 156 and Firefox ESR 153 on Debian 12, loading `https://localhost` (tests/browsers.rs
//! keeps these facts true):
//!
//! | certificate        | flags  | Chromium                    | Firefox                               |
//! |--------------------|--------|-----------------------------|---------------------------------------|
//! | self-signed leaf   | `P,,`  | loads                       | `MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT` |
//! | self-signed leaf   | `C,,`  | `ERR_CERT_INVALID`          | loads                                 |
//! | self-signed leaf   | `CP,,` | loads                       | loads                                 |
//! | self-signed leaf   | `Cp,,` | `ERR_CERT_INVALID`          | `MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT` |
//! | CA (issuing leaf)  | `C,,`  | loads                       | loads                                 |
//! | CA (issuing leaf)  | `P,,`  | `ERR_CERT_AUTHORITY_INVALID`| `SEC_ERROR_UNTRUSTED_ISSUER`          |
//!
//! Chromium wants a self-signed leaf to be a trusted peer (`P`: trusted + terminal record) and a
//! CA to be a trusted CA (`C`). Firefox (`mozilla::pkix`) wants a trust anchor (`C`) in both
//! cases, and treats a terminal record without "trusted" (`p`) as active distrust of a leaf.
//! So tlsforge writes `CP,,` for a self-signed leaf and `C,,` for a CA.

use std::fmt;

use crate::trust::certificate::Kind;

/// The flags tlsforge gives a certificate of this kind: the ones both browsers accept.
pub(crate) fn for_kind(kind: Kind) -> &'static str {
    if kind.is_ca() { "C,," } else { "CP,," }
}

/// The SSL trust bits of one certificate in an NSS database.
#[allow(clippy::struct_excessive_bools)] // one bool per NSS trust bit
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SslTrust {
    /// `c`: a valid CA (no trust by itself).
    pub valid_ca: bool,
    /// `C`: a trusted CA, a trust anchor.
    pub trusted_ca: bool,
    /// The "trusted" bit that `P` sets (trusted peer) together with the terminal record.
    pub trusted: bool,
    /// `p` alone: a terminal record, which stops trust from being inherited (distrust).
    pub terminal: bool,
    /// `T`: trusted to issue client certificates (not used for servers).
    pub client_ca: bool,
}

/// What a browser decides about a certificate, from its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub trusted: bool,
    pub why: String,
}

/// The browsers whose rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Browser {
    Chromium,
    Firefox,
}

impl SslTrust {
    /// From the lines `certutil -L -n NAME` prints under "SSL Flags:".
    pub(crate) fn from_words<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let mut trust = Self::default();
        for line in lines {
            match line.trim() {
                "Valid CA" => trust.valid_ca = true,
                "Trusted CA" => trust.trusted_ca = true,
                "Trusted" => trust.trusted = true,
                "Terminal Record" => trust.terminal = true,
                "Trusted Client CA" => trust.client_ca = true,
                _ => {}
            }
        }
        trust
    }

    /// Whether `browser` accepts the certificate for a TLS server: a self-signed leaf served
    /// as itself, or a CA that issued the server's certificate.
    pub(crate) fn decide(self, browser: Browser, kind: Kind) -> Decision {
        let flags = self.to_string();
        let decision = |trusted: bool, why: String| Decision { trusted, why };
        match (browser, kind.is_ca()) {
            (Browser::Chromium, false) => {
                if self.trusted && self.terminal {
                    decision(true, format!("a trusted peer (flags {flags})"))
                } else if self.trusted_ca {
                    decision(
                        false,
                        format!(
                            "flags {flags}: Chromium takes a self-signed certificate marked only as a \
                             CA (C) for an invalid certificate; it needs P (trusted peer)"
                        ),
                    )
                } else {
                    decision(false, format!("flags {flags}: not a trusted peer (P)"))
                }
            }
            (Browser::Chromium | Browser::Firefox, true) => {
                if self.trusted_ca {
                    decision(true, format!("a trusted CA (flags {flags})"))
                } else {
                    decision(false, format!("flags {flags}: not a trusted CA (C)"))
                }
            }
            (Browser::Firefox, false) => {
                if self.terminal && !self.trusted {
                    decision(false, format!("flags {flags}: a terminal record without trust is distrust"))
                } else if self.trusted_ca {
                    decision(true, format!("a trust anchor (flags {flags})"))
                } else if self.trusted {
                    decision(
                        false,
                        format!(
                            "flags {flags}: Firefox does not accept a trusted peer (P) alone for a \
                             self-signed certificate; it needs C as well"
                        ),
                    )
                } else {
                    decision(false, format!("flags {flags}: not a trust anchor (C)"))
                }
            }
        }
    }
}

/// The SSL column as `certutil -L` prints it (`CP,,`), with the other columns left empty.
impl fmt::Display for SslTrust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut letters = String::new();
        if self.terminal && !self.trusted {
            letters.push('p');
        }
        if self.trusted_ca {
            letters.push('C');
        } else if self.valid_ca {
            letters.push('c');
        }
        if self.client_ca {
            letters.push('T');
        }
        if self.trusted && self.terminal {
            letters.push('P');
        }
        write!(f, "{letters},,")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(words: &[&str]) -> SslTrust {
        SslTrust::from_words(words.iter().copied())
    }

    const LEAF: Kind = Kind::SelfSignedLeaf;
    const CA: Kind = Kind::LocalCa;

    /// The table at the top of this file, measured in the browsers.
    #[test]
    fn the_measured_table() {
        let p = flags(&["Terminal Record", "Trusted"]);
        let c = flags(&["Valid CA", "Trusted CA"]);
        let cp = flags(&["Terminal Record", "Trusted", "Valid CA", "Trusted CA"]);
        let c_distrust = flags(&["Terminal Record", "Valid CA", "Trusted CA"]);
        let cases = [
            (p, LEAF, true, false),
            (c, LEAF, false, true),
            (cp, LEAF, true, true),
            (c_distrust, LEAF, false, false),
            (c, CA, true, true),
            (p, CA, false, false),
            (cp, CA, true, true),
            (c_distrust, CA, true, true),
        ];
        for (trust, kind, chromium, firefox) in cases {
            assert_eq!(
                trust.decide(Browser::Chromium, kind).trusted,
                chromium,
                "{trust} {kind:?} in Chromium"
            );
            assert_eq!(trust.decide(Browser::Firefox, kind).trusted, firefox, "{trust} {kind:?} in Firefox");
        }
    }

    #[test]
    fn what_tlsforge_writes_is_accepted_by_both() {
        for kind in [Kind::SelfSignedLeaf, Kind::LocalCa, Kind::ForeignCa] {
            let written = match for_kind(kind) {
                "CP,," => flags(&["Terminal Record", "Trusted", "Valid CA", "Trusted CA"]),
                "C,," => flags(&["Valid CA", "Trusted CA"]),
                other => panic!("unexpected flags {other}"),
            };
            assert!(written.decide(Browser::Chromium, kind).trusted);
            assert!(written.decide(Browser::Firefox, kind).trusted);
        }
    }

    #[test]
    fn flags_print_as_certutil_letters_and_reasons_name_them() {
        assert_eq!(flags(&["Terminal Record", "Trusted", "Valid CA", "Trusted CA"]).to_string(), "CP,,");
        assert_eq!(flags(&["Terminal Record"]).to_string(), "p,,");
        assert_eq!(flags(&["Valid CA"]).to_string(), "c,,");
        assert_eq!(flags(&["Valid CA", "Trusted Client CA"]).to_string(), "cT,,");
        assert_eq!(flags(&[]).to_string(), ",,");
        let why = flags(&["Terminal Record", "Trusted"]).decide(Browser::Firefox, LEAF).why;
        assert!(why.contains("P,,") && why.contains("needs C"), "{why}");
    }
}
