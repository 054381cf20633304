//! The password of a PKCS#12 file, from one of three places, in this order: `--p12-password-file
//! FILE` (its first line), `TLSFORGE_P12_PASSWORD`, or a prompt on the terminal (not echoed;
//! asked twice when a file is made). Never a default, never empty, and never a command-line
//! value, which `ps` would show every user.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use dialoguer::console::Term;

use crate::error::{Error, ExitStatus};
use crate::host::{EnvPassword, Host, P12_PASSWORD_VAR};
use crate::input;
use crate::pki::p12::Password;

/// Whether the password protects a new file (asked twice) or opens an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Create,
    Open,
}

const SOURCES_HINT: &str =
    "pass --p12-password-file FILE (its first line is the password) or set TLSFORGE_P12_PASSWORD";

/// The password from `file`, else the environment, else a terminal prompt.
pub(crate) fn resolve(file: Option<&Path>, host: &Host, purpose: Purpose, what: &str) -> Result<Password> {
    if let Some(file) = file {
        let text = input::read_to_string(file, input::CERTIFICATE).map_err(|e| {
            Error::input(format!("cannot read the password file {}: {}", file.display(), e.reason()))
        })?;
        let line = text.lines().next().unwrap_or_default().to_owned();
        return Password::new(line).ok_or_else(|| {
            Error::input(format!("the password file {} holds an empty password", file.display()))
                .hint("an empty PKCS#12 password protects nothing, and macOS refuses the file")
                .into()
        });
    }
    match &host.p12_password {
        EnvPassword::Set(password) => return Ok(password.clone()),
        EnvPassword::Empty => {
            return Err(Error::input(format!("{P12_PASSWORD_VAR} is set but empty"))
                .hint("an empty PKCS#12 password protects nothing, and macOS refuses the file")
                .into());
        }
        EnvPassword::Unset => {}
    }
    if !super::can_ask() {
        return Err(Error::input(format!("{what} needs a password, and there is no terminal to ask on"))
            .hint(SOURCES_HINT)
            .into());
    }
    prompt(purpose, what)
}

/// Ask on the terminal, without echo; twice when the password protects a new file.
fn prompt(purpose: Purpose, what: &str) -> Result<Password> {
    restore_on_ctrl_c();
    let term = Term::stderr();
    let ask = |label: &str| -> Result<String> {
        term.write_str(label)?;
        Ok(term.read_secure_line()?)
    };
    let first = ask(&format!("Password for {what}: "))?;
    let password = Password::new(first.clone()).ok_or_else(|| {
        Error::input("the password is empty").hint("an empty PKCS#12 password protects nothing")
    })?;
    if purpose == Purpose::Create && ask("Repeat the password: ")? != first {
        return Err(Error::input("the two passwords differ: nothing was written").into());
    }
    Ok(password)
}

/// Ctrl-C while echo is off must not leave the terminal silent: restore it, then exit 130.
fn restore_on_ctrl_c() {
    #[cfg(unix)]
    let saved = rustix::termios::tcgetattr(std::io::stdin()).ok();
    let _ = ctrlc::set_handler(move || {
        #[cfg(unix)]
        if let Some(termios) = &saved {
            let _ =
                rustix::termios::tcsetattr(std::io::stdin(), rustix::termios::OptionalActions::Now, termios);
        }
        let _ = writeln!(std::io::stderr(), "\ncancelled: nothing was written");
        std::process::exit(ExitStatus::Cancelled as i32);
    });
}
