//! The server's sync rules, pure: what to do with each pushed row
//! ([`decide`]), whether a round comes from the database the server expects
//! ([`check_lineage`]), which requests are well formed
//! ([`validate_sync_request`]) and where the next pull starts
//! ([`finish_page`]).
//!
//! They are the protocol itself, so they live here, free of SQL and HTTP:
//! tested exhaustively without a database, and shared by every server
//! storage backend through the one round in `server::round`, so no backend
//! can answer `stale` where another answers `conflict`.

use crate::clock::Causality;
use crate::sync::wire::{KeyChange, Lineage, MAX_COUNTER, PROTOCOL_VERSION, RowStatus, SyncRequest, WireBody, WireRow};

/// What a sync round's lineage says about the database sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineageCheck {
    /// The expected database (or the first sync under this id): keep `next`.
    Advance,
    /// The round the server already accepted, sent again: nothing to keep.
    Retry,
    /// Another database moved this device id's lineage on: a copy.
    Forked,
}

/// Judges a round's lineage against the one the server keeps for its device
/// id (`stored`). Pure, so every storage backend judges lineage the same way.
pub fn check_lineage(stored: Option<&str>, presented: &Lineage) -> LineageCheck {
    match stored {
        None => LineageCheck::Advance,
        Some(s) if s == presented.next => LineageCheck::Retry,
        Some(s) if presented.confirmed.as_deref() == Some(s) || presented.unconfirmed.iter().any(|u| u == s) => {
            LineageCheck::Advance
        }
        Some(_) => LineageCheck::Forked,
    }
}

/// What to do with one pushed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Store it under the user's next sequence number; answer `accepted`.
    Store,
    /// The very same version is stored already (a retried request): answer
    /// `accepted` and change nothing, so no new sequence number is spent.
    AlreadyStored,
    /// Store nothing; answer this status with the server's row.
    Refuse(RowStatus),
}

/// The one place that decides a pushed row's fate against the stored
/// version. `recorded` holds, for each of the row's dots, the digest the
/// server recorded for that write, if it recorded one: a different digest
/// means two databases made that write under one device id (a copied file),
/// a `collision` whatever the clocks say.
pub fn decide<S: AsRef<str>>(stored: Option<&WireRow>, incoming: &WireRow, recorded: &[Option<S>]) -> Decision {
    let reused = incoming
        .dots
        .iter()
        .zip(recorded)
        .any(|(dot, seen)| seen.as_ref().is_some_and(|digest| digest.as_ref() != dot.digest));
    let Some(stored) = stored else {
        return Decision::Store;
    };
    if reused {
        return Decision::Refuse(RowStatus::Collision);
    }
    match incoming.clock.compare(&stored.clock) {
        Causality::After => Decision::Store,
        Causality::Equal if incoming.same_content(stored) => Decision::AlreadyStored,
        // A key change (a plaintext account's first key, or a rotation)
        // re-sends every row sealed with its clock unchanged: the same
        // version, which the stored one's digest (none: plaintext, or
        // forgotten with the old key) cannot be compared with.
        Causality::Equal
            if incoming.sealed_body().is_some() && (stored.sealed_body().is_none() || stored.digest.is_none()) =>
        {
            Decision::Store
        }
        Causality::Equal => Decision::Refuse(RowStatus::Collision),
        Causality::Before => Decision::Refuse(RowStatus::Stale),
        Causality::Concurrent => Decision::Refuse(RowStatus::Conflict),
    }
}

/// Why a round's rows are refused for their form: plaintext where only
/// sealed rows belong. Nothing of the round is stored; the device keeps
/// them pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormRefusal {
    /// A plaintext row to an account that has a key: the device has not
    /// learned the key yet (another device encrypted the account).
    #[error(
        "this account is encrypted now and this device has no key for it: run `pump login` and give the key \
         `pump key` shows on another device; nothing was lost, its changes stay pending"
    )]
    AccountEncrypted,
    /// A round sealed under a key the account has moved away from (`pump
    /// key --rotate` on another device).
    #[error(
        "this account's key changed on another device: run `pump login` and give the key `pump key` shows \
         there; nothing was lost, changes stay pending"
    )]
    KeyChanged,
    /// A plaintext row to an account without a key, on a server that keeps
    /// plaintext only when started with `--allow-plaintext`.
    #[error(
        "this server keeps only encrypted accounts: run `pump key --enable` on one device to encrypt this \
         account; nothing was lost, changes stay pending"
    )]
    PlaintextNotAllowed,
}

/// Checks a round's form for an account with `key_check`: a round sealed
/// under another key than the account's is refused; so is a plaintext row
/// by an encrypted account (other devices would refuse it, as a server
/// could have forged it), and by a plaintext account unless the server
/// `allow_plaintext` (for migration).
pub fn check_form(
    key_check: Option<&str>,
    allow_plaintext: bool,
    request: &SyncRequest<WireBody>,
) -> Result<(), FormRefusal> {
    if request.key_check.is_some() && request.key_check.as_deref() != key_check {
        return Err(FormRefusal::KeyChanged);
    }
    if request.rows.iter().all(|row| row.sealed_body().is_some()) {
        return Ok(());
    }
    match (key_check, allow_plaintext) {
        (Some(_), _) => Err(FormRefusal::AccountEncrypted),
        (None, false) => Err(FormRefusal::PlaintextNotAllowed),
        (None, true) => Ok(()),
    }
}

/// What to do with a [`KeyChange`] to an account whose check is `current`
/// and whose head is `head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChangeCheck {
    /// Set the new check. The recorded dots are kept when the account had
    /// a key (a rotation: the new check hands the digest key on, so a
    /// copied database's reused counter is still told from the original's
    /// write) and forgotten when it had none (their digests were unkeyed).
    Set {
        /// Whether the recorded dots stay.
        keep_dots: bool,
    },
    /// The account has this check already: a retry.
    AlreadySet,
    /// Rows arrived that the device has not pulled: it pulls, then asks again.
    Behind,
    /// The account's check is neither the expected one nor the new one:
    /// another device changed the key.
    OtherKey,
}

/// Decides a [`KeyChange`] (see [`KeyChangeCheck`]).
pub fn check_key_change(current: Option<&str>, change: &KeyChange, head: u64) -> KeyChangeCheck {
    if current == Some(change.key_check.as_str()) {
        KeyChangeCheck::AlreadySet
    } else if current != change.expected.as_deref() {
        KeyChangeCheck::OtherKey
    } else if change.cursor != head {
        KeyChangeCheck::Behind
    } else {
        KeyChangeCheck::Set {
            keep_dots: current.is_some(),
        }
    }
}

/// Whether [`decide`] needs the dots recorded for a pushed row: only
/// against a stored version. A record the server does not hold is stored
/// whatever they say, so a push of new records skips a lookup per dot.
pub fn needs_recorded_dots(stored: Option<&WireRow>) -> bool {
    stored.is_some()
}

/// Whether the server keeps the dots of a row decided so: those of every
/// version it stores or already holds, never those of a collision.
pub fn records_dots(decision: Decision) -> bool {
    matches!(decision, Decision::Store | Decision::AlreadyStored)
}

/// Changes one answer carries when the client does not say.
pub const DEFAULT_PULL_LIMIT: u32 = 1000;
/// Changes one answer carries at most, whatever the client asks: bounds the
/// memory and time one request may take.
pub const MAX_PULL_LIMIT: u32 = 5000;
/// Pushed rows per request: room for a first sync of years of workouts.
pub const MAX_ROWS_PER_REQUEST: usize = 20_000;
/// Devices in one row's clock: far more than anyone owns, far fewer than
/// would make comparing clocks costly.
pub const MAX_CLOCK_ENTRIES: usize = 1000;
/// Characters in a record id or a device id (ours are 36-character UUIDs).
pub const MAX_ID_CHARS: usize = 64;
/// Characters in a record kind ("workout", "bodyweight", …).
pub const MAX_KIND_CHARS: usize = 32;
/// Dots per pushed row: one per write since the last sync, so thousands
/// mean months of edits to one workout without a sync.
pub const MAX_DOTS_PER_ROW: usize = 10_000;
const MAX_DIGEST_CHARS: usize = 64;
/// Characters in a lineage token (ours are 32 hex digits).
pub const MAX_LINEAGE_TOKEN_CHARS: usize = 64;
/// Unconfirmed lineage tokens one round may name (a client keeps 32).
pub const MAX_UNCONFIRMED_TOKENS: usize = 64;
/// Characters in a device name (`pump device --name` allows 64).
pub const MAX_DEVICE_NAME_CHARS: usize = 64;

/// How many changes one answer may carry: the client's wish, capped.
pub fn pull_limit(request: &SyncRequest<WireBody>) -> usize {
    request.pull_limit.unwrap_or(DEFAULT_PULL_LIMIT).min(MAX_PULL_LIMIT) as usize
}

/// Checks everything a backend relies on before it touches the database, so
/// a bad request stores nothing at all. The message names the offending row.
pub fn validate_sync_request(request: &SyncRequest<WireBody>) -> Result<(), String> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(format!(
            "this server speaks sync protocol {PROTOCOL_VERSION}, the client sent {}: update pump on this device",
            request.protocol
        ));
    }
    check_device_id(&request.device_id).map_err(|e| format!("device_id {e}"))?;
    if request.pull_limit == Some(0) {
        return Err("pull_limit is 0: ask for at least 1 change (or leave it out)".into());
    }
    let Some(lineage) = &request.lineage else {
        return Err("the request carries no lineage: update pump on this device".into());
    };
    validate_lineage(lineage)?;
    if let Some(name) = &request.device_name
        && name.chars().count() > MAX_DEVICE_NAME_CHARS
    {
        return Err(format!(
            "device_name must be at most {MAX_DEVICE_NAME_CHARS} characters"
        ));
    }
    if request.rows.len() > MAX_ROWS_PER_REQUEST {
        return Err(format!(
            "the request carries {} rows: send at most {MAX_ROWS_PER_REQUEST} per request",
            request.rows.len()
        ));
    }
    for (index, row) in request.rows.iter().enumerate() {
        validate_row(row).map_err(|e| format!("row {index} ({}/{}): {e}", short(&row.kind), short(&row.id)))?;
    }
    Ok(())
}

/// Every token 1 to [`MAX_LINEAGE_TOKEN_CHARS`] characters, at most
/// [`MAX_UNCONFIRMED_TOKENS`] of them: a lineage is compared against stored
/// tokens, so its size must not be the client's choice.
fn validate_lineage(lineage: &Lineage) -> Result<(), String> {
    if lineage.unconfirmed.len() > MAX_UNCONFIRMED_TOKENS {
        return Err(format!(
            "the lineage names {} unconfirmed tokens: at most {MAX_UNCONFIRMED_TOKENS} are allowed",
            lineage.unconfirmed.len()
        ));
    }
    let tokens = std::iter::once(&lineage.next)
        .chain(&lineage.confirmed)
        .chain(&lineage.unconfirmed);
    for token in tokens {
        let chars = token.chars().count();
        if chars == 0 || chars > MAX_LINEAGE_TOKEN_CHARS {
            return Err(format!(
                "a lineage token must be 1 to {MAX_LINEAGE_TOKEN_CHARS} characters, got {chars}"
            ));
        }
    }
    Ok(())
}

fn validate_row(row: &WireRow) -> Result<(), String> {
    let kind_chars = row.kind.chars().count();
    if kind_chars == 0 || kind_chars > MAX_KIND_CHARS || !row.kind.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!(
            "kind must be 1 to {MAX_KIND_CHARS} characters from a-z and _, like \"workout\""
        ));
    }
    let id_chars = row.id.chars().count();
    if id_chars == 0 || id_chars > MAX_ID_CHARS {
        return Err(format!("id must be 1 to {MAX_ID_CHARS} characters"));
    }
    // The body's bytes pass through unread; only its form is checked.
    let sealed = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    };
    if !row.body.get().starts_with('{') && !row.sealed_body().is_some_and(sealed) {
        return Err("body must be a JSON object, or a sealed body as a JSON string".into());
    }
    if row.clock.len() > MAX_CLOCK_ENTRIES {
        return Err(format!(
            "the clock has {} entries: at most {MAX_CLOCK_ENTRIES} are allowed",
            row.clock.len()
        ));
    }
    // An all-zero clock compares Equal to the empty one: both mean "never written".
    if row.clock.entries().all(|(_, counter)| counter == 0) {
        return Err("the clock is empty: every stored version has been written at least once".into());
    }
    for (device, counter) in row.clock.entries() {
        check_device_id(device).map_err(|e| format!("clock device {e}"))?;
        check_counter(counter)?;
    }
    if row.dots.len() > MAX_DOTS_PER_ROW {
        return Err(format!(
            "the row carries {} dots: at most {MAX_DOTS_PER_ROW} are allowed",
            row.dots.len()
        ));
    }
    for dot in &row.dots {
        check_device_id(&dot.device).map_err(|e| format!("dot device {e}"))?;
        check_counter(dot.counter)?;
        let digest_chars = dot.digest.chars().count();
        if dot.counter == 0 || digest_chars == 0 || digest_chars > MAX_DIGEST_CHARS {
            return Err(format!(
                "a dot needs a counter of at least 1 and a digest of 1 to {MAX_DIGEST_CHARS} characters"
            ));
        }
    }
    if let Some(digest) = &row.digest {
        let digest_chars = digest.chars().count();
        if digest_chars == 0 || digest_chars > MAX_DIGEST_CHARS {
            return Err(format!("digest must be 1 to {MAX_DIGEST_CHARS} characters"));
        }
    }
    Ok(())
}

fn check_counter(counter: u64) -> Result<(), String> {
    if counter > MAX_COUNTER {
        return Err(format!(
            "a counter of {counter} is beyond the largest allowed ({MAX_COUNTER}): no device writes that often"
        ));
    }
    Ok(())
}

/// A device id: 1 to [`MAX_ID_CHARS`] characters.
pub fn check_device_id(device: &str) -> Result<(), String> {
    let chars = device.chars().count();
    if chars == 0 || chars > MAX_ID_CHARS {
        return Err(format!("must be 1 to {MAX_ID_CHARS} characters, got {chars}"));
    }
    Ok(())
}

/// Keeps an error message one readable line even for a hostile 10 MB id.
fn short(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        text.chars().take(MAX).chain("…".chars()).collect()
    }
}

/// What an account stores, as its quota counts it: rows, and the bytes of
/// their clocks and bodies as stored ([`stored_bytes`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Rows (records, tombstones included).
    pub rows: u64,
    /// Bytes of their clocks and bodies.
    pub bytes: u64,
}

/// The most an account may store on a server (`pump server start
/// --quota-rows`, `--quota-mib`), so one account cannot fill the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The most rows.
    pub rows: u64,
    /// The most bytes, counted by [`stored_bytes`].
    pub bytes: u64,
}

impl Quota {
    /// No limit: for tests, and for tools that are not a server.
    pub const UNLIMITED: Quota = Quota {
        rows: u64::MAX,
        bytes: u64::MAX,
    };
}

/// The bytes a stored row counts for: its clock's and its body's JSON, as
/// the server writes them. The clock's is measured without building the text.
pub fn stored_bytes(row: &WireRow) -> u64 {
    struct Counter(u64);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a clock into memory cannot fail.
    let _ = serde_json::to_writer(&mut counter, &row.clock);
    counter.0 + row.body.get().len() as u64
}

/// Whether a round that takes an account from `before` to `after` may
/// commit. A round that does not grow what is over the quota always may:
/// an account over its quota (lowered by the operator) can still pull,
/// and push what does not grow it. The message is for the person.
pub fn check_quota(before: Usage, after: Usage, quota: Quota) -> Result<(), String> {
    if after.rows > quota.rows && after.rows > before.rows {
        return Err(format!(
            "this account would hold {} rows and this server allows {}: ask the server's operator to raise its \
             quota (--quota-rows)",
            after.rows, quota.rows
        ));
    }
    if after.bytes > quota.bytes && after.bytes > before.bytes {
        return Err(format!(
            "this account would hold {} MiB and this server allows {} MiB: ask the server's operator to raise its \
             quota (--quota-mib)",
            after.bytes.div_ceil(1 << 20),
            quota.bytes >> 20
        ));
    }
    Ok(())
}

/// The pull half of an answer.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows to send, in sequence order.
    pub changes: Vec<WireRow>,
    /// Where the client's next pull starts.
    pub cursor: u64,
    /// Whether rows remain beyond this page.
    pub more: bool,
}

/// Whether a round's cursor lies beyond anything this server numbered for
/// the user: the server once answered rounds it has since lost (its data
/// was restored from a backup, or replaced).
pub fn went_back_in_time(cursor: u64, head_before: u64) -> bool {
    cursor > head_before
}

/// Whether the server forgot a device that says it synced before: it names
/// a confirmed lineage token, and the server keeps none for its id. The
/// server lost the rounds that device took part in (restored from a backup
/// taken before them, or replaced), or is not the server it synced with.
pub fn forgot_the_device(stored: Option<&str>, presented: &Lineage) -> bool {
    stored.is_none() && presented.confirmed.is_some()
}

/// Where a pull starts. A cursor from a server that went back in time
/// starts over from 0 rather than silently skip what exists now.
pub fn pull_start(cursor: u64, head_before: u64) -> u64 {
    if went_back_in_time(cursor, head_before) {
        0
    } else {
        cursor
    }
}

/// Turns the rows a backend fetched into an answer.
///
/// `fetched` must be the rows with `from < seq <= head_before` in sequence
/// order, at most `limit + 1` of them (the extra one only tells that more
/// remain); `head_after` is the user's last sequence number after this
/// request's stores. Rows stored by this request are numbered above
/// `head_before`, so they are never fetched (the client has them), yet a
/// complete page moves the cursor past them. A partial page stops at its last
/// sent row, so no unsent row is ever skipped; the price is that the echoed
/// rows come back once in a later page, which the client sees as equal clocks.
pub fn finish_page(from: u64, mut fetched: Vec<(u64, WireRow)>, limit: usize, head_after: u64) -> Page {
    if fetched.len() > limit {
        fetched.truncate(limit);
        let cursor = fetched.last().map_or(from, |(seq, _)| *seq);
        Page {
            changes: fetched.into_iter().map(|(_, row)| row).collect(),
            cursor,
            more: true,
        }
    } else {
        Page {
            changes: fetched.into_iter().map(|(_, row)| row).collect(),
            cursor: head_after,
            more: false,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::VectorClock;
    use serde_json::json;

    /// A row whose clock has `counter` writes by each listed device.
    pub(crate) fn row(id: &str, clock: &[(&str, u64)], body: serde_json::Value) -> WireRow {
        let mut vc = VectorClock::new();
        for (device, counter) in clock {
            vc.set(device, *counter);
        }
        WireRow {
            kind: "workout".into(),
            id: id.into(),
            clock: vc,
            deleted: false,
            body: WireBody::from_json(body.to_string()).unwrap(),
            origin: None,
            dots: Vec::new(),
            digest: None,
        }
    }

    pub(crate) fn request(cursor: u64, rows: Vec<WireRow>) -> SyncRequest<WireBody> {
        SyncRequest {
            protocol: PROTOCOL_VERSION,
            device_id: "phone".into(),
            cursor,
            rows,
            pull_limit: None,
            lineage: None,
            device_name: None,
            pending: None,
            key_check: None,
        }
    }

    #[test]
    fn lineage_advances_accepts_a_retry_and_catches_a_copy() {
        let round = |confirmed: Option<&str>, unconfirmed: &[&str], next: &str| Lineage {
            confirmed: confirmed.map(Into::into),
            unconfirmed: unconfirmed.iter().map(|u| u.to_string()).collect(),
            next: next.into(),
        };
        assert_eq!(
            check_lineage(None, &round(None, &[], "a")),
            LineageCheck::Advance,
            "first sync under an id"
        );
        assert_eq!(
            check_lineage(Some("a"), &round(Some("a"), &[], "b")),
            LineageCheck::Advance
        );
        assert_eq!(
            check_lineage(Some("b"), &round(Some("a"), &[], "b")),
            LineageCheck::Retry,
            "delivered twice"
        );
        // b's answer was lost: the next attempt names b as unconfirmed.
        assert_eq!(
            check_lineage(Some("b"), &round(Some("a"), &["b"], "c")),
            LineageCheck::Advance
        );
        // The original moved a → b → c; a copy made with b in flight still
        // names a and b, with its own next.
        assert_eq!(
            check_lineage(Some("c"), &round(Some("a"), &["b"], "d")),
            LineageCheck::Forked
        );
        assert_eq!(
            check_lineage(Some("b"), &round(Some("a"), &[], "e")),
            LineageCheck::Forked
        );
        assert_eq!(check_lineage(Some("b"), &round(None, &[], "e")), LineageCheck::Forked);
    }

    /// No dots recorded for any of the incoming row's writes.
    const NONE: &[Option<&str>] = &[];

    #[test]
    fn decide_covers_all_five_cases() {
        let stored = row("w1", &[("a", 2)], json!({"name": "Push"}));
        let newer = row("w1", &[("a", 2), ("b", 1)], json!({"name": "Pull"}));
        assert_eq!(decide(None, &stored, NONE), Decision::Store);
        assert_eq!(decide(Some(&stored), &newer, NONE), Decision::Store);
        assert_eq!(decide(Some(&stored), &stored.clone(), NONE), Decision::AlreadyStored);
        let same_clock_other_body = row("w1", &[("a", 2)], json!({"name": "Legs"}));
        assert_eq!(
            decide(Some(&stored), &same_clock_other_body, NONE),
            Decision::Refuse(RowStatus::Collision)
        );
        let older = row("w1", &[("a", 1)], json!({"name": "Push"}));
        assert_eq!(decide(Some(&stored), &older, NONE), Decision::Refuse(RowStatus::Stale));
        let concurrent = row("w1", &[("a", 1), ("c", 1)], json!({"name": "Push"}));
        assert_eq!(
            decide(Some(&stored), &concurrent, NONE),
            Decision::Refuse(RowStatus::Conflict)
        );
    }

    #[test]
    fn plaintext_is_refused_by_an_encrypted_account_and_unless_allowed() {
        let plain = row("w1", &[("a", 1)], json!({"name": "Push"}));
        let mut sealed = plain.clone();
        sealed.body = WireBody::sealed("c2VhbGVk");
        let rows = |rows: Vec<WireRow>| request(0, rows);
        let both = rows(vec![sealed.clone(), plain]);
        for allowed in [true, false] {
            assert_eq!(check_form(Some("aa"), allowed, &rows(vec![sealed.clone()])), Ok(()));
            assert_eq!(check_form(None, allowed, &rows(vec![sealed.clone()])), Ok(()));
            assert_eq!(
                check_form(Some("aa"), allowed, &both),
                Err(FormRefusal::AccountEncrypted)
            );
            assert_eq!(check_form(Some("aa"), allowed, &rows(vec![])), Ok(()), "pulls always");
        }
        assert_eq!(check_form(None, true, &both), Ok(()));
        assert_eq!(check_form(None, false, &both), Err(FormRefusal::PlaintextNotAllowed));
        // A round sealed under a retired key, even a pull, is refused.
        let mut stale = rows(vec![]);
        stale.key_check = Some("old".into());
        assert_eq!(check_form(Some("new"), false, &stale), Err(FormRefusal::KeyChanged));
        stale.key_check = Some("new".into());
        assert_eq!(check_form(Some("new"), false, &stale), Ok(()));
    }

    #[test]
    fn a_key_change_is_set_once_from_the_expected_check_and_the_head() {
        let change = |expected: Option<&str>, cursor| KeyChange {
            expected: expected.map(str::to_string),
            key_check: "new".into(),
            cursor,
        };
        assert_eq!(
            check_key_change(None, &change(None, 7), 7),
            KeyChangeCheck::Set { keep_dots: false }
        );
        assert_eq!(check_key_change(None, &change(None, 6), 7), KeyChangeCheck::Behind);
        assert_eq!(
            check_key_change(Some("new"), &change(None, 0), 7),
            KeyChangeCheck::AlreadySet
        );
        assert_eq!(
            check_key_change(Some("old"), &change(None, 7), 7),
            KeyChangeCheck::OtherKey
        );
        assert_eq!(
            check_key_change(Some("old"), &change(Some("old"), 7), 7),
            KeyChangeCheck::Set { keep_dots: true }
        );
        assert_eq!(
            check_key_change(None, &change(Some("old"), 7), 7),
            KeyChangeCheck::OtherKey
        );
    }

    #[test]
    fn the_same_version_sealed_replaces_its_plaintext_but_not_the_reverse() {
        let plain = row("w1", &[("a", 1)], json!({"name": "Push"}));
        let mut sealed = plain.clone();
        sealed.body = WireBody::sealed("c2VhbGVk");
        sealed.digest = Some("keyed".into());
        assert_eq!(decide(Some(&plain), &sealed, NONE), Decision::Store);
        assert_eq!(
            decide(Some(&sealed), &plain, NONE),
            Decision::Refuse(RowStatus::Collision)
        );
    }

    #[test]
    fn a_write_recorded_with_other_content_is_a_collision_whatever_the_clocks_say() {
        use crate::sync::wire::Dot;
        let dot = |counter, digest: &str| Dot {
            device: "a".into(),
            counter,
            digest: digest.into(),
        };
        // The server holds a successor ({a:2, b:1}) of a's second write;
        // a twin of a pushes its own second write, which looks merely older.
        let stored = row("w1", &[("a", 2), ("b", 1)], json!({"name": "Push"}));
        let mut twin = row("w1", &[("a", 2)], json!({"name": "Legs"}));
        twin.dots = vec![dot(1, "d1"), dot(2, "other")];
        assert_eq!(
            decide(Some(&stored), &twin, &[Some("d1"), Some("d2")]),
            Decision::Refuse(RowStatus::Collision)
        );
        // With nothing stored the dots cannot change the decision: the
        // round does not look them up.
        assert!(!needs_recorded_dots(None) && needs_recorded_dots(Some(&stored)));
        assert_eq!(decide(None, &twin, &[Some("d1"), Some("d2")]), Decision::Store);
        assert_eq!(
            decide(Some(&stored), &twin, &[Some("d1"), Some("other")]),
            Decision::Refuse(RowStatus::Stale),
            "the same writes: simply older"
        );
        assert_eq!(
            decide(Some(&stored), &twin, &[Some("d1"), None]),
            Decision::Refuse(RowStatus::Stale),
            "a write never reported proves nothing"
        );
        assert!(records_dots(Decision::Store) && records_dots(Decision::AlreadyStored));
        assert!(!records_dots(Decision::Refuse(RowStatus::Collision)));
    }

    #[test]
    fn a_tombstone_with_the_same_clock_is_a_collision_not_a_retry() {
        let stored = row("w1", &[("a", 1)], json!({}));
        let mut deleted = stored.clone();
        deleted.deleted = true;
        assert_eq!(
            decide(Some(&stored), &deleted, NONE),
            Decision::Refuse(RowStatus::Collision)
        );
    }

    /// A request as a current client sends it: with a lineage.
    fn valid_request(rows: Vec<WireRow>) -> SyncRequest<WireBody> {
        let mut r = request(0, rows);
        r.lineage = Some(Lineage {
            confirmed: Some("a".into()),
            unconfirmed: vec!["b".into()],
            next: "c".into(),
        });
        r
    }

    #[test]
    fn validation_accepts_a_plain_request() {
        assert_eq!(
            validate_sync_request(&valid_request(vec![row("w1", &[("a", 1)], json!({}))])),
            Ok(())
        );
    }

    #[test]
    fn validation_names_what_is_wrong() {
        let bad = |edit: &dyn Fn(&mut SyncRequest<WireBody>)| {
            let mut r = valid_request(vec![row("w1", &[("a", 1)], json!({}))]);
            edit(&mut r);
            validate_sync_request(&r).unwrap_err()
        };
        assert!(bad(&|r| r.protocol = 2).contains("protocol 1, the client sent 2"));
        assert!(bad(&|r| r.device_id.clear()).starts_with("device_id must be"));
        assert!(bad(&|r| r.device_id = "d".repeat(65)).contains("got 65"));
        assert!(bad(&|r| r.pull_limit = Some(0)).starts_with("pull_limit is 0"));
        assert!(bad(&|r| r.rows[0].kind = "Workout".into()).starts_with("row 0 (Workout/w1): kind"));
        assert!(bad(&|r| r.rows[0].kind = "a".repeat(33)).contains("kind must be"));
        assert!(bad(&|r| r.rows[0].kind.clear()).contains("kind must be"));
        assert!(bad(&|r| r.rows[0].id.clear()).contains("id must be"));
        assert!(bad(&|r| r.rows[0].id = "x".repeat(65)).contains("id must be"));
        let body = |json: &str| WireBody::from_json(json.into()).unwrap();
        assert!(bad(&|r| r.rows[0].body = body("[1]")).contains("body must be a JSON object"));
        assert!(bad(&|r| r.rows[0].body = body(r#""not base64!""#)).contains("or a sealed body as a JSON string"));
        assert!(bad(&|r| r.rows[0].body = body("12")).contains("body must be a JSON object"));
        assert!(bad(&|r| r.rows[0].digest = Some(String::new())).contains("digest must be 1 to 64 characters"));
        assert!(bad(&|r| r.rows[0].digest = Some("d".repeat(65))).contains("digest must be 1 to 64 characters"));
        assert!(bad(&|r| r.rows[0].clock = VectorClock::new()).contains("the clock is empty"));
        assert!(bad(&|r| r.rows[0].clock = VectorClock::from_json(r#"{"a":0}"#).unwrap()).contains("clock is empty"));
        assert!(bad(&|r| r.rows[0].clock = VectorClock::from_json(r#"{"":1}"#).unwrap()).contains("clock device"));
        let mut wide = VectorClock::new();
        (0..=MAX_CLOCK_ENTRIES).for_each(|i| wide.set(&format!("d{i}"), 1));
        assert!(bad(&|r| r.rows[0].clock = wide.clone()).contains("1001 entries"));
        let one = row("w", &[("a", 1)], json!({}));
        assert!(bad(&|r| r.rows = vec![one.clone(); MAX_ROWS_PER_REQUEST + 1]).contains("20001 rows"));
    }

    #[test]
    fn validation_requires_a_bounded_lineage() {
        let bad = |edit: &dyn Fn(&mut SyncRequest<WireBody>)| {
            let mut r = valid_request(vec![]);
            edit(&mut r);
            validate_sync_request(&r).unwrap_err()
        };
        assert!(bad(&|r| r.lineage = None).contains("no lineage"));
        let long = "t".repeat(MAX_LINEAGE_TOKEN_CHARS + 1);
        for edit in [
            &(|r: &mut SyncRequest<WireBody>| r.lineage.as_mut().unwrap().next = long.clone())
                as &dyn Fn(&mut SyncRequest<WireBody>),
            &|r| r.lineage.as_mut().unwrap().next.clear(),
            &|r| r.lineage.as_mut().unwrap().confirmed = Some(long.clone()),
            &|r| r.lineage.as_mut().unwrap().unconfirmed.push(long.clone()),
        ] {
            assert!(bad(edit).contains("lineage token must be 1 to 64"));
        }
        assert!(
            bad(&|r| r.lineage.as_mut().unwrap().unconfirmed = vec!["u".into(); MAX_UNCONFIRMED_TOKENS + 1])
                .contains("65 unconfirmed tokens")
        );
        assert!(bad(&|r| r.device_name = Some("n".repeat(65))).contains("device_name"));
    }

    #[test]
    fn counters_past_the_bound_are_refused_in_clocks_and_dots() {
        use crate::sync::wire::Dot;
        let at_bound = row("w1", &[], json!({}));
        let with_counter = |counter: u64| {
            let mut r = at_bound.clone();
            r.clock = VectorClock::from_json(&format!(r#"{{"a":{counter}}}"#)).unwrap();
            r
        };
        assert_eq!(
            validate_sync_request(&valid_request(vec![with_counter(MAX_COUNTER)])),
            Ok(())
        );
        let message = validate_sync_request(&valid_request(vec![with_counter(MAX_COUNTER + 1)])).unwrap_err();
        assert!(message.contains("beyond the largest allowed"), "{message}");
        let overflowing = with_counter(u64::MAX);
        assert!(validate_sync_request(&valid_request(vec![overflowing])).is_err());
        let mut dotted = with_counter(1);
        dotted.dots = vec![Dot {
            device: "a".into(),
            counter: MAX_COUNTER + 1,
            digest: "d".into(),
        }];
        assert!(
            validate_sync_request(&valid_request(vec![dotted]))
                .unwrap_err()
                .contains("beyond the largest allowed")
        );
    }

    #[test]
    fn validation_reports_the_index_of_the_bad_row_and_truncates_long_ids() {
        let good = row("w1", &[("a", 1)], json!({}));
        let mut bad = row(&"y".repeat(100), &[("a", 1)], json!({}));
        bad.kind = "BAD".into();
        let message = validate_sync_request(&valid_request(vec![good, bad])).unwrap_err();
        assert!(
            message.starts_with(&format!("row 1 (BAD/{}…): kind", "y".repeat(40))),
            "{message}"
        );
    }

    #[test]
    fn stored_bytes_counts_the_clock_and_body_as_written() {
        let r = row("w1", &[("a", 2)], json!({"name": "Push", "n": 1}));
        let written = r.clock.to_json().len() + serde_json::to_string(&r.body).unwrap().len();
        assert_eq!(stored_bytes(&r), written as u64);
    }

    #[test]
    fn the_quota_refuses_growth_past_it_only() {
        let quota = Quota { rows: 10, bytes: 1000 };
        let usage = |rows, bytes| Usage { rows, bytes };
        assert_eq!(check_quota(usage(9, 900), usage(10, 1000), quota), Ok(()));
        let rows = check_quota(usage(10, 900), usage(11, 950), quota).unwrap_err();
        assert!(rows.contains("11 rows") && rows.contains("allows 10"), "{rows}");
        let bytes = check_quota(usage(5, 900), usage(5, 1001), quota).unwrap_err();
        assert!(bytes.contains("--quota-mib"), "{bytes}");
        // Already over (the operator lowered the quota): shrinking or
        // standing still is fine, growing is not.
        assert_eq!(check_quota(usage(20, 5000), usage(20, 4000), quota), Ok(()));
        assert!(check_quota(usage(20, 5000), usage(21, 4000), quota).is_err());
        assert_eq!(
            check_quota(usage(1, 1), usage(u64::MAX - 1, 7), Quota::UNLIMITED),
            Ok(())
        );
    }

    #[test]
    fn pull_limit_defaults_and_caps() {
        let mut r = request(0, vec![]);
        assert_eq!(pull_limit(&r), 1000);
        r.pull_limit = Some(7);
        assert_eq!(pull_limit(&r), 7);
        r.pull_limit = Some(u32::MAX);
        assert_eq!(pull_limit(&r), 5000);
    }

    #[test]
    fn a_device_with_a_confirmed_lineage_the_server_does_not_keep_was_forgotten() {
        let presented = |confirmed: Option<&str>| Lineage {
            confirmed: confirmed.map(Into::into),
            unconfirmed: Vec::new(),
            next: "n".into(),
        };
        assert!(forgot_the_device(None, &presented(Some("a"))));
        assert!(!forgot_the_device(None, &presented(None)), "a first sync");
        assert!(!forgot_the_device(Some("a"), &presented(Some("a"))));
    }

    #[test]
    fn pull_start_resets_a_cursor_from_the_future() {
        assert_eq!(pull_start(5, 9), 5);
        assert_eq!(pull_start(9, 9), 9);
        assert_eq!(pull_start(10, 9), 0);
    }

    fn numbered(seqs: &[u64]) -> Vec<(u64, WireRow)> {
        seqs.iter()
            .map(|s| (*s, row(&format!("w{s}"), &[("a", 1)], json!({}))))
            .collect()
    }

    #[test]
    fn a_complete_page_moves_past_the_rows_this_request_stored() {
        // Stored rows are 3 and 7 (head_before = 7); this request stored 8 and 9.
        let page = finish_page(2, numbered(&[3, 7]), 10, 9);
        assert_eq!(
            page.changes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["w3", "w7"]
        );
        assert_eq!((page.cursor, page.more), (9, false));
    }

    #[test]
    fn a_partial_page_stops_at_its_last_sent_row() {
        let page = finish_page(2, numbered(&[3, 7, 8]), 2, 12);
        assert_eq!(page.changes.len(), 2);
        assert_eq!((page.cursor, page.more), (7, true));
    }

    #[test]
    fn a_page_of_exactly_limit_rows_is_complete() {
        let page = finish_page(0, numbered(&[1, 2]), 2, 2);
        assert_eq!((page.changes.len(), page.cursor, page.more), (2, 2, false));
    }
}
