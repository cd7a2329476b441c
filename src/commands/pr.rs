//! `pump pr`: personal records, of one exercise or of all.

use super::render::{print_json, table, weight};
use super::{Context, exercise_name};
use crate::analytics::{self, Formula, SetRecord};
use crate::app::{History, exercise_names};
use crate::cli::FormulaArg;
use crate::error::{Error, Result};
use crate::model::Unit;
use chrono::{DateTime, Local, Utc};
use clap::Args;

/// `pump pr [EXERCISE]`.
#[derive(Debug, Args)]
pub struct PrArgs {
    /// One exercise (all exercises when absent)
    exercise: Option<String>,
    #[command(flatten)]
    formula: FormulaArg,
    #[arg(long)]
    json: bool,
}

fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

fn set_text(r: &SetRecord, unit: Unit) -> String {
    format!("{}×{}", weight(r.weight_kg, unit), r.reps)
}

/// Prints the records of one exercise as a table, or of all as an overview.
pub fn run(ctx: &Context, args: PrArgs) -> Result<()> {
    let formula = args.formula.parse()?;
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let body_weight = history.body_weight();
    let unit = ctx.unit();
    let Some(typed) = args.exercise else {
        return pr_overview(&history, formula, &body_weight, unit, args.json);
    };
    let exercise = exercise_name(&exercise_names::load(&store)?, &typed);
    let records = analytics::personal_records(&history.workouts, &exercise, formula, &body_weight);
    if args.json {
        print_json(&serde_json::to_value(&records)?);
        return Ok(());
    }
    if records.heaviest.is_none() && records.best_session_volume.is_none() {
        return Err(Error::usage(format!(
            "no working sets of '{exercise}' yet: `pump exercises` lists what you did"
        )));
    }
    println!("{exercise}: personal records (e1RM by {})", formula.describe());
    let mut t = table(&["Record", "Value", "Set", "Date"]);
    let mut add = |name: String, r: &Option<SetRecord>, value: &dyn Fn(&SetRecord) -> String| {
        if let Some(r) = r {
            t.add_row(vec![name, value(r), set_text(r, unit), day(r.date)]);
        }
    };
    add("Heaviest set".into(), &records.heaviest, &|r| weight(r.value_kg, unit));
    add("Best e1RM".into(), &records.best_e1rm, &|r| weight(r.value_kg, unit));
    for rm in &records.rep_maxes {
        add(format!("{}RM", rm.min_reps), &Some(rm.record.clone()), &|r| {
            weight(r.value_kg, unit)
        });
    }
    add("Best set volume".into(), &records.best_set_volume, &|r| {
        weight(r.value_kg, unit)
    });
    if let Some(s) = &records.best_session_volume {
        t.add_row(vec![
            "Best session volume".into(),
            weight(s.value_kg, unit),
            String::new(),
            day(s.date),
        ]);
    }
    println!("{t}");
    Ok(())
}

fn pr_overview(
    history: &History,
    formula: Formula,
    body_weight: &dyn Fn(DateTime<Utc>) -> Option<f64>,
    unit: Unit,
    json_out: bool,
) -> Result<()> {
    let all: Vec<_> = analytics::all_personal_records(&history.workouts, formula, body_weight)
        .into_iter()
        .filter(|r| r.heaviest.is_some())
        .collect();
    if json_out {
        print_json(&serde_json::to_value(&all)?);
        return Ok(());
    }
    if all.is_empty() {
        eprintln!("No records yet: log some working sets with weight.");
        return Ok(());
    }
    let mut t = table(&["Exercise", "Heaviest", "Best e1RM", "Date"]);
    for r in &all {
        let e1rm = r.best_e1rm.as_ref();
        t.add_row(vec![
            r.exercise.clone(),
            r.heaviest.as_ref().map(|h| set_text(h, unit)).unwrap_or_default(),
            e1rm.map(|e| weight(e.value_kg, unit)).unwrap_or_default(),
            e1rm.map(|e| day(e.date)).unwrap_or_default(),
        ]);
    }
    println!("{t}");
    println!("e1RM by {}", formula.describe());
    Ok(())
}
