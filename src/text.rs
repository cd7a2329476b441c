//! Text from the database or the network, made safe to print. A workout
//! name, a note, an exercise, a device name or a server's error message may
//! come from another device or a hostile server; printed as is, an escape
//! sequence in it could recolour the terminal, move the cursor, set the
//! window title or hide what follows, and a carriage return or a newline
//! could forge output. Such characters are shown as escapes (`\u{1b}`),
//! never obeyed.

use std::borrow::Cow;

/// `text` on one line, every control character shown as an escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    neutralised(text, false)
}

/// `text` that may span lines (a note, a rendered table): newlines and
/// tabs are kept, every other control character is shown as an escape.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    neutralised(text, true)
}

fn neutralised(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let obeyed = |c: char| !(keep_lines && matches!(c, '\n' | '\t')) && (c.is_control() || reorders(c));
    if !text.chars().any(obeyed) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if obeyed(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `n` things, the noun in the plural unless there is exactly one: `1 set`,
/// `3 sets`, `0 sets`. `noun` is a regular noun (the plural adds an s).
pub fn counted(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The invisible characters that reorder the text around them (the
/// bidirectional marks, embeddings, overrides and isolates): they can make
/// a line read differently from what it holds.
fn reorders(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("Push day"), "Push day");
        assert!(matches!(printable("Push day"), Cow::Borrowed(_)));
        assert_eq!(
            printable("Legs\u{1b}[2J\u{1b}]0;owned\u{7}"),
            "Legs\\u{1b}[2J\\u{1b}]0;owned\\u{7}"
        );
        assert_eq!(
            printable("a\rb\nc\td\u{7f}\u{9b}"),
            "a\\u{d}b\\u{a}c\\u{9}d\\u{7f}\\u{9b}"
        );
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("Squat – 100 kg ✓"), "Squat – 100 kg ✓");
    }

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(counted(1u32, "set"), "1 set");
        assert_eq!(counted(0u32, "set"), "0 sets");
        assert_eq!(counted(12u64, "exercise"), "12 exercises");
    }

    #[test]
    fn lines_keep_their_breaks_and_lose_the_rest() {
        assert_eq!(printable_lines("felt\tgood\nshoulder ok"), "felt\tgood\nshoulder ok");
        assert_eq!(printable_lines("note\r\u{1b}[1A"), "note\\u{d}\\u{1b}[1A");
    }
}
