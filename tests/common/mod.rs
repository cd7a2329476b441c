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
        let mut child = std::process::Command::new(pump_bin())
            .args(["server", "start", "--listen", "127.0.0.1:0", "--data"])
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
        Server {
            url,
            data: data.to_path_buf(),
            child,
            _dir: None,
        }
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
