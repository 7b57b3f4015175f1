//! The spoken time grammar: "3pm tomorrow", "the 3rd of December at half past 2", "a week from
//! Friday", "Wednesday of next week", "half two", "ten forty-five", "after 4 on Thursday".
//!
//! Text is cut into tokens, then read left to right: at each position a date phrase is tried
//! first (so "3 December" is a date, not three o'clock), then a time phrase, then a window
//! ("after 4", "between 2 and 4") or a part of the day ("morning", "tonight"); filler words
//! ("at", "on", "the", "of") are skipped, and approximations ("around", "3ish") are noted so a
//! booking asks instead of guessing. Whatever is left over is named in the refusal, with the
//! parts that were understood (see `reading.rs`). The words come from the language's tables
//! (`en.rs`); the calendar rules from `dates.rs`.
//!
//! Why our own grammar and not a crate: on the table in `cases.rs` (205 expressions × 3 zones =
//! 615 readings, pinned clocks, DST days in both hemispheres and New Year's Eve), measured on
//! 2026-11-23 with `interim` 0.2 called as `parse_date_string(input, now_in_zone, dialect)`:
//! `interim` (US dialect) got 94 of 615 right (42 of the 554 instants; a refusal counted as right
//! whenever it refused), the UK dialect 91; our previous parser 174 (171 instants); this grammar
//! 615. The gap is mostly business rules a general parser does not follow: "at 3" is the
//! afternoon, "the 3rd" is the next 3rd, a passed date is asked about, `12/03` is asked about.

use crate::domain::language::Language;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::{
    DateOrder, DayPart, TimeError,
    dates::{calendar_date, holiday, numeric_date, region_of},
    en::{EN, Region, Words},
    reading::Reading,
    speak_full_date,
    tokens::{Tok, normalise, ordinal_suffix, tokenize, weekday_name},
};

/// A clock time as said, before am/pm is settled.
#[derive(Debug, Clone, Copy)]
pub(super) struct Said {
    hour: u32,
    minute: u32,
    /// Explicit am (`false`) or pm (`true`).
    meridiem: Option<bool>,
    /// Written the 24-hour way: taken as is.
    h24: bool,
    /// Minutes to add after settling the hour ("quarter to 3" = 3:00 − 15).
    delta: i64,
}

impl Said {
    fn plain(hour: u32, minute: u32) -> Self {
        Said {
            hour,
            minute,
            meridiem: None,
            h24: true,
            delta: 0,
        }
    }

    /// Settles am/pm: explicit am/pm, else the part of day said, else business usage
    /// (1–6 the afternoon, 7–11 the morning, 12 noon).
    pub(super) fn settle(self, part: Option<DayPart>) -> Option<NaiveTime> {
        let hour = if self.h24 {
            self.hour
        } else {
            let pm = match (self.meridiem, part) {
                (Some(pm), _) => pm,
                (None, Some(DayPart::Morning)) => false,
                (None, Some(DayPart::Afternoon | DayPart::Evening)) => true,
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span(pub NaiveDate, pub NaiveDate);

/// What a reading of the input found.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub date: Option<NaiveDate>,
    /// The date came from a weekday alone, so a week said after it places it ("Friday next week").
    pub weekday: Option<Weekday>,
    pub span: Option<Span>,
    pub time: Option<Said>,
    pub part: Option<DayPart>,
    /// "after 4", "from 2": the window opens then.
    pub after: Option<Said>,
    /// "before noon", "to 4": the window closes then.
    pub before: Option<Said>,
    /// "around 3", "3ish", "first thing": not an exact time.
    pub approx: bool,
    pub unknown: Vec<String>,
}

/// A date and, when it came from a weekday alone, that weekday.
type DateSaid = (NaiveDate, Option<Weekday>);

/// Reads tokens into a date, a range, a time, a window and a part of the day.
struct Reader<'a> {
    toks: Vec<Tok>,
    today: NaiveDate,
    order: Option<DateOrder>,
    region: Option<Region>,
    words: &'a Words,
    input: &'a str,
}

type Step<T> = Result<Option<(T, usize)>, TimeError>;

/// Monday of the week `date` is in.
fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).and_then(Tok::word)
    }

    fn skip_fillers(&self, mut i: usize) -> usize {
        while self.word(i).is_some_and(|w| self.words.is_filler(w)) {
            i += 1;
        }
        i
    }

    fn read(&self) -> Result<Found, TimeError> {
        let mut found = Found::default();
        let mut i = 0;
        while i < self.toks.len() {
            let w = self.word(i);
            if w.is_some_and(|w| self.words.is_filler(w)) {
                i += 1;
                continue;
            }
            if w.is_some_and(|w| self.words.is_approximate(w)) {
                found.approx = true;
                i += 1;
                continue;
            }
            // "any time", "some time": the whole day.
            if matches!(w, Some("time" | "day"))
                && i > 0
                && matches!(self.word(i - 1), Some("any" | "some"))
            {
                i += 1;
                continue;
            }
            if let Some(used) = self.approximate_phrase(i, &mut found) {
                i += used;
                continue;
            }
            let placeable = found.date.is_none() || found.weekday.is_some();
            if found.span.is_none()
                && placeable
                && let Some((span, used)) = self.span(i)?
            {
                found.span = Some(span);
                i += used;
                continue;
            }
            if found.date.is_none()
                && let Some(((date, weekday), used)) = self.date(i)?
                && (found.span.is_none() || weekday.is_some())
            {
                found.date = Some(date);
                found.weekday = weekday;
                i += used;
                continue;
            }
            if found.time.is_none()
                && let Some((said, used)) = self.time(i)
            {
                found.time = Some(said);
                i += used;
                continue;
            }
            if let Some(used) = self.bound(i, &mut found) {
                i += used;
                continue;
            }
            if let Some((part, used)) = self.part(i, &mut found) {
                found.part = found.part.or(Some(part));
                // "tonight", "this afternoon": today unless a day is said.
                if (w == Some("tonight") || w == Some("this"))
                    && found.date.is_none()
                    && found.span.is_none()
                {
                    found.date = Some(self.today);
                }
                i += used;
                continue;
            }
            found.unknown.push(self.toks[i].text());
            i += 1;
        }
        self.place_weekday(&mut found);
        Ok(found)
    }

    /// "Friday next week", "next week Wednesday": the weekday inside the week said.
    fn place_weekday(&self, found: &mut Found) {
        let (Some(day), Some(Span(first, last))) = (found.weekday, found.span) else {
            return;
        };
        let monday = monday_of(first);
        let date = monday + Duration::days(i64::from(day.num_days_from_monday()));
        if date >= first && date <= last {
            found.date = Some(date);
            found.span = None;
        } else {
            found.unknown.push(weekday_name(day).to_lowercase());
        }
    }

    /// "or so", "give or take", "first thing", "lunchtime": approximate phrases.
    fn approximate_phrase(&self, i: usize, found: &mut Found) -> Option<usize> {
        match (self.toks.get(i)?, self.word(i + 1)) {
            (Tok::Word(w), Some("so")) if w == "or" => {}
            (Tok::Ordinal(1), Some("thing")) => found.part = found.part.or(Some(DayPart::Morning)),
            (Tok::Word(w), _) if w == "lunchtime" || w == "lunch" => {
                found.approx = true;
                found.time = found.time.or(Some(Said::plain(12, 0)));
                return Some(1);
            }
            _ => return None,
        }
        found.approx = true;
        Some(2)
    }

    /// "after 4", "before noon", "between 2 and 4", "from 2 to 4".
    fn bound(&self, i: usize, found: &mut Found) -> Option<usize> {
        let opens = match self.word(i)? {
            "after" | "from" | "since" | "between" => true,
            "before" | "by" | "to" => false,
            "and" if found.after.is_some() && found.before.is_none() => false,
            _ => return None,
        };
        // "after lunch": from 1 PM; "before lunch": until noon.
        let lunch = matches!(self.word(i + 1), Some("lunch" | "lunchtime"))
            .then(|| (Said::plain(if opens { 13 } else { 12 }, 0), 1));
        // "from 5 to 7" is a window, not five to seven.
        let ranged = matches!(self.word(i), Some("from" | "between"));
        let (said, used) = lunch.or_else(|| self.time_at(i + 1, !ranged))?;
        if opens {
            found.after = Some(said);
        } else {
            found.before = Some(said);
        }
        Some(used + 1)
    }

    /// "next week", "this week", "this weekend", "next weekend", "the weekend", "the week after
    /// next", "the following week", "early next week", "later this week".
    fn span(&self, i: usize) -> Step<Span> {
        let today = self.today;
        let start = i;
        let (narrow, i) = match (self.word(i), self.word(i + 1)) {
            (Some(w @ ("early" | "late" | "later")), _) => (Some(w == "early"), i + 1),
            (Some("end"), Some("of")) => (Some(false), self.skip_fillers(i + 2)),
            _ => (None, i),
        };
        let monday = monday_of(today);
        // The Saturday of this week's weekend (yesterday when today is Sunday).
        let saturday = monday + Duration::days(5);
        let (which, used) = match (self.word(i), self.word(i + 1), self.word(i + 2)) {
            (Some("week"), Some("after"), Some("next")) => ("after next", 3),
            (Some("following"), Some("week"), _) => ("next", 2),
            (Some(w @ ("this" | "coming" | "last" | "next")), Some("week" | "weekend"), _) => {
                (w, 2)
            }
            (Some("weekend"), _, _) => ("this", 1),
            (Some("week"), _, _) if narrow.is_some() => ("this", 1),
            _ => return Ok(None),
        };
        let weekend = self.word(i + used - 1) == Some("weekend");
        let week_from = |weeks: i64| {
            let m = monday + Duration::days(7 * weeks);
            Span(m.max(today), m + Duration::days(6))
        };
        let span = match (which, weekend) {
            ("last", _) => {
                let first = monday - Duration::days(7);
                return Err(TimeError::Past {
                    input: self.input.trim().to_owned(),
                    date: format!("the week of {}", speak_full_date(first, Language::En)),
                });
            }
            ("this" | "coming", false) => week_from(0),
            ("next", false) => week_from(1),
            ("after next", _) => week_from(2),
            ("this" | "coming", true) => Span(saturday.max(today), saturday + Duration::days(1)),
            ("next", true) => Span(saturday + Duration::days(7), saturday + Duration::days(8)),
            _ => return Ok(None),
        };
        let used = used + (i - start);
        let Some(early) = narrow.filter(|_| !weekend) else {
            return Ok((!weekend || narrow.is_none()).then_some((span, used)));
        };
        // Early: Monday to Wednesday; late: Thursday to Sunday; what is left of them from today.
        let monday = monday_of(span.1);
        let (a, b) = if early {
            (monday, monday + Duration::days(2))
        } else {
            (monday + Duration::days(3), monday + Duration::days(6))
        };
        if b < today {
            return Err(TimeError::Past {
                input: self.input.trim().to_owned(),
                date: speak_full_date(b, Language::En),
            });
        }
        Ok(Some((Span(a.max(today), b), used)))
    }

    fn date(&self, i: usize) -> Step<DateSaid> {
        let today = self.today;
        let Some(tok) = self.toks.get(i) else {
            return Ok(None);
        };
        if let Some(found) = self.weeks_from(i)? {
            return Ok(Some(found));
        }
        match tok {
            Tok::Iso(d) => return Ok(Some(((*d, None), 1))),
            Tok::Numeric(a, b, year) => {
                return numeric_date((*a, *b, *year), today, self.order, self.input)
                    .map(|d| Some(((d, None), 1)));
            }
            Tok::Ordinal(_) | Tok::Num { .. } => {
                return Ok(self.day_month(i)?.map(|(d, used)| ((d, None), used)));
            }
            Tok::Word(_) => {}
            _ => return Ok(None),
        }
        if let Some((d, used)) = self.holiday(i)? {
            return Ok(Some(((d, None), used)));
        }
        let w = self.word(i).unwrap_or_default();
        let past = |date: NaiveDate| TimeError::Past {
            input: self.input.trim().to_owned(),
            date: speak_full_date(date, Language::En),
        };
        match w {
            "today" | "now" => return Ok(Some(((today, None), 1))),
            "tonight" => return Ok(None),
            "tomorrow" => return Ok(Some(((today + Duration::days(1), None), 1))),
            "yesterday" => return Err(past(today - Duration::days(1))),
            // "the day after tomorrow", "the day after Christmas", "the day before Friday".
            "day" if matches!(self.word(i + 1), Some("after" | "before")) => {
                let days = if self.word(i + 1) == Some("after") {
                    1
                } else {
                    -1
                };
                let at = self.skip_fillers(i + 2);
                return Ok(self
                    .date(at)?
                    .map(|((d, _), used)| ((d + Duration::days(days), None), at + used - i)));
            }
            "in" => return Ok(self.in_days(i).map(|(d, used)| ((d, None), used))),
            _ => {}
        }
        if let Some(m) = self.words.month(w) {
            return Ok(self.month_day(i, m)?.map(|(d, used)| ((d, None), used)));
        }
        #[derive(PartialEq)]
        enum Which {
            Bare,
            This,
            Next,
            Last,
        }
        let (which, mut at) = match w {
            "next" => (Which::Next, i + 1),
            "this" | "coming" => (Which::This, i + 1),
            "last" | "past" => (Which::Last, i + 1),
            _ => (Which::Bare, i),
        };
        if which == Which::This && self.word(at) == Some("coming") {
            at += 1;
        }
        let Some(day) = self.word(at).and_then(|w| self.words.weekday(w)) else {
            return Ok(None);
        };
        let mut ahead = (7 + i64::from(day.num_days_from_monday())
            - i64::from(today.weekday().num_days_from_monday()))
            % 7;
        if which == Which::Last {
            return Err(past(today + Duration::days(ahead - 7)));
        }
        if ahead == 0 && which == Which::Next {
            ahead = 7;
        }
        // "the Monday after next": a week after next Monday.
        if self.word(at + 1) == Some("after") && self.word(at + 2) == Some("next") {
            let ahead = if ahead == 0 { 14 } else { ahead + 7 };
            return Ok(Some(((today + Duration::days(ahead), None), at + 3 - i)));
        }
        // "Friday week": a week after Friday.
        if which == Which::Bare && self.word(at + 1) == Some("week") {
            return Ok(Some((
                (today + Duration::days(ahead + 7), None),
                at + 2 - i,
            )));
        }
        // "Thursday, December 3": the explicit date decides; the weekday must agree with it.
        let next = self.skip_fillers(at + 1);
        if self
            .toks
            .get(next)
            .is_some_and(|t| !matches!(t, Tok::Word(w) if self.words.weekday(w).is_some()))
            && self.span(next)?.is_none()
            && let Some(((date, _), more)) = self.date(next)?
        {
            if date.weekday() != day {
                return Err(TimeError::WrongWeekday {
                    date: speak_full_date(date, Language::En),
                    said: weekday_name(day).into(),
                });
            }
            return Ok(Some(((date, None), next + more - i)));
        }
        let placeable = (which == Which::Bare).then_some(day);
        Ok(Some((
            (today + Duration::days(ahead), placeable),
            at + 1 - i,
        )))
    }

    /// "a week from Friday", "two weeks from Thursday", "a week today", "a fortnight tomorrow",
    /// "3 days from now", "a week on Friday".
    fn weeks_from(&self, i: usize) -> Step<DateSaid> {
        let (n, at) = match self.toks.get(i) {
            Some(Tok::Word(w)) if w == "a" || w == "an" => (1, i + 1),
            Some(Tok::Num { value, .. }) if (1..=12).contains(value) => (i64::from(*value), i + 1),
            _ => return Ok(None),
        };
        let unit = match self.word(at) {
            Some("week" | "weeks") => 7,
            Some("fortnight") => 14,
            Some("day" | "days") => 1,
            _ => return Ok(None),
        };
        let (from, linked) = match self.word(at + 1) {
            Some("from" | "on" | "after") => (at + 2, true),
            _ => (at + 1, false),
        };
        let from = self.skip_fillers(from);
        let then = self.word(from);
        let base = if then == Some("now") {
            Some(((self.today, None), 1))
        } else if linked
            || matches!(then, Some("today" | "tomorrow"))
            || then.is_some_and(|w| self.words.weekday(w).is_some())
        {
            self.date(from)?
        } else {
            None
        };
        Ok(base.map(|((d, _), used)| ((d + Duration::days(n * unit), None), from + used - i)))
    }

    /// A holiday by name: "Christmas Eve", "New Year's Day", "Thanksgiving", "Easter Monday".
    fn holiday(&self, i: usize) -> Step<NaiveDate> {
        for (said, name, h) in self.words.holidays {
            if said
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(i + k) == Some(*w))
            {
                let date = holiday(*h, name, self.region, self.today, self.input)?;
                return Ok(Some((date, said.len())));
            }
        }
        Ok(None)
    }

    /// "in 2 days", "in a week", "in three weeks", "in a fortnight".
    fn in_days(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let n = match self.toks.get(i + 1)? {
            Tok::Num { value, .. } => i64::from(*value),
            Tok::Word(w) if w == "a" || w == "one" => 1,
            _ => return None,
        };
        let days = match self.word(i + 2)? {
            "day" | "days" => n,
            "week" | "weeks" => n * 7,
            "fortnight" => n * 14,
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
        calendar_date(m, day, year, self.today, self.input).map(|d| Some((d, used)))
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
        if let Some(m) = self.word(at).and_then(|w| self.words.month(w)) {
            let year = self.year_at(at + 1);
            let used = at + 1 - i + usize::from(year.is_some());
            return calendar_date(m, day, year, self.today, self.input).map(|d| Some((d, used)));
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
        self.time_at(i, true)
    }

    /// A clock time at `i`; `relative` allows "20 to 4" (off where "5 to 7" is a range).
    fn time_at(&self, i: usize, relative: bool) -> Option<(Said, usize)> {
        if let Some(w) = self.word(i) {
            match w {
                "noon" => return Some((Said::plain(12, 0), 1)),
                "midnight" => return Some((Said::plain(0, 0), 1)),
                // "a quarter to 3", "a half past 2".
                "a" if matches!(self.word(i + 1), Some("quarter" | "half")) => {
                    return self.time(i + 1).map(|(s, used)| (s, used + 1));
                }
                "half" | "quarter" => {
                    let minutes = if w == "half" { 30 } else { 15 };
                    if let Some(found) = self.relative(i + 1, minutes, 1) {
                        return Some(found);
                    }
                    // British "half two": half past two.
                    if w == "half"
                        && let Some(Tok::Num {
                            value: hour @ 1..=12,
                            digits: 1..=2,
                            ..
                        }) = self.toks.get(i + 1)
                    {
                        let said = Said {
                            hour: *hour,
                            minute: 30,
                            meridiem: None,
                            h24: false,
                            delta: 0,
                        };
                        return Some(self.meridiem(said, i + 2, 2));
                    }
                    return None;
                }
                _ => return None,
            }
        }
        let (said, used) = match self.toks.get(i)? {
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
                ..
            } if *value <= 23 => {
                // "10 past 3", "20 to 4", "twenty to four".
                // Minutes are counted in fives ("five to", "twenty past"): "2 to 4" is a range.
                if relative
                    && matches!(self.word(i + 1), Some("past" | "after" | "to"))
                    && (5..=30).contains(value)
                    && value % 5 == 0
                    && let Some(found) = self.relative(i + 1, i64::from(*value), 1)
                {
                    return Some(found);
                }
                let (minute, used) = self.minutes_after(i + 1).unwrap_or((0, 1));
                (
                    Said {
                        hour: *value,
                        minute,
                        meridiem: None,
                        h24: *h24 || *value == 0 || *value > 12,
                        delta: 0,
                    },
                    used,
                )
            }
            _ => return None,
        };
        Some(self.meridiem(said, i + used, used))
    }

    /// The minutes said after an hour as a separate number: "three thirty", "ten forty-five",
    /// "ten oh five", "3 30". Not a day of a month ("3 15 December") nor "20 to 4".
    fn minutes_after(&self, at: usize) -> Option<(u32, usize)> {
        let minute_tok = |k: usize| match self.toks.get(k) {
            Some(Tok::Num {
                value, digits: 2, ..
            }) if (10..=59).contains(value) => Some(*value),
            _ => None,
        };
        let (minute, next) = match self.toks.get(at)? {
            // "oh five"
            Tok::Num {
                value: 0,
                spelled: true,
                ..
            } => match self.toks.get(at + 1)? {
                Tok::Num {
                    value: u @ 1..=9, ..
                } => (*u, at + 2),
                _ => return None,
            },
            Tok::Num {
                value: 0,
                digits: 2,
                ..
            } => (0, at + 1),
            _ => (minute_tok(at)?, at + 1),
        };
        let after = self.word(next);
        if after.is_some_and(|w| {
            self.words.month(w).is_some()
                || matches!(
                    w,
                    "past" | "to" | "after" | "of" | "days" | "weeks" | "day" | "week"
                )
        }) {
            return None;
        }
        Some((minute, next - at + 1))
    }

    /// An "o'clock" and an am/pm after a time, from `at`; `used` counts the time's tokens.
    fn meridiem(&self, mut said: Said, mut at: usize, mut used: usize) -> (Said, usize) {
        if self.word(at) == Some("oclock") {
            used += 1;
            at += 1;
        }
        if let Some(Tok::Meridiem(pm)) = self.toks.get(at) {
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
        (said, used)
    }

    /// "<minutes> past/to <hour>" starting at the word past/to (index `at`).
    fn relative(&self, at: usize, minutes: i64, before: usize) -> Option<(Said, usize)> {
        let sign = match self.word(at)? {
            "past" | "after" => 1,
            "to" => -1,
            _ => return None,
        };
        let hour = match self.toks.get(at + 1)? {
            Tok::Num {
                value,
                digits: 1..=2,
                ..
            } if (1..=12).contains(value) => *value,
            Tok::Word(w) if w == "noon" => 12,
            _ => return None,
        };
        let said = Said {
            hour,
            minute: 0,
            meridiem: None,
            h24: false,
            delta: sign * minutes,
        };
        Some(self.meridiem(said, at + 2, before + 2))
    }

    /// "in the morning", "afternoon", "evening", "tonight", "this afternoon", "early afternoon"
    /// (before 3), "late morning" (after 10).
    fn part(&self, i: usize, found: &mut Found) -> Option<(DayPart, usize)> {
        let (narrow, at) = match self.word(i)? {
            w @ ("early" | "late") => (Some(w == "early"), i + 1),
            _ => (None, i),
        };
        let (w, used) = match (self.word(at)?, self.word(at + 1)) {
            ("in", Some("the")) => (self.word(at + 2)?, 3),
            ("this" | "in", Some(next)) => (next, 2),
            (w, _) => (w, 1),
        };
        let part = self.words.part(w)?;
        if let Some(early) = narrow {
            // The middle of each part: 10 AM, 3 PM, 7 PM.
            let middle = match part {
                DayPart::Morning => 10,
                DayPart::Afternoon => 15,
                DayPart::Evening => 19,
            };
            let bound = Some(Said::plain(middle, 0));
            if early {
                found.before = found.before.or(bound);
            } else {
                found.after = found.after.or(bound);
            }
        }
        Some((part, used + at - i))
    }
}

/// Reads `input` against `today`, with the business's zone for the holidays it keeps.
pub(super) fn read(
    input: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    zone: Option<Tz>,
    _lang: Language,
) -> Result<Reading, TimeError> {
    let words = &EN;
    let reader = Reader {
        toks: tokenize(&normalise(input), words),
        today,
        order,
        region: region_of(zone),
        words,
        input,
    };
    Ok(Reading {
        found: reader.read()?,
        input: input.to_owned(),
    })
}
