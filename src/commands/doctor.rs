//! `pump doctor`: checks what pump derives from the workouts (the set table
//! the analytics read) against the workouts themselves, and rebuilds it.

use super::Context;
use crate::error::{Error, Result};
use clap::Args;

const DOCTOR_HELP: &str = "\
`pump pr`, `stats`, `progress`, `history`, `calendar`, `report`, the PR lines of
`pump log` and TAB completion read a table of every set that pump keeps beside
the workouts and updates with every change. `pump doctor` checks that table
against the workouts (nothing is changed); `--rebuild` makes it again from them,
in one step that either completes or changes nothing.

Exit status: 0 when the table agrees (or was rebuilt), 1 when it does not.

Examples:
  pump doctor
  pump doctor --rebuild";

/// `pump doctor`.
#[derive(Debug, Args)]
#[command(after_long_help = DOCTOR_HELP)]
pub struct DoctorArgs {
    /// Make the set table again from the workouts
    #[arg(long)]
    rebuild: bool,
}

/// Checks the set table, or rebuilds it.
pub fn run(ctx: &Context, args: DoctorArgs) -> Result<()> {
    let mut store = ctx.store_to_read()?;
    if args.rebuild {
        let sets = store.rebuild_set_table()?;
        println!(
            "Rebuilt the set table from your workouts: {}.",
            crate::text::counted(sets, "set")
        );
        return Ok(());
    }
    let differences = store.set_table_differences()?;
    if differences.is_empty() {
        println!("The set table agrees with your workouts.");
        return Ok(());
    }
    for line in differences.iter().take(10) {
        eprintln!("  {line}");
    }
    Err(Error::other(format!(
        "the set table disagrees with your workouts in {}: run `pump doctor --rebuild` to make it again",
        crate::text::counted(differences.len() as u64, "row")
    )))
}
