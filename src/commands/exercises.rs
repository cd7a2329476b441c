//! Exercise names: the catalogue, user aliases, `pump exercises` (list,
//! `--unmatched`, `merge`, `rename`) and `pump alias`.

use super::render::{local, print_json, print_table, table};
use super::{Context, exercise_name};
use crate::app::{exercise_names, rename};
use crate::error::{Error, Result};
use crate::model::catalogue::{self, EXERCISES, normalize};
use crate::model::{Alias, ExerciseNames, Workout, validate_exercise_name};
use crate::store::{Change, Store, WorkoutFilter};
use crate::text::printable;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;

#[derive(serde::Serialize)]
struct ExerciseRow {
    name: String,
    category: String,
    muscle: String,
    times: usize,
    last: Option<DateTime<Utc>>,
}

const EXERCISES_HELP: &str = "\
Names match the catalogue whatever their case, punctuation or plural, and
the names Strong, Hevy and FitNotes export are read as the catalogue
exercise they mean: \"Bench Press (Barbell)\" and \"Flat Barbell Bench Press\"
are Bench Press, \"Bench Press (Dumbbell)\" is Dumbbell Bench Press, \"Hip
Thrust (Machine)\" is the machine variant of Hip Thrust. Equipment variants:
barbell, dumbbell, machine, cable, smith machine, kettlebell, band,
bodyweight, assisted, weighted.

Examples:
  pump exercises --search chest
  pump exercises --unmatched
  pump exercises merge \"DB Incline\" \"Incline Dumbbell Press\"
  pump exercises rename \"my row\" \"Meadows Row\"";

/// `pump exercises`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = EXERCISES_HELP)]
pub struct ExercisesArgs {
    #[command(subcommand)]
    action: Option<ExercisesAction>,
    /// Only names, categories or muscle groups containing this, e.g. --search chest
    #[arg(long)]
    search: Option<String>,
    /// Only the names you logged that the catalogue does not know, each with
    /// the catalogue exercise it may be (merge it with `pump exercises merge`)
    #[arg(long)]
    unmatched: bool,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

impl ExercisesArgs {
    /// Whether this invocation changes synced data (merge, rename).
    pub fn writes(&self) -> bool {
        self.action.is_some()
    }
}

/// `pump exercises merge|rename`.
#[derive(Debug, Subcommand)]
enum ExercisesAction {
    /// Move every set of one exercise into another, in all history
    #[command(
        long_about = "Move every set of one exercise into another, in all history: every workout, plan, \
                      template and alias that names FROM names INTO instead. The change syncs like any \
                      edit and merges with sets added meanwhile on another device.",
        after_long_help = "Example:\n  pump exercises merge \"Bench Press (Barbell)\" \"Bench Press\""
    )]
    Merge(MergeArgs),
    /// Give an exercise another name in all history
    #[command(
        long_about = "Give an exercise another name in all history: every workout, plan, template and \
                      alias. NEW must not have sessions of its own yet (then use `pump exercises merge`).",
        after_long_help = "Example:\n  pump exercises rename \"my row\" \"Meadows Row\""
    )]
    Rename(RenameArgs),
}

/// `pump exercises merge FROM INTO`.
#[derive(Debug, Args)]
struct MergeArgs {
    /// The name whose sets move, as your workouts spell it
    #[arg(add = crate::completions::exercises())]
    from: String,
    /// The exercise they move into (a catalogue name, an alias or your own)
    #[arg(add = crate::completions::exercises())]
    into: String,
}

/// `pump exercises rename OLD NEW`.
#[derive(Debug, Args)]
struct RenameArgs {
    /// The name as your workouts spell it
    #[arg(add = crate::completions::exercises())]
    old: String,
    /// The new name
    new: String,
}

/// Lists exercises, or merges or renames one.
pub fn run(ctx: &Context, args: ExercisesArgs) -> Result<()> {
    match args.action {
        Some(ExercisesAction::Merge(merge)) => rewrite(ctx, &merge.from, &merge.into, Rewrite::Merge),
        Some(ExercisesAction::Rename(r)) => rewrite(ctx, &r.old, &r.new, Rewrite::Rename),
        None if args.unmatched => unmatched(ctx, args.json),
        None => list(ctx, args.search.as_deref(), args.json),
    }
}

/// How often and when each exercise was done, by what its name means.
struct Done {
    name: String,
    times: usize,
    last: DateTime<Utc>,
}

fn done_by_key(store: &Store, names: &ExerciseNames) -> Result<BTreeMap<String, Done>> {
    let workouts: Vec<Workout> = store
        .workouts(&WorkoutFilter::default())?
        .into_iter()
        .map(|r| r.value)
        .collect();
    let mut done: BTreeMap<String, Done> = BTreeMap::new();
    let mut canonical: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for w in &workouts {
        let mut seen: Vec<String> = Vec::new();
        for e in &w.exercises {
            let (key, name) = canonical
                .entry(&e.name)
                .or_insert_with(|| (names.key(&e.name), names.canonical(&e.name).into_owned()));
            if seen.contains(key) {
                continue;
            }
            seen.push(key.clone());
            let entry = done.entry(key.clone()).or_insert(Done {
                name: name.clone(),
                times: 0,
                last: w.started_at,
            });
            entry.times += 1;
            entry.last = entry.last.max(w.started_at);
        }
    }
    Ok(done)
}

/// The catalogue and the lifter's own exercises, most done first.
fn list(ctx: &Context, search: Option<&str>, json: bool) -> Result<()> {
    let store = ctx.store_to_read()?;
    let names = exercise_names::load(&store)?;
    let mut done = done_by_key(&store, &names)?;
    let mut rows: Vec<ExerciseRow> = Vec::new();
    for e in EXERCISES {
        let stats = done.remove(&normalize(e.name));
        rows.push(ExerciseRow {
            name: e.name.to_string(),
            category: e.category.to_string(),
            muscle: e.muscle.to_string(),
            times: stats.as_ref().map_or(0, |s| s.times),
            last: stats.map(|s| s.last),
        });
    }
    for (_, d) in done {
        let known = names.exercise(&d.name);
        rows.push(ExerciseRow {
            category: known.as_ref().map_or("custom".into(), |e| e.category.to_string()),
            muscle: known.map_or(catalogue::Muscle::Other, |e| e.muscle).to_string(),
            name: d.name,
            times: d.times,
            last: Some(d.last),
        });
    }
    if let Some(text) = search {
        let key = normalize(text);
        rows.retain(|r| {
            normalize(&r.name).contains(&key) || normalize(&r.category) == key || normalize(&r.muscle) == key
        });
    }
    rows.sort_by(|a, b| b.times.cmp(&a.times).then_with(|| a.name.cmp(&b.name)));
    if json {
        print_json(&serde_json::to_value(&rows)?);
        return Ok(());
    }
    let mut t = table(&["Exercise", "Category", "Muscle", "Times", "Last"]);
    for r in rows {
        t.add_row(vec![
            r.name,
            r.category,
            r.muscle,
            r.times.to_string(),
            r.last.map(local).unwrap_or_default(),
        ]);
    }
    print_table(&t);
    Ok(())
}

#[derive(serde::Serialize)]
struct Unmatched {
    name: String,
    times: usize,
    last: DateTime<Utc>,
    suggestion: Option<String>,
}

/// The names logged that neither an alias nor the catalogue knows.
fn unmatched(ctx: &Context, json: bool) -> Result<()> {
    let store = ctx.store_to_read()?;
    let names = exercise_names::load(&store)?;
    let mut rows: Vec<Unmatched> = done_by_key(&store, &names)?
        .into_values()
        .filter(|d| names.exercise(&d.name).is_none())
        .map(|d| Unmatched {
            suggestion: catalogue::suggest(&d.name).map(|s| s.into_owned()),
            name: d.name,
            times: d.times,
            last: d.last,
        })
        .collect();
    rows.sort_by(|a, b| b.times.cmp(&a.times).then_with(|| a.name.cmp(&b.name)));
    if json {
        print_json(&serde_json::to_value(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!("Every exercise you logged is in the catalogue (or aliased to it).");
        return Ok(());
    }
    let mut t = table(&["Your exercise", "Times", "Last", "Perhaps"]);
    for r in &rows {
        t.add_row(vec![
            r.name.clone(),
            r.times.to_string(),
            local(r.last),
            r.suggestion.clone().unwrap_or_default(),
        ]);
    }
    print_table(&t);
    if let Some(r) = rows.iter().find(|r| r.suggestion.is_some()) {
        let into = r.suggestion.as_deref().unwrap_or_default();
        println!(
            "Fold one into a catalogue exercise with: pump exercises merge \"{}\" \"{into}\"",
            printable(&r.name)
        );
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rewrite {
    Merge,
    Rename,
}

/// `merge` and `rename`: the same rewrite, with rename refusing a name
/// that already has sessions (that is a merge, said out loud).
fn rewrite(ctx: &Context, from: &str, to: &str, how: Rewrite) -> Result<()> {
    let usage = |e: crate::model::GrammarError| Error::usage(e.to_string());
    let from = validate_exercise_name(from).map_err(usage)?;
    let typed = validate_exercise_name(to).map_err(usage)?;
    let mut store = ctx.store()?;
    let names = exercise_names::load(&store)?;
    // What the typed name resolves to may be an alias synced from another
    // device: shown through `printable` below.
    let to = names.resolve(&typed).name;
    let spellings = rename::spellings_in_use(&store, &from)?;
    if spellings.is_empty() {
        return Err(Error::usage(format!(
            "no workout names '{from}': `pump exercises --unmatched` lists the names you logged"
        )));
    }
    if spellings.iter().all(|s| *s == to) {
        eprintln!("Every session of '{from}' is already named '{}'.", printable(&to));
        return Ok(());
    }
    if how == Rewrite::Rename {
        let to_key = names.key(&to);
        let taken = store
            .exercise_names_in_use()?
            .into_iter()
            .any(|s| normalize(&s) != normalize(&from) && names.key(&s) == to_key);
        if taken {
            return Err(Error::usage(format!(
                "'{to}' already has sessions: `pump exercises merge \"{from}\" \"{to}\"` moves the sets of '{from}' into it"
            )));
        }
    }
    let renamed = rename::rename(&mut store, &from, &to)?;
    let verb = match how {
        Rewrite::Merge => "Merged",
        Rewrite::Rename => "Renamed",
    };
    eprintln!(
        "{verb} '{from}' into '{}': {} workouts, {} templates and {} aliases rewritten (they sync like any edit)",
        printable(&to),
        renamed.workouts,
        renamed.templates,
        renamed.aliases
    );
    Ok(())
}

/// `pump alias [SHORT EXERCISE]`, `pump alias --rm SHORT`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  pump alias bp \"Bench Press\"\n  pump alias\n  pump alias --rm bp")]
pub struct AliasArgs {
    /// The short name, e.g. bp
    alias: Option<String>,
    /// The exercise it stands for, e.g. "Bench Press"
    #[arg(add = crate::completions::exercises())]
    exercise: Option<String>,
    /// Remove this alias
    #[arg(long, value_name = "ALIAS", conflicts_with_all = ["alias", "exercise"])]
    rm: Option<String>,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Adds or removes an alias, or lists them.
pub fn alias(ctx: &Context, args: AliasArgs) -> Result<()> {
    let listing = args.alias.is_none() && args.exercise.is_none() && args.rm.is_none();
    let mut store = if listing { ctx.store_to_read()? } else { ctx.store()? };
    match (args.alias, args.exercise, args.rm) {
        (Some(short), Some(exercise), None) => {
            let exercise = validate_exercise_name(&exercise).map_err(|e| Error::usage(e.to_string()))?;
            let target = exercise_name(&exercise_names::load(&store)?, &exercise);
            let alias = Alias::new(&short, &target).map_err(Error::usage)?;
            if catalogue::lookup(&short).is_some_and(|known| normalize(&known.name) != normalize(&target)) {
                return Err(Error::usage(format!(
                    "'{short}' is already a catalogue exercise: pick another alias"
                )));
            }
            let id = alias.id.clone();
            store.write(&id, |_| Ok(Some(Change::put(alias))))?;
            eprintln!("{} → {}", printable(&short), printable(&target));
        }
        (None, None, Some(short)) => {
            let id = normalize(&short);
            store.write::<Alias>(&id, |current| {
                let current = current
                    .filter(|c| !c.deleted)
                    .ok_or_else(|| Error::usage(format!("no alias '{short}': `pump alias` lists them")))?;
                Ok(Some(Change::delete(current.value)))
            })?;
            eprintln!("Removed alias {short}");
        }
        (None, None, None) => {
            let aliases = store.all::<Alias>()?;
            if args.json {
                print_json(&serde_json::to_value(&aliases)?);
            } else if aliases.is_empty() {
                eprintln!("No aliases. Add one with `pump alias bp \"Bench Press\"`.");
            } else {
                let mut t = table(&["Alias", "Exercise"]);
                for a in aliases {
                    t.add_row(vec![a.alias, a.exercise]);
                }
                print_table(&t);
            }
        }
        _ => {
            return Err(Error::usage(
                "use `pump alias SHORT EXERCISE`, `pump alias --rm SHORT`, or `pump alias`",
            ));
        }
    }
    Ok(())
}
