//! The numbers pump shows a lifter — progress charts, e1RM, volume, records
//! of every kind of set, exercise names, edits — checked through the real
//! binary. Each "seen" test reproduces something a new user ran into
//! (issue 14) and failed before it was fixed.

mod common;

use common::{Device, Server, close, executable, fixture, pair};
use serde_json::Value;

/// stderr of a pump run that must succeed.
fn stderr(d: &Device, args: &[&str]) -> String {
    let out = d.cmd().args(args).output().expect("run pump");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "pump {args:?} failed: {err}");
    err
}

/// The plot rows of a chart (after the heading line): each row's cells
/// right of the axis.
fn plot_rows(chart: &str) -> Vec<Vec<char>> {
    chart
        .lines()
        .skip(1)
        .take_while(|l| !l.contains('└'))
        .map(|line| line.chars().skip_while(|c| !matches!(c, '┤' | '│')).skip(1).collect())
        .collect()
}

fn inked(row: &[char]) -> usize {
    row.iter().filter(|c| **c != ' ').count()
}

/// The working sets a muscle group got over the weeks of a `stats --json`.
fn sets_of(stats: &Value, muscle: &str) -> u64 {
    let weeks = stats["weeks"].as_array().unwrap();
    weeks.iter().filter_map(|w| w["muscles"][muscle]["sets"].as_u64()).sum()
}

/// Seen: `pump progress squat --metric top-set` over sessions of 1@150kg,
/// 1@100kg and 1@200kg drew a flat line at about 146 kg, hiding the 200 kg PR.
#[test]
fn seen_progress_chart_hid_the_pr_behind_an_average() {
    let d = Device::new();
    for kg in [150, 100, 200] {
        d.log(&["S", "--at", "2026-09-01 10:00", "-e", &format!("squat: 1@{kg}kg")]);
    }
    let chart = d.ok(&["progress", "squat", "--metric", "top-set"]);
    let rows = plot_rows(&chart);
    assert!(chart.lines().nth(1).unwrap().starts_with("200 kg ┤"), "{chart}");
    assert_eq!(inked(&rows[0]), 1, "the 200 kg session, in the top row:\n{chart}");
    assert_eq!(
        rows.iter().map(|r| inked(r)).sum::<usize>(),
        1,
        "and nothing else:\n{chart}"
    );
    assert!(chart.contains('▲'), "the PR session is marked:\n{chart}");
    let series = d.json(&["progress", "squat", "--metric", "top-set"]);
    let points: Vec<(f64, bool)> = series["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["value"].as_f64().unwrap(), p["pr"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        points,
        [(150.0, false), (100.0, false), (200.0, true)],
        "one point per session"
    );
    assert!(series["series"][2]["date"].as_str().unwrap().starts_with("2026-09-01"));
}

/// Seen: on real history the e1RM line ended at a value no session had
/// (the sessions sharing the last column were averaged).
#[test]
fn seen_progress_line_ended_at_a_value_no_session_had() {
    let d = Device::new();
    d.log(&["S", "--at", "2020-01-06", "-e", "squat: 1@100kg"]);
    d.log(&["S", "--at", "2026-01-05", "-e", "squat: 1@120kg"]);
    d.log(&["S", "--at", "2026-01-06", "-e", "squat: 1@140kg"]);
    let chart = d.ok(&["progress", "squat"]);
    let rows = plot_rows(&chart);
    assert!(chart.lines().nth(1).unwrap().starts_with("140 kg ┤"), "{chart}");
    assert_ne!(
        rows[0].last().copied().unwrap_or(' '),
        ' ',
        "the last column is the best of its sessions, 140 kg, in the top row:\n{chart}"
    );
    let low: usize = rows[1..].iter().map(|r| inked(r)).sum();
    assert_eq!(
        low, 1,
        "the 2020 session alone below the top, no line across six years:\n{chart}"
    );
}

/// Seen: `squat: 50@100kg` announced "New PR: Squat e1RM 266.67 kg" over a
/// real 200 kg single; Brzycki gave 3,600 kg at 36 reps; Back Extension
/// 79 kg × 103 showed an e1RM of 351 kg.
#[test]
fn seen_e1rm_from_sets_of_any_reps() {
    let d = Device::new();
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "squat: 1@200kg"]);
    let err = stderr(&d, &["log", "B", "--at", "2026-10-02 10:00", "-e", "squat: 50@100kg"]);
    assert!(!err.contains("e1RM"), "50 reps estimate no max: {err}");
    assert!(err.contains("New PR: Squat set volume 5000 kg (was 200 kg)"), "{err}");
    d.log(&["C", "--at", "2026-10-03 10:00", "-e", "squat: 36@100kg"]);
    let brzycki = d.json(&["pr", "squat", "--formula", "brzycki"]);
    assert!(close(&brzycki["best_e1rm"]["value_kg"], 200.0), "{brzycki}");
    assert_eq!(brzycki["e1rm_reps"], serde_json::json!({"min": 1, "max": 12}));
    assert!(
        close(&brzycki["rep_maxes"][4]["record"]["value_kg"], 100.0),
        "rep maxes still count"
    );

    d.log(&["D", "-e", "back extension: 103@79kg"]);
    let back = d.json(&["pr", "back extension"]);
    assert!(back["best_e1rm"].is_null(), "{back}");
    assert!(close(&back["heaviest"]["value_kg"], 79.0));
    let table = d.ok(&["pr", "back extension"]);
    assert!(table.contains("from sets of 1 to 12 reps"), "{table}");
    assert!(!table.contains("351"), "{table}");
    assert!(table.contains("heaviest weight lifted for at least N reps"), "{table}");
}

/// Seen: `list`/`show` counted only the added load of `@bw` sets while
/// `stats`/`pr` added body weight, so one week had two totals.
#[test]
fn seen_volume_counted_two_ways() {
    let d = Device::new();
    d.ok(&["weight", "80", "--at", "2026-01-01"]);
    let now = chrono::Utc::now();
    let days_ago = |n: i64| (now - chrono::Duration::days(n)).format("%Y-%m-%d %H:%M").to_string();
    let monday_gap = i64::from(chrono::Datelike::weekday(&now).num_days_from_monday());
    for (ago, spec) in [
        (monday_gap, "squat: 3x5@100kg"),
        (monday_gap.min(1), "pull up: 5@bw+10kg, w5@bw"),
        (0, "dips: 3x10@bw"),
    ] {
        d.log(&["S", "--at", &days_ago(ago), "-e", spec]);
    }
    let listed: f64 = d
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["volume_kg"].as_f64().expect("list --json has each workout's volume"))
        .sum();
    // 3 × 10 × 80 + 5 × 90 + 3 × 5 × 100 (the warm-up is not volume).
    assert!((listed - 4350.0).abs() < 0.01, "{listed}");
    let stats = d.json(&["stats", "--weeks", "1"]);
    assert!(close(&stats["weeks"][0]["volume_kg"], listed), "{stats}");
    assert!(close(&stats["total"]["volume_kg"], listed), "{stats}");
    let last = d.ok(&["show", "last"]);
    assert!(last.contains("Volume    2400 kg"), "dips at body weight:\n{last}");
    let csv = d.ok(&["export", "--format", "csv"]);
    let exported: f64 = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((exported - listed).abs() < 0.01, "CSV export agrees:\n{csv}");
}

/// Without a body weight, `@bw` volume is the added load alone, and the
/// output says so.
#[test]
fn volume_says_when_body_weight_is_unknown() {
    let d = Device::new();
    d.log(&["S", "-e", "dips: 3x10@bw+5kg"]);
    let list = d.ok(&["list"]);
    assert!(list.contains("150 kg*"), "{list}");
    assert!(list.contains("3 @bw sets at added load only"), "{list}");
    assert_eq!(d.json(&["list"])[0]["sets_without_body_weight"], 3);
    assert!(d.ok(&["stats"]).contains("3 @bw sets at added load only"));
}

/// Seen: `pump pr dips` (3x10@bw logged), `pump pr plank` (timed sets) and
/// `pump pr running` (5 km) said "no working sets yet" and exited 2; before
/// any body weight was known, pull-ups showed as `10 kg×8`.
#[test]
fn seen_no_records_for_bodyweight_timed_and_distance_sets() {
    let d = Device::new();
    d.log(&[
        "A",
        "--at",
        "2026-10-01 10:00",
        "-e",
        "dips: 3x10@bw",
        "-e",
        "plank: 60s, 45s@20kg",
        "-e",
        "running: 5km in 25min",
        "-e",
        "pull up: 8@bw+10kg",
    ]);
    let dips = d.ok(&["pr", "dips"]);
    assert!(dips.contains("Most reps") && dips.contains("bw×10"), "{dips}");
    let plank = d.ok(&["pr", "plank"]);
    assert!(plank.contains("Longest hold") && plank.contains("1:00"), "{plank}");
    assert!(
        plank.contains("Heaviest hold") && plank.contains("0:45@20kg"),
        "{plank}"
    );
    let running = d.ok(&["pr", "running"]);
    for expected in [
        "Longest distance",
        "5 km",
        "Fastest pace",
        "5:00/km",
        "Best 5 km",
        "25:00",
    ] {
        assert!(running.contains(expected), "{expected}:\n{running}");
    }
    let pull = d.ok(&["pr", "pull up"]);
    assert!(pull.contains("bw+10kg×8"), "{pull}");
    assert!(!pull.contains("10 kg×8"), "never a bare weight: {pull}");
    assert!(!running.contains("e1RM"), "a run has no e1RM to explain: {running}");
    let json = d.json(&["pr", "running"]);
    assert!(close(&json["longest_distance"]["value"], 5000.0), "{json}");
    assert!(close(&json["best_times"][0]["record"]["value"], 1500.0), "{json}");

    let err = stderr(
        &d,
        &[
            "log",
            "B",
            "--at",
            "2026-10-08 10:00",
            "-e",
            "dips: 12@bw",
            "-e",
            "plank: 90s",
            "-e",
            "running: 5km in 24min",
            "-e",
            "pull up: 6@bw+15kg",
        ],
    );
    for expected in [
        "New PR: Dips most reps 12 reps (was 10 reps)",
        "New PR: Plank longest hold 1:30 (was 1:00)",
        "New PR: Running fastest pace 4:48/km (was 5:00/km)",
        "New PR: Running best 5 km time 24:00 (was 25:00)",
        "New PR: Pull Up heaviest added load 15 kg (was 10 kg)",
    ] {
        assert!(err.contains(expected), "{expected}:\n{err}");
    }
    let overview = d.ok(&["pr"]);
    assert!(overview.contains("Dips") && overview.contains("Running"), "{overview}");
}

/// Seen: Strong/Hevy names such as "Bench Press (Barbell)" became custom
/// exercises in muscle group "other", splitting history; after `pump alias
/// "Bench Press (Barbell)" "Bench Press"` the imported sessions could no
/// longer be reached by name.
#[test]
fn seen_imported_names_split_history_and_aliases_hid_it() {
    let d = Device::new();
    let strong = fixture("strong_comma.csv");
    d.ok(&["import", strong.to_str().unwrap(), "--unit", "kg"]);
    d.log(&["Push", "--at", "2026-03-20 10:00", "-e", "bench press: 5@60kg"]);

    let stats = d.json(&["stats", "--weeks", "5200"]);
    assert_eq!(
        sets_of(&stats, "other"),
        0,
        "imported lifts land in their muscle groups"
    );
    assert!(sets_of(&stats, "chest") > 0 && sets_of(&stats, "back") > 0 && sets_of(&stats, "quads") > 0);

    let all = d.json(&["pr"]);
    let bench: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["exercise"].as_str().unwrap().contains("Bench Press"))
        .filter(|r| !r["exercise"].as_str().unwrap().contains("Incline"))
        .collect();
    assert_eq!(bench.len(), 1, "one Bench Press in `pump pr`: {bench:?}");
    assert_eq!(bench[0]["exercise"], "Bench Press");

    let before = d.json(&["pr", "Bench Press"]);
    assert!(
        close(&before["heaviest"]["value_kg"], 102.5),
        "the imported sets count: {before}"
    );
    d.ok(&["alias", "Bench Press (Barbell)", "Bench Press"]);
    for name in ["Bench Press (Barbell)", "Bench Press", "bench"] {
        assert_eq!(d.json(&["pr", name])["heaviest"], before["heaviest"], "{name}");
        let sessions = d.json(&["history", name]).as_array().unwrap().len();
        assert_eq!(sessions, 3, "{name}: two imported sessions and one logged");
        assert_eq!(
            d.json(&["list", "--exercise", name]).as_array().unwrap().len(),
            3,
            "{name}"
        );
    }
    let unmatched = d.json(&["exercises", "--unmatched"]);
    assert!(unmatched.as_array().unwrap().is_empty(), "{unmatched}");
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
    assert!(form.contains("Cycling: 10mi in 40:00"), "{form}");
    assert_eq!(d.snapshot(), snapshot, "nothing written");
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

#[test]
fn history_and_what_was_done_last_time() {
    let d = Device::new();
    d.log(&["A", "--at", "2026-11-13 10:00", "-e", "squat: 3x5@95kg"]);
    d.log(&[
        "B",
        "--at",
        "2026-11-20 10:00",
        "-e",
        "squat: w5@60kg, 3x5@100kg",
        "-e",
        "dips: 3x10@bw",
    ]);
    let history = d.json(&["history", "squat", "--limit", "1"]);
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["workout"], "B");
    assert_eq!(history[0]["sets"].as_array().unwrap().len(), 4);
    let table = d.ok(&["history", "squat"]);
    assert!(
        table.contains("w5@60kg, 3x5@100kg") && table.contains("3x5@95kg"),
        "{table}"
    );
    assert_eq!(d.fails(&["history", "squat", "--limit", "0"]).0, 2);
    assert_eq!(d.fails(&["history", "zercher hold"]).0, 2);

    d.ok(&[
        "template",
        "new",
        "Legs",
        "-e",
        "squat: 3x5@105kg",
        "-e",
        "dips: 3x10@bw",
    ]);
    let err = stderr(&d, &["start", "--template", "legs"]);
    assert!(
        err.contains("Squat: 3x5@105kg  (last: w5@60kg, 3x5@100kg on 2026-11-20)"),
        "{err}"
    );
    assert!(err.contains("Dips: 3x10@bw  (last: 3x10@bw on 2026-11-20)"), "{err}");
    let err = stderr(&d, &["add", "squat", "5@105kg"]);
    assert!(err.contains("last: w5@60kg, 3x5@100kg on 2026-11-20"), "{err}");
}

#[test]
fn stats_give_time_trained_name_the_period_and_fold_empty_weeks() {
    let d = Device::new();
    let now = chrono::Utc::now();
    let weeks_ago = |n: i64| (now - chrono::Duration::weeks(n)).format("%Y-%m-%d %H:%M").to_string();
    d.log(&[
        "A",
        "--at",
        &weeks_ago(0),
        "--duration",
        "1h15m",
        "-e",
        "squat: 5@100kg",
    ]);
    d.log(&["B", "--at", &weeks_ago(10), "--duration", "45m", "-e", "bench: 5@80kg"]);
    let report = d.json(&["stats", "--weeks", "12"]);
    assert_eq!(report["weeks"].as_array().unwrap().len(), 12);
    assert_eq!(report["weeks"][11]["duration_s"], 4500);
    assert_eq!(report["total"]["duration_s"], 7200);
    assert_eq!(report["total"]["sessions"], 2);
    let table = d.ok(&["stats", "--weeks", "12"]);
    assert!(table.contains("1:15") && table.contains("2:00"), "{table}");
    assert!(
        table.contains("none in 9 weeks"),
        "the empty weeks fold into one line:\n{table}"
    );
    let from = report["from"].as_str().unwrap();
    assert!(table.contains(&format!("Muscle groups ({from} to ")), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
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

/// Seen (issue 16): in lb mode the PR table showed a kg lift as
/// `220.46 lb×5` and a session volume as `2737.68 lb`: every weight is shown
/// as a lifter writes it, loads to the nearest quarter, volumes whole.
#[test]
fn seen_converted_weights_with_decimals_no_lifter_writes() {
    let d = Device::new();
    d.ok(&["config", "set", "unit", "lb"]);
    d.log(&["A", "--at", "2026-10-01 10:00", "-e", "squat: 5@100kg, 5@101.5kg"]);
    let err = stderr(
        &d,
        &[
            "log",
            "B",
            "--at",
            "2026-10-02 10:00",
            "-e",
            "squat: 5@102.5kg, 5@102.5kg",
        ],
    );
    assert!(err.contains("heaviest set 226 lb (was 223.75 lb)"), "{err}");
    assert!(err.contains("session volume 2260 lb (was 2221 lb)"), "{err}");
    let table = d.ok(&["pr", "squat"]);
    for shown in ["226 lb×5", "1130 lb", "2260 lb"] {
        assert!(table.contains(shown), "{shown}:\n{table}");
    }
    for converted in ["225.97", "1129.86", "2259.73"] {
        assert!(!table.contains(converted), "{converted}:\n{table}");
    }
}
