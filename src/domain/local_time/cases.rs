//! The table the time grammar is measured and tested on: what callers say, and the exact answer
//! expected in each of three zones with the clock pinned.
//!
//! Each case gives the UTC instant expected in New York, Kolkata and Auckland, or the exact
//! sentence (a question or a refusal) the caller should hear. The instants were worked out
//! independently of chrono-tz (from the IANA rules via another implementation), so a zone rule
//! mistake in the code cannot hide in the expectations. Plain data with no crate imports, so a
//! comparison with another parser can include it as it is.

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

/// Every case.
pub const CASES: &[Case] = &[
    Case {
        scenario: 0,
        input: "tomorrow at 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3 pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3pm tomorrow",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3 pm tomorrow",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 9",
        local: "2026-11-24 09:00",
        expect: [
            Expect::At("2026-11-24T14:00:00Z"),
            Expect::At("2026-11-24T03:30:00Z"),
            Expect::At("2026-11-23T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 12",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "noon tomorrow",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at noon",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow midday",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "midnight tomorrow",
        local: "2026-11-24 00:00",
        expect: [
            Expect::At("2026-11-24T05:00:00Z"),
            Expect::At("2026-11-23T18:30:00Z"),
            Expect::At("2026-11-23T11:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3:30",
        local: "2026-11-24 15:30",
        expect: [
            Expect::At("2026-11-24T20:30:00Z"),
            Expect::At("2026-11-24T10:00:00Z"),
            Expect::At("2026-11-24T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 15:30",
        local: "2026-11-24 15:30",
        expect: [
            Expect::At("2026-11-24T20:30:00Z"),
            Expect::At("2026-11-24T10:00:00Z"),
            Expect::At("2026-11-24T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 09:30",
        local: "2026-11-24 09:30",
        expect: [
            Expect::At("2026-11-24T14:30:00Z"),
            Expect::At("2026-11-24T04:00:00Z"),
            Expect::At("2026-11-23T20:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 7:45",
        local: "2026-11-24 07:45",
        expect: [
            Expect::At("2026-11-24T12:45:00Z"),
            Expect::At("2026-11-24T02:15:00Z"),
            Expect::At("2026-11-23T18:45:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 6",
        local: "2026-11-24 18:00",
        expect: [
            Expect::At("2026-11-24T23:00:00Z"),
            Expect::At("2026-11-24T12:30:00Z"),
            Expect::At("2026-11-24T05:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 11",
        local: "2026-11-24 11:00",
        expect: [
            Expect::At("2026-11-24T16:00:00Z"),
            Expect::At("2026-11-24T05:30:00Z"),
            Expect::At("2026-11-23T22:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3 o'clock",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 10 o'clock",
        local: "2026-11-24 10:00",
        expect: [
            Expect::At("2026-11-24T15:00:00Z"),
            Expect::At("2026-11-24T04:30:00Z"),
            Expect::At("2026-11-23T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "half past 3 tomorrow",
        local: "2026-11-24 15:30",
        expect: [
            Expect::At("2026-11-24T20:30:00Z"),
            Expect::At("2026-11-24T10:00:00Z"),
            Expect::At("2026-11-24T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at quarter past 3",
        local: "2026-11-24 15:15",
        expect: [
            Expect::At("2026-11-24T20:15:00Z"),
            Expect::At("2026-11-24T09:45:00Z"),
            Expect::At("2026-11-24T02:15:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at quarter to 3",
        local: "2026-11-24 14:45",
        expect: [
            Expect::At("2026-11-24T19:45:00Z"),
            Expect::At("2026-11-24T09:15:00Z"),
            Expect::At("2026-11-24T01:45:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at quarter to 12",
        local: "2026-11-24 11:45",
        expect: [
            Expect::At("2026-11-24T16:45:00Z"),
            Expect::At("2026-11-24T06:15:00Z"),
            Expect::At("2026-11-23T22:45:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 10 past 9",
        local: "2026-11-24 09:10",
        expect: [
            Expect::At("2026-11-24T14:10:00Z"),
            Expect::At("2026-11-24T03:40:00Z"),
            Expect::At("2026-11-23T20:10:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3:30pm",
        local: "2026-11-24 15:30",
        expect: [
            Expect::At("2026-11-24T20:30:00Z"),
            Expect::At("2026-11-24T10:00:00Z"),
            Expect::At("2026-11-24T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3.30pm",
        local: "2026-11-24 15:30",
        expect: [
            Expect::At("2026-11-24T20:30:00Z"),
            Expect::At("2026-11-24T10:00:00Z"),
            Expect::At("2026-11-24T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3 p.m.",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 9 a.m.",
        local: "2026-11-24 09:00",
        expect: [
            Expect::At("2026-11-24T14:00:00Z"),
            Expect::At("2026-11-24T03:30:00Z"),
            Expect::At("2026-11-23T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Tomorrow at 3PM",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow, 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow morning at 9",
        local: "2026-11-24 09:00",
        expect: [
            Expect::At("2026-11-24T14:00:00Z"),
            Expect::At("2026-11-24T03:30:00Z"),
            Expect::At("2026-11-23T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 9 in the morning",
        local: "2026-11-24 09:00",
        expect: [
            Expect::At("2026-11-24T14:00:00Z"),
            Expect::At("2026-11-24T03:30:00Z"),
            Expect::At("2026-11-23T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 8 in the evening",
        local: "2026-11-24 20:00",
        expect: [
            Expect::At("2026-11-25T01:00:00Z"),
            Expect::At("2026-11-24T14:30:00Z"),
            Expect::At("2026-11-24T07:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow evening at 7",
        local: "2026-11-24 19:00",
        expect: [
            Expect::At("2026-11-25T00:00:00Z"),
            Expect::At("2026-11-24T13:30:00Z"),
            Expect::At("2026-11-24T06:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow afternoon at 2",
        local: "2026-11-24 14:00",
        expect: [
            Expect::At("2026-11-24T19:00:00Z"),
            Expect::At("2026-11-24T08:30:00Z"),
            Expect::At("2026-11-24T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the day after tomorrow at 10",
        local: "2026-11-25 10:00",
        expect: [
            Expect::At("2026-11-25T15:00:00Z"),
            Expect::At("2026-11-25T04:30:00Z"),
            Expect::At("2026-11-24T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "day after tomorrow at 2pm",
        local: "2026-11-25 14:00",
        expect: [
            Expect::At("2026-11-25T19:00:00Z"),
            Expect::At("2026-11-25T08:30:00Z"),
            Expect::At("2026-11-25T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Wednesday 4:30pm",
        local: "2026-11-25 16:30",
        expect: [
            Expect::At("2026-11-25T21:30:00Z"),
            Expect::At("2026-11-25T11:00:00Z"),
            Expect::At("2026-11-25T03:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "wednesday at 4:30",
        local: "2026-11-25 16:30",
        expect: [
            Expect::At("2026-11-25T21:30:00Z"),
            Expect::At("2026-11-25T11:00:00Z"),
            Expect::At("2026-11-25T03:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "on Wednesday at 10am",
        local: "2026-11-25 10:00",
        expect: [
            Expect::At("2026-11-25T15:00:00Z"),
            Expect::At("2026-11-25T04:30:00Z"),
            Expect::At("2026-11-24T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "next wednesday at 10am",
        local: "2026-11-25 10:00",
        expect: [
            Expect::At("2026-11-25T15:00:00Z"),
            Expect::At("2026-11-25T04:30:00Z"),
            Expect::At("2026-11-24T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "this wednesday at 10am",
        local: "2026-11-25 10:00",
        expect: [
            Expect::At("2026-11-25T15:00:00Z"),
            Expect::At("2026-11-25T04:30:00Z"),
            Expect::At("2026-11-24T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "monday at 3pm",
        local: "2026-11-23 15:00",
        expect: [
            Expect::At("2026-11-23T20:00:00Z"),
            Expect::At("2026-11-23T09:30:00Z"),
            Expect::At("2026-11-23T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "next monday at 3pm",
        local: "2026-11-30 15:00",
        expect: [
            Expect::At("2026-11-30T20:00:00Z"),
            Expect::At("2026-11-30T09:30:00Z"),
            Expect::At("2026-11-30T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "this monday at 3pm",
        local: "2026-11-23 15:00",
        expect: [
            Expect::At("2026-11-23T20:00:00Z"),
            Expect::At("2026-11-23T09:30:00Z"),
            Expect::At("2026-11-23T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "sunday at 11am",
        local: "2026-11-29 11:00",
        expect: [
            Expect::At("2026-11-29T16:00:00Z"),
            Expect::At("2026-11-29T05:30:00Z"),
            Expect::At("2026-11-28T22:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "next sunday 11am",
        local: "2026-11-29 11:00",
        expect: [
            Expect::At("2026-11-29T16:00:00Z"),
            Expect::At("2026-11-29T05:30:00Z"),
            Expect::At("2026-11-28T22:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "fri 2pm",
        local: "2026-11-27 14:00",
        expect: [
            Expect::At("2026-11-27T19:00:00Z"),
            Expect::At("2026-11-27T08:30:00Z"),
            Expect::At("2026-11-27T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tues at 9:30am",
        local: "2026-11-24 09:30",
        expect: [
            Expect::At("2026-11-24T14:30:00Z"),
            Expect::At("2026-11-24T04:00:00Z"),
            Expect::At("2026-11-23T20:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "thurs at 1",
        local: "2026-11-26 13:00",
        expect: [
            Expect::At("2026-11-26T18:00:00Z"),
            Expect::At("2026-11-26T07:30:00Z"),
            Expect::At("2026-11-26T00:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Saturday at noon",
        local: "2026-11-28 12:00",
        expect: [
            Expect::At("2026-11-28T17:00:00Z"),
            Expect::At("2026-11-28T06:30:00Z"),
            Expect::At("2026-11-27T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-25 at 10:30",
        local: "2026-11-25 10:30",
        expect: [
            Expect::At("2026-11-25T15:30:00Z"),
            Expect::At("2026-11-25T05:00:00Z"),
            Expect::At("2026-11-24T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-25 10:30",
        local: "2026-11-25 10:30",
        expect: [
            Expect::At("2026-11-25T15:30:00Z"),
            Expect::At("2026-11-25T05:00:00Z"),
            Expect::At("2026-11-24T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-25T15:00",
        local: "2026-11-25 15:00",
        expect: [
            Expect::At("2026-11-25T20:00:00Z"),
            Expect::At("2026-11-25T09:30:00Z"),
            Expect::At("2026-11-25T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-25 3pm",
        local: "2026-11-25 15:00",
        expect: [
            Expect::At("2026-11-25T20:00:00Z"),
            Expect::At("2026-11-25T09:30:00Z"),
            Expect::At("2026-11-25T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3pm on 2026-11-25",
        local: "2026-11-25 15:00",
        expect: [
            Expect::At("2026-11-25T20:00:00Z"),
            Expect::At("2026-11-25T09:30:00Z"),
            Expect::At("2026-11-25T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "December 3 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Dec 3 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Dec 3rd at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "December 3rd 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 3rd of December at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3 December 2026 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3 December at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "December 3, 2026 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2pm on December 3",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "at 2 on December 3rd",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "December the 3rd at 2",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Thursday December 3 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Thursday, December 3rd at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 3rd at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 30th at 10am",
        local: "2026-11-30 10:00",
        expect: [
            Expect::At("2026-11-30T15:00:00Z"),
            Expect::At("2026-11-30T04:30:00Z"),
            Expect::At("2026-11-29T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 23rd at 5pm",
        local: "2026-11-23 17:00",
        expect: [
            Expect::At("2026-11-23T22:00:00Z"),
            Expect::At("2026-11-23T11:30:00Z"),
            Expect::At("2026-11-23T04:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 22nd at 5pm",
        local: "2026-12-22 17:00",
        expect: [
            Expect::At("2026-12-22T22:00:00Z"),
            Expect::At("2026-12-22T11:30:00Z"),
            Expect::At("2026-12-22T04:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 31st at 9am",
        local: "2026-12-31 09:00",
        expect: [
            Expect::At("2026-12-31T14:00:00Z"),
            Expect::At("2026-12-31T03:30:00Z"),
            Expect::At("2026-12-30T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "January 5 at 10am",
        local: "2027-01-05 10:00",
        expect: [
            Expect::At("2027-01-05T15:00:00Z"),
            Expect::At("2027-01-05T04:30:00Z"),
            Expect::At("2027-01-04T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Jan 5th at 10am",
        local: "2027-01-05 10:00",
        expect: [
            Expect::At("2027-01-05T15:00:00Z"),
            Expect::At("2027-01-05T04:30:00Z"),
            Expect::At("2027-01-04T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "November 20 at 10am",
        local: "2027-11-20 10:00",
        expect: [
            Expect::At("2027-11-20T15:00:00Z"),
            Expect::At("2027-11-20T04:30:00Z"),
            Expect::At("2027-11-19T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "November 23 at 4pm",
        local: "2026-11-23 16:00",
        expect: [
            Expect::At("2026-11-23T21:00:00Z"),
            Expect::At("2026-11-23T10:30:00Z"),
            Expect::At("2026-11-23T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "February 29 at 10am",
        local: "2028-02-29 10:00",
        expect: [
            Expect::At("2028-02-29T15:00:00Z"),
            Expect::At("2028-02-29T04:30:00Z"),
            Expect::At("2028-02-28T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "March 1 2027 at 9",
        local: "2027-03-01 09:00",
        expect: [
            Expect::At("2027-03-01T14:00:00Z"),
            Expect::At("2027-03-01T03:30:00Z"),
            Expect::At("2027-02-28T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "sept 15 at 11am",
        local: "2027-09-15 11:00",
        expect: [
            Expect::At("2027-09-15T15:00:00Z"),
            Expect::At("2027-09-15T05:30:00Z"),
            Expect::At("2027-09-14T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in 2 days at 9",
        local: "2026-11-25 09:00",
        expect: [
            Expect::At("2026-11-25T14:00:00Z"),
            Expect::At("2026-11-25T03:30:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in 3 days at 2pm",
        local: "2026-11-26 14:00",
        expect: [
            Expect::At("2026-11-26T19:00:00Z"),
            Expect::At("2026-11-26T08:30:00Z"),
            Expect::At("2026-11-26T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in a week at 10am",
        local: "2026-11-30 10:00",
        expect: [
            Expect::At("2026-11-30T15:00:00Z"),
            Expect::At("2026-11-30T04:30:00Z"),
            Expect::At("2026-11-29T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in 2 weeks at 10am",
        local: "2026-12-07 10:00",
        expect: [
            Expect::At("2026-12-07T15:00:00Z"),
            Expect::At("2026-12-07T04:30:00Z"),
            Expect::At("2026-12-06T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in two days at noon",
        local: "2026-11-25 12:00",
        expect: [
            Expect::At("2026-11-25T17:00:00Z"),
            Expect::At("2026-11-25T06:30:00Z"),
            Expect::At("2026-11-24T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in one week at 3",
        local: "2026-11-30 15:00",
        expect: [
            Expect::At("2026-11-30T20:00:00Z"),
            Expect::At("2026-11-30T09:30:00Z"),
            Expect::At("2026-11-30T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3pm",
        local: "2026-11-23 15:00",
        expect: [
            Expect::At("2026-11-23T20:00:00Z"),
            Expect::At("2026-11-23T09:30:00Z"),
            Expect::At("2026-11-23T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "at 3",
        local: "2026-11-23 15:00",
        expect: [
            Expect::At("2026-11-23T20:00:00Z"),
            Expect::At("2026-11-23T09:30:00Z"),
            Expect::At("2026-11-23T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "noon",
        local: "2026-11-23 12:00",
        expect: [
            Expect::At("2026-11-23T17:00:00Z"),
            Expect::At("2026-11-23T06:30:00Z"),
            Expect::At("2026-11-22T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "half past 10",
        local: "2026-11-23 10:30",
        expect: [
            Expect::At("2026-11-23T15:30:00Z"),
            Expect::At("2026-11-23T05:00:00Z"),
            Expect::At("2026-11-22T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tonight at 8",
        local: "2026-11-23 20:00",
        expect: [
            Expect::At("2026-11-24T01:00:00Z"),
            Expect::At("2026-11-23T14:30:00Z"),
            Expect::At("2026-11-23T07:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "12/03 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "03/12 at 2pm",
        local: "2026-12-03 14:00",
        expect: [
            Expect::At("2026-12-03T19:00:00Z"),
            Expect::At("2026-12-03T08:30:00Z"),
            Expect::At("2026-12-03T01:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "13/12 at 10am",
        local: "2026-12-13 10:00",
        expect: [
            Expect::At("2026-12-13T15:00:00Z"),
            Expect::At("2026-12-13T04:30:00Z"),
            Expect::At("2026-12-12T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "12/13 at 10am",
        local: "2026-12-13 10:00",
        expect: [
            Expect::At("2026-12-13T15:00:00Z"),
            Expect::At("2026-12-13T04:30:00Z"),
            Expect::At("2026-12-12T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "12/12 at 10am",
        local: "2026-12-12 10:00",
        expect: [
            Expect::At("2026-12-12T15:00:00Z"),
            Expect::At("2026-12-12T04:30:00Z"),
            Expect::At("2026-12-11T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "11/12 at 10am",
        local: "2026-12-11 10:00",
        expect: [
            Expect::At("2026-12-11T15:00:00Z"),
            Expect::At("2026-12-11T04:30:00Z"),
            Expect::At("2026-12-10T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "12/11 at 10am",
        local: "2026-12-11 10:00",
        expect: [
            Expect::At("2026-12-11T15:00:00Z"),
            Expect::At("2026-12-11T04:30:00Z"),
            Expect::At("2026-12-10T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "31/12/2026 at 9am",
        local: "2026-12-31 09:00",
        expect: [
            Expect::At("2026-12-31T14:00:00Z"),
            Expect::At("2026-12-31T03:30:00Z"),
            Expect::At("2026-12-30T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3:30 pm on the 1st",
        local: "2026-12-01 15:30",
        expect: [
            Expect::At("2026-12-01T20:30:00Z"),
            Expect::At("2026-12-01T10:00:00Z"),
            Expect::At("2026-12-01T02:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "quarter past noon tomorrow",
        local: "2026-11-24 12:15",
        expect: [
            Expect::At("2026-11-24T17:15:00Z"),
            Expect::At("2026-11-24T06:45:00Z"),
            Expect::At("2026-11-23T23:15:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "1st December at 9",
        local: "2026-12-01 09:00",
        expect: [
            Expect::At("2026-12-01T14:00:00Z"),
            Expect::At("2026-12-01T03:30:00Z"),
            Expect::At("2026-11-30T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Tuesday the 24th at 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 0:30",
        local: "2026-11-24 00:30",
        expect: [
            Expect::At("2026-11-24T05:30:00Z"),
            Expect::At("2026-11-23T19:00:00Z"),
            Expect::At("2026-11-23T11:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 00:00",
        local: "2026-11-24 00:00",
        expect: [
            Expect::At("2026-11-24T05:00:00Z"),
            Expect::At("2026-11-23T18:30:00Z"),
            Expect::At("2026-11-23T11:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 12am",
        local: "2026-11-24 00:00",
        expect: [
            Expect::At("2026-11-24T05:00:00Z"),
            Expect::At("2026-11-23T18:30:00Z"),
            Expect::At("2026-11-23T11:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 12pm",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 12:30",
        local: "2026-11-24 12:30",
        expect: [
            Expect::At("2026-11-24T17:30:00Z"),
            Expect::At("2026-11-24T07:00:00Z"),
            Expect::At("2026-11-23T23:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 5",
        local: "2026-11-24 17:00",
        expect: [
            Expect::At("2026-11-24T22:00:00Z"),
            Expect::At("2026-11-24T11:30:00Z"),
            Expect::At("2026-11-24T04:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 7",
        local: "2026-11-24 07:00",
        expect: [
            Expect::At("2026-11-24T12:00:00Z"),
            Expect::At("2026-11-24T01:30:00Z"),
            Expect::At("2026-11-23T18:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow 1",
        local: "2026-11-24 13:00",
        expect: [
            Expect::At("2026-11-24T18:00:00Z"),
            Expect::At("2026-11-24T07:30:00Z"),
            Expect::At("2026-11-24T00:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "at 4 tomorrow afternoon",
        local: "2026-11-24 16:00",
        expect: [
            Expect::At("2026-11-24T21:00:00Z"),
            Expect::At("2026-11-24T10:30:00Z"),
            Expect::At("2026-11-24T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at three",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at three pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "dec. 24 at 10",
        local: "2026-12-24 10:00",
        expect: [
            Expect::At("2026-12-24T15:00:00Z"),
            Expect::At("2026-12-24T04:30:00Z"),
            Expect::At("2026-12-23T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "24 dec at 10",
        local: "2026-12-24 10:00",
        expect: [
            Expect::At("2026-12-24T15:00:00Z"),
            Expect::At("2026-12-24T04:30:00Z"),
            Expect::At("2026-12-23T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "next friday at 4pm",
        local: "2026-11-27 16:00",
        expect: [
            Expect::At("2026-11-27T21:00:00Z"),
            Expect::At("2026-11-27T10:30:00Z"),
            Expect::At("2026-11-27T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "coming friday at 4pm",
        local: "2026-11-27 16:00",
        expect: [
            Expect::At("2026-11-27T21:00:00Z"),
            Expect::At("2026-11-27T10:30:00Z"),
            Expect::At("2026-11-27T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow @ 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Tomorrow At Noon",
        local: "2026-11-24 12:00",
        expect: [
            Expect::At("2026-11-24T17:00:00Z"),
            Expect::At("2026-11-24T06:30:00Z"),
            Expect::At("2026-11-23T23:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in 10 days at 11",
        local: "2026-12-03 11:00",
        expect: [
            Expect::At("2026-12-03T16:00:00Z"),
            Expect::At("2026-12-03T05:30:00Z"),
            Expect::At("2026-12-02T22:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "3rd December 10:30am",
        local: "2026-12-03 10:30",
        expect: [
            Expect::At("2026-12-03T15:30:00Z"),
            Expect::At("2026-12-03T05:00:00Z"),
            Expect::At("2026-12-02T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "december 3 at 10:30am",
        local: "2026-12-03 10:30",
        expect: [
            Expect::At("2026-12-03T15:30:00Z"),
            Expect::At("2026-12-03T05:00:00Z"),
            Expect::At("2026-12-02T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 10:30 am",
        local: "2026-11-24 10:30",
        expect: [
            Expect::At("2026-11-24T15:30:00Z"),
            Expect::At("2026-11-24T05:00:00Z"),
            Expect::At("2026-11-23T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 10:30am.",
        local: "2026-11-24 10:30",
        expect: [
            Expect::At("2026-11-24T15:30:00Z"),
            Expect::At("2026-11-24T05:00:00Z"),
            Expect::At("2026-11-23T21:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at half past twelve",
        local: "2026-11-24 12:30",
        expect: [
            Expect::At("2026-11-24T17:30:00Z"),
            Expect::At("2026-11-24T07:00:00Z"),
            Expect::At("2026-11-23T23:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Wed, Nov 25 at 9:15am",
        local: "2026-11-25 09:15",
        expect: [
            Expect::At("2026-11-25T14:15:00Z"),
            Expect::At("2026-11-25T03:45:00Z"),
            Expect::At("2026-11-24T20:15:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "friday the 27th at 11",
        local: "2026-11-27 11:00",
        expect: [
            Expect::At("2026-11-27T16:00:00Z"),
            Expect::At("2026-11-27T05:30:00Z"),
            Expect::At("2026-11-26T22:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "at 2:45 on friday",
        local: "2026-11-27 14:45",
        expect: [
            Expect::At("2026-11-27T19:45:00Z"),
            Expect::At("2026-11-27T09:15:00Z"),
            Expect::At("2026-11-27T01:45:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 20 to 4",
        local: "2026-11-24 15:40",
        expect: [
            Expect::At("2026-11-24T20:40:00Z"),
            Expect::At("2026-11-24T10:10:00Z"),
            Expect::At("2026-11-24T02:40:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 4:00 PM",
        local: "2026-11-24 16:00",
        expect: [
            Expect::At("2026-11-24T21:00:00Z"),
            Expect::At("2026-11-24T10:30:00Z"),
            Expect::At("2026-11-24T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 16:00",
        local: "2026-11-24 16:00",
        expect: [
            Expect::At("2026-11-24T21:00:00Z"),
            Expect::At("2026-11-24T10:30:00Z"),
            Expect::At("2026-11-24T03:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 8:05pm",
        local: "2026-11-24 20:05",
        expect: [
            Expect::At("2026-11-25T01:05:00Z"),
            Expect::At("2026-11-24T14:35:00Z"),
            Expect::At("2026-11-24T07:05:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "Dec 1 at 9",
        local: "2026-12-01 09:00",
        expect: [
            Expect::At("2026-12-01T14:00:00Z"),
            Expect::At("2026-12-01T03:30:00Z"),
            Expect::At("2026-11-30T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "1 dec 9am",
        local: "2026-12-01 09:00",
        expect: [
            Expect::At("2026-12-01T14:00:00Z"),
            Expect::At("2026-12-01T03:30:00Z"),
            Expect::At("2026-11-30T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "next tuesday at 9:30 am",
        local: "2026-11-24 09:30",
        expect: [
            Expect::At("2026-11-24T14:30:00Z"),
            Expect::At("2026-11-24T04:00:00Z"),
            Expect::At("2026-11-23T20:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tuesday 3pm",
        local: "2026-11-24 15:00",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T09:30:00Z"),
            Expect::At("2026-11-24T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "wednesday at 11:30 in the morning",
        local: "2026-11-25 11:30",
        expect: [
            Expect::At("2026-11-25T16:30:00Z"),
            Expect::At("2026-11-25T06:00:00Z"),
            Expect::At("2026-11-24T22:30:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "thursday afternoon at 3",
        local: "2026-11-26 15:00",
        expect: [
            Expect::At("2026-11-26T20:00:00Z"),
            Expect::At("2026-11-26T09:30:00Z"),
            Expect::At("2026-11-26T02:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "friday evening at 6",
        local: "2026-11-27 18:00",
        expect: [
            Expect::At("2026-11-27T23:00:00Z"),
            Expect::At("2026-11-27T12:30:00Z"),
            Expect::At("2026-11-27T05:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "the 1st of January at 9",
        local: "2027-01-01 09:00",
        expect: [
            Expect::At("2027-01-01T14:00:00Z"),
            Expect::At("2027-01-01T03:30:00Z"),
            Expect::At("2026-12-31T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "January 1st 2027 at 9",
        local: "2027-01-01 09:00",
        expect: [
            Expect::At("2027-01-01T14:00:00Z"),
            Expect::At("2027-01-01T03:30:00Z"),
            Expect::At("2026-12-31T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "in 1 day at 10",
        local: "2026-11-24 10:00",
        expect: [
            Expect::At("2026-11-24T15:00:00Z"),
            Expect::At("2026-11-24T04:30:00Z"),
            Expect::At("2026-11-23T21:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 11:59pm",
        local: "2026-11-24 23:59",
        expect: [
            Expect::At("2026-11-25T04:59:00Z"),
            Expect::At("2026-11-24T18:29:00Z"),
            Expect::At("2026-11-24T10:59:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-24T15:00:00-05:00",
        local: "(instant)",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-24T20:00Z",
        local: "(instant)",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "2026-11-24T20:00:00Z",
        local: "(instant)",
        expect: [
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
            Expect::At("2026-11-24T20:00:00Z"),
        ],
    },
    Case {
        scenario: 0,
        input: "12/03/2027 at 2pm",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "'12/03/2027 at 2pm' could mean Friday, March 12, 2027 or Friday, December 3, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'12/03/2027 at 2pm' could mean Friday, March 12, 2027 or Friday, December 3, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'12/03/2027 at 2pm' could mean Friday, March 12, 2027 or Friday, December 3, 2027. Which one did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "1/2/2027 at 10am",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "'1/2/2027 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'1/2/2027 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'1/2/2027 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "5/6 at 3pm",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "'5/6 at 3pm' could mean Thursday, May 6, 2027 or Saturday, June 5, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'5/6 at 3pm' could mean Thursday, May 6, 2027 or Saturday, June 5, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'5/6 at 3pm' could mean Thursday, May 6, 2027 or Saturday, June 5, 2027. Which one did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "2/30 at 10am",
        local: "(question or refusal)",
        expect: [
            Expect::Says("There is no 2/30. Please check the date."),
            Expect::Says("There is no 2/30. Please check the date."),
            Expect::Says("There is no 2/30. Please check the date."),
        ],
    },
    Case {
        scenario: 0,
        input: "February 30 at 10am",
        local: "(question or refusal)",
        expect: [
            Expect::Says("There is no February 30. Please check the date."),
            Expect::Says("There is no February 30. Please check the date."),
            Expect::Says("There is no February 30. Please check the date."),
        ],
    },
    Case {
        scenario: 0,
        input: "Friday December 3 at 2pm",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "Thursday, December 3, 2026 is not a Friday. Which day did the caller mean?",
            ),
            Expect::Says(
                "Thursday, December 3, 2026 is not a Friday. Which day did the caller mean?",
            ),
            Expect::Says(
                "Thursday, December 3, 2026 is not a Friday. Which day did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "someday",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I couldn't understand 'someday' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand 'someday' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand 'someday' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "December",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I couldn't understand 'December' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand 'December' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand 'December' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I couldn't understand '' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand '' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I couldn't understand '' as a date and time. Please say it like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'tomorrow' as Tuesday, November 24, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow' as Tuesday, November 24, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow' as Tuesday, November 24, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "monday",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'monday' as Monday, November 23, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'monday' as Monday, November 23, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'monday' as Monday, November 23, 2026, but not the time of day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3 with Dr Smith",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'tomorrow at 3 with Dr Smith' as Tuesday, November 24, 2026 at 3:00 PM, but not 'with dr smith'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow at 3 with Dr Smith' as Tuesday, November 24, 2026 at 3:00 PM, but not 'with dr smith'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow at 3 with Dr Smith' as Tuesday, November 24, 2026 at 3:00 PM, but not 'with dr smith'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "next week at 3pm",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'next week at 3pm' as Monday, November 30, 2026 to Sunday, December 6, 2026 at 3:00 PM, but not which day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'next week at 3pm' as Monday, November 30, 2026 to Sunday, December 6, 2026 at 3:00 PM, but not which day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'next week at 3pm' as Monday, November 30, 2026 to Sunday, December 6, 2026 at 3:00 PM, but not which day. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "25:00 tomorrow",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood '25:00 tomorrow' as Tuesday, November 24, 2026, but not '25:00'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood '25:00 tomorrow' as Tuesday, November 24, 2026, but not '25:00'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood '25:00 tomorrow' as Tuesday, November 24, 2026, but not '25:00'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "next blursday at 3",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'next blursday at 3' as 3:00 PM, but not 'next blursday'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'next blursday at 3' as 3:00 PM, but not 'next blursday'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'next blursday at 3' as 3:00 PM, but not 'next blursday'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 0,
        input: "tomorrow at 3pm EST",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'tomorrow at 3pm EST' as Tuesday, November 24, 2026 at 3:00 PM, but not 'est'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow at 3pm EST' as Tuesday, November 24, 2026 at 3:00 PM, but not 'est'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'tomorrow at 3pm EST' as Tuesday, November 24, 2026 at 3:00 PM, but not 'est'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
    Case {
        scenario: 1,
        input: "tomorrow at 2:30am",
        local: "2026-03-08 02:30",
        expect: [
            Expect::Says(
                "2:30 AM doesn't exist on Sunday, March 8 in New York time because the clocks move forward that night; please pick another time.",
            ),
            Expect::At("2026-03-07T21:00:00Z"),
            Expect::At("2026-03-07T13:30:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "tomorrow at 2:30",
        local: "2026-03-08 14:30",
        expect: [
            Expect::At("2026-03-08T18:30:00Z"),
            Expect::At("2026-03-08T09:00:00Z"),
            Expect::At("2026-03-08T01:30:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "tomorrow at 3am",
        local: "2026-03-08 03:00",
        expect: [
            Expect::At("2026-03-08T07:00:00Z"),
            Expect::At("2026-03-07T21:30:00Z"),
            Expect::At("2026-03-07T14:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "tomorrow at 1:30am",
        local: "2026-03-08 01:30",
        expect: [
            Expect::At("2026-03-08T06:30:00Z"),
            Expect::At("2026-03-07T20:00:00Z"),
            Expect::At("2026-03-07T12:30:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "tomorrow at 9",
        local: "2026-03-08 09:00",
        expect: [
            Expect::At("2026-03-08T13:00:00Z"),
            Expect::At("2026-03-08T03:30:00Z"),
            Expect::At("2026-03-07T20:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "sunday at 10am",
        local: "2026-03-08 10:00",
        expect: [
            Expect::At("2026-03-08T14:00:00Z"),
            Expect::At("2026-03-08T04:30:00Z"),
            Expect::At("2026-03-07T21:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "midnight tomorrow",
        local: "2026-03-08 00:00",
        expect: [
            Expect::At("2026-03-08T05:00:00Z"),
            Expect::At("2026-03-07T18:30:00Z"),
            Expect::At("2026-03-07T11:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "March 8 at 2:15am",
        local: "2026-03-08 02:15",
        expect: [
            Expect::Says(
                "2:15 AM doesn't exist on Sunday, March 8 in New York time because the clocks move forward that night; please pick another time.",
            ),
            Expect::At("2026-03-07T20:45:00Z"),
            Expect::At("2026-03-07T13:15:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "in 1 day at 3pm",
        local: "2026-03-08 15:00",
        expect: [
            Expect::At("2026-03-08T19:00:00Z"),
            Expect::At("2026-03-08T09:30:00Z"),
            Expect::At("2026-03-08T02:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "monday at noon",
        local: "2026-03-09 12:00",
        expect: [
            Expect::At("2026-03-09T16:00:00Z"),
            Expect::At("2026-03-09T06:30:00Z"),
            Expect::At("2026-03-08T23:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "13/3 at 9am",
        local: "2026-03-13 09:00",
        expect: [
            Expect::At("2026-03-13T13:00:00Z"),
            Expect::At("2026-03-13T03:30:00Z"),
            Expect::At("2026-03-12T20:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "today at 4pm",
        local: "2026-03-07 16:00",
        expect: [
            Expect::At("2026-03-07T21:00:00Z"),
            Expect::At("2026-03-07T10:30:00Z"),
            Expect::At("2026-03-07T03:00:00Z"),
        ],
    },
    Case {
        scenario: 1,
        input: "3/8 at 9am",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "'3/8 at 9am' could mean Sunday, March 8, 2026 or Monday, August 3, 2026. Which one did the caller mean?",
            ),
            Expect::Says(
                "'3/8 at 9am' could mean Sunday, March 8, 2026 or Monday, August 3, 2026. Which one did the caller mean?",
            ),
            Expect::Says(
                "'3/8 at 9am' could mean Sunday, March 8, 2026 or Monday, August 3, 2026. Which one did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 2,
        input: "tomorrow at 2:30am",
        local: "2026-09-27 02:30",
        expect: [
            Expect::At("2026-09-27T06:30:00Z"),
            Expect::At("2026-09-26T21:00:00Z"),
            Expect::Says(
                "2:30 AM doesn't exist on Sunday, September 27 in Auckland time because the clocks move forward that night; please pick another time.",
            ),
        ],
    },
    Case {
        scenario: 2,
        input: "tomorrow at 3am",
        local: "2026-09-27 03:00",
        expect: [
            Expect::At("2026-09-27T07:00:00Z"),
            Expect::At("2026-09-26T21:30:00Z"),
            Expect::At("2026-09-26T14:00:00Z"),
        ],
    },
    Case {
        scenario: 2,
        input: "tomorrow at 1:59am",
        local: "2026-09-27 01:59",
        expect: [
            Expect::At("2026-09-27T05:59:00Z"),
            Expect::At("2026-09-26T20:29:00Z"),
            Expect::At("2026-09-26T13:59:00Z"),
        ],
    },
    Case {
        scenario: 2,
        input: "tomorrow at 10am",
        local: "2026-09-27 10:00",
        expect: [
            Expect::At("2026-09-27T14:00:00Z"),
            Expect::At("2026-09-27T04:30:00Z"),
            Expect::At("2026-09-26T21:00:00Z"),
        ],
    },
    Case {
        scenario: 2,
        input: "sunday at 2 am",
        local: "2026-09-27 02:00",
        expect: [
            Expect::At("2026-09-27T06:00:00Z"),
            Expect::At("2026-09-26T20:30:00Z"),
            Expect::Says(
                "2:00 AM doesn't exist on Sunday, September 27 in Auckland time because the clocks move forward that night; please pick another time.",
            ),
        ],
    },
    Case {
        scenario: 2,
        input: "next saturday at 9",
        local: "2026-10-03 09:00",
        expect: [
            Expect::At("2026-10-03T13:00:00Z"),
            Expect::At("2026-10-03T03:30:00Z"),
            Expect::At("2026-10-02T20:00:00Z"),
        ],
    },
    Case {
        scenario: 3,
        input: "tomorrow at 2:30am",
        local: "2026-04-05 02:30",
        expect: [
            Expect::At("2026-04-05T06:30:00Z"),
            Expect::At("2026-04-04T21:00:00Z"),
            Expect::At("2026-04-04T13:30:00Z"),
        ],
    },
    Case {
        scenario: 3,
        input: "tomorrow at 3am",
        local: "2026-04-05 03:00",
        expect: [
            Expect::At("2026-04-05T07:00:00Z"),
            Expect::At("2026-04-04T21:30:00Z"),
            Expect::At("2026-04-04T15:00:00Z"),
        ],
    },
    Case {
        scenario: 3,
        input: "tomorrow at 1:30am",
        local: "2026-04-05 01:30",
        expect: [
            Expect::At("2026-04-05T05:30:00Z"),
            Expect::At("2026-04-04T20:00:00Z"),
            Expect::At("2026-04-04T12:30:00Z"),
        ],
    },
    Case {
        scenario: 3,
        input: "April 5 at 2:15am",
        local: "2026-04-05 02:15",
        expect: [
            Expect::At("2026-04-05T06:15:00Z"),
            Expect::At("2026-04-04T20:45:00Z"),
            Expect::At("2026-04-04T13:15:00Z"),
        ],
    },
    Case {
        scenario: 3,
        input: "tomorrow at 9",
        local: "2026-04-05 09:00",
        expect: [
            Expect::At("2026-04-05T13:00:00Z"),
            Expect::At("2026-04-05T03:30:00Z"),
            Expect::At("2026-04-04T21:00:00Z"),
        ],
    },
    Case {
        scenario: 4,
        input: "tomorrow at 1:30am",
        local: "2026-11-01 01:30",
        expect: [
            Expect::At("2026-11-01T05:30:00Z"),
            Expect::At("2026-10-31T20:00:00Z"),
            Expect::At("2026-10-31T12:30:00Z"),
        ],
    },
    Case {
        scenario: 4,
        input: "tomorrow at 9",
        local: "2026-11-01 09:00",
        expect: [
            Expect::At("2026-11-01T14:00:00Z"),
            Expect::At("2026-11-01T03:30:00Z"),
            Expect::At("2026-10-31T20:00:00Z"),
        ],
    },
    Case {
        scenario: 4,
        input: "November 1 at 1am",
        local: "2026-11-01 01:00",
        expect: [
            Expect::At("2026-11-01T05:00:00Z"),
            Expect::At("2026-10-31T19:30:00Z"),
            Expect::At("2026-10-31T12:00:00Z"),
        ],
    },
    Case {
        scenario: 4,
        input: "sunday at 2am",
        local: "2026-11-01 02:00",
        expect: [
            Expect::At("2026-11-01T07:00:00Z"),
            Expect::At("2026-10-31T20:30:00Z"),
            Expect::At("2026-10-31T13:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "tomorrow at 10am",
        local: "2027-01-01 10:00",
        expect: [
            Expect::At("2027-01-01T15:00:00Z"),
            Expect::At("2027-01-01T04:30:00Z"),
            Expect::At("2026-12-31T21:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "January 2 at 9",
        local: "2027-01-02 09:00",
        expect: [
            Expect::At("2027-01-02T14:00:00Z"),
            Expect::At("2027-01-02T03:30:00Z"),
            Expect::At("2027-01-01T20:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "Dec 31 at 5pm",
        local: "2026-12-31 17:00",
        expect: [
            Expect::At("2026-12-31T22:00:00Z"),
            Expect::At("2026-12-31T11:30:00Z"),
            Expect::At("2026-12-31T04:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "December 30 at 5pm",
        local: "2027-12-30 17:00",
        expect: [
            Expect::At("2027-12-30T22:00:00Z"),
            Expect::At("2027-12-30T11:30:00Z"),
            Expect::At("2027-12-30T04:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "next friday at 3",
        local: "2027-01-01 15:00",
        expect: [
            Expect::At("2027-01-01T20:00:00Z"),
            Expect::At("2027-01-01T09:30:00Z"),
            Expect::At("2027-01-01T02:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "the 1st at noon",
        local: "2027-01-01 12:00",
        expect: [
            Expect::At("2027-01-01T17:00:00Z"),
            Expect::At("2027-01-01T06:30:00Z"),
            Expect::At("2026-12-31T23:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "in 2 days at 3pm",
        local: "2027-01-02 15:00",
        expect: [
            Expect::At("2027-01-02T20:00:00Z"),
            Expect::At("2027-01-02T09:30:00Z"),
            Expect::At("2027-01-02T02:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "midnight",
        local: "2026-12-31 00:00",
        expect: [
            Expect::At("2026-12-31T05:00:00Z"),
            Expect::At("2026-12-30T18:30:00Z"),
            Expect::At("2026-12-30T11:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "tonight at 11:30",
        local: "2026-12-31 23:30",
        expect: [
            Expect::At("2027-01-01T04:30:00Z"),
            Expect::At("2026-12-31T18:00:00Z"),
            Expect::At("2026-12-31T10:30:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "2027-01-01 09:00",
        local: "2027-01-01 09:00",
        expect: [
            Expect::At("2027-01-01T14:00:00Z"),
            Expect::At("2027-01-01T03:30:00Z"),
            Expect::At("2026-12-31T20:00:00Z"),
        ],
    },
    Case {
        scenario: 5,
        input: "1/2 at 10am",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "'1/2 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'1/2 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
            Expect::Says(
                "'1/2 at 10am' could mean Saturday, January 2, 2027 or Monday, February 1, 2027. Which one did the caller mean?",
            ),
        ],
    },
    Case {
        scenario: 5,
        input: "new year's day at 10",
        local: "(question or refusal)",
        expect: [
            Expect::Says(
                "I understood 'new year's day at 10' as 10:00 AM, but not 'new year's day'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'new year's day at 10' as 10:00 AM, but not 'new year's day'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
            Expect::Says(
                "I understood 'new year's day at 10' as 10:00 AM, but not 'new year's day'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'.",
            ),
        ],
    },
];
