//! Renaming an exercise across history (`pump exercises rename` and
//! `merge`): every workout, plan, template and alias that names it, through
//! the one write path, so the change syncs and merges with a concurrent edit
//! on another device (only the entries' `name` fields change; their ids and
//! sets stay, so a set added elsewhere meanwhile merges in).

use crate::error::Result;
use crate::model::catalogue::normalize;
use crate::model::{Alias, ExerciseEntry, Template, Workout};
use crate::store::{Change, Store};
use crate::sync::kinds::Record;

/// What a rename rewrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Renamed {
    /// Workouts with an exercise (done or planned) renamed.
    pub workouts: usize,
    /// Templates with an exercise renamed.
    pub templates: usize,
    /// Aliases now pointing at the new name.
    pub aliases: usize,
}

/// The stored spellings of `from` (same letters and digits, any case or
/// punctuation) that workouts use: empty when no workout names it.
pub fn spellings_in_use(store: &Store, from: &str) -> Result<Vec<String>> {
    let key = normalize(from);
    Ok(store
        .exercise_names_in_use()?
        .into_iter()
        .filter(|name| normalize(name) == key)
        .collect())
}

/// Renames every exercise spelled like `from` to `to`, everywhere, in one
/// transaction per kind of record.
pub fn rename(store: &mut Store, from: &str, to: &str) -> Result<Renamed> {
    let key = normalize(from);
    let named = |name: &str| normalize(name) == key;
    let rename_in = |entries: &mut [ExerciseEntry]| {
        let mut changed = false;
        for entry in entries.iter_mut().filter(|e| named(&e.name) && e.name != to) {
            entry.name = to.to_string();
            changed = true;
        }
        changed
    };

    let spellings = spellings_in_use(store, from)?;
    let workout_ids: Vec<String> = store
        .workouts_with_exercises(&spellings)?
        .into_iter()
        .map(|w| w.id)
        .collect();
    let workouts = rewrite::<Workout>(store, &workout_ids, |w| {
        let done = rename_in(&mut w.exercises);
        rename_in(&mut w.plan) || done
    })?;
    let template_ids = ids_of(store, |t: &Template| t.exercises.iter().any(|e| named(&e.name)))?;
    let templates = rewrite::<Template>(store, &template_ids, |t| rename_in(&mut t.exercises))?;
    let alias_ids = ids_of(store, |a: &Alias| named(&a.exercise))?;
    let aliases = rewrite::<Alias>(store, &alias_ids, |a| {
        a.exercise = to.to_string();
        true
    })?;
    Ok(Renamed {
        workouts,
        templates,
        aliases,
    })
}

/// The ids of the live records of a kind that `wanted` picks.
fn ids_of<T: Record>(store: &Store, wanted: impl Fn(&T) -> bool) -> Result<Vec<String>> {
    Ok(store
        .all::<T>()?
        .into_iter()
        .filter(|r| wanted(r))
        .map(|r| r.id().to_string())
        .collect())
}

/// Applies `change` to each live record of `ids` in one transaction,
/// writing those it changed (it returns whether it did).
fn rewrite<T: Record>(store: &mut Store, ids: &[String], mut change: impl FnMut(&mut T) -> bool) -> Result<usize> {
    store.write_each::<T>(ids, |current| {
        if current.deleted {
            return Ok(None);
        }
        let mut record = current.value;
        Ok(change(&mut record).then(|| Change::put(record)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, parse_sets};
    use chrono::Utc;

    #[test]
    fn renames_workouts_plans_templates_and_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let mut workout = Workout::new("Push".into(), Utc::now());
        workout.add_sets("bench press (barbell)", parse_sets("5@100kg", Unit::Kg).unwrap());
        workout.add_sets("Squat", parse_sets("5@100kg", Unit::Kg).unwrap());
        let (id, entry_id) = (workout.id.clone(), workout.exercises[0].id.clone());
        store.write(&id, |_| Ok(Some(Change::put(workout)))).unwrap();
        let template = Template {
            id: Template::id_for("Push A"),
            name: "Push A".into(),
            exercises: vec![ExerciseEntry {
                id: "t1".into(),
                name: "Bench Press (Barbell)".into(),
                sets: parse_sets("5@100kg", Unit::Kg).unwrap(),
                ..ExerciseEntry::default()
            }],
        };
        let tid = template.id.clone();
        store.write(&tid, |_| Ok(Some(Change::put(template)))).unwrap();
        let alias = Alias::new("bpb", "Bench Press (Barbell)").unwrap();
        let aid = alias.id.clone();
        store.write(&aid, |_| Ok(Some(Change::put(alias)))).unwrap();

        assert_eq!(spellings_in_use(&store, "Bench Press (BARBELL)").unwrap().len(), 1);
        let renamed = rename(&mut store, "Bench Press (Barbell)", "Bench Press").unwrap();
        assert_eq!(
            renamed,
            Renamed {
                workouts: 1,
                templates: 1,
                aliases: 1
            }
        );
        let stored = store.get::<Workout>(&id).unwrap().unwrap();
        assert!(stored.pending);
        assert_eq!(stored.value.exercises[0].name, "Bench Press");
        assert_eq!(
            stored.value.exercises[0].id, entry_id,
            "the entry keeps its id, so edits merge"
        );
        assert_eq!(stored.value.exercises[1].name, "Squat");
        assert_eq!(
            store.get::<Template>(&tid).unwrap().unwrap().value.exercises[0].name,
            "Bench Press"
        );
        assert_eq!(store.get::<Alias>(&aid).unwrap().unwrap().value.exercise, "Bench Press");
        assert!(spellings_in_use(&store, "Bench Press (Barbell)").unwrap().is_empty());
        assert_eq!(
            rename(&mut store, "Bench Press (Barbell)", "Bench Press").unwrap(),
            Renamed::default()
        );
    }
}
