//! `pump completions SHELL`.

use crate::error::Result;
use clap::Args;

const COMPLETIONS_HELP: &str = "\
These scripts know commands and flags. For completions that also know your workout ids, exercises and
templates, let pump answer each TAB itself instead (see README, Completions):
  bash:  echo 'source <(COMPLETE=bash pump)' >> ~/.bashrc
  zsh:   echo 'source <(COMPLETE=zsh pump)' >> ~/.zshrc
  fish:  echo 'COMPLETE=fish pump | source' >> ~/.config/fish/config.fish

Examples:
  pump completions bash > ~/.local/share/bash-completion/completions/pump
  pump completions zsh > ~/.zfunc/_pump";

/// `pump completions SHELL`.
#[derive(Debug, Args)]
#[command(after_long_help = COMPLETIONS_HELP)]
pub struct CompletionsArgs {
    /// The shell to write the script for
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell asked for.
pub fn run(args: CompletionsArgs) -> Result<()> {
    print!("{}", crate::completions::generate(args.shell));
    Ok(())
}
