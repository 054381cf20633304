//! The text of every output format, embedded from `templates/` at build time, and the one
//! small filler that puts quoted values into it.
//!
//! Template syntax:
//! - `{{name}}` and `{{value}}`: a line holding either is repeated once per variable, with the
//!   variable's name and its value quoted by the template's [`Rule`];
//! - `{{,}}`: `,` on every repetition but the last (JSON);
//! - `{{field}}`: a field the caller supplies, quoted by the rule unless given as [`Field::Raw`].
//!
//! Substitution is a single pass: text that a value brings in is never scanned again.

use std::fmt;

use super::Variable;
use super::quote::{Rule, Unrepresentable};

/// One embedded template and the quoting rule of its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The file name under `templates/`, for messages.
    pub file: &'static str,
    pub text: &'static str,
    pub rule: Rule,
}

macro_rules! template {
    ($file:literal, $rule:expr) => {
        Template { file: $file, text: include_str!(concat!("../../templates/", $file)), rule: $rule }
    };
}

pub(crate) const BASH: Template = template!("env/bash.sh", Rule::Posix);
pub(crate) const ZSH: Template = template!("env/zsh.zsh", Rule::Posix);
pub(crate) const SH: Template = template!("env/sh.sh", Rule::Posix);
pub(crate) const FISH: Template = template!("env/fish.fish", Rule::Fish);
pub(crate) const POWERSHELL: Template = template!("env/powershell.ps1", Rule::PowerShell);
pub(crate) const CMD: Template = template!("env/cmd.cmd", Rule::Cmd);
pub(crate) const DOTENV: Template = template!("env/dotenv.env", Rule::Dotenv);
pub(crate) const JSON: Template = template!("env/json.json", Rule::Json);
pub(crate) const NGINX: Template = template!("snippet/nginx.conf", Rule::Nginx);
pub(crate) const COMPOSE: Template = template!("snippet/compose.yaml", Rule::Compose);

/// A value for a `{{field}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Quoted by the template's rule.
    Text(&'a str),
    /// Inserted as it is: numbers and tokens the caller has already validated or quoted.
    Raw(&'a str),
}

/// Why a template could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// A value the format cannot carry; `name` is the variable or field.
    Unrepresentable { name: String, value: String, cause: Unrepresentable },
    /// A placeholder nobody supplied: a bug in a template, caught by the unit tests.
    UnknownPlaceholder { file: &'static str, placeholder: String },
}

impl fmt::Display for FillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unrepresentable { name, value, cause } => {
                write!(f, "{name} cannot be written safely ({value:?}): {cause}")
            }
            Self::UnknownPlaceholder { file, placeholder } => {
                write!(f, "template {file} uses an unknown placeholder {{{{{placeholder}}}}}")
            }
        }
    }
}

impl std::error::Error for FillError {}

impl Template {
    /// Fill the template with `vars` (for lines holding `{{name}}`/`{{value}}`) and `fields`.
    pub fn fill(&self, vars: &[Variable], fields: &[(&str, Field<'_>)]) -> Result<String, FillError> {
        let mut out = String::with_capacity(self.text.len() * 2);
        for line in self.text.split_inclusive('\n') {
            if line.contains("{{name}}") || line.contains("{{value}}") {
                for (i, var) in vars.iter().enumerate() {
                    let last = i + 1 == vars.len();
                    self.fill_line(line, Some((var, last)), fields, &mut out)?;
                }
            } else {
                self.fill_line(line, None, fields, &mut out)?;
            }
        }
        Ok(out)
    }

    fn fill_line(
        &self,
        line: &str,
        var: Option<(&Variable, bool)>,
        fields: &[(&str, Field<'_>)],
        out: &mut String,
    ) -> Result<(), FillError> {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else { break };
            out.push_str(&rest[..start]);
            let placeholder = &rest[start + 2..start + 2 + len];
            out.push_str(&self.placeholder(placeholder, var, fields)?);
            rest = &rest[start + 2 + len + 2..];
        }
        out.push_str(rest);
        Ok(())
    }

    fn placeholder(
        &self,
        placeholder: &str,
        var: Option<(&Variable, bool)>,
        fields: &[(&str, Field<'_>)],
    ) -> Result<String, FillError> {
        match (placeholder, var) {
            ("name", Some((var, _))) => return Ok(self.rule.name(var.name)),
            ("value", Some((var, _))) => return self.quote(var.name, &var.value),
            (",", Some((_, last))) => return Ok(if last { String::new() } else { ",".to_owned() }),
            _ => {}
        }
        match fields.iter().find(|(key, _)| *key == placeholder) {
            Some((_, Field::Raw(text))) => Ok((*text).to_owned()),
            Some((key, Field::Text(text))) => self.quote(key, text),
            None => {
                Err(FillError::UnknownPlaceholder { file: self.file, placeholder: placeholder.to_owned() })
            }
        }
    }

    fn quote(&self, name: &str, value: &str) -> Result<String, FillError> {
        self.rule.quote(value).map_err(|cause| FillError::Unrepresentable {
            name: name.to_owned(),
            value: value.to_owned(),
            cause,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vec<Variable> {
        vec![Variable::new("SSL_CERT_PATH", "/a b/server.crt"), Variable::new("ENABLE_SSL", "true")]
    }

    #[test]
    fn variable_lines_repeat_and_fields_fill() {
        let t = Template {
            file: "t",
            text: "# {{title}} {{n}}\nexport {{name}}={{value}}\nend\n",
            rule: Rule::Posix,
        };
        let out = t.fill(&vars(), &[("title", Field::Text("a'b")), ("n", Field::Raw("3"))]).unwrap();
        assert_eq!(
            out,
            "# 'a'\\''b' 3\nexport SSL_CERT_PATH='/a b/server.crt'\nexport ENABLE_SSL=true\nend\n"
        );
    }

    #[test]
    fn the_separator_is_left_off_the_last_repetition() {
        let t = Template { file: "t", text: "{\n  {{name}}: {{value}}{{,}}\n}\n", rule: Rule::Json };
        let out = t.fill(&vars(), &[]).unwrap();
        assert_eq!(out, "{\n  \"SSL_CERT_PATH\": \"/a b/server.crt\",\n  \"ENABLE_SSL\": \"true\"\n}\n");
    }

    #[test]
    fn values_are_not_scanned_again() {
        let t = Template { file: "t", text: "{{a}} {{b}}", rule: Rule::Json };
        let out = t.fill(&[], &[("a", Field::Raw("{{b}}")), ("b", Field::Raw("x"))]).unwrap();
        assert_eq!(out, "{{b}} x");
    }

    #[test]
    fn unknown_placeholders_and_unrepresentable_values_are_errors() {
        let t = Template { file: "t", text: "{{nope}}", rule: Rule::Posix };
        assert!(matches!(t.fill(&[], &[]), Err(FillError::UnknownPlaceholder { .. })));
        let t = Template { file: "t", text: "set \"{{name}}={{value}}\"\n", rule: Rule::Cmd };
        let err = t.fill(&[Variable::new("SSL_CERT_PATH", "a!b")], &[]).unwrap_err();
        assert!(err.to_string().starts_with("SSL_CERT_PATH cannot be written safely (\"a!b\")"), "{err}");
    }

    #[test]
    fn every_embedded_template_fills_completely() {
        let snippet_fields = [
            ("cert", Field::Text("/c")),
            ("key", Field::Text("/k")),
            ("port", Field::Raw("443")),
            ("server_names", Field::Raw("localhost")),
            ("upstream", Field::Text("http://127.0.0.1:3000")),
            ("service", Field::Raw("app")),
        ];
        for t in [BASH, ZSH, SH, FISH, POWERSHELL, CMD, DOTENV, JSON, NGINX, COMPOSE] {
            let out = t.fill(&vars(), &snippet_fields).unwrap_or_else(|e| panic!("{}: {e}", t.file));
            assert!(!out.contains("{{") && !out.contains("}}"), "{}:\n{out}", t.file);
            assert!(out.ends_with('\n'), "{}", t.file);
        }
    }
}
