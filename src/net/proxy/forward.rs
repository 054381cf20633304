//! What a request and its response look like on the other side of the proxy: hop-by-hop
//! headers dropped (RFC 9110 §7.6.1), the forwarding headers nginx's usual block sets added,
//! and `Content-Security-Policy: upgrade-insecure-requests` when asked for.

use std::net::IpAddr;

use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};

/// Headers that describe one connection, not the message (names, not strings: a lookup by a
/// string parses it first, on every request).
static HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
];

/// Drop the hop-by-hop headers and those `Connection` names; `Upgrade` too unless the message
/// is an upgrade that goes on (then `Connection: upgrade` is put back).
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap, upgrade: bool) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    // One pass over the names the message has (a handful), not a lookup for each name that
    // might be there: most messages have none of them.
    let going: Vec<HeaderName> = headers
        .keys()
        .filter(|&name| {
            if name == header::UPGRADE { !upgrade } else { HOP_BY_HOP.contains(name) || named.contains(name) }
        })
        .cloned()
        .collect();
    for name in going {
        headers.remove(name);
    }
    if upgrade {
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    }
}

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");

/// `X-Forwarded-For` (appended to what came), `X-Forwarded-Proto: https`, `X-Forwarded-Host`
/// and `Forwarded` (RFC 7239, appended), for a request from `client` to `host`.
pub(crate) fn add_forwarding(headers: &mut HeaderMap, client: IpAddr, host: &str) {
    let append = |headers: &mut HeaderMap, name: HeaderName, value: String| {
        let joined = match headers.get(&name).and_then(|v| v.to_str().ok()) {
            Some(before) if !before.trim().is_empty() => format!("{before}, {value}"),
            _ => value,
        };
        if let Ok(joined) = HeaderValue::from_str(&joined) {
            headers.insert(name, joined);
        }
    };
    append(headers, X_FORWARDED_FOR.clone(), client.to_string());
    headers.insert(X_FORWARDED_PROTO.clone(), HeaderValue::from_static("https"));
    if let Ok(value) = HeaderValue::from_str(host) {
        headers.insert(X_FORWARDED_HOST.clone(), value);
    }
    let node = match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("\"[{v6}]\""),
    };
    let host = host.replace(['"', '\\'], "");
    append(headers, header::FORWARDED, format!("for={node};proto=https;host=\"{host}\""));
}

/// Ask the browser to load the page's `http://` subresources over https.
pub(crate) fn upgrade_insecure(headers: &mut HeaderMap) {
    headers.append(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("upgrade-insecure-requests"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_stay_behind() {
        let mut headers = map(&[
            ("connection", "keep-alive, X-Secret"),
            ("x-secret", "1"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("upgrade", "websocket"),
            ("cookie", "a=b"),
        ]);
        strip_hop_by_hop(&mut headers, false);
        assert_eq!(headers.len(), 1, "{headers:?}");
        assert_eq!(headers["cookie"], "a=b");
        let mut upgrade =
            map(&[("connection", "Upgrade"), ("upgrade", "websocket"), ("sec-websocket-key", "k")]);
        strip_hop_by_hop(&mut upgrade, true);
        assert_eq!(upgrade["connection"], "upgrade");
        assert_eq!(upgrade["upgrade"], "websocket");
        assert_eq!(upgrade["sec-websocket-key"], "k");
    }

    #[test]
    fn forwarding_headers_append_to_what_came() {
        let mut headers = map(&[("x-forwarded-for", "10.0.0.1"), ("x-forwarded-proto", "http")]);
        add_forwarding(&mut headers, "192.168.1.31".parse().unwrap(), "app.test:5443");
        assert_eq!(headers["x-forwarded-for"], "10.0.0.1, 192.168.1.31");
        assert_eq!(headers["x-forwarded-proto"], "https");
        assert_eq!(headers["x-forwarded-host"], "app.test:5443");
        assert_eq!(headers["forwarded"], "for=192.168.1.31;proto=https;host=\"app.test:5443\"");
        let mut v6 = HeaderMap::new();
        add_forwarding(&mut v6, "::1".parse().unwrap(), "[::1]:5443");
        assert_eq!(v6["forwarded"], "for=\"[::1]\";proto=https;host=\"[::1]:5443\"");
    }
}
