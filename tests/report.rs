//! `pump report` (issue 17) through the real binary: the numbers on the
//! page are those of `pump pr --json`, `pump stats --json` and `pump progress
//! --json` for the same history; the file is private; bad input changes
//! nothing. Then the page in a real browser: headless Chromium, network off,
//! loads it without a console message, with the charts, calendar and records
//! in its DOM, and screenshots at phone and desktop width that are not blank
//! (kept under target/report-screenshots/ as CI artifacts).

mod common;

use assert_cmd::Command;
use chrono::{Duration, Utc};
use common::hevy::write_hevy_export;
use common::{Device, close};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A day `days_ago` days before today at 18:00 (the tests run in UTC), so
/// every range (`calendar`'s 53 weeks, `stats --weeks`) covers the history.
fn day(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago))
        .format("%Y-%m-%d 18:00")
        .to_string()
}

/// A lifter's last few months: four lifts of 6, 5, 4 and 3 sessions (one
/// squat session below the one before, so not every session is a PR), a
/// lift of 2, bodyweight, timed and distance sets, and weigh-ins.
fn fixture() -> Device {
    let d = Device::new();
    let sessions: &[(i64, &[&str])] = &[
        (
            70,
            &[
                "squat: w5@60kg, 3x5@100kg",
                "bench press: 3x5@80kg",
                "deadlift: 5@140kg",
            ],
        ),
        (
            63,
            &[
                "squat: 3x5@105kg",
                "bench press: 3x5@82.5kg",
                "overhead press: 3x5@50kg",
            ],
        ),
        (
            56,
            &[
                "squat: 5@102.5kg, 3@110kg",
                "pull up: 8@bw, 5@bw+10kg",
                "plank: 60s, 90s",
            ],
        ),
        (
            49,
            &[
                "squat: 3x5@110kg",
                "bench press: 3x5@85kg",
                "deadlift: 5@150kg",
                "barbell row: 3x8@70kg",
            ],
        ),
        (
            42,
            &[
                "squat: 2x5@112.5kg",
                "overhead press: 3x5@52.5kg",
                "running: 5km in 25min",
            ],
        ),
        (
            35,
            &[
                "squat: 5@115kg",
                "bench press: 3x5@87.5kg, 1@100kg",
                "deadlift: 3@165kg",
            ],
        ),
        (
            28,
            &[
                "bench press: 8@80kg",
                "overhead press: 5@55kg",
                "barbell row: 3x8@72.5kg",
            ],
        ),
        (14, &["deadlift: 5@160kg", "running: 5km in 24min, 10km in 52min"]),
    ];
    for (days_ago, exercises) in sessions {
        let at = day(*days_ago);
        let mut args = vec!["Session", "--at", &at, "--duration", "1h"];
        for e in *exercises {
            args.extend(["-e", e]);
        }
        d.log(&args);
    }
    for (days_ago, kg) in [(72, "82"), (50, "81.5"), (20, "80.8"), (10, "80.4")] {
        d.ok(&["weight", kg, "--at", &day(days_ago)]);
    }
    d
}

/// Writes a report of `d` to a file in its folder and returns the page.
fn report(d: &Device, extra: &[&str]) -> (PathBuf, String) {
    let path = d.dir.path().join("report.html");
    let mut args = vec!["report", "-o", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    d.ok(&args);
    let html = std::fs::read_to_string(&path).expect("the report was written");
    (path, html)
}

/// Undoes the page's escaping of attribute values.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The opening tags that start with `start` (e.g. `<tr data-record=`).
fn tags<'a>(html: &'a str, start: &str) -> Vec<&'a str> {
    html.match_indices(start)
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap_or(html.len() - at)])
        .collect()
}

/// An attribute's value in an opening tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    ['"', '\''].into_iter().find_map(|quote| {
        let key = format!(" {name}={quote}");
        let at = tag.find(&key)? + key.len();
        Some(unescape(&tag[at..at + tag[at..].find(quote)?]))
    })
}

/// A lift chart's points as the page's script reads them:
/// `[x, y, "day · set", e1RM to a tenth, 1 if a PR]`.
type Points = Vec<(f64, f64, String, f64, u8)>;

fn points(figure: &str) -> Points {
    serde_json::from_str(&attr(figure, "data-points").expect("labelled points")).expect("points as JSON")
}

fn number(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {tag}"))
}

/// The records tables: (exercise, record) → value.
fn page_records(html: &str) -> BTreeMap<(String, String), f64> {
    let mut records = BTreeMap::new();
    for table in html.split(r#"<table class="records""#).skip(1) {
        let exercise = attr(table, "data-exercise").expect("a table names its exercise");
        let body = &table[..table.find("</table>").unwrap()];
        for row in tags(body, "<tr data-record=") {
            records.insert(
                (exercise.clone(), attr(row, "data-record").unwrap()),
                number(row, "data-value"),
            );
        }
    }
    records
}

/// The same, from `pump pr --json`, named as the page and `pump pr` name them.
fn json_records(all: &Value) -> BTreeMap<(String, String), f64> {
    let mut records = BTreeMap::new();
    for r in all.as_array().unwrap() {
        let exercise = r["exercise"].as_str().unwrap().to_string();
        let mut put = |name: String, value: &Value| {
            if let Some(v) = value.as_f64() {
                records.insert((exercise.clone(), name), v);
            }
        };
        for (name, field, key) in [
            ("Heaviest set", "heaviest", "value_kg"),
            ("Best e1RM", "best_e1rm", "value_kg"),
            ("Best set volume", "best_set_volume", "value_kg"),
            ("Best session volume", "best_session_volume", "value_kg"),
            ("Most reps", "most_reps", "value"),
            ("Heaviest added load", "heaviest_added", "value"),
            ("Longest hold", "longest_hold", "value"),
            ("Heaviest hold", "heaviest_hold", "value"),
            ("Longest distance", "longest_distance", "value"),
            ("Fastest pace", "fastest_pace", "value"),
        ] {
            put(name.to_string(), &r[field][key]);
        }
        for rm in r["rep_maxes"].as_array().unwrap() {
            put(format!("{}RM", rm["min_reps"]), &rm["record"]["value_kg"]);
        }
        for time in r["best_times"].as_array().unwrap() {
            let metres = time["distance_m"].as_f64().unwrap();
            let name = if metres >= 1000.0 {
                format!("Best {} km", metres / 1000.0)
            } else {
                format!("Best {metres} m")
            };
            put(name, &time["record"]["value"]);
        }
    }
    records
}

#[test]
fn the_records_on_the_page_are_those_of_pr_json() {
    let d = fixture();
    let (_, html) = report(&d, &[]);
    let page = page_records(&html);
    let json = json_records(&d.json(&["pr"]));
    assert!(json.len() > 30, "the fixture has records of every kind: {json:?}");
    assert_eq!(
        page.keys().collect::<Vec<_>>(),
        json.keys().collect::<Vec<_>>(),
        "the same records"
    );
    for (key, value) in &json {
        assert!(
            (page[key] - value).abs() < 1e-6,
            "{key:?}: page {} vs pr {value}",
            page[key]
        );
    }
    assert!(page.contains_key(&("Running".into(), "Best 10 km".into())), "{page:?}");
    assert!(page.contains_key(&("Plank".into(), "Longest hold".into())));
    assert!(page.contains_key(&("Pull Up".into(), "Most reps".into())));
}

#[test]
fn the_summary_is_that_of_stats_json() {
    let d = fixture();
    let (_, html) = report(&d, &[]);
    let tiles = tags(&html, r#"<dl class="tiles""#);
    let weeks = number(tiles[0], "data-weeks");
    let stats = d.json(&["stats", "--weeks", &weeks.to_string()]);
    assert_eq!(stats["weeks"].as_array().unwrap().len() as f64, weeks);
    let stat = |key: &str| {
        let tile = tags(&html, &format!(r#"<div data-stat="{key}""#));
        number(tile[0], "data-value")
    };
    assert_eq!(stat("sessions"), 8.0);
    for key in ["sessions", "sets", "volume_kg", "duration_s"] {
        assert!(
            close(&stats["total"][key], stat(key)),
            "{key}: {} vs {}",
            stats["total"][key],
            stat(key)
        );
    }
    for key in ["current_streak", "longest_streak"] {
        assert!(close(&stats[key], stat(key)), "{key}");
    }
}

#[test]
fn the_main_lifts_are_charted_session_by_session_as_progress_json() {
    let d = fixture();
    let (_, html) = report(&d, &[]);
    let lifts = tags(&html, r#"<figure data-chart="lift""#);
    let names: Vec<String> = lifts.iter().map(|f| attr(f, "data-exercise").unwrap()).collect();
    assert_eq!(
        names,
        ["Squat", "Bench Press", "Deadlift", "Overhead Press"],
        "most sessions first"
    );
    for lift in lifts {
        let name = attr(lift, "data-exercise").unwrap();
        let series = d.json(&["progress", &name])["series"].as_array().unwrap().clone();
        let points = points(lift);
        assert_eq!(points.len(), series.len(), "{name}: one point per session");
        assert_eq!(number(lift, "data-sessions") as usize, series.len());
        assert_eq!(attr(lift, "data-unit").as_deref(), Some("kg"));
        for (point, session) in points.iter().zip(&series) {
            let date = &session["date"].as_str().unwrap()[..10];
            assert!(
                point.2.starts_with(date),
                "{name}: {} is labelled with its date {date}",
                point.2
            );
            let value = session["value"].as_f64().unwrap();
            assert!((point.3 - value).abs() <= 0.05 + 1e-9, "{name}: {} vs {value}", point.3);
            assert_eq!(point.4 == 1, session["pr"] == true, "{}", point.2);
        }
    }
    // The squat of 56 days ago (best 3@110: e1RM 121) is below the one
    // before (3x5@105: 122.5): a point without the PR mark.
    let squat = points(tags(&html, r#"<figure data-chart="lift""#)[0]);
    assert_eq!(
        (squat[2].2.ends_with(" · 3@110kg"), squat[2].3, squat[2].4),
        (true, 121.0, 0)
    );
    assert_eq!(
        (squat[1].2.ends_with(" · 5@105kg"), squat[1].3, squat[1].4),
        (true, 122.5, 1)
    );
}

/// More sessions than a chart has pixel columns: only the first session of
/// each column gets a hover label, the only one the page's script can show
/// (the nearest across, the first of equals), so the page of a long
/// history stays small; each label is still that session's.
#[test]
fn a_long_history_labels_the_first_session_of_each_pixel_column() {
    let d = Device::new();
    let csv = d.dir.path().join("hevy.csv");
    write_hevy_export(&csv, 1_500, "");
    d.ok(&["import", csv.to_str().unwrap()]);
    let (_, html) = report(&d, &[]);
    let lifts = tags(&html, r#"<figure data-chart="lift""#);
    assert_eq!(lifts.len(), 4);
    for lift in lifts {
        let name = attr(lift, "data-exercise").unwrap();
        let series = d.json(&["progress", &name])["series"].as_array().unwrap().clone();
        assert_eq!(number(lift, "data-sessions") as usize, series.len(), "{name}");
        let points = points(lift);
        assert!(
            (100..series.len()).contains(&points.len()),
            "{name}: {} labels for {} sessions",
            points.len(),
            series.len()
        );
        assert!(
            points.windows(2).all(|w| w[0].0 < w[1].0),
            "{name}: one label per column"
        );
        // The labels are sessions in order, the first session first.
        let mut sessions = series.iter();
        for (i, point) in points.iter().enumerate() {
            let session = sessions
                .find(|s| point.2.starts_with(&s["date"].as_str().unwrap()[..10]))
                .unwrap_or_else(|| panic!("{name}: {} is a session, in order", point.2));
            if i == 0 {
                assert_eq!(session, &series[0], "{name}: the first session is labelled");
            }
            assert!(point.2.contains(" · "), "{name}: {} names its set", point.2);
            let value = session["value"].as_f64().unwrap();
            assert!((point.3 - value).abs() <= 0.05 + 1e-9, "{name}: {} vs {value}", point.3);
            assert_eq!(point.4 == 1, session["pr"] == true, "{}", point.2);
        }
    }
}

#[test]
fn calendar_and_body_weight_are_those_of_calendar_and_weight() {
    let d = fixture();
    let (_, html) = report(&d, &[]);
    let calendar = tags(&html, r#"<figure data-chart="calendar""#);
    let days = d.json(&["calendar"]).as_array().unwrap().len();
    assert_eq!(number(calendar[0], "data-days") as usize, days);
    assert_eq!(days, 8);
    // The first weigh-in is before the first workout, where the period starts.
    let body = tags(&html, r#"<figure data-chart="body""#);
    assert_eq!(number(body[0], "data-weigh-ins"), 3.0);
    assert!(html.contains("trend now 80.6 kg"), "mean of 80.8 and 80.4 (14 days)");
}

#[test]
fn a_period_and_the_lifters_unit() {
    let d = fixture();
    d.ok(&["config", "set", "unit", "lb"]);
    let (_, html) = report(&d, &["--since", &day(50)[..10], "--until", &day(30)[..10]]);
    assert!(html.contains("weights in lb"));
    let lifts = tags(&html, r#"<figure data-chart="lift""#);
    let squat = lifts
        .iter()
        .find(|f| attr(f, "data-exercise").as_deref() == Some("Squat"))
        .unwrap();
    assert_eq!(number(squat, "data-sessions"), 3.0, "49, 42 and 35 days ago");
    // 3x5@110kg: e1RM 128.33 kg = 282.9 lb, a PR over the whole history.
    assert_eq!(attr(squat, "data-unit").as_deref(), Some("lb"));
    assert_eq!((points(squat)[0].3, points(squat)[0].4), (282.9, 1));
    let sessions = tags(&html, r#"<div data-stat="sessions""#);
    assert_eq!(number(sessions[0], "data-value"), 3.0);
    // Records stand as at the end of the period: the deadlift of 14 days
    // ago is not there yet; the 165 kg triple of 35 days ago is.
    let records = page_records(&html);
    assert_eq!(records[&("Deadlift".into(), "Heaviest set".into())], 165.0);
}

#[test]
fn names_are_text_never_markup() {
    let d = Device::new();
    d.log(&["S", "-e", "<script>alert(1)</script> & \"row\": 5@50kg"]);
    let (_, html) = report(&d, &[]);
    assert!(!html.contains("<script>alert"), "escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;row&quot;"));
    let lift = tags(&html, r#"<figure data-chart="lift""#);
    assert_eq!(
        attr(lift[0], "data-exercise").unwrap(),
        "<script>alert(1)</script> & \"row\""
    );
}

#[test]
fn an_empty_database_gives_a_friendly_page() {
    let d = Device::new();
    let (_, html) = report(&d, &[]);
    assert!(html.contains("data-empty") && html.contains("No workouts in this period yet"));
    assert!(!html.contains("<svg"));
}

#[test]
fn the_report_is_private_and_replaces_a_file_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let d = fixture();
    let path = d.dir.path().join("report.html");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    report(&d, &[]);
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    // The default name, in the current folder.
    let folder = tempfile::tempdir().unwrap();
    d.cmd().current_dir(folder.path()).arg("report").assert().success();
    let default = folder.path().join("pump-report.html");
    assert_eq!(std::fs::metadata(default).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn bad_input_is_one_line_and_changes_nothing() {
    let d = fixture();
    let before = d.snapshot();
    let missing = d.dir.path().join("no/such/folder/r.html");
    let folder = d.dir.path().to_str().unwrap().to_string();
    for (args, says) in [
        (
            vec!["report", "--since", "last tuesday"],
            "'last tuesday' is not a date",
        ),
        (
            vec!["report", "--since", "2025-03-01", "--until", "2025-02-01"],
            "--since 2025-03-01 is after --until 2025-02-01",
        ),
        (vec!["report", "--since", "2999-01-01"], "pick an earlier --since"),
        (vec!["report", "-o", &folder], "is a folder: name a file"),
        (
            vec!["report", "-o", missing.to_str().unwrap()],
            "choose a file in a folder you can write to",
        ),
        (vec!["report", "--formula", "magic"], "use epley or brzycki"),
    ] {
        let (code, err) = d.fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    assert_eq!(d.snapshot(), before);
    assert!(!missing.exists());
}

#[test]
fn open_hands_the_file_to_the_browser() {
    let d = fixture();
    let opened = d.dir.path().join("opened");
    let browser = d.dir.path().join("browser");
    std::fs::write(&browser, format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display())).unwrap();
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = d.dir.path().join("r.html");
    d.cmd()
        .env("BROWSER", &browser)
        .args(["report", "--open", "-o", path.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&opened).unwrap().trim(), path.to_str().unwrap());
    // A browser that fails: the report is still written, and the error says where.
    std::fs::remove_file(&path).unwrap();
    let out = d
        .cmd()
        .env("BROWSER", "false")
        .args(["report", "--open", "-o", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the report is written to") && err.contains("open the file in your browser"),
        "{err}"
    );
    assert!(path.exists());
}

#[test]
fn the_page_names_no_other_file_or_address() {
    let d = fixture();
    let (_, html) = report(&d, &[]);
    assert_offline(&html);
}

/// Nothing the browser would fetch: no linked style sheet, script, image or
/// font, no `url(…)`, no `@import`. (SVG's `xmlns` names a namespace; it is
/// never fetched.)
fn assert_offline(html: &str) {
    for reference in [
        " src=", " href=", "url(", "@import", "<link", "<iframe", "<object", "<embed",
    ] {
        assert!(!html.contains(reference), "the page references {reference}");
    }
}

// ------------------------------------------------------------ in a browser

/// Chromium's command, or a failure saying how to install it: the browser
/// tests never skip.
fn chromium() -> PathBuf {
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    if let Some(path) = std::env::var_os("PUMP_CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the browser tests need Chromium: install it with `sudo apt-get install -y chromium` (scripts/test \
                 does it when run as root), or point PUMP_CHROMIUM at a Chromium or Chrome binary"
            )
        })
}

/// What headless Chromium made of a page, with the network off (a proxy that
/// refuses every connection): its DOM after load and every console message.
struct Loaded {
    dom: String,
    console: Vec<String>,
}

/// Runs headless Chromium on `page` with `args`, in a profile of its own.
fn headless(page: &Path, args: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .timeout(std::time::Duration::from_secs(90))
        .output()
        .expect("run chromium")
}

fn load(page: &Path) -> Loaded {
    let out = headless(page, &["--dump-dom"]);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|line| line.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    Loaded {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
    }
}

/// Where screenshots are kept for CI to collect.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Takes a screenshot of `page` at `width`×`height` into `name`, and checks
/// it shows something: many colours, and much of it not the background.
fn screenshot(page: &Path, name: &str, (width, height): (u32, u32)) {
    let path = screenshot_dir().join(name);
    let _ = std::fs::remove_file(&path);
    let out = headless(
        page,
        &[
            &format!("--window-size={width},{height}"),
            &format!("--screenshot={}", path.display()),
        ],
    );
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (width, height));
    let channels = info.color_type.samples();
    let colours: Vec<&[u8]> = pixels[..info.buffer_size()].chunks(channels).collect();
    let background = colours[0];
    let inked = colours.iter().filter(|c| **c != background).count();
    let distinct: std::collections::BTreeSet<&[u8]> = colours.iter().copied().collect();
    assert!(
        inked * 20 > colours.len() && distinct.len() > 20,
        "{name} looks blank: {inked} of {} pixels drawn, {} colours",
        colours.len(),
        distinct.len()
    );
}

#[test]
fn the_console_check_catches_a_page_that_fails() {
    // The check below would pass on a browser that logs nothing: it must
    // see a script error and a console message when there is one.
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><p>x</p><script>console.log('hi'); no_such_function();</script>",
    )
    .unwrap();
    let loaded = load(&page);
    assert_eq!(loaded.console.len(), 2, "{:?}", loaded.console);
    assert!(loaded.console[1].contains("no_such_function"));
}

#[test]
fn in_a_browser_offline_the_page_loads_cleanly_with_its_charts() {
    let d = fixture();
    let (path, html) = report(&d, &[]);
    assert_offline(&html);
    let loaded = load(&path);
    assert!(loaded.console.is_empty(), "console: {:?}", loaded.console);
    let dom = &loaded.dom;
    // One SVG per main lift, in its figure, as the browser parsed it.
    let figures: Vec<&str> = dom.split("<figure ").skip(1).collect();
    let of = |chart: &str| {
        figures
            .iter()
            .filter(|f| f.starts_with(&format!("data-chart=\"{chart}\"")))
            .collect::<Vec<_>>()
    };
    let lifts = of("lift");
    assert_eq!(lifts.len(), 4);
    for lift in &lifts {
        let body = &lift[..lift.find("</figure>").unwrap()];
        assert_eq!(body.matches("<svg").count(), 1, "one chart per lift");
        assert!(body.contains("<polyline"), "the line of sessions");
    }
    let squat = &lifts[0][..lifts[0].find("</figure>").unwrap()];
    assert_eq!(squat.matches("<circle").count(), 6, "a dot per session");
    let calendar = of("calendar");
    assert_eq!(calendar.len(), 1);
    // Neighbouring days of one shade share a rectangle: at least one per
    // weekday, some of them green.
    assert!(calendar[0].matches("<rect").count() >= 7);
    assert!(calendar[0].contains(r##"fill="#2CA02C""##), "days trained");
    assert_eq!(of("volume").len(), 1);
    assert_eq!(of("sets").len(), 1);
    assert_eq!(of("time").len(), 1);
    assert_eq!(of("body").len(), 1);
    // The records table with the fixture's numbers: squat's e1RM is
    // 5@115kg (134.17 kg, shown to the nearest quarter), its 3RM 110 kg, bench's heaviest the 100 kg single.
    let records = page_records(dom);
    assert!((records[&("Squat".into(), "Best e1RM".into())] - 115.0 * (1.0 + 5.0 / 30.0)).abs() < 1e-6);
    assert_eq!(records[&("Squat".into(), "3RM".into())], 115.0);
    assert_eq!(records[&("Bench Press".into(), "Heaviest set".into())], 100.0);
    assert_eq!(records[&("Running".into(), "Longest distance".into())], 10_000.0);
    assert!(
        dom.contains(">134.25 kg<"),
        "shown in the lifter's unit, as a lifter writes it"
    );

    screenshot(&path, "report-phone.png", (390, 844));
    screenshot(&path, "report-desktop.png", (1280, 900));
}

#[test]
fn in_a_browser_an_empty_report_loads_cleanly() {
    let d = Device::new();
    let (path, _) = report(&d, &[]);
    let loaded = load(&path);
    assert!(loaded.console.is_empty(), "console: {:?}", loaded.console);
    assert!(loaded.dom.contains("No workouts in this period yet"));
    screenshot(&path, "report-empty-phone.png", (390, 844));
}
