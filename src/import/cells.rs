//! Cell parsers: numbers, counts, times, weights and distances as the
//! exports write them, and the units a file gives its number columns.

use super::csv::{field, find};
use super::{Format, ImportError, Problem};
use crate::model::{self, Set, SetKind, Unit, local_to_utc};
use chrono::{DateTime, NaiveDateTime, Utc};
use csv::StringRecord;

/// A cell that does not read. `what` names the column as the lifter knows
/// it ("the weight", "reps", "start_time").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CellError {
    /// Not a number, or not a finite one.
    #[error("{what} '{text}' is not a number")]
    NotANumber {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
    },
    /// A number below zero.
    #[error("{what} '{text}' is negative")]
    Negative {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
    },
    /// A count with a fraction.
    #[error("{what} '{text}' is not a whole number")]
    NotWhole {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
    },
    /// A count above what pump accepts.
    #[error("{what} '{text}' is too large: at most {max}")]
    OverMax {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
        /// The largest count accepted.
        max: u32,
    },
    /// A number of seconds too large to keep.
    #[error("{what} '{text}' is too large")]
    TooLarge {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
    },
    /// A date and time in none of the format's layouts.
    #[error("{what} '{text}' is not a date and time like '{example}'")]
    NotADateTime {
        /// The column.
        what: &'static str,
        /// The cell, trimmed.
        text: String,
        /// How the format writes one.
        example: &'static str,
    },
    /// A local time that the clocks skipped (a daylight-saving gap).
    #[error(
        "{} does not exist in your time zone (the clocks skipped it): fix the time in the file",
        .0.format("%Y-%m-%d %H:%M")
    )]
    SkippedTime(NaiveDateTime),
    /// A weight unit that is neither kg nor lb (the model's message).
    #[error("{0}")]
    WeightUnit(String),
    /// A distance unit that is not m, km or mi.
    #[error("the distance unit '{0}' is unknown: use m, km or mi")]
    DistanceUnit(String),
    /// A distance over 1000 km.
    #[error("a distance of {km} km is too far: at most 1000 km")]
    TooFar {
        /// The distance in km.
        km: f64,
    },
}

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
    fn resolve(self, fields: &[&str], parse: impl Fn(&str) -> Result<U, CellError>) -> Result<Option<U>, CellError> {
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
pub(super) fn weight_of(fields: &[&str], column: WeightColumn) -> Result<(Option<f64>, Option<Unit>), CellError> {
    labelled_amount(fields, column, "the weight", |text| {
        text.parse::<Unit>().map_err(CellError::WeightUnit)
    })
}

/// A row's distance and the unit the file gives it (if any).
pub(super) fn distance_of(
    fields: &[&str],
    column: DistanceColumn,
) -> Result<(Option<f64>, Option<DistanceUnit>), CellError> {
    labelled_amount(fields, column, "the distance", DistanceUnit::parse)
}

/// A number and its unit. The unit of an empty number is not read at all:
/// apps write a unit beside nothing (FitNotes' `0.0,kg` in the distance
/// columns of a lift), and it means nothing.
fn labelled_amount<U: Copy>(
    fields: &[&str],
    column: Option<(usize, Labelled<U>)>,
    what: &'static str,
    parse: impl Fn(&str) -> Result<U, CellError>,
) -> Result<(Option<f64>, Option<U>), CellError> {
    let Some((c, labelled)) = column else {
        return Ok((None, None));
    };
    match amount(field(fields, Some(c)), what)? {
        // A unit in the header is the file's unit, whatever this row holds.
        None => Ok((
            None,
            if let Labelled::Header(unit) = labelled {
                Some(unit)
            } else {
                None
            },
        )),
        Some(value) => Ok((Some(value), labelled.resolve(fields, parse)?)),
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

/// A local date and time in one of `formats` (chrono syntax), as written
/// and in UTC. Exports may put a narrow or no-break space before AM/PM.
pub(super) fn local_time(
    text: &str,
    formats: &[&str],
    what: &'static str,
    example: &'static str,
) -> Result<(NaiveDateTime, DateTime<Utc>), CellError> {
    let text = text.trim();
    let normal = text.replace(['\u{202f}', '\u{a0}'], " ");
    let naive = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&normal, f).ok())
        .ok_or_else(|| CellError::NotADateTime {
            what,
            text: text.to_string(),
            example,
        })?;
    Ok((naive, to_utc(naive)?))
}

/// Local wall time to UTC, as a row error when the time does not exist.
pub(super) fn to_utc(naive: NaiveDateTime) -> Result<DateTime<Utc>, CellError> {
    local_to_utc(naive).ok_or(CellError::SkippedTime(naive))
}

/// A non-negative number; empty or zero is `None` (see the module doc).
/// Accepts a decimal comma, as semicolon exports from some locales have.
pub(super) fn amount(text: &str, what: &'static str) -> Result<Option<f64>, CellError> {
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
        .ok_or_else(|| CellError::NotANumber {
            what,
            text: text.to_string(),
        })?;
    if value < 0.0 {
        return Err(CellError::Negative {
            what,
            text: text.to_string(),
        });
    }
    Ok((value != 0.0).then_some(value))
}

/// A whole count that some exports write with a decimal point (`8.0`).
pub(super) fn whole(text: &str, what: &'static str, max: u32) -> Result<Option<u32>, CellError> {
    let text_of = || text.trim().to_string();
    match amount(text, what)? {
        None => Ok(None),
        Some(v) if v.fract() != 0.0 => Err(CellError::NotWhole { what, text: text_of() }),
        Some(v) if v > f64::from(max) => Err(CellError::OverMax {
            what,
            text: text_of(),
            max,
        }),
        Some(v) => Ok(Some(v as u32)),
    }
}

/// A rep count, at most 1000, and whether it was written as zero (rather
/// than left empty): with a weight, that is a missed attempt.
pub(super) fn reps(text: &str) -> Result<(Option<u32>, bool), CellError> {
    let count = whole(text, "reps", 1000)?;
    Ok((count, count.is_none() && !text.trim().is_empty()))
}

/// Seconds, rounded: some exports write `120.0`.
pub(super) fn seconds(text: &str, what: &'static str) -> Result<Option<u32>, CellError> {
    match amount(text, what)? {
        Some(v) if v > f64::from(u32::MAX) => Err(CellError::TooLarge {
            what,
            text: text.trim().to_string(),
        }),
        Some(v) => Ok(Some(v.round() as u32).filter(|s| *s > 0)),
        None => Ok(None),
    }
}

/// An RPE as the file writes it (pump's checks come later, with the set's).
pub(super) fn rpe(text: &str) -> Result<Option<f64>, CellError> {
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
    /// `m`, `km`, `mi` and their long names, any case.
    pub fn parse(text: &str) -> Result<DistanceUnit, CellError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "m" | "meters" | "metres" => Ok(DistanceUnit::Metres),
            "km" | "kms" | "kilometers" | "kilometres" => Ok(DistanceUnit::Kilometres),
            "mi" | "mi." | "mile" | "miles" => Ok(DistanceUnit::Miles),
            other => Err(CellError::DistanceUnit(other.to_string())),
        }
    }

    /// What `--unit` implies for a file that gives no distance unit.
    pub fn implied_by(unit: Unit) -> DistanceUnit {
        match unit {
            Unit::Kg => DistanceUnit::Kilometres,
            Unit::Lb => DistanceUnit::Miles,
        }
    }

    /// The same unit as a set stores it, so the distance shows as the file wrote it.
    pub fn stored(self) -> model::DistanceUnit {
        match self {
            DistanceUnit::Metres => model::DistanceUnit::M,
            DistanceUnit::Kilometres => model::DistanceUnit::Km,
            DistanceUnit::Miles => model::DistanceUnit::Mi,
        }
    }

    /// `value` in this unit as metres, at most 1000 km.
    pub fn metres(self, value: f64) -> Result<f64, CellError> {
        let metres = value
            * match self {
                DistanceUnit::Metres => 1.0,
                DistanceUnit::Kilometres => 1000.0,
                DistanceUnit::Miles => 1609.344,
            };
        if metres > 1_000_000.0 {
            return Err(CellError::TooFar { km: metres / 1000.0 });
        }
        Ok(metres)
    }
}

/// The numbers of one set, as read from a row, before units are settled.
pub(super) struct Amounts {
    pub(super) kind: SetKind,
    pub(super) reps: Option<u32>,
    /// The reps were written as `0`, not left empty.
    pub(super) zero_reps: bool,
    pub(super) weight: Option<f64>,
    pub(super) weight_unit: Option<Unit>,
    pub(super) distance: Option<f64>,
    pub(super) distance_unit: Option<DistanceUnit>,
    pub(super) duration_s: Option<u32>,
    pub(super) rpe: Option<f64>,
    /// The set's own note.
    pub(super) notes: String,
}

impl Amounts {
    /// What the source app showed: 0 reps of a weight, with no time or
    /// distance, is an attempt that failed, not an empty row.
    fn kind(&self) -> SetKind {
        let missed = self.zero_reps && self.weight.is_some() && self.duration_s.is_none() && self.distance.is_none();
        if missed { SetKind::Missed } else { self.kind }
    }

    /// Converts to a checked set. A number whose unit is unknown is fatal.
    pub fn into_set(self, format: Format, fallback: Option<Unit>) -> Result<Set, Problem> {
        let kind = self.kind();
        let unit = self.weight_unit.or(fallback);
        let weight_kg = match (self.weight, unit) {
            (Some(value), Some(unit)) => Some(weight_kg(value, unit)),
            (Some(_), None) => return Err(Problem::Fatal(ImportError::WeightUnitNeeded { format })),
            (None, _) => None,
        };
        let distance_unit = self.distance_unit.or(fallback.map(DistanceUnit::implied_by));
        let distance_m = match (self.distance, distance_unit) {
            (Some(value), Some(du)) => Some(du.metres(value)?),
            (Some(_), None) => return Err(Problem::Fatal(ImportError::DistanceUnitNeeded { format })),
            (None, _) => None,
        };
        let set = Set {
            id: String::new(),
            reps: self.reps,
            weight_kg,
            unit: unit.unwrap_or_default(),
            bodyweight: false,
            rpe: self.rpe,
            kind,
            duration_s: self.duration_s,
            distance_m,
            distance_unit: distance_m.and(distance_unit).map(DistanceUnit::stored),
            notes: self.notes,
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
        assert_eq!(
            amount(" -5 ", "weight"),
            Err(CellError::Negative {
                what: "weight",
                text: "-5".into()
            })
        );
        assert_eq!(
            amount("NaN", "weight"),
            Err(CellError::NotANumber {
                what: "weight",
                text: "NaN".into()
            })
        );
        assert_eq!(reps("8.0"), Ok((Some(8), false)));
        assert_eq!(reps(" 0 "), Ok((None, true)), "written as zero");
        assert_eq!(reps(""), Ok((None, false)));
        assert_eq!(
            reps("5.5"),
            Err(CellError::NotWhole {
                what: "reps",
                text: "5.5".into()
            })
        );
        assert_eq!(
            reps(" 1001 "),
            Err(CellError::OverMax {
                what: "reps",
                text: "1001".into(),
                max: 1000
            })
        );
        assert_eq!(seconds("120.0", "seconds"), Ok(Some(120)));
        assert_eq!(
            seconds("1e12", "seconds").map_err(|e| e.to_string()),
            Err("seconds '1e12' is too large".into())
        );
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
        assert_eq!(DistanceUnit::parse("FT"), Err(CellError::DistanceUnit("ft".into())));
        assert_eq!(DistanceUnit::Miles.metres(2.0), Ok(3218.688));
        assert_eq!(
            DistanceUnit::Kilometres.metres(1500.0),
            Err(CellError::TooFar { km: 1500.0 })
        );
        assert_eq!(
            CellError::TooFar { km: 1500.0 }.to_string(),
            "a distance of 1500 km is too far: at most 1000 km"
        );
    }
}
