//! The check page built into the proxy, under `/.well-known/tlsforge/`: the same page `share`
//! serves (a secure context, the microphone API, a `wss://` echo), here answered by the proxy
//! itself whatever the backends are, so a phone can check the origin it will use.

use std::net::IpAddr;
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Body, Check, Seen, Shared, page, respond};
use crate::net::share::echo::{self, Reply};
use crate::net::share::{Device, check_page, posted_findings, verdict};
use crate::net::websocket::frame::{self, Side};

/// Where the proxy answers for itself.
pub(crate) const PREFIX: &str = "/.well-known/tlsforge/";
pub(crate) const CHECK: &str = "/.well-known/tlsforge/check";
const ECHO: &str = "/.well-known/tlsforge/echo";
const RESULTS: &str = "/.well-known/tlsforge/results";

/// The most a page's results may take.
const MAX_RESULTS: usize = 2048;

/// The longest an echo connection stays open.
const ECHO_TIME: Duration = Duration::from_secs(30);

/// The answer to a request under [`PREFIX`].
pub(super) async fn answer(request: Request<Incoming>, client: IpAddr, shared: &Shared) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match (path.as_str(), method) {
        (CHECK, Method::GET | Method::HEAD) => respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            check_page(RESULTS, ECHO, "/", "Back to the service"),
        ),
        (ECHO, Method::GET) => upgrade(request),
        (RESULTS, Method::POST) => results(request, client, shared).await,
        (CHECK | ECHO | RESULTS, _) => page(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed."),
        _ => page(StatusCode::NOT_FOUND, "Not found."),
    }
}

/// The echo's upgrade: 101 and, once switched, the echo on its own task.
fn upgrade(mut request: Request<Incoming>) -> Response<Body> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    let Some(accept) = echo::accept(header("sec-websocket-key"), header("sec-websocket-version")) else {
        return page(StatusCode::BAD_REQUEST, "A WebSocket upgrade needs Sec-WebSocket-Key and version 13.");
    };
    let on_upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        if let Ok(upgraded) = on_upgrade.await {
            let _ = tokio::time::timeout(ECHO_TIME, echo_on(TokioIo::new(upgraded))).await;
        }
    });
    let mut response = Response::new(super::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    if let Ok(accept) = HeaderValue::from_str(&accept) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    response
}

/// The echo, on an upgraded connection: share's rules, a few small messages at most.
async fn echo_on<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut io: S) {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut echoed = 0;
    while echoed < echo::MAX_MESSAGES {
        match frame::decode(&buffer, echo::MAX_MESSAGE, Side::Server) {
            Ok(Some((message, used))) => {
                buffer.drain(..used);
                match echo::reply(message) {
                    Reply::Send { opcode, payload, counts } => {
                        if io.write_all(&frame::encode(opcode, &payload, None)).await.is_err() {
                            return;
                        }
                        echoed += usize::from(counts);
                    }
                    Reply::Nothing => {}
                    Reply::Close(payload) => {
                        let _ = io.write_all(&frame::encode(frame::CLOSE, &payload, None)).await;
                        return;
                    }
                }
            }
            Ok(None) => match io.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            },
            Err(_) => return,
        }
    }
    let _ = io.write_all(&echo::goodbye()).await;
}

/// What the page found: logged as a check, answered with the verdict and the fixes.
async fn results(request: Request<Incoming>, client: IpAddr, shared: &Shared) -> Response<Body> {
    let agent = request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let device = Device::from_user_agent(agent);
    let Ok(body) = Limited::new(request.into_body(), MAX_RESULTS).collect().await else {
        return page(StatusCode::PAYLOAD_TOO_LARGE, "At most 2 KiB of results.");
    };
    let Some((device, findings)) = posted_findings(&body.to_bytes(), true, device) else {
        return page(StatusCode::BAD_REQUEST, "Expected the JSON a tlsforge page posts.");
    };
    let (fixes, answer) = verdict(device, findings, false);
    shared.record(Seen::Check(Check { client, device, findings, fixes }));
    respond(StatusCode::OK, "application/json", answer)
}
