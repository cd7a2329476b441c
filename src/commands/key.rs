//! `pump key`: shows the account key, so a person can carry it to a new
//! device (`pump login` asks for it) or keep a copy somewhere safe; with
//! `--enable`, encrypts an account that has no key yet.

use super::Context;
use crate::client::engine;
use crate::client::http::HttpClient;
use crate::client::lock::SyncLock;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;
use crate::sync::crypto::AccountKey;
use crate::sync::wire::KeyChange;
use clap::Args;

/// The long help of `pump key`.
pub const HELP: &str = "\
Show this account's encryption key, as 24 words and as 64 hex digits (the same key twice).

`pump register` made the key on one of your devices; it never leaves your devices (the server keeps
only a check that tells a right key from a wrong one, and rows sealed with it), and a new device asks
for it at `pump login`. Keep a copy somewhere safe (a password manager, paper): if every device that
has it is lost, nobody can recover it, not the server's operator either.

`pump key --enable` encrypts an account that has none yet (made by an older pump, or by the server's
operator with `pump server add-user`): this device makes the key, pulls everything new, has the server
check for the key from then on, and sends every row again sealed, with its history unchanged, so the
other devices see no conflict. They then stop syncing (exit 77) until you `pump login` on each with
the key this prints; their changes wait for that, nothing is lost. Killed halfway, run it again.

`pump key --rotate` changes the key the same way (after a lost laptop that had it, say): a new key
made here, every row sent again sealed under it, the other devices told at their next sync (exit 77,
one line) to `pump login` with the new key. Killed halfway, `pump key --rotate` (or `pump sync`)
finishes it; nothing is lost.";

/// The examples after `pump key`'s long help.
pub const EXAMPLES: &str = "\
Examples:
  pump key
  pump key | sed -n 's/^hex: *//p' > ~/pump-key.txt     # for: pump login … --key-file ~/pump-key.txt
  pump key --enable     # once, on one device, to encrypt an account that has no key yet
  pump key --rotate     # a new key; then `pump login` with it on the other devices";

/// `pump key`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Encrypt this account (one without a key yet): make its key here and
    /// send every row to the server again, sealed
    #[arg(long, conflicts_with = "rotate")]
    enable: bool,
    /// Change this account's key: make a new one here and send every row to
    /// the server again, sealed under it; the other devices log in again
    #[arg(long)]
    rotate: bool,
}

/// How often a key change pulls and asks again while other devices keep
/// pushing rows this one has not seen.
const KEY_CHANGE_TRIES: usize = 5;

/// Prints the account key (`words: …` and `hex: …`, a line each), after
/// encrypting the account with `--enable` or changing its key with
/// `--rotate`.
pub fn run(ctx: &Context, args: &KeyArgs) -> Result<()> {
    if args.enable || args.rotate {
        change_key(ctx, args.rotate)?;
    }
    let store = ctx.store_to_read()?;
    let Some(key) = store.account_key()? else {
        return Err(Error::usage(
            "this device has no account key: it is not logged in to an account that has one (run `pump register` or `pump login`)",
        ));
    };
    println!("words: {}", key.to_words());
    println!("hex:   {}", key.to_hex());
    eprintln!("Keep this key safe: a new device needs it to log in, and nobody can recover it.");
    Ok(())
}

/// Moves the account to a new key: a plaintext account's first
/// (`rotate` false) or a replacement. Every step can be repeated, so a
/// kill anywhere is finished by running it again: the new key and its
/// check are kept here before the server hears of them; the server takes
/// the check only from a device that has pulled every row (none it would
/// miss sealing again) and takes the same check again as a retry; then
/// every record is marked, in one transaction with the key (the old one
/// kept as retired, to open rows not yet sealed again), to go out sealed,
/// and a sync sends them.
fn change_key(ctx: &Context, rotate: bool) -> Result<()> {
    let _lock = SyncLock::acquire(&ctx.db_path)?;
    let mut store = ctx.store()?;
    let sealed = store.row_keys()?.is_some();
    let (mut client, server) = super::account::store_client(ctx, &store)?;
    if rotate && store.retired_row_keys()?.is_some() {
        // A rotation killed after the server took the new key: finish it.
        finish(&mut store, &mut client, &server, "this account's key changed")?;
        return Ok(());
    }
    let expected = match (rotate, sealed) {
        (false, true) => {
            return Err(Error::usage(
                "this account is encrypted already: `pump key` shows its key, and `pump sync` sends anything still \
                 waiting to go out sealed",
            ));
        }
        (false, false) => None,
        (true, false) => {
            return Err(Error::usage(
                "this account has no key to change: `pump key --enable` gives it one",
            ));
        }
        (true, true) => Some(store.account_key_check()?.ok_or_else(|| {
            Error::new(
                ErrorKind::Unauthorized,
                "this device does not know the server's check of the key yet: run `pump login` once, then \
                 `pump key --rotate` again",
            )
        })?),
    };
    let (key, key_check) = next_key(&mut store, sealed)?;
    for _ in 0..KEY_CHANGE_TRIES {
        let change = KeyChange {
            expected: expected.clone(),
            key_check: key_check.clone(),
            cursor: store.sync_cursor()?,
        };
        if client.change_key(&change)? {
            store.seal_every_record(&key, &key_check)?;
            let done = match rotate {
                true => "this account's key changed",
                false => "this account is encrypted now",
            };
            return finish(&mut store, &mut client, &server, done);
        }
        // Rows arrived that this device has not pulled: pull, ask again.
        engine::pull(&mut store, &mut client)?;
    }
    Err(Error::new(
        ErrorKind::Unavailable,
        "other devices keep sending rows this one has not pulled yet: nothing was lost, run the same `pump key` \
         command again in a minute",
    ))
}

/// Sends every row marked by the key change, sealed under the new key.
fn finish(store: &mut Store, client: &mut HttpClient, server: &str, done: &str) -> Result<()> {
    let outcome = engine::run(store, client, &mut |_, _| {})?;
    super::sync::report(&outcome, server, 0, store.conflict_count()?, true);
    eprintln!(
        "pump: {done} ({} rows sent again, sealed); on each other device run `pump login` and give this key:",
        outcome.total.accepted
    );
    Ok(())
}

/// The key the account moves to and its check: those a killed run kept,
/// or new ones, kept before the server hears of them.
fn next_key(store: &mut Store, sealed: bool) -> Result<(AccountKey, String)> {
    if let Some(next) = store.next_account_key()? {
        return Ok(next);
    }
    if !sealed && store.account_key()?.is_some() {
        eprintln!(
            "pump: this device holds the key of an account it used before; it is replaced by this account's new \
             key (`pump key` on a device still in that account shows it)"
        );
    }
    let key = AccountKey::generate();
    // A rotation hands the account's digest key on: digests the server
    // recorded under the old key must still compare with later ones.
    let check = match store.account_key()? {
        Some(old) if sealed => key.key_check_carrying(&store.digest_key(&old)?),
        _ => key.key_check(),
    };
    store.keep_next_account_key(&key, &check)?;
    Ok((key, check))
}
