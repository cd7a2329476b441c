//! The lifter's analytics: estimated maxes, personal records, weekly totals,
//! streaks and progress series. Pure functions over workouts; every weight
//! in a result is in kg (the caller converts for display).
//!
//! Warm-up sets never count toward anything here: they are preparation, and
//! counting them would reward padding a session with easy sets. Exercises
//! are matched by [`normalize`](crate::model::catalogue::normalize)d name ("bench press" == "Bench Press"); the
//! caller resolves aliases ("bench" → "Bench Press") before asking.

#[cfg(test)]
mod fixtures;
mod progress;
mod records;
mod weekly;

pub use progress::{Metric, Point, progress};
pub use records::{
    Formula, Load, NewPr, PersonalRecords, PrKind, REP_MAX_TARGETS, RepMax, SessionRecord, SetRecord,
    all_personal_records, beaten, exercise_names, new_prs, personal_records, records_with,
};
pub use weekly::{DayStats, MAX_WEEKS, MuscleTotals, Totals, WeekStats, WeeklyReport, daily, weekly};

use crate::model::catalogue::has_key;
use crate::model::{Set, SetKind, Workout};
use chrono::{DateTime, Utc};

/// The lifter's body weight in kg at a moment, when known (usually the
/// latest weigh-in at or before it, see [`latest_body_weight`]). Bodyweight
/// sets need it to know what was lifted.
pub type BodyWeight<'a> = &'a dyn Fn(DateTime<Utc>) -> Option<f64>;

/// The latest body weight logged at or before `at`. Takes the log in any order.
pub fn latest_body_weight(log: &[(DateTime<Utc>, f64)], at: DateTime<Utc>) -> Option<f64> {
    log.iter()
        .filter(|(when, kg)| *when <= at && kg.is_finite() && *kg > 0.0)
        .max_by_key(|(when, _)| *when)
        .map(|(_, kg)| *kg)
}

/// Workouts oldest first; ties broken by id so results never depend on
/// storage order.
fn chronological<'a>(workouts: impl Iterator<Item = &'a Workout>) -> Vec<&'a Workout> {
    let mut sorted: Vec<&Workout> = workouts.collect();
    sorted.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    sorted
}

/// The non-warm-up sets with reps of the exercise whose normalized name is
/// `key`, each with its load and rep count. A workout may list the same
/// exercise twice under different spellings; both count.
fn working_sets<'a>(
    workout: &'a Workout,
    key: &'a str,
    body_weight: BodyWeight,
) -> impl Iterator<Item = (&'a Set, Load, u32)> {
    workout
        .exercises
        .iter()
        .filter(move |entry| has_key(&entry.name, key))
        .flat_map(move |entry| {
            let body = body_weight_for(workout, &entry.sets, body_weight);
            entry
                .sets
                .iter()
                .filter(|set| set.kind != SetKind::Warmup)
                .filter_map(move |set| Some((set, Load::of(set, body), set.reps.filter(|r| *r > 0)?)))
        })
}

/// The body weight on the day of `workout`, asked for only when one of
/// `sets` needs it: the lookup may scan a whole weigh-in log.
fn body_weight_for<'a>(
    workout: &Workout,
    sets: impl IntoIterator<Item = &'a Set>,
    body_weight: BodyWeight,
) -> Option<f64> {
    if sets.into_iter().any(|set| set.bodyweight) {
        body_weight(workout.started_at)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::at;
    use super::*;

    #[test]
    fn latest_body_weight_picks_the_last_weigh_in_before() {
        let log = [
            (at("2024-02-01T07:00:00Z"), 90.0),
            (at("2023-12-01T07:00:00Z"), 80.0),
            (at("2024-01-01T07:00:00Z"), f64::NAN),
        ];
        assert_eq!(latest_body_weight(&log, at("2023-11-30T00:00:00Z")), None);
        assert_eq!(latest_body_weight(&log, at("2024-01-15T00:00:00Z")), Some(80.0));
        assert_eq!(latest_body_weight(&log, at("2024-02-01T07:00:00Z")), Some(90.0));
    }
}
