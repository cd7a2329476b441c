//! One exercise's sessions, newest first: what `pump history` lists and
//! what `pump add` and `pump start --template` recall as "last time".

use super::definitions::{Formula, Metric, Volume, body_weight_if_needed};
use super::{Identities, Lifter, chronological, working_sets};
use crate::model::{Set, Workout};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One session of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// When the workout started.
    pub date: DateTime<Utc>,
    /// The workout.
    pub workout_id: String,
    /// The workout's name.
    pub workout: String,
    /// The exercise as the workout names it.
    pub exercise: String,
    /// Every set of the exercise in the session, warm-ups included, in order.
    pub sets: Vec<Set>,
    /// The heaviest load of the session, in kg.
    pub top_set_kg: Option<f64>,
    /// The session's volume.
    pub volume: Volume,
}

/// The sessions of `exercise`, newest first, at most `limit` of them.
pub fn sessions(workouts: &[Workout], exercise: &str, lifter: Lifter, limit: Option<usize>) -> Vec<Session> {
    sessions_of(workouts.iter(), exercise, lifter, limit)
}

fn sessions_of<'a>(
    workouts: impl Iterator<Item = &'a Workout> + Clone,
    exercise: &str,
    lifter: Lifter,
    limit: Option<usize>,
) -> Vec<Session> {
    let key = lifter.names.key(exercise);
    let identities = Identities::of(workouts.clone(), lifter.names);
    let mut newest_first = chronological(workouts);
    newest_first.reverse();
    newest_first
        .into_iter()
        .filter_map(|workout| session(workout, &key, &identities, lifter))
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// The latest session of `exercise` in a workout other than `excluding`
/// (the one being logged), started before `before`.
pub fn last_session(
    workouts: &[Workout],
    exercise: &str,
    lifter: Lifter,
    excluding: &str,
    before: DateTime<Utc>,
) -> Option<Session> {
    let earlier = workouts.iter().filter(|w| w.id != excluding && w.started_at <= before);
    sessions_of(earlier, exercise, lifter, Some(1)).pop()
}

fn session(workout: &Workout, key: &str, identities: &Identities, lifter: Lifter) -> Option<Session> {
    let entries: Vec<_> = workout
        .exercises
        .iter()
        .filter(|entry| identities.has_key(&entry.name, key))
        .collect();
    let first = entries.first()?;
    let sets: Vec<Set> = entries.iter().flat_map(|e| e.sets.iter().cloned()).collect();
    let body = body_weight_if_needed(workout, &sets, lifter.body_weight);
    let mut volume = Volume::default();
    for set in &sets {
        volume.add(set, body);
    }
    Some(Session {
        date: workout.started_at,
        workout_id: workout.id.clone(),
        workout: workout.name.clone(),
        exercise: first.name.clone(),
        top_set_kg: Metric::TopSet.of_session(
            working_sets(workout, key, identities, lifter.body_weight),
            Formula::default(),
        ),
        sets,
        volume,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::ExerciseNames;

    #[test]
    fn sessions_newest_first_with_their_sets() {
        let names = ExerciseNames::default();
        let lifter = Lifter {
            body_weight: NO_BODY_WEIGHT,
            names: &names,
        };
        let history = bench_history();
        let all = sessions(&history, "bench", lifter, None);
        let summary: Vec<(&str, usize, Option<f64>, f64)> = all
            .iter()
            .map(|s| (s.workout_id.as_str(), s.sets.len(), s.top_set_kg, s.volume.kg))
            .collect();
        assert_eq!(summary, [("w2", 3, Some(90.0), 1520.0), ("w1", 4, Some(105.0), 1315.0)]);
        assert_eq!(sessions(&history, "bench", lifter, Some(1)).len(), 1);
        let last = last_session(&history, "Bench Press", lifter, "w2", at("2024-01-20T00:00:00Z"));
        assert_eq!(last.map(|s| s.workout_id), Some("w1".into()));
        assert_eq!(
            last_session(&history, "Bench Press", lifter, "x", at("2023-01-01T00:00:00Z")),
            None
        );
    }
}
