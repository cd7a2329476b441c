//! Rows between their two forms: open on devices ([`Row`], JSON a device
//! reads and merges) and as they travel and as the server keeps them
//! ([`WireRow`], an opaque body). For an encrypted account a device seals
//! every body it sends and keys every digest (`crypto::RowKeys`), and opens
//! every row it receives before anything decides about it; a row that does
//! not open stops the round with nothing applied. For a plaintext account
//! (no key) the body travels as its JSON.

use super::crypto::{RowBinding, RowKeys};
use super::kinds::{self, Kind};
use super::wire::{Row, RowResult, SyncRequest, SyncResponse, WireBody, WireRow};
use crate::model::Workout;

/// Why a row from the server was not opened. The round it came in is not
/// applied: nothing unreadable is ever applied or pushed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotOpened {
    /// Sealed, but not by this key for this row: another key (a wrong one,
    /// or the account's after a rotation), or altered or moved by the server.
    #[error(
        "a {kind} from the server ({id}) does not open with this device's key: nothing was applied; if the \
         account's key changed, `pump login` again with the key `pump key` shows on another device"
    )]
    WrongKey {
        /// The row's kind.
        kind: String,
        /// The row's id.
        id: String,
    },
    /// Sealed, and this device has no key for the account.
    #[error(
        "the server sent sealed rows and this device has no key for them: nothing was applied; `pump login` again \
         and give the key `pump key` shows on another device"
    )]
    NoKey,
    /// In plaintext although the account is encrypted: only the server
    /// could have made it, and it cannot vouch for content.
    #[error(
        "the server sent a {kind} ({id}) in plaintext although this account is encrypted: nothing was applied; \
         the server may be tampering with your data"
    )]
    Plaintext {
        /// The row's kind.
        kind: String,
        /// The row's id.
        id: String,
    },
}

/// `request` as it travels: every body sealed and every digest keyed with
/// `keys`, or the bodies as JSON when the account has no key. The rows are
/// open, each body its canonical JSON text (as a device stores it).
pub fn seal_request(request: &SyncRequest<WireBody>, keys: Option<&RowKeys>) -> SyncRequest<WireBody> {
    request.with_rows(seal_rows(&request.rows, keys))
}

/// `rows` (open, as in [`seal_request`]) as they travel, in order.
pub fn seal_rows(rows: &[Row<WireBody>], keys: Option<&RowKeys>) -> Vec<WireRow> {
    map_rows(rows.iter().collect(), [keys, None], |row, [keys, _]| seal(row, keys))
}

/// Rows per thread below which a page is sealed or opened on one thread:
/// a thread and its zstd contexts cost more than sealing a few rows.
const ROWS_PER_THREAD: usize = 256;

/// `each` over `items`, in order, spread over the machine's cores when the
/// page is big. Sealing (compressing, encrypting) and opening a page of
/// 2,000 rows took a third of a push's client CPU, on one core, while the
/// server waited for the request. `keys` are the account's key and the
/// retired one; each thread gets its own copy of them.
fn map_rows<T: Send, U: Send>(
    items: Vec<T>,
    keys: [Option<&RowKeys>; 2],
    each: impl Fn(T, [Option<&RowKeys>; 2]) -> U + Sync,
) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / ROWS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.into_iter().map(|item| each(item, keys)).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut items = items.into_iter();
    let parts: Vec<Vec<T>> = (0..threads)
        .map(|_| items.by_ref().take(per_thread).collect())
        .collect();
    let copies: Vec<[Option<RowKeys>; 2]> = parts
        .iter()
        .map(|_| keys.map(|k| k.map(RowKeys::for_another_thread)))
        .collect();
    std::thread::scope(|scope| {
        let each = &each;
        let workers: Vec<_> = parts
            .into_iter()
            .zip(copies)
            .map(|(part, own)| {
                scope.spawn(move || {
                    let own = [own[0].as_ref(), own[1].as_ref()];
                    part.into_iter().map(|item| each(item, own)).collect::<Vec<U>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// `row` (open, its body the canonical JSON text) as it travels (see
/// [`seal_request`]).
pub fn seal(row: &Row<WireBody>, keys: Option<&RowKeys>) -> WireRow {
    // Every field but the body, which is made anew (cloning it would be waste).
    let mut wire = Row {
        kind: row.kind.clone(),
        id: row.id.clone(),
        clock: row.clock.clone(),
        deleted: row.deleted,
        body: (),
        origin: row.origin.clone(),
        dots: row.dots.clone(),
        digest: row.digest.clone(),
    };
    let body = match keys {
        None => row.body.clone(),
        Some(keys) => {
            let sealed = keys.seal(&binding(row), row.body.get());
            wire.digest = wire.digest.map(|digest| keys.digest(&digest));
            for dot in &mut wire.dots {
                dot.digest = keys.digest(&dot.digest);
            }
            WireBody::sealed(&sealed)
        }
    };
    wire.with_body(body)
}

/// The server's answer with every row opened, or why one did not open.
/// `retired` is the account's previous key while a key change this device
/// started is under way: rows not yet sealed again open with it.
pub fn open_response(
    answer: SyncResponse<WireBody>,
    keys: Option<&RowKeys>,
    retired: Option<&RowKeys>,
) -> Result<SyncResponse, NotOpened> {
    let results = answer
        .results
        .into_iter()
        .map(|result| {
            Ok(RowResult {
                kind: result.kind,
                id: result.id,
                status: result.status,
                server: result.server.map(|row| open(row, keys, retired)).transpose()?,
            })
        })
        .collect::<Result<_, NotOpened>>()?;
    Ok(SyncResponse {
        protocol: answer.protocol,
        results,
        changes: map_rows(answer.changes, [keys, retired], |row, [keys, retired]| {
            open(row, keys, retired)
        })
        .into_iter()
        .collect::<Result<_, _>>()?,
        cursor: answer.cursor,
        more: answer.more,
        server_id: answer.server_id,
    })
}

/// `row` opened: its sealed body opened with `keys`, or else `retired`
/// (the row's kind, id, clock and tombstone flag must be those it was
/// sealed for), or its plaintext body read when the account has no key.
/// The digest, keyed for the server, is dropped: devices keep their own.
pub fn open(row: WireRow, keys: Option<&RowKeys>, retired: Option<&RowKeys>) -> Result<Row, NotOpened> {
    let text = match (row.sealed_body(), keys) {
        (Some(sealed), Some(keys)) => keys
            .open(&binding(&row), sealed)
            .or_else(|not| retired.map_or(Err(not), |old| old.open(&binding(&row), sealed)))
            .map_err(|_| wrong_key(&row))?,
        (Some(_), None) => return Err(NotOpened::NoKey),
        (None, Some(_)) => {
            return Err(NotOpened::Plaintext {
                kind: row.kind,
                id: row.id,
            });
        }
        (None, None) => row.body.get().to_string(),
    };
    let body = serde_json::from_str(&text).map_err(|_| wrong_key(&row))?;
    let mut open = row.with_body(body);
    open.digest = None;
    Ok(open)
}

/// A row the server sent, opened and read once, away from the thread that
/// stores it (`client::engine` opens a page on a second thread while the
/// store writes it): its body as the canonical JSON text a device keeps,
/// whether this pump can read it, and what storing it needs from the body.
/// Storing a row this device holds no version of (every row of a new
/// device's first pull) then parses nothing.
#[derive(Debug)]
pub struct Received {
    /// The row, its body the canonical JSON text (`serde_json`'s of its
    /// value, keys sorted), as `records` keeps it.
    pub row: Row<WireBody>,
    /// Whether this pump can read it (see `kinds::readable`).
    pub readable: bool,
    /// A workout's body, read (for the sync rules and its set rows).
    pub workout: Option<Workout>,
    /// Its sort key, as its JSON has it (see `kinds::started_at`).
    pub started_at: Option<String>,
}

impl Received {
    /// `row` opened (see [`open`]) and read.
    pub fn open(row: WireRow, keys: Option<&RowKeys>, retired: Option<&RowKeys>) -> Result<Received, NotOpened> {
        open(row, keys, retired).map(Received::read)
    }

    /// An open row read once. Its body is written out again as the text
    /// every write path stores, whatever text it came as: a device digests
    /// the text it keeps, and another spelling of the same content would
    /// read as another content.
    pub fn read(row: Row) -> Received {
        let workout = (row.kind == Kind::Workout.as_str())
            .then(|| kinds::read::<Workout>(&row.id, &row.body))
            .flatten();
        let readable = workout.is_some() || kinds::readable(&row);
        let started_at = kinds::started_at(&row.body).map(str::to_owned);
        let text = serde_json::to_string(&row.body).expect("a JSON value always serialises");
        Received {
            readable,
            workout,
            started_at,
            row: row.with_body(WireBody::from_json(text).expect("serde_json writes valid JSON")),
        }
    }

    /// The row with its body as values again: what the sync rules merge
    /// when this device holds a version of its own.
    pub fn to_open(&self) -> serde_json::Result<Row> {
        let body = serde_json::from_str(self.row.body.get())?;
        Ok(self.row.clone().with_body(body))
    }
}

fn wrong_key<B>(row: &Row<B>) -> NotOpened {
    NotOpened::WrongKey {
        kind: row.kind.clone(),
        id: row.id.clone(),
    }
}

fn binding<B>(row: &Row<B>) -> RowBinding<'_> {
    RowBinding {
        kind: &row.kind,
        id: &row.id,
        clock: &row.clock,
        deleted: row.deleted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VectorClock;
    use crate::sync::crypto::AccountKey;
    use crate::sync::wire::Dot;
    use serde_json::json;

    fn row(id: &str, counter: u64, name: &str) -> Row {
        let mut clock = VectorClock::new();
        clock.set("phone", counter);
        Row {
            kind: "workout".into(),
            id: id.into(),
            clock,
            deleted: false,
            body: json!({"id": id, "name": name, "notes": "felt strong"}),
            origin: None,
            dots: vec![Dot {
                device: "phone".into(),
                counter,
                digest: "plain".into(),
            }],
            digest: Some("plain".into()),
        }
    }

    #[test]
    fn a_sealed_row_shows_the_server_nothing_of_its_content_and_opens_as_it_was() {
        let keys = AccountKey::generate().row_keys();
        let open_row = row("w1", 2, "Leg day");
        let wire = seal(&open_row.to_text(), Some(&keys));
        let text = serde_json::to_string(&wire).unwrap();
        assert!(!text.contains("Leg day") && !text.contains("felt strong"), "{text}");
        assert!(!text.contains("plain"), "digests are keyed: {text}");
        let mut expected = open_row.clone();
        expected.digest = None;
        expected.dots[0].digest = keys.digest("plain");
        let wire: WireRow = serde_json::from_str(&text).unwrap();
        assert_eq!(open(wire, Some(&keys), None).unwrap(), expected);
    }

    #[test]
    fn rows_a_server_altered_moved_or_forged_do_not_open() {
        let keys = AccountKey::generate().row_keys();
        let first = seal(&row("w1", 1, "Leg day").to_text(), Some(&keys));
        let second = seal(&row("w2", 1, "Push").to_text(), Some(&keys));

        let mut swapped = first.clone();
        swapped.body = second.body.clone();
        assert_eq!(open(swapped, Some(&keys), None), Err(wrong_key(&first)));

        let sealed = first.sealed_body().unwrap();
        let flipped = format!("{}{}", &sealed[..10], if &sealed[10..11] == "A" { "B" } else { "A" }) + &sealed[11..];
        let mut altered = first.clone();
        altered.body = WireBody::sealed(&flipped);
        assert_eq!(open(altered, Some(&keys), None), Err(wrong_key(&first)));

        let forged = seal(&row("w1", 1, "Forged").to_text(), None);
        assert!(matches!(
            open(forged, Some(&keys), None),
            Err(NotOpened::Plaintext { .. })
        ));
        assert_eq!(open(first.clone(), None, None), Err(NotOpened::NoKey));
        let other = AccountKey::generate().row_keys();
        assert_eq!(open(first.clone(), Some(&other), None), Err(wrong_key(&first)));
        assert!(
            open(first.clone(), Some(&other), Some(&keys)).is_ok(),
            "during a key change, the retired key opens rows not yet sealed again"
        );
    }

    #[test]
    fn a_page_big_enough_for_threads_is_sealed_and_opened_in_order() {
        let keys = AccountKey::generate().row_keys();
        let rows: Vec<Row> = (0..3 * ROWS_PER_THREAD + 7)
            .map(|i| row(&format!("w{i}"), 1, &format!("Day {i}")))
            .collect();
        let request = SyncRequest {
            protocol: crate::sync::wire::PROTOCOL_VERSION,
            device_id: "phone".into(),
            cursor: 0,
            rows: rows.iter().map(Row::to_text).collect(),
            pull_limit: None,
            lineage: None,
            device_name: None,
            pending: None,
            key_check: None,
        };
        let sealed = seal_request(&request, Some(&keys));
        let answer = SyncResponse {
            protocol: request.protocol,
            results: Vec::new(),
            changes: sealed.rows,
            cursor: 1,
            more: false,
            server_id: None,
        };
        let opened = open_response(answer, Some(&keys), None).unwrap();
        let ids: Vec<&str> = opened.changes.iter().map(|r| r.id.as_str()).collect();
        let expected: Vec<String> = (0..rows.len()).map(|i| format!("w{i}")).collect();
        assert_eq!(ids, expected, "the order of the page is kept");
        assert!(
            opened
                .changes
                .iter()
                .zip(&rows)
                .all(|(got, sent)| got.body == sent.body)
        );
    }

    #[test]
    fn a_plaintext_account_sends_bodies_as_json() {
        let open_row = row("w1", 1, "Leg day");
        let wire = seal(&open_row.to_text(), None);
        assert_eq!(wire.body.get(), serde_json::to_string(&open_row.body).unwrap());
        assert_eq!(wire.digest.as_deref(), Some("plain"));
        assert_eq!(open(wire, None, None).unwrap().body, open_row.body);
    }
}
