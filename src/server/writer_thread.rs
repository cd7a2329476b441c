//! The queue in front of a backend's own writer thread (SQLite's, see
//! `server::sqlite`): a sync round is handed to it straight from the async
//! worker, with no hop through the blocking pool, no wait for a writer
//! mutex and no separate wait for the group's commit; the thread runs the
//! queued rounds one after the other, commits them at once, and only then
//! sends each its answer.

use super::storage::StorageError;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// What a job hands back to the writer thread: called with how the commit
/// of the job's writes ended, once it ended.
pub type Delivery = Box<dyn FnOnce(Result<(), StorageError>) + Send>;

/// Work for the writer thread.
pub type WriterJob = Box<dyn FnOnce() -> Delivery + Send>;

/// The sending end of a writer thread's queue.
pub struct WriterQueue {
    sender: SyncSender<WriterJob>,
}

impl WriterQueue {
    /// A queue holding at most `capacity` jobs, and the end its thread reads.
    pub fn new(capacity: usize) -> (WriterQueue, Receiver<WriterJob>) {
        let (sender, receiver) = sync_channel(capacity);
        (WriterQueue { sender }, receiver)
    }

    /// Runs `work` on the writer thread and returns its result once what it
    /// wrote is durable; a failed commit turns the result into that
    /// failure. A full queue is [`StorageError::Busy`] at once: the client
    /// comes back later instead of piling up here.
    pub async fn run<T, E>(&self, work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: WriterJob = Box::new(move || {
            let result = work();
            Box::new(move |committed: Result<(), StorageError>| {
                let _ = answer.send(committed.map_err(E::from).and(result));
            })
        });
        match self.sender.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(StorageError::Busy.into()),
            Err(TrySendError::Disconnected(_)) => {
                return Err(StorageError::database("the database writer thread has stopped").into());
            }
        }
        // Dropped unanswered: the job panicked (the thread goes on).
        answered.await.unwrap_or_else(|_| Err(StorageError::Crashed.into()))
    }
}
