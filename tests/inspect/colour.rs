//! Colours only when asked for, never with `NO_COLOR` or in JSON.

use crate::harness::{Run, Sandbox};

#[test]
fn colours_only_when_asked_for_and_never_with_no_color() {
    let sb = Sandbox::new();
    sb.run(&["gen", "--days", "20", "--name", "soon"]).success();
    sb.run(&["gen", "--days", "200", "--name", "later"]).success();
    let plain = sb.run(&["inspect", "soon.crt", "later.crt"]).success();
    assert!(!plain.stdout.contains('\x1b'), "no colours into a pipe");
    let forced =
        Run::from(sb.cmd(&["inspect", "soon.crt", "later.crt"]).env("CLICOLOR_FORCE", "1").output().unwrap());
    // notBefore is an hour back, so 20 days of validity leave 19 whole days.
    assert!(
        forced.stdout.contains("\x1b[33m(19 days left)\x1b[0m"),
        "yellow under 30 days:\n{}",
        forced.stdout
    );
    assert!(forced.stdout.contains("\x1b[32m(199 days left)\x1b[0m"), "green otherwise:\n{}", forced.stdout);
    let no_color = Run::from(
        sb.cmd(&["inspect", "soon.crt"]).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").output().unwrap(),
    );
    assert!(!no_color.stdout.contains('\x1b'), "NO_COLOR wins");
    let json = Run::from(
        sb.cmd(&["inspect", "soon.crt", "--format", "json"]).env("CLICOLOR_FORCE", "1").output().unwrap(),
    );
    assert!(!json.stdout.contains('\x1b'));
}
