//! Versioned schema. Append migrations; never edit one that has shipped.
//!
//! Two pumps may open a brand-new file at the same moment (the first `pump
//! log` racing a cron `pump sync`), so the version is read again inside the
//! transaction that migrates: the second one finds the work done and does
//! nothing, instead of creating the same tables twice.

use rusqlite::{Connection, TransactionBehavior};

/// Every record kind lives in one table: sync treats them alike, so there is
/// one write path and one sync mechanism, whatever the record is.
const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE records (
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    body         TEXT NOT NULL,              -- canonical JSON of the record
    deleted      INTEGER NOT NULL DEFAULT 0, -- tombstone: the row stays, with its clock
    clock        TEXT NOT NULL,              -- canonical JSON vector clock
    pending      INTEGER NOT NULL DEFAULT 1, -- written here, not yet accepted by the server
    base_body    TEXT,                       -- last synced version (the merge base); NULL on a synced row, which is its own base
    base_deleted INTEGER,
    base_clock   TEXT,
    updated_at   TEXT NOT NULL,
    origin       TEXT,                       -- JSON {device, at}: who wrote this version, for people
    started_at   TEXT,                       -- copied from the body by the store: the sort key of workouts
    PRIMARY KEY (kind, id)
) STRICT;
CREATE INDEX records_pending ON records (kind, id) WHERE pending = 1;
CREATE INDEX records_started ON records (kind, started_at);

-- Derived, never synced: all-time records per exercise as of a data
-- generation (bumped by every write), so `pump log` can announce a PR
-- without reading years of workouts. A row of an older generation is stale.
CREATE TABLE record_cache (
    exercise   TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    records    TEXT NOT NULL
) STRICT;

-- A concurrent version from the server that no one has resolved yet. The
-- local side of the conflict is the row in `records` itself.
CREATE TABLE conflicts (
    kind           TEXT NOT NULL,
    id             TEXT NOT NULL,
    remote_body    TEXT NOT NULL,
    remote_deleted INTEGER NOT NULL,
    remote_clock   TEXT NOT NULL,
    remote_origin  TEXT,
    detected_at    TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT;
";

/// The dots (see `sync::wire::Dot`) of a row's writes made here since the
/// version it last synced: pushed with the row, so the server can tell a
/// counter reused by a copied database from an older version. Dropped once
/// a synced version covers them.
const V2: &str = "
CREATE TABLE dots (
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    device  TEXT NOT NULL,
    counter INTEGER NOT NULL,
    digest  TEXT NOT NULL,
    PRIMARY KEY (kind, id, device, counter)
) STRICT, WITHOUT ROWID;
";

/// Rows received that this pump cannot read: a kind, or a shape of a known
/// kind, from a newer pump. Kept exactly as they came, apart from the
/// records every command reads, until a pump that can read them applies
/// them (see `Store::apply_readable_kept`); `pending` marks those to send
/// to a server that lost them.
const V3: &str = "
CREATE TABLE unreadable (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    body        TEXT NOT NULL,
    deleted     INTEGER NOT NULL,
    clock       TEXT NOT NULL,
    origin      TEXT,
    pending     INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT;
";

/// The import log (`pump import --list`, `--undo`): each import of another
/// app's export, and the workouts it wrote. This device's own; never synced.
const V4: &str = "
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    file        TEXT NOT NULL,   -- the file's name, without its folder
    format      TEXT NOT NULL,   -- Strong, Hevy, FitNotes
    unit        TEXT,            -- the --unit given, if any
    digest      TEXT NOT NULL,   -- SHA-256 of the file's text
    workouts    INTEGER NOT NULL,
    sets        INTEGER NOT NULL,
    undone_at   TEXT
) STRICT;
CREATE INDEX imports_digest ON imports (digest);

CREATE TABLE import_workouts (
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    workout_id TEXT NOT NULL,
    PRIMARY KEY (import_id, workout_id)
) STRICT, WITHOUT ROWID;
";

/// The derived set table and its copy of the weigh-ins (see `store::sets`),
/// filled from `records` by [`migrate`] in the same transaction.
const V5: &str = super::sets::SCHEMA;

/// The indexes and per-session volumes that find each record's candidates
/// (see `store::sets::RECORDS_SCHEMA`), made from the set table in SQL.
const V6: &str = super::sets::RECORDS_SCHEMA;

/// What progress plots per session (see `store::sets::PROGRESS_SCHEMA`),
/// filled by the rebuild that follows it.
const V7: &str = super::sets::PROGRESS_SCHEMA;

/// The derived tables made narrow: workouts named by an integer key (see
/// `store::sets::NARROW_SCHEMA`), filled by the rebuild that follows it.
const V8: &str = super::sets::NARROW_SCHEMA;

/// The last migration that changed what the derived tables hold: a file
/// that had not run it gets them made again from `records`.
const LAST_DERIVED: &str = V8;

/// Every migration, in order: version N has run the first N.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8];

/// The schema version this build writes (SQLite's `user_version`).
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version of the open file.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Brings the schema up to date, all or nothing. Only a file that needs it
/// takes the write lock: an up-to-date one (every open but the first) is a
/// single read.
pub fn migrate(conn: &mut Connection) -> crate::error::Result<()> {
    if version(conn)? >= LATEST_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let done = usize::try_from(version(&tx)?).unwrap_or(0);
    for migration in MIGRATIONS.iter().skip(done) {
        tx.execute_batch(migration)?;
    }
    let derived_version = MIGRATIONS.iter().position(|m| *m == LAST_DERIVED).map_or(0, |i| i + 1);
    if done < derived_version {
        super::sets::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", LATEST_VERSION)?;
    Ok(tx.commit()?)
}
