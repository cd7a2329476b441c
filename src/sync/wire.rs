//! Wire types shared by the client engine and the server. Everything that
//! crosses the network is defined here, once, so both sides agree by
//! construction. See `sync/mod.rs` for the protocol itself.

use crate::clock::VectorClock;
use serde::{Deserialize, Serialize};

/// Bumped on any incompatible change; the server answers 400 to versions it
/// does not speak.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest counter a clock entry may hold: 2^48 writes to one record by
/// one device is beyond any real history (a write a second for nine million
/// years), so a larger counter comes from a hostile or broken client. Servers
/// refuse such rows (400) and devices leave them out; the bound also leaves
/// every counter far below `u64::MAX`, so no bump of an honest edit can wrap.
pub const MAX_COUNTER: u64 = 1 << 48;

/// Whether every counter of `clock` is within [`MAX_COUNTER`].
pub fn counters_within_bounds(clock: &VectorClock) -> bool {
    clock.entries().all(|(_, counter)| counter <= MAX_COUNTER)
}

/// A body as it travels and as a server keeps it: JSON text the server
/// never parses into values. For an encrypted account it is a JSON string,
/// the sealed body (`crypto::RowKeys::seal`); for a plaintext one, the
/// record's JSON object. Two are equal when their text is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WireBody(Box<serde_json::value::RawValue>);

impl WireBody {
    /// `json` as a body, once checked to be one JSON value (not parsed into
    /// values: the check is a scan).
    pub fn from_json(json: String) -> Result<WireBody, serde_json::Error> {
        serde_json::value::RawValue::from_string(json).map(WireBody)
    }

    /// A sealed body (base64 text) as a body: a JSON string.
    pub fn sealed(sealed: &str) -> WireBody {
        WireBody::from_json(serde_json::to_string(sealed).expect("a string always serialises"))
            .expect("serde_json writes valid JSON")
    }

    /// The body's JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for WireBody {
    fn eq(&self, other: &WireBody) -> bool {
        self.get() == other.get()
    }
}

/// A row as it travels: its body opaque (see [`WireBody`]).
pub type WireRow = Row<WireBody>;

/// One version of one record. `body` is the record's JSON (a workout, an
/// alias, …) on devices, which work on open rows, and a [`WireBody`] on
/// the wire and on the server (a [`WireRow`]); a tombstone keeps its last
/// body so an edit that raced the delete can still be shown side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "B: Serialize", deserialize = "B: Deserialize<'de>"))]
pub struct Row<B = serde_json::Value> {
    /// The record kind's name (see `sync::kinds`); a string, so a pump can
    /// pass over a kind only a newer pump knows.
    pub kind: String,
    /// The record's id, unique within its kind.
    pub id: String,
    /// The version's vector clock: which writes it includes.
    pub clock: VectorClock,
    /// Whether this version is a tombstone.
    pub deleted: bool,
    /// The record's JSON, open or as it travels.
    pub body: B,
    /// Which device wrote this version, and when: shown to a person
    /// resolving a conflict, never used to decide anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Pushed rows only: the writes this device made to the record since
    /// the version it last synced, one [`Dot`] each, oldest first. The server
    /// records them, and refuses a row whose dots contradict ones it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dots: Vec<Dot>,
    /// Pushed rows: the [`content_digest`] of this version's content, which
    /// the server keeps with the row and compares, instead of the bodies,
    /// to tell a retry (equal clock, equal digest) from a copied database
    /// (equal clock, other digest). Absent from older pumps' rows, and so
    /// from rows they stored: then the bodies are compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// One write of one record: the `counter`-th write of it by `device` (its
/// entry in the clock right after the write) and a digest of the content it
/// produced.
///
/// A device id names one database, so a dot names one content. Two
/// databases that share an id (a copied file, a restored VM snapshot) break
/// that: both write the same counters with different content. The
/// whole-clock comparison catches that only while the two versions meet
/// with equal clocks; once some device has built on one of them, the other
/// looks merely older and would be dropped as stale. Dots keep the evidence:
/// the server records every dot it is shown, and a pushed row whose dot
/// carries another digest than the recorded one is a `collision`, however
/// its clock compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dot {
    /// The device id that wrote.
    pub device: String,
    /// Its clock entry right after the write.
    pub counter: u64,
    /// The [`content_digest`] of what the write produced.
    pub digest: String,
}

/// The digest a [`Dot`] carries: 128 bits of SHA-256 over the tombstone flag
/// and the canonical JSON body, in hex. Every device computes the same one
/// for the same content.
pub fn content_digest(deleted: bool, canonical_body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(if deleted { b"1" } else { b"0" });
    hasher.update(canonical_body.as_bytes());
    let hash = hasher.finalize();
    hash[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Who wrote a version, for people resolving a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// The writing device's name (not its id).
    pub device: String,
    /// When it wrote.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl<B> Row<B> {
    /// This row with its body replaced by `body` (opened or sealed), every
    /// other field kept.
    pub fn with_body<C>(self, body: C) -> Row<C> {
        Row {
            kind: self.kind,
            id: self.id,
            clock: self.clock,
            deleted: self.deleted,
            body,
            origin: self.origin,
            dots: self.dots,
            digest: self.digest,
        }
    }
}

impl Row {
    /// This row with its body as its canonical JSON text (`serde_json`'s,
    /// keys sorted): how a device holds a row it pushes.
    pub fn to_text(&self) -> WireRow {
        let text = serde_json::to_string(&self.body).expect("a JSON value always serialises");
        self.clone()
            .with_body(WireBody::from_json(text).expect("serde_json writes valid JSON"))
    }
}

impl WireRow {
    /// Same content, ignoring the clock: what "a retried request" means.
    /// By digest when both rows carry one, so the server need not read
    /// bodies; by tombstone flag and body bytes otherwise (rows stored by
    /// older pumps).
    pub fn same_content(&self, other: &WireRow) -> bool {
        match (&self.digest, &other.digest) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => self.deleted == other.deleted && self.body.get() == other.body.get(),
        }
    }

    /// The sealed body, when the body is one (a JSON string) rather than a
    /// plaintext JSON object.
    pub fn sealed_body(&self) -> Option<&str> {
        self.body
            .get()
            .starts_with('"')
            .then(|| serde_json::from_str(self.body.get()).ok())
            .flatten()
    }
}

/// `POST /v1/sync`: one round. The client pushes its pending rows (a page of
/// them) and pulls what changed since `cursor`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "B: Serialize", deserialize = "B: Deserialize<'de>"))]
pub struct SyncRequest<B = serde_json::Value> {
    /// [`PROTOCOL_VERSION`] of the client.
    pub protocol: u32,
    /// The pushing database's device id.
    pub device_id: String,
    /// Where this pull starts: the cursor of the last applied answer.
    pub cursor: u64,
    /// Pending rows, with their dots.
    pub rows: Vec<Row<B>>,
    /// How many changed rows the client is willing to receive in one answer.
    #[serde(default)]
    pub pull_limit: Option<u32>,
    /// Proof that this database is the one the server last synced under this
    /// device id (see [`Lineage`]). Optional in the type so an old client's
    /// request still decodes, but the server refuses a round without one.
    #[serde(default)]
    pub lineage: Option<Lineage>,
    /// The device's name for people (`pump device --name`), shown by `pump
    /// devices`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// How many of the device's rows wait to be pushed after this round's,
    /// shown by `pump devices` as what the device had pending at its last sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u64>,
    /// The check of the key this device seals with, for an encrypted
    /// account: the server refuses the round (412) when the account has
    /// moved to another key since (`pump key --rotate` on another device),
    /// so rows sealed under a retired key are never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_check: Option<String>,
}

impl<B> SyncRequest<B> {
    /// The same round carrying `rows` instead: its rows as they travel,
    /// sealed or not (see `sync::sealed`).
    pub fn with_rows<C>(&self, rows: Vec<Row<C>>) -> SyncRequest<C> {
        SyncRequest {
            protocol: self.protocol,
            device_id: self.device_id.clone(),
            cursor: self.cursor,
            rows,
            pull_limit: self.pull_limit,
            lineage: self.lineage.clone(),
            device_name: self.device_name.clone(),
            pending: self.pending,
            key_check: self.key_check.clone(),
        }
    }
}

/// A copied database file carries its device id along, and two databases
/// writing under one id would reuse its clock counters for different
/// content. So every pushing round carries a fresh random token (`next`),
/// which the server keeps, and names the tokens it may already have kept:
/// the last one the server confirmed, and those of rounds whose answer never
/// arrived (`unconfirmed`). A database whose named tokens do not include the
/// server's is a copy whose twin synced since: refused (409) before any of
/// its rows are stored. Tokens are drawn per attempt, so two copies never
/// present the same `next`, even when copied with a round in flight. The
/// same request delivered twice presents the kept `next` and is a retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// The token of the last round whose answer this database applied.
    #[serde(default)]
    pub confirmed: Option<String>,
    /// Tokens of rounds sent since whose answers never arrived.
    #[serde(default)]
    pub unconfirmed: Vec<String>,
    /// This round's fresh token.
    pub next: String,
}

impl Lineage {
    /// The lineage a round that pushes nothing presents once the round
    /// that presented this one is applied: its token confirmed, none
    /// unconfirmed (what `Store::lineage_for` then gives).
    pub fn once_applied(&self) -> Lineage {
        Lineage {
            confirmed: Some(self.next.clone()),
            unconfirmed: Vec::new(),
            next: self.next.clone(),
        }
    }
}

/// What the server did with one pushed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Stored (or already stored with this exact clock and content).
    Accepted,
    /// The server holds a version that dominates this one; it is in `server`.
    Stale,
    /// The server holds a concurrent version; it is in `server`. Nothing stored.
    Conflict,
    /// Same clock, different content: two devices share a device id (a copied
    /// database file). Nothing stored; the client must take a new device id.
    Collision,
}

/// The server's answer about one pushed row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "B: Serialize", deserialize = "B: Deserialize<'de>"))]
pub struct RowResult<B = serde_json::Value> {
    /// The pushed row's kind, echoed so the client can check the pairing.
    pub kind: String,
    /// The pushed row's id, likewise.
    pub id: String,
    /// What the server did with it.
    pub status: RowStatus,
    /// The server's version, for every status but `Accepted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Row<B>>,
}

/// The answer to `POST /v1/sync`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "B: Serialize", deserialize = "B: Deserialize<'de>"))]
pub struct SyncResponse<B = serde_json::Value> {
    /// [`PROTOCOL_VERSION`] of the server.
    pub protocol: u32,
    /// One result per pushed row, in the order they were sent.
    pub results: Vec<RowResult<B>>,
    /// Rows other devices changed since the request's cursor (rows accepted
    /// in this very request are not echoed back).
    pub changes: Vec<Row<B>>,
    /// Where the next pull starts.
    pub cursor: u64,
    /// More changes are waiting: ask again.
    pub more: bool,
    /// The identity of this account's data on this server: random, made
    /// with it, and made anew when the server finds it has lost rounds it
    /// once answered (restored from a backup). A device remembers it with
    /// its cursor; another identity means the server is not the one the
    /// cursor was about, so the device sends everything it holds again and
    /// pulls from the start. Absent from servers older than it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
}

/// `POST /v1/register` and `POST /v1/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credentials {
    /// The account name.
    pub user: String,
    /// The password, in clear over the (TLS) connection.
    pub password: String,
    /// The device id of the database logging in: the session only ever
    /// syncs as this device. Without one (an older pump), the session is
    /// bound to the device of its first sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Register only: the new account key's check (`crypto::AccountKey::key_check`),
    /// which the server keeps and hands to every later login. The key
    /// itself never leaves the device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_check: Option<String>,
}

/// The answer to a successful register or login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The account name, as the server spells it.
    pub user: String,
    /// The bearer token for later requests.
    pub token: String,
    /// The account key's check, for the device to try its key on before
    /// it syncs anything; absent for an account without one (created before
    /// encryption, or by `pump server useradd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_check: Option<String>,
}

/// `POST /v1/key`: sets the account's key check, from `expected` (none,
/// for a plaintext account moving to encryption) to `key_check`, only if
/// the device has pulled everything (`cursor` is the server's head): a row
/// it has not seen could be plaintext it would never re-seal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyChange {
    /// The check the device believes the account has now.
    pub expected: Option<String>,
    /// The check of the key the account moves to.
    pub key_check: String,
    /// The device's sync cursor.
    pub cursor: u64,
}

/// Every non-2xx answer carries one of these.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, for the person.
    pub error: String,
    /// Only in a 409 to `POST /v1/sync` (this database is a copy whose twin
    /// synced since): the positions, in the refused request, of the rows the
    /// server already holds with exactly that clock and content. Those are
    /// history both copies share, not the copy's own writes, so the copy
    /// keeps their clocks instead of re-attributing them to its new id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub already_stored: Vec<usize>,
}

/// `POST /v1/session/fork` (a device that took a new id asks for a session
/// bound to it) and `POST /v1/devices/revoke` (end a device's sessions).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceRef {
    /// The device id meant.
    pub device_id: String,
}

/// `POST /v1/password`: a signed-in device changes its account's password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordChange {
    /// The current password: a session alone must not be enough to take
    /// the account over.
    pub password: String,
    /// The password from now on.
    pub new_password: String,
    /// Also end every other session of the account (a lost phone, a leaked
    /// password): only the device asking stays signed in.
    #[serde(default)]
    pub revoke_other_sessions: bool,
}

/// How many sessions a password change or a device revocation ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revoked {
    /// The number of sessions ended.
    pub revoked: u64,
}

/// `GET /v1/devices`: what the server knows of each device of the account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceList {
    /// Every device that ever synced, most recently synced first.
    pub devices: Vec<DeviceSummary>,
}

/// One device of an account, as the server saw it at its last sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// The device id.
    pub id: String,
    /// The name the device last sent, if any.
    #[serde(default)]
    pub name: Option<String>,
    /// When it last synced.
    #[serde(default)]
    pub last_sync: Option<chrono::DateTime<chrono::Utc>>,
    /// The rows it reported still pending at its last sync.
    #[serde(default)]
    pub pending: Option<u64>,
    /// How many of the rows the server holds it wrote last.
    pub rows: u64,
    /// Whether a live session is bound to it: false once revoked or expired.
    pub signed_in: bool,
}
