//! Imports through the real binary: the quirks of real exports (each with a
//! small sample file of our own under `tests/fixtures/import/`), the import
//! log (list, undo, redo, replace), ids that do not depend on the machine,
//! and deleting and restoring workouts across devices.

mod common;

use common::{Device, Server, executable, fixture, pair};
use serde_json::Value;

fn path(name: &str) -> String {
    fixture(name).to_str().expect("a UTF-8 path").to_string()
}

/// Runs `pump import` and returns its stderr, which carries the summary.
fn import(d: &Device, args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = d.cmd().args(&all).output().expect("run pump");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "pump {all:?} failed:\n{stderr}");
    stderr
}

fn workouts(d: &Device) -> Vec<Value> {
    d.json(&["list"]).as_array().expect("a list").clone()
}

fn only_workout(d: &Device) -> Value {
    let all = workouts(d);
    assert_eq!(all.len(), 1, "{all:?}");
    d.workout(all[0]["id"].as_str().expect("an id"))
}

fn exercise<'a>(workout: &'a Value, name: &str) -> &'a Value {
    workout["exercises"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {workout}"))
}

fn total_sets(d: &Device) -> usize {
    workouts(d)
        .iter()
        .flat_map(|w| w["exercises"].as_array().cloned().unwrap_or_default())
        .map(|e| e["sets"].as_array().map_or(0, Vec::len))
        .sum()
}

/// Strong's `85;lbs;0;…`: a set of 0 reps at 85 lb, which refused the whole
/// file ("a set needs reps, a duration or a distance"). It is a missed
/// attempt; the set's note and the exercise's `Note` row stay where they were.
#[test]
fn a_strong_zero_rep_set_is_a_missed_attempt_and_notes_stay_in_place() {
    let d = Device::new();
    let out = import(&d, &[&path("strong_missed.csv"), "--unit", "lb", "--strict"]);
    assert!(out.contains("added 1 workout (5 sets)"), "{out}");
    let w = only_workout(&d);
    assert_eq!(w["notes"], "Shoulder felt fine");
    let press = &exercise(&w, "Overhead Press (Barbell)")["sets"];
    assert_eq!(press[1]["kind"], "missed");
    assert!(press[1].get("reps").is_none_or(Value::is_null), "{press}");
    assert_eq!(press[1]["notes"], "Failed at lockout", "Strong's per-set note");
    let chin = exercise(&w, "Chin Up");
    assert_eq!(
        chin["notes"], "Band for the last set",
        "a Note row is the exercise's note"
    );
    assert_eq!(chin["sets"].as_array().map(Vec::len), Some(2), "the empty row is a set");
    let shown = d.ok(&["show", "last"]);
    assert!(
        shown.contains("5@34kg, 0@38.5kg, 4@34kg"),
        "in the lifter's unit: {shown}"
    );
    assert!(shown.contains("set 2: Failed at lockout"), "{shown}");
    assert!(shown.contains("8, ?"), "a set with nothing measured: {shown}");
    assert!(shown.contains("note: Band for the last set"), "{shown}");
}

/// Hevy's `"failure",120,0`: a missed attempt at 120 kg. It is kept and
/// counted as a set, but moves no volume and is never a record. Supersets
/// and exercise notes survive.
#[test]
fn a_hevy_missed_attempt_is_kept_but_never_a_record_and_supersets_show() {
    let d = Device::new();
    let out = import(&d, &[&path("hevy_missed.csv"), "--strict"]);
    assert!(out.contains("added 1 workout (8 sets)"), "{out}");
    let w = only_workout(&d);
    let bench = exercise(&w, "Bench Press (Barbell)");
    assert_eq!(bench["sets"][2]["kind"], "missed");
    assert_eq!(bench["sets"][2]["weight_kg"], 120.0);
    assert_eq!(bench["notes"], "Touch and go");
    assert_eq!(w["notes"], "", "exercise notes are not folded into the workout's");
    assert_eq!(exercise(&w, "Bicep Curl (Dumbbell)")["superset"], 0);
    assert_eq!(exercise(&w, "Triceps Pushdown (Cable)")["superset"], 0);
    assert!(exercise(&w, "Plank").get("superset").is_none());
    let shown = d.ok(&["show", "last"]);
    assert!(shown.contains("0@120kg"), "{shown}");
    assert!(shown.contains("Bicep Curl (Dumbbell) (superset A)"), "{shown}");
    assert!(shown.contains("Triceps Pushdown (Cable) (superset A)"), "{shown}");

    let records = d.ok(&["pr", "bench press (barbell)"]);
    assert!(
        records.contains("Heaviest set        ┆ 115 kg"),
        "120 kg was missed: {records}"
    );
    assert!(!records.contains("120"), "{records}");
    let stats = d.json(&["stats", "--weeks", "104"]);
    let text = stats.to_string();
    assert!(
        text.contains("\"sets\":7"),
        "the missed set counts, the warm-up does not: {text}"
    );
}

/// FitNotes writes `0.0,kg,0:00:00` in the distance columns of a lift: the
/// unit beside an empty distance means nothing ("the distance unit 'kg' is
/// unknown" refused the file).
#[test]
fn a_unit_beside_an_empty_fitnotes_distance_is_ignored() {
    let d = Device::new();
    let out = import(&d, &[&path("fitnotes_no_distance.csv"), "--strict"]);
    assert!(out.contains("added 1 workout (5 sets)"), "{out}");
    let w = only_workout(&d);
    let squat = &exercise(&w, "Barbell Squat")["sets"];
    assert!(squat[0].get("distance_m").is_none(), "{squat}");
    assert_eq!(squat[1]["notes"], "Depth good", "a FitNotes comment is its set's note");
    assert_eq!(exercise(&w, "Running (Treadmill)")["sets"][0]["distance_m"], 2000.0);
    assert_eq!(
        exercise(&w, "Calf Raise")["sets"].as_array().map(Vec::len),
        Some(1),
        "a row with nothing measured is a set"
    );
}

/// A mistaken `--unit kg` could not be corrected ("added 0, 86 already
/// here"): now a re-import with another unit says how, and `--replace` does it.
#[test]
fn another_unit_refuses_with_a_hint_and_replace_corrects_it() {
    let d = Device::new();
    let file = path("strong_comma.csv");
    import(&d, &[&file, "--unit", "kg"]);
    let before = d.snapshot();
    let (code, err) = d.fails(&["import", &file, "--unit", "lb"]);
    assert_eq!(code, 2);
    assert!(err.contains("--undo 1") && err.contains("--replace"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(d.snapshot(), before, "nothing changed");

    let count = workouts(&d).len();
    let out = import(&d, &[&file, "--unit", "lb", "--replace"]);
    assert!(out.contains("Undid import 1"), "{out}");
    assert!(out.contains(&format!("added {count} workouts")), "{out}");
    assert_eq!(workouts(&d).len(), count, "replaced, not duplicated");
    let bench = d.ok(&[
        "show",
        &workouts(&d).last().expect("one")["id"].as_str().expect("an id")[..13],
    ]);
    assert!(bench.contains("100lb") || bench.contains("45.25kg"), "{bench}");
    let log = d.json(&["import", "--list"]);
    assert!(!log[0]["undone_at"].is_null(), "import 1 was undone: {log}");
    assert_eq!(log[1]["unit"], "lb");
    assert_eq!(d.json(&["list", "--deleted"]).as_array().map(Vec::len), Some(0));
}

/// Undo deletes exactly the import's workouts, as tombstones; importing the
/// file again brings them back. A workout deleted by hand comes back too
/// (it never did: "86 already here" while 85 were visible).
#[test]
fn undo_then_reimport_and_a_deleted_import_comes_back() {
    let d = Device::new();
    d.log(&["Mine", "--at", "2026-01-01 10:00", "-e", "squat: 5@100kg"]);
    let file = path("hevy_kg.csv");
    import(&d, &[&file]);
    let count = workouts(&d).len();
    let sets = total_sets(&d);
    let log = d.json(&["import", "--list"]);
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&log[0]["format"], &log[0]["file"]),
        (&"Hevy".into(), &"hevy_kg.csv".into())
    );
    assert_eq!(log[0]["workouts"].as_u64(), Some(count as u64 - 1));
    let listed = d.ok(&["import", "--list"]);
    assert!(listed.contains("hevy_kg.csv") && listed.contains("Hevy"), "{listed}");

    let again = import(&d, &[&file]);
    assert!(
        again.contains(&format!("added 0 workouts (0 sets); {} already here", count - 1)),
        "{again}"
    );

    let (code, err) = d.fails(&["import", "--undo", "7"]);
    assert_eq!(code, 2);
    assert!(err.contains("no import 7") && err.contains("--list"), "{err}");
    let undone = d.cmd().args(["import", "--undo", "1"]).output().expect("run pump");
    assert!(undone.status.success());
    assert!(String::from_utf8_lossy(&undone.stderr).contains(&format!("deleted {} workouts", count - 1)));
    let left = workouts(&d);
    assert_eq!(left.len(), 1, "only what the import added is gone");
    assert_eq!(left[0]["name"], "Mine");
    assert_eq!(d.json(&["list", "--deleted"]).as_array().map(Vec::len), Some(count - 1));
    let (code, err) = d.fails(&["import", "--undo", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("already undone"), "{err}");

    let back = import(&d, &[&file]);
    assert!(
        back.contains(&format!("of them {} deleted here before and now back", count - 1)),
        "{back}"
    );
    assert_eq!(workouts(&d).len(), count);
    assert_eq!(total_sets(&d), sets);

    let victim = workouts(&d)[0]["id"].as_str().expect("an id").to_string();
    d.ok(&["rm", &victim]);
    assert_eq!(workouts(&d).len(), count - 1);
    let out = import(&d, &[&file]);
    assert!(out.contains("added 1 workout "), "{out}");
    assert_eq!(workouts(&d).len(), count, "the deleted import came back");
}

/// The same export imported on two devices in different time zones gets the
/// same ids, so sync sees one workout each, not two copies. The devices read
/// the file's local times in their own zones; sync settles those readings by
/// itself (the earlier one, start and end together), so nobody is asked.
#[test]
fn the_same_export_on_two_devices_in_two_time_zones_syncs_as_one() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let file = path("strong_semicolon.csv");
    import(&a, &[&file, "--unit", "kg"]);
    let out = b
        .cmd()
        .env("TZ", "America/New_York")
        .args(["import", &file, "--unit", "kg"])
        .output()
        .expect("run pump");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ids = |d: &Device| {
        let mut ids: Vec<String> = workouts(d)
            .iter()
            .map(|w| w["id"].as_str().expect("an id").to_string())
            .collect();
        ids.sort();
        ids
    };
    let (on_a, on_b) = (ids(&a), ids(&b));
    assert_eq!(on_a, on_b, "the ids do not depend on the time zone");
    let first = &on_a[0];
    let (read_on_a, read_on_b) = (a.workout(first), b.workout(first));
    assert_ne!(
        read_on_a["started_at"], read_on_b["started_at"],
        "each device read the local times in its own zone"
    );
    a.sync_ok();
    b.sync_ok();
    a.sync_ok();
    assert_eq!(b.json(&["conflicts"]), serde_json::json!([]), "nothing held");
    assert_eq!(ids(&a), on_a, "no duplicates on a");
    assert_eq!(ids(&b), on_a, "no duplicates on b");
    let exported = |d: &Device| d.ok(&["export"]);
    assert_eq!(exported(&a), exported(&b), "and the same workouts");
    // The earlier reading, New York's being later: a's, start and end together.
    let settled = b.workout(first);
    assert_eq!(
        (&settled["started_at"], &settled["completed_at"]),
        (&read_on_a["started_at"], &read_on_a["completed_at"])
    );
    assert_eq!(settled["imported"]["local_start"], read_on_a["imported"]["local_start"]);

    // A time the lifter sets is an edit: it wins over the untouched reading.
    let day = settled["imported"]["local_start"].as_str().expect("a local start")[..10].to_string();
    b.ok(&["edit", &first[..13], "--at", &format!("{day} 05:00")]);
    let moved = b.workout(first);
    assert!(moved.get("imported").is_none(), "no longer the export's time: {moved}");
    b.sync_ok();
    a.sync_ok();
    assert_eq!(a.workout(first)["started_at"], moved["started_at"]);
}

/// A file imported by an older pump (ids from the start in UTC) is
/// recognised by those ids: importing it again does not duplicate it.
#[test]
fn a_file_imported_by_an_older_pump_is_not_duplicated() {
    let d = Device::new();
    let text = std::fs::read_to_string(fixture("hevy_kg.csv")).expect("the fixture");
    let parsed = pump::import::parse(
        &text,
        pump::import::Format::Hevy,
        &pump::import::ImportOptions::default(),
    )
    .expect("parses");
    // What an older pump stored: the same workouts under their older ids.
    let mut store = pump::store::Store::open(&d.db).expect("open");
    for (workout, legacy) in parsed.workouts.iter().zip(&parsed.legacy_ids) {
        let old = pump::model::Workout {
            id: legacy.clone(),
            ..workout.clone()
        };
        store
            .write(legacy, |_| Ok(Some(pump::store::Change::put(old))))
            .expect("write");
    }
    drop(store);
    let count = workouts(&d).len();
    let out = import(&d, &[&path("hevy_kg.csv")]);
    assert!(out.contains(&format!("{count} imported by an older pump")), "{out}");
    assert_eq!(workouts(&d).len(), count);
}

/// `pump rm` takes several ids and `--dry-run`; one bad id changes nothing.
#[test]
fn rm_takes_several_ids_and_a_dry_run() {
    let d = Device::new();
    let ids: Vec<String> = (1..=3)
        .map(|day| d.log(&["W", "--at", &format!("2026-02-0{day} 10:00"), "-e", "squat: 5@100kg"]))
        .collect();
    let before = d.snapshot();
    let out = d
        .cmd()
        .args(["rm", &ids[0], &ids[1], "--dry-run"])
        .output()
        .expect("run pump");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Would delete") && stderr.contains(&ids[1]), "{stderr}");
    assert_eq!(d.snapshot(), before, "a dry run changes nothing");
    let (code, err) = d.fails(&["rm", &ids[0], "ffffffff"]);
    assert_eq!(code, 2);
    assert!(err.contains("ffffffff"), "{err}");
    assert_eq!(d.snapshot(), before, "one bad id deletes nothing");
    d.ok(&["rm", &ids[0], &ids[1]]);
    assert_eq!(workouts(&d).len(), 1);
    let deleted = d.json(&["list", "--deleted"]);
    assert_eq!(deleted.as_array().map(Vec::len), Some(2));
    let (code, err) = d.fails(&["restore", &ids[2]]);
    assert_eq!(code, 2);
    assert!(err.contains("no deleted workout") && err.contains("--deleted"), "{err}");
}

/// `pump restore` is an ordinary write: it dominates the tombstone, so the
/// workout comes back on the other device too.
#[test]
fn a_restored_workout_comes_back_on_the_other_device() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "--at", "2026-03-01 10:00", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    b.ok(&["rm", &id]);
    b.sync_ok();
    a.sync_ok();
    assert!(workouts(&a).is_empty(), "the delete reached a");
    a.ok(&["restore", &id[..13]]);
    assert_eq!(workouts(&a).len(), 1);
    a.sync_ok();
    b.sync_ok();
    let back = workouts(&b);
    assert_eq!(back.len(), 1, "the restore reached b");
    assert_eq!(back[0]["name"], "Legs");
    assert_eq!(b.workout(&id)["exercises"][0]["sets"][0]["reps"], 5);
}

/// Exercise and set notes are editable and shown.
#[test]
fn exercise_and_set_notes_are_edited_with_flags() {
    let d = Device::new();
    let id = d.log(&["Legs", "-e", "squat: 3x5@100kg"]);
    d.ok(&[
        "edit",
        &id,
        "--exercise-note",
        "squat: belt on",
        "--set-note",
        "squat 3: knee caved",
    ]);
    let shown = d.ok(&["show", &id]);
    assert!(
        shown.contains("note: belt on") && shown.contains("set 3: knee caved"),
        "{shown}"
    );
    let before = d.snapshot();
    let (code, err) = d.fails(&["edit", &id, "--set-note", "squat 4: nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no set 4"), "{err}");
    let (code, err) = d.fails(&["edit", &id, "--exercise-note", "deadlift: nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no exercise 'deadlift'"), "{err}");
    assert_eq!(d.snapshot(), before);
    // Changing a set's weight keeps its note.
    d.ok(&["edit", &id, "-e", "squat: 5@100kg, 5@100kg, 5@95kg"]);
    assert!(d.ok(&["show", &id]).contains("set 3: knee caved"));
}

/// Exercise and set notes are in the `$EDITOR` form, under their exercise,
/// and edited there like the rest; saving the form untouched writes
/// nothing. The CSV export carries them in columns of their own.
#[test]
fn exercise_and_set_notes_are_edited_in_the_editor_and_exported() {
    let d = Device::new();
    import(&d, &[&path("strong_missed.csv"), "--unit", "lb"]);
    let id = workouts(&d)[0]["id"].as_str().expect("an id").to_string();
    let seen = d.dir.path().join("seen.txt");
    let copy = d.dir.path().join("copy.sh");
    executable(&copy, &format!("#!/bin/sh\ncp \"$1\" '{}'\n", seen.display()));
    let before = d.snapshot();
    d.cmd().args(["edit", &id]).env("EDITOR", &copy).assert().success();
    assert_eq!(d.snapshot(), before, "saved untouched: nothing written");
    let form = std::fs::read_to_string(&seen).expect("the form");
    let lines: Vec<&str> = form.lines().collect();
    let under = |exercise: &str| {
        let at = lines
            .iter()
            .position(|l| l.starts_with(exercise))
            .unwrap_or_else(|| panic!("no {exercise} in {form}"));
        lines[at + 1]
    };
    assert_eq!(
        under("Overhead Press (Barbell):"),
        "  set 2: Failed at lockout",
        "{form}"
    );
    assert_eq!(under("Chin Up:"), "  note: Band for the last set", "{form}");

    let script = d.dir.path().join("editor.sh");
    executable(
        &script,
        "#!/bin/sh\nsed -i -e 's/^  set 2: .*/  set 2: Failed at lockout, elbows flared/' -e '/^  note: Band/d' \
         -e 's/^\\(Chin Up: .*\\)$/\\1\\n  set 1: strict/' -e 's/^\\(Overhead Press.*\\)$/\\1\\n  note: belt/' \"$1\"\n",
    );
    d.cmd().args(["edit", &id]).env("EDITOR", &script).assert().success();
    let w = d.workout(&id);
    let press = exercise(&w, "Overhead Press (Barbell)");
    assert_eq!(press["sets"][1]["notes"], "Failed at lockout, elbows flared");
    assert_eq!(press["notes"], "belt");
    let chin = exercise(&w, "Chin Up");
    assert!(chin.get("notes").is_none(), "its note line was deleted: {chin}");
    assert_eq!(chin["sets"][0]["notes"], "strict");
    assert_eq!(w["imported"]["format"], "Strong", "the times were not touched");

    let csv = d.ok(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (exercise_notes, set_notes) = (column("exercise_notes"), column("set_notes"));
    assert_eq!(header.iter().next_back(), Some("volume_kg"), "still the last column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let noted: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (&r[exercise_notes], &r[set_notes]))
        .filter(|(e, s)| !e.is_empty() || !s.is_empty())
        .collect();
    assert_eq!(
        noted,
        [
            ("belt", ""),
            ("belt", "Failed at lockout, elbows flared"),
            ("belt", ""),
            ("", "strict")
        ]
    );
}
