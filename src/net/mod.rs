//! Everything that opens a socket or drives a browser: a minimal WebSocket client, a loopback
//! TLS server, browser drivers, and the handshake of each kind of client against that server.
//! Nothing here leaves the machine: servers listen on 127.0.0.1 and clients connect there.

pub mod browser;
pub mod connect;
pub mod handshake;
pub(crate) mod interfaces;
pub mod loopback;
pub(crate) mod websocket;
