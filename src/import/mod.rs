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

mod fitnotes;
mod hevy;
mod strong;

use crate::model::{Set, SetKind, Unit, Workout, local_to_utc};
use chrono::{DateTime, NaiveDateTime, Utc};
use csv::StringRecord;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
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

/// A reader positioned after the header, with the delimiter (`,` or `;`)
/// taken from the header line, and the header.
fn open(text: &str) -> Result<(StringRecord, csv::Reader<&[u8]>), ImportError> {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::Header(format!("the header line cannot be read: {e}")))?
        .clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::Header(
            "the file is empty: export your workouts from the app again".into(),
        ));
    }
    Ok((header, reader))
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The line a record starts on. The csv crate places a record that follows
/// blank lines at the first blank line, so those are stepped over here.
fn line_of(text: &str, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let blank = text.get(from..).map_or(0, |rest| {
        rest.bytes()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| *b == b'\n')
            .count()
    });
    position.line() + blank as u64
}

fn run(
    reader: &impl RowReader,
    text: &str,
    mut csv: csv::Reader<&[u8]>,
    format: Format,
    options: &ImportOptions,
) -> Result<Parsed, ImportError> {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for record in csv.records() {
        let (line, record) = match record {
            Ok(record) => (line_of(text, record.position()), Ok(record)),
            Err(e) => (
                line_of(text, e.position()),
                Err(format!("the row cannot be read as CSV: {e}")),
            ),
        };
        let result = record.map_err(Problem::Row).and_then(|record| {
            let fields: Vec<&str> = record.iter().collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                // A whitespace-only line is a blank line; a row of empty fields is a set with nothing in it.
                return if fields.len() <= 1 {
                    Ok(None)
                } else {
                    Err(Problem::Row("the row is empty".into()))
                };
            }
            if fields.len() == reader.width() {
                reader.read(&fields)
            } else {
                reader.read_misaligned(&fields)
            }
        });
        match result {
            Ok(Some(row)) => rows.push((line, row)),
            Ok(None) => {}
            Err(Problem::Fatal(error)) => return Err(error),
            Err(Problem::Row(message)) => reject(RowError { line, message }, options, &mut skipped)?,
        }
    }
    let workouts = assemble(format, rows, options, &mut skipped)?;
    Ok(Parsed { workouts, skipped })
}

fn reject(error: RowError, options: &ImportOptions, skipped: &mut Vec<RowError>) -> Result<(), ImportError> {
    if options.skip_invalid {
        skipped.push(error);
        Ok(())
    } else {
        Err(ImportError::Row(error))
    }
}

/// Groups rows into workouts, in chronological order, with derived ids.
fn assemble(
    format: Format,
    rows: Vec<(u64, Row)>,
    options: &ImportOptions,
    skipped: &mut Vec<RowError>,
) -> Result<Vec<Workout>, ImportError> {
    let mut groups: Vec<Vec<(u64, Row)>> = Vec::new();
    let mut index: HashMap<(DateTime<Utc>, String), usize> = HashMap::new();
    for (line, row) in rows {
        match index.entry((row.started_at, row.key.clone())) {
            Entry::Occupied(at) => groups[*at.get()].push((line, row)),
            Entry::Vacant(at) => {
                at.insert(groups.len());
                groups.push(vec![(line, row)]);
            }
        }
    }
    groups.sort_by(|a, b| (a[0].1.started_at, &a[0].1.key).cmp(&(b[0].1.started_at, &b[0].1.key)));
    let mut workouts = Vec::new();
    for group in groups {
        let first_line = group[0].0;
        let workout = build_workout(format, group);
        match workout.validate() {
            Ok(()) => workouts.push(workout),
            Err(why) => reject(
                RowError {
                    line: first_line,
                    message: format!("the workout '{}' cannot be imported: {why}", workout.name),
                },
                options,
                skipped,
            )?,
        }
    }
    Ok(workouts)
}

const MAX_NAME_CHARS: usize = 200;

fn build_workout(format: Format, group: Vec<(u64, Row)>) -> Workout {
    let first = &group[0].1;
    let started_at = first.started_at;
    let id = derived_id(
        started_at,
        &[
            format.to_string().as_bytes(),
            started_at.to_rfc3339().as_bytes(),
            first.key.as_bytes(),
        ],
    );
    let mut names: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (_, row) in &group {
        if !row.name.is_empty() && !names.contains(&row.name.as_str()) {
            names.push(&row.name);
        }
        let workout_note = row.workout_notes.trim();
        if !workout_note.is_empty() && !notes.iter().any(|n| n == workout_note) {
            notes.push(workout_note.to_string());
        }
    }
    let mut name = String::new();
    for n in names {
        let joined = if name.is_empty() {
            n.to_string()
        } else {
            format!("{name} + {n}")
        };
        if joined.chars().count() > MAX_NAME_CHARS {
            break;
        }
        name = joined;
    }
    if name.is_empty() {
        name = format!("{format} workout");
    }
    let mut workout = Workout {
        id,
        name,
        started_at,
        completed_at: first.completed_at,
        notes: String::new(),
        exercises: Vec::new(),
        plan: Vec::new(),
    };

    // Runs of consecutive rows of one exercise: a Hevy run is one exercise
    // instance, whose sets are ordered by set_index.
    let mut runs: Vec<Vec<Row>> = Vec::new();
    for (_, row) in group {
        match runs.last_mut() {
            Some(run) if run[0].exercise.eq_ignore_ascii_case(&row.exercise) => run.push(row),
            _ => runs.push(vec![row]),
        }
    }
    for mut run in runs {
        run.sort_by_key(|r| r.order);
        let exercise = run[0].exercise.clone();
        for row in &run {
            let note = row.exercise_note.trim();
            if !note.is_empty() {
                let line = format!("{exercise}: {note}");
                if !notes.contains(&line) {
                    notes.push(line);
                }
            }
        }
        let sets: Vec<Set> = run.into_iter().filter_map(|r| r.set).collect();
        if !sets.is_empty() {
            workout.add_sets(&exercise, sets);
        }
    }
    workout.notes = notes.join("\n");
    for (position, entry) in workout.exercises.iter_mut().enumerate() {
        let position = position.to_string();
        let name = entry.name.to_lowercase();
        entry.id = derived_id(
            started_at,
            &[workout.id.as_bytes(), position.as_bytes(), name.as_bytes()],
        );
        for (index, set) in entry.sets.iter_mut().enumerate() {
            set.id = derived_id(
                started_at,
                &[
                    workout.id.as_bytes(),
                    position.as_bytes(),
                    name.as_bytes(),
                    index.to_string().as_bytes(),
                ],
            );
        }
    }
    workout
}

/// A UUIDv7 stamped with the workout's start whose other bits hash `parts`,
/// so the same data always gets the same id. SHA-256, not std's hasher,
/// because the ids must stay the same across Rust releases.
fn derived_id(at: DateTime<Utc>, parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &random)
        .into_uuid()
        .to_string()
}

// ---------------------------------------------------------------------------
// Helpers for the format modules.

/// The index of a column, matched without regard to case or surrounding blanks.
fn find(header: &StringRecord, name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

fn require(header: &StringRecord, format: Format, name: &str) -> Result<usize, ImportError> {
    find(header, name).ok_or_else(|| {
        ImportError::Header(format!(
            "this does not look like a {format} export: the header has no '{name}' column"
        ))
    })
}

/// Where a file says the unit of a number column.
#[derive(Debug, Clone, Copy)]
enum Labelled<U> {
    /// In the column's name: `kg`, `Weight (lbs)`, `distance_miles`.
    Header(U),
    /// In a column of its own, per row; an empty cell leaves it to `--unit`.
    Column(usize),
    /// Nowhere: `--unit` decides.
    Nowhere,
}

impl<U: Copy> Labelled<U> {
    fn resolve(self, fields: &[&str], parse: impl Fn(&str) -> Result<U, String>) -> Result<Option<U>, String> {
        match self {
            Labelled::Header(unit) => Ok(Some(unit)),
            Labelled::Column(column) => match field(fields, Some(column)) {
                "" => Ok(None),
                text => parse(text).map(Some),
            },
            Labelled::Nowhere => Ok(None),
        }
    }
}

type WeightColumn = Option<(usize, Labelled<Unit>)>;
type DistanceColumn = Option<(usize, Labelled<DistanceUnit>)>;

/// A row's weight and the unit the file gives it (if any).
fn weight_of(fields: &[&str], column: WeightColumn) -> Result<(Option<f64>, Option<Unit>), String> {
    match column {
        None => Ok((None, None)),
        Some((c, labelled)) => Ok((
            amount(field(fields, Some(c)), "the weight")?,
            labelled.resolve(fields, str::parse::<Unit>)?,
        )),
    }
}

/// A row's distance and the unit the file gives it (if any).
fn distance_of(fields: &[&str], column: DistanceColumn) -> Result<(Option<f64>, Option<DistanceUnit>), String> {
    match column {
        None => Ok((None, None)),
        Some((c, labelled)) => Ok((
            amount(field(fields, Some(c)), "the distance")?,
            labelled.resolve(fields, DistanceUnit::parse)?,
        )),
    }
}

/// Finds the first of `names` in the header, each with the unit its name
/// implies; a name that implies none takes its unit from `unit_column`.
fn number_column<U: Copy>(
    header: &StringRecord,
    names: &[(&str, Option<U>)],
    unit_column: Option<&str>,
) -> Option<(usize, Labelled<U>)> {
    names.iter().find_map(|(name, unit)| {
        let column = find(header, name)?;
        let labelled = match unit {
            Some(unit) => Labelled::Header(*unit),
            None => unit_column
                .and_then(|u| find(header, u))
                .map_or(Labelled::Nowhere, Labelled::Column),
        };
        Some((column, labelled))
    })
}

/// The field at an optional column, trimmed; "" when the column is absent.
fn field<'a>(fields: &[&'a str], column: Option<usize>) -> &'a str {
    column.and_then(|c| fields.get(c)).map_or("", |f| f.trim())
}

/// A local date and time in one of `formats` (chrono syntax), in UTC.
/// Exports may put a narrow or no-break space before AM/PM.
fn local_time(text: &str, formats: &[&str], what: &str, example: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let normal = text.replace(['\u{202f}', '\u{a0}'], " ");
    let naive = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&normal, f).ok())
        .ok_or_else(|| format!("{what} '{text}' is not a date and time like '{example}'"))?;
    to_utc(naive)
}

/// Local wall time to UTC, as a row error when the time does not exist.
fn to_utc(naive: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    local_to_utc(naive).ok_or_else(|| {
        format!(
            "{} does not exist in your time zone (the clocks skipped it): fix the time in the file",
            naive.format("%Y-%m-%d %H:%M")
        )
    })
}

/// A non-negative number; empty or zero is `None` (see the module doc).
/// Accepts a decimal comma, as semicolon exports from some locales have.
fn amount(text: &str, what: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let normal = if text.contains(',') && !text.contains('.') {
        text.replacen(',', ".", 1)
    } else {
        text.to_string()
    };
    let value = normal
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{what} '{text}' is not a number"))?;
    if value < 0.0 {
        return Err(format!("{what} '{text}' is negative"));
    }
    Ok((value != 0.0).then_some(value))
}

/// A whole count that some exports write with a decimal point (`8.0`).
fn whole(text: &str, what: &str, max: f64) -> Result<Option<u32>, String> {
    match amount(text, what)? {
        None => Ok(None),
        Some(v) if v.fract() != 0.0 => Err(format!("{what} '{}' is not a whole number", text.trim())),
        Some(v) if v > max => Err(format!("{what} '{}' is too large: at most {max}", text.trim())),
        Some(v) => Ok(Some(v as u32)),
    }
}

fn reps(text: &str) -> Result<Option<u32>, String> {
    whole(text, "reps", 1000.0)
}

/// Seconds, rounded: some exports write `120.0`.
fn seconds(text: &str, what: &str) -> Result<Option<u32>, String> {
    match amount(text, what)? {
        Some(v) if v > f64::from(u32::MAX) => Err(format!("{what} '{}' is too large", text.trim())),
        Some(v) => Ok(Some(v.round() as u32).filter(|s| *s > 0)),
        None => Ok(None),
    }
}

fn rpe(text: &str) -> Result<Option<f64>, String> {
    amount(text, "RPE")
}

/// A weight in `unit`, rounded to 0.01 of it, in kg.
fn weight_kg(value: f64, unit: Unit) -> f64 {
    unit.to_kg((value * 100.0).round() / 100.0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DistanceUnit {
    Metres,
    Kilometres,
    Miles,
}

impl DistanceUnit {
    pub fn parse(text: &str) -> Result<DistanceUnit, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "m" | "meters" | "metres" => Ok(DistanceUnit::Metres),
            "km" | "kms" | "kilometers" | "kilometres" => Ok(DistanceUnit::Kilometres),
            "mi" | "mi." | "mile" | "miles" => Ok(DistanceUnit::Miles),
            other => Err(format!("the distance unit '{other}' is unknown: use m, km or mi")),
        }
    }

    /// What `--unit` implies for a file that gives no distance unit.
    pub fn implied_by(unit: Unit) -> DistanceUnit {
        match unit {
            Unit::Kg => DistanceUnit::Kilometres,
            Unit::Lb => DistanceUnit::Miles,
        }
    }

    pub fn metres(self, value: f64) -> Result<f64, String> {
        let metres = value
            * match self {
                DistanceUnit::Metres => 1.0,
                DistanceUnit::Kilometres => 1000.0,
                DistanceUnit::Miles => 1609.344,
            };
        if metres > 1_000_000.0 {
            return Err(format!(
                "a distance of {} km is too far: at most 1000 km",
                metres / 1000.0
            ));
        }
        Ok(metres)
    }
}

/// The error for a number whose unit nobody knows.
fn unit_needed(format: Format, what: &str) -> Problem {
    let message = match what {
        "distance" => format!(
            "this {format} export does not say whether distances are km or miles: \
             add --unit kg for km or --unit lb for miles"
        ),
        _ => format!("this {format} export does not say whether weights are kg or lb: add --unit kg or --unit lb"),
    };
    Problem::Fatal(ImportError::UnitNeeded(message))
}

/// The numbers of one set, as read from a row, before units are settled.
struct Amounts {
    kind: SetKind,
    reps: Option<u32>,
    weight: Option<f64>,
    weight_unit: Option<Unit>,
    distance: Option<f64>,
    distance_unit: Option<DistanceUnit>,
    duration_s: Option<u32>,
    rpe: Option<f64>,
}

impl Amounts {
    /// Converts to a checked set. A number whose unit is unknown is fatal.
    pub fn into_set(self, format: Format, fallback: Option<Unit>) -> Result<Set, Problem> {
        let unit = self.weight_unit.or(fallback);
        let weight_kg = match (self.weight, unit) {
            (Some(value), Some(unit)) => Some(weight_kg(value, unit)),
            (Some(_), None) => return Err(unit_needed(format, "weight")),
            (None, _) => None,
        };
        let distance_unit = self.distance_unit.or(fallback.map(DistanceUnit::implied_by));
        let distance_m = match (self.distance, distance_unit) {
            (Some(value), Some(du)) => Some(du.metres(value)?),
            (Some(_), None) => return Err(unit_needed(format, "distance")),
            (None, _) => None,
        };
        let set = Set {
            id: String::new(),
            reps: self.reps,
            weight_kg,
            unit: unit.unwrap_or_default(),
            bodyweight: false,
            rpe: self.rpe,
            kind: self.kind,
            duration_s: self.duration_s,
            distance_m,
        };
        set.validate()?;
        Ok(set)
    }
}

#[cfg(test)]
mod test_support {
    use super::*;
    use chrono::{Local, NaiveDate, TimeZone};

    pub fn opts(unit: Option<Unit>) -> ImportOptions {
        ImportOptions {
            unit,
            skip_invalid: false,
        }
    }

    pub fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        let naive = NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|day| day.and_hms_opt(h, mi, s))
            .expect("valid test date");
        Local
            .from_local_datetime(&naive)
            .earliest()
            .expect("test time exists locally")
            .with_timezone(&Utc)
    }

    pub fn sets(parsed: &Parsed) -> usize {
        parsed.workouts.iter().map(Workout::set_count).sum()
    }

    pub fn workout_at(parsed: &Parsed, started: DateTime<Utc>) -> &Workout {
        parsed
            .workouts
            .iter()
            .find(|w| w.started_at == started)
            .unwrap_or_else(|| panic!("no workout at {started}"))
    }

    pub fn entry<'a>(workout: &'a Workout, exercise: &str) -> &'a crate::model::ExerciseEntry {
        workout
            .exercises
            .iter()
            .find(|e| e.name == exercise)
            .unwrap_or_else(|| panic!("no {exercise} in {}", workout.name))
    }

    pub fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// Every id unique, and the same on a second parse.
    pub fn assert_deterministic(text: &str, format: Format, options: &ImportOptions) {
        let a = parse(text, format, options).expect("parses");
        let b = parse(text, format, options).expect("parses");
        assert_eq!(a, b);
        let mut ids: Vec<&str> = Vec::new();
        for w in &a.workouts {
            ids.push(&w.id);
            for e in &w.exercises {
                ids.push(&e.id);
                ids.extend(e.sets.iter().map(|s| s.id.as_str()));
            }
        }
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
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
    fn derived_ids_are_v7_stamped_with_the_start_and_differ_by_content() {
        let at = DateTime::parse_from_rfc3339("2026-04-08T14:50:00Z")
            .expect("date")
            .with_timezone(&Utc);
        let a = derived_id(at, &[b"Strong", b"Push"]);
        assert_eq!(a, derived_id(at, &[b"Strong", b"Push"]));
        assert_ne!(a, derived_id(at, &[b"Strong", b"Pull"]));
        // Length prefixes keep ("ab","c") apart from ("a","bc").
        assert_ne!(derived_id(at, &[b"ab", b"c"]), derived_id(at, &[b"a", b"bc"]));
        let uuid = uuid::Uuid::parse_str(&a).expect("uuid");
        assert_eq!(uuid.get_version_num(), 7);
        let (secs, _) = uuid.get_timestamp().expect("timestamp").to_unix();
        assert_eq!(secs, 1_775_659_800);
    }

    #[test]
    fn numbers() {
        assert_eq!(amount("", "weight"), Ok(None));
        assert_eq!(amount("0", "weight"), Ok(None));
        assert_eq!(amount("0.0", "weight"), Ok(None));
        assert_eq!(amount(" 102,5 ", "weight"), Ok(Some(102.5)));
        assert_eq!(amount("-5", "weight"), Err("weight '-5' is negative".into()));
        assert_eq!(amount("NaN", "weight"), Err("weight 'NaN' is not a number".into()));
        assert_eq!(reps("8.0"), Ok(Some(8)));
        assert_eq!(reps("5.5"), Err("reps '5.5' is not a whole number".into()));
        assert!(reps("1001").is_err());
        assert_eq!(seconds("120.0", "seconds"), Ok(Some(120)));
        assert!(close_kg(weight_kg(149.999_999_999_999_97, Unit::Kg), 150.0));
        assert!(close_kg(weight_kg(225.0, Unit::Lb), 102.058_283_25));
    }

    fn close_kg(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn distance_units() {
        assert_eq!(DistanceUnit::parse("mi."), Ok(DistanceUnit::Miles));
        assert_eq!(DistanceUnit::parse("KM"), Ok(DistanceUnit::Kilometres));
        assert_eq!(DistanceUnit::parse("m"), Ok(DistanceUnit::Metres));
        assert!(DistanceUnit::parse("ft").is_err());
        assert_eq!(DistanceUnit::Miles.metres(2.0), Ok(3218.688));
        assert!(DistanceUnit::Kilometres.metres(1500.0).is_err());
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
