//! Sync: how devices exchange records through a server.
//!
//! ```text
//!  device                                   server (one transaction per round)
//!  ──────                                   ──────
//!  pending rows (page of ≤1000) ──POST /v1/sync──►  for each row, compare clocks:
//!  + device id + pull cursor                         no row / incoming dominates → store,
//!                                                       next per-user seq, "accepted"
//!                                                     equal clock, equal content → "accepted"
//!                                                       (a retry: nothing changes)
//!                                                     equal clock, other content → "collision"
//!                                                     stored dominates → "stale" + server row
//!                                                     concurrent → "conflict" + server row
//!                              ◄──────────────────  + rows with seq > cursor (≤ pull limit),
//!  ONE local transaction:                              new cursor, more = true|false
//!    accepted → not pending (unless edited meanwhile: its clock moved on)
//!    remote dominates → replaces local, becomes the merge base
//!    local dominates → stays pending
//!    concurrent → merged three-way, or held as a conflict (never lost)
//!    cursor advances
//!  repeat while rows are pending or more = true
//! ```
//!
//! Every round is atomic on both sides and idempotent, so the client can die
//! or the network drop at any point: the next `pump sync` redoes at most one
//! round, and a retried round is acknowledged without changing anything.
//!
//! Each round also carries the device's *lineage* (see [`wire::Lineage`]):
//! a copied database file that shares its device id with the original is
//! refused (409) before any of its rows are stored, takes a new id, and hands
//! its unsynced writes to it, so two databases never reuse one id's counters.

pub mod merge;
pub mod server_rules;
pub mod wire;

use wire::Row;

/// Whether this pump understands a row received from the server. Rows it
/// cannot read (a newer pump's record kind, a malformed body) are left alone
/// rather than stored half-understood.
pub fn readable(row: &Row) -> bool {
    use crate::model::{Alias, BodyWeight, Template, Workout};
    // Deserialized from a borrow: cloning a whole body per received row
    // showed in profiles.
    fn check<T: serde::de::DeserializeOwned>(row: &Row, valid: impl Fn(&T) -> Option<&str>) -> bool {
        T::deserialize(&row.body).is_ok_and(|r| valid(&r) == Some(row.id.as_str()))
    }
    match row.kind.as_str() {
        "workout" => check(row, |w: &Workout| w.validate().ok().map(|_| w.id.as_str())),
        "alias" => check(row, |a: &Alias| a.validate().ok().map(|_| a.id.as_str())),
        "template" => check(row, |t: &Template| t.validate().ok().map(|_| t.id.as_str())),
        "bodyweight" => check(row, |b: &BodyWeight| b.validate().ok().map(|_| b.id.as_str())),
        _ => false,
    }
}
