//! One module per subcommand. Each is thin: parse what was typed, call the
//! store or the core, render. Shared rendering lives in `render`.

mod account;
mod analysis;
mod body;
mod config;
mod conflicts;
mod device;
mod edit;
mod exercises;
mod list;
mod log;
mod render;
mod resolver;
mod rm;
#[cfg(feature = "server")]
mod server;
mod session;
mod show;
mod status;
mod sync;
mod template;
mod transfer;

use crate::app::ExerciseNames;
use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Unit, parse_exercise_spec, parse_when};
use crate::store::Store;
use chrono::{DateTime, Local, Utc};
use std::path::PathBuf;

/// What every command may need, resolved once from flags and environment.
pub struct Context {
    pub db_path: PathBuf,
    pub config: Config,
    pub config_path: Option<PathBuf>,
}

impl Context {
    pub fn new(db: Option<PathBuf>) -> Result<Context> {
        let db_path = match db {
            Some(path) => path,
            None => default_db_path()?,
        };
        let config_path = Config::default_path();
        let config = Config::load(config_path.as_deref())?;
        Ok(Context {
            db_path,
            config,
            config_path,
        })
    }

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

    pub fn unit(&self) -> Unit {
        self.config.unit
    }

    /// Parses a WHEN typed on the command line.
    pub fn when(&self, text: &str) -> Result<DateTime<Utc>> {
        parse_when(text, Local::now()).map_err(Error::usage)
    }

    /// Parses `-e "EXERCISE: SETS"` arguments.
    pub fn exercise_specs(&self, specs: &[String]) -> Result<Vec<crate::model::ExerciseSpec>> {
        specs
            .iter()
            .map(|s| parse_exercise_spec(s, self.unit()).map_err(Error::usage))
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

fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "pump")
        .map(|dirs| dirs.data_dir().join("pump.db"))
        .ok_or_else(|| Error::usage("cannot find a home folder for the database: pass --db PATH or set PUMP_DB"))
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(cli.db)?;
    let writes = cli.command.writes();
    dispatch(&ctx, cli.command)?;
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
        Command::Status(args) => status::run(ctx, args.json),
        Command::Device(args) => device::run(ctx, args),
        Command::Config(command) => config::run(ctx, command),
        Command::Sync(args) => sync::run(ctx, args),
        Command::Exercises { search, json } => exercises::list(ctx, search, json),
        Command::Alias(args) => exercises::alias(ctx, args),
        Command::Pr(args) => analysis::pr(ctx, args),
        Command::Stats(args) => analysis::stats_cmd(ctx, args),
        Command::Progress(args) => analysis::progress(ctx, args),
        Command::Calendar(args) => analysis::calendar(ctx, args),
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
        #[cfg(feature = "server")]
        Command::Server(command) => server::run(command),
        Command::Sets => {
            println!("{}", crate::cli::SET_GRAMMAR);
            Ok(())
        }
        Command::Completions { shell } => {
            print!("{}", crate::completions::generate(shell));
            Ok(())
        }
    }
}
