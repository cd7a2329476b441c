//! The live session on the gym floor: `pump start`, `pump add`, `pump finish`.
//! Which workout is open is this device's own business (a meta key), not
//! synced data: a phone and a laptop can each have one open.

use super::Context;
use crate::cli::{AddArgs, FinishArgs, StartArgs};
use crate::error::{Error, Result};
use crate::model::{Workout, parse_sets, render_sets, validate_exercise_name, validate_name};
use crate::store::{Change, Store};

const OPEN_KEY: &str = "open_workout";

fn no_open_workout() -> Error {
    Error::usage("no workout is open: start one with `pump start NAME` (or record a finished one with `pump log`)")
}

/// The open workout's id, if it still exists and is still open.
fn open_workout(store: &Store) -> Result<Option<Workout>> {
    let Some(id) = store.meta(OPEN_KEY)? else {
        return Ok(None);
    };
    Ok(store
        .get::<Workout>(&id)?
        .filter(|w| !w.deleted && w.value.completed_at.is_none())
        .map(|w| w.value))
}

pub fn start(ctx: &Context, args: StartArgs) -> Result<()> {
    let name = validate_name(args.name.as_deref().unwrap_or("Workout")).map_err(Error::usage)?;
    let started_at = ctx.when(&args.at)?;
    let mut store = ctx.store()?;
    if let Some(open) = open_workout(&store)? {
        return Err(Error::usage(format!(
            "'{}' is already open: `pump finish` it first (only one workout is open at a time)",
            open.name
        )));
    }
    let workout = Workout::new(name, started_at);
    let id = workout.id.clone();
    let name = workout.name.clone();
    store.write(&id, |_| Ok(Some(Change::put(workout))))?;
    store.set_meta(OPEN_KEY, Some(&id))?;
    println!("{id}");
    eprintln!("Started {name}. Add sets with `pump add EXERCISE 5@100kg`, close with `pump finish`.");
    Ok(())
}

pub fn add(ctx: &Context, args: AddArgs) -> Result<()> {
    let exercise = validate_exercise_name(&args.exercise).map_err(Error::usage)?;
    let sets = parse_sets(&args.sets.join(","), ctx.unit()).map_err(Error::usage)?;
    let added = render_sets(&sets, ctx.unit());
    let mut store = ctx.store()?;
    let id = open_workout(&store)?.ok_or_else(no_open_workout)?.id;
    store.write::<Workout>(&id, |current| {
        // A sync may have pulled a delete since `open_workout` looked: never
        // write over a tombstone (that would undo the delete everywhere).
        let mut workout = current.filter(|c| !c.deleted).ok_or_else(no_open_workout)?.value;
        workout.add_sets(&exercise, sets);
        workout.validate().map_err(Error::usage)?;
        Ok(Some(Change::put(workout)))
    })?;
    eprintln!("Added {exercise}: {added}");
    Ok(())
}

pub fn finish(ctx: &Context, args: FinishArgs) -> Result<()> {
    let end = ctx.when(&args.at)?;
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
            "Finished {}: {} exercises, {} sets, {}",
            workout.name,
            workout.exercises.len(),
            workout.set_count(),
            super::render::duration(&workout)
        );
        Ok(Some(Change::put(workout)))
    })?;
    store.set_meta(OPEN_KEY, None)?;
    println!("{id}");
    eprintln!("{summary}");
    Ok(())
}
