//! The lifter's history as the analytics need it: every live workout and the
//! body-weight log that `@bw` sets are weighed with.

use crate::analytics::latest_body_weight;
use crate::error::Result;
use crate::model::{BodyWeight, Workout};
use crate::store::{Store, WorkoutFilter};
use chrono::{DateTime, Utc};

/// Every live workout plus the body-weight log, loaded once per command.
pub struct History {
    /// Newest first, as the store lists them.
    pub workouts: Vec<Workout>,
    body: Vec<(DateTime<Utc>, f64)>,
}

impl History {
    /// Reads every live workout and weigh-in.
    pub fn load(store: &Store) -> Result<History> {
        let workouts = store
            .workouts(&WorkoutFilter::default())?
            .into_iter()
            .map(|r| r.value)
            .collect();
        Ok(History {
            workouts,
            body: body_weights(store)?,
        })
    }

    /// The lifter's body weight at a moment, for the analytics functions.
    pub fn body_weight(&self) -> impl Fn(DateTime<Utc>) -> Option<f64> + '_ {
        |at| latest_body_weight(&self.body, at)
    }
}

/// The body-weight log as (when, kg), oldest first.
pub(super) fn body_weights(store: &Store) -> Result<Vec<(DateTime<Utc>, f64)>> {
    let mut body: Vec<(DateTime<Utc>, f64)> = store
        .all::<BodyWeight>()?
        .into_iter()
        .map(|b| (b.at, b.weight_kg))
        .collect();
    body.sort_by_key(|(at, _)| *at);
    Ok(body)
}
