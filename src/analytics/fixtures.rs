//! Workouts shared by the analytics tests.

use super::BodyWeight;
use crate::model::{ExerciseEntry, Unit, Workout, parse_sets};
use chrono::{DateTime, FixedOffset, Utc};

pub const NO_BODY_WEIGHT: BodyWeight = &|_| None;

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

pub fn workout(id: &str, start: &str, exercises: &[(&str, &str)]) -> Workout {
    Workout {
        id: id.to_string(),
        name: "Session".to_string(),
        started_at: at(start),
        completed_at: None,
        notes: String::new(),
        exercises: exercises
            .iter()
            .map(|(name, sets)| ExerciseEntry {
                id: format!("{id}-{name}"),
                name: name.to_string(),
                sets: parse_sets(sets, Unit::Kg).unwrap(),
                ..ExerciseEntry::default()
            })
            .collect(),
        plan: Vec::new(),
        imported: None,
    }
}

pub fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-3, "got {actual}, expected {expected}");
}

/// Two bench sessions: heavy fives on Jan 1, higher reps on Jan 8 (with a
/// heavy warm-up single that must not count), then squats.
pub fn bench_history() -> Vec<Workout> {
    vec![
        workout(
            "w2",
            "2024-01-08T10:00:00Z",
            &[("bench press", "8@90kg, w1@140kg, 10@80kg")],
        ),
        workout(
            "w1",
            "2024-01-01T10:00:00Z",
            &[("Bench Press", "w10@60kg, 2x5@100kg, 3@105kg")],
        ),
        workout("w3", "2024-01-15T10:00:00Z", &[("Squat", "5@140kg")]),
    ]
}

/// Training weeks (Mondays, local time +02:00): Jan 15 to Feb 12 (five in
/// a row), nothing on Feb 19 (a warm-up-only session and an empty one do
/// not count), then Feb 26, Mar 4 and Mar 11 (three in a row).
pub fn season() -> Vec<Workout> {
    let mut workouts: Vec<Workout> = ["2024-01-16", "2024-01-24", "2024-01-31", "2024-02-06", "2024-02-12"]
        .iter()
        .enumerate()
        .map(|(i, day)| workout(&format!("old{i}"), &format!("{day}T08:00:00Z"), &[("Squat", "5@100kg")]))
        .collect();
    workouts.extend([
        workout("warmups", "2024-02-20T08:00:00Z", &[("Squat", "w5@60kg")]),
        workout("empty", "2024-02-21T08:00:00Z", &[]),
        workout("feb26", "2024-02-27T08:00:00Z", &[("Squat", "5@100kg")]),
        workout(
            "mar5",
            "2024-03-05T08:00:00Z",
            &[("Squat", "5@100kg"), ("Zottman Curl", "10@10kg")],
        ),
        // Sunday 23:30 UTC is already Monday in +02:00: this week, not last.
        workout("late", "2024-03-10T23:30:00Z", &[("Pull Up", "5@bw+10kg")]),
        Workout {
            completed_at: Some(at("2024-03-12T09:00:00Z")),
            ..workout(
                "mar12",
                "2024-03-12T08:00:00Z",
                &[("Bench Press", "w5@60kg, 3x5@100kg")],
            )
        },
    ]);
    workouts
}

pub fn local(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}
