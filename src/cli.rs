//! The command line's top level: [`Cli`], one [`Command`] variant per
//! subcommand, and the help texts and arguments several commands share. Each
//! subcommand's own flags live next to its handler in `commands/`.

use crate::analytics::Formula;
#[cfg(feature = "server")]
use crate::commands::server;
use crate::commands::{
    account, body, calendar, completions, config, conflicts, device, devices, doctor, edit, exercises, history, key,
    list, log, man, password, pr, progress, report, rm, session, show, stats, sync, template, transfer,
};
use crate::error::{Error, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

/// The forms of one set, for `pump sets` and the help of every command
/// that takes sets.
macro_rules! set_forms {
    () => {
        "  5@100kg        one set of 5 reps at 100 kg
  5@225lb        pounds work everywhere (stored in kg, shown in your unit)
  5@100          no unit: your configured unit (`pump config set unit lb`)
  3x5@100kg      three sets of 5
  8@bw           bodyweight;  8@bw+20kg  with 20 kg added
  10             reps with no load
  5@105kg/8      RPE 8 (6 to 10, halves allowed: /8.5)
  w5@60kg        warm-up set (w), also d = drop set, f = to failure: w3x5@60kg
  60s  2min  1:30  1h5min          a timed set (a hold, a plank); 1:30@20kg adds load
  400m  5km  3mi  \"5km in 25min\"   a distance, optionally with its time

  5@100,5kg      a decimal comma works too

  In a set a bare `m` is metres: write minutes as `min` or `m:ss`."
    };
}

/// The set grammar as `-e` takes it (`pump log`, `pump edit`, `pump
/// template new`), shown by `pump sets` and under their help.
pub const SET_GRAMMAR: &str = concat!(
    "SETS

  Write an exercise, a colon, then sets separated by commas:
      -e \"bench press: w5@60kg, 3x5@100kg, 5@105kg/8\"
  (`pump add` takes the exercise, then the sets: pump add \"bench press\" 5@100kg 3x5@100kg)

",
    set_forms!()
);

/// The set grammar as `pump add` takes it: the exercise, then the sets.
pub const ADD_SET_GRAMMAR: &str = concat!(
    "SETS

  Write the exercise, then one or more sets:
      pump add \"bench press\" w5@60kg 3x5@100kg 5@105kg/8

",
    set_forms!()
);

/// The forms a WHEN argument takes, for every flag that takes one.
pub const WHEN_HELP: &str =
    "WHEN is now, today, yesterday, 'yesterday 18:30', YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or RFC 3339 (local time).";

/// Everything typed after `pump`.
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
    /// The database file (one per device); works before or after any command
    #[arg(
        long,
        global = true,
        env = "PUMP_DB",
        value_name = "PATH",
        long_help = "The database file: one per device, holding its workouts and sync state. Works before or \
                     after any command (`pump --db FILE list`, `pump list --db FILE`). Default: pump.db in the \
                     platform's data folder (~/.local/share/pump on Linux)."
    )]
    pub db: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line, exiting with clap's message on a mistake.
    pub fn from_command_line() -> Cli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        quick_parse(&args)
            .unwrap_or_else(|| Cli::from_arg_matches(&command().get_matches_from(&args)).unwrap_or_else(|e| e.exit()))
    }
}

/// The command line parsed by a tree that holds only the subcommand it
/// names: defining every command's arguments was a fifth of a `pump log`'s
/// instructions. Anything else (help, a version, a mistake, a subcommand
/// not in [`QUICK`]) gives None, and the whole tree parses it again, so
/// every message, help text and suggestion comes from the whole tree.
fn quick_parse(args: &[std::ffi::OsString]) -> Option<Cli> {
    let name = named_subcommand(args)?;
    let (name, arguments) = QUICK.iter().find(|(quick, _)| *quick == name)?;
    let cmd = clap::Command::new("pump")
        .arg(quick_db_arg())
        .subcommand(arguments(clap::Command::new(*name)));
    Cli::from_arg_matches(&cmd.try_get_matches_from(args).ok()?).ok()
}

/// The subcommand argv names, when nothing but `--db` comes before it.
fn named_subcommand(args: &[std::ffi::OsString]) -> Option<&str> {
    let mut rest = args.iter().skip(1);
    loop {
        let arg = rest.next()?.to_str()?;
        if arg == "--db" {
            rest.next()?;
        } else if !arg.starts_with("--db=") {
            return (!arg.starts_with('-')).then_some(arg);
        }
    }
}

/// `--db` as [`Cli`] defines it, without its help (a quick parse shows none).
fn quick_db_arg() -> clap::Arg {
    clap::Arg::new("db")
        .long("db")
        .global(true)
        .env("PUMP_DB")
        .value_name("PATH")
        .value_parser(clap::value_parser!(PathBuf))
        .action(clap::ArgAction::Set)
        .display_order(0)
        .help_heading(None)
}

/// Each subcommand a quick parse knows, with what adds its arguments: the
/// same `Args` its [`Command`] variant holds (a test checks each against the
/// whole tree). A subcommand of subcommands, or one missing here, parses
/// with the whole tree.
type Arguments = fn(clap::Command) -> clap::Command;
const QUICK: &[(&str, Arguments)] = &[
    ("log", log::LogArgs::augment_args),
    ("start", session::StartArgs::augment_args),
    ("add", session::AddArgs::augment_args),
    ("finish", session::FinishArgs::augment_args),
    ("list", list::ListArgs::augment_args),
    ("show", show::ShowArgs::augment_args),
    ("edit", edit::EditArgs::augment_args),
    ("rm", rm::RmArgs::augment_args),
    ("restore", rm::RestoreArgs::augment_args),
    ("status", JsonArg::augment_args),
    ("device", device::DeviceArgs::augment_args),
    ("sync", sync::SyncArgs::augment_args),
    ("exercises", exercises::ExercisesArgs::augment_args),
    ("history", history::HistoryArgs::augment_args),
    ("alias", exercises::AliasArgs::augment_args),
    ("pr", pr::PrArgs::augment_args),
    ("stats", stats::StatsArgs::augment_args),
    ("progress", progress::ProgressArgs::augment_args),
    ("calendar", calendar::CalendarArgs::augment_args),
    ("report", report::ReportArgs::augment_args),
    ("weight", body::WeightArgs::augment_args),
    ("plates", body::PlatesArgs::augment_args),
    ("import", transfer::ImportArgs::augment_args),
    ("export", transfer::ExportArgs::augment_args),
    ("conflicts", JsonArg::augment_args),
    ("resolve", conflicts::ResolveArgs::augment_args),
    ("register", account::AccountArgs::augment_args),
    ("login", account::LoginArgs::augment_args),
    ("key", key::KeyArgs::augment_args),
    ("logout", |cmd| cmd),
    ("password", password::PasswordArgs::augment_args),
    ("devices", devices::DevicesArgs::augment_args),
    ("doctor", doctor::DoctorArgs::augment_args),
    ("sets", |cmd| cmd),
    ("completions", completions::CompletionsArgs::augment_args),
    ("man", man::ManArgs::augment_args),
];

/// The whole command line as help, completions and man pages show it:
/// `--db` is described once, on `pump` itself, rather than repeated on
/// every subcommand (where it still works).
pub fn command() -> clap::Command {
    // Each subcommand gets its own hidden copy, which clap then leaves in
    // place of the global flag's visible one.
    fn hide_in_subcommands(cmd: &mut clap::Command, db: &clap::Arg) {
        for sub in cmd.get_subcommands_mut() {
            *sub = std::mem::take(sub).arg(db.clone().hide(true));
            hide_in_subcommands(sub, db);
        }
    }
    let mut cmd = Cli::command();
    let db = cmd.get_arguments().find(|a| a.get_id() == "db").cloned();
    if let Some(db) = db {
        hide_in_subcommands(&mut cmd, &db);
    }
    cmd
}

/// Every subcommand, with its one-line help; its arguments are defined next
/// to its handler.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record a finished workout in one command; prints its id
    Log(log::LogArgs),
    /// Open a workout to fill in set by set at the gym
    Start(session::StartArgs),
    /// Append sets to the open workout
    Add(session::AddArgs),
    /// Close the open workout
    Finish(session::FinishArgs),
    /// List workouts, newest first
    List(list::ListArgs),
    /// Show one workout
    Show(show::ShowArgs),
    /// Change a workout (opens $EDITOR when given no flags)
    Edit(edit::EditArgs),
    /// Delete workouts (they sync as deletions)
    Rm(rm::RmArgs),
    /// Bring back a deleted workout (it syncs, and wins over the delete)
    Restore(rm::RestoreArgs),
    /// This device, its database, the open workout, and what is waiting to sync
    #[command(after_long_help = "Examples:\n  pump status\n  pump status --json")]
    Status(JsonArg),
    /// Show or rename this device
    Device(device::DeviceArgs),
    /// Read or change preferences (unit, auto_sync, sync_interval, timeout)
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Send this device's changes to the sync server and receive the others'
    #[command(after_long_help = sync::EXIT_CODES)]
    Sync(sync::SyncArgs),
    /// The exercise catalogue and your own; merge or rename exercises across history
    Exercises(exercises::ExercisesArgs),
    /// One exercise's past sessions with their sets, newest first
    History(history::HistoryArgs),
    /// Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them
    Alias(exercises::AliasArgs),
    /// Personal records: heaviest set, e1RM, rep maxes, best volumes
    Pr(pr::PrArgs),
    /// Sessions, sets, reps and volume per week and muscle group, and streaks
    Stats(stats::StatsArgs),
    /// A chart of one exercise's e1RM, top set or volume over time
    Progress(progress::ProgressArgs),
    /// A heatmap of training days over a year
    Calendar(calendar::CalendarArgs),
    /// Your progress as one HTML page that opens in any browser, offline: charts, calendar, records
    Report(report::ReportArgs),
    /// Routines to start a workout from
    #[command(subcommand)]
    Template(template::TemplateCommand),
    /// Record body weight (`pump weight 80.5`), or list recent entries with a trend
    Weight(body::WeightArgs),
    /// The plates to load on each side of the bar
    Plates(body::PlatesArgs),
    /// Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)
    Import(transfer::ImportArgs),
    /// Export everything as JSON (lossless) or CSV (one row per set)
    Export(transfer::ExportArgs),
    /// List conflicts held for you to resolve
    #[command(after_long_help = "Examples:\n  pump conflicts\n  pump conflicts --json")]
    Conflicts(JsonArg),
    /// Resolve held conflicts (interactive without a flag)
    Resolve(conflicts::ResolveArgs),
    /// Create an account on a sync server and log this device in
    Register(account::AccountArgs),
    /// Log this device in to a sync server (an account with a key asks for it)
    Login(account::LoginArgs),
    /// Show this account's encryption key (24 words and hex), or encrypt an account with --enable
    #[command(long_about = key::HELP, after_long_help = key::EXAMPLES)]
    Key(key::KeyArgs),
    /// Forget this device's session token
    #[command(after_long_help = "Example:\n  pump logout        # then `pump login` to sync again")]
    Logout,
    /// Change your account's password (optionally signing out every other device)
    Password(password::PasswordArgs),
    /// The devices of your account: last sync, pending rows; `revoke` signs one out
    Devices(devices::DevicesArgs),
    /// Check the set table the analytics read against your workouts, or rebuild it
    Doctor(doctor::DoctorArgs),
    /// Run or administer the sync server
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Server(server::ServerCommand),
    /// Print the set grammar
    #[command(long_about = SET_GRAMMAR, after_long_help = "Example:\n  pump sets | less")]
    Sets,
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Print a manual page (`pump man | man -l -`)
    Man(man::ManArgs),
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
            Command::Sync(_)
                | Command::Register(_)
                | Command::Login(_)
                | Command::Logout
                | Command::Password(_)
                | Command::Devices(_)
        )
    }

    /// Commands that change synced data: after them, `auto_sync` may start a
    /// background sync.
    pub fn writes(&self) -> bool {
        if let Command::Exercises(args) = self {
            return args.writes();
        }
        matches!(
            self,
            Command::Log(_)
                | Command::Start(_)
                | Command::Add(_)
                | Command::Finish(_)
                | Command::Edit(_)
                | Command::Rm(_)
                | Command::Restore(_)
                | Command::Resolve(_)
                | Command::Alias(_)
                | Command::Template(_)
                | Command::Weight(_)
                | Command::Import(_)
        )
    }
}

/// `--json`, for the commands that can print machine-readable output.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print machine-readable JSON
    #[arg(long)]
    pub json: bool,
}

/// `--formula`, for the commands that estimate one-rep maxes.
#[derive(Debug, Args)]
pub struct FormulaArg {
    /// How to estimate a one-rep max: epley or brzycki
    #[arg(long, default_value = "epley", value_name = "FORMULA", add = crate::completions::choices(crate::completions::FORMULAS))]
    pub formula: String,
}

impl FormulaArg {
    /// The formula typed, or a usage error naming the ones there are.
    pub fn parse(&self) -> Result<Formula> {
        self.formula.parse().map_err(|e: String| Error::usage(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a subcommand accepts, and nothing of what it shows.
    fn accepts(cmd: &clap::Command) -> String {
        format!(
            "{:?} {:?} {} {} {}",
            cmd.get_arguments().collect::<Vec<_>>(),
            cmd.get_subcommands().collect::<Vec<_>>(),
            cmd.is_args_conflicts_with_subcommands_set(),
            cmd.is_subcommand_required_set(),
            cmd.is_allow_external_subcommands_set()
        )
    }

    #[test]
    fn a_quick_parse_knows_each_subcommand_as_the_whole_tree_does() {
        let whole = Cli::command();
        for (name, arguments) in QUICK {
            let full = whole
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("`pump {name}` is not a command"));
            assert_eq!(
                accepts(&arguments(clap::Command::new(*name))),
                accepts(full),
                "pump {name}"
            );
        }
        let parsed_whole = ["config", "template", "server", "help"];
        for sub in whole.get_subcommands() {
            let name = sub.get_name();
            assert!(
                parsed_whole.contains(&name) || QUICK.iter().any(|(quick, _)| *quick == name),
                "`pump {name}` is missing from QUICK"
            );
        }
        let db = whole.get_arguments().find(|a| a.get_id() == "db").unwrap();
        let without_help = db.clone().help(None).long_help(None);
        assert_eq!(format!("{:?}", quick_db_arg()), format!("{without_help:?}"));
    }

    #[test]
    fn a_quick_parse_reads_what_the_whole_tree_reads() {
        let lines: &[&[&str]] = &[
            &["pump", "log", "Push", "-e", "bench: 5@100", "--db", "x.db"],
            &["pump", "--db", "x.db", "stats", "--weeks", "4"],
            &["pump", "--db=x.db", "pr", "bench press"],
            &["pump", "logout"],
            &["pump", "status", "--json"],
        ];
        for line in lines {
            let args: Vec<std::ffi::OsString> = line.iter().map(Into::into).collect();
            let quick = quick_parse(&args).unwrap_or_else(|| panic!("{line:?} took the whole tree"));
            let whole = Cli::from_arg_matches(&command().get_matches_from(&args)).unwrap();
            assert_eq!(format!("{quick:?}"), format!("{whole:?}"), "{line:?}");
        }
        let whole_tree_only: &[&[&str]] = &[
            &["pump", "log", "--help"],
            &["pump", "--version"],
            &["pump", "help", "log"],
            &["pump", "lgo"],
            &["pump", "log", "--no-such-flag"],
            &["pump", "config", "list"],
            &["pump"],
        ];
        for line in whole_tree_only {
            let args: Vec<std::ffi::OsString> = line.iter().map(Into::into).collect();
            assert!(quick_parse(&args).is_none(), "{line:?}");
        }
    }
}
