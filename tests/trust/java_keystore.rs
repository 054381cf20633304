//! Java, on a copy of cacerts: keytool's entry and a Java HTTPS client.

use std::fs;

use crate::harness::{
    JAVA_CLIENT, Sandbox, fake_java_home, have, keytool_has, report, run_with, serve, statuses, tool,
};

#[test]
fn java_keystore_entry_and_a_java_client() {
    if !have("openssl") || !have("keytool") || !have("java") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost"]).success();
    let java_home = fake_java_home(sb.root());
    let java = |args: &[&str]| {
        let mut cmd = sb.cmd(args);
        cmd.env("JAVA_HOME", &java_home);
        run_with(cmd)
    };
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    fs::write(sb.path("Client.java"), JAVA_CLIENT).unwrap();
    let truststore = java_home.join("lib/security/cacerts");
    let client = || {
        tool(
            "java",
            &[
                &format!("-Djavax.net.ssl.trustStore={}", truststore.display()),
                "-Djavax.net.ssl.trustStorePassword=changeit",
                sb.path("Client.java").to_str().unwrap(),
                &format!("https://localhost:{}/", server.port),
            ],
        )
    };
    let before = client();
    assert_ne!(before.code, 0, "the Java client accepts the server before trust");
    assert!(before.stderr.contains("PKIX path building failed"), "{}", before.stderr);

    let dry =
        report(&java(&["trust", "server.crt", "--store", "java", "--dry-run", "--format", "json"]).success());
    let entry = dry.certificate.entry_name.clone();
    let command = &dry.stores[0].steps[0].command;
    assert!(
        command.contains(" -importcert -keystore ") && command.contains(&format!("-alias {entry}")),
        "{command}"
    );
    assert!(!keytool_has(&java_home, &entry), "--dry-run changed cacerts");
    java(&["trust", "server.crt", "--store", "java", "--check"]).fails(1, "trusted by no client");

    let run = java(&["trust", "server.crt", "--store", "java"]).success();
    assert!(
        run.stdout.contains(&format!("{} (JAVA_HOME): trusted now", truststore.display())),
        "{}",
        run.stdout
    );
    assert!(keytool_has(&java_home, &entry));
    let after = client();
    assert_eq!(after.code, 0, "the Java client rejects the server after trust: {}", after.stderr);
    assert_eq!(after.stdout.trim(), "200");
    java(&["trust", "server.crt", "--store", "java", "--check"]).success();
    let again = report(&java(&["trust", "server.crt", "--store", "java", "--format", "json"]).success());
    assert_eq!(statuses(&again), [("java", "already-trusted")]);

    java(&["untrust", "server.crt", "--store", "java"]).success();
    assert!(!keytool_has(&java_home, &entry));
    assert_ne!(client().code, 0, "the Java client accepts the server after untrust");
}

#[test]
fn java_home_without_cacerts_skips_java_and_nothing_else() {
    if !have("certutil") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let broken = sb.root().join("broken-jdk");
    fs::create_dir_all(broken.join("bin")).unwrap();
    let mut cmd = sb.cmd(&["trust", "server.crt", "--store", "java", "--store", "nss", "--format", "json"]);
    cmd.env("JAVA_HOME", &broken);
    let run = run_with(cmd).fails(1, "1 of 2 selected stores did not succeed: java");
    let report = report(&run);
    assert!(!report.ok);
    assert_eq!(statuses(&report), [("nss", "trusted"), ("java", "skipped")]);
    assert_eq!(
        report.stores[1].detail.as_deref(),
        Some(
            format!(
                "JAVA_HOME={} has no lib/security/cacerts: point JAVA_HOME at a JDK or unset it",
                broken.display()
            )
            .as_str()
        )
    );
}
