//! The sync server (`pump server start`): accounts, sessions, and one
//! endpoint that pushes and pulls rows, over a single SQLite file (one
//! process) or a PostgreSQL database (any number of processes).
//!
//! ```text
//!  client ─TCP─▶ listener: connection cap, header timeout (idle keep-alive too)
//!        ─HTTP─▶ log_and_jsonify ─▶ timeout ─▶ body limit ─▶ route
//!                (one log line,     (408)      (413: 4 KiB for accounts)
//!                 errors as JSON)                                │
//!                                                                ▼
//!            accounts: login/register (throttled per address and account: 429), password,
//!                      devices, session fork          ─ sessions capped per account
//!            Authenticated: bearer token ─▶ SHA-256 ─▶ session ─▶ idle / lifetime expiry (401)
//!            JsonBody: parse (400) ─▶ validate_sync_request (400) ─▶ session bound to device_id (403)
//!                                                                 │ spawn_blocking
//!                                                                 ▼
//!                      round::run(storage, user, request, quota)  ── ONE StorageTxn ──
//!                               lock_head; lineage check (a copy: 409, nothing stored)
//!                               for each pushed row:  stored = row(kind, id), recorded_dots
//!                                                     decide ─▶ Store (put_row, next seq) | AlreadyStored | Refuse
//!                               pull:                 rows_between(cursor, head_before)
//!                                                     finish_page ─▶ changes, cursor, more
//!                               set_head, commit
//! ```
//!
//! Three layers, so a backend stays small:
//! - the decisions are pure functions in `sync::server_rules` (`decide`,
//!   `finish_page`, …): who wins a race and where a pull resumes are the
//!   protocol itself, tested exhaustively without a database;
//! - `round` sequences them once over a `StorageTxn`, so no backend can
//!   number, page or refuse differently from another;
//! - a backend (`sqlite`, `postgres`, `memory`) implements `Storage` and its small
//!   transaction primitives, and proves it with the shared suite in
//!   `storage_tests`.

mod accounts;
mod admin;
mod auth;
mod batch;
mod columns;
mod http;
mod listener;
mod memory;
mod postgres;
mod round;
mod session_cache;
mod sqlite;
mod storage;
#[cfg(test)]
mod storage_tests;
#[cfg(test)]
#[path = "../../tests/common/postgres.rs"]
mod test_cluster;
mod throttle;
mod writer_thread;

pub use admin::{accounts, add_user, delete_user, revoke_sessions, sessions, set_password};
pub use auth::SessionPolicy;
pub use http::{ACCOUNT_BODY_BYTES, router};
pub use listener::ConnectionLimits;
pub use memory::MemoryStorage;
pub use postgres::{DEFAULT_CONCURRENCY as DEFAULT_DATABASE_CONNECTIONS, PostgresStorage};
pub use sqlite::{Durability, SqliteStorage};
pub use storage::{
    AccountSummary, DeviceRecord, DeviceReport, SessionInfo, Storage, StorageError, StorageTxn, TokenHash, Usage, User,
    UserId,
};

use crate::sync::server_rules::Quota;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Where `pump server start` listens unless told otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
/// Room for a first sync of 10,000 workouts in one request: a realistic
/// workout (6 exercises, 30 sets, each set carrying its own id) is about
/// 4.2 KB on the wire, so 10,000 are about 42 MB; 64 MiB leaves headroom.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Long enough to upload `DEFAULT_MAX_BODY_BYTES` over a slow uplink.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Generous: years of daily workouts are a few thousand rows.
pub const DEFAULT_QUOTA: Quota = Quota {
    rows: 1_000_000,
    bytes: 1 << 30,
};
/// Accounts one address may register an hour, when registration is open.
pub const DEFAULT_REGISTRATIONS_PER_HOUR: u32 = 10;
/// Room for hundreds of devices on keep-alive connections, well under the
/// usual limit of 1024 open files.
pub const DEFAULT_CONNECTIONS: ConnectionLimits = ConnectionLimits {
    max_connections: 512,
    header_timeout: Duration::from_secs(30),
};

/// Where the server keeps accounts, sessions and rows.
#[derive(Clone)]
pub enum Database {
    /// `server.db` in this folder (created if missing): the default, for
    /// one server process.
    Sqlite(PathBuf),
    /// A PostgreSQL database that any number of server processes share.
    Postgres {
        /// `postgres://USER@HOST/DB`, or libpq's `key=value` form.
        url: String,
        /// The password, when the URL carries none.
        password: Option<String>,
    },
}

impl Database {
    /// Opens the storage, bringing its schema up to date; a SQLite database
    /// is created if missing.
    pub fn open(&self) -> Result<Arc<dyn Storage>, String> {
        self.open_with(Durability::Full, None)
    }

    /// [`Database::open`] with the durability `pump server start` asked for
    /// (PostgreSQL's is its own configuration, `synchronous_commit`) and,
    /// on PostgreSQL, the database calls this process runs at once.
    pub fn open_with(
        &self,
        durability: Durability,
        database_connections: Option<usize>,
    ) -> Result<Arc<dyn Storage>, String> {
        Ok(match self {
            Database::Sqlite(dir) => Arc::new(SqliteStorage::open_with(dir, durability)?),
            Database::Postgres { url, password } => Arc::new(PostgresStorage::connect_with(
                url,
                password.as_deref(),
                database_connections.unwrap_or(DEFAULT_DATABASE_CONNECTIONS),
            )?),
        })
    }

    /// The folder, or the URL without any password, for messages.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(dir) => dir.display().to_string(),
            Database::Postgres { url, .. } => postgres::describe_url(url),
        }
    }
}

impl From<PathBuf> for Database {
    fn from(dir: PathBuf) -> Self {
        Database::Sqlite(dir)
    }
}

/// Never prints a password, wherever it hides.
impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.describe())
    }
}

/// How `pump server start` runs: address, database, registration and limits.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// `HOST:PORT`; port 0 picks a free one (the real one is printed).
    pub listen: String,
    /// Where the server keeps its state.
    pub database: Database,
    /// Whether anyone may `POST /v1/register`; otherwise accounts are made
    /// with `pump server add-user`.
    pub open_registration: bool,
    /// The largest request body accepted; bigger ones get a 413.
    pub max_body_bytes: usize,
    /// How long one request may take before it gets a 408.
    pub request_timeout: Duration,
    /// Whether a commit waits for the disk (see [`Durability`]).
    pub durability: Durability,
    /// When sessions end, and how many an account may hold.
    pub sessions: SessionPolicy,
    /// What one account may store.
    pub quota: Quota,
    /// Accounts one address may register an hour.
    pub registrations_per_hour: u32,
    /// Open connections at once, and how long headers may take.
    pub connections: ConnectionLimits,
    /// Reverse proxies whose `X-Forwarded-For` names the client, for the
    /// login throttle and its log lines.
    pub trusted_proxies: Vec<IpAddr>,
    /// On PostgreSQL, the database calls this process runs at once (and
    /// the connections it keeps, plus a few spares); `None` for the default.
    pub database_connections: Option<usize>,
    /// Whether accounts without a key may push plaintext rows
    /// (`--allow-plaintext`, while their devices upgrade); otherwise only
    /// sealed rows are stored.
    pub allow_plaintext: bool,
    /// Threads that serve requests (`--threads`); `None`: one per core.
    /// Several processes on one machine each take their share of the
    /// cores, rather than each running a thread per core.
    pub threads: Option<usize>,
}

impl ServerOptions {
    /// The defaults, with registration closed: an exposed server should not
    /// hand out accounts unless its operator says so.
    pub fn new(database: impl Into<Database>) -> Self {
        ServerOptions {
            listen: DEFAULT_LISTEN.to_string(),
            database: database.into(),
            open_registration: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            durability: Durability::Full,
            sessions: SessionPolicy::DEFAULT,
            quota: DEFAULT_QUOTA,
            registrations_per_hour: DEFAULT_REGISTRATIONS_PER_HOUR,
            connections: DEFAULT_CONNECTIONS,
            trusted_proxies: Vec::new(),
            database_connections: None,
            allow_plaintext: false,
            threads: None,
        }
    }
}

/// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
/// Prints exactly one line to stdout, `listening on http://HOST:PORT`, so a
/// script (or a test) that asked for port 0 learns the real one; its
/// settings go to the log.
pub fn start(options: ServerOptions) -> Result<(), String> {
    return_big_allocations_to_the_system();
    let storage = options
        .database
        .open_with(options.durability, options.database_connections)?;
    let durability = match &options.database {
        Database::Sqlite(_) if options.durability == Durability::Fast => format!(
            "synchronous={} (--fast-unsafe: a power cut may lose the last rounds)",
            options.durability.pragma()
        ),
        Database::Sqlite(_) => format!("synchronous={}", options.durability.pragma()),
        Database::Postgres { .. } => "commits as PostgreSQL is configured".to_string(),
    };
    eprintln!(
        "{} starting: database {}, {durability}, sessions end after {} idle or {}, at most {} per account",
        http::log_time(),
        options.database.describe(),
        auth::human(options.sessions.idle),
        auth::human(options.sessions.lifetime),
        options.sessions.max_per_account,
    );
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    // Named for `top -H` and the operator counting them (see --threads).
    runtime.thread_name("pump-server");
    if let Some(threads) = options.threads {
        runtime.worker_threads(threads);
    }
    let runtime = runtime
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&options.listen).await.map_err(|e| {
            format!(
                "cannot listen on {}: {e}; is another server using it? pick another address with --listen",
                options.listen
            )
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot read the address the server listens on: {e}"))?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
        drop(stdout);
        listener::serve(
            listener,
            router(storage.clone(), &options),
            options.connections,
            shutdown_signal(),
        )
        .await;
        Ok(())
    });
    // The last handle to the storage goes here, outside the runtime: each
    // PostgreSQL connection owns a small runtime, and tokio forbids dropping
    // one inside another's async code.
    drop(storage);
    served
}

/// Every argon2 hash allocates 19 MiB. glibc serves the first from mmap,
/// then raises its mmap threshold past that size, so later hashes come from
/// per-thread arenas that keep the memory after it is freed: 50 logins on
/// 2 cores left the server at 480 MB resident. A fixed threshold keeps big
/// blocks on mmap, handed back on free (measured: 47 MB for the same logins).
fn return_big_allocations_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 1024 * 1024;
        // SAFETY: mallopt only sets an allocator tunable; called before any
        // thread of the server starts.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM. A signal that cannot be watched is logged
/// and ignored: the other one (or a kill) still stops the server.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("cannot watch for Ctrl-C ({e}); stop the server with SIGTERM");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                eprintln!("cannot watch for SIGTERM ({e}); stop the server with Ctrl-C");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    eprintln!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VectorClock;
    use crate::model::{Unit, Workout, parse_sets};
    use crate::sync::wire::Row;

    #[test]
    fn ten_thousand_realistic_workouts_fit_the_default_body_limit() {
        let mut workout = Workout::new("Upper body A".into(), chrono::Utc::now());
        workout.notes = "Felt strong; left shoulder a bit tight on the last set.".into();
        for exercise in [
            "bench press",
            "barbell row",
            "overhead press",
            "pull-up",
            "dips",
            "curl",
        ] {
            workout.add_sets(
                exercise,
                parse_sets("w10@40kg, 3x8@82.5kg/8, 6@85kg/9.5", Unit::Kg).unwrap(),
            );
        }
        let mut clock = VectorClock::new();
        clock.set(&crate::model::new_id(), 1);
        clock.set(&crate::model::new_id(), 1);
        let row = Row {
            kind: "workout".into(),
            id: workout.id.clone(),
            clock,
            deleted: false,
            body: serde_json::to_value(&workout).unwrap(),
            origin: None,
            dots: Vec::new(),
            digest: None,
        };
        let size = serde_json::to_string(&row).unwrap().len();
        assert!((2_500..5_000).contains(&size), "a realistic row is {size} bytes");
        assert!(
            10_000 * size + 1024 < DEFAULT_MAX_BODY_BYTES / 3 * 2,
            "{size} bytes a row"
        );
    }
}
