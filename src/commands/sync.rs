//! `pump sync`: from a terminal, from cron, or in a loop with `--every`.

use super::Context;
use crate::client::engine::{self, Outcome};
use crate::client::lock::SyncLock;
use crate::error::{Error, ErrorKind, Result};
use crate::model::parse_duration;
use crate::text::printable;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Below this many pending rows a sync is too quick for a progress bar.
const PROGRESS_THRESHOLD: i64 = 2000;

/// What `pump sync`'s exit code means, under its long help.
pub const EXIT_CODES: &str = "\
EXIT CODES
  0   synced, nothing held back
  3   synced, but conflicts are waiting for you (`pump conflicts` lists them)
  75  the server could not be reached, failed or timed out; nothing was lost, try later
      (also: another `pump sync` is running on this database)
  77  the server rejected this device's login or key, or sent rows it cannot open: run
      `pump login` (with the key `pump key` shows on another device), or what the line says
  2   invalid command-line input
  1   any other error

Examples:
  pump sync
  pump sync --prefer mine --non-interactive
  pump sync --every 15m     # keep syncing, e.g. in a terminal at the gym
  */15 * * * * pump sync --quiet   # from cron";

/// `pump sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print nothing unless something needs attention (an unreachable
    /// server only once syncs have failed for longer than the
    /// sync_warn_after setting, 24h by default), e.g. from cron
    #[arg(long, short)]
    quiet: bool,
    /// Never prompt (implied when standard input is not a terminal)
    #[arg(long)]
    non_interactive: bool,
    /// Resolve true conflicts this way without prompting (for scripts)
    #[arg(long, value_enum, value_name = "SIDE")]
    prefer: Option<Prefer>,
    /// Keep running, syncing at this interval: a number with its unit, s,
    /// m or h, at least 10s (e.g. --every 15m)
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
    /// Send every record this device holds again, not only its changes,
    /// and pull everything anew: for a server restored from a backup or
    /// replaced (pump notices both by itself), e.g. `pump sync --full`
    #[arg(long)]
    full: bool,
}

/// Which side wins a true conflict, for `pump sync --prefer` and `pump resolve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Prefer {
    /// This device's version
    Mine,
    /// The server's version
    Theirs,
}

/// The shortest `--every`: a loop is for keeping a device current, not for
/// hammering a server (`--every 0s` once ran hundreds of syncs in seconds).
const MIN_EVERY_SECS: u32 = 10;

/// Syncs once, or forever at `--every`; conflicts and an unreachable server
/// do not stop the loop.
pub fn run(ctx: &Context, args: SyncArgs) -> Result<()> {
    let Some(every) = &args.every else {
        return sync_once(ctx, &args).or_else(|e| quiet_about(ctx, &args, e));
    };
    let interval = every_interval(every)?;
    loop {
        match sync_once(ctx, &args).or_else(|e| quiet_about(ctx, &args, e)) {
            Ok(()) => {}
            // Conflicts wait for a person and the network comes back: keep going.
            Err(e) if matches!(e.kind, ErrorKind::ConflictsHeld | ErrorKind::Unavailable) => {
                if !e.message.is_empty() {
                    eprintln!("pump: {}", printable(&e.message));
                }
            }
            Err(e) => return Err(e),
        }
        std::thread::sleep(Duration::from_secs(u64::from(interval)));
    }
}

/// `--every`'s interval in seconds: with its unit, and not under
/// [`MIN_EVERY_SECS`].
fn every_interval(typed: &str) -> Result<u32> {
    let typed = typed.trim();
    if !typed.is_empty() && typed.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::usage(format!(
            "--every {typed} has no unit: write {typed}s, {typed}m or {typed}h"
        )));
    }
    let seconds = parse_duration(typed).map_err(Error::usage)?;
    if seconds < MIN_EVERY_SECS {
        return Err(Error::usage(format!(
            "--every {typed} is too short: sync at most every {MIN_EVERY_SECS}s (e.g. --every 15m)"
        )));
    }
    Ok(seconds)
}

/// `--quiet` from cron: an unreachable server is not news (exit 75 says
/// it), until syncs have been failing for longer than `sync_warn_after`;
/// then one line says since when, so cron mails only when it matters.
fn quiet_about(ctx: &Context, args: &SyncArgs, error: Error) -> Result<()> {
    if !args.quiet || error.kind != ErrorKind::Unavailable {
        return Err(error);
    }
    let since = ctx
        .db_path
        .exists()
        .then(|| ctx.store().and_then(|store| store.sync_failing_since()))
        .transpose()?
        .flatten();
    let grace = chrono::Duration::seconds(ctx.config.sync_warn_after_secs() as i64);
    match since {
        Some(since) if chrono::Utc::now() - since >= grace => Err(Error::new(
            ErrorKind::Unavailable,
            format!(
                "syncs have failed since {} (longer than sync_warn_after, {}): {error}",
                super::render::local(since),
                ctx.config.sync_warn_after
            ),
        )),
        _ => Err(Error::silent(ErrorKind::Unavailable)),
    }
}

fn sync_once(ctx: &Context, args: &SyncArgs) -> Result<()> {
    let not_logged_in = || {
        Error::new(
            ErrorKind::Unauthorized,
            "this device is not logged in to a sync server: run `pump login --server URL --user NAME` \
             (or `pump register` for a new account)",
        )
    };
    // A first run (a cron job before anything else): nothing to sync, and
    // nothing to create.
    if !ctx.db_path.exists() {
        return Err(not_logged_in());
    }
    let _lock = SyncLock::acquire(&ctx.db_path)?;
    let mut store = ctx.store()?;
    let (mut client, server) = super::account::store_client(ctx, &store)?;
    if args.full {
        store.send_everything_again()?;
    }
    let pending = store.pending_count()?;
    let bar = (!args.quiet && pending >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(pending as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} sent, {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut progress = |sent: usize, received: usize| {
        if let Some(bar) = &bar {
            bar.set_position(sent as u64);
            bar.set_message(format!("{received} received"));
        }
    };
    let outcome = engine::run(&mut store, &mut client, &mut progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Err(e) = &outcome
        && e.kind == ErrorKind::Unavailable
    {
        store.note_sync_failure(chrono::Utc::now())?;
    }
    let mut outcome = outcome?;
    // True conflicts: settle them now when asked to, then push the
    // resolutions in this same run so the other devices get them next sync.
    let held = store.held_conflicts()?;
    let interactive = !args.non_interactive && std::io::stdin().is_terminal();
    let resolved = match args.prefer {
        _ if held.is_empty() => 0,
        Some(prefer) => super::conflicts::resolve_all(&mut store, held, prefer)?,
        None if interactive => super::resolver::interactive(&mut store, held, ctx.unit())?,
        None => 0,
    };
    if resolved > 0 {
        let again = engine::run(&mut store, &mut client, &mut |_, _| {})?;
        outcome.absorb(&again);
    }
    let held = store.conflict_count()?;
    report(&outcome, &server, resolved, held, args.quiet);
    if held > 0 {
        return Err(Error::new(
            ErrorKind::ConflictsHeld,
            format!(
                "{} waiting: `pump conflicts` lists {}",
                if held == 1 {
                    "1 conflict is".to_string()
                } else {
                    format!("{held} conflicts are")
                },
                if held == 1 { "it" } else { "them" }
            ),
        ));
    }
    Ok(())
}

pub(super) fn report(outcome: &Outcome, server: &str, resolved: usize, held: i64, quiet: bool) {
    if let Some(id) = &outcome.new_device_id {
        eprintln!(
            "pump: this database shared its device id with another device (a copied file?), or the server lost \
             this device's last syncs; it now has its own id {id}, and any clashing rows are held as conflicts so \
             neither version is lost"
        );
    }
    if outcome.total.unreadable > 0 {
        eprintln!(
            "pump: kept {} rows this pump cannot read yet (written by a newer pump): upgrade pump to use them",
            outcome.total.unreadable
        );
    }
    if outcome.total.impossible > 0 {
        eprintln!(
            "pump: left out {} rows from the server whose clocks no real history reaches (written by a hostile or \
             broken client): tell the server's operator",
            outcome.total.impossible
        );
    }
    if outcome.total.server_lost_rounds && !quiet {
        eprintln!(
            "pump: the server at {server} had lost syncs it once answered (restored from a backup, or a new \
             server): this device sent everything it holds again and pulled everything anew; nothing was lost"
        );
    }
    if !quiet {
        let t = &outcome.total;
        println!(
            "Synced: sent {}, received {}, auto-merged {}, resolved {resolved}, conflicts held {held}",
            t.accepted, t.received, t.auto_merged
        );
    }
}

/// `auto_sync`: after a write, a detached `pump sync --quiet
/// --non-interactive` when the last sync is older than `sync_interval`. The
/// write has already committed; this never waits for the network, and a
/// failure to start is not the write's failure.
pub(super) fn start_in_background(ctx: &Context) {
    let due = || -> Result<bool> {
        let store = ctx.store()?;
        if !store.logged_in()? {
            return Ok(false);
        }
        let last = store.last_sync()?;
        let interval = chrono::Duration::seconds(ctx.config.sync_interval_secs() as i64);
        Ok(last.is_none_or(|t| chrono::Utc::now() - t >= interval))
    };
    if !matches!(due(), Ok(true)) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut command = std::process::Command::new(exe);
    command
        .arg("--db")
        .arg(&ctx.db_path)
        .args(["sync", "--quiet", "--non-interactive"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(unix)]
    {
        // Its own process group: Ctrl-C at the terminal does not kill it.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let _ = command.spawn();
}
