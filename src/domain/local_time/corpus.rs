//! A corpus of phrases as callers say them when booking, kept apart from the project's own case
//! table (`cases.rs`): ordinary phrasings, relative weeks, week qualifiers, British forms,
//! spelled-out times, shorthands and approximations, holidays, windows said inside
//! `availability_read`'s `date`, guesses that must be questions, and partial readings.
//!
//! Each phrase says what the caller meant, as a local wall time or local days and a window (the
//! pinned days fall on the same local date in every zone), or that a receptionist would ask. It is
//! read in New York, London, Kolkata and Auckland.
//!
//! How it counts, per reading (phrase × zone):
//! - *understood*: the instant, or the days and window, is exactly what the caller meant; or, for
//!   a phrase marked `Ask`, the answer is a question ([`TimeError::is_question`]) that names the
//!   day given with it; or, for a phrase marked `Refuse`, the answer is a refusal or question
//!   that names the day given with it (what was understood must be honest);
//! - *wrong*: an instant or days that the caller did not mean, or any instant for a phrase that
//!   must be asked about: this must never happen;
//! - otherwise *not understood* (a refusal of something we should have read).
//!
//! The share understood must be at least 97%; wrong readings must be none.

use crate::domain::language::Language;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{
    DayPart, DayWindow, SaidDays, TimeError, local_to_utc, local_today, parse_start,
    resolve_days_said,
};

/// Monday, November 23, 2026, 10:00 UTC: the same local date in the four zones.
pub(super) const MON: &str = "2026-11-23T10:00:00Z";
/// Tuesday, December 1, 2026, 10:00 UTC.
pub(super) const TUE: &str = "2026-12-01T10:00:00Z";

const ZONES: [&str; 4] = [
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Pacific/Auckland",
];

/// What the caller meant.
pub(super) enum Mean {
    /// This local wall time ("YYYY-MM-DD HH:MM"), booked.
    At(&'static str),
    /// This local wall time where the business is in the US; elsewhere a question.
    AtInUs(&'static str),
    /// This local wall time where the business is in the UK; elsewhere a question.
    AtInUk(&'static str),
    /// These local days and this window, for availability: "first last window", the window one
    /// of `-` (whole day), `morning`, `afternoon`, `evening`, `after HH:MM`, `before HH:MM`,
    /// `between HH:MM HH:MM`, `around HH:MM`, or a part followed by `after`/`before HH:MM`.
    Days(&'static str),
    /// A question naming this text (empty: any question).
    Ask(&'static str),
    /// A refusal or question naming this text.
    Refuse(&'static str),
}

use Mean::{Ask, At, AtInUk, AtInUs, Days, Refuse};

#[rustfmt::skip]
const CORPUS: &[(&str, &str, Mean)] = &[
    // Ordinary phrasings.
    (MON, "tomorrow at 3", At("2026-11-24 15:00")),
    (MON, "tomorrow at 3pm", At("2026-11-24 15:00")),
    (MON, "3pm tomorrow", At("2026-11-24 15:00")),
    (MON, "tomorrow morning at 9", At("2026-11-24 09:00")),
    (MON, "tomorrow at 9:30", At("2026-11-24 09:30")),
    (MON, "the 15th at noon", At("2026-12-15 12:00")),
    (MON, "December 3rd at 2pm", At("2026-12-03 14:00")),
    (MON, "Friday at 11", At("2026-11-27 11:00")),
    (MON, "Wednesday at 4:30pm", At("2026-11-25 16:30")),
    (MON, "this Friday at 2", At("2026-11-27 14:00")),
    (MON, "in 2 days at 10", At("2026-11-25 10:00")),
    (MON, "noon tomorrow", At("2026-11-24 12:00")),
    (MON, "Thursday at half past 10", At("2026-11-26 10:30")),
    (MON, "the day after tomorrow at 1", At("2026-11-25 13:00")),
    (MON, "Saturday at 10 in the morning", At("2026-11-28 10:00")),
    (MON, "Friday afternoon at 3", At("2026-11-27 15:00")),
    (MON, "Dec 10 at 9am", At("2026-12-10 09:00")),
    (MON, "10am on the 30th", At("2026-11-30 10:00")),
    (MON, "tomorrow at 3:45", At("2026-11-24 15:45")),
    (MON, "tomorrow at 8 in the evening", At("2026-11-24 20:00")),
    (MON, "tomorrow evening at 6", At("2026-11-24 18:00")),
    (MON, "the 1st of December at 10", At("2026-12-01 10:00")),
    (MON, "December 1st at 10:30am", At("2026-12-01 10:30")),
    (MON, "tues at 2", At("2026-11-24 14:00")),
    (MON, "thurs at 11am", At("2026-11-26 11:00")),
    (MON, "next Monday at 9am", At("2026-11-30 09:00")),
    (MON, "Monday the 30th at 9", At("2026-11-30 09:00")),
    (MON, "at 2 on Friday", At("2026-11-27 14:00")),
    (MON, "Friday 9am", At("2026-11-27 09:00")),
    (MON, "can I come in tomorrow at 4", Refuse("Tuesday, November 24, 2026 at 4:00 PM")),
    // Relative weeks.
    (MON, "a week from Friday at 10", At("2026-12-04 10:00")),
    (MON, "a week from today at 3", At("2026-11-30 15:00")),
    (MON, "a week from tomorrow at 11", At("2026-12-01 11:00")),
    (MON, "two weeks from Thursday at 3", At("2026-12-10 15:00")),
    (MON, "2 weeks from Thursday at 3pm", At("2026-12-10 15:00")),
    (MON, "in a fortnight at 10am", At("2026-12-07 10:00")),
    (MON, "a fortnight from Wednesday at 9", At("2026-12-09 09:00")),
    (MON, "the Monday after next at 10", At("2026-12-07 10:00")),
    (MON, "the Friday after next at 2", At("2026-12-04 14:00")),
    (MON, "a week from now at noon", At("2026-11-30 12:00")),
    (MON, "three days from now at 4", At("2026-11-26 16:00")),
    (MON, "a week on Thursday at 10", At("2026-12-03 10:00")),
    (MON, "in two weeks at 9am", At("2026-12-07 09:00")),
    (MON, "one week from Wednesday at 1pm", At("2026-12-02 13:00")),
    (TUE, "two weeks from Monday at 2", At("2026-12-21 14:00")),
    (TUE, "the Tuesday after next at 11", At("2026-12-15 11:00")),
    (TUE, "in a week at 9", At("2026-12-08 09:00")),
    (TUE, "in a fortnight", Days("2026-12-15 2026-12-15 -")),
    (TUE, "two weeks from today", Days("2026-12-15 2026-12-15 -")),
    (TUE, "a week from Friday", Days("2026-12-11 2026-12-11 -")),
    // Week qualifiers.
    (MON, "Friday next week at 10", At("2026-12-04 10:00")),
    (MON, "next week Wednesday at 2", At("2026-12-02 14:00")),
    (MON, "Wednesday of next week at 2pm", At("2026-12-02 14:00")),
    (MON, "this coming Friday at 11", At("2026-11-27 11:00")),
    (MON, "Tuesday next week at 9:30", At("2026-12-01 09:30")),
    (MON, "next week on Thursday at 3", At("2026-12-03 15:00")),
    (MON, "Thursday this week at 4", At("2026-11-26 16:00")),
    (MON, "Monday next week at 10am", At("2026-11-30 10:00")),
    (MON, "on Friday of next week at noon", At("2026-12-04 12:00")),
    (TUE, "this coming Monday at 10", At("2026-12-07 10:00")),
    (TUE, "Monday of next week at 10", At("2026-12-07 10:00")),
    (TUE, "next Monday at 9", At("2026-12-07 09:00")),
    // British forms.
    (MON, "half two tomorrow", At("2026-11-24 14:30")),
    (MON, "tomorrow at half two", At("2026-11-24 14:30")),
    (MON, "half ten on Friday", At("2026-11-27 10:30")),
    (MON, "a week today at 3", At("2026-11-30 15:00")),
    (MON, "a week tomorrow at 10", At("2026-12-01 10:00")),
    (MON, "Friday week at 2", At("2026-12-04 14:00")),
    (MON, "Thursday week at half nine", At("2026-12-03 09:30")),
    (MON, "half seven tomorrow evening", At("2026-11-24 19:30")),
    (MON, "tomorrow at half 4", At("2026-11-24 16:30")),
    (TUE, "half three on Thursday", At("2026-12-03 15:30")),
    (TUE, "a week today at 10am", At("2026-12-08 10:00")),
    (TUE, "Wednesday week at 3", At("2026-12-09 15:00")),
    // Spelled-out times.
    (MON, "tomorrow at three thirty", At("2026-11-24 15:30")),
    (MON, "ten forty-five tomorrow", At("2026-11-24 10:45")),
    (MON, "tomorrow at twelve fifteen", At("2026-11-24 12:15")),
    (MON, "twenty to four tomorrow", At("2026-11-24 15:40")),
    (MON, "a quarter to three on Friday", At("2026-11-27 14:45")),
    (MON, "tomorrow at ten thirty", At("2026-11-24 10:30")),
    (MON, "Friday at eleven fifteen", At("2026-11-27 11:15")),
    (MON, "tomorrow at two o'clock", At("2026-11-24 14:00")),
    (MON, "tomorrow at nine am", At("2026-11-24 09:00")),
    (MON, "Thursday at four forty five", At("2026-11-26 16:45")),
    (MON, "tomorrow at ten oh five", At("2026-11-24 10:05")),
    (MON, "quarter past eleven tomorrow", At("2026-11-24 11:15")),
    (MON, "tomorrow at five pm", At("2026-11-24 17:00")),
    (MON, "twenty past two on Wednesday", At("2026-11-25 14:20")),
    (MON, "tomorrow at one thirty", At("2026-11-24 13:30")),
    (MON, "tomorrow at 3 30 pm", At("2026-11-24 15:30")),
    (MON, "Wednesday at ten to ten", At("2026-11-25 09:50")),
    (MON, "tomorrow at half past three", At("2026-11-24 15:30")),
    (TUE, "tomorrow at quarter to ten", At("2026-12-02 09:45")),
    (TUE, "tomorrow at seven thirty pm", At("2026-12-02 19:30")),
    (TUE, "the day after tomorrow at eleven", At("2026-12-03 11:00")),
    (TUE, "on the 4th at nine", At("2026-12-04 09:00")),
    (TUE, "Friday at twelve thirty", At("2026-12-04 12:30")),
    (TUE, "tomorrow at 10 thirty", At("2026-12-02 10:30")),
    (TUE, "Dec 3 at three fifteen", At("2026-12-03 15:15")),
    (TUE, "twenty past ten tomorrow morning", At("2026-12-02 10:20")),
    (TUE, "5 past 3 tomorrow", At("2026-12-02 15:05")),
    (TUE, "December 2nd at half past nine", At("2026-12-02 09:30")),
    (TUE, "tomorrow at fifteen hundred", Refuse("Wednesday, December 2, 2026")),
    // Shorthands and approximations.
    (MON, "Weds at 2", At("2026-11-25 14:00")),
    (MON, "weds 10am", At("2026-11-25 10:00")),
    (MON, "Thurs at 9", At("2026-11-26 09:00")),
    (MON, "tmrw at 2pm", At("2026-11-24 14:00")),
    (MON, "3ish tomorrow", Ask("3:00 PM")),
    (MON, "around 3 tomorrow", Ask("Tuesday, November 24, 2026 at about 3:00 PM")),
    (MON, "tomorrow around 10", Ask("10:00 AM")),
    (MON, "about 2 on Friday", Ask("Friday, November 27, 2026 at about 2:00 PM")),
    (MON, "tomorrow at 4-ish", Ask("4:00 PM")),
    (MON, "roughly noon tomorrow", Ask("12:00 PM")),
    (MON, "tomorrow 3 or so", Ask("3:00 PM")),
    (MON, "tomorrow at noonish", Ask("12:00 PM")),
    (MON, "sometime around 11 on Wednesday", Ask("11:00 AM")),
    (MON, "around lunchtime tomorrow", Ask("12:00 PM")),
    (TUE, "Weds at 11", At("2026-12-02 11:00")),
    (TUE, "around 2 on Friday", Days("2026-12-04 2026-12-04 around 14:00")),
    (TUE, "3ish on Thursday", Days("2026-12-03 2026-12-03 around 15:00")),
    // Holidays.
    (MON, "Christmas Eve at 10", At("2026-12-24 10:00")),
    (MON, "Christmas Day at noon", At("2026-12-25 12:00")),
    (MON, "christmas at 9am", At("2026-12-25 09:00")),
    (MON, "New Year's Eve at 2pm", At("2026-12-31 14:00")),
    (MON, "new years eve at 8pm", At("2026-12-31 20:00")),
    (MON, "New Year's Day at 11", At("2027-01-01 11:00")),
    (MON, "Valentine's Day at 7pm", At("2027-02-14 19:00")),
    (MON, "Halloween at 3", Ask("Saturday, October 31, 2026")),
    (MON, "the Fourth of July at 10am", At("2027-07-04 10:00")),
    (MON, "July 4th at 10am", At("2027-07-04 10:00")),
    (MON, "Thanksgiving at 10", AtInUs("2026-11-26 10:00")),
    (MON, "Easter Monday at 9", At("2027-03-29 09:00")),
    (MON, "Good Friday at 11", At("2027-03-26 11:00")),
    (MON, "Boxing Day at 10", AtInUk("2026-12-26 10:00")),
    (MON, "the day after Christmas at 10", At("2026-12-26 10:00")),
    (MON, "Christmas Eve morning", Days("2026-12-24 2026-12-24 morning")),
    (TUE, "New Year's Day at 10", At("2027-01-01 10:00")),
    (TUE, "Valentines at 6pm", At("2027-02-14 18:00")),
    (TUE, "Easter Monday at 10", At("2027-03-29 10:00")),
    (TUE, "Christmas Eve at 11am", At("2026-12-24 11:00")),
    (TUE, "the fourth of July at 2", At("2027-07-04 14:00")),
    (TUE, "Halloween at 4", Ask("Halloween")),
    (TUE, "Good Friday at 3", At("2027-03-26 15:00")),
    (TUE, "Thanksgiving at 10", Ask("Thursday, November 26, 2026")),
    (TUE, "New Year's Eve in the evening", Days("2026-12-31 2026-12-31 evening")),
    // Windows said inside availability's date.
    (MON, "tomorrow afternoon", Days("2026-11-24 2026-11-24 afternoon")),
    (MON, "Saturday morning", Days("2026-11-28 2026-11-28 morning")),
    (MON, "next Thursday afternoon", Days("2026-11-26 2026-11-26 afternoon")),
    (MON, "tonight", Days("2026-11-23 2026-11-23 evening")),
    (MON, "after 4 on Thursday", Days("2026-11-26 2026-11-26 after 16:00")),
    (MON, "before noon tomorrow", Days("2026-11-24 2026-11-24 before 12:00")),
    (MON, "any afternoon next week", Days("2026-11-30 2026-12-06 afternoon")),
    (MON, "early next week", Days("2026-11-30 2026-12-02 -")),
    (MON, "next Tuesday morning", Days("2026-11-24 2026-11-24 morning")),
    (MON, "tomorrow evening", Days("2026-11-24 2026-11-24 evening")),
    (MON, "Friday after 2", Days("2026-11-27 2026-11-27 after 14:00")),
    (MON, "this afternoon", Days("2026-11-23 2026-11-23 afternoon")),
    (MON, "this evening", Days("2026-11-23 2026-11-23 evening")),
    (MON, "tomorrow between 2 and 4", Days("2026-11-24 2026-11-24 between 14:00 16:00")),
    (MON, "around 3 tomorrow", Days("2026-11-24 2026-11-24 around 15:00")),
    (MON, "next week", Days("2026-11-30 2026-12-06 -")),
    (MON, "this weekend", Days("2026-11-28 2026-11-29 -")),
    (MON, "Wednesday morning", Days("2026-11-25 2026-11-25 morning")),
    (MON, "any time next week", Days("2026-11-30 2026-12-06 -")),
    (MON, "later this week", Days("2026-11-26 2026-11-29 -")),
    (MON, "the week after next", Days("2026-12-07 2026-12-13 -")),
    (MON, "Friday next week in the afternoon", Days("2026-12-04 2026-12-04 afternoon")),
    (MON, "early afternoon tomorrow", Days("2026-11-24 2026-11-24 afternoon before 15:00")),
    (MON, "late morning on Friday", Days("2026-11-27 2026-11-27 morning after 10:00")),
    (MON, "tomorrow night", Days("2026-11-24 2026-11-24 evening")),
    (MON, "sometime Thursday afternoon", Days("2026-11-26 2026-11-26 afternoon")),
    (MON, "a week from Friday in the morning", Days("2026-12-04 2026-12-04 morning")),
    (MON, "before 10 on Wednesday", Days("2026-11-25 2026-11-25 before 10:00")),
    (MON, "after lunch tomorrow", Days("2026-11-24 2026-11-24 after 13:00")),
    (MON, "Thursday from 2 to 4", Days("2026-11-26 2026-11-26 between 14:00 16:00")),
    (MON, "tomorrow after 5pm", Days("2026-11-24 2026-11-24 after 17:00")),
    (MON, "the 3rd in the afternoon", Days("2026-12-03 2026-12-03 afternoon")),
    (MON, "December 7 morning", Days("2026-12-07 2026-12-07 morning")),
    (MON, "end of next week", Days("2026-12-03 2026-12-06 -")),
    (MON, "end of the week", Days("2026-11-26 2026-11-29 -")),
    (TUE, "early next week", Days("2026-12-07 2026-12-09 -")),
    (TUE, "Thursday afternoon", Days("2026-12-03 2026-12-03 afternoon")),
    (TUE, "any morning this week", Days("2026-12-01 2026-12-06 morning")),
    (TUE, "after 3 tomorrow", Days("2026-12-02 2026-12-02 after 15:00")),
    (TUE, "tomorrow before 11", Days("2026-12-02 2026-12-02 before 11:00")),
    (TUE, "a week from Thursday afternoon", Days("2026-12-10 2026-12-10 afternoon")),
    (TUE, "next week Wednesday morning", Days("2026-12-09 2026-12-09 morning")),
    (TUE, "Friday week in the morning", Days("2026-12-11 2026-12-11 morning")),
    (TUE, "this Saturday after 11", Days("2026-12-05 2026-12-05 after 11:00")),
    (TUE, "tonight after 6", Days("2026-12-01 2026-12-01 evening after 18:00")),
    (TUE, "any day next week after 3", Days("2026-12-07 2026-12-13 after 15:00")),
    (TUE, "last week", Ask("November 23, 2026")),
    // Guesses that must be questions.
    (TUE, "12/03 at 10am", Ask("Thursday, December 3, 2026 or Friday, March 12, 2027")),
    (TUE, "03/12 at 10am", Ask("Thursday, December 3, 2026 or Friday, March 12, 2027")),
    (TUE, "November 30 at 10am", Ask("Tuesday, November 30, 2027")),
    (TUE, "November 28 at 2pm", Ask("Saturday, November 28, 2026")),
    (TUE, "5/6 at 3pm", Ask("Thursday, May 6, 2027 or Saturday, June 5, 2027")),
    (TUE, "12/1 at 3pm", Ask("Tuesday, December 1, 2026 or Tuesday, January 12, 2027")),
    (TUE, "12/12 at 10am", At("2026-12-12 10:00")),
    (TUE, "13/12 at 9", At("2026-12-13 09:00")),
    (TUE, "12/15 at 2pm", At("2026-12-15 14:00")),
    (TUE, "15/12 at 2pm", At("2026-12-15 14:00")),
    (TUE, "Friday December 3 at 2pm", Ask("Thursday, December 3, 2026 is not a Friday")),
    (TUE, "last Friday at 10", Ask("Friday, November 27, 2026")),
    (TUE, "yesterday at 3", Ask("Monday, November 30, 2026")),
    (MON, "12/03 at 2pm", Ask("Thursday, December 3, 2026 or Friday, March 12, 2027")),
    (MON, "November 20 at 10am", Ask("Friday, November 20, 2026")),
    // Partial readings: refusals name what was understood, honestly.
    (MON, "first thing in the morning tomorrow", Refuse("Tuesday, November 24, 2026 in the morning")),
    (MON, "first thing Friday", Refuse("Friday, November 27, 2026 in the morning")),
    (TUE, "tomorrow at 3 with Dr Smith", Refuse("Wednesday, December 2, 2026 at 3:00 PM")),
    (TUE, "next blursday at 3", Refuse("3:00 PM")),
    (TUE, "tomorrow afternoon", Refuse("Wednesday, December 2, 2026 in the afternoon")),
    (TUE, "after 4 tomorrow", Refuse("Wednesday, December 2, 2026 after 4:00 PM")),
    // More ordinary phrasings.
    (TUE, "tomorrow at 10", At("2026-12-02 10:00")),
    (TUE, "Friday at 3", At("2026-12-04 15:00")),
    (TUE, "the 15th at 2", At("2026-12-15 14:00")),
    (TUE, "December 24 at 10", At("2026-12-24 10:00")),
    (TUE, "tonight at 7", At("2026-12-01 19:00")),
    (TUE, "Saturday at 10:30am", At("2026-12-05 10:30")),
    (TUE, "tomorrow at 4:15 in the afternoon", At("2026-12-02 16:15")),
    (TUE, "in 3 days at 1", At("2026-12-04 13:00")),
    (TUE, "tomorrow 10:30am", At("2026-12-02 10:30")),
    (TUE, "Thursday Dec 3 at 4pm", At("2026-12-03 16:00")),
    (TUE, "the 3rd of December at 11", At("2026-12-03 11:00")),
    (TUE, "tomorrow at quarter past 1", At("2026-12-02 13:15")),
    (TUE, "next Friday at 9", At("2026-12-04 09:00")),
    (TUE, "Wednesday at noon", At("2026-12-02 12:00")),
    (TUE, "this Thursday at 2:30", At("2026-12-03 14:30")),
    (TUE, "the 10th at 10am", At("2026-12-10 10:00")),
    (TUE, "Dec 18th at 1pm", At("2026-12-18 13:00")),
    (TUE, "January 8 at 9am", At("2027-01-08 09:00")),
    (TUE, "Monday morning at 8", At("2026-12-07 08:00")),
    (TUE, "tomorrow at 6pm", At("2026-12-02 18:00")),
    (TUE, "Thursday at 5", At("2026-12-03 17:00")),
    (TUE, "Friday at 10 o'clock", At("2026-12-04 10:00")),
    (TUE, "at 11 on Monday", At("2026-12-07 11:00")),
    (TUE, "sat at 9", At("2026-12-05 09:00")),
    (TUE, "tomorrow at 2:15pm", At("2026-12-02 14:15")),
    (TUE, "this Friday at half past 4", At("2026-12-04 16:30")),
    (TUE, "December 9th at noon", At("2026-12-09 12:00")),
    (TUE, "on the 20th at 3", At("2026-12-20 15:00")),
    (TUE, "the day after tomorrow", Days("2026-12-03 2026-12-03 -")),
    (TUE, "Monday", Days("2026-12-07 2026-12-07 -")),
    (TUE, "the 10th", Days("2026-12-10 2026-12-10 -")),
    (TUE, "this weekend", Days("2026-12-05 2026-12-06 -")),
    (TUE, "next weekend", Days("2026-12-12 2026-12-13 -")),
    (TUE, "Friday", Days("2026-12-04 2026-12-04 -")),
];

fn time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// "first last window" (see [`Mean::Days`]).
fn said_days(spec: &str) -> SaidDays {
    let w: Vec<&str> = spec.split_whitespace().collect();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a corpus date");
    let mut window = DayWindow::default();
    let mut rest = &w[2..];
    if let Some(part) = rest.first().and_then(|p| match *p {
        "morning" => Some(DayPart::Morning),
        "afternoon" => Some(DayPart::Afternoon),
        "evening" => Some(DayPart::Evening),
        _ => None,
    }) {
        window.part = Some(part);
        rest = &rest[1..];
    }
    match rest {
        ["after", t] => window.after = time(t),
        ["before", t] => window.before = time(t),
        ["between", a, b] => (window.after, window.before) = (time(a), time(b)),
        ["around", t] => window.around = time(t),
        ["-"] | [] => {}
        _ => panic!("corpus window {spec:?}"),
    }
    SaidDays {
        first: day(w[0]),
        last: day(w[1]),
        window,
    }
}

enum Verdict {
    Understood,
    NotUnderstood(String),
    Wrong(String),
}

fn judge(now: &str, said: &str, mean: &Mean, tz: Tz, lang: Language) -> Verdict {
    let now: DateTime<Utc> = now.parse().expect("a corpus clock");
    let today = local_today(now, tz);
    let instant = |local: &str| {
        let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("a local time");
        local_to_utc(local, tz).expect("corpus times exist")
    };
    let asked = |e: &TimeError, naming: &str| e.is_question() && e.spoken(lang).contains(naming);
    let in_us = tz.name().starts_with("America/");
    let in_uk = tz.name() == "Europe/London";
    match mean {
        At(local) => check_instant(
            parse_start(said, tz, today, None, lang),
            instant(local),
            lang,
        ),
        AtInUs(local) | AtInUk(local)
            if (in_us && matches!(mean, AtInUs(_))) || (in_uk && matches!(mean, AtInUk(_))) =>
        {
            check_instant(
                parse_start(said, tz, today, None, lang),
                instant(local),
                lang,
            )
        }
        Days(spec) => match resolve_days_said(said, today, None, tz, lang) {
            Ok(got) if got == said_days(spec) => Verdict::Understood,
            Ok(got) => Verdict::Wrong(format!("{got:?}")),
            Err(e) => Verdict::NotUnderstood(e.spoken(lang)),
        },
        AtInUs(_) | AtInUk(_) | Ask(_) | Refuse(_) => {
            let naming = match mean {
                Ask(n) | Refuse(n) => *n,
                _ => "",
            };
            match parse_start(said, tz, today, None, lang) {
                Ok(at) => Verdict::Wrong(format!("booked {at}")),
                Err(e) if asked(&e, naming) => Verdict::Understood,
                Err(e) if matches!(mean, Refuse(_)) && e.spoken(lang).contains(naming) => {
                    Verdict::Understood
                }
                Err(e) => Verdict::NotUnderstood(e.spoken(lang)),
            }
        }
    }
}

fn check_instant(
    got: Result<DateTime<Utc>, TimeError>,
    want: DateTime<Utc>,
    lang: Language,
) -> Verdict {
    match got {
        Ok(at) if at == want => Verdict::Understood,
        Ok(at) => Verdict::Wrong(format!("booked {at}, meant {want}")),
        Err(e) => Verdict::NotUnderstood(e.spoken(lang)),
    }
}

/// Reads every phrase of a corpus in every zone in `lang`: none may be wrong, at least 97% must be
/// understood.
fn measure(corpus: &[(&str, &str, Mean)], lang: Language) {
    let (mut understood, mut missed, mut wrong) = (0, Vec::new(), Vec::new());
    for (now, said, mean) in corpus {
        for zone in ZONES {
            let tz: Tz = zone.parse().expect("a zone");
            match judge(now, said, mean, tz, lang) {
                Verdict::Understood => understood += 1,
                Verdict::NotUnderstood(why) => missed.push(format!("{said:?} in {zone}: {why}")),
                Verdict::Wrong(why) => wrong.push(format!("{said:?} in {zone}: {why}")),
            }
        }
    }
    let total = corpus.len() * ZONES.len();
    let share = understood as f64 * 100.0 / total as f64;
    println!(
        "corpus ({lang}): {understood} of {total} readings understood ({share:.1}%), {} not, {} wrong",
        missed.len(),
        wrong.len()
    );
    for m in &missed {
        println!("not understood: {m}");
    }
    assert!(wrong.is_empty(), "wrong readings:\n{}", wrong.join("\n"));
    assert!(
        share >= 97.0,
        "only {share:.1}% understood:\n{}",
        missed.join("\n")
    );
}

/// Every phrase of the corpus in every zone: none wrong, at least 97% understood.
#[test]
fn the_corpus_is_understood_and_never_booked_wrong() {
    assert!(
        CORPUS.len() >= 200,
        "the corpus has {} phrases",
        CORPUS.len()
    );
    measure(CORPUS, Language::En);
}

/// The same for the Spanish corpus, read with the Spanish tables and answered in Spanish.
#[test]
fn the_spanish_corpus_is_understood_and_never_booked_wrong() {
    let corpus = super::corpus_es::CORPUS_ES;
    assert!(
        corpus.len() >= 100,
        "the corpus has {} phrases",
        corpus.len()
    );
    measure(corpus, Language::Es);
}
