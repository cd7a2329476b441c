//! `pump progress`: one exercise's e1RM, top set or volume over time.

use super::render::print_json;
use super::{Context, exercise_name};
use crate::analytics::{self, Metric};
use crate::app::{History, exercise_names};
use crate::chart;
use crate::cli::{FormulaArg, WHEN_HELP};
use crate::error::{Error, Result};
use chrono::{Local, NaiveDate};
use clap::Args;
use serde_json::json;

/// `pump progress EXERCISE`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    exercise: String,
    /// e1rm, top-set or volume
    #[arg(long, default_value = "e1rm")]
    metric: String,
    #[command(flatten)]
    formula: FormulaArg,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    since: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Prints a chart of the series, or the series as JSON.
pub fn run(ctx: &Context, args: ProgressArgs) -> Result<()> {
    let metric: Metric = args.metric.parse().map_err(|e: String| Error::usage(e))?;
    let formula = args.formula.parse()?;
    let since = args.since.as_deref().map(|s| ctx.when(s)).transpose()?;
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let exercise = exercise_name(&exercise_names::load(&store)?, &args.exercise);
    let points = analytics::progress(
        &history.workouts,
        &exercise,
        metric,
        formula,
        since,
        &history.body_weight(),
    );
    let unit = ctx.unit();
    if args.json {
        let series: Vec<_> = points
            .iter()
            .map(|p| json!({"date": p.date, "workout_id": p.workout_id, "value_kg": p.value_kg, "value": unit.from_kg(p.value_kg), "unit": unit}))
            .collect();
        print_json(&json!({"exercise": exercise, "metric": metric.as_str(), "unit": unit, "series": series}));
        return Ok(());
    }
    if points.is_empty() {
        return Err(Error::usage(format!(
            "no working sets of '{exercise}' in that range: `pump exercises` lists what you did"
        )));
    }
    let series: Vec<(NaiveDate, f64)> = points
        .iter()
        .map(|p| (p.date.with_timezone(&Local).date_naive(), unit.from_kg(p.value_kg)))
        .collect();
    println!("{exercise}: {} over time", metric.as_str());
    println!("{}", chart::line_chart(&series, unit.as_str(), chart::MAX_WIDTH, 12));
    Ok(())
}
