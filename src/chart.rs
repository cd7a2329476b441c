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

/// A line chart of `(date, value)` points (values already in the display
/// unit, labelled `unit`): `width` columns in all (clamped to 30..=80) and
/// `height` plot rows (clamped to 2..=40). The x axis is time, so gaps in
/// training show as long flat-ish segments; when several points land in the
/// same column they are averaged. A flat series is drawn mid-height.
pub fn line_chart(points: &[(NaiveDate, f64)], unit: &str, width: usize, height: usize) -> String {
    let mut points: Vec<(NaiveDate, f64)> = points.iter().copied().filter(|(_, v)| v.is_finite()).collect();
    if points.is_empty() {
        return "no data to chart yet".to_string();
    }
    points.sort_by_key(|(date, _)| *date);
    let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let height = height.clamp(2, 40);
    let (mut lo, mut hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    if hi - lo < 1e-9 {
        let pad = (lo.abs() * 0.05).max(1.0);
        (lo, hi) = (lo - pad, hi + pad);
    }

    let unit: String = unit.chars().take(MAX_UNIT_CHARS).collect();
    let label = |value: f64| format!("{} {unit}", compact(value)).trim_end().to_string();
    // The middle label names the centre of its row, rounded as coarsely as
    // the range allows so it reads "112", not "111.87".
    let decimals = if hi - lo >= 10.0 {
        0
    } else if hi - lo >= 1.0 {
        1
    } else {
        2
    };
    let scale = 10f64.powi(decimals);
    let row_value = |row: usize| {
        let value = hi - (hi - lo) * (row as f64 * 4.0 + 1.5) / (height as f64 * 4.0 - 1.0);
        (value * scale).round() / scale
    };
    let labels: Vec<String> = (0..height)
        .map(|row| match row {
            0 => label(hi),
            r if r == height - 1 => label(lo),
            r if r == height / 2 && height >= 5 => label(row_value(r)),
            _ => String::new(),
        })
        .collect();
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let plot_width = width - label_width - 2;

    let dots = plot_dots(&points, plot_width * 2, height * 4, lo, hi);
    let mut out = String::new();
    for (row, label) in labels.iter().enumerate() {
        let axis = if label.is_empty() { '│' } else { '┤' };
        let cells: String = (0..plot_width).map(|col| braille(&dots, col, row)).collect();
        let line = format!("{label:>label_width$} {axis}{cells}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!("{:label_width$} └{}\n", "", "─".repeat(plot_width)));

    let first = points[0].0.format(DATE_FORMAT).to_string();
    let last = points[points.len() - 1].0.format(DATE_FORMAT).to_string();
    out.push_str(&format!("{:label_width$}  {first}", ""));
    if last != first && plot_width > 2 * DATE_CHARS {
        out.push_str(&format!("{last:>gap$}", gap = plot_width - DATE_CHARS));
    }
    out
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

/// The dot grid (`columns` × `rows`, row 0 at the top) of the line through
/// the points, one averaged value per dot column.
fn plot_dots(points: &[(NaiveDate, f64)], columns: usize, rows: usize, lo: f64, hi: f64) -> Vec<Vec<bool>> {
    let first = points[0].0;
    let span = (points[points.len() - 1].0 - first).num_days().max(1) as f64;
    let mut buckets: BTreeMap<usize, (f64, u32)> = BTreeMap::new();
    for (date, value) in points {
        let x = ((*date - first).num_days() as f64 / span * (columns - 1) as f64).round() as usize;
        let bucket = buckets.entry(x.min(columns - 1)).or_insert((0.0, 0));
        *bucket = (bucket.0 + value, bucket.1 + 1);
    }
    let to_y = |value: f64| {
        let from_bottom = ((value - lo) / (hi - lo) * (rows - 1) as f64).round() as usize;
        rows - 1 - from_bottom.min(rows - 1)
    };
    let centres: Vec<(usize, usize)> = buckets
        .into_iter()
        .map(|(x, (sum, n))| (x, to_y(sum / f64::from(n))))
        .collect();
    let mut grid = vec![vec![false; columns]; rows];
    for (x, y) in &centres {
        grid[*y][*x] = true;
    }
    for pair in centres.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let steps = (x1 - x0).max(y0.abs_diff(y1));
        for i in 1..steps {
            let t = i as f64 / steps as f64;
            let x = (x0 as f64 + (x1 - x0) as f64 * t).round() as usize;
            let y = (y0 as f64 + (y1 as f64 - y0 as f64) * t).round() as usize;
            grid[y][x] = true;
        }
    }
    grid
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

    #[test]
    fn rising_line_goes_bottom_left_to_top_right() {
        let chart = line_chart(&[(day(0), 100.0), (day(30), 200.0)], "kg", 60, 5);
        assert_fits(&chart);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(lines.len(), 5 + 2);
        assert!(lines[0].starts_with("200 kg ┤"));
        assert!(lines[4].starts_with("100 kg ┤"));
        assert!(lines[5].contains('└'));
        assert!(lines[6].trim_start().starts_with("2024-01-01") && lines[6].ends_with("2024-01-31"));
        assert_eq!(lines[6].chars().count(), 60);
        let rows = plot_rows(&chart, 5);
        assert_ne!(rows[0].last(), Some(&' '));
        assert_ne!(rows[4].first(), Some(&' '));
    }

    #[test]
    fn single_point_and_flat_series() {
        let one = line_chart(&[(day(3), 80.0)], "kg", 80, 8);
        assert_fits(&one);
        assert_eq!(one.matches("2024-01-04").count(), 1);
        let dots: usize = one.chars().filter(|c| ('\u{2801}'..='\u{28ff}').contains(c)).count();
        assert_eq!(dots, 1);

        let flat: Vec<(NaiveDate, f64)> = (0..10).map(|i| (day(i * 7), 100.0)).collect();
        let chart = line_chart(&flat, "kg", 80, 8);
        assert_fits(&chart);
        // Padded by 5: the line runs through the middle, nowhere else.
        assert!(chart.trim_start().starts_with("105 kg ┤"));
        let rows = plot_rows(&chart, 8);
        let inked: Vec<usize> = (0..8).filter(|r| rows[*r].iter().any(|c| *c != ' ')).collect();
        assert_eq!(inked, vec![3]);
    }

    #[test]
    fn many_points_are_bucketed_to_the_width() {
        let points: Vec<(NaiveDate, f64)> = (0..2000).map(|i| (day(i / 2), 100.0 + (i % 37) as f64)).collect();
        let chart = line_chart(&points, "kg", 80, 10);
        assert_fits(&chart);
        assert_eq!(chart.lines().count(), 12);
    }

    #[test]
    fn never_wider_than_80_columns() {
        let extremes = [
            vec![(day(0), 1e300), (day(1), -1e300)],
            vec![(day(0), f64::NAN), (day(5), 0.001)],
            vec![(day(0), 123_456_789.0), (day(900), 5.0)],
            (0..300).map(|i| (day(i), (i as f64).sin() * 50.0 + 1e5)).collect(),
        ];
        for points in &extremes {
            for width in [0, 10, 40, 79, 80, 81, 500] {
                for height in [0, 1, 3, 10, 100] {
                    let chart = line_chart(points, "a very long unit name", width, height);
                    assert_fits(&chart);
                }
            }
        }
        assert_eq!(line_chart(&[], "kg", 80, 10), "no data to chart yet");
        assert_eq!(
            line_chart(&[(day(0), f64::INFINITY)], "kg", 80, 10),
            "no data to chart yet"
        );
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
