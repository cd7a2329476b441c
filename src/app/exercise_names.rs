//! Turning what a lifter typed into the exercise name stored, so "bp",
//! "bench" and "Bench Press" all land in one history.

use crate::error::Result;
use crate::model::Alias;
use crate::model::catalogue::{self, normalize};
use crate::store::Store;
use std::collections::HashMap;

/// The lifter's aliases, loaded once per command: an alias becomes its
/// exercise, a catalogue entry its canonical name, anything else stays as
/// typed (a custom exercise).
pub struct ExerciseNames {
    aliases: HashMap<String, String>,
}

/// What a typed exercise name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The name to store: the alias's exercise, the catalogue's spelling, or
    /// the text as typed.
    pub name: String,
    /// A catalogue exercise close to a name that matched none: probably a
    /// typo, which the command points out (the name is still kept as typed).
    pub suggestion: Option<&'static str>,
}

impl ExerciseNames {
    /// Reads this device's aliases.
    pub fn load(store: &Store) -> Result<ExerciseNames> {
        let aliases = store.all::<Alias>()?.into_iter().map(|a| (a.id, a.exercise)).collect();
        Ok(ExerciseNames { aliases })
    }

    /// The exercise `typed` means, with a suggestion when it looks like a typo.
    pub fn resolve(&self, typed: &str) -> Resolved {
        let target = self.aliases.get(&normalize(typed)).map_or(typed, String::as_str);
        match catalogue::lookup(target) {
            Some(known) => Resolved {
                name: known.name.to_string(),
                suggestion: None,
            },
            None => Resolved {
                name: target.to_string(),
                suggestion: catalogue::suggest(target),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    #[test]
    fn aliases_catalogue_names_typos_and_custom_exercises() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pump.db")).unwrap();
        let alias = Alias::new("bp", "Bench Press").unwrap();
        let id = alias.id.clone();
        store.write(&id, |_| Ok(Some(Change::put(alias)))).unwrap();
        let names = ExerciseNames::load(&store).unwrap();
        let resolved = |typed: &str| {
            let r = names.resolve(typed);
            (r.name, r.suggestion)
        };
        assert_eq!(resolved("BP"), ("Bench Press".to_string(), None));
        assert_eq!(resolved("bench press"), ("Bench Press".to_string(), None));
        assert_eq!(resolved("bench pres"), ("bench pres".to_string(), Some("Bench Press")));
        assert_eq!(resolved("Zercher Hold"), ("Zercher Hold".to_string(), None));
    }
}
