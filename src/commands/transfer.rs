//! `pump import` and `pump export`.

use super::Context;
use super::render::{local, print_json, table};
use crate::analytics::{self, definitions::body_weight_if_needed};
use crate::app::BodyLog;
use crate::error::{Error, Result};
use crate::import::{self, Format, ImportOptions};
use crate::model::{Alias, BodyWeight, Template, Workout, format_number};
use crate::store::{ImportReport, ImportSource, IncomingWorkout, NewRecord, Store, WorkoutFilter};
use crate::sync::kinds::Record;
use clap::Args;
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
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

const IMPORT_HELP: &str = "\
Reads another app's export (Strong, Hevy, FitNotes CSV) or a pump export
(JSON). Every row becomes one set as the app showed it: a 0-rep set with a
weight is a missed attempt (0@120kg), a row with nothing measured is a set
with nothing measured (?). A row pump cannot understand at all is listed
with its line number and left out; the rest is imported, in one
transaction. Importing the same file again adds nothing.

Each CSV import is logged: --list shows them, --undo deletes exactly the
workouts one added (a delete that syncs), and importing the file again
brings them back.

Examples:
  pump import strong.csv --unit kg
  pump import hevy.csv --strict
  pump import --list
  pump import --undo 3
  pump import strong.csv --unit lb --replace";

/// `pump import FILE`.
#[derive(Debug, Args)]
#[command(after_long_help = IMPORT_HELP)]
pub struct ImportArgs {
    /// The export to read
    #[arg(required_unless_present_any = ["list", "undo"], conflicts_with_all = ["list", "undo"])]
    file: Option<PathBuf>,
    /// Which app wrote the file (detected when absent)
    #[arg(long, value_enum)]
    from: Option<ImportFrom>,
    /// The unit of weights in files that do not say (Strong's comma export, some FitNotes files)
    #[arg(long, value_parser = parse_unit, add = crate::completions::choices(crate::completions::UNITS))]
    unit: Option<crate::model::Unit>,
    /// Refuse the whole file at the first row that cannot be understood (by default it is listed and skipped)
    #[arg(long)]
    strict: bool,
    /// Skipping rows that cannot be understood is the default now; kept so older scripts still run
    #[arg(long, hide = true, conflicts_with = "strict")]
    skip_invalid: bool,
    /// Undo an earlier import of this file made with another --unit, then import it, in one step
    #[arg(long)]
    replace: bool,
    /// List the imports made on this device: when, file, format, unit, workouts and sets added
    #[arg(long, conflicts_with_all = ["undo", "from", "unit", "strict", "replace"])]
    list: bool,
    /// Delete exactly the workouts import ID added (see --list); they sync as deletions
    #[arg(long, value_name = "ID", conflicts_with_all = ["from", "unit", "strict", "replace"])]
    undo: Option<i64>,
    /// With --list: print machine-readable JSON
    #[arg(long, requires = "list")]
    json: bool,
}

fn parse_unit(text: &str) -> Result<crate::model::Unit, String> {
    text.parse()
}

/// Reads an export and adds the records this device does not have yet; or
/// lists or undoes imports.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<()> {
    if args.list {
        return list_imports(ctx, args.json);
    }
    if let Some(id) = args.undo {
        return undo_import(ctx, id);
    }
    let Some(path) = args.file.as_deref() else {
        return Err(Error::usage("name the file to import: pump import FILE"));
    };
    let bytes = std::fs::read(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!(
            "{} is not UTF-8 text: export it again as CSV or JSON",
            path.display()
        ))
    })?;
    let from = match args.from {
        Some(from) => from,
        None => detect(&text).ok_or_else(|| {
            Error::usage(format!(
                "cannot tell which app wrote {}: pass --from strong|hevy|fitnotes|pump",
                path.display()
            ))
        })?,
    };
    let format = match from {
        ImportFrom::Pump if args.replace => {
            return Err(Error::usage(
                "--replace is for Strong, Hevy and FitNotes files: a pump export restores records as they were",
            ));
        }
        ImportFrom::Pump => return import_pump(ctx, path, &text),
        ImportFrom::Strong => Format::Strong,
        ImportFrom::Hevy => Format::Hevy,
        ImportFrom::FitNotes => Format::FitNotes,
    };
    let options = ImportOptions {
        unit: args.unit,
        strict: args.strict,
    };
    let parsed = import::parse(&text, format, &options).map_err(|e| match e {
        import::ImportError::Row(row) => Error::usage(format!(
            "{}: {row}: nothing was imported (without --strict the other rows are imported and this one is listed)",
            path.display()
        )),
        e => Error::usage(format!("{}: {e}", path.display())),
    })?;
    let source = ImportSource {
        file: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        format: format.to_string(),
        unit: args.unit.map(|u| u.to_string()),
        digest: format!("{:x}", Sha256::digest(text.as_bytes())),
    };
    let incoming: Vec<IncomingWorkout> = parsed
        .workouts
        .into_iter()
        .zip(parsed.legacy_ids)
        .map(|(workout, legacy_id)| IncomingWorkout { workout, legacy_id })
        .collect();
    let mut store = ctx.store()?;
    let bar = progress_bar(incoming.len());
    let report = store.import_workouts(&source, &incoming, args.replace, &mut |done| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report?;
    for row in &parsed.skipped {
        eprintln!(
            "skipped line {}: {}",
            row.line,
            crate::text::printable(&row.problem.to_string())
        );
    }
    for id in &report.replaced {
        eprintln!("Undid import {id} (the same file with another --unit)");
    }
    eprintln!("{}", import_summary(path, &report, parsed.skipped.len()));
    Ok(())
}

/// What an import did, in one line: added, already here, skipped.
fn import_summary(path: &std::path::Path, report: &ImportReport, skipped: usize) -> String {
    let mut out = format!(
        "Imported {}: added {} ({})",
        path.display(),
        crate::text::counted((report.added + report.restored) as u64, "workout"),
        crate::text::counted(report.sets as u64, "set")
    );
    if report.restored > 0 {
        out.push_str(&format!(
            ", of them {} deleted here before and now back",
            report.restored
        ));
    }
    out.push_str(&format!(
        "; {} already here",
        report.present + report.present_from_older_pump
    ));
    if report.present_from_older_pump > 0 {
        out.push_str(&format!(
            " ({} imported by an older pump)",
            report.present_from_older_pump
        ));
    }
    out.push_str(&format!(
        "; {skipped} rows skipped{}",
        if skipped > 0 { " (listed above)" } else { "" }
    ));
    if let Some(id) = report.id {
        out.push_str(&format!(
            ". This is import {id}: `pump import --undo {id}` takes it back"
        ));
    }
    out
}

/// `pump import --list`.
fn list_imports(ctx: &Context, json: bool) -> Result<()> {
    let store = ctx.store()?;
    let imports = store.imports()?;
    if json {
        print_json(&serde_json::to_value(&imports)?);
        return Ok(());
    }
    if imports.is_empty() {
        eprintln!("No imports yet. Import an export with `pump import FILE`.");
        return Ok(());
    }
    let mut out = table(&["ID", "When", "File", "Format", "Unit", "Workouts", "Sets", "Undone"]);
    for entry in imports {
        out.add_row(vec![
            entry.id.to_string(),
            local(entry.imported_at),
            entry.file,
            entry.format,
            entry.unit.unwrap_or_else(|| "-".into()),
            entry.workouts.to_string(),
            entry.sets.to_string(),
            entry.undone_at.map_or_else(|| "-".into(), local),
        ]);
    }
    println!("{out}");
    Ok(())
}

/// `pump import --undo ID`.
fn undo_import(ctx: &Context, id: i64) -> Result<()> {
    let mut store = ctx.store()?;
    let (entry, deleted) = store.undo_import(id)?;
    eprintln!(
        "Undid import {id} ({}): deleted {deleted} workouts; `pump sync` sends the deletions. Import {} again to \
         bring them back.",
        entry.file, entry.file
    );
    Ok(())
}

/// A pump export: every record as it was, all or nothing.
fn import_pump(ctx: &Context, path: &std::path::Path, text: &str) -> Result<()> {
    let (records, summary) = from_pump(text)?;
    let mut store = ctx.store()?;
    let added = insert(&mut store, &records)?;
    eprintln!(
        "Read {summary} from {}: added {added} records, {} already here",
        path.display(),
        records.len() - added,
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

fn from_pump(text: &str) -> Result<(Vec<NewRecord>, String)> {
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
    Ok((records, summary))
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

/// A progress bar on a terminal, for imports big enough to wait for.
fn progress_bar(len: usize) -> Option<ProgressBar> {
    (len >= 500 && std::io::stderr().is_terminal()).then(|| ProgressBar::new(len as u64))
}

/// All or nothing, in one transaction, with a progress bar on a terminal.
fn insert(store: &mut Store, records: &[NewRecord]) -> Result<usize> {
    let bar = progress_bar(records.len());
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
#[command(
    after_long_help = "Examples:\n  pump export -o pump-backup.json     # created readable by you only\n  \
                             pump export --format csv > sets.csv"
)]
pub struct ExportArgs {
    /// json: everything, lossless (`pump import` reads it back); csv: one row per set
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
