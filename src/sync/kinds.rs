//! The registry of record kinds: every kind of record that syncs, named
//! once. The store keeps them in one table, the server stores them without
//! looking inside, and the client checks a received row against its kind
//! before storing it. On the wire (and in the database) a kind stays a
//! string, so an older pump can skip a kind it does not know instead of
//! failing on it.
//!
//! Adding a record kind: write its model type (with an `id` field and a
//! `validate` method), then add one line to the `record_kinds!` table below.

use super::wire::Row;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record type that syncs: it is stored, versioned and merged as a JSON
/// body under its kind and id.
pub trait Record: Serialize + DeserializeOwned {
    /// Which kind of record this is.
    const KIND: Kind;
    /// The record's id, unique within its kind.
    fn id(&self) -> &str;
    /// Whether the record is well-formed; the message says what is wrong.
    fn validate(&self) -> Result<(), String>;
}

/// Whether `body` is a record of type `T` that this pump can use under `id`:
/// it deserialises, it validates, and its id is the row's. Deserialised from
/// a borrow: cloning a whole body per received row showed in profiles.
fn reads<T: Record>(id: &str, body: &serde_json::Value) -> bool {
    read::<T>(id, body).is_some()
}

/// The record `body` holds, when it is one this pump can use under `id`
/// (see [`reads`]): for callers that go on to use it, so the body is
/// deserialised once.
pub fn read<T: Record>(id: &str, body: &serde_json::Value) -> Option<T> {
    T::deserialize(body)
        .ok()
        .filter(|record| record.validate().is_ok() && record.id() == id)
}

impl Kind {
    /// The kind named `text` on the wire or in the database, if this pump
    /// knows it.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Can this pump read a row of this kind (it deserialises, validates,
    /// and its body's id is the row's)? Rows it cannot read (a malformed
    /// body) are left alone rather than stored half-understood.
    pub fn readable(self, row: &Row) -> bool {
        self.readable_body(&row.id, &row.body)
    }
}

/// The sort key `records` keeps in a column of its own (a workout's start,
/// as its JSON has it), so that reading or updating rows never makes SQLite
/// parse their JSON.
pub fn started_at(body: &serde_json::Value) -> Option<&str> {
    body.get("started_at").and_then(serde_json::Value::as_str)
}

/// Whether this pump understands a row received from the server: a kind it
/// knows, and a body that reads as that kind. A newer pump's record kind is
/// not readable here.
pub fn readable(row: &Row) -> bool {
    Kind::parse(&row.kind).is_some_and(|kind| kind.readable(row))
}

/// Declares [`Kind`] and the [`Record`] implementations from one table, so
/// that a kind's name, its model type and its checks cannot drift apart.
macro_rules! record_kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $noun:literal => $model:ty;)+) => {
        /// A kind of record that syncs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[$doc])* $variant,)+
        }

        impl Kind {
            /// Every kind this pump knows.
            pub const ALL: [Kind; [$($name),+].len()] = [$(Kind::$variant),+];

            /// The kind's name on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)+
                }
            }

            /// What a person calls one record of this kind, in messages.
            pub fn noun(self) -> &'static str {
                match self {
                    $(Kind::$variant => $noun,)+
                }
            }

            /// Whether `body` reads as a record of this kind with this `id`
            /// (a merged body is checked before it is stored).
            pub fn readable_body(self, id: &str, body: &serde_json::Value) -> bool {
                match self {
                    $(Kind::$variant => reads::<$model>(id, body),)+
                }
            }
        }

        $(
            impl Record for $model {
                const KIND: Kind = Kind::$variant;
                fn id(&self) -> &str {
                    &self.id
                }
                fn validate(&self) -> Result<(), String> {
                    <$model>::validate(self).map_err(|e| e.to_string())
                }
            }
        )+
    };
}

record_kinds! {
    /// A workout: its exercises and sets.
    Workout = "workout", "workout" => crate::model::Workout;
    /// A short name for an exercise.
    Alias = "alias", "alias" => crate::model::Alias;
    /// A routine to start workouts from.
    Template = "template", "template" => crate::model::Template;
    /// One day's body-weight reading.
    BodyWeight = "bodyweight", "body-weight entry" => crate::model::BodyWeight;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VectorClock;
    use crate::model::{Alias, BodyWeight, Template, Workout};
    use serde_json::json;

    fn row(kind: &str, id: &str, body: serde_json::Value) -> Row {
        Row {
            kind: kind.into(),
            id: id.into(),
            clock: VectorClock::new(),
            deleted: false,
            body,
            origin: None,
            dots: Vec::new(),
            digest: None,
        }
    }

    #[test]
    fn every_kind_parses_back_from_its_name_and_names_are_distinct() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        let names: std::collections::HashSet<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), Kind::ALL.len());
        assert_eq!(Kind::parse("Workout"), None);
        assert_eq!(Kind::parse("recipe"), None);
    }

    #[test]
    fn the_wire_names_are_the_ones_stored_databases_and_servers_hold() {
        assert_eq!(Workout::KIND.as_str(), "workout");
        assert_eq!(Alias::KIND.as_str(), "alias");
        assert_eq!(Template::KIND.as_str(), "template");
        assert_eq!(BodyWeight::KIND.as_str(), "bodyweight");
    }

    #[test]
    fn a_row_is_readable_only_as_a_known_kind_with_a_valid_body_under_its_own_id() {
        let alias = serde_json::to_value(Alias::new("bp", "Bench Press").unwrap()).unwrap();
        assert!(readable(&row("alias", "bp", alias.clone())));
        assert!(
            !readable(&row("alias", "squat", alias.clone())),
            "id differs from the body's"
        );
        assert!(!readable(&row("template", "bp", alias.clone())), "body of another kind");
        assert!(!readable(&row("recipe", "bp", alias)), "a kind this pump does not know");
        let broken = json!({"id": "bp", "alias": "bp", "exercise": ""});
        assert!(!readable(&row("alias", "bp", broken)), "does not validate");
    }
}
