//! One quoting rule per output format: how a value is written so that the reader of that format
//! gets back exactly the same characters, or an error when the format cannot carry the value
//! safely. A rule never produces a snippet that would silently read back as something else.

use std::fmt;

/// How one output format writes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// POSIX sh, bash, zsh, dash: bare when harmless, else single quotes with `'` as `'\''`.
    Posix,
    /// fish: bare when harmless, else single quotes with `\` and `'` backslash-escaped.
    Fish,
    /// PowerShell: single quotes with `'` doubled; anything outside printable ASCII becomes a
    /// `[char]` term, so the line survives whatever code page PowerShell decodes a pipe with.
    PowerShell,
    /// cmd.exe batch files, inside `set "NAME=VALUE"`: `%` doubled; refuses what cmd cannot
    /// carry (`"`, `!`, control and non-ASCII characters).
    Cmd,
    /// `.env` files as Docker Compose, Node (`dotenv`, `--env-file`) and python-dotenv read them:
    /// bare when harmless, else single quotes, the one form they all read literally.
    Dotenv,
    /// A JSON string.
    Json,
    /// An nginx configuration argument: bare when harmless, else double quotes with `\` and `"`
    /// escaped. `$` is refused: nginx would read a variable.
    Nginx,
    /// A double-quoted YAML scalar in a docker-compose file, with `$` doubled because compose
    /// interpolates variables.
    Compose,
}

/// Why a value cannot be written in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrepresentable {
    /// What the value holds, e.g. `a double quote (")`.
    pub what: String,
    /// Why that is a problem in this format.
    pub why: &'static str,
}

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "it contains {}, {}", self.what, self.why)
    }
}

impl std::error::Error for Unrepresentable {}

impl Rule {
    /// The value as this format must spell it.
    pub fn quote(self, value: &str) -> Result<String, Unrepresentable> {
        match self {
            Self::Posix => Ok(posix(value)),
            Self::Fish => Ok(fish(value)),
            Self::PowerShell => powershell(value),
            Self::Cmd => cmd(value),
            Self::Dotenv => dotenv(value),
            Self::Json => Ok(json(value)),
            Self::Nginx => nginx(value),
            Self::Compose => Ok(compose(value)),
        }
    }

    /// A variable name as this format spells it. Names are fixed identifiers
    /// (`SSL_CERT_PATH`), so only JSON needs quotes.
    pub fn name(self, name: &str) -> String {
        match self {
            Self::Json => json(name),
            _ => name.to_owned(),
        }
    }
}

/// Bare in every format: the shared harmless characters, and no leading `-` (an option to
/// fish's `set`).
fn is_bare(value: &str) -> bool {
    crate::text::is_bare(value) && !value.starts_with('-')
}

fn posix(value: &str) -> String {
    crate::text::posix_quote_value(value)
}

fn fish(value: &str) -> String {
    if is_bare(value) {
        return value.to_owned();
    }
    // Inside fish single quotes only \\ and \' are escapes.
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}

fn powershell(value: &str) -> Result<String, Unrepresentable> {
    if value.is_empty() {
        return Err(empty("Windows removes a variable set to an empty value"));
    }
    // Terms joined with `+`: 'literal' runs of printable ASCII and [char] terms for the rest.
    // PowerShell also treats the typographic quotes U+2018..U+201B as single quotes; they are
    // non-ASCII, so they never appear inside a literal.
    let mut terms: Vec<String> = Vec::new();
    let mut literal = String::new();
    for c in value.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            if c == '\'' {
                literal.push('\'');
            }
            literal.push(c);
        } else {
            if !literal.is_empty() {
                terms.push(format!("'{}'", std::mem::take(&mut literal)));
            }
            let code = u32::from(c);
            terms.push(if code <= 0xFFFF {
                format!("[char]0x{code:04X}")
            } else {
                format!("[char]::ConvertFromUtf32(0x{code:X})")
            });
        }
    }
    if !literal.is_empty() {
        terms.push(format!("'{literal}'"));
    }
    if terms.len() == 1 && terms[0].starts_with('\'') {
        return Ok(terms.remove(0));
    }
    // `+` takes its type from the left operand: start with a string so the rest concatenates.
    if !terms[0].starts_with('\'') {
        terms.insert(0, "''".to_owned());
    }
    Ok(format!("({})", terms.join(" + ")))
}

fn cmd(value: &str) -> Result<String, Unrepresentable> {
    if value.is_empty() {
        return Err(empty("cmd removes a variable set to an empty value"));
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => {
                return Err(Unrepresentable {
                    what: "a double quote (\")".into(),
                    why: "which would end cmd's quoted set command early and expose the rest",
                });
            }
            '!' => {
                return Err(Unrepresentable {
                    what: "an exclamation mark (!)".into(),
                    why: "which cmd expands when delayed expansion is on",
                });
            }
            // Batch files expand %...% before anything else; %% is a literal percent sign.
            '%' => out.push_str("%%"),
            c if c.is_control() => return Err(control(c, "which ends or corrupts a cmd command")),
            c if !c.is_ascii() => {
                return Err(Unrepresentable {
                    what: format!("a non-ASCII character ({c})"),
                    why: "and cmd reads batch files in the console's code page",
                });
            }
            // Inside the quotes, ^ & | < > ( ) are literal.
            c => out.push(c),
        }
    }
    Ok(out)
}

fn dotenv(value: &str) -> Result<String, Unrepresentable> {
    if is_bare(value) {
        return Ok(value.to_owned());
    }
    // Single quotes are literal in Compose and Node; python-dotenv alone also decodes \\ and \'
    // inside them. Refuse what would read back differently in any of them.
    if value.contains('\'') {
        return Err(Unrepresentable {
            what: "a single quote (')".into(),
            why: "which .env readers (Compose, Node, python-dotenv) unescape differently",
        });
    }
    if value.contains(r"\\") || value.ends_with('\\') {
        return Err(Unrepresentable {
            what: "a double or trailing backslash".into(),
            why: "which python-dotenv unescapes and Compose and Node do not",
        });
    }
    if value.contains("${") {
        return Err(Unrepresentable {
            what: "${".into(),
            why: "which python-dotenv expands as a variable even inside single quotes",
        });
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(control(c, "which .env readers split or drop"));
    }
    Ok(format!("'{value}'"))
}

fn json(value: &str) -> String {
    serde_json::to_string(value).expect("a string always serialises")
}

fn nginx(value: &str) -> Result<String, Unrepresentable> {
    if value.contains('$') {
        return Err(Unrepresentable {
            what: "a dollar sign ($)".into(),
            why: "which nginx reads as a variable and cannot escape",
        });
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(control(c, "which has no place in an nginx path"));
    }
    if is_bare(value) {
        return Ok(value.to_owned());
    }
    // nginx unescapes \" \' \\ (and \n \r \t) inside quotes: escape every backslash.
    Ok(format!("\"{}\"", value.replace('\\', r"\\").replace('"', "\\\"")))
}

fn compose(value: &str) -> String {
    // JSON string escapes are YAML double-quoted escapes. YAML also breaks lines at NEL, LS
    // and PS and forbids a BOM inside a document: escape those too.
    let mut quoted = json(value);
    for c in ['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'] {
        quoted = quoted.replace(c, &format!("\\u{:04x}", u32::from(c)));
    }
    quoted.replace('$', "$$")
}

fn empty(why: &'static str) -> Unrepresentable {
    Unrepresentable { what: "nothing (an empty value)".into(), why }
}

fn control(c: char, why: &'static str) -> Unrepresentable {
    let what = match c {
        '\n' | '\r' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c => format!("a control character (U+{:04X})", u32::from(c)),
    };
    Unrepresentable { what, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nasty path the integration tests also use, as a Unix path.
    const NASTY: &str =
        r#"/tmp/we ird 'sq' "dq" $HOME `id` %PATH% !x; a\b c\\d e\'f ü€🦀 #h ~t *? {a,b} (p) &|<>^=\"#;
    const WINDOWS: &str = r"C:\Users\O'Brien\100% ^done & (x)\server.crt";

    fn q(rule: Rule, value: &str) -> String {
        rule.quote(value).unwrap_or_else(|e| panic!("{rule:?} {value:?}: {e}"))
    }

    fn refused(rule: Rule, value: &str) -> String {
        match rule.quote(value) {
            Ok(out) => panic!("{rule:?} should refuse {value:?}, gave {out}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn harmless_values_stay_bare_where_bare_is_safe() {
        for rule in [Rule::Posix, Rule::Fish, Rule::Dotenv, Rule::Nginx] {
            assert_eq!(q(rule, "/home/a/app/server.crt"), "/home/a/app/server.crt", "{rule:?}");
            assert_eq!(q(rule, "true"), "true");
        }
        assert!(!is_bare(""));
        assert!(!is_bare("-n"), "an option-like value is quoted");
        for c in " ~=%#{}$'\"`\\!;&|<>()*?[]\t\né".chars() {
            assert!(!is_bare(&format!("a{c}b")), "{c:?}");
        }
    }

    #[test]
    fn posix_single_quotes_everything_and_splices_single_quotes() {
        assert_eq!(q(Rule::Posix, "a b"), "'a b'");
        assert_eq!(q(Rule::Posix, "it's"), r"'it'\''s'");
        assert_eq!(q(Rule::Posix, "''"), r"''\'''\'''");
        assert_eq!(q(Rule::Posix, "$HOME `id` \\n !x"), "'$HOME `id` \\n !x'");
        assert_eq!(q(Rule::Posix, "a\nb"), "'a\nb'");
        assert_eq!(q(Rule::Posix, ""), "''");
        assert_eq!(q(Rule::Posix, "~/x"), "'~/x'");
        assert_eq!(
            q(Rule::Posix, NASTY),
            r#"'/tmp/we ird '\''sq'\'' "dq" $HOME `id` %PATH% !x; a\b c\\d e\'\''f ü€🦀 #h ~t *? {a,b} (p) &|<>^=\'"#
        );
    }

    #[test]
    fn fish_escapes_backslashes_and_single_quotes_only() {
        assert_eq!(q(Rule::Fish, "a b"), "'a b'");
        assert_eq!(q(Rule::Fish, "it's"), r"'it\'s'");
        assert_eq!(q(Rule::Fish, r"a\b\\c"), r"'a\\b\\\\c'");
        assert_eq!(q(Rule::Fish, r"end\"), r"'end\\'");
        assert_eq!(q(Rule::Fish, "$x (y) {a,b} *"), "'$x (y) {a,b} *'");
        assert_eq!(
            q(Rule::Fish, NASTY),
            r#"'/tmp/we ird \'sq\' "dq" $HOME `id` %PATH% !x; a\\b c\\\\d e\\\'f ü€🦀 #h ~t *? {a,b} (p) &|<>^=\\'"#
        );
        assert_eq!(q(Rule::Fish, ""), "''");
    }

    #[test]
    fn powershell_doubles_single_quotes_and_spells_out_non_ascii() {
        assert_eq!(q(Rule::PowerShell, "true"), "'true'");
        assert_eq!(q(Rule::PowerShell, WINDOWS), r"'C:\Users\O''Brien\100% ^done & (x)\server.crt'");
        assert_eq!(q(Rule::PowerShell, "$env:X `n \"q\""), "'$env:X `n \"q\"'");
        assert_eq!(q(Rule::PowerShell, "C:\\Jürgen\\a"), r"('C:\J' + [char]0x00FC + 'rgen\a')");
        // Typographic quotes end PowerShell strings: never literal.
        assert_eq!(q(Rule::PowerShell, "a’b"), "('a' + [char]0x2019 + 'b')");
        // A leading [char] term gets an empty string in front so that + concatenates.
        assert_eq!(q(Rule::PowerShell, "é"), "('' + [char]0x00E9)");
        assert_eq!(q(Rule::PowerShell, "€🦀"), "('' + [char]0x20AC + [char]::ConvertFromUtf32(0x1F980))");
        assert_eq!(q(Rule::PowerShell, "a\nb\t"), "('a' + [char]0x000A + 'b' + [char]0x0009)");
        assert_eq!(q(Rule::PowerShell, "''"), "''''''");
        assert!(refused(Rule::PowerShell, "").contains("empty"));
    }

    #[test]
    fn cmd_doubles_percent_and_refuses_what_it_cannot_carry() {
        assert_eq!(q(Rule::Cmd, WINDOWS), r"C:\Users\O'Brien\100%% ^done & (x)\server.crt");
        assert_eq!(q(Rule::Cmd, "%PATH%"), "%%PATH%%");
        assert_eq!(q(Rule::Cmd, "%%"), "%%%%");
        assert_eq!(q(Rule::Cmd, "^^ & | < > ( ) ; , = $ `"), "^^ & | < > ( ) ; , = $ `");
        assert!(refused(Rule::Cmd, "a\"b").contains("double quote"));
        assert!(refused(Rule::Cmd, "a!b").contains("delayed expansion"));
        assert!(refused(Rule::Cmd, "a\nb").contains("line break"));
        assert!(refused(Rule::Cmd, "a\rb").contains("line break"));
        assert!(refused(Rule::Cmd, "a\u{1}b").contains("U+0001"));
        assert!(refused(Rule::Cmd, "Jürgen").contains("non-ASCII character (ü)"));
        assert!(refused(Rule::Cmd, "").contains("empty"));
    }

    #[test]
    fn dotenv_uses_single_quotes_and_refuses_what_readers_disagree_on() {
        assert_eq!(q(Rule::Dotenv, "a b"), "'a b'");
        assert_eq!(q(Rule::Dotenv, "$HOME #x \"dq\" `t` ü🦀"), "'$HOME #x \"dq\" `t` ü🦀'");
        assert_eq!(q(Rule::Dotenv, r"C:\Users\x y\server.crt"), r"'C:\Users\x y\server.crt'");
        assert!(refused(Rule::Dotenv, "it's").contains("single quote"));
        assert!(refused(Rule::Dotenv, r"\\server\share").contains("backslash"));
        assert!(refused(Rule::Dotenv, r"a b\").contains("backslash"));
        assert!(refused(Rule::Dotenv, "a\nb").contains("line break"));
        assert!(refused(Rule::Dotenv, "a\tb").contains("tab"));
        assert!(refused(Rule::Dotenv, "/a/${HOME}/b").contains("python-dotenv expands"));
        assert_eq!(q(Rule::Dotenv, "/a/$HOME/{b}"), "'/a/$HOME/{b}'");
    }

    #[test]
    fn json_is_a_json_string_and_names_are_quoted() {
        assert_eq!(q(Rule::Json, "a\"b\\c\nü"), "\"a\\\"b\\\\c\\nü\"");
        assert_eq!(Rule::Json.name("SSL_CERT_PATH"), "\"SSL_CERT_PATH\"");
        assert_eq!(Rule::Posix.name("SSL_CERT_PATH"), "SSL_CERT_PATH");
        let back: String = serde_json::from_str(&q(Rule::Json, NASTY)).unwrap();
        assert_eq!(back, NASTY);
    }

    #[test]
    fn nginx_quotes_and_escapes_and_refuses_variables() {
        assert_eq!(q(Rule::Nginx, "/a b/c;{d}#e"), "\"/a b/c;{d}#e\"");
        assert_eq!(q(Rule::Nginx, "a\"b'c"), "\"a\\\"b'c\"");
        assert_eq!(q(Rule::Nginx, r"C:\nginx\t.crt"), r#""C:\\nginx\\t.crt""#);
        assert_eq!(q(Rule::Nginx, "http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert!(refused(Rule::Nginx, "/a/$host/x").contains("variable"));
        assert!(refused(Rule::Nginx, "/a\nb").contains("line break"));
    }

    #[test]
    fn compose_is_yaml_double_quoted_with_dollars_doubled() {
        assert_eq!(q(Rule::Compose, "/a b/$HOME/c"), "\"/a b/$$HOME/c\"");
        assert_eq!(q(Rule::Compose, "a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(q(Rule::Compose, "a\u{2028}b\u{85}"), "\"a\\u2028b\\u0085\"");
        assert_eq!(q(Rule::Compose, "true"), "\"true\"");
    }

    #[test]
    fn every_rule_that_accepts_the_nasty_path_quotes_it_on_one_line_or_refuses() {
        for rule in [
            Rule::Posix,
            Rule::Fish,
            Rule::PowerShell,
            Rule::Cmd,
            Rule::Dotenv,
            Rule::Json,
            Rule::Nginx,
            Rule::Compose,
        ] {
            if let Ok(out) = rule.quote(NASTY) {
                assert!(!out.contains('\n'), "{rule:?}");
            }
        }
    }
}
