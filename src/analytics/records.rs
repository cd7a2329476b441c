//! Personal records: estimated one-rep maxes (Epley, Brzycki), what a set
//! moved (body weight included), each exercise's records, and which records
//! a new workout beats.

use super::{BodyWeight, chronological, working_sets};
use crate::model::catalogue::normalize;
use crate::model::{Set, Workout};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::iter;
use std::str::FromStr;

/// Improvements smaller than this are rounding noise, not records.
const EPSILON: f64 = 1e-9;

/// The rep counts with a rep max. A rep max for N is the heaviest load
/// lifted for *at least* N reps (the usual convention: a 6-rep set at 100 kg
/// also proves a 5RM of 100 kg). So the 1RM is always the heaviest set.
pub const REP_MAX_TARGETS: [u32; 5] = [1, 3, 5, 8, 10];

/// How a one-rep max is estimated from a set of several reps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formula {
    /// `weight × (1 + reps / 30)`: the usual default.
    #[default]
    Epley,
    /// `weight × 36 / (37 − reps)`: a little lower for sets of more than ten.
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

    /// The formula written out, for the footnote under a records table.
    pub fn describe(self) -> &'static str {
        match self {
            Formula::Epley => "Epley: 1RM = weight × (1 + reps / 30)",
            Formula::Brzycki => "Brzycki: 1RM = weight × 36 / (37 − reps), for up to 36 reps",
        }
    }

    /// The name `--formula` takes and JSON shows.
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
    /// What `set` moved, given the lifter's body weight that day when known.
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
    /// The set's reps.
    pub reps: u32,
    /// When the set's workout started.
    pub date: DateTime<Utc>,
    /// The workout holding the record.
    pub workout_id: String,
    /// The set holding the record.
    pub set_id: String,
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

/// One exercise's records. A record is `None` (or a rep max is absent)
/// until some working set qualifies. On a tie the earlier set keeps the
/// record, except that more reps at the same value win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalRecords {
    /// The exercise as asked for (or as first written, for all exercises).
    pub exercise: String,
    /// How `best_e1rm` was estimated.
    pub formula: Formula,
    /// The heaviest working set (also the 1RM).
    pub heaviest: Option<SetRecord>,
    /// The set with the highest estimated one-rep max.
    pub best_e1rm: Option<SetRecord>,
    /// One per [`REP_MAX_TARGETS`] count reached, fewest reps first.
    pub rep_maxes: Vec<RepMax>,
    /// The set with the most weight × reps.
    pub best_set_volume: Option<SetRecord>,
    /// The session with the most weight × reps of this exercise.
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

/// Which record a new workout beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrKind {
    /// The heaviest set.
    Heaviest,
    /// The estimated one-rep max.
    E1rm,
    /// Heaviest load for at least this many reps.
    RepMax(u32),
    /// The most weight × reps in one set.
    SetVolume,
    /// The most weight × reps in one session.
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
    /// Which record.
    pub kind: PrKind,
    /// The new record, in kg.
    pub value_kg: f64,
    /// The record it beat, in kg.
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::latest_body_weight;
    use super::*;
    use crate::model::{Unit, parse_sets};

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
    fn formula_parses() {
        assert_eq!("Brzycki".parse::<Formula>(), Ok(Formula::Brzycki));
        assert!("lombardi".parse::<Formula>().unwrap_err().contains("epley or brzycki"));
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
}
