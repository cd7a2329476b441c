//! Hostile and broken input: bad command lines, fuzzed parsers, malicious or
//! broken requests to the server, and damaged, read-only or full databases.
//! Every case must end in a clear error: never a panic, never a half-written row.

mod common;

use common::{Device, Server};
use proptest::prelude::*;
use pump::model::{Unit, parse_duration, parse_exercise_spec, parse_sets, parse_when};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::Duration;

// ───────────────────────────── the command line ─────────────────────────────

#[test]
fn forty_bad_command_lines_are_refused_with_one_line_and_change_nothing() {
    let d = Device::new();
    let id = d.log(&["Keep", "-e", "squat: 5@100kg"]);
    std::fs::create_dir(d.dir.path().join("a-folder")).unwrap();
    let before = d.snapshot();
    let long_name = "x".repeat(201);
    let long_exercise = format!("{}: 5@100kg", "e".repeat(101));
    let too_many = "bench: 101x5@100kg".to_string();
    let cases: Vec<Vec<&str>> = vec![
        // names
        vec!["log", ""],
        vec!["log", "   "],
        vec!["log", &long_name],
        vec!["log", "bell\u{7}name"],
        vec!["start", "tab\tname"],
        vec!["edit", &id, "--name", ""],
        vec!["device", "--name", "   "],
        // set specs
        vec!["log", "A", "-e", "bench: 3x@100"],
        vec!["log", "A", "-e", "bench: 5@-10kg"],
        vec!["log", "A", "-e", "bench: 5@100kg/11"],
        vec!["log", "A", "-e", "bench: 5@100kg/5"],
        vec!["log", "A", "-e", "bench: 5@100kg/8.3"],
        vec!["log", "A", "-e", "bench 5@100"],
        vec!["log", "A", "-e", "bench: 5@100kg,,"],
        vec!["log", "A", "-e", ": 5@100"],
        vec!["log", "A", "-e", "bench:"],
        vec!["log", "A", "-e", "bench: 0x5@100kg"],
        vec!["log", "A", "-e", &too_many],
        vec!["log", "A", "-e", "bench: 5@3000kg"],
        vec!["log", "A", "-e", "bench: 5@NaNkg"],
        vec!["log", "A", "-e", "bench: 5@infkg"],
        vec!["log", "A", "-e", "bench: 5@1e400kg"],
        vec!["log", "A", "-e", "bench: 99999999999"],
        vec!["log", "A", "-e", "bench: 5@bw+"],
        vec!["log", "A", "-e", "run: -5km"],
        vec!["log", "A", "-e", &long_exercise],
        vec!["edit", &id, "-e", "squat: 3x@1"],
        // units
        vec!["log", "A", "-e", "bench: 5@100stone"],
        vec!["config", "set", "unit", "stone"],
        // dates and durations
        vec!["log", "A", "--at", "not a date"],
        vec!["log", "A", "--at", "2026-02-30"],
        vec!["log", "A", "--at", "2026-13-01"],
        vec!["log", "A", "--at", "today 25:00"],
        vec!["log", "A", "--at", "2026-11-20 10:00", "--end", "2026-11-20 09:00"],
        vec!["log", "A", "--duration", "forever"],
        vec!["log", "A", "--duration", "99999999999"],
        vec!["edit", &id, "--at", "tomorrowish"],
        vec!["list", "--since", "yesterdayish"],
        vec!["config", "set", "sync_interval", "forever"],
        // ids
        vec!["show", "zzzz"],
        vec!["show", "ffffffff"],
        vec!["edit", "nope", "--name", "x"],
        vec!["rm", "123456789abc"],
        vec!["resolve", "abc", "--mine"],
        // state and settings
        vec!["add", "squat", "5@100kg"],
        vec!["finish"],
        vec!["list", "--limit", "0"],
        vec!["config", "set", "colour", "red"],
        vec!["config", "set", "auto_sync", "maybe"],
        vec!["login", "--server", "ftp://x", "--user", "sam", "--password-stdin"],
    ];
    assert!(cases.len() >= 40);
    for args in &cases {
        let (code, err) = d.fails(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?} one line: {err}");
        assert!(err.starts_with("pump: "), "{args:?}: {err}");
        assert!(err.len() > 20, "{args:?} says too little: {err}");
        assert_eq!(d.snapshot(), before, "{args:?} changed the database");
    }
    // Files: a folder, a file that is not a database, a missing parent that cannot be made.
    let folder = d.dir.path().join("a-folder");
    let text = d.dir.path().join("notes.txt");
    std::fs::write(&text, "squat 5x5\n".repeat(500)).unwrap();
    let under_a_file = text.join("pump.db");
    for db in [&folder, &text, &under_a_file] {
        let out = d.cmd().arg("--db").arg(db).arg("list").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", db.display());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains(&*d.dir.path().display().to_string()),
            "the message names the file: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "squat 5x5\n".repeat(500));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn set_grammar_never_panics_and_only_accepts_valid_sets(text in ".{0,40}") {
        if let Ok(sets) = parse_sets(&text, Unit::Kg) {
            for set in sets {
                prop_assert!(set.validate().is_ok(), "{text:?} parsed to an invalid set {set:?}");
            }
        }
        let _ = parse_exercise_spec(&text, Unit::Lb);
    }

    #[test]
    fn set_grammar_near_misses_never_panic(text in "[0-9wdfxX@kglbsmin:/.,+ -]{0,24}") {
        if let Ok(sets) = parse_sets(&text, Unit::Lb) {
            for set in sets {
                prop_assert!(set.validate().is_ok(), "{text:?} parsed to an invalid set {set:?}");
            }
        }
        let _ = parse_exercise_spec(&format!("bench: {text}"), Unit::Kg);
    }

    #[test]
    fn dates_and_durations_never_panic(text in ".{0,40}", near in "[0-9tdayoesrnwhm: +-TZ]{0,25}") {
        let now = chrono::Local::now();
        let _ = parse_when(&text, now);
        let _ = parse_when(&near, now);
        let _ = parse_duration(&text);
        let _ = parse_duration(&near);
    }
}

// ───────────────────────────── the server, in-process ─────────────────────────────

mod server {
    use pump::server::{ServerOptions, SessionInfo, SqliteStorage, Storage, router};
    use sha2::Digest;
    use std::sync::Arc;
    use tower::ServiceExt;

    pub const ALICE: &str = "alice-token";
    pub const MALLORY: &str = "mallory-token";

    /// The real router and storage, called without a socket; a small body limit.
    pub struct App {
        pub dir: tempfile::TempDir,
        runtime: tokio::runtime::Runtime,
        app: axum::Router,
    }

    impl App {
        pub fn new(max_body_bytes: usize) -> App {
            let dir = tempfile::tempdir().unwrap();
            let storage = SqliteStorage::open(dir.path()).unwrap();
            for (name, token) in [("alice", ALICE), ("mallory", MALLORY)] {
                let user = storage.create_user(name, "unused", None).unwrap();
                let now = chrono::Utc::now();
                let session = SessionInfo {
                    token: sha2::Sha256::digest(token.as_bytes()).into(),
                    // Bound by its first sync, as a login by an older pump is.
                    device: None,
                    created_at: now,
                    last_used: now,
                };
                storage.create_session(user.id, &session).unwrap();
            }
            let mut options = ServerOptions::new(dir.path().to_path_buf());
            options.max_body_bytes = max_body_bytes;
            // The accounts here have no key: their rows are plaintext.
            options.allow_plaintext = true;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let app = router(Arc::new(storage), &options);
            App { dir, runtime, app }
        }

        pub fn request(&self, method: &str, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, String) {
            let mut request = axum::http::Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", "application/json");
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let request = request.body(axum::body::Body::from(body)).unwrap();
            self.runtime.block_on(async {
                let response = self.app.clone().oneshot(request).await.unwrap();
                let status = response.status().as_u16();
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
                (status, String::from_utf8_lossy(&bytes).into_owned())
            })
        }

        pub fn sync(&self, token: Option<&str>, body: &str) -> (u16, String) {
            self.request("POST", "/v1/sync", token, body.as_bytes().to_vec())
        }

        /// Rows stored for each user, and each user's sequence head.
        pub fn stored(&self) -> Vec<(String, String, String, i64)> {
            let conn = rusqlite::Connection::open(self.dir.path().join("server.db")).unwrap();
            let mut stmt = conn
                .prepare(
                    "SELECT users.name, rows.id, rows.body, users.last_seq FROM rows JOIN users ON users.id = \
                     rows.user_id ORDER BY 1, 2",
                )
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }

        pub fn healthy(&self) {
            assert_eq!(self.request("GET", "/health", None, Vec::new()).0, 200);
            let (status, body) = self.sync(
                Some(ALICE),
                r#"{"protocol":1,"device_id":"phone","cursor":0,"rows":[],"lineage":{"next":"l"}}"#,
            );
            assert_eq!(status, 200, "{body}");
        }
    }
}

fn workout_row(id: &str, clock: Value) -> Value {
    json!({"kind": "workout", "id": id, "clock": clock, "deleted": false,
           "body": {"id": id, "name": "Legit", "started_at": "2026-11-20T10:00:00Z"}})
}

fn sync_body(rows: Value) -> String {
    sync_body_as("phone", rows)
}

/// A round of `device`, which always presents the same lineage token: the
/// server takes every round after the first as a retry of it, and stores
/// each one's rows all the same.
fn sync_body_as(device: &str, rows: Value) -> String {
    json!({"protocol": 1, "device_id": device, "cursor": 0, "rows": rows, "lineage": {"next": "l"}}).to_string()
}

#[test]
fn malformed_requests_get_the_right_4xx_store_nothing_and_the_server_lives_on() {
    let app = server::App::new(64 * 1024);
    let valid = sync_body(json!([workout_row("w1", json!({"phone": 1}))]));
    let wide: serde_json::Map<String, Value> = (0..1001).map(|i| (format!("d{i}"), json!(1))).collect();
    let cases: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("not JSON", "hello".into(), Some(server::ALICE), 400),
        ("empty body", String::new(), Some(server::ALICE), 400),
        (
            "truncated",
            valid[..valid.len() / 2].to_string(),
            Some(server::ALICE),
            400,
        ),
        ("a JSON array", "[1,2,3]".into(), Some(server::ALICE), 400),
        ("null", "null".into(), Some(server::ALICE), 400),
        (
            "cursor of the wrong type",
            valid.replace(r#""cursor":0"#, r#""cursor":"zero""#),
            Some(server::ALICE),
            400,
        ),
        (
            "a huge cursor",
            valid.replace(r#""cursor":0"#, r#""cursor":1e400"#),
            Some(server::ALICE),
            400,
        ),
        (
            "a cursor past u64",
            valid.replace(r#""cursor":0"#, r#""cursor":18446744073709551616"#),
            Some(server::ALICE),
            400,
        ),
        (
            "a negative cursor",
            valid.replace(r#""cursor":0"#, r#""cursor":-1"#),
            Some(server::ALICE),
            400,
        ),
        ("rows not a list", sync_body(json!({"a": 1})), Some(server::ALICE), 400),
        (
            "a negative counter",
            sync_body(json!([workout_row("w1", json!({"phone": -1}))])),
            Some(server::ALICE),
            400,
        ),
        (
            "a counter past u64",
            sync_body(json!([workout_row("w1", json!({"phone": 1}))]))
                .replace(r#"{"phone":1}"#, r#"{"phone":99999999999999999999}"#),
            Some(server::ALICE),
            400,
        ),
        (
            "a counter past 2^48",
            sync_body(json!([workout_row("w1", json!({"phone": (1u64 << 48) + 1}))])),
            Some(server::ALICE),
            400,
        ),
        (
            "a counter of u64::MAX",
            sync_body(json!([workout_row("w1", json!({"phone": u64::MAX}))])),
            Some(server::ALICE),
            400,
        ),
        (
            "no lineage",
            json!({"protocol": 1, "device_id": "phone", "cursor": 0, "rows": []}).to_string(),
            Some(server::ALICE),
            400,
        ),
        (
            "a lineage of 65 unconfirmed tokens",
            json!({"protocol": 1, "device_id": "phone", "cursor": 0, "rows": [],
                   "lineage": {"next": "l", "unconfirmed": vec!["u"; 65]}})
            .to_string(),
            Some(server::ALICE),
            400,
        ),
        (
            "a fractional counter",
            sync_body(json!([workout_row("w1", json!({"phone": 1.5}))])),
            Some(server::ALICE),
            400,
        ),
        (
            "a clock of 1001 devices",
            sync_body(json!([workout_row("w1", Value::Object(wide))])),
            Some(server::ALICE),
            400,
        ),
        (
            "an empty clock",
            sync_body(json!([workout_row("w1", json!({}))])),
            Some(server::ALICE),
            400,
        ),
        (
            "a body that is not an object",
            sync_body(json!([{"kind": "workout", "id": "w1", "clock": {"p": 1}, "deleted": false, "body": [1]}])),
            Some(server::ALICE),
            400,
        ),
        (
            "deleted of the wrong type",
            sync_body(json!([{"kind": "workout", "id": "w1", "clock": {"p": 1}, "deleted": "no", "body": {}}])),
            Some(server::ALICE),
            400,
        ),
        (
            "protocol 2",
            valid.replace(r#""protocol":1"#, r#""protocol":2"#),
            Some(server::ALICE),
            400,
        ),
        (
            "a 65-character device id",
            valid.replace(
                r#""device_id":"phone""#,
                &format!(r#""device_id":"{}""#, "d".repeat(65)),
            ),
            Some(server::ALICE),
            400,
        ),
        (
            "one bad row among good ones",
            sync_body(json!([
                workout_row("w1", json!({"p": 1})),
                workout_row("", json!({"p": 1}))
            ])),
            Some(server::ALICE),
            400,
        ),
        (
            "an oversized body",
            sync_body(json!([workout_row(&"x".repeat(64), json!({"p": 1}))])) + &" ".repeat(70 * 1024),
            Some(server::ALICE),
            413,
        ),
        ("no token", valid.clone(), None, 401),
        ("a forged token", valid.clone(), Some("forged"), 401),
        ("an empty bearer", valid.clone(), Some(""), 401),
    ];
    for (what, body, token, expected) in cases {
        let (status, answer) = app.sync(token, &body);
        assert_eq!(status, expected, "{what}: {answer}");
        let error: Value = serde_json::from_str(&answer).unwrap_or_else(|_| panic!("{what}: not JSON: {answer}"));
        assert!(
            error["error"].as_str().is_some_and(|e| e.len() > 10),
            "{what}: {answer}"
        );
        assert!(app.stored().is_empty(), "{what} stored something");
        app.healthy();
    }
    let (status, _) = app.request("GET", "/v1/sync", Some(server::ALICE), Vec::new());
    assert_eq!(status, 405);
    let (status, _) = app.request("POST", "/v1/nothing", Some(server::ALICE), Vec::new());
    assert_eq!(status, 404);
    // A clock of exactly 1000 devices is still accepted.
    let thousand: serde_json::Map<String, Value> = (0..1000).map(|i| (format!("d{i}"), json!(1))).collect();
    let (status, answer) = app.sync(
        Some(server::ALICE),
        &sync_body(json!([workout_row("w1", Value::Object(thousand))])),
    );
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn another_users_rows_and_a_forged_device_id_change_nothing_of_theirs() {
    let app = server::App::new(1 << 20);
    let (status, _) = app.sync(
        Some(server::ALICE),
        &sync_body(json!([workout_row("w1", json!({"alice-phone": 1}))])),
    );
    assert_eq!(status, 200);
    let alice_before: Vec<_> = app.stored();
    // Mallory claims alice's device id and pushes a dominating version of alice's workout id.
    let forged = json!({"protocol": 1, "device_id": "alice-phone", "cursor": 0, "lineage": {"next": "m"},
        "rows": [{"kind": "workout", "id": "w1", "clock": {"alice-phone": 9}, "deleted": true,
                  "body": {"id": "w1", "name": "Pwned", "started_at": "2026-11-20T10:00:00Z"}}]});
    let (status, answer) = app.sync(Some(server::MALLORY), &forged.to_string());
    assert_eq!(status, 200, "{answer}");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["changes"], json!([]), "mallory sees nothing of alice's");
    let alice_after: Vec<_> = app.stored().into_iter().filter(|r| r.0 == "alice").collect();
    assert_eq!(alice_after, alice_before, "alice's rows are untouched");
    let (_, pulled) = app.sync(
        Some(server::ALICE),
        r#"{"protocol":1,"device_id":"phone","cursor":0,"rows":[],"lineage":{"next":"l"}}"#,
    );
    assert!(pulled.contains("Legit") && !pulled.contains("Pwned"), "{pulled}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random bytes and mutations of a valid request: never a 5xx, never a panic.
    #[test]
    fn the_request_decoder_never_fails_inside(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        cut in 0usize..400,
        flip in 0usize..400,
        byte in any::<u8>(),
    ) {
        thread_local! {
            static APP: server::App = server::App::new(1 << 20);
        }
        let valid = sync_body(json!([workout_row("w1", json!({"phone": 1}))])).into_bytes();
        let mut mutated = valid.clone();
        let at = flip % mutated.len();
        mutated[at] = byte;
        let truncated = valid[..cut.min(valid.len())].to_vec();
        APP.with(|app| {
            for body in [bytes.clone(), mutated.clone(), truncated.clone()] {
                let (status, answer) = app.request("POST", "/v1/sync", Some(server::ALICE), body);
                assert!(status < 500, "{status}: {answer}");
            }
        });
    }
}

// ───────────────────────────── the server, on a socket ─────────────────────────────

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn token(d: &Device) -> String {
    let conn = rusqlite::Connection::open(&d.db).unwrap();
    conn.query_row("SELECT value FROM meta WHERE key = 'session_token'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn stalled_clients_do_not_block_many_concurrent_ones() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let t = token(&a);
    // The session syncs only as the device that logged in.
    let device = a.device_id();
    // The clients hold the account's key, as its devices do: they seal.
    let key = a.account_key();
    let address = server.url.trim_start_matches("http://").to_string();
    // Five clients send half a request and stall.
    let stalled: Vec<std::net::TcpStream> = (0..5)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&address).unwrap();
            write!(
                s,
                "POST /v1/sync HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {t}\r\ncontent-length: 500\r\n\r\n{{\"proto"
            )
            .unwrap();
            s
        })
        .collect();
    // Meanwhile 16 clients sync 5 times each, all at once.
    let url = server.url.clone();
    let workers: Vec<_> = (0..16)
        .map(|i| {
            let (url, t, device, key) = (url.clone(), t.clone(), device.clone(), key.clone());
            std::thread::spawn(move || {
                let keys = pump::sync::crypto::AccountKey::parse(&key).unwrap().row_keys();
                for j in 0..5 {
                    let row = workout_row(&format!("w{i}-{j}"), json!({format!("dev{i}"): j + 1}));
                    let open: pump::sync::wire::Row = serde_json::from_value(row).unwrap();
                    let row = pump::sync::sealed::seal(&open.to_text(), Some(&keys));
                    let body = sync_body_as(&device, json!([row]));
                    let mut response = agent()
                        .post(format!("{url}/v1/sync"))
                        .header("authorization", &format!("Bearer {t}"))
                        .header("content-type", "application/json")
                        .send(&body)
                        .unwrap();
                    let status = response.status().as_u16();
                    let text = response.body_mut().read_to_string().unwrap();
                    assert_eq!(status, 200, "{text}");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a concurrent client failed");
    }
    let fresh = Device::new();
    fresh.join(&server, "sam");
    fresh.sync_ok();
    assert_eq!(
        fresh.json(&["list"]).as_array().unwrap().len(),
        80,
        "a fresh device receives them all"
    );
    let conn = rusqlite::Connection::open(server.data.join("server.db")).unwrap();
    let stored: i64 = conn.query_row("SELECT count(*) FROM rows", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 80, "every concurrent push was stored once");
    for mut s in stalled {
        // The stalled ones still get an answer (or a close) eventually, not a hang.
        s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf);
    }
}

// ───────────────────────────── broken databases ─────────────────────────────

/// A pump run that failed cleanly: not a panic (101), one line saying why.
fn fails_cleanly(out: &std::process::Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    eprintln!("{what}: {}", err.trim());
    assert!(!out.status.success(), "{what} should fail");
    assert_ne!(out.status.code(), Some(101), "{what} panicked: {err}");
    assert!(out.status.code().is_some(), "{what} died from a signal: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
    assert!(err.starts_with("pump: "), "{what}: {err}");
    err
}

#[test]
fn truncated_and_corrupted_databases_fail_cleanly() {
    for damage in ["truncate", "scribble"] {
        let d = Device::new();
        for i in 0..30 {
            d.log(&[&format!("W{i}"), "-e", "squat: 5x5@100kg", "--notes", &"n".repeat(500)]);
        }
        let len = std::fs::metadata(&d.db).unwrap().len();
        assert!(len > 16 * 1024);
        let mut bytes = std::fs::read(&d.db).unwrap();
        match damage {
            "truncate" => bytes.truncate(bytes.len() / 2),
            _ => bytes[4096..12288]
                .iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = (i * 7) as u8),
        }
        std::fs::write(&d.db, &bytes).unwrap();
        for args in [
            &["list"][..],
            &["log", "New", "-e", "squat: 5@100kg"],
            &["show", "last"],
            &["status"],
        ] {
            let out = d.cmd().args(args).output().unwrap();
            if out.status.success() {
                continue; // SQLite may read around the damage; what matters is no panic
            }
            let err = fails_cleanly(&out, &format!("{damage} {args:?}"));
            assert!(err.contains("corrupt"), "{damage} {args:?}: {err}");
            assert!(!err.contains("not a pump database"), "{damage} {args:?}: {err}");
        }
    }
}

#[test]
fn a_read_only_database_fails_cleanly_and_stays_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let d = Device::new();
    d.log(&["Keep", "-e", "squat: 5@100kg"]);
    let before = d.snapshot();
    std::fs::set_permissions(&d.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(d.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = std::process::Command::new(common::pump_bin());
    cmd.args(["log", "New", "-e", "squat: 5@100kg"])
        .env("PUMP_DB", &d.db)
        .env("PUMP_CONFIG", &d.config)
        .env("HOME", d.dir.path());
    // Root ignores file permissions: run pump as an unprivileged user instead.
    // SAFETY-free: `uid` only asks the child to setuid before exec.
    if is_root() {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let err = fails_cleanly(&out, "log on a read-only database");
    assert!(err.contains("read-only"), "{err}");
    assert!(
        !err.contains("not a pump database"),
        "a read-only pump database is still one: {err}"
    );
    std::fs::set_permissions(&d.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(d.snapshot(), before);
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn a_full_disk_fails_cleanly_without_a_half_written_row() {
    // A full disk, simulated with a file-size limit (`ulimit -f`): writes past
    // it fail (EFBIG) just like writes to a full filesystem (ENOSPC) would.
    // SIGXFSZ is ignored so the write fails instead of killing pump.
    let d = Device::new();
    d.log(&["Keep", "-e", "squat: 5@100kg"]);
    let before = d.snapshot();
    let notes = "a long note ".repeat(9000);
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec \"{}\" log Big --notes \"$1\" -e 'squat: 5x5@100kg'",
        common::pump_bin().display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script, "sh", &notes])
        .env("PUMP_DB", &d.db)
        .env("PUMP_CONFIG", &d.config)
        .output()
        .unwrap();
    let err = fails_cleanly(&out, "log on a full disk");
    assert!(err.contains("disk is full") || err.contains("disk full"), "{err}");
    assert_eq!(d.snapshot(), before, "nothing half-written");
    d.log(&["After", "-e", "squat: 5@100kg"]);
}
