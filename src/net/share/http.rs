//! Just enough HTTP/1.1 for the pages `share` serves: one request per connection, its head at
//! most [`MAX_HEAD`] bytes, a body only with `Content-Length` and at most [`MAX_BODY`] bytes,
//! every read bounded by the connection's deadline; responses close the connection.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;

use rustls::{ServerConnection, StreamOwned};

/// The most a request line and its headers may take.
pub(crate) const MAX_HEAD: usize = 8 * 1024;

/// The most a request body may take (the results a page posts are a few hundred bytes).
pub(crate) const MAX_BODY: usize = 2 * 1024;

/// A connection, plain or TLS.
pub(crate) enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Conn {
    pub(crate) fn tcp(&self) -> &TcpStream {
        match self {
            Self::Plain(tcp) => tcp,
            Self::Tls(tls) => &tls.sock,
        }
    }

    pub(crate) fn is_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }

    /// Bound the next read by `deadline`; `false` when it has passed.
    pub(crate) fn until(&self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        !left.is_zero() && self.tcp().set_read_timeout(Some(left)).is_ok()
    }

    /// Say goodbye properly (TLS `close_notify`) and close.
    pub(crate) fn close(mut self) {
        let _ = self.flush();
        if let Self::Tls(tls) = &mut self {
            tls.conn.send_close_notify();
            let _ = tls.conn.complete_io(&mut tls.sock);
        }
        let _ = self.tcp().shutdown(Shutdown::Write);
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => tcp.read(buf),
            Self::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => tcp.write(buf),
            Self::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(tcp) => tcp.flush(),
            Self::Tls(tls) => tls.flush(),
        }
    }
}

/// A request, as far as the pages need it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// Without the query.
    pub(crate) path: String,
    pub(crate) query: String,
    /// Names lower-case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A `name=value` pair of the query (no percent-decoding: the values asked for are plain).
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    }

    /// Whether a header's comma-separated tokens include `token` (case-insensitive).
    pub(crate) fn has_token(&self, name: &str, token: &str) -> bool {
        self.header(name).is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    }
}

/// Why no request came.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The connection closed, timed out or broke before a whole request: nothing to answer.
    Gone,
    /// Not HTTP/1.x, or a header line without a colon: 400.
    Malformed,
    /// The head is larger than [`MAX_HEAD`]: 431.
    HeadTooLarge,
    /// A body larger than [`MAX_BODY`], or one without a length: 413 / 411.
    BodyTooLarge,
    LengthRequired,
}

/// Read one request from `conn` before `deadline`.
pub(crate) fn read_request(conn: &mut Conn, deadline: Instant) -> Result<Request, Refusal> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(at) = memchr::memmem::find(&buffer, b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return Err(Refusal::HeadTooLarge);
        }
        if !conn.until(deadline) {
            return Err(Refusal::Gone);
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(Refusal::Gone),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    if end > MAX_HEAD {
        return Err(Refusal::HeadTooLarge);
    }
    let mut request = parse_head(&buffer[..end])?;
    let mut body = buffer.split_off(end + 4);
    let length = match request.header("content-length") {
        Some(value) => value.trim().parse::<usize>().map_err(|_| Refusal::Malformed)?,
        None if request.header("transfer-encoding").is_some() => return Err(Refusal::LengthRequired),
        None => 0,
    };
    if length > MAX_BODY || body.len() > length.max(MAX_BODY) {
        return Err(Refusal::BodyTooLarge);
    }
    while body.len() < length {
        if !conn.until(deadline) {
            return Err(Refusal::Gone);
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(Refusal::Gone),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    request.body = body;
    Ok(request)
}

fn parse_head(head: &[u8]) -> Result<Request, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| Refusal::Malformed)?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') || method.is_empty() {
        return Err(Refusal::Malformed);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(Refusal::Malformed)?;
        if name.is_empty() || name.contains([' ', '\t']) || headers.len() >= 100 {
            return Err(Refusal::Malformed);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: Vec::new(),
    })
}

/// A response; every one closes the connection and is never cached.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self { status, headers: vec![("Content-Type", content_type.to_owned())], body: body.into() }
    }

    /// A short plain-text answer.
    pub(crate) fn text(status: u16, text: &str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn for_refusal(refusal: &Refusal) -> Option<Self> {
        Some(match refusal {
            Refusal::Gone => return None,
            Refusal::Malformed => Self::text(400, "bad request"),
            Refusal::HeadTooLarge => Self::text(431, "request header fields too large"),
            Refusal::BodyTooLarge => Self::text(413, "content too large"),
            Refusal::LengthRequired => Self::text(411, "length required"),
        })
    }

    /// Write it (without the body for `HEAD`).
    pub(crate) fn send(&self, conn: &mut Conn, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        conn.write_all(head.as_bytes())?;
        if !head_only {
            conn.write_all(&self.body)?;
        }
        conn.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_into_method_path_query_and_lower_case_headers() {
        let request =
            parse_head(b"GET /?os=ios&x=1 HTTP/1.1\r\nHost: 127.0.0.1:5\r\nUser-Agent: a: b").unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/");
        assert_eq!(request.query_value("os"), Some("ios"));
        assert_eq!(request.query_value("o"), None);
        assert_eq!(request.header("user-agent"), Some("a: b"));
        for bad in [
            &b"GET / HTTP/2"[..],
            b"GET  / HTTP/1.1",
            b"GET http://x/ HTTP/1.1",
            b"GET / HTTP/1.1\r\nno colon",
            b"\xff / HTTP/1.1",
        ] {
            assert_eq!(parse_head(bad), Err(Refusal::Malformed), "{}", String::from_utf8_lossy(bad));
        }
    }
}
