//! What `proxy` did, as it happens: where it listens and what it serves, then one access per
//! request, then the summary.

use std::path::PathBuf;

use serde::Serialize;

use crate::net::proxy::{Access, Check, Summary};

/// Where a running proxy's events go (the renderer): each as it happens, written out at the
/// latest on `flush`, which comes after every batch of requests.
pub(crate) trait Sink {
    fn event(&mut self, event: &Event) -> anyhow::Result<()>;
    fn flush(&mut self) -> anyhow::Result<()>;
}

/// One thing that happened; in JSON, an object with `"event"` naming its kind.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    Listening {
        /// What the proxy is bound to.
        listen: String,
        /// What to open: `https://localhost:5443/`, then each other name the certificate covers.
        urls: Vec<String>,
        /// Whether other devices can reach it (not bound to loopback).
        reachable_from_lan: bool,
        routes: Vec<RouteReport>,
        certificate: CertificateReport,
        upgrade_insecure: bool,
        backend_timeout_seconds: u64,
    },
    /// One request, once answered.
    Request(Access),
    /// A device's check page (`/.well-known/tlsforge/check`) reported what it found.
    Check(Check),
    /// A new certificate is served from now on (the files changed; re-issued).
    Certificate { certificate: CertificateReport, reason: String },
    /// The certificate's files changed but could not be used: the old one is still served.
    CertificateKept { error: String },
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RouteReport {
    pub prefix: String,
    pub backend: String,
}

/// Where the served certificate comes from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CertificateReport {
    /// `local-ca` (in memory) or `files`.
    pub source: &'static str,
    pub names: Vec<String>,
    /// `--cert`, or the local CA's certificate.
    pub path: PathBuf,
    /// A new local CA was made for this run.
    pub ca_created: bool,
    pub not_after: String,
}

/// The end of a run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProxyReport {
    #[serde(flatten)]
    pub summary: Summary,
}
