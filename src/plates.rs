//! Which plates to put on each side of the bar. Unit-agnostic: every number
//! is in the lifter's unit (kg or lb), only consistency matters.

use serde::Serialize;

/// A common kg plate set, heaviest first.
pub const STANDARD_KG: &[f64] = &[25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25];
/// A common lb plate set, heaviest first.
pub const STANDARD_LB: &[f64] = &[45.0, 35.0, 25.0, 10.0, 5.0, 2.5];

/// Weights are compared in thousandths so 1.25 + 1.25 is exactly 2.5.
const SCALE: f64 = 1000.0;
/// The most distinct per-side amounts the search may consider; bounds the
/// work when plate sizes share no sensible common step.
const MAX_STEPS: u64 = 2_000_000;

/// How to load a bar: the plates on each side and what it comes to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlateLoad {
    /// Plates for one side, heaviest first.
    pub per_side: Vec<f64>,
    /// What the bar weighs once loaded.
    pub total: f64,
    /// Target minus total: what could not be loaded with these plates (0
    /// when the target is reached exactly).
    pub remainder: f64,
}

/// Plates per side for `target` on a `bar`, using any number of each plate
/// size in `plates`. Loads the most weight not above the target, with the
/// fewest plates, preferring heavier plates on ties (so 40 per side is
/// 25 + 15, not 20 + 20). For standard plate sets this is the same as
/// greedily taking the heaviest plate that fits; unlike greedy it also
/// finds 20 + 20 when only 15s and 20s are there and greedy would stop
/// at 15 + 15 + remainder.
pub fn plates_per_side(target: f64, bar: f64, plates: &[f64]) -> Result<PlateLoad, String> {
    if !target.is_finite() || target <= 0.0 {
        return Err(format!("target weight {target} is not a positive number: use e.g. 100"));
    }
    if !bar.is_finite() || bar <= 0.0 {
        return Err(format!(
            "bar weight {bar} is not a positive number: use e.g. 20 (kg) or 45 (lb)"
        ));
    }
    if let Some(bad) = plates.iter().find(|p| !p.is_finite() || **p < 1.0 / SCALE) {
        return Err(format!(
            "plate size {bad} is not a weight of at least 0.001: list plates like 25,20,10,5,2.5"
        ));
    }
    if target < bar {
        return Err(format!(
            "target {target} is lighter than the {bar} bar: aim for at least the bar's weight"
        ));
    }
    let units = |w: f64| (w * SCALE).round() as u64;
    let mut sizes: Vec<u64> = plates.iter().map(|p| units(*p)).collect();
    if sizes.is_empty() {
        return Err("no plate sizes given: list the plates you have, like 25,20,10,5,2.5".into());
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    let step = sizes.iter().copied().fold(0, gcd);
    let per_side = units(target).saturating_sub(units(bar)) / 2 / step;
    if per_side > MAX_STEPS {
        return Err(format!(
            "{target} needs too many small plates to work out: use plate sizes that are multiples of each other"
        ));
    }
    let chosen = fewest_plates(
        per_side as usize,
        &sizes.iter().map(|s| (s / step) as usize).collect::<Vec<_>>(),
    );
    let per_side: Vec<f64> = chosen.into_iter().map(|s| (s as u64 * step) as f64 / SCALE).collect();
    let total = ((bar + 2.0 * per_side.iter().sum::<f64>()) * SCALE).round() / SCALE;
    Ok(PlateLoad {
        per_side,
        total,
        remainder: ((target - total) * SCALE).round() / SCALE,
    })
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Unbounded change-making: the plates (sizes in steps, heaviest first)
/// summing to the largest reachable amount ≤ `need`, fewest plates, heavier
/// plates first on ties.
fn fewest_plates(need: usize, sizes: &[usize]) -> Vec<usize> {
    let mut count: Vec<Option<u32>> = vec![None; need + 1];
    count[0] = Some(0);
    for amount in 1..=need {
        count[amount] = sizes
            .iter()
            .filter_map(|&size| amount.checked_sub(size).and_then(|rest| count[rest]))
            .min()
            .map(|n| n + 1);
    }
    let Some(mut amount) = (0..=need).rev().find(|a| count[*a].is_some()) else {
        return Vec::new();
    };
    let mut plates = Vec::new();
    while let Some(n) = count[amount].filter(|n| *n > 0) {
        let Some(&size) = sizes
            .iter()
            .find(|&&size| amount.checked_sub(size).is_some_and(|rest| count[rest] == Some(n - 1)))
        else {
            break;
        };
        plates.push(size);
        amount -= size;
    }
    plates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_side(target: f64, bar: f64, plates: &[f64]) -> (Vec<f64>, f64) {
        let load = plates_per_side(target, bar, plates).unwrap();
        (load.per_side, load.remainder)
    }

    #[test]
    fn standard_kg_loads() {
        assert_eq!(per_side(100.0, 20.0, STANDARD_KG), (vec![25.0, 15.0], 0.0));
        assert_eq!(per_side(142.5, 20.0, STANDARD_KG), (vec![25.0, 25.0, 10.0, 1.25], 0.0));
        assert_eq!(per_side(60.0, 20.0, STANDARD_KG), (vec![20.0], 0.0));
        assert_eq!(per_side(20.0, 20.0, STANDARD_KG), (vec![], 0.0));
        let load = plates_per_side(100.0, 20.0, STANDARD_KG).unwrap();
        assert_eq!(load.total, 100.0);
    }

    #[test]
    fn standard_lb_loads() {
        assert_eq!(per_side(225.0, 45.0, STANDARD_LB), (vec![45.0, 45.0], 0.0));
        assert_eq!(per_side(185.0, 45.0, STANDARD_LB), (vec![45.0, 25.0], 0.0));
    }

    #[test]
    fn remainder_when_the_target_cannot_be_reached() {
        // 101 kg: 40.5 per side, best is 40 (25 + 15); 1 kg left over.
        let load = plates_per_side(101.0, 20.0, STANDARD_KG).unwrap();
        assert_eq!(load.per_side, vec![25.0, 15.0]);
        assert_eq!(load.total, 100.0);
        assert_eq!(load.remainder, 1.0);
        assert_eq!(per_side(21.0, 20.0, STANDARD_KG), (vec![], 1.0));
    }

    #[test]
    fn finds_loads_greedy_would_miss() {
        assert_eq!(per_side(100.0, 20.0, &[15.0, 20.0]), (vec![20.0, 20.0], 0.0));
    }

    #[test]
    fn duplicate_and_unsorted_plates() {
        assert_eq!(per_side(70.0, 20.0, &[5.0, 20.0, 5.0]), (vec![20.0, 5.0], 0.0));
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(
            plates_per_side(15.0, 20.0, STANDARD_KG)
                .unwrap_err()
                .contains("lighter than the 20 bar")
        );
        assert!(plates_per_side(f64::NAN, 20.0, STANDARD_KG).is_err());
        assert!(plates_per_side(100.0, 0.0, STANDARD_KG).is_err());
        assert!(plates_per_side(-5.0, 20.0, STANDARD_KG).is_err());
        assert!(plates_per_side(100.0, 20.0, &[]).is_err());
        assert!(plates_per_side(100.0, 20.0, &[25.0, -1.0]).is_err());
        assert!(plates_per_side(100.0, 20.0, &[f64::INFINITY]).is_err());
        assert!(plates_per_side(100.0, 20.0, &[0.0001]).is_err());
    }

    #[test]
    fn huge_targets_do_not_hang() {
        assert!(plates_per_side(1e12, 20.0, &[0.001]).is_err());
        let load = plates_per_side(1e6, 20.0, STANDARD_KG).unwrap();
        assert_eq!(load.total, 1e6);
    }
}
