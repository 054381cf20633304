//! Closing connections nobody uses. hyper closes an HTTP/1.1 connection that sends no next
//! request head within the header timeout, but waits on an idle HTTP/2 connection for ever, so
//! a client that opens connections and leaves them would fill the cap. Each connection's bytes
//! in and out are watched; one with no request in progress (a response still being sent
//! counts) and no byte for [`IDLE_TIME`] is closed. An upgraded connection (a WebSocket) has left hyper and is not watched: idle
//! sockets of that kind are normal.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How long a connection may sit between requests.
pub(crate) const IDLE_TIME: Duration = Duration::from_secs(20);

/// How often idleness is looked at.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// What a connection has been doing.
#[derive(Debug)]
pub(crate) struct Activity {
    started: Instant,
    /// Milliseconds after `started` of the last byte in or out.
    last: AtomicU64,
    /// Requests waiting for their response head.
    busy: AtomicUsize,
}

impl Activity {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self { started: Instant::now(), last: AtomicU64::new(0), busy: AtomicUsize::new(0) })
    }

    fn touch(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Relaxed);
    }

    /// A request is being answered until the returned guard is dropped.
    pub(crate) fn busy(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::SeqCst);
        Busy(self.clone())
    }

    fn idle_for(&self) -> Option<Duration> {
        if self.busy.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        Some(self.started.elapsed().saturating_sub(last))
    }

    /// Resolves once the connection has been idle for `limit`.
    pub(crate) async fn idle(&self, limit: Duration) {
        loop {
            tokio::time::sleep(LOOK_EVERY).await;
            if self.idle_for().is_some_and(|idle| idle >= limit) {
                return;
            }
        }
    }
}

/// Held while a request is answered: from its head until its response body has been sent (or
/// dropped). A response that trickles (server-sent events) keeps its connection open.
pub(crate) struct Busy(Arc<Activity>);

/// A response body that keeps its connection busy until it is done.
pub(crate) struct Tracked<B> {
    inner: B,
    _busy: Busy,
}

impl<B> Tracked<B> {
    pub(crate) fn new(inner: B, busy: Busy) -> Self {
        Self { inner, _busy: busy }
    }
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stream whose reads and writes mark its connection active.
pub(crate) struct Watched<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Watched<S> {
    pub(crate) fn new(inner: S, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_connection_is_idle_only_without_requests_and_bytes() {
        let activity = Activity::new();
        let busy = activity.busy();
        let waiting = tokio::time::timeout(IDLE_TIME * 3, activity.idle(IDLE_TIME)).await;
        assert!(waiting.is_err(), "a request waiting for its backend is not idleness");
        drop(busy);
        assert!(activity.idle_for().unwrap() < LOOK_EVERY, "answering is activity");
        let started = Instant::now();
        activity.idle(IDLE_TIME).await;
        let waited = started.elapsed();
        assert!(waited >= IDLE_TIME && waited <= IDLE_TIME + LOOK_EVERY, "{waited:?}");
    }
}
