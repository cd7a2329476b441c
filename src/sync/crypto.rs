//! The account key: 256 random bits made on the device that registers,
//! kept in each device's database and never sent to the server. A person
//! carries it to a new device as 24 words (BIP39's English list, which has a
//! checksum, so a mistyped word is caught) or as 64 hex digits.
//!
//! The server keeps only a *key check*: an empty message sealed under a
//! subkey of the account key. A device that logs in opens it with the key it
//! was given; a wrong key fails there, before anything syncs. Subkeys are
//! derived with BLAKE3's `derive_key`, one context string per purpose, so
//! no two uses ever share a key.
//!
//! Every primitive comes from maintained crates (RustCrypto's
//! `chacha20poly1305`, `blake3`, rust-bitcoin's `bip39`); nothing here is
//! hand-rolled cryptography.

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// BLAKE3 context of the subkey that seals the key check.
const KEY_CHECK_CONTEXT: &str = "pump 2026-11 account key check";
/// Associated data of the key check, so no other sealed value passes for one.
const KEY_CHECK_AAD: &[u8] = b"pump key check";
/// XChaCha20's nonce: 192 bits, random for every seal.
const NONCE_LEN: usize = 24;
/// Poly1305's tag.
const TAG_LEN: usize = 16;
/// The longest key check a server accepts, in characters: ours are
/// `2 * (NONCE_LEN + TAG_LEN)`; a little room for a later format.
pub const MAX_KEY_CHECK_LEN: usize = 256;

/// The account key. Its `Debug` does not show it, so it never lands in a
/// log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountKey([u8; 32]);

impl std::fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountKey(…)")
    }
}

/// Why a text is not an account key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Neither 64 hex digits nor 24 words.
    #[error("that is not an account key: enter the 24 words or the 64 hex digits `pump key` shows")]
    NotAKey,
    /// 24 words, but one is not on the list or the checksum fails: a typo.
    #[error("those words are not an account key ({0}): check each word against `pump key` on your other device")]
    Words(String),
}

impl AccountKey {
    /// A new random key, from the operating system's generator.
    pub fn generate() -> AccountKey {
        AccountKey(Key::generate().into())
    }

    /// The key from what a person typed or a file holds: the 24 words or
    /// the 64 hex digits, any case, surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<AccountKey, KeyError> {
        let text = text.trim();
        if let Some(bytes) = from_hex(text) {
            return bytes.try_into().map(AccountKey).map_err(|_| KeyError::NotAKey);
        }
        let words = text.split_whitespace().collect::<Vec<_>>();
        if words.len() != 24 {
            return Err(KeyError::NotAKey);
        }
        let mnemonic = bip39::Mnemonic::parse_normalized(&words.join(" ").to_lowercase())
            .map_err(|e| KeyError::Words(e.to_string()))?;
        mnemonic
            .to_entropy()
            .try_into()
            .map(AccountKey)
            .map_err(|_| KeyError::NotAKey)
    }

    /// The key as 64 lowercase hex digits (how devices store it).
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// The key as 24 words separated by spaces.
    pub fn to_words(&self) -> String {
        bip39::Mnemonic::from_entropy(&self.0)
            .expect("32 bytes are valid BIP39 entropy")
            .words()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A fresh key check for the server to keep: opens under this key only.
    pub fn key_check(&self) -> String {
        let nonce = XNonce::generate();
        let tag = self
            .check_cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: b"",
                    aad: KEY_CHECK_AAD,
                },
            )
            .expect("an empty message is within XChaCha20-Poly1305's limits");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&tag);
        to_hex(&sealed)
    }

    /// Whether `check` (from the server) was made by [`AccountKey::key_check`]
    /// under this key.
    pub fn opens(&self, check: &str) -> bool {
        let Some(sealed) = from_hex(check) else {
            return false;
        };
        if sealed.len() != NONCE_LEN + TAG_LEN {
            return false;
        }
        let (nonce, tag) = sealed.split_at(NONCE_LEN);
        let Ok(nonce) = <&XNonce>::try_from(nonce) else {
            return false;
        };
        self.check_cipher()
            .decrypt(
                nonce,
                Payload {
                    msg: tag,
                    aad: KEY_CHECK_AAD,
                },
            )
            .is_ok()
    }

    fn check_cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&blake3::derive_key(KEY_CHECK_CONTEXT, &self.0).into())
    }
}

/// Whether `check` has the shape of a key check (hex, bounded): what a
/// server verifies before keeping one, without being able to open it.
pub fn well_formed_key_check(check: &str) -> bool {
    !check.is_empty() && check.len() <= MAX_KEY_CHECK_LEN && from_hex(check).is_some()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes `text` spells in hex (either case), or `None`.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_hex_name_the_same_key() {
        let key = AccountKey::generate();
        assert_eq!(key.to_words().split(' ').count(), 24);
        assert_eq!(key.to_hex().len(), 64);
        assert_eq!(AccountKey::parse(&key.to_words()).unwrap(), key);
        assert_eq!(AccountKey::parse(&key.to_hex().to_uppercase()).unwrap(), key);
        assert_eq!(
            AccountKey::parse(&format!("  {}\n", key.to_words().to_uppercase().replace(' ', "   "))).unwrap(),
            key
        );
    }

    #[test]
    fn two_keys_differ() {
        assert_ne!(AccountKey::generate(), AccountKey::generate());
    }

    #[test]
    fn a_typo_in_the_words_is_caught() {
        let words = AccountKey::generate().to_words();
        let mut list = words.split(' ').collect::<Vec<_>>();
        list.swap(0, 1);
        // Swapping two different words breaks the checksum (equal words swap to the same key).
        if list[0] != list[1] {
            assert!(matches!(AccountKey::parse(&list.join(" ")), Err(KeyError::Words(_))));
        }
        let misspelt = words.replacen(list[2], "pumpkinz", 1);
        assert!(matches!(AccountKey::parse(&misspelt), Err(KeyError::Words(_))));
    }

    #[test]
    fn other_text_is_not_a_key() {
        for text in [
            "",
            "abc",
            &"0".repeat(62),
            &"0".repeat(66),
            "correct horse battery staple",
        ] {
            assert_eq!(AccountKey::parse(text), Err(KeyError::NotAKey), "{text:?}");
        }
    }

    #[test]
    fn a_key_check_opens_under_its_key_only() {
        let key = AccountKey::generate();
        let check = key.key_check();
        assert!(well_formed_key_check(&check));
        assert!(key.opens(&check));
        assert!(!AccountKey::generate().opens(&check));
        assert_ne!(key.key_check(), check, "a fresh nonce every time");
    }

    #[test]
    fn a_tampered_key_check_does_not_open() {
        let key = AccountKey::generate();
        let check = key.key_check();
        for at in [0, check.len() / 2, check.len() - 1] {
            let mut bytes = check.clone().into_bytes();
            bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
            assert!(!key.opens(&String::from_utf8(bytes).unwrap()));
        }
        for bad in ["", "zz", &check[..check.len() - 2]] {
            assert!(!key.opens(bad));
        }
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let key = AccountKey::generate();
        assert!(!format!("{key:?}").contains(&key.to_hex()));
    }
}
