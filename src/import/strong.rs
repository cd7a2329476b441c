//! Strong's exports. Four dialects are in the wild, told apart by header:
//!
//! ```text
//! comma:      Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
//! semicolon:  Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration
//! numbered:   "Workout #";"Date";"Workout Name";"Duration (sec)";…;"Weight (kg)";…;"Distance (meters)";…
//! older:      Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes
//! ```
//! One row per set; a workout is its rows sharing date and name. `Set Order`
//! is a number, or a tag that replaces it (`W` warm-up, `D` drop, `F`
//! failure), or marks a row that is not a set (`Rest Timer`, `Note`).

use super::cells::{
    Amounts, CellError, DistanceColumn, DistanceUnit, WeightColumn, distance_of, local_time, number_column, reps, rpe,
    seconds, weight_of,
};
use super::csv::{field, find, require};
use super::{Format, ImportError, ImportOptions, Problem, Row, RowReader};
use crate::model::{SetKind, Unit, parse_duration, validate_exercise_name};
use chrono::Duration;
use csv::StringRecord;

pub(super) struct Strong {
    width: usize,
    date: usize,
    name: usize,
    exercise: usize,
    set_order: usize,
    weight: WeightColumn,
    reps: Option<usize>,
    distance: DistanceColumn,
    seconds: Option<usize>,
    duration: Option<(usize, DurationStyle)>,
    notes: Option<usize>,
    workout_notes: Option<usize>,
    rpe: Option<usize>,
    fallback: Option<Unit>,
}

#[derive(Clone, Copy)]
enum DurationStyle {
    /// `1h 43m`, `38min`.
    Text,
    /// A number of seconds.
    Seconds,
}

const WEIGHTS: &[(&str, Option<Unit>)] = &[
    ("Weight", None),
    ("kg", Some(Unit::Kg)),
    ("Weight (kg)", Some(Unit::Kg)),
    ("lbs", Some(Unit::Lb)),
    ("lb", Some(Unit::Lb)),
    ("Weight (lbs)", Some(Unit::Lb)),
];

const DISTANCES: &[(&str, Option<DistanceUnit>)] = &[
    ("Distance", None),
    ("km", Some(DistanceUnit::Kilometres)),
    ("Distance (km)", Some(DistanceUnit::Kilometres)),
    ("mi.", Some(DistanceUnit::Miles)),
    ("mi", Some(DistanceUnit::Miles)),
    ("Distance (mi)", Some(DistanceUnit::Miles)),
    ("Distance (meters)", Some(DistanceUnit::Metres)),
];

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
];

impl Strong {
    pub fn new(header: &StringRecord, options: &ImportOptions) -> Result<Strong, ImportError> {
        let need = |name| require(header, Format::Strong, name);
        let duration = find(header, "Duration")
            .or_else(|| find(header, "Workout Duration"))
            .map(|c| (c, DurationStyle::Text))
            .or_else(|| find(header, "Duration (sec)").map(|c| (c, DurationStyle::Seconds)));
        Ok(Strong {
            width: header.len(),
            date: need("Date")?,
            name: need("Workout Name")?,
            exercise: need("Exercise Name")?,
            set_order: need("Set Order")?,
            weight: number_column(header, WEIGHTS, Some("Weight Unit")),
            reps: find(header, "Reps"),
            distance: number_column(header, DISTANCES, Some("Distance Unit")),
            seconds: find(header, "Seconds"),
            duration,
            notes: find(header, "Notes"),
            workout_notes: find(header, "Workout Notes"),
            rpe: find(header, "RPE"),
            fallback: options.unit,
        })
    }

    fn amounts(&self, fields: &[&str], kind: SetKind) -> Result<Amounts, CellError> {
        let (weight, weight_unit) = weight_of(fields, self.weight)?;
        let (distance, distance_unit) = distance_of(fields, self.distance)?;
        let (reps, zero_reps) = reps(field(fields, self.reps))?;
        Ok(Amounts {
            kind,
            reps,
            zero_reps,
            weight,
            weight_unit,
            distance,
            distance_unit,
            duration_s: seconds(field(fields, self.seconds), "Seconds")?,
            rpe: rpe(field(fields, self.rpe))?,
            notes: field(fields, self.notes).to_string(),
        })
    }
}

impl RowReader for Strong {
    fn width(&self) -> usize {
        self.width
    }

    fn read(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        let order = field(fields, Some(self.set_order));
        let kind = match order.to_ascii_lowercase().as_str() {
            "rest timer" => return Ok(None),
            "note" => None,
            "w" => Some(SetKind::Warmup),
            "d" => Some(SetKind::Drop),
            "f" => Some(SetKind::Failure),
            number if number.parse::<u32>().is_ok() => Some(SetKind::Working),
            _ => {
                return Err(format!("Set Order '{order}' is not a set number, W, D, F, Note or Rest Timer").into());
            }
        };
        let (local_start, started_at) = local_time(
            field(fields, Some(self.date)),
            DATE_FORMATS,
            "the date",
            "2026-04-08 16:50:00",
        )?;
        let duration = match self.duration {
            Some((column, DurationStyle::Text)) => match field(fields, Some(column)) {
                "" => None,
                text => Some(parse_duration(text)?),
            },
            Some((column, DurationStyle::Seconds)) => seconds(field(fields, Some(column)), "the workout duration")?,
            None => None,
        };
        let name = field(fields, Some(self.name)).to_string();
        // A `Note` row's note is about the exercise; a set row's, about the set.
        let (set, exercise_note) = match kind {
            None => (None, field(fields, self.notes).to_string()),
            Some(kind) => (
                Some(self.amounts(fields, kind)?.into_set(Format::Strong, self.fallback)?),
                String::new(),
            ),
        };
        Ok(Some(Row {
            local_start,
            started_at,
            local_end: duration.map(|secs| local_start + Duration::seconds(i64::from(secs))),
            completed_at: duration.map(|secs| started_at + Duration::seconds(i64::from(secs))),
            key: name.clone(),
            name,
            workout_notes: field(fields, self.workout_notes).to_string(),
            exercise: validate_exercise_name(field(fields, Some(self.exercise)))?,
            exercise_note,
            superset: None,
            order: None,
            set,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::*;
    use crate::model::SetKind;

    const COMMA: &str = include_str!("../../tests/fixtures/import/strong_comma.csv");
    const SEMICOLON: &str = include_str!("../../tests/fixtures/import/strong_semicolon.csv");
    const OLDER: &str = include_str!("../../tests/fixtures/import/strong_older.csv");

    fn kg() -> ImportOptions {
        opts(Some(Unit::Kg))
    }

    #[test]
    fn comma_export_in_kg() {
        let parsed = parse(COMMA, Format::Strong, &kg()).expect("parses");
        assert_eq!(parsed.workouts.len(), 6);
        assert_eq!(sets(&parsed), 49, "rest timers and notes are not sets");
        assert!(parsed.skipped.is_empty());
        let starts: Vec<_> = parsed.workouts.iter().map(|w| w.started_at).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "chronological");

        let push = workout_at(&parsed, local(2026, 3, 2, 7, 5, 12));
        assert_eq!(push.name, "Push Day 💪");
        assert_eq!(push.completed_at, Some(local(2026, 3, 2, 8, 17, 12)), "1h 12m");
        let provenance = push.imported.as_ref().expect("where the times came from");
        assert_eq!(
            (
                provenance.format.as_str(),
                provenance.local_start.to_string(),
                provenance.local_end.map(|t| t.to_string())
            ),
            (
                "Strong",
                "2026-03-02 07:05:12".into(),
                Some("2026-03-02 08:17:12".into())
            )
        );
        assert!(provenance.is_read_as(push.started_at, push.completed_at));
        let bench = entry(push, "Bench Press (Barbell)");
        assert_eq!(bench.sets.len(), 4);
        assert_eq!(bench.sets[0].kind, SetKind::Warmup);
        assert_eq!(bench.sets[0].weight_kg, Some(60.0));
        assert_eq!(bench.sets[1].kind, SetKind::Working);
        assert_eq!(bench.sets[3].reps, Some(4));
        assert_eq!(bench.sets[3].rpe, Some(9.5));
        assert_eq!(
            entry(push, "Overhead Press (Barbell)").sets[0].weight_kg,
            Some(57.5),
            "float noise rounded"
        );
        assert_eq!(
            entry(push, "Triceps Pushdown (Cable - Straight Bar)").sets[2].kind,
            SetKind::Drop
        );
        assert_eq!(push.notes, "", "no workout notes");
        assert_eq!(bench.sets[0].notes, "Pause on chest", "a set's note stays on its set");
        assert!(bench.sets[1..].iter().all(|s| s.notes.is_empty()));

        let pull = workout_at(&parsed, local(2026, 3, 4, 18, 30, 44));
        assert_eq!(pull.name, "Pull, Legs & Core");
        assert_eq!(pull.completed_at, Some(local(2026, 3, 4, 21, 8, 44)), "2h 38m");
        assert_eq!(pull.notes, "Gym was packed, \"fun\" times");
        let deadlift = entry(pull, "Deadlift (Barbell)");
        assert_eq!(deadlift.sets.len(), 4);
        assert_eq!(deadlift.sets[2].notes, "Belt on");
        assert_eq!(deadlift.sets[2].weight_kg, Some(150.0), "149.99999999999997");
        assert_eq!(deadlift.sets[2].unit, Unit::Kg);
        let pull_up = entry(pull, "Pull Up");
        assert_eq!((pull_up.sets[0].reps, pull_up.sets[0].weight_kg), (Some(10), None));
        assert_eq!(pull_up.sets[2].kind, SetKind::Failure);
        let plank = entry(pull, "Plank");
        assert_eq!((plank.sets[1].duration_s, plank.sets[1].reps), (Some(45), None));

        let french = workout_at(&parsed, local(2026, 3, 7, 9, 0, 3));
        assert_eq!(french.name, "Séance du matin – jambes");
        assert_eq!(french.completed_at, Some(local(2026, 3, 7, 9, 31, 3)), "31m");
        assert_eq!(french.notes, "Genou OK 👍");
        assert_eq!(entry(french, "Squat (Barbell)").sets[1].notes, "Profondeur ✓");

        let cardio = workout_at(&parsed, local(2026, 3, 9, 6, 45, 0));
        assert_eq!(cardio.completed_at, Some(local(2026, 3, 9, 7, 45, 0)), "1h");
        let run = &entry(cardio, "Running (Treadmill)").sets[0];
        assert_eq!(
            (run.distance_m, run.duration_s),
            (Some(5000.0), Some(1800)),
            "--unit kg means km"
        );

        let last = workout_at(&parsed, local(2026, 3, 14, 10, 2, 59));
        let row = entry(last, "Barbell Row");
        assert_eq!(row.sets.len(), 3, "a Note row is not a set");
        assert_eq!(row.notes, "Use straps next time", "but the exercise's note");
        assert_eq!(last.notes, "");
    }

    #[test]
    fn comma_export_in_lb() {
        let parsed = parse(COMMA, Format::Strong, &opts(Some(Unit::Lb))).expect("parses");
        let push = workout_at(&parsed, local(2026, 3, 2, 7, 5, 12));
        let set = &entry(push, "Bench Press (Barbell)").sets[1];
        assert!(close(set.weight_kg.unwrap_or_default(), 45.359_237), "100 lb");
        assert_eq!(set.unit, Unit::Lb);
        let cardio = workout_at(&parsed, local(2026, 3, 9, 6, 45, 0));
        let run = &entry(cardio, "Running (Treadmill)").sets[0];
        assert!(
            close(run.distance_m.unwrap_or_default(), 8046.72),
            "--unit lb means miles"
        );
    }

    #[test]
    fn comma_export_needs_a_unit() {
        let err = parse(COMMA, Format::Strong, &opts(None)).expect_err("no unit");
        assert_eq!(
            err.to_string(),
            "this Strong export does not say whether weights are kg or lb: add --unit kg or --unit lb"
        );
        assert!(matches!(err, ImportError::WeightUnitNeeded { format: Format::Strong }));
        // Leniency does not turn a missing unit into a pile of skipped rows.
        let skip = ImportOptions {
            unit: None,
            strict: false,
        };
        assert!(matches!(
            parse(COMMA, Format::Strong, &skip),
            Err(ImportError::WeightUnitNeeded { .. })
        ));
    }

    #[test]
    fn semicolon_export_with_per_row_units() {
        let parsed = parse(SEMICOLON, Format::Strong, &opts(Some(Unit::Lb))).expect("parses");
        assert_eq!(parsed.workouts.len(), 7);
        assert_eq!(sets(&parsed), 54);

        let chest = workout_at(&parsed, local(2025, 6, 30, 19, 56, 0));
        assert_eq!(chest.completed_at, Some(local(2025, 6, 30, 20, 58, 0)), "62m");
        let incline = &entry(chest, "Incline Bench Press (Dumbbell)").sets[0];
        assert!(close(incline.weight_kg.unwrap_or_default(), 105.8 * 0.453_592_37));
        assert_eq!(incline.unit, Unit::Lb);
        let plank = &entry(chest, "Plank").sets[0];
        assert_eq!((plank.duration_s, plank.reps, plank.weight_kg), (Some(90), None, None));
        assert_eq!(entry(chest, "Push Up").sets[0].reps, Some(25));

        let run = &entry(workout_at(&parsed, local(2025, 7, 3, 12, 0, 0)), "Running").sets[0];
        assert!(close(run.distance_m.unwrap_or_default(), 3.1 * 1609.344), "3.1 mi.");
        assert_eq!(run.duration_s, Some(1680));

        let legs = workout_at(&parsed, local(2025, 7, 5, 16, 45, 10));
        let extension = &entry(legs, "Leg Extension (Machine)").sets[0];
        assert!(
            close(extension.weight_kg.unwrap_or_default(), 110.0 * 0.453_592_37),
            "empty unit → --unit"
        );
        assert_eq!(entry(legs, "Sled Push").sets[0].distance_m, Some(40.0));

        let hotel = workout_at(&parsed, local(2025, 7, 8, 7, 30, 0));
        let bench = &entry(hotel, "Bench Press (Barbell)").sets;
        assert_eq!(
            (bench[0].weight_kg, bench[0].unit),
            (Some(80.0), Unit::Kg),
            "a kg row in a lb file"
        );
        assert_eq!(bench[2].weight_kg, Some(102.5), "decimal comma");
        assert_eq!(entry(hotel, "Cycling (Indoor)").sets[0].distance_m, Some(12_400.0));
        assert_eq!(hotel.completed_at, Some(local(2025, 7, 8, 8, 15, 0)));

        let back = workout_at(&parsed, local(2025, 7, 2, 6, 10, 31));
        let kinds: Vec<SetKind> = entry(back, "Seated Row (Cable)").sets.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SetKind::Working, SetKind::Working, SetKind::Drop]);
    }

    #[test]
    fn semicolon_export_needs_a_unit_only_for_unlabelled_weights() {
        assert!(matches!(
            parse(SEMICOLON, Format::Strong, &opts(None)),
            Err(ImportError::WeightUnitNeeded { .. })
        ));
        let labelled = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n\
            2025-02-01 10:00:00;Pull Day;Deadlift (Barbell);1;225;lbs;5;9;;;0;;;45m\n\
            2025-02-01 10:00:00;Pull Day;Chin Up;1;;;8;;;;0;;;45m\n";
        let parsed = parse(labelled, Format::Strong, &opts(None)).expect("every weight has a unit");
        assert_eq!(sets(&parsed), 2);
    }

    #[test]
    fn older_export_in_kg_and_km_with_crlf() {
        assert!(
            OLDER.contains(",0,100,5,,,\"\"\r\n"),
            "the fixture keeps its CRLF line ends"
        );
        let parsed = parse(OLDER, Format::Strong, &opts(None)).expect("units are in the header");
        assert_eq!(parsed.workouts.len(), 5);
        assert_eq!(sets(&parsed), 55);
        let first = workout_at(&parsed, local(2017, 11, 20, 18, 4, 33));
        assert_eq!(first.completed_at, None, "no duration column");
        assert_eq!(first.notes, "");
        assert_eq!(entry(first, "Barbell Row").sets[0].notes, "Strict");
        let squat = entry(first, "Squat");
        assert_eq!(squat.sets.len(), 5, "set order counted from 0");
        assert_eq!((squat.sets[0].weight_kg, squat.sets[0].reps), (Some(100.0), Some(5)));
        let run = &entry(workout_at(&parsed, local(2017, 11, 26, 10, 30, 0)), "Running").sets[0];
        assert_eq!((run.distance_m, run.duration_s), (Some(5200.0), Some(1710)));
    }

    #[test]
    fn parsing_is_deterministic() {
        assert_deterministic(COMMA, Format::Strong, &kg());
        assert_deterministic(SEMICOLON, Format::Strong, &kg());
        assert_deterministic(OLDER, Format::Strong, &kg());
        let a = parse(COMMA, Format::Strong, &kg()).expect("parses");
        let b = parse(COMMA, Format::Strong, &opts(Some(Unit::Lb))).expect("parses");
        assert_eq!(a.workouts[0].id, b.workouts[0].id, "ids do not depend on the unit");
    }

    const SMALL: &str = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",1,100,5,0,0,,,\n\
        \n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",2,100,five,0,0,,,\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",3,100,0,0,0,,,\n\
        ,,,,,,,,,,,\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",X,100,5,0,0,,,\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",4,-5,5,0,0,,,\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",5,100,5,0,0,,,11\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Bench Press\",6,100,5,0,0,,\n\
        2026-01-05 18:00:00,\"Push\",45m,\"Dips\",1,0,12,0,0,,,\n";

    #[test]
    fn a_malformed_row_fails_with_its_line() {
        let err = parse(SMALL, Format::Strong, &kg()).expect_err("row 4 is bad");
        assert_eq!(err.to_string(), "line 4: reps 'five' is not a number");
    }

    #[test]
    fn skip_invalid_collects_bad_rows() {
        let options = ImportOptions {
            unit: Some(Unit::Kg),
            strict: false,
        };
        let parsed = parse(SMALL, Format::Strong, &options).expect("parses");
        let skipped: Vec<String> = parsed.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(
            skipped,
            [
                "line 4: reps 'five' is not a number",
                "line 6: the row is empty",
                "line 7: Set Order 'X' is not a set number, W, D, F, Note or Rest Timer",
                "line 8: the weight '-5' is negative",
                "line 9: RPE 11 is out of range: use 6 to 10 (e.g. /8 or /8.5)",
                "line 10: the row has 11 fields but the header has 12: check for a missing quote or a stray delimiter",
            ]
        );
        assert_eq!(parsed.workouts.len(), 1);
        assert_eq!(sets(&parsed), 3);
        let bench = entry(&parsed.workouts[0], "Bench Press");
        assert_eq!(
            (bench.sets[1].kind, bench.sets[1].weight_kg, bench.sets[1].reps),
            (SetKind::Missed, Some(100.0), None),
            "line 5's 0 reps at 100 kg is a missed attempt"
        );
    }

    #[test]
    fn a_bad_duration_or_date_is_a_row_error() {
        let text = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n\
            2026-01-05 18:00:00,Push,forever,Bench Press,1,100,5,0,0,,,\n\
            05/01/2026 18:00,Push,45m,Bench Press,1,100,5,0,0,,,\n";
        let options = ImportOptions {
            unit: Some(Unit::Kg),
            strict: false,
        };
        let parsed = parse(text, Format::Strong, &options).expect("parses");
        assert_eq!(parsed.skipped.len(), 2);
        assert_eq!(parsed.skipped[0].line, 2);
        assert!(
            matches!(&parsed.skipped[0].problem, RowProblem::Invalid(why) if why.contains("'forever' is not a duration"))
        );
        assert_eq!(
            parsed.skipped[1].to_string(),
            "line 3: the date '05/01/2026 18:00' is not a date and time like '2026-04-08 16:50:00'"
        );
    }

    #[test]
    fn numbered_export_with_units_in_the_header() {
        let text = "\"Workout #\";\"Date\";\"Workout Name\";\"Duration (sec)\";\"Exercise Name\";\"Set Order\";\"Weight (kg)\";\"Reps\";\"RPE\";\"Distance (meters)\";\"Seconds\";\"Notes\";\"Workout Notes\"\n\
            \"4\";\"2023-07-19 21:30:51\";\"Workout B #1409\";\"1742\";\"Squat (Barbell)\";\"W\";\"50.0\";\"5\";\"\";\"\";\"\";\"\";\"\"\n\
            \"4\";\"2023-07-19 21:30:51\";\"Workout B #1409\";\"1742\";\"Squat (Barbell)\";\"1\";\"100.0\";\"5\";\"8\";\"\";\"\";\"\";\"\"\n\
            \"4\";\"2023-07-19 21:30:51\";\"Workout B #1409\";\"1742\";\"Rowing (Machine)\";\"1\";\"\";\"\";\"\";\"500\";\"110\";\"\";\"\"\n";
        assert_eq!(detect(text), Some(Format::Strong));
        let parsed = parse(text, Format::Strong, &opts(None)).expect("units are in the header");
        let workout = &parsed.workouts[0];
        assert_eq!(workout.completed_at, Some(local(2023, 7, 19, 21, 59, 53)), "1742 s");
        let squat = &entry(workout, "Squat (Barbell)").sets;
        assert_eq!(
            (squat[0].kind, squat[1].weight_kg, squat[1].rpe),
            (SetKind::Warmup, Some(100.0), Some(8.0))
        );
        let row = &entry(workout, "Rowing (Machine)").sets[0];
        assert_eq!((row.distance_m, row.duration_s), (Some(500.0), Some(110)));
    }

    #[test]
    fn a_whole_line_in_quotes_is_reported() {
        let text = "Date;Workout Name;Exercise Name;Set Order;lbs;Reps;mi.;Seconds;Notes;Workout Notes\n\
            \"2018-03-01 18:00:00;\"\"Legs\"\";\"\"Squat\"\";1;135;5;;0;\"\"\"\";\"\"\"\"\"\n";
        let err = parse(text, Format::Strong, &opts(None)).expect_err("one field");
        assert_eq!(
            err.to_string(),
            "line 2: the row has 1 field but the header has 10: check for a missing quote or a stray delimiter"
        );
    }
}
