//! A TLS handshake that keeps the server's chain whatever its verdict: the certificates the
//! server sent, whether they chain to the system roots or tlsforge's local CA, and whether
//! they are valid for the name asked for. rustls with ring (no per-process start-up cost).

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore};

/// `HOST:PORT` (`[v6]:PORT` for IPv6 addresses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl Target {
    /// Parse `HOST:PORT`; a bare IPv6 address needs brackets to carry a port.
    pub fn parse(input: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("invalid --connect {input:?}: {why}");
        let (host, port) = if let Some(rest) = input.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(|| bad("missing ']'"))?;
            (host, after.strip_prefix(':').ok_or_else(|| bad("expected HOST:PORT, e.g. [::1]:8443"))?)
        } else {
            let (host, port) =
                input.rsplit_once(':').ok_or_else(|| bad("expected HOST:PORT, e.g. localhost:8443"))?;
            if host.contains(':') {
                return Err(bad("put an IPv6 address in brackets, e.g. [::1]:8443"));
            }
            (host, port)
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port =
            port.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| bad("the port must be 1..=65535"))?;
        Ok(Self { host: host.to_owned(), port })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The operating system's root certificates (DER): on Linux the distribution bundle, honouring
/// `SSL_CERT_FILE` and `SSL_CERT_DIR`; the keychain on macOS; the certificate store on Windows.
/// Roots that cannot be loaded are left out.
pub fn system_roots() -> Vec<Vec<u8>> {
    rustls_native_certs::load_native_certs().certs.into_iter().map(|der| der.as_ref().to_vec()).collect()
}

/// Trust anchors for the verdict: the system roots plus, when there is one, the local CA.
#[derive(Debug, Clone)]
pub struct Anchors {
    roots: Arc<RootCertStore>,
}

impl Anchors {
    /// The operating system's roots (on Linux the distribution bundle, honouring `SSL_CERT_FILE`
    /// and `SSL_CERT_DIR`; the keychain on macOS; the certificate store on Windows) and `extra`.
    pub fn system_and(extra: &[Vec<u8>]) -> Self {
        Self::of(&system_roots(), extra)
    }

    /// `roots` (already loaded, e.g. [`system_roots`]) and `extra`.
    pub fn of(roots: &[Vec<u8>], extra: &[Vec<u8>]) -> Self {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(roots.iter().chain(extra).cloned().map(CertificateDer::from));
        Self { roots: Arc::new(store) }
    }

    pub fn len(&self) -> usize {
        self.roots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}

/// What a handshake showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The certificates the server sent, leaf first, as DER.
    pub chain: Vec<Vec<u8>>,
    /// The name checked (and sent as SNI when it is a DNS name).
    pub server_name: String,
    /// `TLSv1.3` or `TLSv1.2`, when the handshake got that far.
    pub protocol: Option<&'static str>,
    /// The chain leads to a trust anchor (the name aside).
    pub trusted: bool,
    /// The leaf is valid for `server_name`.
    pub name_matches: bool,
    /// Why the chain does not verify, in plain words; `None` when it does.
    pub verify_error: Option<String>,
    /// The handshake failed after the certificates arrived (e.g. the server wants a client certificate).
    pub handshake_error: Option<String>,
}

/// Why a server gave no chain to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub kind: FetchFailure,
    message: String,
}

/// What kind of failure, for callers that explain it (doctor's mixed-content advice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchFailure {
    /// It answered the TLS hello with an HTTP response: a plain-HTTP service.
    PlainHttp,
    /// It answered with something else than TLS, or closed or stayed silent without a TLS answer.
    NotTls,
    /// Anything else: no such name, refused, a TLS error.
    Other,
}

impl FetchError {
    fn new(kind: FetchFailure, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

impl From<String> for FetchError {
    fn from(message: String) -> Self {
        Self::new(FetchFailure::Other, message)
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Connect to `target`, handshake, and report the chain. `server_name` overrides the host for
/// SNI and the name check. Errors are one-line reasons (refused, timed out, not TLS, ...).
pub fn fetch_chain(
    target: &Target,
    server_name: Option<&str>,
    anchors: &Anchors,
    timeout: Duration,
) -> Result<Handshake, FetchError> {
    let name_text = server_name.unwrap_or(&target.host).to_owned();
    let name = ServerName::try_from(name_text.clone())
        .map_err(|_| format!("{name_text:?} is not a valid server name (a DNS name or an IP address)"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(Recorder::new(anchors, provider.clone()));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let mut conn = ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;

    // What the server can make us hold is bounded: rustls refuses handshake messages over
    // 64 KiB (the certificate chain is one), and the handshake ends by the deadline.
    let deadline = Instant::now() + timeout;
    let tcp = connect(target, timeout)?;
    tcp.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    let mut io = FirstBytes { inner: tcp, first: Vec::new() };
    let mut failure = None;
    while conn.is_handshaking() {
        if Instant::now() > deadline {
            failure = Some(FetchError::new(
                FetchFailure::NotTls,
                format!("no TLS handshake within {}s", timeout.as_secs()),
            ));
            break;
        }
        if let Err(e) = conn.complete_io(&mut io) {
            failure = Some(handshake_failure(&e, &io.first, timeout));
            break;
        }
    }
    let protocol = conn.protocol_version().map(|v| match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3",
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2",
        _ => "TLS",
    });
    if failure.is_none() {
        conn.send_close_notify();
        let _ = conn.complete_io(&mut io);
    }
    let seen = recorder.seen.lock().unwrap_or_else(PoisonError::into_inner).take();
    match (seen, failure) {
        (Some(seen), handshake_error) => Ok(Handshake {
            chain: seen.chain,
            server_name: name_text,
            protocol,
            trusted: seen.trusted,
            name_matches: seen.name_matches,
            verify_error: seen.error,
            handshake_error: handshake_error.map(|e| e.message),
        }),
        (None, Some(failure)) => Err(failure),
        (None, None) => Err("the server sent no certificate".to_owned().into()),
    }
}

fn connect(target: &Target, timeout: Duration) -> Result<TcpStream, String> {
    let addrs: Vec<_> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {}", target.host, crate::text::io_reason(&e)))?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            "connection refused (nothing listens there)".to_owned()
        }
        Some(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
            format!("no answer within {}s", timeout.as_secs())
        }
        Some(e) => format!("cannot connect: {}", crate::text::io_reason(&e)),
        None => format!("{} resolves to no address", target.host),
    })
}

fn handshake_failure(error: &io::Error, first: &[u8], timeout: Duration) -> FetchError {
    use FetchFailure::{NotTls, Other, PlainHttp};
    if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) {
        return FetchError::new(
            NotTls,
            format!("no TLS handshake within {}s (is it a TLS port?)", timeout.as_secs()),
        );
    }
    let tls = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match tls {
        Some(rustls::Error::InvalidMessage(_))
            if !first.is_empty() && first[0] != 0x15 && first[0] != 0x16 =>
        {
            let kind = if first.starts_with(b"HTTP/") { PlainHttp } else { NotTls };
            FetchError::new(kind, format!("not a TLS server: it answered {}", printable(first)))
        }
        Some(rustls::Error::AlertReceived(alert)) => {
            FetchError::new(Other, format!("the server refused the handshake ({alert:?} alert)"))
        }
        Some(other) => FetchError::new(Other, format!("TLS handshake failed: {other}")),
        None if error.kind() == io::ErrorKind::UnexpectedEof && first.is_empty() => FetchError::new(
            NotTls,
            "the server closed the connection without a TLS answer (is it a TLS port?)",
        ),
        None if error.kind() == io::ErrorKind::UnexpectedEof => {
            FetchError::new(Other, "the server closed the connection during the TLS handshake")
        }
        None => FetchError::new(Other, format!("TLS handshake failed: {}", crate::text::io_reason(error))),
    }
}

/// The start of a non-TLS answer, quoted, e.g. `"HTTP/1.1 400 Bad Request"`.
fn printable(bytes: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(bytes)
        .chars()
        .take_while(|c| *c != '\r' && *c != '\n')
        .take(40)
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    if text.is_empty() { format!("{} bytes that are not TLS", bytes.len()) } else { format!("{text:?}") }
}

/// Keeps the first bytes the server sent, to say what a non-TLS server answered.
struct FirstBytes {
    inner: TcpStream,
    first: Vec<u8>,
}

impl Read for FirstBytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.first.len() < 64 {
            let keep = n.min(64 - self.first.len());
            self.first.extend_from_slice(&buf[..keep]);
        }
        Ok(n)
    }
}

impl Write for FirstBytes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What the verifier saw.
#[derive(Debug)]
struct Seen {
    chain: Vec<Vec<u8>>,
    trusted: bool,
    name_matches: bool,
    error: Option<String>,
}

/// A verifier that records the chain and rustls' own verdict (`WebPkiServerVerifier` against
/// the anchors), then lets the handshake go on so the chain can be shown whatever the verdict.
/// Handshake signatures are still checked against the leaf's key. No data is ever sent.
#[derive(Debug)]
struct Recorder {
    webpki: Result<Arc<WebPkiServerVerifier>, String>,
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<Seen>>,
}

impl Recorder {
    fn new(anchors: &Anchors, provider: Arc<CryptoProvider>) -> Self {
        let webpki = if anchors.is_empty() {
            Err("no trust anchors: neither system roots nor a local CA were found".to_owned())
        } else {
            WebPkiServerVerifier::builder_with_provider(anchors.roots.clone(), provider.clone())
                .build()
                .map_err(|e| e.to_string())
        };
        Self { webpki, provider, seen: Mutex::new(None) }
    }

    fn verdict(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> (bool, bool, Option<String>) {
        let name_matches = ParsedCertificate::try_from(end_entity)
            .is_ok_and(|cert| verify_server_name(&cert, server_name).is_ok());
        let verifier = match &self.webpki {
            Ok(verifier) => verifier,
            Err(reason) => return (false, name_matches, Some(reason.clone())),
        };
        match verifier.verify_server_cert(end_entity, intermediates, server_name, &[], now) {
            Ok(_) => (true, true, None),
            Err(rustls::Error::InvalidCertificate(
                e @ (CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }),
            )) => (true, false, Some(certificate_error(&e))),
            Err(rustls::Error::InvalidCertificate(e)) => (false, name_matches, Some(certificate_error(&e))),
            Err(e) => (false, name_matches, Some(e.to_string())),
        }
    }
}

/// rustls' certificate errors in the words of someone debugging "your connection is not private".
fn certificate_error(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer => {
            "not trusted: the chain does not lead to a system root or tlsforge's local CA".to_owned()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "a certificate in the chain has expired".to_owned()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "a certificate in the chain is not valid yet".to_owned()
        }
        CertificateError::NotValidForNameContext { expected, presented } => {
            let names = if presented.is_empty() { "no names".to_owned() } else { presented.join(", ") };
            format!("not valid for {}: the certificate covers {names}", expected.to_str())
        }
        CertificateError::NotValidForName => "not valid for the name asked for".to_owned(),
        CertificateError::BadSignature => "a signature in the chain does not verify".to_owned(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "not allowed for TLS servers (extended key usage)".to_owned()
        }
        other => format!("does not verify: {other:?}"),
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let (trusted, name_matches, error) = self.verdict(end_entity, intermediates, server_name, now);
        let chain = std::iter::once(end_entity).chain(intermediates).map(|c| c.as_ref().to_vec()).collect();
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Seen { chain, trusted, name_matches, error });
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("localhost:8443").unwrap(), Target { host: "localhost".into(), port: 8443 });
        assert_eq!(Target::parse("[::1]:443").unwrap(), Target { host: "::1".into(), port: 443 });
        assert_eq!(Target::parse("[::1]:443").unwrap().to_string(), "[::1]:443");
        for bad in ["localhost", "::1:443", ":443", "host:0", "host:99999", "[::1]443", "host:"] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn non_tls_answers_are_quoted() {
        assert_eq!(printable(b"HTTP/1.1 400 Bad Request\r\nServer: x"), "\"HTTP/1.1 400 Bad Request\"");
        assert_eq!(printable(b"SSH-2.0-OpenSSH_9.2\r\n"), "\"SSH-2.0-OpenSSH_9.2\"");
        assert_eq!(printable(b"\n"), "1 bytes that are not TLS");
    }
}
