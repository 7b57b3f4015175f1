//! Calling hours: when the business may call people (`CALL_WINDOW`), as local wall-clock hours
//! on some days of the week in the business's zone.
//!
//! The written form is `Mon-Fri 09:00-19:00`: days (a range, a list `Mon,Wed,Fri`, or both
//! `Mon-Fri,Sun`) then hours `[start, end)`. A call may be placed from the start up to one minute
//! before the end. Hours are wall-clock hours of each day, so they stay 09:00–19:00 local across
//! a daylight-saving change; an hour that does not exist that day (inside a spring-forward gap)
//! begins when the gap ends.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The default calling hours: 09:00 to 19:00 every day (name the days to leave some out).
pub const DEFAULT_CALL_WINDOW: &str = "Mon-Sun 09:00-19:00";

/// When calls may be placed: these weekdays, from `start` to `end` local time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallWindow {
    days: [bool; 7],
    start: NaiveTime,
    end: NaiveTime,
}

impl Default for CallWindow {
    fn default() -> Self {
        DEFAULT_CALL_WINDOW
            .parse()
            .unwrap_or_else(|err| unreachable!("the default window parses: {err}"))
    }
}

/// The last moment of a window a call may start: a call placed at the closing minute would
/// ring after hours.
const LAST_START_BEFORE_END: i64 = 1;

impl CallWindow {
    /// Whether a call may be placed at `at` (in `tz`).
    pub fn contains(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        let local = at.with_timezone(&tz);
        let day = local.date_naive();
        self.open_on(day)
            .is_some_and(|(open, close)| self.bounds(day, tz, open, close).contains(&at))
    }

    /// The last moment at or before `at` a call may be placed, not before `not_before`; `None`
    /// when the window has no such moment (the reminder is then skipped).
    pub fn latest_at_or_before(
        &self,
        at: DateTime<Utc>,
        not_before: DateTime<Utc>,
        tz: Tz,
    ) -> Option<DateTime<Utc>> {
        if at < not_before {
            return None;
        }
        let mut day = at.with_timezone(&tz).date_naive();
        // A week back always finds an open day when any day is open.
        for _ in 0..8 {
            if let Some((open, close)) = self.open_on(day) {
                let range = self.bounds(day, tz, open, close);
                if range.start <= at {
                    let latest = at.min(range.end - Duration::minutes(LAST_START_BEFORE_END));
                    let latest = latest.max(range.start);
                    return (latest >= not_before).then_some(latest);
                }
            }
            if local_midnight(day, tz) < not_before {
                return None;
            }
            day = day.pred_opt()?;
        }
        None
    }

    /// The first moment at or after `at` a call may be placed (a retry an hour later that
    /// falls after hours waits for the next opening).
    pub fn earliest_at_or_after(&self, at: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let mut day = at.with_timezone(&tz).date_naive();
        for _ in 0..8 {
            if let Some((open, close)) = self.open_on(day) {
                let range = self.bounds(day, tz, open, close);
                let last = range.end - Duration::minutes(LAST_START_BEFORE_END);
                if at <= last {
                    return Some(at.max(range.start));
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The window's hours on `day`, when calls are allowed that day at all.
    fn open_on(&self, day: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        let index = day.weekday().num_days_from_monday() as usize;
        (self.days[index] && self.start < self.end).then_some((self.start, self.end))
    }

    /// `[open, close)` of `day` as instants.
    fn bounds(
        &self,
        day: NaiveDate,
        tz: Tz,
        open: NaiveTime,
        close: NaiveTime,
    ) -> std::ops::Range<DateTime<Utc>> {
        wall_time(day, open, tz)..wall_time(day, close, tz)
    }
}

/// The instant of wall time `time` on `day` in `tz`: the earlier of two when clocks go back, the
/// end of the gap when that time does not exist.
fn wall_time(day: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let mut probe = day.and_time(time);
    for _ in 0..=8 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => probe += Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&day.and_time(time))
}

fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    crate::domain::local_time::local_day_start(day, tz)
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Why a written window was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a calling window ({why}); write e.g. Mon-Fri 09:00-19:00")]
pub struct CallWindowError {
    input: String,
    why: String,
}

impl FromStr for CallWindow {
    type Err = CallWindowError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |why: &str| CallWindowError {
            input: input.to_owned(),
            why: why.to_owned(),
        };
        let mut parts = input.split_whitespace();
        let (days_part, hours_part) = match (parts.next(), parts.next(), parts.next()) {
            (Some(days), Some(hours), None) => (days, hours),
            // Hours alone: every day.
            (Some(hours), None, None) if hours.contains(':') => ("Mon-Sun", hours),
            _ => return Err(fail("days then hours")),
        };
        let mut days = [false; 7];
        for piece in days_part.split(',').filter(|p| !p.is_empty()) {
            let (first, last) = match piece.split_once('-') {
                Some((a, b)) => (day_index(a), day_index(b)),
                None => (day_index(piece), day_index(piece)),
            };
            let (Some(first), Some(last)) = (first, last) else {
                return Err(fail(&format!("unknown day in '{piece}'")));
            };
            // A range may wrap the week: Sat-Mon is Saturday, Sunday and Monday.
            let mut day = first;
            loop {
                days[day] = true;
                if day == last {
                    break;
                }
                day = (day + 1) % 7;
            }
        }
        if !days.contains(&true) {
            return Err(fail("no day"));
        }
        let (start, end) = hours_part
            .split_once('-')
            .ok_or_else(|| fail("hours are start-end"))?;
        let time = |text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| fail(&format!("'{text}' is not a time like 09:00")))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start >= end {
            return Err(fail("the hours must start before they end"));
        }
        Ok(Self { days, start, end })
    }
}

/// Monday is 0; a day is its three letters or its whole English name, in any case.
fn day_index(name: &str) -> Option<usize> {
    let name = name.trim().to_ascii_lowercase();
    FULL_DAY_NAMES
        .iter()
        .position(|full| name.len() >= 3 && full.starts_with(name.as_str()))
}

const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl fmt::Display for CallWindow {
    /// Days as runs (`Mon-Fri`, `Mon,Wed,Sat-Sun`), then the hours.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut runs: Vec<String> = Vec::new();
        let mut day = 0;
        while day < 7 {
            if !self.days[day] {
                day += 1;
                continue;
            }
            let first = day;
            while day + 1 < 7 && self.days[day + 1] {
                day += 1;
            }
            runs.push(match day - first {
                0 => DAY_NAMES[first].to_owned(),
                1 => format!("{},{}", DAY_NAMES[first], DAY_NAMES[day]),
                _ => format!("{}-{}", DAY_NAMES[first], DAY_NAMES[day]),
            });
            day += 1;
        }
        write!(
            f,
            "{} {}-{}",
            runs.join(","),
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Australia::Lord_Howe, Europe::London, Pacific::Kiritimati};

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn parses_ranges_lists_and_wrapping_weeks() {
        let window: CallWindow = "Mon-Fri 09:00-19:00".parse().unwrap();
        assert_eq!(window.to_string(), "Mon-Fri 09:00-19:00");
        let window: CallWindow = "sat-mon,wed 08:30-12:00".parse().unwrap();
        assert_eq!(window.to_string(), "Mon,Wed,Sat,Sun 08:30-12:00");
        let window: CallWindow = "10:00-16:00".parse().unwrap();
        assert_eq!(window.to_string(), "Mon-Sun 10:00-16:00");
        let window: CallWindow = "Monday,Tue,Thu-Sat 10:00-16:00".parse().unwrap();
        assert_eq!(window.to_string(), "Mon,Tue,Thu-Sat 10:00-16:00");
        // What it prints reads back as the same window.
        assert_eq!(window.to_string().parse::<CallWindow>().unwrap(), window);
        for bad in [
            "",
            "Mon-Fri",
            "Funday 09:00-10:00",
            "Mon 19:00-09:00",
            "Mon 9-17",
            "Mon 09:00-25:00",
        ] {
            let err = bad.parse::<CallWindow>().unwrap_err();
            assert!(
                err.to_string().contains("Mon-Fri 09:00-19:00"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_time_inside_the_window_is_kept() {
        let window: CallWindow = "Mon-Fri 09:00-19:00".parse().unwrap();
        // Tuesday 2026-12-08 10:00 New York is 15:00 UTC.
        let at = utc("2026-12-08T15:00:00Z");
        assert!(window.contains(at, New_York));
        assert_eq!(
            window.latest_at_or_before(at, utc("2026-12-01T00:00:00Z"), New_York),
            Some(at)
        );
    }

    #[test]
    fn a_time_before_opening_moves_to_the_previous_closing() {
        let window: CallWindow = "Mon-Fri 09:00-19:00".parse().unwrap();
        // Tuesday 07:30 New York → Monday 18:59 New York (23:59 UTC).
        let at = utc("2026-12-08T12:30:00Z");
        assert!(!window.contains(at, New_York));
        assert_eq!(
            window.latest_at_or_before(at, utc("2026-12-01T00:00:00Z"), New_York),
            Some(utc("2026-12-07T23:59:00Z"))
        );
        // Monday 08:00 → the Friday before, over the weekend.
        assert_eq!(
            window.latest_at_or_before(
                utc("2026-12-07T13:00:00Z"),
                utc("2026-12-01T00:00:00Z"),
                New_York
            ),
            Some(utc("2026-12-04T23:59:00Z"))
        );
        // After closing on the same day → that day's last minute.
        assert_eq!(
            window.latest_at_or_before(
                utc("2026-12-08T02:00:00Z"),
                utc("2026-12-01T00:00:00Z"),
                New_York
            ),
            Some(utc("2026-12-07T23:59:00Z"))
        );
    }

    #[test]
    fn nothing_left_before_now_means_no_call() {
        let window: CallWindow = "Mon-Fri 09:00-19:00".parse().unwrap();
        // Planned Tuesday 07:30; the last opening before it (Monday) is already over.
        assert_eq!(
            window.latest_at_or_before(
                utc("2026-12-08T12:30:00Z"),
                utc("2026-12-08T01:00:00Z"),
                New_York
            ),
            None
        );
        // Planned before now.
        assert_eq!(
            window.latest_at_or_before(
                utc("2026-12-08T15:00:00Z"),
                utc("2026-12-08T16:00:00Z"),
                New_York
            ),
            None
        );
    }

    #[test]
    fn hours_stay_local_across_daylight_saving_changes() {
        let window: CallWindow = "Mon-Sat 09:00-19:00".parse().unwrap();
        // New York springs forward on Sunday 2026-03-08. Saturday 08:30 EST (13:30 UTC) is
        // before opening: the latest moment is Friday 18:59 EST = 23:59 UTC.
        assert_eq!(
            window.latest_at_or_before(
                utc("2026-03-07T13:30:00Z"),
                utc("2026-03-01T00:00:00Z"),
                New_York
            ),
            Some(utc("2026-03-06T23:59:00Z"))
        );
        // Monday after the change: 09:00 EDT is 13:00 UTC, not 14:00.
        assert!(window.contains(utc("2026-03-09T13:00:00Z"), New_York));
        assert!(!window.contains(utc("2026-03-09T12:59:00Z"), New_York));
        // London falls back on Sunday 2026-10-25: Monday 09:00 GMT is 09:00 UTC, the Saturday
        // before it 09:00 BST is 08:00 UTC.
        assert!(window.contains(utc("2026-10-26T09:00:00Z"), London));
        assert!(!window.contains(utc("2026-10-26T08:30:00Z"), London));
        assert!(window.contains(utc("2026-10-24T08:00:00Z"), London));
        // A retry after Saturday's closing waits for Monday's opening (Sunday is closed).
        assert_eq!(
            window.earliest_at_or_after(utc("2026-10-24T18:30:00Z"), London),
            Some(utc("2026-10-26T09:00:00Z"))
        );
    }

    #[test]
    fn zones_far_from_utc_use_their_own_day() {
        let window: CallWindow = "Mon-Fri 09:00-19:00".parse().unwrap();
        // Kiritimati is UTC+14: Monday 09:00 local is Sunday 19:00 UTC.
        assert!(window.contains(utc("2026-12-06T19:00:00Z"), Kiritimati));
        // Lord Howe moves its clocks by half an hour.
        assert!(window.contains(utc("2026-12-07T22:00:00Z"), Lord_Howe));
    }

    #[test]
    fn an_opening_hour_inside_a_gap_starts_when_the_gap_ends() {
        // New York has no 02:30 on 2026-03-08.
        let window: CallWindow = "Sun 02:30-04:00".parse().unwrap();
        assert_eq!(
            window.earliest_at_or_after(utc("2026-03-08T05:00:00Z"), New_York),
            Some(utc("2026-03-08T07:00:00Z"))
        );
    }
}
