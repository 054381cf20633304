//! Everything that opens a socket or drives a browser: a minimal WebSocket client, a loopback
//! TLS server, browser drivers, the handshake of each kind of client against that server, the
//! server `share` runs for the devices on the LAN, and the `proxy`. Clients connect only to
//! 127.0.0.1, except the proxy, which connects to the backends it is given; the loopback server
//! listens there, `share` and `proxy` where the user asks (and say so).

pub mod browser;
pub mod connect;
pub mod handshake;
pub(crate) mod interfaces;
pub mod loopback;
pub(crate) mod proxy;
pub(crate) mod server;
pub(crate) mod share;
pub(crate) mod websocket;
