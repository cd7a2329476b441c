//! `pump log`: a finished workout in one command.

use super::render::announce_prs;
use super::{Context, exercise_name};
use crate::app::{PrWatch, exercise_names};
use crate::cli::SET_GRAMMAR;
use crate::cli::WHEN_HELP;
use crate::error::{Error, Result};
use crate::model::{Workout, parse_duration, validate_name};
use crate::store::Change;
use chrono::Duration;
use clap::Args;

const LOG_HELP: &str = "\
Examples:
  pump log \"Push day\" -e \"bench press: w5@60kg, 3x5@100kg\" -e \"dips: 3x10@bw\"
  pump log Legs --at \"yesterday 18:30\" --duration 75 -e \"squat: 5x5@140kg\"
  pump log Run --duration 25m -e \"run: 5km in 25min\"";

/// `pump log NAME -e "EXERCISE: SETS"…`.
#[derive(Debug, Args)]
#[command(after_long_help = format!("{LOG_HELP}\n\n{SET_GRAMMAR}"))]
pub struct LogArgs {
    /// Workout name, e.g. "Push day"
    name: String,
    /// When it started
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    at: String,
    /// When it ended
    #[arg(long, value_name = "WHEN", conflicts_with = "duration", long_help = WHEN_HELP)]
    end: Option<String>,
    /// How long it took: 1h10m, 45m, 1:10:00, or a bare number of minutes (90 is 1h30m)
    #[arg(long, value_name = "DURATION")]
    duration: Option<String>,
    /// Notes for the workout
    #[arg(long)]
    notes: Option<String>,
    /// An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS", add = crate::completions::exercise_specs())]
    exercises: Vec<String>,
}

/// Writes the workout, prints its id, and announces the records it beat.
pub fn run(ctx: &Context, args: LogArgs) -> Result<()> {
    let name = validate_name(&args.name).map_err(Error::usage)?;
    let started_at = ctx.when_done(&args.at)?;
    let mut workout = Workout::new(name, started_at);
    workout.completed_at = match (&args.end, &args.duration) {
        (Some(end), _) => Some(ctx.when_done(end)?),
        (None, Some(d)) => Some(started_at + Duration::seconds(i64::from(parse_duration(d).map_err(Error::usage)?))),
        (None, None) => None,
    };
    workout.notes = args.notes.unwrap_or_default();
    let specs = ctx.exercise_specs(&args.exercises)?;
    workout.validate().map_err(Error::usage)?;

    let mut store = ctx.store()?;
    let names = exercise_names::load(&store)?;
    for spec in specs {
        let exercise = exercise_name(&names, &spec.exercise);
        super::warn_implausible_loads(&names, &exercise, &spec.sets, ctx.unit());
        workout.add_sets(&exercise, spec.sets);
    }
    let watch = PrWatch::before(&store, &workout)?;
    let id = workout.id.clone();
    let summary = format!(
        "Logged {}: {}, {}",
        workout.name,
        crate::text::counted(workout.exercises.len() as u64, "exercise"),
        crate::text::counted(workout.set_count() as u64, "set")
    );
    let mut beaten = Vec::new();
    store.write_with_records(
        &id,
        |_| Ok(Some(Change::put(workout.clone()))),
        watch.noting_into(&mut beaten),
    )?;
    println!("{id}");
    eprintln!("{summary}");
    announce_prs(&beaten, ctx.unit());
    Ok(())
}
