//! `pump status`.

use super::Context;
use super::account::{SERVER_KEY, TOKEN_KEY, USER_KEY};
use super::render::print_json;
use crate::error::Result;
use serde_json::json;

/// Prints this device, its server and what waits to sync.
pub fn run(ctx: &Context, json: bool) -> Result<()> {
    let store = ctx.store()?;
    let name = store.meta("device_name")?.unwrap_or_default();
    let server = store.meta(SERVER_KEY)?;
    let user = store.meta(USER_KEY)?;
    let logged_in = store.meta(TOKEN_KEY)?.is_some();
    let last_sync = store.meta("last_sync")?;
    let pending = store.pending_count()?;
    let conflicts = store.conflict_count()?;
    let (auto_merged, resolved, held_ever) = store.conflict_totals()?;
    if json {
        print_json(&json!({
            "device_id": store.device_id(),
            "device_name": name,
            "database": store.path().display().to_string(),
            "server": server,
            "user": user,
            "logged_in": logged_in,
            "last_sync": last_sync,
            "pending": pending,
            "conflicts": conflicts,
            "totals": { "auto_merged": auto_merged, "resolved": resolved, "held": held_ever },
        }));
        return Ok(());
    }
    println!("Device     {name} ({})", store.device_id());
    println!("Database   {}", store.path().display());
    match (&server, &user) {
        (Some(server), Some(user)) if logged_in => println!("Server     {server} as {user}"),
        (Some(server), _) => println!("Server     {server} (logged out: `pump login`)"),
        _ => println!("Server     none (`pump register` or `pump login` to sync)"),
    }
    let last = last_sync
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map_or_else(|| "never".to_string(), |t| super::render::local(t.to_utc()));
    println!("Last sync  {last}");
    println!("Pending    {pending} {}", if pending == 1 { "row" } else { "rows" });
    println!(
        "Conflicts  {conflicts}{}",
        if conflicts > 0 {
            " (`pump conflicts` lists them)"
        } else {
            ""
        }
    );
    Ok(())
}
