//! `tlsforge share`: serve the local CA to the devices on the LAN (one scan of a QR code) and
//! watch each of them check HTTPS, the microphone API and `wss://` with it. Composes `ca` (the
//! CA, made if there is none), `pki::leaf` (a certificate for the served address, in memory
//! only) and `net::share` (the server); what devices do becomes [`Event`]s as it happens.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::ShareArgs;
use crate::error::Error;
use crate::host::Host;
use crate::net::interfaces;
use crate::net::server::Identity;
use crate::net::share::{Device, Findings, Hit, ShareServer, Site};
use crate::pki::ca::CaDir;
use crate::pki::format;
use crate::pki::leaf;
use crate::pki::names::SubjectName;
use crate::report::share::{Event, ShareReport, Stop};

/// How often the run looks at the clock and at Ctrl-C while no device does anything.
const TICK: Duration = Duration::from_millis(100);

/// Devices whose latest result is remembered (a result repeated unchanged is not reported
/// again); more devices than this are still served, their results reported every time.
const MAX_DEVICES: usize = 256;

/// Validated options for `share`.
#[derive(Debug)]
pub(crate) struct Options {
    /// Where to bind.
    pub listen: SocketAddr,
    /// The address devices are given (the bound one, or the LAN address when bound to all).
    pub advertised: IpAddr,
    pub timeout: Duration,
    pub once: bool,
    pub ca_dir: CaDir,
}

impl Options {
    pub(crate) fn from_args(args: &ShareArgs, host: &Host) -> Result<Self> {
        Self::new(
            args.listen.as_deref(),
            Duration::from_secs(args.timeout),
            args.once,
            args.ca_dir.path.clone(),
            host,
        )
    }

    pub(crate) fn new(
        listen: Option<&str>,
        timeout: Duration,
        once: bool,
        ca_dir: Option<std::path::PathBuf>,
        host: &Host,
    ) -> Result<Self> {
        let listen = match listen {
            Some(text) => interfaces::parse_listen(text, 0).map_err(Error::input)?,
            None => SocketAddr::new(primary_address()?, 0),
        };
        let advertised = if listen.ip().is_unspecified() { primary_address()? } else { listen.ip() };
        Ok(Self { listen, advertised, timeout, once, ca_dir: super::ca::dir(ca_dir, host)? })
    }
}

/// The address a phone on the LAN most likely shares a network with: the first private IPv4
/// address, else the first IPv4, else the first IPv6 the OS lists.
fn primary_address() -> Result<IpAddr> {
    let addresses: Vec<IpAddr> = interfaces::lan_addresses().into_iter().map(|a| a.ip).collect();
    let private = |ip: &IpAddr| matches!(ip, IpAddr::V4(v4) if v4.is_private());
    addresses
        .iter()
        .find(|ip| private(ip))
        .or_else(|| addresses.iter().find(|ip| ip.is_ipv4()))
        .or_else(|| addresses.first())
        .copied()
        .ok_or_else(|| {
            Error::failed("this machine has no LAN address for other devices to reach")
                .hint("join the phone's network (Wi-Fi), or try it here with --listen 127.0.0.1")
                .into()
        })
}

/// Serve until the timeout, `stop()` (Ctrl-C), or with `once` the first device that passes;
/// hand each event to `emit` as it happens.
pub(crate) fn execute(
    options: &Options,
    host: &Host,
    stop: &dyn Fn() -> bool,
    emit: &mut dyn FnMut(&Event) -> Result<()>,
) -> Result<ShareReport> {
    let (server, hits, listening) = start(options, host)?;
    emit(&listening)?;
    let report = watch(options, &hits, stop, emit);
    drop(server);
    report
}

/// Bind, load (or make) the CA, issue the check page's certificate and start serving.
fn start(options: &Options, host: &Host) -> Result<(ShareServer, Receiver<Hit>, Event)> {
    // The port first: a taken one stops the run before a CA is made.
    let listener = TcpListener::bind(options.listen).map_err(|e| {
        Error::failed(format!("cannot listen on {}: {}", options.listen, crate::text::io_reason(&e)))
            .hint("pick another port with --listen ADDR:PORT, or an address this machine has")
    })?;
    let advertised = SubjectName::Ip(options.advertised);
    let (ca, ca_created) = super::generate::load_ca_for(
        &options.ca_dir,
        std::slice::from_ref(&advertised),
        &host.owner,
        host.now,
    )?;
    // Devices are told to trust this CA: not when other users could have swapped it.
    options.ca_dir.check_private(true)?;
    // The check page's certificate: the advertised address, this host's mDNS name and, when
    // bound to every interface, each LAN address — those the CA may vouch for. Never on disk.
    let names = super::generate::served_names(vec![advertised], &ca, host, options.listen.ip(), false);
    let made = leaf::in_memory(&ca, names.clone(), 1, host.now)?;
    let identity = Identity::pkcs8(made.chain, made.key);

    let port = listener.local_addr()?.port();
    let authority = match options.advertised {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    };
    let fingerprint = format::sha256_fingerprint(ca.cert_der());
    let site = Site {
        ca_der: ca.cert_der().to_vec(),
        ca_name: ca.display_name().to_owned(),
        fingerprint: fingerprint.clone(),
        authority,
    };
    let hosts = names
        .iter()
        .map(|name| match name {
            SubjectName::Ip(IpAddr::V6(v6)) => format!("[{v6}]"),
            other => other.to_string().to_ascii_lowercase(),
        })
        .collect();
    let (sender, hits) = mpsc::channel();
    let server = ShareServer::start(listener, &identity, site.clone(), hosts, sender)
        .map_err(|e| Error::failed(format!("cannot serve: {e}")))?;
    let listen = server.local_addr();
    let listening = Event::Listening {
        url: site.landing_url(),
        check_url: site.check_url(),
        listen: listen.to_string(),
        reachable_from_lan: !listen.ip().is_loopback(),
        names: names.iter().map(ToString::to_string).collect(),
        ca_subject: ca.subject().to_owned(),
        ca_cert_path: ca.dir().cert_path(),
        ca_created,
        fingerprint_sha256: fingerprint,
        timeout_seconds: options.timeout.as_secs(),
        once: options.once,
    };
    Ok((server, hits, listening))
}

/// Turn what devices do into events until it is time to stop.
fn watch(
    options: &Options,
    hits: &Receiver<Hit>,
    stop: &dyn Fn() -> bool,
    emit: &mut dyn FnMut(&Event) -> Result<()>,
) -> Result<ShareReport> {
    let deadline = Instant::now() + options.timeout;
    // Each device's latest findings: a result repeated unchanged is not reported again.
    let mut latest: HashMap<(IpAddr, Device), Findings> = HashMap::new();
    let mut refused: Vec<IpAddr> = Vec::new();
    let stopped = loop {
        if stop() {
            break Stop::Interrupted;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break Stop::Timeout;
        }
        let hit = match hits.recv_timeout(left.min(TICK)) {
            Ok(hit) => hit,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break Stop::Interrupted,
        };
        let event = match hit {
            Hit::Visit { peer, device, user_agent } => Event::Visit { peer, device, user_agent },
            Hit::Download { peer, device, format } => {
                Event::Download { peer, device, file: Site::file_name(format), format }
            }
            Hit::Refused { peer, alert } => {
                // Once per device until it gets through: browsers retry.
                if refused.contains(&peer) || refused.len() >= MAX_DEVICES {
                    continue;
                }
                refused.push(peer);
                Event::Refused { peer, alert }
            }
            Hit::Results { peer, device, findings, fixes } => {
                refused.retain(|other| *other != peer);
                let key = (peer, device);
                if latest.get(&key) == Some(&findings) {
                    continue;
                }
                if latest.len() < MAX_DEVICES || latest.contains_key(&key) {
                    latest.insert(key, findings);
                }
                Event::Check { peer, device, findings, passed: findings.passed(), fixes }
            }
        };
        emit(&event)?;
        if options.once && matches!(event, Event::Check { passed: true, .. }) {
            break Stop::Passed;
        }
    };
    let mut passed: Vec<String> = latest
        .iter()
        .filter(|(_, findings)| findings.passed())
        .map(|((peer, device), _)| format!("{} ({peer})", device.label()))
        .collect();
    passed.sort();
    Ok(ShareReport { stopped, passed, checked: latest.len(), once: options.once })
}

/// Exit 1 when `--once` was asked for and no device passed.
pub(crate) fn outcome(report: &ShareReport) -> Result<()> {
    if report.once && report.stopped != Stop::Passed && report.stopped != Stop::Interrupted {
        return Err(Error::failed("no device passed every check before the timeout (--once)")
            .hint("the lines above say what failed on each device and how to fix it")
            .into());
    }
    Ok(())
}
