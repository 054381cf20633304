//! Linux: `~/.config/systemd/user/tlsforge-renew.{service,timer}`, enabled with `systemctl --user`.

use std::path::PathBuf;

use super::{JOB, Job, program};
use crate::trust::machine::Machine;
use crate::trust::plan::Step;

fn unit_dir(machine: &Machine) -> Result<PathBuf, String> {
    machine
        .config_home()
        .map(|dir| dir.join("systemd/user"))
        .ok_or_else(|| "no home directory (HOME is not set)".to_owned())
}

pub(super) fn install(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    let dir = unit_dir(machine)?;
    let systemctl = program(machine, "systemctl");
    Ok(vec![
        Step::create_dir("create the systemd user unit directory", dir.clone()),
        Step::write(
            "write the service that runs `tlsforge renew`",
            dir.join(format!("{JOB}.service")),
            service(job).into_bytes(),
            false,
        ),
        Step::write("write the daily timer", dir.join(format!("{JOB}.timer")), timer().into_bytes(), false),
        Step::run("make systemd read the new units", [systemctl.as_str(), "--user", "daemon-reload"], false),
        Step::run(
            "start the timer now and at every login",
            [systemctl.as_str(), "--user", "enable", "--now", &format!("{JOB}.timer")],
            false,
        ),
    ])
}

pub(super) fn uninstall(machine: &Machine) -> Result<Vec<Step>, String> {
    let dir = unit_dir(machine)?;
    let systemctl = program(machine, "systemctl");
    let timer = dir.join(format!("{JOB}.timer"));
    let service = dir.join(format!("{JOB}.service"));
    let mut steps = Vec::new();
    if super::exists(&timer) {
        steps.push(Step::run(
            "stop and disable the timer",
            [systemctl.as_str(), "--user", "disable", "--now", &format!("{JOB}.timer")],
            false,
        ));
    }
    if super::exists(&timer) || super::exists(&service) {
        steps.push(Step::remove("remove the timer", timer, false));
        steps.push(Step::remove("remove the service", service, false));
        steps.push(Step::run(
            "make systemd forget the units",
            [systemctl.as_str(), "--user", "daemon-reload"],
            false,
        ));
    }
    Ok(steps)
}

/// The oneshot service: what the timer starts.
pub(super) fn service(job: &Job) -> String {
    let exec: Vec<String> = job.argv().iter().map(|word| quote(word)).collect();
    format!(
        "# Written by `tlsforge renew --install-timer`; `tlsforge renew --uninstall-timer` removes it.\n\
         [Unit]\n\
         Description=Renew the certificates tlsforge made before they expire\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={}\n",
        exec.join(" ")
    )
}

/// Daily, a little after midnight or at the next boot when the machine was off.
pub(super) fn timer() -> String {
    "# Written by `tlsforge renew --install-timer`; `tlsforge renew --uninstall-timer` removes it.\n\
     [Unit]\n\
     Description=Renew the certificates tlsforge made, daily\n\
     \n\
     [Timer]\n\
     OnCalendar=daily\n\
     RandomizedDelaySec=1h\n\
     Persistent=true\n\
     \n\
     [Install]\n\
     WantedBy=timers.target\n"
        .to_owned()
}

/// A word of `ExecStart=`: in double quotes with `\` and `"` escaped, `%` and `$` doubled
/// (systemd's specifiers and variables), so a path with spaces stays one word.
fn quote(word: &str) -> String {
    let escaped: String = word
        .chars()
        .map(|c| match c {
            '\\' => "\\\\".to_owned(),
            '"' => "\\\"".to_owned(),
            '%' => "%%".to_owned(),
            '$' => "$$".to_owned(),
            c => c.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::machine::Os;
    use crate::trust::plan::Action;
    use crate::trust::testing::FakeRoot;

    #[test]
    fn installs_a_service_and_a_daily_timer_then_enables_it() {
        let root = FakeRoot::new();
        let mut machine = root.machine(Os::Linux);
        machine.home = Some(root.path("home/me"));
        let job = Job { exe: "/opt/my tools/tlsforge".into(), uid: Some(1000), data_dir: None };
        let steps = install(&machine, &job).unwrap();
        let dir = root.path("home/me/.config/systemd/user");
        let Action::Write { path, contents } = &steps[1].action else { panic!("{steps:?}") };
        assert_eq!(path, &dir.join("tlsforge-renew.service"));
        let service = String::from_utf8(contents.clone()).unwrap();
        assert!(service.contains("ExecStart=\"/opt/my tools/tlsforge\" \"renew\"\n"), "{service}");
        assert!(service.contains("Type=oneshot"));
        let Action::Write { contents, .. } = &steps[2].action else { panic!() };
        assert!(String::from_utf8(contents.clone()).unwrap().contains("OnCalendar=daily"));
        let argv: Vec<Vec<String>> = steps[3..].iter().map(crate::trust::testing::argv).collect();
        assert_eq!(argv[0][1..], ["--user", "daemon-reload"]);
        assert_eq!(argv[1][1..], ["--user", "enable", "--now", "tlsforge-renew.timer"]);
        assert!(steps.iter().all(|s| !s.root), "a user's job needs no root");
        assert_eq!(quote("50%$x\"\\"), "\"50%%$$x\\\"\\\\\"");
    }

    #[test]
    fn uninstalls_only_what_is_there() {
        let root = FakeRoot::new();
        let mut machine = root.machine(Os::Linux);
        machine.home = Some(root.path("home/me"));
        assert!(uninstall(&machine).unwrap().is_empty());
        root.file("home/me/.config/systemd/user/tlsforge-renew.timer", "x");
        let steps = uninstall(&machine).unwrap();
        assert_eq!(
            crate::trust::testing::argv(&steps[0])[1..],
            ["--user", "disable", "--now", "tlsforge-renew.timer"]
        );
        assert!(matches!(steps[1].action, Action::Remove { .. }));
        assert_eq!(steps.len(), 4);
    }
}
