//! The local commands, end to end through the real binary.

mod common;

use common::{Device, Server, executable};
use serde_json::Value;

fn clock_of(w: &Value) -> serde_json::Map<String, Value> {
    w["clock"].as_object().expect("clock object").clone()
}

#[test]
fn log_list_show_edit_rm_round_trip() {
    let d = Device::new();
    let id = d.log(&[
        "Push day",
        "--at",
        "2026-11-20 18:30",
        "--duration",
        "1h10m",
        "--notes",
        "felt strong",
        "-e",
        "bench press: 3x5@100kg, 5@105kg/8",
        "-e",
        "dips: 3x10@bw",
    ]);
    assert_eq!(id.len(), 36, "stdout is the id alone: {id}");

    let w = d.workout(&id);
    assert_eq!(w["name"], "Push day");
    assert_eq!(w["started_at"], "2026-11-20T18:30:00Z");
    assert_eq!(w["completed_at"], "2026-11-20T19:40:00Z");
    assert_eq!(w["notes"], "felt strong");
    assert_eq!(w["pending"], true);
    let bench = &w["exercises"][0];
    assert_eq!(bench["name"], "Bench Press", "catalogue names are canonical");
    assert_eq!(bench["sets"].as_array().unwrap().len(), 4);
    assert_eq!(bench["sets"][3]["weight_kg"], 105.0);
    assert_eq!(bench["sets"][3]["rpe"], 8.0);
    assert_eq!(bench["sets"][0]["kind"], "working");
    assert_eq!(w["exercises"][1]["sets"][0]["reps"], 10);

    let list = d.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    let table = d.ok(&["list"]);
    assert!(table.contains("Push day") && table.contains(&id[..8]), "{table}");
    assert!(
        table.lines().all(|l| l.chars().count() <= 80),
        "list fits 80 columns:\n{table}"
    );
    let shown = d.ok(&["show", &id[..13]]);
    assert!(shown.contains("3x5@100kg, 5@105kg/8"), "{shown}");

    d.ok(&[
        "edit",
        &id,
        "--name",
        "Push day (heavy)",
        "-e",
        "bench press: 5@110kg",
        "-e",
        "curl: 3x12@15kg",
    ]);
    let edited = d.workout(&id);
    assert_eq!(edited["name"], "Push day (heavy)");
    assert_eq!(edited["exercises"][0]["sets"].as_array().unwrap().len(), 1);
    assert_eq!(edited["exercises"][0]["sets"][0]["weight_kg"], 110.0);
    assert_eq!(
        edited["exercises"][0]["sets"][0]["id"], w["exercises"][0]["sets"][0]["id"],
        "set ids are kept"
    );
    assert_eq!(edited["exercises"][2]["name"], "Barbell Curl");

    d.ok(&["rm", "last"]);
    assert_eq!(d.json(&["list"]).as_array().unwrap().len(), 0);
    let (code, err) = d.fails(&["show", &id]);
    assert_eq!(code, 2);
    assert!(err.contains("no workout"), "{err}");
}

#[test]
fn every_write_bumps_only_this_devices_counter_by_one() {
    let d = Device::new();
    let me = d.device_id();
    let id = d.log(&["A", "-e", "squat: 5@100kg"]);
    let first = clock_of(&d.workout(&id));
    assert_eq!(first.len(), 1);
    assert_eq!(first[&me], 1);
    d.ok(&["edit", &id, "--notes", "x"]);
    assert_eq!(clock_of(&d.workout(&id))[&me], 2);
    d.ok(&["edit", &id, "-e", "squat: 5@105kg"]);
    let third = clock_of(&d.workout(&id));
    assert_eq!(third[&me], 3);
    assert_eq!(third.len(), 1);

    // Another workout's clock is its own.
    let other = d.log(&["B"]);
    assert_eq!(clock_of(&d.workout(&other))[&me], 1);
    assert_eq!(clock_of(&d.workout(&id))[&me], 3);
}

#[test]
fn rm_is_a_tombstone_with_a_bumped_clock() {
    let d = Device::new();
    let id = d.log(&["Legs", "-e", "squat: 5@100kg"]);
    d.ok(&["rm", &id[..12]]);
    let conn = rusqlite::Connection::open(&d.db).unwrap();
    let (deleted, pending, clock, body): (bool, bool, String, String) = conn
        .query_row(
            "SELECT deleted, pending, clock, body FROM records WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(deleted && pending);
    assert!(clock.ends_with(":2}"), "clock bumped by the delete: {clock}");
    assert!(body.contains("Squat"), "the tombstone keeps the last body");
    assert_eq!(d.json(&["status"])["pending"], 1);
    let (code, _) = d.fails(&["rm", &id]);
    assert_eq!(code, 2);
}

#[test]
fn live_session_start_add_finish() {
    let d = Device::new();
    let (code, err) = d.fails(&["add", "squat", "5@100kg"]);
    assert_eq!(code, 2);
    assert!(err.contains("no workout is open"), "{err}");

    let id = d.ok(&["start", "Legs", "--at", "2026-11-20 07:00"]).trim().to_string();
    let (code, err) = d.fails(&["start", "Another"]);
    assert_eq!(code, 2);
    assert!(err.contains("already open"), "{err}");
    d.ok(&["add", "squat", "w5@60kg", "3x5@140kg"]);
    d.ok(&["add", "squat", "4@140kg/9"]);
    d.ok(&["add", "leg curl", "3x12@40kg"]);
    let open = d.workout(&id);
    assert!(open["completed_at"].is_null());
    assert_eq!(open["exercises"][0]["sets"].as_array().unwrap().len(), 5);
    assert_eq!(open["exercises"][0]["sets"][0]["kind"], "warmup");
    assert_eq!(clock_of(&open).values().next().unwrap(), 4, "start + three adds");

    d.ok(&["finish", "--at", "2026-11-20 08:05"]);
    let done = d.workout(&id);
    assert_eq!(done["completed_at"], "2026-11-20T08:05:00Z");
    let (code, _) = d.fails(&["add", "squat", "5@100kg"]);
    assert_eq!(code, 2);
}

#[test]
fn set_grammar_through_the_cli() {
    let d = Device::new();
    let id = d.log(&[
        "Mixed",
        "-e",
        "pull up: 8@bw+20kg, 8@bw",
        "-e",
        "plank: 1:30, 60s",
        "-e",
        "run: 5km in 25min",
        "-e",
        "bench: 5@225lb, d8@80kg, f3@100kg",
    ]);
    let w = d.workout(&id);
    assert_eq!(w["exercises"][0]["sets"][0]["bodyweight"], true);
    assert_eq!(w["exercises"][0]["sets"][0]["weight_kg"], 20.0);
    assert_eq!(w["exercises"][1]["sets"][0]["duration_s"], 90);
    assert_eq!(w["exercises"][2]["sets"][0]["distance_m"], 5000.0);
    assert_eq!(w["exercises"][2]["sets"][0]["duration_s"], 1500);
    let pounds = w["exercises"][3]["sets"][0]["weight_kg"].as_f64().unwrap();
    assert!((pounds - 102.058).abs() < 0.001);
    assert_eq!(w["exercises"][3]["sets"][0]["unit"], "lb");
    assert_eq!(w["exercises"][3]["sets"][1]["kind"], "drop");
    assert_eq!(w["exercises"][3]["sets"][2]["kind"], "failure");
    let shown = d.ok(&["show", &id]);
    assert!(
        shown.contains("5@102kg"),
        "225lb in a kg lifter's unit, as a lifter writes it:\n{shown}"
    );
    assert!(
        shown.contains("1:30, 1:00") && shown.contains("5km in 25:00"),
        "durations one way:\n{shown}"
    );

    let before = d.snapshot();
    for bad in [
        "bench: 3x@100",
        "bench: 5@-10kg",
        "bench: 5@100kg/11",
        "bench 5@100",
        "bench: 5@100kg,,",
        ": 5@100",
    ] {
        let (code, err) = d.fails(&["log", "Bad", "-e", bad]);
        assert_eq!(code, 2, "{bad}");
        assert_eq!(err.lines().count(), 1, "one-line error for {bad}: {err}");
        assert_eq!(d.snapshot(), before, "{bad} changed the database");
    }
    assert!(d.ok(&["sets"]).contains("SETSxREPS") || d.ok(&["sets"]).contains("3x5@100kg"));
}

#[test]
fn preferred_unit_applies_to_input_and_display() {
    let d = Device::new();
    d.ok(&["config", "set", "unit", "lb"]);
    assert_eq!(d.ok(&["config", "get", "unit"]).trim(), "lb");
    let id = d.log(&["Bench", "-e", "bench: 5@225"]);
    let w = d.workout(&id);
    assert!((w["exercises"][0]["sets"][0]["weight_kg"].as_f64().unwrap() - 102.058).abs() < 0.001);
    assert!(d.ok(&["show", &id]).contains("5@225lb"));
    let (code, err) = d.fails(&["config", "set", "unit", "stone"]);
    assert_eq!(code, 2);
    assert!(err.contains("kg or lb"), "{err}");
}

#[test]
fn json_everywhere_parses() {
    let d = Device::new();
    d.log(&["A", "-e", "squat: 5@100kg"]);
    assert!(d.json(&["list"]).is_array());
    assert!(d.json(&["show", "last"]).is_object());
    let status = d.json(&["status"]);
    assert_eq!(status["pending"], 1);
    assert_eq!(status["database"], d.db.display().to_string());
    let device = d.json(&["device"]);
    assert_eq!(device["id"].as_str().unwrap().len(), 32);
    assert!(d.json(&["config", "list"]).is_object());
}

#[test]
fn list_filters() {
    let d = Device::new();
    d.log(&["Old", "--at", "2026-01-05 10:00", "-e", "squat: 5@100kg"]);
    d.log(&["Mid", "--at", "2026-06-05 10:00", "-e", "bench: 5@80kg"]);
    d.log(&["New", "--at", "2026-11-05 10:00", "-e", "squat: 5@110kg"]);
    let names = |args: &[&str]| -> Vec<String> {
        d.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&["list"]), ["New", "Mid", "Old"]);
    assert_eq!(names(&["list", "--since", "2026-06-01"]), ["New", "Mid"]);
    assert_eq!(names(&["list", "--until", "2026-06-01"]), ["Old"]);
    assert_eq!(names(&["list", "--exercise", "Squat"]), ["New", "Old"]);
    assert_eq!(names(&["list", "--limit", "1"]), ["New"]);
}

#[test]
fn device_rename_and_reset() {
    let d = Device::new();
    let id = d.device_id();
    d.ok(&["device", "--name", "gym phone"]);
    let device = d.json(&["device"]);
    assert_eq!(device["name"], "gym phone");
    assert_eq!(device["id"], id.as_str());
    d.ok(&["device", "--reset-id"]);
    assert_ne!(d.device_id(), id);
    let (code, _) = d.fails(&["device", "--name", "   "]);
    assert_eq!(code, 2);
}

#[test]
fn edit_in_editor_is_validated() {
    let d = Device::new();
    let id = d.log(&["Push", "-e", "bench: 5@100kg"]);
    let script = d.dir.path().join("editor.sh");
    executable(
        &script,
        "#!/bin/sh\nsed -i 's/^name: .*/name: Push renamed/; s/5@100kg/5@102.5kg, 3@105kg/' \"$1\"\n",
    );
    d.cmd().args(["edit", &id]).env("EDITOR", &script).assert().success();
    let w = d.workout(&id);
    assert_eq!(w["name"], "Push renamed");
    assert_eq!(w["exercises"][0]["sets"][1]["weight_kg"], 105.0);

    let before = d.snapshot();
    let bad = d.dir.path().join("bad-editor.sh");
    executable(&bad, "#!/bin/sh\nsed -i 's/5@102.5kg/5@-3kg/' \"$1\"\n");
    let out = d.cmd().args(["edit", &id]).env("EDITOR", &bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("edit rejected"));
    assert_eq!(d.snapshot(), before);
}

#[test]
fn database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let d = Device::new();
    d.ok(&["status"]);
    let mode = std::fs::metadata(&d.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn read_commands_given_a_database_in_a_missing_folder_exit_2_and_create_nothing() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("typo");
    let db = folder.join("pump.db");
    for args in [
        &["list"][..],
        &["show", "last"],
        &["status"],
        &["device"],
        &["stats"],
        &["pr"],
        &["calendar"],
        &["conflicts"],
        &["exercises"],
        &["exercises", "--unmatched"],
        &["history", "squat"],
        &["progress", "squat"],
        &["alias"],
        &["template", "list"],
        &["weight"],
        &["export"],
    ] {
        let out = assert_cmd::Command::new(common::pump_bin())
            .args(args)
            .env("PUMP_DB", &db)
            .env("PUMP_CONFIG", home.path().join("config.toml"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("there is no pump database at"), "{args:?}: {err}");
        assert!(!folder.exists(), "{args:?} created the folder");
    }
}

#[test]
fn exports_the_config_and_the_sync_lock_file_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let d = Device::new();
    d.log(&["Private", "-e", "squat: 5@100kg"]);
    for format in ["json", "csv"] {
        let out = d.dir.path().join(format!("export.{format}"));
        d.ok(&["export", "--format", format, "-o", out.to_str().unwrap()]);
        assert_eq!(mode(&out), 0o600, "{format}");
    }
    drop(pump::client::lock::SyncLock::acquire(&d.db).unwrap());
    let mut lock = d.db.clone().into_os_string();
    lock.push(".sync-lock");
    assert_eq!(mode(std::path::Path::new(&lock)), 0o600);
    d.ok(&["config", "set", "unit", "lb"]);
    assert_eq!(mode(&d.config), 0o600, "the config file");
}

#[test]
fn bad_input_is_rejected_and_changes_nothing() {
    let d = Device::new();
    let id = d.log(&["Keep", "-e", "squat: 5@100kg"]);
    let before = d.snapshot();
    let long_name = "x".repeat(201);
    let cases: Vec<Vec<&str>> = vec![
        vec!["log", ""],
        vec!["log", "   "],
        vec!["log", &long_name],
        vec!["log", "A", "--at", "not a date"],
        vec!["log", "A", "--at", "2026-02-30"],
        vec!["log", "A", "--at", "2026-11-20 10:00", "--end", "2026-11-20 09:00"],
        vec!["log", "A", "--duration", "forever"],
        vec!["show", "zzzz"],
        vec!["show", "ffffffff"],
        vec!["edit", "nope", "--name", "x"],
        vec!["edit", &id, "--name", ""],
        vec!["edit", &id, "--at", "tomorrowish"],
        vec!["rm", "123456789abc"],
        vec!["list", "--since", "yesterdayish"],
        vec!["list", "--limit", "0"],
        vec!["config", "set", "colour", "red"],
    ];
    for args in cases {
        let (code, err) = d.fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?} one line: {err}");
        assert!(
            err.starts_with("pump: ") || err.starts_with("error:"),
            "{args:?}: {err}"
        );
        assert_eq!(d.snapshot(), before, "{args:?} changed the database");
    }
}

#[test]
fn ambiguous_prefix_is_refused() {
    let d = Device::new();
    d.log(&["A"]);
    d.log(&["B"]);
    // Both ids were made within the same minute: their first characters match.
    let (code, err) = d.fails(&["show", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("more than one"), "{err}");
}

#[test]
fn not_a_database_file() {
    let d = Device::new();
    std::fs::write(&d.db, "this is a shopping list, not a database\n".repeat(200)).unwrap();
    let (code, err) = d.fails(&["list"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a pump database") || err.contains("not a SQLite"),
        "{err}"
    );
}

#[test]
fn newer_schema_is_refused_untouched() {
    let d = Device::new();
    d.log(&["A"]);
    {
        let conn = rusqlite::Connection::open(&d.db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = std::fs::read(&d.db).unwrap();
    let (code, err) = d.fails(&["list"]);
    assert_ne!(code, 0);
    assert!(err.contains("newer pump"), "{err}");
    assert_eq!(std::fs::read(&d.db).unwrap(), bytes, "the file was not touched");
}

/// The first `pump log` racing a cron job on a brand-new file: the schema
/// and the switch to WAL are made once, whoever comes first, and every
/// write carries the one device id the file keeps.
#[test]
fn pumps_opening_a_new_database_at_the_same_moment_all_succeed() {
    for round in 0..8 {
        let d = Device::new();
        let children: Vec<_> = (0..3)
            .map(|i| {
                let mut command = std::process::Command::new(common::pump_bin());
                command
                    .env("PUMP_DB", &d.db)
                    .env("PUMP_CONFIG", &d.config)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                match i {
                    0 => command.args(["status", "--json"]),
                    _ => command.args(["log", &format!("W{i}")]),
                };
                command.spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let id = d.device_id();
        let workouts = d.json(&["list"]);
        assert_eq!(workouts.as_array().unwrap().len(), 2);
        for w in workouts.as_array().unwrap() {
            assert_eq!(clock_of(w).keys().collect::<Vec<_>>(), [&id], "round {round}");
        }
    }
}

#[test]
fn two_processes_writing_at_once_both_succeed() {
    let d = Device::new();
    d.ok(&["start", "Busy"]);
    let handles: Vec<_> = (0..2)
        .map(|worker| {
            let db = d.db.clone();
            let config = d.config.clone();
            std::thread::spawn(move || {
                for i in 0..15 {
                    let out = assert_cmd::Command::new(common::pump_bin())
                        .env("PUMP_DB", &db)
                        .env("PUMP_CONFIG", &config)
                        .args(["add", &format!("ex{worker}"), &format!("{}@{}kg", i + 1, 50 + i)])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                    let out = assert_cmd::Command::new(common::pump_bin())
                        .env("PUMP_DB", &db)
                        .env("PUMP_CONFIG", &config)
                        .args(["log", &format!("w{worker}-{i}")])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    let all = d.json(&["list"]);
    assert_eq!(all.as_array().unwrap().len(), 31);
    let busy = all.as_array().unwrap().iter().find(|w| w["name"] == "Busy").unwrap();
    let sets: usize = busy["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sets"].as_array().unwrap().len())
        .sum();
    assert_eq!(sets, 30, "no add was lost to a concurrent write");
}

#[test]
fn completions_match_the_committed_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let d = Device::new();
    for (shell, file) in [
        ("bash", "pump.bash"),
        ("zsh", "_pump"),
        ("fish", "pump.fish"),
        ("elvish", "pump.elv"),
        ("powershell", "_pump.ps1"),
    ] {
        let generated = d.ok(&["completions", shell]);
        let committed = std::fs::read_to_string(root.join(file)).unwrap_or_else(|_| {
            panic!("completions/{file} is missing: run `pump completions {shell} > completions/{file}`")
        });
        assert!(
            generated == committed,
            "completions/{file} drifted from the binary: run `pump completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn man_pages_match_the_committed_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let d = Device::new();
    let fix = "run scripts/generate-docs";
    let pages = pump::commands::man::pages();
    for page in &pages {
        let committed = std::fs::read_to_string(root.join(&page.file))
            .unwrap_or_else(|_| panic!("man/{} is missing: {fix}", page.file));
        assert!(
            committed == page.roff,
            "man/{} drifted from the binary: {fix}",
            page.file
        );
    }
    let mut committed: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut generated: Vec<String> = pages.iter().map(|p| p.file.clone()).collect();
    generated.sort();
    assert_eq!(
        committed, generated,
        "man/ holds pages of commands that are gone: {fix}"
    );
    // `pump man` prints them: the main page, and any command's.
    assert_eq!(d.ok(&["man"]), std::fs::read_to_string(root.join("pump.1")).unwrap());
    assert_eq!(
        d.ok(&["man", "config", "set"]),
        std::fs::read_to_string(root.join("pump-config-set.1")).unwrap()
    );
    let listed = d.ok(&["man", "--list"]);
    assert!(listed.lines().any(|l| l == "pump template new"), "{listed}");
    let (code, err) = d.fails(&["man", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "pump: there is no page for `pump nope`: `pump man --list` lists the commands that have one\n"
    );
}

/// Every command at every level, with its full name.
fn every_command(cmd: &clap::Command, name: String, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        every_command(sub, format!("{name} {}", sub.get_name()), out);
    }
    out.push((name, cmd.clone()));
}

#[test]
fn help_describes_every_argument_and_teaches_each_command_by_example() {
    let mut commands = Vec::new();
    every_command(&pump::cli::command(), "pump".into(), &mut commands);
    let mut missing = Vec::new();
    for (name, cmd) in &commands {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if arg.get_help().is_none()
                && arg.get_long_help().is_none()
                && !["help", "version"].contains(&arg.get_id().as_str())
            {
                missing.push(format!("{name}: {} has no description", arg.get_id()));
            }
        }
        let runnable = cmd.get_subcommands().next().is_none() || !cmd.is_subcommand_required_set();
        let examples = cmd
            .get_after_long_help()
            .or(cmd.get_after_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        if runnable && !examples.contains(&format!("\n  {name}")) {
            missing.push(format!("{name}: its long help shows no example"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn help_teaches_the_forms_each_command_takes() {
    let d = Device::new();
    let add = d.ok(&["add", "--help"]);
    assert!(add.contains("pump add \"bench press\" 5@100kg"), "{add}");
    assert!(
        !add.contains("-e \"bench press:"),
        "add does not take the colon form:\n{add}"
    );
    let set = d.ok(&["config", "set", "--help"]);
    for key in ["unit", "auto_sync", "sync_interval", "timeout", "sync_warn_after"] {
        assert!(set.contains(&format!("\n  {key} ")), "{key} missing:\n{set}");
    }
    assert!(set.contains("kg or lb"), "{set}");
    assert!(d.ok(&["--help"]).contains("--db <PATH>"));
    assert!(
        !d.ok(&["show", "--help"]).contains("--db"),
        "--db is described once, on pump itself"
    );
    assert!(
        d.ok(&["log", "--help"])
            .contains("a bare number of minutes (90 is 1h30m)")
    );
    // --db still works after the command.
    let elsewhere = d.dir.path().join("other.db");
    d.ok(&[
        "log",
        "Push",
        "-e",
        "bench press: 5@100kg",
        "--db",
        elsewhere.to_str().unwrap(),
    ]);
    assert!(elsewhere.exists());
}

#[test]
fn ids_match_with_or_without_dashes_and_show_defaults_to_the_open_workout_else_the_last() {
    let d = Device::new();
    let id = d.log(&[
        "Push",
        "--at",
        "2026-01-05 18:00",
        "--duration",
        "60",
        "-e",
        "bench press: 5@100kg",
    ]);
    let dashless: String = id.chars().filter(|c| *c != '-').take(16).collect();
    assert_eq!(d.workout(&dashless)["id"], id.as_str());
    assert_eq!(d.workout(&id[..13])["id"], id.as_str());
    assert!(d.ok(&["show"]).starts_with("Push  ("), "no open workout: the last");
    let open = d.ok(&["start", "Legs"]).trim().to_string();
    d.ok(&["add", "squat", "5@140kg"]);
    assert_eq!(d.json(&["show"])["id"], open.as_str(), "the open workout");
    let (code, err) = d.fails(&["show", "--", "-"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "pump: '-' is not a workout id: use an id (or a prefix of one) from `pump list`, or `last`\n"
    );
}

#[test]
fn tables_fit_the_real_terminal_and_never_wrap_into_a_pipe() {
    let d = Device::new();
    let long = format!("Upper body {}", "and more ".repeat(20)).trim().to_string();
    d.log(&[
        &long,
        "--at",
        "2026-01-05 18:00",
        "--duration",
        "90",
        "-e",
        "bench press: 5@100kg",
    ]);
    // Into a pipe: one record per line, whatever its length, so grep finds it.
    let piped = d.ok(&["list"]);
    let line = piped.lines().find(|l| l.contains("Upper body")).expect("the workout");
    assert!(line.contains(&long) && line.contains("1:30"), "wrapped:\n{piped}");

    // On a 120-column terminal: the table is as wide as the terminal, no wider.
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty cols 120 rows 40; exec \"$0\" list"])
        .arg(common::pump_bin())
        .env("PUMP_DB", &d.db)
        .env("PUMP_CONFIG", &d.config)
        .env("TZ", "UTC")
        .env_remove("COLUMNS");
    let mut term = rexpect::session::spawn_command(cmd, Some(30_000)).expect("a pty");
    // rexpect reads bytes as Latin-1: back to the UTF-8 the table is.
    let shown = String::from_utf8(term.exp_eof().unwrap().chars().map(|c| c as u8).collect()).unwrap();
    let widths: Vec<usize> = shown.lines().map(|l| l.trim_end().chars().count()).collect();
    assert_eq!(widths.iter().max(), Some(&120), "{shown}");
}

#[test]
fn list_status_and_show_tell_an_open_workout_from_one_logged_without_an_end() {
    let d = Device::new();
    d.log(&["Logged", "--at", "2026-01-05 18:00", "-e", "squat: 5@100kg"]);
    d.ok(&["start", "Open one", "--at", "2026-01-06 18:00"]);
    let list = d.ok(&["list"]);
    let row = |name: &str| list.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(row("Open one").contains(" open "), "{list}");
    assert!(row("Logged").contains(" - "), "{list}");
    let status = d.ok(&["status"]);
    assert!(
        status.contains("Open       Open one since 2026-01-06 18:00 ("),
        "{status}"
    );
    assert!(status.contains(" ago; `pump finish` closes it)"), "{status}");
    assert_eq!(d.json(&["status"])["open_workout"]["name"], "Open one");
    assert!(
        d.ok(&["show", "last"])
            .contains("Finished  - (open: `pump finish` closes it)")
    );
    d.ok(&["finish"]);
    let status = d.ok(&["status"]);
    assert!(status.contains("Open       no workout"), "{status}");
    assert!(d.json(&["status"])["open_workout"].is_null());
}

#[test]
fn counts_of_one_are_singular() {
    let d = Device::new();
    let out = d.cmd().args(["log", "Short", "-e", "squat: 5@100kg"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Logged Short: 1 exercise, 1 set"));
    let history = d.ok(&["history", "squat"]);
    assert!(
        history.starts_with("Squat: the last 1 session, newest first"),
        "{history}"
    );
    d.ok(&["start", "Legs"]);
    d.ok(&["add", "squat", "5@100kg"]);
    let out = d.cmd().args(["finish"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Finished Legs: 1 exercise, 1 set, 0:00"));
}

#[test]
fn an_implausible_barbell_load_is_kept_with_a_note() {
    let d = Device::new();
    let out = d
        .cmd()
        .args([
            "log",
            "Typo",
            "-e",
            "bench press: 5@1001kg",
            "-e",
            "leg press: 5@1001kg",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pump: note: 1001kg on Bench Press is more than any barbell lift on record: kept as typed"),
        "{err}"
    );
    assert!(
        !err.contains("Leg Press is more"),
        "a machine can be loaded that heavy: {err}"
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(d.workout(&id)["exercises"][0]["sets"][0]["weight_kg"], 1001.0, "kept");
    d.ok(&["start", "Gym"]);
    let out = d.cmd().args(["add", "squat", "5@2000lb"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("on Squat is more than any barbell lift"));
    let out = d.cmd().args(["add", "squat", "5@200kg", "5@100,5kg"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("note"), "{err}");
    assert!(
        err.contains("Added Squat: 5@200kg, 5@100.5kg"),
        "a decimal comma: {err}"
    );
}

#[test]
fn dates_ahead_and_years_to_come_are_refused() {
    let d = Device::new();
    let before = d.snapshot();
    let next_year = (chrono::Utc::now() + chrono::Duration::days(400))
        .format("%Y-%m-%d")
        .to_string();
    for args in [
        vec!["log", "Future", "--at", next_year.as_str(), "-e", "squat: 5@100kg"],
        vec!["start", "Future", "--at", next_year.as_str()],
        vec!["weight", "80", "--at", next_year.as_str()],
    ] {
        let (code, err) = d.fails(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(
            err,
            format!(
                "pump: '{next_year}' is more than a day ahead: pump records what happened; check the date (or leave \
                 it out for now)\n"
            )
        );
    }
    assert_eq!(d.snapshot(), before, "nothing written");
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap();
    let (code, err) = d.fails(&["calendar", "--year", &(year + 1).to_string()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "pump: --year {} has not happened yet: give {year} or an earlier year\n",
            year + 1
        )
    );
    // Filters may look ahead.
    d.ok(&["list", "--until", &next_year]);
}

/// `--database-connections` sizes a PostgreSQL server's pool: refused
/// without `--database` (SQLite has no pool) and outside 1 to 1000, before
/// anything is opened. So is a password file.
#[test]
fn database_connections_needs_postgres_and_a_sane_number() {
    let d = Device::new();
    let data = d.dir.path().join("server");
    let (code, err) = d.fails(&[
        "server",
        "start",
        "--data",
        data.to_str().unwrap(),
        "--database-connections",
        "8",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "pump: --database-connections sizes the pool of a PostgreSQL server: add --database URL, or drop it for \
         SQLite\n"
    );
    let (code, err) = d.fails(&[
        "server",
        "start",
        "--database",
        "postgres://pump@127.0.0.1:1/pump",
        "--database-connections",
        "0",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("0 is not in 1..=1000"), "{err}");
    // Likewise a password file, which a SQLite server once ignored.
    let password = d.dir.path().join("password");
    std::fs::write(&password, "secret\n").unwrap();
    for command in [
        &["server", "start"][..],
        &["server", "add-user", "sam", "--password-stdin"],
    ] {
        let mut args = command.to_vec();
        args.extend([
            "--data",
            data.to_str().unwrap(),
            "--database-password-file",
            password.to_str().unwrap(),
        ]);
        let (code, err) = d.fails(&args);
        assert_eq!(code, 2, "{err}");
        assert_eq!(
            err,
            "pump: --database-password-file is the password of a PostgreSQL server: add --database URL, or drop it \
             for SQLite\n"
        );
    }
    assert!(!data.exists(), "nothing was created");
}

/// `--threads N` runs N threads serving requests, whatever the machine's
/// cores (several processes on one machine share them); 0 is refused
/// before anything is opened.
#[test]
fn server_threads_are_as_many_as_asked() {
    let d = Device::new();
    let data = d.dir.path().join("server");
    let (code, err) = d.fails(&["server", "start", "--data", data.to_str().unwrap(), "--threads", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("0 is not in 1..=1024"), "{err}");
    assert!(!data.exists(), "nothing was created");
    for threads in [1, 3] {
        let server = Server::start_in(&data, &["--threads", &threads.to_string(), "--open-registration"]);
        // Counted before any request: the threads that run blocking work,
        // which carry the same name, start with the first. A thread names
        // itself once it runs, maybe after the server printed its address.
        let named = std::time::Instant::now();
        while serving_threads(server.pid()) < threads && named.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(serving_threads(server.pid()), threads);
        let device = Device::new();
        device.join(&server, &format!("sam{threads}"));
        device.log(&["Legs", "-e", "squat: 5@100kg"]);
        device.sync_ok();
    }
}

/// The threads of server process `pid` that serve requests.
fn serving_threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the server's threads")
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim_end() == "pump-server")
        .count()
}
