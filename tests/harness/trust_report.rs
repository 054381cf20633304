//! The JSON report of `trust`/`untrust`, read strictly so that the documented schema cannot
//! drift (`deny_unknown_fields`).

use std::path::PathBuf;

use serde::Deserialize;

use super::Run;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct Report {
    pub(crate) action: String,
    pub(crate) dry_run: bool,
    pub(crate) certificate: CertificateJson,
    pub(crate) notes: Vec<String>,
    pub(crate) warnings: Vec<String>,
    pub(crate) stores: Vec<StoreJson>,
    pub(crate) verdict: Option<String>,
    pub(crate) handshakes: Option<HandshakesJson>,
    pub(crate) ok: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct HandshakesJson {
    pub(crate) served: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) clients: Vec<ProofJson>,
    pub(crate) error: Option<String>,
    pub(crate) disagreements: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct ProofJson {
    pub(crate) client: String,
    pub(crate) name: String,
    pub(crate) store: String,
    pub(crate) program: PathBuf,
    pub(crate) version: Option<String>,
    pub(crate) verdict: String,
    pub(crate) reason: String,
}

/// (client, verdict) of each handshake.
pub(crate) fn proofs(handshakes: &HandshakesJson) -> Vec<(&str, &str)> {
    handshakes.clients.iter().map(|p| (p.client.as_str(), p.verdict.as_str())).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct CertificateJson {
    pub(crate) input: PathBuf,
    pub(crate) path: PathBuf,
    pub(crate) subject: String,
    pub(crate) kind: String,
    pub(crate) entry_name: String,
    pub(crate) fingerprint_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct StoreJson {
    pub(crate) store: String,
    pub(crate) location: Option<String>,
    pub(crate) status: String,
    pub(crate) detail: Option<String>,
    pub(crate) clients: Vec<ClientJson>,
    pub(crate) notes: Vec<String>,
    #[serde(default)]
    pub(crate) steps: Vec<StepJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct ClientJson {
    pub(crate) client: String,
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) verdict: String,
    pub(crate) reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct StepJson {
    pub(crate) description: String,
    pub(crate) command: String,
    pub(crate) root: bool,
    pub(crate) sudo: bool,
}

pub(crate) fn report(run: &Run) -> Report {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.stdout))
}

pub(crate) fn statuses(report: &Report) -> Vec<(&str, &str)> {
    report.stores.iter().map(|s| (s.store.as_str(), s.status.as_str())).collect()
}
