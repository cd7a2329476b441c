//! `pump stats`: weekly totals per muscle group, and streaks.

use super::Context;
use super::render::{print_json, table, weight};
use crate::analytics;
use crate::app::History;
use crate::error::{Error, Result};
use chrono::Local;
use clap::Args;
use std::collections::BTreeMap;

/// `pump stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How many weeks back, this week included
    #[arg(long, default_value_t = 8)]
    weeks: u32,
    #[arg(long)]
    json: bool,
}

/// Prints the last weeks' totals, the muscle groups they trained and the streaks.
pub fn run(ctx: &Context, args: StatsArgs) -> Result<()> {
    if args.weeks == 0 || args.weeks > analytics::MAX_WEEKS {
        return Err(Error::usage(format!(
            "--weeks {}: use 1 to {}",
            args.weeks,
            analytics::MAX_WEEKS
        )));
    }
    let store = ctx.store()?;
    let history = History::load(&store)?;
    let report = analytics::weekly(&history.workouts, args.weeks, &Local::now(), &history.body_weight());
    if args.json {
        print_json(&serde_json::to_value(&report)?);
        return Ok(());
    }
    let unit = ctx.unit();
    let mut t = table(&["Week", "Sessions", "Sets", "Reps", "Volume"]);
    let mut muscles: BTreeMap<String, (u32, f64)> = BTreeMap::new();
    for w in &report.weeks {
        t.add_row(vec![
            w.week.clone(),
            w.totals.sessions.to_string(),
            w.totals.sets.to_string(),
            w.totals.reps.to_string(),
            weight(w.totals.volume_kg.round(), unit),
        ]);
        for (muscle, m) in &w.totals.muscles {
            let entry = muscles.entry(muscle.to_string()).or_default();
            entry.0 += m.sets;
            entry.1 += m.volume_kg;
        }
    }
    println!("{t}");
    if !muscles.is_empty() {
        let mut m = table(&["Muscle group", "Sets", "Volume"]);
        for (name, (sets, volume)) in &muscles {
            m.add_row(vec![name.clone(), sets.to_string(), weight(volume.round(), unit)]);
        }
        println!("{m}");
    }
    println!(
        "Weekly streak: {} current, {} longest",
        report.current_streak, report.longest_streak
    );
    Ok(())
}
