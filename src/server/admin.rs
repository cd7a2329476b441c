//! The operator's commands, run on the server's database without the
//! network (`pump server add-user`, `users`, `passwd`, `del-user`,
//! `sessions`). They open the same database a running server uses (WAL lets
//! them run beside a SQLite one). Errors are the final one-line messages.

use super::Database;
use super::auth;
use super::sqlite::DB_FILE;
use super::storage::{AccountSummary, SessionInfo, Storage, StorageError, User};
use std::sync::Arc;

/// Opens the database of an existing server: a typo in `--data` must not
/// create an empty one and report "no such user".
fn open_existing(database: &Database) -> Result<Arc<dyn Storage>, String> {
    if let Database::Sqlite(data_dir) = database
        && !data_dir.join(DB_FILE).is_file()
    {
        return Err(format!(
            "there is no server database in {}: pass the folder `pump server start` uses with --data DIR",
            data_dir.display()
        ));
    }
    database.open()
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
pub fn add_user(database: &Database, name: &str, password: &str) -> Result<(), String> {
    auth::validate_user_name(name)?;
    auth::validate_password(password)?;
    let storage = database.open()?;
    let hash = auth::hash_password(password)?;
    match storage.create_user(name, &hash, None) {
        Ok(_) => Ok(()),
        Err(StorageError::UserExists) => Err(format!("the user {name} already exists: pick another name")),
        Err(other) => Err(format!("cannot create the user {name}: {other}")),
    }
}

/// Every account with what it holds (`pump server users`).
pub fn accounts(database: &Database) -> Result<Vec<AccountSummary>, String> {
    open_existing(database)?
        .accounts()
        .map_err(|e| failed("read the accounts", &e))
}

/// Sets `name`'s password (`pump server passwd`). Its sessions live on:
/// `pump server sessions NAME --revoke` ends them.
pub fn set_password(database: &Database, name: &str, password: &str) -> Result<(), String> {
    auth::validate_password(password)?;
    let storage = open_existing(database)?;
    let user = user(storage.as_ref(), name)?;
    let hash = auth::hash_password(password)?;
    storage
        .set_password_hash(user.id, &hash)
        .map_err(|e| failed("change the password", &e))
}

/// Deletes `name` and everything it stored (`pump server del-user`);
/// returns what it held.
pub fn delete_user(database: &Database, name: &str) -> Result<AccountSummary, String> {
    let storage = open_existing(database)?;
    let user = user(storage.as_ref(), name)?;
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
pub fn sessions(database: &Database, name: &str) -> Result<Vec<SessionInfo>, String> {
    let storage = open_existing(database)?;
    let user = user(storage.as_ref(), name)?;
    storage.sessions(user.id).map_err(|e| failed("read the sessions", &e))
}

/// Ends every session of `name` (`pump server sessions --revoke`); returns
/// how many there were.
pub fn revoke_sessions(database: &Database, name: &str) -> Result<u64, String> {
    let storage = open_existing(database)?;
    let user = user(storage.as_ref(), name)?;
    storage
        .revoke_sessions(user.id, None)
        .map_err(|e| failed("end the sessions", &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::test_cluster;

    fn on_sqlite() -> (tempfile::TempDir, Database) {
        let dir = tempfile::tempdir().unwrap();
        let database = Database::Sqlite(dir.path().to_path_buf());
        (dir, database)
    }

    fn on_postgres() -> ((), Database) {
        let url = test_cluster::shared().database();
        ((), Database::Postgres { url, password: None })
    }

    fn add_user_validates_and_refuses_duplicates(database: &Database) {
        add_user(database, "alice", "hunter22").unwrap();
        assert!(
            add_user(database, "ALICE", "hunter22")
                .unwrap_err()
                .contains("already exists")
        );
        assert!(add_user(database, "", "hunter22").unwrap_err().contains("empty"));
        assert!(
            add_user(database, &"a".repeat(65), "hunter22")
                .unwrap_err()
                .contains("too long")
        );
        assert!(add_user(database, "bob", "short").unwrap_err().contains("at least 8"));
        let (_, hash) = database.open().unwrap().password_hash("alice").unwrap().unwrap();
        assert!(auth::verify_password("hunter22", &hash));
    }

    fn admin_commands_need_an_existing_user(database: &Database) {
        add_user(database, "alice", "hunter22").unwrap();
        assert!(sessions(database, "bob").unwrap_err().contains("no user bob"));
        assert!(
            set_password(database, "alice", "short")
                .unwrap_err()
                .contains("at least 8")
        );
        set_password(database, "alice", "new password").unwrap();
        let (_, hash) = database.open().unwrap().password_hash("alice").unwrap().unwrap();
        assert!(auth::verify_password("new password", &hash));
        let summary = delete_user(database, "ALICE").unwrap();
        assert_eq!(summary.user.name, "alice");
        assert!(accounts(database).unwrap().is_empty());
    }

    #[test]
    fn add_user_validates_and_refuses_duplicates_on_sqlite() {
        add_user_validates_and_refuses_duplicates(&on_sqlite().1);
    }

    #[test]
    fn add_user_validates_and_refuses_duplicates_on_postgres() {
        add_user_validates_and_refuses_duplicates(&on_postgres().1);
    }

    #[test]
    fn admin_commands_need_an_existing_server_and_user_on_sqlite() {
        let (dir, database) = on_sqlite();
        let missing = dir.path().join("typo");
        let typo = Database::Sqlite(missing.clone());
        assert!(accounts(&typo).unwrap_err().contains("no server database"));
        assert!(!missing.exists(), "nothing was created");
        admin_commands_need_an_existing_user(&database);
    }

    #[test]
    fn admin_commands_need_an_existing_user_on_postgres() {
        admin_commands_need_an_existing_user(&on_postgres().1);
    }

    #[test]
    fn a_database_never_shows_its_password() {
        let database = Database::Postgres {
            url: "postgres://pump:hunter22@db.example.org/pump".into(),
            password: Some("hunter23".into()),
        };
        let shown = format!("{database:?} {}", database.describe());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://pump@db.example.org:5432/pump"), "{shown}");
    }
}
