//! tlsforge's local certificate authority: trust once, issue many (mkcert's model), but
//! name-constrained by default so that a stolen CA key cannot vouch for real sites.

use std::fmt;
use std::fs::{self, File};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ipnet::IpNet;
use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, GeneralSubtree, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, NameConstraints,
};
use time::OffsetDateTime;
use x509_parser::extensions::GeneralName;

use super::content;
use super::keys::{self, KeyAlgorithm};
use super::names::{self, SubjectName};
use super::validity::{self, CA_DAYS};
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::input;

pub(crate) const CERT_FILE: &str = "ca.crt";
pub(crate) const KEY_FILE: &str = "ca.key";
const LOCK_FILE: &str = ".lock";

/// DNS names reserved for local and private use (RFC 2606, RFC 6761, RFC 6762, RFC 8375, and
/// ICANN's `.internal`). Each subtree also permits all its subdomains.
pub(crate) const DEFAULT_DNS_PERMITS: [&str; 7] =
    ["localhost", "test", "example", "invalid", "local", "internal", "home.arpa"];

/// Loopback, private and link-local ranges.
pub(crate) const DEFAULT_IP_PERMITS: [&str; 8] = [
    "127.0.0.0/8",
    "::1/128",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
];

/// One permitted subtree of the CA's name constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Permit {
    /// A DNS name and all its subdomains.
    Dns(String),
    /// An IP network.
    Ip(IpNet),
}

impl Permit {
    /// Parse `--permit`: a DNS name (a leading dot is accepted), an IP address, or a CIDR range.
    pub(crate) fn parse(input: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::input(format!("invalid --permit {input:?}: {reason}"));
        if let Some(net) = parse_net(input) {
            return net.map(Self::Ip).map_err(|reason| bad(&reason));
        }
        let name = input.strip_prefix('.').unwrap_or(input);
        if name.starts_with("*.") {
            return Err(bad("a permitted name already covers all its subdomains; drop the *."));
        }
        names::parse_dns(name).map(Self::Dns).map_err(|reason| bad(&reason))
    }

    fn matches(&self, name: &SubjectName) -> bool {
        match (self, name) {
            (Self::Dns(base), SubjectName::Dns(dns)) => dns_within(dns, base),
            (Self::Ip(net), SubjectName::Ip(ip)) => net.contains(ip),
            _ => false,
        }
    }

    fn same_kind(&self, name: &SubjectName) -> bool {
        matches!((self, name), (Self::Dns(_), SubjectName::Dns(_)) | (Self::Ip(_), SubjectName::Ip(_)))
    }

    pub(crate) fn to_subtree(&self) -> GeneralSubtree {
        match self {
            Self::Dns(name) => GeneralSubtree::DnsName(name.clone()),
            Self::Ip(IpNet::V4(net)) => {
                GeneralSubtree::IpAddress(CidrSubnet::V4(net.network().octets(), net.netmask().octets()))
            }
            Self::Ip(IpNet::V6(net)) => {
                GeneralSubtree::IpAddress(CidrSubnet::V6(net.network().octets(), net.netmask().octets()))
            }
        }
    }
}

impl Permit {
    /// A warning when the subtree is wider than any local network or development domain: a
    /// public top-level domain (`com`), or an IP range wider than a /8 (`0.0.0.0/0` constrains
    /// nothing). Whoever holds the CA key can vouch for everything in it.
    pub(crate) fn too_wide(&self) -> Option<String> {
        let why = match self {
            Self::Dns(name) if !name.contains('.') && !DEFAULT_DNS_PERMITS.contains(&name.as_str()) => {
                format!("every name under .{name}, a top-level domain")
            }
            Self::Ip(net) if net.prefix_len() < if net.addr().is_ipv4() { 8 } else { 7 } => {
                format!("{net}, wider than any local network")
            }
            _ => return None,
        };
        Some(format!(
            "--permit {self} lets the CA vouch for {why}: anyone with its key could then impersonate \
             those sites to every device that trusts it; permit the names you use instead"
        ))
    }
}

impl fmt::Display for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(name) => f.write_str(name),
            Self::Ip(net) => write!(f, "{net}"),
        }
    }
}

/// RFC 5280 DNS subtree matching, as OpenSSL and Chromium apply it: `test` permits `test` and
/// every name ending in `.test`. A wildcard name is judged by the labels after `*.`.
fn dns_within(name: &str, base: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name);
    name.eq_ignore_ascii_case(base)
        || (name.len() > base.len()
            && name.as_bytes()[name.len() - base.len() - 1] == b'.'
            && name[name.len() - base.len()..].eq_ignore_ascii_case(base))
}

/// Parse an IP address (a host network) or a CIDR range; host bits in a range are cleared.
/// `None` when `input` is not IP-shaped at all; `Some(Err)` when it is but is wrong.
fn parse_net(input: &str) -> Option<Result<IpNet, String>> {
    let (addr, prefix) = match input.split_once('/') {
        Some((addr, prefix)) => (addr.parse::<IpAddr>().ok()?, Some(prefix)),
        None => (input.parse::<IpAddr>().ok()?, None),
    };
    let host = IpNet::from(addr);
    let net = match prefix {
        None => Some(host),
        Some(p) => p.parse().ok().and_then(|p| IpNet::new(addr, p).ok()),
    };
    Some(net.map(|net| net.trunc()).ok_or_else(|| format!("prefix must be 0..={}", host.max_prefix_len())))
}

/// The form a name constraint stores: address octets followed by mask octets. The prefix is the
/// mask's leading one bits; the address is kept as stored (matching ignores its host bits).
pub(crate) fn net_from_addr_mask(bytes: &[u8]) -> Option<IpNet> {
    let (addr, prefix) = match bytes.len() {
        8 => {
            let addr: [u8; 4] = bytes[..4].try_into().ok()?;
            let mask: [u8; 4] = bytes[4..].try_into().ok()?;
            (IpAddr::from(addr), u32::from_be_bytes(mask).leading_ones())
        }
        32 => {
            let addr: [u8; 16] = bytes[..16].try_into().ok()?;
            let mask: [u8; 16] = bytes[16..].try_into().ok()?;
            (IpAddr::from(addr), u128::from_be_bytes(mask).leading_ones())
        }
        _ => return None,
    };
    IpNet::new(addr, u8::try_from(prefix).ok()?).ok()
}

/// Whether `permits` allow `name`. As in RFC 5280, a constraint binds only the name forms it
/// lists: a CA with DNS subtrees only leaves IP addresses free.
pub(crate) fn permitted_by(permits: &[Permit], name: &SubjectName) -> bool {
    let mut same_kind = permits.iter().filter(|p| p.same_kind(name)).peekable();
    same_kind.peek().is_none() || same_kind.any(|p| p.matches(name))
}

/// The default permitted subtrees.
pub(crate) fn default_permits() -> Vec<Permit> {
    DEFAULT_DNS_PERMITS
        .iter()
        .chain(DEFAULT_IP_PERMITS.iter())
        .map(|p| Permit::parse(p).expect("built-in permits are valid"))
        .collect()
}

/// The local CA's certificate, without its key.
#[derive(Debug, Clone)]
pub(crate) struct CaCertificate {
    pub der: Vec<u8>,
    pub subject: String,
    /// Its common name (the subject when it has none): what a device shows.
    pub display_name: String,
}

/// How to create a CA.
#[derive(Debug, Clone)]
pub(crate) struct CaOptions {
    /// `None`: no name constraints at all.
    pub permits: Option<Vec<Permit>>,
    pub key: KeyAlgorithm,
    /// `user@host`, in the CA's name so that people recognise it in a trust store.
    pub owner: String,
    /// When the CA is made (its validity starts then, less the clock skew).
    pub now: OffsetDateTime,
}

impl CaOptions {
    /// The defaults: constrained to local names, an ECDSA P-256 key.
    pub(crate) fn defaults(owner: &str, now: OffsetDateTime) -> Self {
        Self { permits: Some(default_permits()), key: KeyAlgorithm::EcdsaP256, owner: owner.to_owned(), now }
    }
}

/// The CA's directory: where `ca.crt` and `ca.key` live, and who may own them.
#[derive(Debug, Clone)]
pub(crate) struct CaDir(PathBuf, Option<Owner>);

/// Who may own the local CA's directory and key: the effective user and, when root runs under
/// sudo, the user who ran sudo (their CA, passed with `--ca-dir`). `name` is for the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Owner {
    pub uid: u32,
    pub sudo_uid: Option<u32>,
    pub name: String,
}

impl Owner {
    fn accepts(&self, uid: u32) -> bool {
        uid == self.uid || (self.uid == 0 && self.sudo_uid == Some(uid))
    }
}

impl CaDir {
    /// `explicit` (from `--ca-dir` or `TLSFORGE_CA_DIR`, made absolute by the caller), else
    /// the user's data directory.
    pub(crate) fn resolve(explicit: Option<PathBuf>, data_dir: Option<&Path>) -> Result<Self> {
        let dir = match explicit {
            Some(dir) => dir,
            None => data_dir.map(Path::to_path_buf).ok_or_else(|| {
                Error::failed("cannot find a home directory for the local CA")
                    .hint("pass --ca-dir DIR or set TLSFORGE_CA_DIR")
            })?,
        };
        Ok(Self(dir, None))
    }

    /// Check ownership against `owner` too (`None`: modes only).
    #[must_use]
    pub(crate) fn owned_by(self, owner: Option<Owner>) -> Self {
        Self(self.0, owner)
    }

    /// Refuse a CA that other users could swap or read. The directory must belong to the user
    /// and not be writable by group or others (whoever can write there can replace `ca.crt`
    /// and `ca.key`, and every certificate and trust store that follows would vouch for them);
    /// with `key`, `ca.key` must belong to the user and be neither readable nor writable by
    /// group or others. What does not exist yet passes: it is created private.
    pub(crate) fn check_private(&self, key: bool) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let dir = &self.0;
            let refuse = |what: String, fix: String| -> anyhow::Error {
                Error::failed(format!("refusing to use the local CA: {what}")).hint(fix).into()
            };
            let meta = match fs::metadata(dir) {
                Ok(meta) => meta,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
            };
            if let Some(owner) = self.1.as_ref().filter(|o| !o.accepts(meta.uid())) {
                return Err(refuse(
                    format!("{} belongs to another user (uid {})", dir.display(), meta.uid()),
                    format!("chown {} {}", owner.name, dir.display()),
                ));
            }
            if meta.mode() & 0o022 != 0 {
                return Err(refuse(
                    format!("{} is writable by other users, who could replace the CA", dir.display()),
                    format!("chmod 700 {}", dir.display()),
                ));
            }
            let key_path = self.key_path();
            let key_meta = match fs::metadata(&key_path) {
                Ok(meta) if key => meta,
                _ => return Ok(()),
            };
            if let Some(owner) = self.1.as_ref().filter(|o| !o.accepts(key_meta.uid())) {
                return Err(refuse(
                    format!("{} belongs to another user (uid {})", key_path.display(), key_meta.uid()),
                    format!("chown {} {}", owner.name, key_path.display()),
                ));
            }
            if key_meta.mode() & 0o077 != 0 {
                return Err(refuse(
                    format!("{} is open to other users, who could sign as the CA", key_path.display()),
                    format!("chmod 600 {}", key_path.display()),
                ));
            }
        }
        #[cfg(not(unix))]
        let _ = key;
        Ok(())
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// A warning when sudo would put the CA in root's home instead of the user's: the usual
    /// trap of running the whole tool under sudo (mkcert #182).
    pub(crate) fn sudo_warning(&self, explicit: bool, sudo_user: Option<&str>) -> Option<String> {
        let user = sudo_user?;
        (!explicit).then(|| {
            format!(
                "running under sudo: the local CA is {}, root's, not {user}'s; \
                 run tlsforge as {user} (it asks for sudo only where a trust store needs it) \
                 or pass --ca-dir",
                self.0.display()
            )
        })
    }

    pub(crate) fn cert_path(&self) -> PathBuf {
        self.0.join(CERT_FILE)
    }

    pub(crate) fn key_path(&self) -> PathBuf {
        self.0.join(KEY_FILE)
    }

    /// The CA's certificate alone, if there is one (its key is not read): what devices get.
    pub(crate) fn load_certificate(&self) -> Result<Option<CaCertificate>> {
        let cert_path = self.cert_path();
        let pem = match input::read(&cert_path, input::CERTIFICATE) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", cert_path.display())),
        };
        let der = content::first_certificate(&pem)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("reading the local CA certificate {}", cert_path.display()))?;
        let (_, x509) = x509_parser::parse_x509_certificate(&der)
            .map_err(|e| anyhow::anyhow!("parsing {}: {e}", cert_path.display()))?;
        Ok(Some(CaCertificate {
            der: der.clone(),
            subject: x509.subject().to_string(),
            display_name: display_name(&x509),
        }))
    }

    /// Load the CA if one exists here.
    pub(crate) fn load(&self) -> Result<Option<LocalCa>> {
        let cert_path = self.cert_path();
        let cert_pem = match input::read_to_string(&cert_path, input::CERTIFICATE) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", cert_path.display())),
        };
        self.check_private(true)?;
        let key_path = self.key_path();
        let key_pem = input::read_to_string(&key_path, input::CERTIFICATE).with_context(|| {
            format!("the local CA at {} has a certificate but no readable key", self.0.display())
        })?;
        LocalCa::from_pem(self.clone(), &cert_pem, &key_pem).map(Some)
    }

    /// Load the CA, creating it with the defaults when there is none. Concurrent callers
    /// serialise on a lock file, so two processes end up with one CA.
    pub(crate) fn load_or_create(&self, options: &CaOptions) -> Result<(LocalCa, bool)> {
        let _lock = self.lock()?;
        if let Some(ca) = self.load()? {
            return Ok((ca, false));
        }
        self.create_locked(options, false).map(|ca| (ca, true))
    }

    /// Create a CA; with `replace`, an existing one is replaced.
    pub(crate) fn create(&self, options: &CaOptions, replace: bool) -> Result<LocalCa> {
        let _lock = self.lock()?;
        self.create_locked(options, replace)
    }

    fn create_locked(&self, options: &CaOptions, replace: bool) -> Result<LocalCa> {
        let key = keys::generate(options.key)?;
        let now = options.now;
        let params = ca_params(options, now)?;
        let cert = params.self_signed(&key).context("signing the CA certificate")?;
        let cert_pem = cert.pem();
        let key_pem = keys::private_key_pem(&key);
        self.files().held()?.write(
            &[
                NewFile::private(self.key_path(), key_pem.as_bytes()),
                NewFile::public(self.cert_path(), cert_pem.as_bytes()),
            ],
            replace,
        )?;
        LocalCa::from_pem(self.clone(), &cert_pem, &key_pem)
    }

    /// The key and certificate, written together under the directory's lock.
    pub(crate) fn files(&self) -> fsutil::FileSet {
        fsutil::FileSet::new(&self.0, "ca", &[KEY_FILE, CERT_FILE]).with_lock_file(LOCK_FILE)
    }

    /// Complete or roll back a CA write that was interrupted (a no-op when none was).
    pub(crate) fn recover(&self) -> Result<()> {
        let files = self.files();
        if files.torn().is_some() || files.has_leftovers() {
            let _lock = self.lock()?;
        }
        Ok(())
    }

    fn lock(&self) -> Result<File> {
        self.check_private(false)?;
        let file = fsutil::exclusive(&self.0.join(LOCK_FILE))?;
        // A write killed half-way is completed (or rolled back) before anything else.
        self.files().held()?;
        Ok(file)
    }
}

fn ca_params(options: &CaOptions, now: OffsetDateTime) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    (params.not_before, params.not_after) = validity::validity(now, CA_DAYS);
    params.serial_number = Some(validity::random_serial()?);
    let who = options.owner.clone();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::OrganizationName, "tlsforge local CA");
    params.distinguished_name.push(DnType::OrganizationalUnitName, who.clone());
    params.distinguished_name.push(DnType::CommonName, format!("tlsforge local CA {who}"));
    // pathlen 0: this CA issues leaves only, never another CA.
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    if let Some(permits) = &options.permits {
        params.name_constraints = Some(NameConstraints {
            permitted_subtrees: permits.iter().map(Permit::to_subtree).collect(),
            excluded_subtrees: Vec::new(),
        });
    }
    Ok(params)
}

/// A loaded local CA.
#[derive(Debug)]
pub(crate) struct LocalCa {
    dir: CaDir,
    cert_der: Vec<u8>,
    key: KeyPair,
    subject: String,
    display_name: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    /// `None`: unconstrained.
    permits: Option<Vec<Permit>>,
}

impl LocalCa {
    fn from_pem(dir: CaDir, cert_pem: &str, key_pem: &str) -> Result<Self> {
        let cert_path = dir.cert_path();
        let cert_der = content::first_certificate(cert_pem.as_bytes())
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("reading the local CA certificate {}", cert_path.display()))?;
        let key = keys::from_pem(key_pem)
            .with_context(|| format!("reading the local CA key {}", dir.key_path().display()))?;
        let (_, x509) = x509_parser::parse_x509_certificate(&cert_der)
            .map_err(|e| anyhow::anyhow!("parsing {}: {e}", cert_path.display()))?;
        if x509.public_key().raw != rcgen::PublicKeyData::subject_public_key_info(&key).as_slice() {
            return Err(Error::failed(format!(
                "the local CA key in {} does not belong to its certificate",
                dir.path().display()
            ))
            .hint("tlsforge ca init --force creates a new CA")
            .into());
        }
        let permits = permits_of(&x509)?;
        Ok(Self {
            subject: x509.subject().to_string(),
            display_name: display_name(&x509),
            not_before: x509.validity().not_before.to_datetime(),
            not_after: x509.validity().not_after.to_datetime(),
            permits,
            cert_der,
            key,
            dir,
        })
    }

    pub(crate) fn dir(&self) -> &CaDir {
        &self.dir
    }

    pub(crate) fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    pub(crate) fn subject(&self) -> &str {
        &self.subject
    }

    /// Its common name (the subject when it has none): what a device shows.
    pub(crate) fn display_name(&self) -> &str {
        &self.display_name
    }

    pub(crate) fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    pub(crate) fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// The permitted subtrees, or `None` when the CA is unconstrained.
    pub(crate) fn permits(&self) -> Option<&[Permit]> {
        self.permits.as_deref()
    }

    /// Whether the CA's name constraints allow `name`.
    pub(crate) fn permits_name(&self, name: &SubjectName) -> bool {
        self.permits.as_deref().is_none_or(|permits| permitted_by(permits, name))
    }

    /// The CA's private key as PKCS#8 DER, for `export` (PKCS#12, a Kubernetes Secret); the
    /// same bytes as `ca.key` holds.
    pub(crate) fn key_der(&self) -> Vec<u8> {
        keys::private_key_der(&self.key)
    }

    pub(crate) fn issuer(&self) -> Result<Issuer<'static, &KeyPair>> {
        Issuer::from_ca_cert_der(&self.cert_der.as_slice().into(), &self.key)
            .context("reading the local CA certificate")
    }
}

/// A CA's common name, else its whole subject: what a device lists it as.
fn display_name(x509: &x509_parser::certificate::X509Certificate<'_>) -> String {
    let common_name = x509.subject().iter_common_name().next().and_then(|cn| cn.as_str().ok());
    common_name.map_or_else(|| x509.subject().to_string(), str::to_owned)
}

fn permits_of(x509: &x509_parser::certificate::X509Certificate<'_>) -> Result<Option<Vec<Permit>>> {
    let Some(ext) =
        x509.name_constraints().map_err(|e| anyhow::anyhow!("reading the CA's name constraints: {e}"))?
    else {
        return Ok(None);
    };
    let subtrees = ext.value.permitted_subtrees.as_deref().unwrap_or_default();
    Ok(Some(
        subtrees
            .iter()
            .filter_map(|subtree| match &subtree.base {
                GeneralName::DNSName(name) => Some(Permit::Dns(name.trim_start_matches('.').to_owned())),
                GeneralName::IPAddress(bytes) => net_from_addr_mask(bytes).map(Permit::Ip),
                _ => None,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> SubjectName {
        SubjectName::parse(s).unwrap()
    }

    #[test]
    fn permits_wider_than_useful_are_named() {
        for wide in ["com", "0.0.0.0/0", "10.0.0.0/7", "::/0"] {
            assert!(Permit::parse(wide).unwrap().too_wide().is_some(), "{wide}");
        }
        for fine in ["corp.example", "localhost", "test", "10.0.0.0/8", "192.168.1.0/24", "fc00::/7"] {
            assert_eq!(Permit::parse(fine).unwrap().too_wide(), None, "{fine}");
        }
    }

    #[test]
    fn dns_subtrees_cover_the_name_and_its_subdomains_only() {
        assert!(dns_within("test", "test"));
        assert!(dns_within("app.test", "test"));
        assert!(dns_within("*.app.test", "test"));
        assert!(dns_within("a.home.arpa", "home.arpa"));
        assert!(!dns_within("contest", "test"));
        assert!(!dns_within("test.com", "test"));
        assert!(!dns_within("arpa", "home.arpa"));
    }

    #[test]
    fn permits_parse_names_and_networks() {
        assert_eq!(Permit::parse(".corp.example").unwrap(), Permit::Dns("corp.example".into()));
        assert_eq!(Permit::parse("10.1.2.3/16").unwrap().to_string(), "10.1.0.0/16");
        assert_eq!(Permit::parse("192.168.1.5").unwrap().to_string(), "192.168.1.5/32");
        assert_eq!(Permit::parse("fd00::/8").unwrap().to_string(), "fd00::/8");
        assert!(Permit::parse("10.0.0.0/33").is_err());
        assert!(Permit::parse("*.corp.example").is_err());
        assert!(Permit::parse("bad name").is_err());
    }

    #[test]
    fn ip_networks_contain_their_addresses() {
        let net = |s: &str| match Permit::parse(s).unwrap() {
            Permit::Ip(net) => net,
            Permit::Dns(_) => panic!("{s}"),
        };
        assert!(net("172.16.0.0/12").contains(&"172.31.255.255".parse::<IpAddr>().unwrap()));
        assert!(!net("172.16.0.0/12").contains(&"172.32.0.0".parse::<IpAddr>().unwrap()));
        assert!(net("fe80::/10").contains(&"fe80::1".parse::<IpAddr>().unwrap()));
        assert!(!net("fe80::/10").contains(&"127.0.0.1".parse::<IpAddr>().unwrap()));
        assert!(net("0.0.0.0/0").contains(&"8.8.8.8".parse::<IpAddr>().unwrap()));
    }

    fn ip(s: &str) -> IpNet {
        match Permit::parse(s).unwrap() {
            Permit::Ip(net) => net,
            Permit::Dns(_) => panic!("{s}"),
        }
    }

    fn has(net: &str, addr: &str) -> bool {
        ip(net).contains(&addr.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn host_bits_in_a_range_are_cleared_and_bad_prefixes_refused() {
        assert_eq!(Permit::parse("192.168.1.5/24").unwrap().to_string(), "192.168.1.0/24");
        assert_eq!(Permit::parse("fd00::1/8").unwrap().to_string(), "fd00::/8");
        assert_eq!(Permit::parse("fe80::1").unwrap().to_string(), "fe80::1/128");
        assert_eq!(Permit::parse("10.0.0.0/0").unwrap().to_string(), "0.0.0.0/0");
        assert_eq!(ip("192.168.1.5/24"), ip("192.168.1.0/24"));
        for bad in ["fd00::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/300"] {
            let err = Permit::parse(bad).unwrap_err().to_string();
            assert!(err.contains("prefix must be 0..="), "{bad}: {err}");
        }
    }

    #[test]
    fn ip_networks_edges_in_both_families() {
        assert!(has("10.0.0.0/8", "10.255.255.255"));
        assert!(!has("10.0.0.0/8", "11.0.0.0"));
        assert!(has("192.168.1.5", "192.168.1.5"));
        assert!(!has("192.168.1.5", "192.168.1.4"));
        assert!(has("fc00::/7", "fdff:ffff::1"));
        assert!(!has("fc00::/7", "fe00::"));
        assert!(has("::/0", "2001:db8::1"));
        assert!(!has("::/0", "8.8.8.8"));
        assert!(!has("0.0.0.0/0", "::1"));
    }

    #[test]
    fn mapped_ipv4_addresses_stay_ipv6() {
        // ::ffff:10.0.0.1 is an IPv6 name: an IPv4 range does not cover it, nor the reverse.
        assert!(!has("10.0.0.0/8", "::ffff:10.0.0.1"));
        assert!(has("::ffff:10.0.0.0/104", "::ffff:10.0.0.1"));
        assert!(!has("::ffff:10.0.0.0/104", "10.0.0.1"));
        assert!(!permitted_by(&default_permits(), &name("::ffff:10.0.0.1")));
    }

    #[test]
    fn subtrees_encode_network_and_netmask_octets() {
        assert_eq!(
            Permit::parse("10.1.2.3/16").unwrap().to_subtree(),
            GeneralSubtree::IpAddress(CidrSubnet::V4([10, 1, 0, 0], [255, 255, 0, 0]))
        );
        let mut mask = [0; 16];
        mask[..2].copy_from_slice(&[0xff, 0xc0]);
        let mut addr = [0; 16];
        addr[..2].copy_from_slice(&[0xfe, 0x80]);
        assert_eq!(
            Permit::parse("fe80::1/10").unwrap().to_subtree(),
            GeneralSubtree::IpAddress(CidrSubnet::V6(addr, mask))
        );
        assert_eq!(
            Permit::parse("::1").unwrap().to_subtree(),
            GeneralSubtree::IpAddress(CidrSubnet::V6(u128::from(1u8).to_be_bytes(), [0xff; 16]))
        );
    }

    #[test]
    fn constraint_octets_read_back() {
        assert_eq!(net_from_addr_mask(&[10, 0, 0, 0, 255, 0, 0, 0]), Some(ip("10.0.0.0/8")));
        let mut v6 = [0; 32];
        v6[..2].copy_from_slice(&[0xfc, 0x00]);
        v6[16] = 0xfe;
        assert_eq!(net_from_addr_mask(&v6), Some(ip("fc00::/7")));
        assert_eq!(net_from_addr_mask(&[10, 0, 0, 0]), None);
        // A mask that is not contiguous counts its leading ones.
        assert_eq!(net_from_addr_mask(&[10, 0, 0, 0, 255, 0, 255, 0]), Some(ip("10.0.0.0/8")));
        // Host bits in a stored address are kept for display; matching uses the network, as
        // OpenSSL and webpki do.
        let stored = net_from_addr_mask(&[10, 1, 2, 3, 255, 255, 0, 0]).unwrap();
        assert_eq!(Permit::Ip(stored).to_string(), "10.1.2.3/16");
        assert!(stored.contains(&"10.1.9.9".parse::<IpAddr>().unwrap()));
    }

    #[test]
    fn a_new_ca_carries_and_enforces_its_constraints() {
        let dir = tempfile::tempdir().unwrap();
        let ca = CaDir(dir.path().join("ca"), None)
            .create(&CaOptions::defaults("me@test", time::OffsetDateTime::now_utc()), false)
            .unwrap();
        let permits = ca.permits().unwrap();
        assert_eq!(permits.len(), DEFAULT_DNS_PERMITS.len() + DEFAULT_IP_PERMITS.len());
        assert_eq!(permits[0], Permit::Dns("localhost".into()));
        assert!(permits.contains(&Permit::parse("fc00::/7").unwrap()));
        for ok in [
            "localhost",
            "app.test",
            "*.app.test",
            "printer.local",
            "127.0.0.1",
            "::1",
            "10.9.8.7",
            "fd12::1",
        ] {
            assert!(ca.permits_name(&name(ok)), "{ok}");
        }
        for bad in ["example.com", "google.com", "8.8.8.8", "2001:db8::1", "testing"] {
            assert!(!ca.permits_name(&name(bad)), "{bad}");
        }
    }

    #[test]
    fn an_unconstrained_ca_permits_everything() {
        let dir = tempfile::tempdir().unwrap();
        let options = CaOptions {
            permits: None,
            key: KeyAlgorithm::EcdsaP256,
            owner: "me@test".into(),
            now: time::OffsetDateTime::now_utc(),
        };
        let ca = CaDir(dir.path().to_path_buf(), None).create(&options, false).unwrap();
        assert!(ca.permits().is_none());
        assert!(ca.permits_name(&name("example.com")));
    }

    #[test]
    fn a_dns_only_constraint_leaves_ips_free() {
        let dir = tempfile::tempdir().unwrap();
        let options = CaOptions {
            permits: Some(vec![Permit::parse("corp.example").unwrap()]),
            key: KeyAlgorithm::EcdsaP256,
            owner: "me@test".into(),
            now: time::OffsetDateTime::now_utc(),
        };
        let ca = CaDir(dir.path().to_path_buf(), None).create(&options, false).unwrap();
        assert!(ca.permits_name(&name("a.corp.example")));
        assert!(!ca.permits_name(&name("localhost")));
        assert!(ca.permits_name(&name("8.8.8.8")));
    }
}
