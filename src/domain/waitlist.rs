//! The waitlist: callers who want a time that is full, and the times that open up for them.
//!
//! An [`Entry`] is one caller's wish (days, part of the day, appointment type), keyed by the
//! number they called from. An [`Opening`] is one freed time (a cancellation or a move), offered
//! to one waiting caller at a time; [`Offer`] records each caller it was offered to and how that
//! ended, so nobody is offered the same time twice.

use std::fmt;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::local_time::DayPart;

/// The part of the day a local time falls in (morning before noon, afternoon to 5 PM, evening
/// after).
pub fn part_of(at: DateTime<Utc>, tz: Tz) -> DayPart {
    match at.with_timezone(&tz).hour() {
        0..=11 => DayPart::Morning,
        12..=16 => DayPart::Afternoon,
        _ => DayPart::Evening,
    }
}

/// Reads a stored part of the day.
pub fn parse_part(word: &str) -> Option<DayPart> {
    match word {
        "morning" => Some(DayPart::Morning),
        "afternoon" => Some(DayPart::Afternoon),
        "evening" => Some(DayPart::Evening),
        _ => None,
    }
}

/// Where a waitlist entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting for a matching time.
    Waiting,
    /// A time was booked for the caller from the waitlist.
    Booked,
    /// The caller left the waitlist.
    Left,
    /// Its last day passed without a time.
    Expired,
}

impl EntryState {
    /// Every state.
    pub const ALL: [EntryState; 4] = [
        EntryState::Waiting,
        EntryState::Booked,
        EntryState::Left,
        EntryState::Expired,
    ];

    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryState::Waiting => "waiting",
            EntryState::Booked => "booked",
            EntryState::Left => "left",
            EntryState::Expired => "expired",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<Self> {
        EntryState::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl fmt::Display for EntryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One caller waiting for a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Its id (`wl_…`), as the caller's assistant names it when leaving.
    pub id: String,
    /// The number to call, the one the caller called from.
    pub phone: String,
    /// The name to book under.
    pub name: String,
    /// The appointment type wanted.
    pub event_type_id: i64,
    /// First local day wanted.
    pub first_day: NaiveDate,
    /// Last local day wanted (inclusive).
    pub last_day: NaiveDate,
    /// The part of the day wanted; `None`: any time of those days.
    pub part: Option<DayPart>,
    /// Where it stands.
    pub state: EntryState,
    /// The booking made for it from the waitlist.
    pub booked_uid: Option<String>,
    /// When the caller joined.
    pub created_at: DateTime<Utc>,
}

impl Entry {
    /// Whether a time of `event_type_id` starting at `start` is one this caller wants, on the
    /// business's clock `tz`.
    pub fn wants(&self, event_type_id: i64, start: DateTime<Utc>, tz: Tz) -> bool {
        let day = start.with_timezone(&tz).date_naive();
        self.event_type_id == event_type_id
            && day >= self.first_day
            && day <= self.last_day
            && self.part.is_none_or(|part| part_of(start, tz) == part)
    }
}

/// Where a freed time stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpeningState {
    /// Free, waiting for the next caller to be offered it.
    Open,
    /// Held (reserved in Cal.com) for one caller while the business calls them.
    Offering,
    /// Booked for a caller from the waitlist.
    Filled,
    /// Given up: taken by someone else, nobody left to offer it to, or too close to its start.
    Closed,
}

impl OpeningState {
    /// Every state.
    pub const ALL: [OpeningState; 4] = [
        OpeningState::Open,
        OpeningState::Offering,
        OpeningState::Filled,
        OpeningState::Closed,
    ];

    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            OpeningState::Open => "open",
            OpeningState::Offering => "offering",
            OpeningState::Filled => "filled",
            OpeningState::Closed => "closed",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<Self> {
        OpeningState::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl fmt::Display for OpeningState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A freed time and who it is being offered to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opening {
    /// Appointment type of the time.
    pub event_type_id: i64,
    /// Its start.
    pub slot_start: DateTime<Utc>,
    /// Its length in minutes.
    pub duration_minutes: i64,
    /// The booking whose cancellation or move freed it.
    pub source_uid: String,
    /// Where it stands.
    pub state: OpeningState,
    /// The entry it is offered to now (while offering) or was booked for (filled).
    pub entry_id: Option<String>,
    /// The number being called for it (while offering).
    pub phone: Option<String>,
    /// Cal.com's reservation holding it while offering.
    pub reservation_uid: Option<String>,
    /// Until when the offer holds it; past this, nobody answered in time.
    pub held_until: Option<DateTime<Utc>>,
    /// VAPI's id of the call offering it.
    pub vapi_call_id: Option<String>,
    /// The booking made for it.
    pub booked_uid: Option<String>,
    /// Callers offered it so far.
    pub offers: i64,
    /// Why it stands where it does, for the operator.
    pub detail: Option<String>,
    /// When it was found.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Opening {
    /// A time freed by `source_uid` at `now`, open for the waitlist.
    pub fn freed(
        event_type_id: i64,
        slot_start: DateTime<Utc>,
        duration_minutes: i64,
        source_uid: &str,
        now: DateTime<Utc>,
    ) -> Self {
        Opening {
            event_type_id,
            slot_start,
            duration_minutes,
            source_uid: source_uid.to_owned(),
            state: OpeningState::Open,
            entry_id: None,
            phone: None,
            reservation_uid: None,
            held_until: None,
            vapi_call_id: None,
            booked_uid: None,
            offers: 0,
            detail: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Its key.
    pub fn key(&self) -> OpeningKey {
        OpeningKey {
            event_type_id: self.event_type_id,
            slot_start: self.slot_start,
        }
    }
}

/// What identifies an opening: one per appointment type and start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpeningKey {
    /// Appointment type.
    pub event_type_id: i64,
    /// Start.
    pub slot_start: DateTime<Utc>,
}

/// How offering a time to one caller ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferOutcome {
    /// The call is under way.
    Calling,
    /// They took it: it is booked for them.
    Booked,
    /// They said no.
    Declined,
    /// Nobody answered, a voicemail did, or the hold ran out before the call ended.
    NoAnswer,
    /// The call could not be placed.
    Failed,
}

impl OfferOutcome {
    /// Every outcome.
    pub const ALL: [OfferOutcome; 5] = [
        OfferOutcome::Calling,
        OfferOutcome::Booked,
        OfferOutcome::Declined,
        OfferOutcome::NoAnswer,
        OfferOutcome::Failed,
    ];

    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            OfferOutcome::Calling => "calling",
            OfferOutcome::Booked => "booked",
            OfferOutcome::Declined => "declined",
            OfferOutcome::NoAnswer => "no_answer",
            OfferOutcome::Failed => "failed",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<Self> {
        OfferOutcome::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// One caller a time was offered to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// The time.
    pub event_type_id: i64,
    /// Its start.
    pub slot_start: DateTime<Utc>,
    /// The entry offered it.
    pub entry_id: String,
    /// The number called.
    pub phone: String,
    /// How it ended.
    pub outcome: OfferOutcome,
    /// VAPI's call id.
    pub vapi_call_id: Option<String>,
    /// When it was offered.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(first: &str, last: &str, part: Option<DayPart>) -> Entry {
        Entry {
            id: "wl_1".into(),
            phone: "+15550001111".into(),
            name: "Ana".into(),
            event_type_id: 7,
            first_day: first.parse().unwrap(),
            last_day: last.parse().unwrap(),
            part,
            state: EntryState::Waiting,
            booked_uid: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_time_is_wanted_on_the_business_clock_not_utc() {
        let tz: Tz = "Pacific/Kiritimati".parse().unwrap();
        // 2026-12-10 21:00 UTC is Friday 11 December, 11:00, in Kiritimati (UTC+14).
        let start: DateTime<Utc> = "2026-12-10T21:00:00Z".parse().unwrap();
        assert!(entry("2026-12-11", "2026-12-11", Some(DayPart::Morning)).wants(7, start, tz));
        assert!(!entry("2026-12-10", "2026-12-10", None).wants(7, start, tz));
        assert!(!entry("2026-12-11", "2026-12-11", Some(DayPart::Afternoon)).wants(7, start, tz));
        assert!(!entry("2026-12-11", "2026-12-11", None).wants(8, start, tz));
    }

    #[test]
    fn parts_of_the_day_follow_daylight_saving() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // 16:30 UTC is 11:30 EST in winter but 12:30 EDT in summer.
        let winter: DateTime<Utc> = "2026-12-10T16:30:00Z".parse().unwrap();
        let summer: DateTime<Utc> = "2026-07-10T16:30:00Z".parse().unwrap();
        assert_eq!(part_of(winter, tz), DayPart::Morning);
        assert_eq!(part_of(summer, tz), DayPart::Afternoon);
    }

    #[test]
    fn stored_words_round_trip() {
        for s in EntryState::ALL {
            assert_eq!(EntryState::parse(s.as_str()), Some(s));
        }
        for s in OpeningState::ALL {
            assert_eq!(OpeningState::parse(s.as_str()), Some(s));
        }
        for s in OfferOutcome::ALL {
            assert_eq!(OfferOutcome::parse(s.as_str()), Some(s));
        }
        for p in [DayPart::Morning, DayPart::Afternoon, DayPart::Evening] {
            assert_eq!(parse_part(p.as_str()), Some(p));
        }
    }
}
