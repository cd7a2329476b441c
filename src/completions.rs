//! Shell completion scripts, generated from the clap definition so they can
//! never describe flags that do not exist. The committed copies in
//! `completions/` are checked against this by a test.

use clap::CommandFactory;
use clap_complete::Shell;

/// The completion script for `shell`.
pub fn generate(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "pump", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
