//! The system store as an ordinary user: the store's steps, and only those, go through sudo.

use std::fs;

use crate::harness::{CURL_PEER_VERIFY_FAILED, Namespace, Sandbox, have, report, run_with, serve, tool};

/// As an ordinary user, only the store's steps go through sudo, announced first. A stand-in
/// `sudo` records its arguments and runs the command as the same user; the namespace's copies
/// of the store belong to that user so that the real update-ca-certificates can run.
#[test]
fn as_a_user_only_the_store_steps_go_through_sudo() {
    if !have("openssl") || !have("curl") || !have("setpriv") {
        return;
    }
    let Some(ns) = Namespace::new() else { return };
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let fake_bin = sb.root().join("bin");
    fs::create_dir(&fake_bin).unwrap();
    let log = sb.root().join("sudo.log");
    fs::write(
        fake_bin.join("sudo"),
        format!(
            "#!/bin/sh\necho \"$*\" >> {}\n[ \"$1\" = -v ] && exit 0\n[ \"$1\" = -- ] && shift\nexec \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    let nobody = "65534";
    for path in [sb.root(), ns.copies.path()] {
        assert_eq!(tool("chown", &["-R", &format!("{nobody}:{nobody}"), path.to_str().unwrap()]).code, 0);
        assert_eq!(tool("chmod", &["755", path.to_str().unwrap()]).code, 0);
    }
    fs::set_permissions(fake_bin.join("sudo"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The binary must be reachable by nobody: run a copy from the sandbox.
    let enter = ns.enter(&sb.work());
    let mut wrapper: Vec<&str> = enter.iter().map(String::as_str).collect();
    let uid = format!("--reuid={nobody}");
    let gid = format!("--regid={nobody}");
    wrapper.extend(["setpriv", &uid, &gid, "--clear-groups"]);
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", fake_bin.display());
    let as_user = |args: &[&str]| {
        let mut cmd = sb.cmd_via(&wrapper, args);
        cmd.env("PATH", &path);
        run_with(cmd)
    };

    let dry = report(
        &as_user(&["trust", "server.crt", "--store", "system", "--dry-run", "--format", "json"]).success(),
    );
    let entry = dry.certificate.entry_name.clone();
    assert!(dry.stores[0].steps.iter().all(|s| s.root && s.sudo));
    let sudo = fake_bin.join("sudo");
    assert_eq!(
        dry.stores[0].steps[0].command,
        format!(
            "{} tee -- /usr/local/share/ca-certificates/{entry}.crt < the certificate (PEM)",
            sudo.display()
        )
    );
    assert!(!log.exists(), "--dry-run ran sudo");

    let run = as_user(&["trust", "server.crt", "--store", "system"]).success();
    assert!(
        run.stderr.contains("system (/usr/local/share/ca-certificates (Debian/Ubuntu)) needs root for:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("it may ask for your password"), "{}", run.stderr);
    assert_eq!(ns.curl(server.port), 0, "curl after trust through sudo");
    let calls = fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        [
            "-v".to_owned(),
            format!("tee -- /usr/local/share/ca-certificates/{entry}.crt"),
            "-- /usr/sbin/update-ca-certificates".to_owned(),
        ]
    );

    fs::remove_file(&log).unwrap();
    as_user(&["untrust", "server.crt", "--store", "system"]).success();
    let calls = fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        [
            "-v".to_owned(),
            format!("rm -f -- /usr/local/share/ca-certificates/{entry}.crt"),
            "-- /usr/sbin/update-ca-certificates".to_owned(),
        ]
    );
    assert_eq!(ns.curl(server.port), CURL_PEER_VERIFY_FAILED, "curl after untrust");
}
