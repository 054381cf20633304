//! Reading `certutil` output: the nicknames of a database (`certutil -L -d DB`), and the
//! certificates printed under one nickname (`certutil -L -d DB -n NAME`), each with its SHA-256
//! fingerprint and SSL trust flags.
//!
//! One nickname can print several certificates: NSS looks nicknames up by subject, so two CAs
//! with the same name (a CA made again) both print under either nickname. The fingerprint
//! tells them apart; the compact flags of the plain listing cannot.

use super::flags::SslTrust;

/// The nicknames `certutil -L -d DB` lists, in order (a nickname may contain spaces).
pub(crate) fn nicknames(listing: &str) -> Vec<String> {
    listing
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("SSL,S/MIME"))
        .skip(1)
        .filter_map(|line| {
            let line = line.trim_end();
            // The last column holds the flags ("CT,C,C", "u,u,u", ",,"): no spaces inside.
            let (nickname, flags) = line.rsplit_once(char::is_whitespace)?;
            (flags.contains(',') && !nickname.trim().is_empty()).then(|| nickname.trim().to_owned())
        })
        .collect()
}

/// One certificate of a pretty-printed listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Printed {
    /// `AB:CD:...`, upper case.
    pub sha256: String,
    pub ssl: SslTrust,
}

/// The certificates `certutil -L -d DB -n NAME` prints.
pub(crate) fn printed(text: &str) -> Vec<Printed> {
    let mut found = Vec::new();
    // Each certificate begins with "Certificate:" at the start of a line.
    for block in text.split("\nCertificate:").map(|b| b.strip_prefix("Certificate:").unwrap_or(b)) {
        let lines: Vec<&str> = block.lines().collect();
        let Some(at) = lines.iter().position(|l| l.trim() == "Fingerprint (SHA-256):") else { continue };
        let Some(sha256) = lines.get(at + 1).map(|l| l.trim().to_ascii_uppercase()) else { continue };
        let ssl = lines
            .iter()
            .position(|l| l.trim() == "SSL Flags:")
            .map(|start| {
                let indent = indent_of(lines[start]);
                SslTrust::from_words(lines[start + 1..].iter().take_while(|l| indent_of(l) > indent).copied())
            })
            .unwrap_or_default();
        found.push(Printed { sha256, ssl });
    }
    found
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = "
Certificate Nickname                                         Trust Attributes
                                                             SSL,S/MIME,JAR/XPI

tlsforge-3f2a9c0d1e4b5a67                                    CP,, 
My Company Root CA                                           CT,C,C
neighbour                                                    P,,  
";

    #[test]
    fn nicknames_keep_their_spaces() {
        assert_eq!(nicknames(LISTING), ["tlsforge-3f2a9c0d1e4b5a67", "My Company Root CA", "neighbour"]);
        assert!(nicknames("\nCertificate Nickname   Trust Attributes\n   SSL,S/MIME,JAR/XPI\n\n").is_empty());
        assert!(nicknames("").is_empty());
    }

    /// Two CAs with one subject, as `certutil -L -n` prints them (shortened: certutil 3.87).
    const TWO: &str = "Certificate:
    Data:
        Version: 3 (0x2)
        Subject: \"CN=tlsforge local CA user@vm,OU=user@vm,O=tlsforge local CA\"
    Signature Algorithm: X9.62 ECDSA signature with SHA256
    Signature:
        30:45:02:21:00
    Fingerprint (SHA-256):
        F3:A0:58:DD:63:3B:EF:BB:75:17:90:D7:AF:2B:A0:ED:BA:D2:36:0E:5D:01:57:29:1E:51:26:C7:79:C3:80:D1
    Fingerprint (SHA1):
        F5:BF:4B:19:68:7C:27:C4:0C:E9:94:A2:F0:44:5E:08:E0:F2:41:AC

    Mozilla-CA-Policy: false (attribute missing)
    Certificate Trust Flags:
        SSL Flags:
            Valid CA
            Trusted CA
        Email Flags:
        Object Signing Flags:

Certificate:
    Data:
        Version: 3 (0x2)
    Fingerprint (SHA-256):
        a6:a3:98:25:88:8d:a0:83:47:98:1b:99:4c:ac:41:31:e6:1a:e9:b6:cb:31:41:f9:bd:1c:88:66:51:d3:c9:23
    Certificate Trust Flags:
        SSL Flags:
            Terminal Record
            Trusted
            Valid CA
            Trusted CA
        Email Flags:
            Valid CA
        Object Signing Flags:
";

    #[test]
    fn each_printed_certificate_has_its_own_flags() {
        let found = printed(TWO);
        assert_eq!(found.len(), 2);
        assert!(found[0].sha256.starts_with("F3:A0:58"));
        assert_eq!(found[0].ssl.to_string(), "C,,");
        assert!(found[1].sha256.starts_with("A6:A3:98"), "upper-cased: {}", found[1].sha256);
        assert_eq!(found[1].ssl.to_string(), "CP,,");
        assert!(printed("certutil: Could not find cert: x\n").is_empty());
    }
}
