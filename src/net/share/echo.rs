//! The `wss://` echo the check page talks to: the server side of RFC 6455's opening handshake,
//! then every text or binary message sent back as it came, a few small messages at most.

use std::io::Write;
use std::time::Instant;

use super::http::{Conn, Request, Response};
use crate::net::websocket::frame::{self, Side};
use crate::net::websocket::opening::accept_for;

/// The largest message echoed.
const MAX_MESSAGE: usize = 4096;

/// Messages echoed on one connection before it is closed.
const MAX_MESSAGES: usize = 16;

/// The `101 Switching Protocols` answer to a valid upgrade request, or the refusal for an
/// invalid one.
pub(crate) fn handshake(request: &Request) -> Result<String, Response> {
    let upgrade = request.has_token("upgrade", "websocket") && request.has_token("connection", "upgrade");
    if request.method != "GET" || !upgrade {
        return Err(Response::text(426, "this path takes WebSocket upgrades").with("Upgrade", "websocket"));
    }
    let key = request.header("sec-websocket-key").filter(|key| key.len() == 24);
    let (Some(key), Some("13")) = (key, request.header("sec-websocket-version")) else {
        return Err(Response::text(400, "a WebSocket upgrade needs Sec-WebSocket-Key and version 13"));
    };
    Ok(format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        accept_for(key)
    ))
}

/// Echo until the client closes, the deadline passes or [`MAX_MESSAGES`] were echoed. Returns
/// how many messages went back.
pub(crate) fn echo(conn: &mut Conn, deadline: Instant) -> usize {
    let mut echoed = 0;
    while echoed < MAX_MESSAGES && conn.until(deadline) {
        let Ok(message) = frame::read(conn, MAX_MESSAGE, Side::Server) else { break };
        let reply = match message.opcode {
            frame::TEXT | frame::BINARY if message.fin => message.opcode,
            frame::PING => frame::PONG,
            frame::PONG => continue,
            frame::CLOSE => {
                let _ = frame::write(conn, frame::CLOSE, &message.payload, None);
                return echoed;
            }
            // Fragmented or unknown: "unsupported data".
            _ => {
                let _ = frame::write(conn, frame::CLOSE, &1003u16.to_be_bytes(), None);
                return echoed;
            }
        };
        if frame::write(conn, reply, &message.payload, None).and_then(|()| conn.flush()).is_err() {
            return echoed;
        }
        if reply != frame::PONG {
            echoed += 1;
        }
    }
    let _ = frame::write(conn, frame::CLOSE, &1000u16.to_be_bytes(), None);
    echoed
}
