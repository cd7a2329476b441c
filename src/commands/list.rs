//! `pump list`.

use super::Context;
use super::render::{
    JsonArray, body_weight_note, duration, json_element, local, print_table, table, volume, workout_json,
};
use crate::analytics;
use crate::app::{BodyLog, exercise_names};
use crate::cli::WHEN_HELP;
use crate::error::{Error, Result};
use crate::store::{Order, Store, WorkoutFilter, WorkoutRow};
use clap::Args;
use std::io::Write;
use std::ops::ControlFlow;

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
    let body = BodyLog::load(&store)?;
    let weigh = |at| body.at(at);
    let matches = |row: &WorkoutRow| {
        exercise
            .as_ref()
            .is_none_or(|exercise| row.value.exercises.iter().any(|e| names.key(&e.name) == *exercise))
    };
    if args.json {
        // Each workout's JSON is made on the threads that decode it.
        let element = |row: WorkoutRow| -> Result<Option<String>> {
            matches(&row)
                .then(|| json_element(&workout_json(&row, analytics::volume(&row.value, &weigh)), 0))
                .transpose()
        };
        let mut out = JsonArray::new(std::io::BufWriter::new(std::io::stdout().lock()), 0);
        each_listed(&store, &filter, args.limit, &element, &mut |text| {
            out.push_element(&text)
        })?;
        let mut out = out.finish()?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    let id_len = store.short_id_len(8)?;
    let open = super::session::open_workout(&store)?.map(|w| w.id);
    let unit = ctx.unit();
    let mut out = table(&["ID", "Date", "Name", "Time", "Sets", "Volume"]);
    let mut without_body_weight = 0;
    let with_volume = |row: WorkoutRow| {
        Ok(matches(&row).then(|| {
            let volume = analytics::volume(&row.value, &weigh);
            (row, volume)
        }))
    };
    each_listed(&store, &filter, args.limit, &with_volume, &mut |(row, v)| {
        let w = &row.value;
        let estimate = if v.sets_without_body_weight > 0 { "*" } else { "" };
        without_body_weight += v.sets_without_body_weight;
        out.add_row(vec![
            w.id.chars().take(id_len).collect(),
            local(w.started_at),
            w.name.clone(),
            duration(w, open.as_deref() == Some(w.id.as_str())),
            w.set_count().to_string(),
            format!("{}{estimate}", volume(v, unit)),
        ]);
        Ok(())
    })?;
    if out.row_count() == 0 {
        let filtered = filter.since.is_some() || filter.until.is_some() || exercise.is_some();
        match (args.deleted, filtered) {
            (true, true) => eprintln!("No deleted workouts match."),
            (true, false) => eprintln!("No deleted workouts: nothing to restore."),
            (false, true) => eprintln!("No workouts match. Log one with `pump log NAME -e \"squat: 3x5@100kg\"`."),
            (false, false) => eprintln!("No workouts yet. Log one with `pump log NAME -e \"squat: 3x5@100kg\"`."),
        }
        return Ok(());
    }
    print_table(&out);
    if let Some(note) = body_weight_note(without_body_weight) {
        println!("* {note}");
    }
    Ok(())
}

/// Streams the workouts `filter` selects through `map` (on the threads that
/// decode them; `None` leaves a workout out) to `show`, up to `limit`
/// shown: only what is listed is read, never the whole history at once.
fn each_listed<T: Send>(
    store: &Store,
    filter: &WorkoutFilter,
    limit: Option<usize>,
    map: &(dyn Fn(WorkoutRow) -> Result<Option<T>> + Sync),
    show: &mut dyn FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut shown = 0;
    store.each_workout_mapped(filter, Order::NewestFirst, map, &mut |item| {
        let Some(item) = item else {
            return Ok(ControlFlow::Continue(()));
        };
        show(item)?;
        shown += 1;
        Ok(if limit.is_some_and(|limit| shown >= limit) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })
}
