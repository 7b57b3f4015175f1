//! Why a spoken or written time could not be understood, kept as values (dates, times, the
//! holiday, what was missing) so the same refusal or question can be said in any language.
//!
//! `Display` is the English sentence; [`TimeError::spoken`] says it in the caller's language.

use std::fmt;

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::{
    DayPart,
    dates::{Holiday, Region},
    speak::{MONTHS_ES, speak_date, speak_full_date, speak_time, weekday_name},
    tokens::{MONTHS, ordinal_suffix},
    words::words_for,
    zone_label,
};
use crate::domain::language::Language;

/// What kind of answer a piece of text was meant to give; shapes the refusal and its examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// A date and a time ("tomorrow at 3pm").
    Time,
    /// A day or a range of days ("tomorrow", "next week").
    Date,
    /// A time of day only ("3pm").
    TimeOfDay,
}

impl Wanted {
    fn noun(self, lang: Language) -> &'static str {
        match (lang, self) {
            (Language::En, Wanted::Time) => "a date and time",
            (Language::En, Wanted::Date) => "a date",
            (Language::En, Wanted::TimeOfDay) => "a time of day",
            (Language::Es, Wanted::Time) => "una fecha y hora",
            (Language::Es, Wanted::Date) => "una fecha",
            (Language::Es, Wanted::TimeOfDay) => "una hora del día",
        }
    }

    /// Two phrasings the tools accept in `lang`, offered with every refusal.
    pub fn examples(self, lang: Language) -> (&'static str, &'static str) {
        match (lang, self) {
            (Language::En, Wanted::Time) => ("tomorrow at 3pm", "December 3 at 10:30am"),
            (Language::En, Wanted::Date) => ("tomorrow", "December 3"),
            (Language::En, Wanted::TimeOfDay) => ("3pm", "half past 10"),
            (Language::Es, Wanted::Time) => {
                ("mañana a las 3 de la tarde", "3 de diciembre a las 10:30")
            }
            (Language::Es, Wanted::Date) => ("mañana", "3 de diciembre"),
            (Language::Es, Wanted::TimeOfDay) => ("las 3 de la tarde", "las 10 y media"),
        }
    }
}

/// What a refusal says was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// These words, as said.
    Words(String),
    /// Something after what was understood.
    TheRest,
    /// The day: a range of days was said where one day is needed.
    WhichDay,
    /// The exact time: a window or an approximation was said.
    ExactTime,
    /// The time of day.
    TimeOfDay,
    /// A time of day without a day.
    TimeAlone,
    /// A day.
    ADay,
}

/// Days as understood: one, or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    /// One day.
    One(NaiveDate),
    /// From the first to the last day.
    Range(NaiveDate, NaiveDate),
}

/// What a reading understood, to be said back in a refusal: "Thursday, December 3, 2026 at 2:00
/// PM", "Tuesday, November 24, 2026 in the afternoon after 4:00 PM", "about 3:00 PM".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Understood {
    /// The days said.
    pub days: Option<Days>,
    /// The part of the day, when no time was said.
    pub part: Option<DayPart>,
    /// "after 4".
    pub after: Option<NaiveTime>,
    /// "before noon".
    pub before: Option<NaiveTime>,
    /// The time said.
    pub time: Option<NaiveTime>,
    /// The time is approximate ("around 3").
    pub approx: bool,
}

/// A day as the caller named it, for "there is no ..." and "... has already passed".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayName {
    /// A month and a day: "November 30".
    MonthDay(u32, u32),
    /// A day of the month alone: "the 31st".
    DayOfMonth(u32),
    /// A numeric date as written: "31/02".
    Numeric(String),
    /// A holiday.
    Holiday(Holiday),
}

/// A day, or a week, that has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passed {
    /// This day.
    Day(NaiveDate),
    /// The week starting on this Monday.
    WeekOf(NaiveDate),
}

/// Why a spoken or written time could not be understood; the text is meant to be read to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Some or all of the text is not a date or time we understand.
    Unparseable {
        /// What the text was meant to give.
        wanted: Wanted,
        /// The text as given.
        input: String,
        /// What was understood, if anything.
        understood: Option<Understood>,
        /// What was not.
        missing: Missing,
    },
    /// A numeric date that reads two ways; the caller is asked which.
    Ambiguous {
        /// The text as given.
        input: String,
        /// The earlier reading.
        first: NaiveDate,
        /// The later reading.
        second: NaiveDate,
    },
    /// A date that is not in the calendar ("February 30").
    NoSuchDate(DayName),
    /// A weekday said with a date that falls on another weekday.
    WrongWeekday {
        /// The date.
        date: NaiveDate,
        /// The weekday that was said.
        said: Weekday,
    },
    /// The local wall time is skipped by a daylight-saving change.
    Nonexistent {
        /// The wall time.
        time: NaiveTime,
        /// Its day.
        date: NaiveDate,
        /// The zone.
        zone: Tz,
    },
    /// A day that has passed ("last Friday", "yesterday"); the caller is asked which they meant.
    Past {
        /// The text as given.
        input: String,
        /// The day (or week) it would be.
        date: Passed,
    },
    /// A month and day that passed only lately this year: next year's is far, so the caller is
    /// asked rather than booked a year ahead.
    RecentlyPassed {
        /// The text as given.
        input: String,
        /// The day as said: "November 30", "Halloween".
        what: DayName,
        /// This year's.
        passed: NaiveDate,
        /// Next year's.
        next: NaiveDate,
    },
    /// A holiday the business's country does not keep (or the grammar does not know it keeps).
    RegionalHoliday {
        /// The text as given.
        input: String,
        /// The holiday.
        name: Holiday,
        /// Its next date where it is kept.
        date: NaiveDate,
        /// Where it is kept.
        region: Region,
    },
    /// An approximate time ("around 3", "3ish") where an exact one is needed to book.
    Approximate {
        /// The text as given.
        input: String,
        /// What was understood.
        understood: Understood,
        /// The exact time it would be.
        exact: NaiveTime,
    },
    /// The time zone name is not an IANA zone.
    BadZone(String),
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spoken(Language::En))
    }
}

impl std::error::Error for TimeError {}

impl TimeError {
    /// The sentence in `lang`, to read to the caller.
    pub fn spoken(&self, lang: Language) -> String {
        sentence(self, lang)
    }

    /// A question to put to the caller (the text could mean something we will not guess), rather
    /// than a refusal of text we could not read.
    pub fn is_question(&self) -> bool {
        matches!(
            self,
            TimeError::Ambiguous { .. }
                | TimeError::WrongWeekday { .. }
                | TimeError::Past { .. }
                | TimeError::RecentlyPassed { .. }
                | TimeError::RegionalHoliday { .. }
                | TimeError::Approximate { .. }
        )
    }
}

/// The first letter in capitals, as a sentence starts.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Understood {
    /// The reading said in `lang`; `None` when nothing was understood.
    fn spoken(&self, lang: Language) -> Option<String> {
        let en = lang == Language::En;
        let time = |t| speak_time(t, lang);
        let date = self.days.map(|days| match days {
            Days::One(d) if en => speak_full_date(d, lang),
            Days::One(d) => format!("el {}", speak_full_date(d, lang)),
            Days::Range(a, b) if en => format!(
                "{} to {}",
                speak_full_date(a, lang),
                speak_full_date(b, lang)
            ),
            Days::Range(a, b) => format!(
                "del {} al {}",
                speak_full_date(a, lang),
                speak_full_date(b, lang)
            ),
        });
        let mut rest = Vec::new();
        if let (Some(part), None) = (self.part, self.time) {
            rest.push(match (lang, part) {
                (Language::En, part) => format!("in the {}", part.as_str()),
                (Language::Es, DayPart::Morning) => "por la mañana".to_owned(),
                (Language::Es, DayPart::Afternoon) => "por la tarde".to_owned(),
                (Language::Es, DayPart::Evening) => "por la noche".to_owned(),
            });
        }
        match (self.after, self.before, en) {
            (Some(a), Some(b), true) => rest.push(format!("between {} and {}", time(a), time(b))),
            (Some(a), Some(b), false) => rest.push(format!("entre {} y {}", time(a), time(b))),
            (Some(a), None, true) => rest.push(format!("after {}", time(a))),
            (Some(a), None, false) => rest.push(format!("después de {}", time(a))),
            (None, Some(b), true) => rest.push(format!("before {}", time(b))),
            (None, Some(b), false) => rest.push(format!("antes de {}", time(b))),
            (None, None, _) => {}
        }
        if let Some(t) = self.time {
            let joined = date.is_some() || !rest.is_empty();
            rest.push(match (en, joined, self.approx) {
                (true, true, false) => format!("at {}", time(t)),
                (true, true, true) => format!("at about {}", time(t)),
                (true, false, false) => time(t),
                (true, false, true) => format!("about {}", time(t)),
                (false, true, false) => format!("a {}", time(t)),
                (false, _, true) => format!("alrededor de {}", time(t)),
                (false, false, false) => time(t),
            });
        }
        let rest = rest.join(" ");
        match (date, rest.is_empty()) {
            (Some(d), true) => Some(d),
            (Some(d), false) => Some(format!("{d} {rest}")),
            (None, false) => Some(rest),
            (None, true) => None,
        }
    }
}

impl DayName {
    /// "November 30", "Halloween" / "el 30 de noviembre", "Halloween".
    fn spoken(&self, lang: Language) -> String {
        match (self, lang) {
            (DayName::MonthDay(m, d), Language::En) => format!("{} {d}", MONTHS[(m - 1) as usize]),
            (DayName::MonthDay(m, d), Language::Es) => {
                format!("el {d} de {}", MONTHS_ES[(m - 1) as usize])
            }
            (DayName::DayOfMonth(d), Language::En) => format!("the {d}{}", ordinal_suffix(*d)),
            (DayName::DayOfMonth(d), Language::Es) => format!("el día {d}"),
            (DayName::Numeric(text), Language::En) => text.clone(),
            (DayName::Numeric(text), Language::Es) => format!("el {text}"),
            (DayName::Holiday(h), lang) => words_for(lang).holiday_name(*h).to_owned(),
        }
    }
}

/// "I couldn't understand ..." / "I understood ... as ..., but not ...".
fn refusal(
    lang: Language,
    wanted: Wanted,
    input: &str,
    understood: Option<&Understood>,
    missing: &Missing,
) -> String {
    let (a, b) = wanted.examples(lang);
    let noun = wanted.noun(lang);
    let understood = understood.and_then(|u| u.spoken(lang));
    let missing = match (missing, lang) {
        (Missing::Words(w), _) => format!("'{w}'"),
        (Missing::TheRest, Language::En) => "the rest".to_owned(),
        (Missing::WhichDay, Language::En) => "which day".to_owned(),
        (Missing::ExactTime, Language::En) => "the exact time".to_owned(),
        (Missing::TimeOfDay, Language::En) => "the time of day".to_owned(),
        (Missing::TimeAlone, Language::En) => "a time of day on its own".to_owned(),
        (Missing::ADay, Language::En) => "a day".to_owned(),
        (Missing::TheRest, Language::Es) => "el resto".to_owned(),
        (Missing::WhichDay, Language::Es) => "qué día".to_owned(),
        (Missing::ExactTime, Language::Es) => "la hora exacta".to_owned(),
        (Missing::TimeOfDay, Language::Es) => "la hora".to_owned(),
        (Missing::TimeAlone, Language::Es) => "una hora sin fecha".to_owned(),
        (Missing::ADay, Language::Es) => "un día".to_owned(),
    };
    match (understood, lang) {
        (Some(u), Language::En) => format!(
            "I understood '{input}' as {u}, but not {missing}. Please say {noun} like '{a}' or '{b}'."
        ),
        (None, Language::En) => {
            format!("I couldn't understand '{input}' as {noun}. Please say it like '{a}' or '{b}'.")
        }
        (Some(u), Language::Es) => format!(
            "Entendí '{input}' como {u}, pero no {missing}. Diga {noun} así: '{a}' o '{b}'."
        ),
        (None, Language::Es) => {
            format!("No entendí '{input}' como {noun}. Dígalo así: '{a}' o '{b}'.")
        }
    }
}

/// The sentence for `e` in `lang`: the values each error carries, said in that language.
fn sentence(e: &TimeError, lang: Language) -> String {
    let en = lang == Language::En;
    let full = |d| speak_full_date(d, lang);
    let words = words_for(lang);
    match e {
        TimeError::Unparseable {
            wanted,
            input,
            understood,
            missing,
        } => refusal(lang, *wanted, input, understood.as_ref(), missing),
        TimeError::Ambiguous {
            input,
            first,
            second,
        } => {
            let (first, second) = (full(*first), full(*second));
            match lang {
                Language::En => format!(
                    "'{input}' could mean {first} or {second}. Which one did the caller mean?"
                ),
                Language::Es => format!(
                    "'{input}' puede ser el {first} o el {second}. ¿Cuál quiso decir el cliente?"
                ),
            }
        }
        TimeError::NoSuchDate(what) => match lang {
            Language::En => format!("There is no {}. Please check the date.", what.spoken(lang)),
            Language::Es => format!("No existe {}. Compruebe la fecha.", what.spoken(lang)),
        },
        TimeError::WrongWeekday { date, said } => {
            let (date, said) = (full(*date), weekday_name(*said, lang));
            match lang {
                Language::En => {
                    format!("{date} is not a {said}. Which day did the caller mean?")
                }
                Language::Es => format!("El {date} no es {said}. ¿Qué día quiso decir el cliente?"),
            }
        }
        TimeError::Nonexistent { time, date, zone } => {
            let (time, day, zone) = (
                speak_time(*time, lang),
                speak_date(*date, lang),
                zone_label(*zone, lang),
            );
            match lang {
                Language::En => format!(
                    "{time} doesn't exist on {day} in {zone} because the clocks move forward that night; please pick another time."
                ),
                Language::Es => {
                    // "la una" is one hour, "las dos" several: the verb agrees.
                    let verb = if time.starts_with("la ") {
                        "existe"
                    } else {
                        "existen"
                    };
                    format!(
                        "{} del {day} ({zone}) no {verb} porque esa noche se adelantan los relojes; elija otra hora.",
                        capitalised(&time)
                    )
                }
            }
        }
        TimeError::Past { input, date } => {
            let date = match (date, en) {
                (Passed::Day(d), true) => full(*d),
                (Passed::WeekOf(d), true) => format!("the week of {}", full(*d)),
                (Passed::Day(d), false) => format!("el {}", full(*d)),
                (Passed::WeekOf(d), false) => format!("la semana del {}", full(*d)),
            };
            match lang {
                Language::En => format!(
                    "'{input}' would be {date}, which has already passed. Which day did the caller mean?"
                ),
                Language::Es => {
                    format!("'{input}' sería {date}, que ya pasó. ¿Qué día quiso decir el cliente?")
                }
            }
        }
        TimeError::RecentlyPassed {
            what, passed, next, ..
        } => {
            let (what, passed, next) =
                (capitalised(&what.spoken(lang)), full(*passed), full(*next));
            match lang {
                Language::En => format!(
                    "{what} has already passed this year (it was {passed}). Did the caller mean next year's, {next}, or another day?"
                ),
                Language::Es => format!(
                    "{what} ya pasó este año (fue el {passed}). ¿Quiso decir el cliente el del año que viene, el {next}, u otro día?"
                ),
            }
        }
        TimeError::RegionalHoliday {
            name, date, region, ..
        } => {
            let (name, date, region) = (
                capitalised(words.holiday_name(*name)),
                full(*date),
                words.region(*region),
            );
            match lang {
                Language::En => {
                    format!("{name} is {date} {region}. Is that the day the caller meant?")
                }
                Language::Es => format!(
                    "{name} es el {date} {region}. ¿Es ese el día que quiso decir el cliente?"
                ),
            }
        }
        TimeError::Approximate {
            input,
            understood,
            exact,
        } => {
            let (understood, exact) = (
                understood.spoken(lang).unwrap_or_default(),
                speak_time(*exact, lang),
            );
            match lang {
                Language::En => format!(
                    "'{input}' is only approximate ({understood}). Did the caller mean {exact} exactly? If not, offer the open times around then."
                ),
                Language::Es => format!(
                    "'{input}' es solo aproximado ({understood}). ¿Quiso decir el cliente exactamente a {exact}? Si no, ofrezca las horas libres de alrededor."
                ),
            }
        }
        TimeError::BadZone(name) => match lang {
            Language::En => format!(
                "'{name}' is not a time zone I know. Please use a name like America/New_York."
            ),
            Language::Es => format!(
                "'{name}' no es una zona horaria que conozca. Use un nombre como America/New_York."
            ),
        },
    }
}
