//! What a client decides about a certificate: the one answer every command shows (`trust`,
//! `untrust`, `trust --check`, `doctor`). Each backend names the clients that read its store
//! and judges with their rules, from the data they read.

use serde::Serialize;

/// A family of clients that read one store the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Client {
    /// OpenSSL and friends reading the system bundle: curl, Python, Ruby, PHP, Go, Node with
    /// `--use-openssl-ca`.
    Openssl,
    /// Chrome, Chromium, Brave, Edge, Vivaldi on Linux: one NSS database.
    Chromium,
    /// One Firefox profile's NSS database.
    Firefox,
    /// The JDK whose cacerts this is.
    Java,
    /// Safari, Chrome and curl on macOS: the keychain's trust settings.
    Macos,
    /// Edge, Chrome and .NET on Windows: the certificate store.
    Windows,
}

/// Trusted, not trusted, or not known (the store could not be read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Trust {
    Trusted,
    NotTrusted,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(clippy::struct_field_names, reason = "`verdict` is the field's name in the JSON report")]
pub(crate) struct Verdict {
    pub client: Client,
    /// For people: "Chromium", "Firefox profile default-esr", ...
    pub name: String,
    /// What the client reads: a file, a directory, a store name.
    pub path: String,
    pub verdict: Trust,
    /// Why, in a few words: the entry and its flags, or what is missing.
    pub reason: String,
}

impl Verdict {
    pub(crate) fn of(client: Client, name: impl Into<String>, path: impl Into<String>) -> VerdictBuilder {
        VerdictBuilder { client, name: name.into(), path: path.into() }
    }

    pub(crate) fn trusted(&self) -> bool {
        self.verdict == Trust::Trusted
    }
}

/// The client and what it reads, waiting for the verdict.
#[derive(Debug, Clone)]
pub(crate) struct VerdictBuilder {
    client: Client,
    name: String,
    path: String,
}

impl VerdictBuilder {
    pub(crate) fn is(self, trusted: bool, reason: impl Into<String>) -> Verdict {
        let verdict = if trusted { Trust::Trusted } else { Trust::NotTrusted };
        self.with(verdict, reason)
    }

    pub(crate) fn unknown(self, reason: impl Into<String>) -> Verdict {
        self.with(Trust::Unknown, reason)
    }

    fn with(self, verdict: Trust, reason: impl Into<String>) -> Verdict {
        Verdict { client: self.client, name: self.name, path: self.path, verdict, reason: reason.into() }
    }
}

/// Every client trusts it (and there is at least one).
pub(crate) fn all_trusted(verdicts: &[Verdict]) -> bool {
    !verdicts.is_empty() && verdicts.iter().all(Verdict::trusted)
}

/// How a set of clients stands together: the basis of `trust --check`'s exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Overall {
    /// Every client trusts it.
    Trusted,
    /// Some do, some do not.
    Partial,
    /// None does (or there is no client to ask).
    NotTrusted,
}

impl Overall {
    pub(crate) fn of<'a>(trusted: impl IntoIterator<Item = &'a bool>) -> Self {
        let (mut yes, mut no) = (0, 0);
        for &t in trusted {
            if t {
                yes += 1;
            } else {
                no += 1;
            }
        }
        match (yes, no) {
            (0, _) => Self::NotTrusted,
            (_, 0) => Self::Trusted,
            _ => Self::Partial,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_is_all_some_or_none() {
        assert_eq!(Overall::of(&[true, true]), Overall::Trusted);
        assert_eq!(Overall::of(&[true, false, true]), Overall::Partial);
        assert_eq!(Overall::of(&[false, false]), Overall::NotTrusted);
        assert_eq!(Overall::of(&[]), Overall::NotTrusted, "no client trusts it");
    }

    #[test]
    fn unknown_is_not_trusted() {
        let v = Verdict::of(Client::Java, "Java", "/x").unknown("keytool failed");
        assert!(!v.trusted());
        assert!(!all_trusted(&[v]));
        assert!(!all_trusted(&[]));
        let json =
            serde_json::to_value(Verdict::of(Client::Firefox, "Firefox profile a", "/p").is(true, "ok"))
                .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"client": "firefox", "name": "Firefox profile a", "path": "/p",
                               "verdict": "trusted", "reason": "ok"})
        );
    }
}
