//! Showing a held conflict side by side, and turning a person's choice into
//! a resolution. Used by `pump resolve` and by `pump sync` at a terminal.

use super::edit;
use super::render::{local, table};
use crate::error::{Error, Result};
use crate::model::{ExerciseEntry, Set, Unit, Workout, format_number, new_id, render_set, render_sets};
use crate::store::{HeldConflict, Resolution, Store};
use crate::sync::kinds::Kind;
use crate::sync::merge::text::{LineChange, line_changes};
use crate::sync::merge::{self, Conflict, Merged, Side, Version};
use crate::text::{printable, printable_lines};
use dialoguer::console::Term;
use serde_json::Value;

/// What a person (or a flag) chose for one conflict.
#[derive(Debug, Clone)]
pub enum Choice {
    Mine,
    Theirs,
    /// One side per differing field, in the order `merge` reports them.
    Fields(Vec<Side>),
    /// Theirs stays; mine is saved as a new record with a new id.
    Both,
    /// The merged result as edited in $EDITOR.
    Edited(Value),
}

fn versions(c: &HeldConflict) -> (Option<Version<'_>>, Version<'_>, Version<'_>) {
    (
        c.base.as_ref().map(|(body, deleted)| Version {
            body,
            deleted: *deleted,
        }),
        Version {
            body: &c.mine.body,
            deleted: c.mine.deleted,
        },
        Version {
            body: &c.theirs.body,
            deleted: c.theirs.deleted,
        },
    )
}

pub fn differences(c: &HeldConflict) -> Merged {
    let (base, mine, theirs) = versions(c);
    merge::merge(base, mine, theirs)
}

pub fn resolution(c: &HeldConflict, choice: Choice) -> Result<Resolution> {
    let (base, mine, theirs) = versions(c);
    let count = differences(c).conflicts.len();
    let pick = |side: Side| merge::resolve(base, mine, theirs, &vec![side; count]);
    let (body, deleted, copy) = match choice {
        Choice::Mine => {
            let (body, deleted) = pick(Side::Mine);
            (body, deleted, None)
        }
        Choice::Theirs => {
            let (body, deleted) = pick(Side::Theirs);
            (body, deleted, None)
        }
        Choice::Fields(sides) => {
            let (body, deleted) = merge::resolve(base, mine, theirs, &sides);
            (body, deleted, None)
        }
        Choice::Both => {
            let copy_id = new_id();
            let mut copy = c.mine.body.clone();
            if let Some(map) = copy.as_object_mut() {
                map.insert("id".into(), Value::String(copy_id.clone()));
            }
            (c.theirs.body.clone(), c.theirs.deleted, Some((copy_id, copy)))
        }
        Choice::Edited(body) => (body, false, None),
    };
    Ok(Resolution { body, deleted, copy })
}

/// A value from a record body, as a lifter reads it.
fn show(value: Option<&Value>, unit: Unit) -> String {
    let Some(value) = value else { return "(removed)".into() };
    if let Ok(set) = serde_json::from_value::<Set>(value.clone()) {
        return render_set(&set, unit);
    }
    if let Ok(sets) = serde_json::from_value::<Vec<Set>>(value.clone()) {
        return render_sets(&sets, unit);
    }
    if let Ok(entry) = serde_json::from_value::<ExerciseEntry>(value.clone()) {
        return format!("{}: {}", entry.name, render_sets(&entry.sets, unit));
    }
    if let Ok(w) = serde_json::from_value::<Workout>(value.clone()) {
        return format!(
            "{} ({}, {})",
            w.name,
            crate::text::counted(w.exercises.len() as u64, "exercise"),
            crate::text::counted(w.set_count() as u64, "set")
        );
    }
    match value {
        Value::Null => "-".into(),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s).map_or_else(|_| s.clone(), |t| local(t.to_utc())),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_number),
        other => other.to_string(),
    }
}

fn show_field(path: &str, value: Option<&Value>, unit: Unit) -> String {
    if path == "deleted" {
        return match value {
            None => "deleted".into(),
            Some(body) => format!("edited: {}", show(Some(body), unit)),
        };
    }
    show(value, unit)
}

/// A note conflict as small diffs rather than three whole notes: the base
/// lines either side changed, then each side's `- removed` and `+ added`
/// lines.
fn note_cells(conflict: &Conflict) -> [String; 3] {
    let text = |value: &Option<Value>| value.as_ref().and_then(Value::as_str).unwrap_or("").to_string();
    let base = text(&conflict.base);
    let (mine, theirs) = (text(&conflict.mine), text(&conflict.theirs));
    let (mine, theirs) = (line_changes(&base, &mine), line_changes(&base, &theirs));
    let mut changed: Vec<&str> = Vec::new();
    for change in mine.iter().chain(&theirs) {
        if let LineChange::Removed(line) = change
            && !changed.contains(line)
        {
            changed.push(line);
        }
    }
    let diff = |changes: &[LineChange]| -> String {
        let lines: Vec<String> = changes
            .iter()
            .map(|change| match change {
                LineChange::Removed(line) => format!("- {line}"),
                LineChange::Added(line) => format!("+ {line}"),
            })
            .collect();
        lines.join("\n")
    };
    let context = if changed.is_empty() {
        "-".to_string()
    } else {
        changed.join("\n")
    };
    [context, diff(&mine), diff(&theirs)]
}

/// The note conflicts of `c` as small diffs, for `pump conflicts`, safe to
/// print (see `crate::text`); empty when no note is in conflict.
pub fn note_diffs(c: &HeldConflict) -> String {
    let name = c.mine.body.get("name").and_then(Value::as_str).unwrap_or("");
    let short_id: String = c.mine.id.chars().take(13).collect();
    let mut out = String::new();
    for conflict in differences(c).conflicts.iter().filter(|f| f.path.is_text()) {
        let [_, mine, theirs] = note_cells(conflict);
        out.push_str(&format!("{} of '{name}' ({short_id}):\n", conflict.path));
        for (label, diff) in [("mine", mine), ("theirs", theirs)] {
            for (i, line) in diff.lines().enumerate() {
                let label = if i == 0 { label } else { "" };
                out.push_str(&format!("  {label:<8}{line}\n"));
            }
        }
    }
    printable_lines(&out).into_owned()
}

/// The side-by-side table of the fields that differ.
pub fn render(c: &HeldConflict, mine_device: &str, unit: Unit) -> String {
    let name = c.mine.body.get("name").and_then(Value::as_str).unwrap_or("");
    let mut out = format!("Conflict in {} '{name}' ({})\n", c.mine.kind, c.mine.id);
    let label = |side: &str, row: &crate::sync::wire::Row, fallback: &str| match &row.origin {
        Some(o) => format!("{side} ({}, {})", o.device, local(o.at)),
        None => format!("{side} ({fallback})"),
    };
    let mine_label = label("mine", &c.mine, mine_device);
    let theirs_label = label("theirs", &c.theirs, "another device");
    let mut t = table(&["field", "base", &mine_label, &theirs_label]);
    for conflict in differences(c).conflicts {
        let path = conflict.path.to_string();
        let [base, mine, theirs] = if conflict.path.is_text() {
            note_cells(&conflict)
        } else {
            [&conflict.base, &conflict.mine, &conflict.theirs].map(|value| show_field(&path, value.as_ref(), unit))
        };
        t.add_row(vec![path, base, mine, theirs]);
    }
    out.push_str(&t.to_string());
    printable_lines(&out).into_owned()
}

const KEYS_HELP: &str = "\
  m  keep mine            t  keep theirs
  f  field by field       b  keep both (theirs stays, mine becomes a new workout)
  e  edit the result      s  skip (hold it for later)
  M  mine for all the rest   T  theirs for all the rest   ?  this help";

/// Walks a person through the held conflicts at the terminal. Returns how
/// many were resolved.
pub fn interactive(store: &mut Store, conflicts: Vec<HeldConflict>, unit: Unit) -> Result<usize> {
    let term = Term::stderr();
    let device = store.device_name()?.unwrap_or_else(|| "this device".into());
    let mut resolved = 0;
    let mut for_all: Option<Choice> = None;
    let total = conflicts.len();
    for (n, conflict) in conflicts.into_iter().enumerate() {
        let choice = match &for_all {
            Some(choice) => Some(choice.clone()),
            None => {
                eprintln!("\n[{}/{total}] {}", n + 1, render(&conflict, &device, unit));
                ask(&term, &conflict, unit, &mut for_all)?
            }
        };
        if let Some(choice) = choice {
            let resolution = resolution(&conflict, choice)?;
            store.resolve_conflict(&conflict.mine.kind, &conflict.mine.id, &resolution)?;
            resolved += 1;
        }
    }
    Ok(resolved)
}

fn ask(term: &Term, conflict: &HeldConflict, unit: Unit, for_all: &mut Option<Choice>) -> Result<Option<Choice>> {
    let io = |e: std::io::Error| Error::other(format!("cannot read from the terminal: {e}"));
    loop {
        eprint!("Keep [m]ine, [t]heirs, [f]ield by field, [b]oth, [e]dit, [s]kip, [M]/[T] for all, [?] help: ");
        let key = term.read_char().map_err(io)?;
        eprintln!("{key}");
        match key {
            'm' => return Ok(Some(Choice::Mine)),
            't' => return Ok(Some(Choice::Theirs)),
            's' => return Ok(None),
            'b' if conflict.kind() == Some(Kind::Workout) => return Ok(Some(Choice::Both)),
            'M' => {
                *for_all = Some(Choice::Mine);
                return Ok(Some(Choice::Mine));
            }
            'T' => {
                *for_all = Some(Choice::Theirs);
                return Ok(Some(Choice::Theirs));
            }
            'f' => return field_by_field(conflict, unit).map(Some),
            'e' if conflict.kind() == Some(Kind::Workout) => match edit_merged(conflict, unit) {
                Ok(body) => return Ok(Some(Choice::Edited(body))),
                Err(e) => eprintln!("{}", printable(&e.message)),
            },
            _ => eprintln!("{KEYS_HELP}"),
        }
    }
}

fn field_by_field(conflict: &HeldConflict, unit: Unit) -> Result<Choice> {
    let mut sides = Vec::new();
    for field in differences(conflict).conflicts {
        let path = field.path.to_string();
        let [mine, theirs] = if field.path.is_text() {
            // One line per choice: the side's diff, its lines side by side.
            let [_, mine, theirs] = note_cells(&field);
            [mine, theirs].map(|diff| diff.replace('\n', "  "))
        } else {
            [&field.mine, &field.theirs].map(|value| show_field(&path, value.as_ref(), unit))
        };
        let items = [
            format!("mine:   {}", printable(&mine)),
            format!("theirs: {}", printable(&theirs)),
        ];
        let picked = dialoguer::Select::new()
            .with_prompt(printable(&path))
            .items(&items)
            .default(0)
            .interact()
            .map_err(|e| Error::other(format!("cannot read from the terminal: {e}")))?;
        sides.push(if picked == 0 { Side::Mine } else { Side::Theirs });
    }
    Ok(Choice::Fields(sides))
}

/// `e`: the merged result (mine where they differ) in $EDITOR, with
/// theirs beside it as comments, validated.
fn edit_merged(conflict: &HeldConflict, unit: Unit) -> Result<Value> {
    let merged = differences(conflict);
    let workout: Workout = serde_json::from_value(merged.body)?;
    let theirs: Option<Workout> = serde_json::from_value(conflict.theirs.body.clone()).ok();
    let text = edit::to_text_beside(&workout, theirs.as_ref());
    let edited = edit::run_editor(&text)?;
    let result = edit::from_text(&workout, &edited, unit).map_err(|e| Error::usage(format!("edit rejected: {e}")))?;
    Ok(serde_json::to_value(result)?)
}
