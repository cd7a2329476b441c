//! Rows into workouts: grouping by start and key, joining names and notes,
//! and ids derived from the file's content so a second import adds nothing.
//!
//! The ids are a contract across pump versions and devices (never change
//! them): each is a UUIDv7 whose timestamp is the workout's local start read
//! as if it were UTC and whose other bits are the first 80 bits of a SHA-256
//! over length-prefixed parts:
//!
//! - workout: `pump-import-2`, the format (`Strong`, `Hevy`, `FitNotes`), the
//!   local start as `YYYY-MM-DDTHH:MM:SS`, the workout's name as written
//!   (empty for FitNotes, one workout per day);
//! - exercise: the workout id, its position (0, 1, …), its name lowercased;
//! - set: the exercise's parts, then the set's position within the exercise.
//!
//! Nothing of the machine (time zone, clock, unit setting) goes in, so the
//! same export imported on two devices gives the same ids and syncs as one.

use super::{Format, ImportError, ImportOptions, Imported, Plan, Row, RowError, RowProblem, reject};
use crate::model::{ExerciseEntry, Provenance, Workout};
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// The first part of every workout id's hash: a new derivation gets a new tag.
const ID_TAG: &[u8] = b"pump-import-2";

/// What tells one workout's rows from another's: the local start and the
/// key (see `Row::key`).
pub(super) type GroupKey = (NaiveDateTime, String);

/// Rows into workouts as they are read: a workout is built, checked and
/// handed on as soon as its last row is in, so only the rows of the
/// workouts still open are held, not the file.
pub(super) struct Assembler<'a> {
    format: Format,
    options: &'a ImportOptions,
    /// Where each workout's rows end; `None`: at the first row of another
    /// workout (the rows of each workout come together, as every app
    /// writes them).
    plan: Option<&'a Plan>,
    open: HashMap<GroupKey, Vec<(u64, Row)>>,
    /// Without a plan, the workouts already handed on: one of them again
    /// means its rows are apart, and the file needs a plan.
    done: HashSet<GroupKey>,
}

impl<'a> Assembler<'a> {
    pub(super) fn new(format: Format, options: &'a ImportOptions, plan: Option<&'a Plan>) -> Self {
        Assembler {
            format,
            options,
            plan,
            open: HashMap::new(),
            done: HashSet::new(),
        }
    }

    /// Takes row `number`, which starts on `line`; hands on the workouts it completes.
    pub(super) fn add<E: From<ImportError>>(
        &mut self,
        number: u64,
        line: u64,
        row: Row,
        skipped: &mut Vec<RowError>,
        each: &mut dyn FnMut(Imported) -> Result<(), E>,
    ) -> Result<(), E> {
        let key = (row.local_start, row.key.clone());
        let Some(plan) = self.plan else {
            if !self.open.contains_key(&key) {
                let finished: Vec<GroupKey> = self.open.keys().cloned().collect();
                for other in finished {
                    self.finish(&other, skipped, each)?;
                    self.done.insert(other);
                }
                if self.done.contains(&key) {
                    return Err(ImportError::Interleaved { line }.into());
                }
            }
            self.open.entry(key).or_default().push((line, row));
            return Ok(());
        };
        let last = plan.last_row.get(&key) == Some(&number);
        self.open.entry(key.clone()).or_default().push((line, row));
        if last {
            self.finish(&key, skipped, each)?;
        }
        Ok(())
    }

    /// Hands on the workouts still open, in chronological order.
    pub(super) fn end<E: From<ImportError>>(
        mut self,
        skipped: &mut Vec<RowError>,
        each: &mut dyn FnMut(Imported) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut open: Vec<GroupKey> = self.open.keys().cloned().collect();
        open.sort_by_key(|key| (self.open[key][0].1.started_at, key.1.clone()));
        for key in open {
            self.finish(&key, skipped, each)?;
        }
        Ok(())
    }

    /// Builds the workout of `key`'s rows, with its derived ids, and hands
    /// it on if it passes pump's checks.
    fn finish<E: From<ImportError>>(
        &mut self,
        key: &GroupKey,
        skipped: &mut Vec<RowError>,
        each: &mut dyn FnMut(Imported) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(group) = self.open.remove(key) else {
            return Ok(());
        };
        let first_line = group[0].0;
        let legacy_id = legacy_id(self.format, &group[0].1);
        let workout = build_workout(self.format, group);
        match workout.validate() {
            Ok(()) => each(Imported {
                workout,
                legacy_id,
                key: key.1.clone(),
            }),
            Err(why) => Ok(reject(
                RowError {
                    line: first_line,
                    problem: RowProblem::Workout {
                        name: workout.name.clone(),
                        why,
                    },
                },
                self.options,
                skipped,
            )?),
        }
    }
}

pub(super) const MAX_NAME_CHARS: usize = 200;

/// The id pump gave a workout before ids were machine-independent: it hashed
/// the start in UTC, so it depends on the time zone of the importing machine.
/// Only used to recognise a file an older pump imported on this machine.
fn legacy_id(format: Format, first: &Row) -> String {
    let at = first.started_at;
    derived_id(
        at.timestamp_millis(),
        &[
            format.to_string().as_bytes(),
            at.to_rfc3339().as_bytes(),
            first.key.as_bytes(),
        ],
    )
}

/// `text` with each distinct non-empty line of `notes` once, in order.
fn add_note(text: &mut Vec<String>, note: &str) {
    let note = note.trim();
    if !note.is_empty() && !text.iter().any(|n| n == note) {
        text.push(note.to_string());
    }
}

pub(super) fn build_workout(format: Format, group: Vec<(u64, Row)>) -> Workout {
    let first = &group[0].1;
    let started_at = first.started_at;
    // The local start read as UTC: a timestamp that no time zone changes.
    let stamp = first.local_start.and_utc().timestamp_millis();
    let start_text = first.local_start.format("%Y-%m-%dT%H:%M:%S").to_string();
    let id = derived_id(
        stamp,
        &[
            ID_TAG,
            format.to_string().as_bytes(),
            start_text.as_bytes(),
            first.key.as_bytes(),
        ],
    );
    let mut names: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (_, row) in &group {
        if !row.name.is_empty() && !names.contains(&row.name.as_str()) {
            names.push(&row.name);
        }
        add_note(&mut notes, &row.workout_notes);
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
        notes: notes.join("\n"),
        exercises: Vec::new(),
        plan: Vec::new(),
        imported: Some(Provenance {
            format: format.to_string(),
            local_start: first.local_start,
            local_end: first.local_end,
        }),
    };

    // Runs of consecutive rows of one exercise: a Hevy run is one exercise
    // instance, whose sets are ordered by set_index. Runs of one exercise
    // make one entry, as the lifter sees one exercise per workout.
    let mut runs: Vec<Vec<Row>> = Vec::new();
    for (_, row) in group {
        match runs.last_mut() {
            Some(run) if run[0].exercise.eq_ignore_ascii_case(&row.exercise) => run.push(row),
            _ => runs.push(vec![row]),
        }
    }
    let mut exercise_notes: Vec<Vec<String>> = Vec::new();
    for mut run in runs {
        run.sort_by_key(|r| r.order);
        let at = match workout
            .exercises
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(&run[0].exercise))
        {
            Some(at) => at,
            None => {
                workout.exercises.push(ExerciseEntry {
                    name: run[0].exercise.clone(),
                    superset: run[0].superset,
                    ..ExerciseEntry::default()
                });
                exercise_notes.push(Vec::new());
                workout.exercises.len() - 1
            }
        };
        for row in run {
            add_note(&mut exercise_notes[at], &row.exercise_note);
            workout.exercises[at].sets.extend(row.set);
        }
    }
    // An exercise that is only a note (Strong's `Note` row) still carries it.
    for (entry, notes) in workout.exercises.iter_mut().zip(exercise_notes) {
        entry.notes = notes.join("\n");
    }
    for (position, entry) in workout.exercises.iter_mut().enumerate() {
        let position = position.to_string();
        let name = entry.name.to_lowercase();
        entry.id = derived_id(stamp, &[workout.id.as_bytes(), position.as_bytes(), name.as_bytes()]);
        for (index, set) in entry.sets.iter_mut().enumerate() {
            set.id = derived_id(
                stamp,
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

/// A UUIDv7 stamped with `millis` whose other bits hash `parts`, so the same
/// data always gets the same id. SHA-256, not std's hasher, because the ids
/// must stay the same across Rust releases.
pub(super) fn derived_id(millis: i64, parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    let millis = u64::try_from(millis).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &random)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn derived_ids_are_v7_stamped_with_the_start_and_differ_by_content() {
        let at = DateTime::parse_from_rfc3339("2026-04-08T14:50:00Z")
            .expect("date")
            .with_timezone(&Utc)
            .timestamp_millis();
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
