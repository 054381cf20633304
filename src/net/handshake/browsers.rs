//! Chromium and Firefox: load `https://NAME:PORT/` in the headless browser with the NSS
//! database under test ([`crate::net::browser`]) and check the page it shows.

use std::time::{Duration, Instant};

use super::{ClientSpec, Target, Verdict};
use crate::net::browser::{self, Launch, Visit};
use crate::net::loopback::PAGE_TITLE;

pub(super) fn chromium(spec: &ClientSpec, target: &Target, limit: Duration) -> Verdict {
    visit(spec, target, limit, browser::chromium)
}

pub(super) fn firefox(spec: &ClientSpec, target: &Target, limit: Duration) -> Verdict {
    visit(spec, target, limit, browser::firefox)
}

type Driver = fn(&Launch<'_>, &str, Instant) -> Result<Visit, String>;

fn visit(spec: &ClientSpec, target: &Target, limit: Duration, driver: Driver) -> Verdict {
    let launch = Launch {
        program: &spec.program,
        nssdb: spec.nssdb.as_deref(),
        env: &spec.env,
        map_to_loopback: (!target.is_ip()).then_some(target.name.as_str()),
    };
    match driver(&launch, &target.url(), Instant::now() + limit) {
        Ok(Visit::Loaded { title }) if title == PAGE_TITLE => Verdict::Accepted,
        Ok(Visit::Loaded { title }) => {
            Verdict::Failed(format!("a page loaded, but not the check's (its title is {title:?})"))
        }
        Ok(Visit::Refused(code)) => Verdict::Refused(code),
        Ok(Visit::Failed(why)) | Err(why) => Verdict::Failed(why),
    }
}
