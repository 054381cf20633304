//! The reverse proxy behind `tlsforge proxy`: TLS (rustls) in front of plain-HTTP services,
//! HTTP/1.1 and HTTP/2 to browsers (told apart by ALPN), HTTP/1.1 to the backends, WebSocket
//! upgrades passed through as byte streams, bodies streamed both ways (never buffered whole).
//! A plain-HTTP request on the TLS port is redirected to https instead of failing with an
//! alert. Connections, handshakes, request heads and backend answers are bounded in count,
//! size or time; what each request did is handed to the caller as an [`Access`].
//!
//! It runs on tokio runtimes of its own (one single-threaded runtime per worker thread, see
//! [`run`]), built for the run and dropped at its end: the rest of tlsforge stays synchronous.

mod forward;
mod idle;
mod pool;
mod routes;
mod selftest;
mod tunnel;

use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri, Version};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio_rustls::TlsAcceptor;

use idle::{Activity, IDLE_TIME, Tracked, Watched};
use pool::{Failure, Pool};
pub(crate) use routes::{Backend, Route, Routes};

use super::server::{Swappable, tls_config_swappable};
use super::share::{Device, Findings};

type Body = BoxBody<Bytes, hyper::Error>;

/// Connections open at once; one more is closed at once.
pub(crate) const MAX_CONNECTIONS: usize = 4096;

/// The longest a client may take to start and finish its TLS handshake.
pub(crate) const HANDSHAKE_TIME: Duration = Duration::from_secs(10);

/// The longest a client may take to send a request's head (and, between requests, the next).
pub(crate) const HEADER_TIME: Duration = Duration::from_secs(15);

/// The most a request head may take (431 beyond), and how many header lines.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
pub(crate) const MAX_HEADERS: usize = 100;

/// How long in-flight requests get to finish after Ctrl-C.
pub(crate) const DRAIN_TIME: Duration = Duration::from_secs(10);

/// Access-log lines waiting for the terminal; more are counted, not kept.
const LOG_QUEUE: usize = 16_384;

/// How often the run looks at Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// What to serve.
#[derive(Debug)]
pub(crate) struct Settings {
    /// Bound by the caller, so that a taken port is its error before anything starts.
    pub(crate) listener: std::net::TcpListener,
    pub(crate) routes: Routes,
    /// What is served; the caller may replace it while the proxy runs (see [`Control::tick`]).
    pub(crate) certificate: Arc<Swappable>,
    pub(crate) upgrade_insecure: bool,
    /// The longest a backend may take to answer with a response head (504 beyond).
    pub(crate) backend_timeout: Duration,
}

/// One request, as the access log shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Access {
    pub(crate) client: IpAddr,
    #[serde(serialize_with = "as_str")]
    pub(crate) method: Method,
    /// Without the query (it may carry tokens).
    pub(crate) path: String,
    /// `HTTP/1.1` or `HTTP/2`, as the browser spoke; `HTTP/1.1 (plain)` for http:// on the TLS
    /// port (answered with a redirect to https).
    pub(crate) protocol: &'static str,
    pub(crate) status: u16,
    /// `http://127.0.0.1:5001`; `https://` for a redirect, `tlsforge` for the check page.
    #[serde(serialize_with = "as_str")]
    pub(crate) backend: Arc<str>,
    /// Until the response head (for an upgrade: until the switch).
    pub(crate) millis: u64,
    /// Why the proxy answered for the backend (502, 504).
    pub(crate) error: Option<String>,
}

/// A device's check page reported (see `selftest`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Check {
    pub(crate) client: IpAddr,
    pub(crate) device: Device,
    #[serde(flatten)]
    pub(crate) findings: Findings,
    pub(crate) fixes: Vec<String>,
}

/// What the proxy hands its caller.
#[derive(Debug, Clone)]
pub(crate) enum Seen {
    Access(Access),
    Check(Check),
}

/// How a run ended.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Summary {
    pub(crate) requests: u64,
    /// Access-log lines dropped because the terminal did not keep up.
    pub(crate) log_dropped: u64,
    /// Connections still busy when the drain time ran out.
    pub(crate) cut: bool,
}

struct Shared {
    routes: Routes,
    tls: TlsAcceptor,
    builder: auto::Builder<TokioExecutor>,
    /// This worker's kept-alive connections to the backends.
    pool: Arc<Pool>,
    backend_timeout: Duration,
    upgrade_insecure: bool,
    /// The listener's address, for redirects from requests without a usable `Host`.
    local: SocketAddr,
    log: mpsc::Sender<Seen>,
    dropped: Arc<AtomicU64>,
}

/// What steers a running proxy, on the thread that called [`run`].
pub(crate) trait Control {
    /// Whether to stop now (Ctrl-C, SIGTERM); looked at every [`TICK`].
    fn stop(&mut self) -> bool;
    /// A request was answered, or a check page reported. An error (stdout closed) stops the
    /// proxy.
    fn seen(&mut self, seen: Seen) -> anyhow::Result<()>;
    /// Called after each batch of [`Control::seen`]: write out what was buffered.
    fn flush(&mut self) -> anyhow::Result<()>;
    /// Called every [`TICK`]: the place to replace the certificate. An error stops the proxy.
    fn tick(&mut self) -> anyhow::Result<()>;
}

/// Serve until `control` says stop, then let in-flight requests finish (at most
/// [`DRAIN_TIME`]).
///
/// One thread accepts and hands each connection, in turn, to one of a worker thread per core;
/// each worker runs a single-threaded runtime with its own backend connections, so a request
/// never crosses threads (nginx's worker model, with the balance of round-robin).
pub(crate) fn run(settings: Settings, control: &mut dyn Control) -> anyhow::Result<Summary> {
    let mut tls =
        tls_config_swappable(settings.certificate, &[b"h2", b"http/1.1"]).map_err(anyhow::Error::msg)?;
    tls.max_early_data_size = 0;
    let tls = TlsAcceptor::from(Arc::new(tls));
    settings.listener.set_nonblocking(true)?;
    let local = settings.listener.local_addr()?;
    let (sender, mut accesses) = mpsc::channel(LOG_QUEUE);
    let dropped = Arc::new(AtomicU64::new(0));
    let (stopping, stopped) = watch::channel(false);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut handoffs = Vec::with_capacity(cores);
    let mut threads = Vec::with_capacity(cores + 1);
    for n in 0..cores {
        let (handoff, handed) = mpsc::unbounded_channel();
        handoffs.push(handoff);
        let shared = Shared {
            routes: settings.routes.clone(),
            tls: tls.clone(),
            builder: server_builder(),
            pool: Arc::default(),
            backend_timeout: settings.backend_timeout,
            upgrade_insecure: settings.upgrade_insecure,
            local,
            log: sender.clone(),
            dropped: dropped.clone(),
        };
        let stopped = stopped.clone();
        threads.push(on_own_runtime(format!("tlsforge-proxy-{n}"), move || work(handed, shared, stopped))?);
    }
    drop(sender);
    let listener = settings.listener;
    threads.push(on_own_runtime("tlsforge-accept".to_owned(), move || accept(listener, handoffs, stopped))?);
    let mut summary = Summary::default();
    let mut failed = None;
    // The log is read on the tick, not on each request: a request then costs the workers no
    // wake-up of this thread, and the terminal one write per tick.
    while failed.is_none() {
        std::thread::sleep(TICK);
        drain(&mut accesses, control, &mut summary, &mut failed);
        if control.stop() {
            break;
        }
        failed = failed.or_else(|| control.tick().err());
    }
    let _ = stopping.send(true);
    for thread in threads {
        summary.cut |= thread.join().unwrap_or(Ok(true))?;
    }
    drain(&mut accesses, control, &mut summary, &mut failed);
    summary.log_dropped = dropped.load(Ordering::Relaxed);
    failed.map_or(Ok(summary), Err)
}

/// A thread running `task` to its end on a single-threaded runtime of its own.
fn on_own_runtime<F>(
    name: String,
    task: impl FnOnce() -> F + Send + 'static,
) -> io::Result<std::thread::JoinHandle<io::Result<bool>>>
where
    F: Future<Output = io::Result<bool>>,
{
    std::thread::Builder::new()
        .name(name)
        .spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(task()))
}

/// Hand everything logged so far to `control`, then flush; the first error is kept.
fn drain(
    accesses: &mut mpsc::Receiver<Seen>,
    control: &mut dyn Control,
    summary: &mut Summary,
    failed: &mut Option<anyhow::Error>,
) {
    let mut taken = 0;
    while let Ok(seen) = accesses.try_recv() {
        summary.requests += u64::from(matches!(seen, Seen::Access(_)));
        if failed.is_none() {
            *failed = control.seen(seen).err();
        }
        taken += 1;
    }
    if taken > 0 && failed.is_none() {
        *failed = control.flush().err();
    }
}

/// HTTP/1.1 and HTTP/2 to browsers, with the limits above.
fn server_builder() -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIME)
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(MAX_HEAD).unwrap_or(u32::MAX))
        .max_concurrent_streams(256);
    builder
}

/// An accepted connection on its way to a worker, with its place under [`MAX_CONNECTIONS`].
struct Handed {
    tcp: std::net::TcpStream,
    peer: SocketAddr,
    slot: OwnedSemaphorePermit,
}

/// Accept until told to stop, handing connections to the workers in turn.
async fn accept(
    listener: std::net::TcpListener,
    workers: Vec<mpsc::UnboundedSender<Handed>>,
    mut stop: watch::Receiver<bool>,
) -> io::Result<bool> {
    let listener = TcpListener::from_std(listener)?;
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    for worker in workers.iter().cycle() {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                let Ok((tcp, peer)) = accepted else {
                    // Out of descriptors, say: wait instead of spinning.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                // Over the cap: dropped, so closed at once.
                let Ok(slot) = slots.clone().try_acquire_owned() else { continue };
                let Ok(tcp) = tcp.into_std() else { continue };
                let _ = worker.send(Handed { tcp, peer, slot });
            }
        }
    }
    Ok(false)
}

/// Serve what the acceptor hands over until told to stop, then drain. Returns whether
/// connections had to be cut.
async fn work(
    mut handed: mpsc::UnboundedReceiver<Handed>,
    shared: Shared,
    mut stop: watch::Receiver<bool>,
) -> io::Result<bool> {
    let shared = Arc::new(shared);
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            next = handed.recv() => {
                let Some(Handed { tcp, peer, slot }) = next else { break };
                let Ok(tcp) = TcpStream::from_std(tcp) else { continue };
                let (shared, watcher) = (shared.clone(), graceful.watcher());
                tokio::spawn(async move {
                    connection(tcp, peer, shared, watcher).await;
                    drop(slot);
                });
            }
        }
    }
    Ok(tokio::time::timeout(DRAIN_TIME, graceful.shutdown()).await.is_err())
}

/// One connection: TLS and HTTP/1.1 or HTTP/2, or plain HTTP that is sent to https.
async fn connection(tcp: TcpStream, peer: SocketAddr, shared: Arc<Shared>, watcher: Watcher) {
    let _ = tcp.set_nodelay(true);
    let mut first = [0u8; 1];
    let Ok(Ok(1)) = tokio::time::timeout(HANDSHAKE_TIME, tcp.peek(&mut first)).await else { return };
    if first[0] != 0x16 {
        let service = service_fn(move |request| {
            let shared = shared.clone();
            async move {
                let response = redirect(&request, shared.local);
                shared.record(Seen::Access(Access {
                    client: peer.ip(),
                    method: request.method().clone(),
                    path: request.uri().path().to_owned(),
                    protocol: "HTTP/1.1 (plain)",
                    status: response.status().as_u16(),
                    backend: "https://".into(),
                    millis: 0,
                    error: None,
                }));
                Ok::<_, Infallible>(response)
            }
        });
        let mut http1 = hyper::server::conn::http1::Builder::new();
        http1.timer(TokioTimer::new()).header_read_timeout(HEADER_TIME).keep_alive(false);
        let _ = watcher.watch(http1.serve_connection(TokioIo::new(tcp), service)).await;
        return;
    }
    let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIME, shared.tls.accept(tcp)).await else { return };
    let client = peer.ip();
    let activity = Activity::new();
    let (for_service, for_requests) = (shared.clone(), activity.clone());
    let service = service_fn(move |request| {
        let (shared, busy) = (for_service.clone(), for_requests.busy());
        async move {
            let (parts, body) = handle(request, client, &shared).await.into_parts();
            Ok::<_, Infallible>(Response::from_parts(parts, Tracked::new(body, busy).boxed()))
        }
    });
    let io = TokioIo::new(Watched::new(tls, activity.clone()));
    let conn = shared.builder.serve_connection_with_upgrades(io, service).into_owned();
    // Dropping the connection closes it: a keep-alive connection left idle does not hold a slot.
    tokio::select! {
        _ = watcher.watch(conn) => {}
        () = activity.idle(IDLE_TIME) => {}
    }
}

/// A request through to its backend, logged.
async fn handle(request: Request<Incoming>, client: IpAddr, shared: &Shared) -> Response<Body> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let protocol = if request.version() == Version::HTTP_2 { "HTTP/2" } else { "HTTP/1.1" };
    let (backend, (mut response, error)) = if path.starts_with(selftest::PREFIX) {
        ("tlsforge".into(), (selftest::answer(request, client, shared).await, None))
    } else {
        let backend = &shared.routes.pick(&path).backend;
        (backend.url.clone(), forward(request, client, backend, shared).await)
    };
    if shared.upgrade_insecure {
        forward::upgrade_insecure(response.headers_mut());
    }
    let access = Access {
        client,
        method,
        path,
        protocol,
        status: response.status().as_u16(),
        backend,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        error,
    };
    shared.record(Seen::Access(access));
    response
}

impl Shared {
    /// Hand what happened to the caller, or count it when the log is behind.
    fn record(&self, seen: Seen) {
        if self.log.try_send(seen).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The backend's answer, or the proxy's own 400/502/504 and why.
async fn forward(
    mut request: Request<Incoming>,
    client: IpAddr,
    backend: &Backend,
    shared: &Shared,
) -> (Response<Body>, Option<String>) {
    let upgrade = request.version() == Version::HTTP_11
        && request.headers().contains_key(header::UPGRADE)
        && request.headers().get_all(header::CONNECTION).iter().any(|value| {
            value.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("upgrade")))
        });
    let on_upgrade = upgrade.then(|| hyper::upgrade::on(&mut request));
    let (mut parts, body) = request.into_parts();
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(ToString::to_string))
        .unwrap_or_else(|| shared.local.to_string());
    // Origin form (`/path?query`), as a server expects it from a client that is not a proxy.
    let uri = parts.uri.path_and_query().cloned().map_or_else(|| Uri::from_static("/"), Uri::from);
    forward::strip_hop_by_hop(&mut parts.headers, upgrade);
    forward::add_forwarding(&mut parts.headers, client, &host);
    if let Ok(value) = HeaderValue::from_str(&host) {
        // HTTP/2 carries the host in the request line (:authority); the backend wants `Host`.
        parts.headers.insert(header::HOST, value);
    }
    parts.uri = uri;
    parts.version = Version::HTTP_11;
    if let Some(on_upgrade) = on_upgrade {
        return upgrade_through(Request::from_parts(parts, Empty::new()), on_upgrade, backend, shared).await;
    }
    let answer = tokio::time::timeout(
        shared.backend_timeout,
        shared.pool.send(backend, Request::from_parts(parts, body)),
    );
    match answer.await {
        Err(_) => {
            (timed_out(backend, shared.backend_timeout), Some("the backend did not answer in time".into()))
        }
        Ok(Err(Failure::Connect(why))) => (unreachable(backend, &why), Some(why)),
        Ok(Err(Failure::Exchange(error))) => {
            let why = reason(&error);
            (unreachable(backend, &why), Some(why))
        }
        Ok(Ok(response)) => {
            let (mut parts, body) = response.into_parts();
            forward::strip_hop_by_hop(&mut parts.headers, false);
            (Response::from_parts(parts, body.boxed()), None)
        }
    }
}

/// A WebSocket (or other) upgrade: its own backend connection, and once both sides have
/// switched, the bytes copied both ways until either end closes.
async fn upgrade_through(
    request: Request<Empty<Bytes>>,
    on_upgrade: hyper::upgrade::OnUpgrade,
    backend: &Backend,
    shared: &Shared,
) -> (Response<Body>, Option<String>) {
    let (mut sender, conn) = match pool::open(backend).await {
        Ok(opened) => opened,
        Err(why) => return (unreachable(backend, &why), Some(why)),
    };
    tokio::spawn(conn.with_upgrades());
    let mut response = match tokio::time::timeout(shared.backend_timeout, sender.send_request(request)).await
    {
        Err(_) => {
            return (
                timed_out(backend, shared.backend_timeout),
                Some("the backend did not answer in time".into()),
            );
        }
        Ok(Err(error)) => {
            let why = reason(&error);
            return (unreachable(backend, &why), Some(why));
        }
        Ok(Ok(response)) => response,
    };
    if response.status() != StatusCode::SWITCHING_PROTOCOLS {
        let (mut parts, body) = response.into_parts();
        forward::strip_hop_by_hop(&mut parts.headers, false);
        return (Response::from_parts(parts, body.boxed()), None);
    }
    let backend_side = hyper::upgrade::on(&mut response);
    tokio::spawn(async move {
        let (Ok(browser), Ok(service)) = tokio::join!(on_upgrade, backend_side) else { return };
        let _ = tunnel::both_ways(&mut TokioIo::new(browser), &mut TokioIo::new(service)).await;
    });
    let (mut parts, _) = response.into_parts();
    forward::strip_hop_by_hop(&mut parts.headers, true);
    (Response::from_parts(parts, empty()), None)
}

/// `http://` on the TLS port: the same address over https (308 keeps the method).
fn redirect(request: &Request<Incoming>, local: SocketAddr) -> Response<Body> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .map_or_else(|| local.to_string(), str::to_owned);
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let location = format!("https://{host}{target}");
    let mut response = page(StatusCode::PERMANENT_REDIRECT, &format!("This port speaks HTTPS: {location}"));
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn unreachable(backend: &Backend, why: &str) -> Response<Body> {
    page(
        StatusCode::BAD_GATEWAY,
        &format!(
            "tlsforge proxy could not reach {backend}: {why}. Is the service running? Start it, or point \
             --to / --route at the address it listens on."
        ),
    )
}

fn timed_out(backend: &Backend, limit: Duration) -> Response<Body> {
    page(
        StatusCode::GATEWAY_TIMEOUT,
        &format!("{backend} did not answer within {} s (tlsforge proxy --backend-timeout).", limit.as_secs()),
    )
}

/// A short page the proxy answers itself: plain text, never cached.
fn page(status: StatusCode, text: &str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", format!("{status}\n\n{text}\n"))
}

/// A response the proxy makes itself (never cached).
fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()).map_err(|never| match never {}).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed()
}

/// The deepest I/O reason of an error (connection refused, …), else its own words.
fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<io::Error>() {
            return crate::text::io_reason(io);
        }
        source = current.source();
    }
    error.to_string()
}

/// A method or a shared name in the access log's JSON: as a string.
fn as_str<S: serde::Serializer>(text: &impl AsRef<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text.as_ref())
}
