//! `pump pr`: personal records, of one exercise or of all.

use super::render::{
    best_set, distance, load, measured, print_json, print_table, record_set, table, volume_kg, weight,
};
use super::{Context, exercise_name};
use crate::analytics::{self, Formula, Measure, PersonalRecords, PrKind, SetBest, SetRecord};
use crate::app::{History, exercise_names};
use crate::cli::FormulaArg;
use crate::error::{Error, Result};
use crate::model::Unit;
use crate::text::printable;
use chrono::{DateTime, Local, Utc};
use clap::Args;

const PR_HELP: &str = "\
What the records mean:
  e1RM        estimated one-rep max, from working sets of 1 to 12 reps only
  NRM         the heaviest weight lifted for at least N reps (a 6-rep set also proves a 5RM)
  volume      reps × load; an @bw set's load is your body weight that day plus anything added
  most reps   bodyweight sets (@bw, or reps with no weight)
  holds       timed sets: the longest, and the heaviest loaded one
  distances   the longest, the fastest pace, and the best time at each distance
Warm-up sets never count.

Examples:
  pump pr bench
  pump pr dips
  pump pr running --json
  pump pr --formula brzycki";

/// `pump pr [EXERCISE]`.
#[derive(Debug, Args)]
#[command(after_long_help = PR_HELP)]
pub struct PrArgs {
    /// One exercise (all exercises when absent)
    #[arg(add = crate::completions::exercises())]
    exercise: Option<String>,
    #[command(flatten)]
    formula: FormulaArg,
    /// Print machine-readable JSON (weights in kg, times in seconds, distances in metres)
    #[arg(long)]
    json: bool,
}

fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

/// Prints the records of one exercise as a table, or of all as an overview.
pub fn run(ctx: &Context, args: PrArgs) -> Result<()> {
    let formula = args.formula.parse()?;
    let store = ctx.store_to_read()?;
    let unit = ctx.unit();
    let names = exercise_names::load(&store)?;
    let Some(typed) = args.exercise else {
        let history = History::load_record_candidates(&store, names, None)?;
        return pr_overview(&history, formula, unit, args.json);
    };
    let exercise = exercise_name(&names, &typed);
    let history = History::load_record_candidates(&store, names, Some(&[&exercise]))?;
    let records = analytics::personal_records(&history.workouts, &exercise, formula, history.lifter());
    if args.json {
        print_json(&serde_json::to_value(&records)?);
        return Ok(());
    }
    if records.is_empty() {
        return Err(Error::usage(format!(
            "no working sets of '{exercise}' yet: `pump exercises` lists what you did"
        )));
    }
    // The formula and its rep range only matter to loaded lifts (they also
    // say why 103 reps give no e1RM); over a plank's or a run's records
    // they would only puzzle the reader.
    let exercise = printable(&exercise);
    match records.heaviest {
        Some(_) => println!("{exercise}: personal records (e1RM by {})", formula.describe()),
        None => println!("{exercise}: personal records"),
    }
    let mut t = table(&["Record", "Value", "Set", "Date"]);
    for row in record_rows(&records, unit) {
        t.add_row(vec![row.record, row.shown, row.set, day(row.date)]);
    }
    print_table(&t);
    if !records.rep_maxes.is_empty() {
        println!("NRM = the heaviest weight lifted for at least N reps, with the set that made it.");
    }
    Ok(())
}

/// One record of an exercise, ready to show: `pump pr`'s table and the
/// report's records table are both made of these.
pub struct RecordRow {
    /// What the record is: "Best e1RM", "5RM", "Longest hold".
    pub record: String,
    /// Its value in what it measures (kg for loads and volumes, reps,
    /// seconds, metres, seconds per km), as `pump pr --json` gives it.
    pub value: f64,
    /// The value as a lifter reads it, in their unit: `102.5 kg`, `1:30`.
    pub shown: String,
    /// The set that holds it (empty for a session's volume).
    pub set: String,
    /// When it was set.
    pub date: DateTime<Utc>,
}

/// Every record of one exercise, in `pump pr`'s order: the load records,
/// then those of bodyweight, timed and distance sets.
pub fn record_rows(records: &PersonalRecords, unit: Unit) -> Vec<RecordRow> {
    let mut rows = Vec::new();
    // Loads to the nearest quarter, volumes (sums of many sets) whole.
    let mut record = |record: String, r: &Option<SetRecord>, shown: fn(f64, Unit) -> String| {
        if let Some(r) = r {
            rows.push(RecordRow {
                record,
                value: r.value_kg,
                shown: shown(r.value_kg, unit),
                set: record_set(r, unit),
                date: r.date,
            });
        }
    };
    record("Heaviest set".into(), &records.heaviest, load);
    record("Best e1RM".into(), &records.best_e1rm, load);
    for rm in &records.rep_maxes {
        record(format!("{}RM", rm.min_reps), &Some(rm.record.clone()), load);
    }
    record("Best set volume".into(), &records.best_set_volume, volume_kg);
    if let Some(s) = &records.best_session_volume {
        rows.push(RecordRow {
            record: "Best session volume".into(),
            value: s.value_kg,
            shown: volume_kg(s.value_kg, unit),
            set: String::new(),
            date: s.date,
        });
    }
    let mut other = |record: String, r: &Option<SetBest>, kind: PrKind| {
        if let Some(r) = r {
            rows.push(RecordRow {
                record,
                value: r.value,
                shown: measured(r.value, kind.measure(), unit),
                set: best_set(&r.set, unit),
                date: r.date,
            });
        }
    };
    other("Most reps".into(), &records.most_reps, PrKind::MostReps);
    other(
        "Heaviest added load".into(),
        &records.heaviest_added,
        PrKind::HeaviestAdded,
    );
    other("Longest hold".into(), &records.longest_hold, PrKind::LongestHold);
    other("Heaviest hold".into(), &records.heaviest_hold, PrKind::HeaviestHold);
    other(
        "Longest distance".into(),
        &records.longest_distance,
        PrKind::LongestDistance,
    );
    other("Fastest pace".into(), &records.fastest_pace, PrKind::FastestPace);
    for time in &records.best_times {
        other(
            format!("Best {}", distance(f64::from(time.distance_m))),
            &Some(time.record.clone()),
            PrKind::BestTime(time.distance_m),
        );
    }
    rows
}

/// The best of an exercise's records of other kinds than load: most reps,
/// the longest hold, the longest distance.
fn other_best(r: &PersonalRecords, unit: Unit) -> Option<(String, DateTime<Utc>)> {
    [
        (&r.most_reps, Measure::Reps),
        (&r.longest_hold, Measure::Seconds),
        (&r.longest_distance, Measure::Metres),
    ]
    .into_iter()
    .find_map(|(record, measure)| {
        record.as_ref().map(|b| {
            (
                format!("{} ({})", measured(b.value, measure, unit), best_set(&b.set, unit)),
                b.date,
            )
        })
    })
}

fn pr_overview(history: &History, formula: Formula, unit: Unit, json_out: bool) -> Result<()> {
    let all = analytics::all_personal_records(&history.workouts, formula, history.lifter());
    if json_out {
        print_json(&serde_json::to_value(&all)?);
        return Ok(());
    }
    if all.is_empty() {
        eprintln!("No records yet: log some working sets.");
        return Ok(());
    }
    let mut t = table(&["Exercise", "Heaviest", "Best e1RM", "Other", "Date"]);
    for r in &all {
        let e1rm = r.best_e1rm.as_ref();
        let other = other_best(r, unit);
        let date = e1rm
            .map(|e| e.date)
            .or(r.heaviest.as_ref().map(|h| h.date))
            .or(other.as_ref().map(|o| o.1));
        t.add_row(vec![
            r.exercise.clone(),
            r.heaviest.as_ref().map(|h| record_set(h, unit)).unwrap_or_default(),
            e1rm.map(|e| weight(e.value_kg, unit)).unwrap_or_default(),
            other.map(|o| o.0).unwrap_or_default(),
            date.map(day).unwrap_or_default(),
        ]);
    }
    print_table(&t);
    println!("e1RM by {}", formula.describe());
    Ok(())
}
