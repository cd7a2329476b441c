//! Progress series: one point per session of an exercise (its best e1RM,
//! top set or volume, see [`Metric::of_session`]), with the sessions that
//! set a new best marked, for `pump progress`.

use super::definitions::{Formula, Metric};
use super::{Identities, Lifter, working_sets};
use crate::model::{Set, Workout};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Improvements smaller than this are rounding noise, not a new best.
const EPSILON: f64 = 1e-9;

/// One session's value on a progress chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// When the session started.
    pub date: DateTime<Utc>,
    /// The workout the value comes from.
    pub workout_id: String,
    /// The metric's value, in kg.
    pub value_kg: f64,
    /// A PR session: its value beat every earlier session's, over the
    /// whole history (not only the range shown). The first session beats
    /// nothing, as with PR announcements.
    pub pr: bool,
    /// The set that made the value (e1RM, top set); none for volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<Set>,
}

/// One session's value before the sessions are put in order and the PR
/// sessions marked: what [`series`] makes a chart of. The set table keeps
/// one per stored exercise name and workout, so `pump progress` reads them
/// instead of every set.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionValue {
    /// When the session started.
    pub date: DateTime<Utc>,
    /// The workout the value comes from.
    pub workout_id: String,
    /// The metric's value, in kg.
    pub value_kg: f64,
    /// The set that made the value (e1RM, top set); none for volume.
    pub set: Option<Set>,
}

/// One point per session of `exercise` since `since` (inclusive), oldest
/// first. Sessions where the metric has no value (only warm-ups, only
/// bodyweight sets while body weight is unknown) are left out.
pub fn progress(
    workouts: &[Workout],
    exercise: &str,
    metric: Metric,
    formula: Formula,
    since: Option<DateTime<Utc>>,
    lifter: Lifter,
) -> Vec<Point> {
    series(session_values(workouts, exercise, metric, formula, lifter), since)
}

/// Each of `workouts` that has a value of `metric` for `exercise`, with it.
pub fn session_values(
    workouts: &[Workout],
    exercise: &str,
    metric: Metric,
    formula: Formula,
    lifter: Lifter,
) -> Vec<SessionValue> {
    let key = lifter.names.key(exercise);
    let identities = Identities::of(workouts, lifter.names);
    workouts
        .iter()
        .filter_map(|workout| {
            let sets = working_sets(workout, &key, &identities, lifter.body_weight);
            let (value, set) = metric.best_of_session(sets, formula)?;
            Some(SessionValue {
                date: workout.started_at,
                workout_id: workout.id.clone(),
                value_kg: value,
                set: set.cloned(),
            })
        })
        .collect()
}

/// The best value of a series read oldest first, to mark the sessions
/// that beat every one before them (the first beats nothing).
#[derive(Debug, Default)]
pub struct RunningBest(Option<f64>);

impl RunningBest {
    /// Does `value`, the next session's, beat every one before it? It then
    /// counts as one before the next.
    pub fn beaten_by(&mut self, value: f64) -> bool {
        let pr = self.0.is_some_and(|best| value > best + EPSILON);
        self.0 = Some(self.0.map_or(value, |best| best.max(value)));
        pr
    }
}

/// The sessions oldest first (ties by workout id, so the result never
/// depends on storage order), each marked when it beat every one before
/// it, and only those since `since`: a PR counts the whole history.
pub fn series(mut sessions: Vec<SessionValue>, since: Option<DateTime<Utc>>) -> Vec<Point> {
    sessions.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.workout_id.cmp(&b.workout_id)));
    let mut best = RunningBest::default();
    sessions
        .into_iter()
        .map(|session| {
            let value = session.value_kg;
            let pr = best.beaten_by(value);
            Point {
                date: session.date,
                workout_id: session.workout_id,
                value_kg: value,
                pr,
                set: session.set,
            }
        })
        .filter(|point| since.is_none_or(|since| point.date >= since))
        .collect()
}

/// The `count` exercises with the most sessions that have an e1RM (a
/// loaded working set of [`super::E1RM_REPS`]), most first, ties by name:
/// the lifter's main lifts, whose progress a report charts. Each is named as
/// `pump pr` names it.
pub fn main_lifts(workouts: &[Workout], count: usize, formula: Formula, lifter: Lifter) -> Vec<String> {
    let mut sessions = LiftSessions::default();
    for workout in workouts {
        sessions.add(workout, formula, lifter);
    }
    sessions.main_lifts(count)
}

/// Each exercise's sessions with an e1RM, counted one workout at a time:
/// [`main_lifts`] over a history streamed from the store.
#[derive(Default)]
pub struct LiftSessions {
    identities: Identities,
    /// Per exercise key: the name it is shown under, and its sessions.
    sessions: HashMap<String, (String, usize)>,
}

impl LiftSessions {
    /// Counts `workout`'s sessions.
    pub fn add(&mut self, workout: &Workout, formula: Formula, lifter: Lifter) {
        self.identities.learn(workout, lifter.names);
        // A workout may list one exercise under two spellings: one session.
        let exercises: BTreeMap<&str, &str> = workout
            .exercises
            .iter()
            .filter_map(|entry| self.identities.get(&entry.name))
            .map(|identity| (identity.key.as_str(), identity.name.as_str()))
            .collect();
        for (key, name) in exercises {
            let sets = working_sets(workout, key, &self.identities, lifter.body_weight);
            if Metric::E1rm.of_session(sets, formula).is_some() {
                let counted = self.sessions.entry(key.to_string());
                counted.or_insert_with(|| (name.to_string(), 0)).1 += 1;
            }
        }
    }

    /// The `count` exercises with most sessions, ties by name.
    pub fn main_lifts(self, count: usize) -> Vec<String> {
        let mut ranked: Vec<(String, usize)> = self.sessions.into_values().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.into_iter().take(count).map(|(name, _)| name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::ExerciseNames;

    #[test]
    fn progress_series() {
        let history = bench_history();
        let names = ExerciseNames::default();
        let lifter = Lifter {
            body_weight: NO_BODY_WEIGHT,
            names: &names,
        };
        let series = |metric, since| {
            progress(&history, "Bench Press", metric, Formula::Epley, since, lifter)
                .into_iter()
                .map(|p| (p.workout_id, (p.value_kg * 1000.0).round() / 1000.0, p.pr))
                .collect::<Vec<_>>()
        };
        let point = |id: &str, v: f64, pr: bool| (id.to_string(), v, pr);
        assert_eq!(
            series(Metric::E1rm, None),
            vec![point("w1", 116.667, false), point("w2", 114.0, false)]
        );
        assert_eq!(
            series(Metric::TopSet, None),
            vec![point("w1", 105.0, false), point("w2", 90.0, false)]
        );
        assert_eq!(
            series(Metric::Volume, None),
            vec![point("w1", 1315.0, false), point("w2", 1520.0, true)]
        );
        let since = Some(at("2024-01-08T10:00:00Z"));
        assert_eq!(series(Metric::TopSet, since), vec![point("w2", 90.0, false)]);
        assert_eq!(
            series(Metric::Volume, since),
            vec![point("w2", 1520.0, true)],
            "a PR over the whole history"
        );
        let none = progress(&history, "Deadlift", Metric::E1rm, Formula::Epley, None, lifter);
        assert!(none.is_empty());
    }

    #[test]
    fn points_carry_the_set_that_made_them() {
        let history = bench_history();
        let names = ExerciseNames::default();
        let lifter = Lifter {
            body_weight: NO_BODY_WEIGHT,
            names: &names,
        };
        let sets = |metric| {
            progress(&history, "bench", metric, Formula::Epley, None, lifter)
                .into_iter()
                .map(|p| p.set.map(|s| (s.reps, s.weight_kg)))
                .collect::<Vec<_>>()
        };
        // 5 × 100 kg (116.7) beats 3 × 105 kg (115.5); of two equal fives the first.
        assert_eq!(
            sets(Metric::E1rm),
            [Some((Some(5), Some(100.0))), Some((Some(8), Some(90.0)))]
        );
        assert_eq!(sets(Metric::TopSet)[0], Some((Some(3), Some(105.0))));
        assert_eq!(sets(Metric::Volume), [None, None]);
        let first = &progress(&history, "bench", Metric::E1rm, Formula::Epley, None, lifter)[0];
        assert_eq!(
            first.set.as_ref().map(|s| s.id.as_str()),
            Some(history[1].exercises[0].sets[1].id.as_str())
        );
    }

    #[test]
    fn main_lifts_are_those_with_most_sessions() {
        let mut history = bench_history();
        history.push(workout(
            "w4",
            "2024-01-22T10:00:00Z",
            &[("Squat", "5@140kg"), ("Plank", "60s")],
        ));
        history.push(workout(
            "w5",
            "2024-01-29T10:00:00Z",
            &[("Squat", "20@60kg"), ("Pull Up", "8")],
        ));
        let names = ExerciseNames::default();
        let lifter = Lifter {
            body_weight: NO_BODY_WEIGHT,
            names: &names,
        };
        // Squat has three sessions but one past the e1RM range; bench two.
        // Ties are broken by name; planks and unweighted pull-ups have no e1RM.
        assert_eq!(
            main_lifts(&history, 5, Formula::Epley, lifter),
            ["Bench Press", "Squat"]
        );
        assert_eq!(main_lifts(&history, 1, Formula::Epley, lifter), ["Bench Press"]);
        assert!(main_lifts(&[], 3, Formula::Epley, lifter).is_empty());
    }
}
