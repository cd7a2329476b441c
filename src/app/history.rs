//! The lifter's history as the analytics need it: every live workout, the
//! body-weight log that `@bw` sets are weighed with, and the aliases that
//! say which names are one exercise.

use crate::analytics::{self, Formula, Lifter, Metric, Point, Session, SessionValue, latest_body_weight};
use crate::error::Result;
use crate::model::{BodyWeight, ExerciseNames, Set, Workout};
use crate::store::{SetQuery, Store, StoredSession};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

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

    /// Reads only the sets that can hold a personal record of `exercises`
    /// (of every exercise when `None`), every weigh-in and alias (see
    /// [`record_candidates`]).
    pub fn load_record_candidates(store: &Store, names: ExerciseNames, exercises: Option<&[&str]>) -> Result<History> {
        let body = BodyLog::load(store)?;
        Ok(History {
            workouts: record_candidates(store, &names, exercises)?,
            names,
            weigh: Box::new(move |at| body.at(at)),
        })
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

/// The sets that can hold a personal record of `exercises` (of every
/// exercise when `None`), under every spelling stored for them: the
/// analytics' records over these are those over every set (see
/// `Store::record_candidates`), read with a few index seeks per exercise
/// whatever the length of the history.
pub fn record_candidates(store: &Store, names: &ExerciseNames, exercises: Option<&[&str]>) -> Result<Vec<Workout>> {
    let wanted: Option<Vec<String>> = exercises.map(|list| list.iter().map(|name| names.key(name)).collect());
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for stored in store.exercises_with_sets()? {
        let key = names.key(&stored);
        if wanted.as_ref().is_none_or(|keys| keys.contains(&key)) {
            groups.entry(key).or_default().push(stored);
        }
    }
    store.record_candidates(&groups.into_values().collect::<Vec<_>>())
}

/// How many sets [`sets_at`] reads at a time.
const SETS_AT_CHUNK: usize = 1000;

/// Where a session's set is stored: its workout, entry and number.
pub type SetPlace = (String, i64, i64);

/// Each session of `exercise` with its value (see `analytics::progress`),
/// oldest first (ties by workout id), from the value the set table keeps
/// for each session: one row per session instead of every set, read one at
/// a time, so a history of any length costs what `each` keeps of it. A
/// workout holding the exercise under two spellings is the one session
/// whose sets add up, computed from them. `each` also gets where the set
/// that made the value is stored, when the value is not computed here.
pub fn each_session_value(
    store: &Store,
    names: &ExerciseNames,
    exercise: &str,
    (metric, formula): (Metric, Formula),
    each: &mut dyn FnMut(SessionValue, Option<(i64, i64)>) -> Result<()>,
) -> Result<()> {
    let stored = spellings(store, names, &[exercise])?;
    let mut body: Option<BodyLog> = None;
    // One workout's rows: they come next to each other.
    let mut rows: Vec<StoredSession> = Vec::new();
    let mut session = |rows: &mut Vec<StoredSession>| -> Result<()> {
        if rows.len() > 1 {
            let body = match &mut body {
                Some(body) => body,
                None => body.insert(BodyLog::load(store)?),
            };
            let weigh = |at| body.at(at);
            let lifter = Lifter {
                body_weight: &weigh,
                names,
            };
            let workouts = store.set_workouts(&SetQuery {
                exercises: Some(&stored),
                workouts: Some(&[rows[0].workout_id.clone()]),
                ..SetQuery::default()
            })?;
            for value in analytics::session_values(&workouts, exercise, metric, formula, lifter) {
                each(value, None)?;
            }
        } else if let Some(row) = rows.pop()
            && let Some(value_kg) = row.value_kg
        {
            let value = SessionValue {
                date: row.started_at,
                workout_id: row.workout_id,
                value_kg,
                set: None,
            };
            each(value, row.set_at)?;
        }
        rows.clear();
        Ok(())
    };
    store.each_progress_session(&stored, (metric, formula), &mut |row| {
        if rows.last().is_some_and(|last| last.workout_id != row.workout_id) {
            session(&mut rows)?;
        }
        rows.push(row);
        Ok(())
    })?;
    session(&mut rows)
}

/// The sets stored at `places`, by workout id (one set per workout), read
/// a chunk at a time: each set comes as a workout of its own, which costs
/// far more than the set it is kept as.
pub fn sets_at(store: &Store, places: &[SetPlace]) -> Result<HashMap<String, Set>> {
    let mut found: HashMap<String, Set> = HashMap::with_capacity(places.len());
    for chunk in places.chunks(SETS_AT_CHUNK) {
        found.extend(
            store
                .sets_at(chunk)?
                .into_iter()
                .filter_map(|w| Some((w.id, w.exercises.into_iter().next()?.sets.into_iter().next()?))),
        );
    }
    Ok(found)
}

/// `exercise`'s progress series (see `analytics::progress`): the sessions
/// of [`each_session_value`]. With `sets`, each point carries the set that
/// made its value (a report's hover labels).
pub fn progress(
    store: &Store,
    names: &ExerciseNames,
    exercise: &str,
    (metric, formula): (Metric, Formula),
    since: Option<DateTime<Utc>>,
    sets: bool,
) -> Result<Vec<Point>> {
    let mut places = HashMap::new();
    let mut values = Vec::new();
    each_session_value(store, names, exercise, (metric, formula), &mut |value, set_at| {
        if let Some((entry, number)) = set_at {
            places.insert(value.workout_id.clone(), (value.workout_id.clone(), entry, number));
        }
        values.push(value);
        Ok(())
    })?;
    let mut points = analytics::series(values, since);
    if sets {
        let wanted: Vec<SetPlace> = points
            .iter()
            .filter(|p| p.set.is_none())
            .filter_map(|p| places.get(&p.workout_id).cloned())
            .collect();
        let mut found = sets_at(store, &wanted)?;
        for point in points.iter_mut().filter(|p| p.set.is_none()) {
            point.set = found.remove(&point.workout_id);
        }
    }
    Ok(points)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{all_personal_records, personal_records};
    use crate::model::{Unit, parse_sets};
    use crate::store::Change;
    use chrono::Duration;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// Sets of every kind, from few weights and rep counts so that records
    /// tie often, under spellings that are one exercise.
    fn random_sets(rng: &mut StdRng) -> (String, String) {
        let names = [
            "Bench Press",
            "bench press",
            "Bench Press (Barbell)",
            "Squat",
            "Dips",
            "Plank",
            "Running",
            "My Lift",
            "my lift",
        ];
        let name = names[rng.random_range(0..names.len())];
        let weight = [60.0, 80.0, 100.0, 100.5, 102.5][rng.random_range(0..5)];
        let reps = rng.random_range(1..13);
        let set = match rng.random_range(0..10) {
            0 => format!("w{reps}@{weight}kg"),
            1 => format!("{reps}@bw"),
            2 => format!("{reps}@bw+{}kg", rng.random_range(0..3) * 10),
            3 => format!("{reps}"),
            4 => format!("{}s", rng.random_range(1..4) * 30),
            5 => format!("{}s@{}kg", rng.random_range(1..4) * 30, rng.random_range(0..3) * 10),
            6 => format!("{}km in {}min", rng.random_range(1..4) * 5, rng.random_range(20..30)),
            7 => format!("d{reps}@{weight}kg, f{reps}@{weight}kg, 0@{weight}kg"),
            _ => format!("{reps}@{weight}kg, {}@{weight}kg", rng.random_range(1..13)),
        };
        (name.to_string(), set)
    }

    /// A store holding a random history of 80 days: workouts of random
    /// sets, weigh-ins (some written after the workouts they weigh), and
    /// deletes, with the set table checked against a rebuild.
    fn random_store(seed: u64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let mut rng = StdRng::seed_from_u64(seed);
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let mut ids = Vec::new();
        for day in 0..80 {
            let mut workout = Workout::new("W".into(), start + Duration::days(day));
            for _ in 0..rng.random_range(1..4) {
                let (name, sets) = random_sets(&mut rng);
                workout.add_sets(&name, parse_sets(&sets, Unit::Kg).unwrap());
            }
            let id = workout.id.clone();
            store.write(&id, |_| Ok(Some(Change::put(workout)))).unwrap();
            ids.push(id);
            if rng.random_range(0..6) == 0 {
                let at = start + Duration::days(rng.random_range(0..day + 2));
                let weigh_in = BodyWeight {
                    id: at.format("%Y-%m-%d").to_string(),
                    at,
                    weight_kg: [70.0, 75.0, 80.0][rng.random_range(0..3)],
                    unit: Unit::Kg,
                };
                let id = weigh_in.id.clone();
                store.write(&id, |_| Ok(Some(Change::put(weigh_in)))).unwrap();
            }
            if rng.random_range(0..10) == 0 {
                let gone = ids.swap_remove(rng.random_range(0..ids.len()));
                store
                    .write::<Workout>(&gone, |stored| Ok(stored.map(|w| Change::delete(w.value))))
                    .unwrap();
            }
        }
        assert!(store.set_table_differences().unwrap().is_empty(), "seed {seed}");
        (dir, store)
    }

    const EXERCISES: [&str; 7] = [
        "bench press",
        "squat",
        "dips",
        "plank",
        "running",
        "my lift",
        "deadlift",
    ];

    /// `pump progress` from the values kept per session is the series from
    /// every set, point for point (with the set that made each), for every
    /// metric and formula, with and without a start, over random histories.
    #[test]
    fn progress_from_sessions_is_progress_from_every_set() {
        for seed in 0..6 {
            let (_dir, store) = random_store(seed);
            let names = crate::model::ExerciseNames::default();
            let every = History::load_sets(&store, names.clone(), &SetQuery::default()).unwrap();
            let since = every.workouts.get(every.workouts.len() / 2).map(|w| w.started_at);
            for metric in [Metric::E1rm, Metric::TopSet, Metric::Volume] {
                for formula in [Formula::Epley, Formula::Brzycki] {
                    for exercise in EXERCISES {
                        for since in [None, since] {
                            let expected =
                                analytics::progress(&every.workouts, exercise, metric, formula, since, every.lifter());
                            let points = progress(&store, &names, exercise, (metric, formula), since, true).unwrap();
                            assert_eq!(points, expected, "seed {seed}, {exercise}, {metric}, {formula}");
                        }
                    }
                }
            }
        }
    }

    /// `pump pr`'s records from the few candidate sets are those from every
    /// set, over random histories with weigh-ins (some written after the
    /// workouts they weigh), edits and deletes.
    #[test]
    fn records_from_candidates_are_the_records_from_every_set() {
        for seed in 0..6 {
            let (_dir, store) = random_store(seed);
            let names = crate::model::ExerciseNames::default();
            let every = History::load_sets(&store, names.clone(), &SetQuery::default()).unwrap();
            let candidates = History::load_record_candidates(&store, names.clone(), None).unwrap();
            assert!(
                candidates.workouts.iter().map(Workout::set_count).sum::<usize>()
                    < every.workouts.iter().map(Workout::set_count).sum::<usize>()
            );
            for formula in [Formula::Epley, Formula::Brzycki] {
                let all = all_personal_records(&every.workouts, formula, every.lifter());
                assert_eq!(
                    all,
                    all_personal_records(&candidates.workouts, formula, candidates.lifter()),
                    "seed {seed}"
                );
                for exercise in EXERCISES {
                    let one = History::load_record_candidates(&store, names.clone(), Some(&[exercise])).unwrap();
                    assert_eq!(
                        personal_records(&every.workouts, exercise, formula, every.lifter()),
                        personal_records(&one.workouts, exercise, formula, one.lifter()),
                        "seed {seed}, {exercise}"
                    );
                }
            }
        }
    }
}
