//! `pump device`: this device's identity.

use super::Context;
use super::render::print_json;
use crate::error::{Error, Result};
use crate::text::printable;
use clap::Args;
use serde_json::json;

/// `pump device`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump device\n  pump device --name \"gym phone\"\n  pump device --reset-id   # on a copied database"
)]
pub struct DeviceArgs {
    /// Rename this device
    #[arg(long)]
    name: Option<String>,
    /// Take a new device id (after copying a database file to a second device)
    #[arg(long)]
    reset_id: bool,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Renames this device or gives it a new id, then prints its name and id.
pub fn run(ctx: &Context, args: DeviceArgs) -> Result<()> {
    let new_name = match &args.name {
        Some(raw) => {
            let name = raw.trim();
            if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
                return Err(Error::usage(format!(
                    "'{raw}' is not a device name: use 1 to 64 printable characters"
                )));
            }
            Some(name.to_string())
        }
        None => None,
    };
    let mut store = match new_name.is_some() || args.reset_id {
        true => ctx.store()?,
        false => ctx.store_to_read()?,
    };
    if let Some(name) = &new_name {
        store.set_device_name(name)?;
    }
    if args.reset_id {
        let old = store.device_id().to_string();
        let new = store.reset_device_id()?;
        eprintln!("New device id {new} (was {old}). Run `pump sync` to send this device's changes under it.");
    }
    let name = store.device_name()?.unwrap_or_default();
    if args.json {
        print_json(&json!({ "id": store.device_id(), "name": name }));
    } else {
        println!("{} {}", printable(&name), store.device_id());
    }
    Ok(())
}
