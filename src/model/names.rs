//! What an exercise name means: the lifter's aliases first, then the
//! catalogue, else the name itself (a custom exercise). The same rule reads
//! what a lifter types and what is stored, so "bp", "Bench Press" and an
//! imported "Bench Press (Barbell)" are one exercise with one history, and
//! an alias never hides the sets logged under the name it replaces.

use super::catalogue::{self, Exercise, Muscle, normalize};
use super::records::Alias;
use std::borrow::Cow;
use std::collections::HashMap;

/// The lifter's aliases, ready to resolve names. Build one per command.
#[derive(Debug, Clone, Default)]
pub struct ExerciseNames {
    /// Normalized alias → the exercise it stands for.
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
    pub suggestion: Option<String>,
}

impl ExerciseNames {
    /// Names resolved through `aliases` and the catalogue.
    pub fn new<'a>(aliases: impl IntoIterator<Item = &'a Alias>) -> ExerciseNames {
        ExerciseNames {
            aliases: aliases
                .into_iter()
                .map(|a| (a.id.clone(), a.exercise.clone()))
                .collect(),
        }
    }

    /// The exercise `typed` means, with a suggestion when it looks like a typo.
    pub fn resolve(&self, typed: &str) -> Resolved {
        let target = self.aliased(typed);
        match catalogue::lookup(target) {
            Some(known) => Resolved {
                name: known.name.into_owned(),
                suggestion: None,
            },
            None => Resolved {
                name: target.to_string(),
                suggestion: catalogue::suggest(target).map(Cow::into_owned),
            },
        }
    }

    /// The name an exercise (typed or stored) counts under everywhere: the
    /// catalogue's name when the alias or the catalogue knows it, else the
    /// name itself.
    pub fn canonical<'a>(&'a self, name: &'a str) -> Cow<'a, str> {
        let target = self.aliased(name);
        match catalogue::lookup(target) {
            Some(known) => Cow::Owned(known.name.into_owned()),
            None => Cow::Borrowed(target),
        }
    }

    /// The matching key of the exercise `name` counts as: two names with the
    /// same key share one history.
    pub fn key(&self, name: &str) -> String {
        normalize(&self.canonical(name))
    }

    /// The catalogue exercise `name` counts as, if any.
    pub fn exercise(&self, name: &str) -> Option<Exercise> {
        catalogue::lookup(self.aliased(name))
    }

    /// The muscle group `name` counts toward: "other" outside the catalogue.
    pub fn muscle(&self, name: &str) -> Muscle {
        self.exercise(name).map_or(Muscle::Other, |e| e.muscle)
    }

    /// What an alias named `name` stands for, or `name` itself.
    fn aliased<'a>(&'a self, name: &'a str) -> &'a str {
        self.aliases.get(&normalize(name)).map_or(name, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_catalogue_names_exports_typos_and_custom_exercises() {
        let names = ExerciseNames::new(&[
            Alias::new("bp", "Bench Press").unwrap(),
            Alias::new("Bench Press (Barbell)", "Bench Press").unwrap(),
            Alias::new("zott", "Zottman Curl").unwrap(),
        ]);
        let resolved = |typed: &str| {
            let r = names.resolve(typed);
            (r.name, r.suggestion)
        };
        assert_eq!(resolved("BP"), ("Bench Press".into(), None));
        assert_eq!(resolved("bench press"), ("Bench Press".into(), None));
        assert_eq!(
            resolved("bench pres"),
            ("bench pres".into(), Some("Bench Press".into()))
        );
        assert_eq!(resolved("Zercher Hold"), ("Zercher Hold".into(), None));
        assert_eq!(resolved("zott"), ("Zottman Curl".into(), None));
        for one in [
            "bp",
            "Bench Press",
            "BENCH",
            "Bench Press (Barbell)",
            "Flat Barbell Bench Press",
        ] {
            assert_eq!(names.key(one), "benchpress", "{one}");
        }
        assert_eq!(names.key("zott"), names.key("zottman curl"));
        assert_eq!(names.canonical("Squat (Barbell)"), "Squat");
        assert_eq!(names.muscle("Squat (Barbell)"), Muscle::Quads);
        assert_eq!(names.muscle("zott"), Muscle::Other);
        assert_eq!(ExerciseNames::default().key("Bench Press (Barbell)"), "benchpress");
    }
}
