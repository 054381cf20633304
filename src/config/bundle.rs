//! The combined CA bundle for clients whose variables *replace* their roots (`SSL_CERT_FILE`,
//! `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`): the system roots plus the development certificate
//! or the local CA. A bundle holding the development certificate alone would break every
//! public site, so there is no bundle without system roots.

use crate::input;
use crate::pki::armor;
use std::path::{Path, PathBuf};

/// Where operating systems keep their PEM bundle of trusted roots, most common first.
pub(crate) const SYSTEM_BUNDLES: [&str; 6] = [
    // Debian, Ubuntu, Arch, Gentoo, NixOS
    "/etc/ssl/certs/ca-certificates.crt",
    // Fedora, RHEL, CentOS
    "/etc/pki/tls/certs/ca-bundle.crt",
    // openSUSE, SLES
    "/var/lib/ca-certificates/ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    // Alpine, macOS, the BSDs
    "/etc/ssl/cert.pem",
    // RHEL 9+ extracted directly
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
];

/// The system bundle: the first candidate that is a readable file holding certificates.
pub(crate) fn find_system_bundle<P: AsRef<Path>>(candidates: &[P]) -> Option<(PathBuf, String)> {
    candidates.iter().find_map(|path| {
        let path = path.as_ref();
        let text = input::read_to_string(path, input::BUNDLE).ok()?;
        (count_certificates(&text) > 0).then(|| (path.to_path_buf(), text))
    })
}

/// The number of CERTIFICATE blocks in a PEM text.
pub(crate) fn count_certificates(pem_text: &str) -> usize {
    armor::pem_blocks(pem_text.as_bytes())
        .filter_map(Result::ok)
        .filter(|block| block.label == "CERTIFICATE")
        .count()
}

/// The bundle's path: next to the certificate, `server.crt` → `server.ca-bundle.pem`.
pub(crate) fn path_for(cert_path: &Path) -> PathBuf {
    let stem = cert_path.file_stem().map_or_else(|| "server".into(), |s| s.to_string_lossy().into_owned());
    cert_path.with_file_name(format!("{stem}.ca-bundle.pem"))
}

/// The system bundle's text followed by the anchor, re-encoded from its DER so that nothing
/// else from the certificate's file (a private key, say) can end up in the bundle.
pub(crate) fn combine(system_pem: &str, anchor_der: &[u8], label: &str) -> String {
    let mut out = String::with_capacity(system_pem.len() + anchor_der.len() * 2);
    out.push_str(system_pem);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    // Comment lines between PEM blocks are skipped by every PEM reader (Fedora's bundle has them).
    out.push_str("\n# Added by tlsforge env --client-trust: ");
    out.push_str(&label.replace(['\n', '\r'], " "));
    out.push('\n');
    out.push_str(&armor::encode("CERTIFICATE", anchor_der));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn cert_pem() -> (String, Vec<u8>) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert =
            rcgen::CertificateParams::new(vec!["a.test".to_owned()]).unwrap().self_signed(&key).unwrap();
        (cert.pem(), cert.der().to_vec())
    }

    #[test]
    fn the_first_candidate_with_certificates_wins() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        let good = dir.path().join("good.pem");
        let later = dir.path().join("later.pem");
        fs::write(&empty, "no certificates here\n").unwrap();
        fs::write(&good, cert_pem().0).unwrap();
        fs::write(&later, cert_pem().0).unwrap();
        let missing = dir.path().join("missing.pem");
        let found = find_system_bundle(&[&missing, &empty, &good, &later]).unwrap();
        assert_eq!(found.0, good);
        assert_eq!(count_certificates(&found.1), 1);
        assert!(find_system_bundle(&[&missing, &empty]).is_none());
        assert!(find_system_bundle(&[dir.path()]).is_none(), "a directory is not a bundle");
    }

    #[test]
    fn the_bundle_is_the_system_roots_plus_the_anchor_only() {
        let (system, _) = cert_pem();
        let system = system.trim_end().to_owned(); // no final newline
        let (_, anchor_der) = cert_pem();
        let bundle = combine(&system, &anchor_der, "dev\ncert");
        assert!(bundle.starts_with(&system));
        assert_eq!(count_certificates(&bundle), 2);
        assert!(
            bundle
                .contains("\n# Added by tlsforge env --client-trust: dev cert\n-----BEGIN CERTIFICATE-----")
        );
        // Read back by another PEM reader than tlsforge's own.
        let last = x509_parser::pem::Pem::iter_from_buffer(bundle.as_bytes()).last().unwrap().unwrap();
        assert_eq!(last.contents, anchor_der);
        assert!(!bundle.contains("PRIVATE"));
    }

    #[test]
    fn the_bundle_sits_next_to_the_certificate() {
        assert_eq!(path_for(Path::new("/a b/server.crt")), Path::new("/a b/server.ca-bundle.pem"));
        assert_eq!(path_for(Path::new("/x/app.test.pem")), Path::new("/x/app.test.ca-bundle.pem"));
    }
}
