//! Importers for other apps' CSV exports: Strong, Hevy and FitNotes.
//!
//! Pure: bytes in, [`Workout`]s out. Every id is derived from the file's own
//! content (never random, never the machine's time zone), so importing the
//! same export twice, or on two devices, yields the same records; the second
//! import adds nothing and sync sees one workout, not two.
//!
//! A row means what the source app showed. Conventions shared by all formats:
//! - times in the files are local wall-clock times;
//! - an empty number and a `0` both mean "not recorded" (Strong writes `0`
//!   for blanks), except that reps written as `0` on a row with a weight and
//!   no time or distance are a missed attempt ([`SetKind::Missed`]);
//! - a unit written beside an empty weight or distance is ignored (FitNotes
//!   writes `0.0,kg` in the distance columns of rows with no distance);
//! - a row whose measurements are all empty is a set with nothing measured;
//! - weights are rounded to 0.01 of the file's unit before converting to kg,
//!   which removes float noise like `149.99999999999997`;
//! - where a file gives no distance unit, `--unit kg` means km and
//!   `--unit lb` means miles;
//! - a note on a set row is that set's note; a note of the exercise (Hevy's
//!   `exercise_notes`, Strong's `Note` rows) is the exercise's note.
//!
//! Ids (stable across pump versions from now on; see [`assemble`]): a
//! workout's id hashes the format, its local start as written
//! (`YYYY-MM-DDTHH:MM:SS`) and its name (Strong, Hevy); an exercise's adds
//! its position and name; a set's adds its position within the exercise.

mod assemble;
mod cells;
mod csv;
mod fitnotes;
mod hevy;
mod strong;
#[cfg(test)]
mod test_support;

#[cfg(doc)]
use crate::model::SetKind;
use crate::model::{GrammarError, Set, Unit, Workout};
pub use cells::CellError;
use chrono::{DateTime, NaiveDateTime, Utc};
use csv::{find, open};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;

/// The export formats pump reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Strong (iOS, Android): comma, semicolon and older dialects.
    Strong,
    /// Hevy's workout export.
    Hevy,
    /// FitNotes (Android): one workout per day.
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

/// What the lifter told `pump import` about the file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The unit of weights the file does not label (`--unit`).
    pub unit: Option<Unit>,
    /// Fail on the first row that cannot be understood (`--strict`), instead
    /// of listing it in [`Parsed::skipped`] and importing the rest.
    pub strict: bool,
}

/// A parsed export: the workouts, and the rows that could not be understood.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// In chronological order.
    pub workouts: Vec<Workout>,
    /// For each workout, the id an older pump (before ids stopped depending
    /// on the machine's time zone) gave it when importing on this machine:
    /// a workout stored under it is already imported.
    pub legacy_ids: Vec<String>,
    /// The rows left out, in file order (always empty when `strict`).
    pub skipped: Vec<RowError>,
}

/// A row that could not be imported, and the line it starts on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct RowError {
    /// 1-based line in the file where the row starts.
    pub line: u64,
    /// What is wrong with the row.
    #[source]
    pub problem: RowProblem,
}

/// What is wrong with a row. Each message says what to fix in the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowProblem {
    /// The CSV reader could not split the row into fields (its message).
    #[error("the row cannot be read as CSV: {0}")]
    Csv(String),
    /// Every field of the row is empty.
    #[error("the row is empty")]
    Empty,
    /// Not as many fields as the header has columns.
    #[error(
        "the row has {} but the header has {width}: check for a missing quote or a stray delimiter",
        count_of(*.fields, "field")
    )]
    FieldCount {
        /// The fields in the row.
        fields: usize,
        /// The columns in the header.
        width: usize,
    },
    /// A FitNotes row with fewer fields than columns.
    #[error(
        "the row has {} but the header has {width}: fill in the missing ones, even if empty",
        count_of(*.fields, "field")
    )]
    MissingFields {
        /// The fields in the row.
        fields: usize,
        /// The columns in the header.
        width: usize,
    },
    /// A FitNotes row with a surplus comma that no reading makes sense of.
    #[error(
        "the row has {fields} fields but the header has {width}: put quotes around a name or comment that contains \
         a comma, e.g. \"Press (Each Side, Dumbbells)\""
    )]
    UnquotedComma {
        /// The fields in the row.
        fields: usize,
        /// The columns in the header.
        width: usize,
    },
    /// A FitNotes row with a surplus comma that two readings make sense of.
    #[error(
        "the row has {fields} fields but the header has {width}, and the extra comma could be in the exercise name \
         or in the comment: put quotes around the one that contains it"
    )]
    AmbiguousComma {
        /// The fields in the row.
        fields: usize,
        /// The columns in the header.
        width: usize,
    },
    /// A number, time or unit that does not read.
    #[error(transparent)]
    Cell(#[from] CellError),
    /// An exercise name pump cannot store.
    #[error(transparent)]
    ExerciseName(#[from] GrammarError),
    /// A value the format or pump's model refused, with their message.
    #[error("{0}")]
    Invalid(String),
    /// The workout the rows make up fails pump's checks.
    #[error("the workout '{name}' cannot be imported: {why}")]
    Workout {
        /// The workout's name as assembled.
        name: String,
        /// What pump's checks said.
        why: String,
    },
}

impl From<String> for RowProblem {
    fn from(message: String) -> Self {
        RowProblem::Invalid(message)
    }
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Nothing but blank lines.
    #[error("the file is empty: export your workouts from the app again")]
    Empty,
    /// The CSV reader could not read the header line.
    #[error("the header line cannot be read: {0}")]
    UnreadableHeader(#[source] ::csv::Error),
    /// The header lacks a column the format needs.
    #[error("this does not look like a {format} export: the header has no '{column}' column")]
    MissingColumn {
        /// The format asked for.
        format: Format,
        /// The column it needs.
        column: String,
    },
    /// Weights in a file that does not say kg or lb, and no `--unit`.
    /// Never skipped: skipping every loaded set would be worse.
    #[error("this {format} export does not say whether weights are kg or lb: add --unit kg or --unit lb")]
    WeightUnitNeeded {
        /// The format asked for.
        format: Format,
    },
    /// Distances in a file that does not say km or miles, and no `--unit`.
    #[error(
        "this {format} export does not say whether distances are km or miles: add --unit kg for km or --unit lb for \
         miles"
    )]
    DistanceUnitNeeded {
        /// The format asked for.
        format: Format,
    },
    /// A bad row, with `strict`.
    #[error(transparent)]
    Row(#[from] RowError),
    /// [`stream`] without a [`Plan`] met a workout whose rows are apart in
    /// the file: read it again with [`plan`]'s.
    #[error("line {line}: the rows of one workout are apart in the file; pump reads it again to gather them")]
    Interleaved {
        /// The row where the workout came back.
        line: u64,
    },
}

/// Guesses the format from the header line.
pub fn detect(text: &str) -> Option<Format> {
    let (header, _) = open(text.as_bytes()).ok()?;
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

/// Parses a whole export held in memory: every workout, in chronological
/// order. Rows with nothing to import (Strong's rest timers, blank lines)
/// are left out silently; rows that cannot be understood land in
/// `skipped`, or with `strict` fail the parse. `pump import` reads files
/// with [`stream`] instead.
pub fn parse(text: &str, format: Format, options: &ImportOptions) -> Result<Parsed, ImportError> {
    let plan = plan(text.as_bytes(), format, options)?;
    let mut all = Vec::new();
    let skipped = stream(
        text.as_bytes(),
        format,
        options,
        Some(&plan),
        &mut |imported: Imported| {
            all.push(imported);
            Ok::<(), ImportError>(())
        },
    )?;
    all.sort_by(|a, b| (a.workout.started_at, &a.key).cmp(&(b.workout.started_at, &b.key)));
    let (workouts, legacy_ids) = all.into_iter().map(|i| (i.workout, i.legacy_id)).unzip();
    Ok(Parsed {
        workouts,
        legacy_ids,
        skipped,
    })
}

/// One workout read from an export.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The workout, with ids derived from the file's content.
    pub workout: Workout,
    /// The id an older pump gave it on this machine (see [`Parsed::legacy_ids`]).
    pub legacy_id: String,
    /// What told its rows apart besides the start (see `Row::key`).
    key: String,
}

/// Where each workout's rows end in an export: what [`stream`] needs for a
/// file whose workouts' rows are not together. One entry per workout.
#[derive(Debug, Default)]
pub struct Plan {
    last_row: HashMap<assemble::GroupKey, u64>,
}

/// Reads an export once to find where each workout's rows end. Fails as
/// [`stream`] would on a file it cannot read (and with `strict` on a bad row).
pub fn plan(input: impl Read, format: Format, options: &ImportOptions) -> Result<Plan, ImportError> {
    let mut plan = Plan::default();
    let mut skipped = Vec::new();
    each_row(input, format, options, &mut skipped, &mut |number, _, row| {
        plan.last_row.insert((row.local_start, row.key), number);
        Ok::<(), ImportError>(())
    })?;
    Ok(plan)
}

/// Reads an export as a stream and hands each workout to `each` as soon as
/// its rows are read, holding only the workouts not complete yet. Without
/// a `plan`, a workout ends at the first row of another (as every app
/// writes them), and a workout whose rows are apart fails with
/// [`ImportError::Interleaved`]: [`plan`] the file and read it again.
/// Returns the rows left out, in the order of the file.
pub fn stream<E: From<ImportError>>(
    input: impl Read,
    format: Format,
    options: &ImportOptions,
    plan: Option<&Plan>,
    each: &mut dyn FnMut(Imported) -> Result<(), E>,
) -> Result<Vec<RowError>, E> {
    let mut skipped = Vec::new();
    let mut assembler = assemble::Assembler::new(format, options, plan);
    let mut problems = Vec::new();
    each_row(input, format, options, &mut problems, &mut |number, line, row| {
        assembler.add(number, line, row, &mut skipped, each)
    })?;
    assembler.end(&mut skipped, each)?;
    skipped.append(&mut problems);
    skipped.sort_by_key(|row| row.line);
    Ok(skipped)
}

/// Checks the start of an export (at least its header line) for what
/// `format` needs, before anything is written: a missing column, weights
/// in an unknown unit.
pub fn check_header(head: &str, format: Format, options: &ImportOptions) -> Result<(), ImportError> {
    let (header, _) = open(head.as_bytes())?;
    match format {
        Format::Strong => strong::Strong::new(&header, options).map(drop),
        Format::Hevy => hevy::Hevy::new(&header, options).map(drop),
        Format::FitNotes => fitnotes::FitNotes::new(&header, options).map(drop),
    }
}

/// Opens the export and hands each of its rows to `each` (see [`csv::each_row`]).
fn each_row<E: From<ImportError>>(
    input: impl Read,
    format: Format,
    options: &ImportOptions,
    skipped: &mut Vec<RowError>,
    each: &mut dyn FnMut(u64, u64, Row) -> Result<(), E>,
) -> Result<(), E> {
    let (header, csv) = open(input)?;
    match format {
        Format::Strong => csv::each_row(&strong::Strong::new(&header, options)?, csv, options, skipped, each),
        Format::Hevy => csv::each_row(&hevy::Hevy::new(&header, options)?, csv, options, skipped, each),
        Format::FitNotes => csv::each_row(&fitnotes::FitNotes::new(&header, options)?, csv, options, skipped, each),
    }
}

/// One row of an export, read by a format module.
struct Row {
    /// The start as the file wrote it, in local time: what ids derive from.
    local_start: NaiveDateTime,
    started_at: DateTime<Utc>,
    /// The end as the file gives it, in local time.
    local_end: Option<NaiveDateTime>,
    completed_at: Option<DateTime<Utc>>,
    /// With `started_at`, what tells workouts apart: the workout name for
    /// Strong and Hevy, nothing for FitNotes (one workout per day).
    key: String,
    /// A name for the workout; the distinct names of its rows are joined.
    name: String,
    workout_notes: String,
    exercise: String,
    /// A note about the exercise (repeated on each of its rows by Hevy).
    exercise_note: String,
    /// The superset the exercise was done in, when the file says.
    superset: Option<u32>,
    /// Position of the set within its exercise, when the file says.
    order: Option<u32>,
    /// None for a row that only carries a note. Its `notes` hold the set's note.
    set: Option<Set>,
}

/// Why a row was not read.
enum Problem {
    /// This row is wrong (skippable).
    Row(RowProblem),
    /// The whole file cannot be read as asked.
    Fatal(ImportError),
}

impl From<RowProblem> for Problem {
    fn from(problem: RowProblem) -> Self {
        Problem::Row(problem)
    }
}

impl From<CellError> for Problem {
    fn from(error: CellError) -> Self {
        Problem::Row(error.into())
    }
}

impl From<GrammarError> for Problem {
    fn from(error: GrammarError) -> Self {
        Problem::Row(error.into())
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Row(message.into())
    }
}

trait RowReader {
    /// The number of columns in the header.
    fn width(&self) -> usize;

    /// Reads a row with exactly `width` fields. `Ok(None)`: nothing to import.
    fn read(&self, fields: &[&str]) -> Result<Option<Row>, Problem>;

    /// Reads a row with the wrong number of fields.
    fn read_misaligned(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        Err(Problem::Row(RowProblem::FieldCount {
            fields: fields.len(),
            width: self.width(),
        }))
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

/// A bad row: the end of the import with `strict`, else listed and left out.
fn reject(error: RowError, options: &ImportOptions, skipped: &mut Vec<RowError>) -> Result<(), ImportError> {
    if options.strict {
        Err(ImportError::Row(error))
    } else {
        skipped.push(error);
        Ok(())
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
            problem: RowProblem::Cell(CellError::NotWhole {
                what: "reps",
                text: "5.5".into(),
            }),
        });
        assert_eq!(e.to_string(), "line 17: reps '5.5' is not a whole number");
        let e = ImportError::Row(RowError {
            line: 3,
            problem: RowProblem::FieldCount { fields: 1, width: 4 },
        });
        assert_eq!(
            e.to_string(),
            "line 3: the row has 1 field but the header has 4: check for a missing quote or a stray delimiter"
        );
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(
            source.as_deref(),
            Some("the row has 1 field but the header has 4: check for a missing quote or a stray delimiter")
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = parse(
            "Date,Workout Name\n2026-01-01,Push\n",
            Format::Strong,
            &ImportOptions::default(),
        )
        .expect_err("no exercise column");
        assert!(
            matches!(&err, ImportError::MissingColumn { format: Format::Strong, column } if column == "Exercise Name"),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "this does not look like a Strong export: the header has no 'Exercise Name' column"
        );
    }

    #[test]
    fn an_empty_file_is_a_header_error() {
        for text in ["", "\u{feff}", "\n \n"] {
            assert!(matches!(
                parse(text, Format::Strong, &ImportOptions::default()),
                Err(ImportError::Empty)
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
                let options = ImportOptions { unit: Some(Unit::Lb), strict: !skip };
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
                    let _ = parse(&text, format, &ImportOptions { unit: None, strict: false });
                }
            }
        }
    }
}
