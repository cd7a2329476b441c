//! Sync between devices through a real `pump server` process.

mod common;

use common::{Backend, Device, RawClient, Server, ServerState};
use serde_json::{Value, json};

/// Each listed test runs once per backend: `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(super::Backend::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name(super::Backend::Postgres)
            })*
        }
    };
}

on_each_backend!(
    a_workout_logged_on_a_reaches_b_with_its_clock,
    edits_and_deletes_propagate_both_ways,
    a_retried_request_changes_nothing,
    server_down_exits_75_and_loses_nothing,
    a_copied_database_takes_its_own_id_when_first_opened,
    a_copy_made_with_pending_edits_never_brings_back_a_workout_the_original_deleted,
    an_undetectable_copy_keeps_the_history_it_shares_with_its_twin,
    a_write_reusing_a_counter_is_never_dropped_as_stale,
    an_undetectable_copy_is_caught_by_sync_and_loses_no_set,
    users_are_isolated_even_by_id,
    bad_requests_are_refused_and_the_server_keeps_serving,
    rejected_credentials_exit_77,
    offline_registration_and_closed_registration,
    large_backlogs_page_through,
    a_write_during_an_in_flight_sync_stays_pending,
    a_server_restored_from_an_older_backup_gets_everything_back,
    an_empty_server_in_place_of_the_old_one_gets_everything_back,
);

fn token(d: &Device) -> String {
    d.session_token()
}

fn post(server: &Server, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut req = agent
        .post(format!("{}{path}", server.url))
        .header("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut resp = req.send(body).unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn healthy(server: &Server) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let resp = agent.get(format!("{}/health", server.url)).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

fn a_workout_logged_on_a_reaches_b_with_its_clock(backend: Backend) {
    let server = Server::start_with(backend);
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let id = a.log(&["Push day", "-e", "bench press: 3x5@100kg"]);
    let out = a.sync_ok();
    assert!(out.contains("sent 1"), "{out}");
    assert_eq!(a.json(&["status"])["pending"], 0);
    let out = b.sync_ok();
    assert!(out.contains("received 1"), "{out}");
    let on_a = a.workout(&id);
    let on_b = b.workout(&id);
    assert_eq!(on_b["name"], "Push day");
    assert_eq!(on_b["clock"], on_a["clock"]);
    assert_eq!(on_b["exercises"], on_a["exercises"]);
    assert_eq!(on_b["pending"], false);
}

fn edits_and_deletes_propagate_both_ways(backend: Backend) {
    let server = Server::start_with(backend);
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    let other = a.log(&["Pull", "-e", "row: 5@60kg"]);
    a.sync_ok();
    b.sync_ok();
    b.ok(&["edit", &id, "--name", "Legs (B)"]);
    b.ok(&["rm", &other]);
    b.sync_ok();
    a.sync_ok();
    assert_eq!(a.workout(&id)["name"], "Legs (B)");
    let (code, _) = a.fails(&["show", &other]);
    assert_eq!(code, 2, "the delete reached A");
    a.ok(&["edit", &id, "-e", "squat: 5@110kg"]);
    a.sync_ok();
    b.sync_ok();
    assert_eq!(b.workout(&id)["exercises"][0]["sets"][0]["weight_kg"], 110.0);
    assert_eq!(a.workout(&id)["clock"], b.workout(&id)["clock"]);
    // A second round changes nothing anywhere.
    let again = b.sync_ok();
    assert!(again.contains("sent 0, received 0"), "{again}");
}

fn a_retried_request_changes_nothing(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let body = json!({
        "protocol": 1, "device_id": a.device_id(), "cursor": 0, "lineage": {"next": "l"},
        "rows": [{ "kind": "workout", "id": "w-1", "clock": {"dev-x": 1}, "deleted": false,
                   "body": "UmV0cnk", "digest": "d-retry" }]
    })
    .to_string();
    let t = token(&a);
    let (s1, first) = post(&server, "/v1/sync", Some(&t), &body);
    let (s2, second) = post(&server, "/v1/sync", Some(&t), &body);
    assert_eq!((s1, s2), (200, 200));
    let first: Value = serde_json::from_str(&first).unwrap();
    let second: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(first["results"][0]["status"], "accepted");
    assert_eq!(second["results"][0]["status"], "accepted");
    assert_eq!(first["cursor"], second["cursor"], "no new change was recorded");
    // Same clock, different content: a device-id collision, not a silent drop.
    // (Sealed bodies with their digests, as an encrypted account's devices
    // send them: "Retry" and "Clash" in base64.)
    let clash = body.replace("UmV0cnk", "Q2xhc2g").replace("d-retry", "d-clash");
    let (s3, third) = post(&server, "/v1/sync", Some(&t), &clash);
    assert_eq!(s3, 200);
    let third: Value = serde_json::from_str(&third).unwrap();
    assert_eq!(third["results"][0]["status"], "collision");
    assert_eq!(third["results"][0]["server"]["body"], "UmV0cnk");
}

fn server_down_exits_75_and_loses_nothing(backend: Backend) {
    let state = ServerState::new(backend);
    let mut server = Server::start_on(&state, &["--open-registration"]);
    let a = Device::new();
    a.join(&server, "sam");
    a.log(&["Before", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    server.kill();
    let id = a.log(&["Offline", "-e", "squat: 5@105kg"]);
    let (code, _, err) = a.sync();
    assert_eq!(code, 75, "{err}");
    assert!(err.contains("nothing was lost"), "{err}");
    assert_eq!(a.json(&["status"])["pending"], 1);
    let _keep = server;
    let restarted = Server::start_on(&state, &[]);
    // The device remembers the old URL; point it at the restarted server
    // (it logs in with the key it holds).
    a.cmd()
        .args(["login", "--server", &restarted.url, "--user", "sam", "--password-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    a.sync_ok();
    let b = Device::new();
    b.join(&restarted, "sam");
    b.sync_ok();
    assert_eq!(b.workout(&id)["name"], "Offline");
    assert_eq!(b.json(&["list"]).as_array().unwrap().len(), 2);
}

fn a_copied_database_takes_its_own_id_when_first_opened(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let id = a.log(&["Shared", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    let clone = Device::new();
    a.copy_database_to(&clone);
    let out = clone.cmd().args(["device", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a copy of another device's database"));
    assert_ne!(
        a.json(&["device"])["id"],
        clone.json(&["device"])["id"],
        "the copy took a new id"
    );
    a.ok(&["edit", &id, "--name", "Edited on A"]);
    clone.ok(&["edit", &id, "--name", "Edited on the copy"]);
    a.sync_ok();
    let (code, _, err) = clone.sync();
    assert_eq!(code, 3, "an ordinary conflict, nothing overwritten: {err}");
    assert_eq!(
        clone.workout(&id)["name"],
        "Edited on the copy",
        "the local version is kept"
    );
    assert_eq!(clone.json(&["conflicts"])[0]["theirs"]["body"]["name"], "Edited on A");
    clone.ok(&["resolve", &id, "--mine"]);
    clone.sync_ok();
    a.sync_ok();
    assert_eq!(a.workout(&id)["name"], "Edited on the copy");
    assert_eq!(a.workout(&id)["clock"], clone.workout(&id)["clock"]);
}

/// Rows that were pending when the file was copied are history both copies
/// share, not edits of the copy: the original deleting a workout afterwards
/// supersedes them everywhere, whichever device syncs first, and the rows
/// both hold identically sync as one version, with no conflict made up.
fn a_copy_made_with_pending_edits_never_brings_back_a_workout_the_original_deleted(backend: Backend) {
    for copy_syncs_first in [false, true] {
        let server = Server::start_with(backend);
        let a = Device::new();
        a.join(&server, "sam");
        let legs = a.log(&["Legs", "-e", "squat: 5@100kg"]);
        let arms = a.log(&["Arms", "-e", "curl: 3x10@20kg"]);
        a.sync_ok();
        a.ok(&["edit", &legs, "--name", "Legs (heavy)"]);
        a.ok(&["edit", &arms, "--name", "Arms (light)"]);
        let copy = Device::new();
        a.copy_database_to(&copy);
        let out = copy.cmd().args(["device", "--json"]).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("is a copy of another device's database"));
        a.ok(&["rm", &legs]);
        let order = if copy_syncs_first { [&copy, &a] } else { [&a, &copy] };
        for _ in 0..2 {
            for device in order {
                let (code, out, err) = device.sync();
                assert_eq!(
                    code, 0,
                    "no conflict is made up (copy first: {copy_syncs_first}): {out}{err}"
                );
            }
        }
        for device in [&a, &copy] {
            assert_eq!(live_ids(device), [arms.as_str()], "the deleted workout stayed deleted");
            assert_eq!(device.json(&["conflicts"]).as_array().unwrap().len(), 0);
            assert_eq!(device.workout(&arms)["name"], "Arms (light)");
        }
        assert_shared_version_kept(&a, &copy, &arms);
    }
}

/// The same for a copy only sync can catch (it looks like the original's
/// file): the server tells it which of its unsynced rows it already holds
/// exactly, and only the others are handed to its new id.
fn an_undetectable_copy_keeps_the_history_it_shares_with_its_twin(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let legs = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    let arms = a.log(&["Arms", "-e", "curl: 3x10@20kg"]);
    a.sync_ok();
    a.ok(&["edit", &legs, "--name", "Legs (heavy)"]);
    a.ok(&["edit", &arms, "--name", "Arms (light)"]);
    let copy = Device::new();
    a.copy_database_to(&copy);
    rusqlite::Connection::open(&copy.db)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'device_file'", [])
        .unwrap();
    a.sync_ok();
    let (code, out, err) = copy.sync();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("shared its device id"), "{err}");
    a.ok(&["rm", &legs]);
    for _ in 0..2 {
        for device in [&a, &copy] {
            let (code, out, err) = device.sync();
            assert_eq!(code, 0, "no conflict is made up: {out}{err}");
        }
    }
    for device in [&a, &copy] {
        assert_eq!(live_ids(device), [arms.as_str()], "the deleted workout stayed deleted");
    }
    assert_shared_version_kept(&a, &copy, &arms);
}

/// A copy of a copy: a restored VM snapshot (an undetectable twin of the
/// original, same device id) is then copied to another machine, which takes
/// its own id but carries the twin's unsynced write. That write and the
/// original's next one share a device id and a counter. Once a third device
/// has built on the first to arrive, the second looks merely older; the
/// server still knows it for what it is from the writes' digests, so it is
/// held as a conflict instead of being dropped as stale.
fn a_write_reusing_a_counter_is_never_dropped_as_stale(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let id = a.ok(&["start", "Legs"]).trim().to_string();
    a.ok(&["add", "squat", "5@100kg"]);
    a.sync_ok();
    let twin = Device::new();
    a.copy_database_to(&twin);
    rusqlite::Connection::open(&twin.db)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'device_file'", [])
        .unwrap();
    twin.ok(&["add", "squat", "5@110kg"]);
    let copy_of_twin = Device::new();
    twin.copy_database_to(&copy_of_twin);
    a.ok(&["add", "squat", "5@105kg"]);
    copy_of_twin.sync_ok();
    let b = Device::new();
    b.join(&server, "sam");
    b.sync_ok();
    b.ok(&["edit", &id, "--name", "Legs (heavy)"]);
    b.sync_ok();
    let (code, out, err) = a.sync();
    assert_eq!(code, 3, "the reused counter is held for a person: {out}{err}");
    let conflict = &a.json(&["conflicts"])[0];
    let weights = |side: &str| -> Vec<f64> {
        conflict[side]["body"]["exercises"][0]["sets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["weight_kg"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(weights("mine"), [100.0, 105.0]);
    assert_eq!(weights("theirs"), [100.0, 110.0]);
}

fn live_ids(device: &Device) -> Vec<String> {
    device
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect()
}

/// Both devices hold the original's version of `id`, not a new one by the copy.
fn assert_shared_version_kept(original: &Device, copy: &Device, id: &str) {
    let copy_id = copy.json(&["device"])["id"].as_str().unwrap().to_string();
    let clock = original.workout(id)["clock"].clone();
    assert_eq!(clock, copy.workout(id)["clock"]);
    assert!(
        clock.get(&copy_id).is_none(),
        "the copy re-wrote a version it shares: {clock}"
    );
}

/// A copy pump cannot tell from the original when it opens it (a restored VM
/// snapshot: same machine, same file): the two write under one device id
/// until a sync's lineage gives the copy away.
fn an_undetectable_copy_is_caught_by_sync_and_loses_no_set(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let id = a.ok(&["start", "Legs"]).trim().to_string();
    a.ok(&["add", "squat", "5@100kg"]);
    a.sync_ok();
    let clone = Device::new();
    a.copy_database_to(&clone);
    rusqlite::Connection::open(&clone.db)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'device_file'", [])
        .unwrap();
    assert_eq!(
        a.json(&["device"])["id"],
        clone.json(&["device"])["id"],
        "same id: nothing gave the copy away yet"
    );
    // Both add a set under the same device id and the same counter.
    a.ok(&["add", "squat", "5@105kg"]);
    clone.ok(&["add", "squat", "5@110kg"]);
    a.ok(&["add", "squat", "5@107.5kg"]);
    a.sync_ok();
    let (code, out, err) = clone.sync();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("shared its device id"), "{err}");
    assert_ne!(a.json(&["device"])["id"], clone.json(&["device"])["id"]);
    a.sync_ok();
    let weights = |d: &Device| -> Vec<f64> {
        let w = d.workout(&id);
        let mut kg: Vec<f64> = w["exercises"][0]["sets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["weight_kg"].as_f64().unwrap())
            .collect();
        kg.sort_by(f64::total_cmp);
        kg
    };
    assert_eq!(
        weights(&a),
        [100.0, 105.0, 107.5, 110.0],
        "every set from both copies survived"
    );
    assert_eq!(weights(&clone), weights(&a));
    assert_eq!(a.workout(&id)["clock"], clone.workout(&id)["clock"]);
}

fn users_are_isolated_even_by_id(backend: Backend) {
    let server = Server::start_with(backend);
    let (alice, mallory) = (Device::new(), Device::new());
    alice.join(&server, "alice");
    mallory.join(&server, "mallory");
    let id = alice.log(&["Private", "-e", "squat: 5@100kg"]);
    alice.sync_ok();
    mallory.sync_ok();
    assert_eq!(
        mallory.json(&["list"]).as_array().unwrap().len(),
        0,
        "mallory sees nothing of alice's"
    );
    // Mallory forges a row with alice's workout id and a dominating clock,
    // from a device of hers that never synced.
    let evil = Device::new();
    evil.join(&server, "mallory");
    let forged = json!({
        "protocol": 1, "device_id": evil.device_id(), "cursor": 0, "lineage": {"next": "l"},
        "rows": [{ "kind": "workout", "id": id, "clock": {"evil": 99}, "deleted": true,
                   "body": "UHduZWQ" }]
    });
    let (status, _) = post(&server, "/v1/sync", Some(&token(&evil)), &forged.to_string());
    assert_eq!(status, 200);
    let fresh = Device::new();
    fresh.join(&server, "alice");
    fresh.sync_ok();
    assert_eq!(fresh.workout(&id)["name"], "Private", "alice's row is untouched");
}

fn bad_requests_are_refused_and_the_server_keeps_serving(backend: Backend) {
    let state = ServerState::new(backend);
    let server = Server::start_on(&state, &["--open-registration", "--max-body-mib", "16"]);
    let a = Device::new();
    a.join(&server, "sam");
    let t = token(&a);
    let (status, body) = post(&server, "/v1/sync", Some(&t), "{\"protocol\": 1, \"rows\": [");
    assert_eq!(status, 400, "{body}");
    assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    healthy(&server);
    let (status, _) = post(
        &server,
        "/v1/sync",
        Some(&t),
        &json!({"protocol": 99, "device_id": "x", "cursor": 0, "rows": []}).to_string(),
    );
    assert_eq!(status, 400);
    let (status, _) = post(
        &server,
        "/v1/sync",
        Some(&t),
        &json!({"protocol": 1, "cursor": 0}).to_string(),
    );
    assert_eq!(status, 400, "missing fields");
    let huge = format!(
        "{{\"protocol\":1,\"device_id\":\"x\",\"cursor\":0,\"rows\":[],\"pad\":\"{}\"}}",
        "x".repeat(20 * 1024 * 1024)
    );
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let result = agent
        .post(format!("{}/v1/sync", server.url))
        .header("Authorization", &format!("Bearer {t}"))
        .header("Content-Type", "application/json")
        .send(&huge);
    if let Ok(resp) = result {
        assert_eq!(resp.status().as_u16(), 413);
    } // else: the server closed the connection mid-upload, which is also a refusal
    healthy(&server);
    let (status, _) = post(
        &server,
        "/v1/sync",
        Some("forged-token"),
        &json!({"protocol": 1, "device_id": "x", "cursor": 0, "rows": []}).to_string(),
    );
    assert_eq!(status, 401);
    let (status, _) = post(&server, "/v1/sync", None, "{}");
    assert_eq!(status, 401);
    healthy(&server);
    a.log(&["Still works"]);
    a.sync_ok();
}

fn rejected_credentials_exit_77(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let conn = rusqlite::Connection::open(&a.db).unwrap();
    conn.execute("UPDATE meta SET value = 'revoked' WHERE key = 'session_token'", [])
        .unwrap();
    let (code, _, err) = a.sync();
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("pump login"), "{err}");
    let (code, _) = a.fails(&["login", "--server", &server.url, "--user", "sam", "--password-stdin"]);
    assert_ne!(code, 0);
}

#[test]
fn not_logged_in_and_bad_urls() {
    let a = Device::new();
    let (code, _, err) = a.sync();
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("pump login"), "{err}");
    let (code, err) = a.fails(&["login", "--server", "ftp://x", "--user", "sam", "--password-stdin"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_second_concurrent_sync_exits_at_once() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let _held = pump::client::lock::SyncLock::acquire(&a.db).unwrap();
    let (code, _, err) = a.sync();
    assert_eq!(code, 75, "{err}");
    assert!(err.contains("already running"), "{err}");
}

fn offline_registration_and_closed_registration(backend: Backend) {
    let state = ServerState::new(backend);
    state.add_user("coach");
    let server = Server::start_on(&state, &[]);
    let a = Device::new();
    let (code, err) = {
        let out = a
            .cmd()
            .args([
                "register",
                "--server",
                &server.url,
                "--user",
                "newbie",
                "--password-stdin",
            ])
            .write_stdin("correct horse battery\n")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_ne!(code, 0, "registration is closed: {err}");
    a.join(&server, "coach");
    // The operator's account has no key until its first device makes one.
    a.ok(&["key", "--enable"]);
    a.log(&["Coached"]);
    a.sync_ok();
    let status = a.json(&["status"]);
    assert_eq!(status["user"], "coach");
    assert!(status["last_sync"].is_string());
}

fn large_backlogs_page_through(backend: Backend) {
    let server = Server::start_with(backend);
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let n = 4500; // more than two push pages and two pull pages
    seed_backlog(&a, n);
    let out = a.sync_ok();
    assert!(out.contains(&format!("sent {n}")), "{out}");
    let out = b.sync_ok();
    assert!(out.contains(&format!("received {n}")), "{out}");
    assert_eq!(b.json(&["list"]).as_array().unwrap().len(), n);
}

/// `n` pending workouts on `device`, written fast through the library's own
/// write path.
fn seed_backlog(device: &Device, n: usize) {
    let mut store = pump::store::Store::open(&device.db).unwrap();
    for i in 0..n {
        let mut w = pump::model::Workout::new(format!("W{i}"), chrono::Utc::now());
        w.add_sets(
            "squat",
            pump::model::parse_sets("3x5@100kg", pump::model::Unit::Kg).unwrap(),
        );
        let id = w.id.clone();
        store.write(&id, |_| Ok(Some(pump::store::Change::put(w)))).unwrap();
    }
}

/// Wraps the real HTTP transport and writes to the database through another
/// process while the request is in flight.
struct WriteDuringSync<'a> {
    inner: pump::client::http::HttpClient,
    device: &'a Device,
    wrote: bool,
    /// Number of sets of each workout pushed, per round.
    pushed: Vec<Vec<usize>>,
    /// The account's keys, to open what is pushed (sealed).
    keys: Option<pump::sync::crypto::RowKeys>,
}

impl pump::client::http::Transport for WriteDuringSync<'_> {
    fn sync(
        &mut self,
        request: &pump::sync::wire::SyncRequest<pump::sync::wire::WireBody>,
    ) -> pump::error::Result<pump::client::http::Reply> {
        self.pushed.push(
            request
                .rows
                .iter()
                .map(|r| {
                    pump::sync::sealed::open(r.clone(), self.keys.as_ref(), None)
                        .unwrap()
                        .body
                })
                .map(|body| body["exercises"][0]["sets"].as_array().map_or(0, Vec::len))
                .collect(),
        );
        let answer = self.inner.sync(request)?;
        if !self.wrote {
            self.device.ok(&["add", "squat", "5@105kg"]);
            self.wrote = true;
        }
        Ok(answer)
    }

    fn follow_device(&mut self, device_id: &str) -> pump::error::Result<Option<String>> {
        self.inner.follow_device(device_id)
    }
}

/// `device`'s sync run through [`WriteDuringSync`]: the sets of each
/// workout pushed, per round.
fn sync_writing_in_flight(server: &Server, device: &Device) -> Vec<Vec<usize>> {
    let mut store = pump::store::Store::open(&device.db).unwrap();
    let inner =
        pump::client::http::HttpClient::new(&server.url, Some(token(device)), std::time::Duration::from_secs(10))
            .unwrap();
    let mut transport = WriteDuringSync {
        inner,
        device,
        wrote: false,
        pushed: Vec::new(),
        keys: store.row_keys().unwrap(),
    };
    assert!(transport.keys.is_some(), "a registered account is encrypted");
    pump::client::engine::run(&mut store, &mut transport, &mut |_, _| {}).unwrap();
    assert!(transport.wrote);
    transport.pushed
}

fn a_write_during_an_in_flight_sync_stays_pending(backend: Backend) {
    let server = Server::start_with(backend);
    let a = Device::new();
    a.join(&server, "sam");
    let id = a.ok(&["start", "Legs"]).trim().to_string();
    a.ok(&["add", "squat", "5@100kg"]);
    let pushed = sync_writing_in_flight(&server, &a);
    // Round 1 pushed one set; the set added meanwhile kept the row pending,
    // so round 2 pushed it instead of the answer marking it synced.
    assert_eq!(pushed[0], [1]);
    assert_eq!(pushed[1], [2], "the row edited in flight stayed pending");
    let w = a.workout(&id);
    assert_eq!(
        w["exercises"][0]["sets"].as_array().unwrap().len(),
        2,
        "the set was not overwritten"
    );
    assert_eq!(w["pending"], false);
    let b = Device::new();
    b.join(&server, "sam");
    b.sync_ok();
    assert_eq!(b.workout(&id)["exercises"][0]["sets"].as_array().unwrap().len(), 2);
}

/// A backlog of several pages is read and sealed a page ahead, while the
/// server stores the page before: a workout edited while that page is read
/// goes out as edited, in this run or the next, and is never marked synced
/// with the version read before the edit.
#[test]
fn a_write_while_a_backlog_is_read_ahead_stays_pending() {
    let server = Server::start_with(Backend::Sqlite);
    let a = Device::new();
    a.join(&server, "sam");
    let backlog = pump::client::engine::PUSH_PAGE + 50;
    seed_backlog(&a, backlog);
    // Started last, so in the last page: read ahead while the first is in flight.
    let id = a.ok(&["start", "Legs"]).trim().to_string();
    a.ok(&["add", "squat", "5@100kg"]);
    let pushed = sync_writing_in_flight(&server, &a);
    let sent: usize = pushed.iter().map(Vec::len).sum();
    assert!(
        sent > backlog,
        "every row went, the edited one twice when read before the edit: {sent}"
    );
    assert_eq!(pushed.last().unwrap().last(), Some(&2), "the edit went out last");
    assert_eq!(a.workout(&id)["pending"], false);
    assert_eq!(a.json(&["status"])["pending"], 0);
    let b = Device::new();
    b.join(&server, "sam");
    b.sync_ok();
    assert_eq!(b.workout(&id)["exercises"][0]["sets"].as_array().unwrap().len(), 2);
}

/// Wraps the real HTTP transport and notes, for each round, the cursor it
/// asks from and the cursor the database had committed when it was sent;
/// it can fail one round as if its answer never arrived.
struct WatchPull {
    inner: pump::client::http::HttpClient,
    db: std::path::PathBuf,
    /// (the request's cursor, the database's committed cursor) per round.
    rounds: Vec<(u64, u64)>,
    /// The round (counted from 0) whose answer is lost.
    lose: Option<usize>,
}

impl pump::client::http::Transport for WatchPull {
    fn sync(
        &mut self,
        request: &pump::sync::wire::SyncRequest<pump::sync::wire::WireBody>,
    ) -> pump::error::Result<pump::client::http::Reply> {
        let committed = pump::store::Store::open_read_only(&self.db)
            .unwrap()
            .unwrap()
            .sync_cursor()
            .unwrap();
        self.rounds.push((request.cursor, committed));
        let answer = self.inner.sync(request)?;
        if self.lose == Some(self.rounds.len() - 1) {
            return Err(pump::error::Error::new(
                pump::error::ErrorKind::Unavailable,
                "the answer never arrived",
            ));
        }
        Ok(answer)
    }

    fn follow_device(&mut self, device_id: &str) -> pump::error::Result<Option<String>> {
        self.inner.follow_device(device_id)
    }
}

/// A new device, joined to an account holding `pages` pull pages and
/// 50 workouts more, syncing through [`WatchPull`]: the server, the device,
/// how many rows the run received (or why it failed) and what the
/// transport saw.
fn pull_watched(pages: usize, lose: Option<usize>) -> (Server, Device, pump::error::Result<usize>, Vec<(u64, u64)>) {
    let server = Server::start_with(Backend::Sqlite);
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    seed_backlog(&a, pages * pump::client::engine::PULL_PAGE as usize + 50);
    a.sync_ok();
    b.join(&server, "sam");
    let mut store = pump::store::Store::open(&b.db).unwrap();
    let mut transport = WatchPull {
        inner: pump::client::http::HttpClient::new(&server.url, Some(token(&b)), std::time::Duration::from_secs(10))
            .unwrap(),
        db: b.db.clone(),
        rounds: Vec::new(),
        lose,
    };
    let run = pump::client::engine::run(&mut store, &mut transport, &mut |_, _| {});
    (server, b, run.map(|outcome| outcome.total.received), transport.rounds)
}

/// A first pull of several pages asks for each page while the one before
/// is applied (a round that pushes nothing), instead of the server and the
/// local database taking turns; every row arrives once.
#[test]
fn a_pull_of_several_pages_asks_for_the_next_while_the_last_is_applied() {
    let (_server, b, received, rounds) = pull_watched(2, None);
    let n = 2 * pump::client::engine::PULL_PAGE as usize + 50;
    assert_eq!(received.unwrap(), n);
    assert_eq!(rounds.len(), 3, "{rounds:?}");
    assert!(
        rounds.iter().any(|(asked, committed)| asked > committed),
        "no round was sent before the one before it committed: {rounds:?}"
    );
    assert_eq!(b.json(&["list"]).as_array().unwrap().len(), n);
    assert_eq!(b.json(&["status"])["pending"], 0);
    b.ok(&["doctor"]);
}

/// The round asked for while the one before was applied loses its answer:
/// the run fails (exit 75 for the command) with the rounds before it
/// committed, none of its rows half there, and the next sync gets the rest.
#[test]
fn a_round_fetched_ahead_whose_answer_is_lost_leaves_the_rounds_before_it_whole() {
    let page = pump::client::engine::PULL_PAGE as usize;
    let (_server, b, received, rounds) = pull_watched(2, Some(1));
    let error = received.unwrap_err();
    assert_eq!(error.kind, pump::error::ErrorKind::Unavailable, "{}", error.message);
    assert_eq!(rounds.len(), 2, "{rounds:?}");
    assert_eq!(
        b.json(&["list"]).as_array().unwrap().len(),
        page,
        "the first page, whole"
    );
    b.ok(&["doctor"]);
    let out = b.sync_ok();
    assert!(out.contains(&format!("received {}", page + 50)), "{out}");
    assert_eq!(b.json(&["list"]).as_array().unwrap().len(), 2 * page + 50);
}

fn wait_for_workout(device: &Device, id: &str) -> bool {
    for _ in 0..100 {
        device.sync();
        if device.cmd().args(["show", id]).output().unwrap().status.success() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn auto_sync_pushes_after_a_write_without_waiting() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    a.ok(&["config", "set", "auto_sync", "true"]);
    a.ok(&["config", "set", "sync_interval", "0s"]);
    let id = a.log(&["Auto", "-e", "squat: 5@100kg"]);
    assert!(wait_for_workout(&b, &id), "the background sync delivered the workout");
}

#[test]
fn sync_every_keeps_syncing() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let first = a.log(&["Before the loop"]);
    let mut looping = std::process::Command::new(common::pump_bin())
        .args(["sync", "--every", "10s", "--quiet"])
        .env("PUMP_DB", &a.db)
        .env("PUMP_CONFIG", &a.config)
        .stdin(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let delivered = wait_for_workout(&b, &first);
    // Logged after the loop's first sync: the next one, ten seconds on, sends it.
    let second = a.log(&["In the loop"]);
    let again = (0..3).any(|_| wait_for_workout(&b, &second));
    let _ = looping.kill();
    let _ = looping.wait();
    assert!(delivered && again, "the sync loop delivered both workouts");
}

#[test]
fn sync_every_refuses_an_interval_under_ten_seconds_or_without_a_unit() {
    let a = Device::new();
    for (every, says) in [
        ("0s", "--every 0s is too short: sync at most every 10s"),
        ("5s", "--every 5s is too short"),
        ("10", "--every 10 has no unit: write 10s, 10m or 10h"),
    ] {
        let (code, err) = a.fails(&["sync", "--every", every]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(says), "{err}");
    }
    assert!(!a.db.exists(), "refused before anything was opened");
}

#[test]
fn the_first_sync_on_a_fresh_install_says_not_logged_in_and_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("never-created").join("pump.db");
    let out = assert_cmd::Command::new(common::pump_bin())
        .args(["sync", "--quiet"])
        .env("PUMP_DB", &db)
        .env("PUMP_CONFIG", home.path().join("config.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not logged in"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!db.parent().unwrap().exists(), "nothing was created");
}

#[test]
fn quiet_says_nothing_about_an_unreachable_server_until_syncs_failed_for_long() {
    let mut server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    a.sync_ok();
    server.kill();
    a.log(&["Offline"]);
    let quiet = |device: &Device| {
        let out = device.cmd().args(["sync", "--quiet"]).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert_eq!(quiet(&a), (Some(75), String::new()), "exit 75 says it all");
    assert_eq!(quiet(&a), (Some(75), String::new()));
    let (code, _, err) = a.sync();
    assert_eq!(code, 75);
    assert!(
        err.contains("cannot reach the server"),
        "without --quiet it says so: {err}"
    );
    a.ok(&["config", "set", "sync_warn_after", "1s"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, err) = quiet(&a);
    assert_eq!(code, Some(75));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("syncs have failed since") && err.contains("cannot reach the server"),
        "{err}"
    );
}

/// The sync of a device whose session the server lost with its data: exit
/// 77, one line saying to log in.
fn assert_told_to_log_in(device: &Device) {
    let (code, _, err) = device.sync();
    assert_eq!(code, 77, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.trim().ends_with(" --user sam`") && err.contains("run `pump login --server http"),
        "{err}"
    );
}

/// Syncs every device twice over; each must end with nothing held.
fn sync_all_twice(devices: &[&Device]) {
    for _ in 0..2 {
        for device in devices {
            let (code, out, err) = device.sync();
            assert_eq!(
                code, 0,
                "no conflict where both sides hold the same version: {out}{err}"
            );
        }
    }
}

fn a_server_restored_from_an_older_backup_gets_everything_back(backend: Backend) {
    let mut server = Server::start_with(backend);
    let (a, b, c) = (Device::new(), Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let w1 = a.log(&["W1", "-e", "squat: 5@100kg"]);
    b.log(&["W2", "-e", "bench press: 5@80kg"]);
    sync_all_twice(&[&a, &b]);
    server.kill();
    let backup = server.state().copy();
    server.restart(&[]);
    // Logged in after the backup: its session is lost when it is restored.
    c.join(&server, "sam");
    c.log(&["W6", "-e", "row: 5@70kg"]);
    // Synced after the backup: lost when it is restored.
    a.log(&["W3", "-e", "deadlift: 5@140kg"]);
    b.ok(&["edit", &w1, "--name", "W1 (heavy)"]);
    let w4 = b.log(&["W4", "-e", "row: 5@60kg"]);
    sync_all_twice(&[&a, &b, &c]);
    // Not synced at all when the server is restored.
    a.log(&["W5", "-e", "squat: 5@105kg"]);
    b.ok(&["rm", &w4]);
    server.restart_on(backup, &[]);
    assert_told_to_log_in(&c);
    c.join(&server, "sam");
    sync_all_twice(&[&a, &b, &c]);
    let expected = ["W1 (heavy)", "W2", "W3", "W5", "W6"];
    for device in [&a, &b, &c] {
        assert_eq!(device.workout_names(), expected);
    }
    let d = Device::new();
    d.join(&server, "sam");
    d.sync_ok();
    assert_eq!(d.workout_names(), expected, "a new device receives everything, once");
    let (code, _) = d.fails(&["show", &w4]);
    assert_eq!(code, 2, "the delete made before the restore holds");
    assert_eq!(d.workout(&w1)["clock"], a.workout(&w1)["clock"]);
}

fn an_empty_server_in_place_of_the_old_one_gets_everything_back(backend: Backend) {
    let mut server = Server::start_with(backend);
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    a.log(&["W1", "-e", "squat: 5@100kg"]);
    let w2 = b.log(&["W2", "-e", "bench press: 5@80kg"]);
    sync_all_twice(&[&a, &b]);
    a.log(&["W3 unsynced", "-e", "squat: 5@110kg"]);
    b.ok(&["edit", &w2, "--notes", "unsynced edit"]);
    // An empty server at the same address: the account and its sessions are
    // gone with the data, so the operator creates the account again.
    server.restart_on(ServerState::new(backend), &["--open-registration"]);
    assert_told_to_log_in(&a);
    a.join(&server, "sam");
    b.join(&server, "sam");
    let (code, _, err) = a.sync();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("had lost syncs it once answered"), "{err}");
    sync_all_twice(&[&a, &b]);
    let c = Device::new();
    c.join(&server, "sam");
    c.sync_ok();
    assert_eq!(c.workout_names(), ["W1", "W2", "W3 unsynced"]);
    assert_eq!(c.workout(&w2)["notes"], "unsynced edit");
    // By hand: everything again, and nothing changes anywhere.
    let out = c.ok(&["sync", "--full", "--non-interactive"]);
    assert!(out.contains("sent 3"), "{out}");
    sync_all_twice(&[&a, &b, &c]);
    assert_eq!(a.workout_names(), c.workout_names());
    assert_eq!(b.workout(&w2)["clock"], c.workout(&w2)["clock"]);
}

/// A newer pump's rows, as it would push them: a workout with fields this
/// pump has no place for (at the top, in an exercise, in a set), and a row
/// of a kind this pump does not know.
fn push_as_a_newer_pump(newer: &mut RawClient, workout_id: &str) {
    let workout = json!({
        "kind": "workout", "id": workout_id, "clock": {"newer-device": 1}, "deleted": false,
        "body": {
            "id": workout_id, "name": "From the future", "started_at": "2026-01-10T08:00:00Z",
            "completed_at": null, "notes": "", "tempo": "3-1-1",
            "exercises": [{"id": "e-1", "name": "Bench Press", "grip": "wide", "sets": [
                {"id": "s-1", "reps": 5, "weight_kg": 100.0, "unit": "kg", "rpe": null, "kind": "working", "rest_s": 90},
                {"id": "s-2", "reps": 5, "weight_kg": 100.0, "unit": "kg", "rpe": null, "kind": "working", "rest_s": 120}
            ]}]
        }
    });
    let recipe = json!({
        "kind": "recipe", "id": "oats", "clock": {"newer-device": 1}, "deleted": false,
        "body": {"id": "oats", "title": "Overnight oats"}
    });
    let (status, answer) = newer.round(0, vec![workout, recipe]);
    assert_eq!(status, 200, "{answer}");
}

/// What the newer pump pulls back from the start.
fn pull_as_a_newer_pump(newer: &mut RawClient) -> Vec<Value> {
    let (status, answer) = newer.round(0, Vec::new());
    assert_eq!(status, 200, "{answer}");
    answer["changes"].as_array().unwrap().clone()
}

#[test]
fn what_a_newer_pump_wrote_is_kept_and_survives_this_ones_edits() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let id = "0194f000-0000-7000-8000-00000000f00d";
    let mut newer = RawClient::log_in(&server, "sam", "newer-device");
    push_as_a_newer_pump(&mut newer, id);
    let (code, out, err) = a.sync();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("kept 1 rows this pump cannot read yet"), "{err}");
    assert_eq!(a.json(&["status"])["unreadable"], 1);
    assert_eq!(a.workout(id)["name"], "From the future");
    // An edit of the name, and of the first set's weight (the set keeps its id).
    a.ok(&["edit", id, "--name", "Edited here"]);
    a.ok(&["edit", id, "-e", "bench press: 5@102.5kg"]);
    // A rewrite of history (one transaction over every workout) keeps them too.
    a.ok(&["exercises", "rename", "Bench Press", "Wide Grip Bench"]);
    a.sync_ok();
    let changes = pull_as_a_newer_pump(&mut newer);
    let workout = changes.iter().find(|r| r["id"] == id).unwrap();
    let body = &workout["body"];
    assert_eq!(body["name"], "Edited here");
    assert_eq!(body["tempo"], "3-1-1", "{body}");
    assert_eq!(body["exercises"][0]["name"], "Wide Grip Bench");
    assert_eq!(body["exercises"][0]["grip"], "wide");
    let sets = body["exercises"][0]["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 1, "the second set was replaced away");
    assert_eq!(
        (sets[0]["weight_kg"].as_f64(), &sets[0]["rest_s"]),
        (Some(102.5), &json!(90))
    );
    let recipe = changes.iter().find(|r| r["kind"] == "recipe").unwrap();
    assert_eq!(
        recipe["body"]["title"], "Overnight oats",
        "the unknown kind is untouched"
    );
    // A server replaced under the device gets the kept row back from it.
    drop(server);
    let replacement = Server::start();
    a.join(&replacement, "sam");
    a.sync_ok();
    let again = pull_as_a_newer_pump(&mut RawClient::log_in(&replacement, "sam", "newer-device"));
    assert!(
        again
            .iter()
            .any(|r| r["kind"] == "recipe" && r["body"]["title"] == "Overnight oats")
    );
    assert_eq!(again.iter().find(|r| r["id"] == id).unwrap()["body"]["tempo"], "3-1-1");
}

/// What "re-applied after an upgrade" means: a row an older pump kept because
/// it could not read it (here a workout, as a pump from before workouts
/// existed would have) is applied by a pump that can, at its next sync, even
/// though the cursor moved past it long ago.
#[test]
fn rows_an_older_pump_kept_are_applied_once_a_pump_can_read_them() {
    let server = Server::start();
    let (newer, older) = (Device::new(), Device::new());
    newer.join(&server, "sam");
    older.join(&server, "sam");
    let id = newer.log(&["Kept for later", "-e", "squat: 5@100kg"]);
    newer.sync_ok();
    older.sync_ok();
    let row: (String, String, String) = {
        let conn = rusqlite::Connection::open(&older.db).unwrap();
        conn.query_row("SELECT body, clock, origin FROM records WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
    };
    {
        // The older pump's state: the row kept aside, not among the records.
        let conn = rusqlite::Connection::open(&older.db).unwrap();
        conn.execute("DELETE FROM records WHERE id = ?1", [&id]).unwrap();
        conn.execute(
            "INSERT INTO unreadable (kind, id, body, deleted, clock, origin, received_at)
             VALUES ('workout', ?1, ?2, 0, ?3, ?4, '2026-01-01T00:00:00Z')",
            rusqlite::params![id, row.0, row.1, row.2],
        )
        .unwrap();
    }
    assert_eq!(older.fails(&["show", &id]).0, 2);
    assert_eq!(older.json(&["status"])["unreadable"], 1);
    older.sync_ok();
    assert_eq!(older.workout(&id)["name"], "Kept for later");
    assert_eq!(older.workout(&id)["pending"], false);
    assert_eq!(older.json(&["status"])["unreadable"], 0);
}

/// A record's tombstone as stored: (deleted, name, number of sets).
fn tombstone(device: &Device, id: &str) -> (bool, String, usize) {
    let (deleted, body): (bool, String) = rusqlite::Connection::open(&device.db)
        .unwrap()
        .query_row("SELECT deleted, body FROM records WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    let sets = body["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sets"].as_array().unwrap().len())
        .sum();
    (deleted, body["name"].as_str().unwrap().to_string(), sets)
}

/// So that `pump restore` can bring any deleted workout back, a tombstone
/// keeps the workout's last content however the deletion came about.
#[test]
fn a_tombstone_keeps_the_last_content_however_the_deletion_came() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let local = a.log(&["Deleted here", "-e", "squat: 3x5@100kg"]);
    let merged = a.log(&["Merged delete", "-e", "bench press: 2x5@80kg"]);
    let resolved = a.log(&["Resolved delete", "-e", "deadlift: 5@140kg"]);
    sync_all_twice(&[&a, &b]);

    // A local delete, and the same tombstone received by another device.
    a.ok(&["rm", &local]);
    assert_eq!(tombstone(&a, &local), (true, "Deleted here".into(), 3));
    a.sync_ok();
    b.sync_ok();
    assert_eq!(
        tombstone(&b, &local),
        (true, "Deleted here".into(), 3),
        "a synced delete"
    );

    // A delete merged with a concurrent version that changed nothing in the end.
    b.ok(&["rm", &merged]);
    a.ok(&["edit", &merged, "--name", "Renamed"]);
    a.ok(&["edit", &merged, "--name", "Merged delete"]);
    // A delete against a concurrent edit, settled for the delete.
    b.ok(&["rm", &resolved]);
    a.ok(&["edit", &resolved, "-e", "deadlift: 5@140kg, 3@150kg"]);
    b.sync_ok();
    let (code, out, err) = a.sync();
    assert_eq!(code, 3, "the edit against the delete is held: {out}{err}");
    assert_eq!(tombstone(&a, &merged), (true, "Merged delete".into(), 2), "a merge");
    a.ok(&["resolve", &resolved, "--theirs"]);
    assert_eq!(
        tombstone(&a, &resolved),
        (true, "Resolved delete".into(), 1),
        "a resolution"
    );
    sync_all_twice(&[&a, &b]);
    for device in [&a, &b] {
        assert!(tombstone(device, &merged).0);
        assert_eq!(tombstone(device, &resolved), (true, "Resolved delete".into(), 1));
    }
}

/// An audit found a session that pushed a counter of 2^64-1: the owner's
/// next edit wrapped it to 0 and every later sync failed. A row with an
/// impossible clock that a server holds (one from before servers refused
/// them) is left out, and the rest of the sync goes on.
#[test]
fn a_row_with_an_impossible_clock_is_left_out_and_the_sync_goes_on() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let owners = a.log(&["Owner's", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    let device_id = a.json(&["device"])["id"].as_str().unwrap().to_string();
    {
        // Planted straight into the server's database, as a server from
        // before the bound would have stored it: the owner's own device id,
        // at the last counter there is.
        let conn = rusqlite::Connection::open(server.data.join("server.db")).unwrap();
        let clock = format!(r#"{{"{device_id}":{}}}"#, u64::MAX);
        // Sealed with the account's key for that clock: a hostile holder
        // of the key could write it, so only the clock gives it away.
        let row: pump::sync::wire::Row = serde_json::from_value(serde_json::json!({
            "kind": "workout", "id": owners, "clock": serde_json::from_str::<Value>(&clock).unwrap(), "deleted": false,
            "body": {"id": owners, "name": "Hijacked", "started_at": "2026-01-10T08:00:00Z", "exercises": []}
        }))
        .unwrap();
        let keys = pump::sync::crypto::AccountKey::parse(&a.account_key())
            .unwrap()
            .row_keys();
        let body = pump::sync::sealed::seal(&row.to_text(), Some(&keys))
            .body
            .get()
            .to_string();
        conn.execute(
            "UPDATE rows SET clock = ?1, body = ?2, seq = (SELECT last_seq + 1 FROM users), device = 'hostile'
             WHERE id = ?3",
            rusqlite::params![clock, body, owners],
        )
        .unwrap();
        conn.execute("UPDATE users SET last_seq = last_seq + 1", []).unwrap();
    }
    b.log(&["Fine", "-e", "row: 5@60kg"]);
    b.sync_ok();
    let (code, out, err) = a.sync();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("left out 1 rows from the server whose clocks"), "{err}");
    assert!(out.contains("received 1"), "the rest of the sync applied: {out}");
    assert_eq!(a.workout(&owners)["name"], "Owner's", "the owner's version stands");
    a.ok(&["edit", &owners, "--name", "Still mine"]);
    assert_eq!(a.workout(&owners)["clock"][&device_id], 2, "counted on, not wrapped");
}

/// A database that took such a clock before devices refused them fails the
/// next edit loudly instead of wrapping the counter to 0.
#[test]
fn a_counter_at_its_end_refuses_the_edit_and_changes_nothing() {
    let a = Device::new();
    let id = a.log(&["Poisoned", "-e", "squat: 5@100kg"]);
    let device_id = a.json(&["device"])["id"].as_str().unwrap().to_string();
    rusqlite::Connection::open(&a.db)
        .unwrap()
        .execute(
            "UPDATE records SET clock = ?1 WHERE id = ?2",
            rusqlite::params![format!(r#"{{"{device_id}":{}}}"#, u64::MAX), id],
        )
        .unwrap();
    let before = a.snapshot();
    let (code, err) = a.fails(&["edit", &id, "--name", "Edited"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot change workout") && err.contains("record it anew"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(a.snapshot(), before, "nothing was written");
}
