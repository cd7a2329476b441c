//! `pump rm`: a tombstone, so the deletion syncs and the workout cannot come
//! back from a device that has not heard of it yet.

use super::Context;
use crate::error::{Error, Result};
use crate::model::Workout;
use crate::store::Change;
use crate::text::printable;
use clap::Args;

/// `pump rm ID`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// A workout id, a unique prefix of one, or `last`
    id: String,
}

/// Deletes a workout (a tombstone that syncs).
pub fn run(ctx: &Context, args: RmArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let id = store.resolve_workout_id(&args.id)?;
    let mut name = String::new();
    store.write::<Workout>(&id, |current| {
        let current = current
            .filter(|c| !c.deleted)
            .ok_or_else(|| Error::usage(format!("no workout has the id '{}'", args.id)))?;
        name = current.value.name.clone();
        Ok(Some(Change::delete(current.value)))
    })?;
    eprintln!("Deleted {} ({id})", printable(&name));
    Ok(())
}
