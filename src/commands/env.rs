//! `tlsforge env`: the variables services read (`SSL_CERT_PATH`, `SSL_KEY_PATH`, `ENABLE_SSL`)
//! and, with `--client-trust`, the ones clients read, as a snippet for a shell or a format, or
//! set in a `.env` file.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::EnvArgs;
use crate::config::template::{Field, FillError, Template};
use crate::config::{self, Shell, Variable, bundle, detect, dotenv, dotenv::Dispute, quote::Rule};
use crate::error::Error;
use crate::fsutil::{self, NewFile};
use crate::host::{Host, SYSTEM_BUNDLE_VAR};
use crate::input;
use crate::pki::content;
use crate::pki::issuer::{self, Anchor};
use crate::pki::pair::{self, CertKeyPair};
use crate::report::env::{BundleReport, EnvReport, WriteReport};

/// Validated options for one `env` run.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The format: `dotenv` with `write`.
    pub shell: Shell,
    /// `--shell` as given (repeated in the hint that says how to load the snippet).
    pub shell_given: Option<Shell>,
    /// `--cert` and `--key` as given (defaults: `./server.crt` and the `.key` beside it).
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub disable: bool,
    pub client_trust: bool,
    /// `--write FILE`: set the variables in this `.env` file instead of printing.
    pub write: Option<PathBuf>,
    pub ca_dir: Option<PathBuf>,
}

/// What `env` did.
#[derive(Debug)]
pub(crate) enum Done {
    Printed(EnvReport),
    Written(WriteReport),
}

impl Options {
    pub(crate) fn from_args(args: &EnvArgs, host: &Host) -> Result<Self> {
        let shell = match (&args.write, args.shell) {
            (Some(_), _) => Shell::Dotenv,
            (None, Some(shell)) => shell,
            (None, None) => detected_shell(host)?,
        };
        Ok(Self {
            shell,
            shell_given: args.shell,
            cert: args.pair.cert.clone(),
            key: args.pair.key.clone(),
            disable: args.disable,
            client_trust: args.client_trust,
            write: args.write.clone(),
            ca_dir: args.ca_dir.path.clone(),
        })
    }
}

/// The snippet (or the `.env` update), built before anything is written: a value the format
/// cannot carry writes nothing.
pub(crate) fn execute(options: &Options, host: &Host) -> Result<Done> {
    let (vars, bundle) = if options.disable {
        (vec![Variable::new(config::ENABLE_SSL, "false")], None)
    } else {
        let pair = load_pair(options.cert.as_deref(), options.key.as_deref(), host)?;
        let mut vars = vec![
            Variable::new(config::SSL_CERT_PATH, utf8(pair.cert_path())?),
            Variable::new(config::SSL_KEY_PATH, utf8(pair.key_path())?),
            Variable::new(config::ENABLE_SSL, "true"),
        ];
        let bundle = if options.client_trust {
            Some(client_trust(&pair, options.ca_dir.clone(), host, &mut vars)?)
        } else {
            None
        };
        (vars, bundle)
    };
    if let Some(file) = &options.write {
        return write_dotenv(&host.absolute(file), &vars, bundle).map(Done::Written);
    }
    let shell = options.shell;
    let snippet = fill(shell.template(), shell.name(), &vars, &[])?;
    let bundle = bundle.map(write_bundle).transpose()?;
    let load_hint = load_hint(shell, options);
    Ok(Done::Printed(EnvReport { snippet, load_hint, bundle }))
}

/// The shell `$SHELL` (or PowerShell's `PSModulePath`) names.
pub(crate) fn detected_shell(host: &Host) -> Result<Shell> {
    let clues = detect::Clues {
        shell: host.shell.as_deref(),
        ps_module_path: host.ps_module_path.as_deref(),
        windows: cfg!(windows),
    };
    detect::shell(clues).map_err(|name| {
        Error::input(format!("tlsforge has no format for the shell {name:?} ($SHELL)"))
            .hint("pass --shell bash|zsh|sh|fish|powershell|cmd|dotenv|json")
            .into()
    })
}

/// `--cert` (default `./server.crt`) and `--key` (default: the certificate's path ending in
/// `.key`), read and checked.
pub(crate) fn load_pair(cert: Option<&Path>, key: Option<&Path>, host: &Host) -> Result<CertKeyPair> {
    let cert = cert.map_or_else(|| PathBuf::from("server.crt"), Path::to_path_buf);
    let key = key.map_or_else(|| cert.with_extension("key"), Path::to_path_buf);
    pair::load(&host.absolute(&cert), &host.absolute(&key))
}

/// A path as text: every format here writes text.
pub(crate) fn utf8(path: &Path) -> Result<String> {
    path.to_str().map(str::to_owned).ok_or_else(|| {
        Error::failed(format!(
            "{} is not valid UTF-8, which the snippet formats cannot carry",
            path.display()
        ))
        .hint("move the files to a path with a UTF-8 name")
        .into()
    })
}

/// Fill `template`; a value the format cannot carry becomes an error that says which and why.
pub(crate) fn fill(
    template: Template,
    format: &str,
    vars: &[Variable],
    fields: &[(&str, Field<'_>)],
) -> Result<String> {
    template.fill(vars, fields).map_err(|err| match err {
        FillError::Unrepresentable { name, value, cause } => {
            let hint = match template.rule {
                Rule::Cmd => "use --shell powershell, or move the files to a path without it",
                Rule::Dotenv => {
                    "move the files to a path without it, or use --shell bash to see the exact value"
                }
                _ => "move the files to a path without it",
            };
            Error::failed(format!("{format} cannot carry {name} = {value:?} safely: {cause}"))
                .hint(hint)
                .into()
        }
        FillError::UnknownPlaceholder { .. } => anyhow::Error::new(err),
    })
}

/// The combined bundle, planned: written only once every value is known to fit the format.
#[derive(Debug)]
struct PlannedBundle {
    path: PathBuf,
    text: String,
    report: BundleReport,
}

/// Add the client-trust variables and plan the combined bundle.
fn client_trust(
    pair: &CertKeyPair,
    ca_dir: Option<PathBuf>,
    host: &Host,
    vars: &mut Vec<Variable>,
) -> Result<PlannedBundle> {
    let (anchor_path, anchor_der, added) = trust_anchor(pair, ca_dir, host)?;
    let (system_path, system_text) = system_bundle(host.system_bundle.as_deref())?;
    let path = bundle::path_for(pair.cert_path());
    let text = bundle::combine(&system_text, &anchor_der, &added);
    vars.push(Variable::new(config::NODE_EXTRA_CA_CERTS, utf8(&anchor_path)?));
    let bundle_text = utf8(&path)?;
    for name in config::BUNDLE_VARIABLES {
        vars.push(Variable::new(name, bundle_text.clone()));
    }
    let report = BundleReport {
        path: path.clone(),
        system_count: bundle::count_certificates(&system_text),
        system_path,
        added,
        written: true,
    };
    Ok(PlannedBundle { path, text, report })
}

/// What clients must trust: a self-signed certificate itself, or the local CA that issued it.
fn trust_anchor(
    pair: &CertKeyPair,
    ca_dir: Option<PathBuf>,
    host: &Host,
) -> Result<(PathBuf, Vec<u8>, String)> {
    if let Some(Anchor::Itself { .. }) = issuer::anchor(pair.cert_der(), None, None) {
        return Ok((
            pair.cert_path().to_path_buf(),
            pair.cert_der().to_vec(),
            format!("the certificate {}", pair.subject()),
        ));
    }
    let dir = super::ca::dir(ca_dir, host)?;
    let ca_path = dir.cert_path();
    // Clients are told to trust this file: not when other users could have swapped it.
    if ca_path.exists() {
        dir.check_private(false)?;
        dir.recover()?;
    }
    let local = input::read(&ca_path, input::CERTIFICATE)
        .ok()
        .and_then(|bytes| content::first_certificate(&bytes).ok());
    if let (Some(Anchor::LocalCa), Some(der)) =
        (issuer::anchor(pair.cert_der(), None, local.as_deref()), local)
    {
        let subject = x509_parser::parse_x509_certificate(&der).map(|(_, c)| c.subject().to_string())?;
        return Ok((ca_path, der, format!("tlsforge's local CA {subject}")));
    }
    Err(Error::failed(format!(
        "{} was issued by {}, which is neither the certificate itself nor tlsforge's local CA in {}",
        pair.cert_path().display(),
        pair.issuer(),
        dir.path().display()
    ))
    .hint("pass --ca-dir DIR if the local CA lives elsewhere; for another CA, give clients its certificate yourself")
    .into())
}

fn system_bundle(explicit: Option<&Path>) -> Result<(PathBuf, String)> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(path) => vec![path.to_path_buf()],
        None => bundle::SYSTEM_BUNDLES.iter().map(PathBuf::from).collect(),
    };
    bundle::find_system_bundle(&candidates).ok_or_else(|| {
        let message = match &explicit {
            Some(path) => format!("{SYSTEM_BUNDLE_VAR}={} is not a readable PEM bundle of certificates", path.display()),
            None => format!(
                "found no system CA bundle (looked for {}); a bundle of the certificate alone would break every public site",
                bundle::SYSTEM_BUNDLES.join(", ")
            ),
        };
        Error::failed(message)
            .hint(format!(
                "set {SYSTEM_BUNDLE_VAR}=PATH to your system's PEM bundle of trusted roots, or drop --client-trust"
            ))
            .into()
    })
}

/// Write the bundle unless it already holds exactly this.
fn write_bundle(planned: PlannedBundle) -> Result<BundleReport> {
    let PlannedBundle { path, text, mut report } = planned;
    if input::read(&path, input::BUNDLE).is_ok_and(|old| old == text.as_bytes()) {
        report.written = false;
    } else {
        fsutil::write_all(&[NewFile::public(path, text.as_bytes())], true)?;
    }
    Ok(report)
}

/// `file` is absolute: it is shown as it is.
fn write_dotenv(file: &Path, vars: &[Variable], bundle: Option<PlannedBundle>) -> Result<WriteReport> {
    let shown = file.to_path_buf();
    // Write through a symlink to the file it points at, rather than replacing the link.
    let target = fs::canonicalize(file).unwrap_or_else(|_| shown.clone());
    // Concurrent writers take turns over the whole read-modify-write, so none loses another's
    // variables; a temporary file a killed writer left behind is removed first.
    let set = fsutil::FileSet::of_file(&target);
    let lock = set.lock()?;
    let (existing, permissions) = match input::read(&target, input::DOTENV) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::failed(format!("{} is not a UTF-8 text file; leaving it alone", shown.display()))
            })?;
            (Some(text), fs::metadata(&target).ok())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
        Err(e) => return Err(Error::failed(format!("cannot read {}: {e}", shown.display())).into()),
    };
    let mut assignments = Vec::with_capacity(vars.len());
    for var in vars {
        let value = Rule::Dotenv.quote(&var.value).map_err(|cause| {
            Error::failed(format!("a .env file cannot carry {} = {:?} safely: {cause}", var.name, var.value))
                .hint("move the files to a path without it, or use --shell bash to see the exact value")
        })?;
        assignments.push((var.name, value));
    }
    let updated = dotenv::update(existing.as_deref().unwrap_or(""), &assignments).map_err(|disputed| {
        Error::failed(format!("{} {disputed}; leaving it alone", shown.display())).hint(match disputed.why {
            Dispute::Unclosed(_) => "close the quote or remove the line: readers skip it, and a quote written after it would swallow every line in between",
            Dispute::Backslash(_) => "write that value on one line (\\n for line breaks inside double quotes) so that every reader sees the same assignments",
            Dispute::NotAnAssignment => "make it a comment (# at its start) or a KEY=value line, then run this again",
            Dispute::CarriageReturn => "convert its line endings to LF or CRLF (for example with dos2unix -c mac), then run this again",
        })
    })?;
    // A read-only file says "do not change me": root could, but tlsforge does not.
    if existing.as_deref() != Some(updated.text.as_str())
        && permissions.as_ref().is_some_and(|m| m.permissions().readonly())
    {
        return Err(Error::failed(format!("{} is read-only; leaving it alone", shown.display()))
            .hint(format!(
                "make it writable first (chmod u+w {}), or set the variables another way",
                crate::text::shell_path(&shown)
            ))
            .into());
    }
    let bundle = bundle.map(write_bundle).transpose()?;
    if existing.as_deref() != Some(updated.text.as_str()) {
        match permissions {
            // Written 0600 first, then given the file's own mode back: never looser, even briefly.
            Some(metadata) => {
                lock.write(&[NewFile::private(target.clone(), updated.text.as_bytes())], true)?;
                keep_owner(&target, &metadata).map_err(|e| {
                    Error::failed(format!("cannot give {} back to its owner: {e}", shown.display()))
                })?;
                fs::set_permissions(&target, metadata.permissions()).map_err(|e| {
                    Error::failed(format!("cannot restore the permissions of {}: {e}", shown.display()))
                })?;
            }
            None => lock.write(&[NewFile::public(target.clone(), updated.text.as_bytes())], false)?,
        }
    }
    Ok(WriteReport {
        path: shown,
        created: existing.is_none(),
        replaced: updated.replaced,
        added: updated.added,
        bundle,
    })
}

/// The rewritten file belongs to whoever owned the old one (tlsforge run as root on a user's
/// `.env` must not take it over); before its mode is restored, so it is never looser.
#[cfg(unix)]
fn keep_owner(path: &Path, old: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = fs::metadata(path)?;
    if (now.uid(), now.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(path, Some(old.uid()), Some(old.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// How to load the snippet, repeating the options given.
fn load_hint(shell: Shell, given: &Options) -> Option<String> {
    let mut options = String::new();
    if let Some(shell) = given.shell_given {
        let _ = write!(options, " --shell {}", shell.name());
    }
    // Not --ca-dir: it may come from TLSFORGE_CA_DIR, which the user's shell already has.
    for (flag, path) in [("--cert", &given.cert), ("--key", &given.key)] {
        if let Some(path) = path {
            let _ = write!(options, " {flag} {}", crate::text::shell_path(path));
        }
    }
    for (flag, on) in [("--disable", given.disable), ("--client-trust", given.client_trust)] {
        if on {
            options.push(' ');
            options.push_str(flag);
        }
    }
    let command = format!("tlsforge env{options}");
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Sh => {
            Some(format!("load it into your shell: eval \"$({command})\""))
        }
        Shell::Fish => Some(format!("load it into fish: {command} | source")),
        Shell::Powershell => Some(format!("load it into PowerShell: {command} | Invoke-Expression")),
        Shell::Cmd => Some(format!("save it and run it: {command} > ssl-env.cmd, then call ssl-env.cmd")),
        Shell::Dotenv => {
            let options = options.replace(" --shell dotenv", "");
            Some(format!(
                "set these in a .env file, keeping its other lines: tlsforge env{options} --write .env"
            ))
        }
        Shell::Json => None,
    }
}
