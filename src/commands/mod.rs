//! One module per subcommand (a few related ones share a file). Each is thin:
//! its clap arguments, then its handler, which parses what was typed, calls
//! the store, `app` or the core, and renders. Adding a command is its file,
//! a line in `cli::Command` and a line in `dispatch`. Shared rendering
//! lives in `render`.

pub mod account;
pub mod body;
pub mod calendar;
pub mod completions;
pub mod config;
pub mod conflicts;
pub mod device;
pub mod devices;
pub mod doctor;
pub mod edit;
pub mod exercises;
pub mod history;
pub mod key;
pub mod list;
pub mod log;
pub mod man;
pub mod password;
pub mod pr;
pub mod progress;
mod render;
pub mod report;
mod resolver;
pub mod rm;
#[cfg(feature = "server")]
pub mod server;
pub mod session;
pub mod sets;
pub mod show;
mod sorted_json;
pub mod stats;
pub mod status;
pub mod sync;
pub mod template;
pub mod transfer;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::catalogue::Category;
use crate::model::{ExerciseNames, Set, Unit, format_weight, parse_exercise_spec, parse_when};
use crate::store::Store;
use chrono::{DateTime, Local, Utc};
use std::path::PathBuf;

/// What every command may need, resolved once from flags and environment.
pub struct Context {
    /// This device's database file (`--db`, `PUMP_DB`, or the platform data dir).
    pub db_path: PathBuf,
    /// Whether the path was given (`--db` or `PUMP_DB`) rather than the default.
    pub db_given: bool,
    /// The lifter's preferences.
    pub config: Config,
    /// Where the preferences are saved, when the system has a config folder.
    pub config_path: Option<PathBuf>,
}

impl Context {
    /// Resolves the database path and loads the preferences.
    pub fn new(db: Option<PathBuf>) -> Result<Context> {
        let db_given = db.is_some();
        let db_path = match db {
            Some(path) => path,
            None => default_db_path().ok_or_else(|| {
                Error::usage("cannot find a home folder for the database: pass --db PATH or set PUMP_DB")
            })?,
        };
        let config_path = Config::default_path();
        let config = Config::load(config_path.as_deref())?;
        Ok(Context {
            db_path,
            db_given,
            config,
            config_path,
        })
    }

    /// Opens the database, saying so when it turns out to be a copy of another device's.
    pub fn store(&self) -> Result<Store> {
        let store = Store::open(&self.db_path)?;
        if let Some(old) = store.copied_from() {
            eprintln!(
                "pump: {} is a copy of another device's database (another file or machine): this device now has \
                 its own id {} (it was {old}), so the two never write under one id",
                self.db_path.display(),
                store.device_id()
            );
        }
        Ok(store)
    }

    /// Runs `work` on the database. When it fails, a database this command
    /// created (and the folders made for it) is removed again: a failed first
    /// import on a new machine leaves nothing behind, not an empty database.
    pub fn with_store_or_nothing<T>(&self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        // Only a database that is not there at all is removed again: the
        // journals of an existing one may belong to another pump running now.
        let absent = (!self.db_path.exists()).then(|| crate::files::Absent::note(&Store::files(&self.db_path)));
        let done = self.store().and_then(|mut store| work(&mut store));
        if let (Err(_), Some(absent)) = (&done, absent) {
            absent.remove();
        }
        done
    }

    /// Opens the database for a command that only reads it. A given path
    /// (`--db`, `PUMP_DB`) in a folder that does not exist is a mistyped
    /// path, not a new device: nothing is created.
    pub fn store_to_read(&self) -> Result<Store> {
        let folder = self.db_path.parent().filter(|d| !d.as_os_str().is_empty());
        if self.db_given
            && !self.db_path.exists()
            && let Some(folder) = folder.filter(|d| !d.exists())
        {
            return Err(Error::usage(format!(
                "there is no pump database at {}: the folder {} does not exist; check --db or PUMP_DB",
                self.db_path.display(),
                folder.display()
            )));
        }
        self.store()
    }

    /// The unit weights are shown in and unlabelled weights are typed in.
    pub fn unit(&self) -> Unit {
        self.config.unit
    }

    /// Parses a WHEN typed on the command line.
    pub fn when(&self, text: &str) -> Result<DateTime<Utc>> {
        parse_when(text, Local::now()).map_err(Error::usage)
    }

    /// Parses a WHEN that says when something happened (a workout's start
    /// or end, a weigh-in): more than a day ahead is a mistyped date (2062
    /// for 2026), refused before it sorts above every real workout.
    pub fn when_done(&self, text: &str) -> Result<DateTime<Utc>> {
        let at = self.when(text)?;
        if at > Utc::now() + chrono::Duration::days(1) {
            return Err(Error::usage(format!(
                "'{text}' is more than a day ahead: pump records what happened; check the date (or leave it out for now)"
            )));
        }
        Ok(at)
    }

    /// Parses `-e "EXERCISE: SETS"` arguments.
    pub fn exercise_specs(&self, specs: &[String]) -> Result<Vec<crate::model::ExerciseSpec>> {
        specs
            .iter()
            .map(|s| parse_exercise_spec(s, self.unit()).map_err(|e| Error::usage(e.to_string())))
            .collect()
    }
}

/// The name to store for an exercise the lifter typed, with a note on stderr
/// when it looks like a typo of a catalogue exercise.
fn exercise_name(names: &ExerciseNames, typed: &str) -> String {
    let resolved = names.resolve(typed);
    if let Some(suggestion) = resolved.suggestion {
        let target = &resolved.name;
        eprintln!(
            "pump: note: '{target}' is not a known exercise; did you mean '{suggestion}'? Kept as typed \
             (`pump alias \"{target}\" \"{suggestion}\"` maps it from now on)"
        );
    }
    resolved.name
}

/// More than any barbell lift on record (the deadlift's is about 500 kg):
/// a load above it is almost surely a typo (`1001kg` for `100kg`).
const HEAVIEST_PLAUSIBLE_BARBELL_KG: f64 = 510.0;

/// A note on stderr for each set of a barbell lift heavier than anyone
/// has lifted. The set is kept as typed: the lifter decides.
fn warn_implausible_loads(names: &ExerciseNames, exercise: &str, sets: &[Set], unit: Unit) {
    let barbell = names
        .exercise(exercise)
        .is_some_and(|e| e.category == Category::Barbell);
    let heaviest = sets.iter().filter_map(|s| s.weight_kg).fold(0.0, f64::max);
    if barbell && heaviest > HEAVIEST_PLAUSIBLE_BARBELL_KG {
        eprintln!(
            "pump: note: {} on {} is more than any barbell lift on record: kept as typed; if it is a typo, \
             `pump edit` fixes it",
            format_weight(heaviest, unit),
            crate::text::printable(exercise)
        );
    }
}

/// Where the database lives when neither `--db` nor `PUMP_DB` says:
/// the platform's data folder. `None` without a home folder.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pump").map(|dirs| dirs.data_dir().join("pump.db"))
}

/// Runs the command typed, then starts a background sync when it wrote and `auto_sync` is on.
pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(cli.db)?;
    let writes = cli.command.writes();
    dispatch(&ctx, cli.command).map_err(|e| account::spell_out_login(e, &ctx))?;
    if writes && ctx.config.auto_sync {
        sync::start_in_background(&ctx);
    }
    Ok(())
}

fn dispatch(ctx: &Context, command: Command) -> Result<()> {
    match command {
        Command::Log(args) => log::run(ctx, args),
        Command::Start(args) => session::start(ctx, args),
        Command::Add(args) => session::add(ctx, args),
        Command::Finish(args) => session::finish(ctx, args),
        Command::List(args) => list::run(ctx, args),
        Command::Show(args) => show::run(ctx, args),
        Command::Edit(args) => edit::run(ctx, args),
        Command::Rm(args) => rm::run(ctx, args),
        Command::Restore(args) => rm::restore(ctx, args),
        Command::Status(args) => status::run(ctx, args.json),
        Command::Device(args) => device::run(ctx, args),
        Command::Config(command) => config::run(ctx, command),
        Command::Sync(args) => sync::run(ctx, args),
        Command::Exercises(args) => exercises::run(ctx, args),
        Command::History(args) => history::run(ctx, args),
        Command::Alias(args) => exercises::alias(ctx, args),
        Command::Pr(args) => pr::run(ctx, args),
        Command::Stats(args) => stats::run(ctx, args),
        Command::Progress(args) => progress::run(ctx, args),
        Command::Calendar(args) => calendar::run(ctx, args),
        Command::Report(args) => report::run(ctx, args),
        Command::Template(command) => template::run(ctx, command),
        Command::Weight(args) => body::weight(ctx, args),
        Command::Plates(args) => body::plates_cmd(ctx, args),
        Command::Import(args) => transfer::import(ctx, args),
        Command::Export(args) => transfer::export(ctx, args),
        Command::Conflicts(args) => conflicts::list(ctx, args.json),
        Command::Resolve(args) => conflicts::resolve(ctx, args),
        Command::Register(args) => account::register(ctx, args),
        Command::Login(args) => account::login(ctx, args),
        Command::Logout => account::logout(ctx),
        Command::Key(args) => key::run(ctx, &args),
        Command::Password(args) => password::run(ctx, args),
        Command::Devices(args) => devices::run(ctx, args),
        Command::Doctor(args) => doctor::run(ctx, args),
        #[cfg(feature = "server")]
        Command::Server(command) => server::run(command),
        Command::Sets => sets::run(),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}
