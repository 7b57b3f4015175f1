//! Clock times in the time grammar: "3pm", "15:30", "half past 2", "quarter to 3", "20 to 4",
//! "three thirty", "ten oh five", "half two", with "o'clock" and am/pm after them; and how an hour
//! said without am/pm is settled (the part of the day said, else business hours).

use chrono::{Duration, NaiveTime};

use super::{DayPart, grammar::Reader, tokens::Tok};

/// A clock time as said, before am/pm is settled.
#[derive(Debug, Clone, Copy)]
pub(super) struct Said {
    pub(super) hour: u32,
    pub(super) minute: u32,
    /// Explicit am (`false`) or pm (`true`).
    meridiem: Option<bool>,
    /// Written the 24-hour way: taken as is.
    h24: bool,
    /// Minutes to add after settling the hour ("quarter to 3" = 3:00 − 15).
    delta: i64,
}

impl Said {
    pub(super) fn plain(hour: u32, minute: u32) -> Self {
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
                // "tonight at 12" is midnight and "tonight at 2" the small hours, both on the next
                // day, not noon or 2 PM: the day meant is not clear enough to book, so such an
                // hour is not settled.
                (None, Some(DayPart::Evening)) if self.hour == 12 || self.hour < 5 => return None,
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

impl Reader<'_> {
    /// A clock time at `i`.
    pub(super) fn time(&self, i: usize) -> Option<(Said, usize)> {
        self.time_at(i, true)
    }

    /// A clock time at `i`; `relative` allows "20 to 4" (off where "5 to 7" is a range).
    pub(super) fn time_at(&self, i: usize, relative: bool) -> Option<(Said, usize)> {
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
            } if *value <= 30 => {
                // "10 past 3", "20 to 4", "twenty to four", "25 to 11".
                // Minutes are counted in fives ("five to", "twenty past"): "2 to 4" is a range.
                if relative
                    && matches!(self.word(i + 1), Some("past" | "after" | "to"))
                    && (5..=30).contains(value)
                    && value % 5 == 0
                    && let Some(found) = self.relative(i + 1, i64::from(*value), 1)
                {
                    return Some(found);
                }
                if *value > 23 {
                    return None;
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
}
