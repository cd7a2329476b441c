//! `pump key`: shows the account key, so a person can carry it to a new
//! device (`pump login` asks for it) or keep a copy somewhere safe.

use super::Context;
use crate::error::Result;

/// The long help of `pump key`.
pub const HELP: &str = "\
Show this account's encryption key, as 24 words and as 64 hex digits (the same key twice).

`pump register` made the key on one of your devices; it never leaves your devices (the server keeps
only a check that tells a right key from a wrong one, and rows sealed with it), and a new device asks
for it at `pump login`. Keep a copy somewhere safe (a password manager, paper): if every device that
has it is lost, nobody can recover it, not the server's operator either.";

/// The examples after `pump key`'s long help.
pub const EXAMPLES: &str = "\
Examples:
  pump key
  pump key | sed -n 's/^hex: *//p' > ~/pump-key.txt     # for: pump login … --key-file ~/pump-key.txt";

/// Prints the account key: `words: …` and `hex: …`, a line each.
pub fn run(ctx: &Context) -> Result<()> {
    let store = ctx.store_to_read()?;
    let Some(key) = store.account_key()? else {
        return Err(crate::error::Error::usage(
            "this device has no account key: it is not logged in to an account that has one (run `pump register` or `pump login`)",
        ));
    };
    println!("words: {}", key.to_words());
    println!("hex:   {}", key.to_hex());
    eprintln!("Keep this key safe: a new device needs it to log in, and nobody can recover it.");
    Ok(())
}
