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
    replace_private(path, |file| file.write_all(bytes))?
}

/// [`write_private`] for output written piece by piece (an export streamed
/// from the database): `write` fills the new file, which replaces `path`
/// only once `write` succeeds; on any error `path` is left as it was. The
/// outer error is the file's own (cannot create, write or rename it), the
/// inner one is `write`'s.
pub fn replace_private<E>(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<File>) -> Result<(), E>,
) -> io::Result<Result<(), E>> {
    let name = path.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = io::BufWriter::new(options.open(&temporary)?);
    let written = match write(&mut file) {
        Ok(()) => file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|file| file.sync_all())
            .and_then(|()| std::fs::rename(&temporary, path))
            .map(Ok),
        Err(e) => Ok(Err(e)),
    };
    if !matches!(written, Ok(Ok(()))) {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
