//! Environment snippets and configuration templates: the variables services and clients read,
//! written exactly for each shell or file format.
//!
//! - [`quote`]: one quoting rule per format;
//! - [`template`]: the format texts from `templates/`, and the filler;
//! - [`detect`]: which shell the user runs;
//! - [`bundle`]: the system roots plus a development certificate, for clients;
//! - [`dotenv`]: updating some keys of a `.env` file and keeping everything else;
//! - [`kubernetes`]: a TLS Secret and cert-manager objects, as YAML.

pub(crate) mod bundle;
pub(crate) mod detect;
pub(crate) mod dotenv;
pub(crate) mod kubernetes;
pub(crate) mod quote;
pub(crate) mod template;

use clap::ValueEnum;

use template::Template;

/// The variables services read (the names the `setup_ssl` scripts used).
pub(crate) const SSL_CERT_PATH: &str = "SSL_CERT_PATH";
pub(crate) const SSL_KEY_PATH: &str = "SSL_KEY_PATH";
pub(crate) const ENABLE_SSL: &str = "ENABLE_SSL";
/// Node adds these certificates to its built-in roots.
pub(crate) const NODE_EXTRA_CA_CERTS: &str = "NODE_EXTRA_CA_CERTS";
/// OpenSSL (and Python's ssl), requests and curl *replace* their roots with these bundles.
pub(crate) const BUNDLE_VARIABLES: [&str; 3] = ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"];

/// One environment variable to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    pub value: String,
}

impl Variable {
    pub fn new(name: &'static str, value: impl Into<String>) -> Self {
        Self { name, value: value.into() }
    }
}

/// The formats `tlsforge env` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    /// POSIX sh: dash, ash, ksh
    Sh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    Cmd,
    /// A .env file
    Dotenv,
    /// A JSON object of variables
    Json,
}

impl Shell {
    pub fn template(self) -> Template {
        match self {
            Self::Bash => template::BASH,
            Self::Zsh => template::ZSH,
            Self::Sh => template::SH,
            Self::Fish => template::FISH,
            Self::Powershell => template::POWERSHELL,
            Self::Cmd => template::CMD,
            Self::Dotenv => template::DOTENV,
            Self::Json => template::JSON,
        }
    }

    /// The `--shell` value.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bash => "bash",
            Self::Zsh => "zsh",
            Self::Sh => "sh",
            Self::Fish => "fish",
            Self::Powershell => "powershell",
            Self::Cmd => "cmd",
            Self::Dotenv => "dotenv",
            Self::Json => "json",
        }
    }
}
