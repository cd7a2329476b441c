//! pump on a poor network, through the real binary: a sync whose rows fit
//! one page is one request; bodies cross compressed both ways, and a server
//! or client from before compression still syncs; the server's body limit
//! counts decoded bytes; an answer that stalls mid-way ends at the
//! configured timeout with exit 75 and nothing half-applied.

mod common;
#[path = "common/link.rs"]
mod link;

use common::{Device, Server, pair, seed_workouts, workout_ids};
use link::{Link, Shape};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How many sync requests the server has logged so far.
fn sync_requests(server: &Server) -> usize {
    std::fs::read_to_string(server.data.join("server.log"))
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains(" POST /v1/sync "))
        .count()
}

/// The JSON of every record body a device holds, in bytes: what a sync of
/// them all carries at the least, before compression.
fn body_bytes(device: &Device) -> u64 {
    let conn = rusqlite::Connection::open(&device.db).unwrap();
    conn.query_row("SELECT sum(length(body)) FROM records", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64
}

/// What a sync round changes on a device: its records and its cursor.
fn synced_state(device: &Device) -> String {
    let conn = rusqlite::Connection::open(&device.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT kind || ' ' || id || ' ' || clock || ' ' || pending || ' ' || deleted FROM records
             UNION ALL SELECT key || ' ' || value FROM meta WHERE key IN ('sync_cursor', 'server_id', 'last_sync')
             ORDER BY 1",
        )
        .unwrap();
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    lines.join("\n")
}

fn pending(device: &Device) -> i64 {
    let conn = rusqlite::Connection::open(&device.db).unwrap();
    conn.query_row("SELECT count(*) FROM records WHERE pending = 1", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_sync_whose_rows_fit_one_page_is_one_request() {
    let server = Server::start();
    let (a, b) = pair(&server);
    a.log(&["Push day", "-e", "bench press: 3x5@100kg"]);
    a.log(&["Pull day", "-e", "barbell row: 3x8@80kg"]);
    let before = sync_requests(&server);
    assert!(a.sync_ok().contains("sent 2,"));
    assert_eq!(
        sync_requests(&server) - before,
        1,
        "the push and its pull in one request"
    );

    let before = sync_requests(&server);
    assert!(b.sync_ok().contains("received 2,"));
    assert_eq!(sync_requests(&server) - before, 1, "a pull that fits one page");
    assert_eq!(workout_ids(&a.db), workout_ids(&b.db));

    // Both devices wrote since: each sync still pushes and pulls in one.
    a.log(&["Legs", "-e", "squat: 5x5@140kg"]);
    b.log(&["Upper", "-e", "dips: 3x10@bw"]);
    a.sync_ok();
    let before = sync_requests(&server);
    let out = b.sync_ok();
    assert!(out.contains("sent 1, received 1,"), "{out}");
    assert_eq!(sync_requests(&server) - before, 1);
    assert_eq!(pending(&b), 0);
}

#[test]
fn sync_bodies_cross_the_network_compressed_both_ways() {
    let server = Server::start();
    let link = Link::start(&server.url, Shape::default());
    let (a, b) = (Device::new(), Device::new());
    a.join_at(&link.url, &server.data, "sam");
    b.join_at(&link.url, &server.data, "sam");
    seed_workouts(&a.db, 60, "Backlog");
    let bodies = body_bytes(&a);

    let (up, down) = (link.bytes_up(), link.bytes_down());
    assert!(a.sync_ok().contains("sent 60,"));
    assert!(b.sync_ok().contains("received 60,"));
    let (pushed, pulled) = (link.bytes_up() - up, link.bytes_down() - down);
    // Each request and answer is compressed, headers and all: the push's
    // bytes up and the pull's bytes down each well under the bodies alone
    // (which travel sealed, compressed before they were encrypted, beside
    // ids, clocks, nonces and digests that do not compress).
    assert!(
        pushed * 3 < bodies * 2 && pulled * 3 < bodies * 2,
        "{pushed} up, {pulled} down for {bodies} bytes of bodies"
    );
    assert_eq!(workout_ids(&a.db), workout_ids(&b.db));
}

/// One HTTP exchange by hand: status, headers, body as text (decoded by
/// ureq when gzip), with `accept` as Accept-Encoding (none when `None`).
fn post(url: &str, token: &str, accept: Option<&str>, encoding: Option<&str>, body: Vec<u8>) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .accept_encoding(accept.unwrap_or(""))
        .build()
        .into();
    let mut request = agent
        .post(format!("{url}/v1/sync"))
        .header("Content-Type", "application/json")
        .header("Authorization", format!("Bearer {token}"));
    if let Some(encoding) = encoding {
        request = request.header("Content-Encoding", encoding);
    }
    let mut response = request.send(&body[..]).unwrap();
    let coding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), coding, text)
}

/// A pull of everything, as a device with its own session asks it (the
/// same lineage each time: a retried round to the server).
fn pull_request(device: &Device) -> Vec<u8> {
    let lineage = serde_json::json!({"confirmed": null, "next": "by-hand"});
    serde_json::json!({"protocol": 1, "device_id": device.device_id(), "cursor": 0, "rows": [], "lineage": lineage})
        .to_string()
        .into_bytes()
}

#[test]
fn a_client_from_before_compression_gets_plain_or_gzip_answers() {
    let server = Server::start();
    let (a, b) = pair(&server);
    seed_workouts(&a.db, 30, "Backlog");
    a.sync_ok();
    let token = b.session_token();
    let link = Link::start(&server.url, Shape::default());
    // No Accept-Encoding at all: plain JSON.
    let (status, coding, text) = post(&link.url, &token, None, None, pull_request(&b));
    assert_eq!((status, coding.as_str()), (200, ""), "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["changes"].as_array().unwrap().len(), 30);
    let plain = link.bytes_down();
    // What every pump before compression sent (ureq's default, which
    // decodes the answer itself): gzip.
    let (status, _, text) = post(&link.url, &token, Some("gzip"), None, pull_request(&b));
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["changes"].as_array().unwrap().len(), 30);
    let gzipped = link.bytes_down() - plain;
    // Sealed bodies are compressed already (and then encrypted): gzip wins
    // back their base64 and the JSON around them.
    assert!(gzipped * 4 < plain * 3, "{gzipped} bytes gzipped, {plain} plain");
    // A gzip request body is read as well as a zstd one.
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(&pull_request(&b)).unwrap();
    let (status, _, text) = post(&server.url, &token, None, Some("gzip"), gzip.finish().unwrap());
    assert_eq!(status, 200, "{text}");
}

#[test]
fn the_body_limit_counts_decoded_bytes_so_a_compression_bomb_gets_413() {
    let server = Server::start_on(
        &common::ServerState::new(common::Backend::Sqlite),
        &["--open-registration", "--max-body-mib", "1"],
    );
    let device = Device::new();
    device.join(&server, "sam");
    let token = device.session_token();
    // 64 MiB of blanks, a few kilobytes once packed.
    let bomb = vec![b' '; 64 << 20];
    let zstd = zstd::bulk::compress(&bomb, 3).unwrap();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bomb).unwrap();
    let gzip = gzip.finish().unwrap();
    assert!(zstd.len() < 64 << 10 && gzip.len() < 1 << 20);
    for (encoding, body) in [("zstd", zstd), ("gzip", gzip)] {
        let (status, _, text) = post(&server.url, &token, None, Some(encoding), body);
        assert_eq!(status, 413, "{encoding}: {text}");
        let error: Value = serde_json::from_str(&text).unwrap();
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .contains("larger than this server's limit"),
            "{text}"
        );
    }
    // A body that is not what it says it is: one sentence, no crash.
    let (status, _, text) = post(&server.url, &token, None, Some("zstd"), b"not zstd at all".to_vec());
    assert_eq!(status, 400, "{text}");
    assert!(serde_json::from_str::<Value>(&text).unwrap()["error"].is_string());
    let (status, _, text) = post(&server.url, &token, None, Some("br"), pull_request(&device));
    assert_eq!(status, 415, "{text}");
    assert!(text.contains("zstd, gzip"), "{text}");
    // The server still serves.
    assert!(device.sync_ok().contains("sent 0, received 0"));
}

/// A pump server from before compression, in front of a real one: it
/// parses every body as JSON, so a compressed one is a 400 (what such a
/// server answered); everything else goes through, without Accept-Encoding
/// (it never compressed its answers). Keeps the request heads it saw.
fn server_before_compression(upstream: &str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut head = Vec::new();
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                let lower = line.to_ascii_lowercase();
                if let Some(value) = lower.strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if !lower.starts_with("accept-encoding:") && !lower.starts_with("connection:") {
                    head.push(line.clone());
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let text = head.concat();
            log.lock().unwrap().push(text.clone());
            let mut client = reader.into_inner();
            if text.to_ascii_lowercase().contains("content-encoding: zstd") {
                let error = r#"{"error":"the request body is not the JSON this endpoint expects: expected value at line 1 column 1"}"#;
                let _ = write!(
                    client,
                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{error}",
                    error.len()
                );
                continue;
            }
            let mut server = TcpStream::connect(&upstream).unwrap();
            server.write_all(text.as_bytes()).unwrap();
            server.write_all(b"connection: close\r\n\r\n").unwrap();
            server.write_all(&body).unwrap();
            let _ = std::io::copy(&mut server, &mut client);
        }
    });
    (url, seen)
}

#[test]
fn a_server_from_before_compression_gets_plain_json_after_one_refusal() {
    let server = Server::start();
    let (old, seen) = server_before_compression(&server.url);
    let a = Device::new();
    a.join_at(&old, &server.data, "sam");
    seed_workouts(&a.db, 30, "Backlog");
    let out = a.sync_ok();
    assert!(out.contains("sent 30,"), "{out}");
    let heads = seen.lock().unwrap().clone();
    let syncs: Vec<&String> = heads.iter().filter(|h| h.starts_with("POST /v1/sync")).collect();
    let compressed = syncs
        .iter()
        .filter(|h| h.to_ascii_lowercase().contains("content-encoding: zstd"))
        .count();
    assert_eq!((syncs.len(), compressed), (2, 1), "one refused, then plain: {syncs:?}");
    let b = Device::new();
    b.join(&server, "sam");
    assert!(b.sync_ok().contains("received 30,"));
}

#[test]
fn an_answer_that_stalls_ends_at_the_timeout_with_exit_75_and_nothing_applied() {
    let server = Server::start();
    let a = Device::new();
    a.join(&server, "sam");
    seed_workouts(&a.db, 40, "Theirs");
    a.sync_ok();
    let link = Link::start(&server.url, Shape::default());
    let b = Device::new();
    b.join_at(&link.url, &server.data, "sam");
    b.ok(&["config", "set", "timeout", "1"]);
    b.log(&["Mine", "-e", "squat: 5x5@140kg"]);
    let before = synced_state(&b);
    // The answer's head and a little of its body, then nothing.
    link.stall_answers_after(400);
    let (code, out, err) = b.sync();
    assert_eq!(code, 75, "{out}{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("try again later"), "{err}");
    assert_eq!(synced_state(&b), before, "nothing of the stalled round is applied");

    // The link recovers: the retry completes, the push counted once.
    link.stall_answers_after(u64::MAX);
    let out = b.sync_ok();
    assert!(out.contains("received 40,"), "{out}");
    assert_eq!(workout_ids(&b.db).len(), 41);
    a.sync_ok();
    assert_eq!(workout_ids(&a.db), workout_ids(&b.db));
}
