//! pump at scale: real `pump server start` processes on a real PostgreSQL,
//! behind one address, with devices driven through the real binary.

mod common;

use assert_cmd::Command;
use common::postgres::Cluster;
use common::{Backend, Device, Server, ServerState, assert_signed_out, seed_workouts, workout_ids};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The random schedule, replayable with PUMP_PG_SEED=N.
fn rng() -> StdRng {
    common::seeded_rng("PUMP_PG_SEED")
}

/// One address in front of several server processes, as a load balancer
/// is: each new connection goes to the next process in turn.
struct RoundRobin {
    url: String,
    /// Connections handed to each process so far.
    served: Arc<Vec<AtomicUsize>>,
}

impl RoundRobin {
    fn start(servers: &[&Server]) -> RoundRobin {
        let backends: Vec<SocketAddr> = servers
            .iter()
            .map(|s| s.url.trim_start_matches("http://").parse().unwrap())
            .collect();
        let served: Arc<Vec<AtomicUsize>> = Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let counts = served.clone();
        // Lives as long as the test process.
        std::thread::spawn(move || {
            for (n, client) in listener.incoming().enumerate() {
                let index = n % backends.len();
                counts[index].fetch_add(1, Ordering::Relaxed);
                if let (Ok(client), Ok(server)) = (client, TcpStream::connect(backends[index])) {
                    pipe(client, server);
                }
            }
        });
        RoundRobin { url, served }
    }
}

/// Copies bytes both ways until each side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    for (mut from, mut to) in [
        (client.try_clone().unwrap(), server.try_clone().unwrap()),
        (server, client),
    ] {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(std::net::Shutdown::Write);
        });
    }
}

/// What a device holds: workout id → (name, exercise → set count, clock).
type Holdings = BTreeMap<String, (String, BTreeMap<String, usize>, Value)>;

fn holdings(device: &Device) -> Holdings {
    let list = device.json(&["list", "--limit", "100000"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let exercises = w["exercises"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["name"].as_str().unwrap().to_string(),
                        e["sets"].as_array().unwrap().len(),
                    )
                })
                .collect();
            (
                w["id"].as_str().unwrap().to_string(),
                (w["name"].as_str().unwrap().to_string(), exercises, w["clock"].clone()),
            )
        })
        .collect()
}

/// Random writes and syncs on one device: it logs workouts, adds exercises
/// to its own, renames them, and syncs, recording what it wrote.
fn lift_and_sync(
    device: &Device,
    tag: &str,
    steps: usize,
    rng: &mut StdRng,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut written: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for step in 0..steps {
        let roll = rng.random_range(0..100);
        if roll < 35 || written.is_empty() {
            let sets = rng.random_range(1..=4);
            // As the catalogue spells it, so it reads back the same.
            let id = device.log(&[&format!("{tag} {step}"), "-e", &format!("Squat: {sets}x5@100kg")]);
            written.insert(id, BTreeMap::from([("Squat".to_string(), sets)]));
        } else if roll < 60 {
            let ids: Vec<String> = written.keys().cloned().collect();
            let id = &ids[rng.random_range(0..ids.len())];
            let sets = rng.random_range(1..=4);
            let exercise = format!("curl {step}");
            device.ok(&["edit", id, "-e", &format!("{exercise}: {sets}x10@20kg")]);
            written.get_mut(id).unwrap().insert(exercise, sets);
        } else if roll < 70 {
            let ids: Vec<String> = written.keys().cloned().collect();
            let id = &ids[rng.random_range(0..ids.len())];
            device.ok(&["edit", id, "--name", &format!("{tag} renamed at {step}")]);
        } else {
            // Only this device edits its workouts: nothing can conflict.
            device.sync_ok();
        }
    }
    written
}

#[test]
fn two_server_processes_on_one_database_give_three_devices_one_truth() {
    let state = ServerState::new(Backend::Postgres);
    let first = Server::start_on(&state, &["--open-registration"]);
    let second = Server::start_on(&state, &["--open-registration"]);
    let balancer = RoundRobin::start(&[&first, &second]);
    let devices: Vec<Device> = (0..3).map(|_| Device::new()).collect();
    for device in &devices {
        device.join_at(&balancer.url, &state.dir, "sam");
    }
    let mut seeds = rng();
    let schedules: Vec<StdRng> = (0..devices.len())
        .map(|_| StdRng::seed_from_u64(seeds.random()))
        .collect();
    // The three devices write and sync at the same time, each sync going to
    // whichever process the balancer picks next.
    let written: Vec<_> = std::thread::scope(|scope| {
        let lifters: Vec<_> = devices
            .iter()
            .zip(schedules)
            .enumerate()
            .map(|(i, (device, mut schedule))| {
                scope.spawn(move || lift_and_sync(device, &format!("device {i}"), 40, &mut schedule))
            })
            .collect();
        lifters.into_iter().map(|l| l.join().unwrap()).collect()
    });
    for _ in 0..2 {
        for device in &devices {
            device.sync_ok();
        }
    }
    let late = Device::new();
    late.join_at(&balancer.url, &state.dir, "sam");
    late.sync_ok();
    let expected: BTreeMap<String, BTreeMap<String, usize>> = written.into_iter().flatten().collect();
    let truth = holdings(&devices[0]);
    let sets: BTreeMap<String, BTreeMap<String, usize>> = truth
        .iter()
        .map(|(id, (_, exercises, _))| (id.clone(), exercises.clone()))
        .collect();
    assert_eq!(sets, expected, "every workout and every set, on every device");
    for device in devices.iter().skip(1).chain([&late]) {
        assert_eq!(holdings(device), truth, "names and clocks converged too");
        assert_eq!(device.json(&["status"])["pending"], 0);
    }
    for (process, served) in balancer.served.iter().enumerate() {
        assert!(
            served.load(Ordering::Relaxed) > 10,
            "process {process} served few requests"
        );
    }
}

/// A process keeps the sessions it authenticated (no lookup per sync); a
/// session ended through another process, or by the operator's command,
/// still stops working at its very next sync.
#[test]
fn a_session_ended_elsewhere_stops_at_once_on_every_process() {
    let state = ServerState::new(Backend::Postgres);
    let first = Server::start_on(&state, &["--open-registration"]);
    let second = Server::start_on(&state, &["--open-registration"]);
    let (laptop, phone, tablet) = (Device::new(), Device::new(), Device::new());
    laptop.join_at(&first.url, &state.dir, "sam");
    phone.join_at(&second.url, &state.dir, "sam");
    tablet.join_at(&second.url, &state.dir, "sam");
    for device in [&laptop, &phone, &tablet] {
        device.log(&["Push", "-e", "bench: 5@100kg"]);
        // Twice: the second sync is authenticated from the process's memory.
        device.sync_ok();
        device.sync_ok();
    }
    laptop.ok(&["devices", "revoke", &phone.device_id()[..8]]);
    assert_signed_out(&phone);
    Command::new(common::pump_bin())
        .args(["server", "sessions", "sam", "--revoke"])
        .args(state.args())
        .assert()
        .success();
    assert_signed_out(&tablet);
    assert_signed_out(&laptop);
    // Logging in again brings a device back, on the process that refused it.
    phone.join_at(&second.url, &state.dir, "sam");
    phone.sync_ok();
    assert_eq!(phone.json(&["list"]).as_array().unwrap().len(), 3);
}

/// `GET /health` through a fresh connection: status code and body.
fn health(server: &Server) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections(0)
        .build()
        .into();
    let mut response = agent.get(format!("{}/health", server.url)).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_json().unwrap_or(Value::Null))
}

#[test]
fn postgres_stopped_during_a_push_loses_nothing_and_the_server_recovers_by_itself() {
    let mut rng = rng();
    let cluster = Cluster::start();
    let url = cluster.database();
    let state = ServerState::on_postgres(url.clone());
    let server = Server::start_on(&state, &["--open-registration"]);
    let device = Device::new();
    device.join(&server, "sam");
    let mut expected: BTreeSet<String> = seed_workouts(&device.db, 2500, "A").into_iter().collect();
    for round in 0..3 {
        expected.extend(seed_workouts(&device.db, 300, &format!("A{round}")));
        let mut sync = device.spawn_sync();
        std::thread::sleep(Duration::from_millis(rng.random_range(50..800)));
        cluster.stop();
        let status = sync.wait().unwrap();
        assert!(
            matches!(status.code(), Some(0 | 75)),
            "a sync whose database went away must exit 75 (or 0 if it finished first): {status:?}"
        );
        // While PostgreSQL is down, the server says so at once.
        let started = Instant::now();
        device.log(&[&format!("Offline {round}")]);
        let (code, _, err) = device.sync();
        assert_eq!(code, 75, "{err}");
        assert!(err.contains("nothing was lost"), "{err}");
        let (status, body) = health(&server);
        assert_eq!((status, &body["status"]), (503, &Value::from("database unreachable")));
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        cluster.resume();
        // The same process reconnects by itself.
        let deadline = Instant::now() + Duration::from_secs(20);
        while health(&server).0 != 200 {
            assert!(
                Instant::now() < deadline,
                "the server did not recover: {:?}",
                health(&server)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    device.sync_ok();
    let fresh = Device::new();
    fresh.join(&server, "sam");
    fresh.sync_ok();
    let offline: BTreeSet<String> = workout_ids(&device.db).difference(&expected).cloned().collect();
    assert_eq!(offline.len(), 3, "the workouts logged while PostgreSQL was down");
    expected.extend(offline);
    assert_eq!(workout_ids(&fresh.db), expected);
    let counts = cluster.psql(
        url.rsplit('/').next().unwrap(),
        "SELECT count(*), count(DISTINCT seq), max(seq) <= (SELECT max(last_seq) FROM users) FROM rows",
    );
    assert_eq!(
        counts,
        format!("{0}|{0}|t", expected.len()),
        "every row once, each its own number"
    );
}

#[test]
fn the_database_password_comes_from_the_url_a_file_or_pgpassword_and_is_never_shown() {
    const PASSWORD: &str = "pg-s3cret-word";
    let cluster = Cluster::start_with_password(PASSWORD);
    let url = cluster.database();
    let add_user = |name: &str, database: &str| {
        let mut command = assert_cmd::Command::new(common::pump_bin());
        command
            .args(["server", "add-user", name, "--password-stdin", "--database", database])
            .env_remove("PGPASSWORD")
            .write_stdin("correct horse battery\n");
        command
    };
    let refused = add_user("nobody", &url).output().unwrap();
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(message.contains(&format!("cannot use the database {url}")), "{message}");

    let file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file.as_file(), "{PASSWORD}").unwrap();
    add_user("from_file", &url)
        .arg("--database-password-file")
        .arg(file.path())
        .assert()
        .success();
    add_user("from_env", &url)
        .env("PGPASSWORD", PASSWORD)
        .assert()
        .success();
    let with_password = url.replacen("@", &format!(":{PASSWORD}@"), 1);
    let added = add_user("from_url", &with_password).output().unwrap();
    assert!(added.status.success());
    let said = String::from_utf8_lossy(&added.stderr);
    assert!(
        said.contains(&format!("to {url}")) && !said.contains(PASSWORD),
        "{said}"
    );

    // A server whose database goes away logs why, never the password.
    let state = ServerState::on_postgres(with_password);
    let mut server = Server::start_on(&state, &[]);
    let device = Device::new();
    device.join(&server, "from_url");
    // An operator's account has no key until its first device makes one.
    device.ok(&["key", "--enable"]);
    device.log(&["Push day"]);
    device.sync_ok();
    cluster.stop();
    assert_eq!(device.sync().0, 75);
    server.kill();
    let log = std::fs::read_to_string(server.data.join("server.log")).unwrap();
    assert!(log.contains("503"), "{log}");
    assert!(!log.contains(PASSWORD), "{log}");
    let help = assert_cmd::Command::new(common::pump_bin())
        .args(["server", "start", "--help"])
        .env("PUMP_DATABASE_URL", url.replacen("@", &format!(":{PASSWORD}@"), 1))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains(PASSWORD));
}
