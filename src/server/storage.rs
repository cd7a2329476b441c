//! The storage contract: what a backend must keep, and the small
//! transactional primitives the sync round (`server::round`) is written
//! over. What to do with each pushed row and where the next pull starts are
//! not a backend's business: they are decided once, in `sync::server_rules`,
//! and the round that applies them is written once, so a new backend only
//! implements reads and writes of its own tables.

use super::writer_thread::WriterQueue;
pub use crate::sync::server_rules::Usage;
use crate::sync::wire::WireRow;
use chrono::{DateTime, Utc};

/// A user's key in storage. Every row, session and sequence number belongs to one.
pub type UserId = i64;

/// An account, as seen by the HTTP layer once a token or a password checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The key of everything the account owns.
    pub id: UserId,
    /// The name it logs in with, as it was registered.
    pub name: String,
}

/// SHA-256 of a session token: what storage keeps instead of the token, so a
/// leaked database does not leak working sessions.
pub type TokenHash = [u8; 32];

/// One session as storage keeps it. Whether it is still valid (idle and
/// absolute expiry) is the HTTP layer's decision, from these facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The hash of its token.
    pub token: TokenHash,
    /// The device id it syncs as; `None` until the first sync of a session
    /// whose login named no device (an older pump).
    pub device: Option<String>,
    /// When the login that started it happened: a session that follows a
    /// device to a new id keeps its predecessor's, so its absolute expiry
    /// cannot be pushed back.
    pub created_at: DateTime<Utc>,
    /// When it was last used (updated at most every few minutes, see
    /// `server::http`).
    pub last_used: DateTime<Utc>,
}

/// An account with what it holds, for `pump server users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// The account.
    pub user: User,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Rows and bytes it stores (what its quota counts).
    pub usage: Usage,
    /// Its sessions, expired ones included until they are next presented.
    pub sessions: u64,
    /// The device ids that ever synced to it.
    pub devices: u64,
}

/// One device of an account, as storage knows it from its syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    /// The device id.
    pub id: String,
    /// The name it sent with its last sync, if any.
    pub name: Option<String>,
    /// When its last sync round ran.
    pub last_sync: Option<DateTime<Utc>>,
    /// What it reported pending at its last sync.
    pub pending: Option<u64>,
    /// The stored rows whose current version it sent.
    pub rows: u64,
}

/// What a device says about itself in a sync round, kept for `pump devices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceReport<'a> {
    /// Its name for people.
    pub name: Option<&'a str>,
    /// Its rows still waiting to be pushed.
    pub pending: Option<u64>,
    /// When the round ran.
    pub at: DateTime<Utc>,
}

/// What a sync round is about to read, known before it takes the user's
/// lock: a backend whose every read is a round trip to a database server
/// (PostgreSQL) fetches it all at once, with the lock.
#[derive(Debug, Clone, Copy)]
pub struct RoundReads<'a> {
    /// The device whose lineage the round reads, if it presented one.
    pub device: Option<&'a str>,
    /// The pushed rows, whose stored versions and recorded dots it reads.
    pub rows: &'a [WireRow],
    /// Where its pull starts when the user's head is not below it.
    pub cursor: u64,
    /// How many rows its pull reads at most.
    pub pull: usize,
}

/// One round of a batch, before it runs (see [`Storage::begin_batch`]).
#[derive(Debug, Clone, Copy)]
pub struct BatchRound<'a> {
    /// The user it syncs.
    pub user: UserId,
    /// The session its request came with, checked with the user's lock:
    /// the server may have taken it from its own memory, and a session
    /// revoked in another process meanwhile must fail the round.
    pub session: &'a TokenHash,
    /// What it will read.
    pub reads: RoundReads<'a>,
}

/// Why a storage call failed. The HTTP layer branches on the variant: the
/// first three are answers to the client (409, 403), `Unavailable` asks it
/// to come back later (503), the rest are the server's own trouble (500);
/// all are logged with their sources, which are never shown to the client.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// `create_user` with a name that is taken (names compare case-insensitively).
    #[error("this user name is already taken")]
    UserExists,
    /// A round would take the account past its quota (see
    /// `server_rules::check_quota`). Nothing of the round was stored.
    #[error("the account is over its quota: {0}")]
    OverQuota(String),
    /// Plaintext rows where only sealed ones belong (see
    /// `server_rules::check_form`). Nothing of the round was stored.
    #[error("{0}")]
    FormRefused(#[from] crate::sync::server_rules::FormRefusal),
    /// A key change refused: another device changed the account's key.
    #[error("another device changed this account's key: `pump login` again with the key `pump key` shows there")]
    OtherKey,
    /// A key change asked before the device pulled every row: it pulls, then asks again.
    #[error("rows arrived since this device last pulled: sync, then try again")]
    KeyChangeBehind,
    /// A sync whose lineage is neither the confirmed one nor a retry: another
    /// database has synced under this device id since (a copied file).
    /// `already_stored` lists the pushed rows (by position) the server holds
    /// with exactly that clock and content: history the copies share.
    #[error("another database has synced under this device id")]
    DeviceForked {
        /// Positions, in the refused request, of the rows stored already.
        already_stored: Vec<usize>,
    },
    /// A session (or a round) names a user that has no account: the account
    /// went away underneath it.
    #[error("user {0} has a session but no account")]
    NoAccount(UserId),
    /// A batched round's session ended (revoked, expired, its device or
    /// account removed) before the round took its user's lock. Nothing of
    /// the round was stored.
    #[error("the session has expired or was revoked")]
    SessionEnded,
    /// A request panicked while holding the database. Its transaction rolled
    /// back, so only this call fails; the next ones work again.
    #[error("a previous request crashed while using the database")]
    Crashed,
    /// A stored value no longer reads back: database damage, reported rather
    /// than guessed around.
    #[error("stored row {kind}/{id} has an unreadable {what}")]
    Unreadable {
        /// The record kind of the damaged row.
        kind: String,
        /// The record id of the damaged row.
        id: String,
        /// Which part of it: "clock", "body", "sequence number".
        what: &'static str,
        /// What the parser said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database server cannot be reached, or did not answer in time:
    /// down, restarting, failing over, or out of connections. Nothing was
    /// written; the same request will work once it is back.
    #[error("the database is unreachable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// More rounds are queued for the database than it can get through in
    /// time. Nothing was written; the same request will work in a moment.
    #[error("too many sync rounds are queued for the database")]
    Busy,
    /// The database itself failed: a broken file, a full disk, a lock held
    /// too long.
    #[error("database error")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    /// Wraps a backend's own error (or a message) as [`StorageError::Database`].
    pub fn database(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StorageError::Database(error.into())
    }

    /// Wraps why the database could not be reached as [`StorageError::Unavailable`].
    pub fn unavailable(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StorageError::Unavailable(error.into())
    }
}

/// An error and its sources on one line, for logs and start-up messages:
/// "database error: disk I/O error".
pub fn with_causes(error: &dyn std::error::Error) -> String {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// Where accounts, sessions and rows live. Object-safe so the server holds an
/// `Arc<dyn Storage>` and a new backend needs no change to HTTP or sync code.
/// Methods block: the HTTP layer calls them from `spawn_blocking`.
pub trait Storage: Send + Sync {
    /// Stores a new account with an already computed password hash and, for
    /// an encrypted account, its key check (opaque to the server).
    fn create_user(&self, name: &str, password_hash: &str, key_check: Option<&str>) -> Result<User, StorageError>;
    /// The account key's check `user` was created with, if any: what a
    /// login hands the device to try its key on.
    fn key_check(&self, user: UserId) -> Result<Option<String>, StorageError>;
    /// The account and its password hash, for checking a login. Names
    /// compare case-insensitively.
    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError>;
    /// Replaces an account's password hash (`pump password`, `pump server passwd`).
    fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<(), StorageError>;
    /// Every account with what it holds, by name.
    fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError>;
    /// Deletes an account and everything it owns: sessions, devices, rows,
    /// dots. Returns whether there was such an account.
    fn delete_user(&self, user: UserId) -> Result<bool, StorageError>;
    /// Keeps a new session of `user`.
    fn create_session(&self, user: UserId, session: &SessionInfo) -> Result<(), StorageError>;
    /// The session a token's hash belongs to, with its account, if it exists.
    fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError>;
    /// Every session of `user`, oldest first.
    fn sessions(&self, user: UserId) -> Result<Vec<SessionInfo>, StorageError>;
    /// Records that a session was used at `at`.
    fn touch_session(&self, token: &TokenHash, at: DateTime<Utc>) -> Result<(), StorageError>;
    /// Binds a session that has no device yet to `device`. Returns false
    /// when the session is gone or was bound meanwhile (read it again).
    fn bind_session(&self, token: &TokenHash, device: &str) -> Result<bool, StorageError>;
    /// Ends a session. Returns whether a session was removed.
    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError>;
    /// Ends every session of `user` but `except`. Returns how many ended.
    fn revoke_sessions(&self, user: UserId, except: Option<&TokenHash>) -> Result<u64, StorageError>;
    /// Every device that ever synced to `user`'s account, by device id.
    fn devices(&self, user: UserId) -> Result<Vec<DeviceRecord>, StorageError>;
    /// Opens a transaction over `user`'s sync data. Nothing it writes is
    /// seen by anyone else until [`StorageTxn::commit`]; dropping it without
    /// a commit rolls every write back, so a round that fails half-way
    /// leaves nothing behind.
    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError>;
    /// How many calls this backend serves well at once; the server queues
    /// the rest instead of parking a thread on each. The default suits
    /// SQLite: its readers for token lookups, plus its one writer.
    fn concurrency(&self) -> usize {
        4
    }
    /// Whether the database answers, for `GET /health`. A database that
    /// lives inside this process (a file, memory) answers while the process
    /// does; a database server may be down while this process is up.
    fn check(&self) -> Result<(), StorageError> {
        Ok(())
    }
    /// The queue of this backend's own writer thread, if it has one: the
    /// HTTP layer hands sync rounds to it instead of the blocking pool.
    fn writer_queue(&self) -> Option<&WriterQueue> {
        None
    }
    /// How many sync rounds of distinct users this backend runs in one
    /// transaction (see `server::batch`); 1: each round alone, in its own.
    fn batch_size(&self) -> usize {
        1
    }
    /// Opens one transaction for the rounds of `rounds`, each of a distinct
    /// user and told what it will read, and locks and reads it all at once.
    /// A round whose session ended before its user was locked fails with
    /// [`StorageError::SessionEnded`]. Only asked of a backend whose
    /// [`Storage::batch_size`] is above 1.
    fn begin_batch(&self, _rounds: &[BatchRound<'_>]) -> Result<Box<dyn StorageBatch + '_>, StorageError> {
        Err(StorageError::database("this backend runs each sync round alone"))
    }
}

/// Rounds of distinct users in ONE transaction (see `server::batch`): their
/// locks taken and their reads made at once, their writes sent at once and
/// committed together, so the database runs a few statements per batch
/// rather than per round.
pub trait StorageBatch {
    /// The transaction of the round at `index` in the batch, asked once per
    /// round. Its writes join the batch's when it commits; dropped without
    /// a commit, they are forgotten, as a round alone rolls back.
    fn round(&mut self, index: usize) -> Box<dyn StorageTxn + '_>;
    /// Whether the round at `index` asked for a read that was not made
    /// ahead with the batch's locks: its answer is void (it wrote nothing)
    /// and it runs again, alone, after the batch.
    fn read_past_batch(&self, index: usize) -> bool;
    /// Makes the writes of every round that committed durable and visible, at once.
    fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

/// One user's sync data inside one transaction: the primitives a sync round
/// needs and nothing more, each a single read or write, so every backend
/// implements them the same obvious way and the round itself
/// (`server::round`) exists once.
///
/// Sequence numbers: every stored row carries one, unique per user, and the
/// user's *head* is the last one handed out. Rows are pulled by sequence
/// number, so a row stored again moves to the end of the order.
pub trait StorageTxn {
    /// Told, before [`StorageTxn::lock_head`], what this round will read.
    /// Only a hint: every read must answer exactly as if it had not been
    /// given. A backend that reads cheaply ignores it.
    fn expect(&mut self, _reads: &RoundReads<'_>) {}
    /// Serializes this user's rounds until the transaction ends and returns
    /// the user's head. Every round calls it first: two rounds of one user
    /// must never interleave, even from two server processes sharing one
    /// database, or they would hand out one sequence number twice. A backend
    /// that already serializes all writers (SQLite's single writer, the
    /// in-memory mutex) only reads the head; PostgreSQL locks the user's row
    /// (`SELECT last_seq … FOR UPDATE`). Fails with
    /// [`StorageError::NoAccount`] for an unknown user.
    fn lock_head(&mut self) -> Result<u64, StorageError>;
    /// The account's key check (none for a plaintext account), read under
    /// the lock `lock_head` took, so no round sees it change halfway.
    fn key_check(&mut self) -> Result<Option<String>, StorageError>;
    /// Gives the account the key check `key_check` and forgets every stored
    /// row's digest, the mark of a row not yet sealed again under the new
    /// key (see `decide`). The recorded dots go too unless `keep_dots` (a
    /// rotation, whose check hands the digest key on; a first key's
    /// digests were unkeyed and would never match).
    fn replace_key_check(&mut self, key_check: &str, keep_dots: bool) -> Result<(), StorageError>;
    /// Moves the user's head to `head`, the last sequence number this round
    /// gave a row.
    fn set_head(&mut self, head: u64) -> Result<(), StorageError>;
    /// The lineage token last kept for `device` (see `wire::Lineage`).
    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError>;
    /// Keeps `token` as `device`'s lineage, replacing the previous one.
    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError>;
    /// Keeps what `device` said about itself in this round. The device's
    /// lineage is kept already (a round without one stores no device).
    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError>;
    /// The user's usage, as last set by [`StorageTxn::set_usage`].
    fn usage(&mut self) -> Result<Usage, StorageError>;
    /// Keeps the user's usage after this round's stores.
    fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError>;
    /// The stored version of a record, without dots (they are kept apart).
    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError>;
    /// For each of `row`'s dots, in order, the digest recorded for that
    /// write of that record, if one was.
    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError>;
    /// Records `row`'s dots. A dot recorded already keeps its first digest.
    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError>;
    /// Stores `row` (its dots left out) under sequence number `seq`,
    /// replacing any stored version of the record; `device` sent it.
    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError>;
    /// The rows with `after < seq <= up_to`, in sequence order, at most `limit`.
    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError>;
    /// The identity of this user's data on this server (see
    /// `wire::SyncResponse::server_id`), once one was made.
    fn server_id(&mut self) -> Result<Option<String>, StorageError>;
    /// Keeps `id` as the identity of this user's data, replacing any other.
    fn set_server_id(&mut self, id: &str) -> Result<(), StorageError>;
    /// Makes every write of this transaction durable and visible, at once.
    fn commit(self: Box<Self>) -> Result<(), StorageError>;
}
