//! The text merge's rules, one test each, and properties over random edits.

use super::*;

/// Merges both ways, checks both give the same, returns it.
fn both_ways(base: &str, mine: &str, theirs: &str) -> Option<String> {
    let ab = merge_text(base, mine, theirs);
    assert_eq!(ab, merge_text(base, theirs, mine), "not symmetric");
    ab
}

#[test]
fn notes_written_on_two_devices_are_both_kept_in_the_same_order() {
    assert_eq!(
        both_ways("", "felt tired", "reviewed").as_deref(),
        Some("felt tired\nreviewed")
    );
    assert_eq!(
        both_ways("Push day", "Push day\nreviewed", "Push day\nfelt tired").as_deref(),
        Some("Push day\nfelt tired\nreviewed")
    );
}

#[test]
fn lines_added_in_different_places_keep_their_places() {
    assert_eq!(
        both_ways("a\nb", "first\na\nb", "a\nb\nlast").as_deref(),
        Some("first\na\nb\nlast")
    );
}

#[test]
fn a_line_deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
    assert_eq!(both_ways("a\nb\nc", "a\nc", "a\nb\nc\nd").as_deref(), Some("a\nc\nd"));
    assert_eq!(both_ways("a\nb\nc", "a\nc", "a\nb\nc").as_deref(), Some("a\nc"));
}

#[test]
fn deletions_on_both_sides_combine() {
    assert_eq!(both_ways("a\nb\nc\nd", "a\nd", "a\nb\nd").as_deref(), Some("a\nd"));
    assert_eq!(both_ways("a\nb\nc\nd", "a\nb", "c\nd").as_deref(), Some(""));
}

/// Found by `no_text_lost`: each side deleted words on either side of a
/// space it kept; deleting both spaces glued "b2" and "m1" into "b2m1".
#[test]
fn deletions_on_both_sides_never_glue_two_words_together() {
    let merged = merge_text("b1\nb2\nb3 b4", "b2 m1", "b1\nb2\nb4\nt1");
    assert_eq!(merged.as_deref(), Some("b2 m1\nt1"));
    assert_eq!(merged, merge_text("b1\nb2\nb3 b4", "b1\nb2\nb4\nt1", "b2 m1"));
}

#[test]
fn an_edited_line_merges_with_a_line_appended_after_it() {
    assert_eq!(
        both_ways("squat felt heavy", "squat felt light", "squat felt heavy\nbench ok").as_deref(),
        Some("squat felt light\nbench ok")
    );
}

#[test]
fn different_words_of_one_line_merge_word_by_word() {
    assert_eq!(
        both_ways("felt tired", "felt very tired", "felt tired today").as_deref(),
        Some("felt very tired today")
    );
    assert_eq!(
        both_ways(
            "bench 100kg, squat 120kg",
            "bench 102.5kg, squat 120kg",
            "bench 100kg, squat 125kg"
        )
        .as_deref(),
        Some("bench 102.5kg, squat 125kg")
    );
}

#[test]
fn the_same_words_changed_differently_are_a_conflict() {
    assert_eq!(both_ways("felt tired", "felt great", "felt awful"), None);
    // An edit against a removal of the same line.
    assert_eq!(both_ways("a\nb\nc", "a\nc", "a\nB\nc"), None);
}

#[test]
fn the_same_change_on_both_sides_is_made_once() {
    assert_eq!(both_ways("a", "a\nb", "a\nb").as_deref(), Some("a\nb"));
    assert_eq!(both_ways("a b", "a c", "a c").as_deref(), Some("a c"));
}

#[test]
fn words_split_at_spaces_and_punctuation_and_join_back() {
    assert_eq!(
        words("felt tired,  slept 5h.\nok"),
        ["felt", " ", "tired", ",", "  ", "slept", " ", "5h", ".", "\n", "ok"]
    );
    assert_eq!(words("").len(), 0);
    for text in ["écrit à 7h — ça va", " a ", "..", "x"] {
        assert_eq!(words(text).concat(), text);
    }
}

#[test]
fn line_changes_list_removed_then_added_lines_of_each_change() {
    use LineChange::{Added, Removed};
    assert_eq!(
        line_changes("a\nb\nc", "a\nB\nc\nd"),
        [Removed("b"), Added("B"), Added("d")]
    );
    assert_eq!(line_changes("", "felt tired"), [Added("felt tired")]);
    assert_eq!(line_changes("same", "same"), []);
}

/// Random notes of unique words: a word in the result shows where it came
/// from, so "no text lost" can be checked word by word.
mod props {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[derive(Debug, Clone)]
    enum Edit {
        InsertLine(usize, u8),
        DeleteLine(usize),
        InsertWord(usize, usize),
        DeleteWord(usize, usize),
        ReplaceWord(usize, usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            3 => (any::<usize>(), 1..3u8).prop_map(|(at, n)| Edit::InsertLine(at, n)),
            2 => any::<usize>().prop_map(Edit::DeleteLine),
            2 => (any::<usize>(), any::<usize>()).prop_map(|(l, w)| Edit::InsertWord(l, w)),
            1 => (any::<usize>(), any::<usize>()).prop_map(|(l, w)| Edit::DeleteWord(l, w)),
            2 => (any::<usize>(), any::<usize>()).prop_map(|(l, w)| Edit::ReplaceWord(l, w)),
        ]
    }

    fn base_text() -> impl Strategy<Value = Vec<Vec<String>>> {
        prop::collection::vec(1..4usize, 0..5).prop_map(|shape| {
            let mut n = 0;
            shape
                .into_iter()
                .map(|words| {
                    (0..words)
                        .map(|_| {
                            n += 1;
                            format!("b{n}")
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Applies edits; new words are `{side}{n}`, unique across both sides.
    fn apply(base: &[Vec<String>], edits: &[Edit], side: &str) -> String {
        let mut text = base.to_vec();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("{side}{n}")
        };
        for edit in edits {
            let lines = text.len();
            match *edit {
                Edit::InsertLine(at, words) => {
                    let line = (0..words).map(|_| fresh()).collect();
                    text.insert(at % (lines + 1), line);
                }
                Edit::DeleteLine(at) if lines > 0 => {
                    text.remove(at % lines);
                }
                Edit::InsertWord(l, w) if lines > 0 => {
                    let line = &mut text[l % lines];
                    line.insert(w % (line.len() + 1), fresh());
                }
                Edit::DeleteWord(l, w) if lines > 0 && !text[l % lines].is_empty() => {
                    let line = &mut text[l % lines];
                    let len = line.len();
                    line.remove(w % len);
                }
                Edit::ReplaceWord(l, w) if lines > 0 && !text[l % lines].is_empty() => {
                    let line = &mut text[l % lines];
                    let len = line.len();
                    line[w % len] = fresh();
                }
                _ => {}
            }
        }
        join(&text)
    }

    fn join(text: &[Vec<String>]) -> String {
        text.iter().map(|line| line.join(" ")).collect::<Vec<_>>().join("\n")
    }

    fn word_set(text: &str) -> HashSet<&str> {
        text.split_whitespace().collect()
    }

    type Case = (String, String, String);

    fn case() -> impl Strategy<Value = Case> {
        (
            base_text(),
            prop::collection::vec(edit(), 0..4),
            prop::collection::vec(edit(), 0..4),
        )
            .prop_map(|(base, mine, theirs)| (join(&base), apply(&base, &mine, "m"), apply(&base, &theirs, "t")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn deterministic_and_symmetric((base, mine, theirs) in case()) {
            let merged = merge_text(&base, &mine, &theirs);
            prop_assert_eq!(&merged, &merge_text(&base, &mine, &theirs));
            prop_assert_eq!(&merged, &merge_text(&base, &theirs, &mine));
        }

        #[test]
        fn idempotent((base, mine, theirs) in case()) {
            prop_assert_eq!(merge_text(&base, &mine, &mine), Some(mine.clone()));
            prop_assert_eq!(merge_text(&mine, &mine, &theirs), Some(theirs.clone()));
            prop_assert_eq!(merge_text(&mine, &theirs, &mine), Some(theirs.clone()));
        }

        /// A clean merge keeps every word either side added and every base
        /// word both kept, drops the words one side deleted, and invents none.
        #[test]
        fn no_text_lost((base, mine, theirs) in case()) {
            let Some(merged) = merge_text(&base, &mine, &theirs) else { return Ok(()) };
            let (b, m, t, out) = (word_set(&base), word_set(&mine), word_set(&theirs), word_set(&merged));
            for word in m.union(&t) {
                let added = !b.contains(word);
                let kept_by_both = m.contains(word) && t.contains(word);
                prop_assert_eq!(out.contains(word), added || kept_by_both, "word {} in {:?}", word, merged);
            }
            prop_assert!(out.is_subset(&m.union(&t).copied().collect()), "invented text in {:?}", merged);
            prop_assert_eq!(merged.split_whitespace().count(), out.len(), "a word twice in {:?}", merged);
        }
    }
}
