//! `pump man`: the manual pages, generated from the clap definition like
//! the completion scripts, so they can never describe flags that do not
//! exist. The committed copies in `man/` (for packagers) are checked
//! against these by a test; `scripts/generate-docs` rewrites them.

use crate::error::{Error, Result};
use clap::Args;

const MAN_HELP: &str = "\
Examples:
  pump man | man -l -              # read the main page
  pump man config set | man -l -   # the page of `pump config set`
  pump man --list                  # every page there is";

/// `pump man [COMMAND]…`.
#[derive(Debug, Args)]
#[command(after_long_help = MAN_HELP)]
pub struct ManArgs {
    /// The command whose page to print, e.g. `show` or `config set` (default: the main page)
    command: Vec<String>,
    /// List the commands that have a page, one a line
    #[arg(long, conflicts_with = "command")]
    list: bool,
}

/// One manual page.
pub struct Page {
    /// The command it describes, as typed: `pump config set`.
    pub command: String,
    /// Its file name: `pump-config-set.1`.
    pub file: String,
    /// Its roff source.
    pub roff: String,
}

/// Every page: pump's own, then one per subcommand at every level, in the
/// order `pump --help` lists them.
pub fn pages() -> Vec<Page> {
    // Built, so that every subcommand knows its full name (`pump config set`).
    let mut cli = crate::cli::command().disable_help_subcommand(true);
    cli.build();
    let mut pages = Vec::new();
    collect(&cli, &mut pages);
    pages
}

fn collect(cmd: &clap::Command, pages: &mut Vec<Page>) {
    let man = clap_mangen::Man::new(cmd.clone()).source(format!("pump {}", env!("CARGO_PKG_VERSION")));
    let mut roff = Vec::new();
    // Writing into memory cannot fail.
    let _ = man.render(&mut roff);
    pages.push(Page {
        command: cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string(),
        file: man.get_filename(),
        roff: String::from_utf8_lossy(&roff).into_owned(),
    });
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages);
    }
}

/// Prints one page, or the list of them.
pub fn run(args: ManArgs) -> Result<()> {
    let pages = pages();
    if args.list {
        for page in &pages {
            println!("{}", page.command);
        }
        return Ok(());
    }
    let wanted = std::iter::once("pump")
        .chain(args.command.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let page = pages.iter().find(|p| p.command == wanted).ok_or_else(|| {
        Error::usage(format!(
            "there is no page for `{wanted}`: `pump man --list` lists the commands that have one"
        ))
    })?;
    print!("{}", page.roff);
    Ok(())
}
