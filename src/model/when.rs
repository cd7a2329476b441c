//! Dates and durations as people type them. Local time in, UTC stored.

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

const WHEN_HELP: &str = "use now, today, yesterday, 'yesterday 18:30', YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or RFC 3339";

/// Parses a WHEN relative to `now` (local time): `now`, `today`, `yesterday`,
/// `yesterday 18:30`, `today 7:00`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, RFC 3339.
/// A bare date means midnight local time.
pub fn parse_when(text: &str, now: DateTime<Local>) -> Result<DateTime<Utc>, String> {
    parse_when_exact(text, now).map(whole_seconds)
}

/// Stored times are whole seconds: their text form then sorts correctly
/// (`…:34Z` would sort after `…:34.5Z`).
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
}

fn parse_when_exact(text: &str, now: DateTime<Local>) -> Result<DateTime<Utc>, String> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let bad = || format!("'{trimmed}' is not a date: {WHEN_HELP}");
    if lower == "now" {
        return Ok(now.with_timezone(&Utc));
    }
    if let Ok(exact) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(exact.with_timezone(&Utc));
    }
    let (day_word, time_word) = match lower.split_once(char::is_whitespace) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (lower.as_str(), None),
    };
    let day = match day_word {
        "today" => now.date_naive(),
        "yesterday" => now.date_naive() - Duration::days(1),
        other => NaiveDate::parse_from_str(other, "%Y-%m-%d").map_err(|_| bad())?,
    };
    let time = match time_word {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
            .map_err(|_| bad())?,
    };
    local_to_utc(day.and_time(time)).ok_or_else(bad)
}

/// Local wall time to UTC; in a DST gap there is no such time, in an overlap
/// the earlier instant is taken.
pub fn local_to_utc(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A duration for `--duration` and imports: `1h10m`, `2h 38m`, `31m`, `1h`,
/// `90s`, `1:10:00` (h:mm:ss), or a bare number of minutes. Here `m` is minutes.
pub fn parse_duration(text: &str) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || format!("'{}' is not a duration: use 1h10m, 45m, 90s or 1:10:00", text.trim());
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse::<u32>().ok().and_then(|m| m.checked_mul(60)).ok_or_else(bad);
    }
    parse_units(&t).or_else(|| parse_clock(&t)).ok_or_else(bad)
}

/// A duration inside a set, where a bare `m` would be metres: `60s`, `2min`,
/// `1h5min`, `2m30s`, `1:30` (m:ss), `1:02:30` (h:mm:ss).
pub fn parse_duration_strict(text: &str) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let bare_minutes = t.ends_with('m') && !t.contains('h') && !t.contains('s');
    let parsed = if bare_minutes {
        None
    } else {
        parse_units(&t).or_else(|| parse_clock_min_sec(&t))
    };
    parsed.ok_or_else(|| format!("'{}' is not a time: use 60s, 2min, 1:30 or 1h5min", text.trim()))
}

/// `1h 5min 30s` and friends. Each unit at most once, biggest first.
fn parse_units(text: &str) -> Option<u32> {
    let mut total: u64 = 0;
    let mut rest = text.trim();
    let mut last_rank = u8::MAX;
    let mut any = false;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let (rank, factor) = match &rest[..unit_len] {
            "h" | "hr" | "hrs" | "hour" | "hours" => (3, 3600),
            "m" | "min" | "mins" | "minute" | "minutes" => (2, 60),
            "s" | "sec" | "secs" | "second" | "seconds" => (1, 1),
            _ => return None,
        };
        if rank >= last_rank {
            return None;
        }
        last_rank = rank;
        total = total.checked_add(value.checked_mul(factor)?)?;
        rest = rest[unit_len..].trim_start();
        any = true;
    }
    if !any || total > u64::from(u32::MAX) {
        return None;
    }
    Some(total as u32)
}

/// `h:mm:ss` or `h:mm`.
fn parse_clock(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.split(':').collect();
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match nums.as_slice() {
        [h, m] if *m < 60 => Some(h.checked_mul(3600)? + m * 60),
        [h, m, s] if *m < 60 && *s < 60 => Some(h.checked_mul(3600)? + m * 60 + s),
        _ => None,
    }
}

/// `m:ss` or `h:mm:ss`.
fn parse_clock_min_sec(text: &str) -> Option<u32> {
    let nums: Vec<u32> = text.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match nums.as_slice() {
        [m, s] if *s < 60 => Some(m.checked_mul(60)? + s),
        [h, m, s] if *m < 60 && *s < 60 => Some(h.checked_mul(3600)? + m * 60 + s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Local> {
        Local.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
    }

    #[test]
    fn relative_days() {
        let y = parse_when("yesterday 18:30", now()).unwrap().with_timezone(&Local);
        assert_eq!(y.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        assert_eq!((y.hour(), y.minute()), (18, 30));
        let t = parse_when("today", now()).unwrap().with_timezone(&Local);
        assert_eq!((t.hour(), t.minute()), (0, 0));
        assert_eq!(parse_when("now", now()).unwrap(), now().with_timezone(&Utc));
        let fractional = parse_when("2026-03-01T07:15:00.5Z", now()).unwrap();
        assert_eq!(fractional.to_rfc3339(), "2026-03-01T07:15:00+00:00");
    }

    #[test]
    fn absolute_dates() {
        let d = parse_when("2026-03-01 07:15", now()).unwrap().with_timezone(&Local);
        assert_eq!((d.hour(), d.minute()), (7, 15));
        let r = parse_when("2026-03-01T07:15:00Z", now()).unwrap();
        assert_eq!(r.to_rfc3339(), "2026-03-01T07:15:00+00:00");
        assert!(parse_when("2026-03-01", now()).is_ok());
    }

    #[test]
    fn not_dates() {
        for bad in [
            "",
            "tomorrowish",
            "2026-13-01",
            "2026-02-30",
            "yesterday 25:00",
            "12/03/2026",
            "now now",
        ] {
            assert!(parse_when(bad, now()).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h10m"), Ok(4200));
        assert_eq!(parse_duration("2h 38m"), Ok(9480));
        assert_eq!(parse_duration("31m"), Ok(1860));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("1:10:00"), Ok(4200));
        assert_eq!(parse_duration("45"), Ok(2700));
        for bad in ["", "h", "10x", "1m1h", "-5m", "99999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strict_durations_keep_m_for_metres() {
        assert!(parse_duration_strict("25m").is_err());
        assert_eq!(parse_duration_strict("2m30s"), Ok(150));
        assert_eq!(parse_duration_strict("1:30"), Ok(90));
        assert_eq!(parse_duration_strict("2min"), Ok(120));
        assert_eq!(parse_duration_strict("1h5min"), Ok(3900));
    }
}
