//! `pump report`: the lifter's progress as one self-contained HTML page,
//! from the same analytics as `pump pr`, `pump stats`, `pump progress` and
//! `pump calendar`.

mod charts;
mod page;

use super::Context;
use super::pr::{RecordRow, record_rows};
use crate::analytics::{
    self, DayStats, Formula, LiftSessions, Lifter, Metric, Point, Span, Tally, WeeklyReport, is_session,
};
use crate::app::{BodyLog, exercise_names, history};
use crate::cli::{FormulaArg, WHEN_HELP};
use crate::error::{Error, Result};
use crate::files;
use crate::model::{BodyWeight, Unit, Workout};
use crate::store::{Order, Store, WorkoutFilter};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::Args;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

const REPORT_HELP: &str = "\
Writes one HTML file that opens in any browser, also offline and on a phone
(copy the file over): no server, no login, nothing fetched from the network.
It follows the system's light or dark theme and prints cleanly.

What it shows, for the period (default: from your first workout to today):
  - estimated 1RM per session of your main lifts (the four with most sessions),
    PR sessions marked; hover or tap a point for its date and set
  - volume and working sets per week by muscle group, and time trained per week
  - the training calendar
  - body weight with its trend (the mean of the last 14 days), when logged
  - every personal record of every exercise, and a summary: sessions, sets,
    volume, time trained, streaks
Every number is the one `pump pr`, `pump stats` and `pump progress` show.
Weights are in your unit (`pump config set unit lb`), dates in local time.

Examples:
  pump report
  pump report -o ~/Documents/training-2025.html --since 2025-01-01 --until 2025-12-31
  pump report --since 2025-06-01 --open";

/// How many lifts get an e1RM chart.
const MAIN_LIFTS: usize = 4;

/// `pump report`.
#[derive(Debug, Args)]
#[command(after_long_help = REPORT_HELP)]
pub struct ReportArgs {
    /// The file to write (readable by you only; replaced if it exists)
    #[arg(short, long, value_name = "FILE", default_value = "pump-report.html")]
    output: PathBuf,
    /// The first day to show (default: the day of your first workout)
    #[arg(long, value_name = "WHEN", long_help = format!("The first day to show (default: the day of your first workout). {WHEN_HELP}"))]
    since: Option<String>,
    /// The last day to show, included (default: today)
    #[arg(long, value_name = "WHEN", long_help = format!("The last day to show, included (default: today). {WHEN_HELP}"))]
    until: Option<String>,
    /// Open the report in your browser once written ($BROWSER, else xdg-open, or open on macOS)
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    formula: FormulaArg,
}

/// One lift's chart: its sessions in the period.
struct Lift {
    name: String,
    points: Vec<Point>,
}

/// The body-weight log of the period, by local day, in kg.
struct Body {
    weigh_ins: Vec<(NaiveDate, f64)>,
    trend: Vec<(NaiveDate, f64)>,
}

/// Everything the page shows, computed by the analytics.
struct Report {
    unit: Unit,
    formula: Formula,
    /// The first and last local day shown.
    period: (NaiveDate, NaiveDate),
    lifts: Vec<Lift>,
    /// The weeks covering the period with the totals of its workouts, and
    /// the streaks as at its end.
    weeks: WeeklyReport,
    /// The days trained in the period.
    days: Vec<DayStats>,
    body: Option<Body>,
    /// Each exercise's records standing at the end of the period.
    records: Vec<(String, Vec<RecordRow>)>,
}

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

/// Writes the report, and opens it when asked.
pub fn run(ctx: &Context, args: ReportArgs) -> Result<()> {
    let formula = args.formula.parse()?;
    let since = args.since.as_deref().map(|s| ctx.when(s)).transpose()?.map(local_day);
    let until = args.until.as_deref().map(|s| ctx.when(s)).transpose()?.map(local_day);
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        return Err(Error::usage(format!(
            "--since {since} is after --until {until}: the first day comes first, swap them"
        )));
    }
    if args.output.is_dir() {
        return Err(Error::usage(format!(
            "{} is a folder: name a file, e.g. -o {}",
            args.output.display(),
            args.output.join("pump-report.html").display()
        )));
    }
    let store = ctx.store()?;
    let weigh_ins = store.all::<BodyWeight>()?;
    let report = gather(&store, &weigh_ins, (since, until), formula, ctx.unit())?;
    let html = page::render(&report).map_err(|e| Error::other(format!("could not draw the report's charts: {e}")))?;
    files::write_private(&args.output, html.as_bytes()).map_err(|e| {
        Error::usage(format!(
            "cannot write {}: {e}: choose a file in a folder you can write to with -o",
            args.output.display()
        ))
    })?;
    eprintln!(
        "Report of {} to {} written to {} ({} KB): open it in any browser",
        report.period.0,
        report.period.1,
        args.output.display(),
        html.len().div_ceil(1024)
    );
    if args.open {
        open(&args.output)?;
    }
    Ok(())
}

/// Computes what the page shows for the period `since`..=`until` (local
/// days), reading the history one workout at a time, newest first: what is
/// kept of it are per-week and per-day totals, the start of each session
/// (for the streaks) and each exercise's count of sessions.
fn gather(
    store: &Store,
    weigh_ins: &[BodyWeight],
    (since, until): (Option<NaiveDate>, Option<NaiveDate>),
    formula: Formula,
    unit: Unit,
) -> Result<Report> {
    let today = Local::now().date_naive();
    let to = until.unwrap_or(today);
    let names = exercise_names::load(store)?;
    let body_log = BodyLog::load(store)?;
    let weigh = |at| body_log.at(at);
    let lifter = Lifter {
        body_weight: &weigh,
        names: &names,
    };
    // The weeks' totals count the period's workouts only (its first and last
    // weeks may be partial); the streaks count every week up to its end.
    // Without --since the period starts with the first workout: every
    // workout up to its end is in it.
    let in_period = |day: NaiveDate| since.is_none_or(|since| day >= since) && day <= to;
    let (mut weeks, mut days) = (Tally::new(Span::Week), Tally::new(Span::Day));
    let mut lift_sessions = LiftSessions::default();
    let mut sessions = Vec::new();
    let mut first_workout = None;
    // Records stand as at the end of the period. When later workouts exist,
    // the record candidates (the best sets of the whole history) may be
    // later than it: the workouts up to its end are kept to compute them.
    let mut until_end: Option<Vec<Workout>> = None;
    let mut newest = true;
    store.each_workout(&WorkoutFilter::default(), Order::NewestFirst, &mut |row| {
        let workout = row.value;
        let day = local_day(workout.started_at);
        if std::mem::take(&mut newest) && day > to {
            until_end = Some(Vec::new());
        }
        if day > to {
            return Ok(ControlFlow::Continue(()));
        }
        first_workout = Some(day);
        if is_session(&workout) {
            sessions.push(workout.started_at);
        }
        if in_period(day) {
            weeks.add(&workout, &Local, lifter);
            days.add(&workout, &Local, lifter);
            lift_sessions.add(&workout, formula, lifter);
        }
        if let Some(kept) = &mut until_end {
            kept.push(workout);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let from = since.or(first_workout).unwrap_or(to);
    if from > to {
        return Err(Error::usage(format!(
            "--since {from} is after the report's last day {to}: pick an earlier --since (or a later --until)"
        )));
    }
    let in_period = |day: NaiveDate| (from..=to).contains(&day);
    let lifts = lift_sessions
        .main_lifts(MAIN_LIFTS)
        .into_iter()
        .map(|name| {
            let points = history::progress(store, &names, &name, (Metric::E1rm, formula), None, true)?
                .into_iter()
                .filter(|p| in_period(local_day(p.date)))
                .collect();
            Ok(Lift { name, points })
        })
        .collect::<Result<_>>()?;
    let week_count = analytics::monday(to)
        .signed_duration_since(analytics::monday(from))
        .num_weeks()
        + 1;
    let end_of_period = Local
        .from_local_datetime(&to.and_hms_opt(12, 0, 0).unwrap_or_default())
        .earliest()
        .unwrap_or_else(Local::now);
    let weeks = weeks.weekly(&sessions, u32::try_from(week_count).unwrap_or(u32::MAX), &end_of_period);
    let candidates = match until_end {
        Some(workouts) => workouts,
        None => history::record_candidates(store, &names, None)?,
    };
    let records = analytics::all_personal_records(&candidates, formula, lifter)
        .into_iter()
        .map(|r| (r.exercise.clone(), record_rows(&r, unit)))
        .collect();
    Ok(Report {
        unit,
        formula,
        period: (from, to),
        lifts,
        weeks,
        days: days.daily(),
        body: body(weigh_ins, from, to),
        records,
    })
}

/// The weigh-ins of the period and their trend, which counts the two weeks
/// before the period too.
fn body(weigh_ins: &[BodyWeight], from: NaiveDate, to: NaiveDate) -> Option<Body> {
    let mut log: Vec<(DateTime<Utc>, f64)> = weigh_ins
        .iter()
        .filter(|b| local_day(b.at) <= to)
        .map(|b| (b.at, b.weight_kg))
        .collect();
    log.sort_by_key(|(at, _)| *at);
    let by_day = |entries: Vec<(DateTime<Utc>, f64)>| -> Vec<(NaiveDate, f64)> {
        entries
            .into_iter()
            .map(|(at, kg)| (local_day(at), kg))
            .filter(|(day, _)| *day >= from)
            .collect()
    };
    let trend = by_day(analytics::body_weight_trend(&log));
    let weigh_ins = by_day(log);
    (!weigh_ins.is_empty()).then_some(Body { weigh_ins, trend })
}

/// Opens `path` in the lifter's browser: `$BROWSER` when set, else the
/// system's opener.
fn open(path: &Path) -> Result<()> {
    let opener = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| if cfg!(target_os = "macos") { "open" } else { "xdg-open" }.to_string());
    let failed = |why: String| {
        Error::other(format!(
            "the report is written to {}, but {opener} could not open it ({why}): open the file in your browser, \
             or set BROWSER to your browser's command",
            path.display()
        ))
    };
    let status = std::process::Command::new(&opener)
        .arg(path)
        .status()
        .map_err(|e| failed(e.to_string()))?;
    if status.success() {
        Ok(())
    } else {
        Err(failed(status.to_string()))
    }
}
