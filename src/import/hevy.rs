//! Hevy's workout export:
//!
//! ```text
//! title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe
//! ```
//! The units are in the column names (`weight_kg` or `weight_lbs`,
//! `distance_km` or `distance_miles`, mixed in some exports). Times are local,
//! written by the phone's locale: `8 Apr 2026, 16:50` or `Jun 11, 2026, 1:01 PM`.
//! Workouts come newest first; a run of rows of one exercise is one exercise
//! instance, ordered by `set_index`.

use super::cells::{
    Amounts, CellError, DistanceColumn, DistanceUnit, WeightColumn, distance_of, local_time, number_column, reps, rpe,
    seconds, weight_of, whole,
};
use super::csv::{field, find, require};
use super::{Format, ImportError, ImportOptions, Problem, Row, RowReader};
use crate::model::{SetKind, Unit, validate_exercise_name};
use csv::StringRecord;

pub(super) struct Hevy {
    width: usize,
    title: usize,
    start: usize,
    end: Option<usize>,
    description: Option<usize>,
    exercise: usize,
    superset: Option<usize>,
    notes: Option<usize>,
    set_index: Option<usize>,
    set_type: Option<usize>,
    weight: WeightColumn,
    reps: Option<usize>,
    distance: DistanceColumn,
    duration: Option<usize>,
    rpe: Option<usize>,
    fallback: Option<Unit>,
}

const WEIGHTS: &[(&str, Option<Unit>)] = &[("weight_kg", Some(Unit::Kg)), ("weight_lbs", Some(Unit::Lb))];

const DISTANCES: &[(&str, Option<DistanceUnit>)] = &[
    ("distance_km", Some(DistanceUnit::Kilometres)),
    ("distance_miles", Some(DistanceUnit::Miles)),
];

const DATE_FORMATS: &[&str] = &[
    "%d %b %Y, %H:%M",
    "%b %d, %Y, %I:%M %p",
    "%b %d, %Y, %H:%M",
    "%d %b %Y, %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
];

impl Hevy {
    pub fn new(header: &StringRecord, options: &ImportOptions) -> Result<Hevy, ImportError> {
        let need = |name| require(header, Format::Hevy, name);
        Ok(Hevy {
            width: header.len(),
            title: need("title")?,
            start: need("start_time")?,
            end: find(header, "end_time"),
            description: find(header, "description"),
            exercise: need("exercise_title")?,
            superset: find(header, "superset_id"),
            notes: find(header, "exercise_notes"),
            set_index: find(header, "set_index"),
            set_type: find(header, "set_type"),
            weight: number_column(header, WEIGHTS, None),
            reps: find(header, "reps"),
            distance: number_column(header, DISTANCES, None),
            duration: find(header, "duration_seconds"),
            rpe: find(header, "rpe"),
            fallback: options.unit,
        })
    }

    fn time(
        &self,
        text: &str,
        what: &'static str,
    ) -> Result<(chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>), CellError> {
        local_time(text, DATE_FORMATS, what, "8 Apr 2026, 16:50")
    }
}

impl RowReader for Hevy {
    fn width(&self) -> usize {
        self.width
    }

    fn read(&self, fields: &[&str]) -> Result<Option<Row>, Problem> {
        let kind = match field(fields, self.set_type).to_ascii_lowercase().as_str() {
            "normal" | "" => SetKind::Working,
            "warmup" => SetKind::Warmup,
            "dropset" => SetKind::Drop,
            "failure" => SetKind::Failure,
            other => {
                return Err(
                    format!("set_type '{other}' is unknown: expected normal, warmup, dropset or failure").into(),
                );
            }
        };
        let index = match field(fields, self.set_index) {
            "" => None,
            text => Some(
                text.parse::<u32>()
                    .map_err(|_| format!("set_index '{text}' is not a whole number"))?,
            ),
        };
        let (local_start, started_at) = self.time(field(fields, Some(self.start)), "start_time")?;
        let (local_end, completed_at) = match field(fields, self.end) {
            "" => (None, None),
            text => {
                let (local, at) = self.time(text, "end_time")?;
                (Some(local), Some(at))
            }
        };
        let superset = match field(fields, self.superset) {
            "" => None,
            text => Some(
                whole(text, "superset_id", u32::MAX)?
                    // Hevy numbers supersets from 0, and a 0 must not read as "none".
                    .unwrap_or(0),
            ),
        };
        let title = field(fields, Some(self.title)).to_string();
        let (weight, weight_unit) = weight_of(fields, self.weight)?;
        let (distance, distance_unit) = distance_of(fields, self.distance)?;
        let (reps, zero_reps) = reps(field(fields, self.reps))?;
        let amounts = Amounts {
            kind,
            reps,
            zero_reps,
            weight,
            weight_unit,
            distance,
            distance_unit,
            duration_s: seconds(field(fields, self.duration), "duration_seconds")?,
            rpe: rpe(field(fields, self.rpe))?,
            notes: String::new(),
        };
        Ok(Some(Row {
            local_start,
            started_at,
            local_end,
            completed_at,
            key: title.clone(),
            name: title,
            workout_notes: field(fields, self.description).to_string(),
            exercise: validate_exercise_name(field(fields, Some(self.exercise)))?,
            exercise_note: field(fields, self.notes).to_string(),
            superset,
            order: index,
            set: Some(amounts.into_set(Format::Hevy, self.fallback)?),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::*;
    use crate::model::SetKind;

    const KG: &str = include_str!("../../tests/fixtures/import/hevy_kg.csv");
    const LBS: &str = include_str!("../../tests/fixtures/import/hevy_lbs.csv");
    const MIXED: &str = include_str!("../../tests/fixtures/import/hevy_mixed.csv");

    fn read(text: &str) -> Parsed {
        parse(text, Format::Hevy, &opts(None)).expect("parses")
    }

    #[test]
    fn metric_export() {
        let parsed = read(KG);
        assert_eq!(parsed.workouts.len(), 6);
        assert_eq!(sets(&parsed), 52);
        let names: Vec<&str> = parsed.workouts.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(
            names,
            ["Upper A", "Lower A 🦵", "Run 5k", "Upper B", "Lower B", "Upper A"],
            "oldest first"
        );

        let upper = &parsed.workouts[0];
        assert_eq!(upper.started_at, local(2026, 4, 8, 16, 50, 0));
        assert_eq!(upper.completed_at, Some(local(2026, 4, 8, 18, 2, 0)));
        let provenance = upper.imported.as_ref().expect("where the times came from");
        assert_eq!(
            provenance.local_end.map(|t| t.to_string()).as_deref(),
            Some("2026-04-08 18:02:00")
        );
        assert_eq!(upper.notes, "Felt good.\nSlept 8h, \"solid\" day");
        let bench = entry(upper, "Bench Press (Barbell)");
        assert_eq!(
            bench.notes, "Grip: 1 finger wider",
            "exercise notes stay with the exercise"
        );
        assert_eq!(bench.sets[0].kind, SetKind::Warmup);
        assert_eq!(
            (bench.sets[1].weight_kg, bench.sets[1].reps, bench.sets[1].rpe),
            (Some(100.0), Some(5), Some(8.0))
        );
        let pull_up = entry(upper, "Pull Up");
        assert_eq!(
            (pull_up.sets[0].weight_kg, pull_up.sets[0].reps),
            (None, Some(10)),
            "bodyweight"
        );
        assert_eq!(pull_up.sets[2].kind, SetKind::Failure);
        let raise = &entry(upper, "Lateral Raise (Dumbbell)").sets[2];
        assert_eq!((raise.kind, raise.weight_kg), (SetKind::Drop, Some(8.0)));

        let lower = &parsed.workouts[1];
        assert_eq!(lower.notes, "");
        assert_eq!(entry(lower, "Squat (Barbell)").notes, "Depth!\nKnees out");
        let kinds: Vec<SetKind> = entry(lower, "Squat (Barbell)").sets.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SetKind::Warmup,
                SetKind::Warmup,
                SetKind::Working,
                SetKind::Working,
                SetKind::Working
            ]
        );
        let plank = &entry(lower, "Plank").sets[1];
        assert_eq!((plank.duration_s, plank.reps, plank.weight_kg), (Some(45), None, None));

        let run = &entry(&parsed.workouts[2], "Running").sets[0];
        assert_eq!((run.distance_m, run.duration_s), (Some(5000.0), Some(1520)));

        let press = &entry(&parsed.workouts[3], "Overhead Press (Barbell)").sets;
        let by_index: Vec<(SetKind, Option<f64>, Option<u32>)> =
            press.iter().map(|s| (s.kind, s.weight_kg, s.reps)).collect();
        assert_eq!(
            by_index,
            [
                (SetKind::Warmup, Some(40.0), Some(8)),
                (SetKind::Working, Some(60.0), Some(5)),
                (SetKind::Working, Some(60.0), Some(4))
            ],
            "sets in set_index order"
        );
    }

    #[test]
    fn imperial_export() {
        let parsed = read(LBS);
        assert_eq!(parsed.workouts.len(), 6);
        assert_eq!(sets(&parsed), 51);
        let push = &parsed.workouts[0];
        assert_eq!(push.started_at, local(2026, 5, 4, 6, 5, 0), "zero-padded day");
        let bench = &entry(push, "Bench Press (Barbell)").sets[1];
        assert!(close(bench.weight_kg.unwrap_or_default(), 102.058_283_25), "225 lb");
        assert_eq!(bench.unit, Unit::Lb);
        let row = &entry(&parsed.workouts[1], "Seated Cable Row - V Grip (Cable)").sets[0];
        assert!(close(row.weight_kg.unwrap_or_default(), 88.18 * 0.453_592_37));
        let run = &entry(&parsed.workouts[3], "Running").sets[0];
        assert!(close(run.distance_m.unwrap_or_default(), 4988.9664), "3.1 miles");
        assert_eq!(run.unit, Unit::Lb);
    }

    #[test]
    fn kg_with_miles_and_twelve_hour_dates() {
        let parsed = read(MIXED);
        assert_eq!(parsed.workouts.len(), 5);
        assert_eq!(sets(&parsed), 50);
        let lunch = &parsed.workouts[1];
        assert_eq!(lunch.name, "Lunch Run");
        assert_eq!(lunch.started_at, local(2026, 6, 11, 13, 1, 0), "1:01 PM");
        assert_eq!(lunch.completed_at, Some(local(2026, 6, 11, 13, 40, 0)));
        let run = &entry(lunch, "Running").sets[0];
        assert!(close(run.distance_m.unwrap_or_default(), 6437.376), "4 miles");
        let midnight = &parsed.workouts[3];
        assert_eq!(midnight.started_at, local(2026, 6, 12, 0, 15, 0), "12:15 AM");
        let walk = &entry(&parsed.workouts[2], "Farmers Walk").sets[0];
        assert_eq!(
            (walk.weight_kg, walk.unit, walk.reps, walk.duration_s),
            (Some(32.0), Unit::Kg, None, Some(45))
        );
        assert!(close(walk.distance_m.unwrap_or_default(), 80.4672));
    }

    #[test]
    fn parsing_is_deterministic() {
        for text in [KG, LBS, MIXED] {
            assert_deterministic(text, Format::Hevy, &opts(None));
        }
    }

    const SMALL: &str = "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n\
        \"Push\",\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",\"two\nlines\",\"Bench Press\",,\"\",0,\"normal\",100,5,,,\n\
        \"Push\",\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",\"\",\"Bench Press\",,\"\",1,\"superset\",100,5,,,\n\
        \"Push\",\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",\"\",\"Bench Press\",,\"\",2,\"normal\",100,5,,,\n\
        \"Push\",\"8/4/2026 16:50\",\"8 Apr 2026, 17:50\",\"\",\"Bench Press\",,\"\",3,\"normal\",100,5,,,\n\
        \"Push\",\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",\"\",\"Bench Press\",,\"\",4,\"normal\",,,,,\n";

    #[test]
    fn a_malformed_row_fails_with_its_physical_line() {
        let err = parse(SMALL, Format::Hevy, &opts(None)).expect_err("bad set_type");
        assert_eq!(
            err.to_string(),
            "line 4: set_type 'superset' is unknown: expected normal, warmup, dropset or failure"
        );
    }

    #[test]
    fn skip_invalid_keeps_the_good_rows() {
        let options = ImportOptions {
            unit: None,
            strict: false,
        };
        let parsed = parse(SMALL, Format::Hevy, &options).expect("parses");
        let lines: Vec<u64> = parsed.skipped.iter().map(|e| e.line).collect();
        assert_eq!(
            lines,
            [4, 6],
            "line 7 measured nothing, and is a set that measured nothing"
        );
        assert_eq!(
            parsed.skipped[1].problem,
            RowProblem::Cell(CellError::NotADateTime {
                what: "start_time",
                text: "8/4/2026 16:50".into(),
                example: "8 Apr 2026, 16:50"
            })
        );
        assert_eq!(
            parsed.skipped[1].problem.to_string(),
            "start_time '8/4/2026 16:50' is not a date and time like '8 Apr 2026, 16:50'"
        );
        assert_eq!(sets(&parsed), 3);
        assert_eq!(parsed.workouts[0].notes, "two\nlines");
    }

    #[test]
    fn a_workout_that_ends_before_it_starts_is_rejected_whole() {
        let text = "title,start_time,end_time,exercise_title,set_index,set_type,weight_kg,reps\n\
            Push,\"8 Apr 2026, 16:50\",\"8 Apr 2026, 15:50\",Bench Press,0,normal,100,5\n\
            Push,\"8 Apr 2026, 16:50\",\"8 Apr 2026, 15:50\",Bench Press,1,normal,100,5\n\
            Pull,\"9 Apr 2026, 16:50\",\"9 Apr 2026, 17:50\",Row,0,normal,60,8\n";
        let err = parse(text, Format::Hevy, &opts(None)).expect_err("ends early");
        assert!(
            err.to_string()
                .starts_with("line 2: the workout 'Push' cannot be imported: the workout ends")
        );
        let options = ImportOptions {
            unit: None,
            strict: false,
        };
        let parsed = parse(text, Format::Hevy, &options).expect("parses");
        assert_eq!((parsed.workouts.len(), parsed.skipped.len()), (1, 1));
    }
}
