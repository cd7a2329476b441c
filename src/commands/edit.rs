//! `pump edit`: with flags, a targeted change; without, the workout in
//! `$EDITOR` as readable text, validated when the editor closes.

use super::Context;
use super::render::local;
use crate::cli::WHEN_HELP;
use crate::error::{Error, Result};
use crate::model::{ExerciseEntry, Unit, Workout, new_id, parse_exercise_spec, parse_when, render_sets, validate_name};
use crate::store::Change;
use chrono::Local;
use clap::Args;
use std::io::IsTerminal;
use std::path::Path;

/// `pump edit ID`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// A workout id, a unique prefix of one, or `last`
    id: String,
    #[arg(long)]
    name: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    at: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    end: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Replace an exercise's sets (or add the exercise): -e "squat: 3x5@100kg"
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS")]
    exercises: Vec<String>,
}

/// Applies the flags, or the workout as edited in `$EDITOR` when there are none.
pub fn run(ctx: &Context, args: EditArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let id = store.resolve_workout_id(&args.id)?;
    let no_flags = args.name.is_none()
        && args.at.is_none()
        && args.end.is_none()
        && args.notes.is_none()
        && args.exercises.is_empty();
    // Parse everything typed before touching the database, so bad input
    // leaves it unchanged.
    let name = args
        .name
        .as_deref()
        .map(validate_name)
        .transpose()
        .map_err(Error::usage)?;
    let at = args.at.as_deref().map(|t| ctx.when(t)).transpose()?;
    let end = args.end.as_deref().map(|t| ctx.when(t)).transpose()?;
    let specs = ctx.exercise_specs(&args.exercises)?;
    let edited_text = if no_flags {
        let current = store
            .get::<Workout>(&id)?
            .ok_or_else(|| Error::usage(format!("no workout '{}'", args.id)))?;
        let before = to_text(&current.value, ctx.unit());
        let after = run_editor(&before)?;
        if after == before {
            eprintln!("No changes.");
            return Ok(());
        }
        Some(after)
    } else {
        None
    };

    let unit = ctx.unit();
    let names = crate::app::ExerciseNames::load(&store)?;
    let specs: Vec<_> = specs
        .into_iter()
        .map(|s| (super::exercise_name(&names, &s.exercise), s.sets))
        .collect();
    store.write::<Workout>(&id, |current| {
        let current = current
            .filter(|c| !c.deleted)
            .ok_or_else(|| Error::usage(format!("no workout '{}'", args.id)))?;
        let mut workout = current.value;
        if let Some(text) = &edited_text {
            workout = from_text(&workout, text, unit).map_err(|e| Error::usage(format!("edit rejected: {e}")))?;
        }
        if let Some(name) = name {
            workout.name = name;
        }
        if let Some(at) = at {
            workout.started_at = at;
        }
        if let Some(end) = end {
            workout.completed_at = Some(end);
        }
        if let Some(notes) = args.notes {
            workout.notes = notes;
        }
        for (exercise, sets) in specs {
            workout.replace_sets(&exercise, sets);
        }
        workout.validate().map_err(Error::usage)?;
        Ok(Some(Change::put(workout)))
    })?;
    eprintln!("Updated {id}");
    Ok(())
}

const HEADER: &str = "\
# Edit this workout, then save and quit. Lines starting with # are ignored.
# One exercise per line, sets in the set grammar (`pump sets`); delete a line
# to remove that exercise. An invalid edit is rejected and nothing changes.
";

/// The readable form shown in the editor.
pub(super) fn to_text(w: &Workout, unit: Unit) -> String {
    let mut out = String::from(HEADER);
    out.push_str(&format!("name: {}\n", w.name));
    out.push_str(&format!("started: {}\n", local(w.started_at)));
    out.push_str(&format!(
        "finished: {}\n",
        w.completed_at.map(local).unwrap_or_default()
    ));
    out.push_str(&format!("notes: {}\n\n", w.notes.replace('\n', " ")));
    for entry in &w.exercises {
        out.push_str(&format!("{}: {}\n", entry.name, render_sets(&entry.sets, unit)));
    }
    out
}

/// Reads the editor's text back onto `original`, keeping the ids of
/// exercises and sets that are still there so the edit merges well.
pub(super) fn from_text(original: &Workout, text: &str, unit: Unit) -> Result<Workout, String> {
    let mut workout = original.clone();
    workout.exercises = Vec::new();
    let (mut saw_name, mut saw_started) = (false, false);
    for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!(
                "line {number} ('{line}') is not 'key: value' or 'exercise: sets'"
            ));
        };
        let value = value.trim();
        let at_line = |e: String| format!("line {number}: {e}");
        match key.trim() {
            "name" => {
                workout.name = validate_name(value).map_err(at_line)?;
                saw_name = true;
            }
            "started" => {
                workout.started_at = parse_when(value, Local::now()).map_err(at_line)?;
                saw_started = true;
            }
            "finished" if value.is_empty() => workout.completed_at = None,
            "finished" => workout.completed_at = Some(parse_when(value, Local::now()).map_err(at_line)?),
            "notes" => workout.notes = value.to_string(),
            _ => {
                let spec = parse_exercise_spec(line, unit).map_err(|e| at_line(e.to_string()))?;
                let existing = original
                    .exercises
                    .iter()
                    .find(|e| e.name.eq_ignore_ascii_case(&spec.exercise));
                let mut entry = ExerciseEntry {
                    id: existing.map_or_else(new_id, |e| e.id.clone()),
                    name: spec.exercise,
                    sets: spec.sets,
                };
                if let Some(old) = existing {
                    for (new, old) in entry.sets.iter_mut().zip(&old.sets) {
                        new.id.clone_from(&old.id);
                    }
                }
                workout.exercises.push(entry);
            }
        }
    }
    if !saw_name || !saw_started {
        return Err("the 'name:' and 'started:' lines are required".into());
    }
    workout.validate()?;
    Ok(workout)
}

pub(super) fn run_editor(text: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() && std::env::var_os("EDITOR").is_none() && std::env::var_os("VISUAL").is_none() {
        return Err(Error::usage(
            "no flags given and no terminal for an editor: pass --name, --notes, -e … instead",
        ));
    }
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let path = std::env::temp_dir().join(format!("pump-edit-{}.txt", new_id()));
    write_private(&path, text)?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(Error::from),
        Ok(s) => Err(Error::other(format!(
            "the editor '{editor}' exited with {s}: nothing changed"
        ))),
        Err(e) => Err(Error::other(format!(
            "cannot run the editor '{editor}': {e} (set $EDITOR)"
        ))),
    };
    let _ = std::fs::remove_file(&path);
    result
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())?;
    Ok(())
}
