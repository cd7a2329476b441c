//! The lifter's analytics: estimated maxes, personal records, weekly totals,
//! streaks and progress series. Pure functions over workouts; every weight
//! in a result is in kg (the caller converts for display).
//!
//! Warm-up sets never count toward anything here: they are preparation, and
//! counting them would reward padding a session with easy sets. Exercises
//! are matched by [`normalize`]d name ("bench press" == "Bench Press"); the
//! caller resolves aliases ("bench" → "Bench Press") before asking.

use crate::model::catalogue::{Muscle, has_key, normalize};
use crate::model::{Set, SetKind, Workout};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::iter;
use std::str::FromStr;

/// The lifter's body weight in kg at a moment, when known (usually the
/// latest weigh-in at or before it, see [`latest_body_weight`]). Bodyweight
/// sets need it to know what was lifted.
pub type BodyWeight<'a> = &'a dyn Fn(DateTime<Utc>) -> Option<f64>;

/// Improvements smaller than this are rounding noise, not records.
const EPSILON: f64 = 1e-9;

/// The rep counts with a rep max. A rep max for N is the heaviest load
/// lifted for *at least* N reps (the usual convention: a 6-rep set at 100 kg
/// also proves a 5RM of 100 kg). So the 1RM is always the heaviest set.
pub const REP_MAX_TARGETS: [u32; 5] = [1, 3, 5, 8, 10];

/// The most weeks [`weekly`] reports: a century is more than any history.
pub const MAX_WEEKS: u32 = 5200;

/// The latest body weight logged at or before `at`. Takes the log in any order.
pub fn latest_body_weight(log: &[(DateTime<Utc>, f64)], at: DateTime<Utc>) -> Option<f64> {
    log.iter()
        .filter(|(when, kg)| *when <= at && kg.is_finite() && *kg > 0.0)
        .max_by_key(|(when, _)| *when)
        .map(|(_, kg)| *kg)
}

/// How a one-rep max is estimated from a set of several reps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formula {
    #[default]
    Epley,
    Brzycki,
}

impl Formula {
    /// The estimated one-rep max, or `None` when no estimate makes sense:
    /// no load, no reps, or 37+ reps with Brzycki (its denominator reaches
    /// zero). A single is its own max under both formulas. Estimates past
    /// ~12 reps are loose with any formula.
    pub fn e1rm(self, weight_kg: f64, reps: u32) -> Option<f64> {
        if !weight_kg.is_finite() || weight_kg <= 0.0 || reps == 0 {
            return None;
        }
        if reps == 1 {
            return Some(weight_kg);
        }
        let reps = f64::from(reps);
        match self {
            Formula::Epley => Some(weight_kg * (1.0 + reps / 30.0)),
            Formula::Brzycki => (reps < 37.0).then(|| weight_kg * 36.0 / (37.0 - reps)),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Formula::Epley => "Epley: 1RM = weight × (1 + reps / 30)",
            Formula::Brzycki => "Brzycki: 1RM = weight × 36 / (37 − reps), for up to 36 reps",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Formula::Epley => "epley",
            Formula::Brzycki => "brzycki",
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Formula {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "epley" => Ok(Formula::Epley),
            "brzycki" => Ok(Formula::Brzycki),
            _ => Err(format!("unknown formula '{s}': use epley or brzycki")),
        }
    }
}

/// What a set moved, in kg. The one place that decides how bodyweight sets
/// count, so records, volume and charts agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Load {
    /// The whole load is known: the external weight, or body weight plus
    /// any added weight.
    Full(f64),
    /// A bodyweight set while body weight is unknown: only the added weight
    /// (maybe 0) is known. It counts toward volume, never toward records.
    AddedOnly(f64),
    /// Nothing to weigh: a run, a plank, reps with no weight written.
    Unloaded,
}

impl Load {
    pub fn of(set: &Set, body_weight_kg: Option<f64>) -> Load {
        let external = set.weight_kg.filter(|kg| kg.is_finite() && *kg > 0.0);
        if set.bodyweight {
            let added = external.unwrap_or(0.0);
            match body_weight_kg.filter(|kg| kg.is_finite() && *kg > 0.0) {
                Some(body) => Load::Full(body + added),
                None => Load::AddedOnly(added),
            }
        } else {
            external.map_or(Load::Unloaded, Load::Full)
        }
    }

    /// The load weight records compare, only when fully known.
    pub fn record_kg(self) -> Option<f64> {
        match self {
            Load::Full(kg) => Some(kg),
            Load::AddedOnly(_) | Load::Unloaded => None,
        }
    }

    /// The load counted toward volume (weight × reps).
    pub fn volume_kg(self) -> f64 {
        match self {
            Load::Full(kg) | Load::AddedOnly(kg) => kg,
            Load::Unloaded => 0.0,
        }
    }
}

/// A record held by one set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetRecord {
    /// The record's value: a load, an estimated max or a volume.
    pub value_kg: f64,
    /// What the set moved (body weight included when known).
    pub weight_kg: f64,
    pub reps: u32,
    pub date: DateTime<Utc>,
    pub workout_id: String,
    pub set_id: String,
}

/// A record held by a whole session of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub value_kg: f64,
    pub date: DateTime<Utc>,
    pub workout_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepMax {
    /// The record is the heaviest load lifted for at least this many reps.
    pub min_reps: u32,
    pub record: SetRecord,
}

/// One exercise's records. A record is `None` (or a rep max is absent)
/// until some working set qualifies. On a tie the earlier set keeps the
/// record, except that more reps at the same value win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalRecords {
    pub exercise: String,
    pub formula: Formula,
    pub heaviest: Option<SetRecord>,
    pub best_e1rm: Option<SetRecord>,
    pub rep_maxes: Vec<RepMax>,
    pub best_set_volume: Option<SetRecord>,
    pub best_session_volume: Option<SessionRecord>,
}

/// The records for `exercise` over `workouts` (any order).
pub fn personal_records(
    workouts: &[Workout],
    exercise: &str,
    formula: Formula,
    body_weight: BodyWeight,
) -> PersonalRecords {
    records_in(workouts.iter(), exercise, formula, body_weight)
}

/// The records of every exercise in `workouts` (with at least one working
/// set), in one grouping pass: each exercise only looks at the workouts that
/// contain it, not at all of them.
pub fn all_personal_records(workouts: &[Workout], formula: Formula, body_weight: BodyWeight) -> Vec<PersonalRecords> {
    let mut by_exercise: BTreeMap<String, (String, Vec<&Workout>)> = BTreeMap::new();
    for workout in workouts {
        for entry in &workout.exercises {
            let (_, list) = by_exercise
                .entry(normalize(&entry.name))
                .or_insert_with(|| (entry.name.clone(), Vec::new()));
            if list.last().is_none_or(|last| last.id != workout.id) {
                list.push(workout);
            }
        }
    }
    by_exercise
        .into_values()
        .map(|(name, list)| records_in(list.into_iter(), &name, formula, body_weight))
        .filter(|r| r.heaviest.is_some() || r.best_session_volume.is_some())
        .collect()
}

fn records_in<'a>(
    workouts: impl Iterator<Item = &'a Workout>,
    exercise: &str,
    formula: Formula,
    body_weight: BodyWeight,
) -> PersonalRecords {
    let key = normalize(exercise);
    let mut records = PersonalRecords {
        exercise: exercise.to_string(),
        formula,
        heaviest: None,
        best_e1rm: None,
        rep_maxes: Vec::new(),
        best_set_volume: None,
        best_session_volume: None,
    };
    let mut rep_maxes: [Option<SetRecord>; REP_MAX_TARGETS.len()] = Default::default();
    for workout in chronological(workouts) {
        let mut session_volume = 0.0;
        for (set, load, reps) in working_sets(workout, &key, body_weight) {
            let record = |value_kg: f64| SetRecord {
                value_kg,
                weight_kg: load.volume_kg(),
                reps,
                date: workout.started_at,
                workout_id: workout.id.clone(),
                set_id: set.id.clone(),
            };
            // Records are built only when they win: most sets beat nothing,
            // and cloning two ids per candidate dominated the run time.
            let keep = |slot: &mut Option<SetRecord>, value: f64| {
                if beats(slot.as_ref(), value, reps) {
                    *slot = Some(record(value));
                }
            };
            let volume = load.volume_kg() * f64::from(reps);
            session_volume += volume;
            if volume > 0.0 {
                keep(&mut records.best_set_volume, volume);
            }
            let Some(kg) = load.record_kg() else { continue };
            keep(&mut records.heaviest, kg);
            if let Some(e1rm) = formula.e1rm(kg, reps) {
                keep(&mut records.best_e1rm, e1rm);
            }
            for (slot, min_reps) in rep_maxes.iter_mut().zip(REP_MAX_TARGETS) {
                if reps >= min_reps {
                    keep(slot, kg);
                }
            }
        }
        let beats = records
            .best_session_volume
            .as_ref()
            .is_none_or(|best| session_volume > best.value_kg + EPSILON);
        if session_volume > 0.0 && beats {
            records.best_session_volume = Some(SessionRecord {
                value_kg: session_volume,
                date: workout.started_at,
                workout_id: workout.id.clone(),
            });
        }
    }
    records.rep_maxes = rep_maxes
        .into_iter()
        .zip(REP_MAX_TARGETS)
        .filter_map(|(record, min_reps)| record.map(|record| RepMax { min_reps, record }))
        .collect();
    records
}

/// Whether a set of `value` × `reps` takes the record from `best`: a higher
/// value, or the same value for more reps.
fn beats(best: Option<&SetRecord>, value: f64, reps: u32) -> bool {
    best.is_none_or(|best| value > best.value_kg + EPSILON || (value > best.value_kg - EPSILON && reps > best.reps))
}

/// Workouts oldest first; ties broken by id so results never depend on
/// storage order.
fn chronological<'a>(workouts: impl Iterator<Item = &'a Workout>) -> Vec<&'a Workout> {
    let mut sorted: Vec<&Workout> = workouts.collect();
    sorted.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    sorted
}

/// The non-warm-up sets with reps of the exercise whose normalized name is
/// `key`, each with its load and rep count. A workout may list the same
/// exercise twice under different spellings; both count.
fn working_sets<'a>(
    workout: &'a Workout,
    key: &'a str,
    body_weight: BodyWeight,
) -> impl Iterator<Item = (&'a Set, Load, u32)> {
    workout
        .exercises
        .iter()
        .filter(move |entry| has_key(&entry.name, key))
        .flat_map(move |entry| {
            let body = body_weight_for(workout, &entry.sets, body_weight);
            entry
                .sets
                .iter()
                .filter(|set| set.kind != SetKind::Warmup)
                .filter_map(move |set| Some((set, Load::of(set, body), set.reps.filter(|r| *r > 0)?)))
        })
}

/// The body weight on the day of `workout`, asked for only when one of
/// `sets` needs it: the lookup may scan a whole weigh-in log.
fn body_weight_for<'a>(
    workout: &Workout,
    sets: impl IntoIterator<Item = &'a Set>,
    body_weight: BodyWeight,
) -> Option<f64> {
    if sets.into_iter().any(|set| set.bodyweight) {
        body_weight(workout.started_at)
    } else {
        None
    }
}

/// Which record a new workout beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrKind {
    Heaviest,
    E1rm,
    /// Heaviest load for at least this many reps.
    RepMax(u32),
    SetVolume,
    SessionVolume,
}

impl fmt::Display for PrKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrKind::Heaviest => f.write_str("heaviest set"),
            PrKind::E1rm => f.write_str("e1RM"),
            PrKind::RepMax(reps) => write!(f, "{reps}RM"),
            PrKind::SetVolume => f.write_str("set volume"),
            PrKind::SessionVolume => f.write_str("session volume"),
        }
    }
}

/// "New PR: Bench Press e1RM 116.7 kg (was 112.5)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewPr {
    /// The exercise as the updated workout names it.
    pub exercise: String,
    pub kind: PrKind,
    pub value_kg: f64,
    pub previous_kg: f64,
}

/// The records `updated` beats. `history` is every workout as it was before
/// the change, possibly including an older version of `updated` (same id),
/// which is replaced, so this works for `pump log` (new workout) and `pump
/// add` (more sets in an existing one) alike; an edit that removes sets
/// never reports anything.
///
/// Only existing records can be beaten: the first session of an exercise
/// sets records but announces none (everything would be a PR). The 1RM is
/// announced as the heaviest set, not twice.
pub fn new_prs(history: &[Workout], updated: &Workout, formula: Formula, body_weight: BodyWeight) -> Vec<NewPr> {
    let mut prs = Vec::new();
    for name in exercise_names(updated) {
        let before = records_in(history.iter(), name, formula, body_weight);
        let others = history.iter().filter(|w| w.id != updated.id);
        let after = records_in(others.chain(iter::once(updated)), name, formula, body_weight);
        prs.extend(beaten(&before, &after));
    }
    prs
}

/// Each exercise of `workout` once, by matching key, as the workout names it.
pub fn exercise_names(workout: &Workout) -> Vec<&str> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for entry in &workout.exercises {
        let key = normalize(&entry.name);
        if !seen.iter().any(|(k, _)| *k == key) {
            seen.push((key, &entry.name));
        }
    }
    seen.into_iter().map(|(_, name)| name).collect()
}

/// The records of `before` (all history up to now) once `updated` is added
/// to it, without looking at the history again. Exact when `updated` only
/// adds to what `before` already counted (a new workout, or more sets in
/// one), which is what `pump log` and `pump add` do.
pub fn records_with(before: &PersonalRecords, updated: &Workout, body_weight: BodyWeight) -> PersonalRecords {
    let new = records_in(iter::once(updated), &before.exercise, before.formula, body_weight);
    let best = |old: &Option<SetRecord>, new: &Option<SetRecord>| match (old, new) {
        (Some(o), Some(n)) if beats(Some(o), n.value_kg, n.reps) => Some(n.clone()),
        (Some(o), _) => Some(o.clone()),
        (None, n) => n.clone(),
    };
    let mut rep_maxes = Vec::new();
    for min_reps in REP_MAX_TARGETS {
        let find = |r: &PersonalRecords| {
            r.rep_maxes
                .iter()
                .find(|rm| rm.min_reps == min_reps)
                .map(|rm| rm.record.clone())
        };
        if let Some(record) = best(&find(before), &find(&new)) {
            rep_maxes.push(RepMax { min_reps, record });
        }
    }
    let session = match (&before.best_session_volume, &new.best_session_volume) {
        (Some(o), Some(n)) if n.value_kg > o.value_kg + EPSILON => Some(n.clone()),
        (Some(o), _) => Some(o.clone()),
        (None, n) => n.clone(),
    };
    PersonalRecords {
        exercise: before.exercise.clone(),
        formula: before.formula,
        heaviest: best(&before.heaviest, &new.heaviest),
        best_e1rm: best(&before.best_e1rm, &new.best_e1rm),
        rep_maxes,
        best_set_volume: best(&before.best_set_volume, &new.best_set_volume),
        best_session_volume: session,
    }
}

/// The records `after` holds above `before`: what to announce.
pub fn beaten(before: &PersonalRecords, after: &PersonalRecords) -> Vec<NewPr> {
    let value = |r: &Option<SetRecord>| r.as_ref().map(|r| r.value_kg);
    let session = |r: &PersonalRecords| r.best_session_volume.as_ref().map(|r| r.value_kg);
    let mut pairs = vec![
        (PrKind::Heaviest, value(&before.heaviest), value(&after.heaviest)),
        (PrKind::E1rm, value(&before.best_e1rm), value(&after.best_e1rm)),
    ];
    for old in before.rep_maxes.iter().filter(|rm| rm.min_reps > 1) {
        let new = after.rep_maxes.iter().find(|rm| rm.min_reps == old.min_reps);
        pairs.push((
            PrKind::RepMax(old.min_reps),
            Some(old.record.value_kg),
            new.map(|rm| rm.record.value_kg),
        ));
    }
    pairs.push((
        PrKind::SetVolume,
        value(&before.best_set_volume),
        value(&after.best_set_volume),
    ));
    pairs.push((PrKind::SessionVolume, session(before), session(after)));
    pairs
        .into_iter()
        .filter_map(|(kind, old, new)| match (old, new) {
            (Some(previous_kg), Some(value_kg)) if value_kg > previous_kg + EPSILON => Some(NewPr {
                exercise: after.exercise.clone(),
                kind,
                value_kg,
                previous_kg,
            }),
            _ => None,
        })
        .collect()
}

/// What a progress chart plots, one value per workout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// The best estimated one-rep max of the session.
    #[default]
    E1rm,
    /// The heaviest working set of the session.
    TopSet,
    /// Weight × reps summed over the session's working sets.
    Volume,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::E1rm => "e1rm",
            Metric::TopSet => "top-set",
            Metric::Volume => "volume",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "e1rm" => Ok(Metric::E1rm),
            "top-set" | "topset" | "top" => Ok(Metric::TopSet),
            "volume" | "vol" => Ok(Metric::Volume),
            _ => Err(format!("unknown metric '{s}': use e1rm, top-set or volume")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub date: DateTime<Utc>,
    pub workout_id: String,
    pub value_kg: f64,
}

/// One point per workout with `exercise` since `since` (inclusive), oldest
/// first. Workouts where the metric has no value (only warm-ups, only
/// bodyweight sets while body weight is unknown) are left out.
pub fn progress(
    workouts: &[Workout],
    exercise: &str,
    metric: Metric,
    formula: Formula,
    since: Option<DateTime<Utc>>,
    body_weight: BodyWeight,
) -> Vec<Point> {
    let key = normalize(exercise);
    let recent = workouts
        .iter()
        .filter(|w| since.is_none_or(|since| w.started_at >= since));
    chronological(recent)
        .into_iter()
        .filter_map(|workout| {
            let sets = working_sets(workout, &key, body_weight);
            let value = match metric {
                Metric::E1rm => sets
                    .filter_map(|(_, load, reps)| formula.e1rm(load.record_kg()?, reps))
                    .reduce(f64::max),
                Metric::TopSet => sets.filter_map(|(_, load, _)| load.record_kg()).reduce(f64::max),
                Metric::Volume => {
                    let volume: f64 = sets.map(|(_, load, reps)| load.volume_kg() * f64::from(reps)).sum();
                    (volume > 0.0).then_some(volume)
                }
            }?;
            Some(Point {
                date: workout.started_at,
                workout_id: workout.id.clone(),
                value_kg: value,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MuscleTotals {
    pub sets: u32,
    pub volume_kg: f64,
}

/// What a span of time (a day, a week) adds up to. A session is a workout
/// with at least one working set, so a workout started and abandoned does
/// not keep a streak alive.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Totals {
    pub sessions: u32,
    pub sets: u32,
    pub reps: u32,
    pub volume_kg: f64,
    /// Keyed by muscle group; exercises outside the catalogue are "other".
    pub muscles: BTreeMap<Muscle, MuscleTotals>,
}

impl Totals {
    fn add(&mut self, workout: &Workout, body_weight: BodyWeight) {
        let body = body_weight_for(workout, workout.exercises.iter().flat_map(|e| &e.sets), body_weight);
        let sets_before = self.sets;
        for entry in &workout.exercises {
            let muscle = Muscle::of(&entry.name);
            for set in entry.sets.iter().filter(|set| set.kind != SetKind::Warmup) {
                let reps = set.reps.unwrap_or(0);
                let volume = Load::of(set, body).volume_kg() * f64::from(reps);
                self.sets += 1;
                self.reps = self.reps.saturating_add(reps);
                self.volume_kg += volume;
                let group = self.muscles.entry(muscle).or_default();
                group.sets += 1;
                group.volume_kg += volume;
            }
        }
        if self.sets > sets_before {
            self.sessions += 1;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekStats {
    /// The ISO week, e.g. "2024-W05".
    pub week: String,
    /// Its Monday.
    pub start: NaiveDate,
    #[serde(flatten)]
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReport {
    /// Oldest first, ending with the current week; weeks without sessions included.
    pub weeks: Vec<WeekStats>,
    /// Consecutive weeks with a session, ending this week, or last week
    /// while this week has none yet (the streak is not lost until the week is).
    pub current_streak: u32,
    pub longest_streak: u32,
}

/// The last `weeks` ISO weeks (Monday to Sunday, in `now`'s time zone) up
/// to and including the current one, at most [`MAX_WEEKS`]. Streaks look at
/// the whole history.
pub fn weekly<Tz: TimeZone>(
    workouts: &[Workout],
    weeks: u32,
    now: &DateTime<Tz>,
    body_weight: BodyWeight,
) -> WeeklyReport {
    let mut tally = tally_by(workouts, &now.timezone(), body_weight, monday);
    let active: BTreeSet<NaiveDate> = tally
        .iter()
        .filter(|(_, totals)| totals.sessions > 0)
        .map(|(start, _)| *start)
        .collect();
    let this_week = monday(now.date_naive());
    let starts = (0..u64::from(weeks.min(MAX_WEEKS))).map_while(|back| this_week.checked_sub_days(Days::new(back * 7)));
    let mut stats: Vec<WeekStats> = starts
        .map(|start| WeekStats {
            week: start.format("%G-W%V").to_string(),
            start,
            totals: tally.remove(&start).unwrap_or_default(),
        })
        .collect();
    stats.reverse();

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
        weeks: stats,
        current_streak: u32::try_from(current).unwrap_or(u32::MAX),
        longest_streak: longest,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayStats {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub totals: Totals,
}

/// Totals per local calendar day in `zone`, oldest first, only days with a
/// session: the input for a calendar heatmap.
pub fn daily<Tz: TimeZone>(workouts: &[Workout], zone: &Tz, body_weight: BodyWeight) -> Vec<DayStats> {
    tally_by(workouts, zone, body_weight, |date| date)
        .into_iter()
        .filter(|(_, totals)| totals.sessions > 0)
        .map(|(date, totals)| DayStats { date, totals })
        .collect()
}

fn tally_by<Tz: TimeZone>(
    workouts: &[Workout],
    zone: &Tz,
    body_weight: BodyWeight,
    bucket: impl Fn(NaiveDate) -> NaiveDate,
) -> BTreeMap<NaiveDate, Totals> {
    let mut tally: BTreeMap<NaiveDate, Totals> = BTreeMap::new();
    for workout in workouts {
        let date = workout.started_at.with_timezone(zone).date_naive();
        tally.entry(bucket(date)).or_default().add(workout, body_weight);
    }
    tally
}

/// The Monday starting `date`'s ISO week.
fn monday(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExerciseEntry, Unit, parse_sets};
    use chrono::FixedOffset;

    const NO_BODY_WEIGHT: BodyWeight = &|_| None;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn workout(id: &str, start: &str, exercises: &[(&str, &str)]) -> Workout {
        Workout {
            id: id.to_string(),
            name: "Session".to_string(),
            started_at: at(start),
            completed_at: None,
            notes: String::new(),
            exercises: exercises
                .iter()
                .map(|(name, sets)| ExerciseEntry {
                    id: format!("{id}-{name}"),
                    name: name.to_string(),
                    sets: parse_sets(sets, Unit::Kg).unwrap(),
                })
                .collect(),
            plan: Vec::new(),
        }
    }

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-3, "got {actual}, expected {expected}");
    }

    /// Two bench sessions: heavy fives on Jan 1, higher reps on Jan 8 (with a
    /// heavy warm-up single that must not count), then squats.
    fn bench_history() -> Vec<Workout> {
        vec![
            workout(
                "w2",
                "2024-01-08T10:00:00Z",
                &[("bench press", "8@90kg, w1@140kg, 10@80kg")],
            ),
            workout(
                "w1",
                "2024-01-01T10:00:00Z",
                &[("Bench Press", "w10@60kg, 2x5@100kg, 3@105kg")],
            ),
            workout("w3", "2024-01-15T10:00:00Z", &[("Squat", "5@140kg")]),
        ]
    }

    #[test]
    fn adding_a_workout_to_cached_records_equals_recomputing() {
        let mut history = season();
        let newest = history.pop().expect("a fixture");
        for name in exercise_names(&newest) {
            let before = personal_records(&history, name, Formula::Epley, NO_BODY_WEIGHT);
            let cached = records_with(&before, &newest, NO_BODY_WEIGHT);
            let mut all = history.clone();
            all.push(newest.clone());
            assert_eq!(
                cached,
                personal_records(&all, name, Formula::Epley, NO_BODY_WEIGHT),
                "{name}"
            );
        }
    }

    #[test]
    fn all_records_in_one_pass_match_one_exercise_at_a_time() {
        let workouts = season();
        let all = all_personal_records(&workouts, Formula::Epley, NO_BODY_WEIGHT);
        assert!(all.len() >= 2, "the fixture has several exercises");
        for records in &all {
            let one = personal_records(&workouts, &records.exercise, Formula::Epley, NO_BODY_WEIGHT);
            assert_eq!(*records, one, "{}", records.exercise);
        }
    }

    #[test]
    fn e1rm_formulas_match_hand_computed_values() {
        close(Formula::Epley.e1rm(100.0, 5).unwrap(), 116.667);
        close(Formula::Brzycki.e1rm(100.0, 5).unwrap(), 112.5);
        close(Formula::Epley.e1rm(90.0, 8).unwrap(), 114.0);
        close(Formula::Brzycki.e1rm(100.0, 36).unwrap(), 3600.0);
        close(Formula::Epley.e1rm(100.0, 37).unwrap(), 223.333);
        assert_eq!(Formula::Brzycki.e1rm(100.0, 37), None);
        assert_eq!(Formula::Brzycki.e1rm(100.0, 40), None);
        assert_eq!(Formula::Epley.e1rm(100.0, 1), Some(100.0));
        assert_eq!(Formula::Brzycki.e1rm(100.0, 1), Some(100.0));
        assert_eq!(Formula::Epley.e1rm(100.0, 0), None);
        assert_eq!(Formula::Epley.e1rm(0.0, 5), None);
        assert_eq!(Formula::Epley.e1rm(f64::NAN, 5), None);
        assert!(Formula::Epley.describe().contains("1 + reps / 30"));
        assert!(Formula::Brzycki.describe().contains("37 − reps"));
    }

    #[test]
    fn formula_and_metric_parse() {
        assert_eq!("Brzycki".parse::<Formula>(), Ok(Formula::Brzycki));
        assert!("lombardi".parse::<Formula>().unwrap_err().contains("epley or brzycki"));
        assert_eq!("top-set".parse::<Metric>(), Ok(Metric::TopSet));
        assert_eq!("VOLUME".parse::<Metric>(), Ok(Metric::Volume));
        assert!("speed".parse::<Metric>().is_err());
        assert_eq!(serde_json::to_string(&Metric::TopSet).unwrap(), "\"top-set\"");
    }

    #[test]
    fn load_accounts_for_body_weight() {
        let sets = parse_sets("8@bw, 5@bw+20kg, 5@100kg, 30s", Unit::Kg).unwrap();
        assert_eq!(Load::of(&sets[0], Some(80.0)), Load::Full(80.0));
        assert_eq!(Load::of(&sets[1], Some(80.0)), Load::Full(100.0));
        assert_eq!(Load::of(&sets[0], None), Load::AddedOnly(0.0));
        assert_eq!(Load::of(&sets[1], None), Load::AddedOnly(20.0));
        assert_eq!(Load::of(&sets[2], None), Load::Full(100.0));
        assert_eq!(Load::of(&sets[3], Some(80.0)), Load::Unloaded);
        assert_eq!(Load::AddedOnly(20.0).record_kg(), None);
        assert_eq!(Load::AddedOnly(20.0).volume_kg(), 20.0);
        assert_eq!(Load::Unloaded.volume_kg(), 0.0);
    }

    #[test]
    fn personal_records_ignore_warmups_and_case() {
        let history = bench_history();
        let pr = personal_records(&history, "BENCH PRESS", Formula::Epley, NO_BODY_WEIGHT);
        let heaviest = pr.heaviest.unwrap();
        assert_eq!(
            (heaviest.value_kg, heaviest.reps, heaviest.workout_id.as_str()),
            (105.0, 3, "w1")
        );
        assert_eq!(heaviest.date, at("2024-01-01T10:00:00Z"));

        let e1rm = pr.best_e1rm.unwrap();
        close(e1rm.value_kg, 116.667);
        assert_eq!((e1rm.weight_kg, e1rm.reps), (100.0, 5));
        // Two identical 5@100 sets: the first one holds the record.
        assert_eq!(e1rm.set_id, history[1].exercises[0].sets[1].id);

        let rep_maxes: Vec<(u32, f64, &str)> = pr
            .rep_maxes
            .iter()
            .map(|rm| (rm.min_reps, rm.record.value_kg, rm.record.workout_id.as_str()))
            .collect();
        assert_eq!(
            rep_maxes,
            vec![
                (1, 105.0, "w1"),
                (3, 105.0, "w1"),
                (5, 100.0, "w1"),
                (8, 90.0, "w2"),
                (10, 80.0, "w2")
            ]
        );
        let set_volume = pr.best_set_volume.unwrap();
        assert_eq!((set_volume.value_kg, set_volume.workout_id.as_str()), (800.0, "w2"));
        let session = pr.best_session_volume.unwrap();
        // w1: 2×500 + 315 = 1315; w2: 720 + 800 = 1520 (the warm-up is not volume).
        assert_eq!((session.value_kg, session.workout_id.as_str()), (1520.0, "w2"));
    }

    #[test]
    fn brzycki_records() {
        let pr = personal_records(&bench_history(), "bench press", Formula::Brzycki, NO_BODY_WEIGHT);
        // 100×5 → 112.5 beats 90×8 → 111.72 and 105×3 → 111.18.
        close(pr.best_e1rm.unwrap().value_kg, 112.5);
        assert_eq!(pr.formula, Formula::Brzycki);
    }

    #[test]
    fn no_records_for_an_unknown_exercise() {
        let pr = personal_records(&bench_history(), "deadlift", Formula::Epley, NO_BODY_WEIGHT);
        assert_eq!(pr.heaviest, None);
        assert!(pr.rep_maxes.is_empty());
        assert_eq!(pr.best_session_volume, None);
    }

    #[test]
    fn bodyweight_records_need_body_weight() {
        let history = vec![workout("p1", "2024-01-01T10:00:00Z", &[("Pull Up", "8@bw, 5@bw+20kg")])];
        let log = [(at("2023-12-01T07:00:00Z"), 80.0), (at("2024-02-01T07:00:00Z"), 90.0)];
        let known = |t: DateTime<Utc>| latest_body_weight(&log, t);
        let pr = personal_records(&history, "pull up", Formula::Epley, &known);
        assert_eq!(pr.heaviest.map(|r| (r.value_kg, r.reps)), Some((100.0, 5)));
        // 80×8 = 640 beats 100×5 = 500.
        assert_eq!(pr.best_set_volume.map(|r| r.value_kg), Some(640.0));
        assert_eq!(pr.best_session_volume.map(|r| r.value_kg), Some(1140.0));

        let pr = personal_records(&history, "pull up", Formula::Epley, NO_BODY_WEIGHT);
        assert_eq!(pr.heaviest, None);
        assert_eq!(pr.best_e1rm, None);
        assert!(pr.rep_maxes.is_empty());
        assert_eq!(pr.best_set_volume.map(|r| r.value_kg), Some(100.0));
        assert_eq!(pr.best_session_volume.map(|r| r.value_kg), Some(100.0));
    }

    #[test]
    fn latest_body_weight_picks_the_last_weigh_in_before() {
        let log = [
            (at("2024-02-01T07:00:00Z"), 90.0),
            (at("2023-12-01T07:00:00Z"), 80.0),
            (at("2024-01-01T07:00:00Z"), f64::NAN),
        ];
        assert_eq!(latest_body_weight(&log, at("2023-11-30T00:00:00Z")), None);
        assert_eq!(latest_body_weight(&log, at("2024-01-15T00:00:00Z")), Some(80.0));
        assert_eq!(latest_body_weight(&log, at("2024-02-01T07:00:00Z")), Some(90.0));
    }

    fn summary(prs: &[NewPr]) -> Vec<(PrKind, f64, f64)> {
        prs.iter()
            .map(|pr| {
                let round = |v: f64| (v * 1000.0).round() / 1000.0;
                (pr.kind, round(pr.value_kg), round(pr.previous_kg))
            })
            .collect()
    }

    #[test]
    fn new_workout_beats_e1rm_and_5rm() {
        let new = workout("w4", "2024-01-22T10:00:00Z", &[("Bench Press", "w5@60kg, 5@102.5kg")]);
        let prs = new_prs(&bench_history(), &new, Formula::Epley, NO_BODY_WEIGHT);
        // 102.5 × (1 + 5/30) = 119.583 > 116.667; 102.5 for 5 > 100. Not heavier than 105.
        assert_eq!(
            summary(&prs),
            vec![(PrKind::E1rm, 119.583, 116.667), (PrKind::RepMax(5), 102.5, 100.0)]
        );
        assert_eq!(prs[0].exercise, "Bench Press");
    }

    #[test]
    fn added_sets_beat_records_of_their_own_workout() {
        let history = bench_history();
        let mut updated = history[0].clone();
        updated.add_sets("bench press", parse_sets("1@110kg", Unit::Kg).unwrap());
        let prs = new_prs(&history, &updated, Formula::Epley, NO_BODY_WEIGHT);
        // The single is the heaviest (1RM not repeated), and w2 now totals 1520 + 110.
        assert_eq!(
            summary(&prs),
            vec![
                (PrKind::Heaviest, 110.0, 105.0),
                (PrKind::SessionVolume, 1630.0, 1520.0)
            ]
        );
    }

    #[test]
    fn nothing_to_announce() {
        let history = bench_history();
        let first_deadlift = workout("w5", "2024-01-22T10:00:00Z", &[("Deadlift", "5@200kg")]);
        assert!(new_prs(&history, &first_deadlift, Formula::Epley, NO_BODY_WEIGHT).is_empty());
        let heavy_warmup = workout("w6", "2024-01-22T10:00:00Z", &[("bench press", "w1@150kg, 5@60kg")]);
        assert!(new_prs(&history, &heavy_warmup, Formula::Epley, NO_BODY_WEIGHT).is_empty());
        let mut lighter = history[0].clone();
        lighter.replace_sets("bench press", parse_sets("5@50kg", Unit::Kg).unwrap());
        assert!(new_prs(&history, &lighter, Formula::Epley, NO_BODY_WEIGHT).is_empty());
    }

    #[test]
    fn progress_series() {
        let history = bench_history();
        let series = |metric, since| {
            progress(&history, "Bench Press", metric, Formula::Epley, since, NO_BODY_WEIGHT)
                .into_iter()
                .map(|p| (p.workout_id, (p.value_kg * 1000.0).round() / 1000.0))
                .collect::<Vec<_>>()
        };
        let pair = |id: &str, v: f64| (id.to_string(), v);
        assert_eq!(series(Metric::E1rm, None), vec![pair("w1", 116.667), pair("w2", 114.0)]);
        assert_eq!(series(Metric::TopSet, None), vec![pair("w1", 105.0), pair("w2", 90.0)]);
        assert_eq!(
            series(Metric::Volume, None),
            vec![pair("w1", 1315.0), pair("w2", 1520.0)]
        );
        let since = Some(at("2024-01-08T10:00:00Z"));
        assert_eq!(series(Metric::TopSet, since), vec![pair("w2", 90.0)]);
        let none = progress(&history, "Deadlift", Metric::E1rm, Formula::Epley, None, NO_BODY_WEIGHT);
        assert!(none.is_empty());
    }

    /// Training weeks (Mondays, local time +02:00): Jan 15 to Feb 12 (five in
    /// a row), nothing on Feb 19 (a warm-up-only session and an empty one do
    /// not count), then Feb 26, Mar 4 and Mar 11 (three in a row).
    fn season() -> Vec<Workout> {
        let mut workouts: Vec<Workout> = ["2024-01-16", "2024-01-24", "2024-01-31", "2024-02-06", "2024-02-12"]
            .iter()
            .enumerate()
            .map(|(i, day)| workout(&format!("old{i}"), &format!("{day}T08:00:00Z"), &[("Squat", "5@100kg")]))
            .collect();
        workouts.extend([
            workout("warmups", "2024-02-20T08:00:00Z", &[("Squat", "w5@60kg")]),
            workout("empty", "2024-02-21T08:00:00Z", &[]),
            workout("feb26", "2024-02-27T08:00:00Z", &[("Squat", "5@100kg")]),
            workout(
                "mar5",
                "2024-03-05T08:00:00Z",
                &[("Squat", "5@100kg"), ("Zottman Curl", "10@10kg")],
            ),
            // Sunday 23:30 UTC is already Monday in +02:00: this week, not last.
            workout("late", "2024-03-10T23:30:00Z", &[("Pull Up", "5@bw+10kg")]),
            workout(
                "mar12",
                "2024-03-12T08:00:00Z",
                &[("Bench Press", "w5@60kg, 3x5@100kg")],
            ),
        ]);
        workouts
    }

    fn local(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn weekly_totals_per_iso_week_in_local_time() {
        let body = |_| Some(80.0);
        let report = weekly(&season(), 4, &local("2024-03-13T12:00:00+02:00"), &body);
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
    }

    #[test]
    fn streak_survives_an_empty_current_week_only() {
        let season = season();
        let streaks = |now: &str| {
            let report = weekly(&season, 0, &local(now), NO_BODY_WEIGHT);
            assert!(report.weeks.is_empty());
            (report.current_streak, report.longest_streak)
        };
        assert_eq!(streaks("2024-03-18T09:00:00+02:00"), (3, 5));
        assert_eq!(streaks("2024-03-25T09:00:00+02:00"), (0, 5));
        assert_eq!(streaks("2024-02-14T09:00:00+02:00"), (5, 5));
        assert_eq!(
            weekly(&[], 2, &local("2024-03-18T09:00:00+02:00"), NO_BODY_WEIGHT).longest_streak,
            0
        );
    }

    #[test]
    fn huge_week_counts_are_capped() {
        let report = weekly(&season(), u32::MAX, &local("2024-03-13T12:00:00+02:00"), NO_BODY_WEIGHT);
        assert_eq!(report.weeks.len(), MAX_WEEKS as usize);
    }

    #[test]
    fn daily_totals_in_local_time() {
        let days = daily(&season(), &FixedOffset::east_opt(2 * 3600).unwrap(), NO_BODY_WEIGHT);
        let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates.len(), 9);
        assert!(dates.contains(&"2024-03-11".to_string()));
        assert!(!dates.contains(&"2024-03-10".to_string()));
        assert!(!dates.contains(&"2024-02-20".to_string()));
        let last = days.last().unwrap();
        assert_eq!((last.totals.sets, last.totals.volume_kg), (3, 1500.0));
    }
}
