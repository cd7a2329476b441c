//! The other synced record kinds: exercise aliases, templates and body
//! weight. They travel through the same write path, clocks and sync
//! protocol as workouts; their ids are chosen so that two devices creating
//! "the same" record (an alias `bp`, the template "Push A", today's weight)
//! converge on one row instead of duplicating it.

use super::catalogue::normalize;
use super::workout::{ExerciseEntry, Unit};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `pump alias bp "Bench Press"`: a short name usable wherever an exercise
/// name is. Its id is the alias's normalized key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    /// The alias's normalized key, so one alias exists once across devices.
    pub id: String,
    /// The short name as typed.
    pub alias: String,
    /// The exercise it stands for.
    pub exercise: String,
}

impl Alias {
    /// An alias for `exercise`, refused when either name is not valid.
    pub fn new(alias: &str, exercise: &str) -> Result<Alias, String> {
        let id = normalize(alias);
        if id.is_empty() || alias.chars().count() > 50 {
            return Err(format!(
                "'{alias}' is not a usable alias: use 1 to 50 letters or digits, e.g. bp"
            ));
        }
        let alias = Alias {
            id,
            alias: alias.trim().to_string(),
            exercise: exercise.trim().to_string(),
        };
        alias.validate()?;
        Ok(alias)
    }

    /// Checks a record that may come from another device or a file.
    pub fn validate(&self) -> Result<(), String> {
        if self.id != normalize(&self.alias) || self.id.is_empty() {
            return Err(format!("alias '{}' does not match its id", self.alias));
        }
        if normalize(&self.exercise).is_empty() {
            return Err("an alias needs the exercise it stands for, e.g. pump alias bp \"Bench Press\"".into());
        }
        Ok(())
    }
}

/// A routine: planned exercises and sets, to start a workout from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Derived from the name ([`Template::id_for`]), so one name is one template everywhere.
    pub id: String,
    /// The name `pump start --template` takes.
    pub name: String,
    /// The planned exercises and sets.
    pub exercises: Vec<ExerciseEntry>,
}

impl Template {
    /// The id of the template named `name` (its normalized key).
    pub fn id_for(name: &str) -> String {
        normalize(name)
    }

    /// Checks a record that may come from another device or a file.
    pub fn validate(&self) -> Result<(), String> {
        super::validate_name(&self.name)?;
        if self.id != Template::id_for(&self.name) {
            return Err(format!("template '{}' does not match its id", self.name));
        }
        if self.exercises.is_empty() {
            return Err(format!(
                "template '{}' has no exercises: add some with -e \"squat: 3x5@100kg\"",
                self.name
            ));
        }
        for entry in &self.exercises {
            for set in &entry.sets {
                set.validate()?;
            }
        }
        Ok(())
    }
}

/// One body-weight reading. One per local day: its id is the date, so a
/// second reading the same day replaces the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyWeight {
    /// The local date (`YYYY-MM-DD`) of the reading.
    pub id: String,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The reading in kg.
    pub weight_kg: f64,
    /// The unit it was typed in, to show it back the same way.
    #[serde(default)]
    pub unit: Unit,
}

impl BodyWeight {
    /// Checks a record that may come from another device or a file.
    pub fn validate(&self) -> Result<(), String> {
        if !self.weight_kg.is_finite() || !(20.0..=400.0).contains(&self.weight_kg) {
            return Err(format!(
                "a body weight of {:.1} kg is out of range: use 20 to 400 kg",
                self.weight_kg
            ));
        }
        if chrono::NaiveDate::parse_from_str(&self.id, "%Y-%m-%d").is_err() {
            return Err(format!("body-weight entry '{}' is not keyed by a date", self.id));
        }
        Ok(())
    }
}
