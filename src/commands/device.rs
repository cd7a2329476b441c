//! `pump device`: this device's identity.

use super::Context;
use super::render::print_json;
use crate::cli::DeviceArgs;
use crate::error::{Error, Result};
use serde_json::json;

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
    let mut store = ctx.store()?;
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
        println!("{name} {}", store.device_id());
    }
    Ok(())
}
