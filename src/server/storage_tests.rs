//! The backend suite: what every [`Storage`] must do, written once and run
//! by each backend through [`storage_tests!`]. A backend that passes it
//! answers every sync round as SQLite does. Facts about one backend only
//! (SQLite's file mode, schema versions, bytes on disk) stay beside it.

use super::batch::{self, Round};
use super::round;
use super::round::Admission;
use super::storage::{
    AccountSummary, DeviceRecord, DeviceReport, SessionInfo, Storage, StorageError, StorageTxn, TokenHash, Usage, User,
    UserId,
};
use crate::sync::server_rules::tests::{request, row};
use crate::sync::server_rules::{FormRefusal, Quota, stored_bytes};
use crate::sync::wire::{Dot, KeyChange, Lineage, RowStatus, SyncRequest, SyncResponse, WireBody, WireRow};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

/// Defines one `#[test]` per suite function, each on a fresh storage that
/// `$open` makes. `$open` returns `(guard, storage)`: the guard (a temporary
/// directory, or `()`) lives as long as the test.
macro_rules! storage_tests {
    ($open:expr) => {
        $crate::server::storage_tests::storage_tests!(@each $open;
            users_are_unique_case_insensitively_and_sessions_map_back,
            an_account_keeps_the_key_check_it_was_created_with,
            an_account_takes_a_key_from_a_device_that_pulled_everything_then_only_sealed_rows,
            sessions_keep_their_device_and_times,
            revoking_every_session_but_one,
            passwords_change_and_accounts_are_listed_and_deleted,
            devices_are_known_by_what_they_said_at_their_last_sync,
            usage_counts_rows_and_bytes_and_the_quota_refuses_growth,
            a_round_for_an_unknown_user_fails,
            accept_then_retry_changes_nothing,
            a_retry_is_told_from_a_collision_by_digest_without_reading_bodies,
            newer_versions_win_and_get_a_new_sequence_number,
            collision_stale_and_conflict_return_the_server_row_and_store_nothing,
            a_reused_dot_is_a_collision_and_keeps_the_first_digest,
            rows_come_back_without_their_dots,
            pages_never_skip_a_row_and_stop_with_more_false,
            rows_stored_by_a_request_are_not_echoed_but_the_cursor_passes_them,
            a_pulled_row_the_round_stores_again_leaves_its_page,
            a_limited_page_with_pushed_rows_stops_before_them,
            a_cursor_from_the_future_starts_over,
            users_never_see_or_touch_each_others_rows,
            ten_thousand_rows_in_one_request,
            a_retried_round_is_not_a_copy,
            a_copy_is_refused_whole_and_told_which_of_its_rows_are_shared,
            a_dropped_transaction_changes_nothing,
            a_round_that_fails_half_way_changes_nothing,
            concurrent_rounds_never_share_a_sequence_number,
            each_users_data_has_one_server_id_that_rounds_keep,
            a_server_that_went_back_in_time_or_lost_a_lineage_takes_a_new_id,
            rounds_of_two_users_in_one_batch_answer_as_they_would_alone,
            a_round_reading_past_its_batch_answers_as_it_would_alone,
            a_round_over_quota_in_a_batch_leaves_the_others_stored,
            a_forked_device_in_a_batch_keeps_its_new_server_id_only,
            a_batched_round_whose_session_ended_stores_nothing,
        );
    };
    (@each $open:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_guard, storage) = $open;
                $crate::server::storage_tests::$name(&storage);
            }
        )*
    };
}
pub(crate) use storage_tests;

fn statuses(response: &SyncResponse<WireBody>) -> Vec<RowStatus> {
    response.results.iter().map(|r| r.status).collect()
}

fn ids(rows: &[WireRow]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

fn new_user(storage: &dyn Storage, name: &str) -> UserId {
    storage.create_user(name, "hash", None).unwrap().id
}

fn sync(storage: &dyn Storage, user: UserId, request: &SyncRequest<WireBody>) -> SyncResponse<WireBody> {
    round::run(storage, user, request, Quota::UNLIMITED).unwrap()
}

/// A fixed moment, `seconds` after a round date, so times compare exactly.
fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

fn session(token: u8, device: Option<&str>, created: i64) -> SessionInfo {
    SessionInfo {
        token: [token; 32],
        device: device.map(Into::into),
        created_at: at(created),
        last_used: at(created),
    }
}

/// What `user` holds, read through a transaction that is then dropped:
/// the head, each row's id and sequence number in order, and the lineage
/// of the device "phone".
fn holdings(storage: &dyn Storage, user: UserId) -> (u64, Vec<(String, u64)>, Option<String>) {
    let mut txn = storage.begin(user).unwrap();
    let head = txn.lock_head().unwrap();
    let rows = txn.rows_between(0, head, usize::MAX).unwrap();
    let lineage = txn.lineage("phone").unwrap();
    (
        head,
        rows.into_iter().map(|(seq, row)| (row.id, seq)).collect(),
        lineage,
    )
}

fn seqs(storage: &dyn Storage, user: UserId) -> Vec<(String, u64)> {
    holdings(storage, user).1
}

fn lineage(confirmed: Option<&str>, next: &str) -> Lineage {
    Lineage {
        confirmed: confirmed.map(Into::into),
        unconfirmed: Vec::new(),
        next: next.into(),
    }
}

fn dot(device: &str, counter: u64, digest: &str) -> Dot {
    Dot {
        device: device.into(),
        counter,
        digest: digest.into(),
    }
}

pub(crate) fn users_are_unique_case_insensitively_and_sessions_map_back(s: &dyn Storage) {
    let alice = s.create_user("alice", "h1", None).unwrap();
    assert!(matches!(
        s.create_user("ALICE", "h2", None),
        Err(StorageError::UserExists)
    ));
    let (found, hash) = s.password_hash("Alice").unwrap().unwrap();
    assert_eq!((found, hash.as_str()), (alice.clone(), "h1"));
    assert_eq!(s.password_hash("bob").unwrap(), None);
    let bob = s.create_user("bob", "h3", None).unwrap();
    assert_ne!(bob.id, alice.id);
    s.create_session(bob.id, &session(9, None, 0)).unwrap();
    let token: TokenHash = [7; 32];
    s.create_session(alice.id, &session(7, Some("phone"), 0)).unwrap();
    let user_of = |token: &TokenHash| s.session(token).unwrap().map(|(user, _)| user);
    assert_eq!(user_of(&token), Some(alice));
    assert_eq!(user_of(&[9; 32]), Some(bob));
    assert_eq!(user_of(&[8; 32]), None);
    assert!(s.revoke_session(&token).unwrap());
    assert!(!s.revoke_session(&token).unwrap());
    assert_eq!(user_of(&token), None);
    assert!(user_of(&[9; 32]).is_some(), "other sessions live on");
}

pub(crate) fn an_account_keeps_the_key_check_it_was_created_with(s: &dyn Storage) {
    let sealed = s.create_user("sealed", "h", Some("00ff")).unwrap();
    let plain = s.create_user("plain", "h", None).unwrap();
    assert_eq!(s.key_check(sealed.id).unwrap().as_deref(), Some("00ff"));
    assert_eq!(s.key_check(plain.id).unwrap(), None);
    assert_eq!(s.key_check(sealed.id + plain.id + 1).unwrap(), None, "no such account");
}

pub(crate) fn an_account_takes_a_key_from_a_device_that_pulled_everything_then_only_sealed_rows(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut plain = row("w1", &[("phone", 1)], json!({"name": "Push"}));
    plain.dots = vec![dot("phone", 1, "d-plain")];
    sync(s, u, &request(0, vec![plain.clone()]));
    let change = |expected: Option<&str>, key_check: &str, cursor| {
        round::change_key(
            s,
            u,
            &KeyChange {
                expected: expected.map(str::to_string),
                key_check: key_check.to_string(),
                cursor,
            },
        )
    };
    assert!(matches!(change(None, "aa", 0), Err(StorageError::KeyChangeBehind)));
    assert_eq!(s.key_check(u).unwrap(), None, "refused: nothing changed");
    change(None, "aa", 1).unwrap();
    change(None, "aa", 1).expect("a retry");
    assert!(matches!(change(None, "bb", 1), Err(StorageError::OtherKey)));
    assert_eq!(s.key_check(u).unwrap().as_deref(), Some("aa"));
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(
        txn.recorded_dots(&plain).unwrap(),
        [None],
        "unkeyed digests are forgotten"
    );
    drop(txn);

    let admitting = Admission {
        quota: Quota::UNLIMITED,
        allow_plaintext: true,
    };
    let refused = round::run_admitting(s, u, &request(1, vec![plain.clone()]), admitting);
    assert!(matches!(
        refused,
        Err(StorageError::FormRefused(FormRefusal::AccountEncrypted))
    ));
    // The same version sealed replaces the plaintext one: a new sequence
    // number, so every device pulls it, and no conflict.
    let mut sealed = plain.clone();
    sealed.body = WireBody::sealed("c2VhbGVk");
    sealed.digest = Some("keyed".into());
    let answer = round::run_admitting(s, u, &request(1, vec![sealed.clone()]), admitting).unwrap();
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert_eq!(seqs(s, u), [("w1".to_string(), 2)]);
    let again = round::run_admitting(s, u, &request(2, vec![sealed]), admitting).unwrap();
    assert_eq!(statuses(&again), [RowStatus::Accepted]);
    assert_eq!(seqs(s, u), [("w1".to_string(), 2)], "a retry stores nothing");

    // A rotation: the recorded dots stay (the new check hands the digest
    // key on), and the same version sealed under the new key replaces the
    // old one, though its body does not match.
    change(Some("aa"), "bb", 2).unwrap();
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(txn.recorded_dots(&plain).unwrap(), [Some("d-plain".to_string())]);
    drop(txn);
    let mut resealed = plain;
    resealed.body = WireBody::sealed("bmV3a2V5");
    resealed.digest = Some("keyed".into());
    let answer = round::run_admitting(s, u, &request(2, vec![resealed]), admitting).unwrap();
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert_eq!(seqs(s, u), [("w1".to_string(), 3)]);
}

pub(crate) fn sessions_keep_their_device_and_times(s: &dyn Storage) {
    let u = new_user(s, "u");
    let bound = session(1, Some("phone"), 10);
    s.create_session(u, &bound).unwrap();
    assert_eq!(s.session(&[1; 32]).unwrap().map(|(_, info)| info), Some(bound.clone()));
    s.touch_session(&[1; 32], at(500)).unwrap();
    let touched = s.session(&[1; 32]).unwrap().unwrap().1;
    assert_eq!((touched.created_at, touched.last_used), (at(10), at(500)));
    assert!(
        !s.bind_session(&[1; 32], "laptop").unwrap(),
        "a bound session keeps its device"
    );
    assert_eq!(s.session(&[1; 32]).unwrap().unwrap().1.device.as_deref(), Some("phone"));

    s.create_session(u, &session(2, None, 20)).unwrap();
    assert!(s.bind_session(&[2; 32], "laptop").unwrap());
    assert!(!s.bind_session(&[2; 32], "tablet").unwrap(), "bound once only");
    assert!(!s.bind_session(&[3; 32], "tablet").unwrap(), "no such session");
    let devices: Vec<(TokenHash, Option<String>)> = s
        .sessions(u)
        .unwrap()
        .into_iter()
        .map(|info| (info.token, info.device))
        .collect();
    assert_eq!(
        devices,
        [([1; 32], Some("phone".into())), ([2; 32], Some("laptop".into()))],
        "oldest first"
    );
    assert!(s.sessions(new_user(s, "other")).unwrap().is_empty());
}

pub(crate) fn revoking_every_session_but_one(s: &dyn Storage) {
    let u = new_user(s, "u");
    let other = new_user(s, "other");
    for token in 1..=3 {
        s.create_session(u, &session(token, Some("d"), i64::from(token)))
            .unwrap();
    }
    s.create_session(other, &session(9, None, 0)).unwrap();
    assert_eq!(s.revoke_sessions(u, Some(&[2; 32])).unwrap(), 2);
    let left: Vec<TokenHash> = s.sessions(u).unwrap().into_iter().map(|i| i.token).collect();
    assert_eq!(left, [[2; 32]]);
    assert_eq!(s.revoke_sessions(u, None).unwrap(), 1);
    assert!(s.sessions(u).unwrap().is_empty());
    assert_eq!(
        s.sessions(other).unwrap().len(),
        1,
        "another account's session lives on"
    );
}

pub(crate) fn passwords_change_and_accounts_are_listed_and_deleted(s: &dyn Storage) {
    let bob = new_user(s, "bob");
    let alice = new_user(s, "Alice");
    s.set_password_hash(bob, "new hash").unwrap();
    assert_eq!(s.password_hash("bob").unwrap().unwrap().1, "new hash");
    assert_eq!(
        s.password_hash("alice").unwrap().unwrap().1,
        "hash",
        "only bob's changed"
    );
    s.create_session(bob, &session(1, Some("phone"), 0)).unwrap();
    let mut push = request(0, vec![row("w1", &[("phone", 1)], json!({"n": 1}))]);
    push.lineage = Some(lineage(None, "a"));
    sync(s, bob, &push);

    let accounts = s.accounts().unwrap();
    let names: Vec<&str> = accounts.iter().map(|a| a.user.name.as_str()).collect();
    assert_eq!(names, ["Alice", "bob"], "by name, whatever the case");
    let AccountSummary {
        usage,
        sessions,
        devices,
        ..
    } = accounts[1].clone();
    assert_eq!((usage.rows, sessions, devices), (1, 1, 1));
    assert!(accounts[1].created_at <= Utc::now());

    assert!(s.delete_user(bob).unwrap());
    assert!(!s.delete_user(bob).unwrap());
    assert_eq!(s.password_hash("bob").unwrap(), None);
    assert_eq!(s.session(&[1; 32]).unwrap(), None, "its sessions went with it");
    assert!(s.devices(bob).unwrap().is_empty());
    let again = new_user(s, "bob");
    assert_eq!(holdings(s, again), (0, Vec::new(), None), "a new bob starts empty");
    assert!(s.password_hash("alice").unwrap().is_some());
    let _ = alice;
}

pub(crate) fn devices_are_known_by_what_they_said_at_their_last_sync(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut phone = request(
        0,
        vec![
            row("w1", &[("phone", 1)], json!({})),
            row("w2", &[("phone", 1)], json!({})),
        ],
    );
    phone.lineage = Some(lineage(None, "p1"));
    phone.device_name = Some("Pixel".into());
    phone.pending = Some(7);
    sync(s, u, &phone);
    let mut laptop = request(2, vec![row("w2", &[("phone", 1), ("laptop", 1)], json!({"n": 2}))]);
    laptop.device_id = "laptop".into();
    laptop.lineage = Some(lineage(None, "l1"));
    sync(s, u, &laptop);
    // The phone syncs again without a name: it keeps the one it sent.
    let mut again = request(3, vec![]);
    again.lineage = Some(lineage(Some("p1"), "p2"));
    again.pending = Some(0);
    sync(s, u, &again);
    // A round without a lineage makes no device.
    let mut anonymous = request(3, vec![]);
    anonymous.device_id = "ghost".into();
    sync(s, u, &anonymous);

    let devices = s.devices(u).unwrap();
    let facts: Vec<(&str, Option<&str>, Option<u64>, u64)> = devices
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_deref(), d.pending, d.rows))
        .collect();
    assert_eq!(
        facts,
        [("laptop", None, None, 1), ("phone", Some("Pixel"), Some(0), 1)],
        "w2's current version came from the laptop"
    );
    let DeviceRecord { last_sync, .. } = &devices[1];
    let last_sync = last_sync.expect("the phone synced");
    assert!((Utc::now() - last_sync).num_seconds().abs() < 60, "{last_sync}");
    let report = DeviceReport {
        name: Some("ignored"),
        pending: None,
        at: at(0),
    };
    // Noting a device whose lineage is not kept stores nothing.
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    txn.note_device("nobody", &report).unwrap();
    txn.commit().unwrap();
    assert_eq!(s.devices(u).unwrap().len(), 2);
}

pub(crate) fn usage_counts_rows_and_bytes_and_the_quota_refuses_growth(s: &dyn Storage) {
    let u = new_user(s, "u");
    let small = row("w1", &[("a", 1)], json!({"notes": "x"}));
    let other = row("w2", &[("a", 1)], json!({}));
    sync(s, u, &request(0, vec![small.clone(), other.clone()]));
    let usage = |s: &dyn Storage| {
        let mut txn = s.begin(u).unwrap();
        txn.lock_head().unwrap();
        txn.usage().unwrap()
    };
    let expected = Usage {
        rows: 2,
        bytes: stored_bytes(&small) + stored_bytes(&other),
    };
    assert_eq!(usage(s), expected);
    // An edit replaces the bytes of the version it replaces.
    let bigger = row("w1", &[("a", 2)], json!({"notes": "x".repeat(100)}));
    sync(s, u, &request(2, vec![bigger.clone()]));
    let after_edit = Usage {
        rows: 2,
        bytes: stored_bytes(&bigger) + stored_bytes(&other),
    };
    assert_eq!(usage(s), after_edit);

    let tight = Quota {
        rows: 2,
        bytes: u64::MAX,
    };
    let third = request(3, vec![row("w3", &[("a", 1)], json!({}))]);
    let refused = round::run(s, u, &third, tight);
    assert!(
        matches!(&refused, Err(StorageError::OverQuota(why)) if why.contains("3 rows")),
        "{refused:?}"
    );
    assert_eq!(
        (usage(s), seqs(s, u).len()),
        (after_edit, 2),
        "nothing of it was stored"
    );
    // At the quota an account still pulls, and edits that do not grow it pass.
    let shrink = row("w1", &[("a", 3)], json!({}));
    let answer = round::run(s, u, &request(0, vec![shrink.clone()]), tight).unwrap();
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert_eq!(answer.changes.len(), 1, "w2 is pulled");
    let bytes_quota = Quota {
        rows: 100,
        bytes: stored_bytes(&shrink) + stored_bytes(&other),
    };
    let refused = round::run(s, u, &request(3, vec![row("w4", &[("a", 1)], json!({}))]), bytes_quota);
    assert!(matches!(refused, Err(StorageError::OverQuota(_))), "{refused:?}");
}

pub(crate) fn a_round_for_an_unknown_user_fails(s: &dyn Storage) {
    new_user(s, "u");
    let answer = round::run(
        s,
        99,
        &request(0, vec![row("w1", &[("a", 1)], json!({}))]),
        Quota::UNLIMITED,
    );
    assert!(matches!(answer, Err(StorageError::NoAccount(99))), "{answer:?}");
}

pub(crate) fn accept_then_retry_changes_nothing(s: &dyn Storage) {
    let u = new_user(s, "u");
    let w1 = row("w1", &[("phone", 1)], json!({"name": "Push"}));
    let first = sync(s, u, &request(0, vec![w1.clone()]));
    assert_eq!(statuses(&first), [RowStatus::Accepted]);
    assert_eq!((first.changes.len(), first.cursor, first.more), (0, 1, false));
    assert_eq!(first.results[0].server, None);
    // The answer was lost; the client sends the same request again.
    let retry = sync(s, u, &request(0, vec![w1.clone()]));
    assert_eq!(statuses(&retry), [RowStatus::Accepted]);
    assert_eq!(seqs(s, u), [("w1".to_string(), 1)]);
    // Not stored by this request, so it is not excluded from the pull.
    assert_eq!(retry.changes, [w1]);
    assert_eq!(retry.cursor, 1);
}

pub(crate) fn a_retry_is_told_from_a_collision_by_digest_without_reading_bodies(s: &dyn Storage) {
    let u = new_user(s, "u");
    let with_digest = |sealed: &str, digest: &str| WireRow {
        body: WireBody::sealed(sealed),
        digest: Some(digest.into()),
        ..row("w1", &[("phone", 1)], json!({}))
    };
    // The stored digest is kept: a retry whose body bytes differ (a body
    // sealed again, under a fresh nonce) but whose digest matches is a retry.
    let first = with_digest("Zmlyc3QgYnl0ZXM", "d1");
    sync(s, u, &request(0, vec![first.clone()]));
    let retry = sync(s, u, &request(0, vec![with_digest("b3RoZXIgYnl0ZXM", "d1")]));
    assert_eq!(statuses(&retry), [RowStatus::Accepted]);
    assert_eq!(
        retry.changes,
        std::slice::from_ref(&first),
        "the first version stays, digest and all"
    );
    assert_eq!(seqs(s, u), [("w1".to_string(), 1)]);
    // Same bytes, another digest: other content under one clock.
    let copy = sync(s, u, &request(1, vec![with_digest("Zmlyc3QgYnl0ZXM", "d2")]));
    assert_eq!(statuses(&copy), [RowStatus::Collision]);
    assert_eq!(copy.results[0].server, Some(first));

    // A row stored without a digest (an older pump) is compared by body.
    let old = row("w2", &[("phone", 1)], json!({"name": "Old"}));
    sync(s, u, &request(1, vec![old.clone()]));
    let retried = WireRow {
        digest: Some("d3".into()),
        ..old.clone()
    };
    let other = WireRow {
        body: WireBody::from_json(r#"{"name":"Other"}"#.into()).unwrap(),
        ..retried.clone()
    };
    let answer = sync(s, u, &request(2, vec![retried, other]));
    assert_eq!(statuses(&answer), [RowStatus::Accepted, RowStatus::Collision]);
}

pub(crate) fn newer_versions_win_and_get_a_new_sequence_number(s: &dyn Storage) {
    let u = new_user(s, "u");
    let first = vec![row("w1", &[("a", 1)], json!({})), row("w2", &[("a", 1)], json!({}))];
    sync(s, u, &request(0, first));
    let edit = row("w1", &[("a", 1), ("b", 1)], json!({"name": "edited"}));
    let answer = sync(s, u, &request(2, vec![edit.clone()]));
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert_eq!(seqs(s, u), [("w2".to_string(), 2), ("w1".to_string(), 3)]);
    let pulled = sync(s, u, &request(0, vec![]));
    assert_eq!(pulled.changes[1], edit);
    assert_eq!(pulled.cursor, 3);
}

pub(crate) fn collision_stale_and_conflict_return_the_server_row_and_store_nothing(s: &dyn Storage) {
    let u = new_user(s, "u");
    let stored = row("w1", &[("a", 2)], json!({"name": "Push"}));
    sync(s, u, &request(0, vec![stored.clone()]));
    let answer = sync(
        s,
        u,
        &request(
            1,
            vec![
                row("w1", &[("a", 2)], json!({"name": "Legs"})),
                row("w1", &[("a", 1)], json!({"name": "Old"})),
                row("w1", &[("a", 1), ("b", 1)], json!({"name": "Fork"})),
            ],
        ),
    );
    assert_eq!(
        statuses(&answer),
        [RowStatus::Collision, RowStatus::Stale, RowStatus::Conflict]
    );
    assert!(answer.results.iter().all(|r| r.server.as_ref() == Some(&stored)));
    assert_eq!(seqs(s, u), [("w1".to_string(), 1)]);
    assert_eq!((answer.changes.len(), answer.cursor), (0, 1));
}

pub(crate) fn a_reused_dot_is_a_collision_and_keeps_the_first_digest(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut original = row("w1", &[("phone", 1)], json!({"name": "Push"}));
    original.dots = vec![dot("phone", 1, "d-push")];
    sync(s, u, &request(0, vec![original]));
    // The laptop builds on it, so a twin's version of phone's first write
    // looks merely older: only the recorded dot tells it apart.
    let successor = row("w1", &[("phone", 1), ("laptop", 1)], json!({"name": "Push+"}));
    sync(s, u, &request(1, vec![successor.clone()]));
    let mut twin = row("w1", &[("phone", 1)], json!({"name": "Legs"}));
    twin.dots = vec![dot("phone", 1, "d-legs")];
    let answer = sync(s, u, &request(2, vec![twin.clone()]));
    assert_eq!(statuses(&answer), [RowStatus::Collision]);
    assert_eq!(answer.results[0].server.as_ref(), Some(&successor));
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(
        txn.recorded_dots(&twin).unwrap(),
        [Some("d-push".to_string())],
        "a collision's dots are not recorded"
    );
}

pub(crate) fn rows_come_back_without_their_dots(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut pushed = row("w1", &[("phone", 2)], json!({"name": "Push"}));
    pushed.dots = vec![dot("phone", 1, "d1"), dot("phone", 2, "d2")];
    sync(s, u, &request(0, vec![pushed.clone()]));
    let bare = WireRow {
        dots: Vec::new(),
        ..pushed
    };
    assert_eq!(sync(s, u, &request(0, vec![])).changes, std::slice::from_ref(&bare));
    let older = row("w1", &[("phone", 1)], json!({"name": "Old"}));
    let answer = sync(s, u, &request(1, vec![older]));
    assert_eq!(answer.results[0].server, Some(bare));
}

pub(crate) fn pages_never_skip_a_row_and_stop_with_more_false(s: &dyn Storage) {
    let u = new_user(s, "u");
    let rows: Vec<WireRow> = (1..=5)
        .map(|i| row(&format!("w{i}"), &[("a", 1)], json!({"n": i})))
        .collect();
    sync(s, u, &request(0, rows));
    let mut cursor = 0;
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    loop {
        let mut req = request(cursor, vec![]);
        req.pull_limit = Some(2);
        let answer = sync(s, u, &req);
        seen.extend(answer.changes.iter().map(|r| r.id.clone()));
        pages.push((answer.changes.len(), answer.cursor, answer.more));
        cursor = answer.cursor;
        if !answer.more {
            break;
        }
    }
    assert_eq!(seen, ["w1", "w2", "w3", "w4", "w5"]);
    assert_eq!(pages, [(2, 2, true), (2, 4, true), (1, 5, false)]);
}

pub(crate) fn rows_stored_by_a_request_are_not_echoed_but_the_cursor_passes_them(s: &dyn Storage) {
    let u = new_user(s, "u");
    // Another device stored w1 (seq 1).
    sync(s, u, &request(0, vec![row("w1", &[("laptop", 1)], json!({}))]));
    let mine = row("w2", &[("phone", 1)], json!({}));
    let answer = sync(s, u, &request(0, vec![mine]));
    assert_eq!(ids(&answer.changes), ["w1"]);
    assert_eq!((answer.cursor, answer.more), (2, false));
}

/// A new user whose laptop stored `n` rows, o1 to on (sequence numbers 1 to n).
fn user_with_laptop_rows(s: &dyn Storage, n: usize) -> UserId {
    let u = new_user(s, "u");
    let others: Vec<WireRow> = (1..=n)
        .map(|i| row(&format!("o{i}"), &[("laptop", 1)], json!({})))
        .collect();
    sync(s, u, &request(0, others));
    u
}

/// A backend that reads the page with the lock, before the round's writes
/// (PostgreSQL), must still leave out what the round numbered anew.
pub(crate) fn a_pulled_row_the_round_stores_again_leaves_its_page(s: &dyn Storage) {
    let u = user_with_laptop_rows(s, 4);
    // The phone edits o1, which it has not pulled yet, and pulls one row.
    let edited = row("o1", &[("laptop", 1), ("phone", 1)], json!({"edited": true}));
    let mut req = request(0, vec![edited]);
    req.pull_limit = Some(1);
    let answer = sync(s, u, &req);
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert_eq!(ids(&answer.changes), ["o2"]);
    assert_eq!((answer.cursor, answer.more), (2, true));
    let mut everything = request(0, vec![]);
    everything.pull_limit = Some(10);
    assert_eq!(ids(&sync(s, u, &everything).changes), ["o2", "o3", "o4", "o1"]);
}

pub(crate) fn a_limited_page_with_pushed_rows_stops_before_them(s: &dyn Storage) {
    let u = user_with_laptop_rows(s, 3);
    let mut req = request(0, vec![row("mine", &[("phone", 1)], json!({}))]);
    req.pull_limit = Some(2);
    let first = sync(s, u, &req);
    assert_eq!(ids(&first.changes), ["o1", "o2"]);
    assert_eq!((first.cursor, first.more), (2, true));
    let mut next = request(first.cursor, vec![]);
    next.pull_limit = Some(2);
    let second = sync(s, u, &next);
    // o3, then the pushed row once more (the documented price of paging).
    assert_eq!(ids(&second.changes), ["o3", "mine"]);
    assert_eq!((second.cursor, second.more), (4, false));
}

fn server_id(answer: &SyncResponse<WireBody>) -> String {
    answer.server_id.clone().expect("every answer names the server id")
}

pub(crate) fn each_users_data_has_one_server_id_that_rounds_keep(s: &dyn Storage) {
    let one = new_user(s, "one");
    let two = new_user(s, "two");
    let first = server_id(&sync(s, one, &request(0, vec![row("w1", &[("a", 1)], json!({}))])));
    assert_eq!(first.len(), 32, "{first}");
    assert_eq!(server_id(&sync(s, one, &request(1, vec![]))), first);
    assert_eq!(
        server_id(&sync(s, one, &request(0, vec![]))),
        first,
        "an early cursor is no loss"
    );
    assert_ne!(server_id(&sync(s, two, &request(0, vec![]))), first);
    // Only a committed transaction keeps a new id.
    {
        let mut txn = s.begin(one).unwrap();
        txn.lock_head().unwrap();
        txn.set_server_id("dropped").unwrap();
        assert_eq!(txn.server_id().unwrap().as_deref(), Some("dropped"));
    }
    let mut txn = s.begin(one).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(txn.server_id().unwrap(), Some(first));
}

pub(crate) fn a_server_that_went_back_in_time_or_lost_a_lineage_takes_a_new_id(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut first = request(0, vec![row("w1", &[("phone", 1)], json!({}))]);
    first.lineage = Some(lineage(None, "a"));
    let original = server_id(&sync(s, u, &first));
    // A device that synced up to 5 meets a server whose head is 1.
    let rewound = server_id(&sync(s, u, &request(5, vec![])));
    assert_ne!(rewound, original);
    assert_eq!(
        server_id(&sync(s, u, &request(1, vec![]))),
        rewound,
        "kept from then on"
    );
    // A device that says it synced before, unknown to the server.
    let mut forgotten = request(1, vec![]);
    forgotten.device_id = "tablet".into();
    forgotten.lineage = Some(lineage(Some("t1"), "t1"));
    let renewed = server_id(&sync(s, u, &forgotten));
    assert_ne!(renewed, rewound);
    assert_eq!(server_id(&sync(s, u, &forgotten)), renewed, "known from then on");
    let rewound = renewed;
    // A lineage the server does not know: the round is refused, the id renewed.
    let mut unknown = request(1, vec![]);
    unknown.lineage = Some(lineage(Some("lost"), "c"));
    let before = holdings(s, u);
    assert!(matches!(
        round::run(s, u, &unknown, Quota::UNLIMITED),
        Err(StorageError::DeviceForked { .. })
    ));
    assert_eq!(holdings(s, u), before);
    assert_ne!(server_id(&sync(s, u, &request(1, vec![]))), rewound);
}

pub(crate) fn a_cursor_from_the_future_starts_over(s: &dyn Storage) {
    let u = new_user(s, "u");
    sync(s, u, &request(0, vec![row("w1", &[("a", 1)], json!({}))]));
    let answer = sync(s, u, &request(u64::MAX, vec![]));
    assert_eq!((ids(&answer.changes), answer.cursor), (vec!["w1"], 1));
}

pub(crate) fn users_never_see_or_touch_each_others_rows(s: &dyn Storage) {
    let one = new_user(s, "one");
    let two = new_user(s, "two");
    let mut original = request(0, vec![row("w1", &[("a", 5)], json!({"owner": 1}))]);
    original.lineage = Some(lineage(None, "one's"));
    sync(s, one, &original);
    // Same kind and id, an older clock, another lineage for the same device
    // id: for user 2 it is simply a new row from a new device.
    let intruder = row("w1", &[("a", 1)], json!({"owner": 2}));
    let mut theirs = request(0, vec![intruder.clone()]);
    theirs.lineage = Some(lineage(None, "two's"));
    let answer = sync(s, two, &theirs);
    assert_eq!(statuses(&answer), [RowStatus::Accepted]);
    assert!(answer.changes.is_empty());
    assert_eq!(sync(s, one, &request(0, vec![])).changes, original.rows);
    assert_eq!(sync(s, two, &request(0, vec![])).changes, [intruder]);
    assert_eq!(holdings(s, one), (1, vec![("w1".into(), 1)], Some("one's".into())));
    assert_eq!(holdings(s, two), (1, vec![("w1".into(), 1)], Some("two's".into())));
}

pub(crate) fn ten_thousand_rows_in_one_request(s: &dyn Storage) {
    let u = new_user(s, "u");
    let rows: Vec<WireRow> = (0..10_000)
        .map(|i| row(&format!("w{i:05}"), &[("a", 1)], json!({"name": "Push", "i": i})))
        .collect();
    // How fast is for `cargo bench` (scenario 2 pushes 10,000 on every
    // backend); this checks that one round takes them all.
    let answer = sync(s, u, &request(0, rows));
    assert!(answer.results.iter().all(|r| r.status == RowStatus::Accepted));
    assert_eq!(answer.cursor, 10_000);
}

pub(crate) fn a_retried_round_is_not_a_copy(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut first = request(0, vec![row("w1", &[("phone", 1)], json!({}))]);
    first.lineage = Some(lineage(None, "a"));
    sync(s, u, &first);
    // Delivered twice: the server kept "a" and sees it again.
    assert_eq!(statuses(&sync(s, u, &first)), [RowStatus::Accepted]);
    let mut next = request(1, vec![]);
    next.lineage = Some(lineage(Some("a"), "b"));
    sync(s, u, &next);
    assert_eq!(holdings(s, u), (1, vec![("w1".into(), 1)], Some("b".into())));
}

pub(crate) fn a_copy_is_refused_whole_and_told_which_of_its_rows_are_shared(s: &dyn Storage) {
    let u = new_user(s, "u");
    let shared = row("w1", &[("phone", 2)], json!({"name": "Push"}));
    let mut original = request(0, vec![shared.clone()]);
    original.lineage = Some(lineage(None, "a"));
    sync(s, u, &original);
    // The copy still names "a" as confirmed; the original moved on to "b".
    let mut next = request(1, vec![]);
    next.lineage = Some(lineage(Some("a"), "b"));
    sync(s, u, &next);
    let own_write = row("w2", &[("phone", 1)], json!({"name": "Legs"}));
    let same_clock_other_content = row("w1", &[("phone", 2)], json!({"name": "Pull"}));
    let mut copy = request(0, vec![own_write, shared, same_clock_other_content]);
    copy.lineage = Some(lineage(Some("a"), "c"));
    let before = holdings(s, u);
    let refused = round::run(s, u, &copy, Quota::UNLIMITED);
    assert!(
        matches!(&refused, Err(StorageError::DeviceForked { already_stored }) if already_stored == &[1]),
        "{refused:?}"
    );
    assert_eq!(holdings(s, u), before, "nothing of a refused round is stored");
}

pub(crate) fn a_dropped_transaction_changes_nothing(s: &dyn Storage) {
    let u = new_user(s, "u");
    let mut kept = request(0, vec![row("w1", &[("phone", 1)], json!({}))]);
    kept.lineage = Some(lineage(None, "a"));
    sync(s, u, &kept);
    let before = holdings(s, u);
    let mut written = row("w2", &[("phone", 1)], json!({}));
    written.dots = vec![dot("phone", 1, "d")];
    {
        let mut txn = s.begin(u).unwrap();
        let head = txn.lock_head().unwrap();
        txn.set_lineage("phone", "z").unwrap();
        txn.record_dots(&written).unwrap();
        txn.put_row(head + 1, &written, "phone").unwrap();
        txn.set_head(head + 1).unwrap();
        assert_eq!(txn.row("workout", "w2").unwrap().map(|r| r.id), Some("w2".into()));
    }
    assert_eq!(holdings(s, u), before);
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(txn.row("workout", "w2").unwrap(), None);
    assert_eq!(txn.recorded_dots(&written).unwrap(), [None]);
}

pub(crate) fn a_round_that_fails_half_way_changes_nothing(s: &dyn Storage) {
    let u = new_user(s, "u");
    sync(s, u, &request(0, vec![row("w1", &[("phone", 1)], json!({}))]));
    let before = holdings(s, u);
    let mut good = row("w2", &[("phone", 1)], json!({}));
    good.dots = vec![dot("phone", 1, "d")];
    let edit = row("w1", &[("phone", 2)], json!({"edited": true}));
    let mut doomed = request(1, vec![good.clone(), edit, row("poison", &[("phone", 1)], json!({}))]);
    doomed.lineage = Some(lineage(None, "a"));
    let failing = FailsToStore { inner: s, id: "poison" };
    assert!(matches!(
        round::run(&failing, u, &doomed, Quota::UNLIMITED),
        Err(StorageError::Database(_))
    ));
    assert_eq!(holdings(s, u), before);
    let mut txn = s.begin(u).unwrap();
    txn.lock_head().unwrap();
    assert_eq!(txn.recorded_dots(&good).unwrap(), [None]);
}

pub(crate) fn concurrent_rounds_never_share_a_sequence_number(s: &dyn Storage) {
    const THREADS: usize = 4;
    const ROUNDS: usize = 10;
    let u = new_user(s, "u");
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    let pushed = vec![
                        row(&format!("t{thread}r{round}a"), &[("a", 1)], json!({})),
                        row(&format!("t{thread}r{round}b"), &[("a", 1)], json!({})),
                    ];
                    assert_eq!(statuses(&sync(s, u, &request(0, pushed))), [RowStatus::Accepted; 2]);
                }
            });
        }
    });
    let (head, rows, _) = holdings(s, u);
    let numbers: Vec<u64> = rows.iter().map(|(_, seq)| *seq).collect();
    let every = (1..=(THREADS * ROUNDS * 2) as u64).collect::<Vec<_>>();
    assert_eq!((head, numbers), (every.len() as u64, every));
}

/// A backend whose stored clocks `damage` overwrites with text that is not
/// JSON reports the damaged row rather than guessing around it. Run by each
/// SQL backend with its own SQL for the damage.
pub(crate) fn a_damaged_clock_is_reported(s: &dyn Storage, damage: impl FnOnce()) {
    let u = new_user(s, "u");
    sync(s, u, &request(0, vec![row("w1", &[("a", 1)], json!({}))]));
    damage();
    let pulled = round::run(s, u, &request(0, vec![]), Quota::UNLIMITED);
    assert!(
        matches!(&pulled, Err(StorageError::Unreadable { id, what: "clock", .. }) if id == "w1"),
        "{pulled:?}"
    );
}

/// Wraps a backend so that storing the row with id `id` fails, as a full
/// disk would, after the round has written other things.
struct FailsToStore<'a> {
    inner: &'a dyn Storage,
    id: &'a str,
}

struct FailingTxn<'a> {
    inner: Box<dyn StorageTxn + 'a>,
    id: &'a str,
}

impl Storage for FailsToStore<'_> {
    fn create_user(&self, name: &str, password_hash: &str, key_check: Option<&str>) -> Result<User, StorageError> {
        self.inner.create_user(name, password_hash, key_check)
    }
    fn key_check(&self, user: UserId) -> Result<Option<String>, StorageError> {
        self.inner.key_check(user)
    }
    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError> {
        self.inner.password_hash(name)
    }
    fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<(), StorageError> {
        self.inner.set_password_hash(user, password_hash)
    }
    fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError> {
        self.inner.accounts()
    }
    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        self.inner.delete_user(user)
    }
    fn create_session(&self, user: UserId, session: &SessionInfo) -> Result<(), StorageError> {
        self.inner.create_session(user, session)
    }
    fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError> {
        self.inner.session(token)
    }
    fn sessions(&self, user: UserId) -> Result<Vec<SessionInfo>, StorageError> {
        self.inner.sessions(user)
    }
    fn touch_session(&self, token: &TokenHash, at: DateTime<Utc>) -> Result<(), StorageError> {
        self.inner.touch_session(token, at)
    }
    fn bind_session(&self, token: &TokenHash, device: &str) -> Result<bool, StorageError> {
        self.inner.bind_session(token, device)
    }
    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        self.inner.revoke_session(token)
    }
    fn revoke_sessions(&self, user: UserId, except: Option<&TokenHash>) -> Result<u64, StorageError> {
        self.inner.revoke_sessions(user, except)
    }
    fn devices(&self, user: UserId) -> Result<Vec<DeviceRecord>, StorageError> {
        self.inner.devices(user)
    }
    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError> {
        Ok(Box::new(FailingTxn {
            inner: self.inner.begin(user)?,
            id: self.id,
        }))
    }
}

impl StorageTxn for FailingTxn<'_> {
    fn lock_head(&mut self) -> Result<u64, StorageError> {
        self.inner.lock_head()
    }
    fn key_check(&mut self) -> Result<Option<String>, StorageError> {
        self.inner.key_check()
    }
    fn replace_key_check(&mut self, key_check: &str, keep_dots: bool) -> Result<(), StorageError> {
        self.inner.replace_key_check(key_check, keep_dots)
    }
    fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
        self.inner.set_head(head)
    }
    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        self.inner.lineage(device)
    }
    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.inner.set_lineage(device, token)
    }
    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError> {
        self.inner.note_device(device, report)
    }
    fn usage(&mut self) -> Result<Usage, StorageError> {
        self.inner.usage()
    }
    fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError> {
        self.inner.set_usage(usage)
    }
    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError> {
        self.inner.row(kind, id)
    }
    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError> {
        self.inner.recorded_dots(row)
    }
    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError> {
        self.inner.record_dots(row)
    }
    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError> {
        if row.id == self.id {
            return Err(StorageError::database("disk full"));
        }
        self.inner.put_row(seq, row, device)
    }
    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError> {
        self.inner.rows_between(after, up_to, limit)
    }
    fn server_id(&mut self) -> Result<Option<String>, StorageError> {
        self.inner.server_id()
    }
    fn set_server_id(&mut self, id: &str) -> Result<(), StorageError> {
        self.inner.set_server_id(id)
    }
    fn commit(self: Box<Self>) -> Result<(), StorageError> {
        self.inner.commit()
    }
}

/// `rounds`, each `(user, request, quota)`, run as one batch (each alone on
/// a backend that does not batch), each with a live session of its user.
fn batched(
    s: &dyn Storage,
    rounds: &[(UserId, &SyncRequest<WireBody>, Quota)],
) -> Vec<Result<SyncResponse<WireBody>, StorageError>> {
    let rounds: Vec<Round> = rounds
        .iter()
        .map(|(user, request, quota)| batched_round(*user, live_session(s, *user), request, *quota))
        .collect();
    batch::run_together(s, &rounds.iter().collect::<Vec<_>>())
}

fn batched_round(user: UserId, session: TokenHash, request: &SyncRequest<WireBody>, quota: Quota) -> Round {
    Round {
        user,
        session,
        request: request.clone(),
        admission: Admission {
            quota,
            allow_plaintext: true,
        },
    }
}

/// The token hash of a session of `user`'s, made the first time it is asked.
fn live_session(s: &dyn Storage, user: UserId) -> TokenHash {
    let mut token = [0xb0; 32];
    token[..8].copy_from_slice(&user.to_le_bytes());
    if s.session(&token).unwrap().is_none() {
        s.create_session(
            user,
            &SessionInfo {
                token,
                ..session(0, None, 0)
            },
        )
        .unwrap();
    }
    token
}

/// An answer as JSON, without its server id: random, one per user.
fn comparable(answer: &SyncResponse<WireBody>) -> serde_json::Value {
    let mut answer = answer.clone();
    answer.server_id = None;
    serde_json::to_value(answer).unwrap()
}

/// Everything a user holds that a round writes: head, rows, lineage, usage, devices.
type Everything = (u64, Vec<(String, u64)>, Option<String>, Usage, Vec<String>);

/// Everything `user` holds that a round writes, for comparing twins.
fn everything_of(s: &dyn Storage, user: UserId) -> Everything {
    let (head, rows, lineage) = holdings(s, user);
    let mut txn = s.begin(user).unwrap();
    txn.lock_head().unwrap();
    let usage = txn.usage().unwrap();
    drop(txn);
    let devices = s
        .devices(user)
        .unwrap()
        .iter()
        .map(|d| format!("{} {:?} {:?} {}", d.id, d.name, d.pending, d.rows))
        .collect();
    (head, rows, lineage, usage, devices)
}

/// Two users (and their twins) with a laptop's history each: the twins run
/// the same rounds alone, the others in one batch, twice; every answer and
/// everything stored must be the same.
pub(crate) fn rounds_of_two_users_in_one_batch_answer_as_they_would_alone(s: &dyn Storage) {
    let history: Vec<WireRow> = (1..=5)
        .map(|i| {
            let mut stored = row(&format!("o{i}"), &[("laptop", 1)], json!({ "n": i }));
            stored.dots = vec![dot("laptop", 1, &format!("d{i}"))];
            stored
        })
        .collect();
    let users: Vec<UserId> = ["alice", "bob", "alice-alone", "bob-alone"]
        .iter()
        .map(|name| {
            let user = new_user(s, name);
            sync(s, user, &request(0, history.clone()));
            user
        })
        .collect();
    // Alice's phone pushes a new row, an edit of a row in her page (which
    // leaves it), a retry of a stored row and a stale copy; Bob pulls.
    let mut edit = row("o2", &[("laptop", 1), ("phone", 1)], json!({"n": 22}));
    edit.dots = vec![dot("laptop", 1, "d2"), dot("phone", 1, "e2")];
    let mut new = row("p1", &[("phone", 1)], json!({}));
    new.dots = vec![dot("phone", 1, "p")];
    let mut stale = row("o3", &[], json!({"n": 0}));
    stale.dots = Vec::new();
    let mut alice = request(0, vec![new, edit, history[3].clone(), stale]);
    alice.lineage = Some(lineage(None, "a1"));
    alice.device_name = Some("Pixel".into());
    alice.pending = Some(3);
    alice.pull_limit = Some(2);
    let mut bob = request(0, vec![]);
    bob.lineage = Some(lineage(None, "b1"));
    bob.pull_limit = Some(3);
    let first = batched(
        s,
        &[(users[0], &alice, Quota::UNLIMITED), (users[1], &bob, Quota::UNLIMITED)],
    );
    let first: Vec<SyncResponse<WireBody>> = first.into_iter().map(Result::unwrap).collect();
    for (batched, (twin, request)) in first.iter().zip([(users[2], &alice), (users[3], &bob)]) {
        assert_eq!(comparable(batched), comparable(&sync(s, twin, request)));
    }
    // The next rounds go on from the first ones' cursors and lineages.
    let mut alice_next = request(first[0].cursor, vec![row("p2", &[("phone", 1)], json!({}))]);
    alice_next.lineage = Some(lineage(Some("a1"), "a2"));
    let mut bob_next = request(first[1].cursor, vec![row("b", &[("bob", 1)], json!({}))]);
    bob_next.lineage = Some(lineage(Some("b1"), "b2"));
    let next = batched(
        s,
        &[
            (users[0], &alice_next, Quota::UNLIMITED),
            (users[1], &bob_next, Quota::UNLIMITED),
        ],
    );
    for (batched, (twin, request)) in next.iter().zip([(users[2], &alice_next), (users[3], &bob_next)]) {
        assert_eq!(
            comparable(batched.as_ref().unwrap()),
            comparable(&sync(s, twin, request))
        );
    }
    assert_eq!(everything_of(s, users[0]), everything_of(s, users[2]));
    assert_eq!(everything_of(s, users[1]), everything_of(s, users[3]));
    assert_eq!(
        server_id(&sync(s, users[0], &request(0, vec![]))),
        server_id(&first[0]),
        "kept"
    );
}

/// A round that stores again more of its page than a batch read ahead
/// needs rows past them: it runs again alone, and answers the same.
pub(crate) fn a_round_reading_past_its_batch_answers_as_it_would_alone(s: &dyn Storage) {
    let laptop: Vec<WireRow> = (1..=40)
        .map(|i| row(&format!("o{i}"), &[("laptop", 1)], json!({})))
        .collect();
    let (u, twin) = (new_user(s, "u"), new_user(s, "twin"));
    for user in [u, twin] {
        sync(s, user, &request(0, laptop.clone()));
    }
    let edits: Vec<WireRow> = (1..=30)
        .map(|i| row(&format!("o{i}"), &[("laptop", 1), ("phone", 1)], json!({"edited": i})))
        .collect();
    let mut req = request(0, edits);
    req.pull_limit = Some(2);
    let answer = batched(s, &[(u, &req, Quota::UNLIMITED)]).pop().unwrap().unwrap();
    assert_eq!(ids(&answer.changes), ["o31", "o32"]);
    assert_eq!(comparable(&answer), comparable(&sync(s, twin, &req)));
    assert_eq!(seqs(s, u), seqs(s, twin));
}

pub(crate) fn a_round_over_quota_in_a_batch_leaves_the_others_stored(s: &dyn Storage) {
    let (over, fine) = (new_user(s, "over"), new_user(s, "fine"));
    let tight = Quota {
        rows: 1,
        bytes: u64::MAX,
    };
    let mut too_much = request(
        0,
        vec![row("w1", &[("a", 1)], json!({})), row("w2", &[("a", 1)], json!({}))],
    );
    too_much.lineage = Some(lineage(None, "x"));
    let mut pushed = request(0, vec![row("w1", &[("b", 1)], json!({}))]);
    pushed.lineage = Some(lineage(None, "y"));
    let answers = batched(s, &[(over, &too_much, tight), (fine, &pushed, tight)]);
    assert!(
        matches!(&answers[0], Err(StorageError::OverQuota(_))),
        "{:?}",
        answers[0]
    );
    assert_eq!(statuses(answers[1].as_ref().unwrap()), [RowStatus::Accepted]);
    assert_eq!(holdings(s, over), (0, Vec::new(), None), "nothing of the refused round");
    assert_eq!(
        holdings(s, fine),
        (1, vec![("w1".to_string(), 1)], Some("y".to_string()))
    );
    assert_eq!(s.devices(fine).unwrap().len(), 1);
    assert!(s.devices(over).unwrap().is_empty());
}

pub(crate) fn a_forked_device_in_a_batch_keeps_its_new_server_id_only(s: &dyn Storage) {
    let (copied, other) = (new_user(s, "copied"), new_user(s, "other"));
    let shared = row("w1", &[("phone", 1)], json!({}));
    let mut original = request(0, vec![shared.clone()]);
    original.lineage = Some(lineage(None, "a"));
    let before = server_id(&sync(s, copied, &original));
    let mut moved_on = request(1, vec![]);
    moved_on.lineage = Some(lineage(Some("a"), "b"));
    sync(s, copied, &moved_on);
    let held = holdings(s, copied);
    let mut copy = request(0, vec![row("w2", &[("phone", 1)], json!({})), shared]);
    copy.lineage = Some(lineage(Some("a"), "c"));
    let pushed = request(0, vec![row("w1", &[("o", 1)], json!({}))]);
    let answers = batched(
        s,
        &[(copied, &copy, Quota::UNLIMITED), (other, &pushed, Quota::UNLIMITED)],
    );
    assert!(
        matches!(&answers[0], Err(StorageError::DeviceForked { already_stored }) if already_stored == &[1]),
        "{:?}",
        answers[0]
    );
    assert_eq!(statuses(answers[1].as_ref().unwrap()), [RowStatus::Accepted]);
    assert_eq!(holdings(s, copied), held, "none of the copy's rows");
    let after = server_id(&sync(s, copied, &request(2, vec![])));
    assert_ne!(after, before, "the refusal's new server id was kept");
    assert_eq!(seqs(s, other), [("w1".to_string(), 1)]);
}

/// A session revoked (here, or by another server process) after the
/// server authenticated its request: the round is refused when it takes
/// its user's lock, stores nothing, and the batch's other rounds go on.
pub(crate) fn a_batched_round_whose_session_ended_stores_nothing(s: &dyn Storage) {
    let (revoked, fine) = (new_user(s, "revoked"), new_user(s, "fine"));
    let ended = live_session(s, revoked);
    assert!(s.revoke_session(&ended).unwrap());
    let mut pushed = request(0, vec![row("w1", &[("a", 1)], json!({}))]);
    pushed.lineage = Some(lineage(None, "x"));
    let rounds = [
        batched_round(revoked, ended, &pushed, Quota::UNLIMITED),
        batched_round(fine, live_session(s, fine), &pushed, Quota::UNLIMITED),
    ];
    let answers = batch::run_together(s, &rounds.iter().collect::<Vec<_>>());
    assert!(
        matches!(&answers[0], Err(StorageError::SessionEnded)),
        "{:?}",
        answers[0]
    );
    assert_eq!(statuses(answers[1].as_ref().unwrap()), [RowStatus::Accepted]);
    assert_eq!(
        holdings(s, revoked),
        (0, Vec::new(), None),
        "nothing of the refused round"
    );
    assert!(s.devices(revoked).unwrap().is_empty());
    // Another user's live session does not stand in for the revoked one.
    let borrowed = batched_round(revoked, live_session(s, fine), &pushed, Quota::UNLIMITED);
    let answers = batch::run_together(s, &[&borrowed]);
    assert!(
        matches!(&answers[0], Err(StorageError::SessionEnded)),
        "{:?}",
        answers[0]
    );
    assert_eq!(holdings(s, revoked), (0, Vec::new(), None));
}
