//! The spoken time grammar: "3pm tomorrow", "the 3rd of December at half past 2", "next weekend".
//!
//! Text is cut into tokens, then read left to right: at each position a date phrase is tried
//! first (so "3 December" is a date, not three o'clock), then a time phrase, then a part-of-day
//! word ("morning", "afternoon"); filler words ("at", "on", "the", "of") are skipped. Whatever is
//! left over is named in the refusal, with the parts that were understood.
//!
//! Why our own grammar and not a crate: on the table in `cases.rs` (205 expressions × 3 zones =
//! 615 readings, pinned clocks, DST days in both hemispheres and New Year's Eve), measured on
//! 2026-11-23 with `interim` 0.2 called as `parse_date_string(input, now_in_zone, dialect)`:
//! `interim` (US dialect) got 94 of 615 right (42 of the 554 instants; a refusal counted as right
//! whenever it refused), the UK dialect 91; our previous parser 174 (171 instants); this grammar
//! 615. The gap is mostly business rules a general parser does not follow: "at 3" is the
//! afternoon, "the 3rd" is the next 3rd, a passed date means next year, `12/03` is asked about.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use super::{
    DateOrder, TimeError, Wanted, speak_full_date,
    tokens::{
        FILLERS, MONTHS, Tok, month, normalise, ordinal_suffix, tokenize, weekday, weekday_name,
    },
};

/// A clock time as said, before am/pm is settled.
#[derive(Debug, Clone, Copy)]
struct Said {
    hour: u32,
    minute: u32,
    /// Explicit am (`false`) or pm (`true`).
    meridiem: Option<bool>,
    /// Written the 24-hour way: taken as is.
    h24: bool,
    /// Minutes to add after settling the hour ("quarter to 3" = 3:00 − 15).
    delta: i64,
}

/// A part of the day said alongside a time ("in the morning", "tonight").
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hint {
    Morning,
    Later,
}

impl Said {
    /// Settles am/pm: explicit am/pm, else the part of day said, else business usage
    /// (1–6 the afternoon, 7–11 the morning, 12 noon).
    fn settle(self, hint: Option<Hint>) -> Option<NaiveTime> {
        let hour = if self.h24 {
            self.hour
        } else {
            let pm = match (self.meridiem, hint) {
                (Some(pm), _) => pm,
                (None, Some(Hint::Morning)) => false,
                (None, Some(Hint::Later)) => true,
                (None, None) => (1..=6).contains(&self.hour) || self.hour == 12,
            };
            match (self.hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            }
        };
        let base = NaiveTime::from_hms_opt(hour, self.minute, 0)?;
        Some(base.overflowing_add_signed(Duration::minutes(self.delta)).0)
    }
}

/// A range of days said as one phrase ("next week", "this weekend").
#[derive(Debug, Clone, Copy)]
struct Span(NaiveDate, NaiveDate);

/// What a reading of the input found.
#[derive(Debug, Default)]
struct Found {
    date: Option<NaiveDate>,
    span: Option<Span>,
    time: Option<Said>,
    hint: Option<Hint>,
    unknown: Vec<String>,
}

/// Reads tokens into a date, a range, a time and a part of the day.
struct Reader<'a> {
    toks: Vec<Tok>,
    today: NaiveDate,
    order: Option<DateOrder>,
    input: &'a str,
}

type Step<T> = Result<Option<(T, usize)>, TimeError>;

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).and_then(Tok::word)
    }

    fn read(&self) -> Result<Found, TimeError> {
        let mut found = Found::default();
        let mut i = 0;
        while i < self.toks.len() {
            if self.word(i).is_some_and(|w| FILLERS.contains(&w)) {
                i += 1;
                continue;
            }
            if found.date.is_none() && found.span.is_none() {
                if let Some((span, used)) = self.span(i) {
                    found.span = Some(span);
                    i += used;
                    continue;
                }
                if let Some((date, used)) = self.date(i)? {
                    found.date = Some(date);
                    i += used;
                    continue;
                }
            }
            if found.time.is_none()
                && let Some((said, used)) = self.time(i)
            {
                found.time = Some(said);
                i += used;
                continue;
            }
            if let Some((hint, used)) = self.hint(i) {
                found.hint = found.hint.or(Some(hint));
                if hint == Hint::Later && self.word(i) == Some("tonight") && found.date.is_none() {
                    found.date = Some(self.today);
                }
                i += used;
                continue;
            }
            found.unknown.push(self.toks[i].text());
            i += 1;
        }
        Ok(found)
    }

    /// "next week", "this week", "this weekend", "next weekend", "the weekend".
    fn span(&self, i: usize) -> Option<(Span, usize)> {
        let today = self.today;
        let from_monday = i64::from(today.weekday().num_days_from_monday());
        // The Saturday of this week's weekend (yesterday when today is Sunday).
        let saturday = today + Duration::days(5 - from_monday);
        let sunday = saturday + Duration::days(1);
        let (which, used) = match self.word(i)? {
            w @ ("this" | "next" | "coming") => (w, 2),
            "weekend" => ("this", 1),
            _ => return None,
        };
        let span = match (which, self.word(i + used - 1)?) {
            ("this", "week") => Span(today, sunday),
            ("next", "week") => Span(sunday + Duration::days(1), sunday + Duration::days(7)),
            ("this" | "coming", "weekend") => Span(saturday.max(today), sunday),
            ("next", "weekend") => Span(saturday + Duration::days(7), sunday + Duration::days(7)),
            _ => return None,
        };
        Some((span, used))
    }

    fn date(&self, i: usize) -> Step<NaiveDate> {
        let today = self.today;
        let Some(tok) = self.toks.get(i) else {
            return Ok(None);
        };
        match tok {
            Tok::Iso(d) => return Ok(Some((*d, 1))),
            Tok::Numeric(a, b, year) => {
                return numeric_date(*a, *b, *year, today, self.order, self.input)
                    .map(|d| Some((d, 1)));
            }
            Tok::Ordinal(_) | Tok::Num { .. } => return self.day_month(i),
            Tok::Word(_) => {}
            _ => return Ok(None),
        }
        let w = self.word(i).unwrap_or_default();
        match w {
            "today" => return Ok(Some((today, 1))),
            "tomorrow" | "tmrw" | "tmr" => return Ok(Some((today + Duration::days(1), 1))),
            "day"
                if self.word(i + 1) == Some("after")
                    && self.word(i + 2).is_some_and(|w| w == "tomorrow") =>
            {
                return Ok(Some((today + Duration::days(2), 3)));
            }
            "in" => return Ok(self.in_days(i)),
            _ => {}
        }
        if let Some(m) = month(w) {
            return self.month_day(i, m);
        }
        let (strictly_after, at) = match w {
            "next" => (true, i + 1),
            "this" | "coming" => (false, i + 1),
            _ => (false, i),
        };
        let Some(day) = self.word(at).and_then(weekday) else {
            return Ok(None);
        };
        let mut ahead = (7 + i64::from(day.num_days_from_monday())
            - i64::from(today.weekday().num_days_from_monday()))
            % 7;
        if ahead == 0 && strictly_after {
            ahead = 7;
        }
        let used = at + 1 - i;
        // "Thursday, December 3": the explicit date decides; the weekday must agree with it.
        let mut next = at + 1;
        while self.word(next).is_some_and(|w| FILLERS.contains(&w)) {
            next += 1;
        }
        if self
            .toks
            .get(next)
            .is_some_and(|t| !matches!(t, Tok::Word(w) if weekday(w).is_some()))
            && let Some((date, more)) = self.date(next)?
        {
            if date.weekday() != day {
                return Err(TimeError::WrongWeekday {
                    date: speak_full_date(date),
                    said: weekday_name(day).into(),
                });
            }
            return Ok(Some((date, next + more - i)));
        }
        Ok(Some((today + Duration::days(ahead), used)))
    }

    /// "in 2 days", "in a week", "in three weeks".
    fn in_days(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let n = match self.toks.get(i + 1)? {
            Tok::Num { value, .. } => i64::from(*value),
            Tok::Word(w) if w == "a" || w == "one" => 1,
            _ => return None,
        };
        let days = match self.word(i + 2)? {
            "day" | "days" => n,
            "week" | "weeks" => n * 7,
            _ => return None,
        };
        Some((self.today + Duration::days(days), 3))
    }

    /// A year right after a date: "2026".
    fn year_at(&self, i: usize) -> Option<i32> {
        match self.toks.get(i)? {
            Tok::Num {
                value, digits: 4, ..
            } if (2000..=2100).contains(value) => Some(*value as i32),
            _ => None,
        }
    }

    /// "December 3", "Dec 3rd 2026", "December the 3rd".
    fn month_day(&self, i: usize, m: u32) -> Step<NaiveDate> {
        let mut at = i + 1;
        if self.word(at) == Some("the") {
            at += 1;
        }
        let day = match self.toks.get(at) {
            Some(Tok::Ordinal(d)) => *d,
            Some(Tok::Num {
                value,
                digits: 1..=2,
                ..
            }) if (1..=31).contains(value) => *value,
            _ => return Ok(None),
        };
        let year = self.year_at(at + 1);
        let used = at + 1 - i + usize::from(year.is_some());
        calendar_date(m, day, year, self.today).map(|d| Some((d, used)))
    }

    /// "3 December", "the 3rd of December 2026", or a bare "the 3rd" (the next 3rd of a month).
    fn day_month(&self, i: usize) -> Step<NaiveDate> {
        let (day, ordinal) = match self.toks.get(i) {
            Some(Tok::Ordinal(d)) => (*d, true),
            Some(Tok::Num {
                value,
                digits: 1..=2,
                ..
            }) => (*value, false),
            _ => return Ok(None),
        };
        let mut at = i + 1;
        if self.word(at) == Some("of") {
            at += 1;
        }
        if let Some(m) = self.word(at).and_then(month) {
            let year = self.year_at(at + 1);
            let used = at + 1 - i + usize::from(year.is_some());
            return calendar_date(m, day, year, self.today).map(|d| Some((d, used)));
        }
        if !ordinal {
            return Ok(None);
        }
        // "the 3rd": this month's if it is still to come (today included), else the next month with one.
        let mut first = self.today.with_day(1).unwrap_or(self.today);
        for _ in 0..13 {
            if let Some(d) = first.with_day(day)
                && d >= self.today
            {
                return Ok(Some((d, 1)));
            }
            first = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
        }
        Err(TimeError::NoSuchDate(format!(
            "the {day}{}",
            ordinal_suffix(day)
        )))
    }

    /// A clock time at `i`.
    fn time(&self, i: usize) -> Option<(Said, usize)> {
        let plain = |hour, minute| Said {
            hour,
            minute,
            meridiem: None,
            h24: true,
            delta: 0,
        };
        if let Some(w) = self.word(i) {
            match w {
                "noon" | "midday" => return Some((plain(12, 0), 1)),
                "midnight" => return Some((plain(0, 0), 1)),
                "half" | "quarter" => {
                    let minutes = if w == "half" { 30 } else { 15 };
                    return self.relative(i + 1, minutes, 1);
                }
                _ => return None,
            }
        }
        let (mut said, mut used) = match self.toks.get(i)? {
            Tok::Clock { hour, minute, h24 } => (
                Said {
                    hour: *hour,
                    minute: *minute,
                    meridiem: None,
                    h24: *h24,
                    delta: 0,
                },
                1,
            ),
            Tok::Num {
                value,
                digits: 1..=2,
                h24,
            } if *value <= 23 => {
                // "10 past 3", "20 to 4".
                if matches!(
                    self.word(i + 1),
                    Some("past" | "after" | "to" | "till" | "til")
                ) && (1..=59).contains(value)
                {
                    return self.relative(i + 1, i64::from(*value), 1);
                }
                (
                    Said {
                        hour: *value,
                        minute: 0,
                        meridiem: None,
                        h24: *h24 || *value == 0 || *value > 12,
                        delta: 0,
                    },
                    1,
                )
            }
            _ => return None,
        };
        if self.word(i + used) == Some("oclock") {
            used += 1;
        }
        if let Some(Tok::Meridiem(pm)) = self.toks.get(i + used) {
            said.meridiem = Some(*pm);
            if said.hour <= 12 {
                said.h24 = false;
            }
            used += 1;
        }
        if said.meridiem.is_some() && (said.hour == 0 || said.hour > 12) {
            // "15pm": the 24-hour reading stands.
            said.meridiem = None;
        }
        Some((said, used))
    }

    /// "<minutes> past/to <hour>" starting at the word past/to (index `at`).
    fn relative(&self, at: usize, minutes: i64, before: usize) -> Option<(Said, usize)> {
        let sign = match self.word(at)? {
            "past" | "after" => 1,
            "to" | "till" | "til" => -1,
            _ => return None,
        };
        let hour = match self.toks.get(at + 1)? {
            Tok::Num {
                value,
                digits: 1..=2,
                ..
            } if (1..=12).contains(value) => *value,
            Tok::Word(w) if w == "noon" || w == "midday" => 12,
            _ => return None,
        };
        let mut said = Said {
            hour,
            minute: 0,
            meridiem: None,
            h24: false,
            delta: sign * minutes,
        };
        let mut used = before + 2;
        if self.word(at + 2) == Some("oclock") {
            used += 1;
        }
        if let Some(Tok::Meridiem(pm)) = self.toks.get(at + used - before) {
            said.meridiem = Some(*pm);
            used += 1;
        }
        Some((said, used))
    }

    /// "in the morning", "afternoon", "evening", "tonight".
    fn hint(&self, i: usize) -> Option<(Hint, usize)> {
        let (w, used) = match (self.word(i)?, self.word(i + 1)) {
            ("in", Some("the")) => (self.word(i + 2)?, 3),
            ("this" | "in", Some(next)) => (next, 2),
            (w, _) => (w, 1),
        };
        let hint = match w {
            "morning" => Hint::Morning,
            "afternoon" | "evening" | "night" | "tonight" => Hint::Later,
            _ => return None,
        };
        Some((hint, used))
    }
}

/// A month and day, with a year or the next one to come (a date passed this year means next year).
fn calendar_date(
    m: u32,
    day: u32,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<NaiveDate, TimeError> {
    let no_such = || TimeError::NoSuchDate(format!("{} {day}", MONTHS[(m - 1) as usize]));
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, m, day).ok_or_else(no_such);
    }
    // February 29 comes round only in leap years: look a few years ahead.
    (today.year()..today.year() + 8)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, day))
        .find(|d| *d >= today)
        .ok_or_else(no_such)
}

/// `a/b[/year]`: month/day or day/month. Taken when only one reading is possible and still to
/// come, or when the business's date order says; otherwise the caller is asked.
fn numeric_date(
    a: u32,
    b: u32,
    year: Option<i32>,
    today: NaiveDate,
    order: Option<DateOrder>,
    input: &str,
) -> Result<NaiveDate, TimeError> {
    let reading = |m: u32, d: u32| -> Option<(NaiveDate, bool)> {
        if !(1..=12).contains(&m) {
            return None;
        }
        match year {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, date < today)),
            None => {
                let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
                let passed = this_year.is_some_and(|t| t < today);
                calendar_date(m, d, None, today)
                    .ok()
                    .map(|date| (date, passed))
            }
        }
    };
    let mdy = reading(a, b);
    let dmy = reading(b, a);
    let preferred = match order {
        Some(DateOrder::Mdy) => mdy.or(dmy),
        Some(DateOrder::Dmy) => dmy.or(mdy),
        None => None,
    };
    if let Some((date, _)) = preferred {
        return Ok(date);
    }
    match (mdy, dmy) {
        (None, None) => Err(TimeError::NoSuchDate(Tok::Numeric(a, b, year).text())),
        (Some((d, _)), None) | (None, Some((d, _))) => Ok(d),
        (Some((x, _)), Some((y, _))) if x == y => Ok(x),
        (Some((x, false)), Some((_, true))) => Ok(x),
        (Some((_, true)), Some((y, false))) => Ok(y),
        (Some((x, _)), Some((y, _))) => Err(TimeError::Ambiguous {
            input: input.trim().to_owned(),
            first: speak_full_date(x.min(y)),
            second: speak_full_date(x.max(y)),
        }),
    }
}

/// What the input asked for, read in full.
pub(super) struct Reading {
    found: Found,
    input: String,
}

/// Reads `input` against `today`.
pub(super) fn read(
    input: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
) -> Result<Reading, TimeError> {
    let reader = Reader {
        toks: tokenize(&normalise(input)),
        today,
        order,
        input,
    };
    Ok(Reading {
        found: reader.read()?,
        input: input.to_owned(),
    })
}

impl Reading {
    /// What was understood, spoken: "Thursday, December 3, 2026 at 2:00 PM".
    fn understood(&self) -> Option<String> {
        let date = match (self.found.date, self.found.span) {
            (Some(d), _) => Some(speak_full_date(d)),
            (None, Some(Span(a, b))) => {
                Some(format!("{} to {}", speak_full_date(a), speak_full_date(b)))
            }
            _ => None,
        };
        let time = self
            .found
            .time
            .and_then(|t| t.settle(self.found.hint))
            .map(|t| t.format("%-I:%M %p").to_string());
        match (date, time) {
            (Some(d), Some(t)) => Some(format!("{d} at {t}")),
            (Some(d), None) => Some(d),
            (None, Some(t)) => Some(t),
            (None, None) => None,
        }
    }

    fn refuse(&self, wanted: Wanted, missing: Option<&str>) -> TimeError {
        let rest = if self.found.unknown.is_empty() {
            missing.unwrap_or("the rest").to_owned()
        } else {
            format!("'{}'", self.found.unknown.join(" "))
        };
        TimeError::Unparseable {
            wanted,
            input: self.input.trim().to_owned(),
            understood: self.understood(),
            not_understood: rest,
        }
    }

    fn settled_time(&self) -> Option<NaiveTime> {
        self.found.time.and_then(|t| t.settle(self.found.hint))
    }

    /// A local date and time; a time alone means today.
    pub(super) fn date_time(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveTime), TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::Time, None));
        }
        if self.found.span.is_some() {
            return Err(self.refuse(Wanted::Time, Some("which day")));
        }
        let Some(time) = self.settled_time() else {
            return Err(self.refuse(Wanted::Time, Some("the time of day")));
        };
        Ok((self.found.date.unwrap_or(today), time))
    }

    /// A range of days: one date, or a phrase such as "next week". A time said with it is ignored.
    pub(super) fn days(&self) -> Result<(NaiveDate, NaiveDate), TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::Date, None));
        }
        match (self.found.date, self.found.span) {
            (Some(d), _) => Ok((d, d)),
            (None, Some(Span(a, b))) => Ok((a, b)),
            (None, None) => Err(self.refuse(Wanted::Date, Some("a day"))),
        }
    }

    /// A time of day only.
    pub(super) fn time_of_day(&self) -> Result<NaiveTime, TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::TimeOfDay, None));
        }
        if self.found.date.is_some() || self.found.span.is_some() {
            return Err(self.refuse(Wanted::TimeOfDay, Some("a time of day on its own")));
        }
        self.settled_time()
            .ok_or_else(|| self.refuse(Wanted::TimeOfDay, Some("the time of day")))
    }
}
