//! The client's sync loop: push pending rows a page at a time, pull what
//! changed, apply each answer atomically, until nothing is left.

use super::http::{Reply, Transport};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{ApplyReport, Pulled, Store};
use crate::sync::crypto::RowKeys;
use crate::sync::sealed::{NotOpened, Received, open_response, seal_rows};
use crate::sync::server_rules::MAX_PULL_LIMIT;
use crate::sync::wire::{Lineage, PROTOCOL_VERSION, Row, RowStatus, SyncRequest, SyncResponse, WireBody, WireRow};
use std::collections::HashSet;

/// Rows per request in each direction: large enough that a 10,000-workout
/// backlog is a handful of round trips, small enough to bound memory.
pub const PUSH_PAGE: usize = 2000;
/// See [`PUSH_PAGE`]. Tests set another with [`PULL_PAGE_VARIABLE`].
pub const PULL_PAGE: u32 = 2000;
/// A testing knob: the rows a pull round asks for instead of [`PULL_PAGE`],
/// so that a test's pull of a few rows takes several rounds, as a new
/// device's pull of thousands does (pages fetched ahead, indexes deferred).
pub const PULL_PAGE_VARIABLE: &str = "PUMP_PULL_PAGE";
/// Pulled rows from which a page is opened on a thread of its own: a
/// single row is opened where it is stored; from two on, a thread (tens of
/// microseconds against a round trip's milliseconds) keeps one way of
/// applying a pull, which the simulation's small pages exercise.
const ROWS_FOR_AN_OPENER: usize = 2;
/// Rows opened ahead of the store, at most (see [`apply_opening`]).
const OPENED_AHEAD: usize = 64;
/// A server that keeps saying "more" without moving the cursor is broken;
/// stop instead of looping forever under cron.
const MAX_ROUNDS: usize = 100_000;

/// What a whole sync run did.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// The reports of every applied round, added up.
    pub total: ApplyReport,
    /// How many rounds were applied.
    pub rounds: usize,
    /// Set when a copied database was detected and this device took a new id.
    pub new_device_id: Option<String>,
}

/// Called after every applied round with (rows sent so far, rows received so far).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Syncs `store` through `transport` until nothing is pending and nothing
/// more waits on the server. Each round is applied atomically, so an error
/// (or a kill) at any point loses nothing: the next run redoes at most one
/// round. Records when it finished (`Store::last_sync`).
pub fn run(store: &mut Store, transport: &mut dyn Transport, progress: Progress) -> Result<Outcome> {
    run_rounds(store, transport, progress, Direction::Both, pull_page()?)
}

/// [`run`] asking for `pull_page` rows per pull round instead of
/// [`PULL_PAGE`]: a test's pull of a few rows then takes several rounds,
/// as a new device's pull of thousands does (see [`PULL_PAGE_VARIABLE`]).
pub fn run_paged(
    store: &mut Store,
    transport: &mut dyn Transport,
    progress: Progress,
    pull_page: u32,
) -> Result<Outcome> {
    run_rounds(store, transport, progress, Direction::Both, pull_page)
}

/// Pulls everything new from the server and pushes nothing: what a device
/// must have seen before it moves the account to a key (`pump key
/// --enable`), while its pending rows wait to go out sealed.
pub fn pull(store: &mut Store, transport: &mut dyn Transport) -> Result<Outcome> {
    run_rounds(store, transport, &mut |_, _| {}, Direction::PullOnly, pull_page()?)
}

/// Whether a run pushes pending rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Both,
    PullOnly,
}

fn run_rounds(
    store: &mut Store,
    transport: &mut dyn Transport,
    progress: Progress,
    direction: Direction,
    pull_limit: u32,
) -> Result<Outcome> {
    let outcome = apply_rounds(store, transport, progress, direction, pull_limit);
    // Whatever stopped the rounds, the indexes a first pull deferred are
    // built before the next command reads the set table.
    let indexed = store.finish_deferred_indexes();
    let outcome = outcome?;
    indexed?;
    store.set_last_sync(chrono::Utc::now())?;
    Ok(outcome)
}

fn apply_rounds(
    store: &mut Store,
    transport: &mut dyn Transport,
    progress: Progress,
    direction: Direction,
    pull_limit: u32,
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    // Rows an older pump kept because it could not read them: this one may.
    add(&mut outcome.total, &store.apply_readable_kept()?);
    let mut sent_this_run: HashSet<RowKey> = HashSet::new();
    // The first round always pulls; later ones only while the server has
    // more for this device. A push that fits one page with little to pull
    // is then one request, not a second, empty one to learn "nothing more"
    // (which on a 300 ms link is a third of a second).
    let mut more_to_pull = true;
    // Derived once: the account's mode and key do not change during a run.
    let row_keys = store.row_keys()?;
    let retired = store.retired_row_keys()?;
    let key_check = match row_keys {
        Some(_) => store.account_key_check()?,
        None => None,
    };
    // A second connection reads and seals the next page of a backlog
    // while the server stores the one before (see `Page::read_ahead`).
    let mut reader = match direction {
        Direction::Both => Store::open_read_only(store.path())?,
        Direction::PullOnly => None,
    };
    let mut ahead: Option<Page> = None;
    // The round fetched while the one before was applied, if any.
    let mut fetched: Option<Fetched> = None;
    loop {
        if let Some(new) = follow_device_id(store, transport)? {
            outcome.new_device_id.get_or_insert(new);
            ahead = None;
        }
        let (Fetched { request, reply }, next_page) = match fetched.take() {
            Some(round) => (round, None),
            None => {
                let page = match (direction, ahead.take()) {
                    (Direction::PullOnly, _) => Page::default(),
                    (Direction::Both, Some(page)) => page,
                    (Direction::Both, None) => Page::read(store, &sent_this_run, &HashSet::new(), row_keys.as_ref())?,
                };
                let Page { rows, sealed } = page;
                if rows.is_empty() && !more_to_pull {
                    break;
                }
                let cursor = store.sync_cursor()?;
                let lineage = store.lineage_for(rows.len())?;
                let pending = store.pending_count()?.unsigned_abs().saturating_sub(rows.len() as u64);
                let request = SyncRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: store.device_id().to_string(),
                    cursor,
                    rows,
                    pull_limit: Some(pull_limit),
                    lineage: Some(lineage),
                    device_name: store.device_name()?,
                    pending: Some(pending),
                    key_check: key_check.clone(),
                };
                let in_flight: HashSet<RowKey> = request.rows.iter().map(key).collect();
                let (reply, read_ahead) = Page::read_ahead(
                    // Only a full page may have more behind it.
                    if request.rows.len() == PUSH_PAGE {
                        reader.take()
                    } else {
                        None
                    },
                    &sent_this_run,
                    &in_flight,
                    row_keys.as_ref(),
                    || transport.sync(&request.with_rows(sealed)),
                );
                let next_page = read_ahead.map(|(own, page)| {
                    reader = Some(own);
                    page
                });
                (Fetched { request, reply }, next_page)
            }
        };
        let (answer, pulled) = match reply? {
            // A row that does not open stops the run with nothing of the
            // round applied: nothing unreadable is applied or pushed over.
            // The pulled rows are opened as they are stored (`apply_opening`).
            Reply::Answer(mut answer) => {
                let pulled = std::mem::take(&mut answer.changes);
                let answer = open_response(answer, row_keys.as_ref(), retired.as_ref()).map_err(not_opened)?;
                (answer, pulled)
            }
            Reply::Forked { already_stored } if outcome.new_device_id.is_none() => {
                let shared: Vec<&Row<WireBody>> = already_stored.iter().filter_map(|&i| request.rows.get(i)).collect();
                outcome.new_device_id = Some(store.fork_device(&shared)?);
                continue;
            }
            Reply::Forked { .. } => {
                return Err(Error::other(
                    "the server refused this device's new id as a copy too: run `pump device --reset-id`, then \
                     `pump sync`",
                ));
            }
        };
        if answer.results.len() != request.rows.len() {
            return Err(Error::other(
                "the server answered a different number of rows than were sent: nothing was applied",
            ));
        }
        // A round that sent every row there was to send, answered with
        // "more", is followed by a pull: it is asked for while this one is
        // applied (see `Fetched`).
        let follow = (answer.more && request.rows.len() < PUSH_PAGE).then(|| pull_after(&request, &answer));
        let pulled_nothing = pulled.is_empty();
        let keys = [row_keys.as_ref(), retired.as_ref()];
        let (report, next_round) = apply_fetching(store, (&request, &answer, pulled), keys, follow, transport);
        let report = report?;
        sent_this_run.extend(request.rows.iter().map(key));
        add(&mut outcome.total, &report);
        outcome.rounds += 1;
        progress(outcome.total.accepted, outcome.total.received);

        let forks = (report.collisions > 0 || report.untrusted_round) && outcome.new_device_id.is_none();
        if forks {
            outcome.new_device_id = Some(store.fork_device(&[])?);
        }
        // A server that lost rounds moves the cursor back: that is progress.
        let stuck =
            answer.more && answer.cursor <= request.cursor && request.rows.is_empty() && !report.server_lost_rounds;
        if stuck || outcome.rounds >= MAX_ROUNDS {
            return Err(Error::other(
                "the server keeps answering without progress: stopping; try again later",
            ));
        }
        // A new id needs one more round: its session follows it, and the
        // server learns the rows it re-attributed.
        more_to_pull = answer.more || report.server_lost_rounds || forks;
        // The page read ahead is what the database held before this answer
        // was applied: still the next page only when the answer changed no
        // row but the ones sent (all accepted, nothing pulled, no new id).
        let only_accepted = pulled_nothing
            && answer.results.iter().all(|r| r.status == RowStatus::Accepted)
            && !report.server_lost_rounds
            && !forks;
        ahead = next_page.and_then(Result::ok).filter(|_| only_accepted);
        // Likewise the round fetched ahead was made from what the database
        // would hold once this answer applied as expected: used only if it
        // did (same device, cursor and lineage).
        fetched = match next_round {
            Some(round) if !forks && !report.server_lost_rounds && is_next(store, &round.request)? => Some(round),
            _ => None,
        };
    }
    // A key change this device made is over once every row went out under
    // the new key.
    if retired.is_some() && direction == Direction::Both && store.pending_count()? == 0 {
        store.forget_retired_key()?;
    }
    Ok(outcome)
}

/// A round sent while the one before it was applied: a new device's first
/// pull is pages of 2,000 rows, and the server reading, sending and the
/// client receiving the next one took turns with the local database
/// storing the last, each idle while the other worked (on a slow link,
/// seconds per page). Only a round that
/// pushes nothing is sent ahead, so the server stores nothing for it; and
/// its answer is applied only after the round before committed and only
/// if that round left the database where the request assumed (see
/// [`is_next`]), otherwise it is dropped unapplied, as a lost answer is.
struct Fetched {
    /// The round as sent, its rows open.
    request: SyncRequest<WireBody>,
    /// Its answer as it came: opened only when it is applied, as a page of
    /// opened bodies takes some 40 MB, which two at once would double.
    reply: Result<Reply>,
}

/// The round that pulls the page after `answer`'s once it is applied:
/// nothing pushed (rows written meanwhile wait for the next round), the
/// cursor the answer gives, and the lineage its commit confirms.
fn pull_after(request: &SyncRequest<WireBody>, answer: &SyncResponse) -> SyncRequest<WireBody> {
    SyncRequest {
        cursor: answer.cursor,
        lineage: request.lineage.as_ref().map(Lineage::once_applied),
        ..request.with_rows(Vec::new())
    }
}

/// Whether `request`, made by [`pull_after`] before its round was applied,
/// is the pull the database now asks for: same device, cursor and lineage.
fn is_next(store: &Store, request: &SyncRequest<WireBody>) -> Result<bool> {
    Ok(request.device_id == store.device_id()
        && request.cursor == store.sync_cursor()?
        && request.lineage.as_ref() == Some(&store.lineage_for(0)?))
}

/// A round's answer as it came: the request it answers, the answer with its
/// results opened, and the rows it pulled, still as they travel.
type Answered<'a> = (&'a SyncRequest<WireBody>, &'a SyncResponse, Vec<WireRow>);

/// Applies an answer to `store` (see [`apply_opening`]) and meanwhile, on
/// another thread, sends the `follow`-up round and receives its answer
/// (see [`Fetched`]).
fn apply_fetching(
    store: &mut Store,
    answered: Answered,
    keys: [Option<&RowKeys>; 2],
    follow: Option<SyncRequest<WireBody>>,
    transport: &mut dyn Transport,
) -> (Result<ApplyReport>, Option<Fetched>) {
    let Some(follow) = follow else {
        return (apply_opening(store, answered, keys), None);
    };
    std::thread::scope(|scope| {
        let fetch = scope.spawn(move || {
            let reply = transport.sync(&follow);
            Fetched { request: follow, reply }
        });
        let report = apply_opening(store, answered, keys);
        let fetched = fetch.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (report, Some(fetched))
    })
}

/// Applies an answer to `store`, its pulled rows opened and read (with the
/// account's key, or the retired one: `keys`) on a second thread while the
/// store writes the ones before: a new device's first pull spent a third
/// of its time opening and reading rows on the thread that then stored
/// them. At most [`OPENED_AHEAD`] rows wait opened, so a page is never held
/// open whole (some 40 MB for 2,000 workouts). A row that does not open
/// ends the round unapplied.
fn apply_opening(
    store: &mut Store,
    (request, answer, pulled): Answered,
    keys: [Option<&RowKeys>; 2],
) -> Result<ApplyReport> {
    let count = pulled.len();
    let [row_keys, retired] = keys;
    if count < ROWS_FOR_AN_OPENER {
        let mut rows = pulled
            .into_iter()
            .map(|row| Received::open(row, row_keys, retired).map_err(not_opened));
        return store.apply_answer(request, answer, Pulled { count, rows: &mut rows });
    }
    // Opening state is per thread.
    let own = keys.map(|keys| keys.map(RowKeys::for_another_thread));
    let (send, receive) = std::sync::mpsc::sync_channel(OPENED_AHEAD);
    std::thread::scope(|scope| {
        let opener = scope.spawn(move || {
            let [row_keys, retired] = &own;
            for row in pulled {
                let received = Received::open(row, row_keys.as_ref(), retired.as_ref());
                let failed = received.is_err();
                // The store stops at a row that did not open, or when it
                // failed itself (it then drops the receiving end).
                if send.send(received).is_err() || failed {
                    break;
                }
            }
        });
        let mut rows = receive.into_iter().map(|received| received.map_err(not_opened));
        let report = store.apply_answer(request, answer, Pulled { count, rows: &mut rows });
        drop(rows);
        opener.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        report
    })
}

/// A row from the server that does not open: the account's key is not
/// this device's, or the server altered it.
fn not_opened(why: NotOpened) -> Error {
    Error::new(ErrorKind::Unauthorized, why.to_string())
}

/// The rows a pull round asks for: [`PULL_PAGE`], or what the testing
/// knob [`PULL_PAGE_VARIABLE`] says.
fn pull_page() -> Result<u32> {
    let Some(value) = std::env::var_os(PULL_PAGE_VARIABLE) else {
        return Ok(PULL_PAGE);
    };
    value
        .to_str()
        .and_then(|v| v.parse().ok())
        .filter(|&rows| (1..=MAX_PULL_LIMIT).contains(&rows))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "{PULL_PAGE_VARIABLE} (a testing knob) must be a number of rows from 1 to {MAX_PULL_LIMIT}: \
                     unset it, or set e.g. {PULL_PAGE_VARIABLE}=3"
                ),
            )
        })
}

/// What tells a row's version apart in a run: kind, id and clock.
type RowKey = (String, String, String);

fn key(row: &Row<WireBody>) -> RowKey {
    (row.kind.clone(), row.id.clone(), row.clock.to_json())
}

/// A page of pending rows to push: open (as the database holds them, for
/// applying the answer) and as they travel.
#[derive(Default)]
struct Page {
    rows: Vec<Row<WireBody>>,
    sealed: Vec<WireRow>,
}

impl Page {
    /// The next page of `store`'s pending rows, leaving out those `sent`
    /// already in this run and those `in_flight`, sealed with `keys`.
    fn read(
        store: &Store,
        sent: &HashSet<RowKey>,
        in_flight: &HashSet<RowKey>,
        keys: Option<&RowKeys>,
    ) -> Result<Page> {
        let rows = store.pending_page(PUSH_PAGE, &|row| {
            let key = key(row);
            sent.contains(&key) || in_flight.contains(&key)
        })?;
        let sealed = seal_rows(&rows, keys);
        Ok(Page { rows, sealed })
    }

    /// Runs `send` (a round carrying the `in_flight` rows) and, meanwhile,
    /// when there is a `reader` (a second, read-only connection to the
    /// database), reads and seals the page after it there: on a backlog of
    /// thousands of rows, the client's reading and sealing and the server's
    /// storing took turns, each idle while the other worked. Hands back
    /// the reader with the page, which is only a guess: the round's answer
    /// is applied after it was read (see `run_rounds`).
    fn read_ahead<T: Send>(
        reader: Option<Store>,
        sent: &HashSet<RowKey>,
        in_flight: &HashSet<RowKey>,
        keys: Option<&RowKeys>,
        send: impl FnOnce() -> T,
    ) -> (T, Option<(Store, Result<Page>)>) {
        let Some(reader) = reader else {
            return (send(), None);
        };
        // Sealing state is per thread.
        let own_keys = keys.map(RowKeys::for_another_thread);
        std::thread::scope(|scope| {
            let ahead = scope.spawn(move || {
                let page = Page::read(&reader, sent, in_flight, own_keys.as_ref());
                (reader, page)
            });
            let sent = send();
            let page = ahead.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (sent, Some(page))
        })
    }
}

/// The server binds each session to the device id that logged in. When
/// this database has taken a new id since (a copy caught on open, `pump
/// device --reset-id`, a fork after a 409 or a collision), its session
/// follows first: the server hands out a session bound to the new id, and
/// the twin that kept the old id keeps the old session. A session from
/// before pump recorded its device is left as it is.
///
/// The server refuses an id the account has synced under already: another
/// database took this id too, so this one is an undetected copy of it (a
/// snapshot taken before its twin's first sync under the id). It then
/// takes a fresh id, as `pump device --reset-id` does, keeping its clocks:
/// a write both twins made under the shared id with different content is
/// caught by its dot as a collision and held, never dropped. Returns the
/// id taken, if one was.
fn follow_device_id(store: &mut Store, transport: &mut dyn Transport) -> Result<Option<String>> {
    let Some(bound) = store.session_device()? else {
        return Ok(None);
    };
    let mut taken = None;
    let mut device = store.device_id().to_string();
    // A fresh random id is never known to the server: two tries suffice.
    for _ in 0..2 {
        if bound == device {
            return Ok(taken);
        }
        match transport.follow_device(&device)? {
            Some(token) => {
                store.set_session_token(&token, &device)?;
                return Ok(taken);
            }
            None => {
                device = store.reset_device_id()?;
                taken = Some(device.clone());
            }
        }
    }
    Err(Error::other(
        "the server refused this device's new id as another device's twice: run `pump sync` again",
    ))
}

impl Outcome {
    /// Folds a later run (e.g. the push of resolutions) into this one.
    pub fn absorb(&mut self, later: &Outcome) {
        add(&mut self.total, &later.total);
        self.rounds += later.rounds;
        if self.new_device_id.is_none() {
            self.new_device_id.clone_from(&later.new_device_id);
        }
    }
}

fn add(total: &mut ApplyReport, round: &ApplyReport) {
    total.accepted += round.accepted;
    total.received += round.received;
    total.auto_merged += round.auto_merged;
    total.conflicts += round.conflicts;
    total.newly_held += round.newly_held;
    total.collisions += round.collisions;
    total.unreadable += round.unreadable;
    total.impossible += round.impossible;
    total.server_lost_rounds |= round.server_lost_rounds;
    total.untrusted_round |= round.untrusted_round;
}
