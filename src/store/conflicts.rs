//! Conflicts held for a person, and their resolution. A resolution is an
//! ordinary write through `write_row`: its clock dominates both versions, so
//! it wins everywhere once pushed.

use super::sync::{BASE_BODY, BASE_DELETED, parse_origin};
use super::{Store, write_row};
use crate::clock::VectorClock;
use crate::error::{Error, Result};
use crate::sync::kinds::Kind;
use crate::sync::wire::Row;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::Value;

/// Running totals, so the share of conflicts resolved without a person can
/// be measured (`pump status`).
pub const AUTO_MERGED_TOTAL: &str = "total_auto_merged";
pub const RESOLVED_TOTAL: &str = "total_resolved";
pub const HELD_TOTAL: &str = "total_held";

#[derive(Debug, Clone)]
pub struct HeldConflict {
    /// This device's version (the row as it stands locally).
    pub mine: Row,
    /// The server's concurrent version.
    pub theirs: Row,
    /// The last version both sides had, when known.
    pub base: Option<(Value, bool)>,
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
    pub body: Value,
    pub deleted: bool,
    /// "Keep both": this version is also saved as a new record with this id.
    pub copy: Option<(String, Value)>,
}

impl Store {
    pub fn held_conflicts(&self) -> Result<Vec<HeldConflict>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.kind, r.id, r.body, r.deleted, r.clock, c.remote_body, c.remote_deleted, c.remote_clock,
                    {BASE_BODY}, {BASE_DELETED}, c.detected_at, r.origin, c.remote_origin
             FROM conflicts c JOIN records r ON r.kind = c.kind AND r.id = c.id
             ORDER BY c.detected_at, c.kind, c.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<bool>>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, Option<String>>(11)?,
                r.get::<_, Option<String>>(12)?,
            ))
        })?;
        rows.map(|row| {
            let (
                kind,
                id,
                body,
                deleted,
                clock,
                rbody,
                rdeleted,
                rclock,
                bbody,
                bdeleted,
                detected_at,
                origin,
                rorigin,
            ) = row?;
            Ok(HeldConflict {
                mine: Row {
                    kind: kind.clone(),
                    id: id.clone(),
                    clock: VectorClock::from_json(&clock)?,
                    deleted,
                    body: serde_json::from_str(&body)?,
                    origin: parse_origin(origin),
                    dots: Vec::new(),
                },
                theirs: Row {
                    kind,
                    id,
                    clock: VectorClock::from_json(&rclock)?,
                    deleted: rdeleted,
                    body: serde_json::from_str(&rbody)?,
                    origin: parse_origin(rorigin),
                    dots: Vec::new(),
                },
                base: bbody
                    .map(|b| serde_json::from_str(&b).map(|v| (v, bdeleted.unwrap_or(false))))
                    .transpose()?,
                detected_at,
            })
        })
        .collect()
    }

    /// Ends a held conflict with `resolution`, in one transaction: the
    /// resolved version is written (clock = both clocks merged, plus this
    /// device's bump; pending), the server's version becomes the merge base,
    /// and the conflict is gone.
    pub fn resolve_conflict(&mut self, kind: &str, id: &str, resolution: &Resolution) -> Result<VectorClock> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let remote: Option<(String, bool, String)> = tx
            .query_row(
                "SELECT remote_body, remote_deleted, remote_clock FROM conflicts WHERE kind = ?1 AND id = ?2",
                params![kind, id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((remote_body, remote_deleted, remote_clock)) = remote else {
            return Err(Error::usage(format!(
                "no conflict is held for '{id}': `pump conflicts` lists them"
            )));
        };
        let remote_clock = VectorClock::from_json(&remote_clock)?;
        tx.execute(
            "UPDATE records SET base_body = ?3, base_deleted = ?4, base_clock = ?5 WHERE kind = ?1 AND id = ?2",
            params![kind, id, remote_body, remote_deleted, remote_clock.to_json()],
        )?;
        let clock = write_row(
            &tx,
            &self.device_id,
            kind,
            id,
            &resolution.body,
            resolution.deleted,
            Some(&remote_clock),
        )?;
        if let Some((copy_id, copy_body)) = &resolution.copy {
            write_row(&tx, &self.device_id, kind, copy_id, copy_body, false, None)?;
        }
        tx.execute("DELETE FROM conflicts WHERE kind = ?1 AND id = ?2", params![kind, id])?;
        bump_counter(&tx, RESOLVED_TOTAL, 1)?;
        tx.commit()?;
        Ok(clock)
    }

    /// (auto-merged, resolved by a person, ever held) since this database began.
    pub fn conflict_totals(&self) -> Result<(u64, u64, u64)> {
        let get = |key| -> Result<u64> { Ok(self.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0)) };
        Ok((get(AUTO_MERGED_TOTAL)?, get(RESOLVED_TOTAL)?, get(HELD_TOTAL)?))
    }
}

pub(crate) fn bump_counter(tx: &rusqlite::Transaction, key: &str, by: u64) -> Result<()> {
    if by == 0 {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
        params![key, by.to_string()],
    )?;
    Ok(())
}
