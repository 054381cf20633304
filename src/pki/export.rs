//! Certificates as their consumers take them in: PEM for most, DER (`.crt`/`.cer`) for Android
//! and Windows, an Apple configuration profile (`.mobileconfig`) for iOS, iPadOS and macOS, a
//! full chain for servers. (PKCS#12 is [`super::p12`]; Kubernetes manifests are
//! `config::kubernetes`.) `ca export` writes the local CA's certificate only: its key never
//! leaves the CA directory except through `export --as p12|k8s-secret|cert-manager`.

use base64::Engine as _;
use ring::digest::{SHA256, digest};

use crate::text::{PLIST_PROLOGUE, xml_escape};

/// What `ca export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// PEM text (`-----BEGIN CERTIFICATE-----`), for most tools
    Pem,
    /// DER (binary `.crt`/`.cer`), for Android and Windows
    Der,
    /// An Apple configuration profile (`.mobileconfig`), for iOS, iPadOS and macOS
    Mobileconfig,
}

/// What `export --as` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportAs {
    /// PEM text of the certificate alone
    Pem,
    /// DER (binary `.cer`), for Windows and phones
    Der,
    /// PEM: the certificate, then its issuer from the local CA, for servers that want a chain
    Fullchain,
    /// An Apple configuration profile (`.mobileconfig`), for iOS, iPadOS and macOS
    Mobileconfig,
    /// PKCS#12 (`.p12`, `.pfx`) with the key, for Windows/IIS, Java, .NET and appliances
    P12,
    /// A Kubernetes `kubernetes.io/tls` Secret with the key (and `ca.crt` when the issuer is known)
    K8sSecret,
    /// The local CA's Secret, a cert-manager Issuer of kind CA using it, and an example Certificate
    CertManager,
}

impl From<ExportFormat> for ExportAs {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Pem => Self::Pem,
            ExportFormat::Der => Self::Der,
            ExportFormat::Mobileconfig => Self::Mobileconfig,
        }
    }
}

impl ExportFormat {
    /// What it is for, in a few words.
    pub(crate) fn purpose(self) -> &'static str {
        ExportAs::from(self).purpose()
    }
}

impl ExportAs {
    /// Whether the output holds a private key: a file readable by the owner only, never a terminal.
    pub(crate) fn has_private_key(self) -> bool {
        matches!(self, Self::P12 | Self::K8sSecret | Self::CertManager)
    }

    /// Whether it may not go to a terminal: binary, a wall of XML, or a private key.
    pub(crate) fn for_files_only(self) -> bool {
        !matches!(self, Self::Pem | Self::Fullchain)
    }

    /// What it is, in a word or two.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Pem => "PEM",
            Self::Der => "DER (binary)",
            Self::Fullchain => "a PEM chain",
            Self::Mobileconfig => "a configuration profile",
            Self::P12 => "PKCS#12 (binary, with a private key)",
            Self::K8sSecret | Self::CertManager => "Kubernetes manifests with a private key",
        }
    }

    /// What it is for, in a few words.
    pub(crate) fn purpose(self) -> &'static str {
        match self {
            Self::Pem => "PEM, for most tools",
            Self::Der => "DER, for Android and Windows",
            Self::Fullchain => "the certificate and its issuer, PEM, for servers",
            Self::Mobileconfig => "a configuration profile, for iPhone, iPad and Mac",
            Self::P12 => "PKCS#12, for Windows, Java, .NET and appliances",
            Self::K8sSecret => "a kubernetes.io/tls Secret",
            Self::CertManager => "the CA's Secret, a cert-manager issuer and an example Certificate",
        }
    }
}

/// PEM blocks of `chain`, in order: the certificate, then its issuers.
pub(crate) fn pem_chain(chain: &[Vec<u8>]) -> String {
    chain.iter().map(|der| pem(der)).collect()
}

/// A PEM certificate block.
pub(crate) fn pem(der: &[u8]) -> String {
    super::armor::encode("CERTIFICATE", der)
}

/// An Apple configuration profile that installs `der` as a root certificate
/// (`com.apple.security.root`). Its identifiers and UUIDs derive from the certificate's
/// SHA-256, so exporting the same CA twice gives the same profile, which a device then treats
/// as an update rather than a second profile. `name` is what Settings shows.
pub(crate) fn mobileconfig(der: &[u8], name: &str) -> String {
    let sha = digest(&SHA256, der);
    let hex = super::format::hex(&sha.as_ref()[..8]).to_ascii_lowercase();
    let identifier = format!("dev.tlsforge.ca.{hex}");
    let payload = base64::engine::general_purpose::STANDARD.encode(der);
    let payload: Vec<String> =
        payload.as_bytes().chunks(52).map(|c| format!("\t\t\t{}", String::from_utf8_lossy(c))).collect();
    let name = xml_escape(name);
    format!(
        r"{PLIST_PROLOGUE}
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>PayloadCertificateFileName</key>
			<string>tlsforge-local-ca.cer</string>
			<key>PayloadContent</key>
			<data>
{payload}
			</data>
			<key>PayloadDescription</key>
			<string>Adds the root certificate of a tlsforge local CA</string>
			<key>PayloadDisplayName</key>
			<string>{name}</string>
			<key>PayloadIdentifier</key>
			<string>{identifier}.root</string>
			<key>PayloadType</key>
			<string>com.apple.security.root</string>
			<key>PayloadUUID</key>
			<string>{root_uuid}</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
		</dict>
	</array>
	<key>PayloadDescription</key>
	<string>Trusts {name} for HTTPS to development servers on your network. After installing, enable full trust in Settings, General, About, Certificate Trust Settings.</string>
	<key>PayloadDisplayName</key>
	<string>{name}</string>
	<key>PayloadIdentifier</key>
	<string>{identifier}</string>
	<key>PayloadRemovalDisallowed</key>
	<false/>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>{profile_uuid}</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
",
        payload = payload.join("\n"),
        root_uuid = uuid(sha.as_ref(), b"root"),
        profile_uuid = uuid(sha.as_ref(), b"profile"),
    )
}

/// A UUID derived from `seed` and `purpose` (RFC 9562 version 8: custom, here SHA-256 based).
fn uuid(seed: &[u8], purpose: &[u8]) -> String {
    let mut input = seed.to_vec();
    input.extend_from_slice(purpose);
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest(&SHA256, &input).as_ref()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = super::format::hex(&b);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_through_the_one_reader() {
        let der: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        let text = pem(&der);
        assert!(text.lines().all(|l| l.len() <= 64), "{text}");
        let blocks: Vec<_> =
            crate::pki::armor::pem_blocks(text.as_bytes()).collect::<Result<_, _>>().unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!((blocks[0].label.as_str(), blocks[0].der.as_slice()), ("CERTIFICATE", der.as_slice()));
    }

    #[test]
    fn profiles_are_stable_per_certificate_and_escape_the_name() {
        let a = mobileconfig(b"one", "CA <me&you>");
        assert_eq!(a, mobileconfig(b"one", "CA <me&you>"));
        assert!(a.contains("<string>CA &lt;me&amp;you&gt;</string>"), "{a}");
        let b = mobileconfig(b"two", "CA");
        let id = |p: &str| p.lines().find(|l| l.contains("dev.tlsforge.ca.")).unwrap().trim().to_owned();
        assert_ne!(id(&a), id(&b));
        let u = uuid(b"x", b"root");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8", "version 8");
        assert!(matches!(&u[19..20], "8" | "9" | "A" | "B"), "RFC variant: {u}");
    }
}
