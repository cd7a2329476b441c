//! How workouts look: tables for people, JSON for scripts.

use crate::analytics::NewPr;
use crate::model::{Unit, Workout, format_number, render_sets};
use crate::store::WorkoutRow;
use chrono::{DateTime, Local, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Value, json};
use std::io::IsTerminal;

/// A table that fits the terminal (80 columns when output is not a terminal).
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    let width = terminal_width().unwrap_or(80);
    table.set_width(width);
    table.set_header(header.iter().copied());
    table
}

fn terminal_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
}

pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

pub fn duration(workout: &Workout) -> String {
    match workout.completed_at {
        Some(end) => {
            let minutes = (end - workout.started_at).num_minutes();
            if minutes >= 60 {
                format!("{}h{:02}m", minutes / 60, minutes % 60)
            } else {
                format!("{minutes}m")
            }
        }
        None => "-".into(),
    }
}

/// Total load × reps in kg, warm-ups excluded.
pub fn volume_kg(workout: &Workout) -> f64 {
    workout
        .exercises
        .iter()
        .flat_map(|e| &e.sets)
        .filter(|s| s.kind != crate::model::SetKind::Warmup)
        .map(|s| s.weight_kg.unwrap_or(0.0) * f64::from(s.reps.unwrap_or(0)))
        .sum()
}

/// A weight in the lifter's unit: `102.5 kg`.
pub fn weight(kg: f64, unit: Unit) -> String {
    format!("{} {unit}", format_number(unit.from_kg(kg)))
}

/// A line on stderr for each record a write beat.
pub fn announce_prs(prs: &[NewPr], unit: Unit) {
    for pr in prs {
        eprintln!(
            "New PR: {} {} {} (was {})",
            pr.exercise,
            pr.kind,
            weight(pr.value_kg, unit),
            weight(pr.previous_kg, unit)
        );
    }
}

pub fn volume(workout: &Workout, unit: Unit) -> String {
    format!("{} {unit}", format_number(unit.from_kg(volume_kg(workout)).round()))
}

/// The JSON form of a stored workout: the workout itself plus its sync state.
pub fn workout_json(row: &WorkoutRow) -> Value {
    let mut value = serde_json::to_value(&row.value).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("clock".into(), serde_json::to_value(&row.clock).unwrap_or(Value::Null));
        map.insert("pending".into(), json!(row.pending));
        map.insert("deleted".into(), json!(row.deleted));
    }
    value
}

pub fn print_json(value: &Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

/// One workout, for people.
pub fn workout_detail(row: &WorkoutRow, unit: Unit) -> String {
    let w = &row.value;
    let mut out = format!("{}  ({})\n", w.name, w.id);
    out.push_str(&format!("Started   {}\n", local(w.started_at)));
    match w.completed_at {
        Some(end) => out.push_str(&format!("Finished  {}  ({})\n", local(end), duration(w))),
        None => out.push_str("Finished  -\n"),
    }
    if !w.notes.is_empty() {
        out.push_str(&format!("Notes     {}\n", w.notes));
    }
    out.push_str(&format!("Volume    {}\n", volume(w, unit)));
    if row.pending {
        out.push_str("Sync      pending\n");
    }
    let mut table = table(&["Exercise", "Sets"]);
    for entry in &w.exercises {
        table.add_row(vec![entry.name.clone(), render_sets(&entry.sets, unit)]);
    }
    if !w.exercises.is_empty() {
        out.push_str(&table.to_string());
    }
    out
}
