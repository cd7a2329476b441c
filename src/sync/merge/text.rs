//! Three-way merge of free text (notes), by lines and then by words.
//!
//! A note typed on the phone after a session and a line added on the laptop
//! are two changes to one field; as atomic values they would need a person,
//! though keeping both is obviously what the lifter wants. So text merges
//! like a file in version control, with three differences that suit notes:
//!
//! - text inserted by both sides at the same place is kept, both insertions
//!   in content order (not mine first), so every device computes the same
//!   note whichever side it calls mine;
//! - changes that merely touch (an edit of the last line, a line appended
//!   after it) are independent; only changes to the same base text overlap;
//! - overlapping changes to lines are merged again word by word, so a word
//!   added to a line on one side and a word fixed in it on the other merge.
//!
//! Only overlapping changes to the same words, or the same text changed on
//! one side and removed on the other, stay a conflict. Deletions on both
//! sides always combine.

use similar::{Algorithm, DiffTag, capture_diff_slices};
use std::ops::Range;

/// Merges `mine` and `theirs`, both edited from `base`. `None` when both
/// sides changed the same words differently: a person must choose.
/// Symmetric: swapping `mine` and `theirs` gives the same result.
pub fn merge_text(base: &str, mine: &str, theirs: &str) -> Option<String> {
    let (b, m, t) = (lines(base), lines(mine), lines(theirs));
    let mut merged: Vec<String> = Vec::new();
    for region in regions(&b, &m, &t) {
        match region {
            Region::Settled(settled) => merged.extend(settled.into_iter().map(str::to_string)),
            Region::Contested { base, mine, theirs } => {
                let words = merge_words(&base.join("\n"), &mine.join("\n"), &theirs.join("\n"))?;
                merged.extend(lines(&words).into_iter().map(str::to_string));
            }
        }
    }
    Some(merged.join("\n"))
}

/// One line of a side's change from `base`, for showing a text conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange<'a> {
    /// A line of the base this side no longer has.
    Removed(&'a str),
    /// A line this side has and the base did not.
    Added(&'a str),
}

/// The lines `side` removed from and added to `base`, in reading order: a
/// small diff, so a person sees what each side did to a long note.
pub fn line_changes<'a>(base: &'a str, side: &'a str) -> Vec<LineChange<'a>> {
    let (b, s) = (lines(base), lines(side));
    hunks(&b, &s)
        .into_iter()
        .flat_map(|h| {
            let removed = b[h.base].iter().map(|line| LineChange::Removed(line));
            removed.chain(s[h.side].iter().map(|line| LineChange::Added(line)))
        })
        .collect()
}

/// The lines of a text; the empty text has none, so a note written where
/// there was none is an insertion, not an edit of an empty line.
fn lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split('\n').collect()
    }
}

/// Words, runs of spaces, and single punctuation marks: the units a
/// contested region is merged in. Joined back, they give the text again.
fn words(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Class {
        Word,
        Space,
        Mark,
    }
    let class = |c: char| match c {
        c if c.is_alphanumeric() => Class::Word,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Mark,
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let kind = class(c);
        let end = match chars.peek() {
            Some(&(at, next)) if kind == Class::Mark || class(next) != kind => at,
            Some(_) => continue,
            None => text.len(),
        };
        out.push(&text[start..end]);
        start = end;
    }
    out
}

/// A run of spaces (or a newline) between words.
fn is_space(token: &str) -> bool {
    !token.is_empty() && token.chars().all(char::is_whitespace)
}

fn merge_words(base: &str, mine: &str, theirs: &str) -> Option<String> {
    let (b, m, t) = (words(base), words(mine), words(theirs));
    let mut merged = String::new();
    for region in regions(&b, &m, &t) {
        match region {
            Region::Settled(settled) => merged.extend(settled),
            Region::Contested { .. } => return None,
        }
    }
    Some(merged)
}

/// One side's change: base tokens `base` became that side's tokens `side`.
/// A side's hunks never touch: an unchanged token separates any two.
#[derive(Debug, Clone)]
struct Hunk {
    base: Range<usize>,
    side: Range<usize>,
    mine: bool,
}

impl Hunk {
    /// Whether two changes claim the same base text: ranges that share a
    /// token, an insertion strictly inside a changed range, or two
    /// insertions at one place. Ranges that only touch do not overlap.
    fn overlaps(&self, other: &Hunk) -> bool {
        let (a, b) = (&self.base, &other.base);
        match (a.is_empty(), b.is_empty()) {
            (true, true) => a.start == b.start,
            (true, false) => b.start < a.start && a.start < b.end,
            (false, true) => a.start < b.start && b.start < a.end,
            (false, false) => a.start.max(b.start) < a.end.min(b.end),
        }
    }
}

/// The changes from `base` to `side`, each run of differing tokens one hunk.
fn hunks(base: &[&str], side: &[&str]) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, base, side) {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.base.end == old.start && last.side.end == new.start => {
                last.base.end = old.end;
                last.side.end = new.end;
            }
            _ => out.push(Hunk {
                base: old,
                side: new,
                mine: false,
            }),
        }
    }
    out
}

/// A stretch of the merged text.
enum Region<'a> {
    /// Unchanged, changed on one side only, or reconciled.
    Settled(Vec<&'a str>),
    /// Both sides changed this base text differently.
    Contested {
        base: &'a [&'a str],
        mine: Vec<&'a str>,
        theirs: Vec<&'a str>,
    },
}

/// Walks the base, taking each side's changes, and groups the changes that
/// overlap into clusters; a cluster changed by both sides is settled when
/// they agree, when both only deleted, or when both only inserted (both
/// insertions kept, the smaller first); otherwise it is contested.
fn regions<'a>(base: &'a [&'a str], mine: &'a [&'a str], theirs: &'a [&'a str]) -> Vec<Region<'a>> {
    let mut all: Vec<Hunk> = hunks(base, mine)
        .into_iter()
        .map(|h| Hunk { mine: true, ..h })
        .chain(hunks(base, theirs))
        .collect();
    // Insertions before the ranges that start where they are.
    all.sort_by_key(|h| (h.base.start, h.base.end, h.mine));

    let mut clusters: Vec<Vec<Hunk>> = Vec::new();
    for hunk in all {
        match clusters.last_mut() {
            Some(cluster) if cluster.iter().any(|member| member.overlaps(&hunk)) => cluster.push(hunk),
            _ => clusters.push(vec![hunk]),
        }
    }

    let mut out = Vec::new();
    let mut at = 0;
    for cluster in clusters {
        // Sorted by start, so the first hunk starts the cluster.
        let lo = cluster[0].base.start;
        let hi = cluster.iter().map(|h| h.base.end).max().unwrap_or(lo);
        out.push(Region::Settled(base[at..lo].to_vec()));
        at = hi;
        let side = |is_mine: bool, tokens: &'a [&'a str]| -> Option<Vec<&'a str>> {
            let own: Vec<&Hunk> = cluster.iter().filter(|h| h.mine == is_mine).collect();
            (!own.is_empty()).then(|| apply(base, tokens, &own, lo..hi))
        };
        let (m, t) = match (side(true, mine), side(false, theirs)) {
            (Some(m), Some(t)) => (m, t),
            (one, other) => {
                out.push(Region::Settled(one.or(other).unwrap_or_default()));
                continue;
            }
        };
        let region = if m == t {
            Region::Settled(m)
        } else if cluster.iter().all(|h| h.side.is_empty()) {
            let deleted = |i: &usize| cluster.iter().any(|h| h.base.contains(i));
            let combined: Vec<&str> = (lo..hi).filter(|i| !deleted(i)).map(|i| base[i]).collect();
            // Each side deleted text on its side of a space and kept the
            // space: deleting both spaces too would glue the words around
            // them ("b2" and "m1" into "b2m1"). One space stays, the same
            // whichever side is mine: the one that breaks no line, the
            // shorter, the first in content order.
            let space = |tokens: &[&'a str]| tokens.iter().copied().find(|t| is_space(t));
            let mildest = |a: &'a str, b: &'a str| std::cmp::min_by_key(a, b, |s| (s.contains('\n'), s.len(), *s));
            match (space(&combined), space(&m), space(&t)) {
                (None, Some(a), Some(b)) => Region::Settled(vec![mildest(a, b)]),
                _ => Region::Settled(combined),
            }
        } else if lo == hi {
            let (first, second) = if m <= t { (m, t) } else { (t, m) };
            Region::Settled([first, second].concat())
        } else {
            Region::Contested {
                base: &base[lo..hi],
                mine: m,
                theirs: t,
            }
        };
        out.push(region);
    }
    out.push(Region::Settled(base[at..].to_vec()));
    out
}

/// The base tokens of `range` with one side's hunks in it applied.
fn apply<'a>(base: &'a [&'a str], side: &'a [&'a str], own: &[&Hunk], range: Range<usize>) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut at = range.start;
    for hunk in own {
        out.extend_from_slice(&base[at..hunk.base.start]);
        out.extend_from_slice(&side[hunk.side.clone()]);
        at = hunk.base.end;
    }
    out.extend_from_slice(&base[at..range.end]);
    out
}

#[cfg(test)]
mod tests;
