//! The live session on the gym floor: `pump start`, `pump add`, `pump finish`.
//! Which workout is open is this device's own business (a meta key), not
//! synced data: a phone and a laptop can each have one open.

use super::render::announce_prs;
use super::{Context, exercise_name};
use crate::analytics::Session;
use crate::app::history::last_sessions;
use crate::app::{PrWatch, exercise_names};
use crate::cli::{ADD_SET_GRAMMAR, WHEN_HELP};
use crate::error::{Error, Result};
use crate::model::{Unit, Workout, parse_sets, render_sets, validate_exercise_name, validate_name};
use crate::store::{Change, Store};
use crate::text::{printable, printable_lines};
use chrono::Local;
use clap::Args;

fn no_open_workout() -> Error {
    Error::usage("no workout is open: start one with `pump start NAME` (or record a finished one with `pump log`)")
}

/// The open workout, if it still exists and is still open.
pub(super) fn open_workout(store: &Store) -> Result<Option<Workout>> {
    let Some(id) = store.open_workout()? else {
        return Ok(None);
    };
    Ok(store
        .get::<Workout>(&id)?
        .filter(|w| !w.deleted && w.value.completed_at.is_none())
        .map(|w| w.value))
}

/// "last: 3x5@100kg on 2026-11-20": what the lifter did the previous time.
fn last_time(session: &Session, unit: Unit) -> String {
    format!(
        "last: {} on {}",
        render_sets(&session.sets, unit),
        session.date.with_timezone(&Local).format("%Y-%m-%d")
    )
}

/// `pump start [NAME]`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "With --template, the plan is shown with what you did last time for each \
                             exercise (\"last: 3x5@100kg on 2026-11-20\").\n\nExamples:\n  pump start \"Legs\"\n  \
                             pump start --template \"Push A\""
)]
pub struct StartArgs {
    /// Workout name (default: the template's name, or "Workout")
    name: Option<String>,
    /// Pre-fill the plan from a template (`pump template list`)
    #[arg(long, value_name = "NAME", add = crate::completions::templates())]
    template: Option<String>,
    /// When it started
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    at: String,
}

/// Opens a workout on this device, prefilled from a template when asked.
pub fn start(ctx: &Context, args: StartArgs) -> Result<()> {
    let started_at = ctx.when_done(&args.at)?;
    let mut store = ctx.store()?;
    let (template_name, plan) = match args.template.as_deref() {
        Some(t) => super::template::plan_from(&store, t)?,
        None => ("Workout".to_string(), Vec::new()),
    };
    let name = validate_name(args.name.as_deref().unwrap_or(&template_name)).map_err(Error::usage)?;
    if let Some(open) = open_workout(&store)? {
        return Err(Error::usage(format!(
            "'{}' is already open: `pump finish` it first (only one workout is open at a time)",
            open.name
        )));
    }
    let mut workout = Workout::new(name, started_at);
    workout.plan = plan;
    let id = workout.id.clone();
    let name = workout.name.clone();
    let planned = plan_text(&store, &workout, ctx.unit())?;
    store.write(&id, |_| Ok(Some(Change::put(workout))))?;
    store.set_open_workout(Some(&id))?;
    println!("{id}");
    eprintln!("Started {name}. Add sets with `pump add EXERCISE 5@100kg`, close with `pump finish`.");
    if !planned.is_empty() {
        eprintln!("Plan:\n{}", printable_lines(&planned));
    }
    Ok(())
}

const ADD_HELP: &str = "\
After adding, pump shows what you did for the exercise last time (\"last:
3x5@100kg on 2026-11-20\") and any record the sets beat.

Examples:
  pump add \"bench press\" 5@100kg
  pump add squat w5@60kg 3x5@140kg
  pump add \"pull up\" 3x8@bw+10kg";

/// `pump add EXERCISE SET…`.
#[derive(Debug, Args)]
#[command(after_long_help = format!("{ADD_HELP}\n\n{ADD_SET_GRAMMAR}"))]
pub struct AddArgs {
    /// The exercise, e.g. "bench press"
    #[arg(add = crate::completions::exercises())]
    exercise: String,
    /// One or more sets: 5@100kg 3x5@100kg 8@bw/8
    #[arg(required = true, value_name = "SET")]
    sets: Vec<String>,
}

/// Adds sets to the open workout and announces the records they beat.
pub fn add(ctx: &Context, args: AddArgs) -> Result<()> {
    let typed = validate_exercise_name(&args.exercise).map_err(|e| Error::usage(e.to_string()))?;
    let sets = parse_sets(&args.sets.join(","), ctx.unit()).map_err(|e| Error::usage(e.to_string()))?;
    let added = render_sets(&sets, ctx.unit());
    let mut store = ctx.store()?;
    let names = exercise_names::load(&store)?;
    let exercise = exercise_name(&names, &typed);
    super::warn_implausible_loads(&names, &exercise, &sets, ctx.unit());
    let open = open_workout(&store)?.ok_or_else(no_open_workout)?;
    let mut preview = open.clone();
    preview.add_sets(&exercise, sets.clone());
    let watch = PrWatch::before(&store, &preview)?;
    let mut updated = None;
    let mut beaten = Vec::new();
    store.write_with_records::<Workout>(
        &open.id,
        |current| {
            // A sync may have pulled a delete since `open_workout` looked: never
            // write over a tombstone (that would undo the delete everywhere).
            let mut workout = current.filter(|c| !c.deleted).ok_or_else(no_open_workout)?.value;
            workout.add_sets(&exercise, sets);
            workout.validate().map_err(Error::usage)?;
            updated = Some(workout.clone());
            Ok(Some(Change::put(workout)))
        },
        watch.noting_into(&mut beaten),
    )?;
    eprintln!("Added {}: {added}", printable(&exercise));
    if let Some(last) = last_sessions(&store, &[exercise.as_str()], &open)?.pop().flatten() {
        eprintln!("  {}", last_time(&last, ctx.unit()));
    }
    if let Some(workout) = updated {
        if let Some(planned) = workout.plan.iter().find(|p| p.name.eq_ignore_ascii_case(&exercise)) {
            let done = workout
                .exercises
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(&exercise))
                .map_or(0, |e| e.sets.len());
            eprintln!(
                "Plan for {}: {} (done {done} of {})",
                printable(&exercise),
                render_sets(&planned.sets, ctx.unit()),
                planned.sets.len()
            );
        }
        announce_prs(&beaten, ctx.unit());
    }
    Ok(())
}

/// `pump finish`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump finish\n  pump finish --notes \"felt strong\"\n  pump finish --at 19:45"
)]
pub struct FinishArgs {
    /// When it ended
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    at: String,
    /// Notes for the workout (they replace any it has)
    #[arg(long)]
    notes: Option<String>,
}

/// Closes the open workout.
pub fn finish(ctx: &Context, args: FinishArgs) -> Result<()> {
    let end = ctx.when_done(&args.at)?;
    let mut store = ctx.store()?;
    let id = open_workout(&store)?.ok_or_else(no_open_workout)?.id;
    let mut summary = String::new();
    store.write::<Workout>(&id, |current| {
        // A sync may have pulled a delete since `open_workout` looked: never
        // write over a tombstone (that would undo the delete everywhere).
        let mut workout = current.filter(|c| !c.deleted).ok_or_else(no_open_workout)?.value;
        workout.completed_at = Some(end);
        if let Some(notes) = args.notes {
            workout.notes = notes;
        }
        workout.validate().map_err(Error::usage)?;
        summary = format!(
            "Finished {}: {}, {}, {}",
            printable(&workout.name),
            crate::text::counted(workout.exercises.len() as u64, "exercise"),
            crate::text::counted(workout.set_count() as u64, "set"),
            super::render::duration(&workout, false)
        );
        Ok(Some(Change::put(workout)))
    })?;
    store.set_open_workout(None)?;
    println!("{id}");
    eprintln!("{summary}");
    Ok(())
}

/// The plan, one exercise a line, each with what was done last time.
fn plan_text(store: &Store, workout: &Workout, unit: Unit) -> Result<String> {
    let exercises: Vec<&str> = workout.plan.iter().map(|e| e.name.as_str()).collect();
    let last = last_sessions(store, &exercises, workout)?;
    Ok(workout
        .plan
        .iter()
        .zip(last)
        .map(|(e, last)| {
            let last = last.map(|s| format!("  ({})", last_time(&s, unit))).unwrap_or_default();
            format!("  {}: {}{last}", e.name, render_sets(&e.sets, unit))
        })
        .collect::<Vec<_>>()
        .join("\n"))
}
