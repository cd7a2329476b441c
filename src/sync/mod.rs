//! Sync: how devices exchange records through a server.
//!
//! ```text
//!  device                                   server (one transaction per round)
//!  ──────                                   ──────
//!  pending rows (page of ≤1000) ──POST /v1/sync──►  for each row, compare clocks:
//!  + device id + pull cursor                         no row / incoming dominates → store,
//!                                                       next per-user seq, "accepted"
//!                                                     equal clock, equal digest → "accepted"
//!                                                       (a retry: nothing changes)
//!                                                     equal clock, other digest → "collision"
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
//!
//! This module is the pure core of sync (no SQL, no HTTP, no files):
//! [`wire`] is what travels, [`kinds`] the record kinds that sync,
//! [`merge`] the three-way merge, [`client_rules`] what a device does
//! with each row the server sends, and [`unknown`] how fields a newer pump
//! wrote survive this one's edits. The store executes those rules
//! (`store/sync.rs`) and the client drives the rounds (`client/engine.rs`).

pub mod client_rules;
pub mod crypto;
pub mod kinds;
pub mod merge;
pub mod sealed;
pub mod server_rules;
pub mod unknown;
pub mod wire;
