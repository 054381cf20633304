//! macOS: a launchd agent, `~/Library/LaunchAgents/dev.tlsforge.renew.plist`, loaded into the
//! user's GUI domain with `launchctl bootstrap gui/UID`.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Job, program, under_home};
use crate::text::{PLIST_PROLOGUE, xml_escape};
use crate::trust::machine::Machine;
use crate::trust::plan::{Step, arg};

/// The agent's label (reverse DNS, as launchd expects).
pub(super) const LABEL: &str = "dev.tlsforge.renew";

fn plist_path(machine: &Machine) -> Result<PathBuf, String> {
    under_home(machine, &format!("Library/LaunchAgents/{LABEL}.plist"))
}

fn domain(job: &Job) -> Result<String, String> {
    job.uid.map(|uid| format!("gui/{uid}")).ok_or_else(|| "the user id is unknown".to_owned())
}

pub(super) fn install(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    let path = plist_path(machine)?;
    let domain = domain(job)?;
    let launchctl = program(machine, "launchctl");
    let log = under_home(machine, "Library/Logs/tlsforge-renew.log")?;
    let mut steps = vec![Step::create_dir(
        "create the LaunchAgents directory",
        path.parent().map(PathBuf::from).unwrap_or_default(),
    )];
    if super::exists(&path) {
        steps.push(Step::run(
            "unload the agent installed before",
            [launchctl.as_str(), "bootout", &domain, &arg(&path)],
            false,
        ));
    }
    steps.push(Step::write(
        "write the agent that runs `tlsforge renew` daily",
        path.clone(),
        plist(job, &log).into_bytes(),
        false,
    ));
    steps.push(Step::run("load the agent", [launchctl.as_str(), "bootstrap", &domain, &arg(&path)], false));
    Ok(steps)
}

pub(super) fn uninstall(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    let path = plist_path(machine)?;
    if !super::exists(&path) {
        return Ok(Vec::new());
    }
    let launchctl = program(machine, "launchctl");
    Ok(vec![
        Step::run("unload the agent", [launchctl.as_str(), "bootout", &domain(job)?, &arg(&path)], false),
        Step::remove("remove the agent", path, false),
    ])
}

/// The agent: `tlsforge renew` every day at 10:00 (launchd runs a missed one at wake-up).
pub(super) fn plist(job: &Job, log: &std::path::Path) -> String {
    let mut args = String::new();
    for word in job.argv() {
        let _ = write!(args, "\n        <string>{}</string>", xml_escape(&word));
    }
    let log = xml_escape(&log.to_string_lossy());
    format!(
        r"{PLIST_PROLOGUE}
<dict>
    <key>Label</key>
    <string>{LABEL}</string>
    <key>ProgramArguments</key>
    <array>{args}
    </array>
    <key>StartCalendarInterval</key>
    <dict>
        <key>Hour</key>
        <integer>10</integer>
        <key>Minute</key>
        <integer>0</integer>
    </dict>
    <key>StandardOutPath</key>
    <string>{log}</string>
    <key>StandardErrorPath</key>
    <string>{log}</string>
</dict>
</plist>
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::machine::Os;
    use crate::trust::plan::Action;
    use crate::trust::testing::{FakeRoot, argv};

    #[test]
    fn the_agent_is_written_then_bootstrapped_in_the_users_gui_domain() {
        let root = FakeRoot::new();
        let machine = root.machine(Os::Macos);
        let job = Job { exe: "/Users/me/bin/tls<forge>".into(), uid: Some(501), data_dir: None };
        let steps = install(&machine, &job).unwrap();
        let plist_file = root.path("home/u/Library/LaunchAgents/dev.tlsforge.renew.plist");
        let Action::Write { path, contents } = &steps[1].action else { panic!("{steps:?}") };
        assert_eq!(path, &plist_file);
        let text = String::from_utf8(contents.clone()).unwrap();
        assert!(text.contains("<string>/Users/me/bin/tls&lt;forge&gt;</string>"), "{text}");
        assert_eq!(argv(&steps[2])[1..], ["bootstrap".to_owned(), "gui/501".into(), arg(&plist_file)]);

        // The plist parses as Apple's format, with the program and the daily schedule.
        if let Ok(out) = std::process::Command::new("python3")
            .args([
                "-c",
                "import plistlib,sys,json; d=plistlib.loads(sys.stdin.buffer.read()); print(json.dumps(d))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(text.as_bytes())?;
                child.wait_with_output()
            })
        {
            assert!(out.status.success(), "plistlib refused the agent");
            let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(parsed["Label"], "dev.tlsforge.renew");
            assert_eq!(parsed["ProgramArguments"], serde_json::json!(["/Users/me/bin/tls<forge>", "renew"]));
            assert_eq!(parsed["StartCalendarInterval"]["Hour"], 10);
        } else if std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
            panic!("python3 is required to check the plist");
        } else {
            eprintln!("skipped the plistlib check: python3 is not installed");
        }

        // Installed already: unloaded first; removed by uninstall.
        root.file("home/u/Library/LaunchAgents/dev.tlsforge.renew.plist", "old");
        let steps = install(&machine, &job).unwrap();
        assert_eq!(argv(&steps[1])[1..3], ["bootout", "gui/501"]);
        let steps = uninstall(&machine, &job).unwrap();
        assert_eq!(argv(&steps[0])[1..3], ["bootout", "gui/501"]);
        assert!(matches!(steps[1].action, Action::Remove { .. }));
    }
}
