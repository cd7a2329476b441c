//! The `meta` table: this database's own settings and bookkeeping (who this
//! device is, where it syncs, how far it has pulled, running totals). None
//! of it syncs. Every key is named here, once; the rest of pump reads and
//! writes them through typed accessors on [`Store`].

use super::Store;
use crate::error::{Error, ErrorKind, Result};
use crate::sync::crypto::{AccountKey, DigestKey, RowKeys};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Every key of the `meta` table. The names are stored in existing
/// databases: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// This database's device id: the name its writes carry in clocks.
    DeviceId,
    /// Which file on which machine last opened this database (see
    /// `device::file_fingerprint`): another one means a copied file.
    DeviceFile,
    /// The device's name for people (origins, `pump status`).
    DeviceName,
    /// The sync server this device logged in to.
    ServerUrl,
    /// The account name on that server.
    ServerUser,
    /// The session token; absent when logged out.
    SessionToken,
    /// The account key (`sync::crypto::AccountKey`) in hex: what opens the
    /// account's data. Absent for an account that is not encrypted.
    AccountSecret,
    /// "1" when the account this device logged in to is encrypted (the
    /// server gave a key check at login): rows are sealed with the key.
    /// Its own flag, because a device keeps an earlier account's key after
    /// logging in to one without a key.
    AccountSealed,
    /// The key this device is moving the account to (`pump key --enable`),
    /// kept before the server hears of it so that a kill at any point
    /// leaves the key the server may already check for on this device.
    NextAccountSecret,
    /// The check sent to the server for `NextAccountSecret`.
    NextKeyCheck,
    /// The check the server keeps for the account key: sent with every
    /// round, so a server whose account moved to another key refuses it.
    AccountKeyCheck,
    /// The account's previous key, while a key change this device made is
    /// under way (rows not yet sealed again open with it).
    RetiredAccountSecret,
    /// "1" when the person allowed plain HTTP to a server off this machine.
    ServerAllowHttp,
    /// A CA file to trust for the server's certificate, besides the system's.
    ServerCaFile,
    /// The device id the session syncs as: the server binds each session to
    /// one. Absent for a session from before pump knew that.
    SessionDevice,
    /// When the last sync finished (RFC 3339).
    LastSync,
    /// When syncs started failing to reach the server, since the last one
    /// that finished (RFC 3339); absent while they succeed.
    SyncFailingSince,
    /// The workout open on this device (`pump start` … `pump finish`).
    OpenWorkout,
    /// Where the next pull starts.
    SyncCursor,
    /// The identity the server gave this account's data in its last answer
    /// (`wire::SyncResponse::server_id`): what the cursor is about.
    ServerId,
    /// The lineage token of the last round the server confirmed.
    LineageConfirmed,
    /// The tokens of rounds sent but not confirmed (a lost answer, a crash),
    /// as a JSON list: the server may have kept any of them (see
    /// `wire::Lineage`).
    LineageUnconfirmed,
    /// Bumped by every change to the records, local or synced: derived data
    /// (the record cache) is valid only for the generation it was computed at.
    Generation,
    /// The generation up to which the record cache followed every write
    /// (see `store::CachedRecords`).
    RecordCacheValidAt,
    /// The generation from which it did: its rows saved before are stale.
    RecordCacheSince,
    /// Running totals, so the share of conflicts resolved without a person
    /// can be measured (`pump status`): merged automatically …
    AutoMergedTotal,
    /// … resolved by a person …
    ResolvedTotal,
    /// … and ever held for one.
    HeldTotal,
    /// The definitions (a JSON list of SQL) of the derived tables' indexes
    /// while a first pull, spread over several transactions, loads the set
    /// table without them (see `sets::DeferredIndexes`): whoever opens the
    /// database next makes them again if that pull never finished.
    DeferredIndexes,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::DeviceId => "device_id",
            Key::DeviceFile => "device_file",
            Key::DeviceName => "device_name",
            Key::ServerUrl => "server_url",
            Key::ServerUser => "server_user",
            Key::SessionToken => "session_token",
            Key::AccountSecret => "account_key",
            Key::AccountSealed => "account_sealed",
            Key::NextAccountSecret => "next_account_key",
            Key::NextKeyCheck => "next_key_check",
            Key::AccountKeyCheck => "account_key_check",
            Key::RetiredAccountSecret => "retired_account_key",
            Key::ServerAllowHttp => "server_allow_http",
            Key::ServerCaFile => "server_ca_file",
            Key::SessionDevice => "session_device",
            Key::LastSync => "last_sync",
            Key::SyncFailingSince => "sync_failing_since",
            Key::OpenWorkout => "open_workout",
            Key::SyncCursor => "sync_cursor",
            Key::ServerId => "server_id",
            Key::LineageConfirmed => "lineage_confirmed",
            Key::LineageUnconfirmed => "lineage_unconfirmed",
            Key::Generation => "data_generation",
            Key::RecordCacheValidAt => "record_cache_valid_at",
            Key::RecordCacheSince => "record_cache_since",
            Key::AutoMergedTotal => "total_auto_merged",
            Key::ResolvedTotal => "total_resolved",
            Key::HeldTotal => "total_held",
            Key::DeferredIndexes => "deferred_indexes",
        }
    }
}

/// The value stored under `key`, if any. Works inside a transaction too.
pub(super) fn get(conn: &Connection, key: Key) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key.name()], |r| r.get(0))
        .optional()?)
}

/// Stores `value` under `key`, replacing what was there.
pub(super) fn set(conn: &Connection, key: Key, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key.name(), value])?;
    Ok(())
}

/// Forgets `key`.
pub(super) fn remove(conn: &Connection, key: Key) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?
        .execute([key.name()])?;
    Ok(())
}

/// A counter or position: 0 until first set.
pub(super) fn number(conn: &Connection, key: Key) -> Result<u64> {
    Ok(get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Adds `by` to a counter, in SQL, so the caller's transaction needs no read.
pub(super) fn add(conn: &Connection, key: Key, by: u64) -> Result<()> {
    if by == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
    )?
    .execute(params![key.name(), by.to_string()])?;
    Ok(())
}

/// Where this device syncs, with the token that lets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSession {
    /// The server's URL, as normalised at login.
    pub server: String,
    /// The session token the server handed out.
    pub token: String,
}

/// What the person allowed when logging in, kept with the session: every
/// later request to that server goes the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerTrust {
    /// Plain `http://` to a server that is not this machine (`--allow-http`).
    pub allow_plain_http: bool,
    /// A PEM file of CA certificates to trust besides the system's (`--ca-file`).
    pub ca_file: Option<std::path::PathBuf>,
}

/// How often conflicts ended which way, since this database began.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConflictTotals {
    /// Concurrent versions merged without a person.
    pub auto_merged: u64,
    /// Held conflicts a person resolved.
    pub resolved: u64,
    /// Conflicts ever held for a person.
    pub held: u64,
}

impl Store {
    /// This device's name for people, set on first open to the host name.
    pub fn device_name(&self) -> Result<Option<String>> {
        get(&self.conn, Key::DeviceName)
    }

    /// Renames this device (`pump device --name`).
    pub fn set_device_name(&self, name: &str) -> Result<()> {
        set(&self.conn, Key::DeviceName, name)
    }

    /// The server this device logged in to, even after logging out.
    pub fn server_url(&self) -> Result<Option<String>> {
        get(&self.conn, Key::ServerUrl)
    }

    /// The account this device logged in as, even after logging out.
    pub fn server_user(&self) -> Result<Option<String>> {
        get(&self.conn, Key::ServerUser)
    }

    /// The server and token to sync with; `None` when logged out.
    pub fn session(&self) -> Result<Option<ServerSession>> {
        Ok(
            match (get(&self.conn, Key::ServerUrl)?, get(&self.conn, Key::SessionToken)?) {
                (Some(server), Some(token)) => Some(ServerSession { server, token }),
                _ => None,
            },
        )
    }

    /// Whether this device holds a session token.
    pub fn logged_in(&self) -> Result<bool> {
        Ok(get(&self.conn, Key::SessionToken)?.is_some())
    }

    /// Remembers a session the server at `server` handed out to this
    /// device (bound to its current id), the account's key (`None`, for an
    /// account without one, keeps whatever key is here: a key is never
    /// dropped silently, it may be the last copy) and what the person
    /// allowed for that server, all of it at once: a half-saved login would
    /// sync with the wrong token or the wrong key.
    pub fn set_session(
        &mut self,
        server: &str,
        session: &crate::sync::wire::Session,
        key: Option<&AccountKey>,
        trust: &ServerTrust,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        match key {
            Some(key) => {
                set(&tx, Key::AccountSecret, &key.to_hex())?;
                set(&tx, Key::AccountSealed, "1")?;
            }
            None => remove(&tx, Key::AccountSealed)?,
        }
        match (key, &session.key_check) {
            (Some(_), Some(check)) => set(&tx, Key::AccountKeyCheck, check)?,
            _ => remove(&tx, Key::AccountKeyCheck)?,
        }
        set(&tx, Key::ServerUrl, server)?;
        set(&tx, Key::ServerUser, &session.user)?;
        set(&tx, Key::SessionToken, &session.token)?;
        set(&tx, Key::SessionDevice, &self.device_id)?;
        match trust.allow_plain_http {
            true => set(&tx, Key::ServerAllowHttp, "1")?,
            false => remove(&tx, Key::ServerAllowHttp)?,
        }
        match &trust.ca_file {
            Some(path) => set(&tx, Key::ServerCaFile, &path.to_string_lossy())?,
            None => remove(&tx, Key::ServerCaFile)?,
        }
        tx.commit()?;
        Ok(())
    }

    /// The key of the account this device logged in to, if it is encrypted.
    /// Kept after logging out: it is the only way back to the data.
    pub fn account_key(&self) -> Result<Option<AccountKey>> {
        get(&self.conn, Key::AccountSecret)?
            .map(|hex| {
                AccountKey::parse(&hex).map_err(|_| {
                    Error::other("this database's account key is damaged: log in again with the key from `pump key` on another device")
                })
            })
            .transpose()
    }

    /// The key this device is moving the account to and the check the
    /// server is asked to take for it, if a move started here (see
    /// [`Store::keep_next_account_key`]).
    pub fn next_account_key(&self) -> Result<Option<(AccountKey, String)>> {
        let (Some(hex), Some(check)) = (
            get(&self.conn, Key::NextAccountSecret)?,
            get(&self.conn, Key::NextKeyCheck)?,
        ) else {
            return Ok(None);
        };
        let key = AccountKey::parse(&hex).map_err(|_| {
            Error::other("this database's new account key is damaged: run `pump key` with the same flag again")
        })?;
        Ok(Some((key, check)))
    }

    /// Keeps `key`, and `check` (its check, which has a random nonce: a
    /// retry must send the same one), as what the account is moving to,
    /// durably, before the server is asked to take the check.
    pub fn keep_next_account_key(&mut self, key: &AccountKey, check: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        set(&tx, Key::NextAccountSecret, &key.to_hex())?;
        set(&tx, Key::NextKeyCheck, check)?;
        tx.commit()?;
        Ok(())
    }

    /// The check the server keeps for this account's key, as this device
    /// last learned it (at login, or when it changed the key).
    pub fn account_key_check(&self) -> Result<Option<String>> {
        get(&self.conn, Key::AccountKeyCheck)
    }

    /// The keys of the account's previous key, while a key change this
    /// device made is under way.
    pub fn retired_row_keys(&self) -> Result<Option<RowKeys>> {
        get(&self.conn, Key::RetiredAccountSecret)?
            .map(|hex| {
                AccountKey::parse(&hex).map(|key| key.row_keys()).map_err(|_| {
                    Error::other("this database's previous account key is damaged: run `pump sync --full`")
                })
            })
            .transpose()
    }

    /// Forgets the previous key: every row went out under the new one.
    pub fn forget_retired_key(&mut self) -> Result<()> {
        remove(&self.conn, Key::RetiredAccountSecret)
    }

    /// The keys that seal and open this account's rows: `None` for an
    /// account without a key (its rows travel as plaintext). Digests are
    /// keyed with the digest key the account's key check names.
    pub fn row_keys(&self) -> Result<Option<RowKeys>> {
        if get(&self.conn, Key::AccountSealed)?.is_none() {
            return Ok(None);
        }
        match self.account_key()? {
            Some(key) => Ok(Some(key.row_keys_digesting(&self.digest_key(&key)?))),
            None => Err(Error::new(
                ErrorKind::Unauthorized,
                "this account is encrypted and this database has lost its key: `pump login` again with the key \
                 `pump key` shows on another device",
            )),
        }
    }

    /// The key of this account's digests, for `key`: the one the account's
    /// key check hands on (after a rotation), else `key`'s own (a check
    /// from before checks carried one, or none known yet).
    pub fn digest_key(&self, key: &AccountKey) -> Result<DigestKey> {
        Ok(self
            .account_key_check()?
            .and_then(|check| key.digest_key(&check))
            .unwrap_or_else(|| key.own_digest_key()))
    }

    /// The device id this device's session syncs as, when known.
    pub fn session_device(&self) -> Result<Option<String>> {
        get(&self.conn, Key::SessionDevice)
    }

    /// Keeps the session the server handed out when this database's session
    /// followed it to a new device id.
    pub fn set_session_token(&mut self, token: &str, device: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        set(&tx, Key::SessionToken, token)?;
        set(&tx, Key::SessionDevice, device)?;
        tx.commit()?;
        Ok(())
    }

    /// What the person allowed at the last login.
    pub fn server_trust(&self) -> Result<ServerTrust> {
        Ok(ServerTrust {
            allow_plain_http: get(&self.conn, Key::ServerAllowHttp)?.is_some(),
            ca_file: get(&self.conn, Key::ServerCaFile)?.map(std::path::PathBuf::from),
        })
    }

    /// Forgets the session token: this device is logged out, but still
    /// knows the server and account it used.
    pub fn end_session(&self) -> Result<()> {
        remove(&self.conn, Key::SessionToken)
    }

    /// When the last sync finished, if ever.
    pub fn last_sync(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(get(&self.conn, Key::LastSync)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.to_utc()))
    }

    /// Records that a sync finished at `at`: syncs are no longer failing.
    pub fn set_last_sync(&mut self, at: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        set(&tx, Key::LastSync, &at.to_rfc3339())?;
        remove(&tx, Key::SyncFailingSince)?;
        tx.commit()?;
        Ok(())
    }

    /// Records that a sync could not reach the server at `at`; the first
    /// such time since the last sync that finished is kept.
    pub fn note_sync_failure(&self, at: DateTime<Utc>) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING")?
            .execute(params![Key::SyncFailingSince.name(), at.to_rfc3339()])?;
        Ok(())
    }

    /// Since when syncs have been failing to reach the server, if they are.
    pub fn sync_failing_since(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(get(&self.conn, Key::SyncFailingSince)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.to_utc()))
    }

    /// The id of the workout open on this device, if any. Which workout is
    /// open is this device's own business, not synced data.
    pub fn open_workout(&self) -> Result<Option<String>> {
        get(&self.conn, Key::OpenWorkout)
    }

    /// Opens the workout `id` on this device, or closes it (`None`).
    pub fn set_open_workout(&self, id: Option<&str>) -> Result<()> {
        match id {
            Some(id) => set(&self.conn, Key::OpenWorkout, id),
            None => remove(&self.conn, Key::OpenWorkout),
        }
    }

    /// Where the next pull starts.
    pub fn sync_cursor(&self) -> Result<u64> {
        number(&self.conn, Key::SyncCursor)
    }

    /// The data generation: it moves on with every change to the records.
    pub fn generation(&self) -> Result<u64> {
        number(&self.conn, Key::Generation)
    }

    /// How conflicts ended since this database began.
    pub fn conflict_totals(&self) -> Result<ConflictTotals> {
        Ok(ConflictTotals {
            auto_merged: number(&self.conn, Key::AutoMergedTotal)?,
            resolved: number(&self.conn, Key::ResolvedTotal)?,
            held: number(&self.conn, Key::HeldTotal)?,
        })
    }
}
