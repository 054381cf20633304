//! A minimal RFC 6455 client for loopback `ws://` endpoints (a browser's `DevTools` or
//! `WebDriver` `BiDi` socket): text and binary messages, fragmented messages reassembled, pings answered,
//! the closing handshake. No TLS, no extensions, nothing off the machine.
//!
//! Every read is bounded by a deadline; a timeout or protocol error leaves the connection
//! unusable (a frame may have been half read), so later calls fail at once.

pub(crate) mod frame;
pub(crate) mod opening;

use std::fmt;
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use frame::Frame;

/// The largest message (after reassembly) this client accepts.
pub(crate) const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// How long one frame may take to go out (the peer is a local process reading its socket).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a WebSocket operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Error {
    /// The URL is not `ws://127.0.0.1…` or `ws://localhost…`.
    Url(String),
    /// Connecting, reading or writing failed.
    Io(String),
    /// Nothing (or not enough) arrived before the deadline.
    Timeout,
    /// The server broke the protocol: a bad upgrade answer, a masked or oversized frame, …
    Protocol(String),
    /// The server closed the connection: with a close frame (and its status code, if any) or
    /// by ending the TCP stream.
    Closed(Option<u16>),
}

impl Error {
    fn from_read(error: &io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Self::Timeout,
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => Self::Closed(None),
            _ => Self::Io(error.to_string()),
        }
    }

    fn from_write(error: &io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Self::Timeout,
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset => Self::Closed(None),
            _ => Self::Io(error.to_string()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(why) => write!(f, "unsupported WebSocket URL {why}"),
            Self::Io(why) => write!(f, "WebSocket connection failed: {why}"),
            Self::Timeout => f.write_str("no WebSocket answer in time"),
            Self::Protocol(why) => write!(f, "WebSocket protocol error: {why}"),
            Self::Closed(Some(code)) => write!(f, "the WebSocket was closed (status {code})"),
            Self::Closed(None) => f.write_str("the WebSocket connection ended"),
        }
    }
}

impl std::error::Error for Error {}

/// A complete message from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Message {
    Text(String),
    Binary(Vec<u8>),
}

/// A connected client.
#[derive(Debug)]
pub(crate) struct WebSocket {
    stream: TcpStream,
    max_message: usize,
    /// Set after a close frame went out: nothing more may be sent.
    close_sent: bool,
    /// Set after a close, a timeout or a protocol error: the stream is no longer in step.
    done: Option<Error>,
}

impl WebSocket {
    /// Connect to `url` (`ws://127.0.0.1:PORT/PATH` or `ws://localhost:PORT/PATH`, always
    /// reached at 127.0.0.1) and complete the opening handshake within `timeout`.
    pub(crate) fn connect(url: &str, timeout: Duration) -> Result<Self, Error> {
        let endpoint = opening::Endpoint::parse(url)?;
        let deadline = deadline_after(timeout);
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, endpoint.port));
        let stream = TcpStream::connect_timeout(&address, timeout).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Error::Timeout,
            _ => Error::Io(format!("cannot connect to {address}: {e}")),
        })?;
        stream.set_nodelay(true).map_err(|e| Error::Io(e.to_string()))?;
        let key = opening::new_key()?;
        stream
            .set_write_timeout(Some(timeout.max(Duration::from_millis(1))))
            .map_err(|e| Error::from_write(&e))?;
        opening::upgrade(&mut Timed { stream: &stream, deadline }, &endpoint, &key, deadline)?;
        stream.set_write_timeout(Some(WRITE_TIMEOUT)).map_err(|e| Error::from_write(&e))?;
        Ok(Self { stream, max_message: MAX_MESSAGE, close_sent: false, done: None })
    }

    /// Lower the message-size limit (in tests); it never rises above [`MAX_MESSAGE`].
    #[cfg(test)]
    pub(crate) fn limit_message_size(&mut self, bytes: usize) {
        self.max_message = bytes.min(MAX_MESSAGE);
    }

    /// Send `text` as one text message.
    pub(crate) fn send_text(&mut self, text: &str) -> Result<(), Error> {
        self.send(frame::TEXT, text.as_bytes())
    }

    /// The next complete message, answering pings and skipping pongs on the way. A close frame
    /// from the server is answered and reported as [`Error::Closed`].
    pub(crate) fn receive(&mut self, deadline: Instant) -> Result<Message, Error> {
        if let Some(error) = &self.done {
            return Err(error.clone());
        }
        let result = self.receive_message(deadline);
        if let Err(error) = &result {
            self.done = Some(error.clone());
        }
        result
    }

    /// The closing handshake: send a close frame (status 1000) and wait until `deadline` for
    /// the server's, skipping any messages still in flight. Best effort; the socket is shut
    /// down either way.
    pub(crate) fn close(&mut self, deadline: Instant) {
        if self.done.is_none() {
            if self.send(frame::CLOSE, &1000u16.to_be_bytes()).is_ok() {
                while self.receive(deadline).is_ok() {}
            }
            self.done = Some(Error::Closed(Some(1000)));
        }
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }

    fn receive_message(&mut self, deadline: Instant) -> Result<Message, Error> {
        // The first frame of a fragmented message, and the payload gathered so far.
        let mut partial: Option<(u8, Vec<u8>)> = None;
        loop {
            let gathered = partial.as_ref().map_or(0, |(_, bytes)| bytes.len());
            let budget = self.max_message.saturating_sub(gathered).max(frame::MAX_CONTROL);
            let frame =
                frame::read(&mut Timed { stream: &self.stream, deadline }, budget, frame::Side::Client)?;
            if frame.is_control() {
                self.answer_control(&frame)?;
                continue;
            }
            let Frame { fin, opcode, payload } = frame;
            let (kind, bytes) = match (opcode, partial.take()) {
                (frame::TEXT | frame::BINARY, None) => (opcode, payload),
                (frame::CONTINUATION, Some((kind, mut bytes))) => {
                    bytes.extend_from_slice(&payload);
                    (kind, bytes)
                }
                (frame::CONTINUATION, None) => {
                    return Err(Error::Protocol("a continuation frame without a message to continue".into()));
                }
                (frame::TEXT | frame::BINARY, Some(_)) => {
                    return Err(Error::Protocol("a new message started inside a fragmented one".into()));
                }
                (other, _) => return Err(Error::Protocol(format!("unknown opcode {other:#x}"))),
            };
            if bytes.len() > self.max_message {
                return Err(Error::Protocol(format!("a message is larger than {} bytes", self.max_message)));
            }
            if !fin {
                partial = Some((kind, bytes));
                continue;
            }
            return if kind == frame::TEXT {
                String::from_utf8(bytes)
                    .map(Message::Text)
                    .map_err(|_| Error::Protocol("a text message is not UTF-8".into()))
            } else {
                Ok(Message::Binary(bytes))
            };
        }
    }

    fn answer_control(&mut self, frame: &Frame) -> Result<(), Error> {
        match frame.opcode {
            frame::PING => self.send(frame::PONG, &frame.payload),
            frame::PONG => Ok(()),
            frame::CLOSE => {
                let code = frame.payload.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]]));
                if !self.close_sent {
                    // Echo the status, as RFC 6455 section 5.5.1 asks; the peer may be gone already.
                    let echo = code.map(u16::to_be_bytes);
                    let _ = self.send(frame::CLOSE, echo.as_ref().map_or(&[][..], |b| &b[..]));
                }
                let _ = self.stream.shutdown(std::net::Shutdown::Both);
                Err(Error::Closed(code))
            }
            other => Err(Error::Protocol(format!("unknown control opcode {other:#x}"))),
        }
    }

    fn send(&mut self, opcode: u8, payload: &[u8]) -> Result<(), Error> {
        if self.close_sent {
            return Err(Error::Closed(None));
        }
        if let Some(error) = &self.done {
            return Err(error.clone());
        }
        let mut mask = [0u8; 4];
        getrandom::fill(&mut mask).map_err(|e| Error::Io(format!("no random bytes: {e}")))?;
        if opcode == frame::CLOSE {
            self.close_sent = true;
        }
        frame::write(&mut &self.stream, opcode, payload, Some(mask)).map_err(|e| Error::from_write(&e))
    }
}

/// `timeout` from now; an absurdly long one is a year rather than an overflow.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout).unwrap_or(now + Duration::from_secs(365 * 24 * 3600))
}

/// Reads from the stream, each read bounded by what is left until the deadline.
struct Timed<'s> {
    stream: &'s TcpStream,
    deadline: Instant,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

impl io::Write for Timed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut stream = self.stream;
        stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
