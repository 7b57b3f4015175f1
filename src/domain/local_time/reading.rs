//! What a reading of the input gives each caller of the grammar: an instant for a booking, days
//! and a window for availability, a time of day; or the honest refusal or question when it does
//! not give that.

use chrono::{NaiveDate, NaiveTime};

use super::{
    DayPart, DayWindow, SaidDays, TimeError, Wanted,
    errors::{Days, Missing, Understood},
    grammar::{Found, Span},
};

/// What the input asked for, read in full.
pub(super) struct Reading {
    pub(super) found: Found,
    pub(super) input: String,
}

impl Reading {
    fn settled_time(&self) -> Option<NaiveTime> {
        self.found.time.and_then(|t| t.settle(self.found.part))
    }

    fn bounds(&self) -> (Option<NaiveTime>, Option<NaiveTime>) {
        let settle = |s: Option<super::grammar::Said>| s.and_then(|s| s.settle(self.found.part));
        (settle(self.found.after), settle(self.found.before))
    }

    /// What was understood, as values to be said back in the caller's language.
    fn understood(&self) -> Understood {
        let days = match (self.found.date, self.found.span) {
            (Some(d), _) => Some(Days::One(d)),
            (None, Some(Span(a, b))) => Some(Days::Range(a, b)),
            _ => None,
        };
        let (after, before) = self.bounds();
        let time = self.settled_time();
        Understood {
            days,
            part: self.found.part.filter(|_| time.is_none()),
            after,
            before,
            time,
            approx: self.found.approx,
        }
    }

    fn refuse(&self, wanted: Wanted, missing: Missing) -> TimeError {
        let missing = if self.found.unknown.is_empty() {
            missing
        } else {
            Missing::Words(self.found.unknown.join(" "))
        };
        let understood = self.understood();
        TimeError::Unparseable {
            wanted,
            input: self.input.trim().to_owned(),
            understood: (understood != Understood::default()).then_some(understood),
            missing,
        }
    }

    fn has_window(&self) -> bool {
        self.found.after.is_some() || self.found.before.is_some()
    }

    /// A local date and time; a time alone means today. An approximate time is a question, a
    /// window ("after 4") a refusal: a booking needs the exact time the caller chose.
    pub(super) fn date_time(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveTime), TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::Time, Missing::TheRest));
        }
        if self.found.span.is_some() {
            return Err(self.refuse(Wanted::Time, Missing::WhichDay));
        }
        let exact = self.found.approx || self.has_window();
        let time = match self.settled_time() {
            Some(t) if self.found.approx && !self.has_window() => {
                return Err(TimeError::Approximate {
                    input: self.input.trim().to_owned(),
                    understood: self.understood(),
                    exact: t,
                });
            }
            Some(t) if !exact => t,
            _ if exact => return Err(self.refuse(Wanted::Time, Missing::ExactTime)),
            _ => return Err(self.refuse(Wanted::Time, Missing::TimeOfDay)),
        };
        Ok((self.found.date.unwrap_or(today), time))
    }

    /// A range of days: one date, or a phrase such as "next week". A time said with it is ignored.
    pub(super) fn days(&self) -> Result<(NaiveDate, NaiveDate), TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::Date, Missing::TheRest));
        }
        match (self.found.date, self.found.span) {
            (Some(d), _) => Ok((d, d)),
            (None, Some(Span(a, b))) => Ok((a, b)),
            (None, None) => Err(self.refuse(Wanted::Date, Missing::ADay)),
        }
    }

    /// Days and the window of the day said with them: a part of the day, "after 4", "before
    /// noon", "around 3". An exact time ("tomorrow at 3") leaves the whole day, as before.
    pub(super) fn said_days(&self) -> Result<SaidDays, TimeError> {
        let (first, last) = self.days()?;
        let (after, before) = self.bounds();
        let around = self.settled_time().filter(|_| self.found.approx);
        Ok(SaidDays {
            first,
            last,
            window: DayWindow {
                part: self.found.part,
                after,
                before,
                around,
            },
        })
    }

    /// A time of day only ("after 4" in a field that means after gives 4:00 PM).
    pub(super) fn time_of_day(&self) -> Result<NaiveTime, TimeError> {
        if !self.found.unknown.is_empty() {
            return Err(self.refuse(Wanted::TimeOfDay, Missing::TheRest));
        }
        if self.found.date.is_some() || self.found.span.is_some() {
            return Err(self.refuse(Wanted::TimeOfDay, Missing::TimeAlone));
        }
        let single_bound = match self.bounds() {
            (Some(t), None) | (None, Some(t)) => Some(t),
            _ => None,
        };
        self.settled_time()
            .or(single_bound.filter(|_| self.found.time.is_none()))
            .ok_or_else(|| self.refuse(Wanted::TimeOfDay, Missing::TimeOfDay))
    }
}

impl DayPart {
    /// The part of the day's window `[from, to)`: morning before noon, afternoon noon to 5 PM,
    /// evening from 5 PM.
    pub fn bounds(self) -> (Option<NaiveTime>, Option<NaiveTime>) {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0);
        match self {
            DayPart::Morning => (None, at(12)),
            DayPart::Afternoon => (at(12), at(17)),
            DayPart::Evening => (at(17), None),
        }
    }
}
