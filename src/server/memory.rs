//! An in-memory backend: everything in maps behind one mutex, gone when
//! the process ends. For tests and experiments: it proves the storage seam
//! carries a second backend, and it runs the same backend suite as SQLite.

use super::storage::{Storage, StorageError, StorageTxn, TokenHash, User, UserId};
use crate::sync::wire::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Accounts, sessions and rows in memory; see the module docs.
#[derive(Default)]
pub struct MemoryStorage {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    last_user_id: UserId,
    accounts: HashMap<UserId, Account>,
    /// Lowercased names: names are unique case-insensitively, like SQLite's
    /// `COLLATE NOCASE` (ASCII only, as are valid names).
    ids_by_name: HashMap<String, UserId>,
    sessions: HashMap<TokenHash, UserId>,
}

struct Account {
    user: User,
    password_hash: String,
    data: UserData,
}

/// Everything one user syncs. Cloned whole by a round's first write (see
/// [`MemoryTxn`]).
#[derive(Clone, Default)]
struct UserData {
    head: u64,
    lineages: HashMap<String, String>,
    rows: HashMap<RecordKey, (u64, Row)>,
    /// The key of the row carrying each sequence number, for pulls.
    by_seq: BTreeMap<u64, RecordKey>,
    /// `(record, device, counter)` → digest.
    dots: HashMap<(RecordKey, String, u64), String>,
    server_id: Option<String>,
}

/// A record's `(kind, id)`.
type RecordKey = (String, String);

fn key(kind: &str, id: &str) -> RecordKey {
    (kind.to_string(), id.to_string())
}

impl MemoryStorage {
    /// An empty store with no accounts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every write happens on a copy that replaces the original only on
    /// commit, so a request that panicked left nothing half-done: the data
    /// behind a poisoned lock is sound and simply used again.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Storage for MemoryStorage {
    fn create_user(&self, name: &str, password_hash: &str) -> Result<User, StorageError> {
        let mut inner = self.lock();
        let folded = name.to_ascii_lowercase();
        if inner.ids_by_name.contains_key(&folded) {
            return Err(StorageError::UserExists);
        }
        inner.last_user_id += 1;
        let user = User {
            id: inner.last_user_id,
            name: name.to_string(),
        };
        inner.ids_by_name.insert(folded, user.id);
        let account = Account {
            user: user.clone(),
            password_hash: password_hash.to_string(),
            data: UserData::default(),
        };
        inner.accounts.insert(user.id, account);
        Ok(user)
    }

    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError> {
        let inner = self.lock();
        Ok(inner
            .ids_by_name
            .get(&name.to_ascii_lowercase())
            .and_then(|id| inner.accounts.get(id))
            .map(|account| (account.user.clone(), account.password_hash.clone())))
    }

    fn create_session(&self, user: UserId, token: &TokenHash) -> Result<(), StorageError> {
        let mut inner = self.lock();
        if !inner.accounts.contains_key(&user) {
            return Err(StorageError::NoAccount(user));
        }
        inner.sessions.insert(*token, user);
        Ok(())
    }

    fn user_for_token(&self, token: &TokenHash) -> Result<Option<User>, StorageError> {
        let inner = self.lock();
        Ok(inner
            .sessions
            .get(token)
            .and_then(|id| inner.accounts.get(id))
            .map(|account| account.user.clone()))
    }

    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        Ok(self.lock().sessions.remove(token).is_some())
    }

    fn begin(&self, user: UserId) -> Result<Box<dyn StorageTxn + '_>, StorageError> {
        Ok(Box::new(MemoryTxn {
            inner: self.lock(),
            user,
            written: None,
        }))
    }
}

/// Holds the store's mutex for its whole life, so transactions run one at
/// a time. Its first write clones the user's data and works on the clone;
/// commit swaps the clone in, and a drop without commit just discards it.
/// Copying costs one pass over the user's rows per writing round: nothing
/// for what this backend is for.
struct MemoryTxn<'a> {
    inner: MutexGuard<'a, Inner>,
    user: UserId,
    written: Option<UserData>,
}

impl MemoryTxn<'_> {
    fn data(&self) -> Result<&UserData, StorageError> {
        match &self.written {
            Some(data) => Ok(data),
            None => self
                .inner
                .accounts
                .get(&self.user)
                .map(|account| &account.data)
                .ok_or(StorageError::NoAccount(self.user)),
        }
    }

    fn data_mut(&mut self) -> Result<&mut UserData, StorageError> {
        let data = match self.written.take() {
            Some(data) => data,
            None => self.data()?.clone(),
        };
        Ok(self.written.insert(data))
    }
}

impl StorageTxn for MemoryTxn<'_> {
    fn lock_head(&mut self) -> Result<u64, StorageError> {
        // The store's mutex, held since `begin`, already serializes rounds.
        Ok(self.data()?.head)
    }

    fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
        self.data_mut()?.head = head;
        Ok(())
    }

    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        Ok(self.data()?.lineages.get(device).cloned())
    }

    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.data_mut()?.lineages.insert(device.to_string(), token.to_string());
        Ok(())
    }

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<Row>, StorageError> {
        Ok(self.data()?.rows.get(&key(kind, id)).map(|(_, row)| row.clone()))
    }

    fn recorded_dots(&mut self, row: &Row) -> Result<Vec<Option<String>>, StorageError> {
        let data = self.data()?;
        let record = key(&row.kind, &row.id);
        Ok(row
            .dots
            .iter()
            .map(|dot| {
                data.dots
                    .get(&(record.clone(), dot.device.clone(), dot.counter))
                    .cloned()
            })
            .collect())
    }

    fn record_dots(&mut self, row: &Row) -> Result<(), StorageError> {
        let data = self.data_mut()?;
        let record = key(&row.kind, &row.id);
        for dot in &row.dots {
            data.dots
                .entry((record.clone(), dot.device.clone(), dot.counter))
                .or_insert_with(|| dot.digest.clone());
        }
        Ok(())
    }

    /// The sending device is left out: SQLite keeps it for an operator
    /// reading the file, and nothing reads it back.
    fn put_row(&mut self, seq: u64, row: &Row, _device: &str) -> Result<(), StorageError> {
        let data = self.data_mut()?;
        let record = key(&row.kind, &row.id);
        let stored = Row {
            dots: Vec::new(),
            ..row.clone()
        };
        if let Some((old_seq, _)) = data.rows.insert(record.clone(), (seq, stored)) {
            data.by_seq.remove(&old_seq);
        }
        data.by_seq.insert(seq, record);
        Ok(())
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, Row)>, StorageError> {
        if after >= up_to {
            return Ok(Vec::new());
        }
        let data = self.data()?;
        Ok(data
            .by_seq
            .range(after + 1..=up_to)
            .take(limit)
            .filter_map(|(seq, record)| data.rows.get(record).map(|(_, row)| (*seq, row.clone())))
            .collect())
    }

    fn server_id(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self.data()?.server_id.clone())
    }

    fn set_server_id(&mut self, id: &str) -> Result<(), StorageError> {
        self.data_mut()?.server_id = Some(id.to_string());
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        if let Some(data) = self.written.take() {
            let account = self
                .inner
                .accounts
                .get_mut(&self.user)
                .ok_or(StorageError::NoAccount(self.user))?;
            account.data = data;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::round;
    use crate::server::storage_tests::storage_tests;
    use crate::sync::server_rules::tests::{request, row};
    use serde_json::json;

    storage_tests!(((), MemoryStorage::new()));

    #[test]
    fn a_request_that_crashed_mid_round_leaves_nothing_and_blocks_nobody() {
        let storage = MemoryStorage::new();
        let u = storage.create_user("u", "h").unwrap().id;
        let crashed = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut txn = storage.begin(u).unwrap();
                    txn.set_head(7).unwrap();
                    panic!("a request crashed inside its round");
                })
                .join()
        });
        assert!(crashed.is_err());
        let answer = round::run(&storage, u, &request(0, vec![row("w1", &[("a", 1)], json!({}))])).unwrap();
        assert_eq!(answer.cursor, 1, "head 7 was never committed");
    }
}
