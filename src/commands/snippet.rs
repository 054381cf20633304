//! `tlsforge snippet nginx|compose`: configuration that uses the certificate, from the
//! templates in `templates/snippet/`.

use anyhow::Result;

use super::env::{fill, load_pair, utf8};
use crate::cli::{ComposeArgs, NginxArgs, SnippetCommand};
use crate::config::quote::Rule;
use crate::config::template::{self, Field};
use crate::error::Error;
use crate::host::Host;

/// The snippet, and a hint for a person reading it.
pub(crate) fn execute(command: &SnippetCommand, host: &Host) -> Result<(String, &'static str)> {
    Ok(match command {
        SnippetCommand::Nginx(args) => {
            (nginx(args, host)?, "save it in nginx's conf.d (inside http { }), then run `nginx -t`")
        }
        SnippetCommand::Compose(args) => (compose(args, host)?, "merge it into your docker-compose.yml"),
    })
}

fn nginx(args: &NginxArgs, host: &Host) -> Result<String> {
    let pair = load_pair(args.pair.cert.as_deref(), args.pair.key.as_deref(), host)?;
    let upstream = upstream(&args.upstream)?;
    // The certificate's names, as nginx tokens; names nginx cannot hold are left out. IPv6
    // literals are left out too: nginx matches them with brackets, and one server block on
    // its port serves every name anyway.
    let names: Vec<String> =
        pair.names().iter().filter(|name| !name.contains(':')).filter_map(|name| server_name(name)).collect();
    let server_names = if names.is_empty() { "_".to_owned() } else { names.join(" ") };
    let port = args.port.to_string();
    let (cert, key) = (utf8(pair.cert_path())?, utf8(pair.key_path())?);
    fill(
        template::NGINX,
        "nginx",
        &[],
        &[
            ("port", Field::Raw(&port)),
            ("server_names", Field::Raw(&server_names)),
            ("cert", Field::Text(&cert)),
            ("key", Field::Text(&key)),
            ("upstream", Field::Text(&upstream)),
        ],
    )
}

/// A name as an nginx `server_name` token: bare when it is a plain host name, a wildcard
/// (`*.app.test`) included; quoted otherwise; `None` when nginx cannot hold it.
fn server_name(name: &str) -> Option<String> {
    let quoted = Rule::Nginx.quote(name).ok()?;
    match name.strip_prefix("*.") {
        Some(rest) if Rule::Nginx.quote(rest).ok()?.as_str() == rest => Some(name.to_owned()),
        _ => Some(quoted),
    }
}

/// `--upstream`: an http(s) URL, or `HOST:PORT` for `http://HOST:PORT`.
fn upstream(input: &str) -> Result<String> {
    let url = if input.contains("://") { input.to_owned() } else { format!("http://{input}") };
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    let chars_ok = url.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:/[]%@".contains(c));
    let has_host = url.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
    if scheme_ok && chars_ok && has_host {
        Ok(url)
    } else {
        Err(Error::input(format!("invalid --upstream {input:?}: expected a URL like http://127.0.0.1:3000"))
            .into())
    }
}

fn compose(args: &ComposeArgs, host: &Host) -> Result<String> {
    let pair = load_pair(args.pair.cert.as_deref(), args.pair.key.as_deref(), host)?;
    // Compose service names: letters, digits, '.', '_', '-'.
    let service = &args.service;
    if service.is_empty() || !service.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(Error::input(format!(
            "invalid --service {service:?}: letters, digits, '.', '_' and '-' only"
        ))
        .into());
    }
    let (cert, key) = (utf8(pair.cert_path())?, utf8(pair.key_path())?);
    fill(
        template::COMPOSE,
        "a compose file",
        &[],
        &[("service", Field::Raw(service)), ("cert", Field::Text(&cert)), ("key", Field::Text(&key))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_are_nginx_tokens() {
        assert_eq!(server_name("app.test").unwrap(), "app.test");
        assert_eq!(server_name("*.app.test").unwrap(), "*.app.test");
        assert_eq!(server_name("*.a b").unwrap(), "\"*.a b\"");
        assert_eq!(server_name("a;b").unwrap(), "\"a;b\"");
        assert!(server_name("$host").is_none());
    }

    #[test]
    fn upstreams_are_urls() {
        assert_eq!(upstream("127.0.0.1:3000").unwrap(), "http://127.0.0.1:3000");
        assert_eq!(upstream("https://api.test:8443/").unwrap(), "https://api.test:8443/");
        assert_eq!(upstream("http://[::1]:3000").unwrap(), "http://[::1]:3000");
        for bad in ["", "ftp://x", "http://", "http://a b", "http://a;b", "http://$host", "http:///x", "a\"b"]
        {
            assert!(upstream(bad).is_err(), "{bad:?}");
        }
    }
}
