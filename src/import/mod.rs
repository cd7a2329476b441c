//! Importers for other apps' CSV exports: Strong, Hevy and FitNotes.
//!
//! Pure: bytes in, [`Workout`]s out. Every id is derived from the file's own
//! data (never random), so importing the same export twice yields the same
//! records and the second import adds nothing.
//!
//! Conventions shared by all formats:
//! - times in the files are local wall-clock times;
//! - an empty number and a `0` both mean "not recorded" (Strong writes `0`
//!   for blanks, so a 0 kg load or 0 reps carries no information anyway);
//! - weights are rounded to 0.01 of the file's unit before converting to kg,
//!   which removes float noise like `149.99999999999997`;
//! - where a file gives no distance unit, `--unit kg` means km and
//!   `--unit lb` means miles;
//! - notes of an exercise (which pump has no place for) are kept as lines
//!   `Exercise: note` in the workout's notes.

mod assemble;
mod cells;
mod csv;
mod fitnotes;
mod hevy;
mod strong;
#[cfg(test)]
mod test_support;

use crate::model::{GrammarError, Set, Unit, Workout};
use chrono::{DateTime, Utc};
use csv::{find, open, without_bom};
use std::fmt;

/// The export formats pump reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Strong,
    Hevy,
    FitNotes,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Strong => "Strong",
            Format::Hevy => "Hevy",
            Format::FitNotes => "FitNotes",
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The unit of weights the file does not label (`--unit`).
    pub unit: Option<Unit>,
    /// Collect bad rows in [`Parsed::skipped`] instead of failing on the first.
    pub skip_invalid: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// In chronological order.
    pub workouts: Vec<Workout>,
    pub skipped: Vec<RowError>,
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file where the row starts.
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The header is missing or lacks a column the format needs.
    Header(String),
    /// The file does not say which unit its numbers are in and `--unit` was
    /// not given. Never skipped: skipping every loaded set would be worse.
    UnitNeeded(String),
    /// A bad row, when `skip_invalid` is off.
    Row(RowError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Header(message) | ImportError::UnitNeeded(message) => f.write_str(message),
            ImportError::Row(row) => row.fmt(f),
        }
    }
}

impl std::error::Error for ImportError {}

/// Guesses the format from the header line.
pub fn detect(text: &str) -> Option<Format> {
    let (header, _) = open(without_bom(text)).ok()?;
    let has = |name: &str| find(&header, name).is_some();
    if has("exercise_title") && has("start_time") {
        Some(Format::Hevy)
    } else if has("workout name") && has("exercise name") && has("set order") {
        Some(Format::Strong)
    } else if has("date") && has("exercise") && has("category") {
        Some(Format::FitNotes)
    } else {
        None
    }
}

/// Parses a whole export. Rows with nothing to import (Strong's rest timers,
/// blank lines) are left out silently; rows that are wrong fail the parse, or
/// land in `skipped` with `skip_invalid`.
pub fn parse(text: &str, format: Format, options: &ImportOptions) -> Result<Parsed, ImportError> {
    let text = without_bom(text);
    let (header, csv) = open(text)?;
    match format {
        Format::Strong => run(&strong::Strong::new(&header, options)?, text, csv, format, options),
        Format::Hevy => run(&hevy::Hevy::new(&header, options)?, text, csv, format, options),
        Format::FitNotes => run(&fitnotes::FitNotes::new(&header, options)?, text, csv, format, options),
    }
}

/// One row of an export, read by a format module.
struct Row {
    started_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    /// With `started_at`, what tells workouts apart: the workout name for
    /// Strong and Hevy, nothing for FitNotes (one workout per day).
    key: String,
    /// A name for the workout; the distinct names of its rows are joined.
    name: String,
    workout_notes: String,
    exercise: String,
    exercise_note: String,
    /// Position of the set within its exercise, when the file says.
    order: Option<u32>,
    /// None for a row that only carries a note.
    set: Option<Set>,
}

/// Why a row was not read.
enum Problem {
    /// This row is wrong (skippable).
    Row(String),
    /// The whole file cannot be read as asked.
    Fatal(ImportError),
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Row(message)
    }
}

impl From<GrammarError> for Problem {
    fn from(error: GrammarError) -> Self {
        Problem::Row(error.to_string())
    }
}

trait RowReader {
    /// The number of columns in the header.
    fn width(&self) -> usize;

    /// Reads a row with exactly `width` fields. `Ok(None)`: nothing to import.
    fn read(&self, fields: &[&str]) -> Result<Option<Row>, Problem>;

    /// Reads a row with the wrong number of fields.
    fn read_misaligned(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        Err(Problem::Row(format!(
            "the row has {} but the header has {}: check for a missing quote or a stray delimiter",
            count_of(fields.len(), "field"),
            self.width()
        )))
    }
}

/// `1 field`, `2 fields`.
fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Reads every row with `reader`, then groups them into workouts.
fn run(
    reader: &impl RowReader,
    text: &str,
    csv: ::csv::Reader<&[u8]>,
    format: Format,
    options: &ImportOptions,
) -> Result<Parsed, ImportError> {
    let mut skipped = Vec::new();
    let rows = csv::read_rows(reader, text, csv, options, &mut skipped)?;
    let workouts = assemble::assemble(format, rows, options, &mut skipped)?;
    Ok(Parsed { workouts, skipped })
}

/// A bad row: collected with `skip_invalid`, else the end of the import.
fn reject(error: RowError, options: &ImportOptions, skipped: &mut Vec<RowError>) -> Result<(), ImportError> {
    if options.skip_invalid {
        skipped.push(error);
        Ok(())
    } else {
        Err(ImportError::Row(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_every_header() {
        let cases = [
            (
                "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE",
                Format::Strong,
            ),
            (
                "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes\r\n",
                Format::Strong,
            ),
            (
                "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration",
                Format::Strong,
            ),
            (
                "\u{feff}\"Workout #\";\"Date\";\"Workout Name\";\"Duration (sec)\";\"Exercise Name\";\"Set Order\";\"Weight (kg)\";\"Reps\";\"RPE\";\"Distance (meters)\";\"Seconds\";\"Notes\";\"Workout Notes\"",
                Format::Strong,
            ),
            (
                "\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"superset_id\",\"exercise_notes\",\"set_index\",\"set_type\",\"weight_kg\",\"reps\",\"distance_km\",\"duration_seconds\",\"rpe\"",
                Format::Hevy,
            ),
            (
                "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe",
                Format::Hevy,
            ),
            (
                "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment",
                Format::FitNotes,
            ),
            (
                "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time",
                Format::FitNotes,
            ),
            (
                "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment",
                Format::FitNotes,
            ),
        ];
        for (header, format) in cases {
            assert_eq!(detect(header), Some(format), "{header}");
        }
        for other in ["", "\n\n", "name,age\nBob,3", "Date,Weight\n2026-01-01,80"] {
            assert_eq!(detect(other), None, "{other}");
        }
    }

    #[test]
    fn errors_read_as_one_line() {
        let e = ImportError::Row(RowError {
            line: 17,
            message: "reps '5.5' is not a whole number".into(),
        });
        assert_eq!(e.to_string(), "line 17: reps '5.5' is not a whole number");
    }

    #[test]
    fn an_empty_file_is_a_header_error() {
        for text in ["", "\u{feff}", "\n \n"] {
            assert!(matches!(
                parse(text, Format::Strong, &ImportOptions::default()),
                Err(ImportError::Header(_))
            ));
        }
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        const FIXTURES: [&str; 9] = [
            include_str!("../../tests/fixtures/import/strong_comma.csv"),
            include_str!("../../tests/fixtures/import/strong_semicolon.csv"),
            include_str!("../../tests/fixtures/import/strong_older.csv"),
            include_str!("../../tests/fixtures/import/hevy_kg.csv"),
            include_str!("../../tests/fixtures/import/hevy_lbs.csv"),
            include_str!("../../tests/fixtures/import/hevy_mixed.csv"),
            include_str!("../../tests/fixtures/import/fitnotes_kgs.csv"),
            include_str!("../../tests/fixtures/import/fitnotes_lbs.csv"),
            include_str!("../../tests/fixtures/import/fitnotes_units.csv"),
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            /// Damaged exports (characters swapped for delimiters, quotes,
            /// line breaks, digits) give errors or skipped rows, never a panic.
            #[test]
            fn on_damaged_exports(
                which in 0..FIXTURES.len(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), "[,;\"\n\r0-9a-z:. -]{0,3}"), 1..6),
                skip in any::<bool>(),
            ) {
                let mut text = FIXTURES[which].to_string();
                for (at, insert) in edits {
                    let mut cut = at.index(text.len());
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    let end = text[cut..].chars().next().map_or(cut, |c| cut + c.len_utf8());
                    text.replace_range(cut..end, &insert);
                }
                let options = ImportOptions { unit: Some(Unit::Lb), skip_invalid: skip };
                for format in [Format::Strong, Format::Hevy, Format::FitNotes] {
                    if let Ok(parsed) = parse(&text, format, &options) {
                        for workout in &parsed.workouts {
                            prop_assert!(workout.validate().is_ok());
                        }
                    }
                }
                let _ = detect(&text);
            }

            #[test]
            fn on_arbitrary_text(text in "\\PC{0,400}") {
                for format in [Format::Strong, Format::Hevy, Format::FitNotes] {
                    let _ = parse(&text, format, &ImportOptions { unit: None, skip_invalid: true });
                }
            }
        }
    }
}
