//! `pump history EXERCISE`: one exercise's past sessions with their sets.

use super::render::{body_weight_note, local, print_json, print_table, table, volume, weight};
use super::{Context, exercise_name};
use crate::analytics;
use crate::app::{History, exercise_names};
use crate::error::{Error, Result};
use crate::model::render_sets;
use crate::text::printable;
use clap::Args;

/// `pump history EXERCISE`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  pump history squat\n  pump history \"bench press\" --limit 5 --json")]
pub struct HistoryArgs {
    /// The exercise: a catalogue name, an alias or your own
    #[arg(add = crate::completions::exercises())]
    exercise: String,
    /// Show at most this many sessions, newest first
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Print machine-readable JSON (weights in kg)
    #[arg(long)]
    json: bool,
}

/// Prints the latest sessions of the exercise: when, which workout, the
/// sets (warm-ups included), the top set and the volume.
pub fn run(ctx: &Context, args: HistoryArgs) -> Result<()> {
    if args.limit == 0 {
        return Err(Error::usage("--limit 0 would list nothing: use a positive number"));
    }
    let store = ctx.store_to_read()?;
    let names = exercise_names::load(&store)?;
    let exercise = exercise_name(&names, &args.exercise);
    let history = History::load_exercises(&store, names, &[&exercise])?;
    let mut sessions = analytics::sessions(&history.workouts, &exercise, history.lifter(), Some(args.limit));
    for session in &mut sessions {
        session.workout = store.workout_name(&session.workout_id)?.unwrap_or_default();
    }
    if args.json {
        print_json(&serde_json::to_value(&sessions)?);
        return Ok(());
    }
    if sessions.is_empty() {
        return Err(Error::usage(format!(
            "no sessions of '{exercise}' yet: `pump exercises` lists what you did"
        )));
    }
    let unit = ctx.unit();
    println!(
        "{}: the last {}, newest first",
        printable(&exercise),
        crate::text::counted(sessions.len() as u64, "session")
    );
    let mut t = table(&["Date", "Workout", "Sets", "Top set", "Volume"]);
    let mut without_body_weight = 0;
    for s in &sessions {
        without_body_weight += s.volume.sets_without_body_weight;
        t.add_row(vec![
            local(s.date),
            s.workout.clone(),
            render_sets(&s.sets, unit),
            s.top_set_kg.map(|kg| weight(kg, unit)).unwrap_or_default(),
            volume(s.volume, unit),
        ]);
    }
    print_table(&t);
    if let Some(note) = body_weight_note(without_body_weight) {
        println!("Volume: {note}");
    }
    Ok(())
}
