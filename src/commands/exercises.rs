//! Exercise names: the catalogue, user aliases, `pump exercises`, `pump alias`.

use super::render::{local, print_json, table};
use super::{Context, exercise_name};
use crate::app::ExerciseNames;
use crate::error::{Error, Result};
use crate::model::catalogue::{self, EXERCISES, normalize};
use crate::model::{Alias, Workout, validate_exercise_name};
use crate::store::{Change, WorkoutFilter};
use clap::Args;
use std::collections::BTreeMap;

#[derive(serde::Serialize)]
struct ExerciseRow {
    name: String,
    category: String,
    muscle: String,
    times: usize,
    last: Option<chrono::DateTime<chrono::Utc>>,
}

/// `pump exercises`.
#[derive(Debug, Args)]
pub struct ExercisesArgs {
    /// Only names, categories or muscle groups containing this
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Prints the catalogue and the lifter's own exercises, most done first.
pub fn list(ctx: &Context, args: ExercisesArgs) -> Result<()> {
    let store = ctx.store()?;
    let workouts: Vec<Workout> = store
        .workouts(&WorkoutFilter::default())?
        .into_iter()
        .map(|r| r.value)
        .collect();
    // How often and when each exercise was last done, by matching key.
    let mut done: BTreeMap<String, (String, usize, chrono::DateTime<chrono::Utc>)> = BTreeMap::new();
    for w in &workouts {
        for e in &w.exercises {
            let entry = done
                .entry(normalize(&e.name))
                .or_insert((e.name.clone(), 0, w.started_at));
            entry.1 += 1;
            entry.2 = entry.2.max(w.started_at);
        }
    }
    let mut rows: Vec<ExerciseRow> = Vec::new();
    for e in EXERCISES {
        let stats = done.remove(&normalize(e.name));
        rows.push(ExerciseRow {
            name: e.name.to_string(),
            category: e.category.to_string(),
            muscle: e.muscle.to_string(),
            times: stats.as_ref().map_or(0, |s| s.1),
            last: stats.map(|s| s.2),
        });
    }
    for (_, (name, times, last)) in done {
        let muscle = catalogue::Muscle::of(&name).to_string();
        rows.push(ExerciseRow {
            name,
            category: "custom".into(),
            muscle,
            times,
            last: Some(last),
        });
    }
    if let Some(text) = &args.search {
        let key = normalize(text);
        rows.retain(|r| {
            normalize(&r.name).contains(&key) || normalize(&r.category) == key || normalize(&r.muscle) == key
        });
    }
    rows.sort_by(|a, b| b.times.cmp(&a.times).then_with(|| a.name.cmp(&b.name)));
    if args.json {
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
    println!("{t}");
    Ok(())
}

/// `pump alias [SHORT EXERCISE]`, `pump alias --rm SHORT`.
#[derive(Debug, Args)]
pub struct AliasArgs {
    /// The short name, e.g. bp
    alias: Option<String>,
    /// The exercise it stands for, e.g. "Bench Press"
    exercise: Option<String>,
    /// Remove this alias
    #[arg(long, value_name = "ALIAS", conflicts_with_all = ["alias", "exercise"])]
    rm: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Adds or removes an alias, or lists them.
pub fn alias(ctx: &Context, args: AliasArgs) -> Result<()> {
    let mut store = ctx.store()?;
    match (args.alias, args.exercise, args.rm) {
        (Some(short), Some(exercise), None) => {
            let exercise = validate_exercise_name(&exercise).map_err(|e| Error::usage(e.to_string()))?;
            let target = exercise_name(&ExerciseNames::load(&store)?, &exercise);
            let alias = Alias::new(&short, &target).map_err(Error::usage)?;
            if catalogue::lookup(&short).is_some_and(|known| normalize(known.name) != normalize(&target)) {
                return Err(Error::usage(format!(
                    "'{short}' is already a catalogue exercise: pick another alias"
                )));
            }
            let id = alias.id.clone();
            store.write(&id, |_| Ok(Some(Change::put(alias))))?;
            eprintln!("{short} → {target}");
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
                println!("{t}");
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
