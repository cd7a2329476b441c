//! `pump weight` (body weight) and `pump plates`.

use super::Context;
use super::render::{print_json, print_table, table};
use crate::cli::WHEN_HELP;
use crate::error::{Error, Result};
use crate::model::{BodyWeight, Unit, format_number};
use crate::plates;
use crate::store::Change;
use chrono::Local;
use clap::Args;
use serde_json::json;

/// `80.5`, `80.5kg` or `177lb`: a number in the user's unit unless it says.
fn parse_amount(text: &str, default: Unit) -> Result<(f64, Unit)> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = if let Some(n) = t.strip_suffix("kg") {
        (n, Unit::Kg)
    } else if let Some(n) = t.strip_suffix("lbs").or_else(|| t.strip_suffix("lb")) {
        (n, Unit::Lb)
    } else {
        (t.as_str(), default)
    };
    let value: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v > 0.0)
        .ok_or_else(|| {
            Error::usage(format!(
                "'{text}' is not a weight: write a positive number, e.g. 80.5 or 177lb"
            ))
        })?;
    Ok((value, unit))
}

/// `pump weight [WEIGHT]`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump weight 80.5\n  pump weight 177lb --at yesterday\n  pump weight          # recent entries and the trend"
)]
pub struct WeightArgs {
    /// Body weight, e.g. 80.5 (your unit), 80.5kg or 177lb; lists entries when absent
    weight: Option<String>,
    /// When it was weighed (default: now)
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    at: Option<String>,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Records a weigh-in, or lists the recent ones with their trend.
pub fn weight(ctx: &Context, args: WeightArgs) -> Result<()> {
    let unit = ctx.unit();
    if let Some(value) = &args.weight {
        // Everything typed is checked before the database is opened: bad
        // input must not even create one.
        let (amount, typed_unit) = parse_amount(value, unit)?;
        let at = ctx.when_done(args.at.as_deref().unwrap_or("now"))?;
        let entry = BodyWeight {
            id: at.with_timezone(&Local).format("%Y-%m-%d").to_string(),
            at,
            weight_kg: typed_unit.to_kg(amount),
            unit: typed_unit,
        };
        entry.validate().map_err(Error::usage)?;
        let id = entry.id.clone();
        ctx.store()?.write(&id, |_| Ok(Some(Change::put(entry))))?;
        eprintln!("Body weight {} {typed_unit} on {id}", format_number(amount));
        return Ok(());
    }
    let store = ctx.store_to_read()?;
    let mut entries = store.all::<BodyWeight>()?;
    entries.sort_by_key(|e| e.at);
    if args.json {
        print_json(&serde_json::to_value(&entries)?);
        return Ok(());
    }
    if entries.is_empty() {
        eprintln!("No body-weight entries. Add one with `pump weight 80.5`.");
        return Ok(());
    }
    let recent = &entries[entries.len().saturating_sub(14)..];
    let mut t = table(&["Date", "Weight", "Change"]);
    let mut previous: Option<f64> = None;
    for e in recent {
        let change = previous.map(|p| format!("{:+.1}", unit.from_kg(e.weight_kg - p)));
        t.add_row(vec![
            e.id.clone(),
            format!("{} {unit}", format_number(unit.from_kg(e.weight_kg))),
            change.unwrap_or_default(),
        ]);
        previous = Some(e.weight_kg);
    }
    print_table(&t);
    if let Some(trend) = trend_per_week(&entries) {
        println!("Trend: {:+.2} {unit} per week (last 30 days)", unit.from_kg(trend));
    }
    Ok(())
}

/// Least-squares slope over the last 30 days, in kg per week.
fn trend_per_week(entries: &[BodyWeight]) -> Option<f64> {
    let last = entries.last()?.at;
    let window: Vec<(f64, f64)> = entries
        .iter()
        .filter(|e| last - e.at <= chrono::Duration::days(30))
        .map(|e| ((e.at - last).num_seconds() as f64 / 604_800.0, e.weight_kg))
        .collect();
    if window.len() < 2 {
        return None;
    }
    let n = window.len() as f64;
    let (mx, my) = (
        window.iter().map(|p| p.0).sum::<f64>() / n,
        window.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = window.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = window.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// `pump plates WEIGHT`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  pump plates 100\n  pump plates 225lb\n  pump plates 60 --bar 15 --plates 20,10,5,2.5"
)]
pub struct PlatesArgs {
    /// The total to load, bar included, e.g. 100 or 225lb
    weight: String,
    /// Bar weight in your unit (default 20 kg / 45 lb)
    #[arg(long)]
    bar: Option<f64>,
    /// Plate sizes you have, e.g. 25,20,15,10,5,2.5,1.25
    #[arg(long)]
    plates: Option<String>,
    /// Print machine-readable JSON
    #[arg(long)]
    json: bool,
}

/// Prints the plates per side that load the weight asked for, or the closest below.
pub fn plates_cmd(ctx: &Context, args: PlatesArgs) -> Result<()> {
    let unit = ctx.unit();
    let (target, target_unit) = parse_amount(&args.weight, unit)?;
    let target = unit.from_kg(target_unit.to_kg(target));
    let bar = args.bar.unwrap_or(if unit == Unit::Lb { 45.0 } else { 20.0 });
    let sizes: Vec<f64> = match &args.plates {
        Some(list) => list
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<f64>()
                    .map_err(|_| Error::usage(format!("'{p}' in --plates is not a number: use e.g. 25,20,15,10,5,2.5")))
            })
            .collect::<Result<_>>()?,
        None => if unit == Unit::Lb {
            plates::STANDARD_LB
        } else {
            plates::STANDARD_KG
        }
        .to_vec(),
    };
    let load = plates::plates_per_side(target, bar, &sizes).map_err(Error::usage)?;
    if args.json {
        print_json(
            &json!({"target": target, "bar": bar, "unit": unit, "per_side": load.per_side, "total": load.total, "remainder": load.remainder}),
        );
        return Ok(());
    }
    let per_side: Vec<String> = load.per_side.iter().map(|p| format_number(*p)).collect();
    println!(
        "{} {unit}: bar {} + per side: {}",
        format_number(target),
        format_number(bar),
        if per_side.is_empty() {
            "nothing".into()
        } else {
            per_side.join(", ")
        }
    );
    if load.remainder > 1e-9 {
        println!(
            "Closest loadable: {} {unit} ({} {unit} short)",
            format_number(load.total),
            format_number(load.remainder)
        );
    }
    Ok(())
}
