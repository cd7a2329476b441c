//! `pump report`: the lifter's progress as one self-contained HTML page,
//! from the same analytics as `pump pr`, `pump stats`, `pump progress` and
//! `pump calendar`.

mod charts;
mod page;

use super::Context;
use super::pr::{RecordRow, record_rows};
use crate::analytics::{
    self, Formula, LiftSessions, Lifter, Metric, RunningBest, Span, Tally, WeeklyReport, is_session, working_set_count,
};
use crate::app::history::SetPlace;
use crate::app::{BodyLog, exercise_names, history};
use crate::cli::{FormulaArg, WHEN_HELP};
use crate::error::{Error, Result};
use crate::files;
use crate::model::{BodyWeight, ExerciseNames, Set, Unit, Workout};
use crate::store::{Order, Store, WorkoutFilter};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::Args;
use std::collections::{BTreeMap, HashMap};
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
    /// The main lifts, each charted from its sessions as the page is
    /// written: one lift's points in memory at a time.
    lifts: Vec<String>,
    /// The weeks covering the period with the totals of its workouts, and
    /// the streaks as at its end.
    weeks: WeeklyReport,
    /// The days trained in the period with their working sets, oldest
    /// first: all the calendar draws.
    days: Vec<(NaiveDate, u32)>,
    body: Option<Body>,
    /// Each exercise's records standing at the end of the period.
    records: Vec<(String, Vec<RecordRow>)>,
}

/// One session of a main lift in the period, kept small: a long history
/// has tens of thousands of them per lift.
struct LiftSession {
    day: NaiveDate,
    value_kg: f64,
    /// It beat every session before it.
    pr: bool,
    workout_id: String,
    /// The set that made the value, when it was computed from the sets (a
    /// workout holding the lift under two names)...
    set: Option<Box<Set>>,
    /// ...else where that set is stored (entry, number), read only for the
    /// sessions that get a hover label.
    set_at: Option<(i64, i64)>,
}

/// Where the page reads its main lifts from, one lift at a time.
struct Lifts<'a> {
    store: &'a Store,
    names: &'a ExerciseNames,
    formula: Formula,
    period: (NaiveDate, NaiveDate),
}

impl Lifts<'_> {
    /// `lift`'s sessions in the period, oldest first, its PRs counted over
    /// the whole history.
    fn sessions(&self, lift: &str) -> Result<Vec<LiftSession>> {
        let mut best = RunningBest::default();
        let mut sessions = Vec::new();
        let (from, to) = self.period;
        history::each_session_value(
            self.store,
            self.names,
            lift,
            (Metric::E1rm, self.formula),
            &mut |value, set_at| {
                let pr = best.beaten_by(value.value_kg);
                let day = local_day(value.date);
                if (from..=to).contains(&day) {
                    sessions.push(LiftSession {
                        day,
                        value_kg: value.value_kg,
                        pr,
                        workout_id: value.workout_id,
                        set: value.set.map(Box::new),
                        set_at,
                    });
                }
                Ok(())
            },
        )?;
        Ok(sessions)
    }

    /// The sets that made the values of `sessions`, by workout id.
    fn sets<'s>(&self, sessions: impl Iterator<Item = &'s LiftSession>) -> Result<HashMap<String, Set>> {
        let places: Vec<SetPlace> = sessions
            .filter(|s| s.set.is_none())
            .filter_map(|s| s.set_at.map(|(entry, number)| (s.workout_id.clone(), entry, number)))
            .collect();
        history::sets_at(self.store, &places)
    }
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
    let names = exercise_names::load(&store)?;
    let report = gather(&store, &names, &weigh_ins, (since, until), formula, ctx.unit())?;
    let lifts = Lifts {
        store: &store,
        names: &names,
        formula,
        period: report.period,
    };
    let cannot_write = |e: std::io::Error| {
        Error::usage(format!(
            "cannot write {}: {e}: choose a file in a folder you can write to with -o",
            args.output.display()
        ))
    };
    // The page goes to the file as it is made, a section at a time; the
    // file replaces the output only once it is whole.
    files::replace_private(&args.output, |file| page::render(&report, &lifts, file)).map_err(cannot_write)??;
    let size = std::fs::metadata(&args.output).map_err(cannot_write)?.len();
    eprintln!(
        "Report of {} to {} written to {} ({} KB): open it in any browser",
        report.period.0,
        report.period.1,
        args.output.display(),
        size.div_ceil(1024)
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
    names: &ExerciseNames,
    weigh_ins: &[BodyWeight],
    (since, until): (Option<NaiveDate>, Option<NaiveDate>),
    formula: Formula,
    unit: Unit,
) -> Result<Report> {
    let today = Local::now().date_naive();
    let to = until.unwrap_or(today);
    let body_log = BodyLog::load(store)?;
    let weigh = |at| body_log.at(at);
    let lifter = Lifter {
        body_weight: &weigh,
        names,
    };
    // The weeks' totals count the period's workouts only (its first and last
    // weeks may be partial); the streaks count every week up to its end.
    // Without --since the period starts with the first workout: every
    // workout up to its end is in it.
    let in_period = |day: NaiveDate| since.is_none_or(|since| day >= since) && day <= to;
    let mut weeks = Tally::new(Span::Week);
    // The calendar shades each day by its working sets, all it needs of a day.
    let mut days: BTreeMap<NaiveDate, u32> = BTreeMap::new();
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
            let sets = working_set_count(&workout);
            if sets > 0 {
                let total = days.entry(day).or_default();
                *total = total.saturating_add(sets);
            }
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
    let lifts = lift_sessions.main_lifts(MAIN_LIFTS);
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
        None => history::record_candidates(store, names, None)?,
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
        days: days.into_iter().collect(),
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
