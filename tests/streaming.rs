//! Commands over a whole history stream it (issue 21): what they write must
//! be exactly what pump wrote before, and an import that fails late must
//! leave nothing behind. Through the real binary.

mod common;

use common::hevy::{hevy_workout, write_hevy_export};
use common::{Device, snapshot};
use std::path::PathBuf;

fn history_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history")
        .join(name)
}

/// A device holding `tests/fixtures/history/history.db`: imports from the
/// three apps, supersets, notes with tabs, quotes and accents, `@bw`
/// sets with body weights, a timed set, a run, an alias, a template and a
/// deleted workout.
fn device_with_history() -> Device {
    let d = Device::new();
    std::fs::copy(history_fixture("history.db"), &d.db).unwrap();
    d
}

/// The outputs under `tests/fixtures/history` were written by pump before
/// these commands streamed; every byte must stay the same.
#[test]
fn list_json_and_export_write_the_same_bytes_as_before() {
    let d = device_with_history();
    let cases: [(&[&str], &str); 5] = [
        (&["list", "--json"], "list.json"),
        (&["list", "--json", "--deleted"], "list-deleted.json"),
        (
            &["list", "--json", "--exercise", "squat", "--limit", "2"],
            "list-squat.json",
        ),
        (&["export"], "export.json"),
        (&["export", "--format", "csv"], "export.csv"),
    ];
    for (args, golden) in cases {
        let expected = std::fs::read_to_string(history_fixture(golden)).unwrap();
        let written = d.ok(args);
        assert!(written == expected, "pump {args:?} differs from {golden}:\n{written}");
    }
    let file = d.dir.path().join("export.json");
    d.ok(&["export", "-o", file.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        std::fs::read_to_string(history_fixture("export.json")).unwrap()
    );
}

/// Every table an import writes, for "nothing was left behind".
fn everything(d: &Device) -> String {
    let conn = rusqlite::Connection::open(&d.db).unwrap();
    let imports: String = conn
        .query_row(
            "SELECT (SELECT count(*) FROM imports) || '/' || (SELECT count(*) FROM import_workouts)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    format!("{}imports: {imports}\n", snapshot(&d.db))
}

#[test]
fn a_bad_workout_late_in_a_large_strict_import_leaves_nothing_behind() {
    let d = Device::new();
    d.log(&["Before", "-e", "squat: 3x5@100kg"]);
    let small = d.dir.path().join("small.csv");
    write_hevy_export(&small, 3, "");
    d.ok(&["import", small.to_str().unwrap()]);
    let before = everything(&d);

    // 3,000 good workouts, then one whose end comes before its start: the
    // workout fails pump's checks only once all its rows are read, after
    // the good ones were written in the same transaction.
    let bad = hevy_workout(5_000).replace("08:10", "06:10");
    let file = d.dir.path().join("big.csv");
    write_hevy_export(&file, 3_000, &bad);
    let (code, err) = d.fails(&["import", file.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("line 48002"), "names the bad workout's first line: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(everything(&d), before, "the database is as it was");

    // A bad cell late in the file, the same.
    let file = d.dir.path().join("bad-cell.csv");
    write_hevy_export(&file, 3_000, &hevy_workout(5_000).replacen(",5,,,", ",five,,,", 1));
    let (code, err) = d.fails(&["import", file.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("reps 'five'"), "{err}");
    assert_eq!(everything(&d), before, "the database is as it was");

    // Without --strict the bad workout is listed and the rest imported.
    let out = d.cmd().args(["import", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped line 48002: reps 'five'"), "{stderr}");
    assert!(
        stderr.contains("added 2998 workouts (47967 sets); 3 already here; 1 rows skipped"),
        "{stderr}"
    );
}

/// An export whose workout's rows are apart (no app writes one, but a
/// hand-edited file may) imports as if it were read whole: pump reads it
/// once more to gather each workout's rows.
#[test]
fn a_workout_whose_rows_are_apart_imports_as_one() {
    let d = Device::new();
    let path = d.dir.path().join("apart.csv");
    write_hevy_export(&path, 3, "");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let moved = lines.remove(1);
    lines.push(moved);
    let text = lines.join("\n") + "\n";
    std::fs::write(&path, &text).unwrap();
    d.ok(&["import", path.to_str().unwrap()]);
    let expected = pump::import::parse(&text, pump::import::Format::Hevy, &Default::default()).unwrap();
    assert_eq!(expected.workouts.len(), 3);
    let exported: serde_json::Value = serde_json::from_str(&d.ok(&["export"])).unwrap();
    assert_eq!(exported["workouts"], serde_json::to_value(&expected.workouts).unwrap());
}
