//! The local SQLite store: the source of truth on this device.
//!
//! ```text
//!   command ──► Store::write ──► one IMMEDIATE transaction:
//!                                  read row → edit → bump this device's
//!                                  counter → upsert body, clock, pending=1
//! ```
//! Every mutation a person makes goes through [`Store::write`] (and the
//! merge/resolve steps of sync through the same `write_row`), so no command
//! can forget to bump the clock or to mark the row for sync.

mod conflicts;
mod device;
mod imports;
mod meta;
mod rows;
mod schema;
mod sets;
mod sync;
mod workouts;

pub use conflicts::{HeldConflict, Resolution};
pub use imports::{Import, ImportLog, ImportReport, ImportSource, IncomingWorkout};
pub use meta::{ConflictTotals, ServerSession, ServerTrust};
pub use sets::{SetQuery, StoredSession};
pub use sync::{ApplyReport, Pulled};

pub use workouts::{Order, WorkoutBrief, WorkoutFilter, WorkoutRow};

use crate::clock::VectorClock;
use crate::error::{Error, Result};
use crate::sync::kinds::{self, Kind, Record};
use crate::sync::unknown::carry_unknown_fields;
use crate::sync::wire::{Origin, Row, WireBody, content_digest, counters_within_bounds};
use chrono::Utc;
use meta::Key;
use rows::{RawStored, STORED_COLUMNS};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A restore under way (see [`Store::begin_restore`]).
pub struct Restore<'a> {
    tx: Transaction<'a>,
    device_id: &'a str,
    deferred: Option<sets::DeferredIndexes>,
}

impl Restore<'_> {
    /// Writes `record` unless a record of its kind with its id is stored
    /// already (live or deleted): what makes restoring the same export twice
    /// add nothing. Returns whether it was written.
    pub fn add<T: Record>(&mut self, record: &T) -> Result<bool> {
        let kind = T::KIND.as_str();
        let known = self
            .tx
            .prepare_cached("SELECT 1 FROM records WHERE kind = ?1 AND id = ?2")?
            .exists(params![kind, record.id()])?;
        if !known {
            let body = serde_json::to_value(record)?;
            write_row(&self.tx, self.device_id, kind, record.id(), &body, false, None)?;
        }
        Ok(!known)
    }

    /// Commits every record added.
    pub fn finish(self) -> Result<()> {
        if let Some(deferred) = self.deferred {
            deferred.restore(&self.tx)?;
        }
        Ok(self.tx.commit()?)
    }
}

/// A record as stored, with its sync state.
#[derive(Debug, Clone)]
pub struct Stored<T> {
    /// The record (its last body, for a tombstone).
    pub value: T,
    /// Whether it is a tombstone.
    pub deleted: bool,
    /// Its vector clock.
    pub clock: VectorClock,
    /// Written here and not yet accepted by the server.
    pub pending: bool,
}

/// What an edit decided to write.
pub struct Change<T> {
    /// The record to write.
    pub value: T,
    /// Whether the write is a delete (a tombstone keeping `value`).
    pub deleted: bool,
    /// A clock this write has seen besides the row's own (the other side of
    /// a merge or a resolved conflict): the new clock dominates both.
    pub seen: Option<VectorClock>,
}

impl<T> Change<T> {
    /// Writes `value` as the live record.
    pub fn put(value: T) -> Self {
        Change {
            value,
            deleted: false,
            seen: None,
        }
    }

    /// Deletes the record, keeping `value` as the tombstone's body.
    pub fn delete(value: T) -> Self {
        Change {
            value,
            deleted: true,
            seen: None,
        }
    }
}

/// This device's database: the records, their sync state and this
/// device's settings. Open one per command.
pub struct Store {
    conn: Connection,
    device_id: String,
    /// Set when opening found this file to be a copy: the id it had.
    copied_from: Option<String>,
    path: PathBuf,
    /// Copies the WAL into the file aside during a first pull (see `sync::Checkpointer`).
    checkpointer: Option<sync::Checkpointer>,
}

/// Two pumps at once (cron sync while a set is logged) wait for each other
/// instead of failing with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Store {
    /// Opens (creating when missing, mode 0600) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        create_database_file(path)?;
        let conn = Connection::open(path)
            .map_err(|e| Error::usage(format!("cannot open database {}: {e}", path.display())))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                // Only a file that is not SQLite at all is "not a pump database";
                // a read-only, corrupt or unreadable one says what it is.
                Some(rusqlite::ErrorCode::NotADatabase) | None => Error::usage(format!(
                    "{} is not a pump database (not even a SQLite file): point --db or PUMP_DB at a pump database \
                     file",
                    path.display()
                )),
                Some(_) => Error::usage(format!("cannot open database {}: {}", path.display(), Error::from(e))),
            })?;
        if version > schema::LATEST_VERSION {
            return Err(Error::other(format!(
                "{} was written by a newer pump (schema v{version}; this pump knows up to v{}): upgrade pump \
                 (cargo install --path . --locked) and try again",
                path.display(),
                schema::LATEST_VERSION
            )));
        }
        switch_to_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        keep_the_wal(&conn)?;
        start_a_grown_wal_over(&conn, path);
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut conn = conn;
        if version < schema::LATEST_VERSION {
            schema::migrate(&mut conn)
                .map_err(|e| Error::other(format!("cannot upgrade the database {}: {e}", path.display())))?;
        }
        // A first pull killed between its rounds left the indexes to make.
        sets::DeferredIndexes::restore_noted(&mut conn)?;
        let (device_id, copied_from) = device::ensure_device(&conn, path)?;
        Ok(Store {
            conn,
            device_id,
            copied_from,
            path: path.to_path_buf(),
            checkpointer: None,
        })
    }

    /// The files a database at `path` is made of: the file itself and the
    /// journals SQLite keeps beside it.
    pub fn files(path: &Path) -> Vec<PathBuf> {
        let mut files = vec![path.to_path_buf()];
        files.extend(["-wal", "-shm", "-journal"].map(|suffix| beside(path, suffix)));
        files
    }

    /// Opens an existing database only to read it, for shell completion:
    /// a TAB must never create, migrate or claim a database (no device id
    /// is made, no WAL switch, no schema upgrade). `None` when there is no
    /// database at `path`, or its schema is not exactly this pump's. Sync
    /// reads the next page of a backlog through one, beside its own
    /// connection (`client::engine`).
    pub fn open_read_only(path: &Path) -> Result<Option<Store>> {
        use rusqlite::OpenFlags;
        if !path.is_file() {
            return Ok(None);
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != schema::LATEST_VERSION {
            return Ok(None);
        }
        let device_id = meta::get(&conn, Key::DeviceId)?.unwrap_or_default();
        Ok(Some(Store {
            conn,
            device_id,
            copied_from: None,
            path: path.to_path_buf(),
            checkpointer: None,
        }))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The record of type `T` with this id, live or deleted.
    pub fn get<T: Record>(&self, id: &str) -> Result<Option<Stored<T>>> {
        get_in(&self.conn, id)
    }

    /// The one write path. Runs `edit` on the current version inside an
    /// IMMEDIATE transaction (so a concurrent pump cannot interleave a
    /// read-modify-write), then bumps this device's counter and marks the row
    /// pending in the same transaction. `edit` returning `None` writes nothing.
    pub fn write<T: Record>(
        &mut self,
        id: &str,
        edit: impl FnOnce(Option<Stored<T>>) -> Result<Option<Change<T>>>,
    ) -> Result<Option<VectorClock>> {
        self.write_with_records(id, edit, |_| CachedRecords::default())
    }

    /// [`Store::write`], saving in the same transaction the personal
    /// records `records` computes from the version written (see
    /// [`CachedRecords`]): the write and its record cache commit together,
    /// with the write's one fsync and no second transaction (a tenth of a
    /// `pump log`'s CPU). The kept WAL stays bounded without a second write
    /// to start it over: a command that leaves it grown past its size
    /// empties it as it exits (see `start_a_grown_wal_over`); 100 `pump
    /// log`s in a row never left it past 1.04 MB.
    pub fn write_with_records<T: Record>(
        &mut self,
        id: &str,
        edit: impl FnOnce(Option<Stored<T>>) -> Result<Option<Change<T>>>,
        records: impl FnOnce(&T) -> CachedRecords,
    ) -> Result<Option<VectorClock>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let raw = raw_in::<T>(&tx, id)?;
        let current = raw.as_ref().map(RawStored::decode::<T>).transpose()?;
        let Some(change) = edit(current)? else { return Ok(None) };
        let clock = write_change(&tx, &self.device_id, id, raw.as_ref(), &change)?;
        save_records(&tx, &records(&change.value))?;
        tx.commit()?;
        Ok(Some(clock))
    }

    /// [`Store::write`] for many rows in one transaction: `edit` sees each
    /// row's current version (rows that do not exist are skipped) and may
    /// change it. All or nothing; returns how many rows were written. For
    /// rewriting history (renaming an exercise everywhere) without a
    /// transaction per workout.
    pub fn write_each<T: Record>(
        &mut self,
        ids: &[String],
        mut edit: impl FnMut(Stored<T>) -> Result<Option<Change<T>>>,
    ) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut written = 0;
        for id in ids {
            let Some(raw) = raw_in::<T>(&tx, id)? else { continue };
            let Some(change) = edit(raw.decode()?)? else { continue };
            write_change(&tx, &self.device_id, id, Some(&raw), &change)?;
            written += 1;
        }
        tx.commit()?;
        Ok(written)
    }

    /// Every live (not deleted) record of one kind, in id order.
    pub fn all<T: Record>(&self) -> Result<Vec<T>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM records WHERE kind = ?1 AND deleted = 0 ORDER BY id")?;
        let bodies = stmt.query_map([T::KIND.as_str()], |r| r.get::<_, String>(0))?;
        bodies.map(|body| Ok(serde_json::from_str(&body?)?)).collect()
    }

    /// Starts restoring records (a pump export) in one transaction through
    /// the one write path, so an export of any size is added as it is read
    /// and never held in memory. Dropped before [`Restore::finish`], nothing
    /// of it is kept: a restore is all or nothing.
    pub fn begin_restore(&mut self) -> Result<Restore<'_>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let deferred = sets::DeferredIndexes::drop_if_empty(&tx)?;
        Ok(Restore {
            tx,
            device_id: &self.device_id,
            deferred,
        })
    }

    /// The record cache as of data generation `generation`, the current
    /// one: `None` unless the cache followed every write up to it (see
    /// [`CachedRecords`]).
    pub fn record_cache(&self, generation: u64) -> Result<Option<RecordCache<'_>>> {
        if meta::number(&self.conn, Key::RecordCacheValidAt)? != generation {
            return Ok(None);
        }
        Ok(Some(RecordCache {
            conn: &self.conn,
            since: meta::number(&self.conn, Key::RecordCacheSince)?,
        }))
    }

    /// Rows written here that the server has not accepted yet.
    pub fn pending_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM records WHERE pending = 1", [], |r| r.get(0))?)
    }
}

/// Personal records for the record cache, computed over the data as of
/// generation `computed_at` plus exactly one write (the one they are saved
/// with): entries still valid at `computed_at` stay valid, `entries`
/// (exercise key, records as JSON) replace theirs. If anything else was
/// written in between, nothing is saved and the cache simply misses next
/// time. A cache is rebuilt from the records whenever it is missing.
///
/// The cache is valid up to the generation in `Key::RecordCacheValidAt`,
/// moved on by each write it follows; its rows saved before
/// `Key::RecordCacheSince` (where it last started to follow the writes)
/// are stale. So a write touches its own exercises' rows and one meta
/// value, not every row of the cache (a lifter's hundred exercises are
/// 200 KB of JSON).
#[derive(Debug, Default)]
pub struct CachedRecords {
    /// The data generation the records were computed at, before the write.
    pub computed_at: u64,
    /// Each exercise's cache key and its records as JSON.
    pub entries: Vec<(String, String)>,
}

/// The record cache while it is valid (see [`Store::record_cache`]).
pub struct RecordCache<'a> {
    conn: &'a Connection,
    since: u64,
}

impl RecordCache<'_> {
    /// The records saved for `key`, if they are still valid.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        // Prepared once for all of a write's exercises.
        Ok(self
            .conn
            .prepare_cached("SELECT records FROM record_cache WHERE exercise = ?1 AND generation >= ?2")?
            .query_row(params![key, self.since as i64], |r| r.get(0))
            .optional()?)
    }
}

/// Saves `records` in the transaction of the write they follow.
fn save_records(tx: &Transaction, records: &CachedRecords) -> Result<()> {
    if records.entries.is_empty() {
        return Ok(());
    }
    let now = meta::number(tx, Key::Generation)?;
    if now != records.computed_at + 1 {
        return Ok(());
    }
    if meta::number(tx, Key::RecordCacheValidAt)? == records.computed_at {
        meta::add(tx, Key::RecordCacheValidAt, 1)?;
    } else {
        // A write the cache did not follow came before: only what is saved
        // now is valid.
        meta::set(tx, Key::RecordCacheValidAt, &now.to_string())?;
        meta::set(tx, Key::RecordCacheSince, &now.to_string())?;
    }
    let mut save = tx.prepare_cached(
        "INSERT INTO record_cache (exercise, generation, records) VALUES (?1, ?2, ?3)
         ON CONFLICT (exercise) DO UPDATE SET generation = excluded.generation, records = excluded.records",
    )?;
    for (key, records) in &records.entries {
        save.execute(params![key, now as i64, records])?;
    }
    Ok(())
}

/// Writes one record's change through [`write_row`]. The fields of
/// `stored` (the version the change was made from) that this pump does not
/// know were written by a newer pump: they are carried into the new body,
/// so an edit here never drops them.
fn write_change<T: Record>(
    tx: &Transaction,
    device_id: &str,
    id: &str,
    stored: Option<&RawStored>,
    change: &Change<T>,
) -> Result<VectorClock> {
    let mut body = serde_json::to_value(&change.value)?;
    if let Some(stored) = stored {
        // What this pump understood of the stored body, to tell the
        // newer pump's fields apart.
        let understood = serde_json::to_value(stored.decode::<T>()?.value)?;
        carry_unknown_fields(&stored.body()?, &understood, &mut body);
    }
    write_row(
        tx,
        device_id,
        T::KIND.as_str(),
        id,
        &body,
        change.deleted,
        change.seen.as_ref(),
    )
}

/// Writes one change: the single place where a row's clock is bumped and the
/// row is marked pending. Callers hold the transaction.
fn write_row(
    tx: &Transaction,
    device_id: &str,
    kind: &str,
    id: &str,
    body: &serde_json::Value,
    deleted: bool,
    seen: Option<&VectorClock>,
) -> Result<VectorClock> {
    // Read with the statement the caller's read of the row prepared: one
    // statement fewer to compile in a `pump log`.
    let stored = raw_row(tx, kind, id)?;
    let mut clock: VectorClock = stored.as_ref().map(RawStored::clock).transpose()?.unwrap_or_default();
    if let Some(seen) = seen {
        clock.merge(seen);
    }
    clock
        .bump(device_id)
        .map_err(|full| impossible_clock(kind, id, &full.to_string()))?;
    if !counters_within_bounds(&clock) {
        return Err(impossible_clock(
            kind,
            id,
            "it carries a write counter beyond any real history",
        ));
    }
    let now = Utc::now();
    let device = meta::get(tx, Key::DeviceName)?.unwrap_or_default();
    let origin = serde_json::to_string(&Origin { device, at: now })?;
    meta::add(tx, Key::Generation, 1)?;
    // The first local change to a synced row: keep what was synced as the
    // merge base (a synced row stores none, see `rows::Base::Itself`). A
    // new row (every `pump log`) has none to keep.
    if stored.is_some() {
        tx.prepare_cached(
            "UPDATE records SET base_body = body, base_deleted = deleted, base_clock = clock
             WHERE kind = ?1 AND id = ?2 AND pending = 0 AND base_body IS NULL",
        )?
        .execute(params![kind, id])?;
    }
    let body_text = serde_json::to_string(body)?;
    tx.prepare_cached("INSERT OR REPLACE INTO dots (kind, id, device, counter, digest) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![
            kind,
            id,
            device_id,
            clock.get(device_id) as i64,
            content_digest(deleted, &body_text)
        ])?;
    refresh_derived(tx, kind, id, body, deleted)?;
    tx.prepare_cached(
        "INSERT INTO records (kind, id, body, deleted, clock, pending, updated_at, origin, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8)
         ON CONFLICT (kind, id) DO UPDATE SET
           body = excluded.body, deleted = excluded.deleted, clock = excluded.clock,
           pending = 1, updated_at = excluded.updated_at, origin = excluded.origin, started_at = excluded.started_at",
    )?
    .execute(params![
        kind,
        id,
        body_text,
        deleted,
        clock.to_json(),
        now.to_rfc3339(),
        origin,
        kinds::started_at(body)
    ])?;
    Ok(clock)
}

/// Keeps the derived set table in step with a record's new version, in the
/// transaction that writes it: every change to `records` passes here.
fn refresh_derived(tx: &Transaction, kind: &str, id: &str, body: &serde_json::Value, deleted: bool) -> Result<()> {
    match Kind::parse(kind) {
        Some(Kind::Workout) => sets::refresh_workout(tx, id, body, deleted),
        Some(Kind::BodyWeight) => sets::refresh_body_weight(tx, id, body, deleted),
        _ => Ok(()),
    }
}

/// A write refused because the row's clock cannot count it: only a hostile
/// or broken client (or a pump from before such clocks were refused) can
/// have left it so. Failing loudly beats writing a version that every
/// server refuses, or that looks older than the one it replaces.
fn impossible_clock(kind: &str, id: &str, why: &str) -> Error {
    Error::other(format!(
        "cannot change {kind} {id}: {why} (written by a hostile or broken client); nothing was written — record \
         it anew instead"
    ))
}

/// A body as the canonical JSON text `records` keeps: open rows hold it as
/// values, a pushed row as the text it was read as (see `rows::record_text`).
trait BodyText {
    fn canonical_text(&self) -> std::borrow::Cow<'_, str>;
    /// The body as values (parsed, when it is held as text).
    fn value(&self) -> Result<std::borrow::Cow<'_, serde_json::Value>>;
}

impl BodyText for serde_json::Value {
    fn canonical_text(&self) -> std::borrow::Cow<'_, str> {
        self.to_string().into()
    }

    fn value(&self) -> Result<std::borrow::Cow<'_, serde_json::Value>> {
        Ok(std::borrow::Cow::Borrowed(self))
    }
}

impl BodyText for WireBody {
    fn canonical_text(&self) -> std::borrow::Cow<'_, str> {
        self.get().into()
    }

    fn value(&self) -> Result<std::borrow::Cow<'_, serde_json::Value>> {
        Ok(std::borrow::Cow::Owned(serde_json::from_str(self.get())?))
    }
}

/// Makes `synced` the merge base of its row: the last version this device
/// knows the server holds, the common ancestor for the next merge. The
/// dots it covers are forgotten with it (see [`forget_dots_covered_by`]).
fn set_base<B: BodyText>(tx: &Transaction, synced: &Row<B>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE records SET base_body = ?3, base_deleted = ?4, base_clock = ?5 WHERE kind = ?1 AND id = ?2",
    )?
    .execute(params![
        synced.kind,
        synced.id,
        synced.body.canonical_text(),
        synced.deleted,
        synced.clock.to_json()
    ])?;
    forget_dots_covered_by(tx, &synced.kind, &synced.id, &synced.clock)
}

/// Forgets the dots of this row's writes that a version the server holds
/// (`synced`) covers. The server recorded its own write under each of those
/// counters: this device's, which need not travel again, or, for a device
/// id two databases shared, the twin's. A dot of the twin's counter kept
/// here would be sent with every later version, and the server would call
/// each one a collision again, even a person's resolution of the first
/// (simulation seed 11000673): once the server's version is the base, the
/// writes it covers have been judged.
fn forget_dots_covered_by(tx: &Transaction, kind: &str, id: &str, synced: &VectorClock) -> Result<()> {
    let mut forget =
        tx.prepare_cached("DELETE FROM dots WHERE kind = ?1 AND id = ?2 AND device = ?3 AND counter <= ?4")?;
    for (device, counter) in synced.entries() {
        forget.execute(params![kind, id, device, counter as i64])?;
    }
    Ok(())
}

/// Drops the conflict held for a row, if any: a version superseding both
/// sides was written or received.
fn forget_conflict(tx: &Transaction, kind: &str, id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM conflicts WHERE kind = ?1 AND id = ?2")?
        .execute(params![kind, id])?;
    Ok(())
}

fn get_in<T: Record>(conn: &Connection, id: &str) -> Result<Option<Stored<T>>> {
    raw_in::<T>(conn, id)?.map(|raw| raw.decode()).transpose()
}

fn raw_in<T: Record>(conn: &Connection, id: &str) -> Result<Option<RawStored>> {
    raw_row(conn, T::KIND.as_str(), id)
}

fn raw_row(conn: &Connection, kind: &str, id: &str) -> Result<Option<RawStored>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {STORED_COLUMNS} FROM records WHERE kind = ?1 AND id = ?2"
        ))?
        .query_row(params![kind, id], RawStored::from_row)
        .optional()?)
}

/// WAL, so a reader never waits for a writer. Switching a new file takes an
/// exclusive lock that a second pump opening it at the same moment may
/// hold; the switch is done once, so waiting for it and trying again is all
/// it takes (SQLite answers busy at once here instead of waiting).
fn switch_to_wal(conn: &Connection) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        let mode: rusqlite::Result<String> = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0));
        match mode {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Leaves the WAL (and its index) in place when the connection closes,
/// instead of copying it into the database file and deleting it. Closing
/// used to cost four fsyncs on top of the commit's own (the checkpoint's
/// two, then the next command creating the WAL again: its header and its
/// folder), so a `pump log` now waits for the disk once: durable when the
/// commit's WAL frames are (`synchronous=FULL`). SQLite's auto-checkpoint
/// still moves the WAL into the file every [`WAL_PAGES`] pages, and the
/// WAL file is cut back to [`WAL_BYTES_KEPT`] when it restarts, so it stays
/// small after a big sync or import.
///
/// The newest writes may so live in `pump.db-wal` only: a copy of a
/// database is `pump export`, or the file together with its `-wal`.
fn keep_the_wal(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", WAL_BYTES_KEPT)?;
    Ok(())
}

/// A big write (an import, a restore, a new device's first sync) grows the
/// WAL to the size of everything it wrote, and SQLite cuts it back only
/// when the next write starts it over: until then the folder holds the
/// database twice over, every reader looks its pages up in the WAL, and
/// the next program to close the file last (a `sqlite3` shell, a backup
/// tool) pays for the checkpoint. So the command that grew it empties it
/// before it exits.
impl Drop for Store {
    fn drop(&mut self) {
        if !self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            start_a_grown_wal_over(&self.conn, &self.path);
        }
    }
}

/// Starts the kept WAL over when it has grown past [`WAL_BYTES_KEPT`]:
/// copies it into the database file and empties it. Run as a command exits
/// (see `impl Drop for Store`) and as one opens the database: SQLite's
/// checkpoint after a commit copies the WAL, but only a later write in the
/// same process starts it over (a process that opens the database counts
/// none of the WAL as copied), so a run of commands that each write once
/// (weigh-ins, edits) grew it without end: 13.9 MB after 400 `pump
/// weight`s, every command reading all of it on open and copying it all
/// again on commit.
///
/// Never waits: with another pump writing or reading, a later command
/// does it. Only an optimisation (what it copies is committed and durable
/// already), so its failure is not the command's.
fn start_a_grown_wal_over(conn: &Connection, path: &Path) {
    let grown = std::fs::metadata(beside(path, "-wal")).is_ok_and(|wal| wal.len() > WAL_BYTES_KEPT as u64);
    if grown {
        let _ = conn.busy_timeout(Duration::ZERO);
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = conn.busy_timeout(BUSY_TIMEOUT);
    }
}

/// Stops SQLite counting the memory it holds, for the whole process (the
/// server's databases too): nothing in pump reads the count, and keeping it
/// locked a process-wide mutex around each of SQLite's allocations and
/// frees, about 4,000 in a `pump log` (6 % of its instructions).
///
/// # Safety
///
/// SQLite's configuration may change only while no thread uses SQLite:
/// call this before anything opens a database (main does, first thing).
/// Called later, SQLite refuses it and nothing changes.
pub unsafe fn stop_counting_sqlites_memory() {
    // SAFETY: the caller guarantees no other thread uses SQLite; the option
    // takes one int.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
    }
}

/// The file SQLite keeps beside the database at `path` under `suffix`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Pages the WAL grows to before a commit copies it into the database
/// file. Every command that opens the database reads the WAL through once
/// (SQLite rebuilds its index from it), so it is kept well under SQLite's
/// default of 1,000: a few dozen `pump log`s' worth.
const WAL_PAGES: i64 = 256;

/// The size a restarted WAL file is cut back to.
const WAL_BYTES_KEPT: i64 = WAL_PAGES * 4096;

/// The database holds a session token: only its owner may read it.
fn create_database_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::usage(format!("cannot create the folder {}: {e}", dir.display())))?;
    }
    crate::files::create_private_file(path)
        .map_err(|e| Error::usage(format!("cannot create database {}: {e}", path.display())))
}
