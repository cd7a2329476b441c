//! The numbers pump shows a lifter — progress charts, e1RM, volume, records
//! of every kind of set, exercise names, edits — checked through the real
//! binary. Each "seen" test reproduces something a new user ran into
//! (issue 14) and failed before it was fixed.

mod common;

use common::{Device, Server, pair};
use std::path::Path;

fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Seen: changing only the notes in `pump edit` ($EDITOR) rewrote untouched
/// sets: 225 lb became `102.06 kg`, a 10 mi ride became 16,090 m.
#[test]
fn seen_an_editor_round_trip_rewrote_untouched_sets() {
    let d = Device::new();
    let id = d.log(&[
        "Mixed",
        "--notes",
        "old note",
        "-e",
        "bench press: w5@135lb, 3x5@225lb/8",
        "-e",
        "cycling: 10mi in 40min",
    ]);
    let before = d.workout(&id);
    let script = d.dir.path().join("editor.sh");
    executable(&script, "#!/bin/sh\nsed -i 's/^notes: .*/notes: felt strong/' \"$1\"\n");
    d.cmd().args(["edit", &id]).env("EDITOR", &script).assert().success();
    let after = d.workout(&id);
    assert_eq!(after["notes"], "felt strong");
    assert_eq!(
        after["exercises"], before["exercises"],
        "every set bit for bit, ids included"
    );
    assert_eq!(after["exercises"][0]["sets"][1]["unit"], "lb");
    assert_eq!(after["exercises"][1]["sets"][0]["distance_unit"], "mi");

    // The form shows what was typed, and saving it untouched changes nothing.
    let seen = d.dir.path().join("seen.txt");
    let copy = d.dir.path().join("copy.sh");
    executable(&copy, &format!("#!/bin/sh\ncp \"$1\" '{}'\n", seen.display()));
    let snapshot = d.snapshot();
    let out = d.cmd().args(["edit", &id]).env("EDITOR", &copy).output().unwrap();
    assert!(out.status.success());
    let form = std::fs::read_to_string(&seen).unwrap();
    assert!(form.contains("Bench Press: w5@135lb, 3x5@225lb/8"), "{form}");
    assert!(form.contains("Cycling: 10mi in 40min"), "{form}");
    assert_eq!(d.snapshot(), snapshot, "nothing written");
}

/// The conflict resolver's `e` shows theirs beside mine in the file.
#[test]
fn resolving_in_the_editor_shows_theirs_as_comments() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--name", "A's legs", "-e", "squat: 5@105kg"]);
    b.ok(&["edit", &id, "--name", "B's legs", "-e", "squat: 5@110kg"]);
    a.sync_ok();
    assert_eq!(b.sync().0, 3);
    let seen = b.dir.path().join("seen.txt");
    let copy = b.dir.path().join("copy.sh");
    executable(&copy, &format!("#!/bin/sh\ncp \"$1\" '{}'\n", seen.display()));
    let mut cmd = std::process::Command::new(common::pump_bin());
    cmd.args(["resolve"])
        .env("PUMP_DB", &b.db)
        .env("PUMP_CONFIG", &b.config)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("EDITOR", &copy)
        .env_remove("VISUAL");
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    session.exp_string("[?] help: ").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    session.send("e").unwrap();
    session.flush().unwrap();
    session.exp_eof().unwrap();
    let form = std::fs::read_to_string(&seen).unwrap();
    assert!(form.contains("name: B's legs\n#   theirs: name: A's legs\n"), "{form}");
    assert!(form.contains("Squat: 5@110kg\n#   theirs: Squat: 5@105kg\n"), "{form}");
    assert_eq!(b.workout(&id)["name"], "B's legs", "saved as it was: mine");
    assert!(b.json(&["conflicts"]).as_array().unwrap().is_empty());
}
