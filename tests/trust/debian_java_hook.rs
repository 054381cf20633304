//! Debian's ca-certificates-java hook: untrust also takes the anchor out of Java's keystore.

use std::fs;

use super::entry_for;
use crate::harness::{JAVA_CLIENT, Namespace, Sandbox, have, report, serve, statuses, tool};

/// Debian's `update-ca-certificates` copies a new anchor into Java's keystore through the
/// ca-certificates-java hook, and does not remove it when the anchor goes: untrust must, or
/// Java clients keep trusting a certificate the user untrusted.
#[test]
fn system_untrust_on_debian_also_takes_the_anchor_out_of_javas_keystore() {
    if !have("openssl") || !have("java") {
        return;
    }
    let Some(ns) = Namespace::with_java_hook() else { return };
    let real_before = tool("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout;
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    fs::write(sb.path("Client.java"), JAVA_CLIENT).unwrap();
    let url = format!("https://localhost:{}/", server.port);
    let client = sb.path("Client.java");
    // Java's default truststore, i.e. /etc/ssl/certs/java/cacerts inside the namespace.
    let java = || ns.client("java", &[client.to_str().unwrap(), &url]);
    let listed = || ns.client("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout;
    assert_ne!(java().code, 0, "Java trusts the server before trust");

    let run = ns.tlsforge(&sb, &["trust", "--store", "system"]).success();
    let entry = entry_for(&sb.ca_dir().join("ca.crt"));
    assert!(run.stdout.contains("trusted now"), "{}", run.stdout);
    assert!(
        listed().contains(&format!("debian:{entry}.pem")),
        "the hook did not copy the anchor:\n{}",
        listed()
    );
    let after = java();
    assert_eq!(after.code, 0, "Java after the hook copied the anchor: {}", after.stderr);

    let dry = report(
        &ns.tlsforge(&sb, &["untrust", "--store", "system", "--dry-run", "--format", "json"]).success(),
    );
    let commands: Vec<&str> = dry.stores[0].steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    assert!(
        commands[2].contains(&format!(
            "-delete -keystore /etc/ssl/certs/java/cacerts -storepass changeit -alias debian:{entry}.pem"
        )),
        "{commands:?}"
    );

    let run = ns.tlsforge(&sb, &["untrust", "--store", "system"]).success();
    assert!(run.stdout.contains("(Debian/Ubuntu): removed"), "{}", run.stdout);
    assert!(!listed().contains("tlsforge"), "a tlsforge entry is left in Java's keystore:\n{}", listed());
    assert_ne!(java().code, 0, "Java still trusts the server after untrust");
    // Once more: nothing left anywhere.
    let again = report(&ns.tlsforge(&sb, &["untrust", "--store", "system", "--format", "json"]).success());
    assert_eq!(statuses(&again), [("system", "not-present")]);
    assert_eq!(
        tool("keytool", &["-list", "-cacerts", "-storepass", "changeit"]).stdout,
        real_before,
        "the real keystore changed"
    );
}
