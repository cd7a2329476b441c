//! CSV framing shared by every format: the delimiter, the byte-order mark,
//! the header's columns, and the line each record starts on.

use super::{Format, ImportError, ImportOptions, Problem, Row, RowError, RowProblem, RowReader, reject};
use csv::StringRecord;
use std::io::{BufRead, BufReader, Read};

/// Bytes some apps write before the header.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A reader positioned after the header, with the delimiter (`,` or `;`)
/// taken from the header line, and the header. A byte-order mark before
/// the header is stepped over.
pub(super) fn open<R: Read>(input: R) -> Result<(StringRecord, csv::Reader<Recent<R>>), ImportError> {
    let mut input = Recent::new(input);
    let first_line = input
        .first_line()
        .map_err(|e| ImportError::UnreadableHeader(e.into()))?;
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header = reader.headers().map_err(ImportError::UnreadableHeader)?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::Empty);
    }
    Ok((header, reader))
}

/// What the CSV parser reads the export through: it steps over a
/// byte-order mark and keeps the last bytes it handed over, so that a
/// record's line can be found (see [`line_of`]) without the whole file in
/// memory.
pub(super) struct Recent<R> {
    inner: BufReader<R>,
    started: bool,
    /// The last bytes read, `window[0]` being byte `window_start` of the
    /// export (after any byte-order mark).
    window: Vec<u8>,
    window_start: u64,
}

/// How much of the export [`Recent`] keeps: a record and the CSV reader's
/// read-ahead fit many times over.
const WINDOW: usize = 256 * 1024;

impl<R: Read> Recent<R> {
    fn new(inner: R) -> Self {
        Recent {
            inner: BufReader::with_capacity(64 * 1024, inner),
            started: false,
            window: Vec::new(),
            window_start: 0,
        }
    }

    /// Steps over a byte-order mark; returns the first non-blank line of
    /// what is buffered (the header, unless it is longer than the buffer).
    fn first_line(&mut self) -> std::io::Result<String> {
        if !self.started {
            self.started = true;
            if self.inner.fill_buf()?.starts_with(BOM) {
                self.inner.consume(BOM.len());
            }
        }
        let buffered = String::from_utf8_lossy(self.inner.fill_buf()?);
        Ok(buffered
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string())
    }

    /// The bytes from `byte` on, as far as they were read, if still kept.
    fn from(&self, byte: u64) -> Option<&[u8]> {
        let at = usize::try_from(byte.checked_sub(self.window_start)?).ok()?;
        self.window.get(at..)
    }
}

impl<R: Read> Read for Recent<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.extend_from_slice(&buf[..n]);
        if self.window.len() > 2 * WINDOW {
            let drop = self.window.len() - WINDOW;
            self.window.drain(..drop);
            self.window_start += drop as u64;
        }
        Ok(n)
    }
}

/// The line a record starts on. The csv crate places a record that follows
/// blank lines at the first blank line, so those are stepped over here.
fn line_of<R: Read>(input: &Recent<R>, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let blank = input.from(position.byte()).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
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

/// Hands each row `reader` makes of a record to `each`, with the record's
/// number (counting every record, so two reads of one export number them
/// alike) and the line it starts on. Blank lines are left out; bad rows go
/// through [`reject`].
pub(super) fn each_row<R: Read, E: From<ImportError>>(
    reader: &impl RowReader,
    mut csv: csv::Reader<Recent<R>>,
    options: &ImportOptions,
    skipped: &mut Vec<RowError>,
    each: &mut dyn FnMut(u64, u64, Row) -> Result<(), E>,
) -> Result<(), E> {
    let mut record = StringRecord::new();
    for number in 0.. {
        let read = csv.read_record(&mut record);
        let line = match &read {
            Ok(_) => line_of(csv.get_ref(), record.position()),
            Err(e) => line_of(csv.get_ref(), e.position()),
        };
        let result = match read {
            Ok(false) => return Ok(()),
            Ok(true) => read_row(reader, &record),
            Err(e) => Err(Problem::Row(RowProblem::Csv(e.to_string()))),
        };
        match result {
            Ok(Some(row)) => each(number, line, row)?,
            Ok(None) => {}
            Err(Problem::Fatal(error)) => return Err(error.into()),
            Err(Problem::Row(problem)) => reject(RowError { line, problem }, options, skipped)?,
        }
    }
    Ok(())
}

/// One record as a row: `None` for a blank line or a row with nothing to import.
fn read_row(reader: &impl RowReader, record: &StringRecord) -> Result<Option<Row>, Problem> {
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
}
