//! The SQLite backend: one `server.db` file in the data directory.
//!
//! One writer connection behind a mutex does every write (SQLite allows one
//! writer at a time anyway, and a single connection keeps its prepared
//! statements hot); a few reader connections answer token and password
//! lookups concurrently thanks to WAL.
//!
//! Group commit: with `synchronous=FULL` every COMMIT waits for the disk
//! (an fsync, milliseconds), which made one commit per round the server's
//! ceiling. So the rounds that queue for the writer meanwhile share one
//! transaction, each in its own savepoint (a failing round rolls back only
//! its own writes), and the last of them commits for all: one fsync for the
//! group. No round answers before that commit is durable, so every round
//! is still atomic and durable; it only waits for its neighbours' work too.
//!
//! Sync rounds run on a writer thread of their own (see
//! `server::writer_thread`): the HTTP layer queues them there straight from
//! its async workers, the thread runs whatever is queued into one group,
//! commits it, and only then answers each round. Before it, each round hopped
//! to the blocking pool, waited for the writer's mutex and then for its
//! group's commit: three thread switches, a quarter of the server's CPU.

use super::columns::{ROW_COLUMNS, StoredRow, count, origin_text, to_sql};
use super::storage::{
    AccountSummary, DeviceRecord, DeviceReport, SessionInfo, Storage, StorageError, StorageTxn, TokenHash, Usage, User,
    UserId,
};
use super::writer_thread::{Delivery, WriterJob, WriterQueue};
use crate::files::{create_private_dir, create_private_file};
use crate::sync::wire::WireRow;
use chrono::{DateTime, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// The database's file name inside the server's data directory.
pub const DB_FILE: &str = "server.db";
const READERS: usize = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Rounds one group commit takes at most: under a steady stream of rounds
/// someone is always queued, and the first round of a group must not wait
/// for the stream to pause.
const MAX_GROUP_ROUNDS: usize = 32;
/// Database calls served at once besides the sync rounds, which queue for
/// the writer thread (see [`Storage::concurrency`]): a key change waiting
/// for its group's commit holds a slot without using the database, so more
/// slots than SQLite's one writer and four readers keep the lookups going.
const CONCURRENCY: usize = 16;
/// Sync rounds queued for the writer thread at most; more are refused with
/// a 503 at once. Rounds take a fraction of a millisecond each, so a full
/// queue is still well under a second's work.
const QUEUED_ROUNDS: usize = 512;

/// Schema versions, applied in order; `PRAGMA user_version` counts how many
/// ran. Append, never edit: a deployed server has run the old ones.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    -- The last change sequence number handed out for this user's rows.
    last_seq INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE rows (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    clock TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    body TEXT NOT NULL,
    origin TEXT,
    device TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX rows_by_seq ON rows (user_id, seq);
CREATE TABLE devices (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    lineage TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
"#,
    r#"
-- Every write (dot) a device reported for a row: which content the
-- counter-th write of this row by this device produced (see wire::Dot).
CREATE TABLE dots (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    device TEXT NOT NULL,
    counter INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, id, device, counter)
) WITHOUT ROWID;
"#,
    r#"
-- Sessions end (idle and absolute expiry) and each syncs as one device.
ALTER TABLE sessions ADD COLUMN device_id TEXT;
ALTER TABLE sessions ADD COLUMN last_used TEXT;
UPDATE sessions SET last_used = created_at;
CREATE INDEX sessions_by_user ON sessions (user_id);
-- What each device said at its last sync, for `pump devices`.
ALTER TABLE devices ADD COLUMN name TEXT;
ALTER TABLE devices ADD COLUMN last_sync TEXT;
ALTER TABLE devices ADD COLUMN pending INTEGER;
-- What each account stores, kept by every round, for its quota.
ALTER TABLE users ADD COLUMN rows_stored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN bytes_stored INTEGER NOT NULL DEFAULT 0;
UPDATE users SET
    rows_stored = (SELECT count(*) FROM rows WHERE rows.user_id = users.id),
    bytes_stored = (SELECT coalesce(sum(length(CAST(clock AS BLOB)) + length(CAST(body AS BLOB))), 0)
                    FROM rows WHERE rows.user_id = users.id);
"#,
    r#"
-- The identity of each user's data on this server (wire::SyncResponse::
-- server_id): made at the user's first round, made anew when a round shows
-- the data went back in time (a restored backup).
ALTER TABLE users ADD COLUMN server_id TEXT;
"#,
    r#"
-- The account key's check (sync::crypto): a value sealed under the key the
-- devices hold, handed to each login so a wrong key is refused before any
-- sync. NULL for accounts from before encryption.
ALTER TABLE users ADD COLUMN key_check TEXT;
"#,
    r#"
-- The content digest each row's pusher sent (wire::Row::digest): a retry
-- is told from a copied database by it, without reading bodies. NULL for
-- rows stored before it, whose bodies are compared instead.
ALTER TABLE rows ADD COLUMN digest TEXT;
"#,
];

/// How hard SQLite works to keep a committed round through a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: every commit is on disk before the answer leaves,
    /// so a committed round survives a power cut, not only a crash. The default.
    Full,
    /// `synchronous=NORMAL` (`pump server start --fast-unsafe`): a commit
    /// survives a crash of the server, but a power cut may take the last
    /// rounds back, which devices then see as a restored server.
    Fast,
}

impl Durability {
    /// The `PRAGMA synchronous` value.
    pub fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Fast => "NORMAL",
        }
    }
}

/// The production backend: accounts, sessions and rows in one SQLite file.
pub struct SqliteStorage {
    writer: Arc<Mutex<Writer>>,
    /// Callers holding or waiting for the writer: while another is queued,
    /// a round leaves its group open for it to join (or commit).
    queued: Arc<AtomicUsize>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Where sync rounds queue for the writer thread; taken on drop, which
    /// ends the thread once it has answered what is queued.
    rounds: Option<WriterQueue>,
    writer_thread: Option<JoinHandle<()>>,
}

impl Drop for SqliteStorage {
    fn drop(&mut self) {
        self.rounds = None;
        if let Some(thread) = self.writer_thread.take() {
            // A job's storage handle may be the last one: the thread cannot wait for itself.
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

thread_local! {
    /// On the writer thread only: the groups whose commit the rounds run so
    /// far wait for. Collected instead of waited for, since it is this very
    /// thread that commits them, after its batch.
    static DEFERRED_COMMITS: std::cell::RefCell<Option<Vec<Arc<Outcome>>>> =
        const { std::cell::RefCell::new(None) };
}

/// The writer thread: runs the queued rounds (at most a group's worth) one
/// after the other, each in its savepoint, commits them together, then
/// answers them. Ends when the storage is dropped.
fn write_rounds(jobs: &Receiver<WriterJob>, writer: &Mutex<Writer>, queued: &AtomicUsize) {
    DEFERRED_COMMITS.with(|commits| *commits.borrow_mut() = Some(Vec::new()));
    while let Ok(first) = jobs.recv() {
        // Counted as queued while the batch runs, so that each round leaves
        // the group open for the next one instead of committing it.
        queued.fetch_add(1, Ordering::SeqCst);
        let mut batch = vec![run_job(first, writer)];
        while batch.len() < MAX_GROUP_ROUNDS {
            match jobs.try_recv() {
                Ok(job) => batch.push(run_job(job, writer)),
                Err(_) => break,
            }
        }
        queued.fetch_sub(1, Ordering::SeqCst);
        writer
            .lock()
            .unwrap_or_else(|poisoned| {
                writer.clear_poison();
                poisoned.into_inner()
            })
            .end_group();
        for (delivery, commits) in batch {
            let committed = commits.iter().try_for_each(|outcome| outcome.wait());
            if let Some(delivery) = delivery {
                delivery(committed);
            }
        }
    }
}

/// Runs one queued job, and returns how to answer it (none if it panicked:
/// its request fails with a 500, its savepoint rolled back as it unwound,
/// and the thread goes on) with the commits its answer waits for.
fn run_job(job: WriterJob, writer: &Mutex<Writer>) -> (Option<Delivery>, Vec<Arc<Outcome>>) {
    let delivery = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).ok();
    if delivery.is_none() {
        writer.clear_poison();
    }
    let commits =
        DEFERRED_COMMITS.with(|commits| commits.borrow_mut().as_mut().map(std::mem::take).unwrap_or_default());
    (delivery, commits)
}

/// The writer connection, and the group of rounds its open transaction holds.
struct Writer {
    conn: Connection,
    group: Option<Group>,
}

/// Rounds sharing one transaction, each released into it, none answered yet.
struct Group {
    rounds: usize,
    outcome: Arc<Outcome>,
}

/// How a group's commit ended, for the rounds waiting on it.
#[derive(Default)]
struct Outcome {
    result: Mutex<Option<Result<(), String>>>,
    ended: Condvar,
}

impl Outcome {
    fn end(&self, result: Result<(), String>) {
        *self.result.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
        self.ended.notify_all();
    }

    /// Blocks until the group's commit is durable (or failed).
    fn wait(&self) -> Result<(), StorageError> {
        let mut result = self.result.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            match &*result {
                Some(ended) => return ended.clone().map_err(StorageError::database),
                None => {
                    result = self
                        .ended
                        .wait(result)
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                }
            }
        }
    }
}

impl Writer {
    /// Commits the open group, if any, and tells its rounds how it went.
    fn end_group(&mut self) {
        let Some(group) = self.group.take() else {
            return;
        };
        // SQLite rolls a transaction back by itself after some errors (a
        // full disk): the rounds released into it are gone, not committed.
        let result = if self.conn.is_autocommit() {
            Err("the database rolled the transaction back".to_string())
        } else {
            self.conn.execute_batch("COMMIT").map_err(|e| {
                let _ = self.conn.execute_batch("ROLLBACK");
                e.to_string()
            })
        };
        group.outcome.end(result);
    }

    /// Makes the caller a member of the open group (opening one if needed)
    /// and returns the outcome it will wait for.
    fn join_group(&mut self) -> Result<Arc<Outcome>, StorageError> {
        if self.group.is_some() && self.conn.is_autocommit() {
            self.end_group();
        }
        if self.group.is_none() {
            // IMMEDIATE: take SQLite's write lock now, so a round never
            // fails half-way because another process wrote the file meanwhile.
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(database)?;
            self.group = Some(Group {
                rounds: 0,
                outcome: Arc::default(),
            });
        }
        let group = self.group.as_mut().expect("a group was opened above");
        group.rounds += 1;
        Ok(group.outcome.clone())
    }
}

/// The writer, held: counted in `queued` from before the lock is taken
/// until it is let go. Letting it go ends the open group when nobody else
/// is queued to join it, or when it is full.
struct WriterGuard<'a> {
    writer: MutexGuard<'a, Writer>,
    queued: &'a AtomicUsize,
}

impl Drop for WriterGuard<'_> {
    fn drop(&mut self) {
        let alone = self.queued.load(Ordering::SeqCst) == 1;
        if self
            .writer
            .group
            .as_ref()
            .is_some_and(|g| alone || g.rounds >= MAX_GROUP_ROUNDS)
        {
            self.writer.end_group();
        }
        self.queued.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Deref for WriterGuard<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.writer.conn
    }
}

impl DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.writer.conn
    }
}

impl SqliteStorage {
    /// Opens (creating if needed) `server.db` in `data_dir` and brings its
    /// schema up to date, with [`Durability::Full`].
    pub fn open(data_dir: &Path) -> Result<Self, String> {
        Self::open_with(data_dir, Durability::Full)
    }

    /// [`SqliteStorage::open`] with the durability `pump server start` asked for.
    pub fn open_with(data_dir: &Path, durability: Durability) -> Result<Self, String> {
        create_private_dir(data_dir)
            .map_err(|e| format!("cannot create the data directory {}: {e}", data_dir.display()))?;
        let path = data_dir.join(DB_FILE);
        // It holds password hashes: owner only.
        create_private_file(&path).map_err(|e| {
            format!(
                "cannot create {}: {e}; check the data directory's permissions",
                path.display()
            )
        })?;
        let mut writer = connect(&path, durability)?;
        migrate(&mut writer).map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
        let readers = (0..READERS)
            .map(|_| connect(&path, durability).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        let writer = Arc::new(Mutex::new(Writer {
            conn: writer,
            group: None,
        }));
        let queued = Arc::new(AtomicUsize::new(0));
        let (rounds, jobs) = WriterQueue::new(QUEUED_ROUNDS);
        let writer_thread = std::thread::Builder::new()
            .name("sqlite-writer".to_string())
            .spawn({
                let (writer, queued) = (writer.clone(), queued.clone());
                move || write_rounds(&jobs, &writer, &queued)
            })
            .map_err(|e| format!("cannot start the database writer thread: {e}"))?;
        Ok(SqliteStorage {
            writer,
            queued,
            readers,
            next_reader: AtomicUsize::new(0),
            rounds: Some(rounds),
            writer_thread: Some(writer_thread),
        })
    }

    /// The writer for a statement of its own (an account, a session):
    /// the open group, if any, is committed first, so the statement runs
    /// and is durable by itself.
    fn writer(&self) -> Result<WriterGuard<'_>, StorageError> {
        let mut guard = self.hold_writer()?;
        guard.writer.end_group();
        Ok(guard)
    }

    /// The writer as it is, open group included.
    fn hold_writer(&self) -> Result<WriterGuard<'_>, StorageError> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        match self.writer.lock() {
            Ok(writer) => Ok(WriterGuard {
                writer,
                queued: &self.queued,
            }),
            Err(poisoned) => {
                self.writer.clear_poison();
                // Let go as usual, so a group the crashed request left
                // open for others is still committed.
                drop(WriterGuard {
                    writer: poisoned.into_inner(),
                    queued: &self.queued,
                });
                Err(StorageError::Crashed)
            }
        }
    }

    /// Round-robin, but takes any idle reader first so one slow lookup does
    /// not queue the others behind it.
    fn reader(&self) -> Result<MutexGuard<'_, Connection>, StorageError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for offset in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(start + offset) % self.readers.len()].try_lock() {
                return Ok(guard);
            }
        }
        lock(&self.readers[start % self.readers.len()])
    }
}

/// A poisoned lock means a request crashed while holding the connection. Its
/// transaction rolled back when it unwound, so the connection is sound: this
/// request fails with a 500 (and a log line), the next ones work again.
fn lock(mutex: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, StorageError> {
    mutex.lock().map_err(|_| {
        mutex.clear_poison();
        StorageError::Crashed
    })
}

fn connect(path: &Path, durability: Durability) -> Result<Connection, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| format!("cannot open the server database {}: {e}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        // A statement whose plan may depend on a bound value (the pull's
        // `LIMIT ?`) is otherwise compiled again at every run after new
        // values are bound: a cached statement would save nothing, and the
        // pull's recompiling was a twentieth of the server's CPU under load.
        // The plans here do not depend on the values.
        .and_then(|()| {
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
                .map(drop)
        })
        .and_then(|()| conn.pragma_update(None, "journal_mode", "WAL"))
        .and_then(|()| conn.pragma_update(None, "synchronous", durability.pragma()))
        .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
        .map_err(|e| format!("cannot configure the server database {}: {e}", path.display()))?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), String> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| e.to_string())?;
    let current: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let known = (1i64..).zip(MIGRATIONS).last().map_or(0, |(version, _)| version);
    if current > known {
        return Err(format!(
            "its schema version {current} is newer than this pump knows ({known}): upgrade pump"
        ));
    }
    for (version, migration) in (1i64..).zip(MIGRATIONS).filter(|(version, _)| *version > current) {
        tx.execute_batch(migration)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|e| format!("schema migration {version} failed: {e}"))?;
    }
    tx.commit().map_err(|e| e.to_string())
}

fn database(e: rusqlite::Error) -> StorageError {
    StorageError::database(e)
}

fn now() -> String {
    stamp(Utc::now())
}

/// Times are kept as RFC 3339 text with milliseconds in UTC: readable in
/// the file, and ordered as text the way they are in time.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A time [`stamp`] wrote. A damaged one reads as the Unix epoch: old, so a
/// session with it is expired rather than immortal.
fn parse_stamp(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map_or(DateTime::UNIX_EPOCH, |t| t.to_utc())
}

/// A round's pull: a page of the user's rows in sequence order.
static PULL_SQL: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT {ROW_COLUMNS} FROM rows WHERE user_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4")
});

/// The columns of `sessions` that [`session_from_row`] reads, in its order.
const SESSION_COLUMNS: &str = "sessions.token_hash, sessions.device_id, sessions.created_at, sessions.last_used";

/// A session from the [`SESSION_COLUMNS`] of a `SELECT`, starting at `first`.
fn session_from_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<SessionInfo> {
    let token: Vec<u8> = r.get(first)?;
    let created_at: String = r.get(first + 2)?;
    let last_used: Option<String> = r.get(first + 3)?;
    Ok(SessionInfo {
        // A hash of another length cannot come from `create_session`; an
        // all-zero one matches no token.
        token: token.try_into().unwrap_or([0; 32]),
        device: r.get(first + 1)?,
        created_at: parse_stamp(&created_at),
        last_used: parse_stamp(last_used.as_deref().unwrap_or(&created_at)),
    })
}

/// An account, from the `id, name` columns of `users`.
fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
    })
}

/// The one reader of `rows`, for the [`ROW_COLUMNS`] of a `SELECT`.
fn stored_row(r: &rusqlite::Row) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        seq: r.get(0)?,
        kind: r.get(1)?,
        id: r.get(2)?,
        clock: r.get(3)?,
        deleted: r.get(4)?,
        body: r.get(5)?,
        origin: r.get(6)?,
        digest: r.get(7)?,
    })
}

impl Storage for SqliteStorage {
    fn create_user(&self, name: &str, password_hash: &str, key_check: Option<&str>) -> Result<User, StorageError> {
        let conn = self.writer()?;
        let inserted = conn.execute(
            "INSERT INTO users (name, password_hash, key_check, created_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (name) DO NOTHING",
            params![name, password_hash, key_check, now()],
        );
        match inserted.map_err(database)? {
            0 => Err(StorageError::UserExists),
            _ => Ok(User {
                id: conn.last_insert_rowid(),
                name: name.to_string(),
            }),
        }
    }

    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError> {
        self.reader()?
            .prepare_cached("SELECT id, name, password_hash FROM users WHERE name = ?1")
            .and_then(|mut stmt| {
                stmt.query_row([name], |r| Ok((user_from_row(r)?, r.get(2)?)))
                    .optional()
            })
            .map_err(database)
    }

    fn key_check(&self, user: UserId) -> Result<Option<String>, StorageError> {
        self.reader()?
            .prepare_cached("SELECT key_check FROM users WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([user], |r| r.get(0)).optional())
            .map(Option::flatten)
            .map_err(database)
    }

    fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<(), StorageError> {
        self.writer()?
            .execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![password_hash, user],
            )
            .map_err(database)?;
        Ok(())
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT id, name, created_at, rows_stored, bytes_stored, \
                 (SELECT count(*) FROM sessions WHERE sessions.user_id = users.id), \
                 (SELECT count(*) FROM devices WHERE devices.user_id = users.id) \
                 FROM users ORDER BY name",
            )
            .map_err(database)?;
        let accounts = stmt
            .query_map([], |r| {
                Ok(AccountSummary {
                    user: user_from_row(r)?,
                    created_at: parse_stamp(&r.get::<_, String>(2)?),
                    usage: Usage {
                        rows: count(r.get(3)?),
                        bytes: count(r.get(4)?),
                    },
                    sessions: count(r.get(5)?),
                    devices: count(r.get(6)?),
                })
            })
            .map_err(database)?;
        accounts.collect::<rusqlite::Result<_>>().map_err(database)
    }

    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        // Every other table refers to users ON DELETE CASCADE.
        self.writer()?
            .execute("DELETE FROM users WHERE id = ?1", [user])
            .map(|removed| removed > 0)
            .map_err(database)
    }

    fn create_session(&self, user: UserId, session: &SessionInfo) -> Result<(), StorageError> {
        self.writer()?
            .prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, device_id, created_at, last_used) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    &session.token[..],
                    user,
                    session.device,
                    stamp(session.created_at),
                    stamp(session.last_used)
                ])
            })
            .map(drop)
            .map_err(database)
    }

    fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError> {
        let sql = format!(
            "SELECT users.id, users.name, {SESSION_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id \
             WHERE sessions.token_hash = ?1"
        );
        self.reader()?
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_row([&token[..]], |r| Ok((user_from_row(r)?, session_from_row(r, 2)?)))
                    .optional()
            })
            .map_err(database)
    }

    fn sessions(&self, user: UserId) -> Result<Vec<SessionInfo>, StorageError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = ?1 ORDER BY created_at, token_hash");
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&sql).map_err(database)?;
        let sessions = stmt.query_map([user], |r| session_from_row(r, 0)).map_err(database)?;
        sessions.collect::<rusqlite::Result<_>>().map_err(database)
    }

    fn touch_session(&self, token: &TokenHash, at: DateTime<Utc>) -> Result<(), StorageError> {
        self.writer()?
            .prepare_cached("UPDATE sessions SET last_used = ?1 WHERE token_hash = ?2")
            .and_then(|mut stmt| stmt.execute(params![stamp(at), &token[..]]))
            .map(drop)
            .map_err(database)
    }

    fn bind_session(&self, token: &TokenHash, device: &str) -> Result<bool, StorageError> {
        self.writer()?
            .execute(
                "UPDATE sessions SET device_id = ?1 WHERE token_hash = ?2 AND device_id IS NULL",
                params![device, &token[..]],
            )
            .map(|bound| bound > 0)
            .map_err(database)
    }

    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        self.writer()?
            .prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")
            .and_then(|mut stmt| stmt.execute([&token[..]]))
            .map(|removed| removed > 0)
            .map_err(database)
    }

    fn revoke_sessions(&self, user: UserId, except: Option<&TokenHash>) -> Result<u64, StorageError> {
        let keep = except.map(|token| &token[..]);
        self.writer()?
            .execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
                params![user, keep],
            )
            .map(|removed| removed as u64)
            .map_err(database)
    }

    fn devices(&self, user: UserId) -> Result<Vec<DeviceRecord>, StorageError> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT device_id, name, last_sync, pending, \
                 (SELECT count(*) FROM rows WHERE rows.user_id = devices.user_id AND rows.device = devices.device_id) \
                 FROM devices WHERE user_id = ?1 ORDER BY device_id",
            )
            .map_err(database)?;
        let devices = stmt
            .query_map([user], |r| {
                Ok(DeviceRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    last_sync: r.get::<_, Option<String>>(2)?.as_deref().map(parse_stamp),
                    pending: r.get::<_, Option<i64>>(3)?.map(count),
                    rows: count(r.get(4)?),
                })
            })
            .map_err(database)?;
        devices.collect::<rusqlite::Result<_>>().map_err(database)
    }

    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError> {
        let mut conn = self.hold_writer()?;
        let outcome = conn.writer.join_group()?;
        conn.execute_batch("SAVEPOINT round").map_err(database)?;
        Ok(Box::new(SqliteTxn {
            conn,
            outcome,
            user,
            stamp: now(),
            account: None,
            released: false,
        }))
    }

    fn concurrency(&self) -> usize {
        CONCURRENCY
    }

    fn writer_queue(&self) -> Option<&WriterQueue> {
        self.rounds.as_ref()
    }
}

/// A round's transaction: a savepoint in the writer's group (see the module
/// comment). It holds the writer's mutex until it is released into the
/// group, which is what serializes rounds (every user's, not only one's:
/// SQLite has a single writer anyway). Written as plain SQL because
/// `rusqlite::Savepoint` borrows the connection and could not live beside
/// the guard that owns it.
struct SqliteTxn<'a> {
    conn: WriterGuard<'a>,
    /// Where the group's commit is announced.
    outcome: Arc<Outcome>,
    user: UserId,
    /// When the round started: the `updated_at` of every row it stores.
    stamp: String,
    /// The user's row of `users`, read once by `lock_head`: a round reads
    /// its head, key check, usage and server id, and sets its head and
    /// usage, and one SELECT and one UPDATE do for all of it.
    account: Option<Account>,
    released: bool,
}

/// What a round reads and writes of its user's row of `users`.
struct Account {
    head: u64,
    key_check: Option<String>,
    usage: Usage,
    server_id: Option<String>,
    /// `head` or `usage` changed: written back when the round commits.
    changed: bool,
}

impl SqliteTxn<'_> {
    /// The user's account row, read on first use.
    fn account(&mut self) -> Result<&mut Account, StorageError> {
        if self.account.is_none() {
            let account = self
                .conn
                .prepare_cached(
                    "SELECT last_seq, key_check, rows_stored, bytes_stored, server_id FROM users WHERE id = ?1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row([self.user], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()
                })
                .map_err(database)?
                .ok_or(StorageError::NoAccount(self.user))?;
            let (head, key_check, rows, bytes, server_id) = account;
            let head = u64::try_from(head)
                .map_err(|_| StorageError::database(format!("user {} has a negative head", self.user)))?;
            self.account = Some(Account {
                head,
                key_check,
                usage: Usage {
                    rows: count(rows),
                    bytes: count(bytes),
                },
                server_id,
                changed: false,
            });
        }
        Ok(self.account.as_mut().expect("read above"))
    }

    /// Writes the round's head and usage back, if they changed.
    fn write_account(&mut self) -> Result<(), StorageError> {
        let Some(account) = self.account.as_ref().filter(|a| a.changed) else {
            return Ok(());
        };
        let (head, rows, bytes) = (
            to_sql(account.head)?,
            to_sql(account.usage.rows)?,
            to_sql(account.usage.bytes)?,
        );
        self.conn
            .prepare_cached("UPDATE users SET last_seq = ?1, rows_stored = ?2, bytes_stored = ?3 WHERE id = ?4")
            .and_then(|mut stmt| stmt.execute(params![head, rows, bytes, self.user]))
            .map(drop)
            .map_err(database)
    }
}

impl Drop for SqliteTxn<'_> {
    /// Rolls back a round that was not committed, also while a panic
    /// unwinds, so the group and the connection go on clean.
    fn drop(&mut self) {
        if !self.released {
            // Fails only when no transaction is left to roll back (SQLite
            // ends it by itself after errors like a full disk).
            let _ = self.conn.execute_batch("ROLLBACK TO round; RELEASE round");
        }
    }
}

impl StorageTxn for SqliteTxn<'_> {
    fn lock_head(&mut self) -> Result<u64, StorageError> {
        Ok(self.account()?.head)
    }

    fn key_check(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self.account()?.key_check.clone())
    }

    fn replace_key_check(&mut self, key_check: &str, keep_dots: bool) -> Result<(), StorageError> {
        self.conn
            .execute(
                "UPDATE users SET key_check = ?1 WHERE id = ?2",
                params![key_check, self.user],
            )
            .and_then(|_| match keep_dots {
                true => Ok(0),
                false => self.conn.execute("DELETE FROM dots WHERE user_id = ?1", [self.user]),
            })
            .and_then(|_| {
                self.conn
                    .execute("UPDATE rows SET digest = NULL WHERE user_id = ?1", [self.user])
            })
            .map_err(database)?;
        self.account()?.key_check = Some(key_check.to_string());
        Ok(())
    }

    fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
        let account = self.account()?;
        account.head = head;
        account.changed = true;
        Ok(())
    }

    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        self.conn
            .prepare_cached("SELECT lineage FROM devices WHERE user_id = ?1 AND device_id = ?2")
            .and_then(|mut stmt| stmt.query_row(params![self.user, device], |r| r.get(0)).optional())
            .map_err(database)
    }

    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.conn
            .prepare_cached(
                "INSERT INTO devices (user_id, device_id, lineage) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (user_id, device_id) DO UPDATE SET lineage = excluded.lineage",
            )
            .and_then(|mut stmt| stmt.execute(params![self.user, device, token]))
            .map(drop)
            .map_err(database)
    }

    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError> {
        let pending = report.pending.map(to_sql).transpose()?;
        self.conn
            .prepare_cached(
                "UPDATE devices SET name = coalesce(?1, name), last_sync = ?2, pending = ?3 \
                 WHERE user_id = ?4 AND device_id = ?5",
            )
            .and_then(|mut stmt| stmt.execute(params![report.name, stamp(report.at), pending, self.user, device]))
            .map(drop)
            .map_err(database)
    }

    fn usage(&mut self) -> Result<Usage, StorageError> {
        Ok(self.account()?.usage)
    }

    fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError> {
        let account = self.account()?;
        account.usage = usage;
        account.changed = true;
        Ok(())
    }

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM rows WHERE user_id = ?1 AND kind = ?2 AND id = ?3");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_row(params![self.user, kind, id], stored_row).optional())
            .map_err(database)?
            .map(|stored| stored.decode().map(|(_, row)| row))
            .transpose()
    }

    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError> {
        let mut select = self
            .conn
            .prepare_cached(
                "SELECT digest FROM dots WHERE user_id = ?1 AND kind = ?2 AND id = ?3 AND device = ?4 AND counter = ?5",
            )
            .map_err(database)?;
        row.dots
            .iter()
            .map(|dot| {
                select
                    .query_row(
                        params![self.user, row.kind, row.id, dot.device, to_sql(dot.counter)?],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(database)
            })
            .collect()
    }

    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError> {
        let mut insert = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO dots (user_id, kind, id, device, counter, digest) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(database)?;
        for dot in &row.dots {
            insert
                .execute(params![
                    self.user,
                    row.kind,
                    row.id,
                    dot.device,
                    to_sql(dot.counter)?,
                    dot.digest
                ])
                .map_err(database)?;
        }
        Ok(())
    }

    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError> {
        self.conn
            .prepare_cached(
                "INSERT INTO rows (user_id, kind, id, seq, clock, deleted, body, device, updated_at, origin, digest) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
                 ON CONFLICT (user_id, kind, id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock, \
                 deleted = excluded.deleted, body = excluded.body, device = excluded.device, \
                 origin = excluded.origin, updated_at = excluded.updated_at, digest = excluded.digest",
            )
            .map_err(database)?
            .execute(params![
                self.user,
                row.kind,
                row.id,
                to_sql(seq)?,
                row.clock.to_json(),
                row.deleted,
                row.body.get(),
                device,
                self.stamp,
                origin_text(row.origin.as_ref()),
                row.digest
            ])
            .map(drop)
            .map_err(database)
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut pull = self.conn.prepare_cached(&PULL_SQL).map_err(database)?;
        let rows = pull
            .query_map(params![self.user, to_sql(after)?, to_sql(up_to)?, limit], stored_row)
            .map_err(database)?;
        rows.map(|stored| stored.map_err(database)?.decode()).collect()
    }

    fn server_id(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self.account()?.server_id.clone())
    }

    fn set_server_id(&mut self, id: &str) -> Result<(), StorageError> {
        self.conn
            .prepare_cached("UPDATE users SET server_id = ?1 WHERE id = ?2")
            .and_then(|mut stmt| stmt.execute(params![id, self.user]))
            .map_err(database)?;
        self.account()?.server_id = Some(id.to_string());
        Ok(())
    }

    /// Releases the round into its group, lets the writer go, and waits
    /// until the group's commit is durable: the round's answer must not
    /// leave before that. On the writer thread the wait is the thread's,
    /// before it answers.
    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        self.write_account()?;
        self.conn.execute_batch("RELEASE round").map_err(database)?;
        self.released = true;
        let outcome = self.outcome.clone();
        drop(self);
        let deferred = DEFERRED_COMMITS.with(|commits| {
            commits
                .borrow_mut()
                .as_mut()
                .map(|commits| commits.push(outcome.clone()))
                .is_some()
        });
        if deferred { Ok(()) } else { outcome.wait() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::round;
    use crate::server::storage_tests::{self, storage_tests};
    use crate::sync::server_rules::Quota;
    use crate::sync::server_rules::tests::{request, row};
    use serde_json::json;

    fn open() -> (tempfile::TempDir, SqliteStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("data")).unwrap();
        (dir, storage)
    }

    storage_tests!(open());

    #[cfg(unix)]
    #[test]
    fn the_database_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, _s) = open();
        let mode = std::fs::metadata(dir.path().join("data").join(DB_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn commits_wait_for_the_disk_unless_told_not_to() {
        for (durability, expected) in [(Durability::Full, 2), (Durability::Fast, 1)] {
            let dir = tempfile::tempdir().unwrap();
            let s = SqliteStorage::open_with(dir.path(), durability).unwrap();
            let synchronous =
                |conn: &Connection| -> i64 { conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap() };
            assert_eq!(synchronous(&s.writer().unwrap()), expected, "{durability:?}");
            for reader in &s.readers {
                assert_eq!(synchronous(&reader.lock().unwrap()), expected);
            }
        }
    }

    #[test]
    fn the_pull_is_compiled_once_whatever_its_page() {
        let (_dir, s) = open();
        let user = s.create_user("kim", "h", None).unwrap().id;
        let rows = (0..3)
            .map(|i| row(&format!("w{i}"), &[("a", 1)], json!({"n": i})))
            .collect();
        round::run(&s, user, &request(0, rows), Quota::UNLIMITED).unwrap();
        for (cursor, limit) in [(0, 2), (1, 5), (2, 1)] {
            let mut pull = request(cursor, vec![]);
            pull.pull_limit = Some(limit);
            round::run(&s, user, &pull, Quota::UNLIMITED).unwrap();
        }
        let writer = s.writer().unwrap();
        let pull = writer.prepare_cached(&PULL_SQL).unwrap();
        assert_eq!(pull.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    #[test]
    fn a_round_reads_and_writes_its_account_row_once() {
        let (_dir, s) = open();
        let user = s.create_user("kim", "h", None).unwrap().id;
        let rows = vec![
            row("w1", &[("a", 1)], json!({"n": 1})),
            row("w2", &[("a", 1)], json!({})),
        ];
        let answer = round::run(&s, user, &request(0, rows), Quota::UNLIMITED).unwrap();
        let writer = s.writer().unwrap();
        let (head, stored, bytes): (i64, i64, i64) = writer
            .query_row(
                "SELECT last_seq, rows_stored, bytes_stored FROM users WHERE id = ?1",
                [user],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((head, stored, answer.cursor), (2, 2, 2));
        assert!(bytes > 0);
        let updates = writer
            .prepare_cached("UPDATE users SET last_seq = ?1, rows_stored = ?2, bytes_stored = ?3 WHERE id = ?4")
            .unwrap()
            .get_status(rusqlite::StatementStatus::Run);
        assert_eq!(updates, 1, "one UPDATE of the account for the round");
    }

    #[test]
    fn an_older_database_gets_session_times_and_its_usage_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            for (version, migration) in (1i64..).zip(&MIGRATIONS[..2]) {
                conn.execute_batch(migration).unwrap();
                conn.pragma_update(None, "user_version", version).unwrap();
            }
            conn.execute_batch(
                "INSERT INTO users (id, name, password_hash, last_seq, created_at)
                     VALUES (1, 'old', 'h', 2, '2025-01-01T00:00:00.000Z');
                 INSERT INTO sessions VALUES (x'07', 1, '2025-02-01T00:00:00.000Z');
                 INSERT INTO rows VALUES (1, 'workout', 'w1', 1, '{\"a\":1}', 0, '{\"n\":\"é\"}', NULL, 'a', 'x');
                 INSERT INTO rows VALUES (1, 'workout', 'w2', 2, '{\"a\":2}', 1, '{}', NULL, 'a', 'x');",
            )
            .unwrap();
        }
        let s = SqliteStorage::open(dir.path()).unwrap();
        let account = &s.accounts().unwrap()[0];
        // Bytes, not characters: "é" is two.
        let bytes = (r#"{"a":1}"#.len() + r#"{"n":"é"}"#.len() + r#"{"a":2}"#.len() + 2) as u64;
        assert_eq!(account.usage, Usage { rows: 2, bytes });
        let sessions = s.sessions(1).unwrap();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].device, None, "bound by its next sync");
        assert_eq!(sessions[0].last_used, sessions[0].created_at);
    }

    #[test]
    fn a_database_from_before_server_ids_gets_one_at_its_next_round() {
        let dir = tempfile::tempdir().unwrap();
        {
            // Schema version 3, as the server without identities left it.
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            for (version, migration) in (1i64..).zip(&MIGRATIONS[..3]) {
                conn.execute_batch(migration).unwrap();
                conn.pragma_update(None, "user_version", version).unwrap();
            }
            conn.execute(
                "INSERT INTO users (id, name, password_hash, created_at) VALUES (1, 'old', 'h', '2025-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        }
        let s = SqliteStorage::open(dir.path()).unwrap();
        let version: i64 = s
            .writer()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(s.key_check(1).unwrap(), None, "an account from before keys has none");
        let round = || {
            round::run(&s, 1, &request(0, vec![]), Quota::UNLIMITED)
                .unwrap()
                .server_id
        };
        let first = round();
        assert!(first.is_some());
        assert_eq!(round(), first, "made once, then kept");
    }

    #[test]
    fn reopening_keeps_data_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        SqliteStorage::open(dir.path())
            .unwrap()
            .create_user("alice", "h", None)
            .unwrap();
        let again = SqliteStorage::open(dir.path()).unwrap();
        assert!(again.password_hash("alice").unwrap().is_some());
        again.writer().unwrap().pragma_update(None, "user_version", 99).unwrap();
        drop(again);
        let err = SqliteStorage::open(dir.path()).err().unwrap();
        assert!(err.contains("schema version 99 is newer"), "{err}");
    }

    #[test]
    fn a_poisoned_connection_fails_one_call_then_recovers() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h", None).unwrap().id;
        let crashed = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut txn = s.begin(u).unwrap();
                    txn.put_row(1, &row("w1", &[("a", 1)], json!({})), "phone").unwrap();
                    txn.set_head(1).unwrap();
                    panic!("a request crashed inside its round");
                })
                .join()
        });
        assert!(crashed.is_err());
        let failed = round::run(&s, u, &request(0, vec![]), Quota::UNLIMITED);
        assert!(matches!(failed, Err(StorageError::Crashed)), "{failed:?}");
        let after = round::run(&s, u, &request(0, vec![]), Quota::UNLIMITED).unwrap();
        assert_eq!(
            (after.changes.len(), after.cursor),
            (0, 0),
            "the crashed round rolled back"
        );
    }

    /// The four accounts of the group tests.
    fn group_test_users(s: &SqliteStorage) -> Vec<UserId> {
        (0..4)
            .map(|i| s.create_user(&format!("u{i}"), "h", None).unwrap().id)
            .collect()
    }

    /// The `round_number`-th round of the `n`-th group test account: two
    /// new rows. The first account has room for one row: each of its
    /// rounds fails, alone, among rounds that succeed.
    fn two_rows(n: usize, round_number: usize) -> (String, Vec<WireRow>, Quota) {
        let id = format!("w{n}-{round_number}");
        let rows = vec![
            row(&id, &[("phone", 1)], json!({})),
            row(&format!("{id}b"), &[("phone", 1)], json!({})),
        ];
        let quota = if n == 0 {
            Quota {
                rows: 1,
                bytes: u64::MAX,
            }
        } else {
            Quota::UNLIMITED
        };
        (id, rows, quota)
    }

    /// A group test's round was answered only once its rows were committed
    /// (`outside` sees them), or refused for its (the first account's) quota.
    fn check_answered<T>(outside: &Connection, n: usize, user: UserId, id: &str, answer: Result<T, StorageError>) {
        match answer {
            Ok(_) => {
                let seen: i64 = outside
                    .query_row(
                        "SELECT count(*) FROM rows WHERE user_id = ?1 AND id = ?2",
                        params![user, id],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(seen, 1, "{id} answered before its commit");
            }
            Err(StorageError::OverQuota(_)) => assert_eq!(n, 0),
            Err(e) => panic!("round {id}: {e}"),
        }
    }

    /// Each group test account holds `rows` rows and as high a head, but
    /// the first, whose rounds all failed.
    fn check_stored(conn: &Connection, users: &[UserId], rows: i64) {
        for (n, &user) in users.iter().enumerate() {
            let (count, head): (i64, i64) = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM rows WHERE user_id = ?1), last_seq FROM users WHERE id = ?1",
                    [user],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            let expected = if n == 0 { 0 } else { rows };
            assert_eq!((count, head), (expected, expected), "user {n}");
        }
    }

    #[test]
    fn rounds_sharing_a_commit_are_each_atomic_and_committed_when_answered() {
        let (dir, s) = open();
        let users = group_test_users(&s);
        let path = dir.path().join("data").join(DB_FILE);
        std::thread::scope(|scope| {
            for (n, &user) in users.iter().enumerate() {
                let (s, path) = (&s, &path);
                scope.spawn(move || {
                    let outside = Connection::open(path).unwrap();
                    for round_number in 0..20 {
                        let (id, rows, quota) = two_rows(n, round_number);
                        let answer = round::run(s, user, &request(0, rows), quota);
                        check_answered(&outside, n, user, &id, answer);
                    }
                });
            }
        });
        check_stored(&Connection::open(&path).unwrap(), &users, 40);
    }

    /// Polls `future` once, as an async worker first does: a round is queued
    /// for the writer thread then.
    fn polled_once<F: std::future::Future>(future: F) -> (std::pin::Pin<Box<F>>, std::task::Poll<F::Output>) {
        let mut future = Box::pin(future);
        let polled = future
            .as_mut()
            .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()));
        (future, polled)
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    /// Occupies the writer thread until the returned sender is dropped.
    fn hold_writer_thread(
        s: &SqliteStorage,
    ) -> (
        std::sync::mpsc::Sender<()>,
        impl std::future::Future<Output = Result<(), StorageError>>,
    ) {
        let (release, released) = std::sync::mpsc::channel::<()>();
        let (started, running) = std::sync::mpsc::channel::<()>();
        let (held, polled) = polled_once(s.writer_queue().unwrap().run(move || {
            started.send(()).unwrap();
            let _ = released.recv();
            Ok::<_, StorageError>(())
        }));
        assert!(polled.is_pending());
        running.recv().unwrap();
        (release, held)
    }

    #[test]
    fn rounds_queued_together_are_each_atomic_and_answered_after_their_commit() {
        let (dir, s) = open();
        let s = Arc::new(s);
        let users = group_test_users(&s);
        let (release, held) = hold_writer_thread(&s);
        let mut rounds = Vec::new();
        for round_number in 0..8 {
            for (n, &user) in users.iter().enumerate() {
                let (id, rows, quota) = two_rows(n, round_number);
                let storage = s.clone();
                let (round, polled) = polled_once(
                    s.writer_queue()
                        .unwrap()
                        .run(move || round::run(storage.as_ref(), user, &request(0, rows), quota)),
                );
                assert!(polled.is_pending(), "queued behind the held thread");
                rounds.push((n, user, id, round));
            }
        }
        drop(release);
        block_on(held).unwrap();
        let path = dir.path().join("data").join(DB_FILE);
        let outside = Connection::open(&path).unwrap();
        for (n, user, id, round) in rounds {
            check_answered(&outside, n, user, &id, block_on(round));
        }
        check_stored(&outside, &users, 16);
    }

    #[test]
    fn a_round_panicking_on_the_writer_thread_fails_alone() {
        let (_dir, s) = open();
        let s = Arc::new(s);
        let u = s.create_user("u", "h", None).unwrap().id;
        let (release, held) = hold_writer_thread(&s);
        let storage = s.clone();
        let (crashing, _) = polled_once(s.writer_queue().unwrap().run(move || -> Result<(), StorageError> {
            let mut txn = storage.begin(u)?;
            txn.put_row(1, &row("w1", &[("a", 1)], json!({})), "phone")?;
            txn.set_head(1)?;
            panic!("a request crashed inside its round");
        }));
        let storage = s.clone();
        let (next, _) = polled_once(s.writer_queue().unwrap().run(move || {
            round::run(
                storage.as_ref(),
                u,
                &request(0, vec![row("w2", &[("a", 1)], json!({}))]),
                Quota::UNLIMITED,
            )
        }));
        drop(release);
        block_on(held).unwrap();
        let crashed: Result<(), StorageError> = block_on(crashing);
        assert!(matches!(crashed, Err(StorageError::Crashed)), "{crashed:?}");
        block_on(next).expect("the round queued behind the crash runs");
        let after = round::run(s.as_ref(), u, &request(0, vec![]), Quota::UNLIMITED).unwrap();
        let pulled: Vec<&str> = after.changes.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(pulled, ["w2"], "the crashed round rolled back, its neighbour committed");
    }

    #[test]
    fn a_full_writer_queue_refuses_at_once() {
        let (_dir, s) = open();
        let (release, held) = hold_writer_thread(&s);
        let queued: Vec<_> = (0..QUEUED_ROUNDS)
            .map(|_| {
                let (job, polled) = polled_once(s.writer_queue().unwrap().run(|| Ok::<_, StorageError>(())));
                assert!(polled.is_pending());
                job
            })
            .collect();
        let (_, refused) = polled_once(s.writer_queue().unwrap().run(|| Ok::<_, StorageError>(())));
        assert!(
            matches!(refused, std::task::Poll::Ready(Err(StorageError::Busy))),
            "{refused:?}"
        );
        drop(release);
        block_on(held).unwrap();
        for job in queued {
            block_on(job).unwrap();
        }
    }

    #[test]
    fn a_damaged_row_is_reported_not_guessed_around() {
        let (_dir, s) = open();
        storage_tests::a_damaged_clock_is_reported(&s, || {
            s.writer()
                .unwrap()
                .execute("UPDATE rows SET clock = 'not json'", [])
                .unwrap();
        });
    }

    #[test]
    fn bodies_and_clocks_are_stored_as_canonical_json() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h", None).unwrap().id;
        let body = serde_json::from_str(r#"{ "zeta": 1, "alpha": {"y": 2, "x": 3} }"#).unwrap();
        round::run(
            &s,
            u,
            &request(0, vec![row("w1", &[("phone", 2), ("laptop", 1)], body)]),
            Quota::UNLIMITED,
        )
        .unwrap();
        let stored: (String, String) = s
            .writer()
            .unwrap()
            .query_row("SELECT clock, body FROM rows WHERE user_id = ?1", [u], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            stored,
            (
                r#"{"laptop":1,"phone":2}"#.to_string(),
                r#"{"alpha":{"x":3,"y":2},"zeta":1}"#.to_string()
            )
        );
    }
}
