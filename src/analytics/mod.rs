//! The lifter's analytics: volume, estimated maxes, personal records for
//! every kind of set, weekly totals, streaks, progress series and exercise
//! histories. Pure functions over workouts; every weight in a result is in
//! kg (the caller converts for display). What each number means is defined
//! once, in [`definitions`].
//!
//! Warm-up sets never count toward anything here. Exercises are matched by
//! what their name means ([`ExerciseNames::key`]): "bench", "Bench Press"
//! and an imported "Bench Press (Barbell)" are one exercise, and so is a
//! name an alias points somewhere else.

pub mod definitions;
#[cfg(test)]
mod fixtures;
mod history;
mod progress;
mod records;
mod weekly;

pub use definitions::{
    DEFINITIONS_VERSION, E1RM_REPS, Formula, Load, Metric, REP_MAX_TARGETS, SetClass, Volume, pace_s_per_km,
    set_volume_kg, volume,
};
pub use history::{Session, last_session, sessions};
pub use progress::{LiftSessions, Point, RunningBest, SessionValue, main_lifts, progress, series, session_values};
pub use records::{
    DistanceTime, Measure, NewPr, PersonalRecords, PrKind, RepMax, RepRange, SessionRecord, SetBest, SetRecord,
    all_personal_records, beaten, exercise_names, new_prs, personal_records, records_with,
};
pub use weekly::{
    DayStats, MAX_WEEKS, MuscleTotals, Span, Tally, Totals, WeekStats, WeeklyReport, daily, is_session, monday, weekly,
    weekly_with_sessions, working_set_count,
};

use crate::model::catalogue::Muscle;
use crate::model::{ExerciseNames, Set, Workout};
use chrono::{DateTime, Utc};
use definitions::{body_weight_if_needed, is_working};
use std::collections::HashMap;

/// The lifter's body weight in kg at a moment, when known (usually the
/// latest weigh-in at or before it, see [`latest_body_weight`]). Bodyweight
/// sets need it to know what was lifted.
pub type BodyWeight<'a> = &'a dyn Fn(DateTime<Utc>) -> Option<f64>;

/// What the analytics need to know besides the workouts: the lifter's body
/// weight over time, and what their exercise names mean (aliases).
#[derive(Clone, Copy)]
pub struct Lifter<'a> {
    /// Body weight at a moment.
    pub body_weight: BodyWeight<'a>,
    /// The lifter's aliases over the catalogue.
    pub names: &'a ExerciseNames,
}

/// The latest body weight logged at or before `at`. Takes the log in any order.
pub fn latest_body_weight(log: &[(DateTime<Utc>, f64)], at: DateTime<Utc>) -> Option<f64> {
    log.iter()
        .filter(|(when, kg)| *when <= at && kg.is_finite() && *kg > 0.0)
        .max_by_key(|(when, _)| *when)
        .map(|(_, kg)| *kg)
}

/// How many days of weigh-ins a body-weight trend averages: a day's water
/// and salt swing the scale by a kilogram or more; two weeks smooth that out
/// and still follow a diet within days.
pub const TREND_DAYS: i64 = 14;

/// The trend of a body-weight log sorted oldest first: at each weigh-in, the
/// mean of the weigh-ins of the [`TREND_DAYS`] days up to and including it.
pub fn body_weight_trend(log: &[(DateTime<Utc>, f64)]) -> Vec<(DateTime<Utc>, f64)> {
    let window = chrono::Duration::days(TREND_DAYS);
    let mut first = 0;
    let mut sum = 0.0;
    log.iter()
        .enumerate()
        .map(|(i, &(at, kg))| {
            sum += kg;
            while log[first].0 <= at - window {
                sum -= log[first].1;
                first += 1;
            }
            (at, sum / (i + 1 - first) as f64)
        })
        .collect()
}

/// Workouts oldest first; ties broken by id so results never depend on
/// storage order.
fn chronological<'a>(workouts: impl Iterator<Item = &'a Workout>) -> Vec<&'a Workout> {
    let mut sorted: Vec<&Workout> = workouts.collect();
    sorted.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    sorted
}

/// What one stored exercise name counts as.
#[derive(Debug, Clone)]
struct Identity {
    /// The matching key: equal keys share one history.
    key: String,
    /// The name it is shown under.
    name: String,
    /// Its muscle group.
    muscle: Muscle,
}

/// Each distinct exercise name of some workouts, resolved once: years of
/// workouts repeat a few dozen names tens of thousands of times.
#[derive(Default)]
struct Identities {
    by_name: HashMap<String, Identity>,
}

impl Identities {
    fn of<'w>(workouts: impl IntoIterator<Item = &'w Workout>, names: &ExerciseNames) -> Identities {
        let mut identities = Identities::default();
        for workout in workouts {
            identities.learn(workout, names);
        }
        identities
    }

    /// Resolves the names of `workout` not seen yet: what lets a history be
    /// read one workout at a time.
    fn learn(&mut self, workout: &Workout, names: &ExerciseNames) {
        for entry in &workout.exercises {
            if !self.by_name.contains_key(&entry.name) {
                let canonical = names.canonical(&entry.name);
                let identity = Identity {
                    key: crate::model::catalogue::normalize(&canonical),
                    name: canonical.into_owned(),
                    muscle: names.muscle(&entry.name),
                };
                self.by_name.insert(entry.name.clone(), identity);
            }
        }
    }

    fn get(&self, name: &str) -> Option<&Identity> {
        self.by_name.get(name)
    }

    fn has_key(&self, name: &str, key: &str) -> bool {
        self.get(name).is_some_and(|identity| identity.key == key)
    }
}

/// The working sets of the exercise whose key is `key` in one workout, each
/// with its load. A workout may list the same exercise twice under
/// different spellings; both count.
fn working_sets<'a>(
    workout: &'a Workout,
    key: &'a str,
    identities: &'a Identities,
    body_weight: BodyWeight<'a>,
) -> impl Iterator<Item = (&'a Set, Load)> {
    workout
        .exercises
        .iter()
        .filter(move |entry| identities.has_key(&entry.name, key))
        .flat_map(move |entry| {
            let body = body_weight_if_needed(workout, &entry.sets, body_weight);
            entry
                .sets
                .iter()
                .filter(|set| is_working(set))
                .map(move |set| (set, Load::of(set, body)))
        })
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

    #[test]
    fn body_weight_trend_averages_the_last_two_weeks() {
        let log = [
            (at("2024-01-01T07:00:00Z"), 80.0),
            (at("2024-01-08T07:00:00Z"), 82.0),
            (at("2024-01-14T07:00:00Z"), 84.0),
            (at("2024-01-15T07:00:00Z"), 86.0),
            (at("2024-03-01T07:00:00Z"), 90.0),
        ];
        let trend: Vec<f64> = body_weight_trend(&log).into_iter().map(|(_, kg)| kg).collect();
        // On 15 January the weigh-in of 1 January is 14 days old: out.
        assert_eq!(trend, [80.0, 81.0, 82.0, 84.0, 90.0]);
        assert!(body_weight_trend(&[]).is_empty());
    }
}
