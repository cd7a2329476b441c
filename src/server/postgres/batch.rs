//! Rounds of distinct users in one PostgreSQL transaction (see
//! `server::batch`): two round trips and about ten statements per batch,
//! however many rounds it holds, where a round alone runs about ten.
//!
//! ```text
//!  BEGIN; SELECT … FROM users WHERE id = ANY(users) ORDER BY id FOR UPDATE
//!         every round's pull page, lineage, pushed records and their dots
//!         (one statement each, over arrays)           ─▶ round::run_in each
//!  INSERT devices, UPDATE devices, INSERT dots, INSERT rows, UPDATE users
//!         (each over arrays: unnest), COMMIT
//! ```
//!
//! The users are locked in id order, so two processes' batches over the
//! same users wait for each other instead of deadlocking, and every read
//! after the lock sees each user's rounds committed before this batch, as a
//! round alone does. A round reads only what was read ahead, with its own
//! writes laid over it ([`Prefetched`]); a read past that marks the round
//! to run again alone.

use super::{
    Account, Expected, HeldAccount, PAGE_SLACK, Pooled, PostgresStorage, Prefetched, PrefetchedPage, Queued, Read,
    column, count, stored_row,
};
use crate::server::columns::{ROW_COLUMNS, origin_text, to_sql};
use crate::server::storage::{BatchRound, DeviceReport, StorageBatch, StorageError, StorageTxn, Usage, UserId};
use crate::sync::wire::WireRow;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use tokio_postgres::types::Type;

/// Locks the batch's users, in id order, and reads their rows: those
/// whose round's session still exists. The session's row is the one
/// check that every way of ending it (logout, revoking the device, a
/// password change, removing the account, another process's expiry)
/// leaves, so a round the server authenticated from its memory is
/// refused as soon as its session is gone, whichever process ended it.
const LOCK_ACCOUNTS: &str = "SELECT users.id, last_seq, key_check, server_id, rows_stored, bytes_stored \
     FROM unnest($1::int8[], $2::bytea[]) AS asked (user_id, token_hash) \
     JOIN sessions ON sessions.token_hash = asked.token_hash AND sessions.user_id = asked.user_id \
     JOIN users ON users.id = asked.user_id ORDER BY users.id FOR UPDATE OF users";

/// The batch's transaction, from its locks to its commit.
pub(super) struct PostgresBatch<'a> {
    pooled: Pooled<'a>,
    rounds: Vec<BatchedRound>,
    began: bool,
    committed: bool,
}

/// One round of a batch: what was read for it, and what it wrote once it committed.
struct BatchedRound {
    user: UserId,
    /// The user's row; `None`: the round's session (or its account) is gone.
    account: Option<Account>,
    account_changed: bool,
    prefetched: Prefetched,
    /// The round read something not read ahead.
    read_past: bool,
    committed: Writes,
}

/// Writes waiting for the batch's flush.
#[derive(Default)]
struct Writes {
    lineages: Vec<(UserId, String, String)>,
    reports: Vec<Report>,
    dots: Vec<DotWrite>,
    rows: Vec<RowWrite>,
}

struct Report {
    user: UserId,
    device: String,
    name: Option<String>,
    at: DateTime<Utc>,
    pending: Option<i64>,
}

struct DotWrite {
    user: UserId,
    kind: String,
    id: String,
    device: String,
    counter: i64,
    digest: String,
}

struct RowWrite {
    user: UserId,
    kind: String,
    id: String,
    seq: i64,
    clock: String,
    deleted: bool,
    body: String,
    device: String,
    origin: Option<String>,
    digest: Option<String>,
}

impl Writes {
    fn append(&mut self, other: &mut Writes) {
        self.lineages.append(&mut other.lineages);
        self.reports.append(&mut other.reports);
        self.dots.append(&mut other.dots);
        self.rows.append(&mut other.rows);
    }
}

impl PostgresStorage {
    /// Opens a batch: `BEGIN`, the users' locks and every round's reads, in one round trip.
    pub(super) fn open_batch(&self, rounds: &[BatchRound<'_>]) -> Result<PostgresBatch<'_>, StorageError> {
        let mut batch = PostgresBatch {
            pooled: self.connection()?,
            rounds: Vec::with_capacity(rounds.len()),
            began: false,
            committed: false,
        };
        let expected: Vec<(UserId, Expected)> =
            rounds.iter().map(|round| (round.user, (&round.reads).into())).collect();
        let sessions: Vec<&[u8]> = rounds.iter().map(|round| &round.session[..]).collect();
        batch.lock_and_read(&expected, &sessions)?;
        Ok(batch)
    }
}

/// The arrays of a batch's reads, one element per round (pages, lineages)
/// or per pushed record or dot.
#[derive(Default)]
struct ReadColumns<'a> {
    users: Vec<UserId>,
    page_users: Vec<UserId>,
    page_after: Vec<i64>,
    page_limits: Vec<i64>,
    lineage_users: Vec<UserId>,
    lineage_devices: Vec<&'a str>,
    record_users: Vec<UserId>,
    record_kinds: Vec<&'a str>,
    record_ids: Vec<&'a str>,
    dot_users: Vec<UserId>,
    dot_kinds: Vec<&'a str>,
    dot_ids: Vec<&'a str>,
    dot_devices: Vec<&'a str>,
    dot_counters: Vec<i64>,
}

impl PostgresBatch<'_> {
    fn lock_and_read(&mut self, expected: &[(UserId, Expected)], sessions: &[&[u8]]) -> Result<(), StorageError> {
        let mut c = ReadColumns::default();
        for (user, round) in expected {
            c.users.push(*user);
            // Numbers beyond SQL's range are left to the reads that report
            // them: the round reads past the batch, and runs alone.
            if let (Ok(after), Ok(limit)) = (i64::try_from(round.cursor), i64::try_from(page_asked(round))) {
                c.page_users.push(*user);
                c.page_after.push(after);
                c.page_limits.push(limit);
            }
            if let Some(device) = &round.device {
                c.lineage_users.push(*user);
                c.lineage_devices.push(device);
            }
            for (kind, id) in &round.records {
                c.record_users.push(*user);
                c.record_kinds.push(kind);
                c.record_ids.push(id);
            }
            for (kind, id, device, counter) in &round.dots {
                if let Ok(counter) = i64::try_from(*counter) {
                    c.dot_users.push(*user);
                    c.dot_kinds.push(kind);
                    c.dot_ids.push(id);
                    c.dot_devices.push(device);
                    c.dot_counters.push(counter);
                }
            }
        }
        let page_sql = format!(
            "SELECT {ROW_COLUMNS}, pulled.user_id FROM unnest($1::int8[], $2::int8[], $3::int8[]) \
             AS pulled (user_id, after_seq, page) CROSS JOIN LATERAL (SELECT {ROW_COLUMNS} FROM rows \
             WHERE rows.user_id = pulled.user_id AND seq > pulled.after_seq \
             AND seq <= (SELECT last_seq FROM users WHERE users.id = pulled.user_id) ORDER BY seq \
             LIMIT pulled.page) AS page_rows"
        );
        let lineage_sql = "SELECT devices.user_id, devices.device_id, devices.lineage FROM devices \
             JOIN unnest($1::int8[], $2::text[]) AS asked (user_id, device_id) \
             ON devices.user_id = asked.user_id AND devices.device_id = asked.device_id";
        let records_sql = format!(
            "SELECT {ROW_COLUMNS}, user_id FROM rows \
             JOIN unnest($1::int8[], $2::text[], $3::text[]) AS pushed (pushed_user, pushed_kind, pushed_id) \
             ON user_id = pushed_user AND kind = pushed_kind AND id = pushed_id"
        );
        let dots_sql = "SELECT dots.user_id, dots.kind, dots.id, dots.device, dots.counter, dots.digest FROM dots \
             JOIN unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[]) \
             AS pushed (user_id, kind, id, device, counter) \
             ON dots.user_id = pushed.user_id AND dots.kind = pushed.kind AND dots.id = pushed.id \
             AND dots.device = pushed.device AND dots.counter = pushed.counter";
        let lock_params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&c.users, &sessions];
        let page_params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] =
            [&c.page_users, &c.page_after, &c.page_limits];
        let lineage_params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&c.lineage_users, &c.lineage_devices];
        let record_params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] =
            [&c.record_users, &c.record_kinds, &c.record_ids];
        let dot_params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] =
            [&c.dot_users, &c.dot_kinds, &c.dot_ids, &c.dot_devices, &c.dot_counters];
        let mut reads = vec![
            Read::cached(LOCK_ACCOUNTS, &lock_params),
            Read::cached(&page_sql, &page_params),
        ];
        let read_lineages = !c.lineage_users.is_empty();
        if read_lineages {
            reads.push(Read::cached(lineage_sql, &lineage_params));
        }
        let read_records = !c.record_users.is_empty();
        if read_records {
            // Planned for the table as it is now: see PLANNED_ONCE.
            reads.push(Read {
                sql: &records_sql,
                params: &record_params,
                planned_each_time: Some(&[Type::INT8_ARRAY, Type::TEXT_ARRAY, Type::TEXT_ARRAY]),
            });
        }
        let read_dots = !c.dot_users.is_empty();
        if read_dots {
            reads.push(Read::cached(dots_sql, &dot_params));
        }
        self.began = true;
        let mut answers = self
            .pooled
            .get()
            .pipeline(&[Queued::new("BEGIN", Vec::new())], &reads)?
            .into_iter();
        let mut next = || answers.next().unwrap_or_default();
        let index: HashMap<UserId, usize> = expected.iter().enumerate().map(|(i, (user, _))| (*user, i)).collect();
        let mut accounts: Vec<Option<Account>> = expected.iter().map(|_| None).collect();
        for found in next() {
            let user: UserId = column(&found, 0)?;
            if let Some(&at) = index.get(&user) {
                accounts[at] = Some(Account::read(&found, 1)?);
            }
        }
        self.rounds = expected
            .iter()
            .zip(accounts)
            .map(|((user, round), account)| {
                let mut prefetched = Prefetched::default();
                if let Some(account) = &account
                    && c.page_users.contains(user)
                {
                    prefetched.page = Some(PrefetchedPage {
                        after: round.cursor,
                        up_to: account.head(*user)?,
                        asked: page_asked(round),
                        rows: Vec::new(),
                    });
                }
                if let Some(device) = &round.device {
                    prefetched.lineage = Some((device.clone(), None));
                }
                prefetched.rows = round.records.iter().map(|record| (record.clone(), None)).collect();
                prefetched.dots = round.dots.iter().map(|dot| (dot.clone(), None)).collect();
                Ok(BatchedRound {
                    user: *user,
                    account,
                    account_changed: false,
                    prefetched,
                    read_past: false,
                    committed: Writes::default(),
                })
            })
            .collect::<Result<_, StorageError>>()?;
        for found in next() {
            let round = self.round_of(&index, column(&found, 8)?)?;
            if let Some(page) = &mut round.prefetched.page {
                page.rows.push(stored_row(&found)?.decode()?);
            }
        }
        if read_lineages {
            for found in next() {
                let round = self.round_of(&index, column(&found, 0)?)?;
                let device: String = column(&found, 1)?;
                round.prefetched.lineage = Some((device, column(&found, 2)?));
            }
        }
        if read_records {
            for found in next() {
                let round = self.round_of(&index, column(&found, 8)?)?;
                let (_, row) = stored_row(&found)?.decode()?;
                round
                    .prefetched
                    .rows
                    .insert((row.kind.clone(), row.id.clone()), Some(row));
            }
        }
        if read_dots {
            for found in next() {
                let round = self.round_of(&index, column(&found, 0)?)?;
                let key = (
                    column(&found, 1)?,
                    column(&found, 2)?,
                    column(&found, 3)?,
                    count(column(&found, 4)?),
                );
                round.prefetched.dots.insert(key, column(&found, 5)?);
            }
        }
        Ok(())
    }

    /// The round of `user`, whose row an answer names.
    fn round_of(&mut self, index: &HashMap<UserId, usize>, user: UserId) -> Result<&mut BatchedRound, StorageError> {
        index
            .get(&user)
            .map(|&at| &mut self.rounds[at])
            .ok_or_else(|| StorageError::database(format!("a batch read a row of user {user}, not in the batch")))
    }

    /// The statements that write every committed round's writes, in one
    /// round trip with the `COMMIT`.
    fn flush(&mut self) -> Result<(), StorageError> {
        let mut writes = Writes::default();
        let mut accounts = AccountColumns::default();
        for round in &mut self.rounds {
            writes.append(&mut round.committed);
            if let Some(account) = round.account.take().filter(|_| round.account_changed) {
                accounts.push(round.user, account);
            }
        }
        let mut queued = Vec::new();
        if !writes.lineages.is_empty() {
            let (users, devices, lineages) = unzip3(writes.lineages);
            queued.push(Queued::new(
                "INSERT INTO devices (user_id, device_id, lineage) \
                 SELECT * FROM unnest($1::int8[], $2::text[], $3::text[]) \
                 ON CONFLICT (user_id, device_id) DO UPDATE SET lineage = excluded.lineage",
                vec![Box::new(users), Box::new(devices), Box::new(lineages)],
            ));
        }
        if !writes.reports.is_empty() {
            queued.push(reports_statement(writes.reports));
        }
        if !writes.dots.is_empty() {
            queued.push(dots_statement(writes.dots));
        }
        if !writes.rows.is_empty() {
            queued.push(rows_statement(writes.rows));
        }
        if !accounts.users.is_empty() {
            queued.push(accounts.statement());
        }
        self.pooled.get().pipeline(&queued, &[Read::cached("COMMIT", &[])])?;
        self.committed = true;
        Ok(())
    }
}

/// How many rows a round's page reads: a few more than it shows, since
/// rows the round stores again leave it.
fn page_asked(round: &Expected) -> usize {
    round.pull + round.records.len().min(PAGE_SLACK)
}

fn unzip3<A, B, C>(items: Vec<(A, B, C)>) -> (Vec<A>, Vec<B>, Vec<C>) {
    let mut columns = (
        Vec::with_capacity(items.len()),
        Vec::with_capacity(items.len()),
        Vec::with_capacity(items.len()),
    );
    for (a, b, c) in items {
        columns.0.push(a);
        columns.1.push(b);
        columns.2.push(c);
    }
    columns
}

fn reports_statement(reports: Vec<Report>) -> Queued {
    let users: Vec<UserId> = reports.iter().map(|report| report.user).collect();
    let times: Vec<DateTime<Utc>> = reports.iter().map(|report| report.at).collect();
    let pending: Vec<Option<i64>> = reports.iter().map(|report| report.pending).collect();
    let (devices, names): (Vec<String>, Vec<Option<String>>) =
        reports.into_iter().map(|report| (report.device, report.name)).unzip();
    Queued::new(
        "UPDATE devices SET name = coalesce(reported.name, devices.name), last_sync = reported.at, \
         pending = reported.pending \
         FROM unnest($1::int8[], $2::text[], $3::text[], $4::timestamptz[], $5::int8[]) \
         AS reported (user_id, device_id, name, at, pending) \
         WHERE devices.user_id = reported.user_id AND devices.device_id = reported.device_id",
        vec![
            Box::new(users),
            Box::new(devices),
            Box::new(names),
            Box::new(times),
            Box::new(pending),
        ],
    )
}

fn dots_statement(dots: Vec<DotWrite>) -> Queued {
    let users: Vec<UserId> = dots.iter().map(|dot| dot.user).collect();
    let counters: Vec<i64> = dots.iter().map(|dot| dot.counter).collect();
    let (mut kinds, mut ids, mut devices, mut digests) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for dot in dots {
        kinds.push(dot.kind);
        ids.push(dot.id);
        devices.push(dot.device);
        digests.push(dot.digest);
    }
    Queued::new(
        "INSERT INTO dots (user_id, kind, id, device, counter, digest) \
         SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[]) \
         ON CONFLICT DO NOTHING",
        vec![
            Box::new(users),
            Box::new(kinds),
            Box::new(ids),
            Box::new(devices),
            Box::new(counters),
            Box::new(digests),
        ],
    )
}

/// Stores every row a batch's rounds stored. No record is in it twice: a
/// round that stores a record twice reads it past the batch (and runs
/// alone), and no two rounds of a batch share a user.
fn rows_statement(rows: Vec<RowWrite>) -> Queued {
    #[derive(Default)]
    struct Columns {
        users: Vec<UserId>,
        kinds: Vec<String>,
        ids: Vec<String>,
        seqs: Vec<i64>,
        clocks: Vec<String>,
        deleted: Vec<bool>,
        bodies: Vec<String>,
        devices: Vec<String>,
        origins: Vec<Option<String>>,
        digests: Vec<Option<String>>,
    }
    let mut c = Columns::default();
    for row in rows {
        c.users.push(row.user);
        c.kinds.push(row.kind);
        c.ids.push(row.id);
        c.seqs.push(row.seq);
        c.clocks.push(row.clock);
        c.deleted.push(row.deleted);
        c.bodies.push(row.body);
        c.devices.push(row.device);
        c.origins.push(row.origin);
        c.digests.push(row.digest);
    }
    Queued::new(
        "INSERT INTO rows (user_id, kind, id, seq, clock, deleted, body, device, origin, digest, updated_at) \
         SELECT *, now() FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::bool[], \
         $7::text[], $8::text[], $9::text[], $10::text[]) \
         ON CONFLICT (user_id, kind, id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock, \
         deleted = excluded.deleted, body = excluded.body, device = excluded.device, \
         origin = excluded.origin, updated_at = excluded.updated_at, digest = excluded.digest",
        vec![
            Box::new(c.users),
            Box::new(c.kinds),
            Box::new(c.ids),
            Box::new(c.seqs),
            Box::new(c.clocks),
            Box::new(c.deleted),
            Box::new(c.bodies),
            Box::new(c.devices),
            Box::new(c.origins),
            Box::new(c.digests),
        ],
    )
}

/// The users' rows a batch changed, as arrays.
#[derive(Default)]
struct AccountColumns {
    users: Vec<UserId>,
    heads: Vec<i64>,
    key_checks: Vec<Option<String>>,
    server_ids: Vec<Option<String>>,
    rows: Vec<i64>,
    bytes: Vec<i64>,
}

impl AccountColumns {
    fn push(&mut self, user: UserId, account: Account) {
        self.users.push(user);
        self.heads.push(account.head);
        self.key_checks.push(account.key_check);
        self.server_ids.push(account.server_id);
        self.rows.push(account.rows_stored);
        self.bytes.push(account.bytes_stored);
    }

    fn statement(self) -> Queued {
        Queued::new(
            "UPDATE users SET last_seq = changed.last_seq, key_check = changed.key_check, \
             server_id = changed.server_id, rows_stored = changed.rows_stored, bytes_stored = changed.bytes_stored \
             FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::int8[], $6::int8[]) \
             AS changed (id, last_seq, key_check, server_id, rows_stored, bytes_stored) WHERE users.id = changed.id",
            vec![
                Box::new(self.users),
                Box::new(self.heads),
                Box::new(self.key_checks),
                Box::new(self.server_ids),
                Box::new(self.rows),
                Box::new(self.bytes),
            ],
        )
    }
}

impl Drop for PostgresBatch<'_> {
    /// Rolls back a batch that did not commit; see `PostgresTxn`'s.
    fn drop(&mut self) {
        if self.began && !self.committed && self.pooled.get().batch("ROLLBACK").is_err() {
            self.pooled.discard();
        }
    }
}

impl StorageBatch for PostgresBatch<'_> {
    fn round(&mut self, index: usize) -> Box<dyn StorageTxn + '_> {
        let round = &mut self.rounds[index];
        Box::new(BatchTxn {
            account: round.account.clone(),
            account_changed: false,
            writes: Writes::default(),
            round,
        })
    }

    fn read_past_batch(&self, index: usize) -> bool {
        self.rounds[index].read_past
    }

    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        self.flush()
    }
}

/// One round's transaction inside a batch: reads from what the batch read
/// ahead (with this round's writes laid over it), writes into a buffer
/// that joins the batch's when the round commits.
struct BatchTxn<'b> {
    round: &'b mut BatchedRound,
    /// The user's row, with this round's changes.
    account: Option<Account>,
    account_changed: bool,
    writes: Writes,
}

impl BatchTxn<'_> {
    /// The round needs a read the batch did not make: it is void, and runs again alone.
    fn read_past<T>(&mut self, what: &str) -> Result<T, StorageError> {
        self.round.read_past = true;
        Err(StorageError::database(format!(
            "{what} was not read ahead with the batch"
        )))
    }
}

impl HeldAccount for BatchTxn<'_> {
    fn user(&self) -> UserId {
        self.round.user
    }

    fn account(&mut self) -> Result<&mut Account, StorageError> {
        self.account.as_mut().ok_or(StorageError::SessionEnded)
    }

    fn mark_account_changed(&mut self) {
        self.account_changed = true;
    }
}

impl StorageTxn for BatchTxn<'_> {
    account_methods!();

    fn replace_key_check(&mut self, _key_check: &str, _keep_dots: bool) -> Result<(), StorageError> {
        self.read_past("a key change")
    }

    fn lineage(&mut self, device: &str) -> Result<Option<String>, StorageError> {
        match &self.round.prefetched.lineage {
            Some((read, lineage)) if read == device => Ok(lineage.clone()),
            _ => self.read_past("a device's lineage"),
        }
    }

    fn set_lineage(&mut self, device: &str, token: &str) -> Result<(), StorageError> {
        self.round.prefetched.lineage = Some((device.to_string(), Some(token.to_string())));
        let user = self.round.user;
        self.writes.lineages.push((user, device.to_string(), token.to_string()));
        Ok(())
    }

    fn note_device(&mut self, device: &str, report: &DeviceReport) -> Result<(), StorageError> {
        let pending = report.pending.map(to_sql).transpose()?;
        self.writes.reports.push(Report {
            user: self.round.user,
            device: device.to_string(),
            name: report.name.map(str::to_string),
            at: report.at,
            pending,
        });
        Ok(())
    }

    fn row(&mut self, kind: &str, id: &str) -> Result<Option<WireRow>, StorageError> {
        match self.round.prefetched.row(&(kind.to_string(), id.to_string())) {
            Some(read_ahead) => Ok(read_ahead),
            None => self.read_past("a stored record"),
        }
    }

    fn recorded_dots(&mut self, row: &WireRow) -> Result<Vec<Option<String>>, StorageError> {
        match self.round.prefetched.recorded_dots(row) {
            Some(read_ahead) => Ok(read_ahead),
            None => self.read_past("a record's dots"),
        }
    }

    fn record_dots(&mut self, row: &WireRow) -> Result<(), StorageError> {
        self.round
            .prefetched
            .dots_recorded
            .insert((row.kind.clone(), row.id.clone()));
        for dot in &row.dots {
            self.writes.dots.push(DotWrite {
                user: self.round.user,
                kind: row.kind.clone(),
                id: row.id.clone(),
                device: dot.device.clone(),
                counter: to_sql(dot.counter)?,
                digest: dot.digest.clone(),
            });
        }
        Ok(())
    }

    fn put_row(&mut self, seq: u64, row: &WireRow, device: &str) -> Result<(), StorageError> {
        self.round.prefetched.stored.insert((row.kind.clone(), row.id.clone()));
        self.writes.rows.push(RowWrite {
            user: self.round.user,
            kind: row.kind.clone(),
            id: row.id.clone(),
            seq: to_sql(seq)?,
            clock: row.clock.to_json(),
            deleted: row.deleted,
            body: row.body.get().to_string(),
            device: device.to_string(),
            origin: origin_text(row.origin.as_ref()),
            digest: row.digest.clone(),
        });
        Ok(())
    }

    fn rows_between(&mut self, after: u64, up_to: u64, limit: usize) -> Result<Vec<(u64, WireRow)>, StorageError> {
        match self.round.prefetched.page(after, up_to, limit) {
            Some(read_ahead) => Ok(read_ahead),
            None => self.read_past("a pull page"),
        }
    }

    fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        self.round.committed.append(&mut self.writes);
        if self.account_changed {
            self.round.account = self.account.take();
            self.round.account_changed = true;
        }
        Ok(())
    }
}
