//! `pump progress`: one exercise's e1RM, top set or volume over time.

use super::render::print_json;
use super::{Context, exercise_name};
use crate::analytics::{E1RM_REPS, Metric, Point};
use crate::app::{exercise_names, history};
use crate::chart::{self, ChartPoint};
use crate::cli::{FormulaArg, WHEN_HELP};
use crate::error::{Error, Result};
use crate::model::Unit;
use crate::text::printable;
use chrono::Local;
use clap::Args;
use serde_json::json;

const PROGRESS_HELP: &str = "\
Every point is one session of the exercise: its best e1RM (from sets of 1 to
12 reps), its top set (the heaviest load, any reps) or its volume (reps ×
load). Where several sessions share a column of the chart, the column shows
the best of them; sessions more than four weeks apart are not joined by a
line; ▲ marks a session that beat every one before it (over your whole
history). The y axis starts at a round number at least a tenth below the top.

Examples:
  pump progress squat
  pump progress \"bench press\" --metric top-set --since 2026-01-01
  pump progress deadlift --metric volume --json";

/// `pump progress EXERCISE`.
#[derive(Debug, Args)]
#[command(after_long_help = PROGRESS_HELP)]
pub struct ProgressArgs {
    /// The exercise: a catalogue name, an alias or your own
    #[arg(add = crate::completions::exercises())]
    exercise: String,
    /// What to chart: e1rm, top-set or volume
    #[arg(long, default_value = "e1rm", add = crate::completions::choices(crate::completions::METRICS))]
    metric: String,
    #[command(flatten)]
    formula: FormulaArg,
    /// Only sessions from then on
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    since: Option<String>,
    /// Print the series, one point per session with its date, as JSON
    #[arg(long)]
    json: bool,
}

/// Prints a chart of the series, or the series as JSON.
pub fn run(ctx: &Context, args: ProgressArgs) -> Result<()> {
    let metric: Metric = args.metric.parse().map_err(|e: String| Error::usage(e))?;
    let formula = args.formula.parse()?;
    let since = args.since.as_deref().map(|s| ctx.when(s)).transpose()?;
    let store = ctx.store_to_read()?;
    let names = exercise_names::load(&store)?;
    let exercise = exercise_name(&names, &args.exercise);
    let points = history::progress(&store, &names, &exercise, (metric, formula), since, false)?;
    let unit = ctx.unit();
    if args.json {
        let series: Vec<_> = points
            .iter()
            .map(|p| {
                json!({
                    "date": p.date,
                    "workout_id": p.workout_id,
                    "value_kg": p.value_kg,
                    "value": unit.from_kg(p.value_kg),
                    "unit": unit,
                    "pr": p.pr,
                })
            })
            .collect();
        let mut out = json!({"exercise": exercise, "metric": metric.as_str(), "unit": unit, "series": series});
        if metric == Metric::E1rm {
            out["formula"] = json!(formula.as_str());
            out["e1rm_reps"] = json!({"min": E1RM_REPS.start(), "max": E1RM_REPS.end()});
        }
        print_json(&out);
        return Ok(());
    }
    if points.is_empty() {
        return Err(Error::usage(format!(
            "no working sets of '{exercise}' in that range: `pump exercises` lists what you did"
        )));
    }
    println!("{}: {} per session", printable(&exercise), metric.as_str());
    println!(
        "{}",
        chart::line_chart(&chart_points(&points, unit), unit.as_str(), chart::MAX_WIDTH, 12)
    );
    Ok(())
}

/// The sessions as chart points, in the lifter's unit and local days.
fn chart_points(points: &[Point], unit: Unit) -> Vec<ChartPoint> {
    points
        .iter()
        .map(|p| ChartPoint {
            date: p.date.with_timezone(&Local).date_naive(),
            value: unit.from_kg(p.value_kg),
            marked: p.pr,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{self, Formula, Lifter};
    use crate::chart::LineChart;
    use crate::model::{ExerciseEntry, ExerciseNames, Set, Workout};
    use chrono::{DateTime, Duration, Utc};
    use proptest::prelude::*;

    fn history(sessions: &[(i64, Vec<(u32, u32)>)]) -> Vec<Workout> {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        sessions
            .iter()
            .enumerate()
            .map(|(i, (day, sets))| Workout {
                exercises: vec![ExerciseEntry {
                    id: format!("e{i}"),
                    name: "Squat".into(),
                    sets: sets
                        .iter()
                        .map(|(reps, kg)| Set {
                            id: format!("s{i}-{reps}-{kg}"),
                            reps: Some(*reps),
                            weight_kg: Some(f64::from(*kg)),
                            ..Set::default()
                        })
                        .collect(),
                    ..ExerciseEntry::default()
                }],
                ..Workout::new(format!("W{i}"), start + Duration::days(*day))
            })
            .collect()
    }

    proptest! {
        /// Over random histories and every metric: the chart's highest
        /// point is drawn in the top row, and every drawn column is the
        /// best value of the sessions it holds.
        #[test]
        fn charts_of_random_histories_show_session_values(
            sessions in prop::collection::vec((0i64..1500, prop::collection::vec((1u32..20, 20u32..300), 1..5)), 1..60),
            metric in prop::sample::select(vec![Metric::E1rm, Metric::TopSet, Metric::Volume]),
        ) {
            let workouts = history(&sessions);
            let names = ExerciseNames::default();
            let lifter = Lifter { body_weight: &|_: DateTime<Utc>| None, names: &names };
            let points = analytics::progress(&workouts, "squat", metric, Formula::Epley, None, lifter);
            let series = chart_points(&points, Unit::Kg);
            let Some(chart) = LineChart::new(&series, "kg", 80, 12) else {
                prop_assert!(points.is_empty());
                return Ok(());
            };
            let highest = series.iter().map(|p| p.value).fold(f64::MIN, f64::max);
            let top = chart.columns().iter().find(|c| c.value == highest);
            prop_assert!(top.is_some_and(|c| c.y < 4), "the highest point is in the top row");
            let text = chart.render();
            let top_row: Vec<char> = text.lines().next().unwrap_or_default().chars().skip_while(|c| *c != '┤').skip(1).collect();
            prop_assert!(top.is_some_and(|c| top_row.get(c.x / 2).is_some_and(|ch| *ch != ' ')));
            for column in chart.columns() {
                let in_column: Vec<f64> = series
                    .iter()
                    .filter(|p| (column.first..=column.last).contains(&p.date))
                    .map(|p| p.value)
                    .collect();
                prop_assert!(in_column.contains(&column.value), "{:?} is a session's value", column);
                prop_assert!(in_column.iter().all(|v| *v <= column.value), "{:?} hides no higher one", column);
            }
        }
    }
}
