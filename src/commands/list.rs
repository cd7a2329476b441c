//! `pump list`.

use super::Context;
use super::render::{body_weight_note, duration, local, print_json, print_table, table, volume, workout_json};
use crate::analytics;
use crate::app::{BodyLog, exercise_names};
use crate::cli::WHEN_HELP;
use crate::error::{Error, Result};
use crate::store::WorkoutFilter;
use clap::Args;

const LIST_HELP: &str = "\
Examples:
  pump list --since 2026-01-01 --exercise squat
  pump list --limit 5 --json
  pump list --deleted             # deleted workouts, to bring back with `pump restore ID`";

/// `pump list`.
#[derive(Debug, Args)]
#[command(after_long_help = LIST_HELP)]
pub struct ListArgs {
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    since: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    until: Option<String>,
    /// Only workouts with this exercise
    #[arg(long, value_name = "NAME", add = crate::completions::exercises())]
    exercise: Option<String>,
    /// Show at most this many, newest first
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Deleted workouts instead: what `pump restore ID` can bring back
    #[arg(long)]
    deleted: bool,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Prints the workouts that match, newest first.
pub fn run(ctx: &Context, args: ListArgs) -> Result<()> {
    let since = args.since.as_deref().map(|s| ctx.when(s)).transpose()?;
    let until = args.until.as_deref().map(|s| ctx.when(s)).transpose()?;
    if let (Some(s), Some(u)) = (since, until)
        && u <= s
    {
        return Err(Error::usage(
            "--until is not after --since: swap them or widen the range",
        ));
    }
    if args.limit == Some(0) {
        return Err(Error::usage("--limit 0 would list nothing: use a positive number"));
    }
    let store = ctx.store_to_read()?;
    let names = exercise_names::load(&store)?;
    let exercise = args
        .exercise
        .as_deref()
        .map(|typed| names.key(&super::exercise_name(&names, typed.trim())));
    // The exercise filter looks inside each workout, so the limit is applied
    // after it rather than in SQL.
    let filter = WorkoutFilter {
        since,
        until,
        limit: if exercise.is_some() { None } else { args.limit },
        deleted: args.deleted,
    };
    let mut rows = store.workouts(&filter)?;
    if let Some(exercise) = &exercise {
        rows.retain(|r| r.value.exercises.iter().any(|e| names.key(&e.name) == *exercise));
        rows.truncate(args.limit.unwrap_or(usize::MAX));
    }

    let body = BodyLog::load(&store)?;
    let weigh = |at| body.at(at);
    let volumes: Vec<analytics::Volume> = rows.iter().map(|r| analytics::volume(&r.value, &weigh)).collect();
    if args.json {
        print_json(&rows.iter().zip(&volumes).map(|(r, v)| workout_json(r, *v)).collect());
        return Ok(());
    }
    if rows.is_empty() {
        let filtered = filter.since.is_some() || filter.until.is_some() || exercise.is_some();
        match (args.deleted, filtered) {
            (true, true) => eprintln!("No deleted workouts match."),
            (true, false) => eprintln!("No deleted workouts: nothing to restore."),
            (false, true) => eprintln!("No workouts match. Log one with `pump log NAME -e \"squat: 3x5@100kg\"`."),
            (false, false) => eprintln!("No workouts yet. Log one with `pump log NAME -e \"squat: 3x5@100kg\"`."),
        }
        return Ok(());
    }
    let id_len = store.short_id_len(8)?;
    let open = super::session::open_workout(&store)?.map(|w| w.id);
    let unit = ctx.unit();
    let mut out = table(&["ID", "Date", "Name", "Time", "Sets", "Volume"]);
    for (row, v) in rows.iter().zip(&volumes) {
        let w = &row.value;
        let estimate = if v.sets_without_body_weight > 0 { "*" } else { "" };
        out.add_row(vec![
            w.id.chars().take(id_len).collect(),
            local(w.started_at),
            w.name.clone(),
            duration(w, open.as_deref() == Some(w.id.as_str())),
            w.set_count().to_string(),
            format!("{}{estimate}", volume(*v, unit)),
        ]);
    }
    print_table(&out);
    if let Some(note) = body_weight_note(volumes.iter().map(|v| v.sets_without_body_weight).sum()) {
        println!("* {note}");
    }
    Ok(())
}
