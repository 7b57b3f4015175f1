//! Times as callers say them and hear them: store UTC, speak local.
//!
//! Everything that turns "tomorrow at 3" into an instant, a local day into the UTC bounds Cal.com
//! needs, or an instant into "Tuesday, November 24 at 3:00 PM EST" lives here, so the DST and
//! far-from-UTC rules are written once.
//!
//! Phrases are read in the call's language (English or Spanish, `en.rs` and `es.rs` are the
//! word tables of one grammar), and every refusal or question is a [`TimeError`] of plain values
//! that [`TimeError::spoken`] says in either language.

mod clock;
mod dates;
mod en;
mod errors;
mod es;
mod grammar;
mod reading;
mod speak;
mod tokens;
mod words;

pub use dates::{Holiday, Region};
pub use errors::{DayName, Days, Missing, Passed, TimeError, Understood, Wanted};

pub use speak::{
    speak_at, speak_clock, speak_date, speak_full_date, speak_instant, speak_time, weekday_name,
};

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::language::Language;

/// A part of the day a caller names ("tomorrow afternoon", "tonight").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DayPart {
    /// Before noon.
    Morning,
    /// Noon to 5 PM.
    Afternoon,
    /// From 5 PM ("tonight" too).
    Evening,
}

impl DayPart {
    /// Lowercase name, as spoken: "the afternoon".
    pub fn as_str(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }
}

/// The window of the day said along with the days ("after 4 on Thursday"); all `None` for the
/// whole day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayWindow {
    /// The part of the day named.
    pub part: Option<DayPart>,
    /// "after 4": open from then.
    pub after: Option<NaiveTime>,
    /// "before noon": open until then.
    pub before: Option<NaiveTime>,
    /// "around 3": about then (an hour either side).
    pub around: Option<NaiveTime>,
}

impl DayWindow {
    /// Nothing narrows the day.
    pub fn is_whole_day(&self) -> bool {
        *self == DayWindow::default()
    }
}

/// Days and the window of the day read from one phrase ("any afternoon next week").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaidDays {
    /// The first local day.
    pub first: NaiveDate,
    /// The last local day (the first for a single day).
    pub last: NaiveDate,
    /// The window of each day.
    pub window: DayWindow,
}

/// How the business writes numeric dates such as `12/03` (`BUSINESS_DATE_ORDER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month first: 12/03 is December 3.
    Mdy,
    /// Day first: 12/03 is March 12.
    Dmy,
}

impl std::str::FromStr for DateOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "MDY" => Ok(DateOrder::Mdy),
            "DMY" => Ok(DateOrder::Dmy),
            other => Err(format!("'{other}' is not a date order; use MDY or DMY")),
        }
    }
}

/// Parses an IANA zone given by a caller or the model.
pub fn parse_zone(name: &str) -> Result<Tz, TimeError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| TimeError::BadZone(name.to_owned()))
}

/// A name for the zone a caller recognises: `America/New_York` → "New York time" / "hora de
/// New York".
pub fn zone_label(tz: Tz, lang: Language) -> String {
    let name = tz.name();
    if name == "UTC" || name == "Etc/UTC" {
        return "UTC".to_owned();
    }
    let city = name.rsplit('/').next().unwrap_or(name).replace('_', " ");
    match lang {
        Language::En => format!("{city} time"),
        Language::Es => format!("hora de {city}"),
    }
}

/// The local calendar date at `now` in `tz`.
pub fn local_today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
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
            time: local.time(),
            date: local.date(),
            zone: tz,
        }),
    }
}

/// Resolves a day as a caller or model says it (see [`grammar`]): `2026-11-24`, `today`,
/// `tomorrow`, `the day after tomorrow`, `tuesday` (the next Tuesday, today included),
/// `next tuesday` (strictly after today), `December 3`, `the 3rd`, `in 2 days`, `12/03`.
/// A range phrase ("next week") gives its first day.
pub fn resolve_date(
    expr: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    lang: Language,
) -> Result<NaiveDate, TimeError> {
    resolve_days(expr, today, order, lang).map(|(first, _)| first)
}

/// Resolves a day or a range of days: a date as [`resolve_date`] reads it (one day), or
/// `this week`, `next week` (Monday to Sunday), `this weekend`, `next weekend` (the weekend
/// after this one).
pub fn resolve_days(
    expr: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    lang: Language,
) -> Result<(NaiveDate, NaiveDate), TimeError> {
    grammar::read(expr, today, order, None, lang)?.days()
}

/// Resolves days and the window of the day said with them, for availability: "tomorrow
/// afternoon", "tonight" (the evening), "after 4 on Thursday", "before noon tomorrow", "any
/// afternoon next week", "early next week", "around 3 tomorrow" (an hour either side). `tz` is the
/// business's zone, for the holidays its country keeps.
pub fn resolve_days_said(
    expr: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    tz: Tz,
    lang: Language,
) -> Result<SaidDays, TimeError> {
    grammar::read(expr, today, order, Some(tz), lang)?.said_days()
}

/// Parses a time of day alone: `3pm`, `15:30`, `noon`, `half past 3`, `3` (the afternoon).
/// `today` only words the refusal when a day was said too.
pub fn parse_time_of_day(
    expr: &str,
    today: NaiveDate,
    lang: Language,
) -> Result<NaiveTime, TimeError> {
    grammar::read(expr, today, None, None, lang)?.time_of_day()
}

/// Parses an appointment start: an instant with an offset (`2026-11-24T20:00:00Z`,
/// `2026-11-24T15:00-05:00`) as is, or a local wall time in `tz` as a caller says it
/// (`2026-11-24T15:00`, `tomorrow 3pm`, `3pm tomorrow`, `noon on December 3`, `the 3rd at half
/// past 2`). A time alone means today.
pub fn parse_start(
    input: &str,
    tz: Tz,
    today: NaiveDate,
    order: Option<DateOrder>,
    lang: Language,
) -> Result<DateTime<Utc>, TimeError> {
    let text = input.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, fmt) {
            return Ok(at.with_timezone(&Utc));
        }
    }
    if let Some(local) = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix('z'))
        .and_then(parse_naive)
    {
        return Ok(Utc.from_utc_datetime(&local));
    }
    if let Some(local) = parse_naive(text) {
        return local_to_utc(local, tz);
    }
    let (date, time) = grammar::read(text, today, order, Some(tz), lang)?.date_time(today)?;
    local_to_utc(date.and_time(time), tz)
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
mod cases;
#[cfg(test)]
mod cases_es;
#[cfg(test)]
mod corpus;
#[cfg(test)]
mod corpus_es;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_es;
