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

/// `pump show --json` writes a workout exactly as `pump list --json` does.
#[test]
fn show_json_is_the_workout_as_list_json_writes_it() {
    let d = device_with_history();
    let listed: Vec<serde_json::Value> = serde_json::from_str(&d.ok(&["list", "--json"])).unwrap();
    let id = listed[0]["id"].as_str().unwrap();
    let element = &d.ok(&["list", "--json", "--limit", "1"]);
    // The one element of the array, one level less indented.
    let inner: Vec<&str> = element.lines().skip(1).take_while(|l| *l != "]").collect();
    let unindented: Vec<&str> = inner.iter().map(|l| l.strip_prefix("  ").unwrap()).collect();
    assert_eq!(d.ok(&["show", id, "--json"]), unindented.join("\n") + "\n");
}

/// A device with `n` generated workouts, and its pump export.
fn exported_history(n: usize) -> (Device, String) {
    let d = Device::new();
    let csv = d.dir.path().join("history.csv");
    write_hevy_export(&csv, n, "");
    d.ok(&["import", csv.to_str().unwrap()]);
    let export = d.ok(&["export"]);
    (d, export)
}

/// A big import leaves no WAL the size of the database behind it: the
/// folder would hold the history twice until the next write, and the next
/// program closing the file last would pay for the checkpoint.
#[test]
fn a_big_import_truncates_the_wal_it_grew() {
    let d = Device::new();
    let csv = d.dir.path().join("history.csv");
    write_hevy_export(&csv, 2_000, "");
    d.ok(&["import", csv.to_str().unwrap()]);
    let wal = std::fs::metadata(common::with_suffix(&d.db, "-wal")).map_or(0, |m| m.len());
    let db = std::fs::metadata(&d.db).unwrap().len();
    assert!(wal <= 4 << 20, "a {wal}-byte WAL was left beside a {db}-byte database");
    assert_eq!(d.json(&["list", "--limit", "5000"]).as_array().unwrap().len(), 2_000);
}

/// `import --from pump` reads the export as a stream into one transaction:
/// a bad record late in a large one leaves nothing behind, and a good one
/// restores every record once.
#[test]
fn a_bad_record_late_in_a_large_pump_export_leaves_nothing_behind() {
    let (_, export) = exported_history(3_000);
    let d = Device::new();
    d.log(&["Before", "-e", "squat: 3x5@100kg"]);
    let before = everything(&d);

    let mut broken: serde_json::Value = serde_json::from_str(&export).unwrap();
    broken["workouts"][2_999]["name"] = "".into();
    let file = d.dir.path().join("broken.json");
    std::fs::write(&file, serde_json::to_string_pretty(&broken).unwrap()).unwrap();
    let (code, err) = d.fails(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "pump: the export has an invalid workout: the workout name is empty: give it a name like \"Push day\"\n"
    );
    assert_eq!(everything(&d), before, "the database is as it was");

    // JSON cut short after thousands of records: the same.
    let file = d.dir.path().join("cut.json");
    std::fs::write(&file, &export[..export.len() - 200]).unwrap();
    let (code, err) = d.fails(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("pump: not a pump export (EOF while parsing"), "{err}");
    assert!(err.ends_with("make one with `pump export --format json`\n"), "{err}");
    assert_eq!(everything(&d), before, "the database is as it was");

    let file = d.dir.path().join("export.json");
    std::fs::write(&file, &export).unwrap();
    let import = || {
        let out = d.cmd().args(["import", file.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let summary = format!(
        "Read 3000 workouts, 0 aliases, 0 templates, 0 body weights from {}: added 3000 records, 0 already here",
        file.display()
    );
    let err = import();
    assert!(err.contains(&summary), "{err}");
    let err = import();
    assert!(
        err.contains("added 0 records, 3000 already here"),
        "importing it again adds nothing: {err}"
    );
}

/// A file that says it is another format or version is refused before any
/// of its records are written, wherever its header is.
#[test]
fn a_pump_export_of_another_format_or_version_is_refused_whole() {
    let d = Device::new();
    d.log(&["Before", "-e", "squat: 3x5@100kg"]);
    let before = everything(&d);
    let export = device_with_history().ok(&["export"]);
    let cases = [
        (
            export.replace("\"version\": 1", "\"version\": 2"),
            "unsupported export 'pump-export' v2: upgrade pump",
        ),
        (
            export.replace("\"pump-export\"", "\"other\""),
            "unsupported export 'other' v1: upgrade pump",
        ),
        (
            export.replace("\"version\": 1,\n", ""),
            "not a pump export (missing field `version`",
        ),
        (
            // The header last: the records were read, then refused with it.
            format!("{{\"workouts\": {}, \"format\": \"pump-export\", \"version\": 3}}", {
                let value: serde_json::Value = serde_json::from_str(&export).unwrap();
                value["workouts"].to_string()
            }),
            "unsupported export 'pump-export' v3: upgrade pump",
        ),
    ];
    for (text, message) in cases {
        let file = d.dir.path().join("other.json");
        std::fs::write(&file, text).unwrap();
        let (code, err) = d.fails(&["import", file.to_str().unwrap(), "--from", "pump"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.starts_with(&format!("pump: {message}")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(everything(&d), before, "the database is as it was");
    }
}

/// A first import on a machine with no database yet that fails leaves no
/// database behind (nor the folder made for it): the next command starts
/// as if it never ran.
#[test]
fn a_failed_first_import_leaves_no_database_behind() {
    let d = Device::new();
    let folder = d.dir.path().join("new").join("folder");
    let db = folder.join("pump.db");
    let bad_csv = d.dir.path().join("bad.csv");
    write_hevy_export(&bad_csv, 3, &hevy_workout(10).replacen(",5,,,", ",five,,,", 1));
    let bad_json = d.dir.path().join("bad.json");
    std::fs::write(
        &bad_json,
        "{\"format\": \"pump-export\", \"version\": 1, \"workouts\": [{}]}",
    )
    .unwrap();
    let attempts: [&[&str]; 3] = [
        &["import", bad_csv.to_str().unwrap(), "--strict"],
        &["import", bad_json.to_str().unwrap()],
        &["import", "--undo", "1"],
    ];
    for path in [&d.db, &db] {
        for args in attempts {
            let out = d.cmd().env("PUMP_DB", path).args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "pump {args:?}");
            let left: Vec<_> = std::fs::read_dir(d.dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|name| !name.starts_with("bad."))
                .collect();
            assert!(left.is_empty(), "pump {args:?} left {left:?} behind");
        }
    }
    // A database that was there stays, whatever fails.
    d.log(&["Kept", "-e", "squat: 3x5@100kg"]);
    d.fails(attempts[0]);
    assert!(d.ok(&["list"]).contains("Kept"));
}
