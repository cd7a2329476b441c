//! The storage contract: what a backend must keep. What to do with each
//! pushed row and where the next pull starts are not a backend's business:
//! they are decided once, in `sync::server_rules`.

use crate::sync::wire::{SyncRequest, SyncResponse};

/// A user's key in storage. Every row, session and sequence number belongs to one.
pub type UserId = i64;

/// An account, as seen by the HTTP layer once a token or a password checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
}

/// SHA-256 of a session token: what storage keeps instead of the token, so a
/// leaked database does not leak working sessions.
pub type TokenHash = [u8; 32];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// `create_user` with a name that is taken (names compare case-insensitively).
    UserExists,
    /// A sync whose lineage is neither the confirmed one nor a retry: another
    /// database has synced under this device id since (a copied file).
    /// `already_stored` lists the pushed rows (by position) the server holds
    /// with exactly that clock and content: history the copies share.
    DeviceForked { already_stored: Vec<usize> },
    /// Anything else: a broken database, a full disk, a crashed request. The
    /// text is for the server's log, not for the client.
    Internal(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::UserExists => f.write_str("this user name is already taken"),
            StorageError::DeviceForked { .. } => f.write_str("another database has synced under this device id"),
            StorageError::Internal(detail) => f.write_str(detail),
        }
    }
}

/// Where accounts, sessions and rows live. Object-safe so the server holds an
/// `Arc<dyn Storage>` and a new backend needs no change to HTTP or sync code.
/// Methods block: the HTTP layer calls them from `spawn_blocking`.
pub trait Storage: Send + Sync {
    /// Stores a new account with an already computed password hash.
    fn create_user(&self, name: &str, password_hash: &str) -> Result<User, StorageError>;
    /// The account and its password hash, for checking a login.
    fn password_hash(&self, name: &str) -> Result<Option<(User, String)>, StorageError>;
    fn create_session(&self, user: UserId, token: &TokenHash) -> Result<(), StorageError>;
    fn user_for_token(&self, token: &TokenHash) -> Result<Option<User>, StorageError>;
    /// Returns whether a session was removed.
    fn revoke_session(&self, token: &TokenHash) -> Result<bool, StorageError>;
    /// One sync round for `user`, in ONE transaction: apply `decide` to each
    /// row in order, then pull a page with `finish_page`. The request has
    /// passed `validate_sync_request`.
    fn sync(&self, user: UserId, request: &SyncRequest) -> Result<SyncResponse, StorageError>;
}
