//! The set grammar: what a lifter types after `-e "bench press: …"`.
//!
//! ```text
//! spec     = exercise ":" set ("," set)*
//! set      = [kind] [count "x"] amount ["@" load] ["/" rpe]
//! kind     = "w" warm-up | "d" drop set | "f" to failure   (default: working)
//! amount   = reps            5
//!          | "0"             a missed attempt (0@120kg): a set, never a record
//!          | "?"             nothing measured (an imported row that had nothing)
//!          | duration        60s  2min  1:30  1h5min      (a hold, a plank)
//!          | distance ["in" duration]   400m  5km  3mi  "5km in 25min"
//! load     = number [kg|lb]  |  "bw"  |  "bw+" number [kg|lb]
//! rpe      = 6 … 10, halves allowed: /8  /8.5
//! ```
//! In a set, a bare `m` is metres; write minutes as `min` or `m:ss`.

use super::when::parse_duration_strict;
use super::workout::{DistanceUnit, Set, SetKind, Unit, new_id};

/// One `-e` argument, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseSpec {
    /// The exercise as typed, with its spaces tidied (aliases are resolved later).
    pub exercise: String,
    /// Its sets, each with a fresh id.
    pub sets: Vec<Set>,
}

const MAX_SETS_PER_SPEC: u32 = 100;
/// The amount of a set with nothing measured.
const NOTHING_MEASURED: &str = "?";
const HINT: &str = "see `pump help sets`";

/// Why an exercise spec, a name or a list of sets was refused. The message
/// says what was wrong and how to write it; callers show it as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrammarError {
    /// An `-e` argument without the colon between exercise and sets.
    #[error("'{0}' has no ':': write the exercise, a colon, then sets, e.g. \"bench press: 3x5@100kg\"")]
    NoColon(String),
    /// Nothing but blanks where the exercise name goes.
    #[error("the exercise name is empty: write it before the colon, e.g. \"squat: 5@100kg\"")]
    EmptyName,
    /// An exercise name longer than 100 characters.
    #[error("the exercise name is over 100 characters: shorten it")]
    NameTooLong,
    /// An exercise name with control characters (a tab, a newline…).
    #[error("the exercise name contains control characters: use plain text")]
    NameHasControl,
    /// Two commas with nothing between them, or a trailing comma.
    #[error("a set is missing in '{0}': write sets like 3x5@100kg, 5@105kg ({hint})", hint = HINT)]
    MissingSet(String),
    /// One set that does not read, as typed.
    #[error("invalid set '{token}': {problem} ({hint})", hint = HINT)]
    InvalidSet {
        /// The set as typed.
        token: String,
        /// What is wrong with it.
        #[source]
        problem: SetProblem,
    },
}

/// What is wrong with one set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetProblem {
    /// The count before `x` is not a number.
    #[error("'{0}' is not a number of sets, as in 3x5@100kg")]
    NotASetCount(String),
    /// A set count of zero or over the limit.
    #[error("{0} sets: use 1 to {MAX_SETS_PER_SPEC}")]
    SetCount(u32),
    /// Nothing before `@` (or after `x`).
    #[error("the reps are missing, as in 3x5@100kg")]
    RepsMissing,
    /// More reps than a u32 holds.
    #[error("too many reps")]
    TooManyReps,
    /// Over 1000 reps.
    #[error("{0} reps: use 1 to 1000 (0 for a missed attempt)")]
    RepCount(u32),
    /// The amount is neither reps, a time nor a distance.
    #[error("'{0}' is not reps (5), a time (60s, 2min, 1:30) or a distance (400m, 5km)")]
    NotAnAmount(String),
    /// The time after "in" does not read (the duration grammar's message).
    #[error("{0}")]
    Time(String),
    /// A timed set of zero seconds.
    #[error("a duration of zero")]
    ZeroDuration,
    /// A distance without m, km or mi.
    #[error("a distance needs a unit: m, km or mi")]
    DistanceUnit,
    /// A distance of zero or over 1000 km.
    #[error("a distance must be above zero and at most 1000 km")]
    DistanceRange,
    /// `@bw` followed by something other than `+`.
    #[error("write added load as bw+20kg")]
    AddedLoad,
    /// `@` with no weight after it.
    #[error("the weight is missing after '@', as in 5@100kg")]
    WeightMissing,
    /// A negative weight.
    #[error("a weight cannot be negative")]
    NegativeWeight,
    /// A weight over 2000 kg.
    #[error("that weight is over 2000 kg")]
    TooHeavy,
    /// A weight or distance that is not a plain number.
    #[error("'{0}' is not a number")]
    NotANumber(String),
    /// An RPE that is not a number.
    #[error("RPE '{0}' is not a number: use 6 to 10, e.g. /8 or /8.5")]
    RpeNotANumber(String),
    /// An RPE below 6 or above 10.
    #[error("RPE {0} is out of range: use 6 to 10, e.g. /8 or /8.5")]
    RpeRange(String),
    /// An RPE between half steps, like 8.3.
    #[error("RPE {0}: use whole or half steps, e.g. /8 or /8.5")]
    RpeStep(String),
}

/// Parses `"bench press: 3x5@100kg, 5@105kg/8"`.
pub fn parse_exercise_spec(spec: &str, default_unit: Unit) -> Result<ExerciseSpec, GrammarError> {
    let Some((name, sets)) = spec.split_once(':') else {
        return Err(GrammarError::NoColon(spec.to_string()));
    };
    let exercise = validate_exercise_name(name)?;
    let sets = parse_sets(sets, default_unit)?;
    Ok(ExerciseSpec { exercise, sets })
}

/// An exercise name as stored: blanks collapsed, at most 100 printable characters.
pub fn validate_exercise_name(raw: &str) -> Result<String, GrammarError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(GrammarError::EmptyName);
    }
    if name.chars().count() > 100 {
        return Err(GrammarError::NameTooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(GrammarError::NameHasControl);
    }
    Ok(name)
}

/// Parses a comma-separated list of sets (or a list of separate arguments
/// joined by the caller).
pub fn parse_sets(text: &str, default_unit: Unit) -> Result<Vec<Set>, GrammarError> {
    let mut sets = Vec::new();
    for token in set_tokens(text) {
        let token = token.trim();
        if token.is_empty() {
            return Err(GrammarError::MissingSet(text.trim().to_string()));
        }
        let (count, set) = parse_set(token, default_unit).map_err(|problem| GrammarError::InvalidSet {
            token: token.to_string(),
            problem,
        })?;
        sets.extend((0..count).map(|_| Set {
            id: new_id(),
            ..set.clone()
        }));
    }
    Ok(sets)
}

/// The sets of a list, split at its commas, except a decimal comma: one
/// inside a load that is followed by its unit (`5@100,5kg`, as lifters
/// write it where a comma is the decimal mark), which reads as a point.
/// Without a unit (`5@100,5`) the comma still separates two sets.
fn set_tokens(text: &str) -> Vec<String> {
    let mut tokens = vec![String::new()];
    for (at, c) in text.char_indices() {
        let current = tokens.last_mut().expect("never empty");
        if c != ',' {
            current.push(c);
        } else if current.contains('@')
            && current.ends_with(|c: char| c.is_ascii_digit())
            && unit_follows(&text[at + 1..])
        {
            current.push('.');
        } else {
            tokens.push(String::new());
        }
    }
    tokens
}

/// Whether `rest` starts with digits and a weight unit, ending the set.
fn unit_follows(rest: &str) -> bool {
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let after = rest[digits..].to_ascii_lowercase();
    digits > 0
        && ["kgs", "kg", "lbs", "lb"].iter().any(|unit| {
            after
                .strip_prefix(unit)
                .is_some_and(|end| end.is_empty() || end.starts_with([',', '/', ' ']))
        })
}

/// One token: how many times the set was written (`3x…`) and the set.
fn parse_set(token: &str, default_unit: Unit) -> Result<(u32, Set), SetProblem> {
    let lower = token.to_ascii_lowercase();
    let mut rest = lower.as_str();

    let kind = match rest.chars().next() {
        Some('w') => SetKind::Warmup,
        Some('d') => SetKind::Drop,
        Some('f') => SetKind::Failure,
        _ => SetKind::Working,
    };
    if kind != SetKind::Working {
        rest = &rest[1..];
    }

    let (rest, rpe) = match rest.rsplit_once('/') {
        Some((before, rpe)) => (before, Some(parse_rpe(rpe)?)),
        None => (rest, None),
    };
    let (amount, load) = match rest.split_once('@') {
        Some((amount, load)) => (amount.trim(), Some(load.trim())),
        None => (rest.trim(), None),
    };

    let (count, amount) = match amount.split_once('x') {
        Some((count, amount)) => {
            let count: u32 = count
                .trim()
                .parse()
                .map_err(|_| SetProblem::NotASetCount(count.to_string()))?;
            if count == 0 || count > MAX_SETS_PER_SPEC {
                return Err(SetProblem::SetCount(count));
            }
            (count, amount.trim())
        }
        None => (1, amount),
    };
    if amount.is_empty() {
        return Err(SetProblem::RepsMissing);
    }

    let mut set = Set {
        unit: default_unit,
        rpe,
        kind,
        ..Set::default()
    };
    parse_amount(amount, &mut set)?;
    if let Some(load) = load {
        parse_load(load, default_unit, &mut set)?;
    }
    Ok((count, set))
}

fn parse_amount(amount: &str, set: &mut Set) -> Result<(), SetProblem> {
    if amount == NOTHING_MEASURED {
        return Ok(());
    }
    if amount.chars().all(|c| c.is_ascii_digit()) {
        let reps: u32 = amount.parse().map_err(|_| SetProblem::TooManyReps)?;
        if reps == 0 {
            set.kind = SetKind::Missed;
            return Ok(());
        }
        if reps > 1000 {
            return Err(SetProblem::RepCount(reps));
        }
        set.reps = Some(reps);
        return Ok(());
    }
    if let Some((distance, time)) = amount.split_once(" in ") {
        let (metres, unit) = parse_distance(distance.trim())?;
        (set.distance_m, set.distance_unit) = (Some(metres), Some(unit));
        set.duration_s = Some(duration(time.trim())?);
        return Ok(());
    }
    if let Ok((metres, unit)) = parse_distance(amount) {
        (set.distance_m, set.distance_unit) = (Some(metres), Some(unit));
        return Ok(());
    }
    set.duration_s = Some(duration(amount).map_err(|_| SetProblem::NotAnAmount(amount.to_string()))?);
    Ok(())
}

fn duration(text: &str) -> Result<u32, SetProblem> {
    let secs = parse_duration_strict(text).map_err(SetProblem::Time)?;
    if secs == 0 {
        return Err(SetProblem::ZeroDuration);
    }
    Ok(secs)
}

fn parse_distance(text: &str) -> Result<(f64, DistanceUnit), SetProblem> {
    let (number, unit) = if let Some(n) = text.strip_suffix("km") {
        (n, DistanceUnit::Km)
    } else if let Some(n) = text.strip_suffix("mi") {
        (n, DistanceUnit::Mi)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, DistanceUnit::M)
    } else {
        return Err(SetProblem::DistanceUnit);
    };
    let value = parse_number(number.trim())?;
    let metres = value * unit.metres();
    if value <= 0.0 || metres > 1_000_000.0 {
        return Err(SetProblem::DistanceRange);
    }
    Ok((metres, unit))
}

fn parse_load(load: &str, default_unit: Unit, set: &mut Set) -> Result<(), SetProblem> {
    if let Some(extra) = load.strip_prefix("bw") {
        set.bodyweight = true;
        let extra = extra.trim();
        if extra.is_empty() {
            return Ok(());
        }
        let Some(added) = extra.strip_prefix('+') else {
            return Err(SetProblem::AddedLoad);
        };
        return parse_weight(added.trim(), default_unit, set);
    }
    parse_weight(load, default_unit, set)
}

fn parse_weight(text: &str, default_unit: Unit, set: &mut Set) -> Result<(), SetProblem> {
    let (number, unit) = if let Some(n) = text.strip_suffix("kgs").or_else(|| text.strip_suffix("kg")) {
        (n, Unit::Kg)
    } else if let Some(n) = text.strip_suffix("lbs").or_else(|| text.strip_suffix("lb")) {
        (n, Unit::Lb)
    } else {
        (text, default_unit)
    };
    if number.trim().is_empty() {
        return Err(SetProblem::WeightMissing);
    }
    let value = parse_number(number.trim())?;
    if value < 0.0 {
        return Err(SetProblem::NegativeWeight);
    }
    let kg = unit.to_kg(value);
    if kg > 2000.0 {
        return Err(SetProblem::TooHeavy);
    }
    set.weight_kg = Some(kg);
    set.unit = unit;
    Ok(())
}

fn parse_number(text: &str) -> Result<f64, SetProblem> {
    let valid = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && text.parse::<f64>().is_ok_and(f64::is_finite);
    if !valid {
        return Err(SetProblem::NotANumber(text.to_string()));
    }
    Ok(text.parse().unwrap_or_default())
}

fn parse_rpe(text: &str) -> Result<f64, SetProblem> {
    let rpe = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite())
        .ok_or_else(|| SetProblem::RpeNotANumber(text.to_string()))?;
    if !(6.0..=10.0).contains(&rpe) {
        return Err(SetProblem::RpeRange(text.to_string()));
    }
    if (rpe * 2.0).fract() != 0.0 {
        return Err(SetProblem::RpeStep(text.to_string()));
    }
    Ok(rpe)
}

/// A number as a lifter writes it: `100`, `102.5`, never `102.50000001`.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// How [`render_sets`] writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Weights in the lifter's unit, to two decimals: for reading.
    In(Unit),
    /// Every value in the unit it was typed in, with the decimals it needs
    /// to read back to the very same number: for `pump edit`'s form, so
    /// saving it unchanged changes nothing.
    AsEntered,
}

impl From<Unit> for Shown {
    fn from(unit: Unit) -> Self {
        Shown::In(unit)
    }
}

/// Renders sets back into the grammar, grouping identical consecutive sets
/// as `3x5@100kg`. `parse_sets(render_sets(s, Shown::AsEntered))` gives back
/// the same sets (with new ids).
pub fn render_sets(sets: &[Set], shown: impl Into<Shown>) -> String {
    let shown = shown.into();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sets.len() {
        let one = render_set(&sets[i], shown);
        let mut run = 1;
        while i + run < sets.len() && render_set(&sets[i + run], shown) == one {
            run += 1;
        }
        parts.push(if run > 1 { prefixed_count(&one, run) } else { one });
        i += run;
    }
    parts.join(", ")
}

fn prefixed_count(one: &str, run: usize) -> String {
    match one.chars().next() {
        Some(k @ ('w' | 'd' | 'f')) => format!("{k}{run}x{}", &one[1..]),
        _ => format!("{run}x{one}"),
    }
}

/// One set in the grammar: `w5@60kg`, `8@bw+20kg`, `5km in 25min`.
/// Distances are written in the unit they were typed in.
pub fn render_set(set: &Set, shown: impl Into<Shown>) -> String {
    let shown = shown.into();
    let mut out = String::new();
    match set.kind {
        SetKind::Warmup => out.push('w'),
        SetKind::Drop => out.push('d'),
        SetKind::Failure => out.push('f'),
        SetKind::Working | SetKind::Missed => {}
    }
    match (set.reps, set.distance_m, set.duration_s) {
        _ if set.kind == SetKind::Missed => out.push('0'),
        (Some(reps), _, _) => out.push_str(&reps.to_string()),
        (None, Some(m), time) => {
            out.push_str(&format_distance(m, set.distance_unit, shown));
            if let Some(secs) = time {
                out.push_str(" in ");
                out.push_str(&format_duration(secs));
            }
        }
        (None, None, Some(secs)) => out.push_str(&format_duration(secs)),
        (None, None, None) => out.push_str(NOTHING_MEASURED),
    }
    let weight = |kg: f64| match shown {
        // Typed in the other unit, a weight converts to decimals no lifter
        // writes (225lb is 102.058kg): shown to the nearest quarter.
        Shown::In(unit) if unit != set.unit => format_weight(unit.to_kg(nearest_quarter(unit.from_kg(kg))), unit),
        Shown::In(unit) => format_weight(kg, unit),
        Shown::AsEntered => format!("{}{}", exact(kg, |v| set.unit.to_kg(v), set.unit.from_kg(kg)), set.unit),
    };
    if set.bodyweight {
        out.push_str("@bw");
        if let Some(kg) = set.weight_kg.filter(|kg| *kg > 0.0) {
            out.push('+');
            out.push_str(&weight(kg));
        }
    } else if let Some(kg) = set.weight_kg {
        out.push('@');
        out.push_str(&weight(kg));
    }
    if let Some(rpe) = set.rpe {
        out.push_str(&format!("/{}", format_number(rpe)));
    }
    out
}

/// A distance with its unit glued on: `400m`, `5km`, `3.1mi`.
fn format_distance(metres: f64, typed: Option<DistanceUnit>, shown: Shown) -> String {
    let unit = typed.unwrap_or_else(|| DistanceUnit::for_metres(metres));
    let value = metres / unit.metres();
    let number = match shown {
        Shown::In(_) => format_number(value),
        Shown::AsEntered => exact(metres, |v| v * unit.metres(), value),
    };
    format!("{number}{}", unit.as_str())
}

/// `value` written with the fewest decimals (up to four) that `to_stored`
/// turns back into exactly `stored`, so an edit form saved unchanged stores
/// the same bits. Four decimals when none does.
fn exact(stored: f64, to_stored: impl Fn(f64) -> f64, value: f64) -> String {
    let written = |decimals: usize| {
        let text = format!("{value:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    (0..=4)
        .map(written)
        .find(|text| text.parse::<f64>().is_ok_and(|v| to_stored(v) == stored))
        .unwrap_or_else(|| written(4))
}

/// `value` to the nearest 0.25, the finest step of plates in either unit.
pub fn nearest_quarter(value: f64) -> f64 {
    (value * 4.0).round() / 4.0
}

/// A weight in `unit` with the unit glued on, as the grammar writes it: `102.5kg`.
pub fn format_weight(kg: f64, unit: Unit) -> String {
    format!("{}{}", format_number(unit.from_kg(kg)), unit)
}

/// Seconds as a clock shows them, one way everywhere: `0:45`, `1:00`,
/// `1:30`, `1:02:30` (the set grammar reads these back).
pub fn format_duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h == 0 {
        format!("{m}:{s:02}")
    } else {
        format!("{h}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(text: &str) -> Vec<Set> {
        parse_sets(text, Unit::Kg).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn reps_at_weight() {
        let s = sets("5@100kg");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].reps, Some(5));
        assert_eq!(s[0].weight_kg, Some(100.0));
        assert_eq!(s[0].kind, SetKind::Working);
    }

    #[test]
    fn sets_times_reps_makes_distinct_sets() {
        let s = sets("3x5@100kg");
        assert_eq!(s.len(), 3);
        assert!(s[0].id != s[1].id && s[1].id != s[2].id);
    }

    #[test]
    fn pounds_are_stored_in_kg_and_remember_the_unit() {
        let s = sets("5@225lb");
        assert!((s[0].weight_kg.unwrap() - 102.058_283_25).abs() < 1e-9);
        assert_eq!(s[0].unit, Unit::Lb);
        assert_eq!(render_set(&s[0], Unit::Lb), "5@225lb");
    }

    #[test]
    fn unitless_weight_uses_the_default_unit() {
        let s = parse_sets("5@100", Unit::Lb).unwrap();
        assert_eq!(s[0].unit, Unit::Lb);
        assert!((s[0].weight_kg.unwrap() - 45.359_237).abs() < 1e-9);
    }

    #[test]
    fn bodyweight_and_added_load() {
        let s = sets("8@bw, 8@bw+20kg");
        assert!(s[0].bodyweight && s[0].weight_kg.is_none());
        assert!(s[1].bodyweight);
        assert_eq!(s[1].weight_kg, Some(20.0));
    }

    #[test]
    fn rpe_and_kinds() {
        let s = sets("5@105kg/8, w5@60kg, d8@80kg/9.5, f3@100");
        assert_eq!(s[0].rpe, Some(8.0));
        assert_eq!(s[1].kind, SetKind::Warmup);
        assert_eq!(s[2].kind, SetKind::Drop);
        assert_eq!(s[2].rpe, Some(9.5));
        assert_eq!(s[3].kind, SetKind::Failure);
        let w = sets("w3x5@60kg");
        assert_eq!(w.len(), 3);
        assert!(w.iter().all(|s| s.kind == SetKind::Warmup));
    }

    #[test]
    fn missed_attempts_and_sets_with_nothing_measured_round_trip() {
        let s = sets("0@120kg, f0@100kg, 2x0, ?, ?@60kg");
        assert_eq!(s.len(), 6);
        assert!(s[..4].iter().all(|s| s.kind == SetKind::Missed && s.reps.is_none()));
        assert_eq!((s[0].weight_kg, s[3].weight_kg), (Some(120.0), None));
        assert_eq!(
            (s[4].kind, s[4].reps, s[4].duration_s, s[4].distance_m),
            (SetKind::Working, None, None, None)
        );
        assert_eq!(s[5].weight_kg, Some(60.0));
        assert!(s.iter().all(|s| s.validate().is_ok()));
        assert_eq!(render_sets(&s, Shown::AsEntered), "0@120kg, 0@100kg, 2x0, ?, ?@60kg");
    }

    #[test]
    fn timed_and_distance_sets() {
        let s = sets("60s, 1:30@10kg, 2min, 400m, 5km in 25min, 3mi");
        assert_eq!(s[0].duration_s, Some(60));
        assert_eq!(s[1].duration_s, Some(90));
        assert_eq!(s[1].weight_kg, Some(10.0));
        assert_eq!(s[2].duration_s, Some(120));
        assert_eq!(s[3].distance_m, Some(400.0));
        assert_eq!(s[4].distance_m, Some(5000.0));
        assert_eq!(s[4].duration_s, Some(1500));
        assert!((s[5].distance_m.unwrap() - 4828.032).abs() < 1e-6);
    }

    #[test]
    fn invalid_sets_are_rejected_with_the_token_and_the_reason() {
        use SetProblem::*;
        let number = |text: &str| NotANumber(text.to_string());
        let amount = |text: &str| NotAnAmount(text.to_string());
        for (bad, problem) in [
            ("3x@100", RepsMissing),
            ("5@-10kg", NegativeWeight),
            ("5@100kg/11", RpeRange("11".into())),
            ("5@100kg/5", RpeRange("5".into())),
            ("x5", NotASetCount(String::new())),
            ("0x5@100", SetCount(0)),
            ("5@", WeightMissing),
            ("5@abc", number("abc")),
            ("abc", amount("abc")),
            ("5@100kg/8.3", RpeStep("8.3".into())),
            ("1001@100", RepCount(1001)),
            ("5@bw-10", AddedLoad),
            ("5@nan", number("nan")),
            ("5@inf", number("inf")),
            ("3x5x5", amount("5x5")),
            ("101x5", SetCount(101)),
            ("5@3000kg", TooHeavy),
            ("1.5@100", amount("1.5")),
            ("5km in 0s", ZeroDuration),
            ("5 in 25min", DistanceUnit),
            ("0km in 5min", DistanceRange),
        ] {
            let expected = GrammarError::InvalidSet {
                token: bad.to_string(),
                problem,
            };
            assert_eq!(parse_sets(bad, Unit::Kg), Err(expected), "{bad}");
        }
        for missing in ["", "5@100kg,", "5@100kg,,3@90kg"] {
            assert_eq!(
                parse_sets(missing, Unit::Kg),
                Err(GrammarError::MissingSet(missing.to_string()))
            );
        }
    }

    #[test]
    fn messages_name_the_token_and_how_to_write_it() {
        let err = parse_sets("w5@100kg, 3x@100", Unit::Kg).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid set '3x@100': the reps are missing, as in 3x5@100kg (see `pump help sets`)"
        );
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("the reps are missing, as in 3x5@100kg"));
        assert_eq!(
            parse_sets("5@100/8.3", Unit::Kg).unwrap_err().to_string(),
            "invalid set '5@100/8.3': RPE 8.3: use whole or half steps, e.g. /8 or /8.5 (see `pump help sets`)"
        );
        assert_eq!(
            parse_sets("200x5", Unit::Kg).unwrap_err().to_string(),
            "invalid set '200x5': 200 sets: use 1 to 100 (see `pump help sets`)"
        );
    }

    #[test]
    fn a_decimal_comma_before_a_unit_is_a_point() {
        let kg = |text: &str| -> Vec<Option<f64>> {
            parse_sets(text, Unit::Kg)
                .unwrap()
                .iter()
                .map(|s| s.weight_kg)
                .collect()
        };
        assert_eq!(kg("5@100,5kg"), [Some(100.5)]);
        assert_eq!(kg("5@100,5kg, 3@102,25kg/8"), [Some(100.5), Some(102.25)]);
        assert_eq!(kg("2x5@100,5kg,5@90kg"), [Some(100.5), Some(100.5), Some(90.0)]);
        // Without a unit, or before a set, the comma separates sets.
        assert_eq!(kg("5@100,5"), [Some(100.0), None]);
        assert_eq!(kg("5@100,5@105kg"), [Some(100.0), Some(105.0)]);
        assert!(
            parse_sets("10,5kg", Unit::Kg).is_err(),
            "no load before the comma: two sets, the second invalid"
        );
    }

    #[test]
    fn exercise_spec_splits_at_the_first_colon() {
        let spec = parse_exercise_spec("  Bench   Press : 3x5@100kg, 5@105kg/8", Unit::Kg).unwrap();
        assert_eq!(spec.exercise, "Bench Press");
        assert_eq!(spec.sets.len(), 4);
        let plank = parse_exercise_spec("plank: 1:30", Unit::Kg).unwrap();
        assert_eq!(plank.sets[0].duration_s, Some(90));
        assert_eq!(
            parse_exercise_spec("bench 5@100", Unit::Kg),
            Err(GrammarError::NoColon("bench 5@100".into()))
        );
        assert_eq!(parse_exercise_spec(": 5@100", Unit::Kg), Err(GrammarError::EmptyName));
        assert_eq!(validate_exercise_name("a\tb"), Ok("a b".into()));
        assert_eq!(validate_exercise_name("a\u{7}b"), Err(GrammarError::NameHasControl));
        assert_eq!(validate_exercise_name(&"x".repeat(101)), Err(GrammarError::NameTooLong));
    }

    #[test]
    fn as_entered_keeps_units_and_exact_numbers() {
        let s = sets("5@225lb, 3x10@bw+45lb, 10mi in 1:05:00, 400m, 5.123km, 2.5mi, 5@102.58kg");
        assert_eq!(
            render_sets(&s, Shown::AsEntered),
            "5@225lb, 3x10@bw+45lb, 10mi in 1:05:00, 400m, 5.123km, 2.5mi, 5@102.58kg"
        );
        assert_eq!(
            render_sets(&s[..1], Unit::Kg),
            "5@102kg",
            "for reading, in the lifter's unit, rounded as a lifter writes it"
        );
        let kilos = sets("5@100kg, 5@46.3kg, 5@102.5kg");
        assert_eq!(render_sets(&kilos, Unit::Lb), "5@220.5lb, 5@102lb, 5@226lb");
        assert_eq!(
            render_sets(&kilos, Unit::Kg),
            "5@100kg, 5@46.3kg, 5@102.5kg",
            "as typed in its own unit"
        );
        assert_eq!(
            (s[4].distance_unit, s[6].distance_unit),
            (Some(DistanceUnit::Mi), Some(DistanceUnit::Km))
        );
    }

    mod typed_values_read_back {
        use super::*;
        use proptest::prelude::*;

        /// A set as a lifter could type it: every number with the decimals
        /// the grammar reads.
        fn typed_set() -> impl Strategy<Value = String> {
            let kind = prop::sample::select(vec!["", "w", "d", "f"]);
            let weight = (0u32..=100_000, prop::sample::select(vec!["kg", "lb"]))
                .prop_map(|(hundredths, unit)| format!("{}{unit}", format_number(f64::from(hundredths) / 100.0)));
            let load = prop_oneof![
                Just(String::new()),
                weight.clone().prop_map(|w| format!("@{w}")),
                Just("@bw".to_string()),
                weight.prop_map(|w| format!("@bw+{w}")),
            ];
            let distance = (1u32..=100_000, prop::sample::select(vec!["m", "km", "mi"]))
                .prop_map(|(thousandths, unit)| format!("{}{unit}", f64::from(thousandths) / 1000.0));
            let amount = prop_oneof![
                (1u32..=1000).prop_map(|reps| reps.to_string()),
                (1u32..86_400).prop_map(format_duration),
                distance.clone(),
                (distance, 1u32..86_400).prop_map(|(d, secs)| format!("{d} in {}", format_duration(secs))),
            ];
            let rpe = prop::option::of((12u32..=20).prop_map(|h| format_number(f64::from(h) / 2.0)));
            (kind, amount, load, rpe).prop_map(|(kind, amount, load, rpe)| {
                let rpe = rpe.map(|r| format!("/{r}")).unwrap_or_default();
                format!("{kind}{amount}{load}{rpe}")
            })
        }

        proptest! {
            /// Rendered as entered and read back, a typed set is the same
            /// set, every field bit for bit.
            #[test]
            fn render_as_entered_then_parse_is_the_identity(typed in prop::collection::vec(typed_set(), 1..8)) {
                let Ok(parsed) = parse_sets(&typed.join(", "), Unit::Kg) else {
                    // Over 2000 kg or 1000 km: refused as typed, nothing to render.
                    return Ok(());
                };
                let again = parse_sets(&render_sets(&parsed, Shown::AsEntered), Unit::Kg).unwrap();
                let without_ids = |sets: &[Set]| sets.iter().map(|s| Set { id: String::new(), ..s.clone() }).collect::<Vec<_>>();
                prop_assert_eq!(without_ids(&again), without_ids(&parsed));
            }
        }
    }

    #[test]
    fn render_round_trips() {
        let text = "w5@60kg, 3x5@100kg, 5@105kg/8, 8@bw+20kg, 8@bw, 1:30, 5km in 25:00, 400m";
        let rendered = render_sets(&sets(text), Unit::Kg);
        assert_eq!(rendered, text);
        let again = sets(&rendered);
        assert_eq!(render_sets(&again, Unit::Kg), text);
    }
}
