//! Who vouches for a certificate: the one self-signed rule, the one issued-by rule, and the one
//! answer to "what must a client trust for this certificate" that `trust`, `env
//! --client-trust` and `doctor` all ask.

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

/// The subject key identifier and the authority key identifier, when present.
fn key_ids<'a>(cert: &'a X509Certificate<'_>) -> (Option<&'a [u8]>, Option<&'a [u8]>) {
    let mut subject = None;
    let mut authority = None;
    for extension in cert.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority = aki.key_identifier.as_ref().map(|id| id.0);
            }
            _ => {}
        }
    }
    (subject, authority)
}

/// Issuer and subject are the same name and, when both key identifiers are there, the
/// authority key identifier is the certificate's own: OpenSSL's test. The signature is not
/// checked (a public-key operation per certificate, in a directory of thousands).
pub(crate) fn is_self_signed(cert: &X509Certificate<'_>) -> bool {
    if cert.subject().as_raw() != cert.issuer().as_raw() {
        return false;
    }
    match key_ids(cert) {
        (Some(own), Some(authority)) => own == authority,
        _ => true,
    }
}

/// `ca` names itself as `cert`'s issuer: `cert`'s issuer is `ca`'s subject and, when both
/// carry key identifiers, `cert`'s authority key identifier is `ca`'s subject key identifier
/// (which tells apart two CAs with one name). The signature is not checked: see [`signed_by`].
pub(crate) fn is_issued_by(cert: &X509Certificate<'_>, ca: &X509Certificate<'_>) -> bool {
    if cert.issuer().as_raw() != ca.subject().as_raw() {
        return false;
    }
    match (key_ids(cert).1, key_ids(ca).0) {
        (Some(authority), Some(subject)) => authority == subject,
        _ => true,
    }
}

/// [`is_issued_by`], and `cert`'s signature verifies with `ca`'s key.
pub(crate) fn signed_by(cert: &X509Certificate<'_>, ca: &X509Certificate<'_>) -> bool {
    is_issued_by(cert, ca) && cert.verify_signature(Some(ca.public_key())).is_ok()
}

/// Whether the certificate says it is a CA (basicConstraints `CA:TRUE`).
pub(crate) fn is_ca(cert: &X509Certificate<'_>) -> bool {
    cert.basic_constraints().ok().flatten().is_some_and(|bc| bc.value.ca)
}

/// What a client must trust for a certificate to be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The certificate itself: a CA (trusted as a CA), or a self-signed leaf whose signature
    /// verifies (trusted as itself).
    Itself { ca: bool },
    /// The CA given first (`--ca`), which signed it.
    Given,
    /// tlsforge's local CA, which signed it.
    LocalCa,
    /// Another CA, which tlsforge does not hold.
    Elsewhere,
}

/// The anchor for `cert` (DER), looking among `given` (a CA named on the command line) and
/// `local` (tlsforge's local CA): one rule for `trust`, `env --client-trust` and `doctor`.
/// `None` when `cert` is not a certificate.
pub(crate) fn anchor(cert: &[u8], given: Option<&[u8]>, local: Option<&[u8]>) -> Option<Anchor> {
    let (_, x509) = X509Certificate::from_der(cert).ok()?;
    if is_ca(&x509) {
        return Some(Anchor::Itself { ca: true });
    }
    if is_self_signed(&x509) && x509.verify_signature(None).is_ok() {
        return Some(Anchor::Itself { ca: false });
    }
    let signed = |ca: Option<&[u8]>| {
        ca.filter(|ca| *ca != cert)
            .and_then(|ca| X509Certificate::from_der(ca).ok())
            .is_some_and(|(_, ca)| signed_by(&x509, &ca))
    };
    Some(if signed(given) {
        Anchor::Given
    } else if signed(local) {
        Anchor::LocalCa
    } else {
        Anchor::Elsewhere
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::keys::{self, KeyAlgorithm};
    use crate::pki::leaf::{self, LeafRequest};
    use crate::pki::names::SubjectName;

    fn parse(der: &[u8]) -> X509Certificate<'_> {
        X509Certificate::from_der(der).unwrap().1
    }

    fn ca(name: &str) -> (rcgen::Certificate, rcgen::KeyPair) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_identifier_method = rcgen::KeyIdMethod::Sha256;
        (params.self_signed(&key).unwrap(), key)
    }

    fn leaf_of(ca: &rcgen::Certificate, ca_key: &rcgen::KeyPair) -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["a.test".to_owned()]).unwrap();
        params.use_authority_key_identifier_extension = true;
        let issuer = rcgen::Issuer::from_ca_cert_der(ca.der(), ca_key).unwrap();
        params.signed_by(&key, &issuer).unwrap().der().to_vec()
    }

    #[test]
    fn the_anchor_is_the_certificate_the_local_ca_or_a_given_ca() {
        let (local, local_key) = ca("Same name");
        let (given, given_key) = ca("Same name");
        let from_local = leaf_of(&local, &local_key);
        let from_given = leaf_of(&given, &given_key);
        // Two CAs with one name: the key identifiers tell them apart.
        assert!(is_issued_by(&parse(&from_local), &parse(local.der())));
        assert!(!is_issued_by(&parse(&from_local), &parse(given.der())));
        assert_eq!(anchor(&from_local, None, Some(local.der())), Some(Anchor::LocalCa));
        assert_eq!(anchor(&from_local, Some(given.der()), Some(local.der())), Some(Anchor::LocalCa));
        assert_eq!(anchor(&from_given, Some(given.der()), Some(local.der())), Some(Anchor::Given));
        assert_eq!(anchor(&from_given, None, Some(local.der())), Some(Anchor::Elsewhere));
        assert_eq!(anchor(local.der(), None, Some(local.der())), Some(Anchor::Itself { ca: true }));
        assert_eq!(anchor(b"junk", None, None), None);

        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let request = LeafRequest {
            names: vec![SubjectName::parse("a.test").unwrap()],
            days: 30,
            key: KeyAlgorithm::EcdsaP256,
            client_auth: false,
        };
        let own = leaf::self_signed(&request, &key, time::OffsetDateTime::now_utc()).unwrap().cert_der;
        assert!(is_self_signed(&parse(&own)));
        assert_eq!(anchor(&own, None, Some(local.der())), Some(Anchor::Itself { ca: false }));
        // Named as its own issuer but signed by another key: not self-signed in any client.
        let mut forged = own.clone();
        let last = forged.len() - 2;
        forged[last] ^= 0x01;
        assert_eq!(anchor(&forged, None, None), Some(Anchor::Elsewhere));
    }
}
