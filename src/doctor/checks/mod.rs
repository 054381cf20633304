//! One file per check. Adding a check is adding a file and one line to [`REGISTRY`].

use super::{Context, Finding};

mod cert_permissions;
mod chain;
mod connect;
mod environment;
mod files;
mod half_written;
mod hosts;
mod key_match;
mod key_permissions;
mod key_strength;
mod lan;
mod lifetime;
mod lint;
mod local_ca_private;
mod not_ca;
mod parse;
mod san;
mod server_auth;
mod signature;
mod trust;
mod validity;

/// A check: a stable id (what `--format json` and CI annotations name) and what it does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Check {
    #[allow(
        dead_code,
        reason = "names the check for people and tests; findings carry their own ids (connect-listen, ...)"
    )]
    pub id: &'static str,
    pub run: fn(&Context) -> Vec<Finding>,
}

/// Every check, in the order they run and are reported.
pub(crate) const REGISTRY: &[Check] = &[
    files::CHECK,
    half_written::CHECK,
    parse::CHECK,
    key_match::CHECK,
    key_permissions::CHECK,
    cert_permissions::CHECK,
    validity::CHECK,
    san::CHECK,
    hosts::CHECK,
    lan::CHECK,
    server_auth::CHECK,
    lifetime::CHECK,
    key_strength::CHECK,
    signature::CHECK,
    not_ca::CHECK,
    lint::CHECK,
    chain::CHECK,
    local_ca_private::CHECK,
    trust::CHECK,
    environment::CHECK,
    connect::CHECK,
];

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::REGISTRY;
    use crate::doctor::context::{Environment, Options};
    use crate::doctor::{Context, Finding, Status};
    use crate::pki::ca::CaDir;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = REGISTRY.iter().map(|c| c.id).collect();
        assert!(ids.iter().all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')), "{ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REGISTRY.len());
    }

    fn context(dir: &Path, min_days: u32) -> Context {
        let options = Options {
            cert: Some(dir.join("app.crt")),
            key: Some(dir.join("app.key")),
            ca: None,
            hosts: Vec::new(),
            connects: Vec::new(),
            min_days,
            timeout: Duration::from_secs(1),
            ca_dir: CaDir::resolve(Some(dir.join("ca")), None).unwrap(),
        };
        let machine = crate::trust::machine::Machine::bare(dir.join("no-root"));
        let env = Environment {
            ssl_cert_path: None,
            ssl_key_path: None,
            enable_ssl: None,
            cwd: None,
            machine,
            now: time::OffsetDateTime::now_utc(),
            lan: Vec::new(),
        };
        Context::load(options, env)
    }

    /// One check by id (the trust check would ask this machine's stores; tests leave it out).
    fn only(cx: &Context, id: &str) -> Vec<Finding> {
        let check = REGISTRY.iter().find(|c| c.id == id).unwrap();
        (check.run)(cx)
    }

    #[test]
    fn missing_files_fail_files_and_leave_the_rest_out() {
        let dir = tempfile::tempdir().unwrap();
        let cx = context(dir.path(), 30);
        let files = only(&cx, "files");
        assert_eq!(files.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Fail, Status::Fail]);
        let fix = files[0].fix.as_deref().unwrap();
        assert!(fix.starts_with("tlsforge gen --out ") && fix.ends_with(" --name app"), "{fix}");
        for id in ["parse", "key-match", "validity", "san", "chain", "trust", "environment", "connect"] {
            assert!(only(&cx, id).is_empty(), "{id}");
        }
    }

    #[test]
    fn validity_warns_inside_min_days_only() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["app.test".to_owned()]).unwrap();
        params.not_before = time::OffsetDateTime::now_utc() - time::Duration::days(1);
        params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(10);
        std::fs::write(dir.path().join("app.crt"), params.self_signed(&key).unwrap().pem()).unwrap();
        std::fs::write(dir.path().join("app.key"), key.serialize_pem()).unwrap();

        let warned = only(&context(dir.path(), 30), "validity");
        assert_eq!(warned[0].status, Status::Warn, "{warned:?}");
        assert!(warned[0].fix.as_deref().unwrap().ends_with("--force app.test"), "{warned:?}");
        assert_eq!(only(&context(dir.path(), 5), "validity")[0].status, Status::Ok);
        assert_eq!(only(&context(dir.path(), 5), "key-match")[0].status, Status::Ok);
        let hosts = {
            let mut cx = context(dir.path(), 5);
            cx.hosts = vec![crate::pki::names::SubjectName::parse("10.0.0.5").unwrap()];
            only(&cx, "hosts")
        };
        assert_eq!(hosts[0].status, Status::Fail);
        assert!(hosts[0].fix.as_deref().unwrap().ends_with("--force app.test 10.0.0.5"), "{hosts:?}");
    }

    #[test]
    #[cfg(unix)]
    fn a_local_ca_others_can_write_or_read_fails_with_the_fix_and_an_interrupted_one_is_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ca_dir = CaDir::resolve(Some(dir.path().join("ca")), None).unwrap();
        assert!(only(&context(dir.path(), 5), "local-ca-private").is_empty(), "no CA, nothing to say");
        ca_dir
            .create(&crate::pki::ca::CaOptions::defaults("me@here", time::OffsetDateTime::now_utc()), false)
            .unwrap();
        let found = only(&context(dir.path(), 5), "local-ca-private");
        assert_eq!(found[0].status, Status::Ok, "{found:?}");

        let mode = |path: &Path, mode| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        mode(ca_dir.path(), 0o777);
        let found = only(&context(dir.path(), 5), "local-ca-private");
        assert_eq!(found[0].status, Status::Fail, "{found:?}");
        assert!(found[0].message.contains("writable by other users"), "{found:?}");
        assert_eq!(found[0].fix.as_deref(), Some(format!("chmod 700 {}", ca_dir.path().display()).as_str()));
        mode(ca_dir.path(), 0o700);
        mode(&ca_dir.key_path(), 0o644);
        let found = only(&context(dir.path(), 5), "local-ca-private");
        assert_eq!(
            found[0].fix.as_deref(),
            Some(format!("chmod 600 {}", ca_dir.key_path().display()).as_str())
        );
        mode(&ca_dir.key_path(), 0o600);

        assert!(only(&context(dir.path(), 5), "half-written").is_empty());
        std::fs::write(ca_dir.path().join(".ca.tlsforge-journal"), "tlsforge journal 1\n").unwrap();
        let found = only(&context(dir.path(), 5), "half-written");
        assert_eq!(found[0].status, Status::Fail, "{found:?}");
        assert!(found[0].message.starts_with("replacing the local CA in "), "{found:?}");
        assert!(found[0].fix.as_deref().unwrap().contains("tlsforge ca show"), "{found:?}");
    }

    #[test]
    fn lan_warns_only_for_certificates_made_for_devices_when_an_address_is_not_covered() {
        let dir = tempfile::tempdir().unwrap();
        let write = |names: &[&str]| {
            let key = rcgen::KeyPair::generate().unwrap();
            let params =
                rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                    .unwrap();
            std::fs::write(dir.path().join("app.crt"), params.self_signed(&key).unwrap().pem()).unwrap();
            std::fs::write(dir.path().join("app.key"), key.serialize_pem()).unwrap();
        };
        let with_lan = |lan: &[&str]| {
            let mut cx = context(dir.path(), 5);
            cx.env.lan = lan.iter().map(|ip| (ip.parse().unwrap(), "eth0".to_owned())).collect();
            only(&cx, "lan")
        };
        write(&["localhost", "127.0.0.1"]);
        assert!(with_lan(&["192.168.1.21"]).is_empty(), "not made for other devices: nothing to say");
        write(&["localhost", "192.168.1.20", "vm.local"]);
        assert_eq!(with_lan(&["192.168.1.20"])[0].status, Status::Ok);
        let found = with_lan(&["192.168.1.21", "fd00::2"]);
        assert_eq!(found[0].status, Status::Warn, "{found:?}");
        assert!(found[0].message.contains("192.168.1.21 (eth0), fd00::2 (eth0)"), "{found:?}");
        assert!(found[0].message.contains("https://192.168.1.21/"), "{found:?}");
        let fix = found[0].fix.as_deref().unwrap();
        assert!(
            fix.ends_with(" --lan") && fix.contains("vm.local") && !fix.contains("192.168.1.20"),
            "{fix}"
        );
    }
}
