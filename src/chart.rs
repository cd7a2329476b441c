//! Text charts for the terminal: a progress line chart and a year heatmap.
//! They return plain strings (braille and block characters, no colour or
//! escape codes), never wider than [`MAX_WIDTH`] columns, so they read the
//! same in any terminal, a pipe or a pasted message.

use crate::model::format_number;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

/// The widest chart drawn, in columns: an 80-column terminal fits it.
pub const MAX_WIDTH: usize = 80;
const MIN_WIDTH: usize = 30;
const MAX_UNIT_CHARS: usize = 8;
const DATE_FORMAT: &str = "%Y-%m-%d";
const DATE_CHARS: usize = 10;
/// Sessions further apart than this are not joined by a line: a line across
/// a long break would draw progress no session showed.
pub const GAP_DAYS: i64 = 28;
/// Under the plot, below a column holding a marked (PR) session.
const MARK: char = '▲';

/// One point of a line chart: a session's value, already in the display unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    /// The session's day.
    pub date: NaiveDate,
    /// Its value.
    pub value: f64,
    /// Marked under the axis (a PR session).
    pub marked: bool,
}

/// One drawn column of dots: the best of the sessions that share it, so a
/// chart never shows a value no session had and never hides the highest.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The dot column, two per character.
    pub x: usize,
    /// The dot row, four per character, 0 at the top.
    pub y: usize,
    /// The highest value of its sessions.
    pub value: f64,
    /// Whether one of its sessions is marked.
    pub marked: bool,
    /// The day of its first session.
    pub first: NaiveDate,
    /// The day of its last session.
    pub last: NaiveDate,
}

/// A line chart laid out: what [`LineChart::render`] draws.
#[derive(Debug, Clone)]
pub struct LineChart {
    columns: Vec<Column>,
    labels: Vec<String>,
    label_width: usize,
    plot_width: usize,
    height: usize,
    first: NaiveDate,
    last: NaiveDate,
}

impl LineChart {
    /// Lays out `points` (any order; non-finite values are dropped) in
    /// `width` columns in all (clamped to 30..=80) and `height` plot rows
    /// (clamped to 2..=40). The x axis is time. The y axis runs from a
    /// round baseline (at least a tenth of the top value below it, so
    /// 122.5 → 122.2 kg reads as the small dip it is) up to the highest
    /// value, which is drawn in the top row. `None` without points.
    pub fn new(points: &[ChartPoint], unit: &str, width: usize, height: usize) -> Option<LineChart> {
        let mut points: Vec<ChartPoint> = points.iter().copied().filter(|p| p.value.is_finite()).collect();
        points.sort_by_key(|p| p.date);
        let (first, last) = (points.first()?.date, points.last()?.date);
        let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
        let height = height.clamp(2, 40);
        let (lo, hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        });
        let lo = baseline(lo, hi);

        let unit: String = unit.chars().take(MAX_UNIT_CHARS).collect();
        let label = |value: f64| format!("{} {unit}", compact(value)).trim_end().to_string();
        // A round value near the middle labels the row it falls in, so the
        // axis reads "150", never the centre of a row like "146.3".
        let step = nice_step((hi - lo) / 4.0);
        let middle = ((hi + lo) / 2.0 / step).round() * step;
        let dot_rows = height * 4;
        let middle_row = (middle > lo && middle < hi && height >= 5).then(|| to_y(middle, lo, hi, dot_rows) / 4);
        let labels: Vec<String> = (0..height)
            .map(|row| match row {
                0 => label(hi),
                r if r == height - 1 => label(lo),
                r if Some(r) == middle_row => label(middle),
                _ => String::new(),
            })
            .collect();
        let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let plot_width = width - label_width - 2;
        let columns = columns(&points, plot_width * 2, height * 4, lo, hi);
        Some(LineChart {
            columns,
            labels,
            label_width,
            plot_width,
            height,
            first,
            last,
        })
    }

    /// The drawn columns, left to right.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The chart as text: braille plot rows with their labels, the axis
    /// (with a ▲ under each marked column), the first and last dates, and a
    /// legend line when something is marked. No colour or escape codes.
    pub fn render(&self) -> String {
        let label_width = self.label_width;
        let dots = self.dots();
        let mut out = String::new();
        for (row, label) in self.labels.iter().enumerate() {
            let axis = if label.is_empty() { '│' } else { '┤' };
            let cells: String = (0..self.plot_width).map(|col| braille(&dots, col, row)).collect();
            let line = format!("{label:>label_width$} {axis}{cells}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let axis: String = (0..self.plot_width)
            .map(|col| {
                if self.columns.iter().any(|c| c.marked && c.x / 2 == col) {
                    MARK
                } else {
                    '─'
                }
            })
            .collect();
        out.push_str(&format!("{:label_width$} └{axis}\n", ""));

        let first = self.first.format(DATE_FORMAT).to_string();
        let last = self.last.format(DATE_FORMAT).to_string();
        out.push_str(&format!("{:label_width$}  {first}", ""));
        if last != first && self.plot_width > 2 * DATE_CHARS {
            out.push_str(&format!("{last:>gap$}", gap = self.plot_width - DATE_CHARS));
        }
        if self.columns.iter().any(|c| c.marked) {
            out.push_str(&format!(
                "\n{:label_width$}  {MARK} a session that beat every one before it",
                ""
            ));
        }
        out
    }

    /// The dot grid (row 0 at the top): each column's dot, joined to the
    /// next column's by a line unless a long break lies between them.
    fn dots(&self) -> Vec<Vec<bool>> {
        let mut grid = vec![vec![false; self.plot_width * 2]; self.height * 4];
        for column in &self.columns {
            grid[column.y][column.x] = true;
        }
        for pair in self.columns.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if (b.first - a.last).num_days() > GAP_DAYS {
                continue;
            }
            let steps = (b.x - a.x).max(a.y.abs_diff(b.y));
            for i in 1..steps {
                let t = i as f64 / steps as f64;
                let x = (a.x as f64 + (b.x - a.x) as f64 * t).round() as usize;
                let y = (a.y as f64 + (b.y as f64 - a.y as f64) * t).round() as usize;
                grid[y][x] = true;
            }
        }
        grid
    }
}

/// A line chart of `points` as text, or a line saying there is nothing to
/// chart: see [`LineChart::new`] and [`LineChart::render`].
pub fn line_chart(points: &[ChartPoint], unit: &str, width: usize, height: usize) -> String {
    LineChart::new(points, unit, width, height).map_or_else(|| "no data to chart yet".to_string(), |c| c.render())
}

/// Where the y axis starts: a round number at or below the lowest value and
/// at least a tenth of the highest below it, and never below zero for
/// values that are not.
fn baseline(lo: f64, hi: f64) -> f64 {
    let mut base = lo.min(hi - hi.abs() * 0.1);
    if hi - base < 1e-9 || !(hi - base).is_finite() {
        base = if (hi - base).is_finite() { hi - 1.0 } else { lo };
    }
    let step = nice_step((hi - base) / 4.0);
    let rounded = (base / step).floor() * step;
    if rounded.is_finite() {
        base = rounded;
    }
    if lo >= 0.0 { base.max(0.0) } else { base }
}

/// The smallest of 1, 2, 5 or 10 × a power of ten that is at least `x`.
fn nice_step(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= x)
        .unwrap_or(10.0 * magnitude)
}

/// Axis numbers short enough that labels never crowd out the plot.
fn compact(value: f64) -> String {
    let size = value.abs();
    if size < 10_000.0 {
        format_number(value)
    } else if size < 1e6 {
        format!("{}k", format_number(value / 1e3))
    } else if size < 1e9 {
        format!("{}M", format_number(value / 1e6))
    } else {
        format!("{value:.1e}")
    }
}

/// The points bucketed into `columns` dot columns by date, each column the
/// best (highest) value of its points and its dot row between `lo` (the
/// bottom row) and `hi` (the top).
fn columns(points: &[ChartPoint], columns: usize, rows: usize, lo: f64, hi: f64) -> Vec<Column> {
    let first = points[0].date;
    let span = (points[points.len() - 1].date - first).num_days().max(1) as f64;
    let mut buckets: BTreeMap<usize, Column> = BTreeMap::new();
    for point in points {
        let x = ((point.date - first).num_days() as f64 / span * (columns - 1) as f64).round() as usize;
        let x = x.min(columns - 1);
        let column = buckets.entry(x).or_insert(Column {
            x,
            y: 0,
            value: point.value,
            marked: false,
            first: point.date,
            last: point.date,
        });
        column.value = column.value.max(point.value);
        column.marked |= point.marked;
        column.last = point.date;
    }
    buckets
        .into_values()
        .map(|column| Column {
            y: to_y(column.value, lo, hi, rows),
            ..column
        })
        .collect()
}

/// The dot row of `value` among `rows` (0 at the top): `hi` is the top row,
/// `lo` the bottom one.
fn to_y(value: f64, lo: f64, hi: f64, rows: usize) -> usize {
    let range = hi - lo;
    let share = if range > 0.0 { (value - lo) / range } else { 1.0 };
    let from_bottom = (share * (rows - 1) as f64).round().clamp(0.0, (rows - 1) as f64) as usize;
    rows - 1 - from_bottom
}

/// The braille character for the 2×4 dots of cell (`col`, `row`); a space
/// when empty so the chart copies cleanly.
fn braille(dots: &[Vec<bool>], col: usize, row: usize) -> char {
    const BITS: [[u32; 2]; 4] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];
    let mut code = 0;
    for (dy, bits) in BITS.iter().enumerate() {
        for (dx, bit) in bits.iter().enumerate() {
            if dots[row * 4 + dy][col * 2 + dx] {
                code |= bit;
            }
        }
    }
    if code == 0 {
        ' '
    } else {
        char::from_u32(0x2800 + code).unwrap_or('•')
    }
}

const WEEKS: usize = 53;
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Rest day, then four levels by share of the busiest day in view.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

/// A GitHub-style calendar of the 53 weeks ending with the week of `today`:
/// one column per week, rows Monday to Sunday, month names above the week
/// holding the 1st. `days` are (date, amount) pairs in any order and unit
/// (volume, sets…); amounts on the same date add up. Each day is shaded by
/// its share of the busiest day shown, in quarters; days after `today` are blank.
pub fn heatmap(days: &[(NaiveDate, f64)], today: NaiveDate) -> String {
    let this_monday = today
        .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())))
        .unwrap_or(today);
    let start = this_monday
        .checked_sub_days(Days::new(7 * (WEEKS as u64 - 1)))
        .unwrap_or(this_monday);
    let mut amounts: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (date, amount) in days {
        if (start..=today).contains(date) && amount.is_finite() && *amount > 0.0 {
            *amounts.entry(*date).or_default() += amount;
        }
    }
    let busiest = amounts.values().copied().fold(0.0, f64::max);
    let date_at = |week: usize, day: usize| start.checked_add_days(Days::new((week * 7 + day) as u64));

    let mut months = vec![' '; WEEKS];
    let mut free_from = 0;
    for week in 0..WEEKS {
        let first_of_month = (0..7)
            .filter_map(|day| date_at(week, day))
            .find(|d| d.day() == 1 && *d <= today);
        if let Some(date) = first_of_month.filter(|_| week >= free_from && week + 3 <= WEEKS) {
            for (i, c) in MONTH_NAMES[date.month0() as usize].chars().enumerate() {
                months[week + i] = c;
            }
            free_from = week + 4;
        }
    }
    let mut out = format!("    {}", months.iter().collect::<String>().trim_end());
    for (day, name) in DAY_NAMES.iter().enumerate() {
        let cells: String = (0..WEEKS)
            .map(|week| match date_at(week, day).filter(|d| *d <= today) {
                None => ' ',
                Some(date) => shade(amounts.get(&date).copied().unwrap_or(0.0), busiest),
            })
            .collect();
        out.push_str(&format!("\n{name} {}", cells.trim_end()));
    }
    let legend: Vec<String> = SHADES.iter().map(char::to_string).collect();
    out.push_str(&format!("\n    less {} more", legend.join(" ")));
    out
}

fn shade(amount: f64, busiest: f64) -> char {
    if amount <= 0.0 || busiest <= 0.0 {
        return SHADES[0];
    }
    let level = (amount / busiest * 4.0).ceil().clamp(1.0, 4.0) as usize;
    SHADES[level]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(n)
    }

    fn assert_fits(chart: &str) {
        for line in chart.lines() {
            assert!(
                line.chars().count() <= MAX_WIDTH,
                "too wide ({}): {line}",
                line.chars().count()
            );
            assert!(!line.contains('\u{1b}'), "escape code in {line}");
        }
    }

    fn plot_rows(chart: &str, height: usize) -> Vec<Vec<char>> {
        chart
            .lines()
            .take(height)
            .map(|line| line.chars().skip_while(|c| !matches!(c, '┤' | '│')).skip(1).collect())
            .collect()
    }

    fn points(values: &[(u64, f64)]) -> Vec<ChartPoint> {
        values
            .iter()
            .map(|(d, value)| ChartPoint {
                date: day(*d),
                value: *value,
                marked: false,
            })
            .collect()
    }

    #[test]
    fn rising_line_goes_bottom_left_to_top_right() {
        let chart = line_chart(&points(&[(0, 100.0), (20, 200.0)]), "kg", 60, 5);
        assert_fits(&chart);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(lines.len(), 5 + 2);
        assert!(lines[0].starts_with("200 kg ┤"), "{chart}");
        assert!(lines[4].starts_with("100 kg ┤"), "{chart}");
        assert!(lines[5].contains('└'));
        assert!(lines[6].trim_start().starts_with("2024-01-01") && lines[6].ends_with("2024-01-21"));
        assert_eq!(lines[6].chars().count(), 60);
        let rows = plot_rows(&chart, 5);
        assert_ne!(rows[0].last(), Some(&' '));
        assert_ne!(rows[4].first(), Some(&' '));
        assert!(rows[2].iter().any(|c| *c != ' '), "joined by a line:\n{chart}");
    }

    #[test]
    fn sessions_in_one_column_show_the_best_of_them() {
        // Three sessions on one day: 150, 100 and the 200 kg PR.
        let mut same_day = points(&[(0, 150.0), (0, 100.0), (0, 200.0)]);
        same_day[2].marked = true;
        let chart = LineChart::new(&same_day, "kg", 80, 12).unwrap();
        assert_eq!(chart.columns().len(), 1);
        assert_eq!((chart.columns()[0].value, chart.columns()[0].y), (200.0, 0));
        let text = chart.render();
        assert!(text.starts_with("200 kg ┤⠁"), "{text}");
        let inked: usize = plot_rows(&text, 12).iter().flatten().filter(|c| **c != ' ').count();
        assert_eq!(inked, 1, "one dot, at 200 kg:\n{text}");
        assert!(text.contains("150 kg ┤"), "a round middle label:\n{text}");
        assert!(
            text.contains('▲') && text.contains("beat every one before it"),
            "{text}"
        );
    }

    #[test]
    fn a_small_dip_is_not_a_crash() {
        let chart = LineChart::new(&points(&[(0, 122.5), (7, 122.2)]), "kg", 80, 12).unwrap();
        let text = chart.render();
        assert!(text.starts_with("122.5 kg ┤"), "{text}");
        assert!(
            text.lines().nth(11).unwrap().trim_start().starts_with("110 kg"),
            "{text}"
        );
        let (a, b) = (&chart.columns()[0], &chart.columns()[1]);
        assert!(
            b.y - a.y <= 2,
            "0.3 kg of 12.5 is a dot or two, not the whole height: {a:?} {b:?}"
        );
    }

    #[test]
    fn long_breaks_are_not_bridged() {
        let chart = line_chart(&points(&[(0, 100.0), (100, 100.0)]), "kg", 80, 8);
        let rows = plot_rows(&chart, 8);
        let inked: usize = rows.iter().flatten().filter(|c| **c != ' ').count();
        assert_eq!(inked, 2, "two sessions, no line between them:\n{chart}");
        let joined = line_chart(&points(&[(0, 100.0), (GAP_DAYS as u64, 100.0)]), "kg", 80, 8);
        let inked: usize = plot_rows(&joined, 8).iter().flatten().filter(|c| **c != ' ').count();
        assert!(inked > 10, "{joined}");
    }

    #[test]
    fn single_point_and_flat_series() {
        let one = line_chart(&points(&[(3, 80.0)]), "kg", 80, 8);
        assert_fits(&one);
        assert_eq!(one.matches("2024-01-04").count(), 1);
        let dots: usize = one.chars().filter(|c| ('\u{2801}'..='\u{28ff}').contains(c)).count();
        assert_eq!(dots, 1);
        assert!(one.trim_start().starts_with("80 kg ┤"), "{one}");

        let flat: Vec<(u64, f64)> = (0..10).map(|i| (i * 7, 100.0)).collect();
        let chart = line_chart(&points(&flat), "kg", 80, 8);
        assert_fits(&chart);
        // The axis starts at 90: the line runs along the top, nowhere else.
        assert!(chart.starts_with("100 kg ┤"), "{chart}");
        let rows = plot_rows(&chart, 8);
        let inked: Vec<usize> = (0..8).filter(|r| rows[*r].iter().any(|c| *c != ' ')).collect();
        assert_eq!(inked, vec![0]);
    }

    #[test]
    fn many_points_are_bucketed_to_the_width() {
        let many: Vec<(u64, f64)> = (0..2000).map(|i| (i / 2, 100.0 + (i % 37) as f64)).collect();
        let chart = line_chart(&points(&many), "kg", 80, 10);
        assert_fits(&chart);
        assert_eq!(chart.lines().count(), 12);
    }

    #[test]
    fn never_wider_than_80_columns() {
        let extremes = [
            points(&[(0, 1e300), (1, -1e300)]),
            points(&[(0, f64::NAN), (5, 0.001)]),
            points(&[(0, 123_456_789.0), (900, 5.0)]),
            (0..300)
                .map(|i| ChartPoint {
                    date: day(i),
                    value: (i as f64).sin() * 50.0 + 1e5,
                    marked: i % 7 == 0,
                })
                .collect(),
        ];
        for series in &extremes {
            for width in [0, 10, 40, 79, 80, 81, 500] {
                for height in [0, 1, 3, 10, 100] {
                    let chart = line_chart(series, "a very long unit name", width, height);
                    assert_fits(&chart);
                }
            }
        }
        assert_eq!(line_chart(&[], "kg", 80, 10), "no data to chart yet");
        assert_eq!(
            line_chart(&points(&[(0, f64::INFINITY)]), "kg", 80, 10),
            "no data to chart yet"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Over random series: the highest value is drawn in the top
            /// row, and every drawn column is the best session value that
            /// falls in it.
            #[test]
            fn the_top_is_drawn_and_columns_are_session_values(
                series in prop::collection::vec((0u64..3000, 1u32..5000, any::<bool>()), 1..200),
                height in 2usize..20,
            ) {
                let series: Vec<ChartPoint> = series
                    .into_iter()
                    .map(|(d, tenths, marked)| ChartPoint { date: day(d), value: f64::from(tenths) / 10.0, marked })
                    .collect();
                let chart = LineChart::new(&series, "kg", 80, height).unwrap();
                let highest = series.iter().map(|p| p.value).fold(f64::MIN, f64::max);
                let top = chart.columns().iter().find(|c| c.value == highest).unwrap();
                prop_assert_eq!(top.y / 4, 0);
                let text = chart.render();
                let rows = plot_rows(&text, height);
                prop_assert_ne!(rows[0][top.x / 2], ' ');
                for column in chart.columns() {
                    let best = series
                        .iter()
                        .filter(|p| (column.first..=column.last).contains(&p.date))
                        .map(|p| p.value)
                        .fold(f64::MIN, f64::max);
                    prop_assert_eq!(column.value, best, "{:?}", column);
                }
            }
        }
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(112.5), "112.5");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(3_250_000.0), "3.25M");
        assert_eq!(compact(2e9), "2.0e9");
    }

    #[test]
    fn heatmap_shades_a_year() {
        // Wednesday 2024-03-13; busiest day 400, a quarter of it is the lightest shade.
        let today = NaiveDate::from_ymd_opt(2024, 3, 13).unwrap();
        let monday = NaiveDate::from_ymd_opt(2024, 3, 11).unwrap();
        let days = [
            (monday, 100.0),
            (today, 300.0),
            (today, 100.0),
            (NaiveDate::from_ymd_opt(2024, 3, 12).unwrap(), 250.0),
            (NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), 1e9),
        ];
        let map = heatmap(&days, today);
        assert_fits(&map);
        let lines: Vec<&str> = map.lines().collect();
        assert_eq!(lines.len(), 9);
        assert!(lines[0].contains("Mar") && lines[0].contains("Apr") && lines[0].contains("Jan"));
        let last_cell = |row: usize| lines[row].chars().nth(4 + WEEKS - 1);
        assert_eq!(last_cell(1), Some('░'));
        assert_eq!(last_cell(2), Some('▓'));
        assert_eq!(last_cell(3), Some('█'));
        assert_eq!(last_cell(4), None);
        assert!(lines[1].starts_with("Mon ·"));
        assert!(lines[7].starts_with("Sun "));
        assert_eq!(lines[8], "    less · ░ ▒ ▓ █ more");
    }

    #[test]
    fn empty_heatmap_at_the_calendar_edge() {
        let map = heatmap(&[], NaiveDate::MIN);
        assert_fits(&map);
        let map = heatmap(&[], NaiveDate::MAX);
        assert_fits(&map);
        let grid: Vec<&str> = map.lines().skip(1).take(7).collect();
        assert!(grid.iter().all(|row| row[4..].chars().all(|c| c == '·')), "{map}");
    }
}
