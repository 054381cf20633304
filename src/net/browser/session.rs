//! Commands and answers over one WebSocket, matched by id, for both remote protocols: CDP
//! (`{"id", "method", "params", "sessionId"}` → `{"id", "result" | "error"}`) and WebDriver
//! BiDi (`{"id", "method", "params"}` → `{"type": "success" | "error", "id", …}`). Events and
//! other traffic in between are skipped.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::net::websocket::{Message, WebSocket};

/// The most messages skipped while waiting for one answer (events); a bound, not an estimate.
const MAX_SKIPPED: usize = 10_000;

#[derive(Debug)]
pub(crate) struct Session {
    socket: WebSocket,
    next_id: u64,
}

impl Session {
    pub(crate) fn connect(url: &str, deadline: Instant) -> Result<Self, String> {
        let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        let socket = WebSocket::connect(url, left).map_err(|e| e.to_string())?;
        Ok(Self { socket, next_id: 0 })
    }

    /// Send `method` with `params` (to the CDP session `session`, if any) and return the whole
    /// answer carrying the same id.
    pub(crate) fn call(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
        deadline: Instant,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method});
        message["params"] = params;
        if let Some(session) = session {
            message["sessionId"] = Value::from(session);
        }
        self.socket.send_text(&message.to_string()).map_err(|e| format!("{method}: {e}"))?;
        for _ in 0..MAX_SKIPPED {
            let text = match self.socket.receive(deadline).map_err(|e| format!("{method}: {e}"))? {
                Message::Text(text) => text,
                Message::Binary(_) => continue,
            };
            let answer: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{method}: the browser sent something that is not JSON: {e}"))?;
            if answer.get("id").and_then(Value::as_u64) == Some(id) {
                return Ok(answer);
            }
        }
        Err(format!("{method}: no answer among {MAX_SKIPPED} messages"))
    }

    pub(crate) fn close(&mut self, deadline: Instant) {
        self.socket.close(deadline);
    }
}
