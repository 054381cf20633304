//! `trust --check --clients`: a verdict read from a store is a guess until a real client
//! agrees. The certificate is served on a throwaway loopback listener — a self-signed leaf with
//! its own key, a leaf of the local CA with its key, or else a short-lived leaf the local CA
//! issues for `localhost` — and every client found for the selected stores makes a real
//! handshake with it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::Store;
use super::certificate::{Kind, Resolved};
use super::verdict::Trust;
use crate::input;
use crate::net::handshake::{self, ClientSpec, Target};
use crate::net::loopback::{Identity, LoopbackServer};
use crate::pki::ca::CaDir;
use crate::pki::leaf;
use crate::pki::names::SubjectName;
use crate::pki::{armor, content};

/// What is served, and the name clients ask for.
pub(crate) struct Served {
    pub identity: Identity,
    pub name: String,
    /// For people: "server.crt with its key", "a temporary certificate for localhost …".
    pub what: String,
}

/// One client's handshake, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Proof {
    /// `curl`, `python`, `node`, `java`, `chromium`, `firefox`.
    pub client: &'static str,
    /// For people: "Firefox profile default-esr".
    pub name: String,
    /// The store whose trust this client shows.
    pub store: Store,
    pub program: PathBuf,
    pub version: Option<String>,
    /// `unknown` when the client gave no answer (it could not run, crashed, timed out).
    pub verdict: Trust,
    /// `accepted`, or the client's own words.
    pub reason: String,
}

/// Choose what to serve for the certificate being checked. `key` is the leaf's key when the
/// user names it; by default the `.key` file beside the certificate.
pub(crate) fn served(
    resolved: &Resolved,
    ca_dir: &CaDir,
    key: Option<&Path>,
    now: time::OffsetDateTime,
) -> Result<Served, String> {
    let input = &resolved.input;
    let beside = key.map_or_else(|| input.with_extension("key"), Path::to_path_buf);
    match resolved.cert.kind {
        Kind::SelfSignedLeaf => {
            let key =
                pkcs8(&beside).map_err(|why| format!("{why}: pass the certificate's key with --key"))?;
            let identity = Identity::pkcs8(vec![resolved.cert.der.clone()], key);
            let name = name_in(&resolved.cert.der)?;
            Ok(Served { identity, name, what: format!("{} with its key", input.display()) })
        }
        Kind::LocalCa => {
            let leaf = (*input != resolved.cert.file && *input != ca_dir.cert_path())
                .then(|| first_certificate(input))
                .flatten();
            if let (Some(leaf), Ok(key)) = (leaf, pkcs8(&beside)) {
                let name = name_in(&leaf)?;
                let identity = Identity::pkcs8(vec![leaf, resolved.cert.der.clone()], key);
                return Ok(Served { identity, name, what: format!("{} with its key", input.display()) });
            }
            temporary_leaf(ca_dir, now)
        }
        Kind::ForeignCa => Err(format!(
            "{} is a CA from elsewhere, and tlsforge cannot issue a certificate from it to serve: \
             check a certificate it issued with its key instead",
            input.display()
        )),
    }
}

/// A leaf of the local CA for `localhost`, valid for a day, that lives only in memory.
fn temporary_leaf(ca_dir: &CaDir, now: time::OffsetDateTime) -> Result<Served, String> {
    let ca = ca_dir
        .load()
        .map_err(|e| format!("{e:#}"))?
        .ok_or_else(|| format!("no local CA in {}", ca_dir.path().display()))?;
    let names = vec![SubjectName::parse("localhost").map_err(|e| e.to_string())?];
    let made = leaf::in_memory(&ca, names, 1, now).map_err(|e| format!("{e:#}"))?;
    Ok(Served {
        identity: Identity::pkcs8(made.chain, made.key),
        name: "localhost".into(),
        what: "a temporary certificate for localhost issued by the local CA".into(),
    })
}

/// The first certificate of a PEM file.
fn first_certificate(path: &Path) -> Option<Vec<u8>> {
    content::first_certificate(&input::read(path, input::CERTIFICATE).ok()?).ok()
}

/// The PKCS#8 key in a PEM file (what `tlsforge gen` writes).
fn pkcs8(path: &Path) -> Result<Vec<u8>, String> {
    let text = input::read(path, input::CERTIFICATE)
        .map_err(|e| format!("cannot read the key {}: {e}", path.display()))?;
    let blocks = armor::pem_blocks(&text)
        .collect::<Result<Vec<_>, String>>()
        .map_err(|_| format!("{} is not a PEM key", path.display()))?;
    match blocks.into_iter().find(|p| p.label.ends_with("PRIVATE KEY")) {
        Some(block) if block.label == "PRIVATE KEY" => Ok(block.der),
        Some(block) => Err(format!(
            "{} holds a {} (the checks serve PKCS#8 keys: `openssl pkey -in KEY -out KEY.pk8` converts it)",
            path.display(),
            block.label
        )),
        None => Err(format!("{} holds no private key", path.display())),
    }
}

/// The name clients ask for: `localhost` when the certificate covers it, else 127.0.0.1, else
/// its first DNS name (a wildcard made concrete). Clients reach it on loopback whatever it is.
fn name_in(der: &[u8]) -> Result<String, String> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| format!("not a certificate: {e}"))?;
    let mut dns = Vec::new();
    let mut loopback = false;
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(name) => dns.push(name.to_ascii_lowercase()),
                GeneralName::IPAddress(bytes) => {
                    loopback |= *bytes == [127, 0, 0, 1];
                }
                _ => {}
            }
        }
    }
    if dns.iter().any(|n| n == "localhost") {
        return Ok("localhost".into());
    }
    if loopback {
        return Ok("127.0.0.1".into());
    }
    dns.first()
        .map(|name| {
            name.strip_prefix("*.").map_or_else(|| name.clone(), |rest| format!("tlsforge-check.{rest}"))
        })
        .ok_or_else(|| "the certificate names neither a DNS name nor 127.0.0.1 to connect to".to_owned())
}

/// Serve `served` and let every witness try it, all at once; the answers in witness order.
pub(crate) fn prove(served: &Served, witnesses: &[(Store, ClientSpec)]) -> Result<(u16, Vec<Proof>), String> {
    let listener = LoopbackServer::start(&served.identity)?;
    let target = Target { name: served.name.clone(), port: listener.port() };
    let proofs = std::thread::scope(|scope| {
        let running: Vec<_> = witnesses
            .iter()
            .map(|(store, spec)| {
                let target = &target;
                (store, spec, scope.spawn(move || handshake::handshake(spec, target)))
            })
            .collect();
        running
            .into_iter()
            .map(|(store, spec, thread)| {
                let done = thread.join().unwrap_or_else(|_| handshake::Handshake {
                    trusted: false,
                    reason: "the check crashed".into(),
                    conclusive: false,
                    version: None,
                });
                Proof {
                    client: client_id(spec.kind),
                    name: spec.label.clone(),
                    store: *store,
                    program: spec.program.clone(),
                    version: done.version,
                    verdict: match (done.conclusive, done.trusted) {
                        (false, _) => Trust::Unknown,
                        (true, true) => Trust::Trusted,
                        (true, false) => Trust::NotTrusted,
                    },
                    reason: done.reason,
                }
            })
            .collect()
    });
    Ok((target.port, proofs))
}

fn client_id(kind: handshake::ClientKind) -> &'static str {
    use handshake::ClientKind as K;
    match kind {
        K::Curl => "curl",
        K::Python => "python",
        K::Node => "node",
        K::Java => "java",
        K::Chromium => "chromium",
        K::Firefox => "firefox",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    use crate::pki::keys::{self, KeyAlgorithm};

    fn leaf(names: &[&str]) -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let names = names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        rcgen::CertificateParams::new(names).unwrap().self_signed(&key).unwrap().der().to_vec()
    }

    #[test]
    fn clients_ask_for_localhost_then_loopback_then_the_first_name() {
        assert_eq!(name_in(&leaf(&["app.test", "localhost"])).unwrap(), "localhost");
        assert_eq!(name_in(&leaf(&["app.test", "127.0.0.1"])).unwrap(), "127.0.0.1");
        assert_eq!(name_in(&leaf(&["App.Test", "10.0.0.1"])).unwrap(), "app.test");
        assert_eq!(name_in(&leaf(&["*.app.test"])).unwrap(), "tlsforge-check.app.test");
        assert!(name_in(&leaf(&["10.0.0.1"])).is_err(), "another address would leave loopback");
    }

    #[test]
    fn only_pkcs8_keys_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let key = keys::generate(KeyAlgorithm::EcdsaP256).unwrap();
        let path = dir.path().join("server.key");
        fs::write(&path, keys::private_key_pem(&key)).unwrap();
        assert_eq!(pkcs8(&path).unwrap(), key.serialize_der());
        fs::write(&path, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n").unwrap();
        assert!(pkcs8(&path).unwrap_err().contains("holds a EC PRIVATE KEY"));
        assert!(pkcs8(&dir.path().join("missing.key")).unwrap_err().starts_with("cannot read the key"));
    }
}
