//! The client's rules for a version received from the server: the twin of
//! the server's per-row decision. Pure: given what this device holds and
//! the server's version, they say what to do; the store (`store/sync.rs`)
//! only carries it out, inside the round's one transaction.
//!
//! ```text
//!   remote clock beyond wire::MAX_COUNTER: hostile, left out  ImpossibleClock
//!   remote unreadable here (a newer pump's): kept as it came   Unreadable
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
use super::wire::{Row, RowResult, RowStatus, SyncResponse, counters_within_bounds};
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
    pub base: Option<Synced<'a>>,
}

/// A version this device synced, with its clock.
#[derive(Debug, Clone, Copy)]
pub struct Synced<'a> {
    /// The version.
    pub version: Version<'a>,
    /// Its clock.
    pub clock: &'a VectorClock,
}

/// The merge base against a server version with clock `theirs`: the last
/// version this device synced, if the server's version has seen it. A
/// server's versions normally descend from everything it once answered,
/// but one that lost rounds (restored from a backup, replaced) may send a
/// version that never saw this device's base. That base is then no common
/// ancestor: merging against it would read all it holds that the server's
/// version lacks as removed there. Without a base, whatever either side
/// holds is kept, and fields that differ go to a person.
pub fn common_base<'a>(base: Option<Synced<'a>>, theirs: &VectorClock) -> Option<Version<'a>> {
    base.filter(|b| matches!(b.clock.compare(theirs), Causality::Before | Causality::Equal))
        .map(|b| b.version)
}

/// What to do with a version received from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientAction {
    /// Its clock carries a counter no real history reaches (beyond
    /// `wire::MAX_COUNTER`): a hostile or broken client wrote it. It is
    /// left out, so it can neither replace a real version nor make the next
    /// local write's counter overflow; the rest of the answer applies.
    ImpossibleClock,
    /// This pump cannot read it (a newer pump's kind, a malformed body): it
    /// is kept exactly as it came, apart from the records, until a pump
    /// that can read it applies it.
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
    decide_read(local, remote, kinds::readable(remote))
}

/// [`decide`] for a caller that has read the remote's body already
/// (`kinds::readable` is `readable`): the store reads a received workout
/// once, for this and for its set rows, where reading it twice took a
/// tenth of a pull's CPU.
pub fn decide_read(local: Option<Local<'_>>, remote: &Row, readable: bool) -> ClientAction {
    let kind = match admit(remote, readable) {
        Ok(kind) => kind,
        Err(action) => return action,
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
            let merged = merge::merge(common_base(local.base, &remote.clock), local.current, theirs);
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

/// [`decide_read`] for a record this device holds no version of (every
/// row of a new device's first pull): the body is not looked at, so the
/// store keeps it as the text it was opened as, never parsed into values.
pub fn decide_unknown<B>(remote: &Row<B>, readable: bool) -> ClientAction {
    admit(remote, readable).map_or_else(|action| action, |_| ClientAction::StoreRemote)
}

/// The kind of a version this device may store, or what to do instead:
/// leave out an impossible clock, keep a row it cannot read as it came.
fn admit<B>(remote: &Row<B>, readable: bool) -> Result<Kind, ClientAction> {
    if !counters_within_bounds(&remote.clock) {
        return Err(ClientAction::ImpossibleClock);
    }
    Kind::parse(&remote.kind)
        .filter(|_| readable)
        .ok_or(ClientAction::Unreadable)
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
        (RowStatus::Collision, Some(server)) if kinds::readable(server) && counters_within_bounds(&server.clock) => {
            Answered::Collision(server)
        }
        // An impossible clock proves no collision: `decide` leaves it out.
        (RowStatus::Collision, Some(server)) if !counters_within_bounds(&server.clock) => Answered::Received(server),
        (RowStatus::Stale | RowStatus::Conflict, Some(server)) => Answered::Received(server),
        (_, _) => Answered::Unreadable,
    }
}

/// What an answer says about the server's memory of the rounds this
/// device's cursor counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerMemory {
    /// The server this device synced with, holding every round it answered.
    Intact,
    /// The first answer naming an identity, to a device that synced before
    /// with a server that named none (one from before identities): maybe
    /// the same server, maybe another. The device sends everything again
    /// and pulls from the start, the price of one full sync.
    Unproven,
    /// The server lost rounds: its head is behind the cursor (restored from
    /// an older backup, or replaced), or it gives its data another identity
    /// than the one remembered (another server at the same address, or one
    /// that found out it lost rounds from another device). The cursor means
    /// nothing there: rows numbered below it may be ones this device never
    /// saw, and rows it had sent may be gone, so it sends everything again
    /// and pulls from the start. Such a server also forgot which content
    /// each write counter named, the evidence that catches a copied
    /// database reusing this device's counters: so the rows it accepted in
    /// that round are not taken as synced, and the device takes a new id
    /// (see `Store::fork_device`) before sending them again.
    Lost,
}

/// Reads an answer for [`ServerMemory`]. `remembered` is the identity of
/// the last answer applied, `cursor` where this round's pull started.
pub fn server_memory(remembered: Option<&str>, cursor: u64, answer: &SyncResponse) -> ServerMemory {
    match (remembered, answer.server_id.as_deref()) {
        _ if answer.cursor < cursor => ServerMemory::Lost,
        (Some(known), Some(now)) if known != now => ServerMemory::Lost,
        (None, Some(_)) if cursor > 0 => ServerMemory::Unproven,
        _ => ServerMemory::Intact,
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
            digest: None,
        }
    }

    fn live(body: &Value) -> Version<'_> {
        Version { body, deleted: false }
    }

    /// The clock of the versions tests merge against: every server version
    /// in them has seen it.
    static BASE_CLOCK: std::sync::LazyLock<VectorClock> = std::sync::LazyLock::new(|| clock(&[("phone", 1)]));

    fn local<'a>(body: &'a Value, clock: &'a VectorClock, base: Option<&'a Value>) -> Option<Local<'a>> {
        Some(Local {
            current: live(body),
            clock,
            base: base.map(|b| Synced {
                version: live(b),
                clock: &BASE_CLOCK,
            }),
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
    fn a_base_the_servers_version_never_saw_is_no_common_ancestor() {
        // Synced at {phone: 3} with a set added; a server that lost that
        // round sends a laptop edit of {phone: 1}.
        let mut synced = workout("Push", MORNING, None);
        synced["exercises"] = json!([{"id": "e1", "name": "squat", "sets": [{"id": "s1", "reps": 5}]}]);
        let synced_clock = clock(&[("phone", 3)]);
        let base = Some(Synced {
            version: live(&synced),
            clock: &synced_clock,
        });
        let theirs_clock = clock(&[("phone", 1), ("laptop", 1)]);
        assert!(common_base(base, &theirs_clock).is_none());
        assert!(common_base(base, &clock(&[("phone", 3), ("laptop", 1)])).is_some());
        let mine = Local {
            current: live(&synced),
            clock: &synced_clock,
            base,
        };
        let mut theirs = workout("Push", MORNING, None);
        theirs["exercises"] = json!([{"id": "e2", "name": "row", "sets": [{"id": "s2", "reps": 8}]}]);
        let ClientAction::Merged { body, .. } = decide(Some(mine), &remote(theirs, false, theirs_clock)) else {
            panic!("the sides differ only where one of them holds something")
        };
        let sets: Vec<&Value> = body["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["sets"][0]["id"])
            .collect();
        assert_eq!(
            sets,
            [&json!("s1"), &json!("s2")],
            "the set is kept, not read as removed"
        );
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
    fn a_version_with_an_impossible_counter_is_left_out_whatever_the_clocks_say() {
        let body = workout("Push", MORNING, None);
        let mine = clock(&[("phone", 2)]);
        let hostile = remote(body.clone(), false, clock(&[("phone", u64::MAX)]));
        assert_eq!(decide(None, &hostile), ClientAction::ImpossibleClock);
        assert_eq!(
            decide(local(&body, &mine, None), &hostile),
            ClientAction::ImpossibleClock
        );
        let at_the_bound = remote(body.clone(), false, clock(&[("phone", crate::sync::wire::MAX_COUNTER)]));
        assert_eq!(decide(None, &at_the_bound), ClientAction::StoreRemote);
        let collided = RowResult {
            kind: "workout".into(),
            id: ID.into(),
            status: RowStatus::Collision,
            server: Some(hostile.clone()),
        };
        assert_eq!(answered(&collided), Answered::Received(&hostile));
    }

    #[test]
    fn a_server_lost_rounds_when_its_head_is_behind_the_cursor_or_its_identity_changed() {
        let answer = |cursor, server_id: Option<&str>| SyncResponse {
            protocol: crate::sync::wire::PROTOCOL_VERSION,
            results: Vec::new(),
            changes: Vec::new(),
            cursor,
            more: false,
            server_id: server_id.map(Into::into),
        };
        use ServerMemory::{Intact, Lost, Unproven};
        assert_eq!(server_memory(Some("a"), 10, &answer(12, Some("a"))), Intact);
        assert_eq!(server_memory(Some("a"), 10, &answer(4, Some("a"))), Lost, "restored");
        assert_eq!(server_memory(Some("a"), 10, &answer(12, Some("b"))), Lost, "replaced");
        assert_eq!(
            server_memory(Some("a"), 10, &answer(4, None)),
            Lost,
            "an older server restored"
        );
        assert_eq!(server_memory(Some("a"), 10, &answer(10, None)), Intact);
        assert_eq!(server_memory(None, 0, &answer(3, Some("a"))), Intact, "the first sync");
        assert_eq!(
            server_memory(None, 10, &answer(12, Some("a"))),
            Unproven,
            "an upgraded server"
        );
        assert_eq!(server_memory(None, 10, &answer(4, Some("a"))), Lost);
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
