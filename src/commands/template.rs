//! `pump template`: routines to start a workout from.

use super::render::{print_json, print_table, table};
use super::{Context, exercise_name};
use crate::app::exercise_names;
use crate::cli::SET_GRAMMAR;
use crate::error::{Error, Result};
use crate::model::{ExerciseEntry, Template, Workout, new_id, render_sets, validate_name};
use crate::store::{Change, Store};
use crate::text::printable;
use clap::{Args, Subcommand};

fn find(store: &Store, name: &str) -> Result<Template> {
    store
        .get::<Template>(&Template::id_for(name))?
        .filter(|t| !t.deleted)
        .map(|t| t.value)
        .ok_or_else(|| Error::usage(format!("no template '{name}': `pump template list` shows them")))
}

/// The template's name and exercises as a fresh plan: new ids, so a
/// workout's plan never shares ids with the template or with another workout.
pub(super) fn plan_from(store: &Store, name: &str) -> Result<(String, Vec<ExerciseEntry>)> {
    let template = find(store, name)?;
    let plan = template
        .exercises
        .into_iter()
        .map(|e| ExerciseEntry {
            id: new_id(),
            sets: e
                .sets
                .into_iter()
                .map(|s| crate::model::Set { id: new_id(), ..s })
                .collect(),
            ..e
        })
        .collect();
    Ok((template.name, plan))
}

/// `pump template …`.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Save a workout's exercises and sets as a template
    #[command(after_long_help = "Example:\n  pump template save \"Push A\" --from last")]
    Save(SaveArgs),
    /// Write a template from exercise specs
    #[command(after_long_help = format!("Example:\n  pump template new \"Push A\" -e \"bench press: 3x5@100kg\" -e \"dips: 3x10@bw\"\n\n{SET_GRAMMAR}"))]
    New(NewArgs),
    /// List templates
    #[command(after_long_help = "Examples:\n  pump template list\n  pump template list --json")]
    List(ListArgs),
    /// Show one template
    #[command(after_long_help = "Example:\n  pump template show \"Push A\"")]
    Show(ShowArgs),
    /// Delete a template
    #[command(after_long_help = "Example:\n  pump template rm \"Push A\"")]
    Rm(RmArgs),
}

/// `pump template save NAME --from ID`.
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// The template's name, e.g. "Push A"
    name: String,
    /// The workout: an id, a unique prefix, or `last`
    #[arg(long, value_name = "ID", add = crate::completions::workout_ids())]
    from: String,
}

/// `pump template new NAME -e "EXERCISE: SETS"…`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The template's name, e.g. "Push A"
    name: String,
    /// An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS", required = true,
          add = crate::completions::exercise_specs())]
    exercises: Vec<String>,
}

/// `pump template list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// `pump template show NAME`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The template's name
    #[arg(add = crate::completions::templates())]
    name: String,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// `pump template rm NAME`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// The template's name
    #[arg(add = crate::completions::templates())]
    name: String,
}

/// Saves, writes, lists, shows or deletes templates.
pub fn run(ctx: &Context, command: TemplateCommand) -> Result<()> {
    match command {
        TemplateCommand::Save(SaveArgs { name, from }) => {
            let name = validate_name(&name).map_err(Error::usage)?;
            let mut store = ctx.store()?;
            let id = store.resolve_workout_id(&from)?;
            let workout = store
                .get::<Workout>(&id)?
                .map(|w| w.value)
                .ok_or_else(|| Error::usage("no such workout"))?;
            let exercises = workout
                .exercises
                .iter()
                .filter(|e| !e.sets.is_empty())
                .cloned()
                .collect();
            save(&mut store, name, exercises)
        }
        TemplateCommand::New(NewArgs { name, exercises }) => {
            let name = validate_name(&name).map_err(Error::usage)?;
            let specs = ctx.exercise_specs(&exercises)?;
            let mut store = ctx.store()?;
            let names = exercise_names::load(&store)?;
            let mut plan = Workout::new(name.clone(), chrono::Utc::now());
            for spec in specs {
                plan.add_sets(&exercise_name(&names, &spec.exercise), spec.sets);
            }
            save(&mut store, name, plan.exercises)
        }
        TemplateCommand::List(ListArgs { json }) => {
            let templates = ctx.store_to_read()?.all::<Template>()?;
            if json {
                print_json(&serde_json::to_value(&templates)?);
            } else if templates.is_empty() {
                eprintln!("No templates. Save one with `pump template save NAME --from last`.");
            } else {
                let mut t = table(&["Template", "Exercises", "Sets"]);
                for tpl in templates {
                    let sets: usize = tpl.exercises.iter().map(|e| e.sets.len()).sum();
                    let names: Vec<&str> = tpl.exercises.iter().map(|e| e.name.as_str()).collect();
                    t.add_row(vec![tpl.name.clone(), names.join(", "), sets.to_string()]);
                }
                print_table(&t);
            }
            Ok(())
        }
        TemplateCommand::Show(ShowArgs { name, json }) => {
            let template = find(&ctx.store_to_read()?, &name)?;
            if json {
                print_json(&serde_json::to_value(&template)?);
            } else {
                println!("{}", printable(&template.name));
                let mut t = table(&["Exercise", "Planned sets"]);
                for e in &template.exercises {
                    t.add_row(vec![e.name.clone(), render_sets(&e.sets, ctx.unit())]);
                }
                print_table(&t);
            }
            Ok(())
        }
        TemplateCommand::Rm(RmArgs { name }) => {
            let mut store = ctx.store()?;
            let template = find(&store, &name)?;
            let id = template.id.clone();
            store.write(&id, |_| Ok(Some(Change::delete(template))))?;
            eprintln!("Removed template {name}");
            Ok(())
        }
    }
}

fn save(store: &mut Store, name: String, exercises: Vec<ExerciseEntry>) -> Result<()> {
    let template = Template {
        id: Template::id_for(&name),
        name: name.clone(),
        exercises,
    };
    template.validate().map_err(Error::usage)?;
    let id = template.id.clone();
    let summary = format!(
        "Saved template {name} ({})",
        crate::text::counted(template.exercises.len() as u64, "exercise")
    );
    store.write(&id, |_| Ok(Some(Change::put(template))))?;
    eprintln!("{summary}. Start it with `pump start --template \"{name}\"`.");
    Ok(())
}
