//! Progress series: one value per workout of an exercise (its best e1RM,
//! top set or volume), for `pump progress` charts.

use super::records::Formula;
use super::{BodyWeight, chronological, working_sets};
use crate::model::Workout;
use crate::model::catalogue::normalize;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a progress chart plots, one value per workout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// The best estimated one-rep max of the session.
    #[default]
    E1rm,
    /// The heaviest working set of the session.
    TopSet,
    /// Weight × reps summed over the session's working sets.
    Volume,
}

impl Metric {
    /// The name `--metric` takes and JSON shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::E1rm => "e1rm",
            Metric::TopSet => "top-set",
            Metric::Volume => "volume",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "e1rm" => Ok(Metric::E1rm),
            "top-set" | "topset" | "top" => Ok(Metric::TopSet),
            "volume" | "vol" => Ok(Metric::Volume),
            _ => Err(format!("unknown metric '{s}': use e1rm, top-set or volume")),
        }
    }
}

/// One workout's value on a progress chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// When the workout started.
    pub date: DateTime<Utc>,
    /// The workout the value comes from.
    pub workout_id: String,
    /// The metric's value, in kg.
    pub value_kg: f64,
}

/// One point per workout with `exercise` since `since` (inclusive), oldest
/// first. Workouts where the metric has no value (only warm-ups, only
/// bodyweight sets while body weight is unknown) are left out.
pub fn progress(
    workouts: &[Workout],
    exercise: &str,
    metric: Metric,
    formula: Formula,
    since: Option<DateTime<Utc>>,
    body_weight: BodyWeight,
) -> Vec<Point> {
    let key = normalize(exercise);
    let recent = workouts
        .iter()
        .filter(|w| since.is_none_or(|since| w.started_at >= since));
    chronological(recent)
        .into_iter()
        .filter_map(|workout| {
            let sets = working_sets(workout, &key, body_weight);
            let value = match metric {
                Metric::E1rm => sets
                    .filter_map(|(_, load, reps)| formula.e1rm(load.record_kg()?, reps))
                    .reduce(f64::max),
                Metric::TopSet => sets.filter_map(|(_, load, _)| load.record_kg()).reduce(f64::max),
                Metric::Volume => {
                    let volume: f64 = sets.map(|(_, load, reps)| load.volume_kg() * f64::from(reps)).sum();
                    (volume > 0.0).then_some(volume)
                }
            }?;
            Some(Point {
                date: workout.started_at,
                workout_id: workout.id.clone(),
                value_kg: value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn metric_parses() {
        assert_eq!("top-set".parse::<Metric>(), Ok(Metric::TopSet));
        assert_eq!("VOLUME".parse::<Metric>(), Ok(Metric::Volume));
        assert!("speed".parse::<Metric>().is_err());
        assert_eq!(serde_json::to_string(&Metric::TopSet).unwrap(), "\"top-set\"");
    }

    #[test]
    fn progress_series() {
        let history = bench_history();
        let series = |metric, since| {
            progress(&history, "Bench Press", metric, Formula::Epley, since, NO_BODY_WEIGHT)
                .into_iter()
                .map(|p| (p.workout_id, (p.value_kg * 1000.0).round() / 1000.0))
                .collect::<Vec<_>>()
        };
        let pair = |id: &str, v: f64| (id.to_string(), v);
        assert_eq!(series(Metric::E1rm, None), vec![pair("w1", 116.667), pair("w2", 114.0)]);
        assert_eq!(series(Metric::TopSet, None), vec![pair("w1", 105.0), pair("w2", 90.0)]);
        assert_eq!(
            series(Metric::Volume, None),
            vec![pair("w1", 1315.0), pair("w2", 1520.0)]
        );
        let since = Some(at("2024-01-08T10:00:00Z"));
        assert_eq!(series(Metric::TopSet, since), vec![pair("w2", 90.0)]);
        let none = progress(&history, "Deadlift", Metric::E1rm, Formula::Epley, None, NO_BODY_WEIGHT);
        assert!(none.is_empty());
    }
}
