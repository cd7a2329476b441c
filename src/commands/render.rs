//! How workouts look: tables for people, JSON for scripts.

use crate::analytics::{Measure, NewPr, PrKind, SetRecord, Volume};
use crate::error::Result;
use crate::model::{Set, Unit, Workout, format_duration, format_number, nearest_quarter, render_sets};
use crate::store::WorkoutRow;
use crate::text::{printable, printable_lines};
use chrono::{DateTime, Local, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde_json::{Value, json};
use std::io::{IsTerminal, Write};

/// Prints a table whose cells may hold text from the database or the
/// network, with escape sequences shown rather than obeyed.
pub fn print_table(table: &Table) {
    println!("{}", printable_lines(&table.to_string()));
}

/// A table that fits the terminal it is printed on (its real width, or
/// COLUMNS when set). Printed to a pipe or a file, nothing wraps: one
/// record per line, so `grep` finds whole records.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    match terminal_width() {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(header.iter().copied());
    table
}

/// The width of the terminal standard output is, `None` when it is none.
fn terminal_width() -> Option<u16> {
    const NARROWEST: u16 = 40;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    let measured = || terminal_size::terminal_size_of(&stdout).map(|(width, _)| width.0);
    Some(columns.or_else(measured).unwrap_or(80).max(NARROWEST))
}

pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// A span of minutes as h:mm, the one way pump shows how long: `1:30`, `0:45`.
pub fn hours_minutes(minutes: i64) -> String {
    let minutes = minutes.max(0);
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// How long a workout took, as h:mm (`1:00`, `0:45`); `open` for one
/// still open, `-` for one logged without an end.
pub fn duration(workout: &Workout, open: bool) -> String {
    match workout.completed_at {
        Some(end) => hours_minutes((end - workout.started_at).num_minutes()),
        None if open => "open".into(),
        None => "-".into(),
    }
}

/// A weight in the lifter's unit: `80.6 kg` (a body weight keeps the
/// scale's decimals; a load on the bar is a [`load`]).
pub fn weight(kg: f64, unit: Unit) -> String {
    format!("{} {unit}", format_number(unit.from_kg(kg)))
}

/// A load in the lifter's unit, to the nearest quarter as a lifter writes
/// it: `102.5 kg`, and 100 kg in pounds `220.5 lb`, never the `220.46 lb` a
/// conversion gives.
pub fn load(kg: f64, unit: Unit) -> String {
    format!("{} {unit}", lifter_number(kg, unit))
}

/// `kg` in `unit`, to the nearest quarter, without its unit.
fn lifter_number(kg: f64, unit: Unit) -> String {
    format_number(nearest_quarter(unit.from_kg(kg)))
}

/// A distance as a lifter reads it: `400 m`, `5 km`, `21.1 km`.
pub fn distance(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", format_number(metres / 1000.0))
    } else {
        format!("{} m", format_number(metres))
    }
}

/// A record's value in what it measures: `102.5 kg`, `12 reps`, `1:30`,
/// `5 km`, `4:48/km`.
pub fn measured(value: f64, measure: Measure, unit: Unit) -> String {
    let seconds = |v: f64| format_duration(v.round().clamp(0.0, f64::from(u32::MAX)) as u32);
    match measure {
        Measure::Kg => load(value, unit),
        Measure::Reps => format!("{} reps", format_number(value)),
        Measure::Seconds => seconds(value),
        Measure::Metres => distance(value),
        Measure::SecondsPerKm => format!("{}/km", seconds(value)),
    }
}

/// A line on stderr for each record a write beat.
pub fn announce_prs(prs: &[NewPr], unit: Unit) {
    for pr in prs {
        // Volumes are sums of many sets: whole numbers, like `list` shows them.
        let shown = |value| match pr.kind {
            PrKind::SetVolume | PrKind::SessionVolume => volume_kg(value, unit),
            kind => measured(value, kind.measure(), unit),
        };
        eprintln!(
            "New PR: {} {} {} (was {})",
            printable(&pr.exercise),
            pr.kind,
            shown(pr.value),
            shown(pr.previous)
        );
    }
}

/// The set that holds a load record: `100 kg×5`, or for an `@bw` set
/// `bw×10` / `bw+10kg×8`, never a bare weight that hides the body.
pub fn record_set(r: &SetRecord, unit: Unit) -> String {
    if r.bodyweight {
        bodyweight_set(r.added_kg, r.reps, unit)
    } else {
        format!("{}×{}", load(r.weight_kg, unit), r.reps)
    }
}

/// The set that holds any other record: `bw×12`, `bw+10kg×8`, `15 reps`,
/// `90s@20kg`, `5km in 24min`.
pub fn best_set(set: &Set, unit: Unit) -> String {
    match set.reps {
        Some(reps) if set.bodyweight => bodyweight_set(set.weight_kg.filter(|kg| *kg > 0.0), reps, unit),
        Some(reps) if set.weight_kg.is_none() => format!("{reps} reps"),
        _ => crate::model::render_set(set, unit),
    }
}

fn bodyweight_set(added_kg: Option<f64>, reps: u32, unit: Unit) -> String {
    let added = added_kg
        .map(|kg| format!("+{}{unit}", lifter_number(kg, unit)))
        .unwrap_or_default();
    format!("bw{added}×{reps}")
}

/// A volume in the lifter's unit, rounded: `1200 kg`.
pub fn volume(volume: Volume, unit: Unit) -> String {
    volume_kg(volume.kg, unit)
}

/// [`volume`] of a number of kilograms: `2738 lb`.
pub fn volume_kg(kg: f64, unit: Unit) -> String {
    format!("{} {unit}", format_number(unit.from_kg(kg).round()))
}

/// Why a volume is low when it is: `@bw` sets weighed without a body weight.
pub fn body_weight_note(sets: u32) -> Option<String> {
    (sets > 0).then(|| {
        format!(
            "{sets} @bw set{} at added load only, no body weight known: `pump weight 80`",
            if sets == 1 { "" } else { "s" }
        )
    })
}

/// The JSON form of a stored workout: the workout itself, its volume (see
/// `pump stats`) and its sync state.
pub fn workout_json(row: &WorkoutRow, volume: Volume) -> Value {
    let mut value = serde_json::to_value(&row.value).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("volume_kg".into(), json!(volume.kg));
        map.insert(
            "sets_without_body_weight".into(),
            json!(volume.sets_without_body_weight),
        );
        map.insert("clock".into(), serde_json::to_value(&row.clock).unwrap_or(Value::Null));
        map.insert("pending".into(), json!(row.pending));
        map.insert("deleted".into(), json!(row.deleted));
    }
    value
}

pub fn print_json(value: &Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

/// A JSON array written one element at a time, in exactly the bytes
/// `serde_json::to_string_pretty` gives the whole array at that depth, so
/// a whole history is never one document in memory. Pretty JSON never has
/// a raw line break inside a string, so an element's lines are indented
/// one level deeper as they are.
pub struct JsonArray<W: Write> {
    out: W,
    /// Nesting depth of the array itself: 0 for a document that is an array.
    depth: usize,
    empty: bool,
}

impl<W: Write> JsonArray<W> {
    /// An array written to `out` at `depth` (its `[` goes where `out` is now).
    pub fn new(out: W, depth: usize) -> Self {
        JsonArray {
            out,
            depth,
            empty: true,
        }
    }

    /// Writes the next element.
    pub fn push(&mut self, element: &impl Serialize) -> Result<()> {
        let text = json_element(element, self.depth)?;
        self.push_element(&text)
    }

    /// Writes the next element, made by [`json_element`].
    pub fn push_element(&mut self, text: &str) -> Result<()> {
        self.out.write_all(if self.empty { b"[" } else { b"," })?;
        self.empty = false;
        Ok(self.out.write_all(text.as_bytes())?)
    }

    /// Closes the array; returns the writer.
    pub fn finish(mut self) -> Result<W> {
        if self.empty {
            self.out.write_all(b"[]")?;
        } else {
            write!(self.out, "\n{}]", "  ".repeat(self.depth))?;
        }
        Ok(self.out)
    }
}

/// An element's text as [`JsonArray::push_element`] takes it, for an
/// array at `depth`: made apart from the writing, so on another thread.
pub fn json_element(element: &impl Serialize, depth: usize) -> Result<String> {
    let indent = "  ".repeat(depth + 1);
    let text = serde_json::to_string_pretty(element)?;
    Ok(format!("\n{indent}{}", text.replace('\n', &format!("\n{indent}"))))
}

/// The workout's supersets in order of appearance: the first is shown as
/// A, the next as B, whatever numbers the source app gave them.
fn superset_letters(w: &Workout) -> Vec<u32> {
    let mut seen = Vec::new();
    for n in w.exercises.iter().filter_map(|e| e.superset) {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen
}

/// One workout, for people, safe to print (see `crate::text`). `open`:
/// it is this device's open workout.
pub fn workout_detail(row: &WorkoutRow, volume_done: Volume, unit: Unit, open: bool) -> String {
    let w = &row.value;
    let mut out = format!("{}  ({})\n", w.name, w.id);
    out.push_str(&format!("Started   {}\n", local(w.started_at)));
    match w.completed_at {
        Some(end) => out.push_str(&format!("Finished  {}  ({})\n", local(end), duration(w, false))),
        None if open => out.push_str("Finished  - (open: `pump finish` closes it)\n"),
        None => out.push_str("Finished  - (logged without an end)\n"),
    }
    if !w.notes.is_empty() {
        out.push_str(&format!("Notes     {}\n", w.notes));
    }
    out.push_str(&format!("Volume    {}\n", volume(volume_done, unit)));
    if let Some(note) = body_weight_note(volume_done.sets_without_body_weight) {
        out.push_str(&format!("  ({note})\n"));
    }
    if row.pending {
        out.push_str("Sync      pending\n");
    }
    let mut table = table(&["Exercise", "Sets"]);
    let supersets = superset_letters(w);
    for entry in &w.exercises {
        let name = match entry.superset.and_then(|n| supersets.iter().position(|s| *s == n)) {
            Some(letter) => format!("{} (superset {})", entry.name, char::from(b'A' + (letter % 26) as u8)),
            None => entry.name.clone(),
        };
        let mut sets = render_sets(&entry.sets, unit);
        if !entry.notes.is_empty() {
            sets.push_str(&format!("\nnote: {}", entry.notes));
        }
        for (number, set) in entry.sets.iter().enumerate().filter(|(_, s)| !s.notes.is_empty()) {
            sets.push_str(&format!("\nset {}: {}", number + 1, set.notes));
        }
        table.add_row(vec![name, sets]);
    }
    if !w.exercises.is_empty() {
        out.push_str(&table.to_string());
    }
    printable_lines(&out).into_owned()
}
