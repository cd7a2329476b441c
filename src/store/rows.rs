//! Decoding what SQL reads back, one decoder per shape of row, each next to
//! the columns it expects: a query selects `{rows::SOME_COLUMNS}` and hands
//! each row to the matching decoder, so no query decodes on its own.

use super::Stored;
use crate::clock::VectorClock;
use crate::error::Result;
use crate::sync::client_rules::Synced;
use crate::sync::merge::Version;
use crate::sync::wire::{Dot, Origin, Row, WireBody};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The `records` columns [`RawStored::from_row`] reads.
pub(super) const STORED_COLUMNS: &str = "body, deleted, clock, pending";

/// A `records` row as SQLite hands it over, its JSON not parsed yet:
/// reading must happen while the statement runs, parsing can wait (and
/// `Store::workouts` spreads it over threads).
pub(super) struct RawStored {
    body: String,
    deleted: bool,
    clock: String,
    pending: bool,
}

impl RawStored {
    /// Reads [`STORED_COLUMNS`].
    pub(super) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<RawStored> {
        Ok(RawStored {
            body: r.get(0)?,
            deleted: r.get(1)?,
            clock: r.get(2)?,
            pending: r.get(3)?,
        })
    }

    /// The stored body as JSON, every field of it.
    pub(super) fn body(&self) -> Result<Value> {
        Ok(serde_json::from_str(&self.body)?)
    }

    /// Parses its clock alone.
    pub(super) fn clock(&self) -> Result<VectorClock> {
        Ok(VectorClock::from_json(&self.clock)?)
    }

    /// Parses the record and its clock.
    pub(super) fn decode<T: DeserializeOwned>(&self) -> Result<Stored<T>> {
        Ok(Stored {
            value: serde_json::from_str(&self.body)?,
            deleted: self.deleted,
            clock: VectorClock::from_json(&self.clock)?,
            pending: self.pending,
        })
    }
}

/// The `records` columns [`record`] reads: a row as it travels.
pub(super) const RECORD_COLUMNS: &str = "kind, id, body, deleted, clock, origin";

/// A `records` row as a wire [`Row`] (without dots: those live in their
/// own table). The JSON is parsed straight from SQLite's buffer: no copy of
/// each body.
pub(super) fn record(r: &rusqlite::Row) -> Result<Row> {
    record_decoding(r, |body| Ok(serde_json::from_str(body)?))
}

/// A `records` row as [`record`] reads it, its body left as the canonical
/// JSON text the table keeps: what a push seals and digests, with no
/// parsing into values and writing out again.
pub(super) fn record_text(r: &rusqlite::Row) -> Result<Row<WireBody>> {
    record_decoding(r, |body| Ok(WireBody::from_json(body.to_owned())?))
}

/// [`RECORD_COLUMNS`] as a row whose body `decode` makes from its text.
fn record_decoding<B>(r: &rusqlite::Row, decode: impl FnOnce(&str) -> Result<B>) -> Result<Row<B>> {
    Ok(Row {
        kind: r.get(0)?,
        id: r.get(1)?,
        body: decode(text(r, 2)?)?,
        deleted: r.get(3)?,
        clock: VectorClock::from_json(text(r, 4)?)?,
        origin: parse_origin(r.get(5)?),
        dots: Vec::new(),
        digest: None,
    })
}

/// [`RECORD_COLUMNS`] followed by the row's merge-base columns, read by
/// [`record_with_base`].
pub(super) const RECORD_WITH_BASE_COLUMNS: &str =
    "kind, id, body, deleted, clock, origin, base_body, base_deleted, base_clock, pending";

/// The last version of a row this device synced: the base of a three-way
/// merge.
#[derive(Debug)]
pub(super) enum Base {
    /// Never synced (created here): no common ancestor.
    Unknown,
    /// The row is synced and unchanged since, so it is its own base. A
    /// synced row stores no copy of its body: writing every body twice made
    /// sync slower for nothing. `write_row` saves one before the first local
    /// change.
    Itself,
    /// Saved before the first local change to the synced version.
    Saved {
        body: Value,
        deleted: bool,
        clock: VectorClock,
    },
}

impl Base {
    /// The base as a merge input, `row` being the row it belongs to.
    pub(super) fn version<'a>(&'a self, row: &'a Row) -> Option<Version<'a>> {
        match self {
            Base::Unknown => None,
            Base::Itself => Some(Version {
                body: &row.body,
                deleted: row.deleted,
            }),
            Base::Saved { body, deleted, .. } => Some(Version {
                body,
                deleted: *deleted,
            }),
        }
    }

    /// The base with its clock, `row` being the row it belongs to.
    pub(super) fn synced<'a>(&'a self, row: &'a Row) -> Option<Synced<'a>> {
        let clock = match self {
            Base::Unknown => return None,
            Base::Itself => &row.clock,
            Base::Saved { clock, .. } => clock,
        };
        Some(Synced {
            version: self.version(row)?,
            clock,
        })
    }

    /// The clock of the base (empty when there is none).
    pub(super) fn clock(&self, row: &Row) -> VectorClock {
        match self {
            Base::Unknown => VectorClock::new(),
            Base::Itself => row.clock.clone(),
            Base::Saved { clock, .. } => clock.clone(),
        }
    }
}

/// Reads [`RECORD_WITH_BASE_COLUMNS`].
pub(super) fn record_with_base(r: &rusqlite::Row) -> Result<(Row, Base)> {
    let row = record(r)?;
    let base = match r.get::<_, Option<String>>(6)? {
        Some(body) => Base::Saved {
            body: serde_json::from_str(&body)?,
            deleted: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
            clock: r
                .get::<_, Option<String>>(8)?
                .map(|c| VectorClock::from_json(&c))
                .transpose()?
                .unwrap_or_default(),
        },
        None if r.get::<_, bool>(9)? => Base::Unknown,
        None => Base::Itself,
    };
    Ok((row, base))
}

/// The `conflicts` columns [`conflict`] reads.
pub(super) const CONFLICT_COLUMNS: &str =
    "kind, id, remote_body, remote_deleted, remote_clock, remote_origin, detected_at";

/// A held conflict's remote version, and when it was detected. The
/// columns line up with [`RECORD_COLUMNS`], so the version reads as one.
pub(super) fn conflict(r: &rusqlite::Row) -> Result<(Row, String)> {
    Ok((record(r)?, r.get(6)?))
}

/// The `dots` columns [`dot`] reads.
pub(super) const DOT_COLUMNS: &str = "device, counter, digest";

/// One row of `dots`.
pub(super) fn dot(r: &rusqlite::Row) -> rusqlite::Result<Dot> {
    Ok(Dot {
        device: r.get(0)?,
        counter: r.get::<_, i64>(1)? as u64,
        digest: r.get(2)?,
    })
}

/// A TEXT column borrowed from SQLite's buffer.
pub(super) fn text<'a>(row: &'a rusqlite::Row, column: usize) -> rusqlite::Result<&'a str> {
    row.get_ref(column)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

/// Origins are for display only: an unreadable one is simply not shown.
fn parse_origin(text: Option<String>) -> Option<Origin> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// The `origin` column for a row's origin.
pub(super) fn origin_json(origin: Option<&Origin>) -> Option<String> {
    origin.and_then(|o| serde_json::to_string(o).ok())
}
