//! `pump calendar`: a heatmap of training days over a year.

use super::Context;
use super::render::print_json;
use crate::analytics;
use crate::app::History;
use crate::chart;
use crate::error::{Error, Result};
use chrono::{Datelike, Local, NaiveDate};
use clap::Args;

/// `pump calendar`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  pump calendar\n  pump calendar --year 2025\n  pump calendar --json")]
pub struct CalendarArgs {
    /// A past year (default: the last 12 months)
    #[arg(long)]
    year: Option<i32>,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Prints the heatmap of the 53 weeks up to the end of the year asked for (or today).
pub fn run(ctx: &Context, args: CalendarArgs) -> Result<()> {
    let today = Local::now().date_naive();
    let end = match args.year {
        None => today,
        Some(year) if year > today.year() => {
            return Err(Error::usage(format!(
                "--year {year} has not happened yet: give {} or an earlier year",
                today.year()
            )));
        }
        Some(year) => NaiveDate::from_ymd_opt(year, 12, 31)
            .filter(|_| (1970..=9999).contains(&year))
            .ok_or_else(|| Error::usage(format!("--year {year} is not a year pump can show: use e.g. 2026")))?
            .min(today),
    };
    let store = ctx.store_to_read()?;
    let first = end - chrono::Duration::days(7 * 53);
    let history = History::load_from_day(&store, first)?;
    let days = analytics::daily(&history.workouts, &Local, history.lifter());
    let in_range: Vec<_> = days.iter().filter(|d| d.date > first && d.date <= end).collect();
    if args.json {
        print_json(&serde_json::to_value(&in_range)?);
        return Ok(());
    }
    let series: Vec<(NaiveDate, f64)> = in_range.iter().map(|d| (d.date, f64::from(d.totals.sets))).collect();
    println!(
        "Training days up to {} ({} days trained)",
        end,
        in_range.iter().filter(|d| d.totals.sets > 0).count()
    );
    println!("{}", chart::heatmap(&series, end).trim_end());
    Ok(())
}
