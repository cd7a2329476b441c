//! A generated Hevy export of any size: `n` workouts of 4 exercises × 4
//! sets, one a day back from 2026-01-01. Shared by the streaming tests and
//! the bench's memory scenario (`benches/pump.rs` includes this file).

use std::io::Write;
use std::path::Path;

/// The header Hevy writes.
pub const HEVY_HEADER: &str = "\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"superset_id\",\
\"exercise_notes\",\"set_index\",\"set_type\",\"weight_kg\",\"reps\",\"distance_km\",\"duration_seconds\",\"rpe\"";

const LIFTS: [(&str, f64); 6] = [
    ("Bench Press (Barbell)", 80.0),
    ("Squat (Barbell)", 110.0),
    ("Deadlift (Barbell)", 140.0),
    ("Overhead Press (Barbell)", 50.0),
    ("Bent Over Row (Barbell)", 70.0),
    ("Lat Pulldown (Cable)", 60.0),
];

/// Workout `i`'s rows: its title, start and end, as Hevy writes them.
pub fn hevy_workout(i: usize) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() - chrono::Duration::days(i as i64);
    let start = day.format("%d %b %Y, 07:00").to_string();
    let end = day.format("%d %b %Y, 08:10").to_string();
    let title = ["Push", "Pull", "Legs"][i % 3];
    let mut rows = String::new();
    for e in 0..4 {
        let (name, base) = LIFTS[(i + e) % LIFTS.len()];
        for s in 0..4 {
            let weight = base + (i % 20) as f64 * 0.5;
            let reps = 5 + (i + s) % 4;
            rows.push_str(&format!(
                "\"{title}\",\"{start}\",\"{end}\",\"\",\"{name}\",,\"\",{s},\"normal\",{weight},{reps},,,\n"
            ));
        }
    }
    rows
}

/// Writes a Hevy export of `n` workouts to `path`, newest first as Hevy
/// does, then `tail` (more rows, or nothing).
pub fn write_hevy_export(path: &Path, n: usize, tail: &str) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "{HEVY_HEADER}").unwrap();
    for i in 0..n {
        out.write_all(hevy_workout(i).as_bytes()).unwrap();
    }
    out.write_all(tail.as_bytes()).unwrap();
    out.flush().unwrap();
}
