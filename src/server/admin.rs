//! The operator's commands, run on the server's data directory without the
//! network (`pump server add-user`, `users`, `passwd`, `del-user`,
//! `sessions`). They open the same SQLite file a running server uses; WAL
//! lets them run beside it. Errors are the final one-line messages.

use super::auth;
use super::sqlite::{DB_FILE, SqliteStorage};
use super::storage::{AccountSummary, SessionInfo, Storage, StorageError, User};
use std::path::Path;

/// Opens the database of an existing server: a typo in `--data` must not
/// create an empty one and report "no such user".
fn open_existing(data_dir: &Path) -> Result<SqliteStorage, String> {
    if !data_dir.join(DB_FILE).is_file() {
        return Err(format!(
            "there is no server database in {}: pass the folder `pump server start` uses with --data DIR",
            data_dir.display()
        ));
    }
    SqliteStorage::open(data_dir)
}

fn failed(what: &str, error: &StorageError) -> String {
    format!("cannot {what}: {error}")
}

/// The account `name`, or a message saying it does not exist.
fn user(storage: &dyn Storage, name: &str) -> Result<User, String> {
    match storage.password_hash(name) {
        Ok(Some((user, _))) => Ok(user),
        Ok(None) => Err(format!(
            "there is no user {name} on this server: `pump server users` lists them"
        )),
        Err(e) => Err(failed("read the accounts", &e)),
    }
}

/// Creates an account offline, for servers with registration closed.
pub fn add_user(data_dir: &Path, name: &str, password: &str) -> Result<(), String> {
    auth::validate_user_name(name)?;
    auth::validate_password(password)?;
    let storage = SqliteStorage::open(data_dir)?;
    let hash = auth::hash_password(password)?;
    match storage.create_user(name, &hash) {
        Ok(_) => Ok(()),
        Err(StorageError::UserExists) => Err(format!("the user {name} already exists: pick another name")),
        Err(other) => Err(format!("cannot create the user {name}: {other}")),
    }
}

/// Every account with what it holds (`pump server users`).
pub fn accounts(data_dir: &Path) -> Result<Vec<AccountSummary>, String> {
    open_existing(data_dir)?
        .accounts()
        .map_err(|e| failed("read the accounts", &e))
}

/// Sets `name`'s password (`pump server passwd`). Its sessions live on:
/// `pump server sessions NAME --revoke` ends them.
pub fn set_password(data_dir: &Path, name: &str, password: &str) -> Result<(), String> {
    auth::validate_password(password)?;
    let storage = open_existing(data_dir)?;
    let user = user(&storage, name)?;
    let hash = auth::hash_password(password)?;
    storage
        .set_password_hash(user.id, &hash)
        .map_err(|e| failed("change the password", &e))
}

/// Deletes `name` and everything it stored (`pump server del-user`);
/// returns what it held.
pub fn delete_user(data_dir: &Path, name: &str) -> Result<AccountSummary, String> {
    let storage = open_existing(data_dir)?;
    let user = user(&storage, name)?;
    let summary = storage
        .accounts()
        .map_err(|e| failed("read the accounts", &e))?
        .into_iter()
        .find(|a| a.user.id == user.id)
        .ok_or_else(|| format!("the user {name} went away meanwhile"))?;
    storage
        .delete_user(user.id)
        .map_err(|e| failed("delete the user", &e))?;
    Ok(summary)
}

/// `name`'s sessions, oldest first (`pump server sessions`).
pub fn sessions(data_dir: &Path, name: &str) -> Result<Vec<SessionInfo>, String> {
    let storage = open_existing(data_dir)?;
    let user = user(&storage, name)?;
    storage.sessions(user.id).map_err(|e| failed("read the sessions", &e))
}

/// Ends every session of `name` (`pump server sessions --revoke`); returns
/// how many there were.
pub fn revoke_sessions(data_dir: &Path, name: &str) -> Result<u64, String> {
    let storage = open_existing(data_dir)?;
    let user = user(&storage, name)?;
    storage
        .revoke_sessions(user.id, None)
        .map_err(|e| failed("end the sessions", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_user_validates_and_refuses_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        add_user(dir.path(), "alice", "hunter22").unwrap();
        assert!(
            add_user(dir.path(), "alice", "hunter22")
                .unwrap_err()
                .contains("already exists")
        );
        assert!(add_user(dir.path(), "", "hunter22").unwrap_err().contains("empty"));
        assert!(
            add_user(dir.path(), &"a".repeat(65), "hunter22")
                .unwrap_err()
                .contains("too long")
        );
        assert!(add_user(dir.path(), "bob", "short").unwrap_err().contains("at least 8"));
        let storage = SqliteStorage::open(dir.path()).unwrap();
        let (_, hash) = storage.password_hash("alice").unwrap().unwrap();
        assert!(auth::verify_password("hunter22", &hash));
    }

    #[test]
    fn admin_commands_need_an_existing_server_and_user() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("typo");
        assert!(accounts(&missing).unwrap_err().contains("no server database"));
        assert!(!missing.exists(), "nothing was created");
        add_user(dir.path(), "alice", "hunter22").unwrap();
        assert!(sessions(dir.path(), "bob").unwrap_err().contains("no user bob"));
        assert!(
            set_password(dir.path(), "alice", "short")
                .unwrap_err()
                .contains("at least 8")
        );
        set_password(dir.path(), "alice", "new password").unwrap();
        let storage = SqliteStorage::open(dir.path()).unwrap();
        let (_, hash) = storage.password_hash("alice").unwrap().unwrap();
        assert!(auth::verify_password("new password", &hash));
        let summary = delete_user(dir.path(), "ALICE").unwrap();
        assert_eq!(summary.user.name, "alice");
        assert!(accounts(dir.path()).unwrap().is_empty());
    }
}
