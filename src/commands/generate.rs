//! `tlsforge gen`: a certificate and key for domains and IPs, self-signed or from the local CA.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::password::{self, Purpose};
use crate::cli::GenArgs;
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::host::Host;
use crate::inventory;
use crate::net::interfaces;
use crate::pki;
use crate::pki::ca::{CaDir, CaOptions, LocalCa};
use crate::pki::format;
use crate::pki::keys::{self, KeyAlgorithm};
use crate::pki::leaf::{self, LeafRequest};
use crate::pki::names::{self, SubjectName};
use crate::pki::p12::{P12Profile, Password};
use crate::report::generate::{GenReport, Mode, P12Written};
use time::OffsetDateTime;

/// Validated options for one `gen` run.
#[derive(Debug)]
pub(crate) struct Options {
    pub request: LeafRequest,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    /// `Some` in local-CA mode.
    pub ca_dir: Option<CaDir>,
    pub force: bool,
    /// Said before anything is made (the CA would land in root's home under sudo).
    pub warnings: Vec<String>,
    /// `--lan`: this machine's LAN addresses and mDNS name, each with where it comes from;
    /// covered when the CA permits them, else left out with a note.
    pub lan: Vec<(SubjectName, String)>,
    /// `--p12`: also `NAME.p12` beside the pair.
    pub p12: Option<P12Request>,
    /// `renew --reuse-key`: sign for the key already in this file instead of a new one.
    pub reuse_key: Option<PathBuf>,
}

/// `gen --p12`: where, how protected, and under which friendly name.
#[derive(Debug)]
pub(crate) struct P12Request {
    pub path: PathBuf,
    pub profile: P12Profile,
    pub password: Password,
    pub alias: String,
}

/// What a `gen` run is asked for, before validation: by `gen`'s flags or `setup`'s answers.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "gen's flags, as setup answers them too")]
pub(crate) struct Request<'a> {
    pub names: &'a [String],
    pub domains: &'a [String],
    pub ips: &'a [String],
    pub days: u32,
    pub key: KeyAlgorithm,
    pub client_auth: bool,
    pub out: &'a Path,
    pub basename: &'a str,
    /// Local-CA mode (`--ca`), with the CA in `ca_dir` (`None`: the default directory).
    pub ca: bool,
    pub ca_dir: Option<PathBuf>,
    pub force: bool,
    /// `--lan`: add this machine's LAN addresses and `HOSTNAME.local`.
    pub lan: bool,
}

impl Options {
    pub(crate) fn from_args(args: &GenArgs, host: &Host) -> Result<Self> {
        let mut options = Self::new(
            &Request {
                names: &args.names,
                domains: &args.domains,
                ips: &args.ips,
                days: args.days,
                key: args.key,
                client_auth: args.client,
                out: &args.out,
                basename: &args.basename,
                ca: args.ca,
                ca_dir: args.ca_dir.path.clone(),
                force: args.force,
                lan: args.lan,
            },
            host,
        )?;
        if args.p12 {
            // The alias is NAME: refused before the password is asked for.
            crate::pki::p12::check_alias(&args.basename)
                .map_err(|e| Error::input(format!("invalid --name for --p12: {e}")))?;
            let path = options.cert_path.with_extension("p12");
            if !args.force {
                // Before the password is asked for, not after.
                refuse_existing([&options.cert_path, &options.key_path, &path])?;
            }
            let file = args.p12_options.password.p12_password_file.as_ref().map(|f| host.absolute(f));
            let password = password::resolve(file.as_deref(), host, Purpose::Create, "the PKCS#12 file")?;
            options.p12 = Some(P12Request {
                path,
                profile: args.p12_options.p12_profile,
                password,
                alias: args.basename.clone(),
            });
        }
        Ok(options)
    }

    pub(crate) fn new(request: &Request<'_>, host: &Host) -> Result<Self> {
        let names = collect_names(request.names, request.domains, request.ips)?;
        check_basename(request.basename)?;
        let out = host.absolute(request.out);
        let mut warnings = Vec::new();
        let ca_dir = if request.ca {
            let dir = super::ca::dir(request.ca_dir.clone(), host)?;
            warnings.extend(dir.sudo_warning(request.ca_dir.is_some(), host.sudo_user.as_deref()));
            Some(dir)
        } else {
            None
        };
        if fsutil::world_writable(&out) {
            warnings.push(format!(
                "{} is writable by every user: another user could replace {}.key there or take its name first; \
                 keep keys in a directory only you can write",
                out.display(),
                request.basename
            ));
        }
        Ok(Self {
            request: LeafRequest {
                names,
                days: request.days,
                key: request.key,
                client_auth: request.client_auth,
            },
            cert_path: out.join(format!("{}.crt", request.basename)),
            key_path: out.join(format!("{}.key", request.basename)),
            ca_dir,
            force: request.force,
            warnings,
            lan: if request.lan { lan_names(host) } else { Vec::new() },
            p12: None,
            reuse_key: None,
        })
    }
}

/// What other devices on the LAN would type: `HOSTNAME.local`, then every address of a
/// non-loopback interface, as the OS lists them.
fn lan_names(host: &Host) -> Vec<(SubjectName, String)> {
    let mdns = mdns_name(host).map(|name| (name, "this host's mDNS name".to_owned()));
    let addresses = interfaces::lan_addresses()
        .into_iter()
        .map(|a| (SubjectName::Ip(a.ip), format!("an address of {}", a.interface)));
    mdns.into_iter().chain(addresses).collect()
}

/// `HOSTNAME.local`, when the host name makes a valid one.
fn mdns_name(host: &Host) -> Option<SubjectName> {
    host.hostname.as_deref().and_then(interfaces::mdns_name).and_then(|name| SubjectName::parse(&name).ok())
}

/// What a certificate kept in memory by a server (`share`, `proxy`) covers: `first`, then
/// `HOSTNAME.local`, the address it listens on (unless loopback or every interface) and, with
/// `lan` or when it listens on every interface, each LAN address the OS lists now — those the
/// CA may vouch for, without repeats.
pub(super) fn served_names(
    first: Vec<SubjectName>,
    ca: &LocalCa,
    host: &Host,
    listen: std::net::IpAddr,
    lan: bool,
) -> Vec<SubjectName> {
    let mut names = first;
    names.extend(mdns_name(host));
    if !listen.is_unspecified() && !listen.is_loopback() {
        names.push(SubjectName::Ip(listen));
    }
    if lan || listen.is_unspecified() {
        names.extend(interfaces::lan_addresses().into_iter().map(|a| SubjectName::Ip(a.ip)));
    }
    names.retain(|name| ca.permits_name(name));
    names::dedup(names)
}

/// Positional names and `--domain` are DNS names or IPs; `--ip` must be an IP. With no names
/// at all, the loopback defaults.
pub(crate) fn collect_names(
    positional: &[String],
    domains: &[String],
    ips: &[String],
) -> Result<Vec<SubjectName>> {
    let mut names = Vec::new();
    for input in positional.iter().chain(domains) {
        names.push(SubjectName::parse(input).map_err(|e| Error::input(e.to_string()))?);
    }
    for input in ips {
        names.push(SubjectName::parse_ip(input).map_err(|e| Error::input(format!("invalid --ip: {e}")))?);
    }
    if names.is_empty() {
        names = names::DEFAULT_NAMES.iter().map(|n| SubjectName::parse(n).expect("valid default")).collect();
    }
    Ok(names::dedup(names))
}

fn check_basename(name: &str) -> Result<()> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(Error::input(format!(
            "invalid --name {name:?}: a file base name, without directories or control characters"
        ))
        .hint("use --out DIR for the directory")
        .into());
    }
    Ok(())
}

/// Make and write the certificate and key. Nothing is written unless everything succeeds;
/// concurrent runs on one pair take turns, and a run killed half-way is completed first.
pub(crate) fn execute(options: &Options, host: &Host) -> Result<GenReport> {
    let set = match &options.p12 {
        Some(p12) => fsutil::FileSet::pair_and(&options.key_path, &options.cert_path, &p12.path),
        None => fsutil::FileSet::pair(&options.key_path, &options.cert_path),
    }
    .ok_or_else(|| Error::input(format!("invalid output path {}", options.cert_path.display())))?;
    if let Some(dir) = options.cert_path.parent() {
        fsutil::create_dir(dir)?;
    }
    let lock = set.lock()?;
    if !options.force {
        // Refuse before the (possibly slow) key generation; the write re-checks atomically.
        refuse_existing(
            [&options.cert_path, &options.key_path].into_iter().chain(options.p12.as_ref().map(|p| &p.path)),
        )?;
    }
    let ca = match &options.ca_dir {
        Some(dir) => Some(load_ca_for(dir, &options.request.names, &host.owner, host.now)?),
        None => None,
    };
    // LAN names the CA may vouch for join the names given; the others are left out, with why.
    let mut request = options.request.clone();
    let mut notes = Vec::new();
    for (name, source) in &options.lan {
        if let Some((ca, _)) = &ca
            && !ca.permits_name(name)
        {
            notes.push(format!(
                "left out {name} ({source}): the local CA's name constraints do not permit it \
                 (`tlsforge ca init --permit {name} --force` would, for a new CA to trust again)"
            ));
        } else if !request.names.contains(name) {
            request.names.push(name.clone());
        }
    }
    if !options.lan.is_empty() && options.lan.iter().all(|(name, _)| !matches!(name, SubjectName::Ip(_))) {
        notes.push("no LAN address found: this machine has no network interface but loopback".to_owned());
    }
    let now = host.now;
    let key = match &options.reuse_key {
        Some(path) => reused_key(path)?,
        None => keys::generate(request.key)?,
    };
    let issued = match &ca {
        Some((ca, _)) => leaf::issued_by(&request, &key, ca, now)?,
        None => leaf::self_signed(&request, &key, now)?,
    };
    let key_pem = keys::private_key_pem(&key);
    let p12 = match &options.p12 {
        Some(p12) => {
            let chain: Vec<Vec<u8>> = std::iter::once(issued.cert_der.clone())
                .chain(ca.as_ref().map(|(ca, _)| ca.cert_der().to_vec()))
                .collect();
            Some(
                pki::p12::build(&keys::private_key_der(&key), &chain, &p12.alias, &p12.password, p12.profile)
                    .map_err(Error::failed)?,
            )
        }
        None => None,
    };
    let mut files = vec![
        NewFile::private(options.key_path.clone(), key_pem.as_bytes()),
        NewFile::public(options.cert_path.clone(), issued.cert_pem.as_bytes()),
    ];
    if let (Some(request), Some(bytes)) = (&options.p12, &p12) {
        files.push(NewFile::private(request.path.clone(), bytes));
    }
    lock.write(&files, options.force)?;
    drop(lock);
    notes.extend(record(options, host, &request, &issued, ca.as_ref().map(|(ca, _)| ca)));
    Ok(GenReport {
        cert_path: options.cert_path.clone(),
        key_path: options.key_path.clone(),
        names: request.names.iter().map(ToString::to_string).collect(),
        notes,
        not_before: format::rfc3339(issued.not_before),
        not_after: format::rfc3339(issued.not_after),
        days: options.request.days,
        key_type: options.request.key,
        mode: if ca.is_some() { Mode::Ca } else { Mode::SelfSigned },
        fingerprint_sha256: format::sha256_fingerprint(&issued.cert_der),
        ca_cert_path: ca.as_ref().map(|(ca, _)| ca.dir().cert_path()),
        ca_created: ca.as_ref().map(|(_, created)| *created),
        p12: options.p12.as_ref().map(|p12| P12Written {
            path: p12.path.clone(),
            profile: p12.profile,
            alias: p12.alias.clone(),
        }),
    })
}

/// The key in `path`, to sign for again (`renew --reuse-key`).
fn reused_key(path: &Path) -> Result<rcgen::KeyPair> {
    let text = crate::input::read_to_string(path, crate::input::CERTIFICATE)
        .map_err(|e| Error::failed(format!("cannot read the key {}: {}", path.display(), e.reason())))?;
    keys::from_pem(&text).map_err(|e| {
        Error::failed(format!("{}: {e:#}", path.display()))
            .hint("renew without --reuse-key for a new key")
            .into()
    })
}

/// Record what was written in the inventory; a note when that failed (the files are written
/// either way).
fn record(
    options: &Options,
    host: &Host,
    request: &LeafRequest,
    issued: &leaf::Issued,
    ca: Option<&LocalCa>,
) -> Option<String> {
    let path = host.inventory.as_ref()?;
    let serial = pki::describe::CertificateInfo::from_der(&issued.cert_der)
        .map(|(info, _)| info.serial)
        .unwrap_or_default();
    let entry = inventory::Entry {
        cert_path: options.cert_path.clone(),
        key_path: options.key_path.clone(),
        p12_path: options.p12.as_ref().map(|p12| p12.path.clone()),
        names: request.names.iter().map(ToString::to_string).collect(),
        key_type: request.key,
        issuer: match ca {
            Some(ca) => inventory::Issuer::LocalCa {
                ca_dir: ca.dir().path().to_path_buf(),
                fingerprint_sha256: format::sha256_fingerprint(ca.cert_der()),
            },
            None => inventory::Issuer::SelfSigned,
        },
        serial,
        fingerprint_sha256: format::sha256_fingerprint(&issued.cert_der),
        not_before: format::rfc3339(issued.not_before),
        not_after: format::rfc3339(issued.not_after),
        recorded_at: format::rfc3339(host.now),
        made_with: inventory::MadeWith {
            days: request.days,
            key: request.key,
            lan: !options.lan.is_empty(),
            given: (!options.lan.is_empty())
                .then(|| options.request.names.iter().map(ToString::to_string).collect()),
            client_auth: request.client_auth,
            p12: options.p12.as_ref().map(|p12| p12.profile),
            adopted: false,
        },
    };
    let inventory = inventory::Inventory::at(path.clone());
    match inventory.update(|entries| inventory::record(entries, entry)) {
        Ok(()) => None,
        Err(e) => Some(format!("not recorded in the inventory ({e:#}): `tlsforge list` will not show it")),
    }
}

/// The first of `paths` that exists, as an error.
fn refuse_existing<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Result<()> {
    super::refuse_existing(
        paths.into_iter().map(PathBuf::as_path),
        "pass --force to replace it, or --name/--out to write elsewhere",
    )
}

/// Load (or create) the CA and check that it may vouch for every name, before anything is
/// written for the leaf.
pub(super) fn load_ca_for(
    dir: &CaDir,
    names: &[SubjectName],
    owner: &str,
    now: OffsetDateTime,
) -> Result<(LocalCa, bool)> {
    dir.recover()?;
    if let Some(ca) = dir.load()? {
        check_permitted(&ca, names)?;
        return Ok((ca, false));
    }
    // A new CA gets the default constraints: check first so that a refused name does not
    // leave a CA behind either.
    let probe = CaOptions::defaults(owner, now);
    if let Some(permits) = &probe.permits {
        let rejected = rejected_names(names, |name| crate::pki::ca::permitted_by(permits, name));
        if !rejected.is_empty() {
            return Err(not_permitted(&rejected, dir.path()));
        }
    }
    let (ca, created) = dir.load_or_create(&probe)?;
    check_permitted(&ca, names)?;
    Ok((ca, created))
}

fn check_permitted(ca: &LocalCa, names: &[SubjectName]) -> Result<()> {
    let rejected = rejected_names(names, |name| ca.permits_name(name));
    if rejected.is_empty() { Ok(()) } else { Err(not_permitted(&rejected, ca.dir().path())) }
}

fn rejected_names(names: &[SubjectName], permitted: impl Fn(&SubjectName) -> bool) -> Vec<String> {
    names.iter().filter(|name| !permitted(name)).map(ToString::to_string).collect()
}

fn not_permitted(rejected: &[String], dir: &Path) -> anyhow::Error {
    let list = rejected.join(", ");
    let permit_flags: String = rejected
        .iter()
        .map(|n| n.trim_start_matches("*."))
        .fold(String::new(), |flags, n| flags + " --permit " + n);
    Error::input(format!(
        "the local CA in {} is name-constrained and may not issue for {list}",
        dir.display()
    ))
    .hint(format!(
        "drop --ca for a self-signed certificate, or widen the CA with `tlsforge ca init{permit_flags} --force` and trust it again"
    ))
    .into()
}
