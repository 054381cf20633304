//! The command line, and nothing else: clap definitions that commands turn into validated options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::pki::export::ExportFormat;
use crate::pki::keys::KeyAlgorithm;
use crate::pki::p12::P12Profile;
use crate::pki::validity::{MAX_DAYS, MIN_DAYS};

#[derive(Debug, Parser)]
#[command(
    name = "tlsforge",
    version,
    about = "Local and self-hosted HTTPS/WSS made painless",
    long_about = "Local and self-hosted HTTPS/WSS made painless: certificates with proper SANs, \
                  self-signed or from a local name-constrained CA.",
    after_help = TOP_LEVEL_EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[arg(
        long,
        global = true,
        value_name = "WHEN",
        value_enum,
        default_value_t = ColorWhen::Auto,
        help = "When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never"
    )]
    pub color: ColorWhen,
}

pub use crate::render::Format;
pub use crate::render::color::ColorWhen;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a certificate and key for domains and IP addresses.
    #[command(after_help = GEN_EXAMPLES)]
    Gen(GenArgs),
    /// Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests.
    #[command(after_help = EXPORT_AFTER_HELP)]
    Export(ExportArgs),
    /// Manage tlsforge's local certificate authority.
    #[command(subcommand, after_help = CA_EXAMPLES)]
    Ca(CaCommand),
    /// Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it.
    #[command(after_help = SHARE_AFTER_HELP)]
    Share(ShareArgs),
    /// HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA.
    #[command(after_help = PROXY_AFTER_HELP)]
    Proxy(ProxyArgs),
    /// List every certificate tlsforge wrote: days left, and whether its files are still the ones written.
    #[command(after_help = LIST_AFTER_HELP)]
    List(ListArgs),
    /// Re-issue recorded certificates that expire soon, then reload what serves them.
    #[command(after_help = RENEW_AFTER_HELP)]
    Renew(RenewArgs),
    /// Show what certificates, keys and requests hold, and when certificates expire.
    #[command(after_help = INSPECT_AFTER_HELP)]
    Inspect(InspectArgs),
    /// Trust a certificate (default: the local CA) in the system, browser and Java stores.
    #[command(after_help = TRUST_EXAMPLES)]
    Trust(TrustArgs),
    /// Remove what `trust` added for a certificate, and nothing else.
    #[command(after_help = UNTRUST_EXAMPLES)]
    Untrust(UntrustArgs),
    #[command(
        about = "Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON",
        after_help = ENV_EXAMPLES
    )]
    Env(EnvArgs),
    /// Print configuration that uses the certificate: an nginx server block, a compose service.
    #[command(subcommand, after_help = SNIPPET_EXAMPLES)]
    Snippet(SnippetCommand),
    /// Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures.
    #[command(after_help = DOCTOR_AFTER_HELP)]
    Doctor(DoctorArgs),
    /// Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service.
    #[command(after_help = SETUP_EXAMPLES)]
    Setup(SetupArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print a man page (roff) for tlsforge or one of its subcommands.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

// The quick start, in order: a certificate, trusted, in the service's environment, checked.
const TOP_LEVEL_EXAMPLES: &str = "\
Examples:
  tlsforge gen --domain localhost --days 365      # server.crt and server.key here
  tlsforge trust server.crt                       # browsers and curl trust it
  tlsforge env --write .env                       # SSL_CERT_PATH, SSL_KEY_PATH, ENABLE_SSL
  tlsforge doctor --connect localhost:5443        # once the service is running";

const MAN_EXAMPLES: &str = "\
Examples:
  tlsforge man | man -l -
  tlsforge man gen > tlsforge-gen.1
  tlsforge man > ~/.local/share/man/man1/tlsforge.1    # then: man tlsforge";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  tlsforge completions bash > ~/.local/share/bash-completion/completions/tlsforge
  tlsforge completions zsh > ~/.zfunc/_tlsforge      # with fpath+=(~/.zfunc) before compinit
  tlsforge completions fish > ~/.config/fish/completions/tlsforge.fish
  tlsforge completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page instead of the main one (e.g. `gen`)
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

const LIST_AFTER_HELP: &str = "\
The inventory is inventory.json in the data directory (e.g. ~/.local/share/tlsforge), or
$TLSFORGE_INVENTORY. gen and setup record every certificate they write; share and proxy keep
theirs in memory and record nothing.

Exit status: 0 listed; 1 the inventory could not be read or written; 2 bad usage or input.

Examples:
  tlsforge list
  tlsforge list --expiring-within 30d --format json
  tlsforge list --prune                      # forget certificates whose files are gone
  tlsforge list --adopt ssl/server.crt       # record a certificate made before";

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Show only certificates that expire within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)
    #[arg(long, value_name = "DURATION")]
    pub expiring_within: Option<String>,

    /// Forget certificates whose files are gone
    #[arg(long)]
    pub prune: bool,

    /// Record these certificates (PEM, with NAME.key beside NAME.crt) made before the inventory existed
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub adopt: Vec<PathBuf>,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

const RENEW_AFTER_HELP: &str = "\
Re-issues with the same names, key type, days and issuer (a new key unless --reuse-key), as
gen --force does. Due by default: a third of its lifetime (at least 7 days) left. --exec runs
once per renewed certificate (sh -c on Unix, cmd /C on Windows) with TLSFORGE_CERT, TLSFORGE_KEY,
TLSFORGE_P12 (with --p12), TLSFORGE_CA (the local CA's certificate) and TLSFORGE_NAMES set.
A renewed self-signed certificate must be trusted again (--trust does it); one from the local
CA needs nothing.

Exit status: 0 nothing due, or all renewed; 1 a renewal (or its --exec) failed, or the timer
could not be installed; 2 bad usage or input.

Examples:
  tlsforge renew --dry-run                   # what is due, changing nothing
  tlsforge renew --within 30d --exec 'systemctl reload nginx'
  tlsforge renew ssl/server.crt --all --trust
  tlsforge renew --install-timer             # every day, as you (systemd, launchd, Task Scheduler)";

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "one per flag")]
pub struct RenewArgs {
    /// Only these recorded certificates (their .crt, .key or .p12) [default: every one recorded]
    #[arg(value_name = "PATH", conflicts_with_all = ["install_timer", "uninstall_timer"])]
    pub paths: Vec<PathBuf>,

    /// Renew what expires within DURATION: 30d, 12h, 90m (a bare number is days) [default: a third of its lifetime, at least 7d]
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["all", "install_timer", "uninstall_timer"])]
    pub within: Option<String>,

    /// Renew every selected certificate, due or not
    #[arg(long, conflicts_with_all = ["install_timer", "uninstall_timer"])]
    pub all: bool,

    /// Sign for the key already there instead of making a new one
    #[arg(long, conflicts_with_all = ["install_timer", "uninstall_timer"])]
    pub reuse_key: bool,

    /// Run CMD after each renewal (reload the service), with its paths in the environment
    #[arg(long, value_name = "CMD", conflicts_with_all = ["install_timer", "uninstall_timer"])]
    pub exec: Option<String>,

    /// Trust each renewed self-signed certificate again (`tlsforge trust CERT`)
    #[arg(long, conflicts_with_all = ["install_timer", "uninstall_timer"])]
    pub trust: bool,

    /// Print what would be done and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Run `tlsforge renew` daily as you: a systemd user timer, a launchd agent or a scheduled task
    #[arg(long, conflicts_with = "uninstall_timer")]
    pub install_timer: bool,

    /// Remove what --install-timer installed
    #[arg(long)]
    pub uninstall_timer: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

const INSPECT_AFTER_HELP: &str = "\
Exit status: 0 all read, nothing expired; 1 a certificate has expired (or expires within
--expiring-within), or with --lint a client refuses one (lint warnings leave it 0); 2 an input
could not be read or parsed, or bad usage.

Examples:
  tlsforge inspect server.crt --lint                  # and what Python, Apple, Chrome refuse
  tlsforge inspect /etc/ssl/certs/ca-certificates.crt --format json
  tlsforge inspect /etc/letsencrypt/live/example.com/fullchain.pem --expiring-within 30d
  tlsforge inspect --connect localhost:8443           # the chain a running server sends";

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files (PEM, DER or PKCS#12; any number of certificates, keys and requests), directories, or - for stdin
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Inspect the chain a TLS server sends, and whether it is trusted; repeatable
    #[arg(long = "connect", value_name = "HOST:PORT")]
    pub connects: Vec<String>,

    /// Server name to send (SNI) and check the certificate against [default: HOST]
    #[arg(long, value_name = "NAME", requires = "connects")]
    pub servername: Option<String>,

    /// Descend into subdirectories of directories
    #[arg(short, long)]
    pub recursive: bool,

    /// Exit 1 when a certificate expires within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)
    #[arg(long, value_name = "DURATION")]
    pub expiring_within: Option<String>,

    /// Seconds to wait for a --connect server
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// Check each certificate against the rules real clients enforce (Python 3.13+ strict, Apple, Chrome, rustls, Firefox)
    #[arg(long)]
    pub lint: bool,

    #[command(flatten)]
    pub p12_password: P12PasswordArg,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

const GEN_EXAMPLES: &str = "\
Examples:
  tlsforge gen --domain localhost --days 365
  tlsforge gen --domain 192.168.1.100 --out ssl_config/certs
  tlsforge gen --ca app.test '*.app.test' 10.0.0.5
  tlsforge gen --ca app.test --p12         # also server.p12 for Windows and Java (asks a password)";

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "one per flag: --ca, --lan, --client, --force")]
pub struct GenArgs {
    /// Names to cover: DNS names or IP addresses [default: `localhost 127.0.0.1 ::1`]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// A DNS name to cover (an IP address given here becomes an IP SAN); repeatable
    #[arg(short, long = "domain", value_name = "NAME")]
    pub domains: Vec<String>,

    /// An IP address to cover; repeatable
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<String>,

    /// Days the certificate is valid (1..=825)
    #[arg(long, value_name = "N", default_value_t = 365, value_parser = parse_days)]
    pub days: u32,

    /// Directory to write into (created when missing)
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// Base name of the files: <NAME>.crt and <NAME>.key
    #[arg(short = 'n', long = "name", value_name = "BASENAME", default_value = "server")]
    pub basename: String,

    /// Key algorithm
    #[arg(short, long, value_name = "ALG", value_enum, default_value_t = KeyAlgorithm::EcdsaP256)]
    pub key: KeyAlgorithm,

    /// Issue from tlsforge's local CA (created on first use) instead of self-signing
    #[arg(long)]
    pub ca: bool,

    /// Also cover this machine's LAN addresses and HOSTNAME.local: what other devices type
    #[arg(long)]
    pub lan: bool,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    /// Also allow the certificate for TLS client authentication
    #[arg(long)]
    pub client: bool,

    /// Also write <NAME>.p12 (PKCS#12: certificate, key and, with --ca, the CA; readable by you only)
    #[arg(long)]
    pub p12: bool,

    #[command(flatten)]
    pub p12_options: P12Args,

    /// Replace existing files
    #[arg(short, long)]
    pub force: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// How a PKCS#12 file is protected: `gen --p12` and `export --as p12`.
#[derive(Debug, Args)]
pub struct P12Args {
    /// PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)
    #[arg(long, value_name = "PROFILE", value_enum, default_value_t = P12Profile::Compat)]
    pub p12_profile: P12Profile,

    #[command(flatten)]
    pub password: P12PasswordArg,
}

#[derive(Debug, Args)]
pub struct P12PasswordArg {
    /// Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]
    #[arg(long, value_name = "FILE")]
    pub p12_password_file: Option<PathBuf>,
}

const EXPORT_AFTER_HELP: &str = "\
Formats: der (a .cer for Windows and phones), fullchain (PEM: the certificate, then its issuer
from the local CA), p12 (PKCS#12 with the key; password as for gen --p12), k8s-secret (a
kubernetes.io/tls Secret), cert-manager (the local CA's Secret, an Issuer of kind CA that signs
with it, and an example Certificate). Binary formats and anything holding a private key are
never written to a terminal; a file holding a key is readable by you only.

Exit status: 0 written; 1 the files could not be read or written; 2 bad usage or input.

Examples:
  tlsforge export --as der --out tlsforge-ca.cer           # the local CA, for Windows
  tlsforge export server.crt --as p12 --out server.p12 --p12-password-file pass.txt
  tlsforge export server.crt --as k8s-secret --namespace web | kubectl apply -f -
  tlsforge export --as cert-manager --cluster-issuer | kubectl apply -f -";

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The certificate (PEM) [default: the local CA's certificate]
    #[arg(value_name = "CERT")]
    pub cert: Option<PathBuf>,

    /// What to write
    #[arg(long = "as", value_name = "FORMAT", value_enum)]
    pub format: crate::pki::export::ExportAs,

    /// The key of CERT, for p12 and k8s-secret [default: CERT with .key; the local CA's own key]
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]
    #[arg(short = 'n', long, value_name = "NAME")]
    pub name: Option<String>,

    /// The Kubernetes namespace of the objects [default: none, so kubectl's current one;
    /// with --cluster-issuer the Secret goes to cert-manager]
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// cert-manager: a `ClusterIssuer` (every namespace) instead of an `Issuer`
    #[arg(long)]
    pub cluster_issuer: bool,

    #[command(flatten)]
    pub p12_options: P12Args,

    /// Replace an existing --out file
    #[arg(short, long)]
    pub force: bool,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

const ENV_EXAMPLES: &str = "\
Examples:
  tlsforge env                                      # bash, zsh, sh: eval \"$(tlsforge env)\"
  tlsforge env --shell powershell | Invoke-Expression
  tlsforge env --write .env                         # update only these keys in .env
  tlsforge env --client-trust                       # also make Node, Python, curl trust it";

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Output format [default: detected from $SHELL; PowerShell or cmd on Windows]
    #[arg(short, long, value_name = "SHELL", value_enum)]
    pub shell: Option<crate::config::Shell>,

    #[command(flatten)]
    pub pair: CertKeyArgs,

    #[arg(
        long,
        conflicts_with_all = ["client_trust", "cert", "key"],
        help = "Print ENABLE_SSL=false only: the service serves plain HTTP (no certificate needed)"
    )]
    pub disable: bool,

    #[arg(
        long,
        help = "Also set NODE_EXTRA_CA_CERTS, and SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE to a \
                bundle of the system roots plus the certificate (or the local CA), written next to it"
    )]
    pub client_trust: bool,

    /// Set these variables in a .env file (created if missing), keeping every other line
    #[arg(short, long, value_name = "FILE", conflicts_with = "shell")]
    pub write: Option<PathBuf>,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

#[derive(Debug, Args)]
pub struct CertKeyArgs {
    /// The certificate [default: ./server.crt]
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The private key [default: the certificate's path ending in .key, e.g. ./server.key]
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SnippetCommand {
    /// An nginx server block terminating HTTPS and WSS in front of a local service.
    #[command(after_help = NGINX_EXAMPLES)]
    Nginx(NginxArgs),
    /// A docker-compose service fragment mounting the certificate files read-only.
    #[command(after_help = COMPOSE_EXAMPLES)]
    Compose(ComposeArgs),
}

const SNIPPET_EXAMPLES: &str = "\
Examples:
  tlsforge snippet nginx > /etc/nginx/conf.d/app.conf
  tlsforge snippet compose --service web > compose.override.yaml";

const NGINX_EXAMPLES: &str = "\
Examples:
  tlsforge snippet nginx > /etc/nginx/conf.d/app.conf
  tlsforge snippet nginx --port 8443 --upstream http://127.0.0.1:8000
  tlsforge snippet nginx --cert /etc/letsencrypt/live/example.com/fullchain.pem \\
      --key /etc/letsencrypt/live/example.com/privkey.pem";

const COMPOSE_EXAMPLES: &str = "\
Examples:
  tlsforge snippet compose                        # for the service `app`, ./server.crt and .key
  tlsforge snippet compose --service web > compose.override.yaml   # docker compose merges it";

#[derive(Debug, Args)]
pub struct NginxArgs {
    #[command(flatten)]
    pub pair: CertKeyArgs,

    /// Port nginx listens on for HTTPS
    #[arg(long, value_name = "PORT", default_value_t = 443, value_parser = clap::value_parser!(u16).range(1..))]
    pub port: u16,

    /// The local service /api/ and /ws/ are passed to
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:3000")]
    pub upstream: String,
}

#[derive(Debug, Args)]
pub struct ComposeArgs {
    #[command(flatten)]
    pub pair: CertKeyArgs,

    /// Name of the compose service
    #[arg(long, value_name = "NAME", default_value = "app")]
    pub service: String,
}

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create the local CA (name-constrained to local names unless --unconstrained).
    #[command(after_help = CA_INIT_EXAMPLES)]
    Init(CaInitArgs),
    /// Describe the local CA.
    #[command(after_help = CA_SHOW_EXAMPLES)]
    Show(CaShowArgs),
    /// Print the local CA's directory.
    #[command(after_help = CA_PATH_EXAMPLES)]
    Path(CaPathArgs),
    /// Write the local CA's certificate (never its key) for other devices: PEM, DER, or an
    /// Apple configuration profile.
    #[command(after_help = CA_EXPORT_EXAMPLES)]
    Export(CaExportArgs),
}

const CA_EXPORT_EXAMPLES: &str = "\
Examples:
  tlsforge ca export > ca.pem                              # PEM, for most tools
  tlsforge ca export --format der --out tlsforge-ca.crt    # Android and Windows
  tlsforge ca export --format mobileconfig --out tlsforge-ca.mobileconfig   # iPhone, iPad, Mac";

#[derive(Debug, Args)]
pub struct CaExportArgs {
    /// What to write
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = ExportFormat::Pem)]
    pub format: ExportFormat,

    /// Write to FILE instead of stdout (DER and profiles are never written to a terminal)
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(short, long, requires = "out")]
    pub force: bool,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

const SHARE_AFTER_HELP: &str = "\
Serves, on one port, a page that installs the local CA (the file and steps for the visiting
device's OS) over plain HTTP, and a check page over HTTPS (a certificate from the local CA for
that address) that tests a secure context, the microphone/camera API and a wss:// echo. Prints
the page's address as a QR code; prints one line per device as it downloads and checks. Only
the CA's certificate is served, never its key. Creates the local CA if there is none.

Exit status: 0 stopped (timeout, Ctrl-C, or --once and a device passed); 1 with --once, no
device passed before the timeout; 2 bad usage.

Examples:
  tlsforge share                                  # on this machine's LAN address, a free port
  tlsforge share --listen 192.168.1.20:8080 --once
  tlsforge share --listen 127.0.0.1:0 --timeout 2m --format json";

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Where to listen: ADDR:PORT, or ADDR for a free port [default: this machine's LAN address]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,

    /// Stop after this long: 90s, 10m, 1h (a bare number is seconds; at most 24h)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_timeout)]
    pub timeout: u64,

    /// Stop as soon as a device passes every check
    #[arg(long)]
    pub once: bool,

    #[command(flatten)]
    pub format: FormatArg,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

/// `share --timeout`, in seconds: 1 second to 24 hours.
pub(crate) fn parse_timeout(value: &str) -> Result<u64, String> {
    let seconds = crate::text::seconds(value, 's')
        .ok_or_else(|| format!("'{value}' is not a duration: expected e.g. 90s, 10m, 1h or 90 (seconds)"))?;
    u64::try_from(seconds)
        .ok()
        .filter(|s| (1..=86_400).contains(s))
        .ok_or_else(|| "must be between 1s and 24h".to_owned())
}

const PROXY_AFTER_HELP: &str = "\
Terminates TLS (HTTP/1.1 and HTTP/2) and forwards to the service over plain HTTP, WebSocket
upgrades included, with Host kept and X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host and
Forwarded set. Paths go on unchanged. A plain http:// request on the port is redirected to
https://. Without --cert/--key, the certificate comes from the local CA (made if there is none)
for localhost, 127.0.0.1, ::1, HOSTNAME.local and, with --lan, every LAN address; it lives in
memory only. Backend down: 502; no answer within --backend-timeout: 504. Ctrl-C stops accepting
and lets requests in flight finish (up to 10 s).

Exit status: 0 stopped; 1 the port or the certificate could not be used; 2 bad usage.

Examples:
  tlsforge proxy --to 127.0.0.1:5000
  tlsforge proxy --to 127.0.0.1:5000 --route /api=127.0.0.1:5001 --route /ws=127.0.0.1:5003
  tlsforge proxy --lan --to 127.0.0.1:5000                     # phones: see `tlsforge share`
  tlsforge proxy --to 127.0.0.1:8080 --cert fullchain.pem --key privkey.pem --listen 0.0.0.0:443";

#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// The service to forward to: [http://]HOST:PORT
    #[arg(long, value_name = "HOST:PORT")]
    pub to: String,

    /// Send a path prefix to another service: PATH=HOST:PORT (/api=127.0.0.1:5001); repeatable
    #[arg(long = "route", value_name = "PATH=HOST:PORT")]
    pub routes: Vec<String>,

    /// Where to listen: ADDR:PORT [default: 127.0.0.1:5443; with --lan 0.0.0.0:5443]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,

    /// Serve this certificate (PEM, full chain) instead of one from the local CA
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// The key of --cert (PEM)
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Listen on every interface, and cover this machine's LAN addresses (phones, other computers)
    #[arg(long)]
    pub lan: bool,

    /// Add `Content-Security-Policy: upgrade-insecure-requests` to every response
    #[arg(long)]
    pub upgrade_insecure: bool,

    /// Seconds a backend may take to answer with a response head (then 504)
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub backend_timeout: u64,

    #[command(flatten)]
    pub format: FormatArg,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

const CA_EXAMPLES: &str = "\
Examples:
  tlsforge ca init                     # also done by the first `tlsforge gen --ca`
  tlsforge ca show --format json
  tlsforge ca path";

const CA_INIT_EXAMPLES: &str = "\
Examples:
  tlsforge ca init
  tlsforge ca init --permit corp.example --force    # also vouch for *.corp.example
  tlsforge ca init --key rsa-3072                   # for clients without ECDSA";

const CA_SHOW_EXAMPLES: &str = "\
Examples:
  tlsforge ca show
  tlsforge ca show --format json";

const CA_PATH_EXAMPLES: &str = "\
Examples:
  tlsforge ca path                     # e.g. ~/.local/share/tlsforge
  tlsforge ca path | xargs ls -l       # ca.crt, and ca.key readable by you only";

#[derive(Debug, Args)]
pub struct CaInitArgs {
    /// Also permit this DNS name (and its subdomains) or IP range (CIDR); repeatable
    #[arg(long = "permit", value_name = "NAME", conflicts_with = "unconstrained")]
    pub permits: Vec<String>,

    /// No name constraints at all: the CA can vouch for any name, real sites included
    #[arg(long)]
    pub unconstrained: bool,

    /// Replace an existing CA (certificates it issued stop verifying)
    #[arg(short, long)]
    pub force: bool,

    /// Key algorithm of the CA
    #[arg(short, long, value_name = "ALG", value_enum, default_value_t = KeyAlgorithm::EcdsaP256)]
    pub key: KeyAlgorithm,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CaShowArgs {
    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CaPathArgs {
    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

#[derive(Debug, Args)]
pub struct CaDirArg {
    /// Directory of the local CA [default: the user's data directory, e.g. ~/.local/share/tlsforge]
    #[arg(long = "ca-dir", value_name = "DIR", env = "TLSFORGE_CA_DIR")]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub(crate) fn parse_days(value: &str) -> Result<u32, String> {
    let days: u32 = value.parse().map_err(|_| format!("'{value}' is not a whole number of days"))?;
    if days < MIN_DAYS {
        return Err(format!("must be at least {MIN_DAYS}"));
    }
    if days > MAX_DAYS {
        return Err(format!(
            "at most {MAX_DAYS}: Apple platforms reject TLS server certificates valid for longer"
        ));
    }
    Ok(days)
}

const TRUST_EXAMPLES: &str = "\
Examples:
  tlsforge trust                      # the local CA, in every store found here
  tlsforge trust server.crt           # a self-signed certificate from `tlsforge gen`
  tlsforge trust --store nss --dry-run   # browsers only; print the steps, change nothing
  tlsforge trust server.crt --check --clients   # each client's verdict, then real handshakes";

const UNTRUST_EXAMPLES: &str = "\
Examples:
  tlsforge untrust
  tlsforge untrust server.crt --store system
  tlsforge untrust --dry-run";

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The certificate to trust [default: the local CA's certificate]
    #[arg(value_name = "CERT")]
    pub cert: Option<PathBuf>,

    #[command(flatten)]
    pub stores: StoreSelection,

    /// Print the steps (files, commands, which need root) and change nothing
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,

    /// Report what each client of the selected stores decides about CERT, by its own rules;
    /// exit 0 if every one trusts it, 3 if some do, 1 if none does
    #[arg(long)]
    pub check: bool,

    /// With --check: prove it with real handshakes; CERT is served on a loopback port and every
    /// client found (curl, Python, Node, Java, Chromium, Firefox) connects
    #[arg(long, requires = "check")]
    pub clients: bool,

    /// With --clients: the key of a self-signed CERT, to serve it [default: CERT with .key]
    #[arg(long, value_name = "FILE", requires = "clients")]
    pub key: Option<PathBuf>,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct UntrustArgs {
    /// The certificate to remove [default: the local CA's certificate]
    #[arg(value_name = "CERT")]
    pub cert: Option<PathBuf>,

    #[command(flatten)]
    pub stores: StoreSelection,

    /// Print the steps and change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Clone, Args)]
pub struct StoreSelection {
    /// A store to use; repeatable [default: every store found on this machine]
    #[arg(long = "store", value_name = "STORE", value_enum)]
    pub stores: Vec<StoreArg>,

    /// Windows and macOS: the machine-wide store (needs an administrator) instead of yours
    #[arg(long)]
    pub machine: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// The OS store: Linux anchors, the macOS keychain, the Windows Root store
    System,
    /// NSS databases: Chrome/Chromium on Linux, Firefox profiles
    Nss,
    /// Java's cacerts, through keytool
    Java,
    /// From WSL: the Windows host's store, through certutil.exe
    Windows,
    /// Every store found on this machine
    All,
}

const SETUP_EXAMPLES: &str = "\
Examples:
  tlsforge setup                                  # asks each question
  tlsforge setup --yes                            # the defaults: self-signed, localhost
  tlsforge setup --yes --purpose ca --domain app.test --store nss --env-file .env
  tlsforge setup --yes --purpose production \\
      --fullchain /etc/letsencrypt/live/example.com/fullchain.pem \\
      --privkey /etc/letsencrypt/live/example.com/privkey.pem

Every question has a flag; a flag given is not asked. Without a terminal, pass --yes.";

// Each yes/no question of the wizard is a flag: the bools are the interface.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Take the default for every question not answered by a flag; never prompt
    #[arg(short, long)]
    pub yes: bool,

    /// What the certificate is for [default: self-signed]
    #[arg(long, value_name = "PURPOSE", value_enum)]
    pub purpose: Option<Purpose>,

    /// Names to cover: DNS names or IP addresses [default: `localhost 127.0.0.1 ::1`]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// A DNS name to cover (an IP address given here becomes an IP SAN); repeatable
    #[arg(short, long = "domain", value_name = "NAME")]
    pub domains: Vec<String>,

    /// An IP address to cover; repeatable
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<String>,

    /// Days the certificate is valid (1..=825) [default: 365]
    #[arg(long, value_name = "N", value_parser = parse_days)]
    pub days: Option<u32>,

    /// Key algorithm [default: ecdsa-p256]
    #[arg(short, long, value_name = "ALG", value_enum)]
    pub key: Option<KeyAlgorithm>,

    /// Directory to write into [default: .]
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Base name of the files: <NAME>.crt and <NAME>.key [default: server]
    #[arg(short = 'n', long = "name", value_name = "BASENAME")]
    pub basename: Option<String>,

    /// Replace existing files without asking
    #[arg(short, long)]
    pub force: bool,

    /// Production: the certificate chain that exists already (Let's Encrypt's fullchain.pem)
    #[arg(long, value_name = "PATH")]
    pub fullchain: Option<PathBuf>,

    /// Production: its private key [default: privkey.pem beside --fullchain]
    #[arg(long, value_name = "PATH")]
    pub privkey: Option<PathBuf>,

    /// Trust the certificate (or the local CA) in this store now; repeatable [default: none]
    #[arg(long = "store", value_name = "STORE", value_enum, conflicts_with = "no_trust")]
    pub stores: Vec<StoreArg>,

    /// Trust nothing now (the question is not asked)
    #[arg(long)]
    pub no_trust: bool,

    /// The format of the printed env snippet [default: detected from $SHELL]
    #[arg(short, long, value_name = "SHELL", value_enum)]
    pub shell: Option<crate::config::Shell>,

    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "no_env_file",
        help = "Also set SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL in this .env file [default: none]"
    )]
    pub env_file: Option<PathBuf>,

    /// Write no .env file (the question is not asked)
    #[arg(long)]
    pub no_env_file: bool,

    /// Local CA: then put the CA on phones and other devices (`tlsforge share`, until Ctrl-C or 10 minutes)
    #[arg(long, conflicts_with = "no_share")]
    pub share: bool,

    /// Do not offer `tlsforge share` (the question is not asked)
    #[arg(long)]
    pub no_share: bool,

    #[command(flatten)]
    pub ca_dir: CaDirArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Purpose {
    /// Local development with a self-signed certificate
    SelfSigned,
    /// Local development with tlsforge's local CA (several services, phones and other devices)
    Ca,
    /// Production with certificates that exist already (Let's Encrypt): checked, never issued
    Production,
}

const DOCTOR_AFTER_HELP: &str = "\
Files: --cert/--key, else $SSL_CERT_PATH/$SSL_KEY_PATH, else ./server.crt and ./server.key.

Exit status: 0 nothing failed (warnings allowed); 1 a check failed (or, with --strict, warned);
2 bad usage.

Examples:
  tlsforge doctor
  tlsforge doctor --host 192.168.1.100 --connect localhost:8443
  tlsforge doctor --connect localhost:5443 --format github     # annotations in GitHub Actions
  tlsforge doctor --cert ssl/app.crt --key ssl/app.key --strict";

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The certificate [default: `$SSL_CERT_PATH`, else ./server.crt]
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The private key [default: --cert's path ending in .key, else `$SSL_KEY_PATH`, else ./server.key]
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,

    /// The CA certificate that issued it [default: tlsforge's local CA, when it did]
    #[arg(long, value_name = "PATH")]
    pub ca: Option<PathBuf>,

    /// A name clients use (DNS name or IP address) that the certificate must cover; repeatable
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,

    /// Check the service at HOST:PORT: listening, TLS, serving this certificate, verifying; repeatable
    #[arg(long = "connect", value_name = "HOST:PORT")]
    pub connects: Vec<String>,

    /// Warn when the certificate expires within N days
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_days: u32,

    /// Exit 1 on warnings too
    #[arg(long)]
    pub strict: bool,

    /// Seconds to wait for a --connect service
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    /// Output format
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = DoctorFormat::Human)]
    pub format: DoctorFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands (`::error`, `::warning`), for CI annotations
    Github,
}
