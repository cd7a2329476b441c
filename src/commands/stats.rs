//! `pump stats`: weekly totals per muscle group, time trained, and streaks.

use super::Context;
use super::render::{body_weight_note, print_json, print_table, table, weight};
use crate::analytics::{self, WeekStats};
use crate::app::History;
use crate::error::{Error, Result};
use chrono::{Days, Local};
use clap::Args;

const STATS_HELP: &str = "\
Per ISO week (Monday to Sunday, local time): sessions (workouts with a working
set), working sets, reps, time trained (start to finish of each session) and
volume (reps × load; an @bw set's load is your body weight that day plus
anything added). Warm-ups never count. Three or more weeks in a row without a
session are folded into one line. The muscle-group table covers the weeks
shown.

Examples:
  pump stats
  pump stats --weeks 52
  pump stats --weeks 12 --json";

/// Runs of at least this many empty weeks are folded into one line.
const FOLD_EMPTY_WEEKS: usize = 3;

/// `pump stats`.
#[derive(Debug, Args)]
#[command(after_long_help = STATS_HELP)]
pub struct StatsArgs {
    /// How many weeks back, this week included
    #[arg(long, default_value_t = 8)]
    weeks: u32,
    /// Print machine-readable JSON (volumes in kg, times in seconds)
    #[arg(long)]
    json: bool,
}

/// Time trained: `5:30`, `0:45`, `-` for none.
fn hours(secs: u64) -> String {
    match secs / 60 {
        0 => "-".into(),
        minutes => super::render::hours_minutes(minutes as i64),
    }
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
    let store = ctx.store_to_read()?;
    let now = Local::now();
    // Only the weeks shown are read set by set; the streaks need only
    // when each session started.
    let first_monday = analytics::monday(now.date_naive())
        .checked_sub_days(Days::new(7 * u64::from(args.weeks.saturating_sub(1))))
        .unwrap_or(chrono::NaiveDate::MIN);
    let history = History::load_from_day(&store, first_monday)?;
    let sessions = store.session_starts()?;
    let report = analytics::weekly_with_sessions(&history.workouts, &sessions, args.weeks, &now, history.lifter());
    if args.json {
        print_json(&serde_json::to_value(&report)?);
        return Ok(());
    }
    let unit = ctx.unit();
    let mut t = table(&["Week", "Sessions", "Sets", "Reps", "Time", "Volume"]);
    let mut weeks = report.weeks.iter().peekable();
    while let Some(week) = weeks.next() {
        let mut empty: Vec<&WeekStats> = vec![week];
        while week.totals.sessions == 0
            && let Some(next) = weeks.next_if(|w| w.totals.sessions == 0)
        {
            empty.push(next);
        }
        if week.totals.sessions == 0 && empty.len() >= FOLD_EMPTY_WEEKS {
            let last = empty[empty.len() - 1];
            t.add_row(vec![
                format!("{} to {}", week.week, last.week),
                format!("none in {} weeks", empty.len()),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            continue;
        }
        for w in empty {
            t.add_row(vec![
                w.week.clone(),
                w.totals.sessions.to_string(),
                w.totals.sets.to_string(),
                w.totals.reps.to_string(),
                hours(w.totals.duration_s),
                weight(w.totals.volume_kg.round(), unit),
            ]);
        }
    }
    let total = &report.total;
    t.add_row(vec![
        format!("Total ({} weeks)", report.weeks.len()),
        total.sessions.to_string(),
        total.sets.to_string(),
        total.reps.to_string(),
        hours(total.duration_s),
        weight(total.volume_kg.round(), unit),
    ]);
    print_table(&t);
    if let Some(note) = body_weight_note(total.sets_without_body_weight) {
        println!("Volume: {note}");
    }
    if !total.muscles.is_empty() {
        let period = match (report.from, report.to) {
            (Some(from), Some(to)) => format!("{from} to {to}, {} weeks", report.weeks.len()),
            _ => format!("{} weeks", report.weeks.len()),
        };
        println!("Muscle groups ({period}):");
        let mut m = table(&["Muscle group", "Sets", "Volume"]);
        for (muscle, totals) in &total.muscles {
            m.add_row(vec![
                muscle.to_string(),
                totals.sets.to_string(),
                weight(totals.volume_kg.round(), unit),
            ]);
        }
        print_table(&m);
    }
    println!(
        "Weekly streak: {} current, {} longest",
        report.current_streak, report.longest_streak
    );
    Ok(())
}
