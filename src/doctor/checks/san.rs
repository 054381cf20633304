//! `san`: the certificate names its hosts in a subjectAltName (browsers ignore the CN).

use x509_parser::prelude::{FromDer, X509Certificate};

use super::Check;
use crate::doctor::{Context, Finding};

pub(super) const CHECK: Check = Check { id: ID, run };
const ID: &str = "san";

fn run(cx: &Context) -> Vec<Finding> {
    let Some(info) = &cx.info else { return Vec::new() };
    let names = cx.cert_names();
    let finding = if names.is_empty() {
        let mut wanted: Vec<String> = cx.hosts.iter().map(ToString::to_string).collect();
        if wanted.is_empty() {
            wanted.extend(cx.cert_der.as_deref().ok().and_then(common_name));
        }
        Finding::fail(
            ID,
            format!(
                "no subjectAltName: browsers and most clients ignore the subject's CN ({})",
                info.subject
            ),
            cx.gen_with(true, wanted),
        )
    } else {
        Finding::ok(ID, format!("subjectAltName: {}", info.alt_names.to_labelled().join(", ")))
    };
    vec![finding.about(&cx.cert.path)]
}

/// The subject's first common name, read from the certificate: the rendered subject shows
/// `CN=a\, b` as `CN=a, b`, so splitting it on commas would cut the name.
fn common_name(der: &[u8]) -> Option<String> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let cn = cert.subject().iter_common_name().next()?;
    cn.as_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use rcgen::{CertificateParams, DnType, KeyPair};

    use super::*;
    use crate::pki::describe::CertificateInfo;

    fn self_signed(cn: &str) -> Vec<u8> {
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::OrganizationName, "Org, Inc.");
        params.distinguished_name.push(DnType::CommonName, cn);
        let key = KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().der().to_vec()
    }

    #[test]
    fn a_common_name_with_a_comma_is_read_whole() {
        let der = self_signed("a, b");
        // The rendered subject does not escape the comma, so splitting it on commas cuts the CN.
        let (info, _) = CertificateInfo::from_der(&der).unwrap();
        assert!(info.subject.contains("CN=a, b"), "{}", info.subject);
        assert_eq!(common_name(&der).as_deref(), Some("a, b"));
    }

    #[test]
    fn no_common_name_or_no_certificate_gives_none() {
        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(DnType::OrganizationName, "Org");
        let key = KeyPair::generate().unwrap();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        assert_eq!(common_name(&der), None);
        assert_eq!(common_name(b"not a certificate"), None);
    }
}
