//! `--dry-run`: every step shown, nothing changed.

use crate::harness::{Sandbox, fake_java_home, have, report, run_with};

#[test]
fn dry_run_of_the_default_stores_changes_nothing_and_shows_every_step() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    // JAVA_HOME: a copy, in case a JDK is found (a dry run only reads, but reads a copy here).
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "all", "--dry-run", "--format", "json"]);
    if have("keytool") {
        cmd.env("JAVA_HOME", fake_java_home(sb.root()));
    }
    let run = run_with(cmd).success();
    let report = report(&run);
    assert!(report.dry_run);
    let nss = report.stores.iter().find(|s| s.store == "nss").expect("nss with certutil installed");
    assert_eq!(nss.status, "planned");
    let commands: Vec<&str> = nss.steps.iter().map(|s| s.command.as_str()).collect();
    let db = sb.home().join(".local/share/pki/nssdb");
    assert_eq!(commands[0], format!("mkdir -p -m 700 {}", db.display()));
    assert!(
        commands[1].ends_with(&format!("certutil -N -d sql:{} --empty-password", db.display())),
        "{}",
        commands[1]
    );
    assert!(
        commands[2].contains(&format!("-t CP,, -n {}", report.certificate.entry_name)),
        "{}",
        commands[2]
    );
    assert!(!db.exists(), "--dry-run created the NSS database");
    assert!(!sb.home().join(".pki").exists(), "the legacy database directory was created");
    assert!(report.stores.iter().any(|s| s.store == "system"), "the system store is always selected");

    let human = sb.run(&["untrust", "server.crt", "--store", "nss", "--dry-run"]).success();
    assert!(human.stdout.contains("not there, nothing to remove"), "{}", human.stdout);
    assert!(human.stdout.contains("Dry run: nothing was changed."), "{}", human.stdout);
}
