//! A throw-away PostgreSQL cluster for the tests and the bench that need
//! one: `initdb` into a temporary directory, `pg_ctl start` on a free
//! loopback port, run as an unprivileged user (PostgreSQL refuses to run as
//! root, and CI runs as root). One shared cluster per process, started on
//! first use and stopped when the process exits, with a fresh database per
//! test; a test that stops PostgreSQL on purpose starts a cluster of its own.
//!
//! The library's unit tests, the integration tests and the bench all
//! include this one file (`#[path]`), so it uses only std, libc and tempfile.
#![allow(dead_code)] // each includer uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cluster's superuser; it logs in without a password (`trust`), over
/// loopback only.
pub const SUPERUSER: &str = "pump_test";

/// Durable against a crash of PostgreSQL (every commit is written to the
/// OS), not of the machine: fsync is off for speed.
const FOR_TESTS: &str = "-c fsync=off -c full_page_writes=off";

const INSTALL_HINT: &str = "PostgreSQL is needed for this test and its binaries (initdb, pg_ctl, postgres) are not \
                            under /usr/lib/postgresql/*/bin: run scripts/test, or apt-get install -y postgresql";

/// A running PostgreSQL cluster in a temporary directory.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// Who runs the server when this process is root.
    runs_as: Option<Account>,
    /// The superuser's password, when TCP logins need one.
    password: Option<String>,
    /// `-c name=value` settings beyond listening on loopback.
    settings: &'static str,
    databases: AtomicUsize,
}

#[derive(Clone)]
struct Account {
    name: String,
    uid: u32,
    gid: u32,
}

/// The cluster every test of this process shares, started on first use.
/// Each test takes its own database with [`Cluster::database`].
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    extern "C" fn stop_shared() {
        if let Some(cluster) = SHARED.get() {
            cluster.stop();
            let _ = std::fs::remove_dir_all(cluster.dir.path());
        }
    }
    SHARED.get_or_init(|| {
        let cluster = Cluster::start();
        // A static is never dropped: stop the server when the process exits.
        // SAFETY: registers a plain `extern "C" fn` that takes no arguments.
        unsafe { libc::atexit(stop_shared) };
        cluster
    })
}

impl Cluster {
    /// A new cluster of the caller's own, stopped and removed on drop.
    pub fn start() -> Cluster {
        Cluster::start_with(None, FOR_TESTS)
    }

    /// A cluster whose TCP logins need `password` (SCRAM), for tests of how
    /// pump is given one. [`Cluster::url`] leaves it out.
    pub fn start_with_password(password: &str) -> Cluster {
        Cluster::start_with(Some(password), FOR_TESTS)
    }

    /// A cluster with PostgreSQL's own durability settings (every commit
    /// flushed to disk), as production runs it: for the bench.
    pub fn start_durable() -> Cluster {
        Cluster::start_with(None, "")
    }

    fn start_with(password: Option<&str>, settings: &'static str) -> Cluster {
        let bin = binaries().unwrap_or_else(|| panic!("{INSTALL_HINT}"));
        let runs_as = unprivileged_account();
        // A test cluster lives in memory when it can: it never flushes, and
        // every test's database is megabytes to write and remove on disk.
        let shm = Path::new("/dev/shm");
        let parent = if settings == FOR_TESTS && shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("pump-pg-")
            .tempdir_in(parent)
            .expect("temp dir for PostgreSQL");
        if let Some(account) = &runs_as {
            std::os::unix::fs::chown(dir.path(), Some(account.uid), Some(account.gid))
                .expect("hand the cluster's directory to its user");
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            runs_as,
            password: password.map(str::to_string),
            settings,
            databases: AtomicUsize::new(0),
        };
        let data = cluster.data_dir();
        let mut initdb = vec![
            "-D",
            &data,
            "-U",
            SUPERUSER,
            "--no-sync",
            "--encoding=UTF8",
            "--locale=C",
        ];
        let password_file = cluster.dir.path().join("password");
        let password_option = format!("--pwfile={}", password_file.display());
        match password {
            Some(password) => {
                std::fs::write(&password_file, password).expect("write the password file");
                if let Some(account) = &cluster.runs_as {
                    std::os::unix::fs::chown(&password_file, Some(account.uid), Some(account.gid))
                        .expect("hand the password file to the cluster's user");
                }
                initdb.extend(["--auth-local=trust", "--auth-host=scram-sha-256", &password_option]);
            }
            None => initdb.push("--auth=trust"),
        }
        cluster.run("initdb", &initdb);
        // The port is free when asked, but another process may take it
        // before PostgreSQL binds it: try a few.
        for _ in 0..5 {
            cluster.port = free_port();
            if cluster.try_resume() {
                return cluster;
            }
        }
        panic!(
            "PostgreSQL did not start; its log:\n{}",
            std::fs::read_to_string(cluster.log_file()).unwrap_or_default()
        );
    }

    /// A new, empty database; returns its URL.
    pub fn database(&self) -> String {
        let name = format!("test_{}", self.databases.fetch_add(1, Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// A new database holding a copy of the database at `url` (on this
    /// cluster), as a backup of it is taken or restored; returns its URL.
    /// Whoever used the original must have gone: PostgreSQL copies only an
    /// idle database (and waits a few seconds for the last sessions to end).
    pub fn copy_of(&self, url: &str) -> String {
        let original = url.rsplit('/').next().expect("a database name");
        let name = format!("test_{}", self.databases.fetch_add(1, Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name} TEMPLATE {original}"));
        self.url(&name)
    }

    /// The URL of database `name`, without a password.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs `sql` in database `name` with psql; returns its unaligned output.
    pub fn psql(&self, name: &str, sql: &str) -> String {
        let port = self.port.to_string();
        let mut psql = Command::new(self.bin.join("psql"));
        if let Some(password) = &self.password {
            psql.env("PGPASSWORD", password);
        }
        let output = psql
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p"])
            .args([port.as_str(), "-U", SUPERUSER, "-d", name, "-c", sql])
            .output()
            .expect("run psql");
        assert!(output.status.success(), "psql {sql:?}: {}", text(&output.stderr));
        text(&output.stdout)
    }

    /// Stops the server the hard way, as a crash or a pulled plug would
    /// (`pg_ctl stop -m immediate`). [`Cluster::resume`] starts it again.
    pub fn stop(&self) {
        let data = self.data_dir();
        // Already stopped is fine: that is what was asked.
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
    }

    /// Starts a stopped cluster again on the same port.
    pub fn resume(&self) {
        assert!(
            self.try_resume(),
            "PostgreSQL did not start again; its log:\n{}",
            std::fs::read_to_string(self.log_file()).unwrap_or_default()
        );
    }

    fn try_resume(&self) -> bool {
        let data = self.data_dir();
        let log = self.log_file();
        let server_options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300 {}",
            self.port,
            self.dir.path().display(),
            self.settings
        );
        self.command("pg_ctl")
            .args([
                "-D",
                &data,
                "-l",
                &log,
                "-w",
                "-t",
                "60",
                "-o",
                &server_options,
                "start",
            ])
            .output()
            .is_ok_and(|output| output.status.success())
    }

    /// The process id of the running server (the postmaster), whose
    /// children are its backends: for the bench's CPU accounting.
    pub fn server_pid(&self) -> Option<u32> {
        let pid_file = std::fs::read_to_string(Path::new(&self.data_dir()).join("postmaster.pid")).ok()?;
        pid_file.lines().next()?.trim().parse().ok()
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn log_file(&self) -> String {
        self.dir.path().join("postgres.log").display().to_string()
    }

    /// A command of PostgreSQL's, run as the cluster's user.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = match &self.runs_as {
            Some(account) => {
                let mut command = Command::new("runuser");
                command.args(["-u", &account.name, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        // The caller's directory may be closed to the cluster's user.
        command.current_dir(self.dir.path());
        command
    }

    fn run(&self, program: &str, args: &[&str]) {
        let output = self.command(program).args(args).output().expect(program);
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_string()
}

/// The newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or
/// the one whose `initdb` is on PATH.
fn binaries() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres", "psql"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| complete(bin))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .or_else(|| std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| complete(dir)))
}

/// Root may not run PostgreSQL: use its own `postgres` account when the
/// package made one, `nobody` otherwise. `None` when not root.
fn unprivileged_account() -> Option<Account> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    ["postgres", "nobody"].into_iter().find_map(|name| {
        let c_name = std::ffi::CString::new(name).ok()?;
        // SAFETY: getpwnam reads a NUL-terminated name and returns a pointer
        // to static storage (or null), read at once on this thread.
        let entry = unsafe { libc::getpwnam(c_name.as_ptr()).as_ref() }?;
        Some(Account {
            name: name.to_string(),
            uid: entry.pw_uid,
            gid: entry.pw_gid,
        })
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}
