//! `pump devices`: the devices of the account, as the server knows them,
//! and `pump devices revoke` to sign one out.

use super::Context;
use super::account::session_client;
use super::render::{local, print_json, print_table, table};
use crate::error::{Error, Result};
use crate::sync::wire::DeviceSummary;
use crate::text::printable;
use clap::{Args, Subcommand};
use serde_json::json;

/// `pump devices`.
#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES\n  pump devices\n  pump devices revoke \"old phone\"\n  \
                        pump devices revoke 5f0c2a…   # by id, when two devices share a name")]
pub struct DevicesArgs {
    #[command(subcommand)]
    command: Option<DevicesCommand>,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// `pump devices …`.
#[derive(Debug, Subcommand)]
enum DevicesCommand {
    /// Sign a device out: its sessions end, and it syncs again only after `pump login`
    #[command(after_long_help = "Examples:\n  pump devices revoke \"old phone\"\n  pump devices revoke 5f0c2a")]
    Revoke {
        /// The device's name or id (an id prefix will do)
        #[arg(value_name = "NAME|ID")]
        device: String,
    },
}

/// Lists the account's devices, or revokes one.
pub fn run(ctx: &Context, args: DevicesArgs) -> Result<()> {
    let (client, _) = session_client(ctx)?;
    let this = ctx.store_to_read()?.device_id().to_string();
    let devices = client.devices()?.devices;
    match args.command {
        Some(DevicesCommand::Revoke { device }) => {
            let target = find(&devices, &device)?;
            if target.id == this {
                return Err(Error::usage("that is this device: `pump logout` signs it out"));
            }
            let ended = client.revoke_device(&target.id)?;
            eprintln!(
                "Signed out {} ({}): {ended} sessions ended.",
                printable(target.name.as_deref().unwrap_or("unnamed device")),
                printable(&target.id)
            );
            Ok(())
        }
        None if args.json => {
            let list: Vec<_> = devices
                .iter()
                .map(|d| {
                    json!({
                        "id": d.id,
                        "name": d.name,
                        "last_sync": d.last_sync.map(|t| t.to_rfc3339()),
                        "pending": d.pending,
                        "rows": d.rows,
                        "signed_in": d.signed_in,
                        "this_device": d.id == this,
                    })
                })
                .collect();
            print_json(&json!(list));
            Ok(())
        }
        None => {
            let mut out = table(&["name", "id", "last sync", "pending", "rows", "status"]);
            for d in &devices {
                let status = match (d.id == this, d.signed_in) {
                    (true, _) => "this device",
                    (false, true) => "signed in",
                    (false, false) => "signed out",
                };
                out.add_row(vec![
                    d.name.clone().unwrap_or_default(),
                    d.id.clone(),
                    d.last_sync.map_or_else(|| "never".into(), local),
                    d.pending.map_or_else(|| "-".into(), |p| p.to_string()),
                    d.rows.to_string(),
                    status.into(),
                ]);
            }
            print_table(&out);
            Ok(())
        }
    }
}

/// The one device `wanted` names: its id, an id prefix, or its name.
fn find<'a>(devices: &'a [DeviceSummary], wanted: &str) -> Result<&'a DeviceSummary> {
    if let Some(exact) = devices.iter().find(|d| d.id == wanted) {
        return Ok(exact);
    }
    let matching: Vec<&DeviceSummary> = devices
        .iter()
        .filter(|d| d.id.starts_with(wanted) || d.name.as_deref() == Some(wanted))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::usage(format!(
            "no device of this account is called '{wanted}': `pump devices` lists them"
        ))),
        several => Err(Error::usage(format!(
            "{} devices match '{wanted}': give the id of the one to revoke (`pump devices` lists them)",
            several.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(id: &str, name: &str) -> DeviceSummary {
        DeviceSummary {
            id: id.into(),
            name: Some(name.into()),
            last_sync: None,
            pending: None,
            rows: 0,
            signed_in: true,
        }
    }

    #[test]
    fn a_device_is_found_by_id_prefix_or_unique_name() {
        let devices = [
            device("abc1", "phone"),
            device("abd2", "laptop"),
            device("ff00", "laptop"),
        ];
        assert_eq!(find(&devices, "abc1").unwrap().id, "abc1");
        assert_eq!(find(&devices, "abd").unwrap().id, "abd2");
        assert_eq!(find(&devices, "phone").unwrap().id, "abc1");
        assert!(
            find(&devices, "laptop")
                .unwrap_err()
                .message
                .starts_with("2 devices match")
        );
        assert!(find(&devices, "ab").unwrap_err().message.starts_with("2 devices match"));
        assert!(find(&devices, "tablet").unwrap_err().message.contains("no device"));
    }
}
