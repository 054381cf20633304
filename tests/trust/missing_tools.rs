//! A missing tool skips its store, names the package, and the other stores go ahead.

use std::fs;

use super::entry_for;
use crate::harness::{Sandbox, fake_java_home, have, keytool_has, run_with};

#[test]
fn a_missing_certutil_skips_nss_with_the_package_to_install() {
    if !have("keytool") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let java_home = fake_java_home(sb.root());
    let empty_path = sb.root().join("empty-path");
    fs::create_dir(&empty_path).unwrap();
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "nss", "--store", "java"]);
    cmd.env("PATH", &empty_path).env("JAVA_HOME", &java_home);
    let run = run_with(cmd).fails(1, "1 of 2 selected stores did not succeed: nss").one_error_line();
    let debian = fs::read_to_string("/etc/os-release")
        .is_ok_and(|r| r.contains("ID=debian") || r.contains("ID_LIKE=debian"));
    let package = if debian { "install the libnss3-tools package" } else { "libnss3-tools (Debian/Ubuntu)" };
    assert!(run.stdout.contains("certutil not found: "), "{}", run.stdout);
    assert!(run.stdout.contains(package), "{}", run.stdout);
    // Java went ahead all the same.
    assert!(run.stdout.contains("(JAVA_HOME): trusted now"), "{}", run.stdout);
    assert!(keytool_has(&java_home, &entry_for(&sb.path("server.crt"))));
}
