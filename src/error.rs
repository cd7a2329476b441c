//! One error type for the whole program. Its kind decides the exit code, so
//! scripts and cron can tell "fix your command" from "try again later".

use std::fmt;

/// What kind of failure this is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Invalid command-line input: exit 2.
    Usage,
    /// Synced, but conflicts are held for a person: exit 3.
    ConflictsHeld,
    /// The server could not be reached, timed out or failed (5xx): exit 75
    /// (EX_TEMPFAIL). Nothing was lost; try later.
    Unavailable,
    /// The server rejected our credentials: exit 77 (EX_NOPERM).
    Unauthorized,
    /// Anything else: exit 1.
    Other,
}

impl ErrorKind {
    /// The process exit code scripts and cron see for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage => 2,
            ErrorKind::ConflictsHeld => 3,
            ErrorKind::Unavailable => 75,
            ErrorKind::Unauthorized => 77,
            ErrorKind::Other => 1,
        }
    }
}

/// An error for the person at the terminal: a kind and one line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Decides the exit code.
    pub kind: ErrorKind,
    /// One line: what happened and what to type next.
    pub message: String,
}

/// `Result` with pump's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Invalid command-line input (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    /// Any other failure (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Other, message)
    }

    /// A failure whose exit code says everything (`pump sync --quiet` from
    /// cron while the server is away): nothing is printed.
    pub fn silent(kind: ErrorKind) -> Self {
        Self::new(kind, "")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let message = match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => "the disk is full: free some space and run the command again".to_string(),
            Some(ErrorCode::ReadOnly) => {
                "the database is read-only: check its permissions (or point --db at a writable file)".to_string()
            }
            Some(ErrorCode::NotADatabase) => {
                "the database file is not a SQLite database: point --db (or PUMP_DB) at a pump database".to_string()
            }
            Some(ErrorCode::DatabaseCorrupt) => {
                "the database file is corrupt: restore it from a backup, or sync a fresh one from your server"
                    .to_string()
            }
            // A write past a size limit or to a failing disk: SQLite reports
            // these as I/O errors rather than SQLITE_FULL.
            Some(ErrorCode::SystemIoFailure) => {
                "the database file could not be written (is the disk full or failing?): free some space or check \
                 the disk, then run the command again; nothing was half-written"
                    .to_string()
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                "the database stayed busy for too long (another pump is writing): try again".to_string()
            }
            _ => format!("database error: {e}"),
        };
        Error::other(message)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::other(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::other(format!("could not read stored JSON: {e}"))
    }
}
