//! `tlsforge list`: the certificates tlsforge wrote, newest first, as they stand now; `--prune`
//! forgets those whose files are gone, `--adopt` records certificates made before.

use std::path::PathBuf;

use anyhow::Result;
use time::Duration;

use crate::cli::ListArgs;
use crate::error::Error;
use crate::host::Host;
use crate::inventory::{self, Inventory, OnDisk};
use crate::report::list::{ListReport, Listed};

#[derive(Debug)]
pub(crate) struct Options {
    pub expiring_within: Option<Duration>,
    pub prune: bool,
    /// Absolute paths of certificates to record.
    pub adopt: Vec<PathBuf>,
    pub ca_dir: Option<PathBuf>,
}

impl Options {
    pub(crate) fn from_args(args: &ListArgs, host: &Host) -> Result<Self> {
        let expiring_within = args
            .expiring_within
            .as_deref()
            .map(|text| super::inspect::window("--expiring-within", text).map_err(Error::input))
            .transpose()?;
        Ok(Self {
            expiring_within,
            prune: args.prune,
            adopt: args.adopt.iter().map(|path| host.absolute(path)).collect(),
            ca_dir: args.ca_dir.path.clone(),
        })
    }
}

/// The inventory this user's runs share.
pub(crate) fn inventory(host: &Host) -> Result<Inventory> {
    host.inventory.clone().map(Inventory::at).ok_or_else(|| {
        Error::failed("no data directory for the inventory (HOME is not set)")
            .hint(format!("set {} to a file to keep it in", crate::host::INVENTORY_VAR))
            .into()
    })
}

pub(crate) fn execute(options: &Options, host: &Host) -> Result<ListReport> {
    let inventory = inventory(host)?;
    // Every adopted pair is read and checked before anything is recorded.
    let adopted = if options.adopt.is_empty() {
        Vec::new()
    } else {
        let ca_dir = super::ca::dir(options.ca_dir.clone(), host)?;
        let ca = ca_dir.load_certificate().ok().flatten();
        let local_ca = ca.as_ref().map(|ca| (ca_dir.path(), ca.der.as_slice()));
        options
            .adopt
            .iter()
            .map(|cert| inventory::adopt(cert, &inventory::key_beside(cert), local_ca, host.now))
            .collect::<Result<Vec<_>>>()?
    };
    let adopted_paths = adopted.iter().map(|entry| entry.cert_path.clone()).collect();
    let (entries, pruned) = inventory.update(|entries| {
        for entry in adopted {
            inventory::record(entries, entry);
        }
        let mut pruned = Vec::new();
        if options.prune {
            entries.retain(|entry| {
                let gone = inventory::on_disk(entry).0 == OnDisk::Missing;
                if gone {
                    pruned.push(entry.cert_path.clone());
                }
                !gone
            });
        }
        (entries.clone(), pruned)
    })?;
    let mut certificates: Vec<Listed> = entries
        .into_iter()
        .filter(|entry| {
            options
                .expiring_within
                .is_none_or(|window| entry.not_after().is_none_or(|end| end - host.now <= window))
        })
        .map(|entry| {
            let (files, problem) = inventory::on_disk(&entry);
            Listed { days_left: entry.days_left(host.now), files, problem, entry }
        })
        .collect();
    certificates.sort_by(|a, b| {
        (b.entry.not_before(), &b.entry.recorded_at).cmp(&(a.entry.not_before(), &a.entry.recorded_at))
    });
    Ok(ListReport { inventory: inventory.path().to_path_buf(), certificates, adopted: adopted_paths, pruned })
}
