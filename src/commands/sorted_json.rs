//! Pretty JSON with every object's keys sorted, written straight from a
//! typed value: the bytes `serde_json::to_string_pretty` gives the value
//! once it is a `serde_json::Value` (whose maps sort their keys), without
//! building that tree. `pump list --json` writes a whole history this way;
//! making a `Value` of each workout first cost more than reading it.

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use std::io;
use std::ops::Range;

/// `value` as pretty JSON with sorted keys, every line after the first
/// indented `depth` levels (two spaces each) more, as an element nested
/// that deep is written.
pub fn to_string(value: &impl Serialize, depth: usize) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(1024);
    let formatter = SortingFormatter {
        out: &mut out,
        indent: depth,
        has_value: false,
        objects: Vec::new(),
        entries: Vec::new(),
        keys: Vec::new(),
        key_start: None,
        scratch: Vec::new(),
    };
    // Every byte goes through the formatter, which writes to `out`: the
    // serializer's own writer gets nothing.
    value.serialize(&mut serde_json::Serializer::with_formatter(io::sink(), formatter))?;
    // Only whole strings were written, so the bytes are UTF-8.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(io::Error::new(io::ErrorKind::InvalidData, e)))
}

/// One key and value of an object being written, as ranges of the output
/// (`"key": value`, without separator or indent) and of the key arena
/// (the key's text unescaped, what `Value`'s maps sort by).
struct Entry {
    key: Range<usize>,
    bytes: Range<usize>,
}

/// An object being written: where it starts in the output, and where its
/// entries start in the entry stack.
struct Object {
    start: usize,
    first_entry: usize,
    first_key_byte: usize,
}

/// A `Formatter` with `serde_json::ser::PrettyFormatter`'s layout that
/// writes each object's entries in key order: they are written to `out`
/// as they come, and reordered in place when the object ends.
struct SortingFormatter<'a> {
    out: &'a mut Vec<u8>,
    /// The current nesting, in levels of two spaces.
    indent: usize,
    /// PrettyFormatter's flag: whether the container being closed has an element.
    has_value: bool,
    objects: Vec<Object>,
    entries: Vec<Entry>,
    /// The unescaped text of the keys of the objects being written.
    keys: Vec<u8>,
    /// Where the key being written starts in `keys`, while one is.
    key_start: Option<usize>,
    /// Room to reorder an object's bytes in.
    scratch: Vec<u8>,
}

fn newline_and_indent(out: &mut Vec<u8>, indent: usize) {
    out.push(b'\n');
    for _ in 0..indent {
        out.extend_from_slice(b"  ");
    }
}

impl SortingFormatter<'_> {
    /// Text written inside a key is also kept, unescaped, to sort by.
    fn key_text(&mut self, text: &[u8]) {
        if self.key_start.is_some() {
            self.keys.extend_from_slice(text);
        }
    }
}

/// Scalars are written as the compact formatter writes them (the pretty
/// one does the same), into `out`; inside a key their text is kept too.
macro_rules! scalars {
    ($($method:ident($type:ty)),* $(,)?) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, _: &mut W, value: $type) -> io::Result<()> {
            let start = self.out.len();
            CompactFormatter.$method(&mut *self.out, value)?;
            if self.key_start.is_some() {
                self.keys.extend_from_slice(&self.out[start..]);
            }
            Ok(())
        }
    )*};
}

impl Formatter for SortingFormatter<'_> {
    scalars!(
        write_bool(bool),
        write_i8(i8),
        write_i16(i16),
        write_i32(i32),
        write_i64(i64),
        write_i128(i128),
        write_u8(u8),
        write_u16(u16),
        write_u32(u32),
        write_u64(u64),
        write_u128(u128),
        write_f32(f32),
        write_f64(f64),
        write_number_str(&str),
    );

    fn write_null<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn begin_string<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.push(b'"');
        Ok(())
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.push(b'"');
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, _: &mut W, fragment: &str) -> io::Result<()> {
        self.out.extend_from_slice(fragment.as_bytes());
        self.key_text(fragment.as_bytes());
        Ok(())
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, _: &mut W, escape: CharEscape) -> io::Result<()> {
        let unescaped = match escape {
            CharEscape::Quote => b'"',
            CharEscape::ReverseSolidus => b'\\',
            CharEscape::Solidus => b'/',
            CharEscape::Backspace => 0x08,
            CharEscape::FormFeed => 0x0c,
            CharEscape::LineFeed => b'\n',
            CharEscape::CarriageReturn => b'\r',
            CharEscape::Tab => b'\t',
            CharEscape::AsciiControl(byte) => byte,
        };
        self.key_text(&[unescaped]);
        CompactFormatter.write_char_escape(&mut *self.out, escape)
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(&mut self, _: &mut W, fragment: &str) -> io::Result<()> {
        self.out.extend_from_slice(fragment.as_bytes());
        Ok(())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        self.out.push(b'[');
        Ok(())
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            newline_and_indent(self.out, self.indent);
        }
        self.out.push(b']');
        Ok(())
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        if !first {
            self.out.push(b',');
        }
        newline_and_indent(self.out, self.indent);
        Ok(())
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        self.out.push(b'{');
        self.objects.push(Object {
            start: self.out.len(),
            first_entry: self.entries.len(),
            first_key_byte: self.keys.len(),
        });
        Ok(())
    }

    /// Sorts the object's entries by key (stably, as written when two
    /// are equal) and writes them again in that order, each on its line.
    fn end_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let object = self
            .objects
            .pop()
            .ok_or_else(|| io::Error::other("an object ended that never began"))?;
        let entries = &mut self.entries[object.first_entry..];
        let keys = &self.keys;
        entries.sort_by(|a, b| keys[a.key.clone()].cmp(&keys[b.key.clone()]));
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.out[object.start..]);
        self.out.truncate(object.start);
        let inner = self.indent;
        for (i, entry) in self.entries[object.first_entry..].iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            newline_and_indent(self.out, inner);
            let bytes = entry.bytes.start - object.start..entry.bytes.end - object.start;
            self.out.extend_from_slice(&self.scratch[bytes]);
        }
        let had_entries = self.entries.len() > object.first_entry;
        self.entries.truncate(object.first_entry);
        self.keys.truncate(object.first_key_byte);
        self.indent -= 1;
        if had_entries {
            newline_and_indent(self.out, self.indent);
        }
        self.out.push(b'}');
        Ok(())
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W, _first: bool) -> io::Result<()> {
        self.key_start = Some(self.keys.len());
        self.entries.push(Entry {
            key: 0..0,
            bytes: self.out.len()..self.out.len(),
        });
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let start = self.key_start.take().unwrap_or(self.keys.len());
        if let Some(entry) = self.entries.last_mut() {
            entry.key = start..self.keys.len();
        }
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.extend_from_slice(b": ");
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        let end = self.out.len();
        if let Some(entry) = self.entries.last_mut() {
            entry.bytes.end = end;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// What this module must write: the value made a `Value`, then pretty.
    fn through_value(value: &impl Serialize) -> String {
        serde_json::to_string_pretty(&serde_json::to_value(value).unwrap()).unwrap()
    }

    #[test]
    fn sorts_keys_at_every_depth_as_a_value_would() {
        #[derive(Serialize)]
        struct Inner {
            zeta: Vec<u32>,
            alpha: Option<f64>,
            empty: Vec<u8>,
            nothing: std::collections::BTreeMap<String, u8>,
        }
        #[derive(Serialize)]
        struct Outer {
            name: &'static str,
            #[serde(flatten)]
            inner: Inner,
            list: Vec<Inner>,
            b: bool,
            escaped: &'static str,
        }
        let inner = || Inner {
            zeta: vec![3, 1],
            alpha: Some(1.5),
            empty: vec![],
            nothing: Default::default(),
        };
        let value = Outer {
            name: "Push \"day\"\n",
            inner: inner(),
            list: vec![inner(), inner()],
            b: true,
            escaped: "tab\there \\ é \u{1}",
        };
        for depth in [0, 1, 2] {
            let indent = format!("\n{}", "  ".repeat(depth));
            assert_eq!(
                to_string(&value, depth).unwrap(),
                through_value(&value).replace('\n', &indent)
            );
        }
    }

    #[test]
    fn keys_with_escapes_and_numbers_sort_as_their_text() {
        let mut map = std::collections::HashMap::new();
        for key in ["b", "a\"", "a", "A", "\u{7}", "10", "9", "é"] {
            map.insert(key.to_string(), json!([{}, [], [[]], {"y": null, "x": [1, {"k": -2}]}]));
        }
        assert_eq!(to_string(&map, 0).unwrap(), through_value(&map));
        let numbers: std::collections::HashMap<u32, &str> = [(10, "ten"), (9, "nine"), (100, "hundred")].into();
        assert_eq!(to_string(&numbers, 0).unwrap(), through_value(&numbers));
        for scalar in [json!(null), json!("text"), json!(-0.5), json!([]), json!({})] {
            assert_eq!(to_string(&scalar, 0).unwrap(), through_value(&scalar));
        }
        let _: Value = serde_json::from_str(&to_string(&map, 3).unwrap()).unwrap();
    }
}
