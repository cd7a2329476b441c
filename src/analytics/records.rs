//! Personal records of every kind of set (weighted, bodyweight, timed,
//! distance), each exercise's records, and which records a new workout beats.

use super::definitions::{E1RM_REPS, Formula, Load, REP_MAX_TARGETS, SetClass, pace_s_per_km, reps_times_load};
use super::{Identities, Lifter, chronological, working_sets};
use crate::model::{Set, Workout};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::iter;

/// Improvements smaller than this are rounding noise, not records.
const EPSILON: f64 = 1e-9;

/// A record of the load a set moved (heaviest, e1RM, rep max, volume).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetRecord {
    /// The record's value: a load, an estimated max or a volume, in kg.
    pub value_kg: f64,
    /// What the set moved (body weight included when known).
    pub weight_kg: f64,
    /// The set's reps.
    pub reps: u32,
    /// When the set's workout started.
    pub date: DateTime<Utc>,
    /// The workout holding the record.
    pub workout_id: String,
    /// The set holding the record.
    pub set_id: String,
    /// An `@bw` set: shown as `bw×10` or `bw+10kg×8`, never as a bare weight.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bodyweight: bool,
    /// The weight added to an `@bw` set, in kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_kg: Option<f64>,
}

/// A record of a set measured in something else than kg: most reps, the
/// longest hold, the longest or fastest distance. The set says what it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetBest {
    /// The record's value, in the record's [`Measure`].
    pub value: f64,
    /// When the set's workout started.
    pub date: DateTime<Utc>,
    /// The workout holding the record.
    pub workout_id: String,
    /// The set holding the record.
    pub set: Set,
}

/// A record held by a whole session of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session's total volume in kg.
    pub value_kg: f64,
    /// When the session started.
    pub date: DateTime<Utc>,
    /// The workout holding the record.
    pub workout_id: String,
}

/// The heaviest load lifted for at least `min_reps` reps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepMax {
    /// The record is the heaviest load lifted for at least this many reps.
    pub min_reps: u32,
    /// The set that holds it.
    pub record: SetRecord,
}

/// The fastest time over one distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistanceTime {
    /// The distance, to the metre.
    pub distance_m: u32,
    /// The set with the best time (its value in seconds).
    pub record: SetBest,
}

/// The reps e1RM is estimated from, as JSON shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepRange {
    /// The fewest reps.
    pub min: u32,
    /// The most reps.
    pub max: u32,
}

/// One exercise's records. A record is `None` (or absent from a list)
/// until some working set qualifies. On a tie the earlier set keeps the
/// record, except that more reps (or a longer hold) at the same value win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalRecords {
    /// The exercise as asked for (or as first written, for all exercises).
    pub exercise: String,
    /// How `best_e1rm` was estimated.
    pub formula: Formula,
    /// The sets `best_e1rm` was estimated from.
    pub e1rm_reps: RepRange,
    /// The heaviest load lifted (also the 1RM).
    pub heaviest: Option<SetRecord>,
    /// The set with the highest estimated one-rep max.
    pub best_e1rm: Option<SetRecord>,
    /// One per [`REP_MAX_TARGETS`] count reached, fewest reps first.
    pub rep_maxes: Vec<RepMax>,
    /// The set with the most volume.
    pub best_set_volume: Option<SetRecord>,
    /// The session with the most volume of this exercise.
    pub best_session_volume: Option<SessionRecord>,
    /// Bodyweight sets: the most reps in one set.
    pub most_reps: Option<SetBest>,
    /// Bodyweight sets: the most weight added, in kg.
    pub heaviest_added: Option<SetBest>,
    /// Timed sets: the longest, in seconds.
    pub longest_hold: Option<SetBest>,
    /// Timed sets with a load: the heaviest, in kg.
    pub heaviest_hold: Option<SetBest>,
    /// Distance sets: the longest, in metres.
    pub longest_distance: Option<SetBest>,
    /// Distance sets with a time: the fastest pace, in seconds per km.
    pub fastest_pace: Option<SetBest>,
    /// Distance sets with a time: the best time at each distance, shortest first.
    pub best_times: Vec<DistanceTime>,
}

impl PersonalRecords {
    fn none(exercise: &str, formula: Formula) -> PersonalRecords {
        PersonalRecords {
            exercise: exercise.to_string(),
            formula,
            e1rm_reps: RepRange {
                min: *E1RM_REPS.start(),
                max: *E1RM_REPS.end(),
            },
            heaviest: None,
            best_e1rm: None,
            rep_maxes: Vec::new(),
            best_set_volume: None,
            best_session_volume: None,
            most_reps: None,
            heaviest_added: None,
            longest_hold: None,
            heaviest_hold: None,
            longest_distance: None,
            fastest_pace: None,
            best_times: Vec::new(),
        }
    }

    /// Whether any working set of any kind has set a record yet.
    pub fn is_empty(&self) -> bool {
        self.heaviest.is_none()
            && self.best_set_volume.is_none()
            && self.most_reps.is_none()
            && self.longest_hold.is_none()
            && self.heaviest_hold.is_none()
            && self.longest_distance.is_none()
    }

    /// Counts one session's working sets of this exercise, in order.
    fn absorb<'a>(&mut self, workout: &Workout, sets: impl Iterator<Item = (&'a Set, Load)>) {
        let mut session_volume = 0.0;
        for (set, load) in sets {
            let Some(class) = SetClass::of(set) else { continue };
            let best = |value: f64| SetBest {
                value,
                date: workout.started_at,
                workout_id: workout.id.clone(),
                set: set.clone(),
            };
            match class {
                SetClass::Weighted | SetClass::Bodyweight => {
                    let reps = set.reps.unwrap_or(0);
                    session_volume += reps_times_load(reps, load);
                    self.absorb_load(workout, set, load, reps);
                    if class == SetClass::Bodyweight {
                        offer(&mut self.most_reps, f64::from(reps), 0.0, Better::Higher, best);
                        if set.bodyweight
                            && let Some(added) = set.weight_kg.filter(|kg| *kg > 0.0)
                        {
                            offer(&mut self.heaviest_added, added, f64::from(reps), Better::Higher, best);
                        }
                    }
                }
                SetClass::Timed => {
                    let secs = f64::from(set.duration_s.unwrap_or(0));
                    offer(&mut self.longest_hold, secs, 0.0, Better::Higher, best);
                    if let Some(kg) = load.record_kg() {
                        offer(&mut self.heaviest_hold, kg, secs, Better::Higher, best);
                    }
                }
                SetClass::Distance => {
                    let metres = set.distance_m.unwrap_or(0.0);
                    offer(&mut self.longest_distance, metres, 0.0, Better::Higher, best);
                    if let Some(pace) = pace_s_per_km(set) {
                        offer(&mut self.fastest_pace, pace, 0.0, Better::Lower, best);
                        let distance_m = metres.round() as u32;
                        let secs = f64::from(set.duration_s.unwrap_or(0));
                        match self.best_times.binary_search_by_key(&distance_m, |t| t.distance_m) {
                            Ok(at) => {
                                let held = &mut self.best_times[at].record;
                                if Better::Lower.improves(secs, held.value) {
                                    *held = best(secs);
                                }
                            }
                            Err(at) => self.best_times.insert(
                                at,
                                DistanceTime {
                                    distance_m,
                                    record: best(secs),
                                },
                            ),
                        }
                    }
                }
            }
        }
        let beats = self
            .best_session_volume
            .as_ref()
            .is_none_or(|best| session_volume > best.value_kg + EPSILON);
        if session_volume > 0.0 && beats {
            self.best_session_volume = Some(SessionRecord {
                value_kg: session_volume,
                date: workout.started_at,
                workout_id: workout.id.clone(),
            });
        }
    }

    /// The load records of one set with reps.
    fn absorb_load(&mut self, workout: &Workout, set: &Set, load: Load, reps: u32) {
        // Records are built only when they win: most sets beat nothing,
        // and cloning two ids per candidate dominated the run time.
        let record = |value_kg: f64| SetRecord {
            value_kg,
            weight_kg: load.volume_kg(),
            reps,
            date: workout.started_at,
            workout_id: workout.id.clone(),
            set_id: set.id.clone(),
            bodyweight: set.bodyweight,
            added_kg: set.weight_kg.filter(|kg| set.bodyweight && *kg > 0.0),
        };
        let keep = |slot: &mut Option<SetRecord>, value: f64| {
            if beats(slot.as_ref(), value, reps) {
                *slot = Some(record(value));
            }
        };
        let volume = reps_times_load(reps, load);
        if volume > 0.0 {
            keep(&mut self.best_set_volume, volume);
        }
        let Some(kg) = load.record_kg() else { return };
        keep(&mut self.heaviest, kg);
        if let Some(e1rm) = self.formula.e1rm(kg, reps) {
            keep(&mut self.best_e1rm, e1rm);
        }
        for min_reps in REP_MAX_TARGETS.into_iter().filter(|min| reps >= *min) {
            match self.rep_maxes.binary_search_by_key(&min_reps, |rm| rm.min_reps) {
                Ok(at) => {
                    if beats(Some(&self.rep_maxes[at].record), kg, reps) {
                        self.rep_maxes[at].record = record(kg);
                    }
                }
                Err(at) => self.rep_maxes.insert(
                    at,
                    RepMax {
                        min_reps,
                        record: record(kg),
                    },
                ),
            }
        }
    }
}

/// Which way a record improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Better {
    Higher,
    Lower,
}

impl Better {
    /// Whether `value` improves on `best` by more than rounding noise.
    fn improves(self, value: f64, best: f64) -> bool {
        match self {
            Better::Higher => value > best + EPSILON,
            Better::Lower => value < best - EPSILON,
        }
    }
}

/// Puts the set into `slot` when it holds nothing yet, improves the value,
/// or ties it with a higher `tiebreak` (more reps, a longer hold).
fn offer(slot: &mut Option<SetBest>, value: f64, tiebreak: f64, better: Better, best: impl FnOnce(f64) -> SetBest) {
    let wins = slot.as_ref().is_none_or(|held| {
        better.improves(value, held.value)
            || ((value - held.value).abs() <= EPSILON && tiebreak > tiebreak_of(held) + EPSILON)
    });
    if wins {
        *slot = Some(best(value));
    }
}

/// What breaks a tie between two sets of the same value: reps for a rep
/// set, seconds for a hold.
fn tiebreak_of(held: &SetBest) -> f64 {
    match (held.set.reps, held.set.duration_s) {
        (Some(reps), _) => f64::from(reps),
        (None, Some(secs)) => f64::from(secs),
        (None, None) => 0.0,
    }
}

/// Whether a set of `value` × `reps` takes the record from `best`: a higher
/// value, or the same value for more reps.
fn beats(best: Option<&SetRecord>, value: f64, reps: u32) -> bool {
    best.is_none_or(|best| value > best.value_kg + EPSILON || (value > best.value_kg - EPSILON && reps > best.reps))
}

/// The records for `exercise` over `workouts` (any order).
pub fn personal_records(workouts: &[Workout], exercise: &str, formula: Formula, lifter: Lifter) -> PersonalRecords {
    let identities = Identities::of(workouts, lifter.names);
    records_in(
        workouts.iter(),
        &lifter.names.key(exercise),
        exercise,
        formula,
        &identities,
        lifter,
    )
}

/// The records of every exercise in `workouts` (with at least one working
/// set), in one grouping pass: each exercise only looks at the workouts that
/// contain it, not at all of them. Each is named as the catalogue (or the
/// first workout naming it) does.
pub fn all_personal_records(workouts: &[Workout], formula: Formula, lifter: Lifter) -> Vec<PersonalRecords> {
    let identities = Identities::of(workouts, lifter.names);
    let mut by_exercise: BTreeMap<&str, (&str, Vec<&Workout>)> = BTreeMap::new();
    for workout in workouts {
        for entry in &workout.exercises {
            let Some(identity) = identities.get(&entry.name) else {
                continue;
            };
            let (_, list) = by_exercise
                .entry(&identity.key)
                .or_insert_with(|| (&identity.name, Vec::new()));
            if list.last().is_none_or(|last| last.id != workout.id) {
                list.push(workout);
            }
        }
    }
    by_exercise
        .into_iter()
        .map(|(key, (name, list))| records_in(list.into_iter(), key, name, formula, &identities, lifter))
        .filter(|r| !r.is_empty())
        .collect()
}

fn records_in<'a>(
    workouts: impl Iterator<Item = &'a Workout>,
    key: &str,
    exercise: &str,
    formula: Formula,
    identities: &Identities,
    lifter: Lifter,
) -> PersonalRecords {
    let mut records = PersonalRecords::none(exercise, formula);
    for workout in chronological(workouts) {
        records.absorb(workout, working_sets(workout, key, identities, lifter.body_weight));
    }
    records
}

/// What a record is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A load or a volume, in kg.
    Kg,
    /// Repetitions.
    Reps,
    /// A time, in seconds.
    Seconds,
    /// A distance, in metres.
    Metres,
    /// A pace, in seconds per km.
    SecondsPerKm,
}

/// Which record a new workout beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrKind {
    /// The heaviest load.
    Heaviest,
    /// The estimated one-rep max.
    E1rm,
    /// Heaviest load for at least this many reps.
    RepMax(u32),
    /// The most volume in one set.
    SetVolume,
    /// The most volume in one session.
    SessionVolume,
    /// The most reps in one bodyweight set.
    MostReps,
    /// The most weight added to a bodyweight set.
    HeaviestAdded,
    /// The longest hold.
    LongestHold,
    /// The heaviest loaded hold.
    HeaviestHold,
    /// The longest distance.
    LongestDistance,
    /// The fastest pace.
    FastestPace,
    /// The best time over this many metres.
    BestTime(u32),
}

impl PrKind {
    /// What the record's values are counted in.
    pub fn measure(self) -> Measure {
        match self {
            PrKind::Heaviest
            | PrKind::E1rm
            | PrKind::RepMax(_)
            | PrKind::SetVolume
            | PrKind::SessionVolume
            | PrKind::HeaviestAdded
            | PrKind::HeaviestHold => Measure::Kg,
            PrKind::MostReps => Measure::Reps,
            PrKind::LongestHold | PrKind::BestTime(_) => Measure::Seconds,
            PrKind::LongestDistance => Measure::Metres,
            PrKind::FastestPace => Measure::SecondsPerKm,
        }
    }

    fn better(self) -> Better {
        match self {
            PrKind::FastestPace | PrKind::BestTime(_) => Better::Lower,
            _ => Better::Higher,
        }
    }
}

impl fmt::Display for PrKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrKind::Heaviest => f.write_str("heaviest set"),
            PrKind::E1rm => f.write_str("e1RM"),
            PrKind::RepMax(reps) => write!(f, "{reps}RM"),
            PrKind::SetVolume => f.write_str("set volume"),
            PrKind::SessionVolume => f.write_str("session volume"),
            PrKind::MostReps => f.write_str("most reps"),
            PrKind::HeaviestAdded => f.write_str("heaviest added load"),
            PrKind::LongestHold => f.write_str("longest hold"),
            PrKind::HeaviestHold => f.write_str("heaviest hold"),
            PrKind::LongestDistance => f.write_str("longest distance"),
            PrKind::FastestPace => f.write_str("fastest pace"),
            PrKind::BestTime(metres) if metres % 1000 == 0 => write!(f, "best {} km time", metres / 1000),
            PrKind::BestTime(metres) => write!(f, "best {metres} m time"),
        }
    }
}

/// "New PR: Bench Press e1RM 116.7 kg (was 112.5)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewPr {
    /// The exercise as the updated workout names it.
    pub exercise: String,
    /// Which record.
    pub kind: PrKind,
    /// The new record, in the kind's [`Measure`].
    pub value: f64,
    /// The record it beat.
    pub previous: f64,
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
pub fn new_prs(history: &[Workout], updated: &Workout, formula: Formula, lifter: Lifter) -> Vec<NewPr> {
    let identities = Identities::of(history.iter().chain(iter::once(updated)), lifter.names);
    let mut prs = Vec::new();
    for name in exercise_names(updated, lifter) {
        let key = lifter.names.key(name);
        let before = records_in(history.iter(), &key, name, formula, &identities, lifter);
        let others = history.iter().filter(|w| w.id != updated.id);
        let after = records_in(
            others.chain(iter::once(updated)),
            &key,
            name,
            formula,
            &identities,
            lifter,
        );
        prs.extend(beaten(&before, &after));
    }
    prs
}

/// Each exercise of `workout` once, as the workout first names it.
pub fn exercise_names<'w>(workout: &'w Workout, lifter: Lifter) -> Vec<&'w str> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for entry in &workout.exercises {
        let key = lifter.names.key(&entry.name);
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
pub fn records_with(before: &PersonalRecords, updated: &Workout, lifter: Lifter) -> PersonalRecords {
    let identities = Identities::of(iter::once(updated), lifter.names);
    let key = lifter.names.key(&before.exercise);
    let mut after = before.clone();
    after.absorb(updated, working_sets(updated, &key, &identities, lifter.body_weight));
    after
}

/// The records `after` holds above `before`: what to announce.
pub fn beaten(before: &PersonalRecords, after: &PersonalRecords) -> Vec<NewPr> {
    let load = |r: &Option<SetRecord>| r.as_ref().map(|r| r.value_kg);
    let best = |r: &Option<SetBest>| r.as_ref().map(|r| r.value);
    let session = |r: &PersonalRecords| r.best_session_volume.as_ref().map(|r| r.value_kg);
    let mut pairs = vec![
        (PrKind::Heaviest, load(&before.heaviest), load(&after.heaviest)),
        (PrKind::E1rm, load(&before.best_e1rm), load(&after.best_e1rm)),
    ];
    for old in before.rep_maxes.iter().filter(|rm| rm.min_reps > 1) {
        let new = after.rep_maxes.iter().find(|rm| rm.min_reps == old.min_reps);
        pairs.push((
            PrKind::RepMax(old.min_reps),
            Some(old.record.value_kg),
            new.map(|rm| rm.record.value_kg),
        ));
    }
    pairs.extend([
        (
            PrKind::SetVolume,
            load(&before.best_set_volume),
            load(&after.best_set_volume),
        ),
        (PrKind::SessionVolume, session(before), session(after)),
        (PrKind::MostReps, best(&before.most_reps), best(&after.most_reps)),
        (
            PrKind::HeaviestAdded,
            best(&before.heaviest_added),
            best(&after.heaviest_added),
        ),
        (
            PrKind::LongestHold,
            best(&before.longest_hold),
            best(&after.longest_hold),
        ),
        (
            PrKind::HeaviestHold,
            best(&before.heaviest_hold),
            best(&after.heaviest_hold),
        ),
        (
            PrKind::LongestDistance,
            best(&before.longest_distance),
            best(&after.longest_distance),
        ),
        (
            PrKind::FastestPace,
            best(&before.fastest_pace),
            best(&after.fastest_pace),
        ),
    ]);
    for old in &before.best_times {
        let new = after.best_times.iter().find(|t| t.distance_m == old.distance_m);
        pairs.push((
            PrKind::BestTime(old.distance_m),
            Some(old.record.value),
            new.map(|t| t.record.value),
        ));
    }
    pairs
        .into_iter()
        .filter_map(|(kind, old, new)| match (old, new) {
            (Some(previous), Some(value)) if kind.better().improves(value, previous) => Some(NewPr {
                exercise: after.exercise.clone(),
                kind,
                value,
                previous,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::latest_body_weight;
    use super::*;
    use crate::model::{ExerciseNames, Unit, parse_sets};

    fn lifter(body_weight: super::super::BodyWeight) -> Lifter {
        static NAMES: std::sync::OnceLock<ExerciseNames> = std::sync::OnceLock::new();
        Lifter {
            body_weight,
            names: NAMES.get_or_init(ExerciseNames::default),
        }
    }

    #[test]
    fn adding_a_workout_to_cached_records_equals_recomputing() {
        let mut history = season();
        history.push(workout(
            "cardio",
            "2024-03-01T08:00:00Z",
            &[
                ("Running", "5km in 26min, 3km in 15min"),
                ("Plank", "60s, 90s@10kg"),
                ("Dips", "10@bw, 8@bw+10kg"),
            ],
        ));
        history.push(workout(
            "newest",
            "2024-03-20T08:00:00Z",
            &[
                ("Running", "5km in 25min, 10km in 55min"),
                ("Plank", "2min"),
                ("Dips", "12@bw"),
                ("Squat", "5@105kg"),
            ],
        ));
        let newest = history.pop().expect("a fixture");
        let none = lifter(NO_BODY_WEIGHT);
        for name in exercise_names(&newest, none) {
            let before = personal_records(&history, name, Formula::Epley, none);
            let cached = records_with(&before, &newest, none);
            let mut all = history.clone();
            all.push(newest.clone());
            assert_eq!(cached, personal_records(&all, name, Formula::Epley, none), "{name}");
        }
    }

    #[test]
    fn all_records_in_one_pass_match_one_exercise_at_a_time() {
        let mut workouts = season();
        workouts.push(workout(
            "imported",
            "2024-03-14T08:00:00Z",
            &[("Bench Press (Barbell)", "5@110kg")],
        ));
        let none = lifter(NO_BODY_WEIGHT);
        let all = all_personal_records(&workouts, Formula::Epley, none);
        assert!(all.len() >= 2, "the fixture has several exercises");
        for records in &all {
            let one = personal_records(&workouts, &records.exercise, Formula::Epley, none);
            assert_eq!(*records, one, "{}", records.exercise);
        }
        let bench: Vec<&PersonalRecords> = all.iter().filter(|r| r.exercise.contains("Bench")).collect();
        assert_eq!(bench.len(), 1, "an imported name is the same exercise");
        assert_eq!(bench[0].exercise, "Bench Press");
        assert_eq!(bench[0].heaviest.as_ref().map(|r| r.value_kg), Some(110.0));
    }

    #[test]
    fn personal_records_ignore_warmups_and_case() {
        let history = bench_history();
        let pr = personal_records(&history, "BENCH PRESS", Formula::Epley, lifter(NO_BODY_WEIGHT));
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
        assert_eq!(pr.e1rm_reps, RepRange { min: 1, max: 12 });
    }

    #[test]
    fn brzycki_records() {
        let pr = personal_records(
            &bench_history(),
            "bench press",
            Formula::Brzycki,
            lifter(NO_BODY_WEIGHT),
        );
        // 100×5 → 112.5 beats 90×8 → 111.72 and 105×3 → 111.18.
        close(pr.best_e1rm.unwrap().value_kg, 112.5);
        assert_eq!(pr.formula, Formula::Brzycki);
    }

    #[test]
    fn sets_past_the_e1rm_range_count_for_everything_but_e1rm() {
        let history = vec![
            workout("single", "2024-01-01T10:00:00Z", &[("Squat", "1@200kg")]),
            workout("fifty", "2024-01-08T10:00:00Z", &[("Squat", "50@100kg")]),
        ];
        let none = lifter(NO_BODY_WEIGHT);
        let pr = personal_records(&history, "squat", Formula::Brzycki, none);
        assert_eq!(
            pr.best_e1rm.map(|r| (r.value_kg, r.workout_id)),
            Some((200.0, "single".into()))
        );
        assert_eq!(
            pr.rep_maxes.last().map(|rm| (rm.min_reps, rm.record.value_kg)),
            Some((10, 100.0))
        );
        assert_eq!(pr.best_set_volume.map(|r| r.value_kg), Some(5000.0));
        let prs = new_prs(&history[..1], &history[1], Formula::Epley, none);
        assert!(prs.iter().all(|pr| pr.kind != PrKind::E1rm), "{prs:?}");
    }

    #[test]
    fn no_records_for_an_unknown_exercise() {
        let pr = personal_records(&bench_history(), "deadlift", Formula::Epley, lifter(NO_BODY_WEIGHT));
        assert!(pr.is_empty());
        assert!(pr.rep_maxes.is_empty());
        assert_eq!(pr.best_session_volume, None);
    }

    #[test]
    fn bodyweight_records_with_and_without_body_weight() {
        let history = vec![workout("p1", "2024-01-01T10:00:00Z", &[("Pull Up", "8@bw, 5@bw+20kg")])];
        let log = [(at("2023-12-01T07:00:00Z"), 80.0), (at("2024-02-01T07:00:00Z"), 90.0)];
        let known = |t: DateTime<Utc>| latest_body_weight(&log, t);
        let pr = personal_records(&history, "pull up", Formula::Epley, lifter(&known));
        let heaviest = pr.heaviest.unwrap();
        assert_eq!((heaviest.value_kg, heaviest.reps), (100.0, 5));
        assert_eq!((heaviest.bodyweight, heaviest.added_kg), (true, Some(20.0)));
        // 80×8 = 640 beats 100×5 = 500.
        assert_eq!(pr.best_set_volume.map(|r| r.value_kg), Some(640.0));
        assert_eq!(pr.best_session_volume.map(|r| r.value_kg), Some(1140.0));
        assert_eq!(pr.most_reps.map(|r| r.value), Some(8.0));
        assert_eq!(pr.heaviest_added.map(|r| (r.value, r.set.reps)), Some((20.0, Some(5))));

        let pr = personal_records(&history, "pull up", Formula::Epley, lifter(NO_BODY_WEIGHT));
        assert_eq!(pr.heaviest, None);
        assert_eq!(pr.best_e1rm, None);
        assert!(pr.rep_maxes.is_empty());
        let set_volume = pr.best_set_volume.clone().unwrap();
        assert_eq!((set_volume.value_kg, set_volume.bodyweight), (100.0, true));
        assert_eq!(pr.best_session_volume.as_ref().map(|r| r.value_kg), Some(100.0));
        assert_eq!(pr.most_reps.as_ref().map(|r| r.value), Some(8.0));
        assert!(!pr.is_empty());
    }

    #[test]
    fn timed_and_distance_records() {
        let history = vec![
            workout(
                "a",
                "2024-01-01T10:00:00Z",
                &[("Plank", "60s, 45s@20kg"), ("Running", "5km in 25min, 1km in 4min")],
            ),
            workout(
                "b",
                "2024-01-08T10:00:00Z",
                &[("Plank", "90s, 30s@20kg"), ("Running", "5km in 24min, 10km")],
            ),
        ];
        let none = lifter(NO_BODY_WEIGHT);
        let plank = personal_records(&history, "plank", Formula::Epley, none);
        assert_eq!(
            plank.longest_hold.as_ref().map(|r| (r.value, r.workout_id.as_str())),
            Some((90.0, "b"))
        );
        // Two 20 kg holds: the longer one keeps the record.
        assert_eq!(
            plank.heaviest_hold.as_ref().map(|r| (r.value, r.set.duration_s)),
            Some((20.0, Some(45)))
        );
        assert!(plank.heaviest.is_none() && plank.best_session_volume.is_none());

        let run = personal_records(&history, "running", Formula::Epley, none);
        assert_eq!(run.longest_distance.as_ref().map(|r| r.value), Some(10_000.0));
        assert_eq!(run.fastest_pace.as_ref().map(|r| r.value), Some(240.0));
        let times: Vec<(u32, f64)> = run.best_times.iter().map(|t| (t.distance_m, t.record.value)).collect();
        assert_eq!(times, [(1000, 240.0), (5000, 1440.0)]);

        let prs = new_prs(&history[..1], &history[1], Formula::Epley, none);
        let kinds: Vec<(PrKind, f64, f64)> = prs.iter().map(|p| (p.kind, p.value, p.previous)).collect();
        assert_eq!(
            kinds,
            [
                (PrKind::LongestHold, 90.0, 60.0),
                (PrKind::LongestDistance, 10_000.0, 5000.0),
                (PrKind::BestTime(5000), 1440.0, 1500.0),
            ]
        );
        assert_eq!(PrKind::BestTime(5000).to_string(), "best 5 km time");
        assert_eq!(PrKind::FastestPace.measure(), Measure::SecondsPerKm);
    }

    fn summary(prs: &[NewPr]) -> Vec<(PrKind, f64, f64)> {
        prs.iter()
            .map(|pr| {
                let round = |v: f64| (v * 1000.0).round() / 1000.0;
                (pr.kind, round(pr.value), round(pr.previous))
            })
            .collect()
    }

    #[test]
    fn new_workout_beats_e1rm_and_5rm() {
        let new = workout("w4", "2024-01-22T10:00:00Z", &[("Bench Press", "w5@60kg, 5@102.5kg")]);
        let prs = new_prs(&bench_history(), &new, Formula::Epley, lifter(NO_BODY_WEIGHT));
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
        let prs = new_prs(&history, &updated, Formula::Epley, lifter(NO_BODY_WEIGHT));
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
        let none = lifter(NO_BODY_WEIGHT);
        let first_deadlift = workout("w5", "2024-01-22T10:00:00Z", &[("Deadlift", "5@200kg")]);
        assert!(new_prs(&history, &first_deadlift, Formula::Epley, none).is_empty());
        let heavy_warmup = workout("w6", "2024-01-22T10:00:00Z", &[("bench press", "w1@150kg, 5@60kg")]);
        assert!(new_prs(&history, &heavy_warmup, Formula::Epley, none).is_empty());
        let mut lighter = history[0].clone();
        lighter.replace_sets("bench press", parse_sets("5@50kg", Unit::Kg).unwrap());
        assert!(new_prs(&history, &lighter, Formula::Epley, none).is_empty());
    }
}
