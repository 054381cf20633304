//! The `wss://` echo the check page talks to: the server side of RFC 6455's opening handshake,
//! then every text or binary message sent back as it came, a few small messages at most.

use std::io::Write;
use std::time::Instant;

use super::http::{Conn, Request, Response};
use crate::net::websocket::frame::{self, Frame, Side};
use crate::net::websocket::opening::accept_for;

/// The largest message echoed.
pub(crate) const MAX_MESSAGE: usize = 4096;

/// Messages echoed on one connection before it is closed.
pub(crate) const MAX_MESSAGES: usize = 16;

/// The `101 Switching Protocols` answer to a valid upgrade request, or the refusal for an
/// invalid one.
pub(crate) fn handshake(request: &Request) -> Result<String, Response> {
    let upgrade = request.has_token("upgrade", "websocket") && request.has_token("connection", "upgrade");
    if request.method != "GET" || !upgrade {
        return Err(Response::text(426, "this path takes WebSocket upgrades").with("Upgrade", "websocket"));
    }
    let Some(accept) = accept(request.header("sec-websocket-key"), request.header("sec-websocket-version"))
    else {
        return Err(Response::text(400, "a WebSocket upgrade needs Sec-WebSocket-Key and version 13"));
    };
    Ok(format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    ))
}

/// The `Sec-WebSocket-Accept` for an upgrade request's key and version, when they are what
/// RFC 6455 asks for (a 16-byte key in base64, version 13); also the proxy's check page's rule.
pub(crate) fn accept(key: Option<&str>, version: Option<&str>) -> Option<String> {
    match (key, version) {
        (Some(key), Some("13")) if key.len() == 24 => Some(accept_for(key)),
        _ => None,
    }
}

/// What the echo does with a frame.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Send this frame back, then go on (`counts`: it was a message, not a pong).
    Send { opcode: u8, payload: Vec<u8>, counts: bool },
    /// Nothing to send.
    Nothing,
    /// Send this close frame and stop.
    Close(Vec<u8>),
}

/// The echo's answer to one frame from the client: messages back as they came, pings
/// answered, a close returned; a fragmented or unknown frame closes with 1003.
pub(crate) fn reply(message: Frame) -> Reply {
    match message.opcode {
        frame::TEXT | frame::BINARY if message.fin => {
            Reply::Send { opcode: message.opcode, payload: message.payload, counts: true }
        }
        frame::PING => Reply::Send { opcode: frame::PONG, payload: message.payload, counts: false },
        frame::PONG => Reply::Nothing,
        frame::CLOSE => Reply::Close(message.payload),
        _ => Reply::Close(1003u16.to_be_bytes().to_vec()),
    }
}

/// The close frame the echo sends when it has echoed enough or its time is up.
pub(crate) fn goodbye() -> Vec<u8> {
    frame::encode(frame::CLOSE, &1000u16.to_be_bytes(), None)
}

/// Echo until the client closes, the deadline passes or [`MAX_MESSAGES`] were echoed. Returns
/// how many messages went back.
pub(crate) fn echo(conn: &mut Conn, deadline: Instant) -> usize {
    let mut echoed = 0;
    while echoed < MAX_MESSAGES && conn.until(deadline) {
        let Ok(message) = frame::read(conn, MAX_MESSAGE, Side::Server) else { break };
        match reply(message) {
            Reply::Send { opcode, payload, counts } => {
                if frame::write(conn, opcode, &payload, None).and_then(|()| conn.flush()).is_err() {
                    return echoed;
                }
                echoed += usize::from(counts);
            }
            Reply::Nothing => {}
            Reply::Close(payload) => {
                let _ = frame::write(conn, frame::CLOSE, &payload, None);
                return echoed;
            }
        }
    }
    let _ = conn.write_all(&goodbye());
    echoed
}
