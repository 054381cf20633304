//! `tlsforge proxy`: HTTPS and WSS in front of plain-HTTP services, in one command instead of
//! an nginx block. Composes `ca` (the local CA, made if there is none), `pki::leaf` (the
//! served certificate, in memory only) or `pki::pair` (`--cert/--key`), and `net::proxy`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use anyhow::Result;

use crate::cli::ProxyArgs;
use crate::error::Error;
use crate::host::Host;
use crate::net::interfaces;
use crate::net::proxy::{self, Backend, Control, Route, Routes, Seen, Settings};
use crate::net::server::{Identity, KeyForm, Swappable};
use crate::pki::ca::{CaDir, LocalCa};
use crate::pki::names::SubjectName;
use crate::pki::{format, leaf, pair};
use crate::report::proxy::{CertificateReport, Event, ProxyReport, RouteReport, Sink};

/// The port `proxy` listens on unless told otherwise (the guide's HTTPS port).
pub(crate) const DEFAULT_PORT: u16 = 5443;

/// Days the in-memory certificate is valid: a proxy is restarted long before.
const LEAF_DAYS: u32 = 30;

/// Validated options for `proxy`.
#[derive(Debug)]
pub(crate) struct Options {
    pub listen: SocketAddr,
    pub routes: Routes,
    /// `--cert` and `--key` (absolute), else a certificate from the local CA.
    pub pair: Option<(PathBuf, PathBuf)>,
    pub ca_dir: CaDir,
    pub lan: bool,
    pub upgrade_insecure: bool,
    pub backend_timeout: Duration,
}

impl Options {
    pub(crate) fn from_args(args: &ProxyArgs, host: &Host) -> Result<Self> {
        let to = Backend::parse(&args.to).map_err(|e| Error::input(format!("invalid --to {e}")))?;
        let routes = args
            .routes
            .iter()
            .map(|route| Route::parse(route).map_err(|e| Error::input(format!("invalid --route {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let routes = Routes::new(to, routes).map_err(Error::input)?;
        let listen = match &args.listen {
            Some(text) => interfaces::parse_listen(text, DEFAULT_PORT).map_err(Error::input)?,
            None if args.lan => SocketAddr::from((Ipv4Addr::UNSPECIFIED, DEFAULT_PORT)),
            None => SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
        };
        let pair = match (&args.cert, &args.key) {
            (Some(cert), Some(key)) => Some((host.absolute(cert), host.absolute(key))),
            _ => None,
        };
        Ok(Self {
            listen,
            routes,
            pair,
            ca_dir: super::ca::dir(args.ca_dir.path.clone(), host)?,
            lan: args.lan,
            upgrade_insecure: args.upgrade_insecure,
            backend_timeout: Duration::from_secs(args.backend_timeout),
        })
    }
}

/// Serve until `stop()` (Ctrl-C, SIGTERM); hand each event to `sink` as it happens.
pub(crate) fn execute(
    options: &Options,
    host: &Host,
    stop: &dyn Fn() -> bool,
    sink: &mut dyn Sink,
) -> Result<ProxyReport> {
    // The port first: a taken one stops the run before a CA is made.
    let listener = TcpListener::bind(options.listen).map_err(|e| {
        Error::failed(format!("cannot listen on {}: {}", options.listen, crate::text::io_reason(&e))).hint(
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                "ports below 1024 need root or CAP_NET_BIND_SERVICE: pick another with --listen ADDR:PORT"
            } else {
                "pick another port with --listen ADDR:PORT, or stop what listens there"
            },
        )
    })?;
    let listen = listener.local_addr()?;
    let (identity, certificate, source) = if let Some((cert, key)) = &options.pair {
        let (identity, report) = from_files(cert, key)?;
        (identity, report, Source::Files { cert: cert.clone(), key: key.clone(), seen: stamp(cert, key) })
    } else {
        let (ca, ca_created) = load_ca(&options.ca_dir, host)?;
        let names = local_names(&ca, options, host);
        let (identity, report, not_after) = from_local_ca(&ca, &names, ca_created, host.now)?;
        (identity, report, Source::LocalCa { ca: Box::new(ca), names, not_after })
    };
    let urls = urls(&certificate.names, listen);
    sink.event(&Event::Listening {
        listen: listen.to_string(),
        urls,
        reachable_from_lan: !listen.ip().is_loopback(),
        routes: options
            .routes
            .all()
            .iter()
            .rev()
            .map(|route| RouteReport { prefix: route.prefix.clone(), backend: route.backend.to_string() })
            .collect(),
        certificate,
        upgrade_insecure: options.upgrade_insecure,
        backend_timeout_seconds: options.backend_timeout.as_secs(),
    })?;
    let current = Swappable::new(&identity).map_err(Error::failed)?;
    let settings = Settings {
        listener,
        routes: options.routes.clone(),
        certificate: current.clone(),
        upgrade_insecure: options.upgrade_insecure,
        backend_timeout: options.backend_timeout,
    };
    let mut control =
        Running { options, host, stop, sink, current, source, next_look: Instant::now() + LOOK_EVERY };
    let summary = proxy::run(settings, &mut control)?;
    Ok(ProxyReport { summary })
}

/// Where the served certificate comes from, and what was last seen of it.
enum Source {
    /// `--cert/--key`: reloaded when either file changes (certbot renewing `live/`).
    Files { cert: PathBuf, key: PathBuf, seen: Option<Stamp> },
    /// The local CA: re-issued before it expires, and when the names it should cover change
    /// (a new DHCP lease under `--lan`).
    LocalCa { ca: Box<LocalCa>, names: Vec<SubjectName>, not_after: OffsetDateTime },
}

/// What tells a changed file: its modification time, size and inode.
type Stamp = [(std::time::SystemTime, u64, u64); 2];

fn stamp(cert: &std::path::Path, key: &std::path::Path) -> Option<Stamp> {
    let one = |path: &std::path::Path| {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some((meta.modified().ok()?, meta.len(), inode))
    };
    Some([one(cert)?, one(key)?])
}

/// How often the certificate's source is looked at.
const LOOK_EVERY: Duration = Duration::from_secs(2);

/// Re-issue an in-memory certificate this long before it expires.
const RENEW_BEFORE: time::Duration = time::Duration::days(7);

/// The proxy's [`Control`]: Ctrl-C, the access log, and keeping the certificate current.
struct Running<'a> {
    options: &'a Options,
    host: &'a Host,
    stop: &'a dyn Fn() -> bool,
    sink: &'a mut dyn Sink,
    current: Arc<Swappable>,
    source: Source,
    next_look: Instant,
}

impl Control for Running<'_> {
    fn stop(&mut self) -> bool {
        (self.stop)()
    }

    fn seen(&mut self, seen: Seen) -> Result<()> {
        self.sink.event(&match seen {
            Seen::Access(access) => Event::Request(access),
            Seen::Check(check) => Event::Check(check),
        })
    }

    fn flush(&mut self) -> Result<()> {
        self.sink.flush()
    }

    fn tick(&mut self) -> Result<()> {
        if Instant::now() < self.next_look {
            return Ok(());
        }
        self.next_look = Instant::now() + LOOK_EVERY;
        // A server that runs for weeks needs the clock as it is now, not as it was at start.
        let now = OffsetDateTime::now_utc();
        let renewed = match &mut self.source {
            Source::Files { cert, key, seen } => {
                let now_seen = stamp(cert, key);
                if now_seen.is_none() || now_seen == *seen {
                    return Ok(());
                }
                // Once per change: a half-written renewal is retried when the files change again.
                *seen = now_seen;
                from_files(cert, key).map(|(identity, report)| (identity, report, "the files changed"))
            }
            Source::LocalCa { ca, names, not_after } => {
                let wanted = local_names(ca, self.options, self.host);
                let why = if wanted != *names {
                    "the names to cover changed"
                } else if now + RENEW_BEFORE >= *not_after {
                    "it expires within 7 days"
                } else {
                    return Ok(());
                };
                let made = from_local_ca(ca, &wanted, false, now);
                if let Ok((_, _, until)) = &made {
                    *names = wanted;
                    *not_after = *until;
                }
                made.map(|(identity, report, _)| (identity, report, why))
            }
        };
        let event = match renewed.and_then(|(identity, report, why)| {
            self.current.replace(&identity).map_err(|e| anyhow::anyhow!(e))?;
            Ok((report, why))
        }) {
            Ok((certificate, why)) => Event::Certificate { certificate, reason: why.to_owned() },
            Err(error) => Event::CertificateKept { error: format!("{error:#}") },
        };
        self.sink.event(&event)
    }
}

/// `--cert`/`--key`: checked as a pair (the key belongs to the certificate and signs for it),
/// served with the chain the certificate file carries.
fn from_files(cert: &std::path::Path, key: &std::path::Path) -> Result<(Identity, CertificateReport)> {
    let checked = pair::load(cert, key)?;
    let (chain, block) = pair::serving(&checked)?;
    let key_form = KeyForm::from_label(&block.label).ok_or_else(|| {
        Error::failed(format!("{} holds a {}, not a key rustls serves", key.display(), block.label))
    })?;
    let report = CertificateReport {
        source: "files",
        names: checked.names(),
        path: cert.to_path_buf(),
        ca_created: false,
        not_after: not_after(checked.cert_der()),
    };
    Ok((Identity { chain, key: block.der, key_form }, report))
}

/// The local CA, made if there is none; it may always vouch for the loopback names.
fn load_ca(dir: &CaDir, host: &Host) -> Result<(LocalCa, bool)> {
    super::generate::load_ca_for(dir, &loopback_names(), &host.owner, host.now)
}

fn loopback_names() -> Vec<SubjectName> {
    ["localhost", "127.0.0.1", "::1"].iter().filter_map(|n| SubjectName::parse(n).ok()).collect()
}

/// What the in-memory certificate covers: loopback names, `HOSTNAME.local`, the address
/// listened on and, with `--lan` (or listening everywhere), every LAN address the OS lists now
/// — those the CA may vouch for.
fn local_names(ca: &LocalCa, options: &Options, host: &Host) -> Vec<SubjectName> {
    super::generate::served_names(loopback_names(), ca, host, options.listen.ip(), options.lan)
}

/// A certificate from the local CA for `names`, in memory only, and when it expires.
fn from_local_ca(
    ca: &LocalCa,
    names: &[SubjectName],
    ca_created: bool,
    now: OffsetDateTime,
) -> Result<(Identity, CertificateReport, OffsetDateTime)> {
    let made = leaf::in_memory(ca, names.to_vec(), LEAF_DAYS, now)?;
    let report = CertificateReport {
        source: "local-ca",
        names: names.iter().map(ToString::to_string).collect(),
        path: ca.dir().cert_path(),
        ca_created,
        not_after: format::rfc3339(made.not_after),
    };
    Ok((Identity::pkcs8(made.chain, made.key), report, made.not_after))
}

fn not_after(der: &[u8]) -> String {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, cert)| format::rfc3339(cert.validity().not_after.to_datetime()))
        .unwrap_or_default()
}

/// What to open: the names the certificate covers that reach this listener — its own address,
/// `localhost` when it listens on loopback, every name of its address family when it listens on
/// all of them (`::` takes IPv4 too), and DNS names whenever it is not on loopback only.
fn urls(names: &[String], listen: SocketAddr) -> Vec<String> {
    let port = listen.port();
    let at = listen.ip();
    let family =
        |ip: IpAddr| ip.is_ipv4() == at.is_ipv4() || at == IpAddr::from(std::net::Ipv6Addr::UNSPECIFIED);
    let mut urls = Vec::new();
    for name in names {
        let reachable = match name.parse::<IpAddr>() {
            Ok(ip) => ip == at || (at.is_unspecified() && family(ip)),
            Err(_) if name.contains('*') => false,
            Err(_) if name == "localhost" => at.is_loopback() || at.is_unspecified(),
            Err(_) => !at.is_loopback(),
        };
        if reachable {
            let host = if name.contains(':') { format!("[{name}]") } else { name.clone() };
            urls.push(format!("https://{host}:{port}/"));
        }
    }
    if urls.is_empty() {
        urls.push(format!("https://{listen}/"));
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_what_reaches_the_listener() {
        let names: Vec<String> =
            ["localhost", "127.0.0.1", "::1", "laptop.local", "192.168.1.20"].map(str::to_owned).to_vec();
        assert_eq!(
            urls(&names, "127.0.0.1:5443".parse().unwrap()),
            ["https://localhost:5443/", "https://127.0.0.1:5443/"]
        );
        let everywhere = urls(&names, "0.0.0.0:5443".parse().unwrap());
        assert_eq!(
            everywhere,
            [
                "https://localhost:5443/",
                "https://127.0.0.1:5443/",
                "https://laptop.local:5443/",
                "https://192.168.1.20:5443/"
            ]
        );
        assert_eq!(urls(&names, "[::]:5443".parse().unwrap()).len(), 5);
        let one = urls(&names, "192.168.1.20:443".parse().unwrap());
        assert_eq!(one, ["https://laptop.local:443/", "https://192.168.1.20:443/"]);
    }
}
