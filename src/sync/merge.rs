//! Three-way merge of two concurrent versions of one record.
//!
//! When the vector clocks say the local version ("mine") and the server's
//! ("theirs") were written without knowledge of each other, neither may simply
//! win: a rename on the phone and a set logged on the watch must both survive.
//! Comparing each side with the last version both had seen ("base") tells who
//! changed what, so only a field both sides changed differently is a real
//! conflict for the lifter to settle.
//!
//! The merge works on JSON bodies, not on `Workout`, so aliases, templates and
//! body-weight entries merge by the same rules without code of their own:
//! objects merge key by key, arrays of objects with a string `"id"` merge
//! element by element, anything else is one atomic value.
//!
//! Everything here is symmetric (swapping mine and theirs mirrors the
//! conflicts and yields the same merged record) so two devices merging the
//! same pair independently arrive at the same result.

use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

/// One side of a merge: a record body and its tombstone flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Version<'a> {
    pub body: &'a Value,
    pub deleted: bool,
}

/// Which version wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Mine,
    Theirs,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The record's tombstone: one side deleted it while the other edited it.
    Deleted,
    /// A key of an object.
    Key(String),
    /// An element of an id-keyed array. `id` identifies it; `label` is what
    /// a person calls it: its `"name"`, or else its place in the merged array
    /// ("set 2"), which both devices compute alike.
    Element { id: String, label: String },
}

/// Where a conflict is, both for code (ids) and for people (labels).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath {
    pub segments: Vec<Segment>,
}

impl FieldPath {
    fn child(&self, segment: Segment) -> FieldPath {
        let mut segments = self.segments.clone();
        segments.push(segment);
        FieldPath { segments }
    }
}

/// Reads like `bench press › set 2 › weight_kg`: the array key before an
/// element is left out because the element's label already says what it is.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (i, segment) in self.segments.iter().enumerate() {
            let text = match segment {
                Segment::Deleted => "deleted",
                Segment::Key(_) if matches!(self.segments.get(i + 1), Some(Segment::Element { .. })) => continue,
                Segment::Key(key) => key,
                Segment::Element { label, .. } => label,
            };
            if !first {
                f.write_str(" › ")?;
            }
            f.write_str(text)?;
            first = false;
        }
        Ok(())
    }
}

/// A field both sides changed to different values. `None` means absent (a
/// removed element or key, or for [`Segment::Deleted`] a deleted record).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: FieldPath,
    pub base: Option<Value>,
    pub mine: Option<Value>,
    pub theirs: Option<Value>,
}

/// The outcome of [`merge`]. While conflicts are held, `body` and `deleted`
/// take Mine for each of them, so the local row keeps what the lifter wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub body: Value,
    pub deleted: bool,
    pub conflicts: Vec<Conflict>,
}

/// Merges two concurrent versions against the last synced one (`None` when
/// the record was never synced: then only equal values agree).
pub fn merge(base: Option<Version>, mine: Version, theirs: Version) -> Merged {
    merge_with(base, mine, theirs, &[])
}

/// Rebuilds the merge taking `choices[i]` for the i-th conflict [`merge`]
/// reported, for "keep mine", "keep theirs" and field-by-field choice.
/// Conflicts without a choice keep Mine.
pub fn resolve(base: Option<Version>, mine: Version, theirs: Version, choices: &[Side]) -> (Value, bool) {
    let merged = merge_with(base, mine, theirs, choices);
    (merged.body, merged.deleted)
}

fn merge_with<'a>(base: Option<Version<'a>>, mine: Version<'a>, theirs: Version<'a>, choices: &[Side]) -> Merged {
    let base_body = base.map(|b| b.body);
    if mine.deleted == theirs.deleted {
        let mut merger = Merger::new(choices);
        // Both sides are present, so the merged body is too.
        let body = merger
            .value(&FieldPath::default(), base_body, Some(mine.body), Some(theirs.body))
            .unwrap_or_default();
        if !mine.deleted {
            return Merged {
                body,
                deleted: false,
                conflicts: merger.conflicts,
            };
        }
        // Both deleted: nobody will edit this body again, so asking the lifter
        // about it would be noise. It only has to be the same on every device.
        let body = if merger.conflicts.is_empty() {
            body
        } else {
            base_body.unwrap_or_else(|| smallest(mine.body, theirs.body)).clone()
        };
        return Merged {
            body,
            deleted: true,
            conflicts: Vec::new(),
        };
    }

    // The flags differ: the side that changed its flag (or, never synced, the
    // one that deleted) wins unless the other side edited the body meanwhile.
    let (changer, other) = match base {
        Some(b) if mine.deleted != b.deleted => (mine, theirs),
        Some(_) => (theirs, mine),
        None if mine.deleted => (mine, theirs),
        None => (theirs, mine),
    };
    if other.body == base_body.unwrap_or(changer.body) {
        return Merged {
            body: changer.body.clone(),
            deleted: changer.deleted,
            conflicts: Vec::new(),
        };
    }
    let live = |v: Version<'a>| (!v.deleted).then_some(v.body);
    let mut merger = Merger::new(choices);
    let chosen = match merger.conflict(
        FieldPath {
            segments: vec![Segment::Deleted],
        },
        base.and_then(live),
        live(mine),
        live(theirs),
    ) {
        Side::Mine => mine,
        Side::Theirs => theirs,
    };
    Merged {
        body: chosen.body.clone(),
        deleted: chosen.deleted,
        conflicts: merger.conflicts,
    }
}

/// A deterministic pick between two values that no rule can order.
fn smallest<'a>(a: &'a Value, b: &'a Value) -> &'a Value {
    std::cmp::min_by_key(a, b, |v| v.to_string())
}

/// The three-way rule for one atomic value: `Some` when the sides agree or
/// only one of them changed, `None` when both changed differently.
fn pick<T: PartialEq + Copy>(base: T, mine: T, theirs: T) -> Option<T> {
    if mine == theirs || base == mine {
        Some(theirs)
    } else if base == theirs {
        Some(mine)
    } else {
        None
    }
}

/// Walks the bodies, recording conflicts in visiting order and settling each
/// with the caller's choice (Mine when there is none).
struct Merger<'c> {
    choices: &'c [Side],
    conflicts: Vec<Conflict>,
}

type Keyed<'v> = Vec<(&'v str, &'v Value)>;

impl<'c> Merger<'c> {
    fn new(choices: &'c [Side]) -> Self {
        Merger {
            choices,
            conflicts: Vec::new(),
        }
    }

    fn conflict(
        &mut self,
        path: FieldPath,
        base: Option<&Value>,
        mine: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Side {
        let side = self.choices.get(self.conflicts.len()).copied().unwrap_or(Side::Mine);
        self.conflicts.push(Conflict {
            path,
            base: base.cloned(),
            mine: mine.cloned(),
            theirs: theirs.cloned(),
        });
        side
    }

    /// `None` in and out means absent.
    fn value(
        &mut self,
        path: &FieldPath,
        base: Option<&Value>,
        mine: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Option<Value> {
        if let Some(agreed) = pick(base, mine, theirs) {
            return agreed.cloned();
        }
        match (mine, theirs) {
            (Some(Value::Object(m)), Some(Value::Object(t))) => {
                Some(Value::Object(self.object(path, base.and_then(Value::as_object), m, t)))
            }
            (Some(Value::Array(m)), Some(Value::Array(t))) if let (Some(m), Some(t)) = (keyed(m), keyed(t)) => {
                // A base of another shape shares no elements with either side.
                let base = base
                    .and_then(Value::as_array)
                    .and_then(|b| keyed(b))
                    .unwrap_or_default();
                Some(Value::Array(self.array(path, &base, &m, &t)))
            }
            _ => match self.conflict(path.clone(), base, mine, theirs) {
                Side::Mine => mine.cloned(),
                Side::Theirs => theirs.cloned(),
            },
        }
    }

    fn object(
        &mut self,
        path: &FieldPath,
        base: Option<&Map<String, Value>>,
        mine: &Map<String, Value>,
        theirs: &Map<String, Value>,
    ) -> Map<String, Value> {
        // Base order first (the record's own field order), then new keys
        // sorted: the same on both devices whatever order each side wrote.
        let base_keys: Vec<&String> = base.map(|b| b.keys().collect()).unwrap_or_default();
        let added: BTreeSet<&String> = mine
            .keys()
            .chain(theirs.keys())
            .filter(|k| !base_keys.contains(k))
            .collect();
        let mut out = Map::new();
        for key in base_keys.into_iter().chain(added) {
            let child = path.child(Segment::Key(key.clone()));
            if let Some(v) = self.value(&child, base.and_then(|b| b.get(key)), mine.get(key), theirs.get(key)) {
                out.insert(key.clone(), v);
            }
        }
        out
    }

    fn array(&mut self, path: &FieldPath, base: &Keyed, mine: &Keyed, theirs: &Keyed) -> Vec<Value> {
        let (b, m, t) = (index(base), index(mine), index(theirs));
        let at = |id: &str| (b.get(id).copied(), m.get(id).copied(), t.get(id).copied());
        // An element stays unless the rules cleanly remove it; one removed on
        // one side and edited on the other stays as a conflict.
        let stays = |id: &str| {
            let (b, m, t) = at(id);
            pick(b, m, t) != Some(None)
        };
        let order = element_order(base, mine, theirs, stays);
        let noun = match path.segments.last() {
            Some(Segment::Key(key)) => singular(key),
            _ => "item".to_string(),
        };
        let mut out = Vec::with_capacity(order.len());
        for (position, id) in order.into_iter().enumerate() {
            let (b, m, t) = at(id);
            let label = element_name(b, m, t).map_or_else(|| format!("{noun} {}", position + 1), str::to_string);
            let child = path.child(Segment::Element {
                id: id.to_string(),
                label,
            });
            out.extend(self.value(&child, b, m, t));
        }
        out
    }
}

/// "sets" → "set", "entries" → "entry": good enough for field names.
fn singular(key: &str) -> String {
    match key.strip_suffix("ies") {
        Some(stem) => format!("{stem}y"),
        None => key.strip_suffix('s').unwrap_or(key).to_string(),
    }
}

/// The elements as `(id, element)` when every one is an object with a string
/// `"id"` and no id repeats; otherwise the array is one atomic value.
fn keyed(items: &[Value]) -> Option<Keyed<'_>> {
    let mut seen = HashSet::new();
    items
        .iter()
        .map(|item| {
            let id = item.get("id")?.as_str()?;
            seen.insert(id).then_some((id, item))
        })
        .collect()
}

fn index<'v>(items: &Keyed<'v>) -> HashMap<&'v str, &'v Value> {
    items.iter().copied().collect()
}

/// What a person calls an element: its `"name"` as merged, or as it was
/// before the sides disagreed, or (never synced) the first in sort order,
/// so both devices label it alike.
fn element_name<'v>(base: Option<&'v Value>, mine: Option<&'v Value>, theirs: Option<&'v Value>) -> Option<&'v str> {
    let name = |v: Option<&'v Value>| {
        v.and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
    };
    let (b, m, t) = (name(base), name(mine), name(theirs));
    pick(b, m, t).flatten().or(b).or_else(|| m.into_iter().chain(t).min())
}

/// The order of the merged elements, the same whichever side is mine.
///
/// Elements from base keep their order, or the order one side gave them when
/// only that side reordered. An added element follows the base element it
/// followed on the side that added it, so a warm-up set inserted first stays
/// first. Where both sides added at the same spot, their runs interleave by
/// id (UUIDv7, so by creation time) while each side's own order is kept:
/// sets logged on two devices during one session end up in the order lifted.
fn element_order<'v>(
    base: &Keyed<'v>,
    mine: &Keyed<'v>,
    theirs: &Keyed<'v>,
    stays: impl Fn(&str) -> bool,
) -> Vec<&'v str> {
    let kept: Vec<&str> = base.iter().map(|(id, _)| *id).filter(|id| stays(id)).collect();
    let in_base: HashSet<&str> = base.iter().map(|(id, _)| *id).collect();
    let kept_on = |side: &Keyed<'v>| -> Vec<&'v str> {
        side.iter()
            .map(|(id, _)| *id)
            .filter(|id| in_base.contains(id) && stays(id))
            .collect()
    };
    let (mine_kept, theirs_kept) = (kept_on(mine), kept_on(theirs));
    // Reorders only count when both sides still hold every kept element;
    // reorders both sides made differently fall back to base order.
    let skeleton = if mine_kept.len() == kept.len() && theirs_kept.len() == kept.len() {
        pick(&kept, &mine_kept, &theirs_kept).unwrap_or(&kept).clone()
    } else {
        kept
    };
    let slot_of: HashMap<&str, usize> = skeleton.iter().enumerate().map(|(i, id)| (*id, i + 1)).collect();

    // Slot 0 is before the first base element, slot i + 1 right after the i-th.
    let slots_on = |side: &Keyed<'v>| -> Vec<(usize, &'v str)> {
        let mut slot = 0;
        let mut added = Vec::new();
        for (id, _) in side {
            if let Some(s) = slot_of.get(id) {
                slot = *s;
            } else if !in_base.contains(id) {
                added.push((slot, *id));
            }
        }
        added
    };
    let (mine_added, theirs_added) = (slots_on(mine), slots_on(theirs));
    // An id both sides added (only when never synced, or a copied database)
    // goes to the earlier of its two spots.
    let mut slot_of_added: HashMap<&str, usize> = HashMap::new();
    for (slot, id) in mine_added.iter().chain(&theirs_added) {
        let s = slot_of_added.entry(id).or_insert(*slot);
        *s = (*s).min(*slot);
    }
    let run = |added: &[(usize, &'v str)], slot: usize| -> Vec<&'v str> {
        added
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| slot_of_added.get(id) == Some(&slot))
            .collect()
    };

    let mut order = Vec::new();
    interleave(&run(&mine_added, 0), &run(&theirs_added, 0), &mut order);
    for (i, id) in skeleton.iter().enumerate() {
        order.push(*id);
        interleave(&run(&mine_added, i + 1), &run(&theirs_added, i + 1), &mut order);
    }
    order
}

/// Merges two runs by always taking the smaller head: each run keeps its own
/// order, and swapping the runs gives the same result. Ids in both appear once.
fn interleave<'v>(a: &[&'v str], b: &[&'v str], out: &mut Vec<&'v str>) {
    let mut placed = HashSet::new();
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        while a.next_if(|id| placed.contains(**id)).is_some() {}
        while b.next_if(|id| placed.contains(**id)).is_some() {}
        let next = match (a.peek().map(|id| **id), b.peek().map(|id| **id)) {
            (Some(x), Some(y)) => x.min(y),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => break,
        };
        placed.insert(next);
        out.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn live(body: &Value) -> Version<'_> {
        Version { body, deleted: false }
    }

    fn gone(body: &Value) -> Version<'_> {
        Version { body, deleted: true }
    }

    fn set(id: &str, reps: u32, weight_kg: f64) -> Value {
        json!({"id": id, "reps": reps, "weight_kg": weight_kg, "unit": "kg", "rpe": null, "kind": "working"})
    }

    /// Push day as last synced: bench press 2×5 @ 100, overhead press 1×8 @ 50.
    fn push_day() -> Value {
        json!({
            "id": "0195a000-0000-7000-8000-000000000001",
            "name": "Push day",
            "started_at": "2025-03-01T07:00:00Z",
            "completed_at": null,
            "notes": "",
            "exercises": [
                {"id": "e-bench", "name": "bench press", "sets": [set("s1", 5, 100.0), set("s2", 5, 100.0)]},
                {"id": "e-ohp", "name": "overhead press", "sets": [set("s3", 8, 50.0)]},
            ],
        })
    }

    fn sets(workout: &mut Value, exercise: usize) -> &mut Vec<Value> {
        workout["exercises"][exercise]["sets"]
            .as_array_mut()
            .expect("sets is an array")
    }

    fn set_ids(workout: &Value, exercise: usize) -> Vec<&str> {
        workout["exercises"][exercise]["sets"]
            .as_array()
            .expect("sets is an array")
            .iter()
            .map(|s| s["id"].as_str().expect("set id"))
            .collect()
    }

    fn mirrored(c: &Conflict) -> Conflict {
        Conflict {
            mine: c.theirs.clone(),
            theirs: c.mine.clone(),
            ..c.clone()
        }
    }

    /// Merges both ways, checks the results mirror each other, returns mine-first.
    fn merge_both_ways(base: Option<&Value>, mine: &Value, theirs: &Value) -> Merged {
        let ab = merge(base.map(live), live(mine), live(theirs));
        let ba = merge(base.map(live), live(theirs), live(mine));
        assert_eq!(ba.conflicts, ab.conflicts.iter().map(mirrored).collect::<Vec<_>>());
        if ab.conflicts.is_empty() {
            assert_eq!(ab.body, ba.body);
        }
        ab
    }

    #[test]
    fn rename_on_one_side_and_set_added_on_the_other_both_survive() {
        let base = push_day();
        let mut mine = base.clone();
        mine["name"] = json!("Push day (heavy)");
        let mut theirs = base.clone();
        sets(&mut theirs, 0).push(set("s4", 3, 105.0));

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert!(!merged.deleted);
        let mut expected = theirs.clone();
        expected["name"] = json!("Push day (heavy)");
        assert_eq!(merged.body, expected);
        // Still a valid workout.
        let workout: crate::model::Workout = serde_json::from_value(merged.body).expect("a workout");
        assert_eq!(workout.set_count(), 4);
    }

    #[test]
    fn same_weight_changed_differently_is_one_conflict_at_the_set() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0)[1]["weight_kg"] = json!(102.5);
        let mut theirs = base.clone();
        sets(&mut theirs, 0)[1]["weight_kg"] = json!(105.0);
        theirs["notes"] = json!("felt strong");

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert_eq!(merged.conflicts.len(), 1);
        let c = &merged.conflicts[0];
        assert_eq!(c.path.to_string(), "bench press › set 2 › weight_kg");
        assert_eq!(
            (c.base.clone(), c.mine.clone(), c.theirs.clone()),
            (Some(json!(100.0)), Some(json!(102.5)), Some(json!(105.0)))
        );
        // While held, the local row keeps mine, and takes the rest from theirs.
        assert_eq!(sets(&mut merged.body.clone(), 0)[1]["weight_kg"], json!(102.5));
        assert_eq!(merged.body["notes"], json!("felt strong"));

        let (body, deleted) = resolve(Some(live(&base)), live(&mine), live(&theirs), &[Side::Theirs]);
        assert_eq!(body, theirs);
        assert!(!deleted);
    }

    #[test]
    fn changing_a_field_identically_on_both_sides_is_no_conflict() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0)[0]["reps"] = json!(6);
        let theirs = mine.clone();
        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.body, mine);
    }

    #[test]
    fn sets_added_on_both_sides_are_kept_in_creation_order_either_way() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0).push(set("s5-mine-later", 3, 105.0));
        let mut theirs = base.clone();
        sets(&mut theirs, 0).push(set("s4-theirs-first", 3, 107.5));
        sets(&mut theirs, 0).push(set("s6-theirs-last", 1, 110.0));

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(
            set_ids(&merged.body, 0),
            ["s1", "s2", "s4-theirs-first", "s5-mine-later", "s6-theirs-last"]
        );
    }

    #[test]
    fn a_set_inserted_first_stays_first() {
        let base = push_day();
        let mut mine = base.clone();
        // A warm-up logged after the fact: its id sorts last, its place is first.
        sets(&mut mine, 0).insert(0, set("s9-warmup", 10, 60.0));
        let mut theirs = base.clone();
        sets(&mut theirs, 0).push(set("s4", 3, 105.0));

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert_eq!(set_ids(&merged.body, 0), ["s9-warmup", "s1", "s2", "s4"]);
    }

    #[test]
    fn a_reorder_on_one_side_survives_an_edit_on_the_other() {
        let base = push_day();
        let mut mine = base.clone();
        mine["exercises"].as_array_mut().expect("exercises").reverse();
        let mut theirs = base.clone();
        sets(&mut theirs, 1).push(set("s4", 8, 50.0));

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.body["exercises"][0]["name"], json!("overhead press"));
        assert_eq!(set_ids(&merged.body, 0), ["s3", "s4"]);
    }

    #[test]
    fn a_set_removed_on_one_side_and_untouched_on_the_other_is_removed() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0).remove(1);
        let mut theirs = base.clone();
        theirs["name"] = json!("Push");
        sets(&mut theirs, 1)[0]["reps"] = json!(9);

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(set_ids(&merged.body, 0), ["s1"]);
        assert_eq!(merged.body["name"], json!("Push"));
        assert_eq!(merged.body["exercises"][1]["sets"][0]["reps"], json!(9));
    }

    #[test]
    fn a_set_removed_on_both_sides_is_removed() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0).remove(0);
        let mut theirs = base.clone();
        sets(&mut theirs, 0).remove(0);
        sets(&mut theirs, 0).push(set("s4", 5, 100.0));
        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(set_ids(&merged.body, 0), ["s2", "s4"]);
    }

    #[test]
    fn a_set_removed_on_one_side_and_edited_on_the_other_is_a_conflict() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0).remove(1);
        let mut theirs = base.clone();
        sets(&mut theirs, 0)[1]["reps"] = json!(4);

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert_eq!(merged.conflicts.len(), 1);
        let c = &merged.conflicts[0];
        assert_eq!(c.path.to_string(), "bench press › set 2");
        assert_eq!(c.base, Some(set("s2", 5, 100.0)));
        assert_eq!(c.mine, None);
        assert_eq!(c.theirs, Some(theirs["exercises"][0]["sets"][1].clone()));
        assert_eq!(set_ids(&merged.body, 0), ["s1"]);

        let (body, _) = resolve(Some(live(&base)), live(&mine), live(&theirs), &[Side::Theirs]);
        assert_eq!(body, theirs);
    }

    #[test]
    fn a_key_added_on_one_side_merges_with_an_edit_of_the_same_set() {
        let base = push_day();
        let mut mine = base.clone();
        sets(&mut mine, 0)[0]["duration_s"] = json!(40);
        let mut theirs = base.clone();
        sets(&mut theirs, 0)[0]["reps"] = json!(6);
        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.body["exercises"][0]["sets"][0]["duration_s"], json!(40));
        assert_eq!(merged.body["exercises"][0]["sets"][0]["reps"], json!(6));
    }

    #[test]
    fn edit_against_delete_is_a_conflict_in_both_directions() {
        let base = push_day();
        let mut edited = base.clone();
        edited["notes"] = json!("new PR");

        let merged = merge(Some(live(&base)), gone(&base), live(&edited));
        assert_eq!(merged.conflicts.len(), 1);
        let c = &merged.conflicts[0];
        assert_eq!(c.path.to_string(), "deleted");
        assert_eq!(
            (&c.base, &c.mine, &c.theirs),
            (&Some(base.clone()), &None, &Some(edited.clone()))
        );
        assert!(merged.deleted);
        assert_eq!(
            resolve(Some(live(&base)), gone(&base), live(&edited), &[Side::Theirs]),
            (edited.clone(), false)
        );

        let merged = merge(Some(live(&base)), live(&edited), gone(&base));
        assert_eq!(merged.conflicts, vec![mirrored(c)]);
        assert!(!merged.deleted);
        assert_eq!(merged.body, edited);
        assert_eq!(
            resolve(Some(live(&base)), live(&edited), gone(&base), &[Side::Theirs]),
            (base.clone(), true)
        );
    }

    #[test]
    fn delete_against_untouched_or_delete_is_deleted() {
        let base = push_day();
        let mut edited = base.clone();
        edited["notes"] = json!("new PR");
        for (mine, theirs) in [
            (gone(&base), live(&base)),
            (live(&base), gone(&base)),
            (gone(&edited), gone(&base)),
        ] {
            let merged = merge(Some(live(&base)), mine, theirs);
            assert!(merged.deleted);
            assert!(merged.conflicts.is_empty());
        }
        // Both deleted after conflicting edits: no question asked, same body on both devices.
        let mut other = base.clone();
        other["notes"] = json!("old PR");
        let ab = merge(Some(live(&base)), gone(&edited), gone(&other));
        let ba = merge(Some(live(&base)), gone(&other), gone(&edited));
        assert_eq!(
            ab,
            Merged {
                body: base.clone(),
                deleted: true,
                conflicts: Vec::new()
            }
        );
        assert_eq!(ba, ab);
    }

    #[test]
    fn undelete_against_an_untouched_tombstone_is_undeleted() {
        let base = push_day();
        let merged = merge(Some(gone(&base)), live(&base), gone(&base));
        assert_eq!((merged.deleted, merged.conflicts.len()), (false, 0));
    }

    #[test]
    fn without_a_base_equal_agrees_different_conflicts_and_one_sided_adds() {
        let mine = push_day();
        let mut theirs = mine.clone();
        theirs["name"] = json!("Push");
        sets(&mut theirs, 1).push(set("s4", 8, 50.0));

        let merged = merge_both_ways(None, &mine, &theirs);
        assert_eq!(merged.conflicts.len(), 1);
        let c = &merged.conflicts[0];
        assert_eq!(c.path.to_string(), "name");
        assert_eq!(
            (&c.base, &c.mine, &c.theirs),
            (&None, &Some(json!("Push day")), &Some(json!("Push")))
        );
        assert_eq!(set_ids(&merged.body, 1), ["s3", "s4"]);

        // A delete of an identical body is a plain delete; of a different one, a conflict.
        assert!(merge(None, gone(&mine), live(&mine)).deleted);
        assert_eq!(
            merge(None, gone(&mine), live(&theirs)).conflicts[0].path.to_string(),
            "deleted"
        );
    }

    #[test]
    fn idempotent_on_hand_made_versions() {
        let base = push_day();
        let mut x = base.clone();
        sets(&mut x, 0).push(set("s4", 3, 105.0));
        assert_eq!(
            merge(Some(live(&base)), live(&x), live(&x)),
            Merged {
                body: x.clone(),
                deleted: false,
                conflicts: vec![]
            }
        );
        assert_eq!(merge(Some(live(&base)), live(&base), live(&x)).body, x);
        assert_eq!(
            merge(Some(live(&x)), live(&x), gone(&base)),
            Merged {
                body: base.clone(),
                deleted: true,
                conflicts: vec![]
            }
        );
    }

    #[test]
    fn other_arrays_and_arrays_with_repeated_ids_are_atomic() {
        let base = json!({"tags": ["push"], "items": [{"id": "a", "v": 1}]});
        let mine = json!({"tags": ["push", "heavy"], "items": [{"id": "a", "v": 1}, {"id": "a", "v": 2}]});
        let theirs = json!({"tags": ["push", "light"], "items": [{"id": "a", "v": 3}]});
        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(paths, ["items", "tags"]);
    }

    #[test]
    fn unnamed_elements_are_labelled_by_position_in_the_merged_array() {
        let base = json!({"entries": [{"id": "a", "kg": 80.0}, {"id": "b", "kg": 81.0}]});
        let mine = json!({"entries": [{"id": "a", "kg": 80.5}, {"id": "b", "kg": 81.0}]});
        let theirs = json!({"entries": [{"id": "0", "kg": 79.0}, {"id": "a", "kg": 80.2}, {"id": "b", "kg": 81.0}]});
        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        assert_eq!(merged.conflicts[0].path.to_string(), "entry 2 › kg");
        assert_eq!(merged.body["entries"][0]["id"], json!("0"));
    }

    #[test]
    fn resolve_takes_each_choice_in_order() {
        let base = push_day();
        let mut mine = base.clone();
        mine["name"] = json!("Mine");
        sets(&mut mine, 1)[0]["reps"] = json!(7);
        let mut theirs = base.clone();
        theirs["name"] = json!("Theirs");
        sets(&mut theirs, 1)[0]["reps"] = json!(9);

        let merged = merge_both_ways(Some(&base), &mine, &theirs);
        let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(paths, ["overhead press › set 1 › reps", "name"]);
        let (body, _) = resolve(
            Some(live(&base)),
            live(&mine),
            live(&theirs),
            &[Side::Theirs, Side::Mine],
        );
        assert_eq!(body["exercises"][1]["sets"][0]["reps"], json!(9));
        assert_eq!(body["name"], json!("Mine"));
    }

    /// Random workouts: a random base, then a few random edits on each side.
    mod props {
        use super::*;
        use crate::model::{ExerciseEntry, Set, SetKind, Unit, Workout};
        use proptest::prelude::*;

        // Few values, so both sides often make the same change by chance.
        const NAMES: [&str; 3] = ["Push", "Push day", "Chest"];
        const NOTES: [&str; 3] = ["", "tired", "PR"];
        const WEIGHTS: [f64; 4] = [60.0, 100.0, 102.5, 105.0];

        #[derive(Debug, Clone)]
        enum Edit {
            Rename(usize),
            Notes(usize),
            AddSet {
                exercise: usize,
                stamp: u16,
                reps: u32,
                weight: usize,
            },
            RemoveSet {
                exercise: usize,
                set: usize,
            },
            Weight {
                exercise: usize,
                set: usize,
                weight: usize,
            },
            Reps {
                exercise: usize,
                set: usize,
                reps: u32,
            },
            AddExercise {
                stamp: u16,
                name: usize,
            },
            RemoveExercise(usize),
            Delete,
        }

        fn edit() -> impl Strategy<Value = Edit> {
            let at = (0..4usize, 0..6usize);
            prop_oneof![
                3 => (0..NAMES.len()).prop_map(Edit::Rename),
                3 => (0..NOTES.len()).prop_map(Edit::Notes),
                6 => (0..4usize, any::<u16>(), 1..6u32, 0..WEIGHTS.len())
                    .prop_map(|(exercise, stamp, reps, weight)| Edit::AddSet { exercise, stamp, reps, weight }),
                4 => at.clone().prop_map(|(exercise, set)| Edit::RemoveSet { exercise, set }),
                4 => (at.clone(), 0..WEIGHTS.len())
                    .prop_map(|((exercise, set), weight)| Edit::Weight { exercise, set, weight }),
                4 => (at, 1..6u32).prop_map(|((exercise, set), reps)| Edit::Reps { exercise, set, reps }),
                1 => (any::<u16>(), 0..NAMES.len()).prop_map(|(stamp, name)| Edit::AddExercise { stamp, name }),
                1 => (0..4usize).prop_map(Edit::RemoveExercise),
                1 => Just(Edit::Delete),
            ]
        }

        fn new_set(id: String, reps: u32, weight: usize) -> Set {
            Set {
                id,
                reps: Some(reps),
                weight_kg: Some(WEIGHTS[weight]),
                unit: Unit::Kg,
                bodyweight: false,
                rpe: None,
                kind: SetKind::Working,
                duration_s: None,
                distance_m: None,
            }
        }

        fn base_workout() -> impl Strategy<Value = Workout> {
            prop::collection::vec(prop::collection::vec((1..6u32, 0..WEIGHTS.len()), 0..4), 1..4).prop_map(|plan| {
                let started = chrono::DateTime::from_timestamp(1_740_812_400, 0).expect("a valid timestamp");
                let mut workout = Workout::new("Push day".into(), started);
                for (e, sets) in plan.into_iter().enumerate() {
                    let sets = sets
                        .into_iter()
                        .enumerate()
                        .map(|(s, (reps, w))| new_set(format!("b-{e}-{s}"), reps, w));
                    workout.exercises.push(ExerciseEntry {
                        id: format!("e-{e}"),
                        name: format!("lift {e}"),
                        sets: sets.collect(),
                    });
                }
                workout
            })
        }

        /// Indices wrap around so every generated edit lands somewhere.
        fn entry(w: &mut Workout, exercise: usize) -> Option<&mut ExerciseEntry> {
            let n = w.exercises.len().max(1);
            w.exercises.get_mut(exercise % n)
        }

        fn set_at(w: &mut Workout, exercise: usize, set: usize) -> Option<&mut Set> {
            let entry = entry(w, exercise)?;
            let n = entry.sets.len().max(1);
            entry.sets.get_mut(set % n)
        }

        /// Applies edits; ids added carry a random stamp (their creation
        /// time) and the side, so they never collide across sides.
        fn apply(base: &Workout, edits: &[Edit], side: &str) -> (Value, bool) {
            let mut w = base.clone();
            let mut deleted = false;
            for (k, edit) in edits.iter().enumerate() {
                let n = w.exercises.len();
                match *edit {
                    Edit::Rename(i) => w.name = NAMES[i].into(),
                    Edit::Notes(i) => w.notes = NOTES[i].into(),
                    Edit::AddSet {
                        exercise,
                        stamp,
                        reps,
                        weight,
                    } => {
                        if let Some(entry) = entry(&mut w, exercise) {
                            entry.sets.push(new_set(format!("{stamp:05}-{side}{k}"), reps, weight));
                        }
                    }
                    Edit::RemoveSet { exercise, set } => {
                        if let Some(entry) = entry(&mut w, exercise).filter(|e| !e.sets.is_empty()) {
                            let len = entry.sets.len();
                            entry.sets.remove(set % len);
                        }
                    }
                    Edit::Weight { exercise, set, weight } => {
                        if let Some(s) = set_at(&mut w, exercise, set) {
                            s.weight_kg = Some(WEIGHTS[weight]);
                        }
                    }
                    Edit::Reps { exercise, set, reps } => {
                        if let Some(s) = set_at(&mut w, exercise, set) {
                            s.reps = Some(reps);
                        }
                    }
                    Edit::AddExercise { stamp, name } => w.exercises.push(ExerciseEntry {
                        id: format!("{stamp:05}-{side}{k}"),
                        name: NAMES[name].to_lowercase(),
                        sets: Vec::new(),
                    }),
                    Edit::RemoveExercise(e) => {
                        if n > 0 {
                            w.exercises.remove(e % n);
                        }
                    }
                    Edit::Delete => deleted = true,
                }
            }
            (serde_json::to_value(&w).expect("a workout serializes"), deleted)
        }

        fn lookup<'v>(body: &'v Value, path: &FieldPath) -> Option<&'v Value> {
            path.segments.iter().try_fold(body, |v, segment| match segment {
                Segment::Key(key) => v.get(key),
                Segment::Element { id, .. } => v
                    .as_array()?
                    .iter()
                    .find(|e| e.get("id").and_then(Value::as_str) == Some(id.as_str())),
                Segment::Deleted => Some(v),
            })
        }

        /// Every (exercise id, set id) in a workout body.
        fn all_sets(body: &Value) -> Vec<(String, String)> {
            let mut out = Vec::new();
            for entry in body["exercises"].as_array().into_iter().flatten() {
                for set in entry["sets"].as_array().into_iter().flatten() {
                    out.push((
                        entry["id"].as_str().unwrap_or_default().into(),
                        set["id"].as_str().unwrap_or_default().into(),
                    ));
                }
            }
            out
        }

        /// Whether a conflict at `path` holds back (exercise, set).
        fn covers(path: &FieldPath, exercise: &str, set: &str) -> bool {
            let target = ["exercises", exercise, "sets", set];
            let steps: Vec<&str> = path
                .segments
                .iter()
                .map(|s| match s {
                    Segment::Deleted => "",
                    Segment::Key(key) => key.as_str(),
                    Segment::Element { id, .. } => id.as_str(),
                })
                .collect();
            path.segments == [Segment::Deleted] || target.starts_with(&steps)
        }

        type Case = (Workout, Vec<Edit>, Vec<Edit>, bool);

        fn case() -> impl Strategy<Value = Case> {
            (
                base_workout(),
                prop::collection::vec(edit(), 0..5),
                prop::collection::vec(edit(), 0..5),
                any::<bool>(),
            )
        }

        struct Sides {
            base: Option<Value>,
            mine: (Value, bool),
            theirs: (Value, bool),
        }

        impl Sides {
            fn new((base, mine, theirs, synced): Case) -> Sides {
                Sides {
                    base: synced.then(|| serde_json::to_value(&base).expect("a workout serializes")),
                    mine: apply(&base, &mine, "m"),
                    theirs: apply(&base, &theirs, "t"),
                }
            }
            fn base(&self) -> Option<Version<'_>> {
                self.base.as_ref().map(live)
            }
            fn mine(&self) -> Version<'_> {
                Version {
                    body: &self.mine.0,
                    deleted: self.mine.1,
                }
            }
            fn theirs(&self) -> Version<'_> {
                Version {
                    body: &self.theirs.0,
                    deleted: self.theirs.1,
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn symmetric(case in case()) {
                let s = Sides::new(case);
                let ab = merge(s.base(), s.mine(), s.theirs());
                let ba = merge(s.base(), s.theirs(), s.mine());
                prop_assert_eq!(&ba.conflicts, &ab.conflicts.iter().map(mirrored).collect::<Vec<_>>());
                if ab.conflicts.is_empty() {
                    prop_assert_eq!((&ab.body, ab.deleted), (&ba.body, ba.deleted));
                }
                let n = ab.conflicts.len();
                prop_assert_eq!(
                    resolve(s.base(), s.mine(), s.theirs(), &vec![Side::Mine; n]),
                    resolve(s.base(), s.theirs(), s.mine(), &vec![Side::Theirs; n])
                );
            }

            #[test]
            fn idempotent(case in case()) {
                let s = Sides::new(case);
                let (x, y) = (s.mine(), s.theirs());
                let unchanged = |v: Version| Merged { body: v.body.clone(), deleted: v.deleted, conflicts: Vec::new() };
                prop_assert_eq!(merge(s.base(), x, x), unchanged(x));
                prop_assert_eq!(merge(Some(x), x, y), unchanged(y));
                prop_assert_eq!(merge(Some(x), y, x), unchanged(y));
            }

            #[test]
            fn never_drops_an_added_set(case in case()) {
                let s = Sides::new(case);
                let in_base = s.base.as_ref().map(all_sets).unwrap_or_default();
                let added: Vec<_> = all_sets(&s.mine.0)
                    .into_iter()
                    .chain(all_sets(&s.theirs.0))
                    .filter(|set| !in_base.contains(set))
                    .collect();
                let merged = merge(s.base(), s.mine(), s.theirs());
                let all_theirs = vec![Side::Theirs; merged.conflicts.len()];
                let mut results = vec![(merged.body.clone(), merged.deleted)];
                results.push(resolve(s.base(), s.mine(), s.theirs(), &all_theirs));
                for (body, deleted) in results.into_iter().filter(|(_, deleted)| !deleted) {
                    let kept = all_sets(&body);
                    prop_assert!(!deleted);
                    for (exercise, set) in &added {
                        let held = merged.conflicts.iter().any(|c| covers(&c.path, exercise, set));
                        prop_assert!(held || kept.iter().any(|(_, id)| id == set), "set {} of {} was dropped", set, exercise);
                    }
                }
            }

            #[test]
            fn conflicts_only_where_both_sides_changed_differently(case in case()) {
                let s = Sides::new(case);
                let merged = merge(s.base(), s.mine(), s.theirs());
                for c in &merged.conflicts {
                    prop_assert_ne!(&c.mine, &c.theirs);
                    if c.path.segments == [Segment::Deleted] {
                        prop_assert!(s.mine.1 != s.theirs.1);
                        let (editor, deleter) = if s.mine.1 { (&s.theirs.0, &s.mine.0) } else { (&s.mine.0, &s.theirs.0) };
                        prop_assert_ne!(editor, s.base.as_ref().unwrap_or(deleter));
                        continue;
                    }
                    prop_assert_ne!(&c.base, &c.mine);
                    prop_assert_ne!(&c.base, &c.theirs);
                    prop_assert_eq!(s.base.as_ref().and_then(|b| lookup(b, &c.path)), c.base.as_ref());
                    prop_assert_eq!(lookup(&s.mine.0, &c.path), c.mine.as_ref());
                    prop_assert_eq!(lookup(&s.theirs.0, &c.path), c.theirs.as_ref());
                }
            }
        }
    }
}
