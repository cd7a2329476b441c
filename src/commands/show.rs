//! `pump show`.

use super::Context;
use super::render::{print_json, workout_detail, workout_json};
use crate::analytics;
use crate::app::BodyLog;
use crate::error::{Error, Result};
use crate::model::Workout;
use clap::Args;

/// `pump show ID`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A workout id, a unique prefix of one, or `last`
    id: String,
    #[arg(long)]
    json: bool,
}

/// Prints one workout.
pub fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let store = ctx.store_to_read()?;
    let id = store.resolve_workout_id(&args.id)?;
    let row = store
        .get::<Workout>(&id)?
        .ok_or_else(|| Error::usage(format!("no workout has the id '{}'", args.id)))?;
    let body = BodyLog::load(&store)?;
    let volume = analytics::volume(&row.value, &|at| body.at(at));
    if args.json {
        print_json(&workout_json(&row, volume));
    } else {
        print!("{}", workout_detail(&row, volume, ctx.unit()));
        println!();
    }
    Ok(())
}
