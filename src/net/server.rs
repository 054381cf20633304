//! What every server tlsforge runs shares: a certificate chain and key to serve, the rustls
//! configuration made from them, and one thread per connection under a cap, stopped (and its
//! connections cut) when the server is dropped.

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use rustls::ServerConfig;
use rustls::pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// How often the accepting thread looks at the stop flag when nobody connects.
const POLL: Duration = Duration::from_millis(20);

/// A certificate chain and its private key, to serve.
#[derive(Clone)]
pub struct Identity {
    /// DER certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's private key, DER, in the form `key_form` says.
    pub key: Vec<u8>,
    pub key_form: KeyForm,
}

/// How a private key is encoded: what its PEM label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// `PRIVATE KEY`: what tlsforge writes.
    Pkcs8,
    /// `RSA PRIVATE KEY`.
    Pkcs1,
    /// `EC PRIVATE KEY`.
    Sec1,
}

impl KeyForm {
    /// The form a PEM label names, if it is a private key's.
    pub fn from_label(label: &str) -> Option<Self> {
        match label {
            "PRIVATE KEY" => Some(Self::Pkcs8),
            "RSA PRIVATE KEY" => Some(Self::Pkcs1),
            "EC PRIVATE KEY" => Some(Self::Sec1),
            _ => None,
        }
    }
}

impl Identity {
    /// A chain with a PKCS#8 key.
    pub fn pkcs8(chain: Vec<Vec<u8>>, key: Vec<u8>) -> Self {
        Self { chain, key, key_form: KeyForm::Pkcs8 }
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Identity").field("chain", &self.chain.len()).finish_non_exhaustive()
    }
}

/// rustls with ring, TLS 1.3 and 1.2, ALPN `http/1.1`, serving `identity`.
pub(crate) fn tls_config(identity: &Identity) -> Result<ServerConfig, String> {
    let certified = certified(identity)?;
    server_config(Arc::new(Fixed(Arc::new(certified))), &[b"http/1.1"])
}

/// The same for a certificate that may be replaced while serving, offering `alpn` (most
/// preferred first).
pub(crate) fn tls_config_swappable(current: Arc<Swappable>, alpn: &[&[u8]]) -> Result<ServerConfig, String> {
    server_config(current, alpn)
}

/// ring's suites, AES-128-GCM with SHA-256 first: the TLS 1.3 key schedule then runs on SHA-256
/// (in hardware on most CPUs) instead of SHA-384, which took a tenth of the proxy's time in
/// handshakes. Mozilla's and Go's servers prefer it too; every client offers it.
fn provider() -> rustls::crypto::CryptoProvider {
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.sort_by_key(|suite| match suite.suite() {
        rustls::CipherSuite::TLS13_AES_128_GCM_SHA256 => 0,
        rustls::CipherSuite::TLS13_AES_256_GCM_SHA384
        | rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256 => 1,
        _ => 2,
    });
    provider
}

fn server_config(resolver: Arc<dyn ResolvesServerCert>, alpn: &[&[u8]]) -> Result<ServerConfig, String> {
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    // Our order, not the client's (OpenSSL clients put AES-256 first). A client without AES
    // instructions that lists ChaCha20 first gets AES-128 too: slower for it, never refused.
    config.ignore_client_order = true;
    config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
    Ok(config)
}

/// The chain and a signing key made from `identity`'s key, checked to belong together.
fn certified(identity: &Identity) -> Result<CertifiedKey, String> {
    if identity.chain.is_empty() {
        return Err("no certificate to serve".into());
    }
    let chain = identity.chain.iter().cloned().map(CertificateDer::from).collect();
    let key = match identity.key_form {
        KeyForm::Pkcs8 => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key.clone())),
        KeyForm::Pkcs1 => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(identity.key.clone())),
        KeyForm::Sec1 => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(identity.key.clone())),
    };
    CertifiedKey::from_der(chain, key, &provider())
        .map_err(|e| format!("cannot serve this certificate and key: {e}"))
}

/// One certificate for the server's life.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// The certificate a server presents, replaced while it runs (a renewed pair, a re-issued
/// leaf): handshakes that start after [`Swappable::replace`] get the new one.
#[derive(Debug)]
pub(crate) struct Swappable(RwLock<Arc<CertifiedKey>>);

impl Swappable {
    pub(crate) fn new(identity: &Identity) -> Result<Arc<Self>, String> {
        Ok(Arc::new(Self(RwLock::new(Arc::new(certified(identity)?)))))
    }

    /// Serve `identity` from now on; on error the old one stays.
    pub(crate) fn replace(&self, identity: &Identity) -> Result<(), String> {
        let certified = Arc::new(certified(identity)?);
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = certified;
        Ok(())
    }
}

impl ResolvesServerCert for Swappable {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.read().unwrap_or_else(PoisonError::into_inner).clone())
    }
}

/// Accepts connections on a thread of its own and hands each to `serve` on another, at most
/// `max` at once (more are closed at once). Dropping it stops accepting, cuts the connections
/// still open and waits for their threads, which end at their next read or write.
#[derive(Debug)]
pub(crate) struct Acceptor {
    local: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Acceptor {
    pub(crate) fn start<F>(listener: TcpListener, name: &str, max: usize, serve: F) -> Result<Self, String>
    where
        F: Fn(TcpStream, SocketAddr) + Send + Sync + 'static,
    {
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let worker_name = format!("{name}-conn");
        let thread = thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || accept_until_stopped(&listener, &worker_name, max, &Arc::new(serve), &flag))
            .map_err(|e| format!("cannot start the server thread: {e}"))?;
        Ok(Self { local, stop, thread: Some(thread) })
    }

    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The connections being served, so that stopping can cut them short.
#[derive(Default)]
struct Active {
    next: usize,
    streams: Vec<(usize, TcpStream)>,
}

fn accept_until_stopped<F>(listener: &TcpListener, name: &str, max: usize, serve: &Arc<F>, stop: &AtomicBool)
where
    F: Fn(TcpStream, SocketAddr) + Send + Sync + 'static,
{
    let active = Arc::new(Mutex::new(Active::default()));
    let count = Arc::new(AtomicUsize::new(0));
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        workers.retain(|worker| !worker.is_finished());
        let (tcp, peer) = match listener.accept() {
            Ok(accepted) => accepted,
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
        if count.load(Ordering::SeqCst) >= max || tcp.set_nonblocking(false).is_err() {
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
        let (serve, active_for_worker, count_for_worker) = (serve.clone(), active.clone(), count.clone());
        let spawned = thread::Builder::new().name(name.to_owned()).spawn(move || {
            serve(tcp, peer);
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
