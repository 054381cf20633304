//! The devices `share` talks to: which OS and browser a user agent names, what each OS needs
//! to trust the local CA (the file and the steps), and the fix for each check a device fails.
//! Everything a phone is told, on its page or about it on the terminal, is decided here.

use serde::Serialize;

use crate::pki::export::ExportFormat;

/// The operating systems the page has steps for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Os {
    Ios,
    Ipados,
    Android,
    Macos,
    Windows,
    Linux,
    /// Anything else: the PEM and the general steps.
    Other,
}

impl Os {
    pub(crate) const ALL: [Self; 7] =
        [Self::Ios, Self::Ipados, Self::Android, Self::Macos, Self::Windows, Self::Linux, Self::Other];

    /// The name in `?os=` and in JSON.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Self::Ios => "ios",
            Self::Ipados => "ipados",
            Self::Android => "android",
            Self::Macos => "macos",
            Self::Windows => "windows",
            Self::Linux => "linux",
            Self::Other => "other",
        }
    }

    pub(crate) fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|os| os.id() == id)
    }

    /// What people call it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Ios => "iPhone",
            Self::Ipados => "iPad",
            Self::Android => "Android",
            Self::Macos => "Mac",
            Self::Windows => "Windows",
            Self::Linux => "Linux",
            Self::Other => "another device",
        }
    }

    /// The file this OS installs a CA from.
    pub(crate) fn download(self) -> ExportFormat {
        match self {
            Self::Ios | Self::Ipados | Self::Macos => ExportFormat::Mobileconfig,
            Self::Android | Self::Windows => ExportFormat::Der,
            Self::Linux | Self::Other => ExportFormat::Pem,
        }
    }

    /// What to do on the device after the download, one step per item; `{file}` is the
    /// downloaded file's name and `{ca}` the CA's name as the device will show it.
    pub(crate) fn steps(self) -> &'static [&'static str] {
        match self {
            Self::Ios | Self::Ipados => &[
                "Open this page in Safari (other browsers cannot install profiles) and tap the download button; allow the download.",
                "Open Settings: tap “Profile Downloaded” near the top (or General → VPN & Device Management), then Install and enter your passcode.",
                "Then Settings → General → About → Certificate Trust Settings: turn on full trust for “{ca}”. Without this step, pages load with a warning and wss:// fails.",
                "Come back to this page and reload it: it checks HTTPS, the microphone API and wss:// for you.",
            ],
            Self::Android => &[
                "Tap the download button; the file {file} lands in Downloads (Android does not install it from the browser).",
                "Settings → Security (or Security & privacy → More security settings) → Encryption & credentials → Install a certificate → CA certificate, tap “Install anyway”, and pick {file}.",
                "Chrome, Edge, Samsung Internet and Firefox 120+ then trust it. Other apps ignore CAs you install unless the app’s network security config allows user CAs.",
                "Come back to this page and reload it: it checks HTTPS, the microphone API and wss:// for you.",
            ],
            Self::Macos => &[
                "Download the profile, then open System Settings → General → Device Management (Profiles on older macOS), double-click it and Install.",
                "Or, in Terminal: sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain with the PEM file from the link below.",
                "Safari, Chrome, Edge and Firefox 120+ use the system’s trust. Reload this page to check.",
            ],
            Self::Windows => &[
                "Download {file} and open it: Install Certificate → Current User → Place all certificates in the following store → Trusted Root Certification Authorities → Finish, and confirm.",
                "Or, in a terminal: certutil -user -addstore Root {file}",
                "Edge, Chrome and Firefox 120+ use Windows’ trust. Restart the browser, then reload this page to check.",
            ],
            Self::Linux => &[
                "With tlsforge on this machine: tlsforge trust {file} (system store, Chromium and Firefox).",
                "Without it (Debian, Ubuntu): sudo cp {file} /usr/local/share/ca-certificates/tlsforge-ca.crt && sudo update-ca-certificates; Chromium and Firefox also need it in their own NSS databases (certutil -A -t C,, -n tlsforge -i {file} -d sql:$HOME/.pki/nssdb).",
                "Restart the browser, then reload this page to check.",
            ],
            Self::Other => &[
                "Install {file} as a trusted root (certificate authority) in the device’s or browser’s certificate settings.",
                "Then reload this page to check.",
            ],
        }
    }
}

/// A device as its user agent describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct Device {
    pub(crate) os: Os,
    pub(crate) browser: &'static str,
}

impl Device {
    /// Recognise the OS and browser in a `User-Agent` header. iPadOS Safari says it is a Mac;
    /// the page tells them apart by touch and says so with `?os=ipados`.
    pub(crate) fn from_user_agent(ua: &str) -> Self {
        let has = |needle: &str| ua.contains(needle);
        let os = if has("iPad") {
            Os::Ipados
        } else if has("iPhone") || has("iPod") {
            Os::Ios
        } else if has("Android") {
            Os::Android
        } else if has("Windows") {
            Os::Windows
        } else if has("Macintosh") || has("Mac OS X") {
            Os::Macos
        } else if has("Linux") || has("X11") || has("CrOS") {
            Os::Linux
        } else {
            Os::Other
        };
        // Most specific first: every Chromium says "Chrome" and "Safari", Edge says "Chrome".
        let browser = [
            ("EdgiOS", "Edge"),
            ("EdgA", "Edge"),
            ("Edg/", "Edge"),
            ("SamsungBrowser", "Samsung Internet"),
            ("OPR/", "Opera"),
            ("FxiOS", "Firefox"),
            ("Firefox/", "Firefox"),
            ("CriOS", "Chrome"),
            ("HeadlessChrome", "Headless Chrome"),
            ("Chromium/", "Chromium"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
            ("curl/", "curl"),
        ]
        .into_iter()
        .find_map(|(needle, name)| has(needle).then_some(name))
        .unwrap_or("a browser");
        Self { os, browser }
    }

    /// `iPhone · Safari`.
    pub(crate) fn label(self) -> String {
        format!("{} · {}", self.os.name(), self.browser)
    }
}

/// What the pages found on a device, each `None` when not tested (the check page did not load).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub(crate) struct Findings {
    /// The device completed a TLS handshake with the CA's certificate and loaded a page.
    pub(crate) https: bool,
    pub(crate) secure_context: Option<bool>,
    pub(crate) media_devices: Option<bool>,
    pub(crate) wss_echo: Option<bool>,
}

impl Findings {
    /// Every check ran and passed.
    pub(crate) fn passed(self) -> bool {
        self.https
            && self.secure_context == Some(true)
            && self.media_devices == Some(true)
            && self.wss_echo == Some(true)
    }
}

/// What to do about each failed check, for this device; `downloaded`: it fetched the CA earlier
/// in this run (so a failure means the install or trust step is missing, not the download).
pub(crate) fn fixes(device: Device, findings: Findings, downloaded: bool) -> Vec<String> {
    let mut fixes = Vec::new();
    if !findings.https {
        fixes.push(match (device.os, downloaded) {
            (Os::Ios | Os::Ipados, true) => "the profile was downloaded but this device does not trust the CA yet: \
                install it (Settings → Profile Downloaded → Install), then turn on full trust in \
                Settings → General → About → Certificate Trust Settings"
                .to_owned(),
            (Os::Android, true) => "the certificate was downloaded but is not installed: Settings → Security → \
                Encryption & credentials → Install a certificate → CA certificate → tlsforge-ca.crt"
                .to_owned(),
            (_, true) => format!(
                "the CA was downloaded but {} does not trust it yet: finish the steps on the page, restart the browser, and reload",
                device.browser
            ),
            (_, false) => "this device does not trust the CA: download it from the page and follow the steps there".to_owned(),
        });
        if device.browser == "Firefox" && matches!(device.os, Os::Linux | Os::Other) {
            fixes.push(
                "Firefox on Linux keeps its own store: Settings → Privacy & Security → View Certificates → \
                 Authorities → Import, and tick “trust this CA to identify websites”"
                    .to_owned(),
            );
        }
        return fixes;
    }
    if findings.secure_context == Some(false) {
        fixes.push(
            "the page was not a secure context: open the https:// address the page links to".to_owned(),
        );
    }
    if findings.media_devices == Some(false) {
        fixes.push(format!(
            "{} offers no microphone or camera API here: in-app browsers (a QR scanner's, a chat app's) often lack it; \
             open the link in the system browser",
            device.browser
        ));
    }
    if findings.wss_echo == Some(false) {
        fixes.push(match device.os {
            Os::Ios | Os::Ipados | Os::Macos if device.browser == "Safari" => {
                "https loaded but wss:// failed: Safari refuses wss:// unless the CA has full trust \
                 (Settings → General → About → Certificate Trust Settings); a warning clicked through is not enough"
                    .to_owned()
            }
            _ => "https loaded but the wss:// echo failed: a proxy, VPN or firewall between the device and this machine \
                  may drop WebSocket upgrades"
                .to_owned(),
        });
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    const IPHONE_CHROME: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1";
    const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const SAMSUNG: &str = "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36";
    const MAC_SAFARI: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    const WINDOWS_EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    const LINUX_FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const HEADLESS: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

    #[test]
    fn user_agents_name_the_os_and_browser() {
        for (ua, os, browser) in [
            (IPHONE, Os::Ios, "Safari"),
            (IPHONE_CHROME, Os::Ios, "Chrome"),
            (ANDROID, Os::Android, "Chrome"),
            (SAMSUNG, Os::Android, "Samsung Internet"),
            (MAC_SAFARI, Os::Macos, "Safari"),
            (WINDOWS_EDGE, Os::Windows, "Edge"),
            (LINUX_FIREFOX, Os::Linux, "Firefox"),
            (HEADLESS, Os::Linux, "Headless Chrome"),
            ("curl/8.5.0", Os::Other, "curl"),
            ("", Os::Other, "a browser"),
        ] {
            assert_eq!(Device::from_user_agent(ua), Device { os, browser }, "{ua}");
        }
    }

    #[test]
    fn apple_devices_get_the_profile_android_and_windows_der_the_rest_pem() {
        assert_eq!(Os::Ios.download(), ExportFormat::Mobileconfig);
        assert_eq!(Os::Ipados.download(), ExportFormat::Mobileconfig);
        assert_eq!(Os::Android.download(), ExportFormat::Der);
        assert_eq!(Os::Windows.download(), ExportFormat::Der);
        assert_eq!(Os::Linux.download(), ExportFormat::Pem);
        for os in Os::ALL {
            assert_eq!(Os::from_id(os.id()), Some(os));
            assert!(!os.steps().is_empty());
        }
        assert!(Os::Ios.steps().iter().any(|s| s.contains("Certificate Trust Settings")));
        assert!(Os::Android.steps().iter().any(|s| s.contains("Encryption & credentials")));
    }

    #[test]
    fn a_device_that_downloaded_the_profile_but_fails_https_is_told_to_enable_full_trust() {
        let iphone = Device::from_user_agent(IPHONE);
        let failed = Findings::default();
        let after_download = fixes(iphone, failed, true);
        assert!(after_download[0].contains("Certificate Trust Settings"), "{after_download:?}");
        assert!(fixes(iphone, failed, false)[0].contains("download it"));
        let passed = Findings {
            https: true,
            secure_context: Some(true),
            media_devices: Some(true),
            wss_echo: Some(true),
        };
        assert!(passed.passed());
        assert!(fixes(iphone, passed, true).is_empty());
        let no_wss = Findings { wss_echo: Some(false), ..passed };
        assert!(!no_wss.passed());
        assert!(fixes(iphone, no_wss, true)[0].contains("full trust"));
        let untested = Findings { https: true, ..Findings::default() };
        assert!(!untested.passed(), "a device that never ran the check page has not passed");
    }
}
