//! The derived set table that `pr`, `stats`, `progress`, `history`,
//! `calendar`, the PR lines and completion read (issue 20): kept in step
//! with every write and every sync, made from the records by the migration
//! that adds it, checked and rebuilt by `pump doctor` — through the real
//! binary on real databases.

mod common;

use common::{Device, Server, close, fixture, pair};
use rusqlite::Connection;

fn sql(d: &Device, statement: &str) {
    Connection::open(&d.db).unwrap().execute_batch(statement).unwrap();
}

fn count(d: &Device, query: &str) -> i64 {
    Connection::open(&d.db)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

/// Two workouts and a weigh-in: a barbell lift, an `@bw` set and an
/// exercise outside the catalogue.
fn two_workouts() -> Device {
    let d = Device::new();
    d.log(&["A", "--at", "2026-03-02 10:00", "-e", "bench press: 5@100kg, 3@110kg"]);
    d.log(&[
        "B",
        "--at",
        "2026-03-04 10:00",
        "-e",
        "dips: 8@bw+10kg",
        "-e",
        "Zercher Lunge: 3x8@40kg",
    ]);
    d.ok(&["weight", "80", "--at", "2026-03-01 07:00"]);
    d
}

#[test]
fn a_database_from_before_the_set_table_gets_one_made_from_its_workouts() {
    let d = two_workouts();
    // The file as the pump before the table left it: schema v4, no table.
    sql(
        &d,
        "DROP TABLE sets; DROP TABLE body_weights; DROP TABLE exercise_sessions; DROP TABLE set_workouts;
         PRAGMA user_version = 4;",
    );
    let pr = d.json(&["pr", "bench press"]);
    assert!(close(&pr["heaviest"]["value_kg"], 110.0), "{pr}");
    let dips = d.json(&["pr", "dips"]);
    assert!(close(&dips["heaviest"]["value_kg"], 90.0), "80 kg body + 10 kg: {dips}");
    assert_eq!(count(&d, "SELECT count(*) FROM sets"), 6);
    assert!(d.ok(&["doctor"]).contains("agrees"));
}

#[test]
fn a_database_from_before_the_record_candidates_gets_its_session_volumes_from_the_set_table() {
    let d = two_workouts();
    let before = d.json(&["pr"]);
    // The file as the pump before the candidates' indexes left it: schema
    // v5, its set table keyed by workout id (emptied: the upgrade makes the
    // tables again from the workouts).
    sql(
        &d,
        "DROP TABLE exercise_sessions; DROP TABLE sets; DROP TABLE set_workouts;
         CREATE TABLE sets (workout_id TEXT, exercise TEXT, at_us INTEGER, kind TEXT, class TEXT, reps INTEGER,
                            weight_kg REAL, bodyweight INTEGER, load_kg REAL, volume_kg REAL);
         PRAGMA user_version = 5;",
    );
    assert_eq!(d.json(&["pr"]), before);
    assert_eq!(count(&d, "SELECT count(*) FROM exercise_sessions"), 3);
    assert_eq!(
        count(&d, "SELECT CAST(max(volume_kg) AS INTEGER) FROM exercise_sessions"),
        960
    );
    assert!(d.ok(&["doctor"]).contains("agrees"));
}

/// The tables as the pump before the narrow set table (schema v7) left
/// them: one set row naming its workout by id, and no `set_workouts`. The
/// upgrade makes them again from the workouts, stale rows and all.
#[test]
fn a_database_from_before_the_narrow_set_table_gets_it_made_from_its_workouts() {
    let d = two_workouts();
    let before = d.json(&["pr"]);
    sql(
        &d,
        "DROP TABLE exercise_sessions; DROP TABLE sets; DROP TABLE set_workouts;
         CREATE TABLE sets (workout_id TEXT NOT NULL, entry INTEGER, number INTEGER, exercise TEXT);
         INSERT INTO sets VALUES ('a stale row', 0, 0, 'bench press');
         CREATE TABLE exercise_sessions (exercise TEXT, at_us INTEGER, workout_id TEXT);
         PRAGMA user_version = 7;",
    );
    assert_eq!(d.json(&["pr"]), before);
    assert_eq!(count(&d, "SELECT count(*) FROM set_workouts"), 2);
    assert_eq!(count(&d, "SELECT count(*) FROM sets"), 6);
    assert_eq!(count(&d, "SELECT count(*) FROM exercise_sessions"), 3);
    assert!(d.ok(&["doctor"]).contains("agrees"));
    let history = d.json(&["history", "dips"]);
    assert_eq!(history[0]["workout"], "B", "{history}");
}

#[test]
fn doctor_finds_a_damaged_set_table_and_rebuild_repairs_it() {
    let d = Device::new();
    d.log(&["A", "--at", "2026-03-02 10:00", "-e", "squat: 3x5@140kg"]);
    assert!(d.ok(&["doctor"]).contains("agrees with your workouts"));
    sql(&d, "DELETE FROM sets WHERE number = 1; UPDATE sets SET load_kg = 999;");
    let damaged = "SELECT count(*) * 10000 + CAST(sum(load_kg) AS INTEGER) FROM sets";
    let before = count(&d, damaged);
    let (code, stderr) = d.fails(&["doctor"]);
    assert_eq!(code, 1, "{stderr}");
    let message = stderr.lines().last().unwrap();
    assert!(
        message.contains("disagrees with your workouts in 5 rows") && message.contains("pump doctor --rebuild"),
        "{stderr}"
    );
    assert_eq!(count(&d, damaged), before, "checking changes nothing");
    assert!(d.ok(&["doctor", "--rebuild"]).contains("3 sets"));
    assert!(d.ok(&["doctor"]).contains("agrees"));
    assert!(close(&d.json(&["pr", "squat"])["heaviest"]["value_kg"], 140.0));
    assert_eq!(d.fails(&["doctor", "--rebild"]).0, 2, "a misspelt flag is refused");
    let help = d.ok(&["doctor", "--help"]);
    assert!(
        help.contains("Examples:") && help.contains("pump doctor --rebuild"),
        "{help}"
    );
}

#[test]
fn edits_deletes_and_weigh_ins_keep_the_table_in_step() {
    let d = Device::new();
    let id = d.log(&["A", "--at", "2026-03-02 10:00", "-e", "pull up: 5@bw, 3@bw+20kg"]);
    d.log(&["B", "--at", "2026-03-09 10:00", "-e", "pull up: 6@bw"]);
    // No body weight yet: a bodyweight set has no load record.
    assert!(d.json(&["pr", "pull up"])["heaviest"].is_null());
    d.ok(&["weight", "70", "--at", "2026-03-01 07:00"]);
    assert!(close(&d.json(&["pr", "pull up"])["heaviest"]["value_kg"], 90.0));
    // A later weigh-in changes only the sets after it.
    d.ok(&["weight", "75", "--at", "2026-03-05 07:00"]);
    let progress = d.json(&["progress", "pull up", "--metric", "top-set"]);
    let values: Vec<f64> = progress["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value_kg"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [90.0, 75.0]);
    assert_eq!(
        count(&d, "SELECT count(*) FROM sets WHERE body_kg = 75"),
        1,
        "the table weighs each set with the weigh-in before it"
    );
    d.ok(&["rm", &id]);
    assert!(close(&d.json(&["pr", "pull up"])["heaviest"]["value_kg"], 75.0));
    d.ok(&["restore", &id]);
    assert!(close(&d.json(&["pr", "pull up"])["heaviest"]["value_kg"], 90.0));
    assert!(d.ok(&["doctor"]).contains("agrees"));
}

#[test]
fn what_sync_brings_is_in_the_table_of_the_device_that_pulls_it() {
    let server = Server::start();
    let (phone, laptop) = pair(&server);
    let id = phone.log(&["Legs", "--at", "2026-03-02 10:00", "-e", "deadlift: 1@200kg"]);
    phone.sync_ok();
    laptop.sync_ok();
    assert!(close(&laptop.json(&["pr", "deadlift"])["heaviest"]["value_kg"], 200.0));
    let history = laptop.json(&["history", "deadlift"]);
    assert_eq!(history[0]["workout"], "Legs", "{history}");
    phone.ok(&["rm", &id]);
    phone.sync_ok();
    laptop.sync_ok();
    assert_eq!(laptop.fails(&["pr", "deadlift"]).0, 2);
    assert!(laptop.ok(&["doctor"]).contains("agrees"));
}

/// What was seen: completion offered the lifter's own exercises from the
/// newest 300 workouts only, so one done long ago was not offered.
#[test]
fn completion_offers_an_exercise_of_any_age() {
    let d = Device::new();
    d.log(&["Old", "--at", "2020-01-06 10:00", "-e", "Zercher Lunge: 3x8@40kg"]);
    common::seed_workouts(&d.db, 301, "Recent");
    let mut cmd = d.cmd();
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .args(["--", "pump", "pr", "Zer"]);
    let out = cmd.output().unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    assert!(
        offered.lines().any(|l| l.trim_matches('"') == "Zercher Lunge"),
        "{offered}"
    );
}

/// The derived tables' indexes, by name.
fn derived_indexes(d: &Device) -> Vec<String> {
    derived_index_column(d, "name")
}

/// The derived tables' indexes' definitions, in the order of their names.
fn derived_index_definitions(d: &Device) -> Vec<String> {
    derived_index_column(d, "sql")
}

/// A column of `sqlite_master` for each of the derived tables' indexes.
fn derived_index_column(d: &Device, column: &str) -> Vec<String> {
    let conn = Connection::open(&d.db).unwrap();
    let mut values = conn
        .prepare(&format!(
            "SELECT {column} FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ('sets', 'exercise_sessions') ORDER BY name"
        ))
        .unwrap();
    values
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// An import into an empty database builds the derived tables' indexes
/// once at its end instead of set by set: afterwards it has every index a
/// database written by `pump log` has, the tables agree with a rebuild, and
/// the next write keeps them. An import into a database with workouts keeps
/// its indexes throughout.
#[test]
fn an_import_into_an_empty_database_builds_the_indexes_at_its_end() {
    let logged = Device::new();
    logged.log(&["A", "-e", "squat: 5@100kg"]);
    assert!(derived_indexes(&logged).len() >= 7, "{:?}", derived_indexes(&logged));

    let imported = Device::new();
    imported.ok(&["import", fixture("hevy_kg.csv").to_str().unwrap()]);
    assert_eq!(derived_indexes(&imported), derived_indexes(&logged));
    assert!(imported.ok(&["doctor"]).contains("agrees"));
    imported.log(&["B", "-e", "squat: 5@120kg"]);
    assert!(imported.ok(&["doctor"]).contains("agrees"));

    logged.ok(&["import", fixture("hevy_kg.csv").to_str().unwrap()]);
    assert_eq!(derived_indexes(&logged), derived_indexes(&imported));
    assert!(logged.ok(&["doctor"]).contains("agrees"));
}

/// A new device's first pull of more than a page fills its empty set table
/// without the indexes and builds them once after the last round: it ends
/// with every index a database written by `pump log` has, nothing noted as
/// still to build, tables that agree with a rebuild, and a next write and
/// pull that keep them.
#[test]
fn a_first_pull_of_several_pages_ends_with_every_index() {
    let server = Server::start();
    let (phone, laptop) = pair(&server);
    common::seed_workouts(&phone.db, 2_100, "Backlog");
    phone.sync_ok();
    let pulled = laptop.sync_ok();
    assert!(pulled.contains("received 2100,"), "{pulled}");
    assert_pulled_with_every_index(&laptop, &phone, 2_100);
    phone.log(&["After", "-e", "squat: 5@150kg"]);
    phone.sync_ok();
    laptop.sync_ok();
    assert!(close(&laptop.json(&["pr", "squat"])["heaviest"]["value_kg"], 150.0));
    assert!(laptop.ok(&["doctor"]).contains("agrees"));
}

/// `PUMP_PULL_PAGE`, the testing knob, makes a first pull of a few
/// workouts take several rounds, as one of thousands does (each page
/// opened on a second thread while the store writes it, the next fetched
/// ahead, the indexes built after the last): every workout arrives once,
/// with every index and tables that agree with a rebuild. A value that is
/// not a number of rows the server serves is refused in one line (exit 2)
/// before anything is sent or written.
#[test]
fn a_small_pull_page_takes_a_first_pull_through_several_rounds() {
    let server = Server::start();
    let (phone, laptop) = pair(&server);
    common::seed_workouts(&phone.db, 10, "Backlog");
    phone.sync_ok();
    let before = laptop.snapshot();
    for bad in ["0", "lots", "5001", "-3"] {
        let out = laptop
            .cmd()
            .env("PUMP_PULL_PAGE", bad)
            .args(["sync", "--non-interactive"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("PUMP_PULL_PAGE") && err.contains("from 1 to"), "{err}");
        assert_eq!(laptop.snapshot(), before, "{bad} changed the database");
    }
    let out = laptop
        .cmd()
        .env("PUMP_PULL_PAGE", "3")
        .args(["sync", "--non-interactive"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("received 10,"), "{printed}");
    assert_eq!(laptop.workout_names(), phone.workout_names());
    assert_pulled_with_every_index(&laptop, &phone, 10);
}

/// `puller` pulled the `workouts` (of three sets each) `pusher` wrote: its
/// set table holds them, with every index `pusher`'s has, nothing noted as
/// still to build, and agrees with a rebuild.
fn assert_pulled_with_every_index(puller: &Device, pusher: &Device, workouts: i64) {
    assert_eq!(derived_index_definitions(puller), derived_index_definitions(pusher));
    assert_eq!(
        count(puller, "SELECT count(*) FROM meta WHERE key = 'deferred_indexes'"),
        0
    );
    assert_eq!(count(puller, "SELECT count(*) FROM sets"), workouts * 3);
    assert!(puller.ok(&["doctor"]).contains("agrees"));
}

/// What a first pull killed between its rounds leaves: the set table's
/// indexes dropped and their definitions noted in `meta`. The next command
/// builds them before it reads (`pump stats` names one of them, and failed
/// with "no such index" on such a database), and the database is whole.
#[test]
fn a_first_pull_killed_between_rounds_gets_its_indexes_from_the_next_command() {
    let d = two_workouts();
    let definitions = derived_index_definitions(&d);
    let names = derived_indexes(&d);
    assert!(names.len() >= 7, "{names:?}");
    let drops: String = names.iter().map(|name| format!("DROP INDEX \"{name}\";")).collect();
    let noted = serde_json::to_string(&definitions).unwrap().replace('\'', "''");
    sql(
        &d,
        &format!("{drops} INSERT INTO meta (key, value) VALUES ('deferred_indexes', '{noted}');"),
    );
    assert!(derived_indexes(&d).is_empty());
    let stats = d.json(&["stats", "--weeks", "520"]);
    assert!(stats.is_object(), "{stats}");
    assert_eq!(derived_index_definitions(&d), definitions);
    assert_eq!(count(&d, "SELECT count(*) FROM meta WHERE key = 'deferred_indexes'"), 0);
    assert!(d.ok(&["doctor"]).contains("agrees"));
}
