//! Shell completion, two ways. The static scripts (`pump completions
//! SHELL`, committed in `completions/` for packagers) know subcommands and
//! flags; they are generated from the clap definition so they can never
//! describe flags that do not exist, and a test checks the committed copies.
//! The dynamic engine (`source <(COMPLETE=bash pump)`) asks pump itself on
//! every TAB, so it also offers what is in the database: workout ids,
//! exercises, templates, config keys and values.
//!
//! A completion reads the database read-only and never creates, migrates
//! or claims one; it prints nothing but candidates: whatever fails offers
//! nothing.

use crate::config::KEYS;
use crate::model::{Alias, ExerciseNames, Template, catalogue};
use crate::store::Store;
use chrono::Local;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use clap_complete::{CompleteEnv, Shell};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The completion script for `shell`.
pub fn generate(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "pump", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// When a shell started pump to complete a command line (`COMPLETE=bash`
/// in the environment), prints the candidates, or the registration script
/// when no command line was given, and exits. Otherwise returns.
pub fn answer_if_asked() {
    // clap removes the variable before the completers run; they need the
    // shell to quote for it (see `for_the_shell`).
    let _ = SHELL.set(std::env::var_os(COMPLETE).unwrap_or_default());
    CompleteEnv::with_factory(crate::cli::command).var(COMPLETE).complete();
}

/// The variable that asks pump to complete, naming the shell.
const COMPLETE: &str = "COMPLETE";

/// The shell that asked, when one did.
static SHELL: OnceLock<OsString> = OnceLock::new();

/// How many workouts a TAB offers: enough to pick a recent one, few enough
/// to read.
const WORKOUTS_OFFERED: usize = 40;

/// Live workout ids, newest first, with name and date; and `last`.
pub fn workout_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| workouts(current, false))
}

/// Deleted workout ids, most recent first: what `pump restore` takes.
pub fn deleted_workout_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| workouts(current, true))
}

fn workouts(current: &OsStr, deleted: bool) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut offered = Vec::new();
    if "last".starts_with(typed.as_ref()) {
        let what = if deleted {
            "the last deleted workout"
        } else {
            "the last workout"
        };
        offered.push(CompletionCandidate::new("last").help(Some(what.into())));
    }
    let Some(store) = open_store() else { return offered };
    // A word that is not hex (a name being typed) is no id prefix.
    if !typed.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return offered;
    }
    let briefs = store
        .workout_briefs(&typed, deleted, WORKOUTS_OFFERED)
        .unwrap_or_default();
    offered.extend(briefs.into_iter().map(|w| {
        let date = w
            .started_at
            .map(|t| t.with_timezone(&Local).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let help = crate::text::printable(&format!("{date} {}", w.name)).into_owned();
        CompletionCandidate::new(w.id).help(Some(help.into()))
    }));
    offered
}

/// The ids of held conflicts (what `pump resolve` takes), with the kind of
/// record and, for a workout, its name. Conflicts are few: all are read.
pub fn conflict_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let typed = current.to_string_lossy();
        let Some(store) = open_store() else { return Vec::new() };
        store
            .held_conflicts()
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.mine.id.starts_with(typed.as_ref()))
            .map(|c| {
                let name = c.mine.body.get("name").and_then(|n| n.as_str()).unwrap_or_default();
                let help = crate::text::printable(&format!("{} {name}", c.mine.kind)).into_owned();
                CompletionCandidate::new(c.mine.id).help(Some(help.trim_end().to_string().into()))
            })
            .collect()
    })
}

/// Exercise names: the catalogue's, the lifter's own (custom exercises
/// with a set in any workout) and their aliases, matched without regard to case.
pub fn exercises() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| exercise_candidates(current, ""))
}

/// `-e "EXERCISE: SETS"`: the exercise part, followed by its colon.
pub fn exercise_specs() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| exercise_candidates(current, ":"))
}

fn exercise_candidates(current: &OsStr, suffix: &str) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let (quote, typed) = split_quote(&typed);
    let mut names: Vec<(String, &'static str)> = catalogue::EXERCISES
        .iter()
        .map(|e| (e.name.to_string(), "exercise"))
        .collect();
    if let Some(store) = open_store() {
        let aliases = store.all::<Alias>().unwrap_or_default();
        let known = ExerciseNames::new(&aliases);
        names.extend(
            store
                .exercises_with_sets()
                .unwrap_or_default()
                .into_iter()
                .filter(|name| known.exercise(name).is_none())
                .map(|name| (name, "your exercise")),
        );
        names.extend(aliases.into_iter().map(|a| (a.alias, "alias")));
    }
    names.sort_by_key(|(name, _)| name.to_lowercase());
    names.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
    let typed = typed.to_lowercase();
    names
        .into_iter()
        .filter(|(name, _)| name.to_lowercase().starts_with(&typed))
        .map(|(name, what)| {
            let name = crate::text::printable(&name).into_owned();
            CompletionCandidate::new(for_the_shell(&format!("{name}{suffix}"), quote, !suffix.is_empty()))
                .help(Some(what.into()))
        })
        .collect()
}

/// Template names.
pub fn templates() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let typed = current.to_string_lossy();
        let (quote, typed) = split_quote(&typed);
        let typed = typed.to_lowercase();
        let Some(store) = open_store() else { return Vec::new() };
        store
            .all::<Template>()
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.name.to_lowercase().starts_with(&typed))
            .map(|t| {
                let help = crate::text::counted(t.exercises.len() as u64, "exercise");
                let name = crate::text::printable(&t.name).into_owned();
                CompletionCandidate::new(for_the_shell(&name, quote, false)).help(Some(help.into()))
            })
            .collect()
    })
}

/// The keys `pump config get|set` takes.
pub fn config_keys() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        KEYS.iter()
            .map(|k| CompletionCandidate::new(k.name).help(Some(k.accepts.into())))
            .collect()
    })
}

/// The values of the key typed before the value (`pump config set unit <TAB>`).
pub fn config_values() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let words = command_line();
        let key = words
            .iter()
            .position(|w| w == "set")
            .and_then(|at| words.get(at + 1))
            .and_then(|typed| KEYS.iter().find(|k| OsStr::new(k.name) == typed));
        key.map(|k| k.values.iter().map(|v| CompletionCandidate::new(*v)).collect())
            .unwrap_or_default()
    })
}

/// `--metric`'s values.
pub const METRICS: &[(&str, &str)] = &[
    ("e1rm", "estimated one-rep max"),
    ("top-set", "heaviest set"),
    ("volume", "weight × reps per session"),
];

/// `--formula`'s values.
pub const FORMULAS: &[(&str, &str)] = &[
    ("epley", "weight × (1 + reps / 30), the default"),
    ("brzycki", "weight × 36 / (37 − reps)"),
];

/// `--unit`'s values.
pub const UNITS: &[(&str, &str)] = &[("kg", "kilograms"), ("lb", "pounds")];

/// A fixed list of values with what each means (`--metric`, `--formula`, `--unit`).
pub fn choices(values: &'static [(&'static str, &'static str)]) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        values
            .iter()
            .map(|(value, help)| CompletionCandidate::new(*value).help(Some((*help).into())))
            .collect()
    })
}

/// The words of the command line being completed: what the shell passes
/// after `--` (clap's protocol).
fn command_line() -> Vec<OsString> {
    std::env::args_os().skip_while(|a| a != "--").skip(1).collect()
}

/// The database the completed command would use: its `--db`, else
/// `PUMP_DB`, else the default one.
fn open_store() -> Option<Store> {
    let words = command_line();
    let given = words.iter().enumerate().find_map(|(at, word)| {
        let word = word.to_str()?;
        match word.strip_prefix("--db") {
            Some("") => words.get(at + 1).map(PathBuf::from),
            Some(rest) => rest.strip_prefix('=').map(PathBuf::from),
            None => None,
        }
    });
    let path = given
        .or_else(|| std::env::var_os("PUMP_DB").map(PathBuf::from))
        .or_else(crate::commands::default_db_path)?;
    Store::open_read_only(&path).ok().flatten()
}

/// A quote the word being completed opens with, and the rest.
fn split_quote(typed: &str) -> (Option<char>, &str) {
    match typed.chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), &typed[1..]),
        _ => (None, typed),
    }
}

/// `value` as the shell must receive it. zsh and fish quote what they
/// insert; bash inserts candidates as they are, so a name with spaces is
/// quoted here (`"Bench Press"`), and left open when more is to be typed
/// inside the quotes (`-e "Bench Press:`).
fn for_the_shell(value: &str, quote: Option<char>, open: bool) -> String {
    let bash = SHELL.get().is_some_and(|shell| shell == "bash");
    if bash {
        quoted_for_bash(value, quote, open)
    } else {
        value.to_string()
    }
}

fn quoted_for_bash(value: &str, quote: Option<char>, open: bool) -> String {
    let plain = value.chars().all(|c| c.is_alphanumeric() || "-_.,:@+/=".contains(c));
    if plain && quote.is_none() {
        return value.to_string();
    }
    let quote = quote.unwrap_or('"');
    let escaped = if quote == '"' {
        value.chars().fold(String::new(), |mut out, c| {
            if matches!(c, '"' | '\\' | '$' | '`') {
                out.push('\\');
            }
            out.push(c);
            out
        })
    } else {
        value.replace('\'', r"'\''")
    };
    let close = if open { String::new() } else { quote.to_string() };
    format!("{quote}{escaped}{close}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_receives_names_with_spaces_quoted() {
        assert_eq!(quoted_for_bash("Squat", None, false), "Squat");
        assert_eq!(quoted_for_bash("Bench Press", None, false), "\"Bench Press\"");
        assert_eq!(quoted_for_bash("Bench Press:", None, true), "\"Bench Press:");
        assert_eq!(
            quoted_for_bash("Farmer's \"Walk\" $1", None, false),
            r#""Farmer's \"Walk\" \$1""#
        );
        assert_eq!(
            quoted_for_bash("Farmer's Walk", Some('\''), false),
            r"'Farmer'\''s Walk'"
        );
    }

    #[test]
    fn a_quote_typed_is_kept_and_matching_ignores_it() {
        assert_eq!(split_quote("\"ben"), (Some('"'), "ben"));
        assert_eq!(split_quote("ben"), (None, "ben"));
    }
}
