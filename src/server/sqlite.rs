//! The SQLite backend: one `server.db` file in the data directory.
//!
//! One writer connection behind a mutex does every write (SQLite allows one
//! writer at a time anyway, and a single connection keeps its prepared
//! statements hot); a few reader connections answer token and password
//! lookups concurrently thanks to WAL.

use super::storage::{Storage, StorageError, StorageTxn, TokenHash, User, UserId};
use crate::clock::VectorClock;
use crate::files::{create_private_dir, create_private_file};
use crate::sync::wire::Row;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The database's file name inside the server's data directory.
pub const DB_FILE: &str = "server.db";
const READERS: usize = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
];

/// The production backend: accounts, sessions and rows in one SQLite file.
pub struct SqliteStorage {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl SqliteStorage {
    /// Opens (creating if needed) `server.db` in `data_dir` and brings its
    /// schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self, String> {
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
        let mut writer = connect(&path)?;
        migrate(&mut writer).map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
        let readers = (0..READERS)
            .map(|_| connect(&path).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(SqliteStorage {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    fn writer(&self) -> Result<MutexGuard<'_, Connection>, StorageError> {
        lock(&self.writer)
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

fn connect(path: &Path) -> Result<Connection, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| format!("cannot open the server database {}: {e}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .and_then(|()| conn.pragma_update(None, "journal_mode", "WAL"))
        .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
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

/// Sequence numbers are `u64` on the wire and `INTEGER` (i64) in SQLite;
/// both conversions are checked rather than wrapped.
fn to_sql(number: u64) -> Result<i64, StorageError> {
    i64::try_from(number).map_err(|_| StorageError::database(format!("the number {number} is beyond SQLite's range")))
}

/// `serde_json::to_string`, not `Value::to_string`: the `Display` path goes
/// through `fmt::Write` a token at a time and showed in push profiles.
fn body_text(body: &serde_json::Value) -> Result<String, StorageError> {
    serde_json::to_string(body).map_err(StorageError::database)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// An account, from the `id, name` columns of `users`.
fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
    })
}

/// The columns of `rows` that [`StoredRow::from_row`] reads, in its order.
const ROW_COLUMNS: &str = "seq, kind, id, clock, deleted, body, origin";

/// A line of the `rows` table as SQLite returns it, before its JSON is
/// parsed: reading and parsing are apart because only the first can run
/// inside rusqlite's row callback.
struct StoredRow {
    seq: i64,
    kind: String,
    id: String,
    clock: String,
    deleted: bool,
    body: String,
    origin: Option<String>,
}

impl StoredRow {
    /// The one reader of `rows`, for the [`ROW_COLUMNS`] of a `SELECT`.
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredRow> {
        Ok(StoredRow {
            seq: r.get(0)?,
            kind: r.get(1)?,
            id: r.get(2)?,
            clock: r.get(3)?,
            deleted: r.get(4)?,
            body: r.get(5)?,
            origin: r.get(6)?,
        })
    }

    /// The row and its sequence number. A row that no longer parses is
    /// database damage, reported rather than guessed around.
    fn decode(self) -> Result<(u64, Row), StorageError> {
        let StoredRow {
            seq,
            kind,
            id,
            clock,
            deleted,
            body,
            origin,
        } = self;
        let damaged = |what, source: Box<dyn std::error::Error + Send + Sync>| StorageError::Unreadable {
            kind: kind.clone(),
            id: id.clone(),
            what,
            source,
        };
        let seq = u64::try_from(seq).map_err(|e| damaged("sequence number", e.into()))?;
        let clock = VectorClock::from_json(&clock).map_err(|e| damaged("clock", e.into()))?;
        let body = serde_json::from_str(&body).map_err(|e| damaged("body", e.into()))?;
        // Origin is only shown to people; an unreadable one is dropped, not fatal.
        let origin = origin.and_then(|o| serde_json::from_str(&o).ok());
        let row = Row {
            kind,
            id,
            clock,
            deleted,
            body,
            origin,
            dots: Vec::new(),
        };
        Ok((seq, row))
    }
}

impl Storage for SqliteStorage {
    fn create_user(&self, name: &str, password_hash: &str) -> Result<User, StorageError> {
        let conn = self.writer()?;
        let inserted = conn.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
            params![name, password_hash, now()],
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

    fn create_session(&self, user: UserId, token: &TokenHash) -> Result<(), StorageError> {
        self.writer()?
            .prepare_cached("INSERT INTO sessions (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)")
            .and_then(|mut stmt| stmt.execute(params![&token[..], user, now()]))
            .map(drop)
            .map_err(database)
    }

    fn user_for_token(&self, token: &TokenHash) -> Result<Option<User>, StorageError> {
        self.reader()?
            .prepare_cached(
                "SELECT users.id, users.name FROM sessions JOIN users ON users.id = sessions.user_id \
                 WHERE sessions.token_hash = ?1",
            )
            .and_then(|mut stmt| stmt.query_row([&token[..]], user_from_row).optional())
            .map_err(database)
    }

    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        self.writer()?
            .prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")
            .and_then(|mut stmt| stmt.execute([&token[..]]))
            .map(|removed| removed > 0)
            .map_err(database)
    }

    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError> {
        let conn = self.writer()?;
        // IMMEDIATE: take SQLite's write lock now, so a round never fails
        // half-way because another process wrote the file meanwhile.
        conn.execute_batch("BEGIN IMMEDIATE").map_err(database)?;
        Ok(Box::new(SqliteTxn {
            conn,
            user,
            stamp: now(),
            committed: false,
        }))
    }
}

/// A transaction on the writer connection. It holds the writer's mutex for
/// its whole life, which is what serializes rounds (every user's, not only
/// one's: SQLite has a single writer anyway). Written as plain `BEGIN` and
/// `COMMIT` because `rusqlite::Transaction` borrows the connection and could
/// not live beside the guard that owns it.
struct SqliteTxn<'a> {
    conn: MutexGuard<'a, Connection>,
    user: UserId,
    /// When the round started: the `updated_at` of every row it stores.
    stamp: String,
    committed: bool,
}

impl Drop for SqliteTxn<'_> {
    /// Rolls back a transaction that was not committed, also while a panic
    /// unwinds, so the connection goes back to its mutex clean.
    fn drop(&mut self) {
        if !self.committed {
            // ROLLBACK fails only when no transaction is left to roll back
            // (SQLite ends it by itself after errors like a full disk).
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl StorageTxn for SqliteTxn<'_> {
    fn lock_head(&mut self) -> Result<u64, StorageError> {
        let head: i64 = self
            .conn
            .prepare_cached("SELECT last_seq FROM users WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([self.user], |r| r.get(0)).optional())
            .map_err(database)?
            .ok_or(StorageError::NoAccount(self.user))?;
        u64::try_from(head).map_err(|_| StorageError::database(format!("user {} has a negative head", self.user)))
    }

    fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
        let head = to_sql(head)?;
        self.conn
            .prepare_cached("UPDATE users SET last_seq = ?1 WHERE id = ?2")
            .and_then(|mut stmt| stmt.execute(params![head, self.user]))
            .map(drop)
            .map_err(database)
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

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<Row>, StorageError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM rows WHERE user_id = ?1 AND kind = ?2 AND id = ?3");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_row(params![self.user, kind, id], StoredRow::from_row)
                    .optional()
            })
            .map_err(database)?
            .map(|stored| stored.decode().map(|(_, row)| row))
            .transpose()
    }

    fn recorded_dots(&mut self, row: &Row) -> Result<Vec<Option<String>>, StorageError> {
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

    fn record_dots(&mut self, row: &Row) -> Result<(), StorageError> {
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

    fn put_row(&mut self, seq: u64, row: &Row, device: &str) -> Result<(), StorageError> {
        self.conn
            .prepare_cached(
                "INSERT INTO rows (user_id, kind, id, seq, clock, deleted, body, device, updated_at, origin) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT (user_id, kind, id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock, \
                 deleted = excluded.deleted, body = excluded.body, device = excluded.device, \
                 origin = excluded.origin, updated_at = excluded.updated_at",
            )
            .map_err(database)?
            .execute(params![
                self.user,
                row.kind,
                row.id,
                to_sql(seq)?,
                row.clock.to_json(),
                row.deleted,
                body_text(&row.body)?,
                device,
                self.stamp,
                row.origin.as_ref().and_then(|o| serde_json::to_string(o).ok())
            ])
            .map(drop)
            .map_err(database)
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, Row)>, StorageError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM rows WHERE user_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut pull = self.conn.prepare_cached(&sql).map_err(database)?;
        let rows = pull
            .query_map(
                params![self.user, to_sql(after)?, to_sql(up_to)?, limit],
                StoredRow::from_row,
            )
            .map_err(database)?;
        rows.map(|stored| stored.map_err(database)?.decode()).collect()
    }

    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        self.conn.execute_batch("COMMIT").map_err(database)?;
        self.committed = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::round;
    use crate::sync::server_rules::tests::{request, row};
    use crate::sync::wire::{RowStatus, SyncResponse};
    use serde_json::json;

    fn open() -> (tempfile::TempDir, SqliteStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("data")).unwrap();
        (dir, storage)
    }

    fn statuses(response: &SyncResponse) -> Vec<RowStatus> {
        response.results.iter().map(|r| r.status).collect()
    }

    fn ids(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.id.as_str()).collect()
    }

    /// Sequence numbers as the database holds them, to prove what changed.
    fn seqs(storage: &SqliteStorage, user: UserId) -> Vec<(String, i64)> {
        let conn = storage.writer().unwrap();
        let mut stmt = conn
            .prepare("SELECT id, seq FROM rows WHERE user_id = ?1 ORDER BY seq")
            .unwrap();
        stmt.query_map([user], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn users_are_unique_case_insensitively_and_sessions_map_back() {
        let (_dir, s) = open();
        let alice = s.create_user("alice", "h1").unwrap();
        assert!(matches!(s.create_user("ALICE", "h2"), Err(StorageError::UserExists)));
        let (found, hash) = s.password_hash("Alice").unwrap().unwrap();
        assert_eq!((found.clone(), hash.as_str()), (alice.clone(), "h1"));
        assert_eq!(s.password_hash("bob").unwrap(), None);
        let token = [7u8; 32];
        s.create_session(alice.id, &token).unwrap();
        assert_eq!(s.user_for_token(&token).unwrap(), Some(alice));
        assert_eq!(s.user_for_token(&[8u8; 32]).unwrap(), None);
        assert!(s.revoke_session(&token).unwrap());
        assert!(!s.revoke_session(&token).unwrap());
        assert_eq!(s.user_for_token(&token).unwrap(), None);
    }

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
    fn reopening_keeps_data_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        SqliteStorage::open(dir.path())
            .unwrap()
            .create_user("alice", "h")
            .unwrap();
        let again = SqliteStorage::open(dir.path()).unwrap();
        assert!(again.password_hash("alice").unwrap().is_some());
        again.writer().unwrap().pragma_update(None, "user_version", 99).unwrap();
        drop(again);
        let err = SqliteStorage::open(dir.path()).err().unwrap();
        assert!(err.contains("schema version 99 is newer"), "{err}");
    }

    #[test]
    fn accept_then_retry_changes_nothing() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let w1 = row("w1", &[("phone", 1)], json!({"name": "Push"}));
        let first = round::run(&s, u, &request(0, vec![w1.clone()])).unwrap();
        assert_eq!(statuses(&first), [RowStatus::Accepted]);
        assert_eq!((first.changes.len(), first.cursor, first.more), (0, 1, false));
        assert_eq!(first.results[0].server, None);
        // The answer was lost; the client sends the same request again.
        let retry = round::run(&s, u, &request(0, vec![w1.clone()])).unwrap();
        assert_eq!(statuses(&retry), [RowStatus::Accepted]);
        assert_eq!(seqs(&s, u), [("w1".to_string(), 1)]);
        // Not stored by this request, so it is not excluded from the pull.
        assert_eq!(retry.changes, [w1]);
        assert_eq!(retry.cursor, 1);
    }

    #[test]
    fn newer_versions_win_and_get_a_new_sequence_number() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        round::run(
            &s,
            u,
            &request(
                0,
                vec![row("w1", &[("a", 1)], json!({})), row("w2", &[("a", 1)], json!({}))],
            ),
        )
        .unwrap();
        let edit = row("w1", &[("a", 1), ("b", 1)], json!({"name": "edited"}));
        let answer = round::run(&s, u, &request(2, vec![edit.clone()])).unwrap();
        assert_eq!(statuses(&answer), [RowStatus::Accepted]);
        assert_eq!(seqs(&s, u), [("w2".to_string(), 2), ("w1".to_string(), 3)]);
        let pulled = round::run(&s, u, &request(0, vec![])).unwrap();
        assert_eq!(pulled.changes[1], edit);
        assert_eq!(pulled.cursor, 3);
    }

    #[test]
    fn collision_stale_and_conflict_return_the_server_row_and_store_nothing() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let stored = row("w1", &[("a", 2)], json!({"name": "Push"}));
        round::run(&s, u, &request(0, vec![stored.clone()])).unwrap();
        let answer = round::run(
            &s,
            u,
            &request(
                1,
                vec![
                    row("w1", &[("a", 2)], json!({"name": "Legs"})),
                    row("w1", &[("a", 1)], json!({"name": "Old"})),
                    row("w1", &[("a", 1), ("b", 1)], json!({"name": "Fork"})),
                ],
            ),
        )
        .unwrap();
        assert_eq!(
            statuses(&answer),
            [RowStatus::Collision, RowStatus::Stale, RowStatus::Conflict]
        );
        assert!(answer.results.iter().all(|r| r.server.as_ref() == Some(&stored)));
        assert_eq!(seqs(&s, u), [("w1".to_string(), 1)]);
        assert_eq!((answer.changes.len(), answer.cursor), (0, 1));
    }

    #[test]
    fn pages_never_skip_a_row_and_stop_with_more_false() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let rows: Vec<Row> = (1..=5)
            .map(|i| row(&format!("w{i}"), &[("a", 1)], json!({"n": i})))
            .collect();
        round::run(&s, u, &request(0, rows)).unwrap();
        let mut cursor = 0;
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        loop {
            let mut req = request(cursor, vec![]);
            req.pull_limit = Some(2);
            let answer = round::run(&s, u, &req).unwrap();
            seen.extend(answer.changes.iter().map(|r| r.id.clone()));
            pages.push((answer.changes.len(), answer.cursor, answer.more));
            cursor = answer.cursor;
            if !answer.more {
                break;
            }
        }
        assert_eq!(seen, ["w1", "w2", "w3", "w4", "w5"]);
        assert_eq!(pages, [(2, 2, true), (2, 4, true), (1, 5, false)]);
    }

    #[test]
    fn rows_stored_by_a_request_are_not_echoed_but_the_cursor_passes_them() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        // Another device stored w1 (seq 1).
        round::run(&s, u, &request(0, vec![row("w1", &[("laptop", 1)], json!({}))])).unwrap();
        let mine = row("w2", &[("phone", 1)], json!({}));
        let answer = round::run(&s, u, &request(0, vec![mine])).unwrap();
        assert_eq!(ids(&answer.changes), ["w1"]);
        assert_eq!((answer.cursor, answer.more), (2, false));
    }

    #[test]
    fn a_limited_page_with_pushed_rows_stops_before_them() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let others: Vec<Row> = (1..=3)
            .map(|i| row(&format!("o{i}"), &[("laptop", 1)], json!({})))
            .collect();
        round::run(&s, u, &request(0, others)).unwrap();
        let mut req = request(0, vec![row("mine", &[("phone", 1)], json!({}))]);
        req.pull_limit = Some(2);
        let first = round::run(&s, u, &req).unwrap();
        assert_eq!(ids(&first.changes), ["o1", "o2"]);
        assert_eq!((first.cursor, first.more), (2, true));
        let mut next = request(first.cursor, vec![]);
        next.pull_limit = Some(2);
        let second = round::run(&s, u, &next).unwrap();
        // o3, then the pushed row once more (the documented price of paging).
        assert_eq!(ids(&second.changes), ["o3", "mine"]);
        assert_eq!((second.cursor, second.more), (4, false));
    }

    #[test]
    fn a_cursor_from_the_future_starts_over() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        round::run(&s, u, &request(0, vec![row("w1", &[("a", 1)], json!({}))])).unwrap();
        let answer = round::run(&s, u, &request(u64::MAX, vec![])).unwrap();
        assert_eq!((ids(&answer.changes), answer.cursor), (vec!["w1"], 1));
    }

    #[test]
    fn users_never_see_or_touch_each_others_rows() {
        let (_dir, s) = open();
        let one = s.create_user("one", "h").unwrap().id;
        let two = s.create_user("two", "h").unwrap().id;
        let original = row("w1", &[("a", 5)], json!({"owner": 1}));
        round::run(&s, one, &request(0, vec![original.clone()])).unwrap();
        // Same kind and id, an older clock: for user 2 it is simply a new row.
        let intruder = row("w1", &[("a", 1)], json!({"owner": 2}));
        let answer = round::run(&s, two, &request(0, vec![intruder.clone()])).unwrap();
        assert_eq!(statuses(&answer), [RowStatus::Accepted]);
        assert!(answer.changes.is_empty());
        assert_eq!(round::run(&s, one, &request(0, vec![])).unwrap().changes, [original]);
        assert_eq!(round::run(&s, two, &request(0, vec![])).unwrap().changes, [intruder]);
        assert_eq!(seqs(&s, two), [("w1".to_string(), 1)]);
    }

    #[test]
    fn ten_thousand_rows_in_one_request() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let rows: Vec<Row> = (0..10_000)
            .map(|i| row(&format!("w{i:05}"), &[("a", 1)], json!({"name": "Push", "i": i})))
            .collect();
        let started = std::time::Instant::now();
        let answer = round::run(&s, u, &request(0, rows)).unwrap();
        let elapsed = started.elapsed();
        assert!(answer.results.iter().all(|r| r.status == RowStatus::Accepted));
        assert_eq!(answer.cursor, 10_000);
        // Generous for unoptimized test builds; release takes a few tens of ms.
        assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    }

    #[test]
    fn a_poisoned_connection_fails_one_call_then_recovers() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let crashed = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _held = s.writer.lock();
                    panic!("a request crashed while holding the writer");
                })
                .join()
        });
        assert!(crashed.is_err());
        let failed = round::run(&s, u, &request(0, vec![]));
        assert!(matches!(failed, Err(StorageError::Crashed)), "{failed:?}");
        assert_eq!(round::run(&s, u, &request(0, vec![])).unwrap().cursor, 0);
    }

    #[test]
    fn a_copy_is_refused_whole_and_told_which_of_its_rows_are_shared() {
        use crate::sync::wire::Lineage;
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let lineage = |confirmed: Option<&str>, next: &str| Lineage {
            confirmed: confirmed.map(Into::into),
            unconfirmed: Vec::new(),
            next: next.into(),
        };
        let shared = row("w1", &[("phone", 2)], json!({"name": "Push"}));
        let mut original = request(0, vec![shared.clone()]);
        original.lineage = Some(lineage(None, "a"));
        round::run(&s, u, &original).unwrap();
        // The copy still names "a" as unconfirmed-at-best; the original moved on to "b".
        let mut next = request(1, vec![]);
        next.lineage = Some(lineage(Some("a"), "b"));
        round::run(&s, u, &next).unwrap();
        let own_write = row("w2", &[("phone", 1)], json!({"name": "Legs"}));
        let same_clock_other_content = row("w1", &[("phone", 2)], json!({"name": "Pull"}));
        let mut copy = request(0, vec![own_write, shared, same_clock_other_content]);
        copy.lineage = Some(lineage(Some("a"), "c"));
        let before = seqs(&s, u);
        assert!(matches!(
            round::run(&s, u, &copy),
            Err(StorageError::DeviceForked { already_stored }) if already_stored == [1]
        ));
        assert_eq!(seqs(&s, u), before, "nothing of a refused round is stored");
    }

    #[test]
    fn bodies_and_clocks_are_stored_as_canonical_json() {
        let (_dir, s) = open();
        let u = s.create_user("u", "h").unwrap().id;
        let body = serde_json::from_str(r#"{ "zeta": 1, "alpha": {"y": 2, "x": 3} }"#).unwrap();
        round::run(
            &s,
            u,
            &request(0, vec![row("w1", &[("phone", 2), ("laptop", 1)], body)]),
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
