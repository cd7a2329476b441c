//! An in-memory backend: everything in maps behind one mutex, gone when
//! the process ends. For tests and experiments: it proves the storage seam
//! carries a second backend, and it runs the same backend suite as SQLite.

use super::storage::{
    AccountSummary, DeviceRecord, DeviceReport, SessionInfo, Storage, StorageError, StorageTxn, TokenHash, Usage, User,
    UserId,
};
use crate::sync::wire::WireRow;
use chrono::{DateTime, Utc};
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
    sessions: HashMap<TokenHash, (UserId, SessionInfo)>,
}

struct Account {
    user: User,
    password_hash: String,
    created_at: DateTime<Utc>,
    data: UserData,
}

/// Everything one user syncs. Cloned whole by a round's first write (see
/// [`MemoryTxn`]).
#[derive(Clone, Default)]
struct UserData {
    head: u64,
    usage: Usage,
    /// Device id → its lineage and what it said at its last sync.
    devices: BTreeMap<String, DeviceState>,
    /// Each record's sequence number, version, and the device that sent it.
    rows: HashMap<RecordKey, (u64, WireRow, String)>,
    /// The key of the row carrying each sequence number, for pulls.
    by_seq: BTreeMap<u64, RecordKey>,
    /// `(record, device, counter)` → digest.
    dots: HashMap<(RecordKey, String, u64), String>,
    /// The account's key check, here (not in [`Account`]) so that a
    /// transaction changes it with the rest, or not at all.
    key_check: Option<String>,
    server_id: Option<String>,
}

/// What the server keeps of one device.
#[derive(Clone, Default)]
struct DeviceState {
    lineage: String,
    name: Option<String>,
    last_sync: Option<DateTime<Utc>>,
    pending: Option<u64>,
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
    fn create_user(&self, name: &str, password_hash: &str, key_check: Option<&str>) -> Result<User, StorageError> {
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
            created_at: Utc::now(),
            data: UserData {
                key_check: key_check.map(str::to_string),
                ..UserData::default()
            },
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

    fn key_check(&self, user: UserId) -> Result<Option<String>, StorageError> {
        Ok(self
            .lock()
            .accounts
            .get(&user)
            .and_then(|account| account.data.key_check.clone()))
    }

    fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<(), StorageError> {
        if let Some(account) = self.lock().accounts.get_mut(&user) {
            account.password_hash = password_hash.to_string();
        }
        Ok(())
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError> {
        let inner = self.lock();
        let mut accounts: Vec<AccountSummary> = inner
            .accounts
            .values()
            .map(|account| AccountSummary {
                user: account.user.clone(),
                created_at: account.created_at,
                usage: account.data.usage,
                sessions: inner.sessions.values().filter(|(id, _)| *id == account.user.id).count() as u64,
                devices: account.data.devices.len() as u64,
            })
            .collect();
        accounts.sort_by_key(|a| a.user.name.to_ascii_lowercase());
        Ok(accounts)
    }

    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        let mut inner = self.lock();
        let Some(account) = inner.accounts.remove(&user) else {
            return Ok(false);
        };
        inner.ids_by_name.remove(&account.user.name.to_ascii_lowercase());
        inner.sessions.retain(|_, (id, _)| *id != user);
        Ok(true)
    }

    fn create_session(&self, user: UserId, session: &SessionInfo) -> Result<(), StorageError> {
        let mut inner = self.lock();
        if !inner.accounts.contains_key(&user) {
            return Err(StorageError::NoAccount(user));
        }
        inner.sessions.insert(session.token, (user, session.clone()));
        Ok(())
    }

    fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError> {
        let inner = self.lock();
        Ok(inner.sessions.get(token).and_then(|(id, session)| {
            let account = inner.accounts.get(id)?;
            Some((account.user.clone(), session.clone()))
        }))
    }

    fn sessions(&self, user: UserId) -> Result<Vec<SessionInfo>, StorageError> {
        let mut sessions: Vec<SessionInfo> = self
            .lock()
            .sessions
            .values()
            .filter(|(id, _)| *id == user)
            .map(|(_, session)| session.clone())
            .collect();
        sessions.sort_by_key(|s| (s.created_at, s.token));
        Ok(sessions)
    }

    fn touch_session(&self, token: &TokenHash, at: DateTime<Utc>) -> Result<(), StorageError> {
        if let Some((_, session)) = self.lock().sessions.get_mut(token) {
            session.last_used = at;
        }
        Ok(())
    }

    fn bind_session(&self, token: &TokenHash, device: &str) -> Result<bool, StorageError> {
        Ok(match self.lock().sessions.get_mut(token) {
            Some((_, session)) if session.device.is_none() => {
                session.device = Some(device.to_string());
                true
            }
            _ => false,
        })
    }

    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError> {
        Ok(self.lock().sessions.remove(token).is_some())
    }

    fn revoke_sessions(&self, user: UserId, except: Option<&TokenHash>) -> Result<u64, StorageError> {
        let mut inner = self.lock();
        let before = inner.sessions.len();
        inner
            .sessions
            .retain(|token, (id, _)| *id != user || Some(token) == except);
        Ok((before - inner.sessions.len()) as u64)
    }

    fn devices(&self, user: UserId) -> Result<Vec<DeviceRecord>, StorageError> {
        let inner = self.lock();
        let Some(account) = inner.accounts.get(&user) else {
            return Ok(Vec::new());
        };
        let data = &account.data;
        Ok(data
            .devices
            .iter()
            .map(|(id, state)| DeviceRecord {
                id: id.clone(),
                name: state.name.clone(),
                last_sync: state.last_sync,
                pending: state.pending,
                rows: data.rows.values().filter(|(_, _, sender)| sender == id).count() as u64,
            })
            .collect())
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

    fn key_check(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self.data()?.key_check.clone())
    }

    fn replace_key_check(&mut self, key_check: &str, keep_dots: bool) -> Result<(), StorageError> {
        let data = self.data_mut()?;
        data.key_check = Some(key_check.to_string());
        if !keep_dots {
            data.dots.clear();
        }
        for (_, row, _) in data.rows.values_mut() {
            row.digest = None;
        }
        Ok(())
    }

    fn set_head(&mut self, head: u64) -> Result<(), StorageError> {
        self.data_mut()?.head = head;
        Ok(())
    }

    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        Ok(self.data()?.devices.get(device).map(|state| state.lineage.clone()))
    }

    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.data_mut()?.devices.entry(device.to_string()).or_default().lineage = token.to_string();
        Ok(())
    }

    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError> {
        if let Some(state) = self.data_mut()?.devices.get_mut(device) {
            if let Some(name) = report.name {
                state.name = Some(name.to_string());
            }
            state.last_sync = Some(report.at);
            state.pending = report.pending;
        }
        Ok(())
    }

    fn usage(&mut self) -> Result<Usage, StorageError> {
        Ok(self.data()?.usage)
    }

    fn set_usage(&mut self, usage: Usage) -> Result<(), StorageError> {
        self.data_mut()?.usage = usage;
        Ok(())
    }

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError> {
        Ok(self.data()?.rows.get(&key(kind, id)).map(|(_, row, _)| row.clone()))
    }

    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError> {
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

    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError> {
        let data = self.data_mut()?;
        let record = key(&row.kind, &row.id);
        for dot in &row.dots {
            data.dots
                .entry((record.clone(), dot.device.clone(), dot.counter))
                .or_insert_with(|| dot.digest.clone());
        }
        Ok(())
    }

    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError> {
        let data = self.data_mut()?;
        let record = key(&row.kind, &row.id);
        let stored = WireRow {
            dots: Vec::new(),
            ..row.clone()
        };
        if let Some((old_seq, _, _)) = data.rows.insert(record.clone(), (seq, stored, device.to_string())) {
            data.by_seq.remove(&old_seq);
        }
        data.by_seq.insert(seq, record);
        Ok(())
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError> {
        if after >= up_to {
            return Ok(Vec::new());
        }
        let data = self.data()?;
        Ok(data
            .by_seq
            .range(after + 1..=up_to)
            .take(limit)
            .filter_map(|(seq, record)| data.rows.get(record).map(|(_, row, _)| (*seq, row.clone())))
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
    use crate::sync::server_rules::Quota;
    use crate::sync::server_rules::tests::{request, row};
    use serde_json::json;

    storage_tests!(((), MemoryStorage::new()));

    #[test]
    fn a_request_that_crashed_mid_round_leaves_nothing_and_blocks_nobody() {
        let storage = MemoryStorage::new();
        let u = storage.create_user("u", "h", None).unwrap().id;
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
        let pushed = request(0, vec![row("w1", &[("a", 1)], json!({}))]);
        let answer = round::run(&storage, u, &pushed, Quota::UNLIMITED).unwrap();
        assert_eq!(answer.cursor, 1, "head 7 was never committed");
    }
}
