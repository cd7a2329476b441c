//! Totals per ISO week and per calendar day (sessions, sets, reps, volume,
//! time trained, muscle groups) and weekly streaks, for `pump stats` and
//! `pump calendar`.

use super::definitions::{Volume, body_weight_if_needed, is_working};
use super::{Identities, Lifter};
use crate::model::Workout;
use crate::model::catalogue::Muscle;
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::iter;

/// The most weeks [`weekly`] reports: a century is more than any history.
pub const MAX_WEEKS: u32 = 5200;

/// What one muscle group got in a span of time.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MuscleTotals {
    /// Working sets.
    pub sets: u32,
    /// Weight × reps, in kg.
    pub volume_kg: f64,
}

/// What a span of time (a day, a week) adds up to. A session is a workout
/// with at least one working set, so a workout started and abandoned does
/// not keep a streak alive.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Totals {
    /// Workouts with at least one working set.
    pub sessions: u32,
    /// Working sets.
    pub sets: u32,
    /// Reps of the working sets.
    pub reps: u32,
    /// The volume of the working sets, in kg (see [`super::volume`]).
    pub volume_kg: f64,
    /// `@bw` sets counted at their added load alone: no body weight was
    /// known at their date.
    pub sets_without_body_weight: u32,
    /// Time trained: the sessions' lengths (start to finish; a session
    /// without a finish time counts none), in seconds.
    pub duration_s: u64,
    /// Keyed by muscle group; exercises outside the catalogue are "other".
    pub muscles: BTreeMap<Muscle, MuscleTotals>,
}

impl Totals {
    fn add(&mut self, workout: &Workout, identities: &Identities, lifter: Lifter) {
        let body = body_weight_if_needed(
            workout,
            workout.exercises.iter().flat_map(|e| &e.sets),
            lifter.body_weight,
        );
        let sets_before = self.sets;
        let mut volume = Volume::default();
        for entry in &workout.exercises {
            let muscle = identities.get(&entry.name).map_or(Muscle::Other, |i| i.muscle);
            for set in entry.sets.iter().filter(|set| is_working(set)) {
                let set_volume = volume.add(set, body);
                self.sets += 1;
                self.reps = self.reps.saturating_add(set.reps.unwrap_or(0));
                let group = self.muscles.entry(muscle).or_default();
                group.sets += 1;
                group.volume_kg += set_volume;
            }
        }
        self.volume_kg += volume.kg;
        self.sets_without_body_weight += volume.sets_without_body_weight;
        if self.sets > sets_before {
            self.sessions += 1;
            let length = workout.completed_at.map(|end| (end - workout.started_at).num_seconds());
            self.duration_s += length.and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
        }
    }

    /// Adds another span's totals to these.
    fn merge(&mut self, other: &Totals) {
        self.sessions += other.sessions;
        self.sets += other.sets;
        self.reps = self.reps.saturating_add(other.reps);
        self.volume_kg += other.volume_kg;
        self.sets_without_body_weight += other.sets_without_body_weight;
        self.duration_s += other.duration_s;
        for (muscle, totals) in &other.muscles {
            let group = self.muscles.entry(*muscle).or_default();
            group.sets += totals.sets;
            group.volume_kg += totals.volume_kg;
        }
    }
}

/// One ISO week's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekStats {
    /// The ISO week, e.g. "2024-W05".
    pub week: String,
    /// Its Monday.
    pub start: NaiveDate,
    /// What the week adds up to.
    #[serde(flatten)]
    pub totals: Totals,
}

/// `pump stats`: recent weeks and streaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReport {
    /// Oldest first, ending with the current week; weeks without sessions included.
    pub weeks: Vec<WeekStats>,
    /// The Monday of the first week shown (none when no week is).
    pub from: Option<NaiveDate>,
    /// The Sunday of the last week shown.
    pub to: Option<NaiveDate>,
    /// The weeks shown added up: sessions, volume, time trained and muscle
    /// groups over the whole period.
    pub total: Totals,
    /// Consecutive weeks with a session, ending this week, or last week
    /// while this week has none yet (the streak is not lost until the week is).
    pub current_streak: u32,
    /// The most consecutive weeks with a session, ever.
    pub longest_streak: u32,
}

/// The last `weeks` ISO weeks (Monday to Sunday, in `now`'s time zone) up
/// to and including the current one, at most [`MAX_WEEKS`]. Streaks look at
/// the whole history.
pub fn weekly<Tz: TimeZone>(workouts: &[Workout], weeks: u32, now: &DateTime<Tz>, lifter: Lifter) -> WeeklyReport {
    let sessions: Vec<DateTime<Utc>> = workouts
        .iter()
        .filter(|w| is_session(w))
        .map(|w| w.started_at)
        .collect();
    weekly_with_sessions(workouts, &sessions, weeks, now, lifter)
}

/// [`weekly`] when the workouts are only those of the weeks shown (or
/// more): the streaks come from `sessions`, when every workout with a
/// working set started, so they need no whole history of sets.
pub fn weekly_with_sessions<Tz: TimeZone>(
    workouts: &[Workout],
    sessions: &[DateTime<Utc>],
    weeks: u32,
    now: &DateTime<Tz>,
    lifter: Lifter,
) -> WeeklyReport {
    let zone = now.timezone();
    let mut tally = Tally::new(Span::Week);
    for workout in workouts {
        tally.add(workout, &zone, lifter);
    }
    tally.weekly(sessions, weeks, now)
}

/// Whether `workout` is a session: it has a working set.
pub fn is_session(workout: &Workout) -> bool {
    workout.exercises.iter().flat_map(|e| &e.sets).any(is_working)
}

/// `workout`'s working sets: what a day of the report's calendar is shaded
/// by, as [`Totals::sets`] counts them.
pub fn working_set_count(workout: &Workout) -> u32 {
    let sets = workout
        .exercises
        .iter()
        .flat_map(|e| &e.sets)
        .filter(|s| is_working(s))
        .count();
    u32::try_from(sets).unwrap_or(u32::MAX)
}

/// The span of time a [`Tally`] adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar day.
    Day,
}

/// Totals per week or per day of workouts added one at a time, in the
/// order they are read: what [`weekly`] and [`daily`] add up, also over a
/// history streamed from the store and never held whole.
pub struct Tally {
    span: Span,
    spans: BTreeMap<NaiveDate, Totals>,
    identities: Identities,
}

impl Tally {
    /// No workout yet.
    pub fn new(span: Span) -> Tally {
        Tally {
            span,
            spans: BTreeMap::new(),
            identities: Identities::default(),
        }
    }

    /// Adds `workout` to its week or day in `zone`.
    pub fn add<Tz: TimeZone>(&mut self, workout: &Workout, zone: &Tz, lifter: Lifter) {
        self.identities.learn(workout, lifter.names);
        let date = workout.started_at.with_timezone(zone).date_naive();
        let start = match self.span {
            Span::Week => monday(date),
            Span::Day => date,
        };
        self.spans
            .entry(start)
            .or_default()
            .add(workout, &self.identities, lifter);
    }

    /// [`weekly_with_sessions`] of the workouts added (weekly spans).
    pub fn weekly<Tz: TimeZone>(self, sessions: &[DateTime<Utc>], weeks: u32, now: &DateTime<Tz>) -> WeeklyReport {
        let zone = now.timezone();
        let mut tally = self.spans;
        let active: BTreeSet<NaiveDate> = sessions
            .iter()
            .map(|start| monday(start.with_timezone(&zone).date_naive()))
            .collect();
        let this_week = monday(now.date_naive());
        let starts =
            (0..u64::from(weeks.min(MAX_WEEKS))).map_while(|back| this_week.checked_sub_days(Days::new(back * 7)));
        let mut stats: Vec<WeekStats> = starts
            .map(|start| WeekStats {
                week: start.format("%G-W%V").to_string(),
                start,
                totals: tally.remove(&start).unwrap_or_default(),
            })
            .collect();
        stats.reverse();
        let mut total = Totals::default();
        for week in &stats {
            total.merge(&week.totals);
        }

        let previous = |week: NaiveDate| week.checked_sub_days(Days::new(7));
        let streak_from = |start: Option<NaiveDate>| {
            iter::successors(start, |week| previous(*week))
                .take_while(|week| active.contains(week))
                .count()
        };
        let current = match streak_from(Some(this_week)) {
            0 => streak_from(previous(this_week)),
            n => n,
        };
        let mut longest = 0;
        let mut run = 0;
        let mut last: Option<NaiveDate> = None;
        for &week in &active {
            run = if last.is_some() && last == previous(week) {
                run + 1
            } else {
                1
            };
            longest = longest.max(run);
            last = Some(week);
        }
        WeeklyReport {
            from: stats.first().map(|w| w.start),
            to: stats.last().and_then(|w| w.start.checked_add_days(Days::new(6))),
            total,
            weeks: stats,
            current_streak: u32::try_from(current).unwrap_or(u32::MAX),
            longest_streak: longest,
        }
    }

    /// [`daily`] of the workouts added (daily spans).
    pub fn daily(self) -> Vec<DayStats> {
        self.spans
            .into_iter()
            .filter(|(_, totals)| totals.sessions > 0)
            .map(|(date, totals)| DayStats { date, totals })
            .collect()
    }
}

/// One calendar day's totals, for the heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayStats {
    /// The local calendar day.
    pub date: NaiveDate,
    /// What the day adds up to.
    #[serde(flatten)]
    pub totals: Totals,
}

/// Totals per local calendar day in `zone`, oldest first, only days with a
/// session: the input for a calendar heatmap.
pub fn daily<Tz: TimeZone>(workouts: &[Workout], zone: &Tz, lifter: Lifter) -> Vec<DayStats> {
    let mut tally = Tally::new(Span::Day);
    for workout in workouts {
        tally.add(workout, zone, lifter);
    }
    tally.daily()
}

/// The Monday starting `date`'s ISO week.
pub fn monday(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::ExerciseNames;
    use chrono::FixedOffset;

    fn lifter(body_weight: super::super::BodyWeight) -> Lifter {
        static NAMES: std::sync::OnceLock<ExerciseNames> = std::sync::OnceLock::new();
        Lifter {
            body_weight,
            names: NAMES.get_or_init(ExerciseNames::default),
        }
    }

    #[test]
    fn weekly_totals_per_iso_week_in_local_time() {
        let body = |_| Some(80.0);
        let report = weekly(&season(), 4, &local("2024-03-13T12:00:00+02:00"), lifter(&body));
        let weeks: Vec<(&str, u32, u32, u32, f64)> = report
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week.as_str(),
                    w.totals.sessions,
                    w.totals.sets,
                    w.totals.reps,
                    w.totals.volume_kg,
                )
            })
            .collect();
        assert_eq!(
            weeks,
            vec![
                ("2024-W08", 0, 0, 0, 0.0),
                ("2024-W09", 1, 1, 5, 500.0),
                ("2024-W10", 1, 2, 15, 600.0),
                // Pull ups (80 + 10) × 5 = 450, bench 3 × 500 = 1500.
                ("2024-W11", 2, 4, 20, 1950.0),
            ]
        );
        assert_eq!(report.weeks[3].start, NaiveDate::from_ymd_opt(2024, 3, 11).unwrap());
        let muscles = |i: usize| {
            let totals = &report.weeks[i].totals;
            totals
                .muscles
                .iter()
                .map(|(m, t)| (*m, t.sets, t.volume_kg))
                .collect::<Vec<_>>()
        };
        assert_eq!(muscles(2), vec![(Muscle::Quads, 1, 500.0), (Muscle::Other, 1, 100.0)]);
        assert_eq!(muscles(3), vec![(Muscle::Chest, 3, 1500.0), (Muscle::Back, 1, 450.0)]);
        assert_eq!((report.current_streak, report.longest_streak), (3, 5));

        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["weeks"][3]["muscles"]["chest"]["sets"], 3);
        assert_eq!(json["weeks"][3]["sessions"], 2);

        let total = &report.total;
        assert_eq!((total.sessions, total.sets, total.volume_kg), (4, 7, 3050.0));
        assert_eq!(total.muscles[&Muscle::Quads].sets, 2);
        assert_eq!(total.duration_s, 3600, "one session has a finish time");
        assert_eq!(report.from, NaiveDate::from_ymd_opt(2024, 2, 19));
        assert_eq!(report.to, NaiveDate::from_ymd_opt(2024, 3, 17));
        let unknown = weekly(
            &season(),
            4,
            &local("2024-03-13T12:00:00+02:00"),
            lifter(NO_BODY_WEIGHT),
        );
        assert_eq!(unknown.total.sets_without_body_weight, 1, "the pull-ups");
        assert_eq!(unknown.total.volume_kg, 3050.0 - 400.0);
    }

    #[test]
    fn streak_survives_an_empty_current_week_only() {
        let season = season();
        let streaks = |now: &str| {
            let report = weekly(&season, 0, &local(now), lifter(NO_BODY_WEIGHT));
            assert!(report.weeks.is_empty());
            (report.current_streak, report.longest_streak)
        };
        assert_eq!(streaks("2024-03-18T09:00:00+02:00"), (3, 5));
        assert_eq!(streaks("2024-03-25T09:00:00+02:00"), (0, 5));
        assert_eq!(streaks("2024-02-14T09:00:00+02:00"), (5, 5));
        assert_eq!(
            weekly(&[], 2, &local("2024-03-18T09:00:00+02:00"), lifter(NO_BODY_WEIGHT)).longest_streak,
            0
        );
    }

    #[test]
    fn huge_week_counts_are_capped() {
        let report = weekly(
            &season(),
            u32::MAX,
            &local("2024-03-13T12:00:00+02:00"),
            lifter(NO_BODY_WEIGHT),
        );
        assert_eq!(report.weeks.len(), MAX_WEEKS as usize);
    }

    #[test]
    fn daily_totals_in_local_time() {
        let days = daily(
            &season(),
            &FixedOffset::east_opt(2 * 3600).unwrap(),
            lifter(NO_BODY_WEIGHT),
        );
        let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates.len(), 9);
        assert!(dates.contains(&"2024-03-11".to_string()));
        assert!(!dates.contains(&"2024-03-10".to_string()));
        assert!(!dates.contains(&"2024-02-20".to_string()));
        let last = days.last().unwrap();
        assert_eq!((last.totals.sets, last.totals.volume_kg), (3, 1500.0));
    }
}
