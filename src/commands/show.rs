//! `pump show`.

use super::Context;
use super::render::{print_json, workout_detail, workout_json};
use crate::analytics;
use crate::app::BodyLog;
use crate::error::{Error, Result};
use crate::model::Workout;
use clap::Args;

/// `pump show [ID]`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump show                 # the open workout, else the last one\n  \
                             pump show last --json\n  pump show 01a22a48-3991     # or 01a22a483991: dashes are optional"
)]
pub struct ShowArgs {
    /// A workout id, a unique prefix of one (with or without its dashes), or `last`; without one, the open
    /// workout, else the last
    #[arg(add = crate::completions::workout_ids())]
    id: Option<String>,
    /// Print machine-readable JSON (weights in kg)
    #[arg(long)]
    json: bool,
}

/// Prints one workout.
pub fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let store = ctx.store_to_read()?;
    let open = super::session::open_workout(&store)?.map(|w| w.id);
    let id = match (&args.id, &open) {
        (Some(typed), _) => store.resolve_workout_id(typed)?,
        (None, Some(open)) => open.clone(),
        (None, None) => store.resolve_workout_id("last")?,
    };
    let row = store
        .get::<Workout>(&id)?
        .ok_or_else(|| Error::usage(format!("no workout has the id '{id}'")))?;
    let body = BodyLog::load(&store)?;
    let volume = analytics::volume(&row.value, &|at| body.at(at));
    if args.json {
        print_json(&workout_json(&row, volume));
    } else {
        print!(
            "{}",
            workout_detail(&row, volume, ctx.unit(), open.as_deref() == Some(id.as_str()))
        );
        println!();
    }
    Ok(())
}
