//! The bytes of an upgraded connection (a WebSocket), copied both ways until both ends have
//! closed. An idle tunnel holds no buffer: each direction reads into a buffer on the stack and
//! writes it straight on, and only what the other side cannot take yet is kept on the heap
//! (until it has been written). A thousand idle WebSocket connections then cost their sockets
//! and TLS state, not two copy buffers each (tokio's `copy_bidirectional` keeps both for the
//! connection's life).

use std::future::poll_fn;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The most read at once (a TLS record holds 16 KiB of plaintext).
const CHUNK: usize = 16 * 1024;

/// Chunks one direction moves before letting the other direction and other tasks run.
const CHUNKS_PER_TURN: usize = 16;

/// Copy `a` to `b` and `b` to `a` until both have ended (each end is shut down for writing
/// once the other has no more to send), or either fails.
pub(super) async fn both_ways<A, B>(a: &mut A, b: &mut B) -> io::Result<()>
where
    A: AsyncRead + AsyncWrite + Unpin + ?Sized,
    B: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    let (mut a_to_b, mut b_to_a) = (Direction::default(), Direction::default());
    poll_fn(|cx| {
        let forth = a_to_b.poll(cx, a, b)?;
        let back = b_to_a.poll(cx, b, a)?;
        if forth.is_ready() && back.is_ready() { Poll::Ready(Ok(())) } else { Poll::Pending }
    })
    .await
}

/// One direction of a tunnel.
#[derive(Default)]
struct Direction {
    /// Read but not yet taken by the writer (no allocation while empty).
    unwritten: Vec<u8>,
    /// How much of `unwritten` has been written since.
    written: usize,
    /// Written since the last flush.
    unflushed: bool,
    /// The reader has ended.
    ended: bool,
    /// The writer has been shut down: this direction is over.
    done: bool,
}

impl Direction {
    fn poll<R, W>(&mut self, cx: &mut Context<'_>, reader: &mut R, writer: &mut W) -> Poll<io::Result<()>>
    where
        R: AsyncRead + Unpin + ?Sized,
        W: AsyncWrite + Unpin + ?Sized,
    {
        if self.done {
            return Poll::Ready(Ok(()));
        }
        for _ in 0..CHUNKS_PER_TURN {
            while self.written < self.unwritten.len() {
                let n = ready!(write(cx, writer, &self.unwritten[self.written..]))?;
                self.written += n;
                self.unflushed = true;
            }
            // Written out: give the memory back.
            self.unwritten = Vec::new();
            self.written = 0;
            if self.ended {
                ready!(Pin::new(&mut *writer).poll_shutdown(cx))?;
                self.done = true;
                return Poll::Ready(Ok(()));
            }
            let mut stack = [MaybeUninit::<u8>::uninit(); CHUNK];
            let mut read = ReadBuf::uninit(&mut stack);
            if Pin::new(&mut *reader).poll_read(cx, &mut read)?.is_pending() {
                // Nothing more for now: what was written must not wait in a buffer (TLS).
                if self.unflushed {
                    ready!(Pin::new(&mut *writer).poll_flush(cx))?;
                    self.unflushed = false;
                }
                return Poll::Pending;
            }
            let chunk = read.filled();
            if chunk.is_empty() {
                self.ended = true;
                continue;
            }
            let mut taken = 0;
            while taken < chunk.len() {
                match write(cx, writer, &chunk[taken..]) {
                    Poll::Ready(n) => taken += n?,
                    Poll::Pending => {
                        self.unwritten = chunk[taken..].to_vec();
                        return Poll::Pending;
                    }
                }
                self.unflushed = true;
            }
        }
        // A busy direction yields its turn.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A write that took nothing is an error (the other end is gone), as in `tokio::io::copy`.
fn write<W: AsyncWrite + Unpin + ?Sized>(
    cx: &mut Context<'_>,
    writer: &mut W,
    bytes: &[u8],
) -> Poll<io::Result<usize>> {
    match ready!(Pin::new(writer).poll_write(cx, bytes)) {
        Ok(0) => Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
        other => Poll::Ready(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    /// Two in-memory pipes with a tunnel between their inner ends; `size` bytes of buffer each.
    fn tunnel(
        size: usize,
    ) -> (tokio::io::DuplexStream, tokio::io::DuplexStream, tokio::task::JoinHandle<io::Result<()>>) {
        let (left, mut left_inner) = duplex(size);
        let (right, mut right_inner) = duplex(size);
        let running = tokio::spawn(async move { both_ways(&mut left_inner, &mut right_inner).await });
        (left, right, running)
    }

    #[tokio::test]
    async fn bytes_go_both_ways_in_order_and_the_ends_close_in_turn() {
        let (mut left, mut right, running) = tunnel(64);
        // More than the pipes hold, so that writes stop half-way and the rest waits on the heap.
        let forth: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let back: Vec<u8> = (0..150_000u32).map(|i| (i % 241) as u8).collect();
        let (forth2, back2) = (forth.clone(), back.clone());
        let from_left = tokio::spawn(async move {
            left.write_all(&forth2).await.unwrap();
            left.shutdown().await.unwrap();
            let mut got = Vec::new();
            left.read_to_end(&mut got).await.unwrap();
            got
        });
        let mut got = vec![0; forth.len()];
        right.read_exact(&mut got).await.unwrap();
        assert_eq!(got, forth, "left to right");
        // The left end closed: the right end sees the end of its stream, and can still answer.
        assert_eq!(right.read(&mut [0; 1]).await.unwrap(), 0);
        right.write_all(&back2).await.unwrap();
        right.shutdown().await.unwrap();
        assert_eq!(from_left.await.unwrap(), back, "right to left");
        running.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn an_end_that_goes_away_ends_the_tunnel() {
        let (mut left, right, running) = tunnel(1024);
        drop(right);
        left.write_all(b"anyone?").await.unwrap();
        assert!(running.await.unwrap().is_err(), "writing to a closed end is an error");
    }

    #[tokio::test]
    async fn a_reader_that_never_reads_holds_back_the_sender() {
        // A sender with plenty to send, an end that takes 1 KiB and never reads it.
        let (mut reader, mut feed) = duplex(1 << 20);
        let (mut writer, _never_read) = duplex(1024);
        let sent = vec![7u8; 512 * 1024];
        feed.write_all(&sent).await.unwrap();
        let mut direction = Direction::default();
        let mut cx = Context::from_waker(std::task::Waker::noop());
        for _ in 0..10 {
            assert!(direction.poll(&mut cx, &mut reader, &mut writer).is_pending());
        }
        // What was read is what the end took plus one chunk waiting: no more is read.
        assert!(direction.unwritten.len() <= CHUNK, "{}", direction.unwritten.len());
        let mut rest = Vec::new();
        drop(feed);
        reader.read_to_end(&mut rest).await.unwrap();
        assert!(rest.len() >= sent.len() - 1024 - CHUNK, "read ahead: {} left of {}", rest.len(), sent.len());
    }

    #[tokio::test]
    async fn an_idle_direction_keeps_no_buffer() {
        let mut direction = Direction::default();
        let (mut reader, mut feed) = duplex(16);
        let (mut writer, mut drain) = duplex(4);
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        assert!(direction.poll(&mut cx, &mut reader, &mut writer).is_pending());
        assert_eq!(direction.unwritten.capacity(), 0, "nothing read, nothing kept");
        // Eight bytes in, a writer that takes four: four wait on the heap, then none.
        feed.write_all(b"12345678").await.unwrap();
        assert!(direction.poll(&mut cx, &mut reader, &mut writer).is_pending());
        assert_eq!(&direction.unwritten[direction.written..], b"5678");
        let mut four = [0; 4];
        drain.read_exact(&mut four).await.unwrap();
        assert!(direction.poll(&mut cx, &mut reader, &mut writer).is_pending());
        assert_eq!(direction.unwritten.capacity(), 0, "written out, given back");
        drain.read_exact(&mut four).await.unwrap();
        assert_eq!(&four, b"5678");
    }
}
