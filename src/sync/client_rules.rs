//! The client's rules for a version received from the server: the twin of
//! the server's per-row decision. Pure: given what this device holds and
//! the server's version, they say what to do; the store (`store/sync.rs`)
//! only carries it out, inside the round's one transaction.
//!
//! ```text
//!   local vs remote   (none)      store remote                 StoreRemote
//!                     Before      remote replaces local        StoreRemote
//!                     Equal       same content: a retry        Acknowledge
//!                                 other content: a copied db   Collision
//!                     After       local stays pending          KeepMine
//!                     Concurrent  three-way merge: clean and   Merged
//!                                 readable, else held          Hold
//! ```

use super::kinds::{self, Kind};
use super::merge::{self, Version};
use super::wire::{Row, RowResult, RowStatus};
use crate::clock::{Causality, VectorClock};
use serde_json::Value;

/// What this device holds of one record, as the rules need it.
#[derive(Debug, Clone, Copy)]
pub struct Local<'a> {
    /// The version as it stands here, possibly edited since the last sync.
    pub current: Version<'a>,
    /// Its clock.
    pub clock: &'a VectorClock,
    /// The last version this device synced (the merge base), if any: a row
    /// created here and never synced has none.
    pub base: Option<Version<'a>>,
}

/// What to do with a version received from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientAction {
    /// This pump cannot read it (a newer pump's kind, a malformed body): it
    /// is left alone on the server rather than stored half-understood.
    Unreadable,
    /// New here, or a successor of the local row: it becomes the synced
    /// version (and the merge base).
    StoreRemote,
    /// Exactly the local row (a retried round, an echo): stored as the
    /// synced version; nothing new was received.
    Acknowledge,
    /// The local row is a successor: it stays pending and goes out next.
    KeepMine,
    /// Concurrent, and the three-way merge is clean and readable: the merged
    /// version is written here (its clock covering both sides, pending), and
    /// the server's version becomes the merge base.
    Merged {
        /// The merged record.
        body: Value,
        /// Whether the merged record is a tombstone.
        deleted: bool,
    },
    /// Concurrent, and the merge needs a person (or yields a record this
    /// pump could not read): the server's version is held beside the local
    /// one.
    Hold,
    /// Same clock, other content: another database wrote under this device
    /// id. The clocks cannot say which is newer, so both are kept for a
    /// person, and the engine gives this device a fresh id.
    Collision,
}

/// Decides what the server's version `remote` of a record does to what this
/// device holds of it (`None`: nothing yet).
pub fn decide(local: Option<Local<'_>>, remote: &Row) -> ClientAction {
    let Some(kind) = Kind::parse(&remote.kind).filter(|kind| kind.readable(remote)) else {
        return ClientAction::Unreadable;
    };
    let Some(local) = local else {
        return ClientAction::StoreRemote;
    };
    match local.clock.compare(&remote.clock) {
        Causality::Before => ClientAction::StoreRemote,
        Causality::Equal if local.current.body == &remote.body && local.current.deleted == remote.deleted => {
            ClientAction::Acknowledge
        }
        Causality::Equal => ClientAction::Collision,
        Causality::After => ClientAction::KeepMine,
        Causality::Concurrent => {
            let theirs = Version {
                body: &remote.body,
                deleted: remote.deleted,
            };
            let merged = merge::merge(local.base, local.current, theirs);
            if merged.conflicts.is_empty() && kind.readable_body(&remote.id, &merged.body) {
                ClientAction::Merged {
                    body: merged.body,
                    deleted: merged.deleted,
                }
            } else {
                ClientAction::Hold
            }
        }
    }
}

/// What the server's answer about one pushed row asks of this device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answered<'a> {
    /// The server stored the version sent (or already had it): it becomes
    /// the synced base, and the row stops being pending unless it was edited
    /// while the request was in flight.
    Accepted,
    /// The server holds another version (stale or concurrent): [`decide`]
    /// about it like about any version received.
    Received(&'a Row),
    /// The version sent reuses a counter the server saw with other content:
    /// another database wrote under this device id, so the server's version
    /// is held beside the local one whatever the clocks say (the server's
    /// may even look like a successor) — see [`ClientAction::Collision`].
    Collision(&'a Row),
    /// The server sent no version with a refusal, or one this pump cannot
    /// read.
    Unreadable,
}

/// Reads the server's answer about one pushed row.
pub fn answered(result: &RowResult) -> Answered<'_> {
    match (result.status, &result.server) {
        (RowStatus::Accepted, _) => Answered::Accepted,
        (RowStatus::Collision, Some(server)) if kinds::readable(server) => Answered::Collision(server),
        (RowStatus::Stale | RowStatus::Conflict, Some(server)) => Answered::Received(server),
        (_, _) => Answered::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ID: &str = "0190a6f0-0000-7000-8000-000000000001";

    fn workout(name: &str, started: &str, completed: Option<&str>) -> Value {
        json!({
            "id": ID,
            "name": name,
            "started_at": started,
            "completed_at": completed,
            "notes": "",
            "exercises": [],
        })
    }

    fn clock(entries: &[(&str, u64)]) -> VectorClock {
        let mut clock = VectorClock::new();
        for (device, counter) in entries {
            clock.set(device, *counter);
        }
        clock
    }

    fn remote(body: Value, deleted: bool, clock: VectorClock) -> Row {
        Row {
            kind: "workout".into(),
            id: ID.into(),
            clock,
            deleted,
            body,
            origin: None,
            dots: Vec::new(),
        }
    }

    fn live(body: &Value) -> Version<'_> {
        Version { body, deleted: false }
    }

    fn local<'a>(body: &'a Value, clock: &'a VectorClock, base: Option<&'a Value>) -> Option<Local<'a>> {
        Some(Local {
            current: live(body),
            clock,
            base: base.map(live),
        })
    }

    const MORNING: &str = "2024-05-01T07:00:00Z";

    #[test]
    fn a_record_new_here_or_newer_on_the_server_is_stored() {
        let body = workout("Push", MORNING, None);
        let theirs = remote(body.clone(), false, clock(&[("phone", 2)]));
        assert_eq!(decide(None, &theirs), ClientAction::StoreRemote);
        let older = workout("Pish", MORNING, None);
        let mine = clock(&[("phone", 1)]);
        assert_eq!(decide(local(&older, &mine, None), &theirs), ClientAction::StoreRemote);
    }

    #[test]
    fn the_same_version_is_acknowledged_and_a_successor_here_is_kept() {
        let body = workout("Push", MORNING, None);
        let at = clock(&[("phone", 2)]);
        let theirs = remote(body.clone(), false, at.clone());
        assert_eq!(decide(local(&body, &at, None), &theirs), ClientAction::Acknowledge);
        let newer = clock(&[("phone", 2), ("laptop", 1)]);
        let edited = workout("Push A", MORNING, None);
        assert_eq!(
            decide(local(&edited, &newer, Some(&body)), &theirs),
            ClientAction::KeepMine
        );
    }

    #[test]
    fn same_clock_other_content_is_a_collision_even_for_a_tombstone() {
        let body = workout("Push", MORNING, None);
        let at = clock(&[("phone", 2)]);
        let renamed = workout("Pull", MORNING, None);
        assert_eq!(
            decide(local(&body, &at, None), &remote(renamed, false, at.clone())),
            ClientAction::Collision
        );
        assert_eq!(
            decide(local(&body, &at, None), &remote(body.clone(), true, at.clone())),
            ClientAction::Collision
        );
    }

    /// Decides about `theirs` (the phone's second write) against `mine`,
    /// edited on the laptop after the phone's first: concurrent.
    fn concurrent(base: Option<&Value>, mine: &Value, theirs: Value, deleted: bool) -> ClientAction {
        let mine_clock = clock(&[("phone", 1), ("laptop", 1)]);
        decide(
            local(mine, &mine_clock, base),
            &remote(theirs, deleted, clock(&[("phone", 2)])),
        )
    }

    #[test]
    fn concurrent_edits_of_different_fields_merge() {
        let base = workout("Push", MORNING, None);
        let mine = workout("Push A", MORNING, None);
        let theirs = workout("Push", MORNING, Some("2024-05-01T08:00:00Z"));
        assert_eq!(
            concurrent(Some(&base), &mine, theirs, false),
            ClientAction::Merged {
                body: workout("Push A", MORNING, Some("2024-05-01T08:00:00Z")),
                deleted: false
            }
        );
    }

    #[test]
    fn concurrent_edits_of_one_field_are_held() {
        let base = workout("Push", MORNING, None);
        let mine = workout("Push A", MORNING, None);
        let theirs = workout("Push B", MORNING, None);
        assert_eq!(concurrent(Some(&base), &mine, theirs, false), ClientAction::Hold);
    }

    #[test]
    fn an_edit_against_a_delete_is_held() {
        let base = workout("Push", MORNING, None);
        let mine = workout("Push A", MORNING, None);
        assert_eq!(concurrent(Some(&base), &mine, base.clone(), true), ClientAction::Hold);
    }

    #[test]
    fn without_a_base_differing_versions_are_held() {
        let mine = workout("Push A", MORNING, None);
        let theirs = workout("Push B", MORNING, None);
        assert_eq!(concurrent(None, &mine, theirs, false), ClientAction::Hold);
    }

    #[test]
    fn a_clean_merge_into_an_invalid_record_is_held() {
        // Each side is valid; together the workout would end before it starts.
        let base = workout("Push", MORNING, Some("2024-05-01T08:00:00Z"));
        let mine = workout("Push", "2024-05-01T07:45:00Z", Some("2024-05-01T08:00:00Z"));
        let theirs = workout("Push", MORNING, Some("2024-05-01T07:30:00Z"));
        assert_eq!(concurrent(Some(&base), &mine, theirs, false), ClientAction::Hold);
    }

    #[test]
    fn a_version_this_pump_cannot_read_is_left_alone() {
        let mut unknown = remote(json!({"id": ID}), false, clock(&[("phone", 1)]));
        unknown.kind = "recipe".into();
        assert_eq!(decide(None, &unknown), ClientAction::Unreadable);
        let mut moved = remote(workout("Push", MORNING, None), false, clock(&[("phone", 1)]));
        moved.id = "another".into();
        assert_eq!(decide(None, &moved), ClientAction::Unreadable);
    }

    #[test]
    fn answers_about_pushed_rows() {
        let server = remote(workout("Push", MORNING, None), false, clock(&[("phone", 3)]));
        let result = |status, server: Option<&Row>| RowResult {
            kind: "workout".into(),
            id: ID.into(),
            status,
            server: server.cloned(),
        };
        assert_eq!(answered(&result(RowStatus::Accepted, None)), Answered::Accepted);
        for status in [RowStatus::Stale, RowStatus::Conflict] {
            assert_eq!(answered(&result(status, Some(&server))), Answered::Received(&server));
            assert_eq!(answered(&result(status, None)), Answered::Unreadable);
        }
        assert_eq!(
            answered(&result(RowStatus::Collision, Some(&server))),
            Answered::Collision(&server)
        );
        let mut unreadable = server.clone();
        unreadable.body = json!({"id": ID});
        assert_eq!(
            answered(&result(RowStatus::Collision, Some(&unreadable))),
            Answered::Unreadable
        );
        assert_eq!(answered(&result(RowStatus::Collision, None)), Answered::Unreadable);
    }
}
