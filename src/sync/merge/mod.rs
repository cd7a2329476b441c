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
//! element by element, a string under a `"notes"` key is free text merged by
//! lines and words ([`text`]), anything else is one atomic value.
//!
//! Times an import read from the same local text in different time zones
//! are not a conflict: every device settles them alike ([`readings`]).
//!
//! Everything here is symmetric (swapping mine and theirs mirrors the
//! conflicts and yields the same merged record) so two devices merging the
//! same pair independently arrive at the same result.

mod readings;
pub mod text;

use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

/// Keys whose string values are free text: the workout's notes, and the
/// notes of exercises and sets should they get some. Two people adding to a
/// note both mean to keep what they wrote, so these merge as text.
const TEXT_KEYS: [&str; 1] = ["notes"];

/// One side of a merge: a record body and its tombstone flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Version<'a> {
    /// The record's JSON.
    pub body: &'a Value,
    /// Whether this version is a tombstone.
    pub deleted: bool,
}

/// Which version wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// This device's version.
    Mine,
    /// The server's version.
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
    Element {
        /// The element's `"id"`.
        id: String,
        /// What a person calls it.
        label: String,
    },
}

/// Where a conflict is, both for code (ids) and for people (labels).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath {
    /// From the record's top level down.
    pub segments: Vec<Segment>,
}

impl FieldPath {
    /// Whether this field holds free text (a note), merged by lines and
    /// words; a conflict there is best shown as a diff.
    pub fn is_text(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Key(key)) if TEXT_KEYS.contains(&key.as_str()))
    }

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
    /// Where in the record.
    pub path: FieldPath,
    /// The value both sides started from.
    pub base: Option<Value>,
    /// This device's value.
    pub mine: Option<Value>,
    /// The server's value.
    pub theirs: Option<Value>,
}

/// The outcome of [`merge`]. While conflicts are held, `body` and `deleted`
/// take Mine for each of them, so the local row keeps what the lifter wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged record.
    pub body: Value,
    /// Whether the merged record is a tombstone.
    pub deleted: bool,
    /// The fields a person must settle; empty when the merge is clean.
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

fn merge_with(base: Option<Version>, mine: Version, theirs: Version, choices: &[Side]) -> Merged {
    match readings::settled(base.map(|b| b.body), mine.body, theirs.body) {
        Some(times) => {
            let (mine_body, their_body) = (
                readings::with_times(mine.body, times),
                readings::with_times(theirs.body, times),
            );
            let mine = Version {
                body: &mine_body,
                ..mine
            };
            let theirs = Version {
                body: &their_body,
                ..theirs
            };
            merge_versions(base, mine, theirs, choices)
        }
        None => merge_versions(base, mine, theirs, choices),
    }
}

fn merge_versions<'a>(base: Option<Version<'a>>, mine: Version<'a>, theirs: Version<'a>, choices: &[Side]) -> Merged {
    let base_body = base.map(|b| b.body);
    if mine.deleted == theirs.deleted {
        let mut merger = Merger::new(choices, base.is_some());
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
    let mut merger = Merger::new(choices, base.is_some());
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
    /// Whether there is a base: then a text field absent from it was empty.
    /// Without one, two texts share no history to merge against.
    synced: bool,
}

type Keyed<'v> = Vec<(&'v str, &'v Value)>;

impl<'c> Merger<'c> {
    fn new(choices: &'c [Side], synced: bool) -> Self {
        Merger {
            choices,
            conflicts: Vec::new(),
            synced,
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
            (Some(Value::String(m)), Some(Value::String(t)))
                if path.is_text()
                    && let Some(base) = self.text_base(base)
                    && let Some(merged) = text::merge_text(base, m, t) =>
            {
                Some(Value::String(merged))
            }
            _ => match self.conflict(path.clone(), base, mine, theirs) {
                Side::Mine => mine.cloned(),
                Side::Theirs => theirs.cloned(),
            },
        }
    }

    /// The text a note started from: absent from a synced base means empty.
    fn text_base<'v>(&self, base: Option<&'v Value>) -> Option<&'v str> {
        match base {
            Some(Value::String(text)) => Some(text),
            None if self.synced => Some(""),
            _ => None,
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
mod tests;
