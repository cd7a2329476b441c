//! `pump server start` and the operator's commands on its data directory.

use super::account::read_password;
use super::render::{local, print_json, print_table, table};
use crate::error::{Error, Result};
use crate::server::{self, ConnectionLimits, Database, Durability, ServerOptions, SessionPolicy};
use crate::sync::server_rules::Quota;
use clap::{Args, Subcommand};
use serde_json::json;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `pump server …`.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Serve sync for your devices (prints `listening on http://HOST:PORT`)
    Start(StartArgs),
    /// Create an account without the network
    #[command(
        after_long_help = "Examples:\n  pump server add-user sam --data /var/lib/pump\n  pump server add-user sam --password-stdin < password.txt"
    )]
    AddUser(UserPasswordArgs),
    /// List the accounts, with what each stores
    #[command(after_long_help = "Examples:\n  pump server users --data /var/lib/pump\n  pump server users --json")]
    Users(UsersArgs),
    /// Set an account's password
    #[command(after_long_help = "Example:\n  pump server passwd sam --data /var/lib/pump")]
    Passwd(UserPasswordArgs),
    /// Delete an account and everything it stored
    #[command(after_long_help = "Example:\n  pump server del-user sam --data /var/lib/pump --yes")]
    DelUser(DelUserArgs),
    /// List an account's sessions, or end them all with --revoke
    #[command(after_long_help = "Examples:\n  pump server sessions sam\n  pump server sessions sam --revoke")]
    Sessions(SessionsArgs),
}

const START_EXAMPLES: &str = "\
EXAMPLES
  pump server start --data /var/lib/pump
  pump server start --listen 0.0.0.0:8787 --open-registration --registrations-per-hour 3
  pump server start --session-idle 30d --session-lifetime 180d --max-sessions 10
  pump server start --quota-rows 200000 --quota-mib 256 --trusted-proxy 127.0.0.1
  pump server start --database postgres://pump@db/pump --database-connections 8   # one of two processes
  pump server start --database postgres://pump@db/pump --threads 2   # 2 processes, 4 cores
  pump server start --allow-plaintext     # while an old account's devices upgrade

DURATIONS are a number and a unit: 45s, 30m, 12h, 90d.";

/// `pump server start`.
#[derive(Debug, Args)]
#[command(after_help = START_EXAMPLES)]
pub struct StartArgs {
    /// Address to listen on; port 0 picks a free one
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: String,
    #[command(flatten)]
    data: DatabaseArgs,
    /// Let clients create accounts with `pump register`
    #[arg(long)]
    open_registration: bool,
    /// Let accounts without a key push plaintext rows, while their devices
    /// upgrade (`pump key --enable` encrypts an account)
    #[arg(long)]
    allow_plaintext: bool,
    /// Accounts one address may register an hour (with --open-registration)
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_REGISTRATIONS_PER_HOUR)]
    registrations_per_hour: u32,
    /// Largest request body accepted, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_body_mib: u32,
    /// Commit without waiting for the disk (synchronous=NORMAL): faster, but
    /// a power cut may lose the last synced rounds (a crash of pump cannot)
    #[arg(long)]
    fast_unsafe: bool,
    /// A session unused for this long ends; the device must `pump login`
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = parse_span)]
    session_idle: Duration,
    /// A session ends this long after its login, however often it is used
    #[arg(long, value_name = "DURATION", default_value = "365d", value_parser = parse_span)]
    session_lifetime: Duration,
    /// Sessions one account may hold; a new login ends the least recently used
    #[arg(long, value_name = "N", default_value_t = SessionPolicy::DEFAULT.max_per_account,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_sessions: usize,
    /// Rows one account may store (a workout, an alias, a body weight: a row each)
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_QUOTA.rows)]
    quota_rows: u64,
    /// MiB of records one account may store
    #[arg(long, value_name = "MIB", default_value_t = server::DEFAULT_QUOTA.bytes >> 20)]
    quota_mib: u64,
    /// Connections open at once; more wait until one closes
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_CONNECTIONS.max_connections,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_connections: usize,
    /// How long a request's headers may take, and a kept-alive connection may idle
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_span)]
    header_timeout: Duration,
    /// A reverse proxy whose X-Forwarded-For names the client (repeatable)
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<IpAddr>,
    /// With --database: PostgreSQL calls this process runs at once (default 16); N processes on one
    /// database share about 16, so give each 16/N
    #[arg(long, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1000))]
    database_connections: Option<usize>,
    /// Threads serving requests (default: one per core); N processes on one machine: cores/N each
    #[arg(long, value_name = "N", env = "PUMP_SERVER_THREADS",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    threads: Option<usize>,
}

/// `pump server add-user NAME` and `pump server passwd NAME`.
#[derive(Debug, Args)]
pub struct UserPasswordArgs {
    /// Account name: letters, digits, '.', '_' or '-'
    name: String,
    #[command(flatten)]
    data: DatabaseArgs,
    /// Read the password from standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

/// Where the server's state lives (`--data DIR` or `--database URL`), for
/// every `pump server` command.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Folder for the server's SQLite database (default: the platform data dir)
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    data: Option<PathBuf>,
    /// A PostgreSQL database instead, which several server processes can
    /// share: postgres://USER@HOST/DB
    #[arg(long, value_name = "URL", env = "PUMP_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// Read the PostgreSQL password from this file, when the URL has none
    /// (else $PGPASSWORD)
    #[arg(long, value_name = "FILE")]
    database_password_file: Option<PathBuf>,
}

impl DatabaseArgs {
    fn resolve(self) -> Result<Database> {
        // clap's `requires` is not enforced beside `--data` (which conflicts
        // with `--database`), and a password file quietly ignored would
        // leave an operator believing the server runs on PostgreSQL.
        if self.database.is_none() && self.database_password_file.is_some() {
            return Err(Error::usage(
                "--database-password-file is the password of a PostgreSQL server: add --database URL, or drop it \
                 for SQLite",
            ));
        }
        let Some(url) = self.database else {
            return match self.data {
                Some(dir) => Ok(Database::Sqlite(dir)),
                None => directories::ProjectDirs::from("", "", "pump")
                    .map(|d| Database::Sqlite(d.data_dir().join("server")))
                    .ok_or_else(|| Error::usage("cannot find a data folder: pass --data DIR")),
            };
        };
        let password = match self.database_password_file {
            Some(file) => Some(read_password_file(&file)?),
            None => std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
        };
        Ok(Database::Postgres { url, password })
    }
}

/// The file's first line: what `echo secret > file` wrote.
fn read_password_file(file: &Path) -> Result<String> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::usage(format!(
            "cannot read the database password from {}: {e}",
            file.display()
        ))
    })?;
    let password = text.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        return Err(Error::usage(format!(
            "{} is empty: write the database password on its first line",
            file.display()
        )));
    }
    Ok(password)
}

/// `pump server users`.
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(flatten)]
    data: DatabaseArgs,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// `pump server del-user NAME`.
#[derive(Debug, Args)]
pub struct DelUserArgs {
    /// The account to delete
    name: String,
    #[command(flatten)]
    data: DatabaseArgs,
    /// Really delete it: its synced data cannot be recovered from the server
    #[arg(long)]
    yes: bool,
}

/// `pump server sessions NAME`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// The account
    name: String,
    #[command(flatten)]
    data: DatabaseArgs,
    /// End every session of the account: each device must `pump login` again
    #[arg(long)]
    revoke: bool,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// A duration for the server's options: a whole number and one unit (s, m,
/// h, d), at least a second.
fn parse_span(text: &str) -> std::result::Result<Duration, String> {
    let bad = || format!("'{text}' is not a duration: use a number and a unit, like 45s, 30m, 12h or 90d");
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let count: u64 = text[..split].parse().map_err(|_| bad())?;
    let unit = match &text[split..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    match count.checked_mul(unit) {
        Some(0) | None => Err(bad()),
        Some(seconds) => Ok(Duration::from_secs(seconds)),
    }
}

/// Runs the sync server, or one of the operator's commands.
pub fn run(command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Start(args) => start(args),
        ServerCommand::AddUser(args) => {
            let database = args.data.resolve()?;
            let password = read_password(args.password_stdin)?;
            server::add_user(&database, &args.name, &password).map_err(Error::usage)?;
            eprintln!("Added user {} to {}", args.name, database.describe());
            Ok(())
        }
        ServerCommand::Users(args) => users(args),
        ServerCommand::Passwd(args) => {
            let dir = args.data.resolve()?;
            let password = read_password(args.password_stdin)?;
            server::set_password(&dir, &args.name, &password).map_err(Error::usage)?;
            eprintln!(
                "Changed the password of {}. Its devices stay signed in: `pump server sessions {} --revoke` ends their \
                 sessions.",
                args.name, args.name
            );
            Ok(())
        }
        ServerCommand::DelUser(args) => del_user(args),
        ServerCommand::Sessions(args) => sessions(args),
    }
}

fn start(args: StartArgs) -> Result<()> {
    let mut options = ServerOptions::new(args.data.resolve()?);
    if args.database_connections.is_some() && matches!(options.database, Database::Sqlite(_)) {
        return Err(Error::usage(
            "--database-connections sizes the pool of a PostgreSQL server: add --database URL, or drop it for SQLite",
        ));
    }
    options.listen = args.listen;
    options.open_registration = args.open_registration;
    options.registrations_per_hour = args.registrations_per_hour;
    options.max_body_bytes = args.max_body_mib as usize * 1024 * 1024;
    options.durability = if args.fast_unsafe {
        Durability::Fast
    } else {
        Durability::Full
    };
    options.sessions = SessionPolicy {
        idle: args.session_idle,
        lifetime: args.session_lifetime,
        max_per_account: args.max_sessions,
    };
    options.quota = Quota {
        rows: args.quota_rows,
        bytes: args.quota_mib.saturating_mul(1 << 20),
    };
    options.connections = ConnectionLimits {
        max_connections: args.max_connections,
        header_timeout: args.header_timeout,
    };
    options.trusted_proxies = args.trusted_proxy;
    options.database_connections = args.database_connections;
    options.allow_plaintext = args.allow_plaintext;
    options.threads = args.threads;
    server::start(options).map_err(Error::other)
}

fn users(args: UsersArgs) -> Result<()> {
    let accounts = server::accounts(&args.data.resolve()?).map_err(Error::usage)?;
    if args.json {
        let list: Vec<_> = accounts
            .iter()
            .map(|a| {
                json!({
                    "name": a.user.name,
                    "created_at": a.created_at.to_rfc3339(),
                    "rows": a.usage.rows,
                    "bytes": a.usage.bytes,
                    "sessions": a.sessions,
                    "devices": a.devices,
                })
            })
            .collect();
        print_json(&json!(list));
        return Ok(());
    }
    if accounts.is_empty() {
        eprintln!("No accounts yet: `pump server add-user NAME` creates one.");
        return Ok(());
    }
    let mut out = table(&["user", "created", "rows", "MiB", "sessions", "devices"]);
    for a in &accounts {
        out.add_row(vec![
            a.user.name.clone(),
            local(a.created_at),
            a.usage.rows.to_string(),
            format!("{:.1}", a.usage.bytes as f64 / f64::from(1 << 20)),
            a.sessions.to_string(),
            a.devices.to_string(),
        ]);
    }
    print_table(&out);
    Ok(())
}

fn del_user(args: DelUserArgs) -> Result<()> {
    let dir = args.data.resolve()?;
    if !args.yes {
        let held = server::accounts(&dir)
            .map_err(Error::usage)?
            .into_iter()
            .find(|a| a.user.name.eq_ignore_ascii_case(&args.name))
            .ok_or_else(|| {
                Error::usage(format!(
                    "there is no user {} on this server: `pump server users` lists them",
                    args.name
                ))
            })?;
        return Err(Error::usage(format!(
            "this deletes {} and the {} rows it stores, for good: run it again with --yes",
            held.user.name, held.usage.rows
        )));
    }
    let gone = server::delete_user(&dir, &args.name).map_err(Error::usage)?;
    eprintln!(
        "Deleted {}: {} rows, {} sessions.",
        gone.user.name, gone.usage.rows, gone.sessions
    );
    Ok(())
}

fn sessions(args: SessionsArgs) -> Result<()> {
    let dir = args.data.resolve()?;
    if args.revoke {
        let ended = server::revoke_sessions(&dir, &args.name).map_err(Error::usage)?;
        eprintln!(
            "Ended {ended} sessions of {}: each of its devices must `pump login` again.",
            args.name
        );
        return Ok(());
    }
    let sessions = server::sessions(&dir, &args.name).map_err(Error::usage)?;
    if args.json {
        let list: Vec<_> = sessions
            .iter()
            .map(|s| {
                json!({
                    "device_id": s.device,
                    "created_at": s.created_at.to_rfc3339(),
                    "last_used": s.last_used.to_rfc3339(),
                })
            })
            .collect();
        print_json(&json!(list));
        return Ok(());
    }
    let mut out = table(&["device", "logged in", "last used"]);
    for s in &sessions {
        out.add_row(vec![
            s.device.clone().unwrap_or_else(|| "(not synced yet)".into()),
            local(s.created_at),
            local(s.last_used),
        ]);
    }
    print_table(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_take_one_unit_and_refuse_zero() {
        assert_eq!(parse_span("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert_eq!(parse_span(" 2s "), Ok(Duration::from_secs(2)));
        assert_eq!(parse_span("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_span("12h"), Ok(Duration::from_secs(43_200)));
        for bad in ["0s", "90", "d", "1.5h", "1h30m", "-1d", "99999999999999999999d", ""] {
            assert!(parse_span(bad).unwrap_err().contains("45s, 30m, 12h or 90d"), "{bad}");
        }
    }
}
