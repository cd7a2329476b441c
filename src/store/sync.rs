//! The store's half of sync: which rows to send, and applying the server's
//! answer in one transaction (see `crate::sync` for the protocol). What to
//! do with each row is decided by `crate::sync::client_rules`; this file
//! only loads what the rules need and carries out what they say.

use super::device::confirm_lineage;
use super::meta::{self, Key};
use super::rows::{self, DOT_COLUMNS, RECORD_COLUMNS, RECORD_WITH_BASE_COLUMNS};
use super::sets::{DeferredIndexes, refresh_read_workout};
use super::{BodyText, Store, forget_conflict, forget_dots_covered_by, refresh_derived, set_base, write_row};
use crate::clock::VectorClock;
use crate::error::Result;
use crate::model::Workout;
use crate::sync::client_rules::{self, Answered, ClientAction, Local, ServerMemory};
use crate::sync::crypto::AccountKey;
use crate::sync::kinds::{self, Kind};
use crate::sync::merge::Version;
use crate::sync::sealed::Received;
use crate::sync::wire::{Row, SyncRequest, SyncResponse, WireBody, content_digest};
use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// What one applied answer did, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    /// Pushed rows the server stored (or already had).
    pub accepted: usize,
    /// Rows from other devices written here.
    pub received: usize,
    /// Concurrent versions merged without a person.
    pub auto_merged: usize,
    /// Concurrent versions held for a person.
    pub conflicts: usize,
    /// Of those, the ones not already held from an earlier round.
    pub newly_held: usize,
    /// Rows whose clock matched the server's but whose content did not: this
    /// database shares its device id with another one.
    pub collisions: usize,
    /// Rows received that this pump cannot read (a newer pump's): kept as
    /// they came, for a pump that can.
    pub unreadable: usize,
    /// Rows received whose clock carries an impossible counter (beyond
    /// `wire::MAX_COUNTER`): left out.
    pub impossible: usize,
    /// The server may not hold the rounds this device's cursor counts on
    /// (see `client_rules::ServerMemory`): everything here is marked to be
    /// sent again, and the pull starts over.
    pub server_lost_rounds: bool,
    /// The server did lose rounds: the rows it accepted in this round are
    /// not taken as synced, and this device must take a new id before
    /// sending them again (`ServerMemory::Lost`).
    pub untrusted_round: bool,
}

/// The rows an answer pulled, handed to [`Store::apply_answer`] one at a
/// time as they are opened and read (`client::engine` does that on a
/// second thread while the store writes): a page of 2,000 opened at once
/// took some 40 MB, and opening it held up storing it. A row that does not
/// open ends them with its error, and the round is not applied.
pub struct Pulled<'a> {
    /// How many rows the answer pulled.
    pub count: usize,
    /// The rows, in the answer's order.
    pub rows: &'a mut dyn Iterator<Item = Result<Received>>,
}

impl Store {
    /// Up to `limit` pending rows to push, skipping rows held in a conflict
    /// (the server already said no to them) and rows `already_sent` with the
    /// same clock in this run.
    ///
    /// After them come the kept rows this pump cannot read that are marked
    /// to be sent again (to a server that lost them).
    ///
    /// Each body is the canonical JSON text the database keeps, digested
    /// and (by `sync::sealed`) sealed as it is: parsing a page of workouts
    /// into values to write them out again took a third of a push's CPU.
    pub fn pending_page(
        &self,
        limit: usize,
        already_sent: &dyn Fn(&Row<WireBody>) -> bool,
    ) -> Result<Vec<Row<WireBody>>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records r
             WHERE r.pending = 1
               AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.kind = r.kind AND c.id = r.id)
             ORDER BY r.kind, r.id"
        ))?;
        let mut dots = self.conn.prepare_cached(&format!(
            "SELECT {DOT_COLUMNS} FROM dots WHERE kind = ?1 AND id = ?2 ORDER BY counter, device"
        ))?;
        let mut rows = stmt.query([])?;
        let mut page = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = rows::record_text(r)?;
            if !already_sent(&row) {
                row.dots = dots
                    .query_map(params![row.kind, row.id], rows::dot)?
                    .collect::<rusqlite::Result<_>>()?;
                page.push(with_digest(row));
                if page.len() == limit {
                    return Ok(page);
                }
            }
        }
        let mut kept = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM unreadable WHERE pending = 1 ORDER BY kind, id"
        ))?;
        let mut rows = kept.query([])?;
        while page.len() < limit
            && let Some(r) = rows.next()?
        {
            let row = rows::record_text(r)?;
            if !already_sent(&row) {
                page.push(with_digest(row));
            }
        }
        Ok(page)
    }

    /// Marks every record this device holds (and every kept row it cannot
    /// read) to be sent again, and the pull to start over: `pump sync
    /// --full`, and what sync does by itself with a server that lost rounds.
    pub fn send_everything_again(&mut self) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        mark_everything_for_sending(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The account has moved to `key` on the server: it becomes the
    /// account's key, the account is sealed, and every record is marked to
    /// be sent again, sealed under it with its clock unchanged, all in one
    /// transaction. The pull goes on from its cursor: this device pulled
    /// everything before the server took the key, and a restarted pull
    /// would meet plaintext rows not yet sent again.
    /// A key it replaces (a rotation) is kept as the retired key until
    /// every row went out again.
    pub fn seal_every_record(&mut self, key: &AccountKey, key_check: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if meta::get(&tx, Key::AccountSealed)?.is_some()
            && let Some(old) = meta::get(&tx, Key::AccountSecret)?
        {
            meta::set(&tx, Key::RetiredAccountSecret, &old)?;
        }
        meta::set(&tx, Key::AccountSecret, &key.to_hex())?;
        meta::set(&tx, Key::AccountKeyCheck, key_check)?;
        meta::set(&tx, Key::AccountSealed, "1")?;
        meta::remove(&tx, Key::NextAccountSecret)?;
        meta::remove(&tx, Key::NextKeyCheck)?;
        mark_every_record_for_sending(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Rows kept because an older pump could not read them, applied now
    /// that this one can (after an upgrade), exactly as if just received;
    /// kept rows that a version held here has superseded are dropped.
    pub fn apply_readable_kept(&mut self) -> Result<ApplyReport> {
        let kept: Vec<Row> = {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM unreadable ORDER BY kind, id"))?;
            let mut rows = stmt.query([])?;
            let mut kept = Vec::new();
            while let Some(r) = rows.next()? {
                kept.push(rows::record(r)?);
            }
            kept
        };
        let mut report = ApplyReport::default();
        if kept.is_empty() {
            return Ok(report);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for row in &kept {
            if kinds::readable(row) {
                tx.prepare_cached("DELETE FROM unreadable WHERE kind = ?1 AND id = ?2")?
                    .execute(params![row.kind, row.id])?;
                apply_remote(&tx, &self.device_id, row, &mut report)?;
            } else if superseded_here(&tx, row)? {
                tx.prepare_cached("DELETE FROM unreadable WHERE kind = ?1 AND id = ?2")?
                    .execute(params![row.kind, row.id])?;
            }
        }
        if report.received + report.auto_merged + report.conflicts > 0 {
            meta::add(&tx, Key::Generation, 1)?;
        }
        tx.commit()?;
        Ok(report)
    }

    /// Builds the derived indexes a first pull deferred (see
    /// [`Store::apply_answer`]), if it did: what a sync run does after its
    /// last round, whether or not the run succeeded.
    pub fn finish_deferred_indexes(&mut self) -> Result<()> {
        if let Some(checkpointer) = self.checkpointer.take() {
            drop(checkpointer);
            self.conn.pragma_update(None, "wal_autocheckpoint", super::WAL_PAGES)?;
        }
        DeferredIndexes::restore_noted(&mut self.conn)
    }

    /// Rows received that this pump cannot read, kept for one that can.
    pub fn unreadable_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM unreadable", [], |r| r.get(0))?)
    }

    /// Applies one answer atomically: results for what was sent, the pulled
    /// changes, and the new cursor. If the process dies before the commit,
    /// or a pulled row does not open, nothing happened and the next sync
    /// redoes the round.
    /// `request` is the round as sent, its rows open (see [`Store::pending_page`]);
    /// the changes come as `pulled`, not in `answer.changes`, which is not read.
    pub fn apply_answer(
        &mut self,
        request: &SyncRequest<WireBody>,
        answer: &SyncResponse,
        pulled: Pulled,
    ) -> Result<ApplyReport> {
        let sent = &request.rows;
        let nothing_to_confirm = request
            .lineage
            .as_ref()
            .is_none_or(|l| l.confirmed.as_deref() == Some(&l.next));
        let remembered = meta::get(&self.conn, Key::ServerId)?;
        let memory = client_rules::server_memory(remembered.as_deref(), request.cursor, answer);
        let new_server_id = answer
            .server_id
            .as_deref()
            .filter(|id| Some(*id) != remembered.as_deref());
        if sent.is_empty()
            && pulled.count == 0
            && nothing_to_confirm
            && memory == ServerMemory::Intact
            && new_server_id.is_none()
            && answer.cursor == self.sync_cursor()?
        {
            // A no-op round changes nothing: no write transaction, no fsync.
            return Ok(ApplyReport::default());
        }
        self.conn.pragma_update(None, "cache_size", ROUND_CACHE_KIB)?;
        // A statement that writes several rows inside the round's
        // transaction (a workout's `exercise_sessions` made from its sets)
        // keeps the pages it changes in a statement journal, to undo itself
        // alone; past 64 KiB SQLite spills that journal to a temporary file,
        // which a pull of 10,000 workouts wrote 374 MB to, a quarter of its
        // system time. In memory it is a copy of a few pages per statement.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let applied = self.apply_round(request, answer, pulled, memory, new_server_id);
        // Back to SQLite's default, which frees the round's pages: the
        // next page to push is read through a small cache, as before.
        self.conn.pragma_update(None, "cache_size", DEFAULT_CACHE_KIB)?;
        applied
    }

    /// [`Store::apply_answer`]'s transaction, for a round that changes something.
    fn apply_round(
        &mut self,
        request: &SyncRequest<WireBody>,
        answer: &SyncResponse,
        pulled: Pulled,
        memory: ServerMemory,
        new_server_id: Option<&str>,
    ) -> Result<ApplyReport> {
        let sent = &request.rows;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A first pull of more than a page fills an empty set table without
        // its indexes, which are then built once, sorted, after the last
        // round (`Store::finish_deferred_indexes`): kept set by set, the
        // eight of them cost more than the rest of the pull.
        let deferred = answer.more && pulled.count > 0 && DeferredIndexes::drop_until_noted_restore(&tx)?;
        let mut report = ApplyReport::default();
        // Rows held because another database wrote under this device id: the
        // same answer's pull may carry the server's version of them again,
        // looking like a successor; it must not replace them.
        let mut collided: Vec<(&str, &str)> = Vec::new();
        for (row, result) in sent.iter().zip(&answer.results) {
            if result.kind != row.kind || result.id != row.id {
                return Err(crate::error::Error::other(
                    "the server's answer does not match what was sent: nothing was applied; try `pump sync` again",
                ));
            }
            match client_rules::answered(result) {
                Answered::Accepted => {
                    mark_accepted(&tx, row, memory)?;
                    report.accepted += 1;
                }
                Answered::Received(server) => apply_remote(&tx, &self.device_id, server, &mut report)?,
                Answered::Collision(server) => {
                    let read = Reading::of(server, None);
                    execute(
                        &tx,
                        &self.device_id,
                        server,
                        ClientAction::Collision,
                        &read,
                        &mut report,
                    )?;
                    collided.push((&row.kind, &row.id));
                }
                Answered::Unreadable => report.unreadable += 1,
            }
        }
        let mut applied = 0;
        for remote in pulled.rows {
            let remote = remote?;
            if !collided.contains(&(remote.row.kind.as_str(), remote.row.id.as_str())) {
                apply_received(&tx, &self.device_id, &remote, &mut report)?;
            }
            applied += 1;
        }
        // The cursor below moves past every row pulled: a round short of
        // one (its opener gone) is not applied.
        if applied != pulled.count {
            return Err(crate::error::Error::other(
                "the server's answer was not read whole: nothing was applied; try `pump sync` again",
            ));
        }
        if memory != ServerMemory::Intact {
            mark_everything_for_sending(&tx)?;
            report.server_lost_rounds = true;
            report.untrusted_round = memory == ServerMemory::Lost;
        } else {
            meta::set(&tx, Key::SyncCursor, &answer.cursor.to_string())?;
        }
        if let Some(id) = new_server_id {
            meta::set(&tx, Key::ServerId, id)?;
        }
        if let Some(lineage) = &request.lineage {
            confirm_lineage(&tx, lineage)?;
        }
        meta::add(&tx, Key::AutoMergedTotal, report.auto_merged as u64)?;
        meta::add(&tx, Key::HeldTotal, report.newly_held as u64)?;
        if report.received + report.auto_merged + report.conflicts > 0 {
            meta::add(&tx, Key::Generation, 1)?;
        }
        tx.commit()?;
        if deferred {
            // The rounds to come copy the WAL into the file aside. Only an
            // optimisation, after the commit: if it cannot start, the
            // writer goes on checkpointing as before.
            if let Ok(checkpointer) = Checkpointer::start(&self.path)
                && self.conn.pragma_update(None, "wal_autocheckpoint", 0).is_ok()
            {
                self.checkpointer = Some(checkpointer);
            }
        } else if let Some(checkpointer) = &self.checkpointer {
            checkpointer.wake();
        }
        Ok(report)
    }
}

/// Copies the WAL into the database file on a thread and connection of its
/// own while a first pull writes its next rounds, instead of the committing
/// connection doing it after each commit (SQLite's auto-checkpoint): a
/// tenth of a pull of 10,000 workouts, on the thread that stores them. A
/// passive checkpoint copies what is committed and never waits for the
/// writer; durability is the commit's (the WAL is synced at each commit,
/// `synchronous=FULL`). Started by the round that defers the set table's
/// indexes, stopped with [`Store::finish_deferred_indexes`] (or dropped).
pub(super) struct Checkpointer {
    wake: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    fn start(path: &std::path::Path) -> Result<Checkpointer> {
        let conn = rusqlite::Connection::open(path)?;
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        // A wake-up while it copies is one more copy after it, not a queue.
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::spawn(move || {
            while woken.recv().is_ok() {
                // Only an optimisation: what it would copy is durable in the
                // WAL already, and the next commit's checkpoint copies it.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
        });
        Ok(Checkpointer {
            wake: Some(wake),
            thread: Some(thread),
        })
    }

    /// A round committed: copy what it wrote.
    fn wake(&self) {
        if let Some(wake) = &self.wake {
            let _ = wake.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    /// Lets a copy under way finish, then ends the thread.
    fn drop(&mut self) {
        drop(self.wake.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// SQLite's page cache while a round is applied, in KiB (as `cache_size`
/// takes it, negative). A round writes up to a page of rows (2,000
/// workouts) with their set rows and index entries in one transaction,
/// some 20 MB of pages; in SQLite's default 2 MB it spilled dirty pages to
/// the WAL before the commit and read index pages back from the file, a
/// quarter of a pull's CPU. The cache only grows as far as a round needs;
/// 16 MB keeps a pull's peak memory well under 100 MB.
const ROUND_CACHE_KIB: i64 = -16 * 1024;

/// SQLite's default page cache (`cache_size = -2000`: 2 MB).
const DEFAULT_CACHE_KIB: i64 = -2000;

/// Every record (live or tombstone, with its current version) is to be
/// sent again, and the pull starts over. A synced row keeps itself as its
/// merge base, as it would before a local edit; rows received but unreadable
/// here are sent too.
fn mark_everything_for_sending(tx: &Transaction) -> Result<()> {
    mark_every_record_for_sending(tx)?;
    meta::set(tx, Key::SyncCursor, "0")
}

/// Every record, and every kept row, is to be sent again (see
/// [`mark_everything_for_sending`]); the pull goes on from where it is.
fn mark_every_record_for_sending(tx: &Transaction) -> Result<()> {
    tx.execute_batch(
        "UPDATE records SET base_body = body, base_deleted = deleted, base_clock = clock
         WHERE pending = 0 AND base_body IS NULL;
         UPDATE records SET pending = 1 WHERE pending = 0;
         UPDATE unreadable SET pending = 1 WHERE pending = 0;",
    )
    .map_err(Into::into)
}

/// Whether the version this device holds of `kept`'s record has seen it:
/// the kept row is obsolete.
fn superseded_here(tx: &Transaction, kept: &Row) -> Result<bool> {
    Ok(load(tx, &kept.kind, &kept.id)?.is_some_and(|(local, _)| {
        matches!(
            local.clock.compare(&kept.clock),
            crate::clock::Causality::After | crate::clock::Causality::Equal
        )
    }))
}

/// The server has exactly what was sent: it becomes the synced base, and the
/// row stops being pending unless it was edited while the request was in
/// flight (then its clock differs and it goes out in the next round).
///
/// When the row still holds the version sent (the usual case), its own
/// columns become the base in one UPDATE: no re-serialising of a body the
/// database already has, one row rewrite instead of two (a push marks
/// thousands of rows, each kilobytes long). Only the other rows need their
/// body read: a kept row this pump cannot read (sent to a server that had
/// lost it) stays kept, no longer to be sent, and a version judged by a
/// server that forgot the writes it would have checked it against
/// (`ServerMemory::Lost`) is not taken as synced: it is sent again, under
/// a new id.
fn mark_accepted(tx: &Transaction, sent: &Row<WireBody>, memory: ServerMemory) -> Result<()> {
    let trusted = memory != ServerMemory::Lost;
    let clock = sent.clock.to_json();
    if trusted
        && tx
            .prepare_cached(
                "UPDATE records SET pending = 0, base_body = NULL, base_deleted = NULL, base_clock = NULL
                 WHERE kind = ?1 AND id = ?2 AND clock = ?3",
            )?
            .execute(params![sent.kind, sent.id, clock])?
            > 0
    {
        return forget_dots_covered_by(tx, &sent.kind, &sent.id, &sent.clock);
    }
    if !readable(sent) {
        tx.prepare_cached("UPDATE unreadable SET pending = 0 WHERE kind = ?1 AND id = ?2 AND clock = ?3")?
            .execute(params![sent.kind, sent.id, clock])?;
    } else if trusted {
        set_base(tx, sent)?;
    }
    Ok(())
}

/// Whether this pump can read a row read as text (see `kinds::readable`).
fn readable(row: &Row<WireBody>) -> bool {
    serde_json::from_str(row.body.get())
        .is_ok_and(|body| kinds::Kind::parse(&row.kind).is_some_and(|kind| kind.readable_body(&row.id, &body)))
}

/// `row` with the digest of its content, which the server compares instead
/// of its body to tell a retry from a copied database. The body is the
/// canonical text every write path stores (`serde_json`'s of the value),
/// the text each dot's digest was taken of: digested as it is.
fn with_digest(mut row: Row<WireBody>) -> Row<WireBody> {
    row.digest = Some(content_digest(row.deleted, row.body.get()));
    row
}

/// The local row with this kind and id, and its merge base.
fn load(tx: &Transaction, kind: &str, id: &str) -> Result<Option<(Row, rows::Base)>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {RECORD_WITH_BASE_COLUMNS} FROM records WHERE kind = ?1 AND id = ?2"
    ))?;
    let mut found = stmt.query(params![kind, id])?;
    found.next()?.map(rows::record_with_base).transpose()
}

/// What storing a received version needs from its body, read once by
/// whoever read it: a workout (for the rules and its set rows) and its sort key.
struct Reading<'a> {
    workout: Option<&'a Workout>,
    started_at: Option<&'a str>,
}

impl<'a> Reading<'a> {
    fn of(remote: &'a Row, workout: Option<&'a Workout>) -> Reading<'a> {
        Reading {
            workout,
            started_at: kinds::started_at(&remote.body),
        }
    }
}

/// What the rules see of the local row found by [`load`].
fn local(found: &Option<(Row, rows::Base)>) -> Option<Local<'_>> {
    found.as_ref().map(|(row, base)| Local {
        current: Version {
            body: &row.body,
            deleted: row.deleted,
        },
        clock: &row.clock,
        base: base.synced(row),
    })
}

/// Applies a version received from the server to the local row, as
/// `client_rules::decide` says.
fn apply_remote(tx: &Transaction, device_id: &str, remote: &Row, report: &mut ApplyReport) -> Result<()> {
    // A workout is read once: whether this pump can read it, and the sets
    // it puts in the set table.
    let is_workout = remote.kind == Kind::Workout.as_str();
    let workout = if is_workout {
        kinds::read::<Workout>(&remote.id, &remote.body)
    } else {
        None
    };
    let readable = if is_workout {
        workout.is_some()
    } else {
        kinds::readable(remote)
    };
    let found = load(tx, &remote.kind, &remote.id)?;
    let action = client_rules::decide_read(local(&found), remote, readable);
    execute(
        tx,
        device_id,
        remote,
        action,
        &Reading::of(remote, workout.as_ref()),
        report,
    )
}

/// [`apply_remote`] for a pulled row, opened and read already: one this
/// device holds no version of (every row of a new device's first pull) is
/// stored as the text it came as; another is parsed again for the rules.
fn apply_received(tx: &Transaction, device_id: &str, received: &Received, report: &mut ApplyReport) -> Result<()> {
    let remote = &received.row;
    let action = match load(tx, &remote.kind, &remote.id)? {
        None => client_rules::decide_unknown(remote, received.readable),
        found => client_rules::decide_read(local(&found), &received.to_open()?, received.readable),
    };
    let read = Reading {
        workout: received.workout.as_ref(),
        started_at: received.started_at.as_deref(),
    };
    execute(tx, device_id, remote, action, &read, report)
}

/// Carries out what the rules decided about the server's version `remote`
/// (`read`: what its body gives, read once).
fn execute<B: BodyText>(
    tx: &Transaction,
    device_id: &str,
    remote: &Row<B>,
    action: ClientAction,
    read: &Reading,
    report: &mut ApplyReport,
) -> Result<()> {
    match action {
        ClientAction::ImpossibleClock => report.impossible += 1,
        ClientAction::Unreadable => {
            keep_unreadable(tx, remote)?;
            report.unreadable += 1;
        }
        ClientAction::StoreRemote => {
            store_remote(tx, remote, read)?;
            report.received += 1;
        }
        ClientAction::Acknowledge => store_remote(tx, remote, read)?,
        ClientAction::KeepMine => {}
        ClientAction::Merged { body, deleted } => {
            // The server's version is now the common ancestor of what this
            // device holds: it becomes the base for the next merge.
            set_base(tx, remote)?;
            write_row(
                tx,
                device_id,
                &remote.kind,
                &remote.id,
                &body,
                deleted,
                Some(&remote.clock),
            )?;
            forget_conflict(tx, &remote.kind, &remote.id)?;
            report.auto_merged += 1;
        }
        ClientAction::Hold => hold_conflict(tx, remote, report)?,
        ClientAction::Collision => {
            hold_conflict(tx, remote, report)?;
            report.collisions += 1;
        }
    }
    Ok(())
}

/// Writes the server's version as the synced state of the row.
fn store_remote<B: BodyText>(tx: &Transaction, remote: &Row<B>, read: &Reading) -> Result<()> {
    let body = remote.body.canonical_text();
    let clock = remote.clock.to_json();
    match read.workout {
        Some(workout) => refresh_read_workout(tx, &remote.id, Some(workout).filter(|_| !remote.deleted))?,
        None => refresh_derived(
            tx,
            &remote.kind,
            &remote.id,
            remote.body.value()?.as_ref(),
            remote.deleted,
        )?,
    }
    tx.prepare_cached(
        "INSERT INTO records (kind, id, body, deleted, clock, pending, base_body, base_deleted, base_clock, updated_at,
                              origin, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, NULL, NULL, ?6, ?7, ?8)
         ON CONFLICT (kind, id) DO UPDATE SET
           body = excluded.body, deleted = excluded.deleted, clock = excluded.clock, pending = 0,
           base_body = NULL, base_deleted = NULL, base_clock = NULL,
           updated_at = excluded.updated_at, origin = excluded.origin, started_at = excluded.started_at",
    )?
    .execute(params![
        remote.kind,
        remote.id,
        body,
        remote.deleted,
        clock,
        Utc::now().to_rfc3339(),
        rows::origin_json(remote.origin.as_ref()),
        read.started_at
    ])?;
    forget_conflict(tx, &remote.kind, &remote.id)?;
    forget_dots_covered_by(tx, &remote.kind, &remote.id, &remote.clock)
}

/// Keeps a version this pump cannot read exactly as it came, unless the one
/// already kept has seen it (the server only sends newer versions, but a
/// server that lost rounds may send an older one).
fn keep_unreadable<B: BodyText>(tx: &Transaction, remote: &Row<B>) -> Result<()> {
    let kept: Option<String> = tx
        .prepare_cached("SELECT clock FROM unreadable WHERE kind = ?1 AND id = ?2")?
        .query_row(params![remote.kind, remote.id], |r| r.get(0))
        .optional()?;
    if let Some(kept) = kept
        && VectorClock::from_json(&kept)?.compare(&remote.clock) == crate::clock::Causality::After
    {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO unreadable (kind, id, body, deleted, clock, origin, pending, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, deleted = excluded.deleted,
           clock = excluded.clock, origin = excluded.origin, pending = 0, received_at = excluded.received_at",
    )?
    .execute(params![
        remote.kind,
        remote.id,
        remote.body.canonical_text(),
        remote.deleted,
        remote.clock.to_json(),
        rows::origin_json(remote.origin.as_ref()),
        Utc::now().to_rfc3339()
    ])?;
    Ok(())
}

fn hold_conflict<B: BodyText>(tx: &Transaction, remote: &Row<B>, report: &mut ApplyReport) -> Result<()> {
    let already = tx
        .prepare_cached("SELECT 1 FROM conflicts WHERE kind = ?1 AND id = ?2")?
        .exists(params![remote.kind, remote.id])?;
    tx.execute(
        "INSERT INTO conflicts (kind, id, remote_body, remote_deleted, remote_clock, detected_at, remote_origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (kind, id) DO UPDATE SET remote_body = excluded.remote_body,
           remote_deleted = excluded.remote_deleted, remote_clock = excluded.remote_clock,
           remote_origin = excluded.remote_origin",
        params![
            remote.kind,
            remote.id,
            remote.body.canonical_text(),
            remote.deleted,
            remote.clock.to_json(),
            Utc::now().to_rfc3339(),
            rows::origin_json(remote.origin.as_ref())
        ],
    )?;
    report.conflicts += 1;
    if !already {
        report.newly_held += 1;
    }
    Ok(())
}
