//! Everything the tools say, as one typed message catalogue per language.
//!
//! A tool never writes a sentence: it names a [`Say`] with the facts (instants, dates, names,
//! counts), and the language's catalogue (`en.rs`, `es.rs`) words it, dates and times included.
//! Each catalogue is one exhaustive `match` over [`Say`], so a message missing from a language is a
//! compile error, not a sentence in the wrong language found by a caller. Adding a language is
//! adding a variant to [`Language`], a catalogue file here and word tables in `local_time`.
//!
//! Errors are worded late: a [`super::ToolError`] keeps its `Say` and is spoken in the call's
//! language when the answer is sent, so helpers deep in a tool need not know the language.

mod en;
mod es;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::Tool;
use crate::domain::{
    appointment::Status, failure::Failure, language::Language, local_time::DayPart,
};

/// The days a waitlist entry wants, as said back to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitDays {
    /// First day.
    pub first: NaiveDate,
    /// Last day (the same as `first` for one day).
    pub last: NaiveDate,
    /// The part of those days, or any time.
    pub part: Option<DayPart>,
}

/// What a tool was doing when the calendar failed ("while booking the appointment").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    /// Reading open slots.
    CheckingOpenTimes,
    /// Reading the calendar owner.
    LookingUpOwner,
    /// Reading the organization's users.
    LookingUpUsers,
    /// Creating an organization user.
    CreatingUser,
    /// Reading one booking.
    LookingUpAppointment,
    /// Reading a caller's bookings.
    LookingUpAppointments,
    /// Creating a booking.
    Booking,
    /// Rescheduling a booking.
    Moving,
    /// Cancelling a booking.
    Cancelling,
}

/// How the calendar failed, as a caller needs to hear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No answer in time.
    Timeout,
    /// No connection.
    Unreachable,
    /// An answer we could not read.
    Unreadable,
    /// Rate limited, with the wait Cal.com asked for.
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// Rate limited without a wait.
    Busy,
    /// The business's credentials were refused.
    Refused,
    /// A server error.
    Broken {
        /// HTTP status.
        status: u16,
    },
    /// Cal.com said no, with its reason (in English: Cal.com speaks no other language).
    Rejected {
        /// Cal.com's message.
        message: String,
    },
    /// This call has used its share of the request budget.
    CallShareSpent,
}

/// A window of the day, as said back: "in the afternoon", "after 2:00 PM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Within {
    /// The whole day (nothing is said).
    #[default]
    WholeDay,
    /// A part of the day.
    Part(DayPart),
    /// About a time, an hour either side.
    Around(NaiveTime),
    /// From one time to another.
    Between(NaiveTime, NaiveTime),
    /// From a time on.
    After(NaiveTime),
    /// Until a time.
    Before(NaiveTime),
}

/// The open times of one local day, as many as are read out, and how many more there are.
#[derive(Debug, Clone, PartialEq)]
pub struct DayTimes {
    /// The local day.
    pub date: NaiveDate,
    /// The first open times.
    pub times: Vec<NaiveTime>,
    /// How many more are open that day.
    pub more: usize,
}

/// A detail a booking took from the caller's last booking, to be confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filled {
    /// The attendee's name.
    Name(String),
    /// The attendee's email.
    Email(String),
}

/// What an appointment search covered, for "no upcoming appointments found for …".
#[derive(Debug, Clone, PartialEq)]
pub enum Searched {
    /// A phone number and/or an email, and whether the caller's details narrowed it.
    Contacts {
        /// The number searched.
        phone: Option<String>,
        /// The email searched after the number found nothing.
        email: Option<String>,
        /// The caller's arguments narrowed the search.
        narrowed: bool,
    },
    /// A call without a number: what it booked, and the emails it proved.
    ThisCall {
        /// Emails proven by a code on this call.
        emails: Vec<String>,
        /// How to reach appointments booked earlier, when no email is proven.
        hint: Option<Box<Say>>,
    },
}

/// What a caller without a number wants to reach, for the "confirm your email first" sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaching {
    /// One appointment booked before this call.
    AnEarlierAppointment,
    /// The appointments booked before this call.
    EarlierAppointments,
}

/// One calendar user, as read out to staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserLine {
    /// Name, or username, if any.
    pub name: Option<String>,
    /// User id.
    pub id: i64,
    /// Email, if any.
    pub email: Option<String>,
    /// IANA zone, if any.
    pub time_zone: Option<String>,
}

/// A message of the catalogue: every sentence a tool answer carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Say {
    // --- Any tool ---
    /// The calendar failed while doing something.
    Calendar { fault: Fault, doing: Doing },
    /// A staff tool on a caller's line.
    StaffOnly(Tool),
    /// A tool name the assistant does not have.
    UnknownTool { name: String, names: Vec<String> },
    /// An argument longer than its limit.
    TooLong { tool: String, why: String },
    /// Arguments that are not the tool's parameters.
    BadDetails { tool: String, why: String },
    /// Arguments that are not JSON.
    UnreadableDetails { tool: String, why: String },
    /// The claim store failed before a write.
    CannotWriteNow,
    /// A copy of the same write is still running.
    StillWorking,
    /// A message carried more tool calls than allowed.
    TooManyToolCalls { limit: usize },

    // --- Limits ---
    /// The caller's other booking holds their lock.
    StillBookingOther,
    /// The limits could not be counted.
    CannotBookNow,
    /// The call has made its bookings.
    CallBookingCap { max: u32 },
    /// The number has made its bookings today.
    CallerDailyCap { max: u32 },

    // --- Availability ---
    /// An event type outside `CAL_EVENT_TYPE_IDS`.
    NotBookableType,
    /// No event type configured.
    NoEventType,
    /// "after" is not before "before".
    ClosedWindow { from: NaiveTime, to: NaiveTime },
    /// The date phrase and the other fields name windows with no time in common.
    WindowConflict {
        date: String,
        said: Within,
        fields: Within,
    },
    /// A host other than the calendar owner (the owner's id is said to staff only).
    OtherHost {
        owner: Option<String>,
        owner_id: Option<i64>,
        asked: i64,
    },
    /// An end date before the start date.
    EndBeforeStart { first: NaiveDate, last: NaiveDate },
    /// The days asked have passed.
    DaysPassed { last: NaiveDate, today: NaiveDate },
    /// Too long a range.
    TooManyDays { max: i64 },
    /// Open times found.
    OpenTimes {
        within: Within,
        zone: Tz,
        days: Vec<DayTimes>,
        more_days: usize,
    },
    /// Open times exist, but not in the window asked.
    NothingInWindow {
        within: Within,
        first: NaiveDate,
        last: NaiveDate,
        zone: Tz,
        nearest: Vec<DateTime<Tz>>,
    },
    /// Nothing open on the days asked; the next open day.
    NextOpenDay {
        within: Within,
        first: NaiveDate,
        last: NaiveDate,
        zone: Tz,
        next: DayTimes,
    },
    /// Nothing open on the days asked nor for a while after.
    NothingOpenAhead {
        within: Within,
        first: NaiveDate,
        last: NaiveDate,
        zone: Tz,
        lookahead_days: i64,
    },

    // --- Appointments ---
    /// A start that has passed.
    StartPassed {
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        zone: Tz,
    },
    /// A time that is taken, with the nearest open ones.
    Taken {
        asked: DateTime<Utc>,
        zone: Tz,
        nearest: Vec<DateTime<Utc>>,
    },
    /// A phone number argument that is not a full number (when booking).
    PhoneNotFullForBooking { raw: String },
    /// A phone number argument that is not a full number (when reading).
    PhoneNotFull { raw: String },
    /// Booking under a number other than the caller's.
    OnlyOwnNumber { own: String },
    /// Booking under a number on a call without one.
    NoNumberToBookUnder,
    /// No attendee name.
    NeedName,
    /// An email that is not one (asks to spell it again).
    BadEmail { email: String },
    /// Neither a phone nor an email to book with.
    NeedPhoneOrEmail,
    /// Neither a phone nor an email to search with.
    NeedContactToSearch,
    /// An event type Cal.com does not have.
    NoSuchEventType { id: i64 },
    /// A booking that timed out: the fault, and that nothing was booked.
    NothingBooked {
        fault: Box<Say>,
        at: DateTime<Utc>,
        zone: Tz,
    },
    /// Booked (or requested, when the business confirms bookings).
    Booked {
        at: DateTime<Utc>,
        zone: Tz,
        name: String,
        uid: String,
        pending: bool,
        filled: Vec<Filled>,
    },
    /// The same booking made earlier in the call.
    AlreadyBooked {
        at: Option<DateTime<Utc>>,
        zone: Tz,
        name: String,
        uid: String,
    },
    /// A move to the time it is already at.
    AlreadyAt { at: DateTime<Utc>, zone: Tz },
    /// Moved.
    Moved {
        from: Option<DateTime<Utc>>,
        to: DateTime<Utc>,
        zone: Tz,
        uid: String,
    },
    /// Cancelled, now or before.
    Cancelled {
        at: Option<DateTime<Utc>>,
        zone: Tz,
        already: bool,
    },
    /// No appointment id given.
    NeedAppointmentId,
    /// Staff: no appointment with that id.
    NoAppointmentWithId { uid: String },
    /// A caller's appointment not under their number.
    NotUnderYourNumber,
    /// A caller without a number: not among this call's; how to reach the others.
    NotInThisCall { hint: Box<Say> },
    /// A caller without a number must prove an email first.
    ConfirmEmailFirst { reaching: Reaching },
    /// The line cannot send codes, so earlier bookings are out of reach without a number.
    NoCodesOnThisLine,
    /// An appointment already moved.
    AlreadyMoved { uid: String, new_uid: String },
    /// An appointment that is no longer active.
    Inactive {
        at: Option<DateTime<Utc>>,
        zone: Tz,
        status: Status,
    },
    /// The local table failed.
    LookupFailed,
    /// One appointment read by id.
    AppointmentIs {
        uid: String,
        at: Option<DateTime<Utc>>,
        zone: Tz,
        status: Status,
    },
    /// A search found nothing.
    NoneFound { searched: Searched },
    /// A search found appointments.
    Found {
        count: usize,
        listed: Vec<(Option<DateTime<Utc>>, String)>,
        zone: Tz,
    },
    /// An appointment's time, when it is not known yet.
    UnknownTime,

    // --- Calls the business makes ---
    /// The caller's number will not be called again.
    OptedOut {
        /// It had asked before.
        already: bool,
    },
    /// Opting out needs the number the call comes from.
    OptOutNeedsNumber,

    /// The call is handed to a person after repeated failures.
    HandingOver,

    // --- The waitlist ---
    /// The business keeps no waitlist.
    NoWaitlist,
    /// Joining needs the number the call comes from (it is the one called back).
    WaitlistNeedsNumber,
    /// The number asked not to be called, so the waitlist cannot call it.
    WaitlistOptedOut,
    /// The number has as many waiting entries as it may.
    WaitlistFull { max: usize },
    /// The days asked span too many days or lie too far ahead.
    WaitlistTooFar { max_days: i64 },
    /// The caller is on the waitlist (`already`: they were, with the same wish).
    WaitlistJoined {
        days: WaitDays,
        id: String,
        already: bool,
    },
    /// An entry left the waitlist.
    WaitlistLeft { days: WaitDays },
    /// No waiting entry of the caller's number has that id (or they have none).
    WaitlistNotFound,
    /// Several entries wait: the caller must say which.
    WaitlistWhich { listed: Vec<(String, WaitDays)> },
    /// The caller's waiting entries, said after their appointments.
    WaitlistListed { listed: Vec<WaitDays> },
    /// The time is held for someone on the waitlist while the business calls them.
    TimeHeld { at: DateTime<Utc>, zone: Tz },

    // --- Email codes ---
    /// A caller with a number needs no code.
    NoCodeNeeded,
    /// Confirming an email outside a call.
    NoCallToConfirmIn,
    /// The call has sent its codes.
    TooManyCodes { max: i64 },
    /// A code is on its way (if the email has bookings).
    CodeSent {
        email: String,
        digits: usize,
        minutes: i64,
    },
    /// A code of the wrong length.
    CodeDigits { digits: usize },
    /// Too many wrong codes on the call.
    TooManyWrongCodes,
    /// No code outstanding, or expired.
    CodeExpired,
    /// A wrong code, with the tries left.
    CodeWrong { left: i64 },
    /// The email is proven for the call.
    EmailConfirmed { email: String },
    /// The code email's subject.
    CodeEmailSubject,
    /// The code email's body.
    CodeEmailBody { code: String, minutes: i64 },

    // --- Users ---
    /// A caller asking about staff.
    NoStaffLookup,
    /// Another user without an organization.
    OwnerOnly,
    /// No user matched.
    NoUserMatches,
    /// Creating users without an organization.
    NeedsOrganization,
    /// An email that is not one (user creation).
    BadUserEmail { email: String },
    /// No name for a new user.
    NeedUserName,
    /// That email is taken.
    UserExists { email: String },
    /// The calendar owner, to staff.
    OwnerIs { users: Vec<UserLine> },
    /// Users found, to staff.
    UsersFound { users: Vec<UserLine> },
    /// A user created.
    UserCreated { user: UserLine },
    /// The business, to anyone.
    BusinessIs { name: Option<String>, zone: Tz },
}

impl Say {
    /// The message in `lang`.
    pub fn text(&self, lang: Language) -> String {
        match lang {
            Language::En => en::say(self),
            Language::Es => es::say(self),
        }
    }
}

/// The status of an appointment, as a word in `lang`.
pub fn status_word(status: Status, lang: Language) -> &'static str {
    match lang {
        Language::En => status.as_str(),
        Language::Es => es::status(status),
    }
}

/// A day's open times as the structured answer lists them ("3:00 PM" / "las tres de la tarde").
pub fn times_of(day: &DayTimes, lang: Language) -> Vec<String> {
    day.times
        .iter()
        .map(|t| crate::domain::local_time::speak_time(*t, lang))
        .collect()
}

impl Say {
    /// Whose a refusal is and why, for the operator (see [`Failure`]). Exhaustive, so a new
    /// message must be sorted when it is added.
    pub fn failure(&self) -> Failure {
        match self {
            Say::Calendar { fault, .. } => Failure::fault(match fault {
                Fault::Timeout => "calendar timed out",
                Fault::Unreachable => "calendar unreachable",
                Fault::Unreadable => "calendar answer unreadable",
                Fault::RateLimited { .. } | Fault::Busy => "calendar rate limit",
                Fault::Refused => "calendar refused the key",
                Fault::Broken { .. } => "calendar error",
                Fault::Rejected { .. } => "calendar rejected the request",
                Fault::CallShareSpent => "call's calendar budget spent",
            }),
            Say::NothingBooked { .. } => Failure::fault("booking not confirmed by the calendar"),
            Say::CannotWriteNow | Say::StillWorking | Say::CannotBookNow | Say::LookupFailed => {
                Failure::fault("database unavailable")
            }
            Say::StillBookingOther => Failure::fault("caller's other booking still running"),
            Say::NoEventType | Say::NoSuchEventType { .. } => {
                Failure::fault("appointment type not set up")
            }
            Say::NeedsOrganization | Say::OwnerOnly => Failure::fault("organization not set up"),
            Say::StaffOnly(_) | Say::NoStaffLookup => {
                Failure::mistake("staff tool on a caller's line")
            }
            Say::UnknownTool { .. } => Failure::mistake("unknown tool"),
            Say::TooLong { .. } => Failure::mistake("argument too long"),
            Say::BadDetails { .. } | Say::UnreadableDetails { .. } => {
                Failure::mistake("arguments not understood")
            }
            Say::TooManyToolCalls { .. }
            | Say::CallBookingCap { .. }
            | Say::CallerDailyCap { .. } => Failure::mistake("limit reached"),
            Say::NotBookableType | Say::OtherHost { .. } => {
                Failure::mistake("appointment type or host not offered")
            }
            Say::ClosedWindow { .. } | Say::WindowConflict { .. } | Say::EndBeforeStart { .. } => {
                Failure::mistake("window that is not open")
            }
            Say::DaysPassed { .. } | Say::StartPassed { .. } => Failure::mistake("time has passed"),
            Say::TooManyDays { .. } => Failure::mistake("too many days asked"),
            Say::Taken { .. } => Failure::mistake("time taken"),
            Say::PhoneNotFullForBooking { .. }
            | Say::PhoneNotFull { .. }
            | Say::BadEmail { .. }
            | Say::BadUserEmail { .. } => Failure::mistake("phone or email not valid"),
            Say::OnlyOwnNumber { .. } | Say::NoNumberToBookUnder => {
                Failure::mistake("another person's number")
            }
            Say::NeedName
            | Say::NeedPhoneOrEmail
            | Say::NeedContactToSearch
            | Say::NeedAppointmentId
            | Say::NeedUserName => Failure::mistake("detail missing"),
            Say::NoAppointmentWithId { .. }
            | Say::NotUnderYourNumber
            | Say::NotInThisCall { .. }
            | Say::NoUserMatches => Failure::mistake("not found or not theirs"),
            Say::ConfirmEmailFirst { .. }
            | Say::NoCodesOnThisLine
            | Say::NoCallToConfirmIn
            | Say::OptOutNeedsNumber
            | Say::TooManyCodes { .. }
            | Say::CodeDigits { .. }
            | Say::TooManyWrongCodes
            | Say::CodeExpired
            | Say::CodeWrong { .. } => Failure::mistake("email not confirmed"),
            Say::AlreadyMoved { .. } | Say::Inactive { .. } => {
                Failure::mistake("appointment no longer active")
            }
            Say::UserExists { .. } => Failure::mistake("user exists"),
            Say::NoWaitlist => Failure::mistake("no waitlist"),
            Say::HandingOver => Failure::fault("handed over to a person"),
            Say::WaitlistNeedsNumber | Say::WaitlistOptedOut => {
                Failure::mistake("waitlist needs a number to call")
            }
            Say::WaitlistFull { .. } | Say::WaitlistTooFar { .. } => {
                Failure::mistake("limit reached")
            }
            Say::WaitlistNotFound | Say::WaitlistWhich { .. } => {
                Failure::mistake("not found or not theirs")
            }
            Say::TimeHeld { .. } => Failure::mistake("time taken"),
            // Answers, never refusals.
            Say::OpenTimes { .. }
            | Say::NothingInWindow { .. }
            | Say::NextOpenDay { .. }
            | Say::NothingOpenAhead { .. }
            | Say::Booked { .. }
            | Say::AlreadyBooked { .. }
            | Say::AlreadyAt { .. }
            | Say::Moved { .. }
            | Say::Cancelled { .. }
            | Say::AppointmentIs { .. }
            | Say::NoneFound { .. }
            | Say::Found { .. }
            | Say::UnknownTime
            | Say::NoCodeNeeded
            | Say::OptedOut { .. }
            | Say::WaitlistJoined { .. }
            | Say::WaitlistLeft { .. }
            | Say::WaitlistListed { .. }
            | Say::CodeSent { .. }
            | Say::EmailConfirmed { .. }
            | Say::CodeEmailSubject
            | Say::CodeEmailBody { .. }
            | Say::OwnerIs { .. }
            | Say::UsersFound { .. }
            | Say::UserCreated { .. }
            | Say::BusinessIs { .. } => Failure::mistake("other"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages of every area, with facts that make every branch speak.
    fn samples() -> Vec<Say> {
        let tz: Tz = "America/New_York".parse().unwrap();
        let at: DateTime<Utc> = "2026-11-24T20:00:00Z".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let times = DayTimes {
            date: day,
            times: vec![t(9, 0), t(15, 45)],
            more: 3,
        };
        vec![
            Say::Calendar {
                fault: Fault::RateLimited {
                    retry_after_secs: 20,
                },
                doing: Doing::Booking,
            },
            Say::StaffOnly(Tool::UserCreate),
            Say::CallerDailyCap { max: 3 },
            Say::ClosedWindow {
                from: t(17, 0),
                to: t(9, 0),
            },
            Say::WindowConflict {
                date: "mañana".into(),
                said: Within::Part(DayPart::Morning),
                fields: Within::After(t(14, 0)),
            },
            Say::OpenTimes {
                within: Within::Between(t(12, 0), t(17, 0)),
                zone: tz,
                days: vec![times.clone()],
                more_days: 2,
            },
            Say::NextOpenDay {
                within: Within::WholeDay,
                first: day,
                last: day,
                zone: tz,
                next: times,
            },
            Say::Taken {
                asked: at,
                zone: tz,
                nearest: vec![at],
            },
            Say::Booked {
                at,
                zone: tz,
                name: "Ana".into(),
                uid: "u1".into(),
                pending: true,
                filled: vec![Filled::Name("Ana".into()), Filled::Email("a@b.co".into())],
            },
            Say::Moved {
                from: Some(at),
                to: at,
                zone: tz,
                uid: "u2".into(),
            },
            Say::Inactive {
                at: None,
                zone: tz,
                status: Status::Cancelled,
            },
            Say::NoneFound {
                searched: Searched::ThisCall {
                    emails: Vec::new(),
                    hint: Some(Box::new(Say::ConfirmEmailFirst {
                        reaching: Reaching::EarlierAppointments,
                    })),
                },
            },
            Say::Found {
                count: 7,
                listed: vec![(Some(at), "u3".into())],
                zone: tz,
            },
            Say::CodeSent {
                email: "a@b.co".into(),
                digits: 6,
                minutes: 10,
            },
            Say::BusinessIs {
                name: None,
                zone: tz,
            },
            Say::OptedOut { already: false },
            Say::OptedOut { already: true },
            Say::OptOutNeedsNumber,
            Say::NoWaitlist,
            Say::HandingOver,
            Say::WaitlistNeedsNumber,
            Say::WaitlistOptedOut,
            Say::WaitlistFull { max: 3 },
            Say::WaitlistTooFar { max_days: 90 },
            Say::WaitlistJoined {
                days: WaitDays {
                    first: day,
                    last: day + chrono::Duration::days(4),
                    part: Some(DayPart::Afternoon),
                },
                id: "wl_1".into(),
                already: false,
            },
            Say::WaitlistJoined {
                days: WaitDays {
                    first: day,
                    last: day,
                    part: None,
                },
                id: "wl_1".into(),
                already: true,
            },
            Say::WaitlistLeft {
                days: WaitDays {
                    first: day,
                    last: day,
                    part: Some(DayPart::Morning),
                },
            },
            Say::WaitlistNotFound,
            Say::WaitlistWhich {
                listed: vec![(
                    "wl_2".into(),
                    WaitDays {
                        first: day,
                        last: day,
                        part: None,
                    },
                )],
            },
            Say::WaitlistListed {
                listed: vec![WaitDays {
                    first: day,
                    last: day,
                    part: Some(DayPart::Evening),
                }],
            },
            Say::TimeHeld { at, zone: tz },
        ]
    }

    #[test]
    fn spanish_messages_carry_no_english_words() {
        for say in samples() {
            let (en, es) = (say.text(Language::En), say.text(Language::Es));
            assert_ne!(en, es, "{say:?}");
            let lower = format!(" {} ", es.to_lowercase());
            for word in [
                " the ",
                " and ",
                " please ",
                " appointment ",
                " calendar ",
                " sorry",
                " at ",
                " on ",
                " pm ",
                " am ",
                " tuesday",
                " november",
            ] {
                assert!(!lower.contains(word), "{word:?} in {es}");
            }
        }
    }

    #[test]
    fn every_refusal_is_sorted_as_a_mistake_or_a_fault() {
        let fault = Say::Calendar {
            fault: Fault::Timeout,
            doing: Doing::CheckingOpenTimes,
        };
        assert_eq!(fault.failure(), Failure::fault("calendar timed out"));
        let passed = Say::StartPassed {
            start: Utc::now(),
            now: Utc::now(),
            zone: chrono_tz::UTC,
        };
        assert_eq!(passed.failure(), Failure::mistake("time has passed"));
    }
}
