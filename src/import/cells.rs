//! Cell parsers: numbers, counts, times, weights and distances as the
//! exports write them, and the units a file gives its number columns.

use super::csv::{field, find};
use super::{Format, ImportError, Problem};
use crate::model::{Set, SetKind, Unit, local_to_utc};
use chrono::{DateTime, NaiveDateTime, Utc};
use csv::StringRecord;

/// Where a file says the unit of a number column.
#[derive(Debug, Clone, Copy)]
pub(super) enum Labelled<U> {
    /// In the column's name: `kg`, `Weight (lbs)`, `distance_miles`.
    Header(U),
    /// In a column of its own, per row; an empty cell leaves it to `--unit`.
    Column(usize),
    /// Nowhere: `--unit` decides.
    Nowhere,
}

impl<U: Copy> Labelled<U> {
    fn resolve(self, fields: &[&str], parse: impl Fn(&str) -> Result<U, String>) -> Result<Option<U>, String> {
        match self {
            Labelled::Header(unit) => Ok(Some(unit)),
            Labelled::Column(column) => match field(fields, Some(column)) {
                "" => Ok(None),
                text => parse(text).map(Some),
            },
            Labelled::Nowhere => Ok(None),
        }
    }
}

pub(super) type WeightColumn = Option<(usize, Labelled<Unit>)>;
pub(super) type DistanceColumn = Option<(usize, Labelled<DistanceUnit>)>;

/// A row's weight and the unit the file gives it (if any).
pub(super) fn weight_of(fields: &[&str], column: WeightColumn) -> Result<(Option<f64>, Option<Unit>), String> {
    match column {
        None => Ok((None, None)),
        Some((c, labelled)) => Ok((
            amount(field(fields, Some(c)), "the weight")?,
            labelled.resolve(fields, str::parse::<Unit>)?,
        )),
    }
}

/// A row's distance and the unit the file gives it (if any).
pub(super) fn distance_of(
    fields: &[&str],
    column: DistanceColumn,
) -> Result<(Option<f64>, Option<DistanceUnit>), String> {
    match column {
        None => Ok((None, None)),
        Some((c, labelled)) => Ok((
            amount(field(fields, Some(c)), "the distance")?,
            labelled.resolve(fields, DistanceUnit::parse)?,
        )),
    }
}

/// Finds the first of `names` in the header, each with the unit its name
/// implies; a name that implies none takes its unit from `unit_column`.
pub(super) fn number_column<U: Copy>(
    header: &StringRecord,
    names: &[(&str, Option<U>)],
    unit_column: Option<&str>,
) -> Option<(usize, Labelled<U>)> {
    names.iter().find_map(|(name, unit)| {
        let column = find(header, name)?;
        let labelled = match unit {
            Some(unit) => Labelled::Header(*unit),
            None => unit_column
                .and_then(|u| find(header, u))
                .map_or(Labelled::Nowhere, Labelled::Column),
        };
        Some((column, labelled))
    })
}

/// A local date and time in one of `formats` (chrono syntax), in UTC.
/// Exports may put a narrow or no-break space before AM/PM.
pub(super) fn local_time(text: &str, formats: &[&str], what: &str, example: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let normal = text.replace(['\u{202f}', '\u{a0}'], " ");
    let naive = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&normal, f).ok())
        .ok_or_else(|| format!("{what} '{text}' is not a date and time like '{example}'"))?;
    to_utc(naive)
}

/// Local wall time to UTC, as a row error when the time does not exist.
pub(super) fn to_utc(naive: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    local_to_utc(naive).ok_or_else(|| {
        format!(
            "{} does not exist in your time zone (the clocks skipped it): fix the time in the file",
            naive.format("%Y-%m-%d %H:%M")
        )
    })
}

/// A non-negative number; empty or zero is `None` (see the module doc).
/// Accepts a decimal comma, as semicolon exports from some locales have.
pub(super) fn amount(text: &str, what: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let normal = if text.contains(',') && !text.contains('.') {
        text.replacen(',', ".", 1)
    } else {
        text.to_string()
    };
    let value = normal
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{what} '{text}' is not a number"))?;
    if value < 0.0 {
        return Err(format!("{what} '{text}' is negative"));
    }
    Ok((value != 0.0).then_some(value))
}

/// A whole count that some exports write with a decimal point (`8.0`).
pub(super) fn whole(text: &str, what: &str, max: f64) -> Result<Option<u32>, String> {
    match amount(text, what)? {
        None => Ok(None),
        Some(v) if v.fract() != 0.0 => Err(format!("{what} '{}' is not a whole number", text.trim())),
        Some(v) if v > max => Err(format!("{what} '{}' is too large: at most {max}", text.trim())),
        Some(v) => Ok(Some(v as u32)),
    }
}

pub(super) fn reps(text: &str) -> Result<Option<u32>, String> {
    whole(text, "reps", 1000.0)
}

/// Seconds, rounded: some exports write `120.0`.
pub(super) fn seconds(text: &str, what: &str) -> Result<Option<u32>, String> {
    match amount(text, what)? {
        Some(v) if v > f64::from(u32::MAX) => Err(format!("{what} '{}' is too large", text.trim())),
        Some(v) => Ok(Some(v.round() as u32).filter(|s| *s > 0)),
        None => Ok(None),
    }
}

pub(super) fn rpe(text: &str) -> Result<Option<f64>, String> {
    amount(text, "RPE")
}

/// A weight in `unit`, rounded to 0.01 of it, in kg.
pub(super) fn weight_kg(value: f64, unit: Unit) -> f64 {
    unit.to_kg((value * 100.0).round() / 100.0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DistanceUnit {
    Metres,
    Kilometres,
    Miles,
}

impl DistanceUnit {
    pub fn parse(text: &str) -> Result<DistanceUnit, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "m" | "meters" | "metres" => Ok(DistanceUnit::Metres),
            "km" | "kms" | "kilometers" | "kilometres" => Ok(DistanceUnit::Kilometres),
            "mi" | "mi." | "mile" | "miles" => Ok(DistanceUnit::Miles),
            other => Err(format!("the distance unit '{other}' is unknown: use m, km or mi")),
        }
    }

    /// What `--unit` implies for a file that gives no distance unit.
    pub fn implied_by(unit: Unit) -> DistanceUnit {
        match unit {
            Unit::Kg => DistanceUnit::Kilometres,
            Unit::Lb => DistanceUnit::Miles,
        }
    }

    pub fn metres(self, value: f64) -> Result<f64, String> {
        let metres = value
            * match self {
                DistanceUnit::Metres => 1.0,
                DistanceUnit::Kilometres => 1000.0,
                DistanceUnit::Miles => 1609.344,
            };
        if metres > 1_000_000.0 {
            return Err(format!(
                "a distance of {} km is too far: at most 1000 km",
                metres / 1000.0
            ));
        }
        Ok(metres)
    }
}

/// The error for a number whose unit nobody knows.
pub(super) fn unit_needed(format: Format, what: &str) -> Problem {
    let message = match what {
        "distance" => format!(
            "this {format} export does not say whether distances are km or miles: \
             add --unit kg for km or --unit lb for miles"
        ),
        _ => format!("this {format} export does not say whether weights are kg or lb: add --unit kg or --unit lb"),
    };
    Problem::Fatal(ImportError::UnitNeeded(message))
}

/// The numbers of one set, as read from a row, before units are settled.
pub(super) struct Amounts {
    pub(super) kind: SetKind,
    pub(super) reps: Option<u32>,
    pub(super) weight: Option<f64>,
    pub(super) weight_unit: Option<Unit>,
    pub(super) distance: Option<f64>,
    pub(super) distance_unit: Option<DistanceUnit>,
    pub(super) duration_s: Option<u32>,
    pub(super) rpe: Option<f64>,
}

impl Amounts {
    /// Converts to a checked set. A number whose unit is unknown is fatal.
    pub fn into_set(self, format: Format, fallback: Option<Unit>) -> Result<Set, Problem> {
        let unit = self.weight_unit.or(fallback);
        let weight_kg = match (self.weight, unit) {
            (Some(value), Some(unit)) => Some(weight_kg(value, unit)),
            (Some(_), None) => return Err(unit_needed(format, "weight")),
            (None, _) => None,
        };
        let distance_unit = self.distance_unit.or(fallback.map(DistanceUnit::implied_by));
        let distance_m = match (self.distance, distance_unit) {
            (Some(value), Some(du)) => Some(du.metres(value)?),
            (Some(_), None) => return Err(unit_needed(format, "distance")),
            (None, _) => None,
        };
        let set = Set {
            id: String::new(),
            reps: self.reps,
            weight_kg,
            unit: unit.unwrap_or_default(),
            bodyweight: false,
            rpe: self.rpe,
            kind: self.kind,
            duration_s: self.duration_s,
            distance_m,
        };
        set.validate()?;
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(amount("", "weight"), Ok(None));
        assert_eq!(amount("0", "weight"), Ok(None));
        assert_eq!(amount("0.0", "weight"), Ok(None));
        assert_eq!(amount(" 102,5 ", "weight"), Ok(Some(102.5)));
        assert_eq!(amount("-5", "weight"), Err("weight '-5' is negative".into()));
        assert_eq!(amount("NaN", "weight"), Err("weight 'NaN' is not a number".into()));
        assert_eq!(reps("8.0"), Ok(Some(8)));
        assert_eq!(reps("5.5"), Err("reps '5.5' is not a whole number".into()));
        assert!(reps("1001").is_err());
        assert_eq!(seconds("120.0", "seconds"), Ok(Some(120)));
        assert!(close_kg(weight_kg(149.999_999_999_999_97, Unit::Kg), 150.0));
        assert!(close_kg(weight_kg(225.0, Unit::Lb), 102.058_283_25));
    }

    fn close_kg(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn distance_units() {
        assert_eq!(DistanceUnit::parse("mi."), Ok(DistanceUnit::Miles));
        assert_eq!(DistanceUnit::parse("KM"), Ok(DistanceUnit::Kilometres));
        assert_eq!(DistanceUnit::parse("m"), Ok(DistanceUnit::Metres));
        assert!(DistanceUnit::parse("ft").is_err());
        assert_eq!(DistanceUnit::Miles.metres(2.0), Ok(3218.688));
        assert!(DistanceUnit::Kilometres.metres(1500.0).is_err());
    }
}
