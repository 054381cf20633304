//! External tools: whether one is here (a skip with a reason, or a failure under
//! `TLSFORGE_REQUIRE_TOOLS=1`), running one, and which python3 to use.

use std::path::Path;
use std::process::{Command, Stdio};

use super::Run;

/// Whether an external tool is here. Without it the test is skipped with a printed reason,
/// except under `TLSFORGE_REQUIRE_TOOLS=1` (set by `.ci/run`), where a skip is a failure.
pub(crate) fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{tool} is required (TLSFORGE_REQUIRE_TOOLS=1) but not installed"
        );
        eprintln!("SKIPPED: {tool} is not installed");
    }
    found
}

/// Whether a condition a test needs holds (root, a private mount namespace, ...). Like
/// [`have`]: skipped with a printed reason, a failure under `TLSFORGE_REQUIRE_TOOLS=1`.
pub(crate) fn require(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{what} is required (TLSFORGE_REQUIRE_TOOLS=1) but not available"
        );
        eprintln!("SKIPPED: {what} is not available");
    }
    ok
}

/// Run an external tool and capture what it said.
pub(crate) fn tool(program: &str, args: &[&str]) -> Run {
    Run::from(
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running {program}: {e}")),
    )
}

/// A python3 that can import `module`: the first on PATH may be another build than Debian's.
pub(crate) fn python_with(module: &str) -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "python3 with {module} is required (TLSFORGE_REQUIRE_TOOLS=1)"
        );
        eprintln!("SKIPPED: no python3 with the {module} module");
    }
    found
}

/// Python from the distribution rather than a version manager's shim (which wants its HOME).
pub(crate) fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" }
}

/// Whether a test can make a network namespace of its own (`unshare -n` as root, `ip` to give
/// its loopback addresses) and run `tools` in it; skipped with the reason otherwise.
pub(crate) fn network_namespace_here(tools: &[&str]) -> bool {
    require("root (for a network namespace)", is_root())
        && have("unshare")
        && have("ip")
        && tools.iter().all(|tool| have(tool))
}

/// Whether the tests run as root (the system store's tests need it for `unshare -m`).
pub(crate) fn is_root() -> bool {
    tool("id", &["-u"]).stdout.trim() == "0"
}
