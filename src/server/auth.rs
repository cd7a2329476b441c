//! Passwords, session tokens and account names.
//!
//! Passwords are kept as argon2id hashes with the library's recommended
//! parameters (19 MiB, 2 passes, 1 lane: the OWASP baseline, ~20-40 ms a
//! login in a release build). Session tokens are 32 random bytes the server
//! stores only as SHA-256: checking one costs a hash and an indexed lookup,
//! and a leaked database opens no sessions.

use super::storage::TokenHash;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

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

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
