//! Crashes and concurrency through the real binary: `pump sync` and the
//! server killed with SIGKILL at random moments, and a cron-style sync loop
//! racing a lifter logging sets as fast as possible.

mod common;

use common::{Device, Server, seed_workouts, workout_ids};
use rand::Rng;
use rand::rngs::StdRng;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

/// Kills per test in CI; raise with PUMP_CRASH_KILLS for a longer run.
fn kills() -> usize {
    std::env::var("PUMP_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

/// The random schedule, replayable with PUMP_CRASH_SEED=N.
fn rng() -> StdRng {
    common::seeded_rng("PUMP_CRASH_SEED")
}

/// A device on tmpfs when there is one: a crash test is about SQLite's
/// atomicity under SIGKILL (the page cache survives a killed process), and
/// skipping the disk's fsyncs keeps the test fast.
fn device() -> Device {
    let dir = fast_dir();
    let db = dir.path().join("pump.db");
    let config = dir.path().join("config.toml");
    Device { dir, db, config }
}

fn fast_dir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().unwrap())
}

fn integrity_ok(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let result: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(result, "ok", "{} is damaged", db.display());
}

fn server_ids(data: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id FROM rows WHERE kind = 'workout' AND deleted = 0 ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn sync_killed_at_random_moments_loses_nothing() {
    let mut rng = rng();
    let data = fast_dir();
    let server = Server::start_in(data.path(), &["--open-registration"]);
    let (a, b) = (device(), device());
    a.join(&server, "sam");
    b.join(&server, "sam");
    let mut expected: BTreeSet<String> = seed_workouts(&a.db, 3000, "A").into_iter().collect();
    expected.extend(seed_workouts(&b.db, 500, "B"));
    // Each round adds 100 workouts per side. Kill moments spread over twice
    // as long as such a sync takes on this machine and build (a release
    // build is several times faster than a debug one), so most land
    // mid-sync and some after the end; the first round, with the big
    // backlog, is always cut short.
    let window = {
        let probe_server = Server::start();
        let probe = device();
        probe.join(&probe_server, "probe");
        seed_workouts(&probe.db, 100, "P");
        let started = Instant::now();
        probe.sync_ok();
        started.elapsed() * 2
    };
    let mut killed_mid_sync = 0;
    for round in 0..kills() {
        // More backlog each round, on both sides, so every kill lands in real work.
        expected.extend(seed_workouts(&a.db, 100, &format!("A{round}")));
        expected.extend(seed_workouts(&b.db, 100, &format!("B{round}")));
        let (mut push, mut pull) = (a.spawn_sync(), b.spawn_sync());
        let wait = rng.random_range(0..window.as_millis() as u64);
        std::thread::sleep(Duration::from_millis(wait));
        for child in [&mut push, &mut pull] {
            if child.try_wait().unwrap().is_none() {
                killed_mid_sync += 1;
            }
        }
        let _ = push.kill();
        let _ = pull.kill();
        let _ = push.wait();
        let _ = pull.wait();
        integrity_ok(&a.db);
        integrity_ok(&b.db);
        integrity_ok(&server.data.join("server.db"));
    }
    assert!(
        killed_mid_sync >= kills() / 2,
        "only {killed_mid_sync} kills landed during a sync"
    );
    for d in [&a, &b, &a] {
        d.sync_ok();
    }
    assert_eq!(workout_ids(&a.db), expected, "A holds every workout");
    assert_eq!(workout_ids(&b.db), expected, "B holds every workout");
    let on_server = server_ids(&server.data);
    assert_eq!(on_server.len(), expected.len());
    assert_eq!(on_server.into_iter().collect::<BTreeSet<_>>(), expected);
    for d in [&a, &b] {
        assert_eq!(d.json(&["status"])["pending"], 0);
    }
}

#[test]
fn server_killed_during_a_large_push_restarts_with_nothing_lost_or_doubled() {
    let mut rng = rng();
    let dir = fast_dir();
    let mut server = Server::start_in(dir.path(), &["--open-registration"]);
    let a = device();
    a.join(&server, "sam");
    let expected: BTreeSet<String> = seed_workouts(&a.db, 3000, "A").into_iter().collect();
    for _ in 0..3 {
        let mut sync = a.spawn_sync();
        std::thread::sleep(Duration::from_millis(rng.random_range(20..600)));
        server.kill();
        let status = sync.wait().unwrap();
        assert!(
            matches!(status.code(), Some(0 | 75)),
            "a sync whose server died must exit 75 (or 0 if it finished first): {status:?}"
        );
        integrity_ok(&dir.path().join("server.db"));
        integrity_ok(&a.db);
        server = Server::start_in(dir.path(), &["--open-registration"]);
        // The restarted server listens on a new port: log in to it.
        a.join(&server, "sam");
    }
    a.sync_ok();
    let fresh = device();
    fresh.join(&server, "sam");
    fresh.sync_ok();
    assert_eq!(workout_ids(&fresh.db), expected);
    let rows = server_ids(dir.path());
    assert_eq!(rows.len(), expected.len(), "no row stored twice");
    let conn = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
    let (distinct_seqs, last_seq): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(DISTINCT seq) FROM rows), (SELECT max(last_seq) FROM users)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(distinct_seqs as usize, expected.len());
    assert!(last_seq as usize >= expected.len());
}

#[test]
fn cron_sync_loop_while_logging_sets_as_fast_as_possible() {
    let server = Server::start();
    let a = device();
    a.join(&server, "sam");
    let id = a.ok(&["start", "Busy session"]).trim().to_string();
    let stop = Instant::now() + Duration::from_secs(4);
    let (db, config) = (a.db.clone(), a.config.clone());
    let adder = std::thread::spawn(move || {
        let mut added = 0;
        while Instant::now() < stop {
            let out = std::process::Command::new(common::pump_bin())
                .args(["add", "squat", &format!("{}@100kg", added % 20 + 1)])
                .env("PUMP_DB", &db)
                .env("PUMP_CONFIG", &config)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "pump add failed during a sync: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            added += 1;
        }
        added
    });
    let mut syncs = 0;
    while Instant::now() < stop {
        let (code, out, err) = a.sync();
        assert!(matches!(code, 0 | 75), "cron sync exited {code}: {out}{err}");
        syncs += 1;
    }
    let added = adder.join().expect("the adder thread");
    assert!(added > 5 && syncs > 1, "only {added} adds and {syncs} syncs ran");
    a.sync_ok();
    let fresh = device();
    fresh.join(&server, "sam");
    fresh.sync_ok();
    let w = fresh.workout(&id);
    let sets = w["exercises"][0]["sets"].as_array().unwrap().len();
    assert_eq!(sets, added, "every set logged during the syncs reached the server");
    assert_eq!(w["clock"], a.workout(&id)["clock"]);
}

/// A command keeps the WAL for the next one instead of moving it into the
/// file and deleting it on close (which cost four fsyncs on top of the
/// commit's own: the checkpoint's two, then the next command creating the
/// WAL again and syncing its header and folder). What it wrote is in the
/// database as a whole (the file and its WAL), and a big write (an import
/// of a backup) does not leave a big WAL behind for every later command to
/// read through.
#[test]
fn a_command_keeps_the_wal_and_a_big_write_does_not_leave_it_big() {
    let a = Device::new();
    seed_workouts(&a.db, 1500, "Old");
    let first = a.log(&["Push", "-e", "bench press: 5@100kg"]);
    let wal = common::with_suffix(&a.db, "-wal");
    assert!(
        std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
        "the WAL stays beside the database after `pump log`"
    );
    let second = a.log(&["Pull", "-e", "row: 8@60kg"]);
    let copy = Device::new();
    a.copy_database_to(&copy);
    let copied = workout_ids(&copy.db);
    assert!(copied.contains(&first) && copied.contains(&second) && copied.len() == 1502);

    let backup = a.dir.path().join("backup.json");
    a.ok(&["export", "-o", backup.to_str().unwrap()]);
    let b = Device::new();
    b.ok(&["import", backup.to_str().unwrap()]);
    b.log(&["Legs", "-e", "squat: 5@140kg"]);
    let size = std::fs::metadata(common::with_suffix(&b.db, "-wal")).unwrap().len();
    assert!(
        size <= 2 << 20,
        "after a big import the WAL went back to its usual size, not {size} bytes"
    );
    assert_eq!(workout_ids(&b.db).len(), 1503);
}

/// Commands that each write once (weigh-ins, edits) keep the WAL at its
/// usual size: only a second write in the same process used to start it
/// over after a checkpoint (as `pump log`'s record cache does), so a run
/// of single writes grew it without end (4 MB after 120 weigh-ins, 13.9
/// MB after 400), and every command read all of it on open.
#[test]
fn single_writes_do_not_grow_the_wal_without_end() {
    let a = Device::new();
    for i in 0..120 {
        a.ok(&["weight", &format!("80.{}", i % 10)]);
    }
    let size = std::fs::metadata(common::with_suffix(&a.db, "-wal")).unwrap().len();
    assert!(size <= 2 << 20, "the WAL grew to {size} bytes");
    let weights = a.ok(&["weight"]);
    assert!(weights.contains("80.9"), "{weights}");
}

/// With the WAL kept, a `pump log` waits for the disk twice, not five
/// times: its commit (the WAL, so the write is durable when the command
/// returns), and the one sync of the WAL's folder SQLite makes in every
/// process that writes. Counted with strace (`scripts/test` installs it).
#[test]
fn a_pump_log_syncs_its_commit_and_nothing_more() {
    if std::process::Command::new("strace").arg("-V").output().is_err() {
        panic!("strace is not installed: apt-get install -y strace (scripts/test does it)");
    }
    let a = Device::new();
    a.log(&["Warm-up", "-e", "squat: 5@60kg"]);
    let trace = a.dir.path().join("trace.txt");
    let out = std::process::Command::new("strace")
        // -y names each descriptor's file, so the commit's sync can be told apart.
        .args(["-f", "-y", "-e", "trace=fsync,fdatasync", "-o"])
        .arg(&trace)
        .arg(common::pump_bin())
        .args(["log", "Push", "-e", "bench press: 4x5@100kg/8", "-e", "dips: 4x10@bw"])
        .env("PUMP_DB", &a.db)
        .env("PUMP_CONFIG", &a.config)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&trace).unwrap();
    let syncs: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("fsync(") || l.contains("fdatasync("))
        .collect();
    assert!(
        syncs.iter().any(|l| l.contains("-wal>")),
        "the commit must reach the disk before pump log returns: {syncs:?}"
    );
    assert!(
        syncs.len() <= 2,
        "the commit's sync and the folder's, nothing more: {syncs:?}"
    );
}
