//! Who this database is: its device id, how opening tells a copied file
//! from the original, the sync lineage that tells the server the same, and
//! what a copy does once caught (a new id, its unsynced writes handed to it).
//!
//! Two databases must never write under one device id: they would reuse its
//! clock counters for different content, and a version of one could be
//! dropped as an older version of the other.

use super::meta::{self, Key};
use super::rows::{self, RECORD_WITH_BASE_COLUMNS};
use super::{Store, write_row};
use crate::error::Result;
use crate::sync::wire::{Lineage, Row, WireBody};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use std::path::Path;

/// Enough unconfirmed lineage tokens for any run of failed rounds a device
/// will really have; the oldest token is dropped beyond it.
const MAX_UNCONFIRMED: usize = 32;

/// A device is its database file: its id is made on first open, and made
/// anew when the file turns out to be a copy — another file (inode) or
/// another machine than the one that last opened it. Returns the id, and,
/// for a copy, the id it gave up.
///
/// A copy caught here has written nothing since it was made (every write
/// opens the file first), so its unsynced rows are exactly the original's
/// at that moment: shared history, kept under their clocks. Pushed by
/// either twin they are the same version (a no-op retry for the server),
/// and whatever the original did to them since (an edit, a delete)
/// dominates them everywhere, as it would have without the copy.
pub(super) fn ensure_device(conn: &Connection, path: &Path) -> Result<(String, Option<String>)> {
    let here = file_fingerprint(path);
    let known = meta::get(conn, Key::DeviceId)?.is_some() && meta::get(conn, Key::DeviceName)?.is_some();
    if known && meta::get(conn, Key::DeviceFile)? == here {
        return Ok((meta::get(conn, Key::DeviceId)?.unwrap_or_default(), None));
    }
    // Deciding and writing in one IMMEDIATE transaction: two pumps opening
    // a new file at once must not both make an id (the first one's writes
    // would carry an id the file no longer has).
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let identity = identify(&tx, here)?;
    tx.commit()?;
    Ok(identity)
}

fn identify(conn: &Connection, here: Option<String>) -> Result<(String, Option<String>)> {
    let recorded = meta::get(conn, Key::DeviceFile)?;
    let (id, copied_from) = match meta::get(conn, Key::DeviceId)? {
        Some(id) if recorded.is_none() || recorded == here => (id, None),
        Some(old) => (take_new_device_id(conn)?, Some(old)),
        None => (take_new_device_id(conn)?, None),
    };
    if recorded != here {
        match &here {
            Some(here) => meta::set(conn, Key::DeviceFile, here)?,
            None => meta::remove(conn, Key::DeviceFile)?,
        }
    }
    if meta::get(conn, Key::DeviceName)?.is_none() {
        let host = hostname::get()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "pump".into());
        meta::set(conn, Key::DeviceName, &host)?;
    }
    Ok((id, copied_from))
}

/// Which file on which machine this is.
fn file_fingerprint(path: &Path) -> Option<String> {
    let host = hostname::get().ok()?.into_string().ok()?;
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(format!("{host}:{}:{}", meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(host)
    }
}

/// A fresh device id (128 random bits, hex), with no sync lineage yet.
fn take_new_device_id(conn: &Connection) -> Result<String> {
    let bits: u128 = rand::random();
    let id = format!("{bits:032x}");
    meta::set(conn, Key::DeviceId, &id)?;
    meta::remove(conn, Key::LineageConfirmed)?;
    meta::remove(conn, Key::LineageUnconfirmed)?;
    Ok(id)
}

/// A round's lineage reached the server and was kept: its token is now the
/// confirmed one, and nothing is unconfirmed. Runs in the round's
/// transaction.
pub(super) fn confirm_lineage(conn: &Connection, lineage: &Lineage) -> Result<()> {
    meta::set(conn, Key::LineageConfirmed, &lineage.next)?;
    meta::remove(conn, Key::LineageUnconfirmed)
}

impl Store {
    /// The id this database's writes carry in clocks.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The device id this file had before opening found it to be a copy.
    pub fn copied_from(&self) -> Option<&str> {
        self.copied_from.as_deref()
    }

    /// Gives this database a new device id (`pump device --reset-id`).
    /// Existing clocks keep the old id's counters: they are history.
    pub fn reset_device_id(&mut self) -> Result<String> {
        let id = take_new_device_id(&self.conn)?;
        self.device_id = id.clone();
        Ok(id)
    }

    /// The lineage to present in a round that pushes `rows` rows. Only a
    /// push can store anything, so only a push moves the lineage on; a
    /// pull-only round with nothing unconfirmed presents the confirmed token
    /// as its own `next`, which a copy that lost the race cannot match, and
    /// costs no write. Every other round gets a fresh token, saved (with the
    /// unconfirmed ones before it) before the request leaves.
    pub fn lineage_for(&self, rows: usize) -> Result<Lineage> {
        let confirmed = meta::get(&self.conn, Key::LineageConfirmed)?;
        let unconfirmed: Vec<String> = meta::get(&self.conn, Key::LineageUnconfirmed)?
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
        meta::set(&self.conn, Key::LineageUnconfirmed, &serde_json::to_string(&saved)?)?;
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
    pub fn fork_device(&mut self, shared: &[&Row<WireBody>]) -> Result<String> {
        let old = self.device_id.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let new = take_new_device_id(&tx)?;
        let pending: Vec<(Row, rows::Base)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT {RECORD_WITH_BASE_COLUMNS} FROM records WHERE pending = 1"
            ))?;
            let mut found = stmt.query([])?;
            let mut pending = Vec::new();
            while let Some(r) = found.next()? {
                pending.push(rows::record_with_base(r)?);
            }
            pending
        };
        for (row, base) in pending {
            // Still the version the server said it holds: a shared one.
            if shared
                .iter()
                .any(|s| s.kind == row.kind && s.id == row.id && s.clock == row.clock)
            {
                continue;
            }
            let synced = base.clock(&row);
            // Marked only to be sent again (a server that lost rounds): no
            // unsynced write of this database is in it.
            if synced == row.clock {
                continue;
            }
            let mut clock = row.clock;
            // This database's own unsynced writes, and those it inherited
            // under another id when it was copied from a copy: a twin may
            // have used the same counters. The version stops claiming them.
            let mut writers: Vec<String> = tx
                .prepare_cached("SELECT DISTINCT device FROM dots WHERE kind = ?1 AND id = ?2")?
                .query_map(params![row.kind, row.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            writers.push(old.clone());
            for writer in &writers {
                clock.set(writer, synced.get(writer));
                tx.prepare_cached("DELETE FROM dots WHERE kind = ?1 AND id = ?2 AND device = ?3 AND counter > ?4")?
                    .execute(params![row.kind, row.id, writer, synced.get(writer) as i64])?;
            }
            tx.execute(
                "UPDATE records SET clock = ?3 WHERE kind = ?1 AND id = ?2",
                params![row.kind, row.id, clock.to_json()],
            )?;
            write_row(&tx, &new, &row.kind, &row.id, &row.body, row.deleted, None)?;
        }
        tx.commit()?;
        self.device_id = new.clone();
        Ok(new)
    }
}
