//! FitNotes' CSV export:
//!
//! ```text
//! Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment
//! Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment   (newer)
//! ```
//! (`Weight (lbs)` for imperial users; `Comment` is optional.) Dates carry no
//! time, so each day is one workout starting at noon local time: noon keeps
//! the date right in nearby time zones and never falls in a DST gap. The
//! workout is named from the day's categories ("Chest + Triceps").
//!
//! FitNotes writes names unquoted even when they contain a comma, so
//! `Overhead Press (Each Side, Dumbbells)` splits into two fields. Such a row
//! is recovered when exactly one reading makes sense: the extra field joined
//! back into the exercise name, or into the trailing comment.

use super::cells::{Amounts, DistanceColumn, WeightColumn, distance_of, number_column, reps, to_utc, weight_of};
use super::csv::{field, find, require};
use super::{Format, ImportError, ImportOptions, Problem, Row, RowProblem, RowReader};
use crate::model::{SetKind, Unit, validate_exercise_name};
use chrono::{NaiveDate, NaiveTime};
use csv::StringRecord;

pub(super) struct FitNotes {
    width: usize,
    date: usize,
    exercise: usize,
    category: Option<usize>,
    weight: WeightColumn,
    reps: Option<usize>,
    distance: DistanceColumn,
    time: Option<usize>,
    comment: Option<usize>,
    fallback: Option<Unit>,
}

const WEIGHTS: &[(&str, Option<Unit>)] = &[
    ("Weight (kgs)", Some(Unit::Kg)),
    ("Weight (kg)", Some(Unit::Kg)),
    ("Weight (lbs)", Some(Unit::Lb)),
    ("Weight (lb)", Some(Unit::Lb)),
    ("Weight", None),
];

/// The local time a FitNotes day starts at.
const START: NaiveTime = NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a time");

impl FitNotes {
    pub fn new(header: &StringRecord, options: &ImportOptions) -> Result<FitNotes, ImportError> {
        Ok(FitNotes {
            width: header.len(),
            date: require(header, Format::FitNotes, "Date")?,
            exercise: require(header, Format::FitNotes, "Exercise")?,
            category: find(header, "Category"),
            weight: number_column(header, WEIGHTS, Some("Weight Unit")),
            reps: find(header, "Reps"),
            distance: number_column(header, &[("Distance", None)], Some("Distance Unit")),
            time: find(header, "Time"),
            comment: find(header, "Comment"),
            fallback: options.unit,
        })
    }

    /// `fields` with `extra` surplus fields from `column` on joined into it.
    fn joined(fields: &[&str], column: usize, extra: usize) -> Vec<String> {
        let mut out: Vec<String> = fields[..column].iter().map(|f| f.to_string()).collect();
        out.push(fields[column..=column + extra].join(","));
        out.extend(fields[column + extra + 1..].iter().map(|f| f.to_string()));
        out
    }
}

impl RowReader for FitNotes {
    fn width(&self) -> usize {
        self.width
    }

    fn read(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        let date_text = field(fields, Some(self.date));
        let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
            .map_err(|_| format!("the date '{date_text}' is not a date like 2026-04-08"))?;
        let local_start = date.and_time(START);
        let started_at = to_utc(local_start)?;
        let (weight, weight_unit) = weight_of(fields, self.weight)?;
        let (distance, distance_unit) = distance_of(fields, self.distance)?;
        let (reps, zero_reps) = reps(field(fields, self.reps))?;
        let amounts = Amounts {
            kind: SetKind::Working,
            reps,
            zero_reps,
            weight,
            weight_unit,
            distance,
            distance_unit,
            duration_s: clock(field(fields, self.time))?,
            rpe: None,
            // FitNotes attaches a comment to one set.
            notes: field(fields, self.comment).to_string(),
        };
        Ok(Some(Row {
            local_start,
            started_at,
            local_end: None,
            completed_at: None,
            key: String::new(),
            name: field(fields, self.category).to_string(),
            workout_notes: String::new(),
            exercise: validate_exercise_name(field(fields, Some(self.exercise)))?,
            exercise_note: String::new(),
            superset: None,
            order: None,
            set: Some(amounts.into_set(Format::FitNotes, self.fallback)?),
        }))
    }

    fn read_misaligned(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        let (count, width) = (fields.len(), self.width);
        if count < width {
            return Err(Problem::Row(RowProblem::MissingFields { fields: count, width }));
        }
        let extra = count - width;
        // A comma inside text has text on both sides of it.
        let pieces_are_text = |column: usize| {
            fields[column..=column + extra]
                .iter()
                .all(|piece| !piece.trim().is_empty())
        };
        let mut readings = Vec::new();
        if self.category == Some(self.exercise + 1) && pieces_are_text(self.exercise) {
            let reading = Self::joined(fields, self.exercise, extra);
            let category = reading[self.exercise + 1].trim();
            if !category.is_empty() && category.parse::<f64>().is_err() {
                readings.push(reading);
            }
        }
        if let Some(comment) = self.comment.filter(|c| c + 1 == width && pieces_are_text(*c)) {
            readings.push(Self::joined(fields, comment, extra));
        }
        let mut sensible = readings.iter().filter_map(|reading| {
            let fields: Vec<&str> = reading.iter().map(String::as_str).collect();
            match self.read(&fields) {
                Err(Problem::Row(_)) => None,
                result => Some(result),
            }
        });
        match (sensible.next(), sensible.next()) {
            (Some(result), None) => result,
            (None, _) => Err(Problem::Row(RowProblem::UnquotedComma { fields: count, width })),
            (Some(_), Some(_)) => Err(Problem::Row(RowProblem::AmbiguousComma { fields: count, width })),
        }
    }
}

/// `H:MM:SS`, as FitNotes writes times; zero is no time. A bare `MM:SS`
/// is refused rather than guessed.
fn clock(text: &str) -> Result<Option<u32>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || format!("the time '{text}' is not a time like 0:25:30 (hours:minutes:seconds)");
    let parts: Vec<u32> = text
        .split(':')
        .map(|p| p.trim().parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [h, m, s] if *m < 60 && *s < 60 && *h < 1000 => Ok(Some(h * 3600 + m * 60 + s).filter(|t| *t > 0)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::*;
    use super::clock;

    const KGS: &str = include_str!("../../tests/fixtures/import/fitnotes_kgs.csv");
    const LBS: &str = include_str!("../../tests/fixtures/import/fitnotes_lbs.csv");
    const UNITS: &str = include_str!("../../tests/fixtures/import/fitnotes_units.csv");

    fn read(text: &str) -> Parsed {
        parse(text, Format::FitNotes, &opts(None)).expect("parses")
    }

    fn noon(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
        local(y, m, d, 12, 0, 0)
    }

    #[test]
    fn metric_export_with_comments_and_unquoted_commas() {
        let parsed = read(KGS);
        assert_eq!(parsed.workouts.len(), 6, "one workout per day");
        assert_eq!(sets(&parsed), 51);
        assert!(parsed.skipped.is_empty());

        let chest = workout_at(&parsed, noon(2026, 4, 6));
        assert_eq!(chest.name, "Chest + Triceps");
        assert_eq!(chest.completed_at, None);
        assert_eq!(chest.notes, "");
        let bench = &entry(chest, "Flat Barbell Bench Press").sets;
        assert_eq!(bench[0].notes, "Felt strong, moved fast", "a comment is its set's note");
        assert_eq!(bench.len(), 3);
        assert_eq!(
            (bench[0].weight_kg, bench[0].reps, bench[0].unit),
            (Some(100.0), Some(5), Unit::Kg)
        );

        let cardio = workout_at(&parsed, noon(2026, 4, 9));
        assert_eq!(cardio.name, "Cardio");
        let run = &entry(cardio, "Running (Outdoor)").sets[0];
        assert_eq!(
            (run.distance_m, run.duration_s, run.reps),
            (Some(5000.0), Some(1600), None)
        );
        let row = &entry(cardio, "Rowing Machine").sets[0];
        assert_eq!((row.distance_m, row.duration_s), (Some(2000.0), Some(465)));

        let legs = workout_at(&parsed, noon(2026, 4, 10));
        assert_eq!(legs.name, "Legs + Shoulders + Abs");
        let press = &entry(legs, "Overhead Press (Each Side, Dumbbells)").sets;
        assert_eq!(press.len(), 3, "rows with an unquoted comma in the name are recovered");
        assert_eq!((press[0].weight_kg, press[0].reps), (Some(22.5), Some(10)));
        assert_eq!(entry(legs, "Plank").sets[0].duration_s, Some(90));

        let day = workout_at(&parsed, noon(2026, 4, 12));
        assert_eq!(
            entry(day, "Dips").sets.len(),
            3,
            "a comment with an unquoted comma is recovered"
        );
        assert_eq!(
            entry(day, "Dips")
                .sets
                .iter()
                .filter(|s| s.notes == "slow, controlled")
                .count(),
            1
        );
        assert_eq!(
            entry(workout_at(&parsed, noon(2026, 4, 8)), "Pull Up").sets[0].weight_kg,
            None
        );
    }

    #[test]
    fn imperial_export_without_comments() {
        let parsed = read(LBS);
        assert_eq!(parsed.workouts.len(), 7);
        assert_eq!(sets(&parsed), 51);
        let bench = &entry(workout_at(&parsed, noon(2026, 2, 2)), "Flat Barbell Bench Press").sets[0];
        assert!(close(bench.weight_kg.unwrap_or_default(), 102.058_283_25), "225 lb");
        assert_eq!(bench.unit, Unit::Lb);
        let cardio = workout_at(&parsed, noon(2026, 2, 3));
        let run = &entry(cardio, "Running (Treadmill)").sets[0];
        assert!(close(run.distance_m.unwrap_or_default(), 4988.9664), "3.1 mi");
        assert_eq!(run.duration_s, Some(1685));
        assert_eq!(entry(cardio, "Swimming").sets[0].distance_m, Some(800.0));
        let ride = &entry(workout_at(&parsed, noon(2026, 2, 10)), "Cycling (Outdoor)").sets[0];
        assert!(close(ride.distance_m.unwrap_or_default(), 24_140.16));
        assert_eq!(ride.duration_s, Some(3750), "1:02:30");
    }

    #[test]
    fn per_row_weight_units() {
        let parsed = read(UNITS);
        assert_eq!(parsed.workouts.len(), 7);
        assert_eq!(sets(&parsed), 51);
        let chest = workout_at(&parsed, noon(2026, 5, 4));
        let bench = &entry(chest, "Flat Barbell Bench Press").sets[0];
        assert_eq!((bench.weight_kg, bench.unit), (Some(100.0), Unit::Kg));
        let press = &entry(chest, "Dumbbell Press").sets[0];
        assert!(close(press.weight_kg.unwrap_or_default(), 31.751_465_9));
        assert_eq!(press.unit, Unit::Lb);
        let stairs = &entry(workout_at(&parsed, noon(2026, 5, 5)), "Stair Climber").sets[0];
        assert_eq!((stairs.duration_s, stairs.distance_m), (Some(900), None));
        let raise = &entry(workout_at(&parsed, noon(2026, 5, 6)), "Hanging Leg Raise").sets[0];
        assert_eq!((raise.weight_kg, raise.reps), (None, Some(12)));
        let swim = &entry(workout_at(&parsed, noon(2026, 5, 10)), "Swimming").sets[0];
        assert!(close(swim.distance_m.unwrap_or_default(), 1609.344));
    }

    #[test]
    fn parsing_is_deterministic() {
        for text in [KGS, LBS, UNITS] {
            assert_deterministic(text, Format::FitNotes, &opts(None));
        }
    }

    #[test]
    fn an_unlabelled_weight_needs_a_unit() {
        let text = "Date,Exercise,Category,Weight,Reps,Distance,Distance Unit,Time\n\
            2026-04-08,Deadlift,Back,100.0,5,,,\n";
        let err = parse(text, Format::FitNotes, &opts(None)).expect_err("no unit");
        assert_eq!(
            err.to_string(),
            "this FitNotes export does not say whether weights are kg or lb: add --unit kg or --unit lb"
        );
        let parsed = parse(text, Format::FitNotes, &opts(Some(Unit::Lb))).expect("parses");
        assert!(close(
            parsed.workouts[0].exercises[0].sets[0].weight_kg.unwrap_or_default(),
            45.359_237
        ));
    }

    const BROKEN: &str = "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment\n\
        2026-04-10,Barbell Squat,Legs,120.0,5,,,,\n\
        2026-04-10,Barbell Squat,Legs,120.0,5,,,,,\n\
        2026-04-10,Overhead Press (Each Side, Dumbbells),Shoulders,heavy,10,,,,\n\
        2026-04-10,Barbell Squat,Legs,120.0,5,,\n\
        2026-04-10,Running,Cardio,,,5,furlongs,0:20:00,\n\
        2026-04-10,Running,Cardio,,,5,km,20:00,\n\
        2026-04-31,Barbell Squat,Legs,120.0,5,,,,\n";

    #[test]
    fn an_unrecoverable_row_names_its_line() {
        let err = parse(BROKEN, Format::FitNotes, &opts(None)).expect_err("line 3");
        assert_eq!(
            err.to_string(),
            "line 3: the row has 10 fields but the header has 9: put quotes around a name or comment that contains \
             a comma, e.g. \"Press (Each Side, Dumbbells)\""
        );
        let options = ImportOptions {
            unit: None,
            strict: false,
        };
        let parsed = parse(BROKEN, Format::FitNotes, &options).expect("parses");
        let lines: Vec<u64> = parsed.skipped.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8]);
        assert_eq!(
            parsed.skipped[2].problem,
            RowProblem::MissingFields { fields: 7, width: 9 }
        );
        assert_eq!(
            parsed.skipped[2].problem.to_string(),
            "the row has 7 fields but the header has 9: fill in the missing ones, even if empty"
        );
        assert_eq!(
            parsed.skipped[3].problem,
            RowProblem::Cell(CellError::DistanceUnit("furlongs".into()))
        );
        assert_eq!(
            parsed.skipped[4].problem.to_string(),
            "the time '20:00' is not a time like 0:25:30 (hours:minutes:seconds)"
        );
        assert_eq!(
            parsed.skipped[5].problem.to_string(),
            "the date '2026-04-31' is not a date like 2026-04-08"
        );
        assert_eq!(sets(&parsed), 1);
    }

    #[test]
    fn an_ambiguous_extra_field_is_reported() {
        let text = "Date,Exercise,Category,Time,Comment\n2026-04-10,Plank,Side,0:01:30,0:01:00,hard\n";
        let err = parse(text, Format::FitNotes, &opts(None)).expect_err("ambiguous");
        assert!(
            matches!(
                err,
                ImportError::Row(RowError {
                    line: 2,
                    problem: RowProblem::AmbiguousComma { fields: 6, width: 5 }
                })
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("could be in the exercise name or in the comment"),
            "{err}"
        );
    }

    #[test]
    fn clock_times() {
        assert_eq!(clock(""), Ok(None));
        assert_eq!(clock("0:00:00"), Ok(None));
        assert_eq!(clock("1:02:30"), Ok(Some(3750)));
        for bad in ["1:30", "0:60:00", "a:b:c", "1:2:3:4", "-1:00:00"] {
            assert!(clock(bad).is_err(), "{bad}");
        }
    }
}
