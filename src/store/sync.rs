//! The store's half of sync: which rows to send, and applying the server's
//! answer in one transaction (see `crate::sync` for the protocol).

use super::conflicts::{AUTO_MERGED_TOTAL, HELD_TOTAL, bump_counter};
use super::{Store, write_row};
use crate::clock::{Causality, VectorClock};
use crate::error::Result;
use crate::sync::merge::{self, Version};
use crate::sync::wire::{Dot, Lineage, Row, RowStatus, SyncRequest, SyncResponse};
use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::Value;

const CURSOR_KEY: &str = "sync_cursor";
/// The lineage token of the last round the server confirmed.
pub(super) const LINEAGE_CONFIRMED: &str = "lineage_confirmed";
/// The tokens of rounds sent but not confirmed (a lost answer, a crash),
/// as a JSON list: the server may have kept any of them (see `wire::Lineage`).
pub(super) const LINEAGE_UNCONFIRMED: &str = "lineage_unconfirmed";
/// Enough for any run of failed rounds a device will really have; the
/// oldest token is dropped beyond it.
const MAX_UNCONFIRMED: usize = 32;

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
    /// Rows received that this pump cannot read (skipped, left on the server).
    pub unreadable: usize,
}

/// A row in `records`, as sync sees it.
struct LocalRow {
    body: Value,
    deleted: bool,
    clock: VectorClock,
}

impl Store {
    /// The lineage to present in a round that pushes `rows` rows. Only a
    /// push can store anything, so only a push moves the lineage on; a
    /// pull-only round with nothing unconfirmed presents the confirmed token
    /// as its own `next`, which a copy that lost the race cannot match, and
    /// costs no write. Every other round gets a fresh token, saved (with the
    /// unconfirmed ones before it) before the request leaves.
    pub fn lineage_for(&self, rows: usize) -> Result<Lineage> {
        let confirmed = self.meta(LINEAGE_CONFIRMED)?;
        let unconfirmed: Vec<String> = self
            .meta(LINEAGE_UNCONFIRMED)?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        if rows == 0
            && unconfirmed.is_empty()
            && let Some(confirmed) = confirmed
        {
            return Ok(Lineage {
                confirmed: Some(confirmed.clone()),
                unconfirmed,
                next: confirmed,
            });
        }
        let next = format!("{:032x}", rand::random::<u128>());
        let mut saved = unconfirmed.clone();
        saved.push(next.clone());
        let excess = saved.len().saturating_sub(MAX_UNCONFIRMED);
        saved.drain(..excess);
        self.set_meta(LINEAGE_UNCONFIRMED, Some(&serde_json::to_string(&saved)?))?;
        Ok(Lineage {
            confirmed,
            unconfirmed,
            next,
        })
    }

    /// Sync found this database to be a copy of another that wrote under the
    /// same device id since the copy was made (a restored VM snapshot: the
    /// file looked like the original, see `Store::open`), or found one of its
    /// writes to reuse a counter another database used (a collision). It
    /// takes a new id, and its unsynced writes are re-attributed to it: in
    /// each pending row, the counters of every device with unsynced writes
    /// here (its own old id, and an id it inherited when it was copied from
    /// a copy) go back to what the last synced version had (a twin may have
    /// used the counters above it for different content), those writes'
    /// dots are dropped, and the new id is bumped. Against the twin's
    /// versions these rows are then concurrent, so they merge or are held,
    /// and neither twin's sets are lost.
    ///
    /// Except the rows in `shared`: versions the server already holds with
    /// exactly this clock and content. Those are history both twins share
    /// (written before the copy), not this copy's own edits; re-attributed,
    /// they would turn into edits concurrent with everything the twin did
    /// since, so a delete on the twin would become an edit-vs-delete conflict
    /// and could bring the workout back.
    pub fn fork_device(&mut self, shared: &[&Row]) -> Result<String> {
        let old = self.device_id.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let new = super::take_new_device_id(&tx)?;
        let pending: Vec<(String, String, String, bool, String, Option<String>)> = {
            let mut stmt =
                tx.prepare("SELECT kind, id, body, deleted, clock, base_clock FROM records WHERE pending = 1")?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (kind, id, body, deleted, clock, base_clock) in pending {
            let mut clock = VectorClock::from_json(&clock)?;
            // Still the version the server said it holds: a shared one.
            if shared.iter().any(|s| s.kind == kind && s.id == id && s.clock == clock) {
                continue;
            }
            let synced = base_clock
                .map(|b| VectorClock::from_json(&b))
                .transpose()?
                .unwrap_or_default();
            // This database's own unsynced writes, and those it inherited
            // under another id when it was copied from a copy: a twin may
            // have used the same counters. The version stops claiming them.
            let mut writers: Vec<String> = tx
                .prepare_cached("SELECT DISTINCT device FROM dots WHERE kind = ?1 AND id = ?2")?
                .query_map(params![kind, id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            writers.push(old.clone());
            for writer in &writers {
                clock.set(writer, synced.get(writer));
                tx.prepare_cached("DELETE FROM dots WHERE kind = ?1 AND id = ?2 AND device = ?3 AND counter > ?4")?
                    .execute(params![kind, id, writer, synced.get(writer) as i64])?;
            }
            tx.execute(
                "UPDATE records SET clock = ?3 WHERE kind = ?1 AND id = ?2",
                params![kind, id, clock.to_json()],
            )?;
            write_row(&tx, &new, &kind, &id, &serde_json::from_str(&body)?, deleted, None)?;
        }
        tx.commit()?;
        self.device_id = new.clone();
        Ok(new)
    }

    pub fn sync_cursor(&self) -> Result<u64> {
        Ok(self.meta(CURSOR_KEY)?.and_then(|c| c.parse().ok()).unwrap_or(0))
    }

    /// Up to `limit` pending rows to push, skipping rows held in a conflict
    /// (the server already said no to them) and rows `already_sent` with the
    /// same clock in this run.
    pub fn pending_page(&self, limit: usize, already_sent: &dyn Fn(&Row) -> bool) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.kind, r.id, r.body, r.deleted, r.clock, r.origin FROM records r
             WHERE r.pending = 1
               AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.kind = r.kind AND c.id = r.id)
             ORDER BY r.kind, r.id",
        )?;
        let mut dots = self.conn.prepare_cached(
            "SELECT device, counter, digest FROM dots WHERE kind = ?1 AND id = ?2 ORDER BY counter, device",
        )?;
        let mut rows = stmt.query([])?;
        let mut page = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Row {
                kind: r.get(0)?,
                id: r.get(1)?,
                // Parsed straight from SQLite's buffer: no copy of each body.
                body: serde_json::from_str(text(r, 2)?)?,
                deleted: r.get(3)?,
                clock: VectorClock::from_json(text(r, 4)?)?,
                origin: parse_origin(r.get(5)?),
                dots: Vec::new(),
            };
            if !already_sent(&row) {
                row.dots = dots
                    .query_map(params![row.kind, row.id], |d| {
                        Ok(Dot {
                            device: d.get(0)?,
                            counter: d.get::<_, i64>(1)? as u64,
                            digest: d.get(2)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                page.push(row);
                if page.len() == limit {
                    break;
                }
            }
        }
        Ok(page)
    }

    /// Applies one answer atomically: results for what was sent, the pulled
    /// changes, and the new cursor. If the process dies before the commit,
    /// nothing happened and the next sync redoes the round.
    pub fn apply_answer(&mut self, request: &SyncRequest, answer: &SyncResponse) -> Result<ApplyReport> {
        let sent = &request.rows;
        let nothing_to_confirm = request
            .lineage
            .as_ref()
            .is_none_or(|l| l.confirmed.as_deref() == Some(&l.next));
        if sent.is_empty() && answer.changes.is_empty() && nothing_to_confirm && answer.cursor == self.sync_cursor()? {
            // A no-op round changes nothing: no write transaction, no fsync.
            return Ok(ApplyReport::default());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
            match (result.status, &result.server) {
                (RowStatus::Accepted, _) => {
                    mark_accepted(&tx, row)?;
                    report.accepted += 1;
                }
                (RowStatus::Collision, Some(server)) => {
                    // Another database wrote under this device id: the
                    // clocks cannot be trusted to say which version is newer
                    // (the server's may even look like a successor of ours),
                    // so both are kept for a person, and the engine gives
                    // this device a fresh id.
                    if crate::sync::kinds::readable(server) {
                        hold_conflict(&tx, server, &mut report)?;
                        report.collisions += 1;
                        collided.push((&row.kind, &row.id));
                    } else {
                        report.unreadable += 1;
                    }
                }
                (RowStatus::Stale | RowStatus::Conflict, Some(server)) => {
                    apply_remote(&tx, &self.device_id, server, &mut report)?;
                }
                (_, None) => report.unreadable += 1,
            }
        }
        for remote in &answer.changes {
            if !collided.contains(&(remote.kind.as_str(), remote.id.as_str())) {
                apply_remote(&tx, &self.device_id, remote, &mut report)?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![CURSOR_KEY, answer.cursor.to_string()],
        )?;
        if let Some(lineage) = &request.lineage {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![LINEAGE_CONFIRMED, lineage.next],
            )?;
            tx.execute("DELETE FROM meta WHERE key = ?1", [LINEAGE_UNCONFIRMED])?;
        }
        bump_counter(&tx, AUTO_MERGED_TOTAL, report.auto_merged as u64)?;
        bump_counter(&tx, HELD_TOTAL, report.newly_held as u64)?;
        if report.received + report.auto_merged + report.conflicts > 0 {
            bump_counter(&tx, super::GENERATION, 1)?;
        }
        tx.commit()?;
        Ok(report)
    }
}

/// A TEXT column borrowed from SQLite's buffer.
fn text<'a>(row: &'a rusqlite::Row, column: usize) -> rusqlite::Result<&'a str> {
    row.get_ref(column)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

/// The server has exactly what was sent: it becomes the synced base, and the
/// row stops being pending unless it was edited while the request was in
/// flight (then its clock differs and it goes out in the next round).
///
/// When the row still holds the version sent (the usual case), its own
/// columns become the base in one UPDATE: no re-serialising of a body the
/// database already has, one row rewrite instead of two (a push marks
/// thousands of rows, each kilobytes long).
fn mark_accepted(tx: &Transaction, sent: &Row) -> Result<()> {
    let clock = sent.clock.to_json();
    let unchanged = tx
        .prepare_cached(
            "UPDATE records SET pending = 0, base_body = NULL, base_deleted = NULL, base_clock = NULL
             WHERE kind = ?1 AND id = ?2 AND clock = ?3",
        )?
        .execute(params![sent.kind, sent.id, clock])?;
    if unchanged == 0 {
        set_base(tx, sent)?;
    }
    forget_dots_covered_by(tx, &sent.kind, &sent.id, &sent.clock)
}

/// The dots of writes a synced version includes: the server has them, or
/// has a version that supersedes them, so they need not travel again.
fn forget_dots_covered_by(tx: &Transaction, kind: &str, id: &str, synced: &VectorClock) -> Result<()> {
    let mut forget =
        tx.prepare_cached("DELETE FROM dots WHERE kind = ?1 AND id = ?2 AND device = ?3 AND counter <= ?4")?;
    for (device, counter) in synced.entries() {
        forget.execute(params![kind, id, device, counter as i64])?;
    }
    Ok(())
}

fn load(tx: &Transaction, kind: &str, id: &str) -> Result<Option<LocalRow>> {
    let row = tx
        .prepare_cached("SELECT body, deleted, clock FROM records WHERE kind = ?1 AND id = ?2")?
        .query_row(params![kind, id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    row.map(|(body, deleted, clock)| {
        Ok(LocalRow {
            body: serde_json::from_str(&body)?,
            deleted,
            clock: VectorClock::from_json(&clock)?,
        })
    })
    .transpose()
}

/// Decides what a version from the server does to the local row.
///
/// ```text
///   local vs remote   Before      remote replaces local, becomes the base
///                     Equal       same content: acknowledged; else collision
///                     After       local stays pending and goes out next
///                     Concurrent  conflict: held with both versions
/// ```
fn apply_remote(tx: &Transaction, device_id: &str, remote: &Row, report: &mut ApplyReport) -> Result<()> {
    if !crate::sync::kinds::readable(remote) {
        report.unreadable += 1;
        return Ok(());
    }
    let Some(local) = load(tx, &remote.kind, &remote.id)? else {
        store_remote(tx, remote)?;
        report.received += 1;
        return Ok(());
    };
    match local.clock.compare(&remote.clock) {
        Causality::Before => {
            store_remote(tx, remote)?;
            report.received += 1;
        }
        Causality::Equal if local.body == remote.body && local.deleted == remote.deleted => {
            store_remote(tx, remote)?;
        }
        Causality::After => {}
        Causality::Equal => {
            // Same history, different content: a copied database. Neither
            // version may be lost: the local one is held against the server's
            // as a conflict, and the engine gives this device a fresh id.
            report.collisions += 1;
            hold_conflict(tx, remote, report)?;
        }
        Causality::Concurrent => {
            let base = load_base(tx, &remote.kind, &remote.id)?;
            let merged = merge::merge(
                base.as_ref().map(|(body, deleted)| Version {
                    body,
                    deleted: *deleted,
                }),
                Version {
                    body: &local.body,
                    deleted: local.deleted,
                },
                Version {
                    body: &remote.body,
                    deleted: remote.deleted,
                },
            );
            let candidate = Row {
                body: merged.body,
                deleted: merged.deleted,
                ..remote.clone()
            };
            if merged.conflicts.is_empty() && crate::sync::kinds::readable(&candidate) {
                // The server's version is now the common ancestor of what
                // this device holds: it becomes the base for the next merge.
                set_base(tx, remote)?;
                write_row(
                    tx,
                    device_id,
                    &remote.kind,
                    &remote.id,
                    &candidate.body,
                    candidate.deleted,
                    Some(&remote.clock),
                )?;
                tx.execute(
                    "DELETE FROM conflicts WHERE kind = ?1 AND id = ?2",
                    params![remote.kind, remote.id],
                )?;
                report.auto_merged += 1;
            } else {
                hold_conflict(tx, remote, report)?;
            }
        }
    }
    Ok(())
}

fn load_base(tx: &Transaction, kind: &str, id: &str) -> Result<Option<(Value, bool)>> {
    let row = tx
        .query_row(
            &format!("SELECT {BASE_BODY}, {BASE_DELETED} FROM records WHERE kind = ?1 AND id = ?2 AND {BASE_BODY} IS NOT NULL"),
            params![kind, id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
        )
        .optional()?;
    row.map(|(body, deleted)| Ok((serde_json::from_str(&body)?, deleted)))
        .transpose()
}

fn set_base(tx: &Transaction, synced: &Row) -> Result<()> {
    tx.prepare_cached(
        "UPDATE records SET base_body = ?3, base_deleted = ?4, base_clock = ?5 WHERE kind = ?1 AND id = ?2",
    )?
    .execute(params![
        synced.kind,
        synced.id,
        synced.body.to_string(),
        synced.deleted,
        synced.clock.to_json()
    ])?;
    Ok(())
}

/// The merge base of a row. A synced row (not pending) *is* its own base, so
/// it stores none: writing every body twice made sync slower for nothing.
/// `write_row` saves the base before the first local change to a synced row.
pub(super) const BASE_BODY: &str = "COALESCE(base_body, CASE WHEN pending = 0 THEN body END)";
pub(super) const BASE_DELETED: &str = "COALESCE(base_deleted, CASE WHEN pending = 0 THEN deleted END)";

/// Writes the server's version as the synced state of the row.
fn store_remote(tx: &Transaction, remote: &Row) -> Result<()> {
    let body = serde_json::to_string(&remote.body)?;
    let clock = remote.clock.to_json();
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
        origin_json(remote),
        super::started_at(&remote.body)
    ])?;
    tx.prepare_cached("DELETE FROM conflicts WHERE kind = ?1 AND id = ?2")?
        .execute(params![remote.kind, remote.id])?;
    forget_dots_covered_by(tx, &remote.kind, &remote.id, &remote.clock)
}

fn hold_conflict(tx: &Transaction, remote: &Row, report: &mut ApplyReport) -> Result<()> {
    let already: Option<String> = tx
        .query_row(
            "SELECT remote_clock FROM conflicts WHERE kind = ?1 AND id = ?2",
            params![remote.kind, remote.id],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO conflicts (kind, id, remote_body, remote_deleted, remote_clock, detected_at, remote_origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (kind, id) DO UPDATE SET remote_body = excluded.remote_body,
           remote_deleted = excluded.remote_deleted, remote_clock = excluded.remote_clock,
           remote_origin = excluded.remote_origin",
        params![
            remote.kind,
            remote.id,
            serde_json::to_string(&remote.body)?,
            remote.deleted,
            remote.clock.to_json(),
            Utc::now().to_rfc3339(),
            origin_json(remote)
        ],
    )?;
    report.conflicts += 1;
    if already.is_none() {
        report.newly_held += 1;
    }
    Ok(())
}

impl Store {
    /// Conflicts held for a person.
    pub fn conflict_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0))?)
    }
}

fn origin_json(row: &Row) -> Option<String> {
    row.origin.as_ref().and_then(|o| serde_json::to_string(o).ok())
}

/// Origins are for display only: an unreadable one is simply not shown.
pub(super) fn parse_origin(text: Option<String>) -> Option<crate::sync::wire::Origin> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}
