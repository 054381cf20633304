//! One service per subcommand: `Options` validated from the clap arguments (and the `Host`),
//! `execute(&Options, &Host) -> Result<Report>`. Services call the domain and each other
//! through their options; [`run`] is where their reports are rendered. (`setup` is the one
//! conversation: it renders between its questions, through `render::setup`.)

pub(crate) mod ca;
pub mod completions;
pub(crate) mod doctor;
pub(crate) mod env;
pub(crate) mod export;
pub(crate) mod generate;
pub mod inspect;
pub(crate) mod list;
pub mod man;
pub(crate) mod password;
pub(crate) mod proxy;
pub(crate) mod renew;
pub(crate) mod setup;
pub(crate) mod share;
pub(crate) mod snippet;
pub(crate) mod trust;

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

use crate::cli::{CaCommand, Cli, Command, Format};
use crate::host::Host;
use crate::render;

/// Whether a question can be asked: the answer comes from stdin, the question goes to stderr.
pub(crate) fn can_ask() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The first of `paths` that exists, as the error a command gives before it starts writing
/// (its writer checks again, atomically); `hint` says how to go on.
pub(crate) fn refuse_existing<'a>(
    paths: impl IntoIterator<Item = &'a std::path::Path>,
    hint: &str,
) -> Result<()> {
    match paths.into_iter().find(|path| path.symlink_metadata().is_ok()) {
        Some(path) => {
            Err(crate::error::Error::failed(format!("{} already exists", path.display())).hint(hint).into())
        }
        None => Ok(()),
    }
}

/// Ctrl-C (or SIGTERM) ends a server the normal way — it stops, says what it did and exits 0
/// — instead of killing it: the returned function says whether one arrived.
pub(crate) fn on_ctrl_c() -> impl Fn() -> bool {
    static ARRIVED: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| ARRIVED.store(true, Ordering::SeqCst));
    || ARRIVED.load(Ordering::SeqCst)
}

pub fn run(cli: Cli, host: &Host) -> Result<()> {
    match cli.command {
        Command::Gen(args) => {
            let options = generate::Options::from_args(&args, host)?;
            render::warnings(&options.warnings);
            let format = args.format.format;
            let spinner = (format == Format::Human && options.request.key.is_slow())
                .then(|| render::progress::spinner(&format!("generating an {} key", options.request.key)));
            let report = generate::execute(&options, host);
            drop(spinner);
            let report = report?;
            match format {
                Format::Human => render::generate::human(&report),
                Format::Json => render::json(&report),
            }
        }
        Command::Ca(command) => {
            let (report, format) = match command {
                CaCommand::Init(args) => {
                    let options = ca::InitOptions::from_args(&args, host)?;
                    render::warnings(&options.warnings);
                    (ca::init(&options, host)?, args.format.format)
                }
                CaCommand::Show(args) => (ca::show(args.ca_dir.path, host)?, args.format.format),
                CaCommand::Path(args) => {
                    return render::line(&ca::path(args.ca_dir.path, host)?.display().to_string());
                }
                CaCommand::Export(args) => return export(&export::Options::for_ca(&args, host)?),
            };
            match format {
                Format::Human => render::ca::human(&report),
                Format::Json => render::json(&report),
            }
        }
        Command::Export(args) => {
            let format = args.format;
            // Before a password is asked for: nothing goes to a terminal that must not.
            if args.out.is_none() && format.for_files_only() {
                render::refuse_terminal(format.name())?;
            }
            export(&export::Options::from_args(&args, host)?)
        }
        Command::Share(args) => serve_share(&args, host),
        Command::Proxy(args) => serve_proxy(&args, host),
        Command::List(args) => list(&args, host),
        Command::Renew(args) => renew(&args, host),
        Command::Inspect(args) => {
            let options = inspect::Options::from_args(&args, host)?;
            let mut stream = render::inspect::Output::new(args.format.format == Format::Json);
            let report = inspect::execute(&options, host, &mut |entry| stream.entry(entry))?;
            stream.finish(&report)?;
            render::inspect::errors(&report)?;
            inspect::outcome(&report)
        }
        Command::Trust(args) => {
            let options = trust::Options::from_trust_args(&args);
            let mut live = render::trust::Live::new(args.format.format);
            let report = trust::execute(&options, host, &mut live)?;
            live.finish(&report)?;
            trust::outcome(&report)
        }
        Command::Untrust(args) => {
            let options = trust::Options::from_untrust_args(&args);
            let mut live = render::trust::Live::new(args.format.format);
            let report = trust::execute(&options, host, &mut live)?;
            live.finish(&report)?;
            trust::outcome(&report)
        }
        Command::Doctor(args) => {
            let options = doctor::Options::from_args(&args, host)?;
            let report = doctor::execute(&options, host);
            match args.format {
                crate::cli::DoctorFormat::Human => {
                    render::doctor::human(&report, render::doctor::Symbols::detect())?;
                }
                crate::cli::DoctorFormat::Json => render::json(&report)?,
                crate::cli::DoctorFormat::Github => {
                    // Annotations name files relative to the checked-out repository.
                    let base = host.github_workspace.as_deref().or(host.cwd.as_deref());
                    render::doctor::github(&report, base)?;
                }
            }
            doctor::outcome(&report, args.strict)
        }
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Env(args) => {
            let options = env::Options::from_args(&args, host)?;
            match env::execute(&options, host)? {
                env::Done::Printed(report) => render::env::snippet(&report),
                env::Done::Written(report) => render::env::written(&report),
            }
        }
        Command::Snippet(command) => {
            let (text, hint) = snippet::execute(&command, host)?;
            render::env::text(&text, Some(hint))
        }
        Command::Setup(args) => setup::run(&args, host),
    }
}

/// `export` and `ca export`: refuse a terminal for what must not go there, then write.
fn export(options: &export::Options) -> Result<()> {
    if options.out.is_none() && options.format.for_files_only() {
        render::refuse_terminal(options.format.name())?;
    }
    render::export::human(&export::execute(options)?)
}

/// `list`: the inventory.
fn list(args: &crate::cli::ListArgs, host: &Host) -> Result<()> {
    let report = list::execute(&list::Options::from_args(args, host)?, host)?;
    match args.format.format {
        Format::Human => render::list::human(&report),
        Format::Json => render::json(&report),
    }
}

/// `renew`: the renewals, or the daily job, then the exit status they make.
fn renew(args: &crate::cli::RenewArgs, host: &Host) -> Result<()> {
    let json = args.format.format == Format::Json;
    match renew::Request::from_args(args, host)? {
        renew::Request::Renew(options) => {
            let report = renew::execute(&options, host)?;
            if json {
                render::json(&report)?;
            } else {
                render::renew::human(&report)?;
            }
            renew::outcome(&report)
        }
        renew::Request::Timer { install, dry_run } => {
            let report = renew::timer(install, dry_run, host)?;
            if json {
                render::json(&report)?;
            } else {
                render::renew::timer(&report)?;
            }
            renew::timer_outcome(&report)
        }
    }
}

/// `share`: events as they happen, until the timeout, Ctrl-C or `--once`.
fn serve_share(args: &crate::cli::ShareArgs, host: &Host) -> Result<()> {
    let options = share::Options::from_args(args, host)?;
    let stop = on_ctrl_c();
    let mut live = render::share::Live::new(args.format.format);
    let report = share::execute(&options, host, &stop, &mut |event| live.event(event))?;
    live.finish(&report)?;
    share::outcome(&report)
}

/// `proxy`: the access log as requests are answered, until Ctrl-C or SIGTERM.
fn serve_proxy(args: &crate::cli::ProxyArgs, host: &Host) -> Result<()> {
    let options = proxy::Options::from_args(args, host)?;
    let stop = on_ctrl_c();
    let mut live = render::proxy::Live::new(args.format.format);
    let report = proxy::execute(&options, host, &stop, &mut live)?;
    live.finish(&report)
}
