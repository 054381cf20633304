//! HTTP/1.1 connections to the backends, kept alive between requests. Each worker thread has a
//! pool of its own (nothing here is shared across threads, so the lock is never contended): a
//! connection goes back to the pool when its response's body has been read to the end, and is
//! taken out again, newest first, by the next request for the same backend.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::routes::Backend;

/// The longest a backend may take to accept a connection.
pub(super) const CONNECT_TIME: Duration = Duration::from_secs(5);

/// Idle connections kept per backend (nginx's `keepalive 64` in the usual block).
const IDLE_PER_BACKEND: usize = 64;

/// How long an idle connection is kept.
const IDLE_TIME: Duration = Duration::from_secs(60);

/// Why a backend could not be reached, in a few words (connection refused, …).
pub(super) type Why = String;

/// A connection that has not yet carried a request: the caller drives `conn` (spawns it).
pub(super) async fn open<B>(
    backend: &Backend,
) -> Result<(SendRequest<B>, http1::Connection<TokioIo<TcpStream>, B>), Why>
where
    B: Body + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let tcp = match tokio::time::timeout(CONNECT_TIME, TcpStream::connect(&backend.authority)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(error)) => return Err(crate::text::io_reason(&error)),
        Err(_) => return Err("connecting timed out".to_owned()),
    };
    let _ = tcp.set_nodelay(true);
    http1::handshake(TokioIo::new(tcp)).await.map_err(|_| "the connection broke".to_owned())
}

/// Kept-alive connections, by backend.
#[derive(Default)]
pub(super) struct Pool {
    idle: Mutex<Vec<Idle>>,
}

/// One backend's idle connections, oldest first, with when each went idle.
struct Idle {
    authority: String,
    kept: Vec<(SendRequest<Incoming>, Instant)>,
}

/// What went wrong sending a request.
pub(super) enum Failure {
    /// No connection could be made.
    Connect(Why),
    /// The connection broke before a response head came back.
    Exchange(hyper::Error),
}

impl Pool {
    /// `request` on a kept-alive connection to `backend`, or a new one. A request that a
    /// kept-alive connection could not take (the backend had just closed it) is sent again on a
    /// new connection; one that was sent is never sent twice.
    pub(super) async fn send(
        self: &Arc<Self>,
        backend: &Backend,
        request: Request<Incoming>,
    ) -> Result<Response<Returning>, Failure> {
        let mut request = request;
        while let Some(mut kept) = self.take(&backend.authority) {
            if kept.ready().await.is_err() {
                continue;
            }
            match kept.try_send_request(request).await {
                Ok(response) => return Ok(self.returning(backend, kept, response)),
                Err(mut error) => match error.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(Failure::Exchange(error.into_error())),
                },
            }
        }
        let (mut sender, conn) = open(backend).await.map_err(Failure::Connect)?;
        tokio::spawn(conn);
        let response = sender.send_request(request).await.map_err(Failure::Exchange)?;
        Ok(self.returning(backend, sender, response))
    }

    /// The response, with a body that puts the connection back once it has been read.
    fn returning(
        self: &Arc<Self>,
        backend: &Backend,
        sender: SendRequest<Incoming>,
        response: Response<Incoming>,
    ) -> Response<Returning> {
        let (parts, body) = response.into_parts();
        let mut body = Returning { body, back: Some((self.clone(), backend.authority.clone(), sender)) };
        if body.body.is_end_stream() {
            body.give_back();
        }
        Response::from_parts(parts, body)
    }

    /// The newest idle connection to `authority` that is still open and not past its time
    /// (then the older ones are too, and are closed).
    fn take(&self, authority: &str) -> Option<SendRequest<Incoming>> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let backend = idle.iter_mut().find(|backend| backend.authority == authority)?;
        while let Some((sender, since)) = backend.kept.pop() {
            if since.elapsed() > IDLE_TIME {
                backend.kept.clear();
            } else if !sender.is_closed() {
                return Some(sender);
            }
        }
        None
    }

    fn put(&self, authority: String, sender: SendRequest<Incoming>) {
        if sender.is_closed() {
            return;
        }
        let now = Instant::now();
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let at = idle.iter().position(|backend| backend.authority == authority).unwrap_or_else(|| {
            idle.push(Idle { authority, kept: Vec::new() });
            idle.len() - 1
        });
        let kept = &mut idle[at].kept;
        // The oldest are at the front: those past their time, or beyond the count, are closed.
        let stale = kept.iter().take_while(|(_, since)| now.duration_since(*since) > IDLE_TIME).count();
        let over = (kept.len() + 1).saturating_sub(IDLE_PER_BACKEND);
        kept.drain(..stale.max(over).min(kept.len()));
        kept.push((sender, now));
    }
}

/// A backend's response body; at its end, the connection goes back to the pool. Dropped
/// before its end, the connection is dropped too (hyper closes it).
pub(super) struct Returning {
    body: Incoming,
    back: Option<(Arc<Pool>, String, SendRequest<Incoming>)>,
}

impl Returning {
    fn give_back(&mut self) {
        if let Some((pool, authority, sender)) = self.back.take() {
            pool.put(authority, sender);
        }
    }
}

impl Body for Returning {
    type Data = hyper::body::Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let frame = ready!(Pin::new(&mut self.body).poll_frame(cx));
        match &frame {
            None => self.give_back(),
            Some(Ok(_)) if self.body.is_end_stream() => self.give_back(),
            Some(Err(_)) => self.back = None,
            Some(Ok(_)) => {}
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
