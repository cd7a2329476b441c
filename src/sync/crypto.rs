//! The account key: 256 random bits made on the device that registers,
//! kept in each device's database and never sent to the server. A person
//! carries it to a new device as 24 words (BIP39's English list, which has a
//! checksum, so a mistyped word is caught) or as 64 hex digits.
//!
//! The server keeps only a *key check*: a message sealed under a subkey of
//! the account key. A device that logs in opens it with the key it was
//! given; a wrong key fails there, before anything syncs. The message is
//! empty, or, once the key was rotated, the account's [`DigestKey`]: digests
//! stay comparable across a rotation, so the server still tells a copied
//! database's reused write counter from the original's. Subkeys are
//! derived with BLAKE3's `derive_key`, one context string per purpose, so
//! no two uses ever share a key.
//!
//! Every primitive comes from maintained crates (RustCrypto's
//! `chacha20poly1305`, `blake3`, rust-bitcoin's `bip39`); nothing here is
//! hand-rolled cryptography.

use crate::clock::VectorClock;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::cell::RefCell;

/// BLAKE3 context of the subkey that seals the key check.
const KEY_CHECK_CONTEXT: &str = "pump 2026-11 account key check";
/// BLAKE3 context of the subkey that seals record bodies.
const ROW_SEAL_CONTEXT: &str = "pump 2026-11 record seal";
/// BLAKE3 context of the subkey that keys record digests.
const ROW_DIGEST_CONTEXT: &str = "pump 2026-11 record digest";
/// The first byte of a sealed body: its format, so a later one can differ.
/// Format 1: the canonical JSON compressed by zstd with [`DICTIONARY_V1`]
/// as a raw-content dictionary, then sealed. Compression comes first
/// because ciphertext does not compress.
const SEALED_FORMAT: u8 = 1;
/// Format 1's zstd dictionary: a workout body's keys and layout and the
/// catalogue's exercise names, as plain text (zstd takes any bytes as a
/// raw-content dictionary; no training). Frozen: a body sealed with it must
/// open forever, so a better dictionary is a new format byte.
const DICTIONARY_V1: &[u8] = include_bytes!("seal-dictionary-v1.txt");
/// zstd's default level: most of the ratio, at a fraction of the time of
/// the higher ones.
const COMPRESSION_LEVEL: i32 = 3;
/// The largest body a sealed one opens to. A record is kilobytes; this
/// bounds what a hostile server's tiny compressed bomb can make a device
/// allocate.
const MAX_OPEN_BODY: u64 = 16 << 20;
/// Associated data of the key check, so no other sealed value passes for one.
const KEY_CHECK_AAD: &[u8] = b"pump key check";
/// XChaCha20's nonce: 192 bits, random for every seal.
const NONCE_LEN: usize = 24;
/// Poly1305's tag.
const TAG_LEN: usize = 16;
/// The longest key check a server accepts, in characters: ours are
/// `2 * (NONCE_LEN + TAG_LEN)`, plus 64 when the check carries a
/// [`DigestKey`]; a little room for a later format.
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
    /// Digests are then keyed with this key's own [`DigestKey`].
    pub fn key_check(&self) -> String {
        self.seal_check(b"")
    }

    /// A fresh key check that carries `digests`, the digest key of the key
    /// this one replaces (`pump key --rotate`): every device that logs in
    /// with this key goes on keying digests with it, so the digests the
    /// server recorded before the rotation still compare with later ones.
    pub fn key_check_carrying(&self, digests: &DigestKey) -> String {
        self.seal_check(&digests.0)
    }

    fn seal_check(&self, message: &[u8]) -> String {
        let nonce = XNonce::generate();
        let sealed = self
            .check_cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: message,
                    aad: KEY_CHECK_AAD,
                },
            )
            .expect("a key check is within XChaCha20-Poly1305's limits");
        let mut check = nonce.to_vec();
        check.extend_from_slice(&sealed);
        to_hex(&check)
    }

    /// Whether `check` (from the server) was made under this key.
    pub fn opens(&self, check: &str) -> bool {
        self.digest_key(check).is_some()
    }

    /// The digest key the account's `check` names, if the check opens under
    /// this key: the one it carries (a rotated key), or this key's own.
    pub fn digest_key(&self, check: &str) -> Option<DigestKey> {
        let sealed = from_hex(check)?;
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = <&XNonce>::try_from(nonce).ok()?;
        let message = self
            .check_cipher()
            .decrypt(
                nonce,
                Payload {
                    msg: ciphertext,
                    aad: KEY_CHECK_AAD,
                },
            )
            .ok()?;
        match message.len() {
            0 => Some(self.own_digest_key()),
            _ => message.try_into().ok().map(DigestKey),
        }
    }

    /// The digest key derived from this key: an account's until a rotation.
    pub fn own_digest_key(&self) -> DigestKey {
        DigestKey(blake3::derive_key(ROW_DIGEST_CONTEXT, &self.0))
    }

    fn check_cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&blake3::derive_key(KEY_CHECK_CONTEXT, &self.0).into())
    }

    /// The subkeys that seal and digest records, derived once per sync,
    /// for an account whose digests are keyed with this key's own digest key.
    pub fn row_keys(&self) -> RowKeys {
        self.row_keys_digesting(&self.own_digest_key())
    }

    /// The subkey that seals records under this key, with digests keyed by
    /// `digests` (the one the account's key check names).
    pub fn row_keys_digesting(&self, digests: &DigestKey) -> RowKeys {
        RowKeys::new(
            XChaCha20Poly1305::new(&blake3::derive_key(ROW_SEAL_CONTEXT, &self.0).into()),
            digests.0,
        )
    }
}

/// The key of record digests (see [`RowKeys::digest`]): derived from the
/// account's first key, and handed on, sealed in the key check, by every
/// rotation. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct DigestKey([u8; 32]);

impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigestKey(…)")
    }
}

/// What a sealed body is bound to (its associated data): a server that
/// moves a body to another record, another clock or the other side of a
/// delete makes it fail to open.
#[derive(Debug, Clone, Copy)]
pub struct RowBinding<'a> {
    /// The record kind.
    pub kind: &'a str,
    /// The record id.
    pub id: &'a str,
    /// The version's clock.
    pub clock: &'a VectorClock,
    /// Whether the version is a tombstone.
    pub deleted: bool,
}

impl RowBinding<'_> {
    /// An unambiguous encoding: every string length-prefixed, the clock's
    /// entries in order without zero counters (a zero counter changes
    /// nothing about what a clock includes, so clocks that compare equal
    /// bind equally).
    fn associated_data(&self) -> Vec<u8> {
        let mut out = b"pump row v1".to_vec();
        let text = |out: &mut Vec<u8>, text: &str| {
            out.extend_from_slice(&(text.len() as u64).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        };
        text(&mut out, self.kind);
        text(&mut out, self.id);
        out.push(u8::from(self.deleted));
        for (device, counter) in self.clock.entries().filter(|(_, counter)| *counter > 0) {
            text(&mut out, device);
            out.extend_from_slice(&counter.to_be_bytes());
        }
        out
    }
}

/// A sealed body that does not open under this key for this row: another
/// key sealed it, or it was altered, or it belongs to another row, clock or
/// tombstone flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a sealed body does not open with this device's key")]
pub struct DoesNotOpen;

/// The subkeys of an account key that seal record bodies and key their
/// digests (see [`AccountKey::row_keys`]).
pub struct RowKeys {
    seal: XChaCha20Poly1305,
    digest: [u8; 32],
    /// zstd contexts with the dictionary loaded, made once: a context per
    /// body would cost more than compressing it.
    compressor: RefCell<zstd::bulk::Compressor<'static>>,
    decompressor: RefCell<zstd::bulk::Decompressor<'static>>,
}

impl RowKeys {
    fn new(seal: XChaCha20Poly1305, digest: [u8; 32]) -> RowKeys {
        RowKeys {
            seal,
            digest,
            compressor: RefCell::new(
                zstd::bulk::Compressor::with_dictionary(COMPRESSION_LEVEL, DICTIONARY_V1)
                    .expect("zstd takes any bytes as a raw-content dictionary"),
            ),
            decompressor: RefCell::new(
                zstd::bulk::Decompressor::with_dictionary(DICTIONARY_V1)
                    .expect("zstd takes any bytes as a raw-content dictionary"),
            ),
        }
    }

    /// The same subkeys with zstd contexts of their own, for another
    /// thread (a context serves one thread at a time).
    pub fn for_another_thread(&self) -> RowKeys {
        RowKeys::new(self.seal.clone(), self.digest)
    }

    /// `body` (canonical JSON) compressed and sealed for the row `binding`
    /// names: base64 of the format byte, a random 192-bit nonce and the
    /// ciphertext with its tag.
    pub fn seal(&self, binding: &RowBinding, body: &str) -> String {
        let compressed = self
            .compressor
            .borrow_mut()
            .compress(body.as_bytes())
            .expect("zstd compresses any bytes into memory");
        let nonce = XNonce::generate();
        let aad = binding.associated_data();
        let ciphertext = self
            .seal
            .encrypt(
                &nonce,
                Payload {
                    msg: &compressed,
                    aad: &aad,
                },
            )
            .expect("a record body is far within XChaCha20-Poly1305's limits");
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(SEALED_FORMAT);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        BASE64.encode(sealed)
    }

    /// The body [`RowKeys::seal`] sealed for `binding`, or [`DoesNotOpen`].
    pub fn open(&self, binding: &RowBinding, sealed: &str) -> Result<String, DoesNotOpen> {
        let bytes = BASE64.decode(sealed).map_err(|_| DoesNotOpen)?;
        let Some((&SEALED_FORMAT, rest)) = bytes.split_first() else {
            return Err(DoesNotOpen);
        };
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(DoesNotOpen);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = <&XNonce>::try_from(nonce).map_err(|_| DoesNotOpen)?;
        let aad = binding.associated_data();
        let compressed = self
            .seal
            .decrypt(
                nonce,
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| DoesNotOpen)?;
        // Authentic from here on: only a holder of the key sealed it.
        let size = zstd::zstd_safe::get_frame_content_size(&compressed)
            .ok()
            .flatten()
            .filter(|&size| size <= MAX_OPEN_BODY)
            .ok_or(DoesNotOpen)?;
        let body = self
            .decompressor
            .borrow_mut()
            .decompress(&compressed, size as usize)
            .map_err(|_| DoesNotOpen)?;
        String::from_utf8(body).map_err(|_| DoesNotOpen)
    }

    /// The digest the server compares to tell a retry (same content) from
    /// a copied database (other content under one clock), and that dots
    /// carry: 128 bits of BLAKE3, keyed with a subkey, over the device's
    /// own digest of the content (`wire::content_digest`, which a device
    /// records when it writes, possibly before it has a key), in hex.
    /// Keyed, because a plain hash of a small body (a body-weight entry)
    /// would let the server test guesses of it.
    pub fn digest(&self, content_digest: &str) -> String {
        to_hex(&blake3::keyed_hash(&self.digest, content_digest.as_bytes()).as_bytes()[..16])
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
        // Fixed keys, not random ones: the checksum is 8 bits, so a swap of
        // two words slips through for about one key in 256, and a random
        // key made this test fail about once in 256 runs.
        for first in [0u8, 1, 2, 3] {
            let key = AccountKey(std::array::from_fn(|i| first.wrapping_add((i as u8).wrapping_mul(37))));
            let words = key.to_words();
            let mut list = words.split(' ').collect::<Vec<_>>();
            assert_ne!(list[0], list[1], "the swap below must change the words");
            list.swap(0, 1);
            let swapped = list.join(" ");
            assert!(
                matches!(AccountKey::parse(&swapped), Err(KeyError::Words(_))),
                "{swapped}"
            );
            list.swap(0, 1);
            list[2] = "pumpkinz";
            let misspelt = list.join(" ");
            assert!(
                matches!(AccountKey::parse(&misspelt), Err(KeyError::Words(_))),
                "{misspelt}"
            );
        }
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

    fn clock(entries: &[(&str, u64)]) -> VectorClock {
        let mut clock = VectorClock::new();
        for (device, counter) in entries {
            clock.set(device, *counter);
        }
        clock
    }

    const BODY: &str = r#"{"name":"Leg day","notes":"felt strong"}"#;

    /// The live workout "w1" at `clock`.
    fn live_w1(clock: &VectorClock) -> RowBinding<'_> {
        RowBinding {
            kind: "workout",
            id: "w1",
            clock,
            deleted: false,
        }
    }

    #[test]
    fn a_sealed_body_opens_for_its_row_only() {
        let keys = AccountKey::generate().row_keys();
        let at = clock(&[("phone", 2), ("laptop", 1)]);
        let row = RowBinding {
            kind: "workout",
            id: "w1",
            clock: &at,
            deleted: false,
        };
        let sealed = keys.seal(&row, BODY);
        assert!(!sealed.contains("Leg day"));
        assert_eq!(keys.open(&row, &sealed).as_deref(), Ok(BODY));
        assert_ne!(keys.seal(&row, BODY), sealed, "a fresh nonce every time");

        // A server that moves the body elsewhere, or replays it under another clock.
        let older = clock(&[("phone", 1), ("laptop", 1)]);
        let same_with_zero = clock(&[("phone", 2), ("laptop", 1), ("tablet", 0)]);
        for elsewhere in [
            RowBinding { id: "w2", ..row },
            RowBinding {
                kind: "template",
                ..row
            },
            RowBinding { clock: &older, ..row },
            RowBinding { deleted: true, ..row },
        ] {
            assert_eq!(keys.open(&elsewhere, &sealed), Err(DoesNotOpen), "{elsewhere:?}");
        }
        assert_eq!(
            keys.open(
                &RowBinding {
                    clock: &same_with_zero,
                    ..row
                },
                &sealed
            )
            .as_deref(),
            Ok(BODY),
            "a zero counter changes nothing"
        );
        assert_eq!(AccountKey::generate().row_keys().open(&row, &sealed), Err(DoesNotOpen));
    }

    #[test]
    fn a_flipped_byte_or_a_truncated_body_does_not_open() {
        let keys = AccountKey::generate().row_keys();
        let at = clock(&[("phone", 1)]);
        let row = live_w1(&at);
        let sealed = BASE64.decode(keys.seal(&row, BODY)).unwrap();
        for at in [0, 1, 30, sealed.len() - 1] {
            let mut flipped = sealed.clone();
            flipped[at] ^= 0x01;
            assert_eq!(keys.open(&row, &BASE64.encode(&flipped)), Err(DoesNotOpen), "byte {at}");
        }
        for cut in [0, 1, 1 + NONCE_LEN + TAG_LEN - 1, sealed.len() - 1] {
            assert_eq!(
                keys.open(&row, &BASE64.encode(&sealed[..cut])),
                Err(DoesNotOpen),
                "{cut} bytes"
            );
        }
        assert_eq!(keys.open(&row, "not base64!"), Err(DoesNotOpen));
    }

    #[test]
    fn digests_are_keyed_and_name_the_content() {
        let key = AccountKey::generate();
        let keys = key.row_keys();
        let plain = crate::sync::wire::content_digest(false, BODY);
        let digest = keys.digest(&plain);
        assert_eq!(digest.len(), 32);
        assert_ne!(digest, plain, "the server cannot test guesses of the body");
        assert_eq!(key.row_keys().digest(&plain), digest, "the same for every device");
        assert_ne!(
            keys.digest(&crate::sync::wire::content_digest(true, BODY)),
            digest,
            "a tombstone is other content"
        );
        assert_ne!(keys.digest(&crate::sync::wire::content_digest(false, "{}")), digest);
        assert_ne!(
            AccountKey::generate().row_keys().digest(&plain),
            digest,
            "another key, another digest"
        );
    }

    #[test]
    fn a_rotated_keys_check_hands_on_the_digest_key_and_opens_under_it_only() {
        let first = AccountKey::generate();
        let digests = first.digest_key(&first.key_check()).unwrap();
        assert_eq!(digests, first.own_digest_key());
        let rotated = AccountKey::generate();
        let check = rotated.key_check_carrying(&digests);
        assert!(well_formed_key_check(&check));
        assert!(rotated.opens(&check) && !first.opens(&check));
        assert_eq!(rotated.digest_key(&check), Some(digests.clone()));
        let plain = crate::sync::wire::content_digest(false, BODY);
        assert_eq!(
            rotated.row_keys_digesting(&digests).digest(&plain),
            first.row_keys().digest(&plain),
            "digests compare across the rotation"
        );
        let at = clock(&[("phone", 1)]);
        let row = live_w1(&at);
        let body = rotated.row_keys_digesting(&digests).seal(&row, BODY);
        assert!(first.row_keys().open(&row, &body).is_err(), "bodies do not");
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let key = AccountKey::generate();
        assert!(!format!("{key:?}").contains(&key.to_hex()));
    }
}
