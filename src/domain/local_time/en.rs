//! The English words of the time grammar, as tables: numbers, ordinals, months, weekdays, parts
//! of the day, approximations, holidays, and the spellings that mean the same keyword.
//!
//! The grammar reads canonical keywords ("tomorrow", "next", "past", "to", "after", ...); these
//! tables map what callers say onto them. A second language is a second table of this shape, not
//! a change to the grammar.

use chrono::Weekday;

use super::DayPart;

/// A holiday a caller may name instead of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holiday {
    /// The same month and day every year, wherever the business is.
    Fixed { month: u32, day: u32 },
    /// The same month and day every year, kept only in one country.
    FixedIn {
        month: u32,
        day: u32,
        region: Region,
    },
    /// US Thanksgiving: the fourth Thursday of November.
    Thanksgiving,
    /// Days from (Western) Easter Sunday: Good Friday −2, Easter Monday +1.
    Easter(i64),
}

/// A country whose holidays the grammar knows, found from the business's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Region {
    Us,
    Uk,
}

impl Region {
    /// "in the US".
    pub(super) fn spoken(self) -> &'static str {
        match self {
            Region::Us => "in the US",
            Region::Uk => "in the UK",
        }
    }
}

/// One language's word tables.
pub(super) struct Words {
    /// Words skipped wherever they stand.
    pub fillers: &'static [&'static str],
    /// Spellings of a keyword: (said, keyword).
    pub synonyms: &'static [(&'static str, &'static str)],
    /// Numbers said as words: units, teens and tens (compounds such as "forty-five" are summed).
    pub numbers: &'static [(&'static str, u32)],
    /// The tens that take a unit after them ("forty five").
    pub tens: &'static [u32],
    /// Ordinals said as words (compounds such as "twenty-first" are summed).
    pub ordinals: &'static [(&'static str, u32)],
    /// Month names and abbreviations.
    pub months: &'static [(&'static str, u32)],
    /// Weekday names and abbreviations.
    pub weekdays: &'static [(&'static str, Weekday)],
    /// Parts of the day.
    pub parts: &'static [(&'static str, DayPart)],
    /// Words that make a time approximate ("around 3", "3ish").
    pub approximate: &'static [&'static str],
    /// Holidays by their words (apostrophes removed), longest first.
    pub holidays: &'static [(&'static [&'static str], &'static str, Holiday)],
}

/// English.
pub(super) const EN: Words = Words {
    fillers: &[
        "at", "on", "the", "of", "for", "please", "-", "any", "anytime", "sometime", "maybe",
        "like", "um", "uh", "say", "some",
    ],
    synonyms: &[
        ("tmrw", "tomorrow"),
        ("tmr", "tomorrow"),
        ("tomorow", "tomorrow"),
        ("tommorow", "tomorrow"),
        ("midday", "noon"),
        ("til", "to"),
        ("till", "to"),
        ("until", "to"),
        ("untill", "to"),
        ("fortnights", "fortnight"),
        ("tonite", "tonight"),
    ],
    numbers: &[
        ("oh", 0),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirteen", 13),
        ("fourteen", 14),
        ("fifteen", 15),
        ("sixteen", 16),
        ("seventeen", 17),
        ("eighteen", 18),
        ("nineteen", 19),
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fourty", 40),
        ("fifty", 50),
    ],
    tens: &[20, 30, 40, 50],
    ordinals: &[
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
        ("eleventh", 11),
        ("twelfth", 12),
        ("thirteenth", 13),
        ("fourteenth", 14),
        ("fifteenth", 15),
        ("sixteenth", 16),
        ("seventeenth", 17),
        ("eighteenth", 18),
        ("nineteenth", 19),
        ("twentieth", 20),
        ("thirtieth", 30),
    ],
    months: &[
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
    ],
    weekdays: &[
        ("monday", Weekday::Mon),
        ("mon", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("tue", Weekday::Tue),
        ("tues", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("wed", Weekday::Wed),
        ("weds", Weekday::Wed),
        ("wednes", Weekday::Wed),
        ("wensday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("thu", Weekday::Thu),
        ("thur", Weekday::Thu),
        ("thurs", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("fri", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sat", Weekday::Sat),
        ("sunday", Weekday::Sun),
        ("sun", Weekday::Sun),
    ],
    parts: &[
        ("morning", DayPart::Morning),
        ("afternoon", DayPart::Afternoon),
        ("evening", DayPart::Evening),
        ("night", DayPart::Evening),
        ("tonight", DayPart::Evening),
    ],
    approximate: &[
        "around",
        "about",
        "approximately",
        "roughly",
        "ish",
        "-ish",
        "circa",
        "abouts",
    ],
    holidays: &[
        (
            &["new", "years", "eve"],
            "New Year's Eve",
            Holiday::Fixed { month: 12, day: 31 },
        ),
        (
            &["new", "years", "day"],
            "New Year's Day",
            Holiday::Fixed { month: 1, day: 1 },
        ),
        (
            &["new", "year", "day"],
            "New Year's Day",
            Holiday::Fixed { month: 1, day: 1 },
        ),
        (
            &["st", "valentines", "day"],
            "Valentine's Day",
            Holiday::Fixed { month: 2, day: 14 },
        ),
        (
            &["christmas", "eve"],
            "Christmas Eve",
            Holiday::Fixed { month: 12, day: 24 },
        ),
        (
            &["xmas", "eve"],
            "Christmas Eve",
            Holiday::Fixed { month: 12, day: 24 },
        ),
        (
            &["christmas", "day"],
            "Christmas Day",
            Holiday::Fixed { month: 12, day: 25 },
        ),
        (
            &["valentines", "day"],
            "Valentine's Day",
            Holiday::Fixed { month: 2, day: 14 },
        ),
        (
            &["boxing", "day"],
            "Boxing Day",
            Holiday::FixedIn {
                month: 12,
                day: 26,
                region: Region::Uk,
            },
        ),
        (
            &["independence", "day"],
            "Independence Day",
            Holiday::FixedIn {
                month: 7,
                day: 4,
                region: Region::Us,
            },
        ),
        (
            &["thanksgiving", "day"],
            "Thanksgiving",
            Holiday::Thanksgiving,
        ),
        (&["easter", "monday"], "Easter Monday", Holiday::Easter(1)),
        (&["easter", "sunday"], "Easter Sunday", Holiday::Easter(0)),
        (&["good", "friday"], "Good Friday", Holiday::Easter(-2)),
        (
            &["new", "years"],
            "New Year's Day",
            Holiday::Fixed { month: 1, day: 1 },
        ),
        (
            &["christmas"],
            "Christmas Day",
            Holiday::Fixed { month: 12, day: 25 },
        ),
        (
            &["xmas"],
            "Christmas Day",
            Holiday::Fixed { month: 12, day: 25 },
        ),
        (
            &["nye"],
            "New Year's Eve",
            Holiday::Fixed { month: 12, day: 31 },
        ),
        (
            &["valentines"],
            "Valentine's Day",
            Holiday::Fixed { month: 2, day: 14 },
        ),
        (
            &["halloween"],
            "Halloween",
            Holiday::Fixed { month: 10, day: 31 },
        ),
        (&["thanksgiving"], "Thanksgiving", Holiday::Thanksgiving),
        (&["easter"], "Easter Sunday", Holiday::Easter(0)),
    ],
};

impl Words {
    /// The keyword a word stands for (itself when it has no other spelling).
    pub(super) fn keyword<'a>(&self, w: &'a str) -> &'a str {
        self.synonyms
            .iter()
            .find(|(said, _)| *said == w)
            .map_or(w, |(_, k)| k)
    }

    pub(super) fn month(&self, w: &str) -> Option<u32> {
        lookup(self.months, w)
    }

    pub(super) fn weekday(&self, w: &str) -> Option<Weekday> {
        lookup(self.weekdays, w)
    }

    pub(super) fn part(&self, w: &str) -> Option<DayPart> {
        lookup(self.parts, w)
    }

    /// A number word, or a compound of a ten and a unit ("forty-five").
    pub(super) fn number(&self, w: &str) -> Option<u32> {
        if let Some(n) = lookup(self.numbers, w) {
            return Some(n);
        }
        let (tens, unit) = w.split_once('-')?;
        let (t, u) = (lookup(self.numbers, tens)?, lookup(self.numbers, unit)?);
        (self.tens.contains(&t) && (1..=9).contains(&u)).then_some(t + u)
    }

    /// An ordinal word, or a compound ("twenty-first", "thirty first" said as one word).
    pub(super) fn ordinal(&self, w: &str) -> Option<u32> {
        if let Some(n) = lookup(self.ordinals, w) {
            return Some(n);
        }
        for (tens, t) in [("twenty", 20), ("thirty", 30)] {
            if let Some(rest) = w.strip_prefix(tens) {
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                if let Some(u) = lookup(&self.ordinals[..9], rest) {
                    return Some(t + u).filter(|n| *n <= 31);
                }
            }
        }
        None
    }

    pub(super) fn is_filler(&self, w: &str) -> bool {
        self.fillers.contains(&w)
    }

    pub(super) fn is_approximate(&self, w: &str) -> bool {
        self.approximate.contains(&w)
    }
}

fn lookup<T: Copy>(table: &[(&str, T)], w: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}
