//! How the SQL backends keep a row: its clock, body and origin as JSON text
//! (the body exactly as it arrived, never parsed),
//! its sequence number as a signed 64-bit integer. Written once so SQLite
//! and PostgreSQL store, and read back, exactly the same bytes.

use super::storage::StorageError;
use crate::clock::VectorClock;
use crate::sync::wire::{Origin, WireBody, WireRow};

/// The columns of a `rows` table that [`StoredRow`] holds, in its order,
/// for a `SELECT`.
pub const ROW_COLUMNS: &str = "seq, kind, id, clock, deleted, body, origin, digest";

/// Sequence numbers and dot counters are `u64` on the wire and signed
/// 64-bit integers in SQL; the conversion is checked rather than wrapped.
pub fn to_sql(number: u64) -> Result<i64, StorageError> {
    i64::try_from(number).map_err(|_| StorageError::database(format!("the number {number} is beyond SQL's range")))
}

/// A count SQL returns as a signed integer; a negative one (damage) reads
/// as nothing.
pub fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// An origin as JSON text. It is only shown to people, so one that does not
/// serialize is left out rather than failing the round.
pub fn origin_text(origin: Option<&Origin>) -> Option<String> {
    origin.and_then(|o| serde_json::to_string(o).ok())
}

/// A line of a `rows` table as the database returns it, before its JSON is
/// parsed: reading and parsing are apart because only the first can run
/// inside a driver's row callback.
pub struct StoredRow {
    /// The row's sequence number.
    pub seq: i64,
    /// Its record kind.
    pub kind: String,
    /// Its record id.
    pub id: String,
    /// Its clock, as JSON text.
    pub clock: String,
    /// Whether it is a tombstone.
    pub deleted: bool,
    /// Its body as it travels (`wire::WireBody`): JSON text, sealed or not.
    pub body: String,
    /// Where it was written, as JSON text.
    pub origin: Option<String>,
    /// The content digest its pusher sent (`wire::Row::digest`).
    pub digest: Option<String>,
}

impl StoredRow {
    /// The row and its sequence number. A row that no longer parses is
    /// database damage, reported rather than guessed around.
    pub fn decode(self) -> Result<(u64, WireRow), StorageError> {
        let damaged = |what, source: Box<dyn std::error::Error + Send + Sync>| StorageError::Unreadable {
            kind: self.kind.clone(),
            id: self.id.clone(),
            what,
            source,
        };
        let seq = u64::try_from(self.seq).map_err(|e| damaged("sequence number", e.into()))?;
        let clock = VectorClock::from_json(&self.clock).map_err(|e| damaged("clock", e.into()))?;
        // Checked to be JSON, never parsed into values: the server passes it on.
        let body = WireBody::from_json(self.body).map_err(|e| damaged("body", e.into()))?;
        // Origin is only shown to people; an unreadable one is dropped, not fatal.
        let origin = self.origin.and_then(|o| serde_json::from_str(&o).ok());
        let row = WireRow {
            kind: self.kind,
            id: self.id,
            clock,
            deleted: self.deleted,
            body,
            origin,
            dots: Vec::new(),
            digest: self.digest,
        };
        Ok((seq, row))
    }
}
