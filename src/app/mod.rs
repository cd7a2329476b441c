//! Services several commands share, over the store: which exercise a typed
//! name means, the history analytics work on, and the records a write beats.
//! They return values and never print; the commands decide what to show.

pub mod exercise_names;
pub mod history;
pub mod pr_watch;

pub use exercise_names::{ExerciseNames, Resolved};
pub use history::History;
pub use pr_watch::PrWatch;
