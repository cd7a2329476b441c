//! `pump status`.

use super::Context;
use super::render::print_json;
use crate::error::Result;
use crate::text::printable;
use serde_json::json;

/// Prints this device, its server and what waits to sync.
pub fn run(ctx: &Context, json: bool) -> Result<()> {
    let store = ctx.store_to_read()?;
    let name = store.device_name()?.unwrap_or_default();
    let server = store.server_url()?;
    let user = store.server_user()?;
    let logged_in = store.logged_in()?;
    let last_sync = store.last_sync()?;
    let pending = store.pending_count()?;
    let conflicts = store.conflict_count()?;
    let unreadable = store.unreadable_count()?;
    let totals = store.conflict_totals()?;
    let open = super::session::open_workout(&store)?;
    // How long it has been open, in whole minutes (never negative: a
    // workout may be started `--at` a time still to come).
    let open_minutes = open
        .as_ref()
        .map(|w| (chrono::Utc::now() - w.started_at).num_minutes().max(0));
    if json {
        print_json(&json!({
            "device_id": store.device_id(),
            "device_name": name,
            "database": store.path().display().to_string(),
            "server": server,
            "user": user,
            "logged_in": logged_in,
            "last_sync": last_sync.map(|t| t.to_rfc3339()),
            "pending": pending,
            "conflicts": conflicts,
            "unreadable": unreadable,
            "totals": { "auto_merged": totals.auto_merged, "resolved": totals.resolved, "held": totals.held },
            "open_workout": open.as_ref().map(|w| json!({
                "id": w.id,
                "name": w.name,
                "started_at": w.started_at.to_rfc3339(),
                "open_minutes": open_minutes,
            })),
        }));
        return Ok(());
    }
    println!("Device     {} ({})", printable(&name), store.device_id());
    println!("Database   {}", store.path().display());
    match (&server, &user) {
        (Some(server), Some(user)) if logged_in => {
            println!("Server     {} as {}", printable(server), printable(user))
        }
        (Some(server), _) => println!("Server     {} (logged out: `pump login`)", printable(server)),
        _ => println!("Server     none (`pump register` or `pump login` to sync)"),
    }
    match (&open, open_minutes) {
        (Some(w), Some(minutes)) => println!(
            "Open       {} since {} ({} ago; `pump finish` closes it)",
            printable(&w.name),
            super::render::local(w.started_at),
            super::render::hours_minutes(minutes)
        ),
        _ => println!("Open       no workout (`pump start NAME` opens one)"),
    }
    let last = last_sync.map_or_else(|| "never".to_string(), super::render::local);
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
    if unreadable > 0 {
        println!(
            "Kept       {} a newer pump wrote (upgrade pump to use them)",
            crate::text::counted(unreadable as u64, "row")
        );
    }
    Ok(())
}
