//! Helpers for the importers' tests.

use super::{Format, ImportOptions, Parsed, parse};
use crate::model::{Unit, Workout};
use chrono::{DateTime, Utc};
use chrono::{Local, NaiveDate, TimeZone};

pub fn opts(unit: Option<Unit>) -> ImportOptions {
    ImportOptions { unit, strict: true }
}

pub fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    let naive = NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|day| day.and_hms_opt(h, mi, s))
        .expect("valid test date");
    Local
        .from_local_datetime(&naive)
        .earliest()
        .expect("test time exists locally")
        .with_timezone(&Utc)
}

pub fn sets(parsed: &Parsed) -> usize {
    parsed.workouts.iter().map(Workout::set_count).sum()
}

pub fn workout_at(parsed: &Parsed, started: DateTime<Utc>) -> &Workout {
    parsed
        .workouts
        .iter()
        .find(|w| w.started_at == started)
        .unwrap_or_else(|| panic!("no workout at {started}"))
}

pub fn entry<'a>(workout: &'a Workout, exercise: &str) -> &'a crate::model::ExerciseEntry {
    workout
        .exercises
        .iter()
        .find(|e| e.name == exercise)
        .unwrap_or_else(|| panic!("no {exercise} in {}", workout.name))
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Every id unique, and the same on a second parse.
pub fn assert_deterministic(text: &str, format: Format, options: &ImportOptions) {
    let a = parse(text, format, options).expect("parses");
    let b = parse(text, format, options).expect("parses");
    assert_eq!(a, b);
    let mut ids: Vec<&str> = Vec::new();
    for w in &a.workouts {
        ids.push(&w.id);
        for e in &w.exercises {
            ids.push(&e.id);
            ids.extend(e.sets.iter().map(|s| s.id.as_str()));
        }
    }
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique");
}
