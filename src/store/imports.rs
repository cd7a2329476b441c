//! The import log: which files were imported here, and which workouts each
//! added, so an import can be listed, undone (tombstones, synced like any
//! delete) and redone. The log itself is this device's own and never syncs;
//! the workouts it wrote sync like any other write.

use super::sets::DeferredIndexes;
use super::{Store, write_row};
use crate::error::{Error, Result};
use crate::model::Workout;
use crate::sync::kinds::Record;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// The file being imported, as the log records it.
#[derive(Debug, Clone)]
pub struct ImportSource {
    /// The file's name, without its folder.
    pub file: String,
    /// The app that wrote it (`Strong`, `Hevy`, `FitNotes`).
    pub format: String,
    /// The `--unit` given, if any.
    pub unit: Option<String>,
    /// SHA-256 of the file's text: the same file, whatever it is called now.
    pub digest: String,
}

/// One workout read from the file, and the id an older pump gave it here.
#[derive(Debug, Clone)]
pub struct IncomingWorkout {
    /// The workout, with its content-derived id.
    pub workout: Workout,
    /// Its id as an older pump derived it on this machine (see `import::Parsed::legacy_ids`).
    pub legacy_id: String,
}

/// One entry of the import log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportLog {
    /// The number `pump import --undo` takes.
    pub id: i64,
    /// When the import ran.
    pub imported_at: DateTime<Utc>,
    /// The file's name.
    pub file: String,
    /// The app that wrote it.
    pub format: String,
    /// The `--unit` given, if any.
    pub unit: Option<String>,
    /// Workouts this import added (or brought back).
    pub workouts: i64,
    /// Their sets.
    pub sets: i64,
    /// When it was undone, if it was.
    pub undone_at: Option<DateTime<Utc>>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The log entry, when the import wrote anything.
    pub id: Option<i64>,
    /// Workouts written that this device never had.
    pub added: usize,
    /// Workouts brought back from a tombstone (an undone import, a `pump rm`).
    pub restored: usize,
    /// Their sets, together.
    pub sets: usize,
    /// Workouts already here, live, left as they are (edits kept).
    pub present: usize,
    /// Workouts an older pump imported here under its older ids: left as they are.
    pub present_from_older_pump: usize,
    /// Earlier imports of the same file undone by `--replace`.
    pub replaced: Vec<i64>,
}

/// The `imports` columns [`log_entry`] reads.
const LOG_COLUMNS: &str = "id, imported_at, file, format, unit, workouts, sets, undone_at";

fn log_entry(r: &rusqlite::Row) -> rusqlite::Result<ImportLog> {
    Ok(ImportLog {
        id: r.get(0)?,
        imported_at: time(r, 1)?.unwrap_or_default(),
        file: r.get(2)?,
        format: r.get(3)?,
        unit: r.get(4)?,
        workouts: r.get(5)?,
        sets: r.get(6)?,
        undone_at: time(r, 7)?,
    })
}

/// A time the log stored as RFC 3339 text.
fn time(r: &rusqlite::Row, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    r.get::<_, Option<String>>(column)?
        .map(|text| {
            DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
                })
        })
        .transpose()
}

/// SQLite's page cache during an import, in KiB (negative: a size, not pages).
const IMPORT_CACHE_KIB: i64 = -24 * 1024;

/// An import under way: one transaction that workouts are added to as the
/// file is read, so the file never has to be in memory. [`Import::finish`]
/// commits it; dropped before that, nothing of it is kept.
pub struct Import<'a> {
    tx: Transaction<'a>,
    device_id: &'a str,
    source: ImportSource,
    report: ImportReport,
    deferred: Option<DeferredIndexes>,
}

impl Store {
    /// Starts importing `source` in one transaction through the one write
    /// path. An earlier import of the same file with another `--unit`
    /// refuses, unless `replace` undoes it first.
    pub fn begin_import(&mut self, source: &ImportSource, replace: bool) -> Result<Import<'_>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut report = ImportReport::default();
        for earlier in live_imports_of(&tx, &source.digest)? {
            let other_unit = match (&earlier.unit, &source.unit) {
                (Some(was), Some(now)) => was != now,
                _ => false,
            };
            if !other_unit {
                continue;
            }
            if !replace {
                return Err(Error::usage(format!(
                    "{} was already imported with --unit {} (import {}): undo that first with `pump import --undo {}`, \
                     or add --replace to undo it and import again in one step",
                    source.file,
                    earlier.unit.as_deref().unwrap_or_default(),
                    earlier.id,
                    earlier.id
                )));
            }
            undo_in(&tx, &self.device_id, earlier.id)?;
            report.replaced.push(earlier.id);
        }
        let deferred = DeferredIndexes::drop_if_empty(&tx)?;
        // Unless the indexes are built at the end (an empty set table),
        // each set goes into indexes ordered by exercise and load (the
        // record candidates): one import keeps a leaf page per exercise,
        // rep count and load busy, more than SQLite's default 2 MB of cache
        // holds, and evicted pages cost a write and a read each time. The
        // busy pages depend on the spread of loads, not on the length of
        // the file, so a fixed cache keeps the import's memory flat.
        if deferred.is_none() {
            tx.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        }
        Ok(Import {
            tx,
            device_id: &self.device_id,
            source: source.clone(),
            report,
            deferred,
        })
    }
}

impl Import<'_> {
    /// Adds one workout read from the file. A workout already here stays as
    /// it is; one deleted here (an undone import, a `pump rm`) is brought
    /// back by an ordinary write, which wins over the delete everywhere.
    pub fn add(&mut self, item: &IncomingWorkout) -> Result<()> {
        let kind = Workout::KIND.as_str();
        let workout = &item.workout;
        let deleted: Option<bool> = self
            .tx
            .prepare_cached("SELECT deleted FROM records WHERE kind = ?1 AND id = ?2")?
            .query_row(params![kind, workout.id], |r| r.get(0))
            .optional()?;
        let report = &mut self.report;
        match deleted {
            Some(false) => report.present += 1,
            // Deleted under its old id, it comes back under the new one.
            None if self
                .tx
                .prepare_cached("SELECT 1 FROM records WHERE kind = ?1 AND id = ?2 AND deleted = 0")?
                .exists(params![kind, item.legacy_id])? =>
            {
                report.present_from_older_pump += 1
            }
            _ => {
                let body = serde_json::to_value(workout)?;
                write_row(&self.tx, self.device_id, kind, &workout.id, &body, false, None)?;
                if deleted.is_some() {
                    report.restored += 1;
                } else {
                    report.added += 1;
                }
                report.sets += workout.set_count();
                // The log entry is made with the first workout written, and
                // each written workout is listed as it is written: nothing
                // of the file is kept to the end.
                let id = match report.id {
                    Some(id) => id,
                    None => {
                        self.tx.execute(
                            "INSERT INTO imports (imported_at, file, format, unit, digest, workouts, sets) \
                             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0)",
                            params![
                                Utc::now().to_rfc3339(),
                                self.source.file,
                                self.source.format,
                                self.source.unit,
                                self.source.digest,
                            ],
                        )?;
                        *report.id.insert(self.tx.last_insert_rowid())
                    }
                };
                self.tx
                    .prepare_cached("INSERT INTO import_workouts (import_id, workout_id) VALUES (?1, ?2)")?
                    .execute(params![id, workout.id])?;
            }
        }
        Ok(())
    }

    /// Commits the import; returns what it did.
    pub fn finish(self) -> Result<ImportReport> {
        let report = self.report;
        if let Some(deferred) = self.deferred {
            deferred.restore(&self.tx)?;
        }
        if let Some(id) = report.id {
            self.tx.execute(
                "UPDATE imports SET workouts = ?2, sets = ?3 WHERE id = ?1",
                params![id, (report.added + report.restored) as i64, report.sets as i64],
            )?;
        }
        self.tx.commit()?;
        Ok(report)
    }
}

impl Store {
    /// The import log, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportLog>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {LOG_COLUMNS} FROM imports ORDER BY id"))?;
        let entries = stmt.query_map([], log_entry)?.collect::<rusqlite::Result<_>>()?;
        Ok(entries)
    }

    /// Deletes the workouts import `id` wrote (those still live), as
    /// tombstones through the one write path, and marks it undone. Returns
    /// the entry and how many workouts were deleted.
    pub fn undo_import(&mut self, id: i64) -> Result<(ImportLog, usize)> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let entry = entry_in(&tx, id)?.ok_or_else(|| {
            Error::usage(format!(
                "there is no import {id}: `pump import --list` shows the imports made on this device"
            ))
        })?;
        if let Some(at) = entry.undone_at {
            return Err(Error::usage(format!(
                "import {id} was already undone on {}: import {} again to bring its workouts back",
                at.format("%Y-%m-%d %H:%M"),
                entry.file
            )));
        }
        let deleted = undo_in(&tx, &self.device_id, id)?;
        tx.commit()?;
        Ok((entry, deleted))
    }
}

fn entry_in(tx: &Transaction, id: i64) -> Result<Option<ImportLog>> {
    Ok(tx
        .query_row(
            &format!("SELECT {LOG_COLUMNS} FROM imports WHERE id = ?1"),
            [id],
            log_entry,
        )
        .optional()?)
}

/// The imports of the file with this digest that are not undone.
fn live_imports_of(tx: &Transaction, digest: &str) -> Result<Vec<ImportLog>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {LOG_COLUMNS} FROM imports WHERE digest = ?1 AND undone_at IS NULL ORDER BY id"
    ))?;
    let entries = stmt.query_map([digest], log_entry)?.collect::<rusqlite::Result<_>>()?;
    Ok(entries)
}

/// Tombstones the live workouts of import `id` (each keeping its body) and
/// marks the import undone. Returns how many were deleted.
fn undo_in(tx: &Transaction, device_id: &str, id: i64) -> Result<usize> {
    let kind = Workout::KIND.as_str();
    let live: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT r.id, r.body FROM import_workouts i JOIN records r ON r.kind = ?1 AND r.id = i.workout_id
             WHERE i.import_id = ?2 AND r.deleted = 0 ORDER BY r.id",
        )?
        .query_map(params![kind, id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (workout_id, body) in &live {
        let body: serde_json::Value = serde_json::from_str(body)?;
        write_row(tx, device_id, kind, workout_id, &body, true, None)?;
    }
    tx.execute(
        "UPDATE imports SET undone_at = ?1 WHERE id = ?2",
        params![Utc::now().to_rfc3339(), id],
    )?;
    Ok(live.len())
}
