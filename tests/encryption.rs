//! End-to-end encryption (issue 19), through the real `pump` binary and a
//! real `pump server start` on a loopback port: the account key `pump
//! register` makes, `pump key`, and `pump login` refusing a wrong key
//! before anything syncs.
#![cfg(feature = "server")]

mod common;

use common::{Device, Server, ServerState, seed_workouts_with_notes, workout_ids};
use std::collections::BTreeSet;
use std::process::Output;

const PASSWORD: &str = "correct horse battery";

/// `pump login` to `server` as `user` with `stdin` (the password, then
/// maybe the key) and `extra` flags.
fn login(device: &Device, server: &Server, user: &str, stdin: String, extra: &[&str]) -> Output {
    device
        .cmd()
        .args(["login", "--server", &server.url, "--user", user, "--password-stdin"])
        .args(extra)
        .write_stdin(stdin)
        .output()
        .unwrap()
}

/// What `pump key` prints: (words, hex).
fn shown_key(device: &Device) -> (String, String) {
    let shown = device.ok(&["key"]);
    let line = |label: &str| {
        shown
            .lines()
            .find_map(|line| line.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label} line in {shown}"))
            .trim()
            .to_string()
    };
    (line("words:"), line("hex:"))
}

/// Every meta entry of a device's database: what a refused login must leave
/// exactly as it was.
fn meta(device: &Device) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(&device.db).unwrap();
    let mut stmt = conn.prepare("SELECT key, value FROM meta ORDER BY key").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A device with a database already made (and so a device id), not logged in.
fn fresh_device() -> Device {
    let device = Device::new();
    device.ok(&["status"]);
    device
}

#[test]
fn register_makes_a_key_that_pump_key_shows_as_words_and_hex() {
    let server = Server::start();
    let phone = Device::new();
    let out = phone
        .cmd()
        .args(["register", "--server", &server.url, "--user", "sam", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("`pump key` shows it"), "{said}");
    let (words, hex) = shown_key(&phone);
    assert_eq!(words.split(' ').count(), 24, "{words}");
    assert!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{hex}");

    // Another account gets another key.
    let other = Device::new();
    other.join(&server, "kim");
    assert_ne!(shown_key(&other).1, hex);
}

#[test]
fn pump_key_without_a_key_says_how_to_get_one() {
    let device = Device::new();
    let (code, err) = device.fails(&["key"]);
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("no account key") && err.contains("pump login"), "{err}");
}

#[test]
fn new_devices_log_in_with_the_words_or_the_hex_and_then_sync() {
    let server = Server::start();
    let phone = Device::new();
    phone.join(&server, "sam");
    phone.log(&["Leg day", "-e", "squat: 5@100kg"]);
    phone.sync_ok();
    let (words, hex) = shown_key(&phone);

    let laptop = fresh_device();
    let out = login(
        &laptop,
        &server,
        "sam",
        format!("{PASSWORD}\n{words}\n"),
        &["--key-stdin"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown_key(&laptop).1, hex, "the words are the same key");

    let tablet = fresh_device();
    let key_file = tablet.dir.path().join("key.txt");
    std::fs::write(&key_file, format!("{}\n", hex.to_uppercase())).unwrap();
    let out = login(
        &tablet,
        &server,
        "sam",
        format!("{PASSWORD}\n"),
        &["--key-file", key_file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown_key(&tablet), (words, hex));

    for device in [&laptop, &tablet] {
        device.sync_ok();
        assert!(device.ok(&["list"]).contains("Leg day"));
    }
}

#[test]
fn a_wrong_key_is_refused_at_login_and_leaves_the_device_as_it_was() {
    let server = Server::start();
    let phone = Device::new();
    phone.join(&server, "sam");
    phone.log(&["Leg day", "-e", "squat: 5@100kg"]);
    phone.sync_ok();
    let stranger = Device::new();
    stranger.join(&server, "kim");
    let (_, wrong) = shown_key(&stranger);

    let laptop = fresh_device();
    laptop.log(&["Push", "-e", "bench: 8@60kg"]);
    let before = meta(&laptop);
    let out = login(
        &laptop,
        &server,
        "sam",
        format!("{PASSWORD}\n{wrong}\n"),
        &["--key-stdin"],
    );
    assert_eq!(out.status.code(), Some(77));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("that key does not open sam's workouts"), "{err}");
    assert_eq!(meta(&laptop), before, "nothing kept: no session, no key");
    let (code, _) = laptop.fails(&["sync", "--non-interactive"]);
    assert_eq!(code, 77, "not logged in");

    // Not a key at all, and no key where one is needed: usage errors, nothing kept.
    let out = login(
        &laptop,
        &server,
        "sam",
        format!("{PASSWORD}\nsquat bench deadlift\n"),
        &["--key-stdin"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("24 words or the 64 hex digits"));
    let out = login(&laptop, &server, "sam", format!("{PASSWORD}\n"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sam's account has a key: pass --key-file FILE or --key-stdin"),
        "{err}"
    );
    let out = login(
        &laptop,
        &server,
        "sam",
        format!("{PASSWORD}\n"),
        &["--key-file", "/nonexistent/key"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the key file /nonexistent/key"));
    assert_eq!(meta(&laptop), before);

    // The refused logins left no session behind on the server either.
    let users = phone.json(&["server", "users", "--data", server.data.to_str().unwrap()]);
    let sam = users.as_array().unwrap().iter().find(|u| u["name"] == "sam").unwrap();
    assert_eq!(sam["sessions"], 1, "only the phone's: {users}");
}

#[test]
fn a_device_that_logs_in_again_uses_its_own_key_without_asking() {
    let server = Server::start();
    let phone = Device::new();
    phone.join(&server, "sam");
    let key = shown_key(&phone);
    phone.ok(&["logout"]);
    let out = login(&phone, &server, "sam", format!("{PASSWORD}\n"), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown_key(&phone), key);
}

/// A server with open registration and the account "ops", made by its
/// operator (`pump server add-user`), so without a key.
fn server_with_an_operators_account() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    Device::new()
        .cmd()
        .args([
            "server",
            "add-user",
            "ops",
            "--data",
            dir.path().to_str().unwrap(),
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    let server = Server::start_in(dir.path(), &["--open-registration"]);
    (dir, server)
}

#[test]
fn an_account_made_by_the_operator_has_no_key_yet() {
    let (_dir, server) = server_with_an_operators_account();
    let laptop = Device::new();
    let out = login(&laptop, &server, "ops", format!("{PASSWORD}\n"), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, err) = laptop.fails(&["key"]);
    assert_eq!(code, 2);
    assert!(err.contains("no account key"), "{err}");
}

#[test]
fn a_key_is_never_dropped_silently_when_the_device_changes_accounts() {
    let (_dir, server) = server_with_an_operators_account();
    let phone = Device::new();
    phone.join(&server, "sam");
    let sams = shown_key(&phone);

    // An account without a key: the key stays (it may be the last copy).
    let out = login(&phone, &server, "ops", format!("{PASSWORD}\n"), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown_key(&phone), sams);

    // An account with another key: replaced, and said.
    let kim = Device::new();
    kim.join(&server, "kim");
    let kims = shown_key(&kim);
    let out = login(
        &phone,
        &server,
        "kim",
        format!("{PASSWORD}\n{}\n", kims.0),
        &["--key-stdin"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("held another account's key"), "{said}");
    assert_eq!(shown_key(&phone), kims);
}

#[test]
fn devices_send_each_rows_digest_and_the_server_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_in(dir.path(), &["--open-registration"]);
    let phone = Device::new();
    phone.join(&server, "sam");
    phone.log(&["Leg day", "-e", "squat: 5@100kg"]);
    phone.ok(&["weight", "80.5"]);
    phone.sync_ok();
    let conn = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
    let digests: Vec<Option<String>> = conn
        .prepare("SELECT digest FROM rows")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(digests.len(), 2);
    for digest in digests {
        let digest = digest.expect("every pushed row carries its digest");
        assert!(
            digest.len() == 32 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
            "{digest}"
        );
    }
}

/// Text the tests write that only sealed bodies may carry: a workout name,
/// a catalogue exercise (as pump stores it), an exercise of the lifter's
/// own and a note.
const SECRETS: [&str; 4] = [
    "Zanzibar Leg Day",
    "Bench Press",
    "Yoke Carry Deluxe",
    "left knee clicks",
];

/// A phone with a workout holding every one of [`SECRETS`] and a body
/// weight, synced to a SQLite server in `dir`.
fn phone_with_secrets(dir: &std::path::Path) -> (Server, Device) {
    let server = Server::start_in(dir, &["--open-registration"]);
    let phone = Device::new();
    phone.join(&server, "sam");
    phone.log(&[
        SECRETS[0],
        "-e",
        "bench press: 5@100kg",
        "-e",
        &format!("{}: 20@140kg", SECRETS[2]),
        "--notes",
        SECRETS[3],
    ]);
    phone.ok(&["weight", "81.3"]);
    phone.sync_ok();
    (server, phone)
}

#[test]
fn the_server_database_and_its_wal_never_hold_a_workout_exercise_or_note() {
    let dir = tempfile::tempdir().unwrap();
    let (server, phone) = phone_with_secrets(dir.path());
    let laptop = Device::new();
    laptop.join(&server, "sam");
    laptop.sync_ok();
    // The content did cross the server: the laptop has all of it.
    let shown = laptop.ok(&["list", "--json"]);
    for secret in SECRETS {
        assert!(shown.contains(secret), "{secret} did not sync: {shown}");
    }
    laptop.log(&["Laptop session", "-e", "squat: 5@120kg"]);
    laptop.sync_ok();
    phone.sync_ok();

    let mut checked = 0;
    for file in ["server.db", "server.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join(file)) else {
            continue;
        };
        checked += 1;
        for secret in SECRETS.iter().chain(&["Squat", "81.3"]) {
            let found = bytes.windows(secret.len()).any(|window| window == secret.as_bytes());
            assert!(!found, "{file} holds {secret:?}");
        }
    }
    assert!(checked > 0, "no server database in {:?}", dir.path());
}

/// The server's `rows` table of the SQLite server in `dir`, opened beside
/// the running server the way an operator (or an intruder) could.
fn server_rows(dir: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(dir.join("server.db")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    conn
}

/// A device logged in to `server` that holds a workout of its own, not yet
/// synced: what a refused sync must leave in place.
fn device_with_its_own_workout(server: &Server) -> (Device, String) {
    let device = Device::new();
    device.join(server, "sam");
    let own = device.log(&["Own session", "-e", "row: 10@60kg"]);
    (device, own.trim().lines().next().unwrap().to_string())
}

/// `device` syncs and is refused with exit 77 and one line naming the
/// key; it keeps `own` (pending) and applied nothing from the server.
fn refused_and_kept(device: &Device, own: &str) {
    let before = device.workout_names();
    let (code, out, err) = device.sync();
    assert_eq!(code, 77, "{out}{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("does not open with this device's key"), "{err}");
    assert_eq!(device.workout_names(), before, "nothing from the server was applied");
    assert_eq!(
        device.workout(own)["pending"],
        true,
        "its own workout is kept, still to send"
    );
}

#[test]
fn a_device_refuses_a_body_the_server_flipped_a_byte_of_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let (server, phone) = phone_with_secrets(dir.path());
    let conn = server_rows(dir.path());
    let body: String = conn
        .query_row("SELECT body FROM rows WHERE kind = 'workout'", [], |r| r.get(0))
        .unwrap();
    assert!(body.starts_with('"'), "a sealed body is a JSON string: {body}");
    let mut bytes = body.into_bytes();
    bytes[20] = if bytes[20] == b'A' { b'B' } else { b'A' };
    conn.execute(
        "UPDATE rows SET body = ?1 WHERE kind = 'workout'",
        [String::from_utf8(bytes).unwrap()],
    )
    .unwrap();

    let (laptop, own) = device_with_its_own_workout(&server);
    refused_and_kept(&laptop, &own);
    // The phone that wrote it, pulling everything again, refuses it too
    // and keeps its own copy.
    let (code, err) = phone.fails(&["sync", "--full", "--non-interactive"]);
    assert_eq!(code, 77, "{err}");
    assert_eq!(phone.workout_names(), [SECRETS[0]]);
}

#[test]
fn a_device_refuses_bodies_the_server_swapped_between_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (server, phone) = phone_with_secrets(dir.path());
    phone.log(&["Second session", "-e", "squat: 5@100kg"]);
    phone.sync_ok();
    let conn = server_rows(dir.path());
    let swapped = conn
        .execute(
            "UPDATE rows SET body = (SELECT body FROM rows other WHERE other.kind = 'workout' AND other.id <> rows.id)
             WHERE kind = 'workout'",
            [],
        )
        .unwrap();
    assert_eq!(swapped, 2);

    let (laptop, own) = device_with_its_own_workout(&server);
    refused_and_kept(&laptop, &own);
}

#[test]
fn a_device_ignores_an_older_version_the_server_replays() {
    let dir = tempfile::tempdir().unwrap();
    let (server, phone) = phone_with_secrets(dir.path());
    let laptop = Device::new();
    laptop.join(&server, "sam");
    laptop.sync_ok();
    let conn = server_rows(dir.path());
    let old: (String, String, Option<String>) = conn
        .query_row("SELECT body, clock, digest FROM rows WHERE kind = 'workout'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let workout_id = phone.json(&["list"])[0]["id"].as_str().unwrap().to_string();
    phone.ok(&["edit", &workout_id, "--name", "Renamed"]);
    phone.sync_ok();
    laptop.sync_ok();
    assert_eq!(laptop.workout_names(), ["Renamed"]);

    // The server serves the old version again, sealed as it was.
    conn.execute(
        "UPDATE rows SET body = ?1, clock = ?2, digest = ?3 WHERE kind = 'workout'",
        [&old.0, &old.1, &old.2.unwrap()],
    )
    .unwrap();
    let out = laptop
        .cmd()
        .args(["sync", "--full", "--non-interactive"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(laptop.workout_names(), ["Renamed"], "the newer version stays");
}

/// Whether every row the server at `data` stores is sealed (a JSON string,
/// not a plaintext object).
fn server_rows_all_sealed(data: &std::path::Path) -> bool {
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    let plaintext: i64 = conn
        .query_row("SELECT count(*) FROM rows WHERE body NOT LIKE '\"%'", [], |r| r.get(0))
        .unwrap();
    plaintext == 0
}

#[test]
fn a_plaintext_account_moves_to_encryption_with_one_command_and_an_offline_device_catches_up() {
    let (dir, mut server) = server_with_an_operators_account();
    // Before: an operator's account, its devices syncing plaintext on a
    // server that still allows it.
    server.restart_on(ServerState::in_dir(dir.path()), &["--allow-plaintext"]);
    let (phone, laptop, tablet) = (fresh_device(), fresh_device(), fresh_device());
    for device in [&phone, &laptop, &tablet] {
        let out = login(device, &server, "ops", format!("{PASSWORD}\n"), &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let legs = phone.log(&["Leg day", "-e", "squat: 5@100kg"]);
    phone.sync_ok();
    let push = laptop.log(&["Push day", "-e", "bench: 5@80kg"]);
    laptop.sync_ok();
    tablet.sync_ok();
    phone.sync_ok();
    assert!(!server_rows_all_sealed(dir.path()));

    // The tablet goes offline with changes of its own.
    tablet.ok(&["edit", &legs, "--name", "Leg day (tablet)"]);
    let pull = tablet.log(&["Pull day", "-e", "row: 8@60kg"]);

    // The server drops --allow-plaintext; the phone encrypts the account.
    server.restart_on(ServerState::in_dir(dir.path()), &[]);
    let enabled = phone.cmd().args(["key", "--enable"]).output().unwrap();
    let said = String::from_utf8_lossy(&enabled.stderr);
    assert!(enabled.status.success(), "{said}");
    assert!(said.contains("encrypted now"), "{said}");
    let key = shown_key(&phone).1;
    assert!(String::from_utf8_lossy(&enabled.stdout).contains(&key));
    assert!(server_rows_all_sealed(dir.path()), "every row went back sealed");

    // The laptop (nothing pending) and the tablet (changes pending) are
    // told, in one line, to log in with the key; the tablet loses nothing.
    for device in [&laptop, &tablet] {
        let (code, _, err) = device.sync();
        assert_eq!(code, 77, "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("pump login"), "{err}");
    }
    assert_eq!(tablet.workout(&pull)["name"], "Pull day");
    for device in [&laptop, &tablet] {
        let out = login(device, &server, "ops", format!("{PASSWORD}\n{key}\n"), &["--key-stdin"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        device.sync_ok();
    }
    phone.sync_ok();
    laptop.sync_ok();
    let names = vec!["Leg day (tablet)", "Pull day", "Push day"];
    for device in [&phone, &laptop, &tablet] {
        assert_eq!(device.workout_names(), names);
        assert_eq!(device.json(&["conflicts"]), serde_json::json!([]), "no conflicts");
    }
    assert_eq!(phone.workout(&push)["name"], "Push day");
    assert!(server_rows_all_sealed(dir.path()));

    // Run again: nothing to do, and it says so.
    let (code, err) = phone.fails(&["key", "--enable"]);
    assert_eq!(code, 2);
    assert!(err.contains("encrypted already"), "{err}");
}

#[test]
fn a_server_without_allow_plaintext_stores_no_plaintext_row() {
    let (_dir, server) = server_with_an_operators_account();
    let laptop = fresh_device();
    let out = login(&laptop, &server, "ops", format!("{PASSWORD}\n"), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = laptop.log(&["Leg day", "-e", "squat: 5@100kg"]);
    let (code, _, err) = laptop.sync();
    assert_eq!(code, 77, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("pump key --enable"), "{err}");
    // Nothing lost: the workout waits, and goes out sealed after --enable.
    assert_eq!(laptop.workout(&id)["name"], "Leg day");
    laptop.ok(&["key", "--enable"]);
    let phone = fresh_device();
    let key = shown_key(&laptop).1;
    let out = login(&phone, &server, "ops", format!("{PASSWORD}\n{key}\n"), &["--key-stdin"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    phone.sync_ok();
    assert_eq!(phone.workout_names(), vec!["Leg day"]);
}

/// An undetected copy of a database (a restored VM snapshot) edits two
/// workouts under the id it shares with the original and is copied again
/// (detectably) before it syncs; the original edits the same workouts and
/// syncs, then changes the account's key. The copy of the copy logs in with
/// the new key and pushes the twin's edits: one has the very clock of the
/// version the server holds, the other goes one write past it. Both reuse a
/// counter the original used for other content, and the server still
/// knows that after the rotation: both are held as conflicts, nothing is
/// dropped, and resolving them settles it.
#[test]
fn a_copy_reusing_a_counter_after_a_key_rotation_is_still_a_collision() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let same_clock = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    let one_past = a.log(&["Arms", "-e", "curl: 3x10@20kg"]);
    a.sync_ok();
    let twin = a.undetected_copy();
    twin.ok(&["edit", &same_clock, "--name", "Legs on the twin"]);
    twin.ok(&["edit", &one_past, "--name", "Arms on the twin"]);
    twin.ok(&["edit", &one_past, "--name", "Arms on the twin, again"]);
    let copy = Device::new();
    twin.copy_database_to(&copy);
    copy.ok(&["device"]);
    a.ok(&["edit", &same_clock, "--name", "Legs on the original"]);
    a.ok(&["edit", &one_past, "--name", "Arms on the original"]);
    a.sync_ok();
    let rotated = a.cmd().args(["key", "--rotate"]).output().unwrap();
    assert!(rotated.status.success(), "{}", String::from_utf8_lossy(&rotated.stderr));
    let new_key = shown_key(&a).1;

    let out = login(
        &copy,
        &server,
        "sam",
        format!("{PASSWORD}\n{new_key}\n"),
        &["--key-stdin"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, out, err) = copy.sync();
    assert_eq!(code, 3, "both reused counters are held for a person: {out}{err}");
    let held = copy.json(&["conflicts"]);
    let names = |side: &str| -> BTreeSet<String> {
        held.as_array()
            .unwrap()
            .iter()
            .map(|c| c[side]["body"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("theirs"),
        BTreeSet::from(["Legs on the original".into(), "Arms on the original".into()])
    );
    assert_eq!(
        names("mine"),
        BTreeSet::from(["Legs on the twin".into(), "Arms on the twin, again".into()])
    );
    copy.ok(&["resolve", &same_clock, "--theirs"]);
    copy.ok(&["resolve", &one_past, "--mine"]);
    copy.sync_ok();
    a.sync_ok();
    for device in [&a, &copy] {
        assert_eq!(device.workout(&same_clock)["name"], "Legs on the original");
        assert_eq!(device.workout(&one_past)["name"], "Arms on the twin, again");
        assert_eq!(device.json(&["conflicts"]), serde_json::json!([]));
    }
}

#[test]
fn a_key_rotation_cut_off_halfway_finishes_later_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(dir.path(), &["--open-registration"]);
    let (phone, laptop) = (Device::new(), Device::new());
    phone.join(&server, "sam");
    laptop.join(&server, "sam");
    // Notes that do not compress, so that a page of 2,000 rows sealed again
    // is well over the 1 MiB the server takes below, whatever the sealing's
    // compression does with short workouts.
    let notes: String = (0..20).map(|_| uuid::Uuid::new_v4().simple().to_string()).collect();
    let mut expected: BTreeSet<String> = seed_workouts_with_notes(&phone.db, 2100, "Phone", &notes)
        .into_iter()
        .collect();
    phone.sync_ok();
    laptop.sync_ok();
    let old_key = shown_key(&phone).1;

    // The server now takes no body over 1 MiB: the rotation's first page of
    // rows sealed again is refused, after the server took the new key.
    server.restart_on(ServerState::in_dir(dir.path()), &["--max-body-mib", "1"]);
    // (A 413, or the connection closed while the page was still being
    // sent, as the server closes it after refusing an upload.)
    let (code, err) = phone.fails(&["key", "--rotate"]);
    assert!(
        (code == 1 && err.contains("413")) || (code == 75 && err.contains("cannot reach")),
        "{code}: {err}"
    );
    let new_key = shown_key(&phone).1;
    assert_ne!(new_key, old_key);

    // The laptop, still on the old key, is stopped with one line before it
    // stores anything; its change waits.
    expected.insert(laptop.log(&["Laptop day", "-e", "squat: 5@100kg"]));
    let (code, _, err) = laptop.sync();
    assert_eq!(code, 77, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("key changed") && err.contains("pump login"), "{err}");

    // Finished by running it again.
    server.restart_on(ServerState::in_dir(dir.path()), &[]);
    let finished = phone.cmd().args(["key", "--rotate"]).output().unwrap();
    assert!(
        finished.status.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert!(String::from_utf8_lossy(&finished.stdout).contains(&new_key));
    assert_eq!(phone.json(&["status"])["pending"], 0);

    let out = login(
        &laptop,
        &server,
        "sam",
        format!("{PASSWORD}\n{new_key}\n"),
        &["--key-stdin"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    laptop.sync_ok();
    phone.sync_ok();
    for device in [&phone, &laptop] {
        assert_eq!(workout_ids(&device.db), expected, "no workout lost");
        assert_eq!(device.json(&["conflicts"]), serde_json::json!([]), "no conflicts");
    }
    // Every row is sealed under the new key: a new device with it reads all.
    let tablet = fresh_device();
    let out = login(
        &tablet,
        &server,
        "sam",
        format!("{PASSWORD}\n{new_key}\n"),
        &["--key-stdin"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tablet.sync_ok();
    assert_eq!(workout_ids(&tablet.db), expected);
    // The old key no longer logs in.
    let stale = fresh_device();
    let out = login(
        &stale,
        &server,
        "sam",
        format!("{PASSWORD}\n{old_key}\n"),
        &["--key-stdin"],
    );
    assert_eq!(out.status.code(), Some(77));
}
