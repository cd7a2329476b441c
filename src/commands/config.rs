//! `pump config`.

use super::Context;
use super::render::print_json;
use crate::config::KEYS;
use crate::error::{Error, Result};
use clap::{Args, Subcommand};

/// `pump config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print one setting
    #[command(after_long_help = "Example:\n  pump config get unit")]
    Get(GetArgs),
    /// Change one setting
    #[command(after_long_help = set_help())]
    Set(SetArgs),
    /// Print every setting
    #[command(after_long_help = "Examples:\n  pump config list\n  pump config list --json")]
    List(ListArgs),
    /// Print the config file's path
    #[command(after_long_help = "Examples:\n  pump config path\n  $EDITOR \"$(pump config path)\"")]
    Path,
}

/// `pump config get KEY`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The setting
    #[arg(add = crate::completions::config_keys())]
    key: String,
}

/// `pump config set KEY VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting
    #[arg(add = crate::completions::config_keys())]
    key: String,
    /// Its new value
    #[arg(add = crate::completions::config_values())]
    value: String,
}

/// `pump config list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// `config set --help`: every key, what it takes, and examples.
fn set_help() -> String {
    let keys: Vec<String> = KEYS.iter().map(|k| format!("  {:<16} {}", k.name, k.accepts)).collect();
    format!(
        "KEYS\n{}\n\nExamples:\n  pump config set unit lb\n  pump config set auto_sync true\n  \
         pump config set sync_interval 15m",
        keys.join("\n")
    )
}

/// Prints or changes the preferences in the config file.
pub fn run(ctx: &Context, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Get(GetArgs { key }) => println!("{}", ctx.config.get(&key)?),
        ConfigCommand::Set(SetArgs { key, value }) => {
            let path = ctx.config_path.as_deref().ok_or_else(|| {
                Error::usage("cannot find a config folder: set PUMP_CONFIG to the config file's path")
            })?;
            let mut config = ctx.config.clone();
            config.set(&key, &value)?;
            config.save(path)?;
            eprintln!("{key} = {}", config.get(&key)?);
        }
        ConfigCommand::List(ListArgs { json }) => {
            if json {
                print_json(&serde_json::to_value(&ctx.config).unwrap_or_default());
            } else {
                for key in KEYS {
                    println!("{} = {}    ({})", key.name, ctx.config.get(key.name)?, key.accepts);
                }
            }
        }
        ConfigCommand::Path => match &ctx.config_path {
            Some(path) => println!("{}", path.display()),
            None => return Err(Error::usage("no config folder on this system: set PUMP_CONFIG")),
        },
    }
    Ok(())
}
