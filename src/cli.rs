//! The whole command-line surface. Help text lives here, next to the flags.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub const SET_GRAMMAR: &str = "\
SETS

  Write an exercise, a colon, then sets separated by commas:
      -e \"bench press: w5@60kg, 3x5@100kg, 5@105kg/8\"

  5@100kg        one set of 5 reps at 100 kg
  5@225lb        pounds work everywhere (stored in kg, shown in your unit)
  5@100          no unit: your configured unit (`pump config set unit lb`)
  3x5@100kg      three sets of 5
  8@bw           bodyweight;  8@bw+20kg  with 20 kg added
  10             reps with no load
  5@105kg/8      RPE 8 (6 to 10, halves allowed: /8.5)
  w5@60kg        warm-up set (w), also d = drop set, f = to failure: w3x5@60kg
  60s  2min  1:30  1h5min          a timed set (a hold, a plank); 1:30@20kg adds load
  400m  5km  3mi  \"5km in 25min\"   a distance, optionally with its time

  In a set a bare `m` is metres: write minutes as `min` or `m:ss`.";

pub const WHEN_HELP: &str =
    "WHEN is now, today, yesterday, 'yesterday 18:30', YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or RFC 3339 (local time).";

#[derive(Debug, Parser)]
#[command(
    name = "pump",
    version,
    about = "An offline-first workout tracker for the terminal that syncs between your devices",
    long_about = "An offline-first workout tracker for the terminal.\n\nEvery command writes to a local SQLite file \
                  first; `pump sync` exchanges changes with your sync server when there is a network.",
    after_help = "Run `pump sets` for the set grammar. Output carries no colour codes, so NO_COLOR and pipes get plain text.",
    max_term_width = 100
)]
pub struct Cli {
    /// The database file (one per device)
    #[arg(long, global = true, env = "PUMP_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record a finished workout in one command; prints its id
    #[command(after_long_help = SET_GRAMMAR)]
    Log(LogArgs),
    /// Open a workout to fill in set by set at the gym
    Start(StartArgs),
    /// Append sets to the open workout
    #[command(after_long_help = SET_GRAMMAR)]
    Add(AddArgs),
    /// Close the open workout
    Finish(FinishArgs),
    /// List workouts, newest first
    List(ListArgs),
    /// Show one workout
    Show(ShowArgs),
    /// Change a workout (opens $EDITOR when given no flags)
    #[command(after_long_help = SET_GRAMMAR)]
    Edit(EditArgs),
    /// Delete a workout (it syncs as a deletion)
    Rm(RmArgs),
    /// This device, its database, and what is waiting to sync
    Status(JsonArg),
    /// Show or rename this device
    Device(DeviceArgs),
    /// Read or change preferences (unit, auto_sync, sync_interval, timeout)
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Send this device's changes to the sync server and receive the others'
    #[command(after_long_help = SYNC_EXIT_CODES)]
    Sync(SyncArgs),
    /// The exercise catalogue and your own, with how often and when you did each
    Exercises {
        /// Only names, categories or muscle groups containing this
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them
    Alias(AliasArgs),
    /// Personal records: heaviest set, e1RM, rep maxes, best volumes
    Pr(PrArgs),
    /// Sessions, sets, reps and volume per week and muscle group, and streaks
    Stats(StatsArgs),
    /// A chart of one exercise's e1RM, top set or volume over time
    Progress(ProgressArgs),
    /// A heatmap of training days over a year
    Calendar(CalendarArgs),
    /// Routines to start a workout from
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Record body weight (`pump weight 80.5`), or list recent entries with a trend
    Weight(WeightArgs),
    /// The plates to load on each side of the bar
    Plates(PlatesArgs),
    /// Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)
    Import(ImportArgs),
    /// Export everything as JSON (lossless) or CSV (one row per set)
    Export(ExportArgs),
    /// List conflicts held for you to resolve
    Conflicts(JsonArg),
    /// Resolve held conflicts (interactive without a flag)
    Resolve(ResolveArgs),
    /// Create an account on a sync server and log this device in
    Register(AccountArgs),
    /// Log this device in to a sync server
    Login(AccountArgs),
    /// Forget this device's session token
    Logout,
    /// Run or administer the sync server
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Server(ServerCommand),
    /// Print the set grammar
    #[command(long_about = SET_GRAMMAR)]
    Sets,
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub const SYNC_EXIT_CODES: &str = "\
EXIT CODES
  0   synced, nothing held back
  3   synced, but conflicts are waiting for you (`pump conflicts` lists them)
  75  the server could not be reached, failed or timed out; nothing was lost, try later
      (also: another `pump sync` is running on this database)
  77  the server rejected this device's login: run `pump login`
  2   invalid command-line input
  1   any other error

From cron:  */15 * * * * pump sync --quiet";

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print nothing unless something needs attention
    #[arg(long, short)]
    pub quiet: bool,
    /// Never prompt (implied when standard input is not a terminal)
    #[arg(long)]
    pub non_interactive: bool,
    /// Resolve true conflicts this way without prompting (for scripts)
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<Prefer>,
    /// Keep running, syncing at this interval (e.g. 10m)
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Prefer {
    /// This device's version
    Mine,
    /// The server's version
    Theirs,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// A conflicted record's id (or a prefix); all held conflicts when absent
    pub id: Option<String>,
    /// Keep this device's version
    #[arg(long, conflicts_with = "theirs")]
    pub mine: bool,
    /// Keep the server's version
    #[arg(long)]
    pub theirs: bool,
}

#[derive(Debug, Args)]
pub struct AccountArgs {
    /// The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// The account name
    #[arg(long, value_name = "NAME")]
    pub user: String,
    /// Read the password from standard input instead of prompting
    #[arg(long)]
    pub password_stdin: bool,
}

impl Command {
    /// Commands whose output may go to a pipe that closes early. The server
    /// and the network commands are not among them: a peer hanging up is an
    /// error to handle there, never a reason to die.
    pub fn prints_for_pipes(&self) -> bool {
        #[cfg(feature = "server")]
        if matches!(self, Command::Server(_)) {
            return false;
        }
        !matches!(
            self,
            Command::Sync(_) | Command::Register(_) | Command::Login(_) | Command::Logout
        )
    }

    /// Commands that change synced data: after them, `auto_sync` may start a
    /// background sync.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Command::Log(_)
                | Command::Start(_)
                | Command::Add(_)
                | Command::Finish(_)
                | Command::Edit(_)
                | Command::Rm(_)
                | Command::Resolve(_)
                | Command::Alias(_)
                | Command::Template(_)
                | Command::Weight(_)
                | Command::Import(_)
        )
    }
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print machine-readable JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Workout name, e.g. "Push day"
    pub name: String,
    /// When it started
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    pub at: String,
    /// When it ended
    #[arg(long, value_name = "WHEN", conflicts_with = "duration", long_help = WHEN_HELP)]
    pub end: Option<String>,
    /// How long it took, e.g. 1h10m
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS")]
    pub exercises: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Workout name (default: the template's name, or "Workout")
    pub name: Option<String>,
    /// Pre-fill the plan from a template (`pump template list`)
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    pub at: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The exercise, e.g. "bench press"
    pub exercise: String,
    /// One or more sets: 5@100kg 3x5@100kg 8@bw/8
    #[arg(required = true, value_name = "SET")]
    pub sets: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FinishArgs {
    #[arg(long, value_name = "WHEN", default_value = "now", long_help = WHEN_HELP)]
    pub at: String,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub since: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub until: Option<String>,
    /// Only workouts with this exercise
    #[arg(long, value_name = "NAME")]
    pub exercise: Option<String>,
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A workout id, a unique prefix of one, or `last`
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// A workout id, a unique prefix of one, or `last`
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub at: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub end: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Replace an exercise's sets (or add the exercise): -e "squat: 3x5@100kg"
    #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS")]
    pub exercises: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// A workout id, a unique prefix of one, or `last`
    pub id: String,
}

#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// Rename this device
    #[arg(long)]
    pub name: Option<String>,
    /// Take a new device id (after copying a database file to a second device)
    #[arg(long)]
    pub reset_id: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print one setting
    Get { key: String },
    /// Change one setting
    Set { key: String, value: String },
    /// Print every setting
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print the config file's path
    Path,
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Serve sync for your devices (prints `listening on http://HOST:PORT`)
    Start {
        /// Address to listen on; port 0 picks a free one
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
        listen: String,
        /// Folder for the server's database (default: the platform data dir)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Let clients create accounts with `pump register`
        #[arg(long)]
        open_registration: bool,
        /// Largest request body accepted, in MiB
        #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
        max_body_mib: u32,
    },
    /// Create an account without the network
    AddUser {
        /// Account name: letters, digits, '.', '_' or '-'
        name: String,
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Read the password from standard input instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Args)]
pub struct AliasArgs {
    /// The short name, e.g. bp
    pub alias: Option<String>,
    /// The exercise it stands for, e.g. "Bench Press"
    pub exercise: Option<String>,
    /// Remove this alias
    #[arg(long, value_name = "ALIAS", conflicts_with_all = ["alias", "exercise"])]
    pub rm: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PrArgs {
    /// One exercise (all exercises when absent)
    pub exercise: Option<String>,
    /// How to estimate a one-rep max: epley or brzycki
    #[arg(long, default_value = "epley", value_name = "FORMULA")]
    pub formula: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How many weeks back, this week included
    #[arg(long, default_value_t = 8)]
    pub weeks: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    pub exercise: String,
    /// e1rm, top-set or volume
    #[arg(long, default_value = "e1rm")]
    pub metric: String,
    /// How to estimate a one-rep max: epley or brzycki
    #[arg(long, default_value = "epley", value_name = "FORMULA")]
    pub formula: String,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub since: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// A past year (default: the last 12 months)
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Save a workout's exercises and sets as a template
    Save {
        name: String,
        /// The workout: an id, a unique prefix, or `last`
        #[arg(long, value_name = "ID")]
        from: String,
    },
    /// Write a template from exercise specs
    #[command(after_long_help = SET_GRAMMAR)]
    New {
        name: String,
        #[arg(short = 'e', long = "exercise", value_name = "EXERCISE: SETS", required = true)]
        exercises: Vec<String>,
    },
    /// List templates
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one template
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a template
    Rm { name: String },
}

#[derive(Debug, Args)]
pub struct WeightArgs {
    /// Body weight, e.g. 80.5 (your unit), 80.5kg or 177lb; lists entries when absent
    pub weight: Option<String>,
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlatesArgs {
    /// The total to load, bar included, e.g. 100 or 225lb
    pub weight: String,
    /// Bar weight in your unit (default 20 kg / 45 lb)
    #[arg(long)]
    pub bar: Option<f64>,
    /// Plate sizes you have, e.g. 25,20,15,10,5,2.5,1.25
    #[arg(long)]
    pub plates: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFrom {
    Strong,
    Hevy,
    #[value(name = "fitnotes")]
    FitNotes,
    Pump,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Which app wrote the file (detected when absent)
    #[arg(long, value_enum)]
    pub from: Option<ImportFrom>,
    /// The unit of weights in files that do not say (Strong's comma export, some FitNotes files)
    #[arg(long, value_parser = parse_unit)]
    pub unit: Option<crate::model::Unit>,
    /// Import the valid rows and list the invalid ones, instead of refusing the file
    #[arg(long)]
    pub skip_invalid: bool,
}

fn parse_unit(text: &str) -> Result<crate::model::Unit, String> {
    text.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
