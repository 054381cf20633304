//! Kubernetes manifests for `export --as k8s-secret|cert-manager`: a `kubernetes.io/tls`
//! Secret, and a cert-manager `Issuer` (or `ClusterIssuer`) of kind CA with an example `Certificate`.
//!
//! Written as YAML by hand, from a small set of shapes: every string value is a double-quoted
//! scalar (JSON string syntax, which YAML 1.2 reads as the same string), so no value can turn
//! into a number, a boolean or another key, whatever it holds.

use std::fmt::Write as _;

use base64::Engine as _;

/// A `kubernetes.io/tls` Secret.
#[derive(Debug)]
pub(crate) struct TlsSecret<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    /// PEM, as `tls.crt`.
    pub cert_pem: &'a str,
    /// PEM, as `tls.key`.
    pub key_pem: &'a str,
    /// PEM of the issuer, as `ca.crt`, when it is known.
    pub ca_pem: Option<&'a str>,
}

/// A cert-manager issuer of kind CA that signs with the Secret `secret_name`.
#[derive(Debug)]
pub(crate) struct CaIssuer<'a> {
    pub name: &'a str,
    /// `None` for a `ClusterIssuer` (cluster-scoped).
    pub namespace: Option<&'a str>,
    pub cluster: bool,
    pub secret_name: &'a str,
}

/// A cert-manager Certificate issued by `issuer`.
#[derive(Debug)]
pub(crate) struct Certificate<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub secret_name: &'a str,
    pub dns_names: &'a [String],
    pub issuer: &'a CaIssuer<'a>,
}

/// A name Kubernetes accepts for an object: a DNS-1123 subdomain (lowercase letters, digits,
/// `-` and `.`, starting and ending with a letter or digit, at most 253 characters).
pub(crate) fn check_object_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty() && name.len() <= 253 && name.split('.').all(|label| dns_label(label, 63));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a Kubernetes object name: lowercase letters, digits, '-' and '.', \
             starting and ending with a letter or digit, at most 253 characters"
        ))
    }
}

/// A namespace: a DNS-1123 label (no dots, at most 63 characters).
pub(crate) fn check_namespace(namespace: &str) -> Result<(), String> {
    if dns_label(namespace, 63) {
        Ok(())
    } else {
        Err(format!(
            "{namespace:?} is not a Kubernetes namespace: lowercase letters, digits and '-', \
             starting and ending with a letter or digit, at most 63 characters"
        ))
    }
}

fn dns_label(label: &str, max: usize) -> bool {
    let bytes = label.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.len() <= max
        && bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum)
        && bytes.iter().all(|b| alnum(b) || *b == b'-')
}

/// A double-quoted YAML scalar.
fn quoted(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

fn base64(text: &str) -> String {
    quoted(&base64::engine::general_purpose::STANDARD.encode(text))
}

fn metadata(out: &mut String, name: &str, namespace: Option<&str>) {
    out.push_str("metadata:\n");
    let _ = writeln!(out, "  name: {}", quoted(name));
    if let Some(namespace) = namespace {
        let _ = writeln!(out, "  namespace: {}", quoted(namespace));
    }
    out.push_str("  labels:\n    app.kubernetes.io/managed-by: \"tlsforge\"\n");
}

impl TlsSecret<'_> {
    /// The Secret as one YAML document.
    pub(crate) fn yaml(&self) -> String {
        let mut out = String::from("apiVersion: \"v1\"\nkind: \"Secret\"\n");
        metadata(&mut out, self.name, self.namespace);
        out.push_str("type: \"kubernetes.io/tls\"\ndata:\n");
        let _ = writeln!(out, "  tls.crt: {}", base64(self.cert_pem));
        let _ = writeln!(out, "  tls.key: {}", base64(self.key_pem));
        if let Some(ca) = self.ca_pem {
            let _ = writeln!(out, "  ca.crt: {}", base64(ca));
        }
        out
    }
}

impl CaIssuer<'_> {
    pub(crate) fn kind(&self) -> &'static str {
        if self.cluster { "ClusterIssuer" } else { "Issuer" }
    }

    pub(crate) fn yaml(&self) -> String {
        let mut out = format!("apiVersion: \"cert-manager.io/v1\"\nkind: {}\n", quoted(self.kind()));
        metadata(&mut out, self.name, self.namespace);
        let _ = writeln!(out, "spec:\n  ca:\n    secretName: {}", quoted(self.secret_name));
        out
    }
}

impl Certificate<'_> {
    pub(crate) fn yaml(&self) -> String {
        let mut out = String::from("apiVersion: \"cert-manager.io/v1\"\nkind: \"Certificate\"\n");
        metadata(&mut out, self.name, self.namespace);
        out.push_str("spec:\n");
        let _ = writeln!(out, "  secretName: {}", quoted(self.secret_name));
        out.push_str("  dnsNames:\n");
        for name in self.dns_names {
            let _ = writeln!(out, "    - {}", quoted(name));
        }
        out.push_str("  issuerRef:\n");
        let _ = writeln!(out, "    name: {}", quoted(self.issuer.name));
        let _ = writeln!(out, "    kind: {}", quoted(self.issuer.kind()));
        out.push_str("    group: \"cert-manager.io\"\n");
        out
    }
}

/// Documents joined into one stream, after `comments` (each line a `# ` comment).
pub(crate) fn stream(comments: &[String], documents: &[String]) -> String {
    let mut out = String::new();
    for line in comments {
        let _ = writeln!(out, "# {line}");
    }
    for document in documents {
        out.push_str("---\n");
        out.push_str(document);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kubernetes_rules() {
        for good in ["app-tls", "a", "tlsforge-ca.v1", "x1"] {
            assert!(check_object_name(good).is_ok(), "{good}");
        }
        for bad in ["", "App", "-x", "x-", "a..b", "a_b", "true\nkind: x", &"a".repeat(254)] {
            assert!(check_object_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_namespace("web-1").is_ok());
        assert!(check_namespace("a.b").is_err());
    }

    #[test]
    fn every_value_is_quoted() {
        let secret =
            TlsSecret { name: "n", namespace: Some("ns"), cert_pem: "C", key_pem: "K", ca_pem: None };
        let yaml = secret.yaml();
        assert!(yaml.contains("  tls.crt: \"Qw==\"\n"), "{yaml}");
        assert!(!yaml.contains("ca.crt"));
        assert_eq!(quoted("yes: \"no\"\n"), r#""yes: \"no\"\n""#);
        let issuer = CaIssuer { name: "i", namespace: None, cluster: true, secret_name: "s" };
        let names = vec!["*.app.test".to_owned()];
        let cert = Certificate {
            name: "c",
            namespace: None,
            secret_name: "c-tls",
            dns_names: &names,
            issuer: &issuer,
        };
        let all = stream(&["hello".to_owned()], &[issuer.yaml(), cert.yaml()]);
        assert!(
            all.starts_with("# hello\n---\napiVersion: \"cert-manager.io/v1\"\nkind: \"ClusterIssuer\"\n"),
            "{all}"
        );
        assert!(all.contains("  dnsNames:\n    - \"*.app.test\"\n  issuerRef:\n"), "{all}");
    }
}
