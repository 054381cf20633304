//! A throwaway HTTPS server on 127.0.0.1 that clients are pointed at to prove they trust a
//! certificate: rustls with ring, TLS 1.2 and 1.3, ALPN `http/1.1`, and one small page for
//! every request. Connections are few and short: at most [`MAX_CONNECTIONS`] at once, each
//! closed after one response or [`CONNECTION_TIME`]. Dropping the server stops it and waits for
//! its threads, which never block for long.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, StreamOwned};

pub use super::server::Identity;
use super::server::{Acceptor, tls_config};

/// The `<title>` of the page served, which browsers are asked for to prove the page loaded.
pub const PAGE_TITLE: &str = "tlsforge check";

/// Connections served at the same time; more are closed at once.
pub const MAX_CONNECTIONS: usize = 32;

/// The longest one connection may live (handshake, request and response).
pub const CONNECTION_TIME: Duration = Duration::from_secs(15);

/// The most a request's line and headers may take.
const MAX_REQUEST: usize = 16 * 1024;

/// A running server; dropping it stops it.
#[derive(Debug)]
pub struct LoopbackServer {
    acceptor: Acceptor,
}

impl LoopbackServer {
    /// Listen on `127.0.0.1:0` and answer every HTTP/1.1 request with `200` and a page titled
    /// [`PAGE_TITLE`].
    pub fn start(identity: &Identity) -> Result<Self, String> {
        let config = Arc::new(tls_config(identity)?);
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let acceptor = Acceptor::start(listener, "tlsforge-loopback", MAX_CONNECTIONS, move |tcp, _| {
            let _ = serve_one(tcp, config.clone());
        })?;
        Ok(Self { acceptor })
    }

    pub fn port(&self) -> u16 {
        self.acceptor.local_addr().port()
    }
}

/// One connection: the TLS handshake, one request, one response, close.
fn serve_one(tcp: TcpStream, config: Arc<ServerConfig>) -> io::Result<()> {
    let deadline = Instant::now() + CONNECTION_TIME;
    tcp.set_write_timeout(Some(CONNECTION_TIME))?;
    let connection = ServerConnection::new(config).map_err(io::Error::other)?;
    let mut tls = StreamOwned::new(connection, tcp);
    let mut request = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || request.len() > MAX_REQUEST {
            return Ok(());
        }
        tls.sock.set_read_timeout(Some(left))?;
        match tls.read(&mut chunk)? {
            0 => return Ok(()),
            n => request.extend_from_slice(&chunk[..n]),
        }
    }
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{PAGE_TITLE}</title></head>\
         <body><p>{PAGE_TITLE}: this client trusts the certificate.</p></body></html>\n"
    );
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    tls.write_all(head.as_bytes())?;
    tls.write_all(body.as_bytes())?;
    tls.flush()?;
    tls.conn.send_close_notify();
    let _ = tls.conn.complete_io(&mut tls.sock);
    let _ = tls.sock.shutdown(Shutdown::Write);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        Identity::pkcs8(vec![made.cert.der().to_vec()], made.signing_key.serialize_der())
    }

    #[test]
    fn a_server_needs_a_certificate_and_its_key() {
        let good = identity();
        let no_chain = Identity { chain: Vec::new(), ..good.clone() };
        assert_eq!(LoopbackServer::start(&no_chain).unwrap_err(), "no certificate to serve");
        let bad_key = Identity { key: b"not a key".to_vec(), ..good.clone() };
        let err = LoopbackServer::start(&bad_key).unwrap_err();
        assert!(err.starts_with("cannot serve this certificate and key"), "{err}");
        let other_key = Identity { key: identity().key, ..good.clone() };
        assert!(LoopbackServer::start(&other_key).is_err(), "a key that does not match the certificate");
        assert!(!format!("{good:?}").contains(&format!("{:?}", &good.key[..8])), "no key in Debug");
    }

    #[test]
    fn each_server_gets_its_own_port_and_frees_it_on_drop() {
        let identity = identity();
        let one = LoopbackServer::start(&identity).unwrap();
        let two = LoopbackServer::start(&identity).unwrap();
        assert_ne!(one.port(), two.port());
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, one.port())).is_ok());
        drop((one, two));
        // Other tests bind ports all the time and may be handed one just freed: a server that
        // kept its port would be connectable every time, so three tries tell the two apart.
        let freed = (0..3).any(|_| {
            let server = LoopbackServer::start(&identity).unwrap();
            let port = server.port();
            drop(server);
            TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err()
        });
        assert!(freed, "the port stays open after drop");
    }
}
