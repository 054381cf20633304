//! The server behind `tlsforge share`: on one port, plain HTTP for the page that installs the
//! local CA and HTTPS (told apart by the first byte, a TLS handshake's 0x16) for the check
//! page and its `wss://` echo. Only the known paths are answered, only `GET`/`HEAD` (and `POST`
//! of a page's results); requests, bodies, connections and their lifetimes are bounded; what
//! devices do arrives on a channel as [`Hit`]s. Nothing is read from disk while serving.

mod device;
pub(crate) mod echo;
mod http;
mod pages;

use std::collections::HashSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, StreamOwned};
use serde::Deserialize;

pub(crate) use device::{Device, Findings, Os};
pub(crate) use pages::{Site, check_page};

use super::server::{Acceptor, Identity, tls_config};
use crate::pki::export::ExportFormat;
use http::{Conn, Request, Response};

/// Connections served at once; more are closed at once.
pub(crate) const MAX_CONNECTIONS: usize = 64;

/// The longest a connection may take for its handshake, request and response.
const CONNECTION_TIME: Duration = Duration::from_secs(20);

/// The longest a `wss://` echo connection stays open.
const ECHO_TIME: Duration = Duration::from_secs(30);

/// Devices remembered as having downloaded the CA (for the fix a failed check gets).
const MAX_REMEMBERED: usize = 256;

/// The most of a user agent kept for reports.
const MAX_USER_AGENT: usize = 256;

/// What a device did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hit {
    /// It opened the install page.
    Visit { peer: IpAddr, device: Device, user_agent: String },
    /// It downloaded the CA.
    Download { peer: IpAddr, device: Device, format: ExportFormat },
    /// Its browser refused the certificate during the TLS handshake (an alert).
    Refused { peer: IpAddr, alert: String },
    /// A page posted what it found; `fixes` says what to do about each failure.
    Results { peer: IpAddr, device: Device, findings: Findings, fixes: Vec<String> },
}

/// A running server; dropping it stops it.
#[derive(Debug)]
pub(crate) struct ShareServer {
    acceptor: Acceptor,
}

struct State {
    tls: Arc<ServerConfig>,
    site: Site,
    /// Host names the `Host` header may carry (lower-case, IPv6 in brackets).
    hosts: Vec<String>,
    hits: Mutex<Sender<Hit>>,
    downloaded: Mutex<HashSet<IpAddr>>,
}

impl ShareServer {
    /// Serve on `listener` with `identity` (a leaf for `hosts`) until dropped.
    pub(crate) fn start(
        listener: TcpListener,
        identity: &Identity,
        site: Site,
        hosts: Vec<String>,
        hits: Sender<Hit>,
    ) -> Result<Self, String> {
        let state = Arc::new(State {
            tls: Arc::new(tls_config(identity)?),
            site,
            hosts,
            hits: Mutex::new(hits),
            downloaded: Mutex::new(HashSet::new()),
        });
        let acceptor = Acceptor::start(listener, "tlsforge-share", MAX_CONNECTIONS, move |tcp, peer| {
            serve(tcp, peer, &state);
        })?;
        Ok(Self { acceptor })
    }

    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.acceptor.local_addr()
    }
}

impl State {
    fn hit(&self, hit: Hit) {
        let _ = self.hits.lock().unwrap_or_else(PoisonError::into_inner).send(hit);
    }
}

fn serve(tcp: TcpStream, peer: SocketAddr, state: &State) {
    let deadline = Instant::now() + CONNECTION_TIME;
    if tcp.set_write_timeout(Some(CONNECTION_TIME)).is_err()
        || tcp.set_read_timeout(Some(CONNECTION_TIME)).is_err()
    {
        return;
    }
    let mut first = [0u8; 1];
    let Ok(1) = tcp.peek(&mut first) else { return };
    let mut conn = if first[0] == 0x16 {
        match handshake(tcp, state, peer.ip(), deadline) {
            Some(tls) => Conn::Tls(Box::new(tls)),
            None => return,
        }
    } else {
        Conn::Plain(tcp)
    };
    match http::read_request(&mut conn, deadline) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            if let Some(response) = respond(&request, &mut conn, peer.ip(), state) {
                let _ = response.send(&mut conn, head_only);
            }
        }
        Err(refusal) => {
            if let Some(response) = Response::for_refusal(&refusal) {
                let _ = response.send(&mut conn, false);
            }
        }
    }
    conn.close();
}

/// The TLS handshake, to the end, before `deadline`; a browser that refuses the certificate
/// says so with an alert.
fn handshake(
    tcp: TcpStream,
    state: &State,
    peer: IpAddr,
    deadline: Instant,
) -> Option<StreamOwned<ServerConnection, TcpStream>> {
    let connection = ServerConnection::new(state.tls.clone()).ok()?;
    let mut tls = StreamOwned::new(connection, tcp);
    while tls.conn.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || tls.sock.set_read_timeout(Some(left)).is_err() {
            return None;
        }
        if let Err(error) = tls.conn.complete_io(&mut tls.sock) {
            let alert = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()).and_then(
                |e| match e {
                    rustls::Error::AlertReceived(alert) => Some(alert_name(*alert)),
                    _ => None,
                },
            );
            if let Some(alert) = alert {
                state.hit(Hit::Refused { peer, alert });
            }
            return None;
        }
    }
    Some(tls)
}

/// An alert as TLS names it (`unknown_ca`).
fn alert_name(alert: rustls::AlertDescription) -> String {
    use rustls::AlertDescription as A;
    match alert {
        A::UnknownCA => "unknown_ca".to_owned(),
        A::BadCertificate => "bad_certificate".to_owned(),
        A::CertificateUnknown => "certificate_unknown".to_owned(),
        A::CertificateExpired => "certificate_expired".to_owned(),
        A::AccessDenied => "access_denied".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The answer to one request; `None` when the connection was taken over (the echo).
fn respond(request: &Request, conn: &mut Conn, peer: IpAddr, state: &State) -> Option<Response> {
    let host = request.header("host").unwrap_or_default();
    if !host_allowed(host, &state.hosts) {
        return Some(Response::text(421, "this server answers only to the addresses tlsforge share printed"));
    }
    let user_agent = request.header("user-agent").unwrap_or_default();
    let device = Device::from_user_agent(user_agent);
    let read = matches!(request.method.as_str(), "GET" | "HEAD");
    let not_allowed = |allow: &str| Response::text(405, "method not allowed").with("Allow", allow);
    let html = |body: String| {
        Response::new(200, "text/html; charset=utf-8", body)
            .with("Content-Security-Policy", state.site.content_security_policy())
    };
    let path = request.path.as_str();
    Some(match path {
        "/" | "/check" | "/probe" if !read => not_allowed("GET, HEAD"),
        "/" => {
            let os = request.query_value("os").and_then(Os::from_id).unwrap_or(device.os);
            if request.method == "GET" {
                let user_agent = user_agent.chars().take(MAX_USER_AGENT).collect();
                state.hit(Hit::Visit { peer, device, user_agent });
            }
            html(state.site.landing(os))
        }
        "/check" => html(state.site.check()),
        "/probe" => Response::new(204, "text/plain", Vec::new()),
        "/echo" => match echo::handshake(request) {
            Ok(head) => {
                if conn.write_all(head.as_bytes()).and_then(|()| conn.flush()).is_ok() {
                    echo::echo(conn, Instant::now() + ECHO_TIME);
                }
                return None;
            }
            Err(refusal) => refusal,
        },
        "/results" if request.method != "POST" => not_allowed("POST"),
        "/results" => results(request, conn.is_tls(), device, peer, state),
        _ => match pages::Site::download_at(path) {
            Some(_) if !read => not_allowed("GET, HEAD"),
            Some(format) => {
                if request.method == "GET" {
                    let mut downloaded = state.downloaded.lock().unwrap_or_else(PoisonError::into_inner);
                    if downloaded.len() < MAX_REMEMBERED {
                        downloaded.insert(peer);
                    }
                    drop(downloaded);
                    state.hit(Hit::Download { peer, device, format });
                }
                let (content_type, bytes) = state.site.download(format);
                Response::new(200, content_type, bytes).with(
                    "Content-Disposition",
                    format!("attachment; filename=\"{}\"", Site::file_name(format)),
                )
            }
            None => Response::text(404, "not found"),
        },
    })
}

/// What a page posts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Posted {
    page: String,
    secure_context: Option<bool>,
    media_devices: Option<bool>,
    wss_echo: Option<bool>,
    touch: Option<bool>,
}

/// What a check page posted, from a device whose user agent names `device`, on a connection
/// that was (`https`) or was not TLS; `None` when it is not what the pages post. What the
/// connection proves beats what the page says: https is how the post arrived.
pub(crate) fn posted_findings(body: &[u8], https: bool, device: Device) -> Option<(Device, Findings)> {
    let posted = serde_json::from_slice::<Posted>(body).ok()?;
    let device = match (device.os, posted.touch) {
        (Os::Macos, Some(true)) => Device { os: Os::Ipados, ..device },
        _ => device,
    };
    let findings = if posted.page == "check" {
        Findings {
            https,
            secure_context: posted.secure_context,
            media_devices: posted.media_devices,
            wss_echo: posted.wss_echo,
        }
    } else {
        Findings { https, ..Findings::default() }
    };
    Some((device, findings))
}

/// What to tell a device about its findings: whether it passed, and the fixes.
pub(crate) fn verdict(device: Device, findings: Findings, downloaded: bool) -> (Vec<String>, String) {
    let fixes = device::fixes(device, findings, downloaded);
    let answer = serde_json::json!({ "passed": findings.passed(), "fixes": fixes });
    (fixes, answer.to_string())
}

fn results(request: &Request, https: bool, device: Device, peer: IpAddr, state: &State) -> Response {
    let Some((device, findings)) = posted_findings(&request.body, https, device) else {
        return Response::text(400, "expected the JSON a tlsforge page posts");
    };
    let downloaded = state.downloaded.lock().unwrap_or_else(PoisonError::into_inner).contains(&peer);
    let (fixes, answer) = verdict(device, findings, downloaded);
    state.hit(Hit::Results { peer, device, findings, fixes });
    Response::new(200, "application/json", answer)
}

/// Whether a `Host` header names this server: one of `hosts`, with or without a port.
fn host_allowed(host: &str, hosts: &[String]) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.split_once(']').map_or(host.as_str(), |(name, _)| name).to_owned() + "]"
    } else {
        host.split(':').next().unwrap_or_default().to_owned()
    };
    !name.is_empty() && hosts.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_the_server_printed_are_answered() {
        let hosts = vec!["192.168.1.20".to_owned(), "laptop.local".to_owned(), "[fd00::1]".to_owned()];
        for (host, ok) in [
            ("192.168.1.20:5443", true),
            ("192.168.1.20", true),
            ("LAPTOP.local:5443", true),
            ("[fd00::1]:5443", true),
            ("evil.example:5443", false),
            ("192.168.1.2:5443", false),
            ("[fd00::2]:5443", false),
            ("", false),
        ] {
            assert_eq!(host_allowed(host, &hosts), ok, "{host}");
        }
    }
}
