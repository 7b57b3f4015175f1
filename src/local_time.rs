//! Times as callers say them and hear them: store UTC, speak local.
//!
//! Everything that turns "tomorrow at 3" into an instant, a local day into the UTC bounds Cal.com
//! needs, or an instant into "Tuesday, November 24 at 3:00 PM EST" lives here, so the DST and
//! far-from-UTC rules are written once.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

/// Why a spoken or written time could not be understood; the text is meant to be read to the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text is not a date or time we understand.
    #[error(
        "I couldn't understand the time '{0}'. Please give a date and time like 2026-11-24T15:00."
    )]
    Unparseable(String),
    /// The text is not a date we understand.
    #[error(
        "I couldn't understand the date '{0}'. Please give a date like 2026-11-24, today, tomorrow or a weekday."
    )]
    BadDate(String),
    /// The local wall time is skipped by a daylight-saving change.
    #[error(
        "{time} doesn't exist on {date} in {zone} because the clocks move forward that night; please pick another time."
    )]
    Nonexistent {
        time: String,
        date: String,
        zone: String,
    },
    /// The time zone name is not an IANA zone.
    #[error("'{0}' is not a time zone I know. Please use a name like America/New_York.")]
    BadZone(String),
}

/// Parses an IANA zone given by a caller or the model.
pub fn parse_zone(name: &str) -> Result<Tz, TimeError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| TimeError::BadZone(name.to_owned()))
}

/// A name for the zone a caller recognises: `America/New_York` → "New York time".
pub fn zone_label(tz: Tz) -> String {
    let name = tz.name();
    if name == "UTC" || name == "Etc/UTC" {
        return "UTC".to_owned();
    }
    let city = name.rsplit('/').next().unwrap_or(name).replace('_', " ");
    format!("{city} time")
}

/// The local calendar date at `now` in `tz`.
pub fn local_today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// "Saturday, November 21, 2026".
pub fn speak_full_date(date: NaiveDate) -> String {
    date.format("%A, %B %-d, %Y").to_string()
}

/// "Tuesday, November 24".
pub fn speak_date(date: NaiveDate) -> String {
    date.format("%A, %B %-d").to_string()
}

/// "3:00 PM".
pub fn speak_clock(local: &DateTime<Tz>) -> String {
    local.format("%-I:%M %p").to_string()
}

/// "Tuesday, November 24 at 3:00 PM EST".
pub fn speak_instant(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{} at {} {}",
        speak_date(local.date_naive()),
        speak_clock(&local),
        local.format("%Z")
    )
}

/// RFC 3339 in the local zone with its offset, e.g. `2026-11-24T15:00:00-05:00`.
pub fn local_iso(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// RFC 3339 UTC with a `Z`, as Cal.com wants booking starts.
pub fn utc_iso(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The first instant of the local day `date` in `tz`.
///
/// Some zones change clocks at midnight (the day then starts at 01:00), so this walks forward to
/// the first wall time that exists instead of assuming 00:00 does.
pub fn local_day_start(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    let mut probe = midnight;
    for _ in 0..=48 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => probe += Duration::minutes(30),
        }
    }
    // A day with no valid wall time in its first 24 hours does not occur in the tz database.
    Utc.from_utc_datetime(&midnight)
}

/// UTC bounds `[start, end)` covering the local days `first..=last` in `tz`.
///
/// Cal.com's slots endpoint reads its `start`/`end` as UTC, so a local day must be converted here
/// or a caller in New York asking about Tuesday gets Monday evening's slots.
pub fn local_days_bounds(
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let end_day = last.succ_opt().unwrap_or(last);
    (local_day_start(first, tz), local_day_start(end_day, tz))
}

/// Converts a local wall time to UTC; the earlier instant when clocks fall back.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>, TimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // When the clocks fall back a wall time happens twice; callers mean the first one.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::Nonexistent {
            time: local.format("%-I:%M %p").to_string(),
            date: speak_date(local.date()),
            zone: zone_label(tz),
        }),
    }
}

/// Resolves a date as a caller or model says it: `2026-11-24`, `today`, `tomorrow`,
/// `day after tomorrow`, `tuesday` (the next Tuesday, today included) or `next tuesday`
/// (strictly after today).
pub fn resolve_date(expr: &str, today: NaiveDate) -> Result<NaiveDate, TimeError> {
    let text = expr.trim().to_ascii_lowercase();
    if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Ok(date);
    }
    match text.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return Ok(today + Duration::days(1)),
        "day after tomorrow" | "the day after tomorrow" => return Ok(today + Duration::days(2)),
        _ => {}
    }
    let (strictly_after, day) = match text.strip_prefix("next ") {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix("this ").unwrap_or(&text)),
    };
    let weekday: Weekday = day
        .trim()
        .parse()
        .map_err(|_| TimeError::BadDate(expr.to_owned()))?;
    let mut ahead = (7 + weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        % 7;
    if ahead == 0 && strictly_after {
        ahead = 7;
    }
    Ok(today + Duration::days(ahead))
}

/// Parses a clock time: `15:00`, `15:00:00`, `3pm`, `3:30 PM`, `3 p.m.`.
fn parse_clock(text: &str) -> Option<NaiveTime> {
    let t = text.trim().to_ascii_lowercase().replace('.', "");
    for fmt in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = NaiveTime::parse_from_str(&t, fmt) {
            return Some(time);
        }
    }
    let (digits, pm) = if let Some(rest) = t.strip_suffix("pm") {
        (rest.trim(), true)
    } else if let Some(rest) = t.strip_suffix("am") {
        (rest.trim(), false)
    } else {
        return None;
    };
    let (hour, minute) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (digits.parse::<u32>().ok()?, 0),
    };
    if !(1..=12).contains(&hour) {
        return None;
    }
    let hour24 = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    NaiveTime::from_hms_opt(hour24, minute, 0)
}

/// Parses an appointment start: an instant with an offset (`2026-11-24T20:00:00Z`,
/// `2026-11-24T15:00-05:00`) as is, or a local wall time in `tz` (`2026-11-24T15:00`,
/// `tomorrow 3pm`, `next tuesday 09:30`).
pub fn parse_start(input: &str, tz: Tz, today: NaiveDate) -> Result<DateTime<Utc>, TimeError> {
    let text = input.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, fmt) {
            return Ok(at.with_timezone(&Utc));
        }
    }
    if let Some(naive) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z'))
        && let Some(local) = parse_naive(naive)
    {
        return Ok(Utc.from_utc_datetime(&local));
    }
    if let Some(local) = parse_naive(text) {
        return local_to_utc(local, tz);
    }
    // "<date words> <clock>": try every split point, longest date first ("next tuesday 3 pm").
    let words: Vec<&str> = text.split_whitespace().collect();
    for split in (1..words.len()).rev() {
        let (date_part, time_part) = (words[..split].join(" "), words[split..].join(" "));
        let date_part = date_part.trim_end_matches(" at");
        if let (Ok(date), Some(time)) = (resolve_date(date_part, today), parse_clock(&time_part)) {
            return local_to_utc(date.and_time(time), tz);
        }
    }
    Err(TimeError::Unparseable(input.to_owned()))
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(text, fmt).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn local_wall_time_becomes_utc_across_dst() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let today = d("2026-11-21");
        assert_eq!(
            utc_iso(parse_start("2026-11-24T15:00", ny, today).unwrap()),
            "2026-11-24T20:00:00Z"
        );
        assert_eq!(
            utc_iso(parse_start("2026-07-01T15:00", ny, today).unwrap()),
            "2026-07-01T19:00:00Z"
        );
        // 2:30 AM does not exist on 2026-03-08 in New York.
        let err = parse_start("2026-03-08T02:30", ny, today).unwrap_err();
        assert!(matches!(err, TimeError::Nonexistent { .. }), "{err:?}");
        // 1:30 AM happens twice on 2026-11-01: the first (EDT) one is meant.
        assert_eq!(
            utc_iso(parse_start("2026-11-01T01:30", ny, today).unwrap()),
            "2026-11-01T05:30:00Z"
        );
    }

    #[test]
    fn offsets_and_relative_words() {
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        let today = d("2026-11-21"); // a Saturday
        assert_eq!(
            utc_iso(parse_start("2026-11-24T15:00:00-05:00", kolkata, today).unwrap()),
            "2026-11-24T20:00:00Z"
        );
        assert_eq!(
            utc_iso(parse_start("2026-11-24T20:00Z", kolkata, today).unwrap()),
            "2026-11-24T20:00:00Z"
        );
        assert_eq!(
            utc_iso(parse_start("tomorrow 3pm", kolkata, today).unwrap()),
            "2026-11-22T09:30:00Z"
        );
        assert_eq!(
            utc_iso(parse_start("next tuesday at 9:30 am", kolkata, today).unwrap()),
            "2026-11-24T04:00:00Z"
        );
        assert_eq!(resolve_date("saturday", today).unwrap(), today);
        assert_eq!(
            resolve_date("next saturday", today).unwrap(),
            d("2026-11-28")
        );
        assert!(parse_start("someday", kolkata, today).is_err());
    }

    #[test]
    fn day_bounds_follow_the_local_day() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let (start, end) = local_days_bounds(d("2026-11-01"), d("2026-11-01"), ny);
        assert_eq!(utc_iso(start), "2026-11-01T04:00:00Z");
        assert_eq!(utc_iso(end), "2026-11-02T05:00:00Z"); // 25-hour day
        let lord_howe: Tz = "Australia/Lord_Howe".parse().unwrap();
        let (start, _) = local_days_bounds(d("2026-11-24"), d("2026-11-24"), lord_howe);
        assert_eq!(utc_iso(start), "2026-11-23T13:00:00Z"); // +11:00 in summer
        // Santiago skips midnight when DST starts (2026-09-06): the day starts at 01:00.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let (start, _) = local_days_bounds(d("2026-09-06"), d("2026-09-06"), santiago);
        assert_eq!(
            start.with_timezone(&santiago).format("%H:%M").to_string(),
            "01:00"
        );
    }

    #[test]
    fn speaks_local_times() {
        let auckland: Tz = "Pacific/Auckland".parse().unwrap();
        let at = DateTime::parse_from_rfc3339("2026-11-24T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            speak_instant(at, auckland),
            "Wednesday, November 25 at 9:00 AM NZDT"
        );
        assert_eq!(zone_label(auckland), "Auckland time");
    }
}
