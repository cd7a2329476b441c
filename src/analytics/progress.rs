//! Progress series: one point per session of an exercise (its best e1RM,
//! top set or volume, see [`Metric::of_session`]), with the sessions that
//! set a new best marked, for `pump progress`.

use super::definitions::{Formula, Metric};
use super::{Identities, Lifter, chronological, working_sets};
use crate::model::Workout;
use chrono::{DateTime, Utc};
use serde::Serialize;

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
    let key = lifter.names.key(exercise);
    let identities = Identities::of(workouts, lifter.names);
    let mut best: Option<f64> = None;
    chronological(workouts.iter())
        .into_iter()
        .filter_map(|workout| {
            let sets = working_sets(workout, &key, &identities, lifter.body_weight);
            let value = metric.of_session(sets, formula)?;
            let pr = best.is_some_and(|best| value > best + EPSILON);
            best = Some(best.map_or(value, |best| best.max(value)));
            Some(Point {
                date: workout.started_at,
                workout_id: workout.id.clone(),
                value_kg: value,
                pr,
            })
        })
        .filter(|point| since.is_none_or(|since| point.date >= since))
        .collect()
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
}
