//! Times read from the same local text in different time zones.
//!
//! An export writes local wall-clock times without a zone, and each device
//! reads them in its own (see [`Provenance`]). The same file imported on two
//! devices thus gives two versions of each workout, created without a common
//! base, that agree in everything but `started_at` and `completed_at`. Nobody
//! edited those, and a person could not choose between them better than a
//! rule: when both versions carry the same provenance, both pairs of times
//! read as it, and the three-way rule cannot settle them, every device takes
//! the earlier reading, start and end together (a start from one zone with an
//! end from another would change how long the workout lasted). Times a lifter
//! set drop the provenance, so they still merge, or conflict, as edits.

use super::pick;
use crate::model::Provenance;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// The key of a record's [`Provenance`].
const PROVENANCE_KEY: &str = "imported";

/// The keys of the times read from it, which travel together.
const READ_KEYS: [&str; 2] = ["started_at", "completed_at"];

/// A version's times, as its body holds them (`None`: absent).
pub(super) type Times<'v> = [Option<&'v Value>; 2];

fn times(body: &Value) -> Times<'_> {
    READ_KEYS.map(|key| body.get(key))
}

/// The times both sides take when `mine` and `theirs` hold two readings of
/// one provenance that the three-way rule leaves in conflict; `None`
/// otherwise, and the times merge like any field.
pub(super) fn settled<'v>(base: Option<&'v Value>, mine: &'v Value, theirs: &'v Value) -> Option<Times<'v>> {
    let provenance = mine.get(PROVENANCE_KEY)?;
    if theirs.get(PROVENANCE_KEY) != Some(provenance) {
        return None;
    }
    let (mine_times, their_times) = (times(mine), times(theirs));
    if pick(base.map(times), Some(mine_times), Some(their_times)).is_some() {
        return None;
    }
    let provenance = Provenance::deserialize(provenance).ok()?;
    // The earlier start, then the earlier end; the text only breaks a tie
    // between two spellings of one instant. Neither depends on which side
    // is mine, so both devices pick alike.
    let order = |times: Times<'v>| {
        let [start, end] = times.map(|v| Option::<DateTime<Utc>>::deserialize(v.unwrap_or(&Value::Null)).ok());
        let (start, end) = (start??, end?);
        provenance
            .is_read_as(start, end)
            .then(|| ((start, end), times.map(|v| v.map(Value::to_string))))
    };
    let (mine_order, their_order) = (order(mine_times)?, order(their_times)?);
    Some(if mine_order <= their_order {
        mine_times
    } else {
        their_times
    })
}

/// `body` with `times` in place of its own.
pub(super) fn with_times(body: &Value, times: Times) -> Value {
    let mut body = body.clone();
    if let Some(fields) = body.as_object_mut() {
        for (key, value) in READ_KEYS.into_iter().zip(times) {
            match value {
                Some(value) => fields.insert(key.to_string(), value.clone()),
                None => fields.remove(key),
            };
        }
    }
    body
}
