//! Conflicts held for a person, and their resolution. A resolution is an
//! ordinary write through `write_row`: its clock dominates both versions, so
//! it wins everywhere once pushed.

use super::meta::{self, Key};
use super::rows::{self, CONFLICT_COLUMNS, RECORD_WITH_BASE_COLUMNS};
use super::{Store, forget_conflict, set_base, write_row};
use crate::clock::VectorClock;
use crate::error::{Error, Result};
use crate::sync::client_rules::common_base;
use crate::sync::kinds::Kind;
use crate::sync::wire::Row;
use rusqlite::{TransactionBehavior, params};
use serde_json::Value;

/// A conflict waiting for a person: both versions, and what they started
/// from.
#[derive(Debug, Clone)]
pub struct HeldConflict {
    /// This device's version (the row as it stands locally).
    pub mine: Row,
    /// The server's concurrent version.
    pub theirs: Row,
    /// The last version both sides had, when known.
    pub base: Option<(Value, bool)>,
    /// When sync first held it (RFC 3339).
    pub detected_at: String,
}

impl HeldConflict {
    /// The kind of record in conflict (always one this pump knows: only
    /// readable versions are held).
    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.mine.kind)
    }
}

/// How a conflict ends.
pub struct Resolution {
    /// The record as resolved.
    pub body: Value,
    /// Whether the resolution deletes the record.
    pub deleted: bool,
    /// "Keep both": this version is also saved as a new record with this id.
    pub copy: Option<(String, Value)>,
}

impl Store {
    /// Every conflict held for a person, oldest first.
    pub fn held_conflicts(&self) -> Result<Vec<HeldConflict>> {
        let mut remotes = self.conn.prepare_cached(&format!(
            "SELECT {CONFLICT_COLUMNS} FROM conflicts ORDER BY detected_at, kind, id"
        ))?;
        let mut locals = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_WITH_BASE_COLUMNS} FROM records WHERE kind = ?1 AND id = ?2"
        ))?;
        let mut held = Vec::new();
        let mut found = remotes.query([])?;
        while let Some(r) = found.next()? {
            let (theirs, detected_at) = rows::conflict(r)?;
            let mut local = locals.query(params![theirs.kind, theirs.id])?;
            let Some((mine, base)) = local.next()?.map(rows::record_with_base).transpose()? else {
                continue;
            };
            let base = common_base(base.synced(&mine), &theirs.clock).map(|v| (v.body.clone(), v.deleted));
            held.push(HeldConflict {
                mine,
                theirs,
                base,
                detected_at,
            });
        }
        Ok(held)
    }

    /// Ends a held conflict with `resolution`, in one transaction: the
    /// resolved version is written (clock = both clocks merged, plus this
    /// device's bump; pending), the server's version becomes the merge base,
    /// and the conflict is gone.
    pub fn resolve_conflict(&mut self, kind: &str, id: &str, resolution: &Resolution) -> Result<VectorClock> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let remote = tx
            .prepare_cached(&format!(
                "SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE kind = ?1 AND id = ?2"
            ))?
            .query(params![kind, id])?
            .next()?
            .map(rows::conflict)
            .transpose()?;
        let Some((remote, _)) = remote else {
            return Err(Error::usage(format!(
                "no conflict is held for '{id}': `pump conflicts` lists them"
            )));
        };
        set_base(&tx, &remote)?;
        let clock = write_row(
            &tx,
            &self.device_id,
            kind,
            id,
            &resolution.body,
            resolution.deleted,
            Some(&remote.clock),
        )?;
        if let Some((copy_id, copy_body)) = &resolution.copy {
            write_row(&tx, &self.device_id, kind, copy_id, copy_body, false, None)?;
        }
        forget_conflict(&tx, kind, id)?;
        meta::add(&tx, Key::ResolvedTotal, 1)?;
        tx.commit()?;
        Ok(clock)
    }

    /// Conflicts held for a person.
    pub fn conflict_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0))?)
    }
}
