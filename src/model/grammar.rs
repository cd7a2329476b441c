//! The set grammar: what a lifter types after `-e "bench press: …"`.
//!
//! ```text
//! spec     = exercise ":" set ("," set)*
//! set      = [kind] [count "x"] amount ["@" load] ["/" rpe]
//! kind     = "w" warm-up | "d" drop set | "f" to failure   (default: working)
//! amount   = reps            5
//!          | duration        60s  2min  1:30  1h5min      (a hold, a plank)
//!          | distance ["in" duration]   400m  5km  3mi  "5km in 25min"
//! load     = number [kg|lb]  |  "bw"  |  "bw+" number [kg|lb]
//! rpe      = 6 … 10, halves allowed: /8  /8.5
//! ```
//! In a set, a bare `m` is metres; write minutes as `min` or `m:ss`.

use super::when::parse_duration_strict;
use super::workout::{Set, SetKind, Unit, new_id};

/// One `-e` argument, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseSpec {
    pub exercise: String,
    pub sets: Vec<Set>,
}

const MAX_SETS_PER_SPEC: u32 = 100;
const HINT: &str = "see `pump help sets`";

/// Parses `"bench press: 3x5@100kg, 5@105kg/8"`.
pub fn parse_exercise_spec(spec: &str, default_unit: Unit) -> Result<ExerciseSpec, String> {
    let Some((name, sets)) = spec.split_once(':') else {
        return Err(format!(
            "'{spec}' has no ':': write the exercise, a colon, then sets, e.g. \"bench press: 3x5@100kg\""
        ));
    };
    let exercise = validate_exercise_name(name)?;
    let sets = parse_sets(sets, default_unit)?;
    Ok(ExerciseSpec { exercise, sets })
}

pub fn validate_exercise_name(raw: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("the exercise name is empty: write it before the colon, e.g. \"squat: 5@100kg\"".into());
    }
    if name.chars().count() > 100 {
        return Err("the exercise name is over 100 characters: shorten it".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the exercise name contains control characters: use plain text".into());
    }
    Ok(name)
}

/// Parses a comma-separated list of sets (or a list of separate arguments
/// joined by the caller).
pub fn parse_sets(text: &str, default_unit: Unit) -> Result<Vec<Set>, String> {
    let mut sets = Vec::new();
    for token in text.split(',') {
        let token = token.trim();
        if token.is_empty() {
            return Err(format!(
                "a set is missing in '{}': write sets like 3x5@100kg, 5@105kg ({HINT})",
                text.trim()
            ));
        }
        sets.extend(parse_set(token, default_unit)?);
    }
    Ok(sets)
}

fn bad(token: &str, why: &str) -> String {
    format!("invalid set '{token}': {why} ({HINT})")
}

fn parse_set(token: &str, default_unit: Unit) -> Result<Vec<Set>, String> {
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
        Some((before, rpe)) => (before, Some(parse_rpe(token, rpe)?)),
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
                .map_err(|_| bad(token, &format!("'{count}' is not a number of sets, as in 3x5@100kg")))?;
            if count == 0 || count > MAX_SETS_PER_SPEC {
                return Err(bad(token, &format!("{count} sets: use 1 to {MAX_SETS_PER_SPEC}")));
            }
            (count, amount.trim())
        }
        None => (1, amount),
    };
    if amount.is_empty() {
        return Err(bad(token, "the reps are missing, as in 3x5@100kg"));
    }

    let mut set = Set {
        id: String::new(),
        reps: None,
        weight_kg: None,
        unit: default_unit,
        bodyweight: false,
        rpe,
        kind,
        duration_s: None,
        distance_m: None,
    };
    parse_amount(token, amount, &mut set)?;
    if let Some(load) = load {
        parse_load(token, load, default_unit, &mut set)?;
    }
    Ok((0..count)
        .map(|_| Set {
            id: new_id(),
            ..set.clone()
        })
        .collect())
}

fn parse_amount(token: &str, amount: &str, set: &mut Set) -> Result<(), String> {
    if amount.chars().all(|c| c.is_ascii_digit()) {
        let reps: u32 = amount.parse().map_err(|_| bad(token, "too many reps"))?;
        if reps == 0 || reps > 1000 {
            return Err(bad(token, &format!("{reps} reps: use 1 to 1000")));
        }
        set.reps = Some(reps);
        return Ok(());
    }
    if let Some((distance, time)) = amount.split_once(" in ") {
        set.distance_m = Some(parse_distance(token, distance.trim())?);
        set.duration_s = Some(duration(token, time.trim())?);
        return Ok(());
    }
    if let Ok(metres) = parse_distance(token, amount) {
        set.distance_m = Some(metres);
        return Ok(());
    }
    set.duration_s = Some(duration(token, amount).map_err(|_| {
        bad(
            token,
            &format!("'{amount}' is not reps (5), a time (60s, 2min, 1:30) or a distance (400m, 5km)"),
        )
    })?);
    Ok(())
}

fn duration(token: &str, text: &str) -> Result<u32, String> {
    let secs = parse_duration_strict(text).map_err(|e| bad(token, &e))?;
    if secs == 0 {
        return Err(bad(token, "a duration of zero"));
    }
    Ok(secs)
}

fn parse_distance(token: &str, text: &str) -> Result<f64, String> {
    let (number, factor) = if let Some(n) = text.strip_suffix("km") {
        (n, 1000.0)
    } else if let Some(n) = text.strip_suffix("mi") {
        (n, 1609.344)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 1.0)
    } else {
        return Err(bad(token, "a distance needs a unit: m, km or mi"));
    };
    let value = parse_number(token, number.trim())?;
    if value <= 0.0 || value * factor > 1_000_000.0 {
        return Err(bad(token, "a distance must be above zero and at most 1000 km"));
    }
    Ok(value * factor)
}

fn parse_load(token: &str, load: &str, default_unit: Unit, set: &mut Set) -> Result<(), String> {
    if let Some(extra) = load.strip_prefix("bw") {
        set.bodyweight = true;
        let extra = extra.trim();
        if extra.is_empty() {
            return Ok(());
        }
        let Some(added) = extra.strip_prefix('+') else {
            return Err(bad(token, "write added load as bw+20kg"));
        };
        return parse_weight(token, added.trim(), default_unit, set);
    }
    parse_weight(token, load, default_unit, set)
}

fn parse_weight(token: &str, text: &str, default_unit: Unit, set: &mut Set) -> Result<(), String> {
    let (number, unit) = if let Some(n) = text.strip_suffix("kgs").or_else(|| text.strip_suffix("kg")) {
        (n, Unit::Kg)
    } else if let Some(n) = text.strip_suffix("lbs").or_else(|| text.strip_suffix("lb")) {
        (n, Unit::Lb)
    } else {
        (text, default_unit)
    };
    if number.trim().is_empty() {
        return Err(bad(token, "the weight is missing after '@', as in 5@100kg"));
    }
    let value = parse_number(token, number.trim())?;
    if value < 0.0 {
        return Err(bad(token, "a weight cannot be negative"));
    }
    let kg = unit.to_kg(value);
    if kg > 2000.0 {
        return Err(bad(token, "that weight is over 2000 kg"));
    }
    set.weight_kg = Some(kg);
    set.unit = unit;
    Ok(())
}

fn parse_number(token: &str, text: &str) -> Result<f64, String> {
    let valid = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && text.parse::<f64>().is_ok_and(f64::is_finite);
    if !valid {
        return Err(bad(token, &format!("'{text}' is not a number")));
    }
    Ok(text.parse().unwrap_or_default())
}

fn parse_rpe(token: &str, text: &str) -> Result<f64, String> {
    let rpe = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite())
        .ok_or_else(|| {
            bad(
                token,
                &format!("RPE '{text}' is not a number: use 6 to 10, e.g. /8 or /8.5"),
            )
        })?;
    if !(6.0..=10.0).contains(&rpe) {
        return Err(bad(
            token,
            &format!("RPE {text} is out of range: use 6 to 10, e.g. /8 or /8.5"),
        ));
    }
    if (rpe * 2.0).fract() != 0.0 {
        return Err(bad(
            token,
            &format!("RPE {text}: use whole or half steps, e.g. /8 or /8.5"),
        ));
    }
    Ok(rpe)
}

/// A number as a lifter writes it: `100`, `102.5`, never `102.50000001`.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Renders sets back into the grammar, shown in `unit`, grouping identical
/// consecutive sets as `3x5@100kg`. `parse_sets(render_sets(s))` gives back
/// the same sets (with new ids).
pub fn render_sets(sets: &[Set], unit: Unit) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sets.len() {
        let one = render_set(&sets[i], unit);
        let mut run = 1;
        while i + run < sets.len() && render_set(&sets[i + run], unit) == one {
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

pub fn render_set(set: &Set, unit: Unit) -> String {
    let mut out = String::new();
    match set.kind {
        SetKind::Warmup => out.push('w'),
        SetKind::Drop => out.push('d'),
        SetKind::Failure => out.push('f'),
        SetKind::Working => {}
    }
    match (set.reps, set.distance_m, set.duration_s) {
        (Some(reps), _, _) => out.push_str(&reps.to_string()),
        (None, Some(m), time) => {
            if m >= 1000.0 {
                out.push_str(&format!("{}km", format_number(m / 1000.0)));
            } else {
                out.push_str(&format!("{}m", format_number(m)));
            }
            if let Some(secs) = time {
                out.push_str(" in ");
                out.push_str(&format_duration(secs));
            }
        }
        (None, None, Some(secs)) => out.push_str(&format_duration(secs)),
        (None, None, None) => out.push('?'),
    }
    if set.bodyweight {
        out.push_str("@bw");
        if let Some(kg) = set.weight_kg.filter(|kg| *kg > 0.0) {
            out.push_str(&format!("+{}", format_weight(kg, unit)));
        }
    } else if let Some(kg) = set.weight_kg {
        out.push('@');
        out.push_str(&format_weight(kg, unit));
    }
    if let Some(rpe) = set.rpe {
        out.push_str(&format!("/{}", format_number(rpe)));
    }
    out
}

pub fn format_weight(kg: f64, unit: Unit) -> String {
    format!("{}{}", format_number(unit.from_kg(kg)), unit)
}

/// Seconds in set notation: `45s`, `2min`, `1:30`, `1:02:30`.
pub fn format_duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}min"),
        (0, m, s) => format!("{m}:{s:02}"),
        (h, m, s) => format!("{h}:{m:02}:{s:02}"),
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
    fn invalid_sets_are_rejected_with_the_token() {
        for bad in [
            "3x@100",
            "5@-10kg",
            "5@100kg/11",
            "5@100kg/5",
            "x5",
            "0x5@100",
            "5@",
            "5@abc",
            "abc",
            "5@100kg/8.3",
            "0@100",
            "5@bw-10",
            "5@nan",
            "5@inf",
            "",
            "5@100kg,",
            "3x5x5",
            "101x5",
            "5@3000kg",
            "1.5@100",
        ] {
            let result = parse_sets(bad, Unit::Kg);
            assert!(result.is_err(), "'{bad}' should be rejected, got {result:?}");
        }
        let err = parse_sets("3x@100", Unit::Kg).unwrap_err();
        assert!(err.contains("3x@100"), "{err}");
    }

    #[test]
    fn exercise_spec_splits_at_the_first_colon() {
        let spec = parse_exercise_spec("  Bench   Press : 3x5@100kg, 5@105kg/8", Unit::Kg).unwrap();
        assert_eq!(spec.exercise, "Bench Press");
        assert_eq!(spec.sets.len(), 4);
        let plank = parse_exercise_spec("plank: 1:30", Unit::Kg).unwrap();
        assert_eq!(plank.sets[0].duration_s, Some(90));
        assert!(parse_exercise_spec("bench 5@100", Unit::Kg).is_err());
        assert!(parse_exercise_spec(": 5@100", Unit::Kg).is_err());
    }

    #[test]
    fn render_round_trips() {
        let text = "w5@60kg, 3x5@100kg, 5@105kg/8, 8@bw+20kg, 8@bw, 1:30, 5km in 25min, 400m";
        let rendered = render_sets(&sets(text), Unit::Kg);
        assert_eq!(rendered, text);
        let again = sets(&rendered);
        assert_eq!(render_sets(&again, Unit::Kg), text);
    }
}
