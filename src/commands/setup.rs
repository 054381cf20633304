//! `tlsforge setup`: the wizard that replaces the `setup_ssl` scripts. It asks what the flags do
//! not say, then calls the same code as `gen`, `trust` and `env`: there is no second way to
//! generate, trust or print the environment here.

mod interrupt;
mod local_names;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Result;
use clap::ValueEnum;
use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::cli::{Format, Purpose, SetupArgs, StoreArg};
use crate::commands::{env as env_cmd, generate, share, trust as trust_cmd};
use crate::config::Shell;
use crate::error::Error;
use crate::host::Host;
use crate::pki::keys::KeyAlgorithm;
use crate::pki::names::{DEFAULT_NAMES, SubjectName};
use crate::pki::pair::{self, CertKeyPair};
use crate::pki::validity::{MAX_DAYS, MIN_DAYS};
use crate::render;
use crate::render::color::{self, Stream};
use crate::report::setup::ProductionSummary;
use crate::report::trust::{Action, Status};
use crate::trust::runner::Quiet;
use crate::trust::{Selection, Store};

const DEFAULT_DAYS: u32 = 365;
const DEFAULT_BASENAME: &str = "server";
const DEFAULT_ENV_FILE: &str = ".env";
/// How long the share step of setup serves at most.
const SHARE_TIME: std::time::Duration = std::time::Duration::from_secs(600);

const FLAGS_HINT: &str = "every question has a flag: --purpose, NAME/--domain/--ip, --days, --key, --out, \
     --name, --force, --store/--no-trust, --shell, --env-file/--no-env-file, --share/--no-share; \
     production: --fullchain, \
     --privkey (see `tlsforge setup --help`)";

pub(crate) fn run(args: &SetupArgs, host: &Host) -> Result<()> {
    let interactive = !args.yes;
    if interactive && !super::can_ask() {
        return Err(Error::input(
            "setup has no terminal to ask on: pass --yes to take the defaults for every question no flag answers",
        )
        .hint(FLAGS_HINT)
        .into());
    }
    if interactive {
        // Ctrl-C at a prompt reaches dialoguer as a key (raw mode); elsewhere as SIGINT, which
        // must not kill a write or a trust step halfway.
        interrupt::install();
    }
    let mut wizard = Wizard { ask: interactive, host };
    wizard.run(args)
}

struct Wizard<'h> {
    ask: bool,
    host: &'h Host,
}

/// The certificate and key the service will use.
struct Pair {
    cert: PathBuf,
    key: PathBuf,
    /// What to trust: the certificate itself, or the local CA (`None`).
    trust_input: Option<PathBuf>,
}

impl Wizard<'_> {
    fn run(&mut self, args: &SetupArgs) -> Result<()> {
        let purpose = self.purpose(args)?;
        let pair = match purpose {
            Purpose::Production => self.production(args)?,
            Purpose::SelfSigned | Purpose::Ca => self.generate(args, purpose == Purpose::Ca)?,
        };
        Self::checkpoint()?;
        let trust_result = if purpose == Purpose::Production {
            render::setup::note(
                "Production certificates are trusted through the public CA that issued them: nothing to trust here.",
            )?;
            Ok(())
        } else {
            self.trust(args, &pair)?
        };
        Self::checkpoint()?;
        self.environment(args, &pair)?;
        render::setup::next_steps(&pair.cert, &pair.key, purpose == Purpose::Production)?;
        if purpose == Purpose::Ca {
            Self::checkpoint()?;
            self.share(args)?;
        } else if args.share {
            render::setup::note("--share puts the local CA on devices: it applies to --purpose ca only.")?;
        }
        trust_result
    }

    /// The local CA on phones and other devices, last: `tlsforge share` itself, until Ctrl-C,
    /// ten minutes, or the user moves on.
    fn share(&mut self, args: &SetupArgs) -> Result<()> {
        let wanted = if args.share {
            true
        } else if args.no_share || !self.ask {
            false
        } else {
            Self::answer(
                Confirm::with_theme(theme())
                    .with_prompt(
                        "Will you open the service from a phone, a tablet or another computer? \
                         Put the CA on it now with one scan",
                    )
                    .default(false)
                    .interact_opt(),
            )?
        };
        if !wanted && args.no_share {
            return Ok(());
        }
        if !wanted {
            return render::setup::note(
                "Phones and other devices: `tlsforge share` puts the CA on them with one scan and checks HTTPS and wss:// there.",
            );
        }
        render::setup::heading("Phones and other devices")?;
        let options = match share::Options::new(None, SHARE_TIME, false, args.ca_dir.path.clone(), self.host)
        {
            Ok(options) => options,
            Err(e) => {
                return render::setup::note(&format!(
                    "Not sharing: {e}. Later: `tlsforge share --listen ADDR:PORT`."
                ));
            }
        };
        // Ctrl-C ends the sharing, not the setup: it runs as a step (the handler of an
        // interactive setup then only records it); without prompts, share's own handler.
        let step = Self::begin_step()?;
        let interrupted: Box<dyn Fn() -> bool> =
            if self.ask { Box::new(interrupt::interrupted) } else { Box::new(super::on_ctrl_c()) };
        let mut live = render::share::Live::new(Format::Human);
        let report = share::execute(&options, self.host, &interrupted, &mut |event| live.event(event))?;
        live.finish(&report)?;
        step.done("shared the CA".to_owned());
        Ok(())
    }

    fn purpose(&mut self, args: &SetupArgs) -> Result<Purpose> {
        if let Some(purpose) = args.purpose {
            return Ok(purpose);
        }
        if !self.ask {
            return Ok(Purpose::SelfSigned);
        }
        let items = [
            "Local development, self-signed certificate",
            "Local development, tlsforge's local CA (several services, phones and other LAN devices)",
            "Production, certificates that exist already (Let's Encrypt)",
        ];
        let chosen = Self::answer(
            Select::with_theme(theme())
                .with_prompt("What is the certificate for?")
                .items(items)
                .default(0)
                .interact_opt(),
        )?;
        Ok([Purpose::SelfSigned, Purpose::Ca, Purpose::Production][chosen])
    }

    fn generate(&mut self, args: &SetupArgs, ca: bool) -> Result<Pair> {
        let names = self.names(args)?;
        let days = self.days(args)?;
        let key = self.key(args)?;
        let out = self.out(args)?;
        let basename = self.basename(args)?;
        let options = generate::Options::new(
            &generate::Request {
                names: &names,
                domains: &[],
                ips: &[],
                days,
                key,
                client_auth: false,
                out: &out,
                basename: &basename,
                ca,
                ca_dir: args.ca_dir.path.clone(),
                force: args.force,
                // The wizard offers the LAN names itself, one by one (local_names.rs).
                lan: false,
            },
            self.host,
        )?;
        render::warnings(&options.warnings);
        let mut options = options;
        let existing: Vec<&Path> = [options.cert_path.as_path(), options.key_path.as_path()]
            .into_iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .collect();
        if !options.force && !existing.is_empty() && self.ask {
            let list: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
            let question = if list.len() == 1 {
                format!("{} already exists. Replace it?", list[0])
            } else {
                format!("{} already exist. Replace them?", list.join(" and "))
            };
            options.force = Self::answer(
                Confirm::with_theme(theme()).with_prompt(question).default(false).interact_opt(),
            )?;
        }
        let step = Self::begin_step()?;
        let spinner = options
            .request
            .key
            .is_slow()
            .then(|| render::progress::spinner(&format!("generating an {} key", options.request.key)));
        let report = generate::execute(&options, self.host);
        drop(spinner);
        let report = report?;
        step.done(format!("wrote {} and {}", report.cert_path.display(), report.key_path.display()));
        drop(step);
        render::setup::generated(&report)?;
        Ok(Pair {
            trust_input: (!ca).then(|| report.cert_path.clone()),
            cert: report.cert_path,
            key: report.key_path,
        })
    }

    fn names(&mut self, args: &SetupArgs) -> Result<Vec<String>> {
        let mut given: Vec<String> = args.names.iter().chain(&args.domains).cloned().collect();
        for ip in &args.ips {
            // Checked as an IP here; gen takes it as a name like any other.
            SubjectName::parse_ip(ip).map_err(|e| Error::input(format!("invalid --ip: {e}")))?;
            given.push(ip.clone());
        }
        if !given.is_empty() || !self.ask {
            return Ok(given);
        }
        let mut items: Vec<(String, bool)> = DEFAULT_NAMES.iter().map(|n| ((*n).to_owned(), true)).collect();
        for name in local_names::detect(self.host.hostname.as_deref()) {
            if !items.iter().any(|(n, _)| *n == name) {
                items.push((name, false));
            }
        }
        let chosen = Self::answer(
            MultiSelect::with_theme(theme())
                .with_prompt("Names the certificate covers (space toggles, enter accepts)")
                .items_checked(items.iter().map(|(n, c)| (n.as_str(), *c)))
                .interact_opt(),
        )?;
        let mut names: Vec<String> = chosen.into_iter().map(|i| items[i].0.clone()).collect();
        let more: String = Self::answer_text(
            Input::<String>::with_theme(theme())
                .with_prompt("More names, separated by spaces (enter for none)")
                .allow_empty(true)
                .validate_with(|text: &String| -> Result<(), String> {
                    text.split_whitespace()
                        .try_for_each(|word| SubjectName::parse(word).map(drop).map_err(|e| e.to_string()))
                })
                .interact_text(),
        )?;
        names.extend(more.split_whitespace().map(str::to_owned));
        if names.is_empty() {
            render::setup::note("No names chosen: the certificate covers localhost, 127.0.0.1 and ::1.")?;
        }
        Ok(names)
    }

    fn days(&mut self, args: &SetupArgs) -> Result<u32> {
        if let Some(days) = args.days {
            return Ok(days);
        }
        if !self.ask {
            return Ok(DEFAULT_DAYS);
        }
        Self::answer_text(
            Input::<u32>::with_theme(theme())
                .with_prompt(format!("Days the certificate is valid ({MIN_DAYS}..={MAX_DAYS})"))
                .default(DEFAULT_DAYS)
                .validate_with(|days: &u32| -> Result<(), String> {
                    if (MIN_DAYS..=MAX_DAYS).contains(days) {
                        Ok(())
                    } else {
                        Err(format!(
                            "between {MIN_DAYS} and {MAX_DAYS}: Apple platforms reject longer-lived server certificates"
                        ))
                    }
                })
                .interact_text(),
        )
    }

    fn key(&mut self, args: &SetupArgs) -> Result<KeyAlgorithm> {
        if let Some(key) = args.key {
            return Ok(key);
        }
        if !self.ask {
            return Ok(KeyAlgorithm::EcdsaP256);
        }
        let all = KeyAlgorithm::value_variants();
        let labels: Vec<String> = all
            .iter()
            .map(|k| match k {
                KeyAlgorithm::EcdsaP256 => format!("{k} (fast, accepted everywhere)"),
                k if k.is_slow() => format!("{k} (for old clients; slower to generate)"),
                k => k.to_string(),
            })
            .collect();
        let default = all.iter().position(|k| *k == KeyAlgorithm::EcdsaP256).unwrap_or(0);
        let chosen = Self::answer(
            Select::with_theme(theme())
                .with_prompt("Key type")
                .items(&labels)
                .default(default)
                .interact_opt(),
        )?;
        Ok(all[chosen])
    }

    fn out(&mut self, args: &SetupArgs) -> Result<PathBuf> {
        if let Some(out) = &args.out {
            return Ok(out.clone());
        }
        if !self.ask {
            return Ok(PathBuf::from("."));
        }
        let text = Self::answer_text(
            Input::<String>::with_theme(theme())
                .with_prompt("Directory to write into")
                .default(".".to_owned())
                .interact_text(),
        )?;
        Ok(PathBuf::from(text))
    }

    fn basename(&mut self, args: &SetupArgs) -> Result<String> {
        if let Some(name) = &args.basename {
            return Ok(name.clone());
        }
        if !self.ask {
            return Ok(DEFAULT_BASENAME.to_owned());
        }
        Self::answer_text(
            Input::<String>::with_theme(theme())
                .with_prompt("Base name of the files (NAME.crt, NAME.key)")
                .default(DEFAULT_BASENAME.to_owned())
                .validate_with(|name: &String| -> Result<(), &str> {
                    if name.contains(['/', '\\']) || name == "." || name == ".." {
                        Err("a file base name, without directories")
                    } else {
                        Ok(())
                    }
                })
                .interact_text(),
        )
    }

    /// Production: check the files that exist; never issue.
    fn production(&mut self, args: &SetupArgs) -> Result<Pair> {
        let fullchain = match (&args.fullchain, self.ask) {
            (Some(path), _) => path.clone(),
            (None, false) => {
                return Err(Error::input("--purpose production needs --fullchain PATH (and --privkey PATH)")
                    .hint("Let's Encrypt's are /etc/letsencrypt/live/DOMAIN/fullchain.pem and privkey.pem; certbot issues them")
                    .into());
            }
            (None, true) => PathBuf::from(Self::answer_text(
                Input::<String>::with_theme(theme())
                    .with_prompt("Certificate chain (e.g. /etc/letsencrypt/live/DOMAIN/fullchain.pem)")
                    .validate_with(|p: &String| -> Result<(), &str> {
                        if Path::new(p).is_file() { Ok(()) } else { Err("no such file") }
                    })
                    .interact_text(),
            )?),
        };
        let beside = fullchain.with_file_name("privkey.pem");
        let privkey = match (&args.privkey, self.ask) {
            (Some(path), _) => path.clone(),
            (None, false) => beside,
            (None, true) => PathBuf::from(Self::answer_text(
                Input::<String>::with_theme(theme())
                    .with_prompt("Its private key")
                    .default(beside.display().to_string())
                    .interact_text(),
            )?),
        };
        let pair = pair::load(&self.host.absolute(&fullchain), &self.host.absolute(&privkey))?;
        let summary = check_production(&pair, self.host.now)?;
        render::setup::production(&pair, &summary)?;
        Ok(Pair {
            cert: pair.cert_path().to_path_buf(),
            key: pair.key_path().to_path_buf(),
            trust_input: None,
        })
    }

    /// Trust now, through `tlsforge trust`'s own code and output. Returns the trust error (a
    /// store that failed) as the inner result, so that the environment is still printed.
    fn trust(&mut self, args: &SetupArgs, pair: &Pair) -> Result<Result<()>> {
        let selection = match trust_choice(args.no_trust, &args.stores, self.ask) {
            TrustChoice::Nothing => None,
            TrustChoice::Stores(selection) => Some(selection),
            TrustChoice::Ask => {
                let chosen = self.choose_stores(args, pair)?;
                (!chosen.is_empty()).then_some(Selection { stores: chosen, machine_store: false })
            }
        };
        let Some(selection) = selection else {
            let command = match &pair.trust_input {
                Some(cert) => format!("tlsforge trust {}", crate::text::shell_path(cert)),
                None => "tlsforge trust".to_owned(),
            };
            render::setup::note(&format!("Nothing trusted now; `{command}` does it later."))?;
            return Ok(Ok(()));
        };
        render::setup::heading("Trust")?;
        let step = Self::begin_step()?;
        let options = trust_options(args, pair, selection, false);
        let mut live = render::trust::Live::new(Format::Human);
        let result = trust_cmd::execute(&options, self.host, &mut live)
            .and_then(|report| live.finish(&report).and_then(|()| trust_cmd::outcome(&report)));
        step.done("ran trust".to_owned());
        Ok(result)
    }

    /// The stores found here, each saying what it needs (sudo asks for a password) before
    /// anything runs: what a `trust --dry-run` plans.
    fn choose_stores(&self, args: &SetupArgs, pair: &Pair) -> Result<Vec<Store>> {
        let options = trust_options(args, pair, Selection::default(), true);
        let plan = trust_cmd::execute(&options, self.host, &mut Quiet)?;
        let mut choices: Vec<(Store, Vec<String>, bool)> = Vec::new();
        for store in &plan.stores {
            if matches!(store.status, Status::Skipped | Status::Unused) {
                continue;
            }
            let location = store.location.clone().unwrap_or_default();
            let sudo = store.steps.iter().any(|step| step.sudo);
            match choices.iter_mut().find(|(s, _, _)| *s == store.store) {
                Some((_, locations, needs)) => {
                    locations.push(location);
                    *needs |= sudo;
                }
                None => choices.push((store.store, vec![location], sudo)),
            }
        }
        if choices.is_empty() {
            render::setup::note("No trust store found on this machine.")?;
            return Ok(Vec::new());
        }
        let labels: Vec<String> = choices
            .iter()
            .map(|(store, locations, sudo)| {
                let password = if *sudo { "  [needs root: sudo may ask for your password]" } else { "" };
                format!("{:<7} {}{password}", store.name(), locations.join(", "))
            })
            .collect();
        let what = match &pair.trust_input {
            Some(_) => "the certificate",
            None => "tlsforge's local CA",
        };
        let chosen = Self::answer(
            MultiSelect::with_theme(theme())
                .with_prompt(format!("Trust {what} now in (space toggles, enter with none skips)"))
                .items(&labels)
                .interact_opt(),
        )?;
        Ok(chosen.into_iter().map(|i| choices[i].0).collect())
    }

    /// The snippet for the detected shell, through `tlsforge env`, then the offer of a .env file.
    fn environment(&mut self, args: &SetupArgs, pair: &Pair) -> Result<()> {
        let shell = match args.shell {
            Some(shell) => shell,
            None => env_cmd::detected_shell(self.host).unwrap_or(Shell::Sh),
        };
        render::setup::heading(&format!("Environment for your service ({})", shell.name()))?;
        let options = |shell: Shell, shell_given: Option<Shell>, write: Option<PathBuf>| env_cmd::Options {
            shell,
            shell_given,
            cert: Some(pair.cert.clone()),
            key: Some(pair.key.clone()),
            disable: false,
            client_trust: false,
            write,
            ca_dir: args.ca_dir.path.clone(),
        };
        self.show_env(&options(shell, Some(shell), None))?;
        let file = if args.no_env_file {
            None
        } else if let Some(file) = &args.env_file {
            Some(file.clone())
        } else if self.ask {
            Self::checkpoint()?;
            let write = Self::answer(
                Confirm::with_theme(theme())
                    .with_prompt(format!("Write them into {DEFAULT_ENV_FILE} (other lines are kept)?"))
                    .default(false)
                    .interact_opt(),
            )?;
            write.then(|| PathBuf::from(DEFAULT_ENV_FILE))
        } else {
            None
        };
        if let Some(file) = file {
            let step = Self::begin_step()?;
            self.show_env(&options(Shell::Dotenv, None, Some(file.clone())))?;
            step.done(format!("wrote {}", file.display()));
        }
        Ok(())
    }

    /// `tlsforge env` itself: the same service, the same output.
    fn show_env(&self, options: &env_cmd::Options) -> Result<()> {
        match env_cmd::execute(options, self.host)? {
            env_cmd::Done::Printed(report) => render::env::snippet(&report),
            env_cmd::Done::Written(report) => render::env::written(&report),
        }
    }

    /// A prompt's answer; Esc (`None`) and Ctrl-C cancel the whole setup.
    fn answer<T>(result: dialoguer::Result<Option<T>>) -> Result<T> {
        match result {
            // A Ctrl-C that came while no prompt was reading keys (SIGINT) counts too.
            Ok(Some(_)) if interrupt::interrupted() => Err(Self::cancelled()),
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(Self::cancelled()),
            Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                Err(Self::cancelled())
            }
            Err(dialoguer::Error::IO(e)) => {
                Err(Error::failed(format!("cannot prompt on the terminal: {e}")).into())
            }
        }
    }

    fn answer_text<T>(result: dialoguer::Result<T>) -> Result<T> {
        Self::answer(result.map(Some))
    }

    /// Ctrl-C that arrived between prompts (or during a step) cancels before the next one.
    fn checkpoint() -> Result<()> {
        if interrupt::interrupted() { Err(Self::cancelled()) } else { Ok(()) }
    }

    /// A step that writes or trusts: it runs whole once begun; Ctrl-C before it cancels.
    fn begin_step() -> Result<interrupt::Step> {
        interrupt::begin_step().ok_or_else(Self::cancelled)
    }

    fn cancelled() -> anyhow::Error {
        // A prompt interrupted halfway leaves the cursor hidden; give it back.
        let term = Term::stderr();
        let _ = term.show_cursor();
        let _ = term.write_line("");
        Error::cancelled(interrupt::cancelled_message()).into()
    }
}

/// What the flags say about trusting now.
#[derive(Debug, PartialEq, Eq)]
enum TrustChoice {
    Nothing,
    Stores(Selection),
    Ask,
}

/// Decided on the flags, not on the mapped store list: `--store all` maps to an empty list,
/// which means every store found, not none.
fn trust_choice(no_trust: bool, stores: &[StoreArg], ask: bool) -> TrustChoice {
    if no_trust {
        TrustChoice::Nothing
    } else if !stores.is_empty() {
        TrustChoice::Stores(trust_cmd::selection(stores, false))
    } else if ask {
        TrustChoice::Ask
    } else {
        TrustChoice::Nothing
    }
}

/// `trust` for the pair (or the local CA) in `stores`.
fn trust_options(args: &SetupArgs, pair: &Pair, stores: Selection, dry_run: bool) -> trust_cmd::Options {
    trust_cmd::Options {
        action: Action::Trust,
        cert: pair.trust_input.clone(),
        stores,
        dry_run,
        ca_dir: args.ca_dir.path.clone(),
        prove: None,
    }
}

/// The prompts are drawn on stderr: colourful when it takes colour, plain otherwise.
fn theme() -> &'static dyn Theme {
    static COLORFUL: LazyLock<ColorfulTheme> = LazyLock::new(ColorfulTheme::default);
    if color::enabled(Stream::Stderr) { &*COLORFUL } else { &SimpleTheme }
}

/// The pair loads and matches (`pair::load`); here, the certificate must also be in date.
fn check_production(pair: &CertKeyPair, now: time::OffsetDateTime) -> Result<ProductionSummary> {
    let (_, cert) = x509_parser::parse_x509_certificate(pair.cert_der())?;
    let validity = cert.validity();
    let not_after = validity.not_after.to_datetime();
    let not_before = validity.not_before.to_datetime();
    if now > not_after || now < not_before {
        return Err(Error::failed(format!(
            "{} is not valid now: it is valid from {} to {}",
            pair.cert_path().display(),
            crate::pki::format::rfc3339(not_before),
            crate::pki::format::rfc3339(not_after)
        ))
        .hint("renew it with `certbot renew`")
        .into());
    }
    Ok(ProductionSummary {
        subject: pair.subject(),
        names: pair.names(),
        not_after: crate::pki::format::rfc3339(not_after),
        days_left: (not_after - now).whole_days(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair_valid(not_before: time::OffsetDateTime, not_after: time::OffsetDateTime) -> CertKeyPair {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["example.test".into()]).unwrap();
        params.not_before = not_before;
        params.not_after = not_after;
        let der = params.self_signed(&key).unwrap().der().to_vec();
        CertKeyPair::new("/le/fullchain.pem".into(), "/le/privkey.pem".into(), der).unwrap()
    }

    #[test]
    fn store_all_trusts_every_store_found_and_no_store_flag_asks_or_trusts_nothing() {
        let all = trust_choice(false, &[StoreArg::All], false);
        assert_eq!(all, TrustChoice::Stores(Selection { stores: Vec::new(), machine_store: false }));
        assert_eq!(
            trust_choice(false, &[StoreArg::Nss], false),
            TrustChoice::Stores(Selection { stores: vec![Store::Nss], machine_store: false })
        );
        assert_eq!(trust_choice(true, &[StoreArg::All], true), TrustChoice::Nothing);
        assert_eq!(trust_choice(false, &[], true), TrustChoice::Ask);
        assert_eq!(trust_choice(false, &[], false), TrustChoice::Nothing);
    }

    #[test]
    fn production_certificates_must_be_in_date() {
        let now = time::OffsetDateTime::now_utc();
        let day = time::Duration::days(1);
        let ok = check_production(&pair_valid(now - day, now + day * 30), now).unwrap();
        assert_eq!(ok.names, ["example.test"]);
        assert!((29..=30).contains(&ok.days_left), "{}", ok.days_left);
        let expired = check_production(&pair_valid(now - day * 90, now - day), now).unwrap_err();
        assert!(expired.to_string().contains("is not valid now"), "{expired}");
        let early = check_production(&pair_valid(now + day, now + day * 90), now).unwrap_err();
        assert!(early.to_string().contains("is not valid now"), "{early}");
    }
}
