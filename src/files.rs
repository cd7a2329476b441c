//! Files that hold a person's data (the database, with its session token;
//! the server's data, with password hashes; exports; lock files beside the
//! database) are created readable by their owner only, from the first byte:
//! a later `chmod` would leave a window.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Creates `path` (mode 0600) if it does not exist, without truncating an
/// existing file. SQLite gives a database's `-wal` and `-shm` files the mode
/// of the database file, so creating it first covers them too.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    open_private_file(path).map(drop)
}

/// Opens `path` for writing, creating it (mode 0600) if it does not exist,
/// without truncating it: for lock files, held open.
pub fn open_private_file(path: &Path) -> io::Result<File> {
    private_options().create(true).truncate(false).open(path)
}

/// Writes `bytes` to `path`, creating it mode 0600 (an export holds a
/// person's whole training log) or replacing what an existing file held.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    private_options()
        .create(true)
        .truncate(true)
        .open(path)?
        .write_all(bytes)
}

fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Creates `dir` and its missing parents, the new ones mode 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `bytes` to `path` readable by its owner only (0600), also when
/// `path` already exists with a wider mode: the bytes go to a new private
/// file beside it, which then replaces `path` in one step, so a reader
/// never sees half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let name = path.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}
