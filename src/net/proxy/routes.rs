//! Where each request goes: `--to` for everything, `--route PATH=BACKEND` for path prefixes
//! (the longest prefix wins, matched on whole segments: `/api` takes `/api` and `/api/users`,
//! not `/apix`). Paths are passed on as they came, as nginx does with a `proxy_pass` that has
//! no path of its own.

use std::fmt;
use std::sync::Arc;

/// A plain-HTTP service: `HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Backend {
    /// `127.0.0.1:5001`, `localhost:8080`, `[::1]:3000`.
    pub(crate) authority: String,
    /// `http://` and the authority, as the access log names it on every request (shared, not
    /// copied, by each request's log entry).
    pub(crate) url: Arc<str>,
}

impl Backend {
    /// `[http://]HOST:PORT`; anything else (https, a path, no port) is refused with why.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("{text:?}: {why}");
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                return Err(bad(&format!(
                    "{scheme}:// backends are not supported: the proxy speaks plain HTTP to the service behind it"
                )));
            }
            None => text,
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("expected HOST:PORT, without a path"));
        }
        let (host, port) =
            rest.rsplit_once(':').ok_or_else(|| bad("expected HOST:PORT (the port is needed)"))?;
        let port_ok = port.parse::<u16>().is_ok_and(|p| p != 0);
        let host_ok = !host.is_empty()
            && (host.starts_with('[')
                && host.ends_with(']')
                && host[1..host.len() - 1].parse::<std::net::Ipv6Addr>().is_ok()
                || host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
        if !port_ok || !host_ok {
            return Err(bad("expected HOST:PORT with a port from 1 to 65535"));
        }
        let authority = rest.to_ascii_lowercase();
        Ok(Self { url: format!("http://{authority}").into(), authority })
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// A path prefix and its backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    /// `/` for the default, else `/api` (no trailing slash).
    pub(crate) prefix: String,
    pub(crate) backend: Backend,
}

impl Route {
    /// `PATH=[http://]HOST:PORT`.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let (path, backend) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: expected PATH=HOST:PORT (/api=127.0.0.1:5001)"))?;
        if !path.starts_with('/')
            || path.chars().any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
        {
            return Err(format!("{text:?}: the path must start with / (/api, /ws)"));
        }
        let prefix = path.trim_end_matches('/');
        let prefix = if prefix.is_empty() { "/" } else { prefix };
        Ok(Self { prefix: prefix.to_owned(), backend: Backend::parse(backend)? })
    }

    fn matches(&self, path: &str) -> bool {
        self.prefix == "/"
            || path.strip_prefix(&self.prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// Every route, the default (`/`) among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Routes(Vec<Route>);

impl Routes {
    /// `--to` and the `--route`s; a prefix given twice is refused.
    pub(crate) fn new(to: Backend, routes: Vec<Route>) -> Result<Self, String> {
        let mut all = vec![Route { prefix: "/".to_owned(), backend: to }];
        for route in routes {
            if all.iter().any(|other| other.prefix == route.prefix) {
                return Err(format!("--route {} is given twice (or is `/`, which --to sets)", route.prefix));
            }
            all.push(route);
        }
        // Longest first: the first match is the most specific.
        all.sort_by_key(|route| std::cmp::Reverse(route.prefix.len()));
        Ok(Self(all))
    }

    /// The route for a request path.
    pub(crate) fn pick(&self, path: &str) -> &Route {
        self.0.iter().find(|route| route.matches(path)).unwrap_or(&self.0[self.0.len() - 1])
    }

    pub(crate) fn all(&self) -> &[Route] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_host_and_port_over_plain_http() {
        assert_eq!(Backend::parse("127.0.0.1:5001").unwrap().authority, "127.0.0.1:5001");
        assert_eq!(Backend::parse("http://LocalHost:8080/").unwrap().authority, "localhost:8080");
        assert_eq!(Backend::parse("[::1]:3000").unwrap().to_string(), "http://[::1]:3000");
        for bad in [
            "https://127.0.0.1:5001",
            "127.0.0.1",
            "127.0.0.1:0",
            "127.0.0.1:70000",
            "host:80/api",
            "a b:80",
            "[zz]:80",
            ":80",
            "user@host:80",
        ] {
            assert!(Backend::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_longest_whole_segment_prefix_wins() {
        let to = Backend::parse("127.0.0.1:5000").unwrap();
        let routes = Routes::new(
            to,
            vec![
                Route::parse("/api=127.0.0.1:5001").unwrap(),
                Route::parse("/api/v2/=127.0.0.1:5002").unwrap(),
                Route::parse("/ws=127.0.0.1:5003").unwrap(),
            ],
        )
        .unwrap();
        for (path, port) in [
            ("/", "5000"),
            ("/index.html", "5000"),
            ("/api", "5001"),
            ("/api/users", "5001"),
            ("/apix", "5000"),
            ("/api/v2", "5002"),
            ("/api/v2/x", "5002"),
            ("/ws", "5003"),
            ("/wsx/y", "5000"),
        ] {
            assert!(routes.pick(path).backend.authority.ends_with(port), "{path}");
        }
        let twice = Routes::new(
            Backend::parse("127.0.0.1:5000").unwrap(),
            vec![Route::parse("/a=h:1").unwrap(), Route::parse("/a/=h:2").unwrap()],
        );
        assert!(twice.is_err());
        assert!(Route::parse("api=h:1").is_err());
        assert!(Route::parse("/api").is_err());
    }
}
