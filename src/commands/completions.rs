//! `pump completions SHELL`.

use crate::error::Result;
use clap::Args;

/// `pump completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell asked for.
pub fn run(args: CompletionsArgs) -> Result<()> {
    print!("{}", crate::completions::generate(args.shell));
    Ok(())
}
