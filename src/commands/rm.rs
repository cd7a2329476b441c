//! `pump rm` and `pump restore`: a delete is a tombstone, so it syncs and the
//! workout cannot come back from a device that has not heard of it yet; a
//! restore is an ordinary write over the tombstone, so it wins over the
//! delete everywhere.

use super::Context;
use super::render::local;
use crate::error::{Error, Result};
use crate::model::Workout;
use crate::store::{Change, Store, Stored};
use crate::text::printable;
use clap::Args;

const RM_HELP: &str = "\
Deleted workouts sync as deletions. `pump list --deleted` shows them and
`pump restore ID` brings one back.

Examples:
  pump rm last
  pump rm 01a2f3c4 01a2f3d9 --dry-run
  pump rm 01a2f3c4 01a2f3d9";

const RESTORE_HELP: &str = "\
Brings back a deleted workout as it was when deleted. The restore syncs
like an edit, so it wins over the delete on every device.

Examples:
  pump list --deleted
  pump restore 01a2f3c4
  pump restore last";

/// `pump rm ID…`.
#[derive(Debug, Args)]
#[command(after_long_help = RM_HELP)]
pub struct RmArgs {
    /// Workout ids, unique prefixes of them, or `last`
    #[arg(required = true, value_name = "ID", add = crate::completions::workout_ids())]
    ids: Vec<String>,
    /// Show what would be deleted and change nothing
    #[arg(long)]
    dry_run: bool,
}

/// `pump restore ID…`.
#[derive(Debug, Args)]
#[command(after_long_help = RESTORE_HELP)]
pub struct RestoreArgs {
    /// Ids of deleted workouts (see `pump list --deleted`), unique prefixes of them, or `last` (the latest deleted)
    #[arg(required = true, value_name = "ID", add = crate::completions::deleted_workout_ids())]
    ids: Vec<String>,
}

/// Deletes workouts (tombstones that sync), all or none.
pub fn run(ctx: &Context, args: RmArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let ids = resolve_all(&args.ids, |typed| store.resolve_workout_id(typed))?;
    if args.dry_run {
        for id in &ids {
            if let Some(row) = store.get::<Workout>(id)? {
                eprintln!("Would delete {}", describe(&row.value));
            }
        }
        eprintln!("Nothing changed (--dry-run).");
        return Ok(());
    }
    let names = write_all(&mut store, &ids, |current| {
        (!current.deleted).then(|| Change::delete(current.value))
    })?;
    for name in names {
        eprintln!("Deleted {name}");
    }
    eprintln!("`pump restore ID` brings a deleted workout back.");
    Ok(())
}

/// Brings deleted workouts back, all or none.
pub fn restore(ctx: &Context, args: RestoreArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let ids = resolve_all(&args.ids, |typed| store.resolve_deleted_workout_id(typed))?;
    let names = write_all(&mut store, &ids, |current| {
        current.deleted.then(|| Change::put(current.value))
    })?;
    for name in names {
        eprintln!("Restored {name}");
    }
    Ok(())
}

/// Every typed id resolved before anything is written, so one typo changes
/// nothing; each workout once.
fn resolve_all(typed: &[String], resolve: impl Fn(&str) -> Result<String>) -> Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for typed in typed {
        let id = resolve(typed)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Writes `change` of each workout in one transaction through the one write
/// path; returns each changed workout described.
fn write_all(
    store: &mut Store,
    ids: &[String],
    change: impl Fn(Stored<Workout>) -> Option<Change<Workout>>,
) -> Result<Vec<String>> {
    let mut names = Vec::new();
    store.write_each::<Workout>(ids, |current| {
        let change = change(current);
        names.extend(change.as_ref().map(|c| describe(&c.value)));
        Ok(change)
    })?;
    if names.is_empty() {
        return Err(Error::usage(
            "nothing to change: see `pump list` and `pump list --deleted`",
        ));
    }
    Ok(names)
}

/// `Push (2026-04-08 16:50, 0196…)`.
fn describe(workout: &Workout) -> String {
    format!(
        "{} ({}, {})",
        printable(&workout.name),
        local(workout.started_at),
        workout.id
    )
}
