//! The report's charts, drawn as SVG by plotters. Axes and text are drawn
//! black and series in mid tones: the page's style sheet recolours black
//! for the dark theme (a style rule outranks an SVG presentation attribute),
//! and mid tones read on either background.

use crate::model::format_number;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Every chart's width in SVG pixels: narrow enough that the page scales it
/// down little on a phone, so its text stays readable.
const WIDTH: u32 = 560;
/// A chart's height.
const HEIGHT: u32 = 280;
/// Axis labels: about 10 px once the chart fills a phone's width.
const FONT: (&str, u32) = ("sans-serif", 19);
/// Up to this many sessions each gets a dot; beyond, the dots would merge
/// into a smear (and weigh a megabyte), so the line's corners are the
/// sessions. Every session keeps its hover label either way.
const DOTS_UP_TO: usize = 150;

/// The series' colours: mid tones that read on a light and a dark page.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x17, 0xbe, 0xcf),
];
/// A session that beat every one before it.
const PR: RGBColor = RGBColor(0xe0, 0x9f, 0x00);
/// The body-weight trend.
const TREND: RGBColor = PALETTE[2];
/// Drawn in the page's background colour (the style sheet maps it to the
/// theme's): the gaps between calendar cells.
const PAGE: RGBColor = WHITE;
/// Grid lines and empty calendar days.
const FAINT: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// A chart as SVG text plus where its points landed, for hover labels.
pub struct Svg {
    /// The `<svg>` element.
    pub markup: String,
    /// Each labelled point's position in the SVG's own pixels, with its label.
    pub points: Vec<Placed>,
    /// What each colour stands for, shown under the chart: in the page's
    /// text, it wraps on a phone and never covers the data.
    pub legend: Vec<(String, RGBColor)>,
}

impl Svg {
    fn plain(markup: String) -> Svg {
        Svg {
            markup,
            points: Vec::new(),
            legend: Vec::new(),
        }
    }
}

/// Up to this many sessions, each gets a hover label. Beyond, more than
/// one lands on some pixel column, and only the first of a column gets one:
/// the page's script shows the session nearest the pointer across, the
/// first of equals, so the others' labels could never show.
const LABELS_UP_TO: usize = WIDTH as usize;

/// A session where the chart drew it, as the page's script reads it:
/// `[x, y, "day · set", value, 1 if a PR]`, the value rounded to a tenth.
/// The script adds "e1RM", the unit and "PR": 8,000 sessions of repeated
/// words would weigh a tenth of a megabyte.
#[derive(serde::Serialize)]
pub struct Placed(i32, i32, String, f64, u8);

impl Placed {
    /// The session at `spot`, labelled `label` ("day · set").
    pub fn new(spot: &Spot, label: String) -> Placed {
        Placed(spot.x, spot.y, label, spot.value, u8::from(spot.pr))
    }
}

/// Where a lift chart drew a session that gets a hover label.
pub struct Spot {
    /// The session's place in the points charted.
    pub index: usize,
    x: i32,
    y: i32,
    /// Its value rounded to a tenth, as the label shows it.
    value: f64,
    pr: bool,
}

/// One session on a lift's chart.
pub struct LiftPoint {
    /// The session's local day.
    pub day: NaiveDate,
    /// Its best e1RM, in the lifter's unit.
    pub value: f64,
    /// It beat every session before it.
    pub pr: bool,
}

/// One series of a stacked chart: a name and a value per week.
pub struct Layer {
    /// Shown in the legend.
    pub name: String,
    /// One value per week, in the order of the weeks.
    pub values: Vec<f64>,
}

type Failure = Box<dyn std::error::Error>;

/// Draws onto a fresh SVG of `height` and returns its text.
fn draw(
    height: u32,
    paint: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), Failure>,
) -> Result<String, Failure> {
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, (WIDTH, height)).into_drawing_area();
        paint(&root)?;
        root.present()?;
    }
    Ok(markup)
}

/// A chart of f64 over f64 on `root`.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes, light horizontal grid lines and labels, the same on every chart.
fn axes<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    x_label: &dyn Fn(&f64) -> String,
    y_desc: &str,
) -> Result<Chart<'a, 'b>, Failure> {
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .margin_right(36)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(FAINT.mix(0.3))
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(6)
        .x_label_formatter(x_label)
        .y_label_formatter(&|v| format_number((v * 10.0).round() / 10.0))
        .y_desc(y_desc)
        .label_style(FONT)
        .axis_desc_style(FONT)
        .draw()?;
    Ok(chart)
}

/// The days between `from` and `to` as x coordinates: days since `from`.
fn day_number(from: NaiveDate, day: NaiveDate) -> f64 {
    (day - from).num_days() as f64
}

/// An axis label for day `n` after `from`.
fn day_label(from: NaiveDate, n: f64) -> String {
    from.checked_add_days(Days::new(n.max(0.0).round() as u64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A y range around `values` with a little room above and below.
fn value_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return 0.0..1.0;
    }
    let pad = ((high - low) * 0.08).max(high.abs() * 0.02).max(0.5);
    (low - pad).max(0.0)..high + pad
}

/// A line of values over days with its points, PR sessions marked: a lift's
/// e1RM. The x axis spans the report's period. Also returns where the
/// sessions that get a hover label were drawn, oldest first.
pub fn lift(points: &[LiftPoint], period: (NaiveDate, NaiveDate), unit: &str) -> Result<(Svg, Vec<Spot>), Failure> {
    let (from, to) = period;
    let mut spots: Vec<Spot> = Vec::with_capacity(points.len().min(LABELS_UP_TO));
    let markup = draw(HEIGHT, |root| {
        let x = 0.0..day_number(from, to).max(1.0);
        let y = value_range(points.iter().map(|p| p.value));
        let mut chart = axes(root, x, y, &|n| day_label(from, *n), unit)?;
        let xy = |p: &LiftPoint| (day_number(from, p.day), p.value);
        chart.draw_series(LineSeries::new(points.iter().map(xy), PALETTE[0].stroke_width(2)))?;
        if points.len() <= DOTS_UP_TO {
            chart.draw_series(points.iter().map(|p| Circle::new(xy(p), 3, PALETTE[0].filled())))?;
        }
        chart.draw_series(
            points
                .iter()
                .filter(|p| p.pr)
                .map(|p| TriangleMarker::new(xy(p), 6, PR.filled())),
        )?;
        for (index, p) in points.iter().enumerate() {
            let (x, y) = chart.backend_coord(&xy(p));
            // The points are oldest first, so a column's first is the one kept.
            if points.len() > LABELS_UP_TO && spots.last().is_some_and(|last| last.x == x) {
                continue;
            }
            let value = (p.value * 10.0).round() / 10.0;
            spots.push(Spot {
                index,
                x,
                y,
                value,
                pr: p.pr,
            });
        }
        Ok(())
    })?;
    Ok((Svg::plain(markup), spots))
}

/// Values per week stacked by layer, as steps (one per week, so a single
/// week still shows), with a legend: volume or sets per muscle group.
/// `weeks` are the Mondays.
pub fn stacked(weeks: &[NaiveDate], layers: &[Layer], unit: &str) -> Result<Svg, Failure> {
    let from = weeks.first().copied().unwrap_or_default();
    let end = weeks.len() as f64;
    let mut totals = vec![0.0; weeks.len()];
    // Each layer is drawn from the axis to the sum of it and those below,
    // topmost first, so each lower one covers the part that is not its own.
    let mut tops: Vec<(usize, Vec<f64>)> = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        for (total, value) in totals.iter_mut().zip(&layer.values) {
            *total += value;
        }
        tops.push((i, totals.clone()));
    }
    let highest = totals.iter().copied().fold(0.0, f64::max);
    let markup = draw(HEIGHT + 40, |root| {
        let y = 0.0..(highest * 1.08).max(1.0);
        let week_label = |x: &f64| day_label(from, x.floor() * 7.0);
        let mut chart = axes(root, 0.0..end.max(1.0), y, &week_label, unit)?;
        for (i, top) in tops.iter().rev() {
            let steps = top
                .iter()
                .enumerate()
                .flat_map(|(week, value)| [(week as f64, *value), (week as f64 + 1.0, *value)]);
            let colour = PALETTE[i % PALETTE.len()];
            chart.draw_series(AreaSeries::new(steps, 0.0, colour.mix(0.85).filled()))?;
        }
        Ok(())
    })?;
    let legend = layers
        .iter()
        .enumerate()
        .map(|(i, layer)| (layer.name.clone(), PALETTE[i % PALETTE.len()]))
        .collect();
    Ok(Svg {
        legend,
        ..Svg::plain(markup)
    })
}

/// A line over days with a smoother line through it: body weight and its trend.
pub fn body_weight(
    weigh_ins: &[(NaiveDate, f64)],
    trend: &[(NaiveDate, f64)],
    period: (NaiveDate, NaiveDate),
    unit: &str,
) -> Result<Svg, Failure> {
    let (from, to) = period;
    let markup = draw(HEIGHT, |root| {
        let all = weigh_ins.iter().chain(trend).map(|(_, v)| *v);
        let x = 0.0..day_number(from, to).max(1.0);
        let mut chart = axes(root, x, value_range(all), &|n| day_label(from, *n), unit)?;
        let xy = |(day, value): &(NaiveDate, f64)| (day_number(from, *day), *value);
        chart.draw_series(LineSeries::new(weigh_ins.iter().map(xy), FAINT.stroke_width(1)))?;
        if weigh_ins.len() <= DOTS_UP_TO {
            chart.draw_series(weigh_ins.iter().map(|w| Circle::new(xy(w), 2, FAINT.filled())))?;
        }
        chart.draw_series(LineSeries::new(trend.iter().map(xy), TREND.stroke_width(3)))?;
        Ok(())
    })?;
    Ok(Svg {
        legend: vec![("weigh-ins".into(), FAINT), ("trend".into(), TREND)],
        ..Svg::plain(markup)
    })
}

/// Calendar cells: 9 px apart, 7 px wide (54 weeks fit the width).
const CELL: i32 = 9;
/// The calendar's year and weekday labels, sized to its small cells.
const CALENDAR_FONT: (&str, u32) = ("sans-serif", 15);
/// Room for the year and the weekday initials left of the grid.
const CALENDAR_LEFT: i32 = 40;

/// The training calendar: a row of weeks (Monday on top) per year of the
/// period, each day shaded by how many working sets it had.
pub fn calendar(days: &[(NaiveDate, u32)], period: (NaiveDate, NaiveDate)) -> Result<Svg, Failure> {
    let (from, to) = period;
    let years: Vec<i32> = (from.year()..=to.year()).collect();
    let row_height = CELL * 7 + 28;
    let height = u32::try_from(row_height * years.len() as i32 + 8).unwrap_or(HEIGHT);
    let busiest = days.iter().map(|(_, sets)| *sets).max().unwrap_or(1).max(1);
    let markup = draw(height, |root| {
        let text = |anchor| {
            CALENDAR_FONT
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(anchor, VPos::Center))
        };
        for (row, year) in years.iter().enumerate() {
            let top = row as i32 * row_height + 4;
            root.draw(&Text::new(year.to_string(), (0, top + 10), text(HPos::Left)))?;
            for (weekday, initial) in [(Weekday::Mon, "M"), (Weekday::Wed, "W"), (Weekday::Fri, "F")] {
                let y = top + 22 + weekday.num_days_from_monday() as i32 * CELL + 5;
                root.draw(&Text::new(initial, (CALENDAR_LEFT - 8, y), text(HPos::Right)))?;
            }
            let first = NaiveDate::from_ymd_opt(*year, 1, 1).unwrap_or(from).max(from);
            let last = NaiveDate::from_ymd_opt(*year, 12, 31).unwrap_or(to).min(to);
            let jan1 = NaiveDate::from_ymd_opt(*year, 1, 1).unwrap_or(first);
            let monday_before_jan1 = i64::from(jan1.weekday().num_days_from_monday());
            let mut trained = days.iter().filter(|(d, _)| (first..=last).contains(d)).peekable();
            // Each weekday's row of the year: (column, shade), 0 for a rest day.
            let mut rows: [Vec<(i32, u32)>; 7] = Default::default();
            for day in first.iter_days().take_while(|d| *d <= last) {
                let column = ((day - jan1).num_days() + monday_before_jan1) / 7;
                let sets = trained.next_if(|(d, _)| *d == day).map_or(0, |(_, sets)| *sets);
                // Three shades, like the terminal's calendar: a light day
                // still shows, the busiest are darkest.
                let shade = if sets == 0 { 0 } else { 1 + (2 * (sets - 1)) / busiest };
                rows[day.weekday().num_days_from_monday() as usize].push((column as i32, shade));
            }
            // Neighbouring days of one shade are one rectangle, parted into
            // cells by lines of the page's colour: 10 years of days would
            // otherwise weigh a third of a megabyte.
            for (weekday, row) in rows.iter().enumerate() {
                let y = top + 22 + weekday as i32 * CELL;
                for run in row.chunk_by(|a, b| a.1 == b.1 && a.0 + 1 == b.0) {
                    let (start, shade) = run[0];
                    let end = run[run.len() - 1].0;
                    let style = match shade {
                        0 => FAINT.mix(0.25).filled(),
                        shade => PALETTE[2].mix(0.4 + 0.3 * f64::from(shade)).filled(),
                    };
                    let x = |column: i32| CALENDAR_LEFT + column * CELL;
                    root.draw(&Rectangle::new(
                        [(x(start), y), (x(end) + CELL - 2, y + CELL - 2)],
                        style,
                    ))?;
                }
            }
            let columns = rows.iter().flatten().map(|(column, _)| *column).max().unwrap_or(0);
            // One line snaking down and up through the gaps, turning just
            // outside the grid.
            let (above, below) = (top + 21, top + 22 + 7 * CELL);
            let snake = (0..columns).flat_map(|column| {
                let x = CALENDAR_LEFT + column * CELL + CELL - 1;
                if column % 2 == 0 {
                    [(x, above), (x, below)]
                } else {
                    [(x, below), (x, above)]
                }
            });
            root.draw(&PathElement::new(snake.collect::<Vec<_>>(), PAGE.stroke_width(2)))?;
        }
        Ok(())
    })?;
    Ok(Svg::plain(markup))
}
