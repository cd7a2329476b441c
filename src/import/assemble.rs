//! Rows into workouts: grouping by start and key, joining names and notes,
//! and ids derived from the file's data so a second import adds nothing.

use super::{Format, ImportError, ImportOptions, Row, RowError, RowProblem, reject};
use crate::model::{Set, Workout};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Groups rows into workouts, in chronological order, with derived ids.
pub(super) fn assemble(
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
                    problem: RowProblem::Workout {
                        name: workout.name.clone(),
                        why,
                    },
                },
                options,
                skipped,
            )?,
        }
    }
    Ok(workouts)
}

pub(super) const MAX_NAME_CHARS: usize = 200;

pub(super) fn build_workout(format: Format, group: Vec<(u64, Row)>) -> Workout {
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
pub(super) fn derived_id(at: DateTime<Utc>, parts: &[&[u8]]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
