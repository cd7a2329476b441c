//! Shared test harness: a "device" is a temp folder with its own database and
//! config file, driven through the real `pump` binary; a server is a real
//! `pump server start` process on a loopback port.
#![allow(dead_code)] // each test binary uses its own part of the harness

pub mod hevy;
pub mod postgres;

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Mutex;
use tempfile::TempDir;

/// A random generator seeded from `variable` when it is set, else at
/// random; the seed is printed so a failing run can be replayed.
pub fn seeded_rng(variable: &str) -> rand::rngs::StdRng {
    let seed = std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    eprintln!("replay with {variable}={seed}");
    rand::SeedableRng::seed_from_u64(seed)
}

/// Writes `script` to `path` as an executable: a stand-in `$EDITOR`.
pub fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).expect("write the script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("make it executable");
}

/// Two numbers within a hundredth: figures in JSON are floats.
pub fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 0.01)
}

/// An export of another app, under `tests/fixtures/import`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Two devices of one account on `server`.
pub fn pair(server: &Server) -> (Device, Device) {
    let (a, b) = (Device::new(), Device::new());
    a.join(server, "sam");
    b.join(server, "sam");
    (a, b)
}

/// `path` with `suffix` appended to its file name (`pump.db` → `pump.db-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn pump_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pump"))
}

pub struct Device {
    pub dir: TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Device {
    pub fn new() -> Device {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("pump.db");
        let config = dir.path().join("config.toml");
        Device { dir, db, config }
    }

    /// A `pump` command bound to this device, with a fixed time zone and no
    /// editor so results do not depend on the machine running the tests.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(pump_bin());
        cmd.env("PUMP_DB", &self.db)
            .env("PUMP_CONFIG", &self.config)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .timeout(std::time::Duration::from_secs(120));
        cmd
    }

    /// Runs pump and returns stdout; panics with stderr on failure.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run pump");
        assert!(
            out.status.success(),
            "pump {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs pump expecting failure; returns (exit code, stderr).
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.cmd().args(args).output().expect("run pump");
        assert!(
            !out.status.success(),
            "pump {args:?} should have failed but printed:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("pump {args:?} --json is not JSON ({e}):\n{text}"))
    }

    /// Copies this device's database onto `other`'s, as README says to copy
    /// one by hand: the file together with its `-wal`, which holds the
    /// newest writes until SQLite moves them into the file.
    pub fn copy_database_to(&self, other: &Device) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&other.db, suffix));
        }
        std::fs::copy(&self.db, &other.db).expect("copy the database");
        let wal = with_suffix(&self.db, "-wal");
        if wal.exists() {
            std::fs::copy(&wal, with_suffix(&other.db, "-wal")).expect("copy the database's WAL");
        }
    }

    /// Logs a workout and returns its id.
    pub fn log(&self, args: &[&str]) -> String {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        self.ok(&all).trim().to_string()
    }

    pub fn workout(&self, id: &str) -> Value {
        self.json(&["show", id])
    }

    /// The session token this device keeps (it sends it to the server).
    pub fn session_token(&self) -> String {
        Connection::open(&self.db)
            .expect("open db")
            .query_row("SELECT value FROM meta WHERE key = 'session_token'", [], |r| r.get(0))
            .expect("a session token")
    }

    /// The names of the live workouts, sorted.
    pub fn workout_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .json(&["list"])
            .as_array()
            .expect("a list")
            .iter()
            .map(|w| w["name"].as_str().expect("a name").to_string())
            .collect();
        names.sort();
        names
    }

    /// A copy of this database that looks like the same file on the same
    /// machine (a restored VM snapshot): only sync can tell it apart.
    pub fn undetected_copy(&self) -> Device {
        let copy = Device::new();
        self.copy_database_to(&copy);
        Connection::open(&copy.db)
            .unwrap()
            .execute("DELETE FROM meta WHERE key = 'device_file'", [])
            .unwrap();
        copy
    }

    /// This database's device id (`pump device`).
    pub fn device_id(&self) -> String {
        self.json(&["device"])["id"].as_str().expect("a device id").to_string()
    }

    /// Every row of every table, for "the database did not change" checks.
    pub fn snapshot(&self) -> String {
        snapshot(&self.db)
    }
}

/// Writes `n` workouts through the library's one write path; returns their ids.
pub fn seed_workouts(db: &Path, n: usize, tag: &str) -> Vec<String> {
    seed_workouts_with_notes(db, n, tag, "")
}

/// [`seed_workouts`], each workout carrying `notes`.
pub fn seed_workouts_with_notes(db: &Path, n: usize, tag: &str, notes: &str) -> Vec<String> {
    let mut store = pump::store::Store::open(db).unwrap();
    (0..n)
        .map(|i| {
            let mut w = pump::model::Workout::new(format!("{tag} {i}"), chrono::Utc::now());
            w.notes = notes.to_string();
            w.add_sets(
                "squat",
                pump::model::parse_sets("3x5@100kg", pump::model::Unit::Kg).unwrap(),
            );
            let id = w.id.clone();
            store.write(&id, |_| Ok(Some(pump::store::Change::put(w)))).unwrap();
            id
        })
        .collect()
}

/// Live workout ids on a device, straight from its database.
pub fn workout_ids(db: &Path) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id FROM records WHERE kind = 'workout' AND deleted = 0")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

pub fn snapshot(db: &Path) -> String {
    if !db.exists() {
        return "<no database>".into();
    }
    let conn = Connection::open(db).expect("open db");
    let mut out = String::new();
    for (table, order) in [("records", "kind, id"), ("conflicts", "kind, id"), ("meta", "key")] {
        let sql = format!("SELECT * FROM {table} ORDER BY {order}");
        let Ok(mut stmt) = conn.prepare(&sql) else { continue };
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("query");
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.expect("row").join(" | ")));
        }
    }
    out
}

/// Which database a test server keeps its state in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `--data DIR`: SQLite, the default.
    Sqlite,
    /// `--database URL`: a fresh database on this test binary's PostgreSQL.
    Postgres,
}

/// A server's state, which outlives its processes: a folder (SQLite's
/// database, and the request log of every process) and, on PostgreSQL, the
/// database's URL.
pub struct ServerState {
    pub dir: PathBuf,
    pub postgres: Option<String>,
    _temp: Option<TempDir>,
}

impl ServerState {
    /// Fresh, empty state.
    pub fn new(backend: Backend) -> ServerState {
        let temp = tempfile::tempdir().expect("temp dir");
        let postgres = (backend == Backend::Postgres).then(|| postgres::shared().database());
        ServerState {
            dir: temp.path().to_path_buf(),
            postgres,
            _temp: Some(temp),
        }
    }

    /// State in a PostgreSQL database the caller made (on a cluster of its own).
    pub fn on_postgres(url: String) -> ServerState {
        let temp = tempfile::tempdir().expect("temp dir");
        ServerState {
            dir: temp.path().to_path_buf(),
            postgres: Some(url),
            _temp: Some(temp),
        }
    }

    /// SQLite state in a folder the caller owns.
    pub fn in_dir(dir: &Path) -> ServerState {
        ServerState {
            dir: dir.to_path_buf(),
            postgres: None,
            _temp: None,
        }
    }

    /// `--data DIR` or `--database URL`: what every `pump server` command
    /// needs to find this state.
    pub fn args(&self) -> Vec<std::ffi::OsString> {
        match &self.postgres {
            Some(url) => vec!["--database".into(), url.into()],
            None => vec!["--data".into(), self.dir.clone().into()],
        }
    }

    /// A copy of this state, taken while no server runs on it: a backup
    /// as the operator takes one (the SQLite files, or the PostgreSQL
    /// database on the shared cluster), ready to be started on.
    pub fn copy(&self) -> ServerState {
        let copy = match &self.postgres {
            Some(url) => ServerState::on_postgres(postgres::shared().copy_of(url)),
            None => self.copy_sqlite(),
        };
        // The copy holds the same accounts, so their keys open it too.
        let mut keys = ACCOUNT_KEYS.lock().unwrap();
        let copied: Vec<_> = keys
            .iter()
            .filter(|((data, _), _)| *data == self.dir)
            .map(|((_, user), key)| ((copy.dir.clone(), user.clone()), key.clone()))
            .collect();
        keys.extend(copied);
        copy
    }

    fn copy_sqlite(&self) -> ServerState {
        let copy = ServerState::new(Backend::Sqlite);
        for entry in std::fs::read_dir(&self.dir).expect("read the server's folder") {
            let path = entry.expect("a file").path();
            let name = path.file_name().expect("a file name").to_owned();
            if name.to_string_lossy().starts_with("server.db") {
                std::fs::copy(&path, copy.dir.join(name)).expect("copy a server file");
            }
        }
        copy
    }

    /// `pump server add-user NAME` on this state.
    pub fn add_user(&self, name: &str) {
        Command::new(pump_bin())
            .args(["server", "add-user", name, "--password-stdin"])
            .args(self.args())
            .write_stdin("correct horse battery\n")
            .assert()
            .success();
    }
}

/// A real `pump server start` on a free loopback port, killed on drop.
pub struct Server {
    pub url: String,
    pub data: PathBuf,
    child: Child,
    _state: Option<ServerState>,
}

impl Server {
    /// A server with open registration on fresh SQLite state.
    pub fn start() -> Server {
        Server::start_with(Backend::Sqlite)
    }

    /// A server with open registration on fresh state in `backend`.
    pub fn start_with(backend: Backend) -> Server {
        let state = ServerState::new(backend);
        let mut server = Server::start_on(&state, &["--open-registration"]);
        server._state = Some(state);
        server
    }

    /// Starts (or restarts) a SQLite server on an existing data folder.
    pub fn start_in(data: &Path, extra: &[&str]) -> Server {
        Server::start_on(&ServerState::in_dir(data), extra)
    }

    /// Starts a server process on `state`; several may share one
    /// PostgreSQL database.
    pub fn start_on(state: &ServerState, extra: &[&str]) -> Server {
        let (child, url) = spawn_server(state, "127.0.0.1:0", extra);
        Server {
            url,
            data: state.dir.clone(),
            child,
            _state: None,
        }
    }

    /// The state this server was started on by [`Server::start_with`].
    pub fn state(&self) -> &ServerState {
        self._state.as_ref().expect("a server that owns its state")
    }

    /// Stops this server and starts one on `state` at the same address: to
    /// its devices, the same server, restored from a backup or replaced by
    /// another. The server owns `state` from then on.
    pub fn restart_on(&mut self, state: ServerState, extra: &[&str]) {
        self.kill();
        let address = self.url.trim_start_matches("http://").to_string();
        let (child, url) = spawn_server(&state, &address, extra);
        assert_eq!(url, self.url);
        self.child = child;
        self.data = state.dir.clone();
        self._state = Some(state);
    }

    /// Stops this server and starts it again on its own state at the same
    /// address.
    pub fn restart(&mut self, extra: &[&str]) {
        let state = self._state.take().expect("a server that owns its state");
        self.restart_on(state, extra);
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `pump server start` on `state`, listening on `listen`; the process and
/// the URL it says it listens on.
fn spawn_server(state: &ServerState, listen: &str, extra: &[&str]) -> (Child, String) {
    // The request log, kept with the state for a failing test; every
    // process of one state appends to it.
    let log = std::fs::File::options()
        .create(true)
        .append(true)
        .open(state.dir.join("server.log"))
        .map(Stdio::from)
        .unwrap_or(Stdio::null());
    let mut child = std::process::Command::new(pump_bin())
        .args(["server", "start", "--listen", listen])
        .args(state.args())
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read listening line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| {
            panic!(
                "unexpected: {line:?}; the server log:\n{}",
                std::fs::read_to_string(state.dir.join("server.log")).unwrap_or_default()
            )
        })
        .to_string();
    (child, url)
}

/// The account key (hex) of each account a device registered through
/// [`Device::join`], by the server's data folder and the account name, as
/// `pump key` showed it: what later logins type in, also to the same
/// server restarted.
static ACCOUNT_KEYS: Mutex<BTreeMap<(PathBuf, String), String>> = Mutex::new(BTreeMap::new());

impl Device {
    /// Registers (first call for a user) or logs in to `server`, typing
    /// the account key the registering device showed.
    pub fn join(&self, server: &Server, user: &str) {
        self.join_at(&server.url, &server.data, user);
    }

    /// [`Device::join`] through `url` (a server, or a front for one) to
    /// the server whose data folder is `data`.
    pub fn join_at(&self, url: &str, data: &Path, user: &str) {
        let register = self
            .cmd()
            .args(["register", "--server", url, "--user", user, "--password-stdin"])
            .write_stdin("correct horse battery\n")
            .output()
            .expect("run pump");
        let account = (data.to_path_buf(), user.to_string());
        if register.status.success() {
            ACCOUNT_KEYS.lock().unwrap().insert(account, self.account_key());
            return;
        }
        let mut login = self.cmd();
        login.args(["login", "--server", url, "--user", user, "--password-stdin"]);
        match ACCOUNT_KEYS.lock().unwrap().get(&account) {
            Some(key) => login
                .arg("--key-stdin")
                .write_stdin(format!("correct horse battery\n{key}\n")),
            None => login.write_stdin("correct horse battery\n"),
        };
        login.assert().success();
    }

    /// The account key `pump key` shows, in hex.
    pub fn account_key(&self) -> String {
        let shown = self.ok(&["key"]);
        shown
            .lines()
            .find_map(|line| line.strip_prefix("hex:"))
            .expect("pump key shows the hex")
            .trim()
            .to_string()
    }

    /// `pump sync --non-interactive`; returns (exit code, stdout, stderr).
    pub fn sync(&self) -> (i32, String, String) {
        let out = self
            .cmd()
            .args(["sync", "--non-interactive"])
            .output()
            .expect("run pump sync");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `pump sync --non-interactive --quiet` in the background, to kill
    /// or race.
    pub fn spawn_sync(&self) -> Child {
        std::process::Command::new(pump_bin())
            .args(["sync", "--non-interactive", "--quiet"])
            .env("PUMP_DB", &self.db)
            .env("PUMP_CONFIG", &self.config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn pump sync")
    }

    pub fn sync_ok(&self) -> String {
        let (code, out, err) = self.sync();
        assert_eq!(code, 0, "sync failed: {out}{err}");
        out
    }
}

/// A device signed out: its next sync exits 77 with one line naming `pump login`.
pub fn assert_signed_out(device: &Device) {
    let (code, _, err) = device.sync();
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("pump login"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

/// A client that is not this pump (a newer pump, a hostile one) speaking
/// the protocol by hand, as the server requires of anyone: its own session,
/// bound to its own device id, and a lineage in every round.
pub struct RawClient {
    url: String,
    device_id: String,
    token: String,
    confirmed: Option<String>,
    rounds: usize,
    /// The account's keys when it is encrypted: a newer pump seals what it
    /// pushes and opens what it pulls, as this one does.
    keys: Option<pump::sync::crypto::RowKeys>,
}

impl RawClient {
    /// Logs in to `server` as `user` (with the harness's password) from
    /// the device `device_id`.
    pub fn log_in(server: &Server, user: &str, device_id: &str) -> RawClient {
        let credentials =
            serde_json::json!({"user": user, "password": "correct horse battery", "device_id": device_id});
        let (status, answer) = post_json(&server.url, "/v1/login", None, &credentials);
        assert_eq!(status, 200, "{answer}");
        let account = (server.data.clone(), user.to_string());
        let keys = ACCOUNT_KEYS
            .lock()
            .unwrap()
            .get(&account)
            .map(|hex| pump::sync::crypto::AccountKey::parse(hex).unwrap().row_keys());
        RawClient {
            url: server.url.clone(),
            device_id: device_id.to_string(),
            token: answer["token"].as_str().expect("a token").to_string(),
            confirmed: None,
            rounds: 0,
            keys,
        }
    }

    /// One round: `rows` pushed, a pull from `cursor`; the status and the
    /// answer. An accepted round confirms its lineage token.
    pub fn round(&mut self, cursor: u64, rows: Vec<Value>) -> (u16, Value) {
        let rows: Vec<Value> = rows.into_iter().map(|row| self.sealed(row)).collect();
        self.rounds += 1;
        let next = format!("{}-round-{}", self.device_id, self.rounds);
        let request = serde_json::json!({
            "protocol": 1, "device_id": self.device_id, "cursor": cursor, "rows": rows,
            "lineage": {"confirmed": self.confirmed, "next": next},
        });
        let (status, answer) = post_json(&self.url, "/v1/sync", Some(&self.token), &request);
        if status == 200 {
            self.confirmed = Some(next);
        }
        (status, self.opened(answer))
    }

    /// `row` as this client sends it: sealed for an encrypted account,
    /// unless it is not a row at all (a hostile test's), which goes as it is.
    fn sealed(&self, row: Value) -> Value {
        match (&self.keys, serde_json::from_value::<pump::sync::wire::Row>(row.clone())) {
            (Some(keys), Ok(open)) => {
                serde_json::to_value(pump::sync::sealed::seal(&open.to_text(), Some(keys))).unwrap()
            }
            _ => row,
        }
    }

    /// A sync answer with its rows opened, for the tests to read.
    fn opened(&self, mut answer: Value) -> Value {
        let Some(keys) = &self.keys else {
            return answer;
        };
        let open = |row: &mut Value| {
            let wire: pump::sync::wire::WireRow = serde_json::from_value(row.take()).unwrap();
            *row = serde_json::to_value(pump::sync::sealed::open(wire, Some(keys), None).unwrap()).unwrap();
        };
        if let Some(changes) = answer["changes"].as_array_mut() {
            changes.iter_mut().for_each(&open);
        }
        if let Some(results) = answer["results"].as_array_mut() {
            results
                .iter_mut()
                .filter(|result| result["server"].is_object())
                .for_each(|result| open(&mut result["server"]));
        }
        answer
    }
}

/// POSTs `body` as JSON; the status and the answer (`null` when it is not JSON).
fn post_json(url: &str, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut request = agent
        .post(format!("{url}{path}"))
        .header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body.to_string()).expect("send");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
