//! Windows: a Task Scheduler task `tlsforge-renew`, created from an XML definition with
//! `schtasks /Create /XML` (the definition stays in the data directory, which also says the
//! task is there).

use std::path::PathBuf;

use super::{JOB, Job, program};
use crate::text::xml_escape;
use crate::trust::machine::Machine;
use crate::trust::plan::{Step, arg};

fn definition(job: &Job) -> Result<PathBuf, String> {
    job.data_dir
        .as_ref()
        .map(|dir| dir.join(format!("{JOB}.xml")))
        .ok_or_else(|| "no data directory to keep the task's definition in".to_owned())
}

pub(super) fn install(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    let xml = definition(job)?;
    let schtasks = program(machine, "schtasks.exe");
    Ok(vec![
        Step::create_dir("create the data directory", xml.parent().map(PathBuf::from).unwrap_or_default()),
        Step::write("write the task that runs `tlsforge renew` daily", xml.clone(), utf16(&task(job)), false),
        Step::run(
            "create (or replace) the task",
            [schtasks.as_str(), "/Create", "/XML", &arg(&xml), "/TN", JOB, "/F"],
            false,
        ),
    ])
}

pub(super) fn uninstall(machine: &Machine, job: &Job) -> Result<Vec<Step>, String> {
    let xml = definition(job)?;
    if !super::exists(&xml) {
        return Ok(Vec::new());
    }
    let schtasks = program(machine, "schtasks.exe");
    Ok(vec![
        Step::run("delete the task", [schtasks.as_str(), "/Delete", "/TN", JOB, "/F"], false),
        Step::remove("remove the task's definition", xml, false),
    ])
}

/// schtasks reads task XML as UTF-16 (little-endian, with a byte-order mark).
fn utf16(text: &str) -> Vec<u8> {
    std::iter::once(0xfeff_u16).chain(text.encode_utf16()).flat_map(u16::to_le_bytes).collect()
}

/// Daily at 10:00 as the user who installs it, only while logged on (no stored password), and
/// at the next chance when the machine was off.
pub(super) fn task(job: &Job) -> String {
    let [exe, args] = job.argv();
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Renew the certificates tlsforge made before they expire</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2025-01-01T10:00:00</StartBoundary>
      <RandomDelay>PT1H</RandomDelay>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <StartWhenAvailable>true</StartWhenAvailable>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{}</Command>
      <Arguments>{}</Arguments>
    </Exec>
  </Actions>
</Task>
"#,
        xml_escape(&exe),
        xml_escape(&args)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::machine::Os;
    use crate::trust::plan::Action;
    use crate::trust::testing::{FakeRoot, argv};

    /// The elements of `xml` named `name`, with their text (a small reader for a known shape:
    /// it also proves every opened element is closed in order).
    fn elements(xml: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut open: Vec<(String, usize)> = Vec::new();
        let mut rest = xml;
        let mut at = 0;
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').expect("a closed tag") + start;
            let tag = &rest[start + 1..end];
            let after = at + end + 1;
            if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            } else if let Some(name) = tag.strip_prefix('/') {
                let (opened, from) = open.pop().expect("an open element");
                assert_eq!(opened, name, "elements nest");
                found.push((opened, xml[from..at + start].to_owned()));
            } else {
                let name = tag.split_whitespace().next().unwrap().to_owned();
                open.push((name, after));
            }
            at = after;
            rest = &xml[at..];
        }
        assert!(open.is_empty(), "every element is closed: {open:?}");
        found
    }

    /// The file as an XML parser reads it (Python's expat), when there is a python3.
    fn assert_well_formed(file: &[u8]) {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let check = "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())";
        let Ok(mut child) =
            Command::new("python3").args(["-c", check]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn()
        else {
            eprintln!("skipped the XML parser check: python3 is not installed");
            return;
        };
        child.stdin.take().unwrap().write_all(file).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "not well-formed: {}", String::from_utf8_lossy(&out.stderr));
    }

    #[test]
    fn the_task_runs_renew_daily_as_the_user() {
        let job = Job {
            exe: r"C:\Users\Me & You\tlsforge.exe".into(),
            uid: None,
            data_dir: Some(r"C:\Users\Me\AppData\Roaming\tlsforge\data".into()),
        };
        let xml = task(&job);
        let found = elements(&xml);
        let text = |name: &str| found.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap();
        assert_eq!(text("Command"), r"C:\Users\Me &amp; You\tlsforge.exe");
        assert_eq!(text("Arguments"), "renew");
        assert_eq!(text("DaysInterval"), "1");
        assert!(text("CalendarTrigger").contains("<ScheduleByDay>"));
        assert_eq!(text("LogonType"), "InteractiveToken", "no stored password");
        assert_eq!(text("RunLevel"), "LeastPrivilege");
        assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-16"?>"#));
        assert_eq!(found.iter().filter(|(n, _)| n == "Task").count(), 1);

        let root = FakeRoot::new();
        let machine = root.machine(Os::Windows);
        let data = root.path("data");
        let job = Job { data_dir: Some(data.clone()), ..job };
        let steps = install(&machine, &job).unwrap();
        let Action::Write { path, contents } = &steps[1].action else { panic!("{steps:?}") };
        assert_eq!(path, &data.join("tlsforge-renew.xml"));
        assert_eq!(&contents[..2], &[0xff, 0xfe], "UTF-16LE with a byte-order mark");
        let units: Vec<u16> = contents[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        assert_eq!(String::from_utf16(&units).unwrap(), xml);
        assert_well_formed(contents);
        assert_eq!(
            argv(&steps[2])[1..],
            ["/Create", "/XML", &arg(&data.join("tlsforge-renew.xml")), "/TN", "tlsforge-renew", "/F"]
        );
        assert!(uninstall(&machine, &job).unwrap().is_empty(), "nothing installed");
        root.file("data/tlsforge-renew.xml", "x");
        assert_eq!(
            argv(&uninstall(&machine, &job).unwrap()[0])[1..],
            ["/Delete", "/TN", "tlsforge-renew", "/F"]
        );
    }
}
