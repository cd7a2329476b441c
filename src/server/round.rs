//! The sync round, written once over [`StorageTxn`] for every backend.
//!
//! ```text
//!  begin ─▶ lock_head                      (serializes the user's rounds)
//!        ─▶ lineage check                  Forked: renew the server id, refuse all,
//!                                                  name the rows already stored
//!           note_device                    name, pending, time: for `pump devices`
//!        ─▶ for each pushed row:           row + recorded_dots ─▶ decide
//!                                          Store: next seq, put_row; keep dots unless refused
//!        ─▶ usage + what was stored ─▶ check_quota   (over: refuse all, nothing stored)
//!        ─▶ pull: rows_between(cursor, head before this round) ─▶ finish_page
//!        ─▶ server id (made, or renewed when the cursor or the lineage shows lost rounds)
//!        ─▶ set_head, set_usage, commit
//! ```
//!
//! Everything is decided by the pure rules of `sync::server_rules`; this
//! module only sequences them against the transaction, so no backend can
//! number, page or refuse differently from another.

use super::storage::{DeviceReport, RoundReads, Storage, StorageError, StorageTxn, Usage, UserId};
use crate::sync::server_rules::{
    Decision, KeyChangeCheck, LineageCheck, Quota, check_form, check_key_change, check_lineage, check_quota, decide,
    finish_page, forgot_the_device, needs_recorded_dots, pull_limit, pull_start, records_dots, stored_bytes,
    went_back_in_time,
};
use crate::sync::wire::{
    KeyChange, PROTOCOL_VERSION, RowResult, RowStatus, SyncRequest, SyncResponse, WireBody, WireRow,
};

/// What a server admits into a round besides valid rows.
#[derive(Debug, Clone, Copy)]
pub struct Admission {
    /// What one account may store.
    pub quota: Quota,
    /// Whether an account without a key may push plaintext rows
    /// (`pump server start --allow-plaintext`, for migration).
    pub allow_plaintext: bool,
}

/// [`run_admitting`] with plaintext allowed for accounts without a key:
/// the storage tests' rounds, whose rows are plaintext.
#[cfg(test)]
pub fn run(
    storage: &dyn Storage,
    user: UserId,
    request: &SyncRequest<WireBody>,
    quota: Quota,
) -> Result<SyncResponse<WireBody>, StorageError> {
    let admission = Admission {
        quota,
        allow_plaintext: true,
    };
    run_admitting(storage, user, request, admission)
}

/// One sync round for `user`, in ONE transaction: check the rows' form
/// against the account's key, check the lineage, apply `decide` to each
/// pushed row in order, check the account's quota, then pull a page. The
/// request has passed `validate_sync_request`. Any error leaves storage as
/// it was.
pub fn run_admitting(
    storage: &dyn Storage,
    user: UserId,
    request: &SyncRequest<WireBody>,
    admission: Admission,
) -> Result<SyncResponse<WireBody>, StorageError> {
    let mut txn = storage.begin(user)?;
    txn.expect(&reads(request));
    run_in(txn, request, admission)
}

/// What the round of `request` will read: known before it runs, so that a
/// backend reads it all with the user's lock (see [`StorageTxn::expect`]).
pub fn reads(request: &SyncRequest<WireBody>) -> RoundReads<'_> {
    RoundReads {
        device: request.lineage.as_ref().map(|_| request.device_id.as_str()),
        rows: &request.rows,
        cursor: request.cursor,
        pull: pull_limit(request) + 1,
    }
}

/// The round of [`run_admitting`] in `txn`, a transaction of the round's
/// user that was told [`reads`] of `request` (or reads without them):
/// alone, or one of a batch of rounds (see `server::batch`).
pub fn run_in(
    mut txn: Box<dyn StorageTxn + '_>,
    request: &SyncRequest<WireBody>,
    admission: Admission,
) -> Result<SyncResponse<WireBody>, StorageError> {
    let quota = admission.quota;
    let limit = pull_limit(request);
    let head_before = txn.lock_head()?;
    check_form(txn.key_check()?.as_deref(), admission.allow_plaintext, request)?;
    let mut lost_rounds = went_back_in_time(request.cursor, head_before);
    if let Some(lineage) = &request.lineage {
        let stored = txn.lineage(&request.device_id)?;
        lost_rounds |= forgot_the_device(stored.as_deref(), lineage);
        match check_lineage(stored.as_deref(), lineage) {
            LineageCheck::Advance => txn.set_lineage(&request.device_id, &lineage.next)?,
            LineageCheck::Retry => {}
            LineageCheck::Forked => {
                let already_stored = already_stored(txn.as_mut(), &request.rows)?;
                // A lineage the server no longer knows is a copied database,
                // or a server restored from a backup older than the
                // device's last round. Either way this user's other devices
                // may hold rounds the server lost: a new identity makes each
                // of them send everything again.
                txn.set_server_id(&new_server_id())?;
                txn.commit()?;
                return Err(StorageError::DeviceForked { already_stored });
            }
        }
        let report = DeviceReport {
            name: request.device_name.as_deref(),
            pending: request.pending,
            at: chrono::Utc::now(),
        };
        txn.note_device(&request.device_id, &report)?;
    }
    let usage_before = txn.usage()?;
    let mut usage = usage_before;
    let mut head = head_before;
    let mut results = Vec::with_capacity(request.rows.len());
    for row in &request.rows {
        let (stored, decision) = judge(txn.as_mut(), row)?;
        if records_dots(decision) {
            txn.record_dots(row)?;
        }
        let (status, server) = match decision {
            Decision::Store => {
                head += 1;
                txn.put_row(head, row, &request.device_id)?;
                account_for(&mut usage, stored.as_ref(), row);
                (RowStatus::Accepted, None)
            }
            Decision::AlreadyStored => (RowStatus::Accepted, None),
            Decision::Refuse(status) => (status, stored),
        };
        results.push(RowResult {
            kind: row.kind.clone(),
            id: row.id.clone(),
            status,
            server,
        });
    }
    check_quota(usage_before, usage, quota).map_err(StorageError::OverQuota)?;
    // Rows this round stored are numbered above `head_before`: the pull
    // stops below them, since the client has them already.
    let from = pull_start(request.cursor, head_before);
    let fetched = txn.rows_between(from, head_before, limit + 1)?;
    if head != head_before {
        txn.set_head(head)?;
        txn.set_usage(usage)?;
    }
    let server_id = match txn.server_id()? {
        Some(id) if !lost_rounds => id,
        // Renewed when the data went back in time: the devices whose cursor
        // is now below the head again cannot see it by their cursor.
        _ => {
            let id = new_server_id();
            txn.set_server_id(&id)?;
            id
        }
    };
    txn.commit()?;
    let page = finish_page(from, fetched, limit, head);
    Ok(SyncResponse {
        protocol: PROTOCOL_VERSION,
        results,
        changes: page.changes,
        cursor: page.cursor,
        more: page.more,
        server_id: Some(server_id),
    })
}

/// Changes `user`'s key check as `change` asks (see `check_key_change`),
/// under the same lock as rounds, so no round stores plaintext after it.
pub fn change_key(storage: &dyn Storage, user: UserId, change: &KeyChange) -> Result<(), StorageError> {
    let mut txn = storage.begin(user)?;
    let head = txn.lock_head()?;
    match check_key_change(txn.key_check()?.as_deref(), change, head) {
        KeyChangeCheck::AlreadySet => Ok(()),
        KeyChangeCheck::OtherKey => Err(StorageError::OtherKey),
        KeyChangeCheck::Behind => Err(StorageError::KeyChangeBehind),
        KeyChangeCheck::Set { keep_dots } => {
            txn.replace_key_check(&change.key_check, keep_dots)?;
            txn.commit()
        }
    }
}

/// A fresh identity for a user's data: 128 random bits, in hex.
fn new_server_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Counts `row` replacing `stored` (if any) into `usage`.
fn account_for(usage: &mut Usage, stored: Option<&WireRow>, row: &WireRow) {
    if stored.is_none() {
        usage.rows += 1;
    }
    let freed = stored.map_or(0, stored_bytes);
    usage.bytes = (usage.bytes + stored_bytes(row)).saturating_sub(freed);
}

/// The stored version of `row`'s record and what to do with `row`.
fn judge(txn: &mut dyn StorageTxn, row: &WireRow) -> Result<(Option<WireRow>, Decision), StorageError> {
    let stored = txn.row(&row.kind, &row.id)?;
    let recorded = if needs_recorded_dots(stored.as_ref()) {
        txn.recorded_dots(row)?
    } else {
        Vec::new()
    };
    let decision = decide(stored.as_ref(), row, &recorded);
    Ok((stored, decision))
}

/// The positions of the pushed rows the server holds with exactly that
/// clock and content: what a refused copy shares with its twin.
fn already_stored(txn: &mut dyn StorageTxn, rows: &[WireRow]) -> Result<Vec<usize>, StorageError> {
    let mut positions = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if judge(txn, row)?.1 == Decision::AlreadyStored {
            positions.push(index);
        }
    }
    Ok(positions)
}
