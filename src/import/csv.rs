//! CSV framing shared by every format: the delimiter, the byte-order mark,
//! the header's columns, and the line each record starts on.

use super::{Format, ImportError, ImportOptions, Problem, Row, RowError, RowProblem, RowReader, reject};
use csv::StringRecord;

/// A reader positioned after the header, with the delimiter (`,` or `;`)
/// taken from the header line, and the header.
pub(super) fn open(text: &str) -> Result<(StringRecord, csv::Reader<&[u8]>), ImportError> {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(ImportError::UnreadableHeader)?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::Empty);
    }
    Ok((header, reader))
}

/// The text after a UTF-8 byte-order mark, which some apps write first.
pub(super) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The line a record starts on. The csv crate places a record that follows
/// blank lines at the first blank line, so those are stepped over here.
pub(super) fn line_of(text: &str, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let blank = text.get(from..).map_or(0, |rest| {
        rest.bytes()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| *b == b'\n')
            .count()
    });
    position.line() + blank as u64
}

/// The index of a column, matched without regard to case or surrounding blanks.
pub(super) fn find(header: &StringRecord, name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// The index of a column the format cannot do without.
pub(super) fn require(header: &StringRecord, format: Format, name: &str) -> Result<usize, ImportError> {
    find(header, name).ok_or_else(|| ImportError::MissingColumn {
        format,
        column: name.to_string(),
    })
}

/// The field at an optional column, trimmed; "" when the column is absent.
pub(super) fn field<'a>(fields: &[&'a str], column: Option<usize>) -> &'a str {
    column.and_then(|c| fields.get(c)).map_or("", |f| f.trim())
}

/// The rows `reader` makes of each record, with the line each starts on.
/// Blank lines are left out; bad rows go through [`reject`].
pub(super) fn read_rows(
    reader: &impl RowReader,
    text: &str,
    mut csv: csv::Reader<&[u8]>,
    options: &ImportOptions,
    skipped: &mut Vec<RowError>,
) -> Result<Vec<(u64, Row)>, ImportError> {
    let mut rows = Vec::new();
    for record in csv.records() {
        let (line, record) = match record {
            Ok(record) => (line_of(text, record.position()), Ok(record)),
            Err(e) => (line_of(text, e.position()), Err(RowProblem::Csv(e.to_string()))),
        };
        let result = record.map_err(Problem::Row).and_then(|record| {
            let fields: Vec<&str> = record.iter().collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                // A whitespace-only line is a blank line; a row of empty fields is a set with nothing in it.
                return if fields.len() <= 1 {
                    Ok(None)
                } else {
                    Err(Problem::Row(RowProblem::Empty))
                };
            }
            if fields.len() == reader.width() {
                reader.read(&fields)
            } else {
                reader.read_misaligned(&fields)
            }
        });
        match result {
            Ok(Some(row)) => rows.push((line, row)),
            Ok(None) => {}
            Err(Problem::Fatal(error)) => return Err(error),
            Err(Problem::Row(problem)) => reject(RowError { line, problem }, options, skipped)?,
        }
    }
    Ok(rows)
}
