use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Pounds to kilograms, exactly (international avoirdupois pound).
pub const KG_PER_LB: f64 = 0.453_592_37;

/// A new record id: UUIDv7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A unit of weight, as typed and as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Kilograms, the unit weights are stored in.
    #[default]
    Kg,
    /// Pounds.
    Lb,
}

impl Unit {
    /// `value` in this unit, in kg.
    pub fn to_kg(self, value: f64) -> f64 {
        match self {
            Unit::Kg => value,
            Unit::Lb => value * KG_PER_LB,
        }
    }

    /// `kg` in this unit.
    pub fn from_kg(self, kg: f64) -> f64 {
        match self {
            Unit::Kg => kg,
            Unit::Lb => kg / KG_PER_LB,
        }
    }

    /// `kg` or `lb`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Kg => "kg",
            Unit::Lb => "lb",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "kg" | "kgs" | "kilo" | "kilos" => Ok(Unit::Kg),
            "lb" | "lbs" | "pound" | "pounds" => Ok(Unit::Lb),
            _ => Err(format!("unknown unit '{s}': use kg or lb")),
        }
    }
}

/// A unit of distance, as typed, so `10mi` shows back as 10 mi, not 16.09 km.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DistanceUnit {
    /// Metres (`400m`).
    M,
    /// Kilometres (`5km`).
    Km,
    /// Statute miles (`3mi`).
    Mi,
}

impl DistanceUnit {
    /// Metres in one of this unit.
    pub fn metres(self) -> f64 {
        match self {
            DistanceUnit::M => 1.0,
            DistanceUnit::Km => 1000.0,
            DistanceUnit::Mi => 1609.344,
        }
    }

    /// `m`, `km` or `mi`, as the set grammar writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DistanceUnit::M => "m",
            DistanceUnit::Km => "km",
            DistanceUnit::Mi => "mi",
        }
    }

    /// The unit a distance without one is shown in: km from 1000 m up.
    pub fn for_metres(metres: f64) -> DistanceUnit {
        if metres >= 1000.0 {
            DistanceUnit::Km
        } else {
            DistanceUnit::M
        }
    }
}

/// What a set was for: only working sets count toward records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SetKind {
    /// A warm-up (`w5@60kg`): never a record, never in stats.
    Warmup,
    /// An ordinary set.
    #[default]
    Working,
    /// A drop set (`d8@80kg`).
    Drop,
    /// A set taken to failure (`f3@100kg`).
    Failure,
    /// A missed attempt (`0@120kg`): the lifter tried and did not complete a
    /// rep. It counts as a set, moves no volume and is never a record, but it
    /// is part of the history (imports keep them: Strong's and Hevy's 0-rep sets).
    Missed,
}

impl SetKind {
    /// The word used in JSON and in the set grammar's help.
    pub fn as_str(self) -> &'static str {
        match self {
            SetKind::Warmup => "warmup",
            SetKind::Working => "working",
            SetKind::Drop => "drop",
            SetKind::Failure => "failure",
            SetKind::Missed => "missed",
        }
    }
}

/// One set. Weight is canonical in kg and distance in metres; `unit` and
/// `distance_unit` remember what the lifter typed so `225lb` shows back as
/// 225 lb, not 102.06 kg, and `10mi` as 10 mi, not 16.09 km.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Set {
    /// Stable across edits and devices, so merges match sets by id.
    pub id: String,
    /// Repetitions, when the set counted any.
    #[serde(default)]
    pub reps: Option<u32>,
    /// External load in kg. For bodyweight sets this is the added load (or none).
    #[serde(default)]
    pub weight_kg: Option<f64>,
    /// The unit the weight was typed in.
    #[serde(default)]
    pub unit: Unit,
    /// A bodyweight set (`8@bw`, `8@bw+20kg`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bodyweight: bool,
    /// Rate of perceived exertion, 6 to 10.
    #[serde(default)]
    pub rpe: Option<f64>,
    /// Warm-up, working, drop or failure.
    #[serde(default)]
    pub kind: SetKind,
    /// How long the set lasted (a hold, a plank, a run's time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u32>,
    /// How far (a run, a ride), in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// The unit the distance was typed in; older records have none and show
    /// in km from 1000 m up, in m below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_unit: Option<DistanceUnit>,
    /// Free text about this one set ("left shoulder twinged"), merged as text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// One exercise of a workout, with its sets in the order done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExerciseEntry {
    /// Stable across edits and devices, so merges match entries by id.
    pub id: String,
    /// The exercise's name (the catalogue's, or the lifter's own).
    pub name: String,
    /// The sets, in the order done.
    #[serde(default)]
    pub sets: Vec<Set>,
    /// Free text about this exercise in this workout ("grip one finger
    /// wider"), merged as text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The superset this exercise was done in: exercises of a workout with
    /// the same number alternated set by set (Hevy's `superset_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superset: Option<u32>,
}

/// A workout: the unit of sync. Everything a lifter did in one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workout {
    /// A UUID v7, so ids sort by creation time.
    pub id: String,
    /// The name the lifter gave it.
    pub name: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while it is open (or when logged without a duration).
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    /// Free text.
    #[serde(default)]
    pub notes: String,
    /// What was done, in order.
    #[serde(default)]
    pub exercises: Vec<ExerciseEntry>,
    /// What a template planned, shown beside what was actually done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<ExerciseEntry>,
    /// For a workout read from another app's export, the local wall-clock
    /// times its `started_at` and `completed_at` were read from; `None` for
    /// one logged in pump, or once the lifter changed its times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<Provenance>,
}

/// Where an imported workout's times came from. Exports write local
/// wall-clock times without a zone, so each device reads them in its own:
/// the same file imported in Paris and in New York gives the same workout
/// six hours apart. Recording the text lets sync see that two such
/// versions disagree only in how they read it, not because anyone edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The app that wrote the export (`Strong`, `Hevy`, `FitNotes`).
    pub format: String,
    /// The start as the file wrote it, in local time (what the id derives from).
    pub local_start: NaiveDateTime,
    /// The end in local time, when the file gives one (Hevy's end time,
    /// Strong's start plus its duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_end: Option<NaiveDateTime>,
}

impl Provenance {
    /// Whether `started_at` and `completed_at` are this local text read in
    /// some real time zone: each differs from its local time by an offset
    /// a zone can have (UTC-12 to UTC+14), and an end is there exactly when
    /// the file gave one. Each is checked on its own, as a workout may
    /// span a change to or from summer time.
    pub fn is_read_as(&self, started_at: DateTime<Utc>, completed_at: Option<DateTime<Utc>>) -> bool {
        let zone_offset = |local: NaiveDateTime, at: DateTime<Utc>| {
            (TimeDelta::hours(-12)..=TimeDelta::hours(14)).contains(&(local.and_utc() - at))
        };
        zone_offset(self.local_start, started_at)
            && match (self.local_end, completed_at) {
                (Some(local), Some(at)) => zone_offset(local, at),
                (None, None) => true,
                _ => false,
            }
    }
}

pub const MAX_NAME_CHARS: usize = 200;

/// Trims and checks a workout name: 1 to 200 characters.
pub fn validate_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err("the workout name is empty: give it a name like \"Push day\"".into());
    }
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the workout name is {chars} characters long: keep it to {MAX_NAME_CHARS} or fewer"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the workout name contains control characters: use plain text".into());
    }
    Ok(name.to_string())
}

impl Workout {
    /// An empty workout starting at `started_at`, with a fresh id.
    pub fn new(name: String, started_at: DateTime<Utc>) -> Self {
        Workout {
            id: new_id(),
            name,
            started_at,
            completed_at: None,
            notes: String::new(),
            exercises: Vec::new(),
            plan: Vec::new(),
            imported: None,
        }
    }

    /// After an edit of `before`: times the lifter changed are theirs, no
    /// longer a reading of the export, so the workout forgets where they
    /// came from. A merge then treats them as an edit like any other.
    pub fn forget_provenance_if_retimed(&mut self, before: &Workout) {
        if (self.started_at, self.completed_at) != (before.started_at, before.completed_at) {
            self.imported = None;
        }
    }

    /// Appends sets to the entry for `exercise` (matched case-insensitively),
    /// creating the entry when the workout does not have it yet.
    pub fn add_sets(&mut self, exercise: &str, sets: Vec<Set>) {
        match self.exercise_mut(exercise) {
            Some(entry) => entry.sets.extend(sets),
            None => self.exercises.push(ExerciseEntry {
                id: new_id(),
                name: exercise.to_string(),
                sets,
                ..ExerciseEntry::default()
            }),
        }
    }

    /// Replaces the sets of `exercise`, or adds the exercise. The entry keeps
    /// its id so a concurrent edit elsewhere in the workout still merges.
    /// Set ids (and set notes) are reused by position, so changing one weight reads as an
    /// edit of that set (which merges with an edit of another set elsewhere)
    /// rather than as a delete plus an add.
    pub fn replace_sets(&mut self, exercise: &str, mut sets: Vec<Set>) {
        match self.exercise_mut(exercise) {
            Some(entry) => {
                for (new, old) in sets.iter_mut().zip(&entry.sets) {
                    new.id.clone_from(&old.id);
                    new.notes.clone_from(&old.notes);
                }
                entry.sets = sets;
            }
            None => self.exercises.push(ExerciseEntry {
                id: new_id(),
                name: exercise.to_string(),
                sets,
                ..ExerciseEntry::default()
            }),
        }
    }

    fn exercise_mut(&mut self, exercise: &str) -> Option<&mut ExerciseEntry> {
        self.exercises
            .iter_mut()
            .find(|e| e.name.eq_ignore_ascii_case(exercise))
    }

    /// How many sets, of every exercise.
    pub fn set_count(&self) -> usize {
        self.exercises.iter().map(|e| e.sets.len()).sum()
    }

    /// Checks invariants a workout must hold wherever it came from (the
    /// command line, `$EDITOR`, an import or the network).
    pub fn validate(&self) -> Result<(), String> {
        validate_name(&self.name)?;
        if let Some(end) = self.completed_at
            && end < self.started_at
        {
            return Err(format!(
                "the workout ends ({}) before it starts ({}): the end must come after the start",
                end.format("%Y-%m-%d %H:%M"),
                self.started_at.format("%Y-%m-%d %H:%M")
            ));
        }
        for entry in &self.exercises {
            if entry.name.trim().is_empty() {
                return Err("an exercise has an empty name".into());
            }
            for set in &entry.sets {
                set.validate()?;
            }
        }
        Ok(())
    }
}

impl Set {
    /// Checks a record that may come from another device or a file.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(w) = self.weight_kg
            && (!w.is_finite() || !(0.0..=2000.0).contains(&w))
        {
            return Err(format!("weight {w} kg is out of range: use 0 to 2000 kg"));
        }
        if let Some(rpe) = self.rpe
            && !(6.0..=10.0).contains(&rpe)
        {
            return Err(format!("RPE {rpe} is out of range: use 6 to 10 (e.g. /8 or /8.5)"));
        }
        if let Some(d) = self.distance_m
            && (!d.is_finite() || d <= 0.0)
        {
            return Err(format!("distance {d} m is out of range: use a positive distance"));
        }
        if self.kind == SetKind::Missed && self.reps.is_some_and(|r| r > 0) {
            return Err("a missed attempt has no reps: write it as 0@WEIGHT".into());
        }
        // A set with nothing measured is allowed: an app showed it as a set
        // (an import's empty row), so it stays one rather than vanishing.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a time").to_utc()
    }

    fn provenance(end: Option<&str>) -> Provenance {
        let local = |text: &str| text.parse::<NaiveDateTime>().expect("a local time");
        Provenance {
            format: "Hevy".into(),
            local_start: local("2026-03-29T01:30:00"),
            local_end: end.map(local),
        }
    }

    #[test]
    fn a_reading_is_the_local_text_in_any_real_zone() {
        let p = provenance(Some("2026-03-29T03:10:00"));
        // Paris: the workout spans the change to summer time (+1 then +2).
        assert!(p.is_read_as(at("2026-03-29T00:30:00Z"), Some(at("2026-03-29T01:10:00Z"))));
        // Baker Island (UTC-12) and Kiribati (UTC+14), the extremes.
        assert!(p.is_read_as(at("2026-03-29T13:30:00Z"), Some(at("2026-03-29T15:10:00Z"))));
        assert!(p.is_read_as(at("2026-03-28T11:30:00Z"), Some(at("2026-03-28T13:10:00Z"))));
        assert!(!p.is_read_as(at("2026-03-29T14:00:00Z"), Some(at("2026-03-29T15:10:00Z"))));
        assert!(!p.is_read_as(at("2026-03-29T00:30:00Z"), None), "the file gave an end");
        assert!(!provenance(None).is_read_as(at("2026-03-29T00:30:00Z"), Some(at("2026-03-29T01:10:00Z"))));
    }

    #[test]
    fn only_new_times_forget_where_they_came_from() {
        let mut before = Workout::new("Push".into(), at("2026-03-29T00:30:00Z"));
        before.imported = Some(provenance(None));
        let mut renamed = before.clone();
        renamed.name = "Push (heavy)".into();
        renamed.forget_provenance_if_retimed(&before);
        assert_eq!(renamed.imported, before.imported);
        let mut finished = before.clone();
        finished.completed_at = Some(at("2026-03-29T02:00:00Z"));
        finished.forget_provenance_if_retimed(&before);
        assert_eq!(finished.imported, None);
    }
}
