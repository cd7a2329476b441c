//! The lifter's history as the analytics need it: every live workout, the
//! body-weight log that `@bw` sets are weighed with, and the aliases that
//! say which names are one exercise.

use crate::analytics::{self, Lifter, Session, latest_body_weight};
use crate::error::Result;
use crate::model::{BodyWeight, ExerciseNames, Workout};
use crate::store::{SetQuery, Store};
use chrono::{DateTime, Utc};

/// The body-weight log as (when, kg), oldest first.
#[derive(Debug, Clone, Default)]
pub struct BodyLog {
    log: Vec<(DateTime<Utc>, f64)>,
}

impl BodyLog {
    /// Reads every weigh-in.
    pub fn load(store: &Store) -> Result<BodyLog> {
        let mut log: Vec<(DateTime<Utc>, f64)> = store
            .all::<BodyWeight>()?
            .into_iter()
            .map(|b| (b.at, b.weight_kg))
            .collect();
        log.sort_by_key(|(at, _)| *at);
        Ok(BodyLog { log })
    }

    /// The lifter's body weight at a moment: the latest weigh-in at or before it.
    pub fn at(&self, at: DateTime<Utc>) -> Option<f64> {
        latest_body_weight(&self.log, at)
    }
}

/// The live workouts plus what the analytics need to read them, loaded
/// once per command from the set table: each workout's sets and times,
/// not its name, notes or plan (see `Store::set_workouts`).
pub struct History {
    /// Newest first, as the store lists them.
    pub workouts: Vec<Workout>,
    /// The lifter's aliases over the catalogue.
    pub names: ExerciseNames,
    weigh: Box<dyn Fn(DateTime<Utc>) -> Option<f64>>,
}

impl History {
    /// Reads every live workout's sets, every weigh-in and alias.
    pub fn load(store: &Store) -> Result<History> {
        let names = super::exercise_names::load(store)?;
        History::load_sets(store, names, &SetQuery::default())
    }

    /// Reads the sets of `exercises` only (under every spelling stored for
    /// them), every weigh-in and alias: what one exercise's records,
    /// progress or sessions need, found through the set table's index.
    pub fn load_exercises(store: &Store, names: ExerciseNames, exercises: &[&str]) -> Result<History> {
        let stored = spellings(store, &names, exercises)?;
        History::load_sets(
            store,
            names,
            &SetQuery {
                exercises: Some(&stored),
                ..SetQuery::default()
            },
        )
    }

    /// Reads the sets of workouts started on `first_day` (a local day) or
    /// later, every weigh-in and alias: what a span of weeks or days needs.
    /// Read from the UTC midnight a day before, so a workout whose local day
    /// is `first_day` is there in any time zone; the analytics bucket by
    /// local day and leave the rest out.
    pub fn load_from_day(store: &Store, first_day: chrono::NaiveDate) -> Result<History> {
        let since = first_day
            .pred_opt()
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .map(|midnight| midnight.and_utc());
        History::load_sets(
            store,
            super::exercise_names::load(store)?,
            &SetQuery {
                since,
                ..SetQuery::default()
            },
        )
    }

    /// Reads the sets `query` asks for, every weigh-in, and `names`.
    pub fn load_sets(store: &Store, names: ExerciseNames, query: &SetQuery) -> Result<History> {
        let body = BodyLog::load(store)?;
        Ok(History {
            workouts: store.set_workouts(query)?,
            names,
            weigh: Box::new(move |at| body.at(at)),
        })
    }

    /// What the analytics functions need besides the workouts.
    pub fn lifter(&self) -> Lifter<'_> {
        Lifter {
            body_weight: self.weigh.as_ref(),
            names: &self.names,
        }
    }
}

/// Every spelling stored for `exercises` (an import's "Bench Press
/// (Barbell)", a name an alias now points elsewhere).
fn spellings(store: &Store, names: &ExerciseNames, exercises: &[&str]) -> Result<Vec<String>> {
    let keys: Vec<String> = exercises.iter().map(|name| names.key(name)).collect();
    Ok(store
        .exercises_with_sets()?
        .into_iter()
        .filter(|stored| keys.contains(&names.key(stored)))
        .collect())
}

/// The live workouts holding any of `exercises`, under every spelling
/// stored for them, with those exercises' sets only, read from the set
/// table without decoding unrelated workouts.
pub fn workouts_with(store: &Store, names: &ExerciseNames, exercises: &[&str]) -> Result<Vec<Workout>> {
    let stored = spellings(store, names, exercises)?;
    store.set_workouts(&SetQuery {
        exercises: Some(&stored),
        ..SetQuery::default()
    })
}

/// What the lifter did last time for each of `exercises`, in workouts
/// other than `current` that started before it: "last: 3x5@100kg".
pub fn last_sessions(store: &Store, exercises: &[&str], current: &Workout) -> Result<Vec<Option<Session>>> {
    let names = super::exercise_names::load(store)?;
    let body = BodyLog::load(store)?;
    let weigh = |at| body.at(at);
    let lifter = Lifter {
        body_weight: &weigh,
        names: &names,
    };
    let workouts = workouts_with(store, &names, exercises)?;
    Ok(exercises
        .iter()
        .map(|exercise| analytics::last_session(&workouts, exercise, lifter, &current.id, current.started_at))
        .collect())
}
