//! The PostgreSQL backend: the server's state in a database server that
//! operators back up, replicate and monitor, shared by as many `pump server
//! start --database postgres://…` processes as they run, which coordinate
//! through the database alone.
//!
//! Rounds of one user never interleave, even from two processes: every
//! round begins with `SELECT last_seq … FOR UPDATE` on the user's row, so
//! the next round of that user waits until this one has committed its rows
//! and its new head. A sequence number is therefore never visible before a
//! smaller one is: a puller cannot skip a row numbered before, but committed
//! after, the rows it saw. Rounds of different users lock different rows and
//! run side by side.
//!
//! The rounds waiting at a moment for distinct users run as one batch, in
//! one transaction (`server::batch`, [`batch`]): their users are locked in
//! id order (so two processes' batches cannot deadlock), every round's
//! reads are made with the locks by one statement each over arrays, the
//! rounds run against what was read, and their writes go in one statement
//! per table with the commit. PostgreSQL's CPU goes mostly to the number
//! of statements, whatever each carries: a round alone is about ten.
//!
//! The client is tokio-postgres behind the blocking `Storage` seam: each
//! call runs on the thread that asked, which drives its connection itself
//! on the connection's own small runtime (as tokio-postgres's blocking
//! face, `postgres`, does). Used directly because only the async client
//! pipelines: a round sends its writes with its next read, so it costs
//! one round trip per read instead of one per statement (see
//! [`PostgresTxn`]). deadpool-postgres worked too, but needed a runtime
//! inside the storage to bridge every call, for no gain. Connections are kept in a small
//! pool of our own rather than r2d2's, which waits out its whole connection
//! timeout when the database is down: here a new connection is made on
//! demand, so a database that is down refuses at once, and one that comes
//! back is used again without a restart. Deadlines: connecting
//! ([`CONNECT_TIMEOUT`]), each statement (PostgreSQL's `statement_timeout`),
//! a transaction left idle by a frozen server process
//! (`idle_in_transaction_session_timeout`), and a silent network (TCP
//! keepalives and user timeout). Whatever means "not now" is
//! [`StorageError::Unavailable`], which clients see as 503 and retry.

use super::columns::{ROW_COLUMNS, StoredRow, count, origin_text, to_sql};
use super::storage::{
    AccountSummary, BatchRound, DeviceRecord, DeviceReport, RoundReads, SessionInfo, Storage, StorageBatch,
    StorageError, StorageTxn, TokenHash, Usage, User, UserId, with_causes,
};
use crate::sync::wire::WireRow;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;
use tokio_postgres::types::{FromSql, ToSql, Type};
use tokio_postgres::{Client, Config, NoTls, Row, Statement};

/// Database calls one server process runs at once, unless
/// `--database-connections` says otherwise: token lookups, logins, admin
/// commands. Sync rounds run in batches (see [`batch`]), one at a time,
/// and wait for theirs without taking one of these. Before batching each
/// round took one, and 16 beat 8 (scenario 5 of the bench: 1,440–1,680
/// syncs/s against 1,150–1,260), since more commits in flight shared a
/// disk flush; a batch shares one flush among all its rounds.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Idle connections kept per server process beyond one per concurrent
/// call: spares for `/health` and logins. N processes need N × (their
/// concurrency + this) of PostgreSQL's `max_connections` (100 by default).
const SPARE_CONNECTIONS: usize = 4;
/// How long to wait for a new connection. A database that is down refuses
/// at once; this bounds one that is unreachable (a network partition).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest one statement may run, waiting for a user's lock included.
/// A 10,000-row round is tens of thousands of statements, so this is per
/// statement, not per round.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// PostgreSQL ends a session that sits inside a transaction this long, so a
/// server process that froze (or lost its network) mid-round cannot hold a
/// user's lock for ever.
const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);
/// A connection whose peer stops answering is dropped after about this
/// long, rather than waiting on it for the kernel's two hours.
const DEAD_PEER_TIMEOUT: Duration = Duration::from_secs(30);
/// How each connection plans its statements: once, the first time it runs
/// one, for any parameters (a generic plan). Planning each execution for
/// its parameters was 40% of PostgreSQL's CPU per sync (scenario 5 of the
/// bench: 0.93–1.06 ms per sync planned each time, 0.54–0.69 planned
/// once). A plan made once is made while the tables may be empty, so it
/// must not depend on their size: sequential scans are ruled out (every
/// statement of a round has an index; a test checks the plans), and the
/// one statement whose best index depends on the data, a record's lookup
/// (the primary key, or `rows_by_seq` while a user has no rows), is
/// planned each time instead: a plan chosen on an empty table looks each
/// record up among all of its user's rows, which made a first push of
/// 10,000 rows quadratic.
const PLANNED_ONCE: &str = "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off";
/// The key of the advisory lock that serializes schema migrations, so that
/// processes starting at the same moment migrate one after the other.
const MIGRATION_LOCK: i64 = 0x7075_6d70; // "pump"

/// Schema versions, applied in order; `pump_schema.version` counts how many
/// ran. Append, never edit: a deployed server has run the old ones. Text
/// columns hold the same canonical JSON as SQLite's (see `columns`): JSONB
/// would reorder keys and reformat numbers, and cost a parse per write.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- The last change sequence number handed out for this user's rows;
    -- its row lock serializes the user's rounds.
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- What the account stores, kept by every round, for its quota.
    rows_stored BIGINT NOT NULL DEFAULT 0,
    bytes_stored BIGINT NOT NULL DEFAULT 0
);
-- Names compare case-insensitively (they are ASCII, see auth).
CREATE UNIQUE INDEX users_by_name ON users (lower(name));
-- Sessions end (idle and absolute expiry) and each syncs as one device.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    last_used TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE rows (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    clock TEXT NOT NULL,
    deleted BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    origin TEXT,
    device TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kind, id)
);
CREATE UNIQUE INDEX rows_by_seq ON rows (user_id, seq);
-- Each device's lineage, and what it said at its last sync (`pump devices`).
CREATE TABLE devices (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    lineage TEXT NOT NULL,
    name TEXT,
    last_sync TIMESTAMPTZ,
    pending BIGINT,
    PRIMARY KEY (user_id, device_id)
);
-- Every write (dot) a device reported for a row: which content the
-- counter-th write of this row by this device produced (see wire::Dot).
CREATE TABLE dots (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    device TEXT NOT NULL,
    counter BIGINT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, id, device, counter)
);
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

/// A round's transaction holding its user's row, read with the lock: a
/// round alone ([`PostgresTxn`]) or one of a batch (`batch::BatchTxn`).
trait HeldAccount {
    /// The round's user.
    fn user(&self) -> UserId;
    /// The user's row, with this round's changes.
    fn account(&mut self) -> Result<&mut Account, StorageError>;
    /// Notes that the row changed: the commit writes it.
    fn mark_account_changed(&mut self);

    /// Changes the user's row; written back with the commit.
    fn change_account(&mut self, change: impl FnOnce(&mut Account)) -> Result<(), StorageError> {
        change(self.account()?);
        self.mark_account_changed();
        Ok(())
    }
}

/// The [`StorageTxn`] methods that only read or change the user's row,
/// written once for both [`HeldAccount`]s.
macro_rules! account_methods {
    () => {
        fn lock_head(&mut self) -> Result<u64, StorageError> {
            let user = self.user();
            self.account()?.head(user)
        }

        fn key_check(&mut self) -> Result<Option<String>, StorageError> {
            Ok(self.account()?.key_check.clone())
        }

        fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
            let head = to_sql(head)?;
            self.change_account(|account| account.head = head)
        }

        fn usage(&mut self) -> Result<Usage, StorageError> {
            Ok(self.account()?.usage())
        }

        fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError> {
            self.account()?.set_usage(usage)?;
            self.mark_account_changed();
            Ok(())
        }

        fn server_id(&mut self) -> Result<Option<String>, StorageError> {
            Ok(self.account()?.server_id.clone())
        }

        fn set_server_id(&mut self, id: &str) -> Result<(), StorageError> {
            self.change_account(|account| account.server_id = Some(id.to_string()))
        }
    };
}

mod batch;

/// Rounds of distinct users one batch runs at most (see `server::batch`).
const BATCH_ROUNDS: usize = 64;

/// Locks a user's row for a round (see the module docs) and reads it.
const LOCK_ACCOUNT: &str =
    "SELECT last_seq, key_check, server_id, rows_stored, bytes_stored FROM users WHERE id = $1 FOR UPDATE";
/// A device's lineage.
const LINEAGE: &str = "SELECT lineage FROM devices WHERE user_id = $1 AND device_id = $2";
/// The digests recorded for the dots named by four arrays: kinds, ids,
/// devices, counters.
const PUSHED_DOTS: &str = "SELECT dots.kind, dots.id, dots.device, dots.counter, dots.digest FROM dots \
     JOIN unnest($2::text[], $3::text[], $4::text[], $5::int8[]) AS pushed (kind, id, device, counter) \
     ON dots.kind = pushed.kind AND dots.id = pushed.id AND dots.device = pushed.device \
     AND dots.counter = pushed.counter WHERE dots.user_id = $1";
/// Rows beyond a page's own that the lock's round trip reads, in case the
/// round stores some of the page's rows again (each such row leaves it).
const PAGE_SLACK: usize = 16;

/// Accounts, sessions and rows in a PostgreSQL database; see the module docs.
pub struct PostgresStorage {
    config: Config,
    idle: Mutex<Vec<Connection>>,
    /// Database calls this process runs at once.
    concurrency: usize,
}

/// A statement whose answer nobody reads (a write): it waits to be sent
/// ahead of the next statement whose answer is read, in the same round
/// trip.
struct Queued {
    sql: &'static str,
    params: Vec<Box<dyn ToSql + Send + Sync>>,
}

impl Queued {
    fn new(sql: &'static str, params: Vec<Box<dyn ToSql + Send + Sync>>) -> Self {
        Queued { sql, params }
    }
}

/// The statement of a pipeline whose answer is read.
struct Read<'a> {
    sql: &'a str,
    params: &'a [&'a (dyn ToSql + Sync)],
    /// `Some(their types)`: planned for these parameters at every
    /// execution, rather than once per connection (see
    /// [`PLANNED_ONCE`]).
    planned_each_time: Option<&'a [Type]>,
}

impl<'a> Read<'a> {
    fn cached(sql: &'a str, params: &'a [&'a (dyn ToSql + Sync)]) -> Self {
        Read {
            sql,
            params,
            planned_each_time: None,
        }
    }
}

/// A connection, the statements prepared on it (by SQL text), and the
/// runtime that drives its socket while a call waits on it: each call runs
/// on the thread that asked, behind the blocking `Storage` seam.
struct Connection {
    runtime: tokio::runtime::Runtime,
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Connection {
    fn open(config: &Config) -> Result<Self, StorageError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(StorageError::database)?;
        let (client, connection) = runtime.block_on(config.connect(NoTls)).map_err(classify)?;
        // Runs whenever a call blocks on this runtime; it ends (and the
        // client reports closed) when the socket does.
        runtime.spawn(connection);
        Ok(Connection {
            runtime,
            client,
            statements: HashMap::new(),
        })
    }

    /// `sql` prepared on this connection, preparing it the first time.
    fn statement(&mut self, sql: &str) -> Result<Statement, StorageError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.runtime.block_on(self.client.prepare(sql)).map_err(classify)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// Runs `sql` and returns its rows.
    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StorageError> {
        let mut answers = self.pipeline(&[], &[Read::cached(sql, params)])?;
        Ok(answers.pop().unwrap_or_default())
    }

    /// Runs `queued`, in order, then `reads`, in ONE round trip: every
    /// statement is sent before any answer is awaited (tokio-postgres sends
    /// a statement when its future is first polled). Returns the rows of
    /// each read, or the error of the first statement that failed: after
    /// it, the transaction is aborted and the rest fail too.
    fn pipeline(&mut self, queued: &[Queued], reads: &[Read<'_>]) -> Result<Vec<Vec<Row>>, StorageError> {
        let mut statements = Vec::with_capacity(queued.len());
        for write in queued {
            statements.push(self.statement(write.sql)?);
        }
        let mut cached = Vec::with_capacity(reads.len());
        for read in reads {
            cached.push(match read.planned_each_time {
                Some(_) => None,
                None => Some(self.statement(read.sql)?),
            });
        }
        let client = &self.client;
        let typed: Vec<Vec<(&(dyn ToSql + Sync), Type)>> = reads
            .iter()
            .map(|read| {
                let types = read.planned_each_time.unwrap_or_default().iter().cloned();
                read.params.iter().copied().zip(types).collect()
            })
            .collect();
        let mut calls: Vec<Call<'_>> = queued
            .iter()
            .zip(&statements)
            .map(|(write, statement)| -> Call<'_> {
                let params = write.params.iter().map(|p| p.as_ref() as &dyn ToSql);
                Box::pin(async move { client.execute_raw(statement, params).await.map(|_| Vec::new()) })
            })
            .collect();
        for ((read, statement), typed) in reads.iter().zip(&cached).zip(&typed) {
            calls.push(match statement {
                Some(statement) => Box::pin(client.query(statement, read.params)),
                None => Box::pin(client.query_typed(read.sql, typed)),
            });
        }
        let answers = self.runtime.block_on(in_order(calls));
        let mut rows = Vec::with_capacity(reads.len());
        for (index, answer) in answers.into_iter().enumerate() {
            let answer = answer.map_err(classify)?;
            if index >= queued.len() {
                rows.push(answer);
            }
        }
        Ok(rows)
    }

    /// Runs `sql`, which may hold several statements, without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StorageError> {
        self.runtime.block_on(self.client.batch_execute(sql)).map_err(classify)
    }
}

/// One statement in flight on a connection.
type Call<'a> = Pin<Box<dyn Future<Output = Result<Vec<Row>, tokio_postgres::Error>> + 'a>>;

/// Drives every call to its end, polling them in order, so the statements
/// leave in that order; returns their answers in the same order.
async fn in_order(mut calls: Vec<Call<'_>>) -> Vec<Result<Vec<Row>, tokio_postgres::Error>> {
    let mut answers: Vec<Option<Result<Vec<Row>, tokio_postgres::Error>>> = calls.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut waiting = false;
        for (call, answer) in calls.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match call.as_mut().poll(cx) {
                    Poll::Ready(result) => *answer = Some(result),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    answers.into_iter().flatten().collect()
}

/// A connection lent by the pool; it goes back when dropped, unless it
/// broke or a transaction on it could not be ended.
struct Pooled<'a> {
    storage: &'a PostgresStorage,
    connection: Option<Connection>,
}

impl Pooled<'_> {
    fn get(&mut self) -> &mut Connection {
        self.connection
            .as_mut()
            .expect("a lent connection is there until dropped")
    }

    /// Closes the connection instead of returning it.
    fn discard(&mut self) {
        self.connection = None;
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take().filter(|c| !c.client.is_closed()) {
            let mut idle = self.storage.idle.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < self.storage.concurrency + SPARE_CONNECTIONS {
                idle.push(connection);
            }
        }
    }
}

impl PostgresStorage {
    /// Connects to the database at `url` (`postgres://USER@HOST/DB`, or
    /// libpq's `key=value` form) and brings its schema up to date.
    /// `password` is used when the URL carries none. Errors never repeat
    /// the password.
    pub fn connect(url: &str, password: Option<&str>) -> Result<Self, String> {
        Self::connect_with(url, password, DEFAULT_CONCURRENCY)
    }

    /// [`PostgresStorage::connect`], running at most `concurrency` database
    /// calls at once (`pump server start --database-connections`).
    pub fn connect_with(url: &str, password: Option<&str>, concurrency: usize) -> Result<Self, String> {
        let mut config: Config = url
            .parse()
            .map_err(|e| format!("the database URL is not valid ({e}): write it as postgres://USER@HOST/DATABASE"))?;
        if config.get_password().is_none()
            && let Some(password) = password
        {
            config.password(password);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let session_settings = format!(
            "-c statement_timeout={} -c idle_in_transaction_session_timeout={} {PLANNED_ONCE}",
            STATEMENT_TIMEOUT.as_millis(),
            IDLE_IN_TRANSACTION_TIMEOUT.as_millis()
        );
        let options = match config.get_options() {
            Some(theirs) => format!("{theirs} {session_settings}"),
            None => session_settings,
        };
        config
            .options(&options)
            .application_name("pump server")
            .keepalives_idle(DEAD_PEER_TIMEOUT / 2)
            .keepalives_interval(DEAD_PEER_TIMEOUT / 6)
            .keepalives_retries(3)
            .tcp_user_timeout(DEAD_PEER_TIMEOUT);
        let described = describe(&config);
        let storage = PostgresStorage {
            config,
            idle: Mutex::new(Vec::new()),
            concurrency: concurrency.max(1),
        };
        storage.migrate().map_err(|e| match e {
            MigrationError::Storage(e) => format!(
                "cannot use the database {described}: {}; check that PostgreSQL runs there and the user may \
                 connect and create tables",
                with_causes(&e)
            ),
            MigrationError::Newer { found, known } => format!(
                "the database {described} has schema version {found}, newer than this pump knows ({known}): \
                 upgrade pump"
            ),
        })?;
        Ok(storage)
    }

    /// An idle connection, or a new one.
    fn connection(&self) -> Result<Pooled<'_>, StorageError> {
        let reused = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let connection = match reused {
            Some(connection) => connection,
            None => Connection::open(&self.config)?,
        };
        Ok(Pooled {
            storage: self,
            connection: Some(connection),
        })
    }

    /// One statement on a pooled connection: the rows it returns.
    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StorageError> {
        self.connection()?.get().query(sql, params)
    }

    fn migrate(&self) -> Result<(), MigrationError> {
        let known = MIGRATIONS.len() as i32;
        let mut pooled = self.connection()?;
        let migrated = apply_migrations(pooled.get()).and_then(|found| {
            if found > known {
                return Ok(Err(MigrationError::Newer { found, known }));
            }
            pooled.get().batch("COMMIT").map(Ok)
        });
        match migrated {
            Ok(Ok(())) => Ok(()),
            // Closing the connection rolls back what it began.
            Ok(Err(newer)) => {
                pooled.discard();
                Err(newer)
            }
            Err(e) => {
                pooled.discard();
                Err(e.into())
            }
        }
    }
}

enum MigrationError {
    Storage(StorageError),
    Newer { found: i32, known: i32 },
}

impl From<StorageError> for MigrationError {
    fn from(error: StorageError) -> Self {
        MigrationError::Storage(error)
    }
}

/// Opens a transaction on `connection` and brings the schema up to date
/// inside it, leaving it open for the caller to commit; returns the version
/// found. One newer than [`MIGRATIONS`] is left alone for the caller to
/// refuse. The advisory lock makes a second process wait here, then find
/// the work done.
fn apply_migrations(connection: &mut Connection) -> Result<i32, StorageError> {
    connection.batch("BEGIN")?;
    connection.query("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    connection.batch("CREATE TABLE IF NOT EXISTS pump_schema (version INTEGER NOT NULL)")?;
    let found: i32 =
        first_column(&connection.query("SELECT coalesce(max(version), 0) FROM pump_schema", &[])?)?.unwrap_or(0);
    let pending: Vec<(i32, &str)> = (1i32..)
        .zip(MIGRATIONS.iter().copied())
        .filter(|(v, _)| *v > found)
        .collect();
    if let Some(&(last, _)) = pending.last() {
        for (_, migration) in &pending {
            connection.batch(migration)?;
        }
        connection.query("DELETE FROM pump_schema", &[])?;
        connection.query("INSERT INTO pump_schema (version) VALUES ($1)", &[&last])?;
    }
    Ok(found)
}

/// The database a URL names, without its password, for messages.
pub fn describe_url(url: &str) -> String {
    url.parse()
        .map_or_else(|_| "(an invalid database URL)".to_string(), |config| describe(&config))
}

/// `postgres://USER@HOST:PORT/DB` without the password, for messages.
fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(index, host)| {
            let host = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(index).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}@{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

/// SQLSTATEs that mean "not now" rather than "wrong": a statement ran past
/// its deadline, the server is shutting down, crashed, starting up, or out
/// of connections.
const UNAVAILABLE_STATES: &[&str] = &["57014", "57P01", "57P02", "57P03", "53300"];

/// `Unavailable` when the database could not be reached, went away or did
/// not answer in time (retrying later will work), `Database` for anything
/// else.
fn classify(error: tokio_postgres::Error) -> StorageError {
    let state = error.code().map(tokio_postgres::error::SqlState::code);
    let connection_lost = state.is_some_and(|s| s.starts_with("08") || UNAVAILABLE_STATES.contains(&s));
    let io_failed =
        std::iter::successors(std::error::Error::source(&error), |e| e.source()).any(|e| e.is::<std::io::Error>());
    if error.is_closed() || connection_lost || io_failed {
        StorageError::unavailable(error)
    } else {
        StorageError::database(error)
    }
}

/// An account, from the `id, name` columns of `users`.
fn user_from_row(row: &Row) -> Result<User, StorageError> {
    Ok(User {
        id: row.try_get(0).map_err(StorageError::database)?,
        name: row.try_get(1).map_err(StorageError::database)?,
    })
}

/// Column `index` of `row`, as `T`.
fn column<T: for<'a> FromSql<'a>>(row: &Row, index: usize) -> Result<T, StorageError> {
    row.try_get(index).map_err(StorageError::database)
}

/// The columns of `sessions` that [`session_from_row`] reads, in its order.
const SESSION_COLUMNS: &str = "sessions.token_hash, sessions.device_id, sessions.created_at, sessions.last_used";

/// A session from the [`SESSION_COLUMNS`] of a `SELECT`, starting at `first`.
fn session_from_row(row: &Row, first: usize) -> Result<SessionInfo, StorageError> {
    let token: Vec<u8> = column(row, first)?;
    Ok(SessionInfo {
        // A hash of another length cannot come from `create_session`; an
        // all-zero one matches no token.
        token: token.try_into().unwrap_or([0; 32]),
        device: column(row, first + 1)?,
        created_at: column(row, first + 2)?,
        last_used: column(row, first + 3)?,
    })
}

/// The first column of a statement's only row, if it returned one.
fn first_column<T: for<'a> FromSql<'a>>(rows: &[Row]) -> Result<Option<T>, StorageError> {
    rows.first()
        .map(|row| row.try_get(0).map_err(StorageError::database))
        .transpose()
}

impl Storage for PostgresStorage {
    fn create_user(&self, name: &str, password_hash: &str, key_check: Option<&str>) -> Result<User, StorageError> {
        let inserted = self.query(
            "INSERT INTO users (name, password_hash, key_check) VALUES ($1, $2, $3) \
             ON CONFLICT ((lower(name))) DO NOTHING RETURNING id",
            &[&name, &password_hash, &key_check],
        )?;
        match first_column(&inserted)? {
            Some(id) => Ok(User {
                id,
                name: name.to_string(),
            }),
            None => Err(StorageError::UserExists),
        }
    }

    fn key_check(&self, user: UserId) -> Result<Option<String>, StorageError> {
        let found = self.query("SELECT key_check FROM users WHERE id = $1", &[&user])?;
        Ok(first_column::<Option<String>>(&found)?.flatten())
    }

    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError> {
        let found = self.query(
            "SELECT id, name, password_hash FROM users WHERE lower(name) = lower($1)",
            &[&name],
        )?;
        found
            .first()
            .map(|row| Ok((user_from_row(row)?, row.try_get(2).map_err(StorageError::database)?)))
            .transpose()
    }

    fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<(), StorageError> {
        self.query(
            "UPDATE users SET password_hash = $1 WHERE id = $2",
            &[&password_hash, &user],
        )
        .map(drop)
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError> {
        let found = self.query(
            "SELECT id, name, created_at, rows_stored, bytes_stored, \
             (SELECT count(*) FROM sessions WHERE sessions.user_id = users.id), \
             (SELECT count(*) FROM devices WHERE devices.user_id = users.id) \
             FROM users ORDER BY lower(name), name",
            &[],
        )?;
        found
            .iter()
            .map(|row| {
                Ok(AccountSummary {
                    user: user_from_row(row)?,
                    created_at: column(row, 2)?,
                    usage: Usage {
                        rows: count(column(row, 3)?),
                        bytes: count(column(row, 4)?),
                    },
                    sessions: count(column(row, 5)?),
                    devices: count(column(row, 6)?),
                })
            })
            .collect()
    }

    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        // Every other table refers to users ON DELETE CASCADE.
        let removed = self.query("DELETE FROM users WHERE id = $1 RETURNING id", &[&user])?;
        Ok(!removed.is_empty())
    }

    fn create_session(&self, user: UserId, session: &SessionInfo) -> Result<(), StorageError> {
        self.query(
            "INSERT INTO sessions (token_hash, user_id, device_id, created_at, last_used) VALUES ($1, $2, $3, $4, $5)",
            &[
                &&session.token[..],
                &user,
                &session.device,
                &session.created_at,
                &session.last_used,
            ],
        )
        .map(drop)
    }

    fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError> {
        let sql = format!(
            "SELECT users.id, users.name, {SESSION_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id \
             WHERE sessions.token_hash = $1"
        );
        let found = self.query(&sql, &[&&token[..]])?;
        found
            .first()
            .map(|row| Ok((user_from_row(row)?, session_from_row(row, 2)?)))
            .transpose()
    }

    fn sessions(&self, user: UserId) -> Result<Vec<SessionInfo>, StorageError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 ORDER BY created_at, token_hash");
        let found = self.query(&sql, &[&user])?;
        found.iter().map(|row| session_from_row(row, 0)).collect()
    }

    fn touch_session(&self, token: &TokenHash, at: DateTime<Utc>) -> Result<(), StorageError> {
        self.query(
            "UPDATE sessions SET last_used = $1 WHERE token_hash = $2",
            &[&at, &&token[..]],
        )
        .map(drop)
    }

    fn bind_session(&self, token: &TokenHash, device: &str) -> Result<bool, StorageError> {
        let bound = self.query(
            "UPDATE sessions SET device_id = $1 WHERE token_hash = $2 AND device_id IS NULL RETURNING user_id",
            &[&device, &&token[..]],
        )?;
        Ok(!bound.is_empty())
    }

    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        let removed = self.query(
            "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id",
            &[&&token[..]],
        )?;
        Ok(!removed.is_empty())
    }

    fn revoke_sessions(&self, user: UserId, except: Option<&TokenHash>) -> Result<u64, StorageError> {
        let keep = except.map(|token| &token[..]);
        let removed = self.query(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2) RETURNING user_id",
            &[&user, &keep],
        )?;
        Ok(removed.len() as u64)
    }

    fn devices(&self, user: UserId) -> Result<Vec<DeviceRecord>, StorageError> {
        let found = self.query(
            "SELECT device_id, name, last_sync, pending, \
             (SELECT count(*) FROM rows WHERE rows.user_id = devices.user_id AND rows.device = devices.device_id) \
             FROM devices WHERE user_id = $1 ORDER BY device_id",
            &[&user],
        )?;
        found
            .iter()
            .map(|row| {
                Ok(DeviceRecord {
                    id: column(row, 0)?,
                    name: column(row, 1)?,
                    last_sync: column(row, 2)?,
                    pending: column::<Option<i64>>(row, 3)?.map(count),
                    rows: count(column(row, 4)?),
                })
            })
            .collect()
    }

    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError> {
        Ok(Box::new(PostgresTxn {
            pooled: self.connection()?,
            user,
            queued: vec![Queued::new("BEGIN", Vec::new())],
            expected: None,
            prefetched: Prefetched::default(),
            account: None,
            account_changed: false,
            began: false,
            committed: false,
        }))
    }

    fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn batch_size(&self) -> usize {
        BATCH_ROUNDS
    }

    fn begin_batch(&self, rounds: &[BatchRound<'_>]) -> Result<Box<dyn StorageBatch + '_>, StorageError> {
        Ok(Box::new(self.open_batch(rounds)?))
    }

    fn check(&self) -> Result<(), StorageError> {
        self.query("SELECT 1", &[]).map(drop)
    }
}

/// A transaction on one pooled connection, in as few round trips as the
/// round's reads allow: its writes wait in `queued` and go with the next
/// read (which sees them, as they run first) or with the `COMMIT`, and the
/// user's row is read once, with its lock, and written back once, with the
/// commit. A round of a few rows is then five or six round trips instead of
/// fifteen, each one less for the user's lock to be held and for both
/// processes to wake up for. Written as plain `BEGIN` and `COMMIT` because
/// a driver's transaction borrows the connection and could not live beside
/// the pool's guard that owns it.
struct PostgresTxn<'a> {
    pooled: Pooled<'a>,
    user: UserId,
    /// Writes not sent yet, in order; `BEGIN` is the first.
    queued: Vec<Queued>,
    /// What the round said it will read, until the lock's round trip reads it.
    expected: Option<Expected>,
    /// What the lock's round trip read ahead.
    prefetched: Prefetched,
    /// The user's row as [`StorageTxn::lock_head`] read it, with this
    /// transaction's changes.
    account: Option<Account>,
    /// Whether `account` changed and must be written back.
    account_changed: bool,
    /// Whether `BEGIN` reached the database, so ending without a commit
    /// must roll back.
    began: bool,
    committed: bool,
}

/// What a round reads and writes of its user's row in `users`.
#[derive(Clone)]
struct Account {
    head: i64,
    key_check: Option<String>,
    server_id: Option<String>,
    rows_stored: i64,
    bytes_stored: i64,
}

impl Account {
    /// The user's row from the columns of [`LOCK_ACCOUNT`], starting at `first`.
    fn read(row: &Row, first: usize) -> Result<Account, StorageError> {
        Ok(Account {
            head: column(row, first)?,
            key_check: column(row, first + 1)?,
            server_id: column(row, first + 2)?,
            rows_stored: column(row, first + 3)?,
            bytes_stored: column(row, first + 4)?,
        })
    }

    /// What the account stores, for its quota.
    fn usage(&self) -> Usage {
        Usage {
            rows: count(self.rows_stored),
            bytes: count(self.bytes_stored),
        }
    }

    fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError> {
        (self.rows_stored, self.bytes_stored) = (to_sql(usage.rows)?, to_sql(usage.bytes)?);
        Ok(())
    }

    /// The user's head, the last sequence number handed out.
    fn head(&self, user: UserId) -> Result<u64, StorageError> {
        u64::try_from(self.head).map_err(|_| StorageError::database(format!("user {user} has a negative head")))
    }
}

/// A record's key: its kind and id.
type RecordKey = (String, String);
/// A dot's key: its record's kind and id, its device and its counter.
type DotKey = (String, String, String, u64);

/// [`RoundReads`], owned until the lock's round trip reads it.
struct Expected {
    device: Option<String>,
    records: Vec<RecordKey>,
    dots: Vec<DotKey>,
    cursor: u64,
    pull: usize,
}

impl From<&RoundReads<'_>> for Expected {
    fn from(reads: &RoundReads<'_>) -> Self {
        let mut records = Vec::with_capacity(reads.rows.len());
        let mut dots = Vec::new();
        for row in reads.rows {
            records.push((row.kind.clone(), row.id.clone()));
            for dot in &row.dots {
                dots.push((row.kind.clone(), row.id.clone(), dot.device.clone(), dot.counter));
            }
        }
        Expected {
            device: reads.device.map(str::to_string),
            records,
            dots,
            cursor: reads.cursor,
            pull: reads.pull,
        }
    }
}

/// What a round announced it will read, read with the user's lock in one
/// round trip instead of one round trip per read. Each read is answered
/// from here only while nothing this transaction wrote could have changed
/// the answer; otherwise it goes to the database (after the queued
/// writes) as it would have without this.
#[derive(Default)]
struct Prefetched {
    /// The device whose lineage was read, and that lineage.
    lineage: Option<(String, Option<String>)>,
    /// The stored version of each pushed record (`None`: not stored),
    /// taken out when read.
    rows: HashMap<RecordKey, Option<WireRow>>,
    /// The digest recorded for each pushed dot (`None`: not recorded).
    dots: HashMap<DotKey, Option<String>>,
    /// The records this transaction stored: their version read ahead is
    /// stale, and they left the page.
    stored: HashSet<RecordKey>,
    /// The records this transaction recorded dots of.
    dots_recorded: HashSet<RecordKey>,
    /// The first rows after the round's cursor.
    page: Option<PrefetchedPage>,
}

/// The first rows with `after < seq <= up_to`, as they were read ahead.
struct PrefetchedPage {
    after: u64,
    up_to: u64,
    /// How many were asked; fewer came when the range held fewer.
    asked: usize,
    rows: Vec<(u64, WireRow)>,
}

impl Prefetched {
    /// The first `limit` rows with `after < seq <= up_to` as they are now,
    /// when the rows read ahead tell: the records stored since are
    /// numbered above `up_to` now.
    fn page(&self, after: u64, up_to: u64, limit: usize) -> Option<Vec<(u64, WireRow)>> {
        let page = self.page.as_ref().filter(|p| (p.after, p.up_to) == (after, up_to))?;
        let complete = page.rows.len() < page.asked;
        let remaining: Vec<(u64, WireRow)> = page
            .rows
            .iter()
            .filter(|(_, row)| !self.stored.contains(&(row.kind.clone(), row.id.clone())))
            .take(limit)
            .cloned()
            .collect();
        (complete || remaining.len() == limit).then_some(remaining)
    }

    /// The stored version of a record, if it was read ahead and not stored since.
    fn row(&mut self, key: &RecordKey) -> Option<Option<WireRow>> {
        if self.stored.contains(key) {
            return None;
        }
        self.rows.remove(key)
    }

    /// The digests recorded for `row`'s dots, if all were read ahead and
    /// none of the record's were recorded since.
    fn recorded_dots(&self, row: &WireRow) -> Option<Vec<Option<String>>> {
        if self.dots_recorded.contains(&(row.kind.clone(), row.id.clone())) {
            return None;
        }
        row.dots
            .iter()
            .map(|dot| {
                let key = (row.kind.clone(), row.id.clone(), dot.device.clone(), dot.counter);
                self.dots.get(&key).cloned()
            })
            .collect()
    }
}

impl Drop for PostgresTxn<'_> {
    /// Rolls back a transaction that was not committed, also while a panic
    /// unwinds (writes still queued are never sent). A connection that
    /// cannot even roll back is closed instead of going back to the pool;
    /// closing it makes PostgreSQL roll back.
    fn drop(&mut self) {
        if self.began && !self.committed && self.pooled.get().batch("ROLLBACK").is_err() {
            self.pooled.discard();
        }
    }
}

impl PostgresTxn<'_> {
    /// Runs `sql` after the queued writes, in one round trip, and returns
    /// its rows.
    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StorageError> {
        self.read(Read::cached(sql, params))
    }

    /// Runs `read` after the queued writes, in one round trip.
    fn read(&mut self, read: Read<'_>) -> Result<Vec<Row>, StorageError> {
        Ok(self.reads(&[read])?.pop().unwrap_or_default())
    }

    /// Runs `reads` after the queued writes, in one round trip; returns the
    /// rows of each.
    fn reads(&mut self, reads: &[Read<'_>]) -> Result<Vec<Vec<Row>>, StorageError> {
        let queued = std::mem::take(&mut self.queued);
        self.began = true;
        self.pooled.get().pipeline(&queued, reads)
    }

    /// Sends `sql` with the next read or the commit.
    fn queue(&mut self, sql: &'static str, params: Vec<Box<dyn ToSql + Send + Sync>>) {
        self.queued.push(Queued::new(sql, params));
    }

    /// Locks the user's row and reads, in the same round trip, everything
    /// `expected` names (see [`Prefetched`]); returns the user's row. Each
    /// statement after the lock starts once the lock is held, so it sees
    /// every round of this user committed before this one.
    fn lock_and_read_ahead(&mut self, expected: &Expected) -> Result<Vec<Row>, StorageError> {
        let user = self.user;
        let device = expected.device.as_deref().unwrap_or_default();
        let (kinds, ids): (Vec<&str>, Vec<&str>) =
            expected.records.iter().map(|(k, i)| (k.as_str(), i.as_str())).unzip();
        let mut dot_columns: (Vec<&str>, Vec<&str>, Vec<&str>, Vec<i64>) = Default::default();
        for (kind, id, dot_device, counter) in &expected.dots {
            dot_columns.0.push(kind);
            dot_columns.1.push(id);
            dot_columns.2.push(dot_device);
            dot_columns.3.extend(i64::try_from(*counter).ok());
        }
        // Numbers beyond SQL's range are left to the reads that report them.
        let read_dots = !expected.dots.is_empty() && dot_columns.3.len() == expected.dots.len();
        let cursor = i64::try_from(expected.cursor).ok();
        // Rows this round stores again leave the page: read a few more than
        // it shows, so that usually the page read here still fills it.
        let page_asked = expected.pull + expected.records.len().min(PAGE_SLACK);
        let page_limit = i64::try_from(page_asked).unwrap_or(i64::MAX);
        let lock_params: [&(dyn ToSql + Sync); 1] = [&user];
        let page_params: [&(dyn ToSql + Sync); 3] = [&user, &cursor, &page_limit];
        let lineage_params: [&(dyn ToSql + Sync); 2] = [&user, &device];
        let rows_params: [&(dyn ToSql + Sync); 3] = [&user, &kinds, &ids];
        let dots_params: [&(dyn ToSql + Sync); 5] =
            [&user, &dot_columns.0, &dot_columns.1, &dot_columns.2, &dot_columns.3];
        let page_sql = format!(
            "SELECT {ROW_COLUMNS} FROM rows WHERE user_id = $1 AND seq > $2 \
             AND seq <= (SELECT last_seq FROM users WHERE id = $1) ORDER BY seq LIMIT $3"
        );
        let records_sql = format!(
            "SELECT {ROW_COLUMNS} FROM rows JOIN unnest($2::text[], $3::text[]) AS pushed (pushed_kind, pushed_id) \
             ON kind = pushed_kind AND id = pushed_id WHERE user_id = $1"
        );
        let mut reads = vec![Read::cached(LOCK_ACCOUNT, &lock_params)];
        if cursor.is_some() {
            reads.push(Read::cached(&page_sql, &page_params));
        }
        if expected.device.is_some() {
            reads.push(Read::cached(LINEAGE, &lineage_params));
        }
        if !kinds.is_empty() {
            // Planned for the table as it is now: see PLANNED_ONCE.
            reads.push(Read {
                sql: &records_sql,
                params: &rows_params,
                planned_each_time: Some(&[Type::INT8, Type::TEXT_ARRAY, Type::TEXT_ARRAY]),
            });
        }
        if read_dots {
            reads.push(Read::cached(PUSHED_DOTS, &dots_params));
        }
        let mut answers = self.reads(&reads)?.into_iter();
        let mut next = || answers.next().unwrap_or_default();
        let account = next();
        let Some(head) = first_column::<i64>(&account)? else {
            return Ok(account);
        };
        let mut prefetched = Prefetched::default();
        if cursor.is_some() {
            prefetched.page = Some(PrefetchedPage {
                after: expected.cursor,
                up_to: u64::try_from(head).unwrap_or(0),
                asked: page_asked,
                rows: next()
                    .iter()
                    .map(|row| stored_row(row)?.decode())
                    .collect::<Result<_, _>>()?,
            });
        }
        if let Some(device) = &expected.device {
            prefetched.lineage = Some((device.clone(), first_column(&next())?));
        }
        if !kinds.is_empty() {
            prefetched.rows = expected.records.iter().map(|record| (record.clone(), None)).collect();
            for found in next() {
                let (_, row) = stored_row(&found)?.decode()?;
                prefetched.rows.insert((row.kind.clone(), row.id.clone()), Some(row));
            }
        }
        if read_dots {
            prefetched.dots = expected.dots.iter().map(|dot| (dot.clone(), None)).collect();
            for found in next() {
                let counter = count(column(&found, 3)?);
                let key = (column(&found, 0)?, column(&found, 1)?, column(&found, 2)?, counter);
                prefetched.dots.insert(key, column(&found, 4)?);
            }
        }
        self.prefetched = prefetched;
        Ok(account)
    }
}

impl HeldAccount for PostgresTxn<'_> {
    fn user(&self) -> UserId {
        self.user
    }

    /// Read (and locked until the transaction ends) the first time, with
    /// the `BEGIN` in the same round trip.
    fn account(&mut self) -> Result<&mut Account, StorageError> {
        if self.account.is_none() {
            let user = self.user;
            let found = match self.expected.take() {
                Some(expected) => self.lock_and_read_ahead(&expected)?,
                None => self.query(LOCK_ACCOUNT, &[&user])?,
            };
            let row = found.first().ok_or(StorageError::NoAccount(user))?;
            self.account = Some(Account::read(row, 0)?);
        }
        Ok(self.account.as_mut().expect("read above"))
    }

    fn mark_account_changed(&mut self) {
        self.account_changed = true;
    }
}

impl StorageTxn for PostgresTxn<'_> {
    account_methods!();

    fn expect(&mut self, reads: &RoundReads<'_>) {
        self.expected = Some(Expected::from(reads));
    }

    fn replace_key_check(&mut self, key_check: &str, keep_dots: bool) -> Result<(), StorageError> {
        let user = self.user;
        self.change_account(|account| account.key_check = Some(key_check.to_string()))?;
        // Every digest read ahead is stale now.
        self.prefetched = Prefetched::default();
        if !keep_dots {
            self.queue("DELETE FROM dots WHERE user_id = $1", vec![Box::new(user)]);
        }
        self.queue("UPDATE rows SET digest = NULL WHERE user_id = $1", vec![Box::new(user)]);
        Ok(())
    }

    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        if let Some((read, lineage)) = &self.prefetched.lineage
            && read == device
        {
            return Ok(lineage.clone());
        }
        let user = self.user;
        let found = self.query(LINEAGE, &[&user, &device])?;
        first_column(&found)
    }

    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.prefetched.lineage = None;
        let user = self.user;
        self.queue(
            "INSERT INTO devices (user_id, device_id, lineage) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, device_id) DO UPDATE SET lineage = excluded.lineage",
            vec![
                Box::new(user),
                Box::new(device.to_string()),
                Box::new(token.to_string()),
            ],
        );
        Ok(())
    }

    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError> {
        let user = self.user;
        let pending = report.pending.map(to_sql).transpose()?;
        self.queue(
            "UPDATE devices SET name = coalesce($1, name), last_sync = $2, pending = $3 \
             WHERE user_id = $4 AND device_id = $5",
            vec![
                Box::new(report.name.map(str::to_string)),
                Box::new(report.at),
                Box::new(pending),
                Box::new(user),
                Box::new(device.to_string()),
            ],
        );
        Ok(())
    }

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError> {
        if let Some(read_ahead) = self.prefetched.row(&(kind.to_string(), id.to_string())) {
            return Ok(read_ahead);
        }
        let user = self.user;
        let sql = format!("SELECT {ROW_COLUMNS} FROM rows WHERE user_id = $1 AND kind = $2 AND id = $3");
        // Planned for the table as it is now: see PLANNED_ONCE.
        let found = self.read(Read {
            sql: &sql,
            params: &[&user, &kind, &id],
            planned_each_time: Some(&[Type::INT8, Type::TEXT, Type::TEXT]),
        })?;
        found
            .first()
            .map(|row| stored_row(row)?.decode().map(|(_, row)| row))
            .transpose()
    }

    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError> {
        if let Some(read_ahead) = self.prefetched.recorded_dots(row) {
            return Ok(read_ahead);
        }
        let user = self.user;
        row.dots
            .iter()
            .map(|dot| {
                let found = self.query(
                    "SELECT digest FROM dots WHERE user_id = $1 AND kind = $2 AND id = $3 AND device = $4 \
                     AND counter = $5",
                    &[&user, &row.kind, &row.id, &dot.device, &to_sql(dot.counter)?],
                )?;
                first_column(&found)
            })
            .collect()
    }

    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError> {
        self.prefetched.dots_recorded.insert((row.kind.clone(), row.id.clone()));
        let user = self.user;
        for dot in &row.dots {
            let counter = to_sql(dot.counter)?;
            self.queue(
                "INSERT INTO dots (user_id, kind, id, device, counter, digest) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT DO NOTHING",
                vec![
                    Box::new(user),
                    Box::new(row.kind.clone()),
                    Box::new(row.id.clone()),
                    Box::new(dot.device.clone()),
                    Box::new(counter),
                    Box::new(dot.digest.clone()),
                ],
            );
        }
        Ok(())
    }

    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError> {
        self.prefetched.stored.insert((row.kind.clone(), row.id.clone()));
        let user = self.user;
        let seq = to_sql(seq)?;
        self.queue(
            "INSERT INTO rows (user_id, kind, id, seq, clock, deleted, body, device, updated_at, origin, digest) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10) \
             ON CONFLICT (user_id, kind, id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock, \
             deleted = excluded.deleted, body = excluded.body, device = excluded.device, \
             origin = excluded.origin, updated_at = excluded.updated_at, digest = excluded.digest",
            vec![
                Box::new(user),
                Box::new(row.kind.clone()),
                Box::new(row.id.clone()),
                Box::new(seq),
                Box::new(row.clock.to_json()),
                Box::new(row.deleted),
                Box::new(row.body.get().to_string()),
                Box::new(device.to_string()),
                Box::new(origin_text(row.origin.as_ref())),
                Box::new(row.digest.clone()),
            ],
        );
        Ok(())
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError> {
        if let Some(read_ahead) = self.prefetched.page(after, up_to, limit) {
            return Ok(read_ahead);
        }
        let user = self.user;
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM rows WHERE user_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let found = self.query(&sql, &[&user, &to_sql(after)?, &to_sql(up_to)?, &limit])?;
        found.iter().map(|row| stored_row(row)?.decode()).collect()
    }

    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        if let Some(account) = self.account.take().filter(|_| self.account_changed) {
            let user = self.user;
            self.queue(
                "UPDATE users SET last_seq = $1, key_check = $2, server_id = $3, rows_stored = $4, \
                 bytes_stored = $5 WHERE id = $6",
                vec![
                    Box::new(account.head),
                    Box::new(account.key_check),
                    Box::new(account.server_id),
                    Box::new(account.rows_stored),
                    Box::new(account.bytes_stored),
                    Box::new(user),
                ],
            );
        }
        self.query("COMMIT", &[])?;
        self.committed = true;
        Ok(())
    }
}

/// The one reader of `rows`, for the [`ROW_COLUMNS`] of a `SELECT`.
fn stored_row(row: &Row) -> Result<StoredRow, StorageError> {
    let read = || {
        Ok(StoredRow {
            seq: row.try_get(0)?,
            kind: row.try_get(1)?,
            id: row.try_get(2)?,
            clock: row.try_get(3)?,
            deleted: row.try_get(4)?,
            body: row.try_get(5)?,
            origin: row.try_get(6)?,
            digest: row.try_get(7)?,
        })
    };
    read().map_err(|e: tokio_postgres::Error| StorageError::database(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::storage_tests::{self, storage_tests};
    use crate::server::test_cluster::{self, Cluster};
    use crate::server::{batch, round};
    use crate::sync::server_rules::Quota;
    use crate::sync::server_rules::tests::{request, row};
    use crate::sync::wire::{Dot, Lineage, RowStatus};
    use serde_json::json;
    use std::sync::mpsc;

    fn open() -> (String, PostgresStorage) {
        let url = test_cluster::shared().database();
        let storage = PostgresStorage::connect(&url, None).unwrap();
        (url, storage)
    }

    storage_tests!(open());

    #[test]
    fn database_connections_bound_the_calls_and_the_idle_pool() {
        let url = test_cluster::shared().database();
        let storage = PostgresStorage::connect_with(&url, None, 2).unwrap();
        assert_eq!(storage.concurrency(), 2);
        let lent: Vec<_> = (0..10).map(|_| storage.connection().unwrap()).collect();
        drop(lent);
        let idle = storage.idle.lock().unwrap().len();
        assert_eq!(idle, 2 + SPARE_CONNECTIONS, "the rest were closed");
        assert_eq!(open().1.concurrency(), DEFAULT_CONCURRENCY);
    }

    #[test]
    fn reconnecting_keeps_data_and_a_newer_schema_is_refused() {
        let (url, storage) = open();
        storage.create_user("alice", "h", None).unwrap();
        drop(storage);
        let again = PostgresStorage::connect(&url, None).unwrap();
        assert!(again.password_hash("alice").unwrap().is_some());
        again.query("UPDATE pump_schema SET version = 99", &[]).unwrap();
        let err = PostgresStorage::connect(&url, None).err().unwrap();
        assert!(err.contains("schema version 99, newer than this pump knows"), "{err}");
    }

    #[test]
    fn processes_starting_together_migrate_once() {
        let url = test_cluster::shared().database();
        let started: Vec<PostgresStorage> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| PostgresStorage::connect(&url, None)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
        });
        let versions = started[0].query("SELECT version FROM pump_schema", &[]).unwrap();
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].get::<_, i32>(0), MIGRATIONS.len() as i32);
    }

    #[test]
    fn a_database_from_before_server_ids_gets_one_at_its_next_round() {
        let url = test_cluster::shared().database();
        {
            // Schema version 1, as the server without identities left it.
            let mut connection = Connection::open(&url.parse().unwrap()).unwrap();
            connection.batch(MIGRATIONS[0]).unwrap();
            connection
                .batch(
                    "CREATE TABLE pump_schema (version INTEGER NOT NULL);
                     INSERT INTO pump_schema (version) VALUES (1);
                     INSERT INTO users (name, password_hash) VALUES ('old', 'h');",
                )
                .unwrap();
        }
        let s = PostgresStorage::connect(&url, None).unwrap();
        let versions = s.query("SELECT version FROM pump_schema", &[]).unwrap();
        assert_eq!(versions[0].get::<_, i32>(0), MIGRATIONS.len() as i32);
        let (user, _) = s.password_hash("old").unwrap().unwrap();
        assert_eq!(
            s.key_check(user.id).unwrap(),
            None,
            "an account from before keys has none"
        );
        let round = || {
            round::run(&s, user.id, &request(0, vec![]), Quota::UNLIMITED)
                .unwrap()
                .server_id
        };
        let first = round();
        assert!(first.is_some());
        assert_eq!(round(), first, "made once, then kept");
    }

    #[test]
    fn a_round_waits_for_another_process_round_of_the_same_user_only() {
        let (url, first) = open();
        // Another server process: its own pool on the same database.
        let second = PostgresStorage::connect(&url, None).unwrap();
        let alice = first.create_user("alice", "h", None).unwrap().id;
        let bob = first.create_user("bob", "h", None).unwrap().id;
        let mut open_round = first.begin(alice).unwrap();
        assert_eq!(open_round.lock_head().unwrap(), 0);
        open_round
            .put_row(1, &row("w1", &[("phone", 1)], json!({})), "phone")
            .unwrap();
        open_round.set_head(1).unwrap();
        // Bob's round does not wait for Alice's.
        assert_eq!(
            round::run(&second, bob, &request(0, vec![]), Quota::UNLIMITED)
                .unwrap()
                .cursor,
            0
        );
        let (pulled, answer) = mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // A pull of Alice's through the other process, while her
                // first round has numbered w1 but not committed it.
                pulled
                    .send(round::run(&second, alice, &request(0, vec![]), Quota::UNLIMITED))
                    .unwrap();
            });
            let waited = answer.recv_timeout(Duration::from_millis(500));
            assert!(waited.is_err(), "the pull did not wait for the open round: {waited:?}");
            open_round.commit().unwrap();
            let pulled = answer.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
            assert_eq!(
                (pulled.changes.len(), pulled.cursor),
                (1, 1),
                "the pull saw w1 once it was committed"
            );
        });
    }

    #[test]
    fn statements_planned_once_use_an_index_on_tiny_tables() {
        let (_url, s) = open();
        let user = s.create_user("alice", "h", None).unwrap();
        let session = SessionInfo {
            token: [7; 32],
            device: Some("phone".into()),
            created_at: Utc::now(),
            last_used: Utc::now(),
        };
        s.create_session(user.id, &session).unwrap();
        s.session(&session.token).unwrap().unwrap();
        s.touch_session(&session.token, Utc::now()).unwrap();
        // Two rounds: new rows and their dots, then an edit of one, which
        // reads the dots recorded for it.
        let mut edited = row("w1", &[("phone", 2)], json!({"n": 2}));
        edited.dots = vec![Dot {
            device: "phone".into(),
            counter: 2,
            digest: "d2".into(),
        }];
        let mut first = row("w1", &[("phone", 1)], json!({"n": 1}));
        first.dots = vec![Dot {
            device: "phone".into(),
            counter: 1,
            digest: "d1".into(),
        }];
        for (cursor, next, rows) in [
            (0, "l1", vec![first, row("w2", &[("phone", 1)], json!({}))]),
            (2, "l2", vec![edited]),
        ] {
            let mut asked = request(cursor, rows);
            asked.lineage = Some(Lineage {
                confirmed: (cursor > 0).then(|| "l1".to_string()),
                unconfirmed: Vec::new(),
                next: next.into(),
            });
            let answer = round::run(&s, user.id, &asked, Quota::UNLIMITED).unwrap();
            assert!(
                answer.results.iter().all(|r| r.status == RowStatus::Accepted),
                "{answer:?}"
            );
        }
        // The same rounds' statements in a batch, with another user's.
        let bob = s.create_user("bob", "h", None).unwrap().id;
        let rounds: Vec<batch::Round> = [(user.id, "l2", "l3"), (bob, "m1", "m2")]
            .into_iter()
            .map(|(id, confirmed, next)| {
                let mut pushed = row("w3", &[("phone", 1)], json!({}));
                pushed.dots = vec![Dot {
                    device: "phone".into(),
                    counter: 1,
                    digest: "d3".into(),
                }];
                let mut asked = request(0, vec![pushed]);
                asked.lineage = Some(Lineage {
                    confirmed: (id == user.id).then(|| confirmed.to_string()),
                    unconfirmed: Vec::new(),
                    next: next.into(),
                });
                let mut session = [0xc0; 32];
                session[..8].copy_from_slice(&id.to_le_bytes());
                let info = SessionInfo {
                    token: session,
                    device: None,
                    created_at: Utc::now(),
                    last_used: Utc::now(),
                };
                s.create_session(id, &info).unwrap();
                batch::Round {
                    user: id,
                    session,
                    request: asked,
                    admission: round::Admission {
                        quota: Quota::UNLIMITED,
                        allow_plaintext: true,
                    },
                }
            })
            .collect();
        for answer in batch::run_together(&s, &rounds.iter().collect::<Vec<_>>()) {
            assert_eq!(answer.unwrap().results[0].status, RowStatus::Accepted);
        }
        let mut idle = s.idle.lock().unwrap();
        assert_eq!(idle.len(), 1, "every call above used the same connection");
        let connection = idle.first_mut().unwrap();
        let statements: Vec<(String, usize)> = connection
            .statements
            .iter()
            .map(|(sql, statement)| (sql.clone(), statement.params().len()))
            // The migrations' own, on a one-row table, run once a start.
            .filter(|(sql, _)| !sql.contains("pump_schema") && !sql.contains("pg_advisory"))
            .filter(|(sql, _)| !matches!(sql.as_str(), "BEGIN" | "COMMIT"))
            .collect();
        // Statistics that say how small the tables are: where a scan of
        // every row is allowed, it is the cheapest plan now.
        connection.batch("ANALYZE").unwrap();
        assert!(statements.iter().any(|(sql, _)| sql.contains("FOR UPDATE")));
        // The round's reads went with its lock: the dots it read among them.
        assert!(statements.iter().any(|(sql, _)| sql == PUSHED_DOTS));
        assert!(
            statements
                .iter()
                .any(|(sql, _)| sql.contains("JOIN sessions") && sql.ends_with("FOR UPDATE OF users"))
        );
        assert!(
            statements
                .iter()
                .any(|(sql, _)| sql.starts_with("INSERT INTO rows") && sql.contains("unnest"))
        );
        for (number, (sql, params)) in statements.iter().enumerate() {
            let nulls = vec!["NULL"; *params].join(", ");
            connection.batch(&format!("PREPARE planned_{number} AS {sql}")).unwrap();
            let explained = connection
                .runtime
                .block_on(
                    connection
                        .client
                        .simple_query(&format!("EXPLAIN EXECUTE planned_{number}({nulls})")),
                )
                .unwrap();
            let plan: Vec<&str> = explained
                .iter()
                .filter_map(|message| match message {
                    tokio_postgres::SimpleQueryMessage::Row(line) => line.get(0),
                    _ => None,
                })
                .collect();
            assert!(
                !plan.iter().any(|line| line.contains("Seq Scan")),
                "{sql}\n{}",
                plan.join("\n")
            );
        }
    }

    #[test]
    fn a_damaged_row_is_reported_not_guessed_around() {
        let (_url, s) = open();
        storage_tests::a_damaged_clock_is_reported(&s, || {
            s.query("UPDATE rows SET clock = 'not json'", &[]).unwrap();
        });
    }

    #[test]
    fn a_stopped_database_is_unavailable_then_recovers_by_itself() {
        let cluster = Cluster::start();
        let s = PostgresStorage::connect(&cluster.database(), None).unwrap();
        let u = s.create_user("u", "h", None).unwrap().id;
        round::run(
            &s,
            u,
            &request(0, vec![row("w1", &[("a", 1)], json!({}))]),
            Quota::UNLIMITED,
        )
        .unwrap();
        cluster.stop();
        let started = std::time::Instant::now();
        for _ in 0..3 {
            let failed = round::run(
                &s,
                u,
                &request(1, vec![row("w2", &[("a", 1)], json!({}))]),
                Quota::UNLIMITED,
            );
            assert!(matches!(failed, Err(StorageError::Unavailable(_))), "{failed:?}");
            assert!(matches!(s.check(), Err(StorageError::Unavailable(_))));
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        cluster.resume();
        let answer = round::run(
            &s,
            u,
            &request(1, vec![row("w2", &[("a", 1)], json!({}))]),
            Quota::UNLIMITED,
        )
        .unwrap();
        assert_eq!(answer.cursor, 2, "nothing of the failed rounds was stored");
        s.check().unwrap();
    }

    #[test]
    fn messages_never_repeat_the_password() {
        let url = format!("postgres://pump:s3cret-pass@127.0.0.1:{}/pump", unused_port());
        let err = PostgresStorage::connect(&url, None).err().unwrap();
        assert!(!err.contains("s3cret-pass"), "{err}");
        assert!(err.contains("postgres://pump@127.0.0.1:"), "{err}");
        let err = PostgresStorage::connect("postgres://pump@127.0.0.1:notaport/x", Some("s3cret-pass"))
            .err()
            .unwrap();
        assert!(err.starts_with("the database URL is not valid"), "{err}");
    }

    fn unused_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }
}
