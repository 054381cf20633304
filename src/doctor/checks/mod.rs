//! One file per check. Adding a check is adding a file and one line to [`REGISTRY`].

use super::{Context, Finding};

mod cert_permissions;
mod chain;
mod connect;
mod environment;
mod files;
mod hosts;
mod key_match;
mod key_permissions;
mod key_strength;
mod lifetime;
mod not_ca;
mod parse;
mod san;
mod server_auth;
mod signature;
mod trust;
mod validity;

/// A check: a stable id (what `--format json` and CI annotations name) and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub id: &'static str,
    pub run: fn(&Context) -> Vec<Finding>,
}

/// Every check, in the order they run and are reported.
pub const REGISTRY: &[Check] = &[
    files::CHECK,
    parse::CHECK,
    key_match::CHECK,
    key_permissions::CHECK,
    cert_permissions::CHECK,
    validity::CHECK,
    san::CHECK,
    hosts::CHECK,
    server_auth::CHECK,
    lifetime::CHECK,
    key_strength::CHECK,
    signature::CHECK,
    not_ca::CHECK,
    chain::CHECK,
    trust::CHECK,
    environment::CHECK,
    connect::CHECK,
];

#[cfg(test)]
mod tests {
    use super::REGISTRY;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = REGISTRY.iter().map(|c| c.id).collect();
        assert!(ids.iter().all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')), "{ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REGISTRY.len());
    }
}
