//! Read queries over workouts. Writes go through `Store::write`.

use super::rows::{RawStored, STORED_COLUMNS};
use super::{Store, Stored};
use crate::error::{Error, Result};
use crate::model::Workout;
use crate::sync::kinds::Record;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use std::ops::ControlFlow;

/// Which workouts [`Store::workouts`] returns.
#[derive(Debug, Default, Clone)]
pub struct WorkoutFilter {
    /// Started at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Started before this.
    pub until: Option<DateTime<Utc>>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
    /// Deleted workouts (tombstones, with their last content) instead of live ones.
    pub deleted: bool,
}

/// A workout as stored, with its sync state.
pub type WorkoutRow = Stored<Workout>;

/// Which end of history [`Store::each_workout`] starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The most recently started first, as `pump list` shows them.
    NewestFirst,
    /// The earliest first, as an export reads naturally.
    OldestFirst,
}

/// Rows read from SQLite before they are decoded together: enough to keep
/// every core busy, few enough that a whole history never sits in memory.
const DECODE_BATCH: usize = 1_024;

/// What shell completion shows of a workout, read without decoding it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkoutBrief {
    /// Its full id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Live (not deleted) workouts, or with `filter.deleted` deleted ones, newest first.
    pub fn workouts(&self, filter: &WorkoutFilter) -> Result<Vec<WorkoutRow>> {
        let mut all = Vec::new();
        self.each_workout(filter, Order::NewestFirst, &mut |row| {
            all.push(row);
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(all)
    }

    /// [`Store::workouts`] as a stream: each row is decoded and handed to
    /// `each` in `order` as SQLite reads it, so commands over a whole
    /// history (list, export, report) hold one batch of it at a time, not
    /// all of it. `each` returning `Break` stops the reading.
    pub fn each_workout(
        &self,
        filter: &WorkoutFilter,
        order: Order,
        each: &mut dyn FnMut(WorkoutRow) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        self.each_workout_mapped(filter, order, &Ok, each)
    }

    /// [`Store::each_workout`] with `map` applied to each row on the
    /// threads that decode it (turning a workout into output text costs as
    /// much as decoding it); `each` gets the results in order.
    pub fn each_workout_mapped<T: Send>(
        &self,
        filter: &WorkoutFilter,
        order: Order,
        map: &(dyn Fn(WorkoutRow) -> Result<T> + Sync),
        each: &mut dyn FnMut(T) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let direction = match order {
            Order::NewestFirst => "DESC",
            Order::OldestFirst => "ASC",
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {STORED_COLUMNS} FROM records
             WHERE kind = ?1 AND deleted = ?5
               AND (?2 IS NULL OR started_at >= ?2) AND (?3 IS NULL OR started_at < ?3)
             ORDER BY started_at {direction}, id {direction}
             LIMIT ?4"
        ))?;
        let since = filter.since.map(|t| json_time(&t));
        let until = filter.until.map(|t| json_time(&t));
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let mut rows = stmt.query(params![Workout::KIND.as_str(), since, until, limit, filter.deleted])?;
        let mut batch = Vec::with_capacity(DECODE_BATCH);
        loop {
            let row = rows.next()?;
            if let Some(row) = row {
                batch.push(RawStored::from_row(row)?);
            }
            if batch.len() == DECODE_BATCH || (row.is_none() && !batch.is_empty()) {
                let decoded = parse_in_parallel(std::mem::take(&mut batch), |raw| map(raw.decode()?))?;
                for decoded in decoded {
                    if each(decoded)?.is_break() {
                        return Ok(());
                    }
                }
            }
            if row.is_none() {
                return Ok(());
            }
        }
    }

    /// Live workouts that contain any of these exercise names (as stored,
    /// ignoring ASCII case),
    /// found by text search in SQL so announcing a PR after `pump log` does
    /// not decode years of unrelated workouts.
    pub fn workouts_with_exercises(&self, names: &[String]) -> Result<Vec<Workout>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM records WHERE kind = ?1 AND deleted = 0 AND instr(lower(body), lower(?2)) > 0",
        )?;
        let mut found: std::collections::BTreeMap<String, Workout> = std::collections::BTreeMap::new();
        for name in names {
            let needle = format!("\"name\":{}", serde_json::to_string(name)?);
            for body in stmt.query_map(params![Workout::KIND.as_str(), needle], |r| r.get::<_, String>(0))? {
                let workout: Workout = serde_json::from_str(&body?)?;
                found.insert(workout.id.clone(), workout);
            }
        }
        Ok(found.into_values().collect())
    }

    /// Every distinct exercise name written in a live workout, as stored:
    /// the spellings one exercise may have (an import's "Bench Press
    /// (Barbell)", a name an alias now points elsewhere), to find all its
    /// sessions with [`Store::workouts_with_exercises`]. SQLite reads the
    /// names out of the JSON, so nothing is decoded here.
    pub fn exercise_names_in_use(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT json_extract(e.value, '$.name') FROM records r, json_each(r.body, '$.exercises') e
             WHERE r.kind = ?1 AND r.deleted = 0 AND json_extract(e.value, '$.name') IS NOT NULL",
        )?;
        let names = stmt
            .query_map([Workout::KIND.as_str()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Live (or with `deleted`, deleted) workouts whose id starts with
    /// `prefix` (dashes ignored, as [`Store::resolve_workout_id`] ignores
    /// them), newest first, at most `limit`: what a TAB offers where an id
    /// is taken.
    pub fn workout_briefs(&self, prefix: &str, deleted: bool, limit: usize) -> Result<Vec<WorkoutBrief>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, json_extract(body, '$.name'), started_at FROM records
             WHERE kind = ?1 AND deleted = ?4 AND substr(replace(id, '-', ''), 1, length(?2)) = ?2
             ORDER BY started_at DESC, id DESC LIMIT ?3",
        )?;
        let prefix = id_digits(prefix);
        let briefs = stmt
            .query_map(params![Workout::KIND.as_str(), prefix, limit as i64, deleted], |r| {
                Ok(WorkoutBrief {
                    id: r.get(0)?,
                    name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    started_at: r
                        .get::<_, Option<String>>(2)?
                        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                        .map(|t| t.with_timezone(&Utc)),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(briefs)
    }

    /// A workout's name, read without decoding the rest of it (the
    /// analytics' workouts from the set table carry none).
    pub fn workout_name(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT json_extract(body, '$.name') FROM records WHERE kind = ?1 AND id = ?2")?
            .query_row(params![Workout::KIND.as_str(), id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Resolves what a person typed as a workout id: the full id, any unique
    /// prefix of it with or without its dashes (`01a22a48-3991` or
    /// `01a22a483991`), or `last` (the most recently started workout).
    pub fn resolve_workout_id(&self, typed: &str) -> Result<String> {
        self.resolve_id(typed, false)
    }

    /// [`Store::resolve_workout_id`] among deleted workouts, for `pump
    /// restore`: `last` is the one deleted most recently.
    pub fn resolve_deleted_workout_id(&self, typed: &str) -> Result<String> {
        self.resolve_id(typed, true)
    }

    fn resolve_id(&self, typed: &str, deleted: bool) -> Result<String> {
        let typed = typed.trim();
        if typed.eq_ignore_ascii_case("last") {
            let newest: Option<String> = self
                .conn
                .prepare_cached(
                    "SELECT id FROM records WHERE kind = ?1 AND deleted = ?2
                     ORDER BY CASE WHEN ?2 THEN updated_at ELSE started_at END DESC, id DESC LIMIT 1",
                )?
                .query_row(params![Workout::KIND.as_str(), deleted], |r| r.get(0))
                .optional()?;
            return newest.ok_or_else(|| {
                Error::usage(if deleted {
                    "no workout is deleted: there is nothing to restore"
                } else {
                    "there are no workouts yet: log one with `pump log NAME -e ...`"
                })
            });
        }
        if id_digits(typed).is_empty() || !typed.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(Error::usage(format!(
                "'{typed}' is not a workout id: use an id (or a prefix of one) from `pump list`, or `last`"
            )));
        }
        let prefix = id_digits(typed);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM records
             WHERE kind = ?1 AND deleted = ?3 AND substr(replace(id, '-', ''), 1, length(?2)) = ?2 LIMIT 2",
        )?;
        let ids: Vec<String> = stmt
            .query_map(params![Workout::KIND.as_str(), prefix, deleted], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (what, list) = if deleted {
            ("deleted workout", "pump list --deleted")
        } else {
            ("workout", "pump list")
        };
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::usage(format!(
                "no {what} has the id '{typed}': see `{list}` for ids"
            ))),
            _ => Err(Error::usage(format!(
                "the id '{typed}' matches more than one {what}: type more of it (see `{list}`)"
            ))),
        }
    }

    /// The shortest prefix length (at least `min`) that tells every
    /// workout apart, live or deleted (`pump list --deleted` shows the
    /// latter), like git's abbreviated hashes. UUIDv7 ids made in the same
    /// minute share their first eight characters, so a fixed length would
    /// not do.
    pub fn short_id_len(&self, min: usize) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM records WHERE kind = ?1 ORDER BY id")?;
        let ids: Vec<String> = stmt
            .query_map([Workout::KIND.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let longest_shared = ids
            .windows(2)
            .map(|pair| pair[0].chars().zip(pair[1].chars()).take_while(|(a, b)| a == b).count())
            .max()
            .unwrap_or(0);
        Ok(min.max(longest_shared + 1))
    }
}

/// An id or a prefix of one as its hex digits, lowercase: ids are
/// matched without their dashes, so a prefix copied with or without them
/// finds the same workout.
fn id_digits(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The text form serde gives `DateTime<Utc>`, which is what the generated
/// `started_at` column holds, so string comparison orders correctly.
fn json_time(t: &DateTime<Utc>) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Decoding years of workouts is most of what `pump stats` and `pump pr`
/// spend; the JSON of each row is independent, so big batches are split
/// across the machine's cores.
fn parse_in_parallel<R: Sync, T: Send>(raw: Vec<R>, parse: impl Fn(&R) -> Result<T> + Sync) -> Result<Vec<T>> {
    const WORTH_A_THREAD: usize = 500;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(raw.len() / WORTH_A_THREAD)
        .max(1);
    if threads == 1 {
        return raw.iter().map(&parse).collect();
    }
    let chunk = raw.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parse = &parse;
        let handles: Vec<_> = raw
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(parse).collect::<Result<Vec<T>>>()))
            .collect();
        let mut all = Vec::with_capacity(raw.len());
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| crate::error::Error::other("a worker decoding workouts panicked"))?;
            all.extend(part?);
        }
        Ok(all)
    })
}
