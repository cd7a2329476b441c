//! Services several commands share, over the store: which exercise a typed
//! name means, the history analytics work on, the records a write beats,
//! and rewriting an exercise's name across history. They return values and
//! never print; the commands decide what to show.

pub mod exercise_names;
pub mod history;
pub mod pr_watch;
pub mod rename;

pub use history::{BodyLog, History};
pub use pr_watch::PrWatch;
