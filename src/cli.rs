//! The command line, and nothing else: clap definitions that commands turn into validated options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::pki::keys::KeyAlgorithm;
use crate::pki::leaf::{MAX_DAYS, MIN_DAYS};

#[derive(Debug, Parser)]
#[command(
    name = "tlsforge",
    version,
    about = "Local and self-hosted HTTPS/WSS made painless",
    long_about = "Local and self-hosted HTTPS/WSS made painless: certificates with proper SANs, \
                  self-signed or from a local name-constrained CA.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a certificate and key for domains and IP addresses.
    #[command(after_help = GEN_EXAMPLES)]
    Gen(GenArgs),
    /// Manage tlsforge's local certificate authority.
    #[command(subcommand)]
    Ca(CaCommand),
    /// Show what certificates, keys and requests hold, and when certificates expire.
    #[command(after_help = INSPECT_AFTER_HELP)]
    Inspect(InspectArgs),
}

const INSPECT_AFTER_HELP: &str = "\
Exit status: 0 all read, nothing expired; 1 a certificate has expired (or expires within
--expiring-within); 2 an input could not be read or parsed, or bad usage.

Examples:
  tlsforge inspect server.crt
  tlsforge inspect /etc/ssl/certs/ca-certificates.crt --format json
  tlsforge inspect --expiring-within 30d /etc/letsencrypt/live/ --recursive
  openssl s_client -connect example.test:443 -showcerts </dev/null | tlsforge inspect -
  tlsforge inspect --connect localhost:8443";

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files (PEM or DER, any number of certificates, keys and requests), directories, or - for stdin
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
  tlsforge gen --key rsa-2048 --format json";

#[derive(Debug, Args)]
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

    #[command(flatten)]
    pub ca_dir: CaDirArg,

    /// Also allow the certificate for TLS client authentication
    #[arg(long)]
    pub client: bool,

    /// Replace existing files
    #[arg(short, long)]
    pub force: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create the local CA (name-constrained to local names unless --unconstrained).
    #[command(after_help = "Examples:\n  tlsforge ca init\n  tlsforge ca init --permit corp.example --force")]
    Init(CaInitArgs),
    /// Describe the local CA.
    Show(CaShowArgs),
    /// Print the local CA's directory.
    Path(CaPathArgs),
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

fn parse_days(value: &str) -> Result<u32, String> {
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
