//! The bottom of the house: small text helpers every layer may use. One POSIX shell quoter (the
//! `env` snippets' rule), paths and command lines as a person would type them, plurals, and I/O
//! errors as short reasons.

use std::io;
use std::path::Path;

/// Characters no output format treats specially outside quotes. Deliberately small: `~`, `=`,
/// `%`, `#`, `{`, `$`, spaces and quotes all mean something somewhere.
pub(crate) fn is_bare(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "_./:@+,-".contains(c))
}

/// A word for POSIX sh, bash, zsh and dash: bare when harmless, else in single quotes with `'`
/// written `'\''`. The one POSIX quoter: snippets, paths in messages and command lines use it.
pub(crate) fn posix_quote(word: &str) -> String {
    if is_bare(word) { word.to_owned() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

/// A value (not a command word): also quoted when it starts with `-`, so that no reader takes it
/// for an option (fish's `set -gx NAME -x` would).
pub(crate) fn posix_quote_value(value: &str) -> String {
    if value.starts_with('-') { format!("'{}'", value.replace('\'', r"'\''")) } else { posix_quote(value) }
}

/// A path as a shell user would type it.
pub(crate) fn shell_path(path: &Path) -> String {
    posix_quote(&path.display().to_string())
}

/// A command line as a person would type it into a POSIX shell.
pub(crate) fn shell_words(argv: &[String]) -> String {
    argv.iter().map(|word| posix_quote(word)).collect::<Vec<_>>().join(" ")
}

/// "1 certificate", "2 certificates": a count and a noun that takes an s.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// An I/O error as a short reason, without Rust's `(os error N)` suffix.
pub(crate) fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ if error.to_string().contains("symbolic links") => {
            "too many levels of symbolic links (a symlink loop?)".to_owned()
        }
        _ => {
            let text = error.to_string();
            text.find(" (os error").map_or_else(|| text.clone(), |at| text[..at].to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_bare_only_when_harmless() {
        assert_eq!(posix_quote("/home/me/app/server.crt"), "/home/me/app/server.crt");
        assert_eq!(posix_quote("-t"), "-t", "flags of a command line stay bare");
        assert_eq!(posix_quote("P,,"), "P,,");
        assert_eq!(posix_quote("it's"), r"'it'\''s'");
        assert_eq!(posix_quote("a b"), "'a b'");
        assert_eq!(posix_quote(""), "''");
        assert_eq!(posix_quote("$HOME"), "'$HOME'");
        assert_eq!(
            shell_words(&["certutil".into(), "-n".into(), "tlsforge x".into()]),
            "certutil -n 'tlsforge x'"
        );
    }

    #[test]
    fn plurals_and_io_reasons() {
        assert_eq!(plural(1, "client"), "1 client");
        assert_eq!(plural(0, "client"), "0 clients");
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::NotFound)), "no such file or directory");
        assert_eq!(
            io_reason(&io::Error::from_raw_os_error(40)),
            "too many levels of symbolic links (a symlink loop?)"
        );
    }
}
