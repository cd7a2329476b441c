//! Turning what a lifter typed into the exercise name stored, so "bp",
//! "bench" and "Bench Press" all land in one history: the lifter's aliases
//! over the catalogue (see [`ExerciseNames`]).

use crate::error::Result;
use crate::model::{Alias, ExerciseNames};
use crate::store::Store;

/// This device's aliases, ready to resolve names. Load once per command.
pub fn load(store: &Store) -> Result<ExerciseNames> {
    Ok(ExerciseNames::new(&store.all::<Alias>()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    #[test]
    fn synced_aliases_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let alias = Alias::new("bp", "Bench Press").unwrap();
        let id = alias.id.clone();
        store.write(&id, |_| Ok(Some(Change::put(alias)))).unwrap();
        let names = load(&store).unwrap();
        assert_eq!(names.resolve("BP").name, "Bench Press");
        assert_eq!(names.resolve("bench pres").suggestion.as_deref(), Some("Bench Press"));
    }
}
