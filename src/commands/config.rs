//! `pump config`.

use super::Context;
use super::render::print_json;
use crate::cli::ConfigCommand;
use crate::config::KEYS;
use crate::error::{Error, Result};

pub fn run(ctx: &Context, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Get { key } => println!("{}", ctx.config.get(&key)?),
        ConfigCommand::Set { key, value } => {
            let path = ctx.config_path.as_deref().ok_or_else(|| {
                Error::usage("cannot find a config folder: set PUMP_CONFIG to the config file's path")
            })?;
            let mut config = ctx.config.clone();
            config.set(&key, &value)?;
            config.save(path)?;
            eprintln!("{key} = {}", config.get(&key)?);
        }
        ConfigCommand::List { json } => {
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
