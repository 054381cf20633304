//! What openssl says about a certificate, and a CA made by openssl to issue leaves with any
//! validity dates.

use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::json::Cert;
use super::s;
use crate::harness::tool;

#[derive(Debug)]
pub(crate) struct OpensslView {
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) serial: String,
    pub(crate) fingerprint: String,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) dns: Vec<String>,
    pub(crate) ips: Vec<IpAddr>,
    pub(crate) emails: Vec<String>,
    pub(crate) uris: Vec<String>,
    pub(crate) key_bits: u32,
    pub(crate) signature_algorithm: String,
    pub(crate) is_ca: bool,
}

pub(crate) fn openssl_view(cert: &Path) -> OpensslView {
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

pub(crate) fn rfc3339(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Every field openssl also prints must agree.
#[track_caller]
pub(crate) fn assert_agrees(json: &Cert, cert_file: &Path) {
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
pub(crate) struct OpensslCa {
    pub(crate) dir: PathBuf,
}

impl OpensslCa {
    pub(crate) fn new(dir: PathBuf) -> Self {
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

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Issue a leaf for `cn` (RSA 2048, with SANs) valid between two `YYYYMMDDHHMMSSZ` dates.
    pub(crate) fn issue(&self, name: &str, cn: &str, start: &str, end: &str) -> PathBuf {
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
