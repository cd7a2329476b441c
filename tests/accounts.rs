//! Sessions, accounts and the server's limits, through the real `pump`
//! binary and a real `pump server start` on a loopback port.
#![cfg(feature = "server")]

mod common;

use common::{Device, Server, assert_signed_out};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .max_idle_connections(0)
        .build()
        .into()
}

/// Status, `Retry-After` and body of a raw POST.
fn post(server: &Server, path: &str, token: Option<&str>, body: &str) -> (u16, Option<String>, String) {
    let mut request = agent()
        .post(format!("{}{path}", server.url))
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body).unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = response.status().as_u16();
    (
        status,
        retry_after,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn meta(device: &Device, key: &str) -> String {
    let conn = rusqlite::Connection::open(&device.db).unwrap();
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .unwrap()
}

/// A server with registration open and `extra` options, in its own folder.
fn server_with(extra: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--open-registration"];
    args.extend_from_slice(extra);
    let server = Server::start_in(dir.path(), &args);
    (dir, server)
}

fn log_text(data: &Path) -> String {
    std::fs::read_to_string(data.join("server.log")).unwrap_or_default()
}

/// `pump login` with `password`; (exit code, stderr).
fn login(device: &Device, server: &Server, user: &str, password: &str) -> (i32, String) {
    let out = device
        .cmd()
        .args(["login", "--server", &server.url, "--user", user, "--password-stdin"])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_server_commits_with_synchronous_full_unless_told_otherwise() {
    for (extra, expected) in [
        (&[][..], "synchronous=FULL"),
        (&["--fast-unsafe"][..], "synchronous=NORMAL (--fast-unsafe"),
    ] {
        let (dir, server) = server_with(extra);
        let a = Device::new();
        a.join(&server, "sam");
        a.log(&["Push", "-e", "bench: 5@100kg"]);
        a.sync_ok();
        let log = log_text(dir.path());
        assert!(log.contains(expected), "{log}");
    }
}

#[test]
fn idle_and_old_sessions_end_and_the_device_is_told_to_log_in() {
    let (_dir, server) = server_with(&["--session-idle", "2s"]);
    let a = Device::new();
    a.join(&server, "sam");
    a.sync_ok();
    std::thread::sleep(Duration::from_millis(1200));
    a.sync_ok();
    std::thread::sleep(Duration::from_millis(1200));
    a.sync_ok();
    // Used every 1.2 s, it lived 2.4 s; now it idles past 2 s.
    std::thread::sleep(Duration::from_millis(2500));
    a.log(&["Logged while signed out", "-e", "squat: 5@100kg"]);
    let (code, _, err) = a.sync();
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("ended after 2 seconds without a sync"), "{err}");
    assert!(
        err.trim()
            .ends_with(&format!("run `pump login --server {} --user sam`", server.url)),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    // Logged in again, the device sends what waited.
    assert_eq!(login(&a, &server, "sam", PASSWORD).0, 0);
    assert!(a.sync_ok().contains("sent 1"));

    let (_dir, server) = server_with(&["--session-lifetime", "3s"]);
    let b = Device::new();
    b.join(&server, "sam");
    for _ in 0..2 {
        b.sync_ok();
        std::thread::sleep(Duration::from_millis(1100));
    }
    std::thread::sleep(Duration::from_millis(1200));
    let (code, _, err) = b.sync();
    assert_eq!(code, 77, "however often it is used: {err}");
    assert!(err.contains("sessions on this server last 3 seconds"), "{err}");
}

#[test]
fn a_new_login_past_the_cap_ends_the_least_recently_used_session() {
    let (dir, server) = server_with(&["--max-sessions", "2"]);
    let devices: Vec<Device> = (0..3).map(|_| Device::new()).collect();
    for device in &devices {
        device.join(&server, "sam");
        device.sync_ok();
    }
    assert_signed_out(&devices[0]);
    devices[1].sync_ok();
    devices[2].sync_ok();
    assert!(log_text(dir.path()).contains("ended the 1 least recently used (--max-sessions 2)"));
}

#[test]
fn a_token_syncs_only_as_the_device_that_logged_in() {
    let server = Server::start();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "sam");
    b.join(&server, "sam");
    a.sync_ok();
    b.sync_ok();
    let as_b = json!({"protocol": 1, "device_id": b.device_id(), "cursor": 0, "rows": [],
                      "lineage": {"next": "stolen"}});
    let (status, _, body) = post(&server, "/v1/sync", Some(&meta(&a, "session_token")), &as_b.to_string());
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains("belongs to device") && body.contains("pump login"),
        "{body}"
    );
    // Without a lineage no round is taken at all.
    let no_lineage = json!({"protocol": 1, "device_id": a.device_id(), "cursor": 0, "rows": []});
    let (status, _, body) = post(
        &server,
        "/v1/sync",
        Some(&meta(&a, "session_token")),
        &no_lineage.to_string(),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("no lineage"), "{body}");
    a.log(&["Push", "-e", "bench: 5@100kg"]);
    a.sync_ok();
    assert!(b.sync_ok().contains("received 1"), "b's lineage was not touched");
}

#[test]
fn a_clock_counter_past_2_48_is_refused_and_stores_nothing() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let row = |counter: u64| {
        json!({"protocol": 1, "device_id": a.device_id(), "cursor": 0, "lineage": {"next": "l"},
               "rows": [{"kind": "workout", "id": "w1", "clock": {"evil": counter}, "deleted": false,
                         "body": "c2VhbGVk"}]})
        .to_string()
    };
    let token = meta(&a, "session_token");
    for counter in [(1u64 << 48) + 1, u64::MAX] {
        let (status, _, body) = post(&server, "/v1/sync", Some(&token), &row(counter));
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("beyond the largest allowed"), "{body}");
    }
    let (status, _, body) = post(&server, "/v1/sync", Some(&token), &row(1 << 48));
    assert_eq!(status, 200, "the bound itself is allowed: {body}");
}

/// A copy takes a new id when it is opened; its session follows it to that
/// id, the original keeps its own, and either can be signed out alone.
#[test]
fn a_copied_database_gets_its_own_session_and_each_twin_is_revoked_alone() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    a.ok(&["device", "--name", "laptop"]);
    a.log(&["Push", "-e", "bench: 5@100kg"]);
    a.sync_ok();
    let copy = Device::new();
    a.copy_database_to(&copy);
    copy.ok(&["device", "--name", "old laptop"]);
    copy.log(&["Pull", "-e", "row: 8@60kg"]);
    copy.sync_ok();
    assert_ne!(meta(&copy, "session_token"), meta(&a, "session_token"));
    assert_eq!(meta(&copy, "session_device"), copy.device_id());
    assert!(a.sync_ok().contains("received 1"));
    let listed = a.json(&["devices"]);
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["laptop", "old laptop"], "most recently synced first: {listed}");
    a.ok(&["devices", "revoke", "old laptop"]);
    assert_signed_out(&copy);
    a.sync_ok();
    // `pump device --reset-id` takes a session along the same way.
    a.ok(&["device", "--reset-id"]);
    a.sync_ok();
    assert_eq!(meta(&a, "session_device"), a.device_id());
}

/// A copy made, undetectably, of a copy that had taken a new id but not yet
/// synced under it: both present the original's session and the same new
/// id. The first to sync takes the id; the other is refused it, takes a
/// fresh one of its own, and loses nothing.
#[test]
fn an_undetected_twin_of_a_copy_takes_another_id_and_loses_nothing() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    a.sync_ok();
    let (copy, twin) = copy_and_its_undetected_twin(&a);
    let shared_id = copy.device_id();
    let on_copy = copy.log(&["Copy's", "-e", "squat: 5@100kg"]);
    let on_twin = twin.log(&["Twin's", "-e", "bench: 5@80kg"]);
    copy.sync_ok();
    let (code, out, err) = twin.sync();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("shared its device id"), "{err}");
    assert_ne!(twin.device_id(), shared_id);
    assert_eq!(meta(&twin, "session_device"), twin.device_id());
    for device in [&a, &copy, &twin] {
        device.sync_ok();
    }
    for device in [&a, &copy, &twin] {
        device.sync_ok();
        assert_eq!(device.workout(&on_copy)["name"], "Copy's");
        assert_eq!(device.workout(&on_twin)["name"], "Twin's");
    }
}

/// A copy of `a` (caught when opened: it takes a new id) and an undetected
/// copy of that copy made before either synced: both hold the same new id.
fn copy_and_its_undetected_twin(a: &Device) -> (Device, Device) {
    let copy = Device::new();
    a.copy_database_to(&copy);
    copy.ok(&["device"]);
    let twin = copy.undetected_copy();
    assert_eq!(twin.device_id(), copy.device_id(), "nothing gave the twin away yet");
    (copy, twin)
}

/// The same twins both edit one workout under the id they share. The twin
/// that syncs second is refused the id, takes a fresh one, and its edit
/// collides with the other's (same counter, other content): held for a
/// person. Once resolved, the resolution syncs like any edit; it used to
/// carry the dot of the colliding write along and collide again at every
/// sync, taking a new id each time (simulation seed 11000673).
#[test]
fn a_resolved_collision_between_twins_syncs_once_and_for_all() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    let (copy, twin) = copy_and_its_undetected_twin(&a);
    copy.ok(&["edit", &id, "--name", "Legs on the copy"]);
    twin.ok(&["edit", &id, "--name", "Legs on the twin"]);
    copy.sync_ok();
    let (code, out, err) = twin.sync();
    assert_eq!(code, 3, "the reused counter is held for a person: {out}{err}");
    twin.ok(&["resolve", &id, "--mine"]);
    let resolved_id = twin.device_id();
    for _ in 0..2 {
        let (code, out, err) = twin.sync();
        assert_eq!(code, 0, "the resolution syncs without colliding again: {out}{err}");
    }
    assert_eq!(twin.device_id(), resolved_id, "no new id after the resolution");
    for device in [&a, &copy, &twin] {
        device.sync_ok();
        assert_eq!(device.workout(&id)["name"], "Legs on the twin");
        assert_eq!(device.json(&["conflicts"]).as_array().unwrap().len(), 0);
    }
}

#[test]
fn changing_the_password_can_sign_out_every_other_device() {
    let server = Server::start();
    let (a, b, c) = (Device::new(), Device::new(), Device::new());
    for device in [&a, &b, &c] {
        device.join(&server, "sam");
        device.sync_ok();
    }
    let wrong = a
        .cmd()
        .args(["password", "--password-stdin"])
        .write_stdin("not it\nnew password 1\n")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("current password is wrong"));
    let short = a
        .cmd()
        .args(["password", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\nshort\n"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8"));

    a.cmd()
        .args(["password", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\nnew password 1\n"))
        .assert()
        .success();
    b.sync_ok();
    let out = a
        .cmd()
        .args(["password", "--password-stdin", "--revoke-other-sessions"])
        .write_stdin("new password 1\nnew password 2\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signed out 2 other sessions"));
    a.sync_ok();
    assert_signed_out(&b);
    assert_signed_out(&c);
    assert_ne!(login(&b, &server, "sam", "new password 1").0, 0);
    assert_eq!(login(&b, &server, "sam", "new password 2").0, 0);
    b.sync_ok();
}

#[test]
fn devices_lists_what_the_server_knows_and_revoke_signs_one_out() {
    let server = Server::start();
    let (laptop, phone) = (Device::new(), Device::new());
    laptop.ok(&["device", "--name", "laptop"]);
    phone.ok(&["device", "--name", "phone"]);
    for device in [&laptop, &phone] {
        device.join(&server, "sam");
    }
    laptop.log(&["Push", "-e", "bench: 5@100kg"]);
    laptop.log(&["Pull", "-e", "row: 8@60kg"]);
    laptop.sync_ok();
    phone.log(&["Legs", "-e", "squat: 5@140kg"]);
    phone.sync_ok();
    let listed = laptop.json(&["devices"]);
    let summary: Vec<(String, u64, u64, bool, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["rows"].as_u64().unwrap(),
                d["pending"].as_u64().unwrap(),
                d["signed_in"].as_bool().unwrap(),
                d["this_device"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("phone".to_string(), 1, 0, true, false),
            ("laptop".to_string(), 2, 0, true, true)
        ],
        "{listed}"
    );
    assert!(listed[0]["last_sync"].is_string());
    let table = laptop.ok(&["devices"]);
    assert!(table.contains("this device") && table.contains("signed in"), "{table}");

    let (code, err) = laptop.fails(&["devices", "revoke", "laptop"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pump logout"), "{err}");
    let (code, err) = laptop.fails(&["devices", "revoke", "tablet"]);
    assert_eq!(code, 2);
    assert!(err.contains("no device"), "{err}");
    let phone_id = phone.device_id();
    laptop.ok(&["devices", "revoke", &phone_id[..8]]);
    assert_signed_out(&phone);
    let after = laptop.json(&["devices"]);
    assert_eq!(after[0]["signed_in"], false, "{after}");
    // Logging in again brings it back.
    assert_eq!(login(&phone, &server, "sam", PASSWORD).0, 0);
    phone.sync_ok();
}

#[test]
fn the_operator_lists_resets_ends_and_deletes_accounts() {
    let (dir, server) = server_with(&[]);
    let data = dir.path().to_str().unwrap();
    let (a, b) = (Device::new(), Device::new());
    a.join(&server, "alice");
    b.join(&server, "bob");
    a.log(&["Push", "-e", "bench: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    let admin = Device::new();
    let users = admin.json(&["server", "users", "--data", data]);
    let rows: Vec<(&str, u64, u64, u64)> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap(),
                u["rows"].as_u64().unwrap(),
                u["sessions"].as_u64().unwrap(),
                u["devices"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("alice", 1, 1, 1), ("bob", 0, 1, 1)]);
    assert!(admin.ok(&["server", "users", "--data", data]).contains("alice"));

    let sessions = admin.json(&["server", "sessions", "alice", "--data", data]);
    assert_eq!(sessions[0]["device_id"], a.device_id().as_str(), "{sessions}");
    admin.ok(&["server", "sessions", "alice", "--data", data, "--revoke"]);
    assert_signed_out(&a);
    b.sync_ok();

    admin
        .cmd()
        .args(["server", "passwd", "alice", "--data", data, "--password-stdin"])
        .write_stdin("brand new password\n")
        .assert()
        .success();
    assert_ne!(login(&a, &server, "alice", PASSWORD).0, 0);
    assert_eq!(login(&a, &server, "alice", "brand new password").0, 0);
    a.sync_ok();

    let (code, err) = admin.fails(&["server", "del-user", "alice", "--data", data]);
    assert_eq!(code, 2);
    assert!(err.contains("the 1 rows it stores") && err.contains("--yes"), "{err}");
    admin.ok(&["server", "del-user", "alice", "--data", data, "--yes"]);
    assert_signed_out(&a);
    let (code, err) = admin.fails(&["server", "sessions", "alice", "--data", data]);
    assert_eq!(code, 2);
    assert!(err.contains("no user alice"), "{err}");
    let (code, err) = admin.fails(&["server", "users", "--data", "/nonexistent/pump"]);
    assert_eq!(code, 2);
    assert!(err.contains("no server database"), "{err}");
}

#[test]
fn failed_logins_get_429_then_the_owner_gets_in_soon_after() {
    let (dir, server) = server_with(&[]);
    let owner = Device::new();
    owner.join(&server, "sam");
    let attempt = |password: &str| {
        post(
            &server,
            "/v1/login",
            None,
            &json!({"user": "sam", "password": password}).to_string(),
        )
    };
    for _ in 0..6 {
        assert_eq!(attempt("guess").0, 401);
    }
    let (status, retry_after, body) = attempt("guess");
    assert_eq!(status, 429, "{body}");
    let wait: u64 = retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(body.contains("too many failed logins"), "{body}");
    // While blocked, even the right password waits (no hash is computed).
    let (code, err) = login(&owner, &server, "sam", PASSWORD);
    assert_eq!(code, 75, "{err}");
    assert!(err.contains("429") && err.contains("try again in"), "{err}");
    std::thread::sleep(Duration::from_secs(wait));
    assert_eq!(login(&owner, &server, "sam", PASSWORD).0, 0);
    owner.sync_ok();
    let log = log_text(dir.path());
    assert!(log.contains(r#"login failed user="sam" from=127.0.0.1"#), "{log}");
    assert!(log.contains(r#"login throttled user="sam" from=127.0.0.1"#), "{log}");
}

#[test]
fn a_trusted_proxy_names_the_client_in_the_log() {
    let (dir, server) = server_with(&["--trusted-proxy", "127.0.0.1"]);
    let response = agent()
        .post(format!("{}/v1/login", server.url))
        .header("content-type", "application/json")
        .header("x-forwarded-for", "6.6.6.6, 198.51.100.7")
        .send(json!({"user": "nobody", "password": "guess"}).to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let log = log_text(dir.path());
    assert!(log.contains(r#"login failed user="nobody" from=198.51.100.7"#), "{log}");
}

#[test]
fn open_registration_is_a_budget_per_address() {
    let (_dir, server) = server_with(&["--registrations-per-hour", "2"]);
    let register = |user: &str| {
        post(
            &server,
            "/v1/register",
            None,
            &json!({"user": user, "password": PASSWORD}).to_string(),
        )
    };
    assert_eq!(register("one").0, 201);
    assert_eq!(register("two").0, 201);
    let (status, retry_after, body) = register("three");
    assert_eq!(status, 429, "{body}");
    assert!(retry_after.unwrap().parse::<u64>().unwrap() > 3000);
    let d = Device::new();
    let out = d
        .cmd()
        .args([
            "register",
            "--server",
            &server.url,
            "--user",
            "four",
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75));
}

#[cfg(target_os = "linux")]
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_megabyte_login_is_refused_without_the_server_growing() {
    let server = Server::start();
    let probe = Device::new();
    probe.join(&server, "sam");
    let before = rss_kb(server.pid());
    let huge = json!({"user": "sam", "password": "x".repeat(1 << 20)}).to_string();
    std::thread::scope(|scope| {
        for i in 0..12 {
            let (url, huge) = (server.url.clone(), huge.clone());
            scope.spawn(move || {
                let request = agent()
                    .post(format!("{url}/v1/login"))
                    .header("content-type", "application/json");
                let sent = if i % 2 == 0 {
                    request.send(&huge)
                } else {
                    // Chunked: no Content-Length to refuse up front.
                    request.send(ureq::SendBody::from_owned_reader(std::io::Cursor::new(
                        huge.into_bytes(),
                    )))
                };
                // The server may close the connection mid-upload: also a refusal.
                if let Ok(mut response) = sent {
                    assert_eq!(response.status().as_u16(), 413);
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    assert!(body.is_empty() || body.contains("limit of 4096 bytes"), "{body}");
                }
            });
        }
    });
    let grown = rss_kb(server.pid()).saturating_sub(before);
    assert!(grown < 16 * 1024, "the server grew by {grown} kB");
    probe.sync_ok();
}

/// Half a request's headers, then silence.
fn slow_header(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "POST /v1/login HTTP/1.1\r\nhost: x\r\ncontent-").unwrap();
    stream
}

fn health_answers_within(server: &Server, limit: Duration) -> Duration {
    let started = Instant::now();
    let response = agent().get(format!("{}/health", server.url)).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let took = started.elapsed();
    assert!(took < limit, "/health took {took:?}");
    took
}

#[test]
fn slow_header_connections_do_not_starve_health_and_are_closed() {
    let (_dir, server) = server_with(&["--header-timeout", "2s"]);
    let address = server.url.trim_start_matches("http://").to_string();
    let mut slow: Vec<TcpStream> = (0..300).map(|_| slow_header(&address)).collect();
    health_answers_within(&server, Duration::from_secs(1));
    std::thread::sleep(Duration::from_millis(2500));
    for stream in slow.iter_mut().step_by(37) {
        stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let mut buf = [0u8; 256];
        // Closed by the server: EOF, a reset, or hyper's 408 then EOF.
        let mut seen = Vec::new();
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&seen);
        assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    }

    // At the connection cap, idle connections hold a slot only until the
    // header timeout, so /health waits at most about that long.
    let (_dir, capped) = server_with(&["--header-timeout", "1s", "--max-connections", "8"]);
    let address = capped.url.trim_start_matches("http://").to_string();
    let _idle: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(&address).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let took = health_answers_within(&capped, Duration::from_secs(4));
    assert!(took >= Duration::from_millis(500), "the cap was not reached: {took:?}");
}

#[test]
fn an_account_over_its_quota_gets_one_clear_line() {
    let (_dir, server) = server_with(&["--quota-rows", "3"]);
    let a = Device::new();
    a.join(&server, "sam");
    for name in ["A", "B"] {
        a.log(&[name, "-e", "bench: 5@100kg"]);
    }
    a.sync_ok();
    for name in ["C", "D"] {
        a.log(&[name, "-e", "bench: 5@100kg"]);
    }
    let (code, _, err) = a.sync();
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("would hold 4 rows and this server allows 3") && err.contains("--quota-rows"),
        "{err}"
    );
    // Nothing of the refused round was stored; a pull still works.
    let b = Device::new();
    b.join(&server, "sam");
    assert!(b.sync_ok().contains("received 2"));
}

#[test]
fn the_servers_own_404_and_405_are_json() {
    let server = Server::start();
    for (method, path, status, says) in [
        ("GET", "/nope", 404, "there is no GET /nope on this server"),
        ("GET", "/v1/sync", 405, "does not accept GET"),
        ("GET", "/v1/login", 405, "does not accept GET"),
    ] {
        let mut response = agent()
            .run(
                ureq::http::Request::builder()
                    .method(method)
                    .uri(format!("{}{path}", server.url))
                    .body(())
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        let content_type = response.headers().get("content-type").unwrap().to_str().unwrap();
        assert_eq!(content_type, "application/json");
        let body: Value = response.body_mut().read_json().unwrap();
        assert!(body["error"].as_str().unwrap().contains(says), "{body}");
    }
}

/// Runs pump with `stdin`; returns (exit code, stderr).
fn with_stdin(d: &Device, args: &[&str], stdin: &str) -> (i32, String) {
    let out = d.cmd().args(args).write_stdin(stdin.to_string()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn refusals_say_one_clear_thing_with_the_real_user_name() {
    let server = Server::start();
    let url = server.url.as_str();
    let d = Device::new();
    // What the server refuses of what was typed: exit 2, its reason.
    let (code, err) = with_stdin(
        &d,
        &["register", "--server", url, "--user", "sam", "--password-stdin"],
        "short\n",
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        format!("pump: the server at {url} refused it: the password is too short: use at least 8 characters\n")
    );
    let args = ["register", "--server", url, "--user", "bad name!", "--password-stdin"];
    let (code, err) = with_stdin(&d, &args, "correct horse battery\n");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!(
            "pump: the server at {url} refused it: the user name may only use"
        )),
        "{err}"
    );

    d.join(&server, "sam");
    let other = Device::new();
    let args = ["login", "--server", url, "--user", "sam", "--password-stdin"];
    let (code, err) = with_stdin(&other, &args, "not the password\n");
    assert_eq!(code, 77);
    assert!(
        err.starts_with(&format!("pump: the server at {url} refused the login as sam: ")),
        "{err}"
    );
    assert_eq!(
        err.matches("pump login").count() + err.matches("check").count(),
        1,
        "advice once: {err}"
    );

    // A session the server no longer knows: the login to type, in full.
    Connection::open(&d.db)
        .unwrap()
        .execute("UPDATE meta SET value = 'bogus' WHERE key = 'session_token'", [])
        .unwrap();
    let (code, _, err) = d.sync();
    assert_eq!(code, 77);
    assert!(
        err.ends_with(&format!("run `pump login --server {url} --user sam`\n")),
        "{err}"
    );
    let (_, err) = d.fails(&["devices"]);
    assert!(
        err.ends_with(&format!("run `pump login --server {url} --user sam`\n")),
        "{err}"
    );
    let out = d.cmd().arg("logout").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("Logged out of {url} (the server had already ended this session).\n")
    );
    let (_, _, err) = d.sync();
    assert_eq!(
        err,
        format!(
            "pump: this device is not logged in to a sync server: run `pump login --server {url} --user sam` (or \
             `pump register` for a new account)\n"
        )
    );

    // A file that is no database: one sentence.
    let bad = d.dir.path().join("bad.db");
    std::fs::write(&bad, "garbage").unwrap();
    let (code, err) = d.fails(&["--db", bad.to_str().unwrap(), "list"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "pump: {} is not a pump database (not even a SQLite file): point --db or PUMP_DB at a pump database file\n",
            bad.display()
        )
    );
}
