//! `tlsforge trust` and `tlsforge untrust`: resolve CERT, detect the selected stores, then
//! check, plan (`--dry-run`) or carry out the change store by store.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{StoreArg, TrustArgs, UntrustArgs};
use crate::error::Error;
use crate::fsutil;
use crate::host::Host;
use crate::net::handshake::ClientSpec;
use crate::pki::ca::CaDir;
use crate::report::trust::{
    Action, CertificateInfo, Handshakes, PlannedStep, Status, StoreReport, TrustReport, Watch,
};
use crate::trust::certificate::{self, Resolved};
use crate::trust::prove::{self, Proof};
use crate::trust::runner::{Elevation, Runner};
use crate::trust::verdict::{Overall, Trust, Verdict, all_trusted};
use crate::trust::{self, Backend, Done, Found, Outcome, Selection, Store};

/// Serve the certificate and let every witness connect.
fn handshakes(
    resolved: &Resolved,
    ca_dir: &CaDir,
    prove: &Prove,
    witnesses: &[(Store, ClientSpec)],
    now: time::OffsetDateTime,
) -> Handshakes {
    let mut report = Handshakes {
        served: None,
        name: None,
        port: None,
        clients: Vec::new(),
        error: None,
        disagreements: Vec::new(),
    };
    let served = match prove::served(resolved, ca_dir, prove.key.as_deref(), now) {
        Ok(served) => served,
        Err(why) => {
            report.error = Some(why);
            return report;
        }
    };
    report.served = Some(served.what.clone());
    report.name = Some(served.name.clone());
    match prove::prove(&served, witnesses) {
        Ok((port, clients)) => {
            report.port = Some(port);
            report.clients = clients;
        }
        Err(why) => report.error = Some(why),
    }
    report
}

/// What `trust`, `untrust` and `trust --check` are asked to do.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub action: Action,
    /// CERT; `None` means the local CA.
    pub cert: Option<PathBuf>,
    pub stores: Selection,
    pub dry_run: bool,
    pub ca_dir: Option<PathBuf>,
    /// `--check --clients`: prove the verdicts with handshakes, serving CERT with this key
    /// (`None`: the `.key` beside CERT).
    pub prove: Option<Prove>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Prove {
    pub key: Option<PathBuf>,
}

impl Options {
    pub(crate) fn from_trust_args(args: &TrustArgs) -> Self {
        Self {
            action: if args.check { Action::Check } else { Action::Trust },
            cert: args.cert.clone(),
            stores: selection(&args.stores.stores, args.stores.machine),
            dry_run: args.dry_run,
            ca_dir: args.ca_dir.path.clone(),
            prove: args.clients.then(|| Prove { key: args.key.clone() }),
        }
    }

    pub(crate) fn from_untrust_args(args: &UntrustArgs) -> Self {
        Self {
            action: Action::Untrust,
            cert: args.cert.clone(),
            stores: selection(&args.stores.stores, args.stores.machine),
            dry_run: args.dry_run,
            ca_dir: args.ca_dir.path.clone(),
            prove: None,
        }
    }
}

/// `--store` as the domain reads it (`all`, or none, is everything found).
pub(crate) fn selection(stores: &[StoreArg], machine_store: bool) -> Selection {
    let mut named = Vec::new();
    for arg in stores {
        match arg {
            StoreArg::System => named.push(Store::System),
            StoreArg::Nss => named.push(Store::Nss),
            StoreArg::Java => named.push(Store::Java),
            StoreArg::Windows => named.push(Store::Windows),
            StoreArg::All => return Selection { stores: Vec::new(), machine_store },
        }
    }
    Selection { stores: named, machine_store }
}

/// Trust, untrust or check CERT in the selected stores; `watch` follows each store as it is
/// done. An error only when nothing could be attempted; the report says how each store went
/// (see [`outcome`]).
/// The lock file in the data directory that `trust` and `untrust` runs take turns on.
const TRUST_LOCK: &str = ".trust.lock";

pub(crate) fn execute(options: &Options, host: &Host, watch: &mut dyn Watch) -> Result<TrustReport> {
    let Options { action, dry_run, .. } = *options;
    let cert = options.cert.as_deref();
    let ca_dir = super::ca::dir(options.ca_dir.clone(), host)?;
    // The known trap: the whole tool under sudo looks for per-user state in root's home.
    if let Some(user) = &host.sudo_user
        && cert.is_none()
        && !ca_dir.cert_path().exists()
    {
        return Err(Error::failed(format!("no local CA in {}", ca_dir.path().display()))
            .hint(format!(
                "tlsforge runs under sudo, so it looks in root's home, not {user}'s: run it as {user}; \
                 it uses sudo itself for the steps that need root"
            ))
            .into());
    }
    let cert = cert.map(|c| host.absolute(c));
    let mut resolved = certificate::resolve(cert.as_deref(), &ca_dir, host.now)?;
    if let Some(user) = &host.sudo_user {
        resolved.notes.push(format!(
            "running under sudo: the per-user stores (NSS databases, the login keychain) are root's, not {user}'s"
        ));
    }
    // Runs that change stores take turns (one may be creating the NSS database another
    // would open); checks and dry runs only read. Without a data directory to lock in (a
    // read-only home), a run goes on alone, as before there was a lock.
    let _turn = match &host.data_dir {
        Some(dir) if action != Action::Check && !dry_run => fsutil::exclusive(&dir.join(TRUST_LOCK)).ok(),
        _ => None,
    };
    let machine = &host.machine;
    let found = trust::detect(machine, &options.stores);
    if found.is_empty() {
        return Err(Error::failed("no trust store found on this machine").into());
    }
    let mut report = TrustReport {
        action,
        dry_run,
        certificate: CertificateInfo {
            input: resolved.input.clone(),
            path: resolved.cert.file.clone(),
            subject: resolved.cert.subject.clone(),
            kind: resolved.cert.kind,
            entry_name: resolved.cert.entry_name.clone(),
            fingerprint_sha256: resolved.cert.sha256.clone(),
        },
        notes: resolved.notes.clone(),
        warnings: resolved.warnings.clone(),
        stores: Vec::new(),
        verdict: None,
        handshakes: None,
        ok: true,
    };
    watch.begun(&report);
    let elevation = Elevation::for_machine(machine);
    let mut sudo_validated = false;
    for item in &found {
        let store_report = match item {
            Found::Skipped(skipped) | Found::Unused(skipped) => StoreReport {
                store: skipped.store,
                location: skipped.location.clone(),
                status: if matches!(item, Found::Unused(_)) { Status::Unused } else { Status::Skipped },
                detail: Some(skipped.note.clone()),
                clients: Vec::new(),
                notes: Vec::new(),
                steps: Vec::new(),
            },
            Found::Ready(backend) => {
                let mut runner = Runner::new(elevation.clone(), &mut *watch, sudo_validated);
                let done = one_store(action, dry_run, &mut runner, &elevation, backend.as_ref(), &resolved);
                sudo_validated = runner.sudo_validated();
                done
            }
        };
        watch.store(&store_report, action);
        report.stores.push(store_report);
    }
    report.ok = report.stores.iter().all(|s| s.status.ok());
    if let Some(prove) = &options.prove {
        let witnesses: Vec<_> = found
            .iter()
            .filter_map(|f| match f {
                Found::Ready(backend) => Some(backend),
                _ => None,
            })
            .flat_map(|backend| backend.witnesses(machine).into_iter().map(|spec| (backend.store(), spec)))
            .collect();
        let mut handshakes = handshakes(&resolved, &ca_dir, prove, &witnesses, host.now);
        handshakes.disagreements = disagreements(&report.stores, &handshakes.clients);
        watch.handshakes(&handshakes);
        report.handshakes = Some(handshakes);
    }
    if action == Action::Check {
        let verdict = overall(&report.stores, report.handshakes.as_ref());
        report.verdict = Some(verdict);
        report.ok = verdict == Overall::Trusted;
    }
    Ok(report)
}

/// The exit status a finished report stands for: every store done (for `--check`: every
/// client trusts it), or the error that names what did not.
pub(crate) fn outcome(report: &TrustReport) -> Result<()> {
    if report.ok { Ok(()) } else { Err(not_ok(report).into()) }
}

fn one_store(
    action: Action,
    dry_run: bool,
    runner: &mut Runner<'_>,
    elevation: &Elevation,
    backend: &dyn Backend,
    resolved: &Resolved,
) -> StoreReport {
    let cert = &resolved.cert;
    let mut report = StoreReport {
        store: backend.store(),
        location: Some(backend.location()),
        status: Status::Planned,
        detail: None,
        clients: Vec::new(),
        notes: Vec::new(),
        steps: Vec::new(),
    };
    if dry_run {
        // The exact steps a real run would take: none when there is nothing to do.
        report.clients = backend.verdicts(cert, runner.reader());
        let steps = match action {
            Action::Untrust => {
                let entries = backend.entries(cert, runner.reader());
                if entries.is_empty() {
                    report.status = Status::NotPresent;
                }
                trust::removal(&entries)
            }
            Action::Trust | Action::Check => {
                if all_trusted(&report.clients) {
                    report.status = Status::AlreadyTrusted;
                    Vec::new()
                } else {
                    backend.trust(cert)
                }
            }
        };
        report.steps = steps
            .iter()
            .map(|step| PlannedStep {
                description: step.description.clone(),
                command: elevation.command_line(step),
                root: step.root,
                sudo: elevation.via_sudo(step),
            })
            .collect();
        return report;
    }
    let Done { outcome, clients, notes } = match action {
        Action::Trust => trust::trust(runner, backend, cert),
        Action::Untrust => trust::untrust(runner, backend, cert),
        Action::Check => trust::check(runner, backend, cert),
    };
    (report.status, report.detail) = match outcome {
        Outcome::Trusted | Outcome::Checked(true) => (Status::Trusted, None),
        Outcome::AlreadyTrusted => (Status::AlreadyTrusted, None),
        Outcome::Removed => (Status::Removed, None),
        Outcome::NotPresent => (Status::NotPresent, None),
        Outcome::Checked(false) => (Status::NotTrusted, None),
        Outcome::Failed(why) => (Status::Failed, Some(why)),
    };
    report.clients = clients;
    report.notes = notes;
    report
}

/// Handshakes that contradict the verdict read from the same client's store: the store says
/// one thing, the client does another (something tlsforge's rules do not know about).
fn disagreements(stores: &[StoreReport], proofs: &[Proof]) -> Vec<String> {
    let mut found = Vec::new();
    for proof in proofs.iter().filter(|p| p.verdict != Trust::Unknown) {
        let judged = stores.iter().filter(|s| s.store == proof.store).flat_map(|s| &s.clients).find(|v| {
            v.name == proof.name
                || (v.client == crate::trust::verdict::Client::Openssl
                    && matches!(proof.client, "curl" | "python"))
        });
        let Some(judged) = judged else { continue };
        let accepted = proof.verdict == Trust::Trusted;
        if judged.trusted() != accepted {
            found.push(format!(
                "{}'s store says {} ({}), but its handshake was {} ({})",
                proof.name,
                if judged.trusted() { "trusted" } else { "not trusted" },
                judged.reason,
                if accepted { "accepted" } else { "refused" },
                proof.reason
            ));
        }
    }
    found
}

/// How the clients of every selected store stand together. A store that could not be read
/// (skipped) is a client that cannot be shown to trust it; an unused profile does not count.
/// With `--clients`, every handshake counts too (one that could not be made as a refusal).
fn overall(stores: &[StoreReport], handshakes: Option<&Handshakes>) -> Overall {
    let mut trusted = Vec::new();
    if let Some(handshakes) = handshakes {
        trusted.extend(handshakes.clients.iter().map(|p| p.verdict == Trust::Trusted));
        if handshakes.error.is_some() {
            trusted.push(false);
        }
    }
    for store in stores {
        match store.status {
            Status::Unused => {}
            Status::Skipped => trusted.push(false),
            _ => trusted.extend(store.clients.iter().map(Verdict::trusted)),
        }
    }
    Overall::of(&trusted)
}

/// The clients that do not trust it, for the error line: "Firefox profile x (reason)".
fn refusing(report: &TrustReport) -> Vec<String> {
    let mut names = Vec::new();
    for store in &report.stores {
        match store.status {
            Status::Skipped => names.push(format!(
                "{} ({})",
                store.location.as_deref().unwrap_or(store.store.name()),
                store.detail.as_deref().unwrap_or("skipped")
            )),
            Status::Unused => {}
            _ => names.extend(
                store.clients.iter().filter(|v| !v.trusted()).map(|v| format!("{} ({})", v.name, v.reason)),
            ),
        }
    }
    if let Some(handshakes) = &report.handshakes {
        names.extend(
            handshakes
                .clients
                .iter()
                .filter(|p| p.verdict != Trust::Trusted)
                .map(|p| format!("{} handshake ({})", p.name, p.reason)),
        );
        if let Some(error) = &handshakes.error {
            names.push(format!("no handshake ({error})"));
        }
    }
    names
}

fn not_ok(report: &TrustReport) -> Error {
    let bad: Vec<String> = report
        .stores
        .iter()
        .filter(|s| !s.status.ok())
        .map(|s| match &s.location {
            Some(location) => format!("{} at {location}", s.store.name()),
            None => s.store.name().to_owned(),
        })
        .collect();
    let total = report.stores.len();
    if report.action == Action::Check {
        let refusing = refusing(report);
        return match report.verdict {
            Some(Overall::Partial) => Error::partial(format!(
                "trusted by some clients, not by {}: {}",
                crate::text::plural(refusing.len(), "client"),
                refusing.join(", ")
            )),
            _ => Error::failed(format!("trusted by no client: {}", refusing.join(", "))),
        }
        .hint("`tlsforge trust` adds it");
    }
    let message = match report.action {
        _ if report.dry_run => {
            format!("{} of {total} selected stores cannot be used: {}", bad.len(), bad.join(", "))
        }
        _ => format!("{} of {total} selected stores did not succeed: {}", bad.len(), bad.join(", ")),
    };
    Error::failed(message).hint("the reasons are above; --store selects the stores to use")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::verdict::Client;

    fn store(store: Store, clients: Vec<Verdict>) -> StoreReport {
        StoreReport {
            store,
            location: None,
            status: Status::Trusted,
            detail: None,
            clients,
            notes: Vec::new(),
            steps: Vec::new(),
        }
    }

    fn proof(client: &'static str, name: &str, store: Store, verdict: Trust) -> Proof {
        Proof {
            client,
            name: name.into(),
            store,
            program: PathBuf::from(client),
            version: None,
            verdict,
            reason: "said so".into(),
        }
    }

    #[test]
    fn a_handshake_that_contradicts_its_store_is_named() {
        let stores = [
            store(
                Store::System,
                vec![Verdict::of(Client::Openssl, "OpenSSL", "/b").is(true, "in the bundle")],
            ),
            store(
                Store::Nss,
                vec![Verdict::of(Client::Firefox, "Firefox profile a", "/p").is(true, "flags C,,")],
            ),
        ];
        let proofs = [
            proof("curl", "curl", Store::System, Trust::Trusted),
            // Node does not read the bundle: its refusal contradicts nothing.
            proof("node", "Node.js", Store::System, Trust::NotTrusted),
            proof("firefox", "Firefox profile a", Store::Nss, Trust::NotTrusted),
            proof("python", "Python", Store::System, Trust::Unknown),
        ];
        assert_eq!(
            disagreements(&stores, &proofs),
            ["Firefox profile a's store says trusted (flags C,,), but its handshake was refused (said so)"]
        );
        let none = [store(Store::Nss, Vec::new())];
        assert_eq!(overall(&none, None), Overall::NotTrusted, "no client at all trusts nothing");
    }
}
