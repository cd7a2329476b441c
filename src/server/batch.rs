//! Sync rounds of different users run together, in ONE transaction, on a
//! backend that gains from it (PostgreSQL, see [`Storage::batch_size`]):
//! each statement costs a database server its executor start-up, a
//! message and a reply whatever it carries, so a batch locks and reads for
//! all its rounds at once, runs each round's rules (`round::run_in`, the
//! same as alone) against what was read, and sends every round's writes in
//! a few set-based statements and one commit.
//!
//! ```text
//!  sync request ─▶ queue ─▶ a batch thread takes the queued rounds of
//!                           distinct users not in a running batch
//!                           ─▶ begin_batch (locks in user order, reads)
//!                           ─▶ round::run_in each ─▶ commit ─▶ answers
//! ```
//!
//! A round waits for its batch as an async task, holding no thread and no
//! database slot; at most [`CONCURRENT_BATCHES`] blocking threads run
//! batches, each taking every round queued at that moment. A second round
//! of a user waits for the next batch: it must see the first's writes. A round that read past what the batch read ahead, and
//! every round of a batch that failed, runs again alone afterwards, so
//! one bad round cannot fail the others.

use super::round::{self, Admission};
use super::storage::{BatchRound, Storage, StorageError, TokenHash, UserId};
use crate::sync::wire::{SyncRequest, SyncResponse, WireBody};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot::{self, Sender};

/// Batches one server process runs at once. One: each batch takes every
/// round that arrived while the one before ran. Two (one gathering while
/// the other waits for the database) made batches half as big and cost
/// more CPU per sync, pump's and PostgreSQL's (bench scenario 5: 0.26 and
/// 0.19–0.24 ms, against 0.19–0.21 and 0.12–0.16 with one), for no more
/// throughput.
const CONCURRENT_BATCHES: usize = 1;

/// A round's answer.
type Answer = Result<SyncResponse<WireBody>, StorageError>;

/// One sync round, as queued.
pub struct Round {
    /// The user it syncs.
    pub user: UserId,
    /// The session its request came with: the round fails if the session
    /// has ended by the time the round takes its user's lock (see
    /// [`Storage::begin_batch`]).
    pub session: TokenHash,
    /// What the device sent, validated.
    pub request: SyncRequest<WireBody>,
    /// What the server admits into it.
    pub admission: Admission,
}

/// The queue of rounds waiting for a batch; one per server process.
#[derive(Default)]
pub struct RoundBatcher {
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<(Round, Sender<Answer>)>,
    /// The users of the batches running now.
    running: HashSet<UserId>,
    /// The batches running now, each on a blocking thread of its own.
    batches: usize,
}

impl Queue {
    /// The waiting rounds of distinct users that no running batch holds,
    /// oldest first, at most `size`.
    fn take(&mut self, size: usize) -> Vec<(Round, Sender<Answer>)> {
        let mut taken = Vec::new();
        let mut left = VecDeque::with_capacity(self.waiting.len());
        for (round, answer) in self.waiting.drain(..) {
            if taken.len() < size && self.running.insert(round.user) {
                taken.push((round, answer));
            } else {
                left.push_back((round, answer));
            }
        }
        self.waiting = left;
        taken
    }
}

impl RoundBatcher {
    /// Runs `round` in the next batch that can take it and returns its
    /// answer once what it wrote is committed. Waiting costs no thread:
    /// the batches run on blocking threads of their own, at most
    /// [`CONCURRENT_BATCHES`], each taking the next batch when it ends,
    /// for as long as rounds wait.
    pub async fn run(self: &Arc<Self>, storage: Arc<dyn Storage>, round: Round) -> Answer {
        let (answer, answered) = oneshot::channel();
        let lead = {
            let mut queue = self.lock();
            queue.waiting.push_back((round, answer));
            let lead = queue.batches < CONCURRENT_BATCHES;
            if lead {
                queue.batches += 1;
            }
            lead
        };
        if lead {
            let batcher = self.clone();
            tokio::task::spawn_blocking(move || batcher.lead(storage.as_ref()));
        }
        // Dropped unanswered: running its batch panicked.
        answered.await.unwrap_or(Err(StorageError::Crashed))
    }

    /// Runs batches until no waiting round can be taken.
    fn lead(&self, storage: &dyn Storage) {
        let mut ending = Ending {
            batcher: self,
            users: Vec::new(),
            counted: true,
        };
        loop {
            let mut queue = self.lock();
            let batch = queue.take(storage.batch_size());
            if batch.is_empty() {
                // Under the same lock as the take: a round queued after it
                // sees one batch fewer, and starts one.
                queue.batches -= 1;
                ending.counted = false;
                return;
            }
            drop(queue);
            ending.users = batch.iter().map(|(round, _)| round.user).collect();
            let (rounds, answers): (Vec<Round>, Vec<Sender<Answer>>) = batch.into_iter().unzip();
            let results = run_together(storage, &rounds.iter().collect::<Vec<_>>());
            let mut queue = self.lock();
            for user in ending.users.drain(..) {
                queue.running.remove(&user);
            }
            drop(queue);
            for (answer, result) in answers.into_iter().zip(results) {
                // The request may have gone (its client hung up): its round stands.
                let _ = answer.send(result);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A leading thread's end, also when a batch panicked: the batch's users
/// are freed and the count of batches goes down, so the queue goes on.
struct Ending<'a> {
    batcher: &'a RoundBatcher,
    /// The users of the batch running, if one is.
    users: Vec<UserId>,
    /// Whether this thread still counts among the running batches.
    counted: bool,
}

impl Drop for Ending<'_> {
    fn drop(&mut self) {
        let mut queue = self.batcher.lock();
        for user in &self.users {
            queue.running.remove(user);
        }
        if self.counted {
            queue.batches -= 1;
        }
    }
}

/// Runs `rounds`, each of a distinct user, as one batch; the answers in the
/// same order. A round that read past the batch, and every round of a
/// batch that failed (the database, a deadlock), runs again alone, once
/// its session is found still live.
pub fn run_together(storage: &dyn Storage, rounds: &[&Round]) -> Vec<Answer> {
    let alone = |round: &Round| {
        match storage.session(&round.session)? {
            Some((user, _)) if user.id == round.user => {}
            _ => return Err(StorageError::SessionEnded),
        }
        round::run_admitting(storage, round.user, &round.request, round.admission)
    };
    if storage.batch_size() <= 1 {
        return rounds.iter().map(|round| alone(round)).collect();
    }
    let batched = || -> Result<Vec<Option<Answer>>, StorageError> {
        let reads: Vec<_> = rounds
            .iter()
            .map(|round| BatchRound {
                user: round.user,
                session: &round.session,
                reads: round::reads(&round.request),
            })
            .collect();
        let mut batch = storage.begin_batch(&reads)?;
        let mut answers = Vec::with_capacity(rounds.len());
        for (index, round) in rounds.iter().enumerate() {
            let answer = round::run_in(batch.round(index), &round.request, round.admission);
            answers.push((!batch.read_past_batch(index)).then_some(answer));
        }
        batch.commit()?;
        Ok(answers)
    };
    match batched() {
        Ok(answers) => answers
            .into_iter()
            .zip(rounds)
            .map(|(answer, round)| answer.unwrap_or_else(|| alone(round)))
            .collect(),
        Err(_) => rounds.iter().map(|round| alone(round)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::server_rules::Quota;
    use crate::sync::server_rules::tests::request;

    #[test]
    fn a_batch_takes_one_round_per_user_and_none_of_a_running_batch() {
        let mut queue = Queue::default();
        let mut answered = Vec::new();
        for user in [1, 2, 1, 3, 4] {
            let (answer, receiver) = oneshot::channel();
            answered.push(receiver);
            let admission = Admission {
                quota: Quota::UNLIMITED,
                allow_plaintext: true,
            };
            let request = request(0, vec![]);
            let round = Round {
                user,
                session: [0; 32],
                request,
                admission,
            };
            queue.waiting.push_back((round, answer));
        }
        queue.running.insert(3);
        let users = |rounds: &[(Round, Sender<Answer>)]| rounds.iter().map(|(r, _)| r.user).collect::<Vec<_>>();
        assert_eq!(users(&queue.take(2)), [1, 2], "at most the batch's size");
        assert_eq!(users(&queue.take(10)), [4], "user 1 runs already, and 3");
        let left: Vec<UserId> = queue.waiting.iter().map(|(r, _)| r.user).collect();
        assert_eq!(left, [1, 3], "in the order they came");
    }
}
