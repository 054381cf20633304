//! What version of a client answered: `curl --version`, `python3 --version`, `node --version`,
//! `java -version`, the browser's `--version`. Best effort and bounded.

use std::process::Command;
use std::time::Duration;

use super::{ClientKind, ClientSpec};
use crate::process as child;

pub(super) fn of(spec: &ClientSpec, limit: Duration) -> Option<String> {
    let mut command = Command::new(&spec.program);
    command.envs(spec.env.iter().map(|(k, v)| (k, v)));
    command.arg(if spec.kind == ClientKind::Java { "-version" } else { "--version" });
    // A browser asked for its version must not start making a profile in the user's HOME.
    let home = spec.kind.uses_nssdb().then(|| tempfile::Builder::new().prefix("tlsforge-version.").tempdir());
    if let Some(Ok(home)) = &home {
        command.env("HOME", home.path()).current_dir(home.path());
    }
    let finished = child::run(&mut command, limit).ok()?;
    if !finished.status.is_some_and(|s| s.success()) {
        return None;
    }
    parse(spec.kind, &finished.stdout, &finished.stderr)
}

/// The version from what `--version` printed (Java prints on stderr; old Python too).
fn parse(kind: ClientKind, stdout: &str, stderr: &str) -> Option<String> {
    let first = |text: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with("Picked up "))
            .map(str::to_owned)
    };
    let line = first(stdout).or_else(|| first(stderr))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let version = match kind {
        // "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 …", "Chromium 156.0.8078.114 built on …"
        ClientKind::Curl | ClientKind::Chromium => words.get(..2).map(|w| w.join(" ")),
        // "Python 3.11.2", "Mozilla Firefox 153.8.0esr"
        ClientKind::Python | ClientKind::Firefox => Some(line.clone()),
        // "v20.20.2"
        ClientKind::Node => Some(format!("Node.js {}", line.trim_start_matches('v'))),
        // `openjdk version "17.0.15" 2025-04-15`
        ClientKind::Java => {
            let (vendor, rest) = line.split_once(" version ")?;
            let number = rest.split('"').nth(1)?;
            Some(format!("{vendor} {number}"))
        }
    };
    version.filter(|v| !v.is_empty() && v.len() <= 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_as_people_write_them() {
        let curl =
            "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.22\nRelease-Date: 2023-02-20\n";
        assert_eq!(parse(ClientKind::Curl, curl, "").as_deref(), Some("curl 7.88.1"));
        assert_eq!(parse(ClientKind::Python, "Python 3.11.2\n", "").as_deref(), Some("Python 3.11.2"));
        assert_eq!(parse(ClientKind::Python, "", "Python 2.7.18\n").as_deref(), Some("Python 2.7.18"));
        assert_eq!(parse(ClientKind::Node, "v20.20.2\n", "").as_deref(), Some("Node.js 20.20.2"));
        let java =
            "Picked up JAVA_TOOL_OPTIONS: -Dx=y\nopenjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime…\n";
        assert_eq!(parse(ClientKind::Java, "", java).as_deref(), Some("openjdk 17.0.15"));
        let chromium = "Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n";
        assert_eq!(
            parse(ClientKind::Chromium, chromium, "noise\n").as_deref(),
            Some("Chromium 156.0.8078.114")
        );
        assert_eq!(
            parse(ClientKind::Firefox, "Mozilla Firefox 153.8.0esr\n", "").as_deref(),
            Some("Mozilla Firefox 153.8.0esr")
        );
        assert_eq!(parse(ClientKind::Java, "", "garbage\n"), None);
        assert_eq!(parse(ClientKind::Curl, "", ""), None);
    }
}
