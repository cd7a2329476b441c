//! `pump import` and `pump export`.

use super::Context;
use crate::analytics::{self, definitions::body_weight_if_needed};
use crate::app::BodyLog;
use crate::error::{Error, Result};
use crate::import::{self, Format, ImportOptions};
use crate::model::{Alias, BodyWeight, Template, Workout, format_number};
use crate::store::{NewRecord, Store, WorkoutFilter};
use crate::sync::kinds::Record;
use clap::Args;
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// pump's own export: every live record, lossless. `pump import --from pump`
/// restores it exactly.
#[derive(Debug, Serialize, Deserialize)]
struct Export {
    format: String,
    version: u32,
    workouts: Vec<Workout>,
    #[serde(default)]
    aliases: Vec<Alias>,
    #[serde(default)]
    templates: Vec<Template>,
    #[serde(default)]
    body_weight: Vec<BodyWeight>,
}

const EXPORT_FORMAT: &str = "pump-export";

/// The apps `pump import --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ImportFrom {
    Strong,
    Hevy,
    #[value(name = "fitnotes")]
    FitNotes,
    Pump,
}

/// `pump import FILE`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Which app wrote the file (detected when absent)
    #[arg(long, value_enum)]
    from: Option<ImportFrom>,
    /// The unit of weights in files that do not say (Strong's comma export, some FitNotes files)
    #[arg(long, value_parser = parse_unit)]
    unit: Option<crate::model::Unit>,
    /// Import the valid rows and list the invalid ones, instead of refusing the file
    #[arg(long)]
    skip_invalid: bool,
}

fn parse_unit(text: &str) -> Result<crate::model::Unit, String> {
    text.parse()
}

/// Reads an export and adds the records this device does not have yet.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<()> {
    let bytes =
        std::fs::read(&args.file).map_err(|e| Error::usage(format!("cannot read {}: {e}", args.file.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!(
            "{} is not UTF-8 text: export it again as CSV or JSON",
            args.file.display()
        ))
    })?;
    let from = match args.from {
        Some(from) => from,
        None => detect(&text).ok_or_else(|| {
            Error::usage(format!(
                "cannot tell which app wrote {}: pass --from strong|hevy|fitnotes|pump",
                args.file.display()
            ))
        })?,
    };
    let (records, summary, skipped) = match from {
        ImportFrom::Pump => from_pump(&text)?,
        csv => {
            let format = match csv {
                ImportFrom::Strong => Format::Strong,
                ImportFrom::Hevy => Format::Hevy,
                _ => Format::FitNotes,
            };
            let options = ImportOptions {
                unit: args.unit,
                skip_invalid: args.skip_invalid,
            };
            let parsed = import::parse(&text, format, &options)
                .map_err(|e| Error::usage(format!("{}: {e}", args.file.display())))?;
            let sets: usize = parsed.workouts.iter().map(Workout::set_count).sum();
            let records = parsed.workouts.iter().map(NewRecord::of).collect::<Result<Vec<_>>>()?;
            let skipped: Vec<String> = parsed.skipped.iter().map(ToString::to_string).collect();
            (
                records,
                format!("{} workouts, {sets} sets", parsed.workouts.len()),
                skipped,
            )
        }
    };
    let mut store = ctx.store()?;
    let added = insert(&mut store, &records)?;
    for line in &skipped {
        eprintln!("skipped {}", crate::text::printable(line));
    }
    eprintln!(
        "Read {summary} from {}: added {added} records, {} already here{}",
        args.file.display(),
        records.len() - added,
        if skipped.is_empty() {
            String::new()
        } else {
            format!(", {} invalid rows skipped", skipped.len())
        }
    );
    Ok(())
}

fn detect(text: &str) -> Option<ImportFrom> {
    if text.trim_start().starts_with('{') {
        return Some(ImportFrom::Pump);
    }
    import::detect(text).map(|f| match f {
        Format::Strong => ImportFrom::Strong,
        Format::Hevy => ImportFrom::Hevy,
        Format::FitNotes => ImportFrom::FitNotes,
    })
}

fn from_pump(text: &str) -> Result<(Vec<NewRecord>, String, Vec<String>)> {
    let export: Export = serde_json::from_str(text).map_err(|e| {
        Error::usage(format!(
            "not a pump export ({e}): make one with `pump export --format json`"
        ))
    })?;
    if export.format != EXPORT_FORMAT || export.version != 1 {
        return Err(Error::usage(format!(
            "unsupported export '{}' v{}: upgrade pump",
            export.format, export.version
        )));
    }
    let mut records = valid_records(&export.workouts)?;
    records.extend(valid_records(&export.aliases)?);
    records.extend(valid_records(&export.templates)?);
    records.extend(valid_records(&export.body_weight)?);
    let summary = format!(
        "{} workouts, {} aliases, {} templates, {} body weights",
        export.workouts.len(),
        export.aliases.len(),
        export.templates.len(),
        export.body_weight.len()
    );
    Ok((records, summary, Vec::new()))
}

/// An export's records of one kind, each checked: a hand-edited export must
/// not put a record into the store that no command could have written.
fn valid_records<T: Record>(items: &[T]) -> Result<Vec<NewRecord>> {
    items
        .iter()
        .map(|item| {
            item.validate()
                .map_err(|e| Error::usage(format!("the export has an invalid {}: {e}", T::KIND.noun())))?;
            NewRecord::of(item)
        })
        .collect()
}

/// All or nothing, in one transaction, with a progress bar on a terminal.
fn insert(store: &mut Store, records: &[NewRecord]) -> Result<usize> {
    let bar = (records.len() >= 500 && std::io::stderr().is_terminal()).then(|| ProgressBar::new(records.len() as u64));
    let added = store.insert_new(records, &mut |done| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    added
}

/// What `pump export --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
}

/// `pump export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    format: ExportFormat,
    /// Write to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Writes every live record as JSON, or every set as a CSV row.
pub fn export(ctx: &Context, args: ExportArgs) -> Result<()> {
    let store = ctx.store_to_read()?;
    let mut workouts: Vec<Workout> = store
        .workouts(&WorkoutFilter::default())?
        .into_iter()
        .map(|r| r.value)
        .collect();
    workouts.reverse(); // oldest first reads naturally in a file
    let text = match args.format {
        ExportFormat::Json => {
            let export = Export {
                format: EXPORT_FORMAT.into(),
                version: 1,
                workouts,
                aliases: all(&store)?,
                templates: all(&store)?,
                body_weight: all(&store)?,
            };
            serde_json::to_string_pretty(&export)? + "\n"
        }
        ExportFormat::Csv => to_csv(&workouts, &BodyLog::load(&store)?, ctx.unit())?,
    };
    match &args.output {
        Some(path) => crate::files::write_private_file(path, text.as_bytes())
            .map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}

fn all<T: Record>(store: &Store) -> Result<Vec<T>> {
    store.all::<T>()
}

/// One row per set, for spreadsheets, with each set's volume as `pump
/// stats` counts it (body weight included for `@bw` sets when known).
fn to_csv(workouts: &[Workout], body: &BodyLog, unit: crate::model::Unit) -> Result<String> {
    let weigh = |at| body.at(at);
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::other(format!("cannot write CSV: {e}"));
    out.write_record([
        "workout_id",
        "started_at",
        "completed_at",
        "workout",
        "exercise",
        "set",
        "kind",
        "reps",
        "weight",
        "unit",
        "weight_kg",
        "bodyweight",
        "rpe",
        "duration_s",
        "distance_m",
        "notes",
        "volume_kg",
    ])
    .map_err(csv_error)?;
    let opt = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    for w in workouts {
        let body_weight = body_weight_if_needed(w, w.exercises.iter().flat_map(|e| &e.sets), &weigh);
        for e in &w.exercises {
            for (i, s) in e.sets.iter().enumerate() {
                out.write_record([
                    w.id.clone(),
                    w.started_at.to_rfc3339(),
                    w.completed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    w.name.clone(),
                    e.name.clone(),
                    (i + 1).to_string(),
                    s.kind.as_str().to_string(),
                    s.reps.map(|r| r.to_string()).unwrap_or_default(),
                    opt(s.weight_kg.map(|kg| unit.from_kg(kg))),
                    unit.to_string(),
                    s.weight_kg.map(|kg| kg.to_string()).unwrap_or_default(),
                    s.bodyweight.to_string(),
                    opt(s.rpe),
                    s.duration_s.map(|d| d.to_string()).unwrap_or_default(),
                    opt(s.distance_m),
                    w.notes.clone(),
                    analytics::set_volume_kg(s, body_weight).to_string(),
                ])
                .map_err(csv_error)?;
            }
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Error::other(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::other(e.to_string()))
}
