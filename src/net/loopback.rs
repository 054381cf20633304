//! A throwaway HTTPS server on 127.0.0.1 that clients are pointed at to prove they trust a
//! certificate: rustls with ring, TLS 1.2 and 1.3, ALPN `http/1.1`, and one small page for
//! every request. Connections are few and short: at most [`MAX_CONNECTIONS`] at once, each
//! closed after one response or [`CONNECTION_TIME`]. Dropping the server stops it and waits for
//! its threads, which never block for long.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// The `<title>` of the page served, which browsers are asked for to prove the page loaded.
pub const PAGE_TITLE: &str = "tlsforge check";

/// Connections served at the same time; more are closed at once.
pub const MAX_CONNECTIONS: usize = 32;

/// The longest one connection may live (handshake, request and response).
pub const CONNECTION_TIME: Duration = Duration::from_secs(15);

/// How often the accepting thread looks at the stop flag when nobody connects.
const POLL: Duration = Duration::from_millis(20);

/// The most a request's line and headers may take.
const MAX_REQUEST: usize = 16 * 1024;

/// A certificate chain and its private key, to serve.
#[derive(Clone)]
pub struct Identity {
    /// DER certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's private key, PKCS#8 DER.
    pub key_pkcs8: Vec<u8>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Identity").field("chain", &self.chain.len()).finish_non_exhaustive()
    }
}

/// A running server; dropping it stops it.
#[derive(Debug)]
pub struct LoopbackServer {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Listen on `127.0.0.1:0` and answer every HTTP/1.1 request with `200` and a page titled
    /// [`PAGE_TITLE`].
    pub fn start(identity: &Identity) -> Result<Self, String> {
        let config = Arc::new(server_config(identity)?);
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let acceptor = thread::Builder::new()
            .name("tlsforge-loopback".into())
            .spawn(move || accept_until_stopped(&listener, &config, &flag))
            .map_err(|e| format!("cannot start the server thread: {e}"))?;
        Ok(Self { port, stop, acceptor: Some(acceptor) })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn server_config(identity: &Identity) -> Result<ServerConfig, String> {
    if identity.chain.is_empty() {
        return Err("no certificate to serve".into());
    }
    let chain = identity.chain.iter().cloned().map(CertificateDer::from).collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_pkcs8.clone()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("cannot serve this certificate and key: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The connections being served, so that stopping can cut them short.
#[derive(Default)]
struct Active {
    next: usize,
    streams: Vec<(usize, TcpStream)>,
}

fn accept_until_stopped(listener: &TcpListener, config: &Arc<ServerConfig>, stop: &AtomicBool) {
    let active = Arc::new(Mutex::new(Active::default()));
    let count = Arc::new(AtomicUsize::new(0));
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        workers.retain(|worker| !worker.is_finished());
        let tcp = match listener.accept() {
            Ok((tcp, _)) => tcp,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(POLL);
                continue;
            }
            Err(_) => {
                // E.g. out of file descriptors: wait instead of spinning.
                thread::sleep(POLL);
                continue;
            }
        };
        if count.load(Ordering::SeqCst) >= MAX_CONNECTIONS || tcp.set_nonblocking(false).is_err() {
            continue; // dropped: closed at once
        }
        let Ok(registered) = tcp.try_clone() else { continue };
        let id = {
            let mut active = active.lock().unwrap_or_else(PoisonError::into_inner);
            active.next += 1;
            let id = active.next;
            active.streams.push((id, registered));
            id
        };
        count.fetch_add(1, Ordering::SeqCst);
        let (config, active_for_worker, count_for_worker) = (config.clone(), active.clone(), count.clone());
        let spawned = thread::Builder::new().name("tlsforge-loopback-conn".into()).spawn(move || {
            let _ = serve_one(tcp, config);
            active_for_worker
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .streams
                .retain(|(other, _)| *other != id);
            count_for_worker.fetch_sub(1, Ordering::SeqCst);
        });
        if let Ok(worker) = spawned {
            workers.push(worker);
        } else {
            active.lock().unwrap_or_else(PoisonError::into_inner).streams.retain(|(other, _)| *other != id);
            count.fetch_sub(1, Ordering::SeqCst);
        }
    }
    // Cut every connection still open; their threads then end at their next read or write.
    for (_, stream) in &active.lock().unwrap_or_else(PoisonError::into_inner).streams {
        let _ = stream.shutdown(Shutdown::Both);
    }
    for worker in workers {
        let _ = worker.join();
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
        Identity { chain: vec![made.cert.der().to_vec()], key_pkcs8: made.signing_key.serialize_der() }
    }

    #[test]
    fn a_server_needs_a_certificate_and_its_key() {
        let good = identity();
        let no_chain = Identity { chain: Vec::new(), ..good.clone() };
        assert_eq!(LoopbackServer::start(&no_chain).unwrap_err(), "no certificate to serve");
        let bad_key = Identity { key_pkcs8: b"not a key".to_vec(), ..good.clone() };
        let err = LoopbackServer::start(&bad_key).unwrap_err();
        assert!(err.starts_with("cannot serve this certificate and key"), "{err}");
        let other_key = Identity { key_pkcs8: identity().key_pkcs8, ..good.clone() };
        assert!(LoopbackServer::start(&other_key).is_err(), "a key that does not match the certificate");
        assert!(!format!("{good:?}").contains(&format!("{:?}", &good.key_pkcs8[..8])), "no key in Debug");
    }

    #[test]
    fn each_server_gets_its_own_port_and_frees_it_on_drop() {
        let identity = identity();
        let one = LoopbackServer::start(&identity).unwrap();
        let two = LoopbackServer::start(&identity).unwrap();
        assert_ne!(one.port(), two.port());
        let port = one.port();
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());
        drop(one);
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err());
    }
}
