//! The spoken time grammar: "3pm tomorrow", "the 3rd of December at half past 2", "a week from
//! Friday", "Wednesday of next week", "half two", "ten forty-five", "after 4 on Thursday".
//!
//! Text is first brought onto the grammar's keywords by the language's tables (`words.rs`:
//! Spanish "el martes que viene" becomes "next martes", "pasado mañana" "day after tomorrow"),
//! then cut into tokens, then read left to right: at each position a date phrase is tried
//! first (so "3 December" is a date, not three o'clock), then a time phrase, then a window
//! ("after 4", "between 2 and 4") or a part of the day ("morning", "tonight"); filler words
//! ("at", "on", "the", "of") are skipped, and approximations ("around", "3ish") are noted so a
//! booking asks instead of guessing. Whatever is left over is named in the refusal, with the
//! parts that were understood (see `reading.rs`). The words come from the language's tables
//! (`en.rs`, `es.rs`), clock times are read in `clock.rs`, the calendar rules are `dates.rs`'s.
//! Nothing here is particular to one language.
//!
//! Why our own grammar and not a crate: on the table in `cases.rs` (205 expressions × 3 zones =
//! 615 readings, pinned clocks, DST days in both hemispheres and New Year's Eve), measured on
//! 2026-11-23 with `interim` 0.2 called as `parse_date_string(input, now_in_zone, dialect)`:
//! `interim` (US dialect) got 94 of 615 right (42 of the 554 instants; a refusal counted as right
//! whenever it refused), the UK dialect 91; our previous parser 174 (171 instants); this grammar
//! 615. The gap is mostly business rules a general parser does not follow: "at 3" is the
//! afternoon, "the 3rd" is the next 3rd, a passed date is asked about, `12/03` is asked about.

use crate::domain::language::Language;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;

pub(super) use super::clock::Said;
use super::{
    DateOrder, DayPart, TimeError,
    dates::{Holiday, Region, calendar_date, holiday, numeric_date, region_of},
    errors::{DayName, Passed},
    reading::Reading,
    speak::weekday_name,
    tokens::{Tok, normalise, tokenize_said},
    words::{Words, words_for},
};

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
pub(super) struct Reader<'a> {
    pub(super) toks: Vec<Tok>,
    /// What the caller said for each token, where it differs from the token's own text.
    said: Vec<Option<String>>,
    today: NaiveDate,
    order: Option<DateOrder>,
    region: Option<Region>,
    pub(super) words: &'a Words,
    /// The language of the words, for the words said back in a refusal.
    lang: Language,
    input: &'a str,
}

type Step<T> = Result<Option<(T, usize)>, TimeError>;

/// Monday of the week `date` is in.
fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl Reader<'_> {
    pub(super) fn word(&self, i: usize) -> Option<&str> {
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
        let mut last_unknown = None;
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
            // The rest of a word or phrase whose start was not read either is named with it.
            match self.said[i].clone() {
                Some(text) if text.is_empty() && last_unknown == Some(i.wrapping_sub(1)) => {}
                Some(text) if !text.is_empty() => found.unknown.push(text),
                _ => found.unknown.push(self.toks[i].text()),
            }
            last_unknown = Some(i);
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
            found
                .unknown
                .push(weekday_name(day, self.lang).to_lowercase());
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
                    date: Passed::WeekOf(first),
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
                date: Passed::Day(b),
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
            date: Passed::Day(date),
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
                let shift = Duration::days(days);
                return match self.date(at) {
                    // "the day before yesterday" has passed too: the question names that day.
                    Err(TimeError::Past {
                        input,
                        date: Passed::Day(d),
                    }) => Err(TimeError::Past {
                        input,
                        date: Passed::Day(d + shift),
                    }),
                    found => Ok(found?.map(|((d, _), used)| ((d + shift, None), at + used - i))),
                };
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
            // "Friday first thing" is the morning, not the 1st.
            && !(self.toks.get(next) == Some(&Tok::Ordinal(1)) && self.word(next + 1) == Some("thing"))
            && self.span(next)?.is_none()
            && let Some(((date, _), more)) = self.date(next)?
        {
            if date.weekday() != day {
                return Err(TimeError::WrongWeekday { date, said: day });
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

    /// A holiday by name ("Christmas Eve", "Nochebuena"), rewritten to its keyword before the
    /// words were cut into tokens.
    fn holiday(&self, i: usize) -> Step<NaiveDate> {
        let Some(h) = self.word(i).and_then(Holiday::from_keyword) else {
            return Ok(None);
        };
        Ok(Some((holiday(h, self.region, self.today, self.input)?, 1)))
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

    /// A year right after a date ("2026", "of 2026" as Spanish says it): the year and the
    /// tokens it takes, or `(None, 0)`.
    fn year_at(&self, i: usize) -> (Option<i32>, usize) {
        let of = usize::from(self.word(i) == Some("of"));
        match self.toks.get(i + of) {
            Some(Tok::Num {
                value, digits: 4, ..
            }) if (2000..=2100).contains(value) => (Some(*value as i32), of + 1),
            _ => (None, 0),
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
        let (year, more) = self.year_at(at + 1);
        let used = at + 1 - i + more;
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
            let (year, more) = self.year_at(at + 1);
            let used = at + 1 - i + more;
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
        Err(TimeError::NoSuchDate(DayName::DayOfMonth(day)))
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

/// Reads `input` against `today`, with the business's zone for the holidays it keeps, in the
/// call's language.
///
/// A call in another language may still get English text from the model: when the call's
/// language leaves words unread, the English reading is taken instead if it reads them all, or
/// if it finds the date in question (a question or a date that does not exist). Otherwise the
/// call's language's reading stands, and its refusal names what it could not read.
pub(super) fn read(
    input: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    zone: Option<Tz>,
    lang: Language,
) -> Result<Reading, TimeError> {
    let read_in = |lang| read_with(input, today, order, zone, lang);
    let first = read_in(lang);
    let unread = matches!(&first, Ok(r) if !r.found.unknown.is_empty());
    if lang == Language::En || !unread {
        return first;
    }
    match read_in(Language::En) {
        Ok(en) if en.found.unknown.is_empty() => Ok(en),
        Err(e) => Err(e),
        Ok(_) => first,
    }
}

fn read_with(
    input: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
    zone: Option<Tz>,
    lang: Language,
) -> Result<Reading, TimeError> {
    let words = words_for(lang);
    let (toks, said) = tokenize_said(&words.rewrite(&normalise(input)), words)
        .into_iter()
        .unzip();
    let reader = Reader {
        toks,
        said,
        today,
        order,
        region: region_of(zone),
        words,
        lang,
        input,
    };
    Ok(Reading {
        found: reader.read()?,
        input: input.to_owned(),
    })
}
