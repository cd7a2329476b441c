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
    Get(GetArgs),
    /// Change one setting
    Set(SetArgs),
    /// Print every setting
    List(ListArgs),
    /// Print the config file's path
    Path,
}

/// `pump config get KEY`.
#[derive(Debug, Args)]
pub struct GetArgs {
    key: String,
}

/// `pump config set KEY VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    key: String,
    value: String,
}

/// `pump config list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    json: bool,
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
                for (key, accepts) in KEYS {
                    println!("{key} = {}    ({accepts})", ctx.config.get(key)?);
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
