//! Vector clocks: the causal history of one record.
//!
//! Each device that writes a record bumps its own counter in that record's
//! clock. Comparing two clocks tells whether one version has seen the other
//! (it dominates, and simply wins) or whether they were written without
//! knowledge of each other (concurrent, and must be merged). Wall-clock time
//! never decides anything: phone clocks drift, causality does not.
//!
//! ```text
//!   A writes   {A:1}          B pulls it, edits   {A:1,B:1}   -> After  {A:1}
//!   A edits    {A:2}   vs     {A:1,B:1}                        -> Concurrent
//! ```

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// How two clocks relate causally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Causality {
    /// The same history: the same version, or a copy's collision.
    Equal,
    /// The left clock happened before the right one (right dominates).
    Before,
    /// The left clock dominates the right one.
    After,
    /// Neither has seen the other: the versions must be merged.
    Concurrent,
}

/// A device's counter in a clock has no room for one more write: only a
/// hostile or broken peer can have put it there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the write counter of device {device} is at its largest value")]
pub struct CounterFull {
    /// The device whose counter is full.
    pub device: String,
}

/// device id -> counter. A `BTreeMap` so the JSON form is canonical (sorted keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VectorClock(BTreeMap<String, u64>);

impl VectorClock {
    /// The clock of a record nobody has written yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many writes `device` made (0 when it made none).
    pub fn get(&self, device: &str) -> u64 {
        self.0.get(device).copied().unwrap_or(0)
    }

    /// Sets `device`'s counter; zero removes the entry.
    pub fn set(&mut self, device: &str, counter: u64) {
        if counter == 0 {
            self.0.remove(device);
        } else {
            self.0.insert(device.to_string(), counter);
        }
    }

    /// Records one more write by `device`. Checked, never wrapped: a counter
    /// that wrapped to 0 would make the new version look older than every
    /// version before it, and the write would be dropped as stale.
    pub fn bump(&mut self, device: &str) -> Result<(), CounterFull> {
        let counter = self.0.entry(device.to_string()).or_insert(0);
        *counter = counter.checked_add(1).ok_or_else(|| CounterFull {
            device: device.to_string(),
        })?;
        Ok(())
    }

    /// Pointwise maximum: the smallest clock that has seen both.
    pub fn merge(&mut self, other: &VectorClock) {
        for (device, &counter) in &other.0 {
            let mine = self.0.entry(device.clone()).or_insert(0);
            *mine = (*mine).max(counter);
        }
    }

    /// How this clock relates to `other` causally.
    pub fn compare(&self, other: &VectorClock) -> Causality {
        let mut less = false;
        let mut greater = false;
        for device in self.0.keys().chain(other.0.keys()) {
            match self.get(device).cmp(&other.get(device)) {
                Ordering::Less => less = true,
                Ordering::Greater => greater = true,
                Ordering::Equal => {}
            }
        }
        match (less, greater) {
            (false, false) => Causality::Equal,
            (true, false) => Causality::Before,
            (false, true) => Causality::After,
            (true, true) => Causality::Concurrent,
        }
    }

    /// Every device with at least one write, and its counter, in device order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(d, c)| (d.as_str(), *c))
    }

    /// How many devices wrote this record.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no device wrote this record yet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Canonical JSON text (sorted keys, no spaces): the form stored and compared.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a map of strings to integers always serializes")
    }

    /// Parses the canonical JSON form written by [`VectorClock::to_json`].
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(pairs: &[(&str, u64)]) -> VectorClock {
        VectorClock(pairs.iter().map(|(d, c)| (d.to_string(), *c)).collect())
    }

    #[test]
    fn compare_covers_all_four_relations() {
        let a1 = clock(&[("a", 1)]);
        let a2 = clock(&[("a", 2)]);
        let a1b1 = clock(&[("a", 1), ("b", 1)]);
        assert_eq!(a1.compare(&a1.clone()), Causality::Equal);
        assert_eq!(a1.compare(&a2), Causality::Before);
        assert_eq!(a2.compare(&a1), Causality::After);
        assert_eq!(a2.compare(&a1b1), Causality::Concurrent);
        assert_eq!(a1b1.compare(&a2), Causality::Concurrent);
        assert_eq!(VectorClock::new().compare(&a1), Causality::Before);
    }

    #[test]
    fn explicit_zero_counts_as_absent() {
        assert_eq!(
            clock(&[("a", 1), ("b", 0)]).compare(&clock(&[("a", 1)])),
            Causality::Equal
        );
    }

    #[test]
    fn bump_only_touches_own_entry() {
        let mut c = clock(&[("a", 3), ("b", 1)]);
        c.bump("b").unwrap();
        assert_eq!(c, clock(&[("a", 3), ("b", 2)]));
        c.bump("z").unwrap();
        assert_eq!(c.get("z"), 1);
        assert_eq!(c.get("a"), 3);
    }

    #[test]
    fn a_full_counter_refuses_to_bump_instead_of_wrapping() {
        let mut c = clock(&[("a", u64::MAX), ("b", 1)]);
        assert_eq!(c.bump("a"), Err(CounterFull { device: "a".into() }));
        assert_eq!(c, clock(&[("a", u64::MAX), ("b", 1)]), "unchanged");
        c.bump("b").unwrap();
        assert_eq!(c.get("b"), 2);
    }

    #[test]
    fn merge_is_pointwise_max_and_dominates_both() {
        let x = clock(&[("a", 3), ("b", 1)]);
        let y = clock(&[("b", 4), ("c", 2)]);
        let mut m = x.clone();
        m.merge(&y);
        assert_eq!(m, clock(&[("a", 3), ("b", 4), ("c", 2)]));
        assert_eq!(m.compare(&x), Causality::After);
        assert_eq!(m.compare(&y), Causality::After);
    }

    #[test]
    fn json_is_canonical() {
        let c = clock(&[("zz", 1), ("aa", 2)]);
        assert_eq!(c.to_json(), r#"{"aa":2,"zz":1}"#);
        assert_eq!(VectorClock::from_json(&c.to_json()).unwrap(), c);
    }
}
