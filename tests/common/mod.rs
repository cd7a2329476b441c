//! Shared test harness: a "device" is a temp folder with its own database and
//! config file, driven through the real `pump` binary; a server is a real
//! `pump server start` process on a loopback port.
#![allow(dead_code)] // each test binary uses its own part of the harness

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use tempfile::TempDir;

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

    /// This database's device id (`pump device`).
    pub fn device_id(&self) -> String {
        self.json(&["device"])["id"].as_str().expect("a device id").to_string()
    }

    /// Every row of every table, for "the database did not change" checks.
    pub fn snapshot(&self) -> String {
        snapshot(&self.db)
    }
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

/// A real `pump server start` on a free loopback port, killed on drop.
pub struct Server {
    pub url: String,
    pub data: PathBuf,
    child: Child,
    _dir: Option<TempDir>,
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().to_path_buf();
        let mut server = Server::start_in(&data, &["--open-registration"]);
        server._dir = Some(dir);
        server
    }

    /// Starts (or restarts) a server on an existing data folder.
    pub fn start_in(data: &Path, extra: &[&str]) -> Server {
        let (child, url) = spawn_server(data, "127.0.0.1:0", extra);
        Server {
            url,
            data: data.to_path_buf(),
            child,
            _dir: None,
        }
    }

    /// Stops this server and starts one on `data` at the same address: to
    /// its devices, the same server, restored from a backup or replaced.
    pub fn restart_in(&mut self, data: &Path, extra: &[&str]) {
        self.kill();
        let address = self.url.trim_start_matches("http://").to_string();
        let (child, url) = spawn_server(data, &address, extra);
        assert_eq!(url, self.url);
        self.child = child;
        self.data = data.to_path_buf();
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

/// `pump server start` on `data`, listening on `listen`; the process and
/// the URL it says it listens on.
fn spawn_server(data: &Path, listen: &str, extra: &[&str]) -> (Child, String) {
    let mut child = std::process::Command::new(pump_bin())
        .args(["server", "start", "--listen", listen, "--data"])
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        // The request log, kept with the server's data for a failing test.
        .stderr(
            std::fs::File::create(data.join("server.log"))
                .map(Stdio::from)
                .unwrap_or(Stdio::null()),
        )
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
        .unwrap_or_else(|| panic!("unexpected: {line}"))
        .to_string();
    (child, url)
}

impl Device {
    /// Registers (first call for a user) or logs in to `server`.
    pub fn join(&self, server: &Server, user: &str) {
        let register = self
            .cmd()
            .args(["register", "--server", &server.url, "--user", user, "--password-stdin"])
            .write_stdin("correct horse battery\n")
            .output()
            .expect("run pump");
        if !register.status.success() {
            self.cmd()
                .args(["login", "--server", &server.url, "--user", user, "--password-stdin"])
                .write_stdin("correct horse battery\n")
                .assert()
                .success();
        }
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

    pub fn sync_ok(&self) -> String {
        let (code, out, err) = self.sync();
        assert_eq!(code, 0, "sync failed: {out}{err}");
        out
    }
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
}

impl RawClient {
    /// Logs in to `server` as `user` (with the harness's password) from
    /// the device `device_id`.
    pub fn log_in(server: &Server, user: &str, device_id: &str) -> RawClient {
        let credentials =
            serde_json::json!({"user": user, "password": "correct horse battery", "device_id": device_id});
        let (status, answer) = post_json(&server.url, "/v1/login", None, &credentials);
        assert_eq!(status, 200, "{answer}");
        RawClient {
            url: server.url.clone(),
            device_id: device_id.to_string(),
            token: answer["token"].as_str().expect("a token").to_string(),
            confirmed: None,
            rounds: 0,
        }
    }

    /// One round: `rows` pushed, a pull from `cursor`; the status and the
    /// answer. An accepted round confirms its lineage token.
    pub fn round(&mut self, cursor: u64, rows: Vec<Value>) -> (u16, Value) {
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
        (status, answer)
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
