//! README.md cannot rot: the fenced blocks tagged `test` run here, as a user would type them.
//!
//! A fence's info string is the language and then tags: `test` (its own sandbox) or
//! `test=GROUP` (blocks of one group share a sandbox and a shell, in document order, as one
//! terminal session would), `root` (the group runs as root in a private mount namespace in which
//! the system trust store is a copy), `cwd=repo` (in this repository instead of `~/app`), or
//! `untested` (commands that cannot run here: another OS, a public domain). Every `sh` and
//! `console` block carries one or the other, so nothing is left out by accident.
//!
//! - `sh` blocks run under `bash -eo pipefail`: any failing command fails the test.
//! - `console` blocks hold `$ COMMAND` lines, each followed by the output it prints (stdout and
//!   stderr together). The output must match line by line, where a line `...` stands for any
//!   number of lines, `[..]` inside a line for any text, and digits and hex letters may differ
//!   (dates, fingerprints). `[exit status N]` as the last line expects that status, else 0.
//! - `yaml` blocks (GitHub Actions) run their `run:` steps in order.
//!
//! The sandbox: HOME is a temporary directory shown as `/home/me` (outputs are compared with it
//! replaced), the work directory `~/app`, `tlsforge` on PATH is the binary under test, port 5443
//! becomes a free port, and `/etc/letsencrypt` a fixture directory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::{BIN, Namespace, Run, fake_java_home, free_port, have, openssl_chain, repo, tool};

const README: &str = include_str!("../README.md");

/// The port README uses for the service; each run swaps in a free one.
const README_PORT: &str = "5443";
const LETSENCRYPT: &str = "/etc/letsencrypt";

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    lang: String,
    tags: Vec<String>,
    body: String,
}

impl Block {
    fn group(&self) -> Option<String> {
        self.tags.iter().find_map(|tag| match tag.as_str() {
            "test" => Some(format!("line {}", self.line)),
            _ => tag.strip_prefix("test=").map(str::to_owned),
        })
    }

    fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if let Some(block) = open.take() {
                found.push(block);
            } else {
                let mut words = info.split_whitespace().map(str::to_owned);
                open = Some(Block {
                    line: n + 1,
                    lang: words.next().unwrap_or_default(),
                    tags: words.collect(),
                    body: String::new(),
                });
            }
        } else if let Some(block) = open.as_mut() {
            block.body.push_str(line);
            block.body.push('\n');
        }
    }
    assert!(open.is_none(), "README.md: a fence is never closed");
    found
}

/// The tagged blocks, by group, in document order.
fn groups() -> BTreeMap<String, Vec<Block>> {
    let mut groups: BTreeMap<String, Vec<Block>> = BTreeMap::new();
    for block in blocks(README) {
        if let Some(group) = block.group() {
            groups.entry(group).or_default().push(block);
        }
    }
    groups
}

// ---------------------------------------------------------------------------------------------
// Turning blocks into one script

/// One `$ COMMAND` of a console block and what it should print.
#[derive(Debug)]
struct Expectation {
    readme_line: usize,
    command: String,
    output: Vec<String>,
    status: i32,
}

fn console_commands(block: &Block) -> Vec<Expectation> {
    let mut commands: Vec<Expectation> = Vec::new();
    let mut continued = false;
    for (n, line) in block.body.lines().enumerate() {
        if continued {
            let last = commands.last_mut().unwrap();
            last.command.push('\n');
            last.command.push_str(line);
            continued = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            commands.push(Expectation {
                readme_line: block.line + 1 + n,
                command: command.to_owned(),
                output: Vec::new(),
                status: 0,
            });
            continued = line.ends_with('\\');
        } else {
            let last = commands.last_mut().unwrap_or_else(|| {
                panic!("README.md:{}: console output before any `$ ` command", block.line + 1 + n)
            });
            last.output.push(line.to_owned());
        }
    }
    for expectation in &mut commands {
        while expectation.output.last().is_some_and(|l| l.trim().is_empty()) {
            expectation.output.pop();
        }
        if let Some(status) = expectation
            .output
            .last()
            .and_then(|l| l.strip_prefix("[exit status "))
            .and_then(|l| l.strip_suffix(']'))
        {
            expectation.status = status.parse().expect("[exit status N]");
            expectation.output.pop();
        }
    }
    commands
}

/// The `run:` steps of a GitHub Actions workflow, one-line or `run: |` blocks.
fn workflow_steps(body: &str) -> Vec<String> {
    let mut steps = Vec::new();
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((indent, rest)) = line.split_once("run:") else { continue };
        if !indent.trim_start_matches(' ').trim_start_matches("- ").trim().is_empty() {
            continue;
        }
        let rest = rest.trim();
        if rest == "|" {
            let mut step = String::new();
            let depth = indent.len() + 2;
            while let Some(next) = lines.peek() {
                if !next.trim().is_empty() && next.len() - next.trim_start().len() < depth {
                    break;
                }
                step.push_str(next.get(depth..).unwrap_or(""));
                step.push('\n');
                lines.next();
            }
            steps.push(step);
        } else {
            steps.push(rest.to_owned());
        }
    }
    steps
}

/// Bash that waits (up to 5 s) for every `-accept PORT` a block starts a server on.
fn port_waits(text: &str) -> String {
    let mut waits = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("-accept ") {
        rest = &rest[at + "-accept ".len()..];
        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !port.is_empty() {
            let _ = writeln!(
                waits,
                "for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.1; done"
            );
        }
    }
    waits
}

struct Script {
    text: String,
    expectations: Vec<Expectation>,
}

fn script(blocks: &[Block], substitute: &dyn Fn(&str) -> String) -> Script {
    let mut text = String::from(
        "set -eo pipefail\ntrap '__status=$?; set +e; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; exit $__status' EXIT\n",
    );
    let mut expectations = Vec::new();
    for block in blocks {
        let _ = writeln!(text, "printf '\\n@@block {}\\n'", block.line);
        match block.lang.as_str() {
            "sh" | "bash" => {
                let body = substitute(&block.body);
                text += &body;
                text += &port_waits(&body);
            }
            "yaml" => {
                for step in workflow_steps(&block.body) {
                    // Installing tlsforge itself is what the install test proves.
                    if step.contains("cargo install") {
                        continue;
                    }
                    let step = substitute(&step);
                    let _ = writeln!(text, "{step}");
                    text += &port_waits(&step);
                }
            }
            "console" => {
                for mut expectation in console_commands(block) {
                    let n = expectations.len();
                    expectation.command = substitute(&expectation.command);
                    expectation.output = expectation.output.iter().map(|l| substitute(l)).collect();
                    let _ = write!(
                        text,
                        "printf '\\n@@begin {n}\\n'\nset +e\n{{ {command}\n}} 2>&1\n__status=$?\nset -e\n\
                         printf '\\n@@end {n} %d\\n' \"$__status\"\n{waits}",
                        command = expectation.command,
                        waits = port_waits(&expectation.command),
                    );
                    expectations.push(expectation);
                }
            }
            other => panic!("README.md:{}: no way to test a `{other}` block", block.line),
        }
    }
    Script { text, expectations }
}

// ---------------------------------------------------------------------------------------------
// Comparing output

/// Digits and hex letters vary from run to run (dates, fingerprints, entry names); the rest
/// must be as README shows it.
fn normalise(line: &str) -> String {
    line.trim_end().chars().map(|c| if c.is_ascii_hexdigit() { '#' } else { c }).collect()
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let (expected, actual) = (normalise(expected), normalise(actual));
    let mut parts = expected.split("[..]");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = actual.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, tail)| line_matches(first, line) && lines_match(rest, tail)),
    }
}

/// What command `n` printed and its status, from between the script's markers.
fn captured(stdout: &str, n: usize) -> Option<(String, i32)> {
    let begin = format!("\n@@begin {n}\n");
    let end = format!("\n@@end {n} ");
    let start = stdout.find(&begin)? + begin.len();
    let stop = start + stdout[start..].find(&end)?;
    let status = stdout[stop + end.len()..].lines().next()?.trim().parse().ok()?;
    Some((stdout[start..stop].trim_end_matches('\n').to_owned(), status))
}

// ---------------------------------------------------------------------------------------------
// Running a group

struct Setup<'a> {
    /// Run from the repository, with `cargo install` going into the sandbox.
    in_repo: bool,
    /// certbot's files where README's `/etc/letsencrypt` points ([`certbot_layout`]).
    certbot: bool,
    /// Shell commands run before the group, in its work directory (fixtures README assumes); a
    /// server they start is waited for like one a block starts.
    before: &'a str,
}

fn run_group(name: &str, setup: &Setup<'_>) {
    let all = groups();
    let blocks = all.get(name).unwrap_or_else(|| panic!("README.md has no block tagged test={name}"));
    let root_needed = blocks.iter().any(|b| b.has("root"));
    let in_repo = setup.in_repo || blocks.iter().any(|b| b.has("cwd=repo"));
    if blocks.iter().any(|b| b.body.contains("openssl")) && !have("openssl") {
        return;
    }
    let namespace = if root_needed {
        match Namespace::new() {
            Some(ns) => Some(ns),
            None => return,
        }
    } else {
        None
    };

    let sandbox = tempfile::tempdir().unwrap();
    // The real path, so that what tlsforge prints (canonical paths) contains it.
    let root = fs::canonicalize(sandbox.path()).unwrap();
    let home = root.join("home");
    let work = home.join("app");
    let bin = root.join("bin");
    let letsencrypt = root.join("letsencrypt");
    for dir in [&work, &bin, &letsencrypt] {
        fs::create_dir_all(dir).unwrap();
    }
    std::os::unix::fs::symlink(BIN, bin.join("tlsforge")).unwrap();
    let cwd = if in_repo { repo("") } else { work.clone() };

    let port = free_port().to_string();
    let letsencrypt_text = letsencrypt.display().to_string();
    let home_text = home.display().to_string();
    let substitute = |text: &str| {
        let mut text = text.replace(README_PORT, &port).replace(LETSENCRYPT, &letsencrypt_text);
        if in_repo {
            // The README's `cargo install --path .`, from the build this test runs (no network,
            // no release build), into the sandbox instead of the developer's ~/.cargo.
            text = text.replace(
                "cargo install --path .",
                "cargo install --path . --debug --offline --locked --root \"$HOME/.cargo\"",
            );
        }
        text
    };
    let script = script(blocks, &substitute);
    let before = substitute(setup.before);
    if setup.certbot {
        certbot_layout(&letsencrypt);
    }

    let original_path = std::env::var("PATH").unwrap_or_default();
    let path = if in_repo {
        format!("{home_text}/.cargo/bin:{original_path}")
    } else {
        format!("{}:{original_path}", bin.display())
    };
    let mut cmd = match &namespace {
        Some(ns) => {
            let wrapper = ns.enter(&cwd);
            let mut cmd = Command::new(&wrapper[0]);
            cmd.args(&wrapper[1..]).arg("bash");
            cmd
        }
        None => Command::new("bash"),
    };
    cmd.arg("-c")
        .arg(format!("{before}\n{}{}", port_waits(&before), script.text))
        .current_dir(&cwd)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("USER", "me")
        .env("LOGNAME", "me")
        .env("SHELL", "/bin/bash")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null());
    if in_repo {
        cargo_env(&mut cmd);
    }
    if root_needed && have("keytool") {
        // `trust` picks Java up from keytool: let it change a copy of cacerts.
        cmd.env("JAVA_HOME", fake_java_home(&root));
    }
    let run = Run::from(cmd.output().expect("bash"));

    // What the user would see: their home, not the sandbox's.
    let jdk_text = root.join("jdk").display().to_string();
    let shown = |text: &str| {
        text.replace(&letsencrypt_text, LETSENCRYPT)
            .replace(&jdk_text, "/usr/lib/jvm/default-java")
            .replace(&home_text, "/home/me")
    };
    let stdout = shown(&run.stdout);
    let mut failures = compare(&script.expectations, &stdout, &port, &shown);
    if run.code != 0 {
        let block = stdout.rfind("@@block ").map_or("?", |at| stdout[at + 8..].lines().next().unwrap_or("?"));
        failures.push(format!(
            "README.md:{block}: the block failed (exit {}):\nstdout:\n{stdout}\nstderr:\n{}",
            run.code,
            shown(&run.stderr)
        ));
    }
    assert!(failures.is_empty(), "README group {name}:\n{}", failures.join("\n\n"));
}

/// Each console command's output and status against README's, as failure messages.
fn compare(
    expectations: &[Expectation],
    stdout: &str,
    port: &str,
    shown: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (n, expectation) in expectations.iter().enumerate() {
        let expected: Vec<String> = expectation.output.iter().map(|l| shown(l)).collect();
        match captured(stdout, n) {
            None => failures.push(format!(
                "README.md:{}: `{}` never finished",
                expectation.readme_line, expectation.command
            )),
            Some((output, status)) => {
                let output = replace_number(&shown(&output), port, README_PORT);
                let expected: Vec<String> =
                    expected.iter().map(|l| replace_number(l, port, README_PORT)).collect();
                let lines: Vec<&str> = output.lines().collect();
                if status != expectation.status || !lines_match(&expected, &lines) {
                    failures.push(format!(
                        "README.md:{}: `{}` exited {status} (README: {}) and printed:\n{output}\n\
                         --- README shows:\n{}",
                        expectation.readme_line,
                        expectation.command,
                        expectation.status,
                        expected.join("\n")
                    ));
                }
            }
        }
    }
    failures
}

/// `from` replaced where it stands alone as a number (`localhost:40123`, not inside a fingerprint).
fn replace_number(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back().or_else(|| out.chars().next_back());
        let after = rest[at + from.len()..].chars().next();
        let alone = !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if alone { to } else { from });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// What `cargo install` needs from the real environment, which the sandbox hides: the registry
/// (`CARGO_HOME`), the toolchains (`RUSTUP_HOME`) and the target directory of this build.
fn cargo_env(cmd: &mut Command) {
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(|| dirs_home().join(".cargo"), PathBuf::from);
    cmd.env("CARGO_HOME", cargo_home).env("CARGO_TARGET_DIR", target_dir());
    // rustup's proxies find their toolchains from the real HOME, which the sandbox hides.
    let rustup = std::env::var_os("RUSTUP_HOME").map_or_else(|| dirs_home().join(".rustup"), PathBuf::from);
    if rustup.is_dir() {
        cmd.env("RUSTUP_HOME", rustup);
    }
    if let Some(toolchain) = std::env::var_os("RUSTUP_TOOLCHAIN") {
        cmd.env("RUSTUP_TOOLCHAIN", toolchain);
    }
}

fn dirs_home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
}

/// The target directory this test binary was built into (`target/debug/deps/..` → `target`).
fn target_dir() -> PathBuf {
    let bin = Path::new(BIN);
    bin.parent().and_then(Path::parent).expect("target dir").to_path_buf()
}

const PLAIN: Setup<'static> = Setup { in_repo: false, certbot: false, before: "" };

/// Named groups with a test of their own; every other group runs in `other_readme_blocks`.
const NAMED: [&str; 5] = ["install", "quickstart", "production", "ci", "inspect"];

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn every_shell_block_is_tested_or_says_why_not() {
    let mut untagged = Vec::new();
    for block in blocks(README) {
        let shell = matches!(block.lang.as_str(), "sh" | "bash" | "console");
        if shell && block.group().is_none() && !block.has("untested") {
            untagged.push(format!("README.md:{}: ```{}", block.line, block.lang));
        }
    }
    assert!(untagged.is_empty(), "tag these `test`, `test=GROUP` or `untested`:\n{}", untagged.join("\n"));
    let groups = groups();
    for name in NAMED {
        assert!(groups.contains_key(name), "README.md has no block tagged test={name}");
    }
}

#[test]
fn readme_install_builds_and_installs_completions() {
    if !have("bash") {
        return;
    }
    run_group("install", &Setup { in_repo: true, ..PLAIN });
}

#[test]
fn readme_quick_start_from_gen_to_doctor() {
    // The output shown has the system store, NSS (certutil) and Java (keytool) in it.
    if !have("curl") || !have("certutil") || !have("keytool") {
        return;
    }
    run_group("quickstart", &PLAIN);
}

/// certbot's layout in `dir` (what README calls `/etc/letsencrypt`): `live/DOMAIN/*.pem` link
/// into `archive/DOMAIN/*1.pem`, directories 0700, a key only its owner reads. The issuer stands
/// in for Let's Encrypt's intermediate.
fn certbot_layout(dir: &Path) {
    use std::os::unix::fs::{DirBuilderExt, symlink};
    let made = tempfile::tempdir().unwrap();
    openssl_chain(made.path(), "Stand-in");
    let read = |name: &str| fs::read(made.path().join(name)).unwrap();
    let (archive, live) = (dir.join("archive/example.com"), dir.join("live/example.com"));
    for new in [&archive, &live] {
        fs::DirBuilder::new().recursive(true).mode(0o700).create(new).unwrap();
    }
    fs::write(archive.join("cert1.pem"), read("leaf.crt")).unwrap();
    fs::write(archive.join("chain1.pem"), read("int.crt")).unwrap();
    fs::write(archive.join("fullchain1.pem"), [read("leaf.crt"), read("int.crt")].concat()).unwrap();
    // fs::copy keeps the key's 0600.
    fs::copy(made.path().join("leaf.key"), archive.join("privkey1.pem")).unwrap();
    for name in ["cert", "chain", "fullchain", "privkey"] {
        symlink(format!("../../archive/example.com/{name}1.pem"), live.join(format!("{name}.pem"))).unwrap();
    }
}

#[test]
fn readme_production_with_certbot_files() {
    if !have("openssl") {
        return;
    }
    run_group("production", &Setup { certbot: true, ..PLAIN });
}

/// inspect's examples: a certificate here, certbot's files, a full chain, a server on 5443.
const INSPECT_FIXTURE: &str = concat!(
    "tlsforge gen --domain localhost > /dev/null\n",
    "cat /etc/letsencrypt/live/example.com/fullchain.pem > fullchain.pem\n",
    "openssl s_server -quiet -www -accept 5443 -cert server.crt -key server.key &\n",
);

#[test]
fn readme_inspect_examples() {
    if !have("openssl") {
        return;
    }
    run_group("inspect", &Setup { certbot: true, before: INSPECT_FIXTURE, ..PLAIN });
}

#[test]
fn readme_ci_workflow_steps() {
    if !have("openssl") {
        return;
    }
    // The repository's own certificates, which the workflow guards.
    run_group(
        "ci",
        &Setup { before: "tlsforge gen --out deploy/certs --name staging staging.test > /dev/null", ..PLAIN },
    );
}

#[test]
fn other_readme_blocks() {
    for name in groups().keys() {
        if !NAMED.contains(&name.as_str()) {
            run_group(name, &PLAIN);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The harness itself: a comparison that cannot fail would prove nothing.

#[test]
fn output_comparison_rejects_what_differs() {
    let expected = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(lines_match(&expected(&["expires 2027-11-23 (365 days)"]), &["expires 2028-01-02 (364 days)"]));
    assert!(!lines_match(&expected(&["expires 2027-11-23 (365 days)"]), &["expires 2027-11-23 (36 days)"]));
    assert!(!lines_match(&expected(&["certificate server.crt"]), &["certificate server.key"]));
    assert!(lines_match(&expected(&["a", "...", "z"]), &["a", "b", "c", "z"]));
    assert!(lines_match(&expected(&["a", "...", "z"]), &["a", "z"]));
    assert!(!lines_match(&expected(&["a", "...", "z"]), &["a", "b"]));
    assert!(!lines_match(&expected(&["a"]), &["a", "extra"]));
    assert!(lines_match(
        &expected(&["system  [..] (Debian/Ubuntu): trusted"]),
        &["system  /x (Debian/Ubuntu): trusted"]
    ));
    assert!(!lines_match(&expected(&["system  [..]: trusted"]), &["system  /x: failed"]));
    assert!(tool("true", &[]).code == 0);
}

#[test]
fn console_blocks_parse_commands_outputs_and_statuses() {
    let block = Block {
        line: 10,
        lang: "console".into(),
        tags: vec!["test".into()],
        body: "$ tlsforge doctor \\\n    --strict\n✗ files: missing\n[exit status 1]\n$ echo hi\nhi\n".into(),
    };
    let commands = console_commands(&block);
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[0].command, "tlsforge doctor \\\n    --strict");
    assert_eq!(commands[0].output, ["✗ files: missing"]);
    assert_eq!(commands[0].status, 1);
    assert_eq!(commands[1].readme_line, 15);
    assert_eq!((commands[1].output.as_slice(), commands[1].status), (&["hi".to_owned()][..], 0));
    let steps = workflow_steps(
        "steps:\n  - run: tlsforge gen\n  - name: x\n    run: |\n      a\n      b\n  - uses: y\n",
    );
    assert_eq!(steps, ["tlsforge gen", "a\nb\n"]);
}
