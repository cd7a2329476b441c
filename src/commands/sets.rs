//! `pump sets`.

use crate::error::Result;

/// Prints the set grammar.
pub fn run() -> Result<()> {
    println!("{}", crate::cli::SET_GRAMMAR);
    Ok(())
}
