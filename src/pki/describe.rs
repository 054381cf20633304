//! What a certificate or a certificate request says, in plain terms: names, validity, key,
//! usages, constraints, fingerprint. `inspect` shows it; `doctor` can reason about it.

use std::net::IpAddr;

use serde::Serialize;
use time::{Duration, OffsetDateTime};
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, NameConstraints, ParsedExtension};
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::oid_registry::Oid;
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AlgorithmIdentifier, X509Name};

use super::der;
use super::format;
use super::keyfile::PublicKeyInfo;

/// The subjectAltName entries a client matches on (other kinds are rare and not shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AltNames {
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub email_addresses: Vec<String>,
    pub uris: Vec<String>,
}

impl AltNames {
    fn push(&mut self, name: &GeneralName<'_>) {
        match name {
            GeneralName::DNSName(dns) => self.dns_names.push((*dns).to_owned()),
            GeneralName::IPAddress(bytes) => {
                if let Some(ip) = ip_from_bytes(bytes) {
                    self.ip_addresses.push(ip);
                }
            }
            GeneralName::RFC822Name(email) => self.email_addresses.push((*email).to_owned()),
            GeneralName::URI(uri) => self.uris.push((*uri).to_owned()),
            _ => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.dns_names.is_empty()
            && self.ip_addresses.is_empty()
            && self.email_addresses.is_empty()
            && self.uris.is_empty()
    }

    /// `DNS:a.test, IP:127.0.0.1, email:x@y, URI:https://...` — openssl's spelling.
    pub fn to_labelled(&self) -> Vec<String> {
        let dns = self.dns_names.iter().map(|n| format!("DNS:{n}"));
        let ip = self.ip_addresses.iter().map(|n| format!("IP:{n}"));
        let email = self.email_addresses.iter().map(|n| format!("email:{n}"));
        let uri = self.uris.iter().map(|n| format!("URI:{n}"));
        dns.chain(ip).chain(email).chain(uri).collect()
    }
}

/// The nameConstraints extension of a CA, as `DNS:test`, `IP:127.0.0.0/8`, ...
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    pub permitted: Vec<String>,
    pub excluded: Vec<String>,
}

impl Constraints {
    fn from_extension(constraints: &NameConstraints<'_>) -> Self {
        let subtrees = |trees: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
            trees.iter().flatten().map(|tree| general_name(&tree.base)).collect()
        };
        Self {
            permitted: subtrees(&constraints.permitted_subtrees),
            excluded: subtrees(&constraints.excluded_subtrees),
        }
    }
}

/// Everything `inspect` shows about one certificate. Serialises to the fields of `inspect
/// --format json` (README documents them; keep them stable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// Upper-case hex without separators, as `openssl x509 -serial` prints it.
    pub serial: String,
    #[serde(serialize_with = "rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(serialize_with = "rfc3339")]
    pub not_after: OffsetDateTime,
    #[serde(flatten)]
    pub alt_names: AltNames,
    #[serde(flatten)]
    pub key: PublicKeyInfo,
    pub signature_algorithm: String,
    pub is_ca: bool,
    pub path_len: Option<u32>,
    /// RFC 5280 names (`digitalSignature`, `keyCertSign`, ...); `None` without the extension.
    pub key_usage: Option<Vec<&'static str>>,
    /// `serverAuth`, `clientAuth`, ... or a dotted OID; `None` without the extension.
    pub extended_key_usage: Option<Vec<String>>,
    pub name_constraints: Option<Constraints>,
    pub self_signed: bool,
    /// `AB:CD:...`, as `openssl x509 -fingerprint -sha256` prints it.
    pub fingerprint_sha256: String,
    /// The subjectPublicKey bits, to match private keys against (public, but not shown).
    #[serde(skip)]
    subject_public_key: Vec<u8>,
    /// How the extensions are written (criticality, presence): what `pki::lint` judges.
    #[serde(skip)]
    pub layout: Layout,
}

/// Which extensions a certificate has and whether they are marked critical: what strict
/// clients (OpenSSL's X.509 strict mode, Python 3.13+) look at beyond the values shown.
/// `None`: the extension is absent; `Some(critical)`: present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// 1, 2 or 3 (X.509 v3 is the only one with extensions).
    pub version: u32,
    pub basic_constraints: Option<bool>,
    pub key_usage: Option<bool>,
    pub subject_key_id: Option<bool>,
    /// Present with a keyIdentifier (an issuer name and serial alone does not help chain building).
    pub authority_key_id: Option<bool>,
    /// How many names the subjectAltName holds, of every kind (`Some(0)`: present but empty).
    pub subject_alt_names: Option<usize>,
}

impl Layout {
    fn of(cert: &X509Certificate<'_>) -> Self {
        let mut layout = Self { version: cert.version().0 + 1, ..Self::default() };
        for extension in cert.extensions() {
            let critical = Some(extension.critical);
            match extension.parsed_extension() {
                ParsedExtension::BasicConstraints(_) => layout.basic_constraints = critical,
                ParsedExtension::KeyUsage(_) => layout.key_usage = critical,
                ParsedExtension::SubjectKeyIdentifier(_) => layout.subject_key_id = critical,
                ParsedExtension::AuthorityKeyIdentifier(aki) if aki.key_identifier.is_some() => {
                    layout.authority_key_id = critical;
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    layout.subject_alt_names = Some(san.general_names.len());
                }
                _ => {}
            }
        }
        layout
    }
}

/// Where a certificate stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    NotYetValid,
    Valid,
    /// Valid now, but it expires within the window asked about.
    Expiring,
    Expired,
}

impl CertificateInfo {
    /// Describe the first certificate in `der`; returns it and whatever DER follows it.
    pub fn from_der(der: &[u8]) -> Result<(Self, &[u8]), String> {
        let (rest, cert) =
            x509_parser::parse_x509_certificate(der).map_err(|e| format!("not a valid certificate: {e}"))?;
        let raw = &der[..der.len() - rest.len()];
        Ok((Self::from_parsed(&cert, raw), rest))
    }

    fn from_parsed(cert: &X509Certificate<'_>, raw: &[u8]) -> Self {
        let mut alt_names = AltNames::default();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            san.value.general_names.iter().for_each(|name| alt_names.push(name));
        }
        let basic = cert.basic_constraints().ok().flatten().map(|bc| bc.value);
        Self {
            subject: name_string(cert.subject()),
            issuer: name_string(cert.issuer()),
            serial: serial_hex(cert.raw_serial()),
            not_before: cert.validity().not_before.to_datetime(),
            not_after: cert.validity().not_after.to_datetime(),
            alt_names,
            key: PublicKeyInfo::from_spki(cert.public_key()),
            signature_algorithm: algorithm_name(&cert.signature_algorithm),
            is_ca: basic.is_some_and(|bc| bc.ca),
            path_len: basic.and_then(|bc| bc.path_len_constraint),
            key_usage: cert.key_usage().ok().flatten().map(|ku| key_usage_names(*ku.value)),
            extended_key_usage: cert.extended_key_usage().ok().flatten().map(|eku| eku_names(eku.value)),
            name_constraints: cert
                .name_constraints()
                .ok()
                .flatten()
                .map(|nc| Constraints::from_extension(nc.value)),
            self_signed: super::issuer::is_self_signed(cert),
            fingerprint_sha256: format::sha256_fingerprint(raw),
            subject_public_key: cert.public_key().subject_public_key.data.to_vec(),
            layout: Layout::of(cert),
        }
    }

    /// The subjectPublicKey bits, for [`super::keyfile::PrivateKeyInfo::matches_public_key`].
    pub fn subject_public_key(&self) -> &[u8] {
        &self.subject_public_key
    }

    /// Whole days until notAfter, rounded down: negative exactly when the certificate has expired.
    pub fn days_remaining(&self, now: OffsetDateTime) -> i64 {
        (self.not_after - now).whole_seconds().div_euclid(86_400)
    }

    /// Expired, expiring within `window`, not yet valid, or valid, at `now`.
    pub fn standing(&self, now: OffsetDateTime, window: Option<Duration>) -> Standing {
        if self.not_after < now {
            Standing::Expired
        } else if window.is_some_and(|window| self.not_after - now <= window) {
            Standing::Expiring
        } else if self.not_before > now {
            Standing::NotYetValid
        } else {
            Standing::Valid
        }
    }
}

/// Everything `inspect` shows about a certificate signing request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsrInfo {
    pub subject: String,
    #[serde(flatten)]
    pub alt_names: AltNames,
    #[serde(flatten)]
    pub key: PublicKeyInfo,
    pub signature_algorithm: String,
    /// Whether the request is signed by the key it carries.
    pub signature_valid: bool,
}

impl CsrInfo {
    pub fn from_der(der: &[u8]) -> Result<(Self, &[u8]), String> {
        let (rest, csr) = X509CertificationRequest::from_der(der)
            .map_err(|e| format!("not a valid certificate request: {e}"))?;
        let info = &csr.certification_request_info;
        let mut alt_names = AltNames::default();
        for extension in csr.requested_extensions().into_iter().flatten() {
            if let ParsedExtension::SubjectAlternativeName(san) = extension {
                san.general_names.iter().for_each(|name| alt_names.push(name));
            }
        }
        let csr_info = Self {
            subject: name_string(&info.subject),
            alt_names,
            key: PublicKeyInfo::from_spki(&info.subject_pki),
            signature_algorithm: algorithm_name(&csr.signature_algorithm),
            signature_valid: csr.verify_signature().is_ok(),
        };
        Ok((csr_info, rest))
    }
}

fn rfc3339<S: serde::Serializer>(t: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format::rfc3339(*t))
}

fn name_string(name: &X509Name<'_>) -> String {
    // x509-parser gives `<X509Error: ...>` for names it cannot render; say it plainly instead.
    name.to_string_with_registry(oid_registry()).unwrap_or_else(|_| "(unreadable name)".to_owned())
}

/// Upper-case hex of the serial's magnitude, `00` for zero.
fn serial_hex(raw: &[u8]) -> String {
    let magnitude = der::unsigned(raw);
    if magnitude.is_empty() {
        return "00".to_owned();
    }
    format::colon_hex(magnitude).replace(':', "")
}

/// `ecdsa-with-SHA256`, `sha256WithRSAEncryption`, ... (OpenSSL's names), else the dotted OID.
fn algorithm_name(algorithm: &AlgorithmIdentifier<'_>) -> String {
    let oid = &algorithm.algorithm;
    match oid.as_bytes() {
        [0x2b, 0x65, 0x70] => "ED25519".to_owned(),
        [0x2b, 0x65, 0x71] => "ED448".to_owned(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a] => "RSASSA-PSS".to_owned(),
        // Missing from the OID registry: without a name, lint could not tell SHA-1 from SHA-2.
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01] => "ecdsa-with-SHA1".to_owned(),
        [0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03] => "dsaWithSHA1".to_owned(),
        _ => oid2sn(oid, oid_registry()).map_or_else(|_| oid.to_id_string(), str::to_owned),
    }
}

fn key_usage_names(usage: x509_parser::extensions::KeyUsage) -> Vec<&'static str> {
    [
        (usage.digital_signature(), "digitalSignature"),
        (usage.non_repudiation(), "nonRepudiation"),
        (usage.key_encipherment(), "keyEncipherment"),
        (usage.data_encipherment(), "dataEncipherment"),
        (usage.key_agreement(), "keyAgreement"),
        (usage.key_cert_sign(), "keyCertSign"),
        (usage.crl_sign(), "cRLSign"),
        (usage.encipher_only(), "encipherOnly"),
        (usage.decipher_only(), "decipherOnly"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect()
}

fn eku_names(usage: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    let known = [
        (usage.server_auth, "serverAuth"),
        (usage.client_auth, "clientAuth"),
        (usage.code_signing, "codeSigning"),
        (usage.email_protection, "emailProtection"),
        (usage.time_stamping, "timeStamping"),
        (usage.ocsp_signing, "OCSPSigning"),
        (usage.any, "anyExtendedKeyUsage"),
    ];
    known
        .into_iter()
        .filter(|(set, _)| *set)
        .map(|(_, name)| name.to_owned())
        .chain(usage.other.iter().map(Oid::to_id_string))
        .collect()
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// One `GeneralName` as openssl labels it; IP subtrees (address + mask) as CIDR.
fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(dns) => format!("DNS:{dns}"),
        GeneralName::RFC822Name(email) => format!("email:{email}"),
        GeneralName::URI(uri) => format!("URI:{uri}"),
        GeneralName::DirectoryName(dir) => format!("DirName:{}", name_string(dir)),
        GeneralName::IPAddress(bytes) => match ip_from_bytes(bytes) {
            Some(ip) => format!("IP:{ip}"),
            None => ip_subtree(bytes).unwrap_or_else(|| format!("IP:{}", format::colon_hex(bytes))),
        },
        other => format!("{other}"),
    }
}

fn ip_subtree(bytes: &[u8]) -> Option<String> {
    let (addr, mask) = bytes.split_at(bytes.len() / 2);
    let addr = ip_from_bytes(addr)?;
    let prefix: u32 = mask.iter().map(|b| b.count_ones()).sum();
    // A contiguous mask is `prefix` one bits followed by zeros.
    let contiguous = mask.iter().enumerate().all(|(i, byte)| {
        let ones = prefix.saturating_sub(u32::try_from(i).unwrap_or(u32::MAX).saturating_mul(8)).min(8);
        *byte == u8::try_from((0xff_u32 << (8 - ones)) & 0xff).unwrap_or(0)
    });
    if contiguous {
        Some(format!("IP:{addr}/{prefix}"))
    } else {
        Some(format!("IP:{addr}/{}", format::colon_hex(mask)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_print_like_openssl() {
        assert_eq!(serial_hex(&[0x00, 0x8f, 0x01]), "8F01");
        assert_eq!(serial_hex(&[0x01]), "01");
        assert_eq!(serial_hex(&[0x00]), "00");
        assert_eq!(serial_hex(&[]), "00");
    }

    #[test]
    fn ip_subtrees_print_as_cidr() {
        assert_eq!(ip_subtree(&[127, 0, 0, 0, 255, 0, 0, 0]).unwrap(), "IP:127.0.0.0/8");
        assert_eq!(ip_subtree(&[172, 16, 0, 0, 255, 240, 0, 0]).unwrap(), "IP:172.16.0.0/12");
        assert_eq!(ip_subtree(&[10, 0, 0, 0, 0, 255, 0, 0]).unwrap(), "IP:10.0.0.0/00:FF:00:00");
        let mut v6 = [0u8; 32];
        v6[15] = 1;
        v6[16..].fill(0xff);
        assert_eq!(ip_subtree(&v6).unwrap(), "IP:::1/128");
        assert!(ip_subtree(&[1, 2, 3]).is_none());
    }

    fn cert(params: &rcgen::CertificateParams) -> CertificateInfo {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        let (info, rest) = CertificateInfo::from_der(&der).unwrap();
        assert!(rest.is_empty());
        info
    }

    #[test]
    fn a_self_signed_leaf_is_described() {
        let mut params =
            rcgen::CertificateParams::new(vec!["a.test".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, "a.test");
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
        let info = cert(&params);
        assert_eq!(info.subject, "CN=a.test");
        assert_eq!(info.issuer, info.subject);
        assert!(info.self_signed && !info.is_ca);
        assert_eq!(info.alt_names.to_labelled(), ["DNS:a.test", "IP:127.0.0.1"]);
        assert_eq!(info.key.describe(), "EC P-256");
        assert_eq!(info.signature_algorithm, "ecdsa-with-SHA256");
        assert_eq!(info.key_usage, Some(vec!["digitalSignature"]));
        assert_eq!(info.extended_key_usage, Some(vec!["serverAuth".to_owned()]));
        assert_eq!(info.name_constraints, None);
    }

    #[test]
    fn standing_and_days_follow_the_clock() {
        let mut params = rcgen::CertificateParams::new(vec!["a.test".to_owned()]).unwrap();
        let start = time::macros::datetime!(2030-01-01 00:00 UTC);
        params.not_before = start;
        params.not_after = start + Duration::days(10);
        let info = cert(&params);
        let at = |t: OffsetDateTime, w: Option<Duration>| (info.standing(t, w), info.days_remaining(t));
        assert_eq!(at(start - Duration::hours(1), None), (Standing::NotYetValid, 10));
        assert_eq!(at(start, None), (Standing::Valid, 10));
        assert_eq!(at(start, Some(Duration::days(10))), (Standing::Expiring, 10));
        assert_eq!(at(start, Some(Duration::days(9))), (Standing::Valid, 10));
        assert_eq!(at(start + Duration::hours(240 - 12), None), (Standing::Valid, 0));
        assert_eq!(at(start + Duration::hours(241), None), (Standing::Expired, -1));
        assert_eq!(at(start + Duration::days(12), None), (Standing::Expired, -2));
    }

    #[test]
    fn a_ca_with_constraints_is_described() {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
        params.name_constraints = Some(rcgen::NameConstraints {
            permitted_subtrees: vec![
                rcgen::GeneralSubtree::DnsName("test".into()),
                rcgen::GeneralSubtree::IpAddress(rcgen::CidrSubnet::from_addr_prefix(
                    "10.0.0.0".parse().unwrap(),
                    8,
                )),
            ],
            excluded_subtrees: vec![rcgen::GeneralSubtree::DnsName("bad.test".into())],
        });
        let info = cert(&params);
        assert!(info.is_ca);
        assert_eq!(info.path_len, Some(0));
        let constraints = info.name_constraints.unwrap();
        assert_eq!(constraints.permitted, ["DNS:test", "IP:10.0.0.0/8"]);
        assert_eq!(constraints.excluded, ["DNS:bad.test"]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(CertificateInfo::from_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(CsrInfo::from_der(&[]).is_err());
    }
}
