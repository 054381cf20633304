//! Certificates made outside tlsforge, for tlsforge to read: openssl chains, and parsing PEM.

use std::fs;
use std::path::Path;

use super::tool;

/// Parse the first certificate of a PEM file into owned DER.
pub(crate) fn cert_der(path: &Path) -> Vec<u8> {
    let text = fs::read(path).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&text).expect("PEM");
    assert_eq!(pem.label, "CERTIFICATE");
    pem.contents
}

/// A root, an intermediate and a leaf for `example.com` made with openssl in `dir`, as a public
/// CA issues them: `root.crt`, `int.crt`, `leaf.crt`, `leaf.key` (0600).
pub(crate) fn openssl_chain(dir: &Path, tag: &str) {
    let script = format!(
        r"set -e
cd '{dir}'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj '/CN={tag} Root' \
    -keyout root.key -out root.crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN={tag} R3' -keyout int.key -out int.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n' > int.ext
openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -days 1000 -extfile int.ext -out int.crt
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=example.com' -keyout leaf.key -out leaf.csr
printf 'subjectAltName=DNS:example.com\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA int.crt -CAkey int.key -days 90 -extfile leaf.ext -out leaf.crt
chmod 600 leaf.key
",
        dir = dir.display()
    );
    let run = tool("sh", &["-c", &script]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Sign a leaf with the CA key directly, as a thief holding `ca.key` would.
pub(crate) fn forge_leaf(ca_dir: &Path, name: &str, out: &Path, key_out: Option<&Path>) {
    let ca_key = rcgen::KeyPair::from_pem(&fs::read_to_string(ca_dir.join("ca.key")).unwrap()).unwrap();
    let issuer =
        rcgen::Issuer::from_ca_cert_pem(&fs::read_to_string(ca_dir.join("ca.crt")).unwrap(), ca_key).unwrap();
    let mut params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.not_before = ::time::OffsetDateTime::now_utc() - ::time::Duration::hours(1);
    params.not_after = ::time::OffsetDateTime::now_utc() + ::time::Duration::days(30);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, "forged");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let key = rcgen::KeyPair::generate().unwrap();
    fs::write(out, params.signed_by(&key, &issuer).unwrap().pem()).unwrap();
    if let Some(key_out) = key_out {
        fs::write(key_out, key.serialize_pem()).unwrap();
    }
}

/// What a hostile certificate says, to prove none of it reaches a terminal raw: terminal
/// escapes (a window title, a colour, a screen clear), a line break that forges a line of
/// tlsforge's own, a bidi override, C1 and DEL, and GitHub workflow commands.
pub(crate) const HOSTILE_CN: &str =
    "evil\x1b]0;pwned\x07\x1b[31m\n✓ trust: forged by the CN\u{202e}gro.elgoog";
pub(crate) const HOSTILE_O: &str =
    "Org\x1b[2J\r\u{2066}x\u{2069}\u{85}\u{9b}31m\x7f 50%0A\n::error::forged by the O";
pub(crate) const HOSTILE_DNS: &str = "bad\x1b[31m.example\n✓ trust: forged by a SAN";

/// A self-signed certificate in `cert` (and its key in `key`) whose subject and names hold
/// [`HOSTILE_CN`], [`HOSTILE_O`] and [`HOSTILE_DNS`]: `UTF8String` values, and a subject alternative
/// name extension written by hand (rcgen refuses control characters in a DNS name; the DER does
/// not, and a server can send anything).
pub(crate) fn hostile_pair(cert: &Path, key: &Path) {
    let mut params = rcgen::CertificateParams::default();
    let names: Vec<u8> =
        [HOSTILE_DNS, "localhost"].iter().flat_map(|name| der(0x82, name.as_bytes())).collect();
    params.custom_extensions =
        vec![rcgen::CustomExtension::from_oid_content(&[2, 5, 29, 17], der(0x30, &names))];
    params.not_before = ::time::OffsetDateTime::now_utc() - ::time::Duration::hours(1);
    params.not_after = ::time::OffsetDateTime::now_utc() + ::time::Duration::days(30);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, rcgen::DnValue::Utf8String(HOSTILE_CN.into()));
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, rcgen::DnValue::Utf8String(HOSTILE_O.into()));
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let pair = rcgen::KeyPair::generate().unwrap();
    fs::write(cert, params.self_signed(&pair).unwrap().pem()).unwrap();
    fs::write(key, pair.serialize_pem()).unwrap();
    set_mode(key, 0o600);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// One DER element: `tag`, the length (short or long form) and `content`.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match u8::try_from(content.len()) {
        Ok(len) if len < 0x80 => out.push(len),
        _ => {
            let len = u16::try_from(content.len()).expect("short enough");
            out.push(0x82);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(content);
    out
}
