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
