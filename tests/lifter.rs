//! What lifters use day to day: records, stats, templates, body weight,
//! plates, aliases, import and export — through the real binary.

mod common;

use common::{Device, Server, close, fixture};

#[test]
fn prs_match_hand_computed_numbers_and_ignore_warmups() {
    let d = Device::new();
    d.log(&[
        "A",
        "--at",
        "2026-10-01 10:00",
        "-e",
        "bench press: w1@200kg, w5@60kg, 5@100kg, 3@110kg",
    ]);
    let pr = d.json(&["pr", "bench press"]);
    // Epley: 100 × (1 + 5/30) = 116.67; 110 × (1 + 3/30) = 121.0.
    assert!(close(&pr["best_e1rm"]["value_kg"], 121.0), "{pr}");
    assert!(
        close(&pr["heaviest"]["value_kg"], 110.0),
        "the 200 kg warm-up does not count: {pr}"
    );
    let rep_maxes = pr["rep_maxes"].as_array().unwrap();
    let rm = |n: u64| {
        rep_maxes
            .iter()
            .find(|r| r["min_reps"] == n)
            .map(|r| r["record"]["value_kg"].clone())
    };
    assert!(close(&rm(3).unwrap(), 110.0));
    assert!(close(&rm(5).unwrap(), 100.0));
    assert!(rm(8).is_none());
    assert!(close(&pr["best_set_volume"]["value_kg"], 500.0));
    assert!(
        close(&pr["best_session_volume"]["value_kg"], 830.0),
        "warm-up volume excluded: {pr}"
    );
    // Brzycki: 110 × 36 / (37 − 3) = 116.47.
    let brzycki = d.json(&["pr", "bench press", "--formula", "brzycki"]);
    assert!(close(&brzycki["best_e1rm"]["value_kg"], 116.47), "{brzycki}");
    let table = d.ok(&["pr", "bench"]);
    assert!(table.contains("121 kg") && table.contains("Epley"), "{table}");
    assert_eq!(d.fails(&["pr", "bench", "--formula", "guess"]).0, 2);
}

#[test]
fn log_announces_a_new_pr_on_stderr() {
    let d = Device::new();
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "squat: 5@100kg"]);
    let out = d.cmd().args(["log", "B", "-e", "squat: 5@110kg"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("New PR: Squat heaviest set 110 kg (was 100 kg)"),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim().len(),
        36,
        "stdout stays the id alone"
    );
    let quiet = d.cmd().args(["log", "C", "-e", "squat: 5@90kg"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("New PR"));
}

#[test]
fn weekly_stats_and_streaks_over_several_weeks() {
    let d = Device::new();
    let now = chrono::Utc::now();
    let at = |weeks_ago: i64| {
        (now - chrono::Duration::weeks(weeks_ago))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    for (weeks_ago, spec) in [
        (0, "squat: 3x5@100kg"),
        (1, "bench press: 5@80kg, w5@40kg"),
        (2, "squat: 5@100kg"),
        (5, "deadlift: 5@140kg"),
    ] {
        d.log(&["S", "--at", &at(weeks_ago), "-e", spec]);
    }
    let report = d.json(&["stats", "--weeks", "8"]);
    let weeks = report["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 8);
    let this_week = weeks.last().unwrap();
    assert_eq!(this_week["sessions"], 1);
    assert_eq!(this_week["sets"], 3);
    assert_eq!(this_week["reps"], 15);
    assert!(close(&this_week["volume_kg"], 1500.0));
    assert_eq!(weeks[6]["sets"], 1, "the warm-up is not a set for stats");
    assert_eq!(report["current_streak"], 3);
    assert_eq!(report["longest_streak"], 3);
    let total: u64 = weeks.iter().map(|w| w["sessions"].as_u64().unwrap()).sum();
    assert_eq!(total, 4);
    assert!(this_week["muscles"]["quads"]["sets"] == 3, "{this_week}");
    let table = d.ok(&["stats", "--weeks", "8"]);
    assert!(table.contains("Weekly streak: 3 current, 3 longest"), "{table}");
    assert_eq!(d.fails(&["stats", "--weeks", "0"]).0, 2);
}

#[test]
fn progress_chart_and_series() {
    let d = Device::new();
    for (day, kg) in [("2026-09-01", 100), ("2026-09-08", 105), ("2026-09-15", 110)] {
        d.log(&["S", "--at", day, "-e", &format!("squat: 5@{kg}kg")]);
    }
    let series = d.json(&["progress", "squat", "--metric", "top-set"]);
    let values: Vec<f64> = series["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [100.0, 105.0, 110.0]);
    let chart = d.ok(&["progress", "squat"]);
    assert!(
        chart.lines().all(|l| l.chars().count() <= 80),
        "fits 80 columns:\n{chart}"
    );
    assert!(chart.contains("2026-09-01") && chart.contains("2026-09-15"), "{chart}");
    let since = d.json(&["progress", "squat", "--since", "2026-09-05", "--metric", "volume"]);
    assert_eq!(since["series"].as_array().unwrap().len(), 2);
    assert_eq!(d.fails(&["progress", "squat", "--metric", "speed"]).0, 2);
}

#[test]
fn calendar_heatmap_fits_and_counts_days() {
    let d = Device::new();
    d.log(&["S", "--at", "2025-06-02 10:00", "-e", "squat: 5@100kg"]);
    d.log(&["S", "--at", "2025-06-04 10:00", "-e", "squat: 5@100kg"]);
    let out = d.ok(&["calendar", "--year", "2025"]);
    assert!(out.contains("2 days trained"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    let days = d.json(&["calendar", "--year", "2025"]);
    assert_eq!(
        days.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["sets"].as_u64() > Some(0))
            .count(),
        2
    );
    assert_eq!(d.fails(&["calendar", "--year", "12"]).0, 2);
}

#[test]
fn templates_prefill_the_plan() {
    let d = Device::new();
    d.ok(&[
        "template",
        "new",
        "Push A",
        "-e",
        "bench: 3x5@100kg",
        "-e",
        "dips: 3x10@bw",
    ]);
    let id = d.ok(&["start", "--template", "push a"]).trim().to_string();
    let w = d.workout(&id);
    assert_eq!(w["name"], "Push A");
    assert_eq!(w["plan"][0]["name"], "Bench Press");
    assert_eq!(w["plan"][0]["sets"].as_array().unwrap().len(), 3);
    assert!(
        w["exercises"].as_array().unwrap().is_empty(),
        "the plan is not what was done"
    );
    let out = d.cmd().args(["add", "bench", "5@100kg"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("done 1 of 3"));
    d.ok(&["finish"]);
    d.ok(&["template", "save", "Push B", "--from", &id]);
    let listed = d.json(&["template", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        d.json(&["template", "show", "push b"])["exercises"][0]["sets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    d.ok(&["template", "rm", "Push B"]);
    assert_eq!(d.json(&["template", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(d.fails(&["start", "--template", "nope"]).0, 2);
}

#[test]
fn body_weight_counts_in_bodyweight_sets() {
    let d = Device::new();
    d.ok(&["weight", "80", "--at", "2026-10-01"]);
    d.ok(&["weight", "176.4lb", "--at", "2026-10-10"]);
    let entries = d.json(&["weight"]);
    assert_eq!(entries.as_array().unwrap().len(), 2);
    assert!(close(&entries[1]["weight_kg"], 80.014));
    d.log(&["Pull", "--at", "2026-10-11 10:00", "-e", "pull up: 5@bw+10kg"]);
    let pr = d.json(&["pr", "pull up"]);
    // Latest body weight before the set (80.01 kg) + 10 kg added.
    assert!(close(&pr["heaviest"]["value_kg"], 90.01), "{pr}");
    assert!(d.ok(&["weight"]).contains("80"));
    assert_eq!(d.fails(&["weight", "-3"]).0, 2);
    assert_eq!(d.fails(&["weight", "heavy"]).0, 2);
}

#[test]
fn plates_per_side() {
    let d = Device::new();
    let load = d.json(&["plates", "100"]);
    assert_eq!(load["per_side"], serde_json::json!([25.0, 15.0]));
    let custom = d.json(&["plates", "140", "--bar", "20", "--plates", "20,10,5"]);
    assert_eq!(custom["per_side"], serde_json::json!([20.0, 20.0, 20.0]));
    d.ok(&["config", "set", "unit", "lb"]);
    let pounds = d.json(&["plates", "225"]);
    assert_eq!(pounds["per_side"], serde_json::json!([45.0, 45.0]));
    assert_eq!(d.fails(&["plates", "10"]).0, 2, "below the bar");
    assert_eq!(d.fails(&["plates", "100", "--plates", "20,x"]).0, 2);
}

#[test]
fn aliases_work_everywhere_and_typos_get_a_hint() {
    let d = Device::new();
    d.ok(&["alias", "bp", "bench press"]);
    let id = d.log(&["A", "-e", "bp: 5@100kg"]);
    assert_eq!(d.workout(&id)["exercises"][0]["name"], "Bench Press");
    assert_eq!(d.json(&["list", "--exercise", "bp"]).as_array().unwrap().len(), 1);
    assert!(close(&d.json(&["pr", "bp"])["heaviest"]["value_kg"], 100.0));
    let out = d
        .cmd()
        .args(["log", "B", "-e", "bench pres: 5@100kg"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'Bench Press'"));
    let exercises = d.json(&["exercises", "--search", "bench"]);
    let bench = exercises
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Bench Press")
        .unwrap();
    assert_eq!(bench["times"], 1);
    assert!(
        d.json(&["exercises"]).as_array().unwrap().len() >= 80,
        "the catalogue has at least 80 exercises"
    );
    d.ok(&["alias", "--rm", "bp"]);
    assert!(d.json(&["alias"]).as_array().unwrap().is_empty());
    assert_eq!(d.fails(&["alias", "--rm", "bp"]).0, 2);
}

#[test]
fn aliases_templates_and_body_weight_sync_between_devices() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    a.ok(&["alias", "bp", "Bench Press"]);
    a.ok(&["template", "new", "Legs", "-e", "squat: 5x5@100kg"]);
    a.ok(&["weight", "81.5"]);
    a.sync_ok();
    b.sync_ok();
    assert_eq!(b.json(&["alias"])[0]["exercise"], "Bench Press");
    assert_eq!(b.json(&["template", "list"])[0]["name"], "Legs");
    assert!(close(&b.json(&["weight"])[0]["weight_kg"], 81.5));
    let id = b.log(&["Push", "-e", "bp: 5@90kg"]);
    assert_eq!(
        b.workout(&id)["exercises"][0]["name"],
        "Bench Press",
        "the synced alias resolves on B"
    );
    b.ok(&["template", "rm", "Legs"]);
    b.sync_ok();
    a.sync_ok();
    assert!(
        a.json(&["template", "list"]).as_array().unwrap().is_empty(),
        "the delete synced back"
    );
}

#[test]
fn imports_each_format_idempotently() {
    let cases: &[(&str, &[&str])] = &[
        ("strong_comma.csv", &["--unit", "kg"]),
        ("strong_semicolon.csv", &["--unit", "lb"]),
        ("strong_older.csv", &[]),
        ("hevy_kg.csv", &[]),
        ("hevy_lbs.csv", &[]),
        ("hevy_mixed.csv", &[]),
        ("fitnotes_kgs.csv", &[]),
        ("fitnotes_lbs.csv", &[]),
        ("fitnotes_units.csv", &[]),
    ];
    for (file, extra) in cases {
        let d = Device::new();
        let path = fixture(file);
        let mut args = vec!["import", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = d.cmd().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{file}: {stderr}");
        let imported = d.json(&["list"]).as_array().unwrap().len();
        let expected = pump::import::parse(
            &std::fs::read_to_string(&path).unwrap(),
            pump::import::detect(&std::fs::read_to_string(&path).unwrap()).unwrap(),
            &pump::import::ImportOptions {
                unit: extra.get(1).map(|u| u.parse().unwrap()),
                strict: true,
            },
        )
        .unwrap()
        .workouts
        .len();
        assert!(
            imported >= 3 && imported == expected,
            "{file}: {imported} workouts, parser says {expected}"
        );
        assert!(
            stderr.contains(&format!("added {imported} workouts")),
            "{file}: {stderr}"
        );
        let before = d.snapshot();
        let again = d.cmd().args(&args).output().unwrap();
        assert!(again.status.success());
        assert!(
            String::from_utf8_lossy(&again.stderr)
                .contains(&format!("added 0 workouts (0 sets); {imported} already here")),
            "{file}"
        );
        assert_eq!(d.snapshot(), before, "{file}: re-import changed nothing");
    }
}

#[test]
fn import_without_a_known_unit_is_refused() {
    let d = Device::new();
    let path = fixture("strong_comma.csv");
    let (code, err) = d.fails(&["import", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--unit"), "{err}");
    assert!(
        d.json(&["list"]).as_array().unwrap().is_empty(),
        "nothing half-imported"
    );
}

#[test]
fn a_malformed_file_is_refused_whole_with_strict_or_skipped_row_by_row() {
    let d = Device::new();
    let good = std::fs::read_to_string(fixture("hevy_kg.csv")).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    let broken_row = lines[5].replacen(",", ",,,,,", 1);
    lines[5] = &broken_row;
    let path = d.dir.path().join("broken.csv");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (code, err) = d.fails(&["import", path.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 2);
    assert!(err.contains("line 6"), "{err}");
    assert!(err.contains("without --strict"), "says how to import the rest: {err}");
    assert!(d.json(&["list"]).as_array().unwrap().is_empty());
    let out = d.cmd().args(["import", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("skipped line 6: "), "{stderr}");
    assert!(stderr.contains("1 rows skipped"), "{stderr}");
    assert!(!d.json(&["list"]).as_array().unwrap().is_empty());
    // --skip-invalid, the old way to ask for this, still runs.
    d.ok(&["import", path.to_str().unwrap(), "--skip-invalid"]);
}

#[test]
fn export_json_round_trips_exactly_and_csv_has_a_row_per_set() {
    let a = Device::new();
    a.log(&[
        "Push",
        "--at",
        "2026-10-01 10:00",
        "--notes",
        "solid",
        "-e",
        "bench: 3x5@100kg/8, w5@60kg",
        "-e",
        "plank: 1:30",
    ]);
    a.log(&["Run", "--at", "2026-10-02 07:00", "-e", "running: 5km in 25min"]);
    a.ok(&["alias", "bp", "Bench Press"]);
    a.ok(&["template", "new", "Push A", "-e", "bench: 3x5@100kg"]);
    a.ok(&["weight", "80"]);
    let exported = a.ok(&["export"]);
    let file = a.dir.path().join("export.json");
    std::fs::write(&file, &exported).unwrap();
    let b = Device::new();
    b.ok(&["import", file.to_str().unwrap(), "--from", "pump"]);
    assert_eq!(b.ok(&["export"]), exported, "a lossless round trip");
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(b.ok(&["export"]), exported, "and an idempotent one");

    let csv_path = a.dir.path().join("sets.csv");
    a.ok(&["export", "--format", "csv", "-o", csv_path.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6, "a header and one row per set:\n{csv}");
    assert!(csv.lines().next().unwrap().starts_with("workout_id,started_at"));
}

#[test]
fn pr_announcements_follow_deletes_and_synced_workouts() {
    let d = Device::new();
    let stderr = |args: &[&str]| String::from_utf8_lossy(&d.cmd().args(args).output().unwrap().stderr).into_owned();
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "squat: 5@100kg"]);
    assert!(stderr(&["log", "B", "--at", "2026-10-02 10:00", "-e", "squat: 5@110kg"]).contains("(was 100 kg)"));
    d.ok(&["rm", "last"]);
    // With the 110 kg workout gone, 105 kg beats the 100 kg that is left.
    let out = stderr(&["log", "C", "--at", "2026-10-03 10:00", "-e", "squat: 5@105kg"]);
    assert!(out.contains("New PR: Squat heaviest set 105 kg (was 100 kg)"), "{out}");

    let server = Server::start();
    let other = Device::new();
    d.join(&server, "sam");
    other.join(&server, "sam");
    other.log(&["Heavy", "--at", "2026-10-04 10:00", "-e", "squat: 5@120kg"]);
    other.sync_ok();
    d.sync_ok();
    let out = stderr(&["log", "D", "--at", "2026-10-05 10:00", "-e", "squat: 5@115kg"]);
    assert!(
        !out.contains("New PR"),
        "120 kg arrived by sync, so 115 kg is no record: {out}"
    );
    let out = stderr(&["log", "E", "--at", "2026-10-06 10:00", "-e", "squat: 5@125kg"]);
    assert!(out.contains("heaviest set 125 kg (was 120 kg)"), "{out}");
}

/// The record cache behind the PR lines: a log saves its own exercises'
/// records and leaves the others' rows alone (a lifter's cache holds every
/// exercise they ever logged), and those rows go stale, unread, once a
/// write the cache did not follow comes in between.
#[test]
fn a_log_saves_only_its_own_exercises_records_and_never_reads_stale_ones() {
    let d = Device::new();
    let stderr = |args: &[&str]| String::from_utf8_lossy(&d.cmd().args(args).output().unwrap().stderr).into_owned();
    let saved_at = |exercise: &str| -> i64 {
        rusqlite::Connection::open(&d.db)
            .unwrap()
            .query_row(
                "SELECT generation FROM record_cache WHERE exercise LIKE '%' || ?1",
                [exercise],
                |r| r.get(0),
            )
            .unwrap()
    };
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "bench press: 1@100kg"]);
    let heavy = d.log(&["B", "--at", "2026-10-02 10:00", "-e", "bench press: 1@120kg"]);
    let bench = saved_at("benchpress");
    let out = stderr(&["log", "C", "--at", "2026-10-03 10:00", "-e", "squat: 5@100kg"]);
    assert!(!out.contains("New PR"), "{out}");
    assert_eq!(
        saved_at("benchpress"),
        bench,
        "a squat log leaves the bench press's records as they were"
    );
    // A write the cache does not follow, then one it does: the bench
    // press's saved 120 kg is stale now.
    d.ok(&["rm", &heavy]);
    stderr(&["log", "D", "--at", "2026-10-04 10:00", "-e", "squat: 5@110kg"]);
    let out = stderr(&["log", "E", "--at", "2026-10-05 10:00", "-e", "bench press: 1@110kg"]);
    assert!(
        out.contains("New PR: Bench Press heaviest set 110 kg (was 100 kg)"),
        "{out}"
    );
}
