//! Passwords, session tokens and account names.
//!
//! Passwords are kept as argon2id hashes with the library's recommended
//! parameters (19 MiB, 2 passes, 1 lane: the OWASP baseline, ~20-40 ms a
//! login in a release build). Session tokens are 32 random bytes the server
//! stores only as SHA-256: checking one costs a hash and an indexed lookup,
//! and a leaked database opens no sessions.

use super::storage::{SessionInfo, TokenHash};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use std::time::Duration;

/// When sessions end and how many an account may hold (`pump server start
/// --session-idle`, `--session-lifetime`, `--max-sessions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long has ended.
    pub idle: Duration,
    /// A session this old has ended, however often it is used.
    pub lifetime: Duration,
    /// Sessions one account may hold; a new one ends the least recently used.
    pub max_per_account: usize,
}

/// Where a session stands, by [`SessionPolicy::state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Valid; `touch` when its last use should be recorded now.
    Live {
        /// Whether to record this use (see [`SessionPolicy::state`]).
        touch: bool,
    },
    /// Unused for longer than the idle limit.
    Idle,
    /// Older than the lifetime limit.
    TooOld,
}

impl SessionPolicy {
    /// 90 days idle, a year at most, 20 sessions an account.
    pub const DEFAULT: SessionPolicy = SessionPolicy {
        idle: Duration::from_secs(90 * 24 * 3600),
        lifetime: Duration::from_secs(365 * 24 * 3600),
        max_per_account: 20,
    };

    /// Judges `session` at `now`. A use is recorded when the last recorded
    /// one is older than an eighth of the idle limit (at most an hour): a
    /// write per use would double the server's commits, and this
    /// imprecision only ever ends a session a little later than exactly.
    pub fn state(&self, session: &SessionInfo, now: DateTime<Utc>) -> SessionState {
        let age = |since: DateTime<Utc>| (now - since).to_std().unwrap_or(Duration::ZERO);
        if age(session.created_at) > self.lifetime {
            return SessionState::TooOld;
        }
        let unused = age(session.last_used);
        if unused > self.idle {
            return SessionState::Idle;
        }
        let touch_every = (self.idle / 8).min(Duration::from_secs(3600));
        SessionState::Live {
            touch: unused >= touch_every,
        }
    }

    /// Why a device's session ended, for the device to show: pump adds
    /// what to type next (`pump login`).
    pub fn expired_message(&self, state: SessionState) -> String {
        match state {
            SessionState::Idle => format!("the session ended after {} without a sync", human(self.idle)),
            SessionState::TooOld => format!(
                "the session ended: sessions on this server last {}",
                human(self.lifetime)
            ),
            SessionState::Live { .. } => "this device's session is valid".into(),
        }
    }
}

/// "90 days", "12 hours", "5 minutes", "3 seconds": the largest whole unit.
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (count, unit) = [(86_400, "day"), (3600, "hour"), (60, "minute")]
        .into_iter()
        .find(|(size, _)| seconds >= *size && seconds.is_multiple_of(*size))
        .map_or((seconds, "second"), |(size, unit)| (seconds / size, unit));
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Argon2 accepts longer, but a megabyte "password" is an attack, not a secret.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The longest account name.
pub const MAX_USER_CHARS: usize = 64;

/// Account names: `[A-Za-z0-9._-]{1,64}`, so they are safe in URLs, logs and
/// shell commands alike.
pub fn validate_user_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the user name is empty: pick one like \"alice\"".into());
    }
    if name.chars().count() > MAX_USER_CHARS {
        return Err(format!(
            "the user name is too long: keep it to {MAX_USER_CHARS} characters"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err("the user name may only use letters, digits, '.', '_' and '-'".into());
    }
    Ok(())
}

/// Checks a new password's length; the message says what to change.
pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password is too long: keep it under {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    Ok(())
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) that carries its
/// own parameters, so they can be raised later without breaking old accounts.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| format!("cannot encode a password salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// False for a wrong password and for an unreadable stored hash alike: either
/// way the login must fail, and the client learns nothing more.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Burns the same time as a real check, for logins to unknown accounts, so
/// response times do not tell which user names exist.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: LazyLock<Option<String>> = LazyLock::new(|| hash_password("not a real password").ok());
    if let Some(hash) = DUMMY.as_deref() {
        verify_password(password, hash);
    }
}

/// A fresh session token: 32 random bytes as 64 lowercase hex characters.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

/// What storage keeps of a session token: its SHA-256.
pub fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_follow_the_documented_alphabet() {
        assert_eq!(validate_user_name("alice.b_c-9"), Ok(()));
        assert_eq!(validate_user_name(&"a".repeat(64)), Ok(()));
        assert!(validate_user_name("").unwrap_err().contains("empty"));
        assert!(validate_user_name(&"a".repeat(65)).unwrap_err().contains("too long"));
        assert!(validate_user_name("al ice").unwrap_err().contains("only use"));
        assert!(validate_user_name("élise").unwrap_err().contains("only use"));
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert!(validate_password("1234567").unwrap_err().contains("at least 8"));
        assert_eq!(validate_password("12345678"), Ok(()));
        assert!(validate_password(&"x".repeat(1025)).unwrap_err().contains("too long"));
    }

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash_password("correct horse").unwrap(), hash, "salts must differ");
    }

    #[test]
    fn tokens_are_64_hex_characters_and_unique() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(a, new_token());
    }

    #[test]
    fn token_hash_is_sha256() {
        // SHA-256("abc"), from FIPS 180-2.
        assert_eq!(
            hex(&token_hash("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    fn session_at(created: i64, last_used: i64) -> SessionInfo {
        let at = |s: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(s);
        SessionInfo {
            token: [0; 32],
            device: None,
            created_at: at(created),
            last_used: at(last_used),
        }
    }

    #[test]
    fn sessions_end_when_idle_or_too_old_and_are_touched_sparingly() {
        let policy = SessionPolicy {
            idle: Duration::from_secs(800),
            lifetime: Duration::from_secs(10_000),
            max_per_account: 3,
        };
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(9_000);
        let state = |created, used| policy.state(&session_at(created, used), now);
        assert_eq!(state(8_990, 8_990), SessionState::Live { touch: false });
        assert_eq!(
            state(8_000, 8_900),
            SessionState::Live { touch: true },
            "100 s = idle / 8"
        );
        assert_eq!(
            state(0, 8_200),
            SessionState::Live { touch: true },
            "exactly the idle limit"
        );
        assert_eq!(state(0, 8_199), SessionState::Idle);
        assert_eq!(state(-1_001, 8_999), SessionState::TooOld);
        assert_eq!(
            state(9_500, 9_500),
            SessionState::Live { touch: false },
            "a clock step back"
        );
        assert!(
            policy
                .expired_message(SessionState::Idle)
                .contains("800 seconds without a sync")
        );
        assert!(
            SessionPolicy::DEFAULT
                .expired_message(SessionState::TooOld)
                .ends_with("sessions on this server last 365 days")
        );
    }

    #[test]
    fn durations_read_in_their_largest_whole_unit() {
        assert_eq!(human(Duration::from_secs(90 * 86_400)), "90 days");
        assert_eq!(human(Duration::from_secs(3600)), "1 hour");
        assert_eq!(human(Duration::from_secs(90)), "90 seconds");
        assert_eq!(human(Duration::from_secs(120)), "2 minutes");
    }

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
