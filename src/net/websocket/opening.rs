//! The opening handshake: which URLs are allowed, the HTTP upgrade request, and the checks on
//! the server's answer (status 101, `Upgrade`, `Connection`, `Sec-WebSocket-Accept`).

use std::io::{Read, Write};
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Error;

/// The GUID of RFC 6455 section 1.3, appended to the key before hashing.
const ACCEPT_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The most an upgrade answer's status line and headers may take.
const MAX_HEADERS: usize = 16 * 1024;

/// A `ws://` URL on loopback, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `127.0.0.1` or `localhost`, as written (for the `Host` header).
    pub(crate) host: String,
    pub(crate) port: u16,
    /// The path and query, starting with `/`.
    pub(crate) resource: String,
}

impl Endpoint {
    /// `ws://127.0.0.1[:PORT][/PATH]` or `ws://localhost[:PORT][/PATH]`; anything else (wss,
    /// other hosts, user info, fragments) is refused: this client never leaves the machine.
    pub(crate) fn parse(url: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Url(format!("{url:?}: {why}"));
        let rest = url
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("ws://"))
            .map(|_| &url[5..])
            .ok_or_else(|| bad("only ws:// URLs are supported"))?;
        let (authority, resource) = match rest.find(['/', '?']) {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let resource = if resource.starts_with('?') { format!("/{resource}") } else { resource.to_owned() };
        if resource.contains('#') || resource.bytes().any(|b| b <= b' ' || b == 0x7F) {
            return Err(bad("the path has a fragment, spaces or control characters"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => {
                let port = port.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| bad("bad port"))?;
                (host, port)
            }
            None => (authority, 80),
        };
        if host != "127.0.0.1" && !host.eq_ignore_ascii_case("localhost") {
            return Err(bad("only 127.0.0.1 and localhost are allowed"));
        }
        Ok(Self { host: host.to_owned(), port, resource })
    }
}

/// A fresh `Sec-WebSocket-Key`: 16 random bytes in base64.
pub(crate) fn new_key() -> Result<String, Error> {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| Error::Io(format!("no random bytes: {e}")))?;
    Ok(STANDARD.encode(nonce))
}

/// The `Sec-WebSocket-Accept` a server must answer to `key`.
pub(crate) fn accept_for(key: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{key}{ACCEPT_GUID}").as_bytes(),
    );
    STANDARD.encode(digest.as_ref())
}

pub(crate) fn request(endpoint: &Endpoint, key: &str) -> String {
    format!(
        "GET {resource} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n",
        resource = endpoint.resource,
        host = endpoint.host,
        port = endpoint.port,
    )
}

/// Send the upgrade request and check the answer. Reads byte by byte up to the blank line, so
/// that no frame bytes that follow it are consumed.
pub(crate) fn upgrade(
    stream: &mut (impl Read + Write),
    endpoint: &Endpoint,
    key: &str,
    deadline: Instant,
) -> Result<(), Error> {
    stream.write_all(request(endpoint, key).as_bytes()).map_err(|e| Error::from_write(&e))?;
    stream.flush().map_err(|e| Error::from_write(&e))?;
    let mut head = Vec::with_capacity(512);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEADERS {
            return Err(Error::Protocol(format!("the upgrade answer is longer than {MAX_HEADERS} bytes")));
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout);
        }
        stream.read_exact(&mut byte).map_err(|e| Error::from_read(&e))?;
        head.push(byte[0]);
    }
    check_answer(&String::from_utf8_lossy(&head), key)
}

pub(crate) fn check_answer(head: &str, key: &str) -> Result<(), Error> {
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    let mut words = status.split(' ');
    if !words.next().is_some_and(|v| v.starts_with("HTTP/1.")) || words.next() != Some("101") {
        return Err(Error::Protocol(format!("the server did not switch to WebSocket: {status:?}")));
    }
    let headers: Vec<(String, &str)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
    if !header("upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket")) {
        return Err(Error::Protocol("the upgrade answer lacks `Upgrade: websocket`".into()));
    }
    if !header("connection").is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("upgrade"))) {
        return Err(Error::Protocol("the upgrade answer lacks `Connection: Upgrade`".into()));
    }
    if header("sec-websocket-accept") != Some(accept_for(key).as_str()) {
        return Err(Error::Protocol("the server's Sec-WebSocket-Accept does not match the key".into()));
    }
    if header("sec-websocket-extensions").is_some_and(|v| !v.is_empty()) {
        return Err(Error::Protocol("the server chose an extension although none was offered".into()));
    }
    Ok(())
}
