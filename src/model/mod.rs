//! The domain: workouts, exercises, sets, units, and the grammars people type.
//! Nothing here touches the disk or the network.

pub mod catalogue;
mod grammar;
mod names;
mod records;
mod when;
mod workout;

pub use grammar::{
    ExerciseSpec, GrammarError, SetProblem, Shown, format_duration, format_number, format_weight, nearest_quarter,
    parse_exercise_spec, parse_sets, render_set, render_sets, validate_exercise_name,
};
pub use names::{ExerciseNames, Resolved};
pub use records::{Alias, BodyWeight, Template};
pub use when::{local_to_utc, parse_duration, parse_when, whole_seconds};
pub use workout::{DistanceUnit, ExerciseEntry, Provenance, Set, SetKind, Unit, Workout, new_id, validate_name};
