//! `pump edit`: with flags, a targeted change; without, the workout in
//! `$EDITOR` as readable text, validated when the editor closes.

use super::Context;
use super::render::local;
use crate::app::exercise_names;
use crate::cli::{SET_GRAMMAR, WHEN_HELP};
use crate::error::{Error, Result};
use crate::model::{
    ExerciseEntry, ExerciseNames, Set, Shown, Unit, Workout, new_id, parse_sets, parse_when, render_set, render_sets,
    validate_exercise_name, validate_name,
};
use crate::store::Change;
use chrono::Local;
use clap::Args;
use std::io::IsTerminal;
use std::path::Path;

const EDIT_HELP: &str = "\
Without flags, the workout opens in $EDITOR as text: weights and distances
as you entered them (225lb stays 225lb, 10mi stays 10mi); whatever you do
not change is kept exactly as it was, ids included, so the edit syncs and
merges with edits made elsewhere.

Notes of an exercise and of its sets are in the form, indented under the
exercise's line (`  note: ...`, `  set 3: ...`). With flags, the notes of
one exercise or of one set (numbered from 1, as `pump show` lists them)
are set with --exercise-note and --set-note; an empty text removes the
note.

Examples:
  pump edit last --name \"Legs (heavy)\"
  pump edit last -e \"squat: 5@145kg\"
  pump edit last --exercise-note \"squat: belt from the second set\"
  pump edit last --set-note \"squat 3: left knee caved\"
  pump edit 01a2f3c4";

/// `pump edit ID`.
#[derive(Debug, Args)]
#[command(after_long_help = format!("{EDIT_HELP}\n\n{SET_GRAMMAR}"))]
pub struct EditArgs {
    /// A workout id, a unique prefix of one, or `last`
    #[arg(add = crate::completions::workout_ids())]
    id: String,
    /// The new name
    #[arg(long)]
    name: Option<String>,
    /// The new start
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    at: Option<String>,
    /// The new end
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    end: Option<String>,
    /// The new notes (they replace the old ones)
    #[arg(long)]
    notes: Option<String>,
    /// Replace an exercise's sets (or add the exercise): -e "squat: 3x5@100kg"
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS", add = crate::completions::exercise_specs())]
    exercises: Vec<String>,
    /// Set the notes of an exercise of the workout: --exercise-note "squat: belt on"
    #[arg(long = "exercise-note", value_name = "EXERCISE: TEXT")]
    exercise_notes: Vec<String>,
    /// Set the note of one set (numbered from 1): --set-note "squat 3: knee caved"
    #[arg(long = "set-note", value_name = "EXERCISE N: TEXT")]
    set_notes: Vec<String>,
}

/// A note for an exercise, or for one set of it, as typed.
struct NoteEdit {
    exercise: String,
    /// The set's number from 1; `None` for the exercise's own notes.
    set: Option<usize>,
    text: String,
}

impl NoteEdit {
    /// `"squat: text"` (exercise) or `"squat 3: text"` (set).
    fn parse(typed: &str, of_set: bool) -> Result<NoteEdit> {
        let example = if of_set {
            "\"squat 3: knee caved\""
        } else {
            "\"squat: belt on\""
        };
        let (target, text) = typed
            .split_once(':')
            .ok_or_else(|| Error::usage(format!("'{typed}' has no ':': write it like {example}")))?;
        let target = target.trim();
        let (exercise, set) = if of_set {
            let (exercise, number) = target
                .rsplit_once(' ')
                .and_then(|(e, n)| Some((e, n.parse::<usize>().ok().filter(|n| *n > 0)?)))
                .ok_or_else(|| {
                    Error::usage(format!(
                        "'{target}' does not end in a set number from 1: write it like {example}"
                    ))
                })?;
            (exercise, Some(number))
        } else {
            (target, None)
        };
        Ok(NoteEdit {
            exercise: validate_exercise_name(exercise).map_err(|e| Error::usage(e.to_string()))?,
            set,
            text: text.trim().to_string(),
        })
    }

    /// Writes the note into `workout`, or says why it has no such place.
    fn apply(&self, workout: &mut Workout, names: &ExerciseNames) -> std::result::Result<(), String> {
        let key = names.key(&self.exercise);
        let entry = workout
            .exercises
            .iter_mut()
            .find(|e| names.key(&e.name) == key)
            .ok_or_else(|| format!("the workout has no exercise '{}': see `pump show`", self.exercise))?;
        match self.set {
            None => entry.notes.clone_from(&self.text),
            Some(number) => {
                let count = entry.sets.len();
                let set = entry
                    .sets
                    .get_mut(number - 1)
                    .ok_or_else(|| format!("{} has {count} sets, so there is no set {number}", entry.name))?;
                set.notes.clone_from(&self.text);
            }
        }
        Ok(())
    }
}

/// Applies the flags, or the workout as edited in `$EDITOR` when there are none.
pub fn run(ctx: &Context, args: EditArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let id = store.resolve_workout_id(&args.id)?;
    let no_flags = args.name.is_none()
        && args.at.is_none()
        && args.end.is_none()
        && args.notes.is_none()
        && args.exercises.is_empty()
        && args.exercise_notes.is_empty()
        && args.set_notes.is_empty();
    // Parse everything typed before touching the database, so bad input
    // leaves it unchanged.
    let name = args
        .name
        .as_deref()
        .map(validate_name)
        .transpose()
        .map_err(Error::usage)?;
    let at = args.at.as_deref().map(|t| ctx.when_done(t)).transpose()?;
    let end = args.end.as_deref().map(|t| ctx.when_done(t)).transpose()?;
    let specs = ctx.exercise_specs(&args.exercises)?;
    let note_edits = (args.exercise_notes.iter().map(|n| NoteEdit::parse(n, false)))
        .chain(args.set_notes.iter().map(|n| NoteEdit::parse(n, true)))
        .collect::<Result<Vec<_>>>()?;
    let edited_text = if no_flags {
        let current = store
            .get::<Workout>(&id)?
            .ok_or_else(|| Error::usage(format!("no workout '{}'", args.id)))?;
        let before = to_text(&current.value);
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
    let names = exercise_names::load(&store)?;
    let specs: Vec<_> = specs
        .into_iter()
        .map(|s| (super::exercise_name(&names, &s.exercise), s.sets))
        .collect();
    for (exercise, sets) in &specs {
        super::warn_implausible_loads(&names, exercise, sets, unit);
    }
    store.write::<Workout>(&id, |current| {
        let current = current
            .filter(|c| !c.deleted)
            .ok_or_else(|| Error::usage(format!("no workout '{}'", args.id)))?;
        let before = current.value;
        let mut workout = before.clone();
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
        for note in &note_edits {
            note.apply(&mut workout, &names).map_err(Error::usage)?;
        }
        workout.forget_provenance_if_retimed(&before);
        workout.validate().map_err(Error::usage)?;
        Ok(Some(Change::put(workout)))
    })?;
    eprintln!("Updated {id}");
    Ok(())
}

const HEADER: &str = "\
# Edit this workout, then save and quit. Lines starting with # are ignored.
# One exercise per line, sets in the set grammar (`pump sets`); delete a line
# (and the indented lines under it) to remove that exercise. Indented under
# an exercise, `note:` lines are its notes and `set N:` lines the note of its
# N-th set: add, change or delete them. What you leave as it is stays
# exactly as it was. An invalid edit is rejected and nothing changes.
";

const BESIDE_HEADER: &str = "\
# Lines '#   theirs: …' show the other device's version where it differs:
# copy from them what you want to keep.
";

/// The readable form shown in the editor: every value as it was entered.
pub(super) fn to_text(w: &Workout) -> String {
    to_text_beside(w, None)
}

/// The form of `mine`, with `theirs` (the other side of a conflict) as a
/// comment under each line where it differs, and its extra exercises at the end.
pub(super) fn to_text_beside(mine: &Workout, theirs: Option<&Workout>) -> String {
    let mut out = String::from(HEADER);
    if theirs.is_some() {
        out.push_str(BESIDE_HEADER);
    }
    let mut line = |mine: String, theirs: Option<String>| {
        out.push_str(&mine);
        out.push('\n');
        if let Some(theirs) = theirs.filter(|t| *t != mine) {
            for theirs in theirs.lines() {
                out.push_str(&format!("#   theirs: {theirs}\n"));
            }
        }
    };
    let their_header = theirs.map(header_lines);
    for (i, mine) in header_lines(mine).into_iter().enumerate() {
        line(mine, their_header.as_ref().map(|h| h[i].clone()));
    }
    line(String::new(), None);
    for entry in &mine.exercises {
        let theirs = theirs.map(|t| {
            t.exercises
                .iter()
                .find(|e| e.id == entry.id)
                .map_or_else(|| "(not there)".into(), exercise_block)
        });
        line(exercise_block(entry), theirs);
    }
    for entry in theirs.iter().flat_map(|t| &t.exercises) {
        if !mine.exercises.iter().any(|e| e.id == entry.id) {
            for theirs in exercise_block(entry).lines() {
                line(format!("#   theirs also has: {theirs}"), None);
            }
        }
    }
    out
}

/// One exercise as the form writes it: its name, then its sets as entered.
fn exercise_line(entry: &ExerciseEntry) -> String {
    format!("{}: {}", entry.name, render_sets(&entry.sets, Shown::AsEntered))
        .trim()
        .to_string()
}

/// An exercise's line, then, indented, a `note:` line per line of its notes
/// and a `set N:` line per line of each set's note.
fn exercise_block(entry: &ExerciseEntry) -> String {
    let mut block = vec![exercise_line(entry)];
    let mut add = |label: &str, notes: &str| {
        if !notes.is_empty() {
            block.extend(note_lines(notes).iter().map(|l| format!("  {label}: {l}")));
        }
    };
    add(NOTE_KEY, &entry.notes);
    for (i, set) in entry.sets.iter().enumerate() {
        add(&format!("set {}", i + 1), &set.notes);
    }
    block.join("\n")
}

/// The key of an exercise's note lines in the form.
const NOTE_KEY: &str = "note";

/// What an indented `key:` line under an exercise holds a line of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoteOf {
    Exercise,
    /// The set's index (from 0).
    Set(usize),
}

impl NoteOf {
    /// `note` or `set N` (N from 1); any other key is not a note's.
    fn parse(key: &str) -> Option<NoteOf> {
        if key == NOTE_KEY {
            return Some(NoteOf::Exercise);
        }
        let number: usize = key.strip_prefix("set ")?.trim().parse().ok()?;
        number.checked_sub(1).map(NoteOf::Set)
    }
}

/// The note lines the form gave one exercise and its sets, in order.
#[derive(Default)]
struct FormNotes {
    exercise: Vec<String>,
    sets: Vec<(usize, String)>,
}

/// The notes as the form's `notes:` lines: one per line of text.
fn note_lines(notes: &str) -> Vec<String> {
    notes.split('\n').map(|l| l.trim().to_string()).collect()
}

/// The form's header lines of `w`, in order: name, started, finished, and
/// one `notes:` line per line of its notes.
fn header_lines(w: &Workout) -> [String; 4] {
    [
        format!("name: {}", w.name),
        format!("started: {}", local(w.started_at)),
        format!("finished: {}", w.completed_at.map(local).unwrap_or_default()),
        note_lines(&w.notes)
            .iter()
            .map(|l| format!("notes: {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    ]
}

/// Reads the editor's text back onto `original`. Whatever reads the same as
/// `original` renders is kept exactly (the name, times to the second, notes,
/// every exercise and set with its ids and its bits); what changed keeps the
/// ids of the exercises and sets it replaces, so the edit merges well.
/// Weights typed without a unit are in `unit`.
pub(super) fn from_text(original: &Workout, text: &str, unit: Unit) -> Result<Workout, String> {
    let mut workout = original.clone();
    workout.exercises = Vec::new();
    let [name_line, started_line, finished_line, _] = header_lines(original).map(|l| l.trim().to_string());
    let mut used = vec![false; original.exercises.len()];
    let mut notes: Vec<String> = Vec::new();
    // One per exercise of `workout.exercises`.
    let mut form_notes: Vec<FormNotes> = Vec::new();
    let (mut saw_name, mut saw_started) = (false, false);
    for (number, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        let line = raw.trim();
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
        let indented = raw.starts_with([' ', '\t']);
        if let Some(of) = NoteOf::parse(key.trim()).filter(|_| indented) {
            let (Some(entry), Some(notes)) = (workout.exercises.last(), form_notes.last_mut()) else {
                return Err(at_line("a note line belongs under the line of its exercise".into()));
            };
            match of {
                NoteOf::Exercise => notes.exercise.push(value.to_string()),
                NoteOf::Set(index) if index < entry.sets.len() => notes.sets.push((index, value.to_string())),
                NoteOf::Set(index) => {
                    return Err(at_line(format!(
                        "{} has {} sets, so there is no set {} to note",
                        entry.name,
                        entry.sets.len(),
                        index + 1
                    )));
                }
            }
            continue;
        }
        match key.trim() {
            "name" => {
                if line != name_line {
                    workout.name = validate_name(value).map_err(at_line)?;
                }
                saw_name = true;
            }
            "started" => {
                if line != started_line {
                    workout.started_at = parse_when(value, Local::now()).map_err(at_line)?;
                }
                saw_started = true;
            }
            "finished" if line == finished_line => {}
            "finished" if value.is_empty() => workout.completed_at = None,
            "finished" => workout.completed_at = Some(parse_when(value, Local::now()).map_err(at_line)?),
            "notes" => notes.push(value.to_string()),
            key => {
                let unchanged =
                    (0..original.exercises.len()).find(|i| !used[*i] && exercise_line(&original.exercises[*i]) == line);
                form_notes.push(FormNotes::default());
                if let Some(i) = unchanged {
                    used[i] = true;
                    workout.exercises.push(original.exercises[i].clone());
                    continue;
                }
                let name = validate_exercise_name(key).map_err(|e| at_line(e.to_string()))?;
                let same_name =
                    |e: &ExerciseEntry| validate_exercise_name(&e.name).is_ok_and(|n| n.eq_ignore_ascii_case(&name));
                let existing = (0..original.exercises.len()).find(|i| !used[*i] && same_name(&original.exercises[*i]));
                if let Some(i) = existing {
                    used[i] = true;
                }
                let existing = existing.map(|i| &original.exercises[i]);
                let sets = if value.is_empty() {
                    Vec::new()
                } else {
                    parse_sets(value, unit).map_err(|e| at_line(e.to_string()))?
                };
                // The exercise's superset is not in the form: an edit of its
                // sets keeps it (and its notes, until the note lines say).
                let kept = existing.cloned().unwrap_or_default();
                workout.exercises.push(ExerciseEntry {
                    id: existing.map_or_else(new_id, |e| e.id.clone()),
                    name,
                    sets: match existing {
                        Some(old) => keep_untouched(&old.sets, sets),
                        None => sets,
                    },
                    ..kept
                });
            }
        }
    }
    if !saw_name || !saw_started {
        return Err("the 'name:' and 'started:' lines are required".into());
    }
    workout.notes = joined_note(&original.notes, &notes);
    for (entry, form) in workout.exercises.iter_mut().zip(form_notes) {
        entry.notes = joined_note(&entry.notes, &form.exercise);
        for (index, set) in entry.sets.iter_mut().enumerate() {
            let lines: Vec<String> = (form.sets.iter())
                .filter(|(i, _)| *i == index)
                .map(|(_, line)| line.clone())
                .collect();
            set.notes = joined_note(&set.notes, &lines);
        }
    }
    workout.forget_provenance_if_retimed(original);
    workout.validate()?;
    Ok(workout)
}

/// A note from its lines in the form; a line that reads as the line of
/// `old` at its place keeps the spaces the form trimmed.
fn joined_note(old: &str, lines: &[String]) -> String {
    let old_lines: Vec<&str> = old.split('\n').collect();
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| match old_lines.get(i) {
            Some(old) if old.trim() == line => *old,
            _ => line.as_str(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sets as edited, where each one written as an old set was (in
/// order) is that old set, untouched; the others take the ids of the old
/// sets left over, in order, so a changed weight reads as an edit of that
/// set rather than a delete and an add.
fn keep_untouched(old: &[Set], edited: Vec<Set>) -> Vec<Set> {
    let old_text: Vec<String> = old.iter().map(|s| render_set(s, Shown::AsEntered)).collect();
    let mut used = vec![false; old.len()];
    let kept: Vec<Option<usize>> = edited
        .iter()
        .map(|set| {
            let text = render_set(set, Shown::AsEntered);
            let same = (0..old.len()).find(|j| !used[*j] && old_text[*j] == text)?;
            used[same] = true;
            Some(same)
        })
        .collect();
    let mut spare = (0..old.len()).filter(|j| !used[*j]).collect::<Vec<_>>().into_iter();
    edited
        .into_iter()
        .zip(kept)
        .map(|(mut set, kept)| match kept {
            Some(j) => old[j].clone(),
            None => {
                // A changed set takes an old set's id, and its note with it
                // (the spacing its note lines in the form are read against).
                if let Some(j) = spare.next() {
                    set.id.clone_from(&old[j].id);
                    set.notes.clone_from(&old[j].notes);
                }
                set
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DistanceUnit, Provenance, SetKind, parse_sets};
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    fn workout() -> Workout {
        let mut w = Workout::new(
            "Push".into(),
            DateTime::from_timestamp(1_790_000_123, 456_000).unwrap_or_default(),
        );
        w.notes = "  felt good\n\nslept 8h ".into();
        w.add_sets(
            "Bench Press",
            parse_sets("w5@60kg, 3x5@225lb/8, f3@100.25kg", Unit::Kg).unwrap(),
        );
        w.add_sets("Cycling", parse_sets("10mi in 40min, 16.09km", Unit::Kg).unwrap());
        w.add_sets("Dips", parse_sets("3x10@bw, 8@bw+20lb", Unit::Kg).unwrap());
        w
    }

    #[test]
    fn changing_only_the_notes_changes_nothing_else() {
        let original = workout();
        let text = to_text(&original);
        assert!(text.contains("3x5@225lb/8") && text.contains("10mi in 40:00"), "{text}");
        let edited = text.replace("notes: slept 8h", "notes: slept 9h");
        let after = from_text(&original, &edited, Unit::Kg).unwrap();
        assert_eq!(after.notes, "  felt good\n\nslept 9h");
        assert_eq!(after.exercises, original.exercises, "every set bit for bit");
        assert_eq!(after.started_at, original.started_at, "to the nanosecond");
    }

    #[test]
    fn an_edited_set_keeps_its_id_and_the_rest_stay_untouched() {
        let original = workout();
        let edited = to_text(&original).replace("f3@100.25kg", "f4@100.25kg");
        let after = from_text(&original, &edited, Unit::Lb).unwrap();
        let (before, now) = (&original.exercises[0].sets, &after.exercises[0].sets);
        assert_eq!(now[..4], before[..4]);
        assert_eq!((now[4].id.as_str(), now[4].reps), (before[4].id.as_str(), Some(4)));
        assert_eq!(after.exercises[1..], original.exercises[1..]);
    }

    #[test]
    fn theirs_is_shown_beside_mine_as_comments() {
        let mine = workout();
        let mut theirs = mine.clone();
        theirs.name = "Push (theirs)".into();
        theirs.exercises[0].sets[1].weight_kg = Some(110.0);
        theirs.exercises[0].sets[1].unit = Unit::Kg;
        theirs.exercises.push(ExerciseEntry {
            id: "extra".into(),
            name: "Face Pull".into(),
            sets: parse_sets("3x15@20kg", Unit::Kg).unwrap(),
            ..ExerciseEntry::default()
        });
        let text = to_text_beside(&mine, Some(&theirs));
        assert!(text.contains("name: Push\n#   theirs: name: Push (theirs)\n"), "{text}");
        assert!(
            text.contains("#   theirs: Bench Press: w5@60kg, 5@110kg/8, 2x5@225lb/8"),
            "{text}"
        );
        assert!(text.contains("#   theirs also has: Face Pull: 3x15@20kg"), "{text}");
        assert!(!text.contains("theirs: Dips"), "equal lines get no comment: {text}");
        assert_eq!(
            from_text(&mine, &text, Unit::Kg).unwrap(),
            mine,
            "the comments change nothing"
        );
    }

    /// Note text: several lines, with colons, `#`, and spaces to trim.
    const NOTE: &str = "[a-z :#\n]{0,16}";

    #[test]
    fn exercise_and_set_notes_are_in_the_form_and_edited_there() {
        let mut original = workout();
        original.exercises[0].notes = "grip one finger wider\n belt ".into();
        original.exercises[0].sets[2].notes = "left knee: caved".into();
        let text = to_text(&original);
        assert!(
            text.contains(
                "Bench Press: w5@60kg, 3x5@225lb/8, f3@100.25kg\n  note: grip one finger wider\n  note: belt\n  set 3: left knee: caved\n"
            ),
            "{text}"
        );
        let edited = text
            .replace("note: grip one finger wider", "note: grip wider")
            .replace("set 3: left knee: caved", "set 4: right knee")
            .replace(
                "Cycling: 10mi in 40:00, 16.09km",
                "Cycling: 10mi in 40:00, 16.09km\n\tnote: windy",
            );
        let after = from_text(&original, &edited, Unit::Kg).unwrap();
        let bench = &after.exercises[0];
        assert_eq!(bench.notes, "grip wider\n belt ", "an untouched line keeps its spaces");
        assert_eq!(bench.sets[2].notes, "", "its line was changed to set 4's");
        assert_eq!(bench.sets[3].notes, "right knee");
        assert_eq!(after.exercises[1].notes, "windy");
        assert_eq!(
            (bench.sets[3].id.as_str(), bench.sets[3].reps),
            (
                original.exercises[0].sets[3].id.as_str(),
                original.exercises[0].sets[3].reps
            ),
            "a note changes nothing else of the set"
        );
    }

    #[test]
    fn a_note_line_needs_its_exercise_and_its_set() {
        let original = workout();
        let text = to_text(&original);
        let error = |text: &str| from_text(&original, text, Unit::Kg).unwrap_err();
        let no_set = text.replace("Dips: 3x10@bw, 8@bw+20lb", "Dips: 3x10@bw, 8@bw+20lb\n  set 5: sore");
        assert!(
            error(&no_set).ends_with("Dips has 4 sets, so there is no set 5 to note"),
            "{}",
            error(&no_set)
        );
        let first = text.replace("name: Push", "  note: orphan\nname: Push");
        assert!(error(&first).contains("a note line belongs under the line of its exercise"));
        let mut theirs = original.clone();
        theirs.exercises[2].sets[0].notes = "slow".into();
        let beside = to_text_beside(&original, Some(&theirs));
        assert!(beside.contains("#   theirs:   set 1: slow\n"), "{beside}");
        assert_eq!(from_text(&original, &beside, Unit::Kg), Ok(original));
    }

    fn any_set() -> impl Strategy<Value = Set> {
        let kind = prop::sample::select(vec![
            SetKind::Warmup,
            SetKind::Working,
            SetKind::Drop,
            SetKind::Failure,
            SetKind::Missed,
        ]);
        let unit = prop::sample::select(vec![Unit::Kg, Unit::Lb]);
        let distance_unit = prop::option::of(prop::sample::select(vec![
            DistanceUnit::M,
            DistanceUnit::Km,
            DistanceUnit::Mi,
        ]));
        let amount = prop_oneof![
            (1u32..1000).prop_map(|reps| (Some(reps), None, None)),
            (1u32..100_000).prop_map(|secs| (None, Some(secs), None)),
            (0.001f64..1_000_000.0, prop::option::of(1u32..100_000)).prop_map(|(m, secs)| (None, secs, Some(m))),
            Just((None, None, None)),
        ];
        (
            "[0-9a-f-]{8,36}",
            amount,
            prop::option::of(0.0f64..2000.0),
            unit,
            any::<bool>(),
            prop::option::of((12u32..=20).prop_map(|halves| f64::from(halves) / 2.0)),
            kind,
            (distance_unit, NOTE),
        )
            .prop_map(
                |(
                    id,
                    (reps, duration_s, distance_m),
                    weight_kg,
                    unit,
                    bodyweight,
                    rpe,
                    kind,
                    (distance_unit, notes),
                )| Set {
                    id,
                    // A missed attempt has no reps (it is written 0@WEIGHT).
                    reps: reps.filter(|_| kind != SetKind::Missed),
                    weight_kg,
                    unit,
                    bodyweight,
                    rpe,
                    kind,
                    duration_s,
                    distance_m,
                    distance_unit: distance_m.and(distance_unit),
                    notes,
                },
            )
    }

    fn any_workout() -> impl Strategy<Value = Workout> {
        let entry = (
            "[0-9a-f]{1,12}",
            "[A-Za-z][A-Za-z0-9()'/ -]{0,30}[A-Za-z0-9)]",
            prop::collection::vec(any_set(), 0..6),
            (NOTE, prop::option::of(0u32..3)),
        )
            .prop_map(|(id, name, sets, (notes, superset))| ExerciseEntry {
                id,
                name,
                sets,
                notes,
                superset,
            })
            .prop_filter("not a header key", |e| {
                !["name", "started", "finished", "notes"].contains(&e.name.trim().to_lowercase().as_str())
            });
        (
            "[A-Za-z0-9][A-Za-z0-9 '!-]{0,40}",
            0i64..4_000_000_000,
            0u32..1_000_000_000,
            prop::option::of(0i64..100_000),
            "[A-Za-z0-9 .,:!\n-]{0,80}",
            prop::collection::vec(entry, 0..5),
            any::<bool>(),
        )
            .prop_map(|(name, start, nanos, length, notes, exercises, imported)| {
                let started_at = DateTime::from_timestamp(start, nanos).unwrap_or_default();
                let completed_at = length.map(|s| started_at + chrono::Duration::seconds(s));
                Workout {
                    completed_at,
                    notes,
                    exercises,
                    imported: imported.then(|| Provenance {
                        format: "Hevy".into(),
                        local_start: started_at.naive_utc(),
                        local_end: completed_at.map(|end| end.naive_utc()),
                    }),
                    ..Workout::new(name, started_at)
                }
            })
    }

    proptest! {
        /// Whatever a workout holds, saving its edit form unchanged gives it
        /// back exactly: render → parse is the identity.
        #[test]
        fn render_then_parse_is_the_identity(workout in any_workout(), unit in prop::sample::select(vec![Unit::Kg, Unit::Lb])) {
            prop_assume!(workout.validate().is_ok());
            let text = to_text(&workout);
            prop_assert_eq!(from_text(&workout, &text, unit), Ok(workout));
        }
    }

    #[test]
    fn a_workout_started_at_a_whole_minute_round_trips_even_without_its_original() {
        let mut w = workout();
        w.started_at = DateTime::<Utc>::from_timestamp(1_790_000_100, 0).unwrap_or_default();
        let mut blank = w.clone();
        blank.exercises.clear();
        blank.notes.clear();
        let parsed = from_text(&blank, &to_text(&w), Unit::Kg).unwrap();
        assert_eq!(parsed.started_at, w.started_at);
        for (a, b) in parsed.exercises.iter().zip(&w.exercises) {
            let strip = |sets: &[Set]| {
                sets.iter()
                    .map(|s| Set {
                        id: String::new(),
                        ..s.clone()
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&a.sets), strip(&b.sets), "typed values read back exactly");
        }
    }
}
