//! Every number pump shows a lifter is defined here, once, and used by every
//! command (`list`, `show`, `stats`, `pr`, `progress`, `calendar`, `history`,
//! CSV export), so the same week never has two totals:
//!
//! - **Load** of a set: its weight; for an `@bw` set, the body weight known
//!   at that date plus any added weight (the added weight alone while no
//!   body weight is known). See [`Load`].
//! - **Volume**: reps × load, summed over working sets (warm-ups never
//!   count). See [`set_volume_kg`] and [`volume`].
//! - **e1RM**: estimated one-rep max, from sets of [`E1RM_REPS`] only: past
//!   a dozen reps every formula drifts far from any real single. See
//!   [`Formula`].
//! - **Rep max** (N RM): the heaviest load lifted for at least N reps.
//! - **Kinds of set** ([`SetClass`]): weighted, bodyweight (`@bw`, or reps
//!   with nothing on the bar), timed and distance sets each have records of
//!   their own.
//! - **Chart point**: one per session, the session's best e1RM, its top set
//!   or its volume ([`Metric::of_session`]).
//!
//! Pure functions over the model, so a derived table or a report can reuse them.

use crate::model::{Set, SetKind, Workout};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use super::BodyWeight;

/// Bumped whenever a definition here changes what a record is, so records
/// cached by an older pump are recomputed rather than trusted.
pub const DEFINITIONS_VERSION: u32 = 2;

/// The reps an e1RM is estimated from. A single is its own max; past 12
/// reps a set says more about endurance than strength and every formula
/// runs away (Brzycki gives 36× the weight at 36 reps), so such sets count
/// for rep maxes, volume and max-reps records, never for e1RM.
pub const E1RM_REPS: RangeInclusive<u32> = 1..=12;

/// The rep counts with a rep max. A rep max for N is the heaviest load
/// lifted for *at least* N reps (the usual convention: a 6-rep set at 100 kg
/// also proves a 5RM of 100 kg). So the 1RM is always the heaviest set.
pub const REP_MAX_TARGETS: [u32; 5] = [1, 3, 5, 8, 10];

/// Warm-ups are preparation: counting them would reward padding a session
/// with easy sets.
pub fn is_working(set: &Set) -> bool {
    set.kind != SetKind::Warmup
}

/// How a one-rep max is estimated from a set of several reps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formula {
    /// `weight × (1 + reps / 30)`: the usual default.
    #[default]
    Epley,
    /// `weight × 36 / (37 − reps)`: a little lower from ten reps up.
    Brzycki,
}

impl Formula {
    /// The estimated one-rep max, or `None` when no estimate makes sense:
    /// no load, or reps outside [`E1RM_REPS`]. A single is its own max
    /// under both formulas; within the range no estimate exceeds 1.5× the
    /// weight lifted.
    pub fn e1rm(self, weight_kg: f64, reps: u32) -> Option<f64> {
        if !weight_kg.is_finite() || weight_kg <= 0.0 || !E1RM_REPS.contains(&reps) {
            return None;
        }
        if reps == 1 {
            return Some(weight_kg);
        }
        let reps = f64::from(reps);
        Some(match self {
            Formula::Epley => weight_kg * (1.0 + reps / 30.0),
            Formula::Brzycki => weight_kg * 36.0 / (37.0 - reps),
        })
    }

    /// The formula written out, with the reps it is used for, for the
    /// header of a records table.
    pub fn describe(self) -> String {
        let formula = match self {
            Formula::Epley => "Epley: 1RM = weight × (1 + reps / 30)",
            Formula::Brzycki => "Brzycki: 1RM = weight × 36 / (37 − reps)",
        };
        format!(
            "{formula}, from sets of {} to {} reps",
            E1RM_REPS.start(),
            E1RM_REPS.end()
        )
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

/// What a set moved, in kg: the one place that decides how bodyweight sets
/// count, so records, volume and charts agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Load {
    /// The whole load is known: the external weight, or body weight plus
    /// any added weight.
    Full(f64),
    /// A bodyweight set while body weight is unknown: only the added weight
    /// (maybe 0) is known. It counts toward volume, never toward records of
    /// the load.
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

/// Volume: reps × load. Every volume pump shows is a sum of these.
pub fn reps_times_load(reps: u32, load: Load) -> f64 {
    f64::from(reps) * load.volume_kg()
}

/// The volume of one working set: reps × load (0 for warm-ups and for sets
/// without reps: a hold or a run moves no reps).
pub fn set_volume_kg(set: &Set, body_weight_kg: Option<f64>) -> f64 {
    if !is_working(set) {
        return 0.0;
    }
    reps_times_load(set.reps.unwrap_or(0), Load::of(set, body_weight_kg))
}

/// A total volume, and how much of it is only an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Volume {
    /// Reps × load over the working sets, in kg.
    pub kg: f64,
    /// `@bw` sets counted at their added load alone because no body weight
    /// was known at their date: the total is that much too low, and the
    /// output says so.
    pub sets_without_body_weight: u32,
}

impl Volume {
    /// Adds one set done when the lifter weighed `body_weight_kg` (if
    /// known), and returns that set's volume.
    pub fn add(&mut self, set: &Set, body_weight_kg: Option<f64>) -> f64 {
        let volume = set_volume_kg(set, body_weight_kg);
        self.kg += volume;
        let weighed_without_body = matches!(Load::of(set, body_weight_kg), Load::AddedOnly(_));
        if is_working(set) && set.reps.is_some() && weighed_without_body {
            self.sets_without_body_weight += 1;
        }
        volume
    }
}

/// The volume of a whole workout, body weight taken at its start.
pub fn volume(workout: &Workout, body_weight: BodyWeight) -> Volume {
    let sets = workout.exercises.iter().flat_map(|e| &e.sets);
    let body = body_weight_if_needed(workout, sets.clone(), body_weight);
    let mut total = Volume::default();
    for set in sets {
        total.add(set, body);
    }
    total
}

/// The body weight on the day of `workout`, asked for only when one of
/// `sets` needs it: the lookup may scan a whole weigh-in log.
pub fn body_weight_if_needed<'a>(
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

/// What kind of set it is: each kind has records of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetClass {
    /// Reps with a weight on the bar (`5@100kg`).
    Weighted,
    /// Reps with the body as the load: `@bw` (with or without added load),
    /// or reps with nothing written (`10`).
    Bodyweight,
    /// A hold for a time (`60s`, `1:30@20kg`).
    Timed,
    /// A distance, maybe with its time (`5km in 25min`).
    Distance,
}

impl SetClass {
    /// The kind of `set`, or `None` for a set with nothing to count (a
    /// missed attempt is never a record, whatever was on the bar).
    pub fn of(set: &Set) -> Option<SetClass> {
        if set.kind == SetKind::Missed {
            None
        } else if set.distance_m.is_some_and(|m| m > 0.0) {
            Some(SetClass::Distance)
        } else if set.reps.is_some_and(|r| r > 0) {
            let loaded = set.weight_kg.is_some_and(|kg| kg > 0.0);
            Some(if set.bodyweight || !loaded {
                SetClass::Bodyweight
            } else {
                SetClass::Weighted
            })
        } else if set.duration_s.is_some_and(|s| s > 0) {
            Some(SetClass::Timed)
        } else {
            None
        }
    }
}

/// Seconds per kilometre of a distance set with its time.
pub fn pace_s_per_km(set: &Set) -> Option<f64> {
    let metres = set.distance_m.filter(|m| *m > 0.0)?;
    let secs = set.duration_s.filter(|s| *s > 0)?;
    Some(f64::from(secs) / (metres / 1000.0))
}

/// What a progress chart plots: one value per session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// The best estimated one-rep max of the session (sets of [`E1RM_REPS`]).
    #[default]
    E1rm,
    /// The heaviest load of the session (any reps).
    TopSet,
    /// The session's volume.
    Volume,
}

impl Metric {
    /// The name `--metric` takes and JSON shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::E1rm => "e1rm",
            Metric::TopSet => "top-set",
            Metric::Volume => "volume",
        }
    }

    /// A session's value: the best e1RM or top set of its working sets, or
    /// its volume; `None` when it has none (only warm-ups, only sets past
    /// the e1RM range, only bodyweight sets while body weight is unknown).
    /// `sets` are one exercise's working sets of one session with their load.
    pub fn of_session<'a>(self, sets: impl Iterator<Item = (&'a Set, Load)>, formula: Formula) -> Option<f64> {
        self.best_of_session(sets, formula).map(|(value, _)| value)
    }

    /// [`Metric::of_session`] with the set that made the value: for e1RM
    /// and top set the best set (the earlier one on a tie, as with
    /// records); for volume, which is the whole session's, none.
    pub fn best_of_session<'a>(
        self,
        sets: impl Iterator<Item = (&'a Set, Load)>,
        formula: Formula,
    ) -> Option<(f64, Option<&'a Set>)> {
        let with_reps = sets.filter_map(|(set, load)| Some((set, load, set.reps.filter(|r| *r > 0)?)));
        let best = |values: &mut dyn Iterator<Item = (f64, &'a Set)>| {
            values
                .reduce(|best, next| if next.0 > best.0 { next } else { best })
                .map(|(value, set)| (value, Some(set)))
        };
        match self {
            Metric::E1rm => {
                best(&mut with_reps.filter_map(|(set, load, reps)| Some((formula.e1rm(load.record_kg()?, reps)?, set))))
            }
            Metric::TopSet => best(&mut with_reps.filter_map(|(set, load, _)| Some((load.record_kg()?, set)))),
            Metric::Volume => {
                let volume: f64 = with_reps.map(|(_, load, reps)| reps_times_load(reps, load)).sum();
                (volume > 0.0).then_some((volume, None))
            }
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::{Unit, parse_sets};

    #[test]
    fn e1rm_formulas_match_hand_computed_values() {
        close(Formula::Epley.e1rm(100.0, 5).unwrap(), 116.667);
        close(Formula::Brzycki.e1rm(100.0, 5).unwrap(), 112.5);
        close(Formula::Epley.e1rm(90.0, 8).unwrap(), 114.0);
        close(Formula::Brzycki.e1rm(90.0, 8).unwrap(), 111.724);
        close(Formula::Epley.e1rm(60.0, 12).unwrap(), 84.0);
        close(Formula::Brzycki.e1rm(60.0, 12).unwrap(), 86.4);
        close(Formula::Epley.e1rm(140.0, 3).unwrap(), 154.0);
        close(Formula::Brzycki.e1rm(140.0, 3).unwrap(), 148.235);
        for formula in [Formula::Epley, Formula::Brzycki] {
            assert_eq!(formula.e1rm(100.0, 1), Some(100.0));
            assert_eq!(formula.e1rm(100.0, 13), None, "past the e1RM range");
            assert_eq!(formula.e1rm(100.0, 36), None);
            assert_eq!(formula.e1rm(79.0, 103), None);
            assert_eq!(formula.e1rm(100.0, 0), None);
            assert_eq!(formula.e1rm(0.0, 5), None);
            assert_eq!(formula.e1rm(f64::NAN, 5), None);
            assert!(formula.describe().contains("from sets of 1 to 12 reps"));
        }
        assert!(Formula::Epley.describe().contains("1 + reps / 30"));
        assert!(Formula::Brzycki.describe().contains("37 − reps"));
    }

    #[test]
    fn no_estimate_is_above_twice_the_weight_lifted() {
        for formula in [Formula::Epley, Formula::Brzycki] {
            for reps in 0..=1000 {
                for weight in [0.5, 20.0, 102.5, 400.0, 2000.0] {
                    if let Some(e1rm) = formula.e1rm(weight, reps) {
                        assert!(
                            e1rm >= weight && e1rm <= 2.0 * weight,
                            "{formula} {weight}×{reps}: {e1rm}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn formula_parses() {
        assert_eq!("Brzycki".parse::<Formula>(), Ok(Formula::Brzycki));
        assert!("lombardi".parse::<Formula>().unwrap_err().contains("epley or brzycki"));
    }

    #[test]
    fn metric_parses() {
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
    fn volume_counts_body_weight_and_says_when_it_is_unknown() {
        let w = workout(
            "v",
            "2024-01-01T10:00:00Z",
            &[
                ("Pull Up", "w5@bw, 8@bw, 5@bw+20kg"),
                ("Squat", "5@100kg"),
                ("Plank", "60s@20kg"),
            ],
        );
        let known = volume(&w, &|_| Some(80.0));
        // 8 × 80 + 5 × 100 + 5 × 100; the warm-up and the hold move no volume.
        assert_eq!(
            known,
            Volume {
                kg: 1640.0,
                sets_without_body_weight: 0
            }
        );
        let unknown = volume(&w, NO_BODY_WEIGHT);
        assert_eq!(
            unknown,
            Volume {
                kg: 600.0,
                sets_without_body_weight: 2
            }
        );
    }

    #[test]
    fn every_set_has_its_kind() {
        let sets = parse_sets(
            "5@100kg, 10@bw, 8@bw+10kg, 12, 60s, 1:30@20kg, 5km in 25min, 400m",
            Unit::Kg,
        )
        .unwrap();
        let classes: Vec<Option<SetClass>> = sets.iter().map(SetClass::of).collect();
        use SetClass::*;
        assert_eq!(
            classes,
            [
                Weighted, Bodyweight, Bodyweight, Bodyweight, Timed, Timed, Distance, Distance
            ]
            .map(Some)
        );
        assert_eq!(pace_s_per_km(&sets[6]), Some(300.0));
        let nothing = parse_sets("0@120kg, ?, ?@60kg", Unit::Kg).unwrap();
        assert!(nothing.iter().all(|s| SetClass::of(s).is_none()), "never a record");
        assert!(nothing.iter().all(is_working), "each still counts as a set");
        assert!(
            nothing.iter().all(|s| set_volume_kg(s, None) == 0.0),
            "and moves no volume"
        );
        assert_eq!(pace_s_per_km(&sets[7]), None);
    }
}
