//! `pump conflicts` and `pump resolve`.

use super::Context;
use super::render::{local, print_json, print_table, table};
use super::resolver::{self, Choice};
use super::sync::Prefer;
use crate::error::{Error, Result};
use crate::store::{HeldConflict, Store};
use clap::Args;
use serde_json::{Value, json};
use std::io::IsTerminal;

/// Prints the conflicts held for the lifter, with the fields that differ.
pub fn list(ctx: &Context, json_out: bool) -> Result<()> {
    let store = ctx.store_to_read()?;
    let held = store.held_conflicts()?;
    if json_out {
        let items: Vec<Value> = held
            .iter()
            .map(|c| {
                let fields: Vec<Value> = resolver::differences(c)
                    .conflicts
                    .iter()
                    .map(|f| json!({ "field": f.path.to_string(), "base": f.base, "mine": f.mine, "theirs": f.theirs }))
                    .collect();
                json!({
                    "kind": c.mine.kind,
                    "id": c.mine.id,
                    "name": c.mine.body.get("name"),
                    "detected_at": c.detected_at,
                    "fields": fields,
                    "mine": { "clock": c.mine.clock, "deleted": c.mine.deleted, "body": c.mine.body },
                    "theirs": { "clock": c.theirs.clock, "deleted": c.theirs.deleted, "body": c.theirs.body },
                })
            })
            .collect();
        print_json(&Value::Array(items));
        return Ok(());
    }
    if held.is_empty() {
        eprintln!("No conflicts.");
        return Ok(());
    }
    let mut t = table(&["ID", "Name", "Fields that differ", "Since"]);
    for c in &held {
        let fields: Vec<String> = resolver::differences(c)
            .conflicts
            .iter()
            .map(|f| f.path.to_string())
            .collect();
        let since = chrono::DateTime::parse_from_rfc3339(&c.detected_at)
            .map(|t| local(t.to_utc()))
            .unwrap_or_default();
        t.add_row(vec![
            c.mine.id.chars().take(13).collect(),
            c.mine
                .body
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            fields.join(", "),
            since,
        ]);
    }
    print_table(&t);
    for c in &held {
        print!("{}", resolver::note_diffs(c));
    }
    eprintln!("Resolve with `pump resolve` (interactive), or `pump resolve ID --mine|--theirs`.");
    Ok(())
}

/// `pump resolve [ID]`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump resolve                 # one by one, interactively\n  pump resolve --mine\n  pump resolve 01a2f3 --theirs"
)]
pub struct ResolveArgs {
    /// A conflicted record's id (or a prefix); all held conflicts when absent
    #[arg(add = crate::completions::conflict_ids())]
    id: Option<String>,
    /// Keep this device's version
    #[arg(long, conflicts_with = "theirs")]
    mine: bool,
    /// Keep the server's version
    #[arg(long)]
    theirs: bool,
}

/// Resolves held conflicts by flag, or one by one at a terminal.
pub fn resolve(ctx: &Context, args: ResolveArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let mut held = store.held_conflicts()?;
    if let Some(typed) = &args.id {
        let typed = typed.trim().to_ascii_lowercase();
        held.retain(|c| c.mine.id.starts_with(&typed));
        match held.len() {
            0 => {
                return Err(Error::usage(format!(
                    "no conflict is held for '{typed}': `pump conflicts` lists them"
                )));
            }
            1 => {}
            _ => {
                return Err(Error::usage(format!(
                    "'{typed}' matches more than one conflict: type more of the id"
                )));
            }
        }
    }
    if held.is_empty() {
        eprintln!("No conflicts.");
        return Ok(());
    }
    let prefer = if args.mine {
        Some(Prefer::Mine)
    } else if args.theirs {
        Some(Prefer::Theirs)
    } else {
        None
    };
    let resolved = match prefer {
        Some(prefer) => resolve_all(&mut store, held, prefer)?,
        None if std::io::stdin().is_terminal() => resolver::interactive(&mut store, held, ctx.unit())?,
        None => {
            return Err(Error::usage(
                "no terminal to ask on: pass --mine or --theirs (or run `pump resolve` in a terminal)",
            ));
        }
    };
    let left = store.conflict_count()?;
    eprintln!("Resolved {resolved}; {left} left. Run `pump sync` to send the resolutions.");
    Ok(())
}

/// `--mine`, `--theirs`, `pump sync --prefer`: every conflict the same way.
pub(super) fn resolve_all(store: &mut Store, held: Vec<HeldConflict>, prefer: Prefer) -> Result<usize> {
    let choice = match prefer {
        Prefer::Mine => Choice::Mine,
        Prefer::Theirs => Choice::Theirs,
    };
    for conflict in &held {
        let resolution = resolver::resolution(conflict, choice.clone())?;
        store.resolve_conflict(&conflict.mine.kind, &conflict.mine.id, &resolution)?;
    }
    Ok(held.len())
}
