//! Concurrent edits: automatic three-way merges, held conflicts, and the
//! resolvers, between devices syncing through a real server.

mod common;

use common::{Device, Server};

fn pair(server: &Server) -> (Device, Device) {
    let (a, b) = (Device::new(), Device::new());
    a.join(server, "sam");
    b.join(server, "sam");
    (a, b)
}

fn set_count(w: &serde_json::Value) -> usize {
    w["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sets"].as_array().unwrap().len())
        .sum()
}

#[test]
fn rename_on_one_device_and_a_set_on_the_other_merge_by_themselves() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Push", "-e", "bench: 3x5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--name", "Push (heavy)"]);
    b.ok(&["edit", &id, "-e", "bench: 3x5@100kg, 5@105kg"]);
    a.sync_ok();
    let out = b.sync_ok();
    assert!(out.contains("auto-merged 1"), "{out}");
    a.sync_ok();
    let (wa, wb) = (a.workout(&id), b.workout(&id));
    assert_eq!(wa["name"], "Push (heavy)");
    assert_eq!(set_count(&wa), 4);
    assert_eq!(wa["exercises"], wb["exercises"]);
    assert_eq!(wa["name"], wb["name"]);
    assert_eq!(wa["clock"], wb["clock"]);
    assert_eq!(a.json(&["status"])["conflicts"], 0);
    assert_eq!(b.json(&["status"])["totals"]["auto_merged"], 1);
}

#[test]
fn same_set_changed_on_both_is_held_for_cron_then_resolved() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "-e", "squat: 5@110kg"]);
    b.ok(&["edit", &id, "-e", "squat: 5@120kg"]);
    a.sync_ok();
    let (code, _, err) = b.sync();
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("pump: 1 conflict is waiting: `pump conflicts` lists it\n"),
        "{err}"
    );
    assert_eq!(
        b.workout(&id)["exercises"][0]["sets"][0]["weight_kg"],
        120.0,
        "mine is kept while held"
    );
    let held = b.json(&["conflicts"]);
    assert_eq!(held.as_array().unwrap().len(), 1);
    assert_eq!(held[0]["fields"][0]["field"], "Squat › set 1 › weight_kg");
    assert_eq!(held[0]["fields"][0]["mine"], 120.0);
    assert_eq!(held[0]["fields"][0]["theirs"], 110.0);
    assert!(b.ok(&["conflicts"]).contains("weight_kg"));
    // Cron again: still held, still exit 3, nothing changes.
    let (code, _, _) = b.sync();
    assert_eq!(code, 3);
    b.ok(&["resolve", &id[..13], "--theirs"]);
    b.sync_ok();
    a.sync_ok();
    assert_eq!(a.workout(&id)["exercises"][0]["sets"][0]["weight_kg"], 110.0);
    assert_eq!(b.workout(&id)["exercises"][0]["sets"][0]["weight_kg"], 110.0);
    assert_eq!(a.workout(&id)["clock"], b.workout(&id)["clock"]);
    let totals = &b.json(&["status"])["totals"];
    assert_eq!(
        (totals["resolved"].as_u64(), totals["held"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn prefer_resolves_without_prompting() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--name", "A"]);
    b.ok(&["edit", &id, "--name", "B"]);
    a.sync_ok();
    b.cmd().args(["sync", "--prefer", "mine"]).assert().success();
    a.sync_ok();
    assert_eq!(a.workout(&id)["name"], "B");
}

#[test]
fn edit_against_delete_in_both_directions() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();

    // A deletes, B edits: B holds the conflict and still sees its edit.
    a.ok(&["rm", &id]);
    b.ok(&["edit", &id, "-e", "squat: 5@100kg, 5@100kg"]);
    a.sync_ok();
    let (code, _, _) = b.sync();
    assert_eq!(code, 3);
    assert_eq!(set_count(&b.workout(&id)), 2, "the edited version stays visible");
    assert_eq!(b.json(&["conflicts"])[0]["fields"][0]["field"], "deleted");
    // Keep theirs = delete.
    b.ok(&["resolve", &id, "--theirs"]);
    b.sync_ok();
    assert_eq!(b.fails(&["show", &id]).0, 2);

    // B edits a new one, A deletes it, and this time the deleter syncs last.
    let id2 = b.log(&["Pull", "-e", "row: 5@60kg"]);
    b.sync_ok();
    a.sync_ok();
    b.ok(&["edit", &id2, "--notes", "grip felt off"]);
    a.ok(&["rm", &id2]);
    b.sync_ok();
    let (code, _, _) = a.sync();
    assert_eq!(code, 3);
    // The deleter keeps its delete locally while held, and the edit is safe in the conflict.
    let held = a.json(&["conflicts"]);
    assert_eq!(held[0]["theirs"]["body"]["notes"], "grip felt off");
    a.ok(&["resolve", &id2, "--theirs"]);
    a.sync_ok();
    b.sync_ok();
    assert_eq!(
        a.workout(&id2)["notes"],
        "grip felt off",
        "keeping the edit undeletes it"
    );
    assert_eq!(a.workout(&id2)["clock"], b.workout(&id2)["clock"]);
}

#[test]
fn three_devices_editing_one_workout_converge_after_two_syncs_each() {
    let server = Server::start();
    let devices: Vec<Device> = (0..3).map(|_| Device::new()).collect();
    for d in &devices {
        d.join(&server, "sam");
    }
    let id = devices[0].log(&[
        "Full body",
        "-e",
        "squat: 5@100kg",
        "-e",
        "bench: 5@80kg",
        "-e",
        "row: 5@60kg",
    ]);
    for d in &devices {
        d.sync_ok();
    }
    devices[0].ok(&["edit", &id, "--name", "Full body A"]);
    devices[1].ok(&["edit", &id, "-e", "bench: 5@80kg, 5@85kg"]);
    devices[2].ok(&["edit", &id, "--notes", "from C", "-e", "row: 5@60kg, 5@65kg"]);
    for _ in 0..2 {
        for d in &devices {
            let (code, out, err) = d.sync();
            assert_eq!(code, 0, "{out}{err}");
        }
    }
    let first = devices[0].workout(&id);
    assert_eq!(first["name"], "Full body A");
    assert_eq!(first["notes"], "from C");
    assert_eq!(set_count(&first), 5);
    for d in &devices[1..] {
        let w = d.workout(&id);
        assert_eq!(w["clock"], first["clock"]);
        assert_eq!(w["exercises"], first["exercises"]);
        assert_eq!(w["name"], first["name"]);
    }
}

#[test]
fn keep_both_saves_mine_as_a_new_workout() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--name", "A's legs"]);
    b.ok(&["edit", &id, "--name", "B's legs"]);
    a.sync_ok();
    assert_eq!(b.sync().0, 3);
    let mut session = interactive(&b, &["resolve"]);
    session.exp_string("field").unwrap();
    session.exp_string("B's legs").unwrap();
    session.exp_string("[?] help: ").unwrap();
    press(&mut session, 'b');
    session.exp_eof().unwrap();
    b.sync_ok();
    a.sync_ok();
    let names = a.workout_names();
    assert!(
        names.contains(&"A's legs".to_string()) && names.contains(&"B's legs".to_string()),
        "{names:?}"
    );
    assert_eq!(a.workout(&id)["name"], "A's legs");
}

/// One keystroke, once the prompt has put the terminal in raw mode (a key
/// typed earlier would sit in the line buffer waiting for Enter).
fn press(session: &mut rexpect::session::PtySession, key: char) {
    std::thread::sleep(std::time::Duration::from_millis(300));
    session.send(&key.to_string()).unwrap();
    session.flush().unwrap();
}

/// `pump ARGS` on a pseudo-terminal, as a person would run it.
fn interactive(d: &Device, args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(common::pump_bin());
    cmd.args(args)
        .env("PUMP_DB", &d.db)
        .env("PUMP_CONFIG", &d.config)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1");
    rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty")
}

#[test]
fn interactive_sync_shows_the_table_and_m_keeps_mine() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    b.ok(&["device", "--name", "bphone"]);
    a.ok(&["device", "--name", "alaptop"]);
    a.ok(&["edit", &id, "-e", "squat: 5@110kg"]);
    b.ok(&["edit", &id, "-e", "squat: 5@120kg"]);
    a.sync_ok();
    let mut session = interactive(&b, &["sync"]);
    session.exp_string("base").unwrap();
    session.exp_string("mine (bphone,").unwrap();
    session.exp_string("theirs (alaptop,").unwrap();
    session.exp_string("set 1").unwrap(); // rexpect reads bytes as Latin-1: match ASCII only
    session.exp_string("weight_kg").unwrap();
    session.exp_string("100").unwrap();
    session.exp_string("120").unwrap();
    session.exp_string("110").unwrap();
    session.exp_string("[?] help: ").unwrap();
    press(&mut session, '?');
    session.exp_string("keep both").unwrap();
    session.exp_string("[?] help: ").unwrap();
    press(&mut session, 'm');
    session.exp_string("resolved 1").unwrap();
    session.exp_eof().unwrap();
    a.sync_ok();
    assert_eq!(a.workout(&id)["exercises"][0]["sets"][0]["weight_kg"], 120.0);
    assert_eq!(a.workout(&id)["clock"], b.workout(&id)["clock"]);
}

#[test]
fn notes_written_on_two_devices_merge_by_themselves() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--notes", "felt tired"]);
    b.ok(&["edit", &id, "--notes", "reviewed", "-e", "squat: 5@100kg, 5@105kg"]);
    a.sync_ok();
    let out = b.sync_ok();
    assert!(out.contains("auto-merged 1"), "{out}");
    a.sync_ok();
    for d in [&a, &b] {
        let w = d.workout(&id);
        assert_eq!(w["notes"], "felt tired\nreviewed");
        assert_eq!(set_count(&w), 2);
    }
    assert_eq!(a.workout(&id)["clock"], b.workout(&id)["clock"]);
}

#[test]
fn a_note_conflict_shows_as_a_small_diff_of_each_side() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "--notes", "sore\nsleep 6h", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    a.ok(&["edit", &id, "--notes", "fine\nsleep 6h"]);
    b.ok(&["edit", &id, "--notes", "awful\nsleep 6h\nok"]);
    a.sync_ok();
    assert_eq!(b.sync().0, 3);

    let listed = b.ok(&["conflicts"]);
    for line in [
        "notes of 'Legs'",
        "mine    - sore",
        "+ awful",
        "+ ok",
        "theirs  - sore",
        "+ fine",
    ] {
        assert!(listed.contains(line), "{line:?} missing from:\n{listed}");
    }
    assert!(!listed.contains("sleep 6h"), "an unchanged line is shown:\n{listed}");

    let mut session = interactive(&b, &["resolve"]);
    let shown = session.exp_string("[?] help: ").unwrap();
    for line in ["notes", "- sore", "+ awful", "+ ok", "+ fine"] {
        assert!(shown.contains(line), "{line:?} missing from:\n{shown}");
    }
    assert!(!shown.contains("sleep 6h"), "an unchanged line is shown:\n{shown}");
    press(&mut session, 't');
    session.exp_eof().unwrap();
    b.sync_ok();
    a.sync_ok();
    assert_eq!(a.workout(&id)["notes"], "fine\nsleep 6h");
    assert_eq!(b.workout(&id)["notes"], "fine\nsleep 6h");
}
