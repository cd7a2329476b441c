//! Seeing progress: `pump pr`, `pump stats`, `pump progress`, `pump calendar`.
//! The numbers come from `crate::analytics`; this file only loads and renders.

use super::render::{print_json, table, weight};
use super::{Context, exercise_name};
use crate::analytics::{self as stats, Formula, Metric, SetRecord};
use crate::app::{ExerciseNames, History};
use crate::chart;
use crate::cli::{CalendarArgs, PrArgs, ProgressArgs, StatsArgs};
use crate::error::{Error, Result};
use crate::model::Unit;
use chrono::{DateTime, Local, NaiveDate, Utc};
use serde_json::json;
use std::collections::BTreeMap;

fn parse_formula(text: &str) -> Result<Formula> {
    text.parse().map_err(|e: String| Error::usage(e))
}

fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

fn set_text(r: &SetRecord, unit: Unit) -> String {
    format!("{}×{}", weight(r.weight_kg, unit), r.reps)
}

pub fn pr(ctx: &Context, args: PrArgs) -> Result<()> {
    let formula = parse_formula(&args.formula)?;
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let body_weight = history.body_weight();
    let unit = ctx.unit();
    let Some(typed) = args.exercise else {
        return pr_overview(&history, formula, &body_weight, unit, args.json);
    };
    let exercise = exercise_name(&ExerciseNames::load(&store)?, &typed);
    let records = stats::personal_records(&history.workouts, &exercise, formula, &body_weight);
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
    let all: Vec<_> = stats::all_personal_records(&history.workouts, formula, body_weight)
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

pub fn stats_cmd(ctx: &Context, args: StatsArgs) -> Result<()> {
    if args.weeks == 0 || args.weeks > stats::MAX_WEEKS {
        return Err(Error::usage(format!(
            "--weeks {}: use 1 to {}",
            args.weeks,
            stats::MAX_WEEKS
        )));
    }
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let report = stats::weekly(&history.workouts, args.weeks, &Local::now(), &history.body_weight());
    if args.json {
        print_json(&serde_json::to_value(&report)?);
        return Ok(());
    }
    let unit = ctx.unit();
    let mut t = table(&["Week", "Sessions", "Sets", "Reps", "Volume"]);
    let mut muscles: BTreeMap<String, (u32, f64)> = BTreeMap::new();
    for w in &report.weeks {
        t.add_row(vec![
            w.week.clone(),
            w.totals.sessions.to_string(),
            w.totals.sets.to_string(),
            w.totals.reps.to_string(),
            weight(w.totals.volume_kg.round(), unit),
        ]);
        for (muscle, m) in &w.totals.muscles {
            let entry = muscles.entry(muscle.to_string()).or_default();
            entry.0 += m.sets;
            entry.1 += m.volume_kg;
        }
    }
    println!("{t}");
    if !muscles.is_empty() {
        let mut m = table(&["Muscle group", "Sets", "Volume"]);
        for (name, (sets, volume)) in &muscles {
            m.add_row(vec![name.clone(), sets.to_string(), weight(volume.round(), unit)]);
        }
        println!("{m}");
    }
    println!(
        "Weekly streak: {} current, {} longest",
        report.current_streak, report.longest_streak
    );
    Ok(())
}

pub fn progress(ctx: &Context, args: ProgressArgs) -> Result<()> {
    let metric: Metric = args.metric.parse().map_err(|e: String| Error::usage(e))?;
    let formula = parse_formula(&args.formula)?;
    let since = args.since.as_deref().map(|s| ctx.when(s)).transpose()?;
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let exercise = exercise_name(&ExerciseNames::load(&store)?, &args.exercise);
    let points = stats::progress(
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

pub fn calendar(ctx: &Context, args: CalendarArgs) -> Result<()> {
    let today = Local::now().date_naive();
    let end = match args.year {
        None => today,
        Some(year) => NaiveDate::from_ymd_opt(year, 12, 31)
            .filter(|_| (1970..=9999).contains(&year))
            .ok_or_else(|| Error::usage(format!("--year {year} is not a year pump can show: use e.g. 2026")))?
            .min(today),
    };
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let days = stats::daily(&history.workouts, &Local, &history.body_weight());
    let first = end - chrono::Duration::days(7 * 53);
    let in_range: Vec<_> = days.iter().filter(|d| d.date > first && d.date <= end).collect();
    if args.json {
        print_json(&serde_json::to_value(&in_range)?);
        return Ok(());
    }
    let series: Vec<(NaiveDate, f64)> = in_range.iter().map(|d| (d.date, f64::from(d.totals.sets))).collect();
    println!(
        "Training days up to {} ({} days trained)",
        end,
        in_range.iter().filter(|d| d.totals.sets > 0).count()
    );
    println!("{}", chart::heatmap(&series, end).trim_end());
    Ok(())
}
