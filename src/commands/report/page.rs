//! The report as one HTML page: its style sheet and its few lines of script
//! are inline, its charts are inline SVG, and it names no other file or
//! address, so it renders the same offline, from a phone's downloads or on
//! paper.

use super::charts::{self, Layer, LiftPoint, Placed, Svg};
use super::{Lifts, Report};
use crate::analytics::TREND_DAYS;
use crate::commands::pr::RecordRow;
use crate::commands::render::weight;
use crate::error::{Error, Result};
use chrono::{Local, NaiveDate};
use plotters::style::RGBColor;
use std::fmt::Write;

/// Muscle groups beyond this many share one layer, so no two layers of a
/// stacked chart share a colour.
const MUSCLE_LAYERS: usize = charts::PALETTE.len() - 1;

/// Light and dark themes follow the system's; print is black on white.
const STYLE: &str = r##"
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#5f6368;--card:#f3f4f6;--line:#d9dbe0;--accent:#1f77b4}
@media (prefers-color-scheme:dark){:root{--bg:#141619;--fg:#e6e6e6;--muted:#a2a6ad;--card:#1f2226;--line:#343840;--accent:#6fb1e6}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:780px;padding:16px 12px 40px;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:1.05em;margin:18px 0 6px}
p.meta,figcaption,.note{color:var(--muted);font-size:.9em}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:0;padding:0}
.tiles div{background:var(--card);border-radius:8px;padding:10px 12px}
.tiles dt{color:var(--muted);font-size:.85em}.tiles dd{margin:0;font-size:1.35em;font-weight:600}
figure{margin:0 0 24px;position:relative}
figure svg{display:block;width:100%;max-width:680px;height:auto}
svg text{fill:var(--fg)}
svg [stroke="#000000"]{stroke:var(--fg)}
svg [stroke="#FFFFFF"]{stroke:var(--bg)}
.tip{position:absolute;transform:translate(-50%,-130%);background:var(--fg);color:var(--bg);padding:3px 8px;border-radius:6px;font-size:.85em;white-space:nowrap;pointer-events:none}
.scroll{overflow-x:auto}
.legend{list-style:none;margin:2px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9em}
.legend span{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:.95em}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
td.n{text-align:right;white-space:nowrap}
.empty{background:var(--card);border-radius:8px;padding:16px}
code{background:var(--card);padding:1px 5px;border-radius:4px}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--card:#f3f3f3;--line:#bbb}
body{max-width:none;padding:0}.tip{display:none}
figure,table,.tiles{break-inside:avoid}h2{break-after:avoid}
}
"##;

/// Hover or tap a lift's chart: the nearest session's label. The page
/// reads the same without it.
const SCRIPT: &str = r#"
document.querySelectorAll("figure[data-points]").forEach(function (figure) {
  var points = JSON.parse(figure.dataset.points), svg = figure.querySelector("svg"), tip = figure.querySelector(".tip");
  function show(event) {
    var box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
    var x = (event.clientX - box.left) / scale, best = null;
    points.forEach(function (p) { if (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p; });
    if (!best) return;
    tip.textContent = best[2] + " · e1RM " + best[3] + " " + figure.dataset.unit + (best[4] ? " · PR" : "");
    tip.style.left = best[0] * scale + "px";
    tip.style.top = best[1] * scale + "px";
    tip.hidden = false;
  }
  svg.addEventListener("pointermove", show);
  svg.addEventListener("click", show);
  svg.addEventListener("pointerleave", function () { tip.hidden = true; });
});
"#;

/// Text safe inside an element or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text safe inside a single-quoted attribute.
fn escape_for_single_quotes(text: &str) -> String {
    text.replace('&', "&amp;").replace('\'', "&#39;")
}

/// Time trained: `5h30m`, `45m`.
fn hours(secs: u64) -> String {
    let minutes = secs / 60;
    if minutes < 60 {
        format!("{minutes}m")
    } else {
        format!("{}h{:02}m", minutes / 60, minutes % 60)
    }
}

/// A chart in its figure, with its caption and, when it has labelled
/// points, their labels for the script.
fn figure(out: &mut String, kind: &str, extra: &str, caption: &str, svg: &Svg) {
    let _ = write!(out, r#"<figure data-chart="{kind}"{extra}"#);
    if !svg.points.is_empty() {
        // In single quotes, JSON's many double quotes need no escaping.
        let points = serde_json::to_string(&svg.points).unwrap_or_default();
        let _ = write!(out, " data-points='{}'", escape_for_single_quotes(&points));
    }
    let _ = write!(out, "><figcaption>{}</figcaption>\n{}", escape(caption), svg.markup);
    if !svg.points.is_empty() {
        out.push_str(r#"<div class="tip" hidden></div>"#);
    }
    if !svg.legend.is_empty() {
        out.push_str(r#"<ul class="legend">"#);
        for (name, colour) in &svg.legend {
            let RGBColor(r, g, b) = colour;
            let _ = write!(
                out,
                r#"<li><span style="background:#{r:02x}{g:02x}{b:02x}"></span>{}</li>"#,
                escape(name)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</figure>\n");
}

/// A chart plotters could not draw.
type ChartError = Box<dyn std::error::Error>;

fn drawn<T>(chart: std::result::Result<T, ChartError>) -> Result<T> {
    chart.map_err(|e| Error::other(format!("could not draw the report's charts: {e}")))
}

/// Writes the whole page to `sink` a section at a time, so that only one
/// section (one chart) is in memory at once however long the history.
/// `lifts` reads one main lift's sessions of the period.
pub fn render(report: &Report, lifts: &Lifts, sink: &mut dyn std::io::Write) -> Result<()> {
    let mut out = String::with_capacity(64 * 1024);
    let mut flush = |out: &mut String| -> Result<()> {
        sink.write_all(out.as_bytes()).map_err(|e| {
            Error::other(format!(
                "could not write the report: {e}: free some space, or write it elsewhere with -o"
            ))
        })?;
        out.clear();
        Ok(())
    };
    let unit = report.unit;
    let (from, to) = report.period;
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>pump report {from} to {to}</title>
<style>{STYLE}</style></head>
<body>
<h1>Training report</h1>
<p class="meta">{from} to {to} · weights in {unit} · made by pump on {}</p>
"#,
        Local::now().format("%Y-%m-%d %H:%M")
    );
    summary(&mut out, report);
    flush(&mut out)?;
    if report.weeks.total.sessions == 0 {
        out.push_str(
            r#"<p class="empty" data-empty>No workouts in this period yet. Log one with <code>pump log -e "squat: 3x5@100kg"</code>, or import your history with <code>pump import</code>, then run <code>pump report</code> again.</p>
"#,
        );
    } else {
        lift_charts(&mut out, report, lifts, &mut flush)?;
        drawn(weekly(&mut out, report))?;
        flush(&mut out)?;
        drawn(calendar(&mut out, report))?;
        flush(&mut out)?;
    }
    drawn(body_weight(&mut out, report))?;
    flush(&mut out)?;
    records(&mut out, report);
    let _ = write!(
        out,
        r#"<h2>What the numbers mean</h2>
<p class="note">A session is a workout with at least one working set; warm-ups never count. Volume is reps × load, where an @bw set's load is your body weight that day plus anything added. e1RM is {} (estimated one-rep max). Weeks run Monday to Sunday in local time. Records are those standing at the end of the period. The same definitions as <code>pump pr</code>, <code>pump stats</code> and <code>pump progress</code>.</p>
<script>{SCRIPT}</script>
</body></html>
"#,
        escape(&report.formula.describe())
    );
    flush(&mut out)
}

fn summary(out: &mut String, report: &Report) {
    let total = &report.weeks.total;
    let tiles = [
        (
            "sessions",
            "Sessions",
            f64::from(total.sessions),
            total.sessions.to_string(),
        ),
        ("sets", "Working sets", f64::from(total.sets), total.sets.to_string()),
        (
            "volume_kg",
            "Volume",
            total.volume_kg,
            weight(total.volume_kg.round(), report.unit),
        ),
        (
            "duration_s",
            "Time trained",
            total.duration_s as f64,
            hours(total.duration_s),
        ),
        (
            "current_streak",
            "Current streak",
            f64::from(report.weeks.current_streak),
            format!("{} weeks", report.weeks.current_streak),
        ),
        (
            "longest_streak",
            "Longest streak",
            f64::from(report.weeks.longest_streak),
            format!("{} weeks", report.weeks.longest_streak),
        ),
    ];
    let _ = write!(
        out,
        r#"<h2>Summary</h2>
<dl class="tiles" data-weeks="{}">"#,
        report.weeks.weeks.len()
    );
    for (key, name, value, shown) in tiles {
        let _ = write!(
            out,
            r#"<div data-stat="{key}" data-value="{value}"><dt>{name}</dt><dd>{}</dd></div>"#,
            escape(&shown)
        );
    }
    let _ = writeln!(
        out,
        r#"</dl>
<p class="note">Over the {} weeks (Monday to Sunday) of the period; streaks are weeks in a row with a session.</p>"#,
        report.weeks.weeks.len()
    );
}

/// Each main lift's chart, written out before the next lift is read.
fn lift_charts(
    out: &mut String,
    report: &Report,
    lifts: &Lifts,
    flush: &mut dyn FnMut(&mut String) -> Result<()>,
) -> Result<()> {
    if report.lifts.is_empty() {
        return Ok(());
    }
    out.push_str(
        "<h2>Main lifts: estimated 1RM</h2>\n<p class=\"note\">One point per session: its best e1RM. ▲ marks a session that beat every one before it. Hover or tap a chart for the session's date and set.</p>\n",
    );
    let unit = report.unit;
    for name in &report.lifts {
        let points = lifts.sessions(name)?;
        let chart_points: Vec<LiftPoint> = points
            .iter()
            .map(|p| LiftPoint {
                day: p.day,
                value: unit.from_kg(p.value_kg),
                pr: p.pr,
            })
            .collect();
        let (mut svg, spots) = drawn(charts::lift(&chart_points, report.period, unit.as_str()))?;
        // Only the sessions that get a label have their set read.
        let labelled = || spots.iter().map(|spot| &points[spot.index]);
        let sets = lifts.sets(labelled())?;
        svg.points = spots
            .iter()
            .zip(labelled())
            .map(|(spot, p)| {
                let set = p.set.as_deref().or_else(|| sets.get(&p.workout_id));
                let set = set
                    .map(|s| format!(" · {}", crate::commands::render::best_set(s, unit)))
                    .unwrap_or_default();
                Placed::new(spot, format!("{}{set}", p.day))
            })
            .collect();
        let sessions = points.len();
        let prs = points.iter().filter(|p| p.pr).count();
        figure(
            out,
            "lift",
            &format!(
                r#" data-exercise="{}" data-sessions="{sessions}" data-unit="{unit}""#,
                escape(name)
            ),
            &format!("{name}: {sessions} sessions, {prs} PR sessions"),
            &svg,
        );
        flush(out)?;
    }
    Ok(())
}

/// The muscle groups of the period, most sets first, those past
/// [`MUSCLE_LAYERS`] folded into one.
fn muscle_layers(report: &Report, value: impl Fn(&crate::analytics::MuscleTotals) -> f64) -> Vec<Layer> {
    let mut groups: Vec<_> = report.weeks.total.muscles.iter().collect();
    groups.sort_by(|a, b| b.1.sets.cmp(&a.1.sets).then(a.0.cmp(b.0)));
    let weekly = |muscle| -> Vec<f64> {
        report
            .weeks
            .weeks
            .iter()
            .map(|w| w.totals.muscles.get(muscle).map_or(0.0, &value))
            .collect()
    };
    let mut layers: Vec<Layer> = groups
        .iter()
        .take(MUSCLE_LAYERS)
        .map(|(muscle, _)| Layer {
            name: muscle.to_string(),
            values: weekly(*muscle),
        })
        .collect();
    let rest: Vec<Vec<f64>> = groups.iter().skip(MUSCLE_LAYERS).map(|(m, _)| weekly(*m)).collect();
    if !rest.is_empty() {
        let values = (0..report.weeks.weeks.len())
            .map(|week| rest.iter().map(|r| r[week]).sum())
            .collect();
        layers.push(Layer {
            name: "other groups".into(),
            values,
        });
    }
    layers
}

fn weekly(out: &mut String, report: &Report) -> std::result::Result<(), ChartError> {
    let unit = report.unit;
    let mondays: Vec<NaiveDate> = report.weeks.weeks.iter().map(|w| w.start).collect();
    out.push_str("<h2>Week by week</h2>\n");
    let volume = muscle_layers(report, |t| unit.from_kg(t.volume_kg));
    let svg = charts::stacked(&mondays, &volume, unit.as_str())?;
    figure(
        out,
        "volume",
        "",
        &format!("Volume per week by muscle group, in {unit}"),
        &svg,
    );
    let sets = muscle_layers(report, |t| f64::from(t.sets));
    let svg = charts::stacked(&mondays, &sets, "sets")?;
    figure(out, "sets", "", "Working sets per week by muscle group", &svg);
    let time = Layer {
        name: "time trained".into(),
        values: report
            .weeks
            .weeks
            .iter()
            .map(|w| w.totals.duration_s as f64 / 3600.0)
            .collect(),
    };
    let svg = charts::stacked(&mondays, &[time], "hours")?;
    figure(
        out,
        "time",
        "",
        "Time trained per week, in hours (start to finish of each session)",
        &svg,
    );
    Ok(())
}

fn calendar(out: &mut String, report: &Report) -> std::result::Result<(), ChartError> {
    let days = &report.days;
    let svg = charts::calendar(days, report.period)?;
    out.push_str("<h2>Training calendar</h2>\n");
    figure(
        out,
        "calendar",
        &format!(r#" data-days="{}""#, days.len()),
        &format!(
            "{} days trained; the darker, the more working sets that day",
            days.len()
        ),
        &svg,
    );
    Ok(())
}

fn body_weight(out: &mut String, report: &Report) -> std::result::Result<(), ChartError> {
    let Some(body) = &report.body else { return Ok(()) };
    let unit = report.unit;
    let in_unit = |log: &[(NaiveDate, f64)]| -> Vec<(NaiveDate, f64)> {
        log.iter().map(|(day, kg)| (*day, unit.from_kg(*kg))).collect()
    };
    let svg = charts::body_weight(
        &in_unit(&body.weigh_ins),
        &in_unit(&body.trend),
        report.period,
        unit.as_str(),
    )?;
    out.push_str("<h2>Body weight</h2>\n");
    let latest = body
        .trend
        .last()
        .map(|(_, kg)| format!("; trend now {}", weight((kg * 10.0).round() / 10.0, unit)))
        .unwrap_or_default();
    figure(
        out,
        "body",
        &format!(r#" data-weigh-ins="{}""#, body.weigh_ins.len()),
        &format!(
            "{} weigh-ins; the trend is the mean of the last {TREND_DAYS} days' weigh-ins{latest}",
            body.weigh_ins.len()
        ),
        &svg,
    );
    Ok(())
}

fn records(out: &mut String, report: &Report) {
    if report.records.is_empty() {
        return;
    }
    out.push_str(
        "<h2>Personal records</h2>\n<p class=\"note\">Every kind of record of every exercise, as <code>pump pr</code> shows them. NRM is the heaviest weight lifted for at least N reps.</p>\n",
    );
    for (exercise, rows) in &report.records {
        let _ = write!(
            out,
            r#"<h3>{}</h3><div class="scroll"><table class="records" data-exercise="{}"><thead><tr><th>Record</th><th>Value</th><th>Set</th><th>Date</th></tr></thead><tbody>"#,
            escape(exercise),
            escape(exercise)
        );
        for RecordRow {
            record,
            value,
            shown,
            set,
            date,
        } in rows
        {
            let _ = write!(
                out,
                r#"<tr data-record="{}" data-value="{value}"><td>{}</td><td class="n">{}</td><td>{}</td><td class="n">{}</td></tr>"#,
                escape(record),
                escape(record),
                escape(shown),
                escape(set),
                date.with_timezone(&Local).format("%Y-%m-%d")
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
}
