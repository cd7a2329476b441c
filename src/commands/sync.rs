//! `pump sync`: from a terminal, from cron, or in a loop with `--every`.

use super::Context;
use crate::client::engine::{self, Outcome};
use crate::client::http::HttpClient;
use crate::client::lock::SyncLock;
use crate::error::{Error, ErrorKind, Result};
use crate::model::parse_duration;
use crate::store::ServerSession;
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
  77  the server rejected this device's login: run `pump login`
  2   invalid command-line input
  1   any other error

From cron:  */15 * * * * pump sync --quiet";

/// `pump sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print nothing unless something needs attention
    #[arg(long, short)]
    quiet: bool,
    /// Never prompt (implied when standard input is not a terminal)
    #[arg(long)]
    non_interactive: bool,
    /// Resolve true conflicts this way without prompting (for scripts)
    #[arg(long, value_enum, value_name = "SIDE")]
    prefer: Option<Prefer>,
    /// Keep running, syncing at this interval (e.g. 10m)
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
}

/// Which side wins a true conflict, for `pump sync --prefer` and `pump resolve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Prefer {
    /// This device's version
    Mine,
    /// The server's version
    Theirs,
}

/// Syncs once, or forever at `--every`; conflicts and an unreachable server
/// do not stop the loop.
pub fn run(ctx: &Context, args: SyncArgs) -> Result<()> {
    let Some(every) = &args.every else {
        return sync_once(ctx, &args);
    };
    let interval = parse_duration(every).map_err(Error::usage)?.max(1);
    loop {
        match sync_once(ctx, &args) {
            Ok(()) => {}
            // Conflicts wait for a person and the network comes back: keep going.
            Err(e) if matches!(e.kind, ErrorKind::ConflictsHeld | ErrorKind::Unavailable) => eprintln!("pump: {e}"),
            Err(e) => return Err(e),
        }
        std::thread::sleep(Duration::from_secs(u64::from(interval)));
    }
}

fn sync_once(ctx: &Context, args: &SyncArgs) -> Result<()> {
    let _lock = SyncLock::acquire(&ctx.db_path)?;
    let mut store = ctx.store()?;
    let Some(ServerSession { server, token }) = store.session()? else {
        return Err(Error::new(
            ErrorKind::Unauthorized,
            "this device is not logged in to a sync server: run `pump login --server URL --user NAME` \
             (or `pump register` for a new account)",
        ));
    };
    let mut client = HttpClient::new(&server, Some(token), Duration::from_secs(ctx.config.timeout))?;
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
    report(&outcome, resolved, held, args.quiet);
    if held > 0 {
        return Err(Error::new(
            ErrorKind::ConflictsHeld,
            format!("{held} conflicts are waiting: `pump conflicts` lists them"),
        ));
    }
    Ok(())
}

fn report(outcome: &Outcome, resolved: usize, held: i64, quiet: bool) {
    if let Some(id) = &outcome.new_device_id {
        eprintln!(
            "pump: this database shared its device id with another device (a copied file?); it now has its own id \
             {id}, and the clashing rows are held as conflicts so neither version is lost"
        );
    }
    if outcome.total.unreadable > 0 {
        eprintln!(
            "pump: skipped {} rows this pump cannot read: upgrade pump to receive them",
            outcome.total.unreadable
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
