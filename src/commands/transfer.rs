//! `pump import` and `pump export`.

use super::Context;
use super::render::{JsonArray, json_element, local, print_json, table};
use crate::analytics::{self, definitions::body_weight_if_needed};
use crate::app::BodyLog;
use crate::error::{Error, Result};
use crate::import::{self, Format, ImportOptions};
use crate::model::{Alias, BodyWeight, Template, Workout, format_number};
use crate::store::{ImportReport, ImportSource, IncomingWorkout, NewRecord, Order, Store, WorkoutFilter, WorkoutRow};
use crate::sync::kinds::Record;
use clap::Args;
use indicatif::ProgressBar;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// pump's own export: every live record, lossless. `pump import --from pump`
/// restores it exactly.
#[derive(Debug, Deserialize)]
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
    let scanned = scan(path)?;
    let from = match args.from {
        Some(from) => from,
        None => detect(&scanned.head).ok_or_else(|| {
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
        ImportFrom::Pump => return import_pump(ctx, path),
        ImportFrom::Strong => Format::Strong,
        ImportFrom::Hevy => Format::Hevy,
        ImportFrom::FitNotes => Format::FitNotes,
    };
    let options = ImportOptions {
        unit: args.unit,
        strict: args.strict,
    };
    let refused = |e: import::ImportError| match e {
        import::ImportError::Row(row) => Error::usage(format!(
            "{}: {row}: nothing was imported (without --strict the other rows are imported and this one is listed)",
            path.display()
        )),
        e => Error::usage(format!("{}: {e}", path.display())),
    };
    import::check_header(&scanned.head, format, &options).map_err(refused)?;
    let source = ImportSource {
        file: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        format: format.to_string(),
        unit: args.unit.map(|u| u.to_string()),
        digest: scanned.digest,
    };
    let mut store = ctx.store()?;
    let stream = |store: &mut Store, plan: Option<&import::Plan>| {
        stream_import(store, &source, args.replace, path, scanned.len, format, &options, plan)
    };
    // Every app writes each workout's rows together; a file that does not
    // is read once more to find where each workout ends.
    let (report, skipped) = match stream(&mut store, None) {
        Err(Failure::File(import::ImportError::Interleaved { .. })) => {
            let plan = import::plan(open(path)?, format, &options).map_err(refused)?;
            stream(&mut store, Some(&plan))
        }
        done => done,
    }
    .map_err(|e| match e {
        Failure::File(e) => refused(e),
        Failure::Store(e) => e,
    })?;
    for row in &skipped {
        eprintln!(
            "skipped line {}: {}",
            row.line,
            crate::text::printable(&row.problem.to_string())
        );
    }
    for id in &report.replaced {
        eprintln!("Undid import {id} (the same file with another --unit)");
    }
    eprintln!("{}", import_summary(path, &report, skipped.len()));
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

/// Why a streamed import stopped: the file, or the store.
enum Failure {
    File(import::ImportError),
    Store(Error),
}

impl From<import::ImportError> for Failure {
    fn from(e: import::ImportError) -> Self {
        Failure::File(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Store(e)
    }
}

/// Reads the file as a stream into one import transaction: each workout is
/// written as soon as its rows are read. Returns what the import did and
/// the rows it left out.
#[allow(clippy::too_many_arguments)]
fn stream_import(
    store: &mut Store,
    source: &ImportSource,
    replace: bool,
    path: &Path,
    len: u64,
    format: Format,
    options: &ImportOptions,
    plan: Option<&import::Plan>,
) -> std::result::Result<(ImportReport, Vec<import::RowError>), Failure> {
    let mut import = store.begin_import(source, replace)?;
    let bar = progress_bar(len, BYTES_WORTH_A_BAR);
    let input = Progressing {
        inner: open(path)?,
        bar: bar.as_ref(),
    };
    let skipped = import::stream(input, format, options, plan, &mut |imported| {
        import
            .add(&IncomingWorkout {
                workout: imported.workout,
                legacy_id: imported.legacy_id,
            })
            .map_err(Failure::Store)
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let skipped = skipped?;
    Ok((import.finish()?, skipped))
}

/// Files this big show a progress bar on a terminal while they import.
const BYTES_WORTH_A_BAR: u64 = 1 << 20;

/// The file being imported, moving the progress bar as it is read.
struct Progressing<'a> {
    inner: File,
    bar: Option<&'a ProgressBar>,
}

impl Read for Progressing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))
}

/// What a first read of a file to import finds.
struct Scanned {
    /// SHA-256 of its bytes: the import log knows a file by it.
    digest: String,
    /// Its first bytes, enough to tell which app wrote it.
    head: String,
    len: u64,
}

/// How much of a file [`Scanned::head`] keeps.
const HEAD_BYTES: usize = 64 * 1024;

/// Reads the file once, in pieces: its digest, its start, and that all of
/// it is UTF-8 text (a UTF-8 sequence cut by a piece's end is finished by
/// the next piece).
fn scan(path: &Path) -> Result<Scanned> {
    let mut file = open(path)?;
    let cannot_read = |e: std::io::Error| Error::usage(format!("cannot read {}: {e}", path.display()));
    let not_text = || {
        Error::usage(format!(
            "{} is not UTF-8 text: export it again as CSV or JSON",
            path.display()
        ))
    };
    let mut hasher = Sha256::new();
    let (mut head, mut unfinished, mut len) = (Vec::new(), Vec::new(), 0u64);
    let mut piece = vec![0; HEAD_BYTES];
    loop {
        let n = match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot_read(e)),
        };
        let piece = &piece[..n];
        hasher.update(piece);
        len += n as u64;
        head.extend_from_slice(&piece[..piece.len().min(HEAD_BYTES - head.len())]);
        unfinished.extend_from_slice(piece);
        match std::str::from_utf8(&unfinished) {
            Ok(_) => unfinished.clear(),
            Err(e) if e.error_len().is_none() => drop(unfinished.drain(..e.valid_up_to())),
            Err(_) => return Err(not_text()),
        }
    }
    if !unfinished.is_empty() {
        return Err(not_text());
    }
    Ok(Scanned {
        digest: format!("{:x}", hasher.finalize()),
        head: String::from_utf8_lossy(&head).into_owned(),
        len,
    })
}

/// A pump export: every record as it was, all or nothing.
fn import_pump(ctx: &Context, path: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let (records, summary) = from_pump(&text)?;
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

/// A progress bar to `len` on a terminal, for imports of at least
/// `worth_a_bar` (records or bytes), big enough to wait for.
fn progress_bar(len: u64, worth_a_bar: u64) -> Option<ProgressBar> {
    (len >= worth_a_bar && std::io::stderr().is_terminal()).then(|| ProgressBar::new(len))
}

/// All or nothing, in one transaction, with a progress bar on a terminal.
fn insert(store: &mut Store, records: &[NewRecord]) -> Result<usize> {
    let bar = progress_bar(records.len() as u64, 500);
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

/// Writes every live record as JSON, or every set as a CSV row, streamed
/// from the database as it is read: a whole history is never in memory.
/// A file is replaced only once all of it is written.
pub fn export(ctx: &Context, args: ExportArgs) -> Result<()> {
    let store = ctx.store_to_read()?;
    let write = |out: &mut dyn Write| match args.format {
        ExportFormat::Json => write_json(&store, out),
        ExportFormat::Csv => write_csv(&store, &BodyLog::load(&store)?, ctx.unit(), out),
    };
    match &args.output {
        Some(path) => crate::files::replace_private(path, |file| write(file))
            .map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            Ok(out.flush()?)
        }
    }
}

/// pump's own export, as `serde_json::to_string_pretty` writes [`Export`]:
/// the workouts oldest first (as a file reads naturally), then the other
/// kinds, which are small.
fn write_json(store: &Store, out: &mut dyn Write) -> Result<()> {
    write!(
        out,
        "{{\n  \"format\": {},\n  \"version\": 1,\n  \"workouts\": ",
        serde_json::to_string(EXPORT_FORMAT)?
    )?;
    let mut workouts = JsonArray::new(&mut *out, 1);
    // Each workout's text is made on the threads that decode it.
    let element = |row: WorkoutRow| json_element(&row.value, 1);
    store.each_workout_mapped(&WorkoutFilter::default(), Order::OldestFirst, &element, &mut |text| {
        workouts.push_element(&text)?;
        Ok(ControlFlow::Continue(()))
    })?;
    workouts.finish()?;
    write_all::<Alias>(store, out, "aliases")?;
    write_all::<Template>(store, out, "templates")?;
    write_all::<BodyWeight>(store, out, "body_weight")?;
    Ok(out.write_all(b"\n}\n")?)
}

/// One more field of the export: every live record of a kind.
fn write_all<T: Record>(store: &Store, out: &mut dyn Write, field: &str) -> Result<()> {
    write!(out, ",\n  \"{field}\": ")?;
    let mut array = JsonArray::new(&mut *out, 1);
    for record in store.all::<T>()? {
        array.push(&record)?;
    }
    array.finish()?;
    Ok(())
}

/// One row per set, for spreadsheets, with each set's volume as `pump
/// stats` counts it (body weight included for `@bw` sets when known). The
/// workout's and the exercise's notes repeat on each of their rows; the
/// note columns come before `volume_kg`, which stays last.
fn write_csv(store: &Store, body: &BodyLog, unit: crate::model::Unit, out: &mut dyn Write) -> Result<()> {
    let weigh = |at| body.at(at);
    let mut out = csv::Writer::from_writer(out);
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
        "exercise_notes",
        "set_notes",
        "volume_kg",
    ])
    .map_err(csv_error)?;
    let opt = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    store.each_workout(&WorkoutFilter::default(), Order::OldestFirst, &mut |row| {
        let w = &row.value;
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
                    e.notes.clone(),
                    s.notes.clone(),
                    analytics::set_volume_kg(s, body_weight).to_string(),
                ])
                .map_err(csv_error)?;
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    out.flush()?;
    Ok(())
}
