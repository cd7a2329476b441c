//! The numbers pump shows a lifter — progress charts, e1RM, volume, records
//! of every kind of set, exercise names, edits — checked through the real
//! binary. Each "seen" test reproduces something a new user ran into
//! (issue 14) and failed before it was fixed.

mod common;

use common::{Device, Server, close, fixture, pair};
use serde_json::Value;
use std::path::Path;

/// stderr of a pump run that must succeed.
fn stderr(d: &Device, args: &[&str]) -> String {
    let out = d.cmd().args(args).output().expect("run pump");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "pump {args:?} failed: {err}");
    err
}

/// The working sets a muscle group got over the weeks of a `stats --json`.
fn sets_of(stats: &Value, muscle: &str) -> u64 {
    let weeks = stats["weeks"].as_array().unwrap();
    weeks.iter().filter_map(|w| w["muscles"][muscle]["sets"].as_u64()).sum()
}

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

/// Every export fixture's exercises land in the catalogue: none in "other".
#[test]
fn imported_common_lifts_never_end_up_in_other() {
    for (file, extra) in [
        ("strong_semicolon.csv", vec!["--unit", "lb"]),
        ("hevy_kg.csv", vec![]),
        ("hevy_lbs.csv", vec![]),
        ("hevy_mixed.csv", vec![]),
        ("fitnotes_kgs.csv", vec![]),
        ("fitnotes_lbs.csv", vec![]),
    ] {
        let d = Device::new();
        let path = fixture(file);
        let mut args = vec!["import", path.to_str().unwrap()];
        args.extend(extra);
        d.ok(&args);
        let stats = d.json(&["stats", "--weeks", "5200"]);
        assert_eq!(sets_of(&stats, "other"), 0, "{file}");
    }
}

#[test]
fn unmatched_names_get_suggestions_and_merge_into_the_catalogue() {
    let d = Device::new();
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "bench pres: 5@100kg"]);
    d.log(&["B", "--at", "2026-10-02 10:00", "-e", "bench press: 5@90kg"]);
    let unmatched = d.json(&["exercises", "--unmatched"]);
    assert_eq!(unmatched[0]["name"], "bench pres");
    assert_eq!(unmatched[0]["suggestion"], "Bench Press");
    assert!(
        d.ok(&["exercises", "--unmatched"])
            .contains("pump exercises merge \"bench pres\" \"Bench Press\"")
    );
    assert!(close(&d.json(&["pr", "bench press"])["heaviest"]["value_kg"], 90.0));

    let (code, err) = d.fails(&["exercises", "rename", "bench pres", "bench press"]);
    assert_eq!(code, 2);
    assert!(err.contains("pump exercises merge"), "{err}");
    let err = stderr(&d, &["exercises", "merge", "bench pres", "bench press"]);
    assert!(
        err.contains("Merged 'bench pres' into 'Bench Press': 1 workouts"),
        "{err}"
    );
    assert!(close(&d.json(&["pr", "bench press"])["heaviest"]["value_kg"], 100.0));
    assert!(d.json(&["exercises", "--unmatched"]).as_array().unwrap().is_empty());
    assert_eq!(
        d.fails(&["exercises", "merge", "bench pres", "bench press"]).0,
        2,
        "nothing left to merge"
    );

    d.log(&["C", "-e", "my row: 3x8@60kg"]);
    d.ok(&["exercises", "rename", "my row", "Meadows Row"]);
    let renamed = d.json(&["list", "--exercise", "meadows row"]);
    assert_eq!(renamed[0]["exercises"][0]["name"], "Meadows Row");
}

/// A merge rewrites history through the one write path: it syncs, and
/// merges with a set added meanwhile on another device.
#[test]
fn a_merge_syncs_and_merges_with_a_concurrent_edit() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Push", "-e", "bench pres: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["exercises", "merge", "bench pres", "Bench Press"]);
    b.ok(&["edit", &id, "-e", "bench pres: 5@100kg, 5@105kg"]);
    a.sync_ok();
    b.sync_ok();
    a.sync_ok();
    for d in [&a, &b] {
        let w = d.workout(&id);
        assert_eq!(w["exercises"][0]["name"], "Bench Press", "{w}");
        assert_eq!(w["exercises"][0]["sets"].as_array().unwrap().len(), 2, "{w}");
        assert!(d.json(&["conflicts"]).as_array().unwrap().is_empty());
    }
}
