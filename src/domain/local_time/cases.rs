//! The table the time grammar is measured and tested on: what callers say, and the exact answer
//! expected in each of three zones with the clock pinned.
//!
//! Each case gives the UTC instant expected in New York, Kolkata and Auckland, or the exact
//! sentence (a question or a refusal) the caller should hear. The instants were worked out
//! independently of chrono-tz (from the IANA rules via another implementation), so a zone rule
//! mistake in the code cannot hide in the expectations. Plain data with no crate imports, so a
//! comparison with another parser can include it as it is.
//!
//! The table is one line a case, in the order of [`ZONES`] (New York, Kolkata, Auckland):
//! `c(0, "tomorrow at 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at(..), at(..)])`
//! reads "in scenario 0, *tomorrow at 3pm* means 15:00 local on November 24, which is this UTC
//! instant in each zone"; `says(..)` in place of `at(..)` is the sentence heard in that zone, and
//! `reply(5, "1/2 at 10am", "..")` is a case answered with the same sentence (a question or a
//! refusal) in every zone.

/// A pinned moment: the same local date in all three zones.
pub struct Scenario {
    /// What the scenario exercises.
    pub name: &'static str,
    /// The pinned clock, UTC.
    pub now: &'static str,
    /// The local date at `now` in every zone of [`ZONES`].
    pub today: &'static str,
}

/// The zones every case is read in.
pub const ZONES: [&str; 3] = ["America/New_York", "Asia/Kolkata", "Pacific/Auckland"];

/// What one reading should give.
pub enum Expect {
    /// This UTC instant.
    At(&'static str),
    /// This exact sentence: a question (ambiguous date) or a refusal.
    Says(&'static str),
}

/// One expression in one scenario, with its expectation per zone (in the order of [`ZONES`]).
pub struct Case {
    /// Index into [`SCENARIOS`].
    pub scenario: usize,
    /// What the caller (or model) said.
    pub input: &'static str,
    /// The local wall time meant, for reading the table.
    pub local: &'static str,
    /// Expected in each zone of [`ZONES`].
    pub expect: [Expect; 3],
}

/// A case read per zone: `expect` in the order of [`ZONES`].
const fn c(scenario: usize, input: &'static str, local: &'static str, expect: [Expect; 3]) -> Case {
    Case {
        scenario,
        input,
        local,
        expect,
    }
}

/// This UTC instant.
const fn at(utc: &'static str) -> Expect {
    Expect::At(utc)
}

/// This exact sentence.
const fn says(sentence: &'static str) -> Expect {
    Expect::Says(sentence)
}

/// A case answered with the same sentence, a question or a refusal, in every zone.
const fn reply(scenario: usize, input: &'static str, sentence: &'static str) -> Case {
    c(
        scenario,
        input,
        "(question or refusal)",
        [says(sentence), says(sentence), says(sentence)],
    )
}

/// The pinned moments.
pub const SCENARIOS: [Scenario; 6] = [
    Scenario {
        name: "Monday, November 23, 2026",
        now: "2026-11-23T10:00:00Z",
        today: "2026-11-23",
    },
    Scenario {
        name: "New York springs forward (Sunday, March 8, 2026)",
        now: "2026-03-07T10:00:00Z",
        today: "2026-03-07",
    },
    Scenario {
        name: "Auckland springs forward (Sunday, September 27, 2026)",
        now: "2026-09-26T05:00:00Z",
        today: "2026-09-26",
    },
    Scenario {
        name: "Auckland falls back (Sunday, April 5, 2026)",
        now: "2026-04-04T05:00:00Z",
        today: "2026-04-04",
    },
    Scenario {
        name: "New York falls back (Sunday, November 1, 2026)",
        now: "2026-10-31T10:00:00Z",
        today: "2026-10-31",
    },
    Scenario {
        name: "New Year's Eve (Thursday, December 31, 2026)",
        now: "2026-12-31T10:00:00Z",
        today: "2026-12-31",
    },
];

/// Every case, one a line (see the module doc for how a line reads).
#[rustfmt::skip]
pub const CASES: &[Case] = &[
    c(0, "tomorrow at 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 3 pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "3pm tomorrow", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "3 pm tomorrow", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 3", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 9", "2026-11-24 09:00", [at("2026-11-24T14:00:00Z"), at("2026-11-24T03:30:00Z"), at("2026-11-23T20:00:00Z")]),
    c(0, "tomorrow at 12", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "noon tomorrow", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "tomorrow at noon", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "tomorrow midday", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "midnight tomorrow", "2026-11-24 00:00", [at("2026-11-24T05:00:00Z"), at("2026-11-23T18:30:00Z"), at("2026-11-23T11:00:00Z")]),
    c(0, "tomorrow at 3:30", "2026-11-24 15:30", [at("2026-11-24T20:30:00Z"), at("2026-11-24T10:00:00Z"), at("2026-11-24T02:30:00Z")]),
    c(0, "tomorrow at 15:30", "2026-11-24 15:30", [at("2026-11-24T20:30:00Z"), at("2026-11-24T10:00:00Z"), at("2026-11-24T02:30:00Z")]),
    c(0, "tomorrow at 09:30", "2026-11-24 09:30", [at("2026-11-24T14:30:00Z"), at("2026-11-24T04:00:00Z"), at("2026-11-23T20:30:00Z")]),
    c(0, "tomorrow at 7:45", "2026-11-24 07:45", [at("2026-11-24T12:45:00Z"), at("2026-11-24T02:15:00Z"), at("2026-11-23T18:45:00Z")]),
    c(0, "tomorrow at 6", "2026-11-24 18:00", [at("2026-11-24T23:00:00Z"), at("2026-11-24T12:30:00Z"), at("2026-11-24T05:00:00Z")]),
    c(0, "tomorrow at 11", "2026-11-24 11:00", [at("2026-11-24T16:00:00Z"), at("2026-11-24T05:30:00Z"), at("2026-11-23T22:00:00Z")]),
    c(0, "tomorrow at 3 o'clock", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 10 o'clock", "2026-11-24 10:00", [at("2026-11-24T15:00:00Z"), at("2026-11-24T04:30:00Z"), at("2026-11-23T21:00:00Z")]),
    c(0, "half past 3 tomorrow", "2026-11-24 15:30", [at("2026-11-24T20:30:00Z"), at("2026-11-24T10:00:00Z"), at("2026-11-24T02:30:00Z")]),
    c(0, "tomorrow at quarter past 3", "2026-11-24 15:15", [at("2026-11-24T20:15:00Z"), at("2026-11-24T09:45:00Z"), at("2026-11-24T02:15:00Z")]),
    c(0, "tomorrow at quarter to 3", "2026-11-24 14:45", [at("2026-11-24T19:45:00Z"), at("2026-11-24T09:15:00Z"), at("2026-11-24T01:45:00Z")]),
    c(0, "tomorrow at quarter to 12", "2026-11-24 11:45", [at("2026-11-24T16:45:00Z"), at("2026-11-24T06:15:00Z"), at("2026-11-23T22:45:00Z")]),
    c(0, "tomorrow at 10 past 9", "2026-11-24 09:10", [at("2026-11-24T14:10:00Z"), at("2026-11-24T03:40:00Z"), at("2026-11-23T20:10:00Z")]),
    c(0, "tomorrow at 3:30pm", "2026-11-24 15:30", [at("2026-11-24T20:30:00Z"), at("2026-11-24T10:00:00Z"), at("2026-11-24T02:30:00Z")]),
    c(0, "tomorrow at 3.30pm", "2026-11-24 15:30", [at("2026-11-24T20:30:00Z"), at("2026-11-24T10:00:00Z"), at("2026-11-24T02:30:00Z")]),
    c(0, "tomorrow at 3 p.m.", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 9 a.m.", "2026-11-24 09:00", [at("2026-11-24T14:00:00Z"), at("2026-11-24T03:30:00Z"), at("2026-11-23T20:00:00Z")]),
    c(0, "Tomorrow at 3PM", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow, 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow morning at 9", "2026-11-24 09:00", [at("2026-11-24T14:00:00Z"), at("2026-11-24T03:30:00Z"), at("2026-11-23T20:00:00Z")]),
    c(0, "tomorrow at 9 in the morning", "2026-11-24 09:00", [at("2026-11-24T14:00:00Z"), at("2026-11-24T03:30:00Z"), at("2026-11-23T20:00:00Z")]),
    c(0, "tomorrow at 8 in the evening", "2026-11-24 20:00", [at("2026-11-25T01:00:00Z"), at("2026-11-24T14:30:00Z"), at("2026-11-24T07:00:00Z")]),
    c(0, "tomorrow evening at 7", "2026-11-24 19:00", [at("2026-11-25T00:00:00Z"), at("2026-11-24T13:30:00Z"), at("2026-11-24T06:00:00Z")]),
    c(0, "tomorrow afternoon at 2", "2026-11-24 14:00", [at("2026-11-24T19:00:00Z"), at("2026-11-24T08:30:00Z"), at("2026-11-24T01:00:00Z")]),
    c(0, "the day after tomorrow at 10", "2026-11-25 10:00", [at("2026-11-25T15:00:00Z"), at("2026-11-25T04:30:00Z"), at("2026-11-24T21:00:00Z")]),
    c(0, "day after tomorrow at 2pm", "2026-11-25 14:00", [at("2026-11-25T19:00:00Z"), at("2026-11-25T08:30:00Z"), at("2026-11-25T01:00:00Z")]),
    c(0, "Wednesday 4:30pm", "2026-11-25 16:30", [at("2026-11-25T21:30:00Z"), at("2026-11-25T11:00:00Z"), at("2026-11-25T03:30:00Z")]),
    c(0, "wednesday at 4:30", "2026-11-25 16:30", [at("2026-11-25T21:30:00Z"), at("2026-11-25T11:00:00Z"), at("2026-11-25T03:30:00Z")]),
    c(0, "on Wednesday at 10am", "2026-11-25 10:00", [at("2026-11-25T15:00:00Z"), at("2026-11-25T04:30:00Z"), at("2026-11-24T21:00:00Z")]),
    c(0, "next wednesday at 10am", "2026-11-25 10:00", [at("2026-11-25T15:00:00Z"), at("2026-11-25T04:30:00Z"), at("2026-11-24T21:00:00Z")]),
    c(0, "this wednesday at 10am", "2026-11-25 10:00", [at("2026-11-25T15:00:00Z"), at("2026-11-25T04:30:00Z"), at("2026-11-24T21:00:00Z")]),
    c(0, "monday at 3pm", "2026-11-23 15:00", [at("2026-11-23T20:00:00Z"), at("2026-11-23T09:30:00Z"), at("2026-11-23T02:00:00Z")]),
    c(0, "next monday at 3pm", "2026-11-30 15:00", [at("2026-11-30T20:00:00Z"), at("2026-11-30T09:30:00Z"), at("2026-11-30T02:00:00Z")]),
    c(0, "this monday at 3pm", "2026-11-23 15:00", [at("2026-11-23T20:00:00Z"), at("2026-11-23T09:30:00Z"), at("2026-11-23T02:00:00Z")]),
    c(0, "sunday at 11am", "2026-11-29 11:00", [at("2026-11-29T16:00:00Z"), at("2026-11-29T05:30:00Z"), at("2026-11-28T22:00:00Z")]),
    c(0, "next sunday 11am", "2026-11-29 11:00", [at("2026-11-29T16:00:00Z"), at("2026-11-29T05:30:00Z"), at("2026-11-28T22:00:00Z")]),
    c(0, "fri 2pm", "2026-11-27 14:00", [at("2026-11-27T19:00:00Z"), at("2026-11-27T08:30:00Z"), at("2026-11-27T01:00:00Z")]),
    c(0, "tues at 9:30am", "2026-11-24 09:30", [at("2026-11-24T14:30:00Z"), at("2026-11-24T04:00:00Z"), at("2026-11-23T20:30:00Z")]),
    c(0, "thurs at 1", "2026-11-26 13:00", [at("2026-11-26T18:00:00Z"), at("2026-11-26T07:30:00Z"), at("2026-11-26T00:00:00Z")]),
    c(0, "Saturday at noon", "2026-11-28 12:00", [at("2026-11-28T17:00:00Z"), at("2026-11-28T06:30:00Z"), at("2026-11-27T23:00:00Z")]),
    c(0, "2026-11-25 at 10:30", "2026-11-25 10:30", [at("2026-11-25T15:30:00Z"), at("2026-11-25T05:00:00Z"), at("2026-11-24T21:30:00Z")]),
    c(0, "2026-11-25 10:30", "2026-11-25 10:30", [at("2026-11-25T15:30:00Z"), at("2026-11-25T05:00:00Z"), at("2026-11-24T21:30:00Z")]),
    c(0, "2026-11-25T15:00", "2026-11-25 15:00", [at("2026-11-25T20:00:00Z"), at("2026-11-25T09:30:00Z"), at("2026-11-25T02:00:00Z")]),
    c(0, "2026-11-25 3pm", "2026-11-25 15:00", [at("2026-11-25T20:00:00Z"), at("2026-11-25T09:30:00Z"), at("2026-11-25T02:00:00Z")]),
    c(0, "3pm on 2026-11-25", "2026-11-25 15:00", [at("2026-11-25T20:00:00Z"), at("2026-11-25T09:30:00Z"), at("2026-11-25T02:00:00Z")]),
    c(0, "December 3 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "Dec 3 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "Dec 3rd at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "December 3rd 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "the 3rd of December at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "3 December 2026 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "3 December at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "December 3, 2026 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "2pm on December 3", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "at 2 on December 3rd", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "December the 3rd at 2", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "Thursday December 3 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "Thursday, December 3rd at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "the 3rd at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "the 30th at 10am", "2026-11-30 10:00", [at("2026-11-30T15:00:00Z"), at("2026-11-30T04:30:00Z"), at("2026-11-29T21:00:00Z")]),
    c(0, "the 23rd at 5pm", "2026-11-23 17:00", [at("2026-11-23T22:00:00Z"), at("2026-11-23T11:30:00Z"), at("2026-11-23T04:00:00Z")]),
    c(0, "the 22nd at 5pm", "2026-12-22 17:00", [at("2026-12-22T22:00:00Z"), at("2026-12-22T11:30:00Z"), at("2026-12-22T04:00:00Z")]),
    c(0, "the 31st at 9am", "2026-12-31 09:00", [at("2026-12-31T14:00:00Z"), at("2026-12-31T03:30:00Z"), at("2026-12-30T20:00:00Z")]),
    c(0, "January 5 at 10am", "2027-01-05 10:00", [at("2027-01-05T15:00:00Z"), at("2027-01-05T04:30:00Z"), at("2027-01-04T21:00:00Z")]),
    c(0, "Jan 5th at 10am", "2027-01-05 10:00", [at("2027-01-05T15:00:00Z"), at("2027-01-05T04:30:00Z"), at("2027-01-04T21:00:00Z")]),
    c(0, "November 20 at 10am", "2027-11-20 10:00", [at("2027-11-20T15:00:00Z"), at("2027-11-20T04:30:00Z"), at("2027-11-19T21:00:00Z")]),
    c(0, "November 23 at 4pm", "2026-11-23 16:00", [at("2026-11-23T21:00:00Z"), at("2026-11-23T10:30:00Z"), at("2026-11-23T03:00:00Z")]),
    c(0, "February 29 at 10am", "2028-02-29 10:00", [at("2028-02-29T15:00:00Z"), at("2028-02-29T04:30:00Z"), at("2028-02-28T21:00:00Z")]),
    c(0, "March 1 2027 at 9", "2027-03-01 09:00", [at("2027-03-01T14:00:00Z"), at("2027-03-01T03:30:00Z"), at("2027-02-28T20:00:00Z")]),
    c(0, "sept 15 at 11am", "2027-09-15 11:00", [at("2027-09-15T15:00:00Z"), at("2027-09-15T05:30:00Z"), at("2027-09-14T23:00:00Z")]),
    c(0, "in 2 days at 9", "2026-11-25 09:00", [at("2026-11-25T14:00:00Z"), at("2026-11-25T03:30:00Z"), at("2026-11-24T20:00:00Z")]),
    c(0, "in 3 days at 2pm", "2026-11-26 14:00", [at("2026-11-26T19:00:00Z"), at("2026-11-26T08:30:00Z"), at("2026-11-26T01:00:00Z")]),
    c(0, "in a week at 10am", "2026-11-30 10:00", [at("2026-11-30T15:00:00Z"), at("2026-11-30T04:30:00Z"), at("2026-11-29T21:00:00Z")]),
    c(0, "in 2 weeks at 10am", "2026-12-07 10:00", [at("2026-12-07T15:00:00Z"), at("2026-12-07T04:30:00Z"), at("2026-12-06T21:00:00Z")]),
    c(0, "in two days at noon", "2026-11-25 12:00", [at("2026-11-25T17:00:00Z"), at("2026-11-25T06:30:00Z"), at("2026-11-24T23:00:00Z")]),
    c(0, "in one week at 3", "2026-11-30 15:00", [at("2026-11-30T20:00:00Z"), at("2026-11-30T09:30:00Z"), at("2026-11-30T02:00:00Z")]),
    c(0, "3pm", "2026-11-23 15:00", [at("2026-11-23T20:00:00Z"), at("2026-11-23T09:30:00Z"), at("2026-11-23T02:00:00Z")]),
    c(0, "at 3", "2026-11-23 15:00", [at("2026-11-23T20:00:00Z"), at("2026-11-23T09:30:00Z"), at("2026-11-23T02:00:00Z")]),
    c(0, "noon", "2026-11-23 12:00", [at("2026-11-23T17:00:00Z"), at("2026-11-23T06:30:00Z"), at("2026-11-22T23:00:00Z")]),
    c(0, "half past 10", "2026-11-23 10:30", [at("2026-11-23T15:30:00Z"), at("2026-11-23T05:00:00Z"), at("2026-11-22T21:30:00Z")]),
    c(0, "tonight at 8", "2026-11-23 20:00", [at("2026-11-24T01:00:00Z"), at("2026-11-23T14:30:00Z"), at("2026-11-23T07:00:00Z")]),
    c(0, "12/03 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "03/12 at 2pm", "2026-12-03 14:00", [at("2026-12-03T19:00:00Z"), at("2026-12-03T08:30:00Z"), at("2026-12-03T01:00:00Z")]),
    c(0, "13/12 at 10am", "2026-12-13 10:00", [at("2026-12-13T15:00:00Z"), at("2026-12-13T04:30:00Z"), at("2026-12-12T21:00:00Z")]),
    c(0, "12/13 at 10am", "2026-12-13 10:00", [at("2026-12-13T15:00:00Z"), at("2026-12-13T04:30:00Z"), at("2026-12-12T21:00:00Z")]),
    c(0, "12/12 at 10am", "2026-12-12 10:00", [at("2026-12-12T15:00:00Z"), at("2026-12-12T04:30:00Z"), at("2026-12-11T21:00:00Z")]),
    c(0, "11/12 at 10am", "2026-12-11 10:00", [at("2026-12-11T15:00:00Z"), at("2026-12-11T04:30:00Z"), at("2026-12-10T21:00:00Z")]),
    c(0, "12/11 at 10am", "2026-12-11 10:00", [at("2026-12-11T15:00:00Z"), at("2026-12-11T04:30:00Z"), at("2026-12-10T21:00:00Z")]),
    c(0, "31/12/2026 at 9am", "2026-12-31 09:00", [at("2026-12-31T14:00:00Z"), at("2026-12-31T03:30:00Z"), at("2026-12-30T20:00:00Z")]),
    c(0, "3:30 pm on the 1st", "2026-12-01 15:30", [at("2026-12-01T20:30:00Z"), at("2026-12-01T10:00:00Z"), at("2026-12-01T02:30:00Z")]),
    c(0, "quarter past noon tomorrow", "2026-11-24 12:15", [at("2026-11-24T17:15:00Z"), at("2026-11-24T06:45:00Z"), at("2026-11-23T23:15:00Z")]),
    c(0, "1st December at 9", "2026-12-01 09:00", [at("2026-12-01T14:00:00Z"), at("2026-12-01T03:30:00Z"), at("2026-11-30T20:00:00Z")]),
    c(0, "Tuesday the 24th at 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at 0:30", "2026-11-24 00:30", [at("2026-11-24T05:30:00Z"), at("2026-11-23T19:00:00Z"), at("2026-11-23T11:30:00Z")]),
    c(0, "tomorrow at 00:00", "2026-11-24 00:00", [at("2026-11-24T05:00:00Z"), at("2026-11-23T18:30:00Z"), at("2026-11-23T11:00:00Z")]),
    c(0, "tomorrow at 12am", "2026-11-24 00:00", [at("2026-11-24T05:00:00Z"), at("2026-11-23T18:30:00Z"), at("2026-11-23T11:00:00Z")]),
    c(0, "tomorrow at 12pm", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "tomorrow at 12:30", "2026-11-24 12:30", [at("2026-11-24T17:30:00Z"), at("2026-11-24T07:00:00Z"), at("2026-11-23T23:30:00Z")]),
    c(0, "tomorrow at 5", "2026-11-24 17:00", [at("2026-11-24T22:00:00Z"), at("2026-11-24T11:30:00Z"), at("2026-11-24T04:00:00Z")]),
    c(0, "tomorrow at 7", "2026-11-24 07:00", [at("2026-11-24T12:00:00Z"), at("2026-11-24T01:30:00Z"), at("2026-11-23T18:00:00Z")]),
    c(0, "tomorrow 1", "2026-11-24 13:00", [at("2026-11-24T18:00:00Z"), at("2026-11-24T07:30:00Z"), at("2026-11-24T00:00:00Z")]),
    c(0, "at 4 tomorrow afternoon", "2026-11-24 16:00", [at("2026-11-24T21:00:00Z"), at("2026-11-24T10:30:00Z"), at("2026-11-24T03:00:00Z")]),
    c(0, "tomorrow at three", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "tomorrow at three pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "dec. 24 at 10", "2026-12-24 10:00", [at("2026-12-24T15:00:00Z"), at("2026-12-24T04:30:00Z"), at("2026-12-23T21:00:00Z")]),
    c(0, "24 dec at 10", "2026-12-24 10:00", [at("2026-12-24T15:00:00Z"), at("2026-12-24T04:30:00Z"), at("2026-12-23T21:00:00Z")]),
    c(0, "next friday at 4pm", "2026-11-27 16:00", [at("2026-11-27T21:00:00Z"), at("2026-11-27T10:30:00Z"), at("2026-11-27T03:00:00Z")]),
    c(0, "coming friday at 4pm", "2026-11-27 16:00", [at("2026-11-27T21:00:00Z"), at("2026-11-27T10:30:00Z"), at("2026-11-27T03:00:00Z")]),
    c(0, "tomorrow @ 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "Tomorrow At Noon", "2026-11-24 12:00", [at("2026-11-24T17:00:00Z"), at("2026-11-24T06:30:00Z"), at("2026-11-23T23:00:00Z")]),
    c(0, "in 10 days at 11", "2026-12-03 11:00", [at("2026-12-03T16:00:00Z"), at("2026-12-03T05:30:00Z"), at("2026-12-02T22:00:00Z")]),
    c(0, "3rd December 10:30am", "2026-12-03 10:30", [at("2026-12-03T15:30:00Z"), at("2026-12-03T05:00:00Z"), at("2026-12-02T21:30:00Z")]),
    c(0, "december 3 at 10:30am", "2026-12-03 10:30", [at("2026-12-03T15:30:00Z"), at("2026-12-03T05:00:00Z"), at("2026-12-02T21:30:00Z")]),
    c(0, "tomorrow at 10:30 am", "2026-11-24 10:30", [at("2026-11-24T15:30:00Z"), at("2026-11-24T05:00:00Z"), at("2026-11-23T21:30:00Z")]),
    c(0, "tomorrow at 10:30am.", "2026-11-24 10:30", [at("2026-11-24T15:30:00Z"), at("2026-11-24T05:00:00Z"), at("2026-11-23T21:30:00Z")]),
    c(0, "tomorrow at half past twelve", "2026-11-24 12:30", [at("2026-11-24T17:30:00Z"), at("2026-11-24T07:00:00Z"), at("2026-11-23T23:30:00Z")]),
    c(0, "Wed, Nov 25 at 9:15am", "2026-11-25 09:15", [at("2026-11-25T14:15:00Z"), at("2026-11-25T03:45:00Z"), at("2026-11-24T20:15:00Z")]),
    c(0, "friday the 27th at 11", "2026-11-27 11:00", [at("2026-11-27T16:00:00Z"), at("2026-11-27T05:30:00Z"), at("2026-11-26T22:00:00Z")]),
    c(0, "at 2:45 on friday", "2026-11-27 14:45", [at("2026-11-27T19:45:00Z"), at("2026-11-27T09:15:00Z"), at("2026-11-27T01:45:00Z")]),
    c(0, "tomorrow at 20 to 4", "2026-11-24 15:40", [at("2026-11-24T20:40:00Z"), at("2026-11-24T10:10:00Z"), at("2026-11-24T02:40:00Z")]),
    c(0, "tomorrow at 4:00 PM", "2026-11-24 16:00", [at("2026-11-24T21:00:00Z"), at("2026-11-24T10:30:00Z"), at("2026-11-24T03:00:00Z")]),
    c(0, "tomorrow at 16:00", "2026-11-24 16:00", [at("2026-11-24T21:00:00Z"), at("2026-11-24T10:30:00Z"), at("2026-11-24T03:00:00Z")]),
    c(0, "tomorrow at 8:05pm", "2026-11-24 20:05", [at("2026-11-25T01:05:00Z"), at("2026-11-24T14:35:00Z"), at("2026-11-24T07:05:00Z")]),
    c(0, "Dec 1 at 9", "2026-12-01 09:00", [at("2026-12-01T14:00:00Z"), at("2026-12-01T03:30:00Z"), at("2026-11-30T20:00:00Z")]),
    c(0, "1 dec 9am", "2026-12-01 09:00", [at("2026-12-01T14:00:00Z"), at("2026-12-01T03:30:00Z"), at("2026-11-30T20:00:00Z")]),
    c(0, "next tuesday at 9:30 am", "2026-11-24 09:30", [at("2026-11-24T14:30:00Z"), at("2026-11-24T04:00:00Z"), at("2026-11-23T20:30:00Z")]),
    c(0, "tuesday 3pm", "2026-11-24 15:00", [at("2026-11-24T20:00:00Z"), at("2026-11-24T09:30:00Z"), at("2026-11-24T02:00:00Z")]),
    c(0, "wednesday at 11:30 in the morning", "2026-11-25 11:30", [at("2026-11-25T16:30:00Z"), at("2026-11-25T06:00:00Z"), at("2026-11-24T22:30:00Z")]),
    c(0, "thursday afternoon at 3", "2026-11-26 15:00", [at("2026-11-26T20:00:00Z"), at("2026-11-26T09:30:00Z"), at("2026-11-26T02:00:00Z")]),
    c(0, "friday evening at 6", "2026-11-27 18:00", [at("2026-11-27T23:00:00Z"), at("2026-11-27T12:30:00Z"), at("2026-11-27T05:00:00Z")]),
    c(0, "the 1st of January at 9", "2027-01-01 09:00", [at("2027-01-01T14:00:00Z"), at("2027-01-01T03:30:00Z"), at("2026-12-31T20:00:00Z")]),
    c(0, "January 1st 2027 at 9", "2027-01-01 09:00", [at("2027-01-01T14:00:00Z"), at("2027-01-01T03:30:00Z"), at("2026-12-31T20:00:00Z")]),
    c(0, "in 1 day at 10", "2026-11-24 10:00", [at("2026-11-24T15:00:00Z"), at("2026-11-24T04:30:00Z"), at("2026-11-23T21:00:00Z")]),
    c(0, "tomorrow at 11:59pm", "2026-11-24 23:59", [at("2026-11-25T04:59:00Z"), at("2026-11-24T18:29:00Z"), at("2026-11-24T10:59:00Z")]),
    c(0, "2026-11-24T15:00:00-05:00", "(instant)", [at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z")]),
    c(0, "2026-11-24T20:00Z", "(instant)", [at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z")]),
    c(0, "2026-11-24T20:00:00Z", "(instant)", [at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z"), at("2026-11-24T20:00:00Z")]),
    reply(0, "12/03/2027 at 2pm", "'12/03/2027 at 2pm' could mean Friday, March 12, 2027 or Friday, December 3, 2027. Which one did the caller mean?"),
    reply(0, "1/2/2027 at 10am", "'1/2/2027 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?"),
    reply(0, "5/6 at 3pm", "'5/6 at 3pm' could mean Thursday, May 6, 2027 or Saturday, June 5, 2027. Which one did the caller mean?"),
    reply(0, "2/30 at 10am", "There is no 2/30. Please check the date."),
    reply(0, "February 30 at 10am", "There is no February 30. Please check the date."),
    reply(0, "Friday December 3 at 2pm", "Thursday, December 3, 2026 is not a Friday. Which day did the caller mean?"),
    reply(0, "someday", "I couldn't understand 'someday' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "December", "I couldn't understand 'December' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "", "I couldn't understand '' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "tomorrow", "I understood 'tomorrow' as Tuesday, November 24, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "monday", "I understood 'monday' as Monday, November 23, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "tomorrow at 3 with Dr Smith", "I understood 'tomorrow at 3 with Dr Smith' as Tuesday, November 24, 2026 at 3:00 PM, but not 'with dr smith'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "next week at 3pm", "I understood 'next week at 3pm' as Monday, November 30, 2026 to Sunday, December 6, 2026 at 3:00 PM, but not which day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "25:00 tomorrow", "I understood '25:00 tomorrow' as Tuesday, November 24, 2026, but not '25:00'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "next blursday at 3", "I understood 'next blursday at 3' as 3:00 PM, but not 'next blursday'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    reply(0, "tomorrow at 3pm EST", "I understood 'tomorrow at 3pm EST' as Tuesday, November 24, 2026 at 3:00 PM, but not 'est'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
    c(1, "tomorrow at 2:30am", "2026-03-08 02:30", [says("2:30 AM doesn't exist on Sunday, March 8 in New York time because the clocks move forward that night; please pick another time."), at("2026-03-07T21:00:00Z"), at("2026-03-07T13:30:00Z")]),
    c(1, "tomorrow at 2:30", "2026-03-08 14:30", [at("2026-03-08T18:30:00Z"), at("2026-03-08T09:00:00Z"), at("2026-03-08T01:30:00Z")]),
    c(1, "tomorrow at 3am", "2026-03-08 03:00", [at("2026-03-08T07:00:00Z"), at("2026-03-07T21:30:00Z"), at("2026-03-07T14:00:00Z")]),
    c(1, "tomorrow at 1:30am", "2026-03-08 01:30", [at("2026-03-08T06:30:00Z"), at("2026-03-07T20:00:00Z"), at("2026-03-07T12:30:00Z")]),
    c(1, "tomorrow at 9", "2026-03-08 09:00", [at("2026-03-08T13:00:00Z"), at("2026-03-08T03:30:00Z"), at("2026-03-07T20:00:00Z")]),
    c(1, "sunday at 10am", "2026-03-08 10:00", [at("2026-03-08T14:00:00Z"), at("2026-03-08T04:30:00Z"), at("2026-03-07T21:00:00Z")]),
    c(1, "midnight tomorrow", "2026-03-08 00:00", [at("2026-03-08T05:00:00Z"), at("2026-03-07T18:30:00Z"), at("2026-03-07T11:00:00Z")]),
    c(1, "March 8 at 2:15am", "2026-03-08 02:15", [says("2:15 AM doesn't exist on Sunday, March 8 in New York time because the clocks move forward that night; please pick another time."), at("2026-03-07T20:45:00Z"), at("2026-03-07T13:15:00Z")]),
    c(1, "in 1 day at 3pm", "2026-03-08 15:00", [at("2026-03-08T19:00:00Z"), at("2026-03-08T09:30:00Z"), at("2026-03-08T02:00:00Z")]),
    c(1, "monday at noon", "2026-03-09 12:00", [at("2026-03-09T16:00:00Z"), at("2026-03-09T06:30:00Z"), at("2026-03-08T23:00:00Z")]),
    c(1, "13/3 at 9am", "2026-03-13 09:00", [at("2026-03-13T13:00:00Z"), at("2026-03-13T03:30:00Z"), at("2026-03-12T20:00:00Z")]),
    c(1, "today at 4pm", "2026-03-07 16:00", [at("2026-03-07T21:00:00Z"), at("2026-03-07T10:30:00Z"), at("2026-03-07T03:00:00Z")]),
    reply(1, "3/8 at 9am", "'3/8 at 9am' could mean Sunday, March 8, 2026 or Monday, August 3, 2026. Which one did the caller mean?"),
    c(2, "tomorrow at 2:30am", "2026-09-27 02:30", [at("2026-09-27T06:30:00Z"), at("2026-09-26T21:00:00Z"), says("2:30 AM doesn't exist on Sunday, September 27 in Auckland time because the clocks move forward that night; please pick another time.")]),
    c(2, "tomorrow at 3am", "2026-09-27 03:00", [at("2026-09-27T07:00:00Z"), at("2026-09-26T21:30:00Z"), at("2026-09-26T14:00:00Z")]),
    c(2, "tomorrow at 1:59am", "2026-09-27 01:59", [at("2026-09-27T05:59:00Z"), at("2026-09-26T20:29:00Z"), at("2026-09-26T13:59:00Z")]),
    c(2, "tomorrow at 10am", "2026-09-27 10:00", [at("2026-09-27T14:00:00Z"), at("2026-09-27T04:30:00Z"), at("2026-09-26T21:00:00Z")]),
    c(2, "sunday at 2 am", "2026-09-27 02:00", [at("2026-09-27T06:00:00Z"), at("2026-09-26T20:30:00Z"), says("2:00 AM doesn't exist on Sunday, September 27 in Auckland time because the clocks move forward that night; please pick another time.")]),
    c(2, "next saturday at 9", "2026-10-03 09:00", [at("2026-10-03T13:00:00Z"), at("2026-10-03T03:30:00Z"), at("2026-10-02T20:00:00Z")]),
    c(3, "tomorrow at 2:30am", "2026-04-05 02:30", [at("2026-04-05T06:30:00Z"), at("2026-04-04T21:00:00Z"), at("2026-04-04T13:30:00Z")]),
    c(3, "tomorrow at 3am", "2026-04-05 03:00", [at("2026-04-05T07:00:00Z"), at("2026-04-04T21:30:00Z"), at("2026-04-04T15:00:00Z")]),
    c(3, "tomorrow at 1:30am", "2026-04-05 01:30", [at("2026-04-05T05:30:00Z"), at("2026-04-04T20:00:00Z"), at("2026-04-04T12:30:00Z")]),
    c(3, "April 5 at 2:15am", "2026-04-05 02:15", [at("2026-04-05T06:15:00Z"), at("2026-04-04T20:45:00Z"), at("2026-04-04T13:15:00Z")]),
    c(3, "tomorrow at 9", "2026-04-05 09:00", [at("2026-04-05T13:00:00Z"), at("2026-04-05T03:30:00Z"), at("2026-04-04T21:00:00Z")]),
    c(4, "tomorrow at 1:30am", "2026-11-01 01:30", [at("2026-11-01T05:30:00Z"), at("2026-10-31T20:00:00Z"), at("2026-10-31T12:30:00Z")]),
    c(4, "tomorrow at 9", "2026-11-01 09:00", [at("2026-11-01T14:00:00Z"), at("2026-11-01T03:30:00Z"), at("2026-10-31T20:00:00Z")]),
    c(4, "November 1 at 1am", "2026-11-01 01:00", [at("2026-11-01T05:00:00Z"), at("2026-10-31T19:30:00Z"), at("2026-10-31T12:00:00Z")]),
    c(4, "sunday at 2am", "2026-11-01 02:00", [at("2026-11-01T07:00:00Z"), at("2026-10-31T20:30:00Z"), at("2026-10-31T13:00:00Z")]),
    c(5, "tomorrow at 10am", "2027-01-01 10:00", [at("2027-01-01T15:00:00Z"), at("2027-01-01T04:30:00Z"), at("2026-12-31T21:00:00Z")]),
    c(5, "January 2 at 9", "2027-01-02 09:00", [at("2027-01-02T14:00:00Z"), at("2027-01-02T03:30:00Z"), at("2027-01-01T20:00:00Z")]),
    c(5, "Dec 31 at 5pm", "2026-12-31 17:00", [at("2026-12-31T22:00:00Z"), at("2026-12-31T11:30:00Z"), at("2026-12-31T04:00:00Z")]),
    c(5, "December 30 at 5pm", "2027-12-30 17:00", [at("2027-12-30T22:00:00Z"), at("2027-12-30T11:30:00Z"), at("2027-12-30T04:00:00Z")]),
    c(5, "next friday at 3", "2027-01-01 15:00", [at("2027-01-01T20:00:00Z"), at("2027-01-01T09:30:00Z"), at("2027-01-01T02:00:00Z")]),
    c(5, "the 1st at noon", "2027-01-01 12:00", [at("2027-01-01T17:00:00Z"), at("2027-01-01T06:30:00Z"), at("2026-12-31T23:00:00Z")]),
    c(5, "in 2 days at 3pm", "2027-01-02 15:00", [at("2027-01-02T20:00:00Z"), at("2027-01-02T09:30:00Z"), at("2027-01-02T02:00:00Z")]),
    c(5, "midnight", "2026-12-31 00:00", [at("2026-12-31T05:00:00Z"), at("2026-12-30T18:30:00Z"), at("2026-12-30T11:00:00Z")]),
    c(5, "tonight at 11:30", "2026-12-31 23:30", [at("2027-01-01T04:30:00Z"), at("2026-12-31T18:00:00Z"), at("2026-12-31T10:30:00Z")]),
    c(5, "2027-01-01 09:00", "2027-01-01 09:00", [at("2027-01-01T14:00:00Z"), at("2027-01-01T03:30:00Z"), at("2026-12-31T20:00:00Z")]),
    reply(5, "1/2 at 10am", "'1/2 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?"),
    reply(5, "new year's day at 10", "I understood 'new year's day at 10' as 10:00 AM, but not 'new year's day'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."),
];
