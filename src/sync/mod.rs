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

pub mod client;
pub mod engine;
pub mod merge;
pub mod wire;

use wire::Row;

/// Whether this pump understands a row received from the server. Rows it
/// cannot read (a newer pump's record kind, a malformed body) are left alone
/// rather than stored half-understood.
pub fn readable(row: &Row) -> bool {
    match row.kind.as_str() {
        // Deserialized from a borrow: cloning a whole body per received row showed in profiles.
        "workout" => <crate::model::Workout as serde::Deserialize>::deserialize(&row.body)
            .is_ok_and(|w| w.id == row.id && w.validate().is_ok()),
        _ => false,
    }
}
