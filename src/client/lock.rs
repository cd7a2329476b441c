//! One sync per database at a time.

use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::path::Path;

/// Only one sync per database at a time. The lock is advisory and held by
/// the open file, so it disappears with the process even on kill -9.
pub struct SyncLock {
    _file: File,
}

impl SyncLock {
    /// Takes the lock of the database at `db_path`, or says another sync
    /// holds it (a temporary failure: cron tries again later).
    pub fn acquire(db_path: &Path) -> Result<SyncLock> {
        let mut name = db_path.as_os_str().to_owned();
        name.push(".sync-lock");
        let file = crate::files::open_private_file(std::path::Path::new(&name))?;
        match file.try_lock() {
            Ok(()) => Ok(SyncLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::new(
                ErrorKind::Unavailable,
                "another `pump sync` is already running on this database: this one stops; try again later",
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}
