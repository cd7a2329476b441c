//! Which personal records a write beats, for the "New PR" lines of `pump
//! log` and `pump add`, kept fast by a per-exercise record cache.

use super::history::BodyLog;
use crate::analytics::{self, DEFINITIONS_VERSION, Formula, Lifter, NewPr, PersonalRecords};
use crate::error::Result;
use crate::model::{ExerciseNames, Workout};
use crate::store::{CachedRecords, Store};

/// The records a write may beat, taken before `pump log` or `pump add`
/// writes, from the record cache when it is current (the usual case: one
/// lookup per exercise) or else from the few sets that can hold them.
pub struct PrWatch {
    generation: u64,
    before: Vec<PersonalRecords>,
    body: BodyLog,
    names: ExerciseNames,
}

/// The cache key of an exercise's records: the records depend on the
/// definitions they were computed with, so a pump with other definitions
/// never reads them.
fn cache_key(names: &ExerciseNames, exercise: &str) -> String {
    format!("v{DEFINITIONS_VERSION}:{}", names.key(exercise))
}

impl PrWatch {
    /// `workout` is the version about to be written.
    pub fn before(store: &Store, workout: &Workout) -> Result<PrWatch> {
        let generation = store.generation()?;
        let body = BodyLog::load(store)?;
        let names = super::exercise_names::load(store)?;
        let weigh = |at| body.at(at);
        let lifter = Lifter {
            body_weight: &weigh,
            names: &names,
        };
        let cache = store.record_cache(generation)?;
        let mut before = Vec::new();
        let mut missing = Vec::new();
        for name in analytics::exercise_names(workout, lifter) {
            let cached = match &cache {
                Some(cache) => cache.get(&cache_key(&names, name))?,
                None => None,
            };
            match cached.and_then(|text| serde_json::from_str::<PersonalRecords>(&text).ok()) {
                Some(records) => before.push(records),
                None => missing.push(name.to_string()),
            }
        }
        if !missing.is_empty() {
            let wanted: Vec<&str> = missing.iter().map(String::as_str).collect();
            let history = super::history::record_candidates(store, &names, Some(&wanted))?;
            for name in &missing {
                before.push(analytics::personal_records(&history, name, Formula::default(), lifter));
            }
        }
        Ok(PrWatch {
            generation,
            before,
            body,
            names,
        })
    }

    /// The records `updated` beats, in the order of its exercises, and its
    /// exercises' new records for the record cache, to save with its write
    /// ([`Store::write_with_records`]).
    pub fn after(self, updated: &Workout) -> (Vec<NewPr>, CachedRecords) {
        let weigh = |at| self.body.at(at);
        let lifter = Lifter {
            body_weight: &weigh,
            names: &self.names,
        };
        let mut beaten = Vec::new();
        let mut cache = CachedRecords {
            computed_at: self.generation,
            entries: Vec::new(),
        };
        for before in &self.before {
            let after = analytics::records_with(before, updated, lifter);
            beaten.extend(analytics::beaten(before, &after));
            // Only a cache: a record that cannot be saved is computed again next time.
            if let Ok(text) = serde_json::to_string(&after) {
                cache.entries.push((cache_key(&self.names, &after.exercise), text));
            }
        }
        (beaten, cache)
    }

    /// [`PrWatch::after`] as [`Store::write_with_records`] takes it: the
    /// records the written version beat are left in `beaten`.
    pub fn noting_into(self, beaten: &mut Vec<NewPr>) -> impl FnOnce(&Workout) -> CachedRecords + '_ {
        move |written| {
            let (prs, records) = self.after(written);
            *beaten = prs;
            records
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::PrKind;
    use crate::model::{Unit, parse_sets};
    use crate::store::Change;
    use chrono::Utc;

    fn bench(sets: &str) -> Workout {
        named("Bench Press", sets)
    }

    fn named(exercise: &str, sets: &str) -> Workout {
        let mut workout = Workout::new("Push".into(), Utc::now());
        workout.add_sets(exercise, parse_sets(sets, Unit::Kg).unwrap());
        workout
    }

    /// Watches one write, as `pump log` does, and returns what it beat.
    fn log(store: &mut Store, workout: Workout) -> Vec<NewPr> {
        let watch = PrWatch::before(store, &workout).unwrap();
        let id = workout.id.clone();
        let mut beaten = Vec::new();
        store
            .write_with_records(
                &id,
                |_| Ok(Some(Change::put(workout.clone()))),
                watch.noting_into(&mut beaten),
            )
            .unwrap();
        beaten
    }

    #[test]
    fn returns_the_records_a_write_beats_with_or_without_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        assert!(
            log(&mut store, bench("5@100kg")).is_empty(),
            "a first session beats nothing"
        );
        let heavier = log(&mut store, bench("1@120kg"));
        assert_eq!(heavier[0].kind, PrKind::Heaviest);
        assert_eq!((heavier[0].value, heavier[0].previous), (120.0, 100.0));
        // A write outside the watch leaves the cache stale: the records are recomputed.
        let unwatched = bench("1@130kg");
        let id = unwatched.id.clone();
        store.write(&id, |_| Ok(Some(Change::put(unwatched)))).unwrap();
        let again = log(&mut store, bench("1@125kg"));
        assert!(again.iter().all(|pr| pr.kind != PrKind::Heaviest), "{again:?}");
    }

    #[test]
    fn records_are_saved_with_their_write_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let workout = bench("5@100kg");
        let key = cache_key(&ExerciseNames::default(), "Bench Press");
        let watch = PrWatch::before(&store, &workout).unwrap();
        let refused = store.write_with_records::<Workout>(
            &workout.id,
            |_| Err(crate::error::Error::usage("refused")),
            |written| watch.after(written).1,
        );
        assert!(refused.is_err());
        let cached = |store: &Store| {
            let cache = store.record_cache(store.generation().unwrap()).unwrap();
            cache.and_then(|cache| cache.get(&key).unwrap())
        };
        assert_eq!(cached(&store), None, "a refused write saves no records");
        log(&mut store, workout);
        assert!(cached(&store).is_some(), "the records are saved with the write");
    }

    #[test]
    fn history_under_another_spelling_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let imported = named("Bench Press (Barbell)", "1@140kg");
        let id = imported.id.clone();
        store.write(&id, |_| Ok(Some(Change::put(imported)))).unwrap();
        let prs = log(&mut store, bench("1@130kg"));
        assert!(prs.is_empty(), "140 kg was lifted under the imported name: {prs:?}");
        let prs = log(&mut store, bench("1@145kg"));
        assert_eq!(
            prs.first().map(|pr| (pr.kind, pr.previous)),
            Some((PrKind::Heaviest, 140.0))
        );
    }
}
