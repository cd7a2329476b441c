//! The sessions this process authenticated lately, kept so that a sync on
//! a backend that batches rounds (PostgreSQL) costs no database statement
//! of its own to authenticate: a lookup per request was one statement per
//! sync, outside the batch, where the batch itself runs about ten for up
//! to 64 syncs.
//!
//! Nothing is trusted that another process could change unseen: a kept
//! session is used only while it is bound to the device that asks and
//! live without a use to record (`SessionPolicy::state`: its kept last
//! use can only be older than the real one, so a session judged live here
//! is live), and every round it admits is checked again by the batch,
//! which locks the user only if the session's row still exists (see
//! `Storage::begin_batch`). Every way of ending a session deletes that
//! row, in this process or another, so a revoked token fails the next
//! round that reaches the database.

use super::auth::{SessionPolicy, SessionState};
use super::storage::{SessionInfo, TokenHash, User};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Sessions kept at most (a few hundred bytes each); when full, the
/// memory starts again empty, and the next use of each reads it again.
const KEPT_SESSIONS: usize = 10_000;

/// The sessions one server process authenticated, by token hash.
#[derive(Default)]
pub(super) struct SessionCache {
    kept: Mutex<HashMap<TokenHash, (User, SessionInfo)>>,
}

impl SessionCache {
    /// The user of `token`'s session if this process knows it as bound to
    /// `device` and live at `now` with no use to record; `None`: read it.
    pub(super) fn user(
        &self,
        token: &TokenHash,
        device: &str,
        policy: SessionPolicy,
        now: DateTime<Utc>,
    ) -> Option<User> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let (user, session) = kept.get(token)?;
        let usable = session.device.as_deref() == Some(device)
            && policy.state(session, now) == SessionState::Live { touch: false };
        usable.then(|| user.clone())
    }

    /// Keeps `session`, just read and found live, bound to `device`.
    pub(super) fn keep(&self, user: &User, session: &SessionInfo, device: &str) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= KEPT_SESSIONS {
            kept.clear();
        }
        let session = SessionInfo {
            device: Some(device.to_string()),
            ..session.clone()
        };
        kept.insert(session.token, (user.clone(), session));
    }

    /// Forgets `token`: its session ended.
    pub(super) fn forget(&self, token: &TokenHash) {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_kept_session_serves_only_its_device_while_live_and_untouched() {
        let policy = SessionPolicy {
            idle: Duration::from_secs(800),
            lifetime: Duration::from_secs(10_000),
            max_per_account: 3,
        };
        let at = |s: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(s);
        let user = User {
            id: 7,
            name: "sam".into(),
        };
        let session = SessionInfo {
            token: [1; 32],
            device: None,
            created_at: at(0),
            last_used: at(0),
        };
        let cache = SessionCache::default();
        assert_eq!(cache.user(&[1; 32], "phone", policy, at(1)), None, "not kept yet");
        cache.keep(&user, &session, "phone");
        assert_eq!(cache.user(&[1; 32], "phone", policy, at(1)), Some(user.clone()));
        assert_eq!(cache.user(&[1; 32], "laptop", policy, at(1)), None, "another device");
        assert_eq!(cache.user(&[2; 32], "phone", policy, at(1)), None, "another token");
        assert_eq!(
            cache.user(&[1; 32], "phone", policy, at(100)),
            None,
            "a use to record (idle / 8)"
        );
        assert_eq!(cache.user(&[1; 32], "phone", policy, at(900)), None, "idle");
        cache.forget(&[1; 32]);
        assert_eq!(cache.user(&[1; 32], "phone", policy, at(1)), None, "forgotten");
    }
}
