//! Server (leaf) certificates: self-signed, or issued by the local CA.

use anyhow::{Context, Result};
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType};
use time::OffsetDateTime;

use super::ca::LocalCa;
use super::keys::KeyAlgorithm;
use super::names::SubjectName;
use super::validity::{random_serial, validity};

/// What a leaf certificate should say.
#[derive(Debug, Clone)]
pub(crate) struct LeafRequest {
    pub names: Vec<SubjectName>,
    pub days: u32,
    pub key: KeyAlgorithm,
    pub client_auth: bool,
}

/// A freshly made certificate.
#[derive(Debug)]
pub(crate) struct Issued {
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

/// A self-signed leaf: its own issuer, trusted as itself.
pub(crate) fn self_signed(req: &LeafRequest, key: &KeyPair, now: OffsetDateTime) -> Result<Issued> {
    let params = leaf_params(req, now, None)?;
    let cert = params.self_signed(key).context("signing the certificate")?;
    Ok(issued(&params, &cert))
}

/// A leaf issued by the local CA. Its validity never outlasts the CA's.
pub(crate) fn issued_by(
    req: &LeafRequest,
    key: &KeyPair,
    ca: &LocalCa,
    now: OffsetDateTime,
) -> Result<Issued> {
    let params = leaf_params(req, now, Some(ca.not_after()))?;
    let cert = params.signed_by(key, &ca.issuer()?).context("signing the certificate")?;
    Ok(issued(&params, &cert))
}

/// A server's own certificate from the local CA, kept in memory only.
#[derive(Debug)]
pub(crate) struct InMemory {
    /// The leaf, then the CA.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's key, PKCS#8 DER.
    pub key: Vec<u8>,
    pub not_after: OffsetDateTime,
}

/// A new ECDSA P-256 key and a leaf for `names` from the local CA, valid `days` (never beyond
/// the CA), for a server to hold in memory.
pub(crate) fn in_memory(
    ca: &LocalCa,
    names: Vec<SubjectName>,
    days: u32,
    now: OffsetDateTime,
) -> Result<InMemory> {
    let request = LeafRequest { names, days, key: KeyAlgorithm::EcdsaP256, client_auth: false };
    let key = super::keys::generate(request.key)?;
    let issued = issued_by(&request, &key, ca, now)?;
    Ok(InMemory {
        chain: vec![issued.cert_der, ca.cert_der().to_vec()],
        key: key.serialize_der(),
        not_after: issued.not_after,
    })
}

fn issued(params: &CertificateParams, cert: &rcgen::Certificate) -> Issued {
    Issued {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        not_before: params.not_before,
        not_after: params.not_after,
    }
}

fn leaf_params(
    req: &LeafRequest,
    now: OffsetDateTime,
    ceiling: Option<OffsetDateTime>,
) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    let (not_before, not_after) = validity(now, req.days);
    params.not_before = not_before;
    params.not_after = ceiling.map_or(not_after, |limit| not_after.min(limit));
    params.serial_number = Some(random_serial()?);
    params.distinguished_name = rcgen::DistinguishedName::new();
    if let Some(first) = req.names.first() {
        params.distinguished_name.push(DnType::CommonName, common_name(first, &req.names));
    }
    params.distinguished_name.push(DnType::OrganizationName, "tlsforge development certificate");
    params.subject_alt_names = req.names.iter().map(san).collect::<Result<_>>()?;
    params.is_ca = IsCa::ExplicitNoCa;
    // RFC 5280 (4.2.1.1) asks every certificate but a CA's self-signed one for an authority key
    // identifier; Python 3.13's strict mode refuses a chained certificate without it. A
    // self-signed leaf's is its own subject key identifier.
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if req.key.rsa_bits().is_some() {
        // TLS 1.2 RSA key exchange encrypts to the certificate's key.
        params.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if req.client_auth {
        params.extended_key_usages.push(ExtendedKeyUsagePurpose::ClientAuth);
    }
    Ok(params)
}

/// The Common Name: the first name, except that an IP-only certificate gets its first IP in a
/// form OpenSSL will not mistake for a DNS name when it applies a CA's DNS name constraints to
/// the CN (it does so for certificates without DNS SANs). Clients match names on the SAN only.
fn common_name(first: &SubjectName, names: &[SubjectName]) -> String {
    let has_dns = names.iter().any(|n| matches!(n, SubjectName::Dns(_)));
    match first {
        SubjectName::Ip(ip) if !has_dns => format!("IP {ip}"),
        other => other.to_string(),
    }
}

pub(crate) fn san(name: &SubjectName) -> Result<SanType> {
    Ok(match name {
        SubjectName::Dns(dns) => {
            SanType::DnsName(dns.as_str().try_into().with_context(|| format!("{dns} is not an IA5 string"))?)
        }
        SubjectName::Ip(ip) => SanType::IpAddress(*ip),
    })
}
