//! The bottom of the house: small text helpers every layer may use. One POSIX shell quoter (the
//! `env` snippets' rule), paths and command lines as a person would type them, plurals, and I/O
//! errors as short reasons, and text from outside (certificates, servers, file names) made
//! safe to show on a terminal or in a CI log.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Text from a certificate, a server or a file name as it may be shown: every control character
/// (C0 with CR, LF and TAB, DEL, C1) and every invisible format character that can reorder or
/// hide what a reader sees (bidi overrides and isolates, direction marks, zero-width spaces, line
/// and paragraph separators, BOM) is written as a Rust-style escape: `\x1b`, `\n`, `\u{202e}`.
/// Printable Unicode (accents, CJK, emoji) and backslashes stay as they are, so ordinary text is
/// unchanged. Borrowed when nothing needed escaping. Render applies it where such text is
/// written, before any colour of its own; JSON never needs it.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path as [`printable`] text (lossy where it is not UTF-8, as `Path::display` is).
pub(crate) fn printable_path(path: &Path) -> Cow<'_, str> {
    match path.to_string_lossy() {
        Cow::Borrowed(text) => printable(text),
        Cow::Owned(text) => Cow::Owned(printable(&text).into_owned()),
    }
}

/// Characters [`printable`] escapes: controls, and format characters a reader cannot see.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'                      // Arabic letter mark
                | '\u{200b}'                // zero-width space
                | '\u{200e}' | '\u{200f}'    // left-to-right and right-to-left marks
                | '\u{2028}' | '\u{2029}'    // line and paragraph separators
                | '\u{202a}'..='\u{202e}'    // bidi embeddings and overrides
                | '\u{2060}'..='\u{2064}'    // word joiner, invisible operators
                | '\u{2066}'..='\u{2069}'    // bidi isolates
                | '\u{206a}'..='\u{206f}'    // deprecated format characters
                | '\u{feff}'                // byte-order mark, zero-width no-break space
                | '\u{fff9}'..='\u{fffb}' // interlinear annotations
        )
}

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

/// `text` as XML character data or an attribute value: `&`, `<`, `>`, `"` and `'` escaped, and
/// characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks) left out.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

/// How an Apple property list (a launchd agent, a configuration profile) begins, up to its
/// `<plist>` element.
pub(crate) const PLIST_PROLOGUE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">"#;

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

/// A span typed on the command line in seconds: `30d`, `12h`, `90m`, `3600s`, or a bare number
/// counted in `bare` units (`'d'`, `'h'`, `'m'` or `'s'`). Too large saturates; `None` when it
/// is not such a span.
pub(crate) fn seconds(text: &str, bare: char) -> Option<i64> {
    let trimmed = text.trim();
    let (number, unit) = match trimmed.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => (&trimmed[..at], c.to_ascii_lowercase()),
        _ => (trimmed, bare),
    };
    let value: i64 = number.parse().ok().filter(|v| *v >= 0)?;
    let per_unit = match unit {
        'd' => 86_400,
        'h' => 3_600,
        'm' => 60,
        's' => 1,
        _ => return None,
    };
    Some(value.saturating_mul(per_unit))
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
    fn printable_escapes_controls_and_invisible_format_characters() {
        assert!(matches!(printable("CN=Grüße 東京 🔒 a\\b"), Cow::Borrowed("CN=Grüße 東京 🔒 a\\b")));
        assert_eq!(printable("a\x1b]0;pwned\x07b"), r"a\x1b]0;pwned\x07b");
        assert_eq!(printable("\x1b[31mred"), r"\x1b[31mred");
        assert_eq!(printable("x\n✓ trust: done\r\t"), r"x\n✓ trust: done\r\t");
        assert_eq!(printable("\0\x7f"), r"\x00\x7f");
        assert_eq!(printable("\u{85}\u{9b}"), r"\u{85}\u{9b}", "C1 controls");
        assert_eq!(printable("moc.\u{202e}evil"), r"moc.\u{202e}evil");
        assert_eq!(printable("\u{2066}\u{2069}\u{200e}\u{200f}"), r"\u{2066}\u{2069}\u{200e}\u{200f}");
        assert_eq!(printable("a\u{2028}b\u{feff}"), r"a\u{2028}b\u{feff}");
        assert_eq!(printable("👩\u{200d}💻"), "👩\u{200d}💻", "joiners in emoji and scripts stay");
        let escaped = printable("\u{1b}\u{9f}\u{202e}\n");
        assert!(!escaped.chars().any(hidden), "{escaped}");
    }

    #[test]
    fn printable_paths() {
        assert!(matches!(printable_path(Path::new("/srv/é/server.crt")), Cow::Borrowed("/srv/é/server.crt")));
        assert_eq!(printable_path(Path::new("/tmp/a\nb\x1b.pem")), r"/tmp/a\nb\x1b.pem");
        #[cfg(unix)]
        {
            use std::ffi::OsStr;
            use std::os::unix::ffi::OsStrExt;
            let lossy = printable_path(Path::new(OsStr::from_bytes(b"/tmp/\xff\x1b")));
            assert_eq!(lossy, "/tmp/\u{fffd}\\x1b");
        }
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
