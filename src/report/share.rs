//! What `share` saw, as it happens: one [`Event`] per thing a device did, then the summary.

use std::net::IpAddr;
use std::path::PathBuf;

use serde::Serialize;

use crate::net::share::{Device, Findings};
use crate::pki::export::ExportFormat;

/// One thing that happened; in JSON, an object with `"event"` naming its kind.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    /// The server is up.
    Listening {
        /// The page to open on the device (plain HTTP).
        url: String,
        /// The check page (HTTPS, same port).
        check_url: String,
        /// What the server is bound to.
        listen: String,
        /// Whether other devices can reach it (not a loopback address).
        reachable_from_lan: bool,
        /// The names the check page's certificate covers.
        names: Vec<String>,
        ca_subject: String,
        ca_cert_path: PathBuf,
        /// A new local CA was made for this run.
        ca_created: bool,
        fingerprint_sha256: String,
        timeout_seconds: u64,
        once: bool,
    },
    /// A device opened the install page.
    Visit { peer: IpAddr, device: Device, user_agent: String },
    /// A device downloaded the CA.
    Download { peer: IpAddr, device: Device, file: &'static str, format: ExportFormat },
    /// A device's browser refused the certificate in the TLS handshake.
    Refused { peer: IpAddr, alert: String },
    /// A device's page reported what it found.
    Check {
        peer: IpAddr,
        device: Device,
        #[serde(flatten)]
        findings: Findings,
        passed: bool,
        fixes: Vec<String>,
    },
}

/// Why `share` stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stop {
    Timeout,
    Interrupted,
    /// `--once` and a device passed.
    Passed,
}

/// The end of a run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ShareReport {
    pub stopped: Stop,
    /// Devices that passed every check (`iPhone · Safari (192.168.1.31)`).
    pub passed: Vec<String>,
    /// Devices that reported a check at all.
    pub checked: usize,
    /// `--once` was asked for.
    #[serde(skip)]
    pub once: bool,
}
