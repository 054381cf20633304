//! `tlsforge inspect`: certificates from `tlsforge gen` and from openssl, checked field by
//! field against what `openssl x509` prints; every exit status; JSON read back through
//! `deny_unknown_fields` structs; stdin; bad input; and live handshakes with `openssl s_server`.

use std::fs;
use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::harness::{Run, Sandbox, free_port, have, serve, tool};

// --- The JSON schema, exactly: an unknown field fails the test. ---

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant)] // a test's parsed output, never moved around
enum Item {
    Certificate(Cert),
    PrivateKey(Key),
    Csr(Csr),
    Error(Failed),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cert {
    source: String,
    index: usize,
    subject: String,
    issuer: String,
    serial: String,
    not_before: String,
    not_after: String,
    days_remaining: i64,
    status: String,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    email_addresses: Vec<String>,
    uris: Vec<String>,
    key_algorithm: String,
    key_bits: Option<u32>,
    key_curve: Option<String>,
    signature_algorithm: String,
    is_ca: bool,
    path_len: Option<u32>,
    key_usage: Option<Vec<String>>,
    extended_key_usage: Option<Vec<String>>,
    name_constraints: Option<Constraints>,
    self_signed: bool,
    fingerprint_sha256: String,
    connection: Option<Connection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Constraints {
    permitted: Vec<String>,
    excluded: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Connection {
    host: String,
    port: u16,
    server_name: String,
    protocol: Option<String>,
    trusted: bool,
    name_matches: bool,
    verify_error: Option<String>,
    handshake_error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the schema's names
struct Key {
    source: String,
    index: usize,
    encrypted: bool,
    format: Option<String>,
    key_algorithm: Option<String>,
    key_bits: Option<u32>,
    key_curve: Option<String>,
    matching_certificates: Option<Vec<CertRef>>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct CertRef {
    source: String,
    index: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Csr {
    source: String,
    index: usize,
    subject: String,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    email_addresses: Vec<String>,
    uris: Vec<String>,
    key_algorithm: String,
    key_bits: Option<u32>,
    key_curve: Option<String>,
    signature_algorithm: String,
    signature_valid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Failed {
    source: String,
    index: Option<usize>,
    error: String,
}

/// The documented fields of each kind: every one is always there (`deny_unknown_fields` alone
/// would let a field go missing).
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "certificate",
        &[
            "kind",
            "source",
            "index",
            "subject",
            "issuer",
            "serial",
            "not_before",
            "not_after",
            "days_remaining",
            "status",
            "dns_names",
            "ip_addresses",
            "email_addresses",
            "uris",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "signature_algorithm",
            "is_ca",
            "path_len",
            "key_usage",
            "extended_key_usage",
            "name_constraints",
            "self_signed",
            "fingerprint_sha256",
            "connection",
        ],
    ),
    (
        "private-key",
        &[
            "kind",
            "source",
            "index",
            "encrypted",
            "format",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "matching_certificates",
        ],
    ),
    (
        "csr",
        &[
            "kind",
            "source",
            "index",
            "subject",
            "dns_names",
            "ip_addresses",
            "email_addresses",
            "uris",
            "key_algorithm",
            "key_bits",
            "key_curve",
            "signature_algorithm",
            "signature_valid",
        ],
    ),
    ("error", &["kind", "source", "index", "error"]),
];

const CONNECTION_FIELDS: &[&str] = &[
    "host",
    "port",
    "server_name",
    "protocol",
    "trusted",
    "name_matches",
    "verify_error",
    "handshake_error",
];

fn keys_of(object: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn sorted<'a>(fields: &[&'a str]) -> Vec<&'a str> {
    let mut fields = fields.to_vec();
    fields.sort_unstable();
    fields
}

fn items(run: &Run) -> Vec<Item> {
    for object in run.json().as_array().expect("a JSON array") {
        let kind = object["kind"].as_str().expect("a kind");
        let (_, fields) = SCHEMA.iter().find(|(k, _)| *k == kind).unwrap_or_else(|| panic!("kind {kind}"));
        assert_eq!(keys_of(object), sorted(fields), "fields of a {kind}");
        if let Some(connection) = object.get("connection").filter(|c| !c.is_null()) {
            assert_eq!(keys_of(connection), sorted(CONNECTION_FIELDS));
        }
    }
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not the documented JSON ({e}):\n{}", run.stdout))
}

fn certs(run: &Run) -> Vec<Cert> {
    items(run).into_iter().filter_map(|i| if let Item::Certificate(c) = i { Some(c) } else { None }).collect()
}

fn only_cert(run: &Run) -> Cert {
    let mut all = certs(run);
    assert_eq!(all.len(), 1, "{}", run.stdout);
    all.remove(0)
}

fn failures(run: &Run) -> Vec<Failed> {
    items(run).into_iter().filter_map(|i| if let Item::Error(f) = i { Some(f) } else { None }).collect()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

// --- What openssl says about a certificate. ---

#[derive(Debug)]
struct OpensslView {
    subject: String,
    issuer: String,
    serial: String,
    fingerprint: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    dns: Vec<String>,
    ips: Vec<IpAddr>,
    emails: Vec<String>,
    uris: Vec<String>,
    key_bits: u32,
    signature_algorithm: String,
    is_ca: bool,
}

fn openssl_view(cert: &Path) -> OpensslView {
    let out = tool(
        "openssl",
        &[
            "x509",
            "-in",
            s(cert),
            "-noout",
            "-subject",
            "-issuer",
            "-nameopt",
            "sep_comma_plus_space,sname,utf8,esc_2253",
            "-serial",
            "-fingerprint",
            "-sha256",
            "-startdate",
            "-enddate",
        ],
    )
    .success()
    .stdout;
    let field = |prefix: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("{prefix} in {out}"))
            .to_owned()
    };
    let date = |text: String| {
        let format = time::macros::format_description!(
            "[month repr:short] [day padding:space] [hour]:[minute]:[second] [year] GMT"
        );
        // openssl pads single-digit days with a space: `Mar  1 12:00:00 2020 GMT`.
        time::PrimitiveDateTime::parse(&text, format).unwrap_or_else(|e| panic!("{text}: {e}")).assume_utc()
    };
    let text = tool("openssl", &["x509", "-in", s(cert), "-noout", "-text"]).success().stdout;
    let key_bits = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Public-Key: (").and_then(|r| r.strip_suffix(" bit)")))
        .map_or(0, |bits| bits.parse().unwrap());
    let signature_algorithm =
        text.lines().find_map(|l| l.trim().strip_prefix("Signature Algorithm: ")).unwrap().to_owned();
    let san = tool("openssl", &["x509", "-in", s(cert), "-noout", "-ext", "subjectAltName"]).success().stdout;
    let mut view = OpensslView {
        subject: field("subject="),
        issuer: field("issuer="),
        serial: field("serial="),
        fingerprint: field("sha256 Fingerprint="),
        not_before: date(field("notBefore=")),
        not_after: date(field("notAfter=")),
        dns: Vec::new(),
        ips: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
        key_bits,
        signature_algorithm,
        is_ca: text.contains("CA:TRUE"),
    };
    for name in san.lines().skip(1).flat_map(|l| l.trim().split(", ")).filter(|n| !n.is_empty()) {
        if let Some(dns) = name.strip_prefix("DNS:") {
            view.dns.push(dns.to_owned());
        } else if let Some(ip) = name.strip_prefix("IP Address:") {
            view.ips.push(ip.parse().unwrap());
        } else if let Some(email) = name.strip_prefix("email:") {
            view.emails.push(email.to_owned());
        } else if let Some(uri) = name.strip_prefix("URI:") {
            view.uris.push(uri.to_owned());
        } else {
            panic!("unexpected SAN {name}");
        }
    }
    view
}

fn rfc3339(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Every field openssl also prints must agree.
#[track_caller]
fn assert_agrees(json: &Cert, cert_file: &Path) {
    let ossl = openssl_view(cert_file);
    assert_eq!(json.subject, ossl.subject);
    assert_eq!(json.issuer, ossl.issuer);
    assert_eq!(json.serial, ossl.serial);
    assert_eq!(json.fingerprint_sha256, ossl.fingerprint);
    assert_eq!(rfc3339(&json.not_before), ossl.not_before);
    assert_eq!(rfc3339(&json.not_after), ossl.not_after);
    assert!(json.not_before.ends_with('Z') && json.not_after.ends_with('Z'), "UTC");
    assert_eq!(json.dns_names, ossl.dns);
    assert_eq!(json.ip_addresses, ossl.ips);
    assert_eq!(json.email_addresses, ossl.emails);
    assert_eq!(json.uris, ossl.uris);
    assert_eq!(json.key_bits, Some(ossl.key_bits));
    assert_eq!(json.signature_algorithm, ossl.signature_algorithm);
    assert_eq!(json.is_ca, ossl.is_ca);
    let expected_days = (ossl.not_after - OffsetDateTime::now_utc()).whole_seconds().div_euclid(86_400);
    assert!((json.days_remaining - expected_days).abs() <= 1, "{} vs {expected_days}", json.days_remaining);
}

/// A CA made by openssl, and `openssl ca` to issue from it with any validity dates.
struct OpensslCa {
    dir: PathBuf,
}

impl OpensslCa {
    fn new(dir: PathBuf) -> Self {
        fs::create_dir_all(dir.join("newcerts")).unwrap();
        fs::write(dir.join("index.txt"), "").unwrap();
        fs::write(dir.join("serial"), "1000\n").unwrap();
        fs::write(
            dir.join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca = local\n[local]\ndir = {}\ndatabase = $dir/index.txt\n\
                 new_certs_dir = $dir/newcerts\nserial = $dir/serial\ndefault_md = sha256\n\
                 policy = any\ncopy_extensions = copy\nunique_subject = no\n[any]\ncommonName = supplied\n",
                dir.display()
            ),
        )
        .unwrap();
        let ca = Self { dir };
        tool(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-384",
                "-nodes",
                "-subj",
                "/CN=openssl test CA",
                "-days",
                "3650",
                "-keyout",
                s(&ca.path("ca.key")),
                "-out",
                s(&ca.path("ca.crt")),
            ],
        )
        .success();
        ca
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Issue a leaf for `cn` (RSA 2048, with SANs) valid between two `YYYYMMDDHHMMSSZ` dates.
    fn issue(&self, name: &str, cn: &str, start: &str, end: &str) -> PathBuf {
        let key = self.path(&format!("{name}.key"));
        let csr = self.path(&format!("{name}.csr"));
        let crt = self.path(&format!("{name}.crt"));
        tool(
            "openssl",
            &[
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                &format!("/CN={cn}"),
                "-addext",
                &format!("subjectAltName=DNS:{cn},IP:10.9.8.7,email:ops@{cn}"),
                "-keyout",
                s(&key),
                "-out",
                s(&csr),
            ],
        )
        .success();
        tool(
            "openssl",
            &[
                "ca",
                "-batch",
                "-config",
                s(&self.path("ca.cnf")),
                "-cert",
                s(&self.path("ca.crt")),
                "-keyfile",
                s(&self.path("ca.key")),
                "-in",
                s(&csr),
                "-out",
                s(&crt),
                "-startdate",
                start,
                "-enddate",
                end,
                "-notext",
            ],
        )
        .success();
        crt
    }
}

// --- Certificates from tlsforge gen and from openssl. ---

#[test]
fn a_gen_certificate_agrees_with_openssl_field_by_field() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test", "*.app.test", "127.0.0.1", "::1"]).success();
    sb.run(&["gen", "--key", "rsa-2048", "--name", "rsa", "--days", "20"]).success();
    let run = sb.run(&["inspect", "server.crt", "rsa.crt", "--format", "json"]).success();
    let all = certs(&run);
    assert_eq!(all.len(), 2);
    let leaf = &all[0];
    assert_agrees(leaf, &sb.path("server.crt"));
    assert_eq!((leaf.source.as_str(), leaf.index), ("server.crt", 0));
    assert_eq!(leaf.dns_names, ["app.test", "*.app.test"]);
    assert_eq!(leaf.ip_addresses, ["127.0.0.1".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]);
    assert_eq!((leaf.key_algorithm.as_str(), leaf.key_curve.as_deref()), ("ec", Some("P-256")));
    assert!(!leaf.self_signed && !leaf.is_ca);
    assert_eq!(leaf.status, "valid");
    assert!((363..=365).contains(&leaf.days_remaining), "{}", leaf.days_remaining);
    assert_eq!(leaf.extended_key_usage.as_deref(), Some(&["serverAuth".to_owned()][..]));
    assert!(leaf.connection.is_none());

    let rsa = &all[1];
    assert_agrees(rsa, &sb.path("rsa.crt"));
    assert_eq!((rsa.key_algorithm.as_str(), rsa.key_bits), ("rsa", Some(2048)));
    assert_eq!(rsa.signature_algorithm, "sha256WithRSAEncryption");
    assert!(rsa.self_signed);
    assert_eq!(
        rsa.key_usage.as_deref(),
        Some(&["digitalSignature".to_owned(), "keyEncipherment".to_owned()][..])
    );

    let ca_run = sb.run(&["inspect", s(&sb.ca_dir().join("ca.crt")), "--format", "json"]).success();
    let ca = only_cert(&ca_run);
    assert_agrees(&ca, &sb.ca_dir().join("ca.crt"));
    assert!(ca.is_ca && ca.self_signed);
    assert_eq!(ca.path_len, Some(0));
    let constraints = ca.name_constraints.expect("the local CA is name-constrained");
    assert!(constraints.permitted.contains(&"DNS:test".to_owned()), "{constraints:?}");
    assert!(constraints.permitted.contains(&"IP:127.0.0.0/8".to_owned()), "{constraints:?}");
    assert!(constraints.excluded.is_empty());
    assert_eq!(ca.issuer, leaf.issuer);

    // The human view names the same things.
    let human = sb.run(&["inspect", "server.crt"]).success().stdout;
    for needle in [
        "server.crt #0",
        "DNS:app.test, DNS:*.app.test, IP:127.0.0.1, IP:::1",
        &leaf.fingerprint_sha256,
        "days left",
    ] {
        assert!(human.contains(needle), "{needle:?} in\n{human}");
    }
}

#[test]
fn openssl_certificates_including_an_expired_one_agree_with_openssl() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    let ca = OpensslCa::new(sb.path("ossl"));
    let expired = ca.issue("expired", "old.example", "20200101000000Z", "20200301120000Z");
    let current = ca.issue("current", "new.example", "20240101000000Z", "20991231235959Z");
    let der = sb.path("current.der");
    tool("openssl", &["x509", "-in", s(&current), "-outform", "DER", "-out", s(&der)]).success();

    let run =
        sb.run(&["inspect", "--format", "json", s(&expired), s(&current), s(&der), s(&ca.path("ca.crt"))]);
    assert_eq!(run.code, 1, "an expired certificate exits 1\n{}", run.stderr);
    assert!(
        run.stderr.contains("1 certificate has expired") && run.stderr.contains("expired.crt #0"),
        "{}",
        run.stderr
    );
    let all = certs(&run);
    assert_eq!(all.len(), 4);
    assert_agrees(&all[0], &expired);
    assert_agrees(&all[1], &current);
    assert_agrees(&all[2], &current);
    assert_agrees(&all[3], &ca.path("ca.crt"));
    assert_eq!(all[0].status, "expired");
    assert!(all[0].days_remaining < -365, "{}", all[0].days_remaining);
    assert_eq!(all[0].not_after, "2020-03-01T12:00:00Z");
    assert_eq!(all[0].email_addresses, ["ops@old.example"]);
    assert_eq!(all[1].status, "valid");
    assert_eq!(all[1].fingerprint_sha256, all[2].fingerprint_sha256, "PEM and DER of one certificate");
    assert_eq!((all[3].key_algorithm.as_str(), all[3].key_bits), ("ec", Some(384)));
    assert_eq!(all[3].signature_algorithm, "ecdsa-with-SHA256");

    let human = sb.run(&["inspect", s(&expired)]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("EXPIRED") && human.stdout.contains("days ago"), "{}", human.stdout);
}

#[test]
fn bundles_pkcs7_and_openssl_text_output_are_read_whole() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "app.test"]).success();
    let ca = sb.ca_dir().join("ca.crt");
    let chain =
        [fs::read_to_string(sb.path("server.crt")).unwrap(), fs::read_to_string(&ca).unwrap()].concat();
    fs::write(sb.path("fullchain.pem"), &chain).unwrap();
    let text = tool("openssl", &["x509", "-in", s(&sb.path("server.crt")), "-text"]).success().stdout;
    fs::write(sb.path("with-text.pem"), &text).unwrap();
    for (outform, name) in [("PEM", "chain.p7b"), ("DER", "chain.p7b.der")] {
        tool(
            "openssl",
            &[
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                s(&sb.path("fullchain.pem")),
                "-outform",
                outform,
                "-out",
                s(&sb.path(name)),
            ],
        )
        .success();
    }
    let run = sb.run(&[
        "inspect",
        "--format",
        "json",
        "fullchain.pem",
        "with-text.pem",
        "chain.p7b",
        "chain.p7b.der",
    ]);
    let all = certs(&run.success());
    let summary: Vec<(&str, usize)> = all.iter().map(|c| (c.source.as_str(), c.index)).collect();
    assert_eq!(
        summary,
        [
            ("fullchain.pem", 0),
            ("fullchain.pem", 1),
            ("with-text.pem", 0),
            ("chain.p7b", 0),
            ("chain.p7b", 1),
            ("chain.p7b.der", 0),
            ("chain.p7b.der", 1)
        ]
    );
    assert!(all[1].is_ca && all[1].self_signed && !all[0].is_ca);
    assert_eq!(all[0].fingerprint_sha256, all[5].fingerprint_sha256);
}

#[test]
fn the_system_bundle_is_read_whole() {
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    if !bundle.exists() {
        assert!(std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"), "no system bundle");
        eprintln!("SKIPPED: no {}", bundle.display());
        return;
    }
    let sb = Sandbox::new();
    let run = sb.run(&["inspect", "--format", "json", s(bundle)]);
    // Distributions ship the odd expired root: 1 is as right as 0, 2 is not.
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let expected = fs::read_to_string(bundle).unwrap().matches("-----BEGIN CERTIFICATE-----").count();
    let all = certs(&run);
    assert_eq!(all.len(), expected);
    assert!(all.iter().all(|c| c.is_ca || c.self_signed), "roots");
    assert_eq!(run.code == 1, all.iter().any(|c| c.status == "expired"));
}

// --- Keys and requests. ---

#[test]
fn keys_and_requests_are_recognised_and_keys_matched_without_showing_them() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost"]).success();
    let other = sb.path("other.key");
    tool("openssl", &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", s(&other)])
        .success();
    let legacy = sb.path("legacy.key");
    tool("openssl", &["pkey", "-in", s(&other), "-traditional", "-out", s(&legacy)]).success();
    let locked = sb.path("locked.key");
    tool(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:pw",
            "-out",
            s(&locked),
        ],
    )
    .success();
    let csr = sb.path("req.csr");
    tool(
        "openssl",
        &[
            "req",
            "-new",
            "-key",
            s(&other),
            "-subj",
            "/CN=csr.test",
            "-addext",
            "subjectAltName=DNS:csr.test,IP:10.0.0.9",
            "-out",
            s(&csr),
        ],
    )
    .success();
    let run = sb.run(&[
        "inspect",
        "--format",
        "json",
        "server.crt",
        "server.key",
        "other.key",
        "legacy.key",
        "locked.key",
        "req.csr",
    ]);
    let run = run.success();
    let secret = fs::read_to_string(sb.path("server.key")).unwrap();
    let body = secret.lines().nth(1).unwrap();
    for stream in [&run.stdout, &run.stderr] {
        assert!(!stream.contains(body) && !stream.contains("PRIVATE KEY-----"), "key material printed");
    }
    let found = items(&run);
    let keys: Vec<&Key> =
        found.iter().filter_map(|i| if let Item::PrivateKey(k) = i { Some(k) } else { None }).collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(
        (keys[0].source.as_str(), keys[0].index, keys[0].format.as_deref()),
        ("server.key", 0, Some("pkcs8"))
    );
    assert_eq!(
        (keys[0].key_algorithm.as_deref(), keys[0].key_bits, keys[0].key_curve.as_deref()),
        (Some("ec"), Some(256), Some("P-256"))
    );
    assert_eq!(keys[0].matching_certificates, Some(vec![CertRef { source: "server.crt".into(), index: 0 }]));
    assert_eq!((keys[1].key_algorithm.as_deref(), keys[1].key_bits), (Some("rsa"), Some(2048)));
    assert_eq!(keys[1].matching_certificates, Some(vec![]), "no certificate for this key");
    assert_eq!(keys[2].format.as_deref(), Some("pkcs1"));
    assert!(keys[3].encrypted && keys[3].key_algorithm.is_none() && keys[3].matching_certificates.is_none());
    assert!(!keys[1].encrypted);
    let csr =
        found.iter().find_map(|i| if let Item::Csr(c) = i { Some(c) } else { None }).expect("a CSR entry");
    assert_eq!((csr.source.as_str(), csr.index, csr.subject.as_str()), ("req.csr", 0, "CN=csr.test"));
    assert_eq!(csr.dns_names, ["csr.test"]);
    assert_eq!(csr.ip_addresses, ["10.0.0.9".parse::<IpAddr>().unwrap()]);
    assert!(csr.email_addresses.is_empty() && csr.uris.is_empty());
    assert_eq!(
        (csr.key_algorithm.as_str(), csr.key_bits, csr.key_curve.as_deref()),
        ("rsa", Some(2048), None)
    );
    assert_eq!(csr.signature_algorithm, "sha256WithRSAEncryption");
    assert!(csr.signature_valid);

    let human = sb.run(&["inspect", "server.key", "server.crt", "locked.key"]).success().stdout;
    assert!(human.contains("matches      server.crt #0"), "{human}");
    assert!(human.contains("encrypted"), "{human}");
}

// --- Exit statuses. ---

#[test]
fn exit_statuses_follow_expiry_and_the_window() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--days", "365"]).success();
    let status = |window: &str| {
        sb.run(&["inspect", "server.crt", "--expiring-within", window, "--format", "json"]).code
    };
    assert_eq!(sb.run(&["inspect", "server.crt"]).code, 0);
    for (window, code) in [
        ("30d", 0),
        ("364d", 0),
        ("366d", 1),
        ("400", 1),
        ("30", 0),
        ("9000h", 1),
        ("8000h", 0),
        ("600000m", 1),
        ("90m", 0),
        ("3600s", 0),
        ("40000000s", 1),
        ("0", 0),
    ] {
        assert_eq!(status(window), code, "--expiring-within {window}");
    }
    let run = sb.run(&["inspect", "server.crt", "--expiring-within", "400d", "--format", "json"]);
    assert_eq!(only_cert(&run).status, "expiring");
    assert!(run.stderr.contains("1 certificate expires within 400d (server.crt #0)"), "{}", run.stderr);
}

#[test]
fn bad_usage_exits_2_with_one_line() {
    let sb = Sandbox::new();
    sb.run(&["inspect"]).fails(2, "nothing to inspect").one_error_line();
    sb.run(&["inspect", "x.pem", "--expiring-within", "30x"]).fails(2, "--expiring-within").one_error_line();
    sb.run(&["inspect", "x.pem", "--expiring-within=-3d"]).fails(2, "--expiring-within");
    sb.run(&["inspect", "--connect", "localhost"]).fails(2, "HOST:PORT").one_error_line();
    sb.run(&["inspect", "--connect", "::1:443"]).fails(2, "brackets").one_error_line();
    sb.run(&["inspect", "x.pem", "--servername", "a.test"]).fails(2, "--connect");
    sb.run(&["inspect", "--connect", "localhost:1", "--timeout", "0"]).fails(2, "--timeout");
}

#[test]
fn unreadable_input_exits_2_after_everything_else_is_reported() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    fs::write(sb.path("garbage.txt"), "hello").unwrap();
    let run = sb.run(&["inspect", "missing.pem", "server.crt", "garbage.txt", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(only_cert(&run).source, "server.crt");
    let failed = failures(&run);
    assert_eq!(failed.len(), 2);
    assert_eq!((failed[0].source.as_str(), failed[0].index), ("missing.pem", None));
    assert!(failed[0].error.contains("no such file"), "{}", failed[0].error);
    assert!(failed[1].error.contains("neither PEM nor DER"), "{}", failed[1].error);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[0], "error: missing.pem: cannot read: no such file or directory");
    assert!(lines[1].starts_with("error: garbage.txt: "), "{}", run.stderr);
    assert_eq!(lines.len(), 3, "one line per input and a summary:\n{}", run.stderr);

    // 2 wins over 1: an expired certificate is still reported, and named.
    if have("openssl") {
        let ca = OpensslCa::new(sb.path("ossl"));
        let expired = ca.issue("expired", "old.example", "20200101000000Z", "20200301000000Z");
        let run = sb.run(&["inspect", s(&expired), "missing.pem"]);
        assert_eq!(run.code, 2);
        assert!(run.stdout.contains("EXPIRED"), "{}", run.stdout);
        assert!(
            run.stderr.contains("1 input could not be read or parsed; 1 certificate has expired"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn each_bad_input_gets_one_line_and_nothing_panics() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let pem = fs::read_to_string(sb.path("server.crt")).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(sb.path(name), bytes).unwrap();
    write("empty.pem", b"");
    write("garbage.bin", &(0..4096u32).map(|i| (i * 7 + 3).to_le_bytes()[0]).collect::<Vec<_>>());
    write("truncated.pem", &pem.as_bytes()[..pem.len() / 2]);
    let mut lines: Vec<String> = pem.lines().map(str::to_owned).collect();
    lines[2] = format!("{}*!*{}", &lines[2][..10], &lines[2][13..]);
    write("base64.pem", lines.join("\n").as_bytes());
    write("unknown.pem", b"-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n");
    let mut big = Vec::with_capacity(6 << 20);
    while big.len() < 6 << 20 {
        big.extend_from_slice(b"not a certificate, just a multi-megabyte log line\n");
    }
    write("big.log", &big);
    fs::File::create(sb.path("huge.img")).unwrap().set_len(40 << 20).unwrap();
    fs::create_dir(sb.path("dir")).unwrap();
    fs::copy(sb.path("server.crt"), sb.path("dir/good.crt")).unwrap();
    std::os::unix::fs::symlink("nowhere.pem", sb.path("dir/dangling.pem")).unwrap();
    std::os::unix::fs::symlink("loop-b.pem", sb.path("dir/loop-a.pem")).unwrap();
    std::os::unix::fs::symlink("loop-a.pem", sb.path("dir/loop-b.pem")).unwrap();
    std::os::unix::fs::symlink("self.pem", sb.path("self.pem")).unwrap();

    let names = [
        "empty.pem",
        "garbage.bin",
        "truncated.pem",
        "base64.pem",
        "unknown.pem",
        "big.log",
        "huge.img",
        "self.pem",
        "dir",
        "server.crt",
    ];
    let mut args = vec!["inspect", "--format", "json"];
    args.extend(names);
    let started = Instant::now();
    let run = sb.run(&args);
    assert!(started.elapsed() < Duration::from_secs(20), "bad input is handled quickly");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let good: Vec<String> = certs(&run).into_iter().map(|c| c.source).collect();
    assert_eq!(good, ["dir/good.crt", "server.crt"], "the good inputs are still inspected");

    let expected = [
        ("empty.pem", "empty"),
        ("garbage.bin", "neither PEM nor DER"),
        ("truncated.pem", "truncated PEM"),
        ("base64.pem", "base64"),
        ("unknown.pem", "\"SOMETHING ELSE\""),
        ("big.log", "neither PEM nor DER"),
        ("huge.img", "too large"),
        ("self.pem", "symbolic links"),
        ("dir/dangling.pem", "no such file"),
        ("dir/loop-a.pem", "symbolic links"),
        ("dir/loop-b.pem", "symbolic links"),
    ];
    let failed = failures(&run);
    let got: Vec<&str> = failed.iter().map(|f| f.source.as_str()).collect();
    let mut want: Vec<&str> = expected.iter().map(|(source, _)| *source).collect();
    want.sort_by_key(|source| got.iter().position(|g| g == source));
    assert_eq!(got, want, "{failed:#?}");
    let stderr: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(stderr.len(), expected.len() + 1, "one line each, then a summary:\n{}", run.stderr);
    for (source, reason) in expected {
        let entry = failed.iter().find(|f| f.source == source).unwrap();
        assert!(entry.error.contains(reason), "{source}: {}", entry.error);
        let lines: Vec<&&str> =
            stderr.iter().filter(|l| l.starts_with(&format!("error: {source}"))).collect();
        assert_eq!(lines.len(), 1, "{source}:\n{}", run.stderr);
        assert!(lines[0].contains(reason), "{}", lines[0]);
    }
    assert!(stderr.last().unwrap().contains("11 inputs could not be read or parsed"), "{}", run.stderr);
}

#[test]
fn directories_hold_certificate_files_and_recursive_descends() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--out", "certs", "--name", "a", "a.test"]).success();
    sb.run(&["gen", "--out", "certs/sub", "--name", "b", "b.test"]).success();
    fs::write(sb.path("certs/README"), "These are my certificates.\n").unwrap();
    fs::copy(sb.path("certs/a.crt"), sb.path("certs/.hidden.crt")).unwrap();
    // An OpenSSL hash link to a.crt: the same file, inspected once under its own name.
    std::os::unix::fs::symlink("a.crt", sb.path("certs/0123abcd.0")).unwrap();
    // A directory link back up must not loop.
    std::os::unix::fs::symlink("..", sb.path("certs/sub/up")).unwrap();

    let run = sb.run(&["inspect", "certs", "--format", "json"]).success();
    let sources: Vec<String> = items(&run)
        .into_iter()
        .map(|i| match i {
            Item::Certificate(c) => c.source,
            Item::PrivateKey(k) => k.source,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sources, ["certs/a.crt", "certs/a.key"]);

    let run = sb.run(&["inspect", "certs/", "--recursive", "--format", "json"]).success();
    let found: Vec<(String, Option<bool>)> = items(&run)
        .into_iter()
        .map(|i| match i {
            Item::Certificate(c) => (c.source, None),
            Item::PrivateKey(k) => (k.source, k.matching_certificates.map(|m| m.len() == 1)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        found,
        [
            ("certs/a.crt".to_owned(), None),
            ("certs/a.key".to_owned(), Some(true)),
            ("certs/sub/b.crt".to_owned(), None),
            ("certs/sub/b.key".to_owned(), Some(true)),
        ]
    );
    let human = sb.run(&["inspect", "certs", "-r"]).success().stdout;
    assert!(human.contains("1 file skipped in directories"), "{human}");
}

#[test]
fn stdin_is_read_as_dash() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--name", "one"]).success();
    sb.run(&["gen", "--name", "two"]).success();
    let pem = [fs::read(sb.path("one.crt")).unwrap(), fs::read(sb.path("two.crt")).unwrap()].concat();
    let run = with_stdin(&sb, &["inspect", "-", "--format", "json"], &pem).success();
    let all = certs(&run);
    assert_eq!(all.iter().map(|c| (c.source.as_str(), c.index)).collect::<Vec<_>>(), [("-", 0), ("-", 1)]);
    let from_file = only_cert(&sb.run(&["inspect", "one.crt", "--format", "json"]));
    assert_eq!(all[0].fingerprint_sha256, from_file.fingerprint_sha256);

    let run = with_stdin(&sb, &["inspect", "-"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: -: empty"), "{}", run.stderr);
}

fn with_stdin(sb: &Sandbox, args: &[&str], input: &[u8]) -> Run {
    let mut child =
        sb.cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn colours_only_when_asked_for_and_never_with_no_color() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--days", "20", "--name", "soon"]).success();
    sb.run(&["gen", "--days", "200", "--name", "later"]).success();
    let plain = sb.run(&["inspect", "soon.crt", "later.crt"]).success();
    assert!(!plain.stdout.contains('\x1b'), "no colours into a pipe");
    let forced =
        Run::from(sb.cmd(&["inspect", "soon.crt", "later.crt"]).env("CLICOLOR_FORCE", "1").output().unwrap());
    // notBefore is an hour back, so 20 days of validity leave 19 whole days.
    assert!(
        forced.stdout.contains("\x1b[33m(19 days left)\x1b[0m"),
        "yellow under 30 days:\n{}",
        forced.stdout
    );
    assert!(forced.stdout.contains("\x1b[32m(199 days left)\x1b[0m"), "green otherwise:\n{}", forced.stdout);
    let no_color = Run::from(
        sb.cmd(&["inspect", "soon.crt"]).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").output().unwrap(),
    );
    assert!(!no_color.stdout.contains('\x1b'), "NO_COLOR wins");
    let json = Run::from(
        sb.cmd(&["inspect", "soon.crt", "--format", "json"]).env("CLICOLOR_FORCE", "1").output().unwrap(),
    );
    assert!(!json.stdout.contains('\x1b'));
}

// --- Live servers. ---

#[test]
fn a_server_with_a_local_ca_certificate_is_trusted() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "--ca", "localhost", "127.0.0.1"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let target = format!("127.0.0.1:{}", server.port);
    let run = sb.run(&["inspect", "--connect", &target, "--format", "json"]).success();
    let leaf = only_cert(&run);
    assert_eq!((leaf.source.as_str(), leaf.index), (target.as_str(), 0));
    let expected = only_cert(&sb.run(&["inspect", "server.crt", "--format", "json"]));
    assert_eq!(leaf.fingerprint_sha256, expected.fingerprint_sha256);
    let c = leaf.connection.expect("connection details");
    assert_eq!((c.host.as_str(), c.port, c.server_name.as_str()), ("127.0.0.1", server.port, "127.0.0.1"));
    assert!(c.trusted && c.name_matches, "{c:?}");
    assert!(c.verify_error.is_none() && c.handshake_error.is_none(), "{c:?}");
    assert!(c.protocol.as_deref().is_some_and(|p| p.starts_with("TLSv1.")), "{c:?}");

    // SNI and the name check follow --servername.
    let run =
        sb.run(&["inspect", "--connect", &target, "--servername", "localhost", "--format", "json"]).success();
    let c = only_cert(&run).connection.unwrap();
    assert!(c.trusted && c.name_matches && c.server_name == "localhost", "{c:?}");
    let run = sb
        .run(&["inspect", "--connect", &target, "--servername", "other.test", "--format", "json"])
        .success();
    let c = only_cert(&run).connection.unwrap();
    assert!(c.trusted && !c.name_matches, "{c:?}");
    assert!(c.verify_error.as_deref().is_some_and(|e| e.contains("other.test")), "{c:?}");

    // Without the local CA the same chain is not trusted — and still shown.
    let run = Run::from(
        sb.cmd(&["inspect", "--connect", &target, "--format", "json"])
            .env("TLSFORGE_CA_DIR", sb.path("no-ca-here"))
            .output()
            .unwrap(),
    )
    .success();
    assert!(!only_cert(&run).connection.unwrap().trusted);

    let human = sb.run(&["inspect", "--connect", &target]).success().stdout;
    assert!(
        human.contains("trusted (system roots or the local CA)") && human.contains("valid for 127.0.0.1"),
        "{human}"
    );
}

#[test]
fn an_untrusted_self_signed_server_is_reported_not_hidden() {
    if !have("openssl") {
        return;
    }
    let sb = Sandbox::new();
    sb.run(&["gen", "localhost", "127.0.0.1"]).success();
    let server = serve(&sb.path("server.crt"), &sb.path("server.key"));
    let target = format!("127.0.0.1:{}", server.port);
    let run = sb.run(&["inspect", "--connect", &target, "--format", "json"]).success();
    let leaf = only_cert(&run);
    assert!(leaf.self_signed);
    assert_eq!(leaf.dns_names, ["localhost"]);
    let c = leaf.connection.unwrap();
    assert!(!c.trusted && c.name_matches, "{c:?}");
    assert!(c.verify_error.as_deref().is_some_and(|e| e.contains("not trusted")), "{c:?}");
    let human = sb.run(&["inspect", "--connect", &target]).success().stdout;
    assert!(human.contains("NOT trusted") && human.contains("CN=localhost"), "{human}");
}

#[test]
fn unreachable_and_non_tls_servers_fail_fast_with_one_line() {
    let sb = Sandbox::new();
    sb.run(&["gen"]).success();
    let closed = format!("127.0.0.1:{}", free_port());

    // A plain-text server: answers like an HTTP server does to a TLS ClientHello.
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_target = format!("127.0.0.1:{}", http.local_addr().unwrap().port());
    let http_thread = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = http.accept() {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    // A server that accepts and says nothing.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_target = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());

    let started = Instant::now();
    let run = sb.run(&[
        "inspect",
        "server.crt",
        "--connect",
        &closed,
        "--connect",
        &http_target,
        "--connect",
        &silent_target,
        "--timeout",
        "1",
        "--format",
        "json",
    ]);
    let elapsed = started.elapsed();
    http_thread.join().unwrap();
    drop(silent);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert_eq!(only_cert(&run).source, "server.crt");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    assert!(lines[0].starts_with(&format!("error: {closed}: connection refused")), "{}", run.stderr);
    assert!(
        lines[1].starts_with(&format!(
            "error: {http_target}: not a TLS server: it answered \"HTTP/1.1 400 Bad Request\""
        )),
        "{}",
        run.stderr
    );
    assert!(
        lines[2].starts_with(&format!("error: {silent_target}: no TLS handshake within 1s")),
        "{}",
        run.stderr
    );
    assert!(lines[3].contains("3 inputs could not be read or parsed"), "{}", run.stderr);
}
