//! What `share` serves: the page that installs the CA (for the OS the visitor's browser names),
//! the check page, and the CA in the three forms devices take. Built once per run from the CA's
//! certificate; nothing is read from disk while serving, and the CA's key is never here.

use std::fmt::Write as _;

use crate::net::share::device::Os;
use crate::pki::export::{self, ExportFormat};
use crate::text::xml_escape;

const LANDING: &str = include_str!("../../../templates/share/landing.html");
const CHECK: &str = include_str!("../../../templates/share/check.html");

/// The CA as served, and where.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The CA's certificate, DER.
    pub(crate) ca_der: Vec<u8>,
    /// What a device shows for it (its CN).
    pub(crate) ca_name: String,
    /// SHA-256, colon-separated hex, as the terminal shows it.
    pub(crate) fingerprint: String,
    /// `HOST:PORT` as links name this server (`192.168.1.20:5443`, `[fd00::1]:5443`).
    pub(crate) authority: String,
}

impl Site {
    pub(crate) fn landing_url(&self) -> String {
        format!("http://{}/", self.authority)
    }

    pub(crate) fn check_url(&self) -> String {
        format!("https://{}/check", self.authority)
    }

    /// The file name and the path a format is served at.
    pub(crate) fn file_name(format: ExportFormat) -> &'static str {
        match format {
            ExportFormat::Mobileconfig => "tlsforge-ca.mobileconfig",
            ExportFormat::Der => "tlsforge-ca.crt",
            ExportFormat::Pem => "tlsforge-ca.pem",
        }
    }

    /// Which download a path asks for.
    pub(crate) fn download_at(path: &str) -> Option<ExportFormat> {
        [ExportFormat::Mobileconfig, ExportFormat::Der, ExportFormat::Pem]
            .into_iter()
            .find(|format| path.strip_prefix('/') == Some(Self::file_name(*format)))
    }

    /// The CA in `format`, with the content type that makes each OS offer to install it.
    pub(crate) fn download(&self, format: ExportFormat) -> (&'static str, Vec<u8>) {
        match format {
            ExportFormat::Mobileconfig => (
                "application/x-apple-aspen-config",
                export::mobileconfig(&self.ca_der, &self.ca_name).into_bytes(),
            ),
            ExportFormat::Der => ("application/x-x509-ca-cert", self.ca_der.clone()),
            ExportFormat::Pem => ("application/x-pem-file", export::pem(&self.ca_der).into_bytes()),
        }
    }

    /// The pages may run their own inline script and talk to this server only.
    pub(crate) fn content_security_policy(&self) -> String {
        format!(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             connect-src 'self' https://{a} wss://{a}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            a = self.authority
        )
    }

    /// The install page for `os`.
    pub(crate) fn landing(&self, os: Os) -> String {
        let format = os.download();
        let file = Self::file_name(format);
        let mut steps = String::new();
        for step in os.steps() {
            let step = xml_escape(step).replace("{file}", file).replace("{ca}", &xml_escape(&self.ca_name));
            let _ = writeln!(steps, "<li>{step}</li>");
        }
        let files = [ExportFormat::Mobileconfig, ExportFormat::Der, ExportFormat::Pem]
            .into_iter()
            .map(|format| format!("<a href=\"/{0}\" download=\"{0}\">{0}</a>", Self::file_name(format)))
            .collect::<Vec<_>>()
            .join(" · ");
        let others = Os::ALL
            .into_iter()
            .filter(|other| *other != os && *other != Os::Other)
            .map(|other| format!("<a href=\"/?os={}\">{}</a>", other.id(), other.name()))
            .collect::<Vec<_>>()
            .join(" · ");
        fill(
            LANDING,
            &[
                ("os_name", xml_escape(os.name())),
                ("os_id", os.id().to_owned()),
                ("download_href", format!("/{file}")),
                ("download_file", file.to_owned()),
                ("download_label", xml_escape(format.purpose())),
                ("steps", steps),
                ("fingerprint", self.fingerprint.clone()),
                ("files", files),
                ("others", others),
                ("check_url", self.check_url()),
                ("probe_url", format!("https://{}/probe", self.authority)),
            ],
        )
    }

    pub(crate) fn check(&self) -> String {
        check_page("/results", "/echo", &self.landing_url(), "Back to the install steps")
    }
}

/// The check page (a secure context, the microphone API, a `wss://` echo, results posted
/// back), for a server that answers at `results` and echoes at `echo` (absolute paths).
pub(crate) fn check_page(results: &str, echo: &str, back_url: &str, back_label: &str) -> String {
    fill(
        CHECK,
        &[
            ("results_path", results.to_owned()),
            ("echo_path", echo.to_owned()),
            ("back_url", xml_escape(back_url)),
            ("back_label", xml_escape(back_label)),
        ],
    )
}

/// Put each `{{name}}` of `template` in one pass: text a value brings in is not scanned again.
/// Values are HTML already (escaped where they come from outside).
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 1024);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let known =
            after.find("}}").and_then(|end| Some((values.iter().find(|(n, _)| *n == &after[..end])?, end)));
        if let Some(((_, value), end)) = known {
            out.push_str(value);
            rest = &after[end + 2..];
        } else {
            out.push_str("{{");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            ca_der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
            ca_name: "tlsforge CA <me@laptop>".to_owned(),
            fingerprint: "AB:CD".to_owned(),
            authority: "192.168.1.20:5443".to_owned(),
        }
    }

    #[test]
    fn every_placeholder_of_every_page_is_filled_and_names_are_escaped() {
        let site = site();
        for os in Os::ALL {
            let page = site.landing(os);
            assert!(!page.contains("{{"), "{os:?}: {page}");
            assert!(!page.contains("{file}") && !page.contains("{ca}"), "{os:?}");
            assert!(page.contains(&format!("/{}", Site::file_name(os.download()))), "{os:?}");
            assert!(!page.contains("<me@laptop>"), "the CA's name is escaped");
        }
        assert!(site.landing(Os::Ios).contains("tlsforge CA &lt;me@laptop&gt;"));
        assert!(!site.check().contains("{{"));
    }

    #[test]
    fn only_the_three_file_names_are_downloads() {
        assert_eq!(Site::download_at("/tlsforge-ca.crt"), Some(ExportFormat::Der));
        assert_eq!(Site::download_at("/tlsforge-ca.mobileconfig"), Some(ExportFormat::Mobileconfig));
        assert_eq!(Site::download_at("/tlsforge-ca.pem"), Some(ExportFormat::Pem));
        for other in ["/ca.key", "/tlsforge-ca.crt/", "tlsforge-ca.crt", "/../tlsforge-ca.crt", "/"] {
            assert_eq!(Site::download_at(other), None, "{other}");
        }
    }

    #[test]
    fn filling_is_one_pass() {
        assert_eq!(
            fill("a {{x}} {{y}} {{", &[("x", "{{y}}".to_owned()), ("y", "2".to_owned())]),
            "a {{y}} 2 {{"
        );
    }
}
