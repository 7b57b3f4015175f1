//! The English catalogue: every [`Say`] in English.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{DayTimes, Doing, Fault, Filled, Reaching, Say, Searched, UserLine, WaitDays, Within};
use crate::domain::{
    language::Language,
    local_time::{self, speak_at, speak_date, speak_full_date, speak_instant, speak_time},
};

const EN: Language = Language::En;

fn doing(d: Doing) -> &'static str {
    match d {
        Doing::CheckingOpenTimes => "checking open times",
        Doing::LookingUpOwner => "looking up the calendar owner",
        Doing::LookingUpUsers => "looking up users",
        Doing::CreatingUser => "creating the user",
        Doing::LookingUpAppointment => "looking up the appointment",
        Doing::LookingUpAppointments => "looking up appointments",
        Doing::Booking => "booking the appointment",
        Doing::Moving => "moving the appointment",
        Doing::Cancelling => "cancelling the appointment",
    }
}

/// "20 seconds", "a minute", "3 minutes".
fn wait(secs: u64) -> String {
    match secs {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        60..=89 => "a minute".to_owned(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

fn clock(t: NaiveTime) -> String {
    speak_time(t, EN)
}

/// "in the afternoon", "around 3:00 PM", "between 2:00 PM and 4:00 PM"; empty for the whole day.
fn within(w: Within) -> String {
    match w {
        Within::WholeDay => String::new(),
        Within::Part(part) => format!("in the {}", part.as_str()),
        Within::Around(t) => format!("around {}", clock(t)),
        Within::Between(f, t) => format!("between {} and {}", clock(f), clock(t)),
        Within::After(f) => format!("after {}", clock(f)),
        Within::Before(t) => format!("before {}", clock(t)),
    }
}

/// " in the afternoon", or nothing for the whole day.
fn within_tail(w: Within) -> String {
    match w {
        Within::WholeDay => String::new(),
        _ => format!(" {}", within(w)),
    }
}

/// "Monday, November 23" or "Monday, November 23 to Wednesday, November 25".
fn range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        speak_date(first, EN)
    } else {
        format!("{} to {}", speak_date(first, EN), speak_date(last, EN))
    }
}

/// "Tuesday, November 24: 9:00 AM, 9:30 AM and 10 more".
fn day(d: &DayTimes) -> String {
    let listed: Vec<String> = d.times.iter().map(|t| clock(*t)).collect();
    let listed = listed.join(", ");
    if d.more > 0 {
        format!("{}: {listed} and {} more", speak_date(d.date, EN), d.more)
    } else {
        format!("{}: {listed}", speak_date(d.date, EN))
    }
}

/// "Tuesday, November 24 at 3:00 PM" for a local instant.
fn local_when(t: &DateTime<Tz>) -> String {
    format!("{} {}", speak_date(t.date_naive(), EN), speak_at(t, EN))
}

fn when(at: Option<DateTime<Utc>>, zone: Tz) -> String {
    at.map_or_else(|| say(&Say::UnknownTime), |t| speak_instant(t, zone, EN))
}

fn zone_of(zone: Tz) -> String {
    local_time::zone_label(zone, Language::En)
}

fn user(u: &UserLine) -> String {
    let name = u.name.clone().unwrap_or_else(|| format!("user {}", u.id));
    match (&u.email, &u.time_zone) {
        (Some(email), Some(tz)) => format!("{name} ({email}), user {}, time zone {tz}", u.id),
        (Some(email), None) => format!("{name} ({email}), user {}", u.id),
        _ => format!("{name}, user {}", u.id),
    }
}

fn users(list: &[UserLine]) -> String {
    list.iter().map(user).collect::<Vec<_>>().join("; ")
}

fn searched(s: &Searched) -> String {
    match s {
        Searched::Contacts {
            phone,
            email,
            narrowed,
        } => {
            let mut parts: Vec<String> = phone.iter().map(|p| format!("the number {p}")).collect();
            parts.extend(email.iter().map(|e| format!("the email {e}")));
            let mut text = parts.join(" or ");
            if *narrowed {
                text.push_str(" matching the details given");
            }
            text
        }
        Searched::ThisCall { emails, hint } => match hint {
            Some(hint) if emails.is_empty() => {
                format!("this call. {}", say(hint).trim_end_matches('.'))
            }
            _ if emails.is_empty() => "this call".to_owned(),
            _ => format!(
                "this call and the email it confirmed ({})",
                emails.join(", ")
            ),
        },
    }
}

/// The message in English.
pub(super) fn say(msg: &Say) -> String {
    match msg {
        Say::Calendar { fault, doing: d } => {
            let doing = doing(*d);
            match fault {
                Fault::Timeout => format!(
                    "The calendar took too long to answer while {doing}. Please try again in a moment."
                ),
                Fault::Unreachable => format!(
                    "I couldn't reach the calendar while {doing}. Please try again in a moment."
                ),
                Fault::Unreadable => {
                    format!("The calendar sent an answer I couldn't read while {doing}.")
                }
                Fault::RateLimited { retry_after_secs } => format!(
                    "The calendar is busy right now, so I couldn't finish {doing}. Please try again in about {}.",
                    wait(*retry_after_secs)
                ),
                Fault::Busy => format!(
                    "The calendar is too busy right now while {doing}. Please try again in a minute."
                ),
                Fault::Refused => format!(
                    "The calendar refused access while {doing}; the business needs to check its Cal.com connection."
                ),
                Fault::Broken { status } => format!(
                    "The calendar had a problem (error {status}) while {doing}. Please try again in a moment."
                ),
                Fault::Rejected { message } => {
                    format!("The calendar could not do that while {doing}: {message}")
                }
                Fault::CallShareSpent => format!(
                    "This call has made too many calendar lookups, so I couldn't finish {doing}. Please settle on a day and time from what I already found, or call again later."
                ),
            }
        }
        Say::StaffOnly(tool) => format!(
            "Sorry, {} is only for the business's staff, so I can't do that on this call.",
            tool.spoken()
        ),
        Say::UnknownTool { name, names } => format!(
            "There is no tool called '{name}'. The tools are: {}.",
            names.join(", ")
        ),
        Say::TooLong { tool, why } => format!(
            "I couldn't use the details given to {tool}: {why}. Please shorten it and try again."
        ),
        Say::BadDetails { tool, why } => format!(
            "I couldn't use the details given to {tool}: {why}. Please check them and try again."
        ),
        Say::UnreadableDetails { tool, why } => {
            format!("I couldn't read the details given to {tool}: {why}.")
        }
        Say::CannotWriteNow => {
            "I can't make changes to the calendar just now. Please try again in a moment."
                .to_owned()
        }
        Say::StillWorking => "I'm still working on that same request. Please ask me again in a moment and I'll tell you how it went.".to_owned(),
        Say::TooManyToolCalls { limit } => format!(
            "Not run: one message may carry at most {limit} tool calls. Ask for fewer things at once."
        ),
        Say::StillBookingOther => {
            "I'm still booking your other appointment. Please ask me again in a moment.".to_owned()
        }
        Say::CannotBookNow => "I couldn't book just now. Please try again in a moment.".to_owned(),
        Say::CallBookingCap { max } => format!(
            "Nothing was booked: one call can make at most {max} bookings. The business can help with more; please ask the caller to contact them."
        ),
        Say::CallerDailyCap { max } => format!(
            "Nothing was booked: a phone number can make at most {max} bookings a day, and this one has reached that today. The caller can book more tomorrow, or contact the business."
        ),
        Say::NotBookableType => "That appointment type can't be booked on this line; leave eventTypeId empty to use the business's appointment type.".to_owned(),
        Say::NoEventType => "No appointment type is set up for booking; the business needs to set CAL_EVENT_TYPE_ID.".to_owned(),
        Say::ClosedWindow { from, to } => format!(
            "There is no time after {} and before {}; please give a window that is open.",
            clock(*from),
            clock(*to)
        ),
        Say::WindowConflict { date, said, fields } => format!(
            "The date '{date}' asks for times {}, but the other fields ask for times {}. Which did the caller mean?",
            within(*said),
            within(*fields)
        ),
        Say::OtherHost {
            owner,
            owner_id,
            asked,
        } => {
            let owner = owner.as_deref().unwrap_or("the business");
            match owner_id {
                Some(id) => {
                    format!("I can only check {owner}'s calendar (user {id}), not user {asked}.")
                }
                None => format!("I can only check {owner}'s calendar; leave userId empty."),
            }
        }
        Say::EndBeforeStart { first, last } => format!(
            "The end date {} is before the start date {}.",
            speak_date(*last, EN),
            speak_date(*first, EN)
        ),
        Say::DaysPassed { last, today } => format!(
            "{} has already passed; today is {}.",
            speak_date(*last, EN),
            speak_full_date(*today, EN)
        ),
        Say::TooManyDays { max } => {
            format!("That's too many days at once; please ask for at most {max} days.")
        }
        Say::OpenTimes {
            within: w,
            zone,
            days,
            more_days,
        } => {
            let spoken: Vec<String> = days.iter().map(day).collect();
            let tail = if *more_days > 0 {
                format!(" Open times on {more_days} more days too.")
            } else {
                String::new()
            };
            format!(
                "Open times{} ({}): {}.{tail}",
                within_tail(*w),
                zone_of(*zone),
                spoken.join(". ")
            )
        }
        Say::NothingInWindow {
            within: w,
            first,
            last,
            zone,
            nearest,
        } => {
            let spoken: Vec<String> = nearest.iter().map(local_when).collect();
            format!(
                "Nothing is open {} on {} ({}). The nearest open times outside that window are {}.",
                within(*w),
                range(*first, *last),
                zone_of(*zone),
                spoken.join("; ")
            )
        }
        Say::NextOpenDay {
            within: w,
            first,
            last,
            zone,
            next,
        } => format!(
            "No open times{} on {} ({}). The next open day is {}.",
            within_tail(*w),
            range(*first, *last),
            zone_of(*zone),
            day(next)
        ),
        Say::NothingOpenAhead {
            within: w,
            first,
            last,
            zone,
            lookahead_days,
        } => format!(
            "No open times{} on {} ({}) or in the {lookahead_days} days after.",
            within_tail(*w),
            range(*first, *last),
            zone_of(*zone)
        ),
        Say::StartPassed { start, now, zone } => format!(
            "{} has already passed; it is now {}.",
            speak_instant(*start, *zone, EN),
            speak_instant(*now, *zone, EN)
        ),
        Say::Taken {
            asked,
            zone,
            nearest,
        } => {
            let asked = speak_instant(*asked, *zone, EN);
            if nearest.is_empty() {
                format!(
                    "{asked} is not available, and nothing is open close to it. Please try another day."
                )
            } else {
                let spoken: Vec<String> = nearest
                    .iter()
                    .map(|t| speak_instant(*t, *zone, EN))
                    .collect();
                let isos: Vec<String> = nearest
                    .iter()
                    .map(|t| local_time::local_iso(*t, *zone))
                    .collect();
                format!(
                    "{asked} is not available. The nearest open times are {} (start values: {}).",
                    spoken.join("; "),
                    isos.join(", ")
                )
            }
        }
        Say::PhoneNotFullForBooking { raw } => format!(
            "'{raw}' doesn't look like a full phone number; please give it with the country code."
        ),
        Say::PhoneNotFull { raw } => format!("'{raw}' doesn't look like a full phone number."),
        Say::OnlyOwnNumber { own } => format!(
            "I can only book under the number you're calling from ({own}); leave attendeePhone empty to use it."
        ),
        Say::NoNumberToBookUnder => "This call has no phone number, so I can't book under a phone number; leave attendeePhone empty and give an email address instead.".to_owned(),
        Say::NeedName => "I need the name the appointment is for.".to_owned(),
        Say::BadEmail { email } => {
            format!("'{email}' doesn't look like an email address; please spell it again.")
        }
        Say::NeedPhoneOrEmail => {
            "I need a phone number or an email address to book the appointment.".to_owned()
        }
        Say::NeedContactToSearch => {
            "I need a phone number or an email to look up appointments.".to_owned()
        }
        Say::NoSuchEventType { id } => {
            format!("Appointment type {id} doesn't exist in the calendar.")
        }
        Say::NothingBooked { fault, at, zone } => format!(
            "{} Nothing was booked for {}; please check the time is still open and try again.",
            say(fault),
            speak_instant(*at, *zone, EN)
        ),
        Say::Booked {
            at,
            zone,
            name,
            uid,
            pending,
            filled,
        } => {
            let when = speak_instant(*at, *zone, EN);
            let summary = if *pending {
                format!(
                    "Requested {when} for {name}; the business still has to confirm it. Appointment id {uid}."
                )
            } else {
                format!("Booked {when} for {name}. Appointment id {uid}.")
            };
            if filled.is_empty() {
                return summary;
            }
            let what: Vec<String> = filled
                .iter()
                .map(|f| match f {
                    Filled::Name(name) => format!("the name {name}"),
                    Filled::Email(email) => format!("the email {email}"),
                })
                .collect();
            format!(
                "{summary} I used {} from the caller's last booking; please confirm {} with the caller.",
                what.join(" and "),
                if what.len() == 1 { "it" } else { "them" }
            )
        }
        Say::AlreadyBooked { at, zone, name, uid } => format!(
            "Already booked {} for {name} earlier in this call; nothing new was booked. Appointment id {uid}.",
            when(*at, *zone)
        ),
        Say::AlreadyAt { at, zone } => format!(
            "The appointment is already at {}.",
            speak_instant(*at, *zone, EN)
        ),
        Say::Moved { from, to, zone, uid } => format!(
            "Moved the appointment from {} to {}. The new appointment id is {uid}.",
            when(*from, *zone),
            speak_instant(*to, *zone, EN)
        ),
        Say::Cancelled { at, zone, already } => {
            let when = when(*at, *zone);
            if *already {
                format!("The appointment on {when} was already cancelled.")
            } else {
                format!("Cancelled the appointment on {when}.")
            }
        }
        Say::NeedAppointmentId => {
            "I need the appointment id; look it up with appointment_read first.".to_owned()
        }
        Say::NoAppointmentWithId { uid } => {
            format!("I couldn't find an appointment with id {uid}.")
        }
        Say::NotUnderYourNumber => "I couldn't find that appointment under the number you're calling from. Please check the id, or look up your appointments without one.".to_owned(),
        Say::NotInThisCall { hint } => format!(
            "I couldn't find that appointment among the ones booked during this call. {}",
            say(hint)
        ),
        Say::ConfirmEmailFirst { reaching } => format!(
            "This call has no phone number, so before I share or change {} the caller must confirm the email address it was booked with: ask for that email, send a one-time code to it with caller_verify, and have the caller read the code back.",
            match reaching {
                Reaching::AnEarlierAppointment => "an appointment booked earlier",
                Reaching::EarlierAppointments => "appointments booked earlier",
            }
        ),
        Say::NoCodesOnThisLine => "I can't confirm an email on this line, so appointments booked earlier can't be reached from a call without a phone number. Please ask the caller to call again from the phone number the appointment was booked with; then I can find it.".to_owned(),
        Say::AlreadyMoved { uid, new_uid } => {
            format!("Appointment {uid} was already moved; its new id is {new_uid}.")
        }
        Say::Inactive { at, zone, status } => format!(
            "The appointment on {} is {} and can't be changed.",
            when(*at, *zone),
            status.as_str()
        ),
        Say::LookupFailed => {
            "I couldn't look up appointments just now. Please try again in a moment.".to_owned()
        }
        Say::AppointmentIs {
            uid,
            at,
            zone,
            status,
        } => format!(
            "Appointment {uid} is on {} and is {}.",
            when(*at, *zone),
            status.as_str()
        ),
        Say::NoneFound { searched: s } => {
            format!("No upcoming appointments found for {}.", searched(s))
        }
        Say::Found {
            count,
            listed,
            zone,
        } => {
            let items: Vec<String> = listed
                .iter()
                .map(|(at, uid)| format!("{} (id {uid})", when(*at, *zone)))
                .collect();
            let noun = if *count == 1 {
                "appointment"
            } else {
                "appointments"
            };
            let more = count.saturating_sub(listed.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{count} upcoming {noun}: {}{tail}.", items.join("; "))
        }
        Say::UnknownTime => "an unknown time".to_owned(),
        Say::OptedOut { already: false } => "Done: the business will not call this number again. Appointments stay as they are.".to_owned(),
        Say::OptedOut { already: true } => "This number had already asked not to be called; the business will not call it.".to_owned(),
        Say::OptOutNeedsNumber => "This call has no phone number, so there is no number to stop calling.".to_owned(),
        Say::HandingOver => "I'm sorry this isn't working: I'm handing you over to a person at the business now.".to_owned(),
        Say::NoWaitlist => "This business keeps no waitlist. Please offer the caller another open day instead.".to_owned(),
        Say::WaitlistNeedsNumber => "This call has no phone number, so the waitlist has no number to call back. Please ask the caller to call from their phone.".to_owned(),
        Say::WaitlistOptedOut => "This number asked not to be called by the business, so the waitlist cannot call it back.".to_owned(),
        Say::WaitlistFull { max } => format!("This number is already waiting for {max} times, the most it may. Please ask the caller to leave one first, or to pick an open time."),
        Say::WaitlistTooFar { max_days } => format!("The waitlist takes days within the next {max_days} days only. Please ask for nearer days."),
        Say::WaitlistJoined { days, id, already: false } => format!(
            "The caller is on the waitlist for {}. When a time opens then, the business calls this number, holds the time during the call, and books it if they want it. Waitlist id {id}.",
            wait_days(days)
        ),
        Say::WaitlistJoined { days, id, already: true } => format!(
            "The caller was already on the waitlist for {}; nothing changed. Waitlist id {id}.",
            wait_days(days)
        ),
        Say::WaitlistLeft { days } => format!("Done: the caller is off the waitlist for {}.", wait_days(days)),
        Say::WaitlistNotFound => "This number has no waitlist entry like that. Use appointment_read to list the caller's waitlist entries.".to_owned(),
        Say::WaitlistWhich { listed } => {
            let spoken: Vec<String> = listed
                .iter()
                .map(|(id, days)| format!("{} (id {id})", wait_days(days)))
                .collect();
            format!("The caller is waiting for several times: {}. Ask which one to leave and pass its id.", spoken.join("; "))
        }
        Say::WaitlistListed { listed } => {
            let spoken: Vec<String> = listed.iter().map(wait_days).collect();
            format!("The caller is also on the waitlist for {}.", spoken.join("; "))
        }
        Say::TimeHeld { at, zone } => format!(
            "{} is being held for someone on the waitlist while the business calls them. Please offer another time.",
            speak_instant(*at, *zone, EN)
        ),
        Say::NoCodeNeeded => "No code is needed: this call comes from a phone number, and the caller's appointments booked under it can be looked up directly.".to_owned(),
        Say::NoCallToConfirmIn => "I can't confirm an email outside a call.".to_owned(),
        Say::TooManyCodes { max } => format!(
            "I can't send more codes on this call (at most {max}). Please ask the caller to use a code already sent, or to call again from the phone number the appointment was booked with."
        ),
        Say::CodeSent {
            email,
            digits,
            minutes,
        } => format!(
            "If {email} has an appointment with us, a {digits}-digit code is on its way to it; it works for {minutes} minutes. Ask the caller to read the code out, then call caller_verify again with the email and the code."
        ),
        Say::CodeDigits { digits } => {
            format!("The code is {digits} digits; please ask the caller to read it again.")
        }
        Say::TooManyWrongCodes => "Too many wrong codes on this call, so I can't confirm an email any more. Please ask the caller to call again from the phone number the appointment was booked with.".to_owned(),
        Say::CodeExpired => "That code isn't right, or it has expired. I can send a new one with caller_verify and the email alone.".to_owned(),
        Say::CodeWrong { left } => format!(
            "That code isn't right. Please ask the caller to read it again ({left} tries left)."
        ),
        Say::EmailConfirmed { email } => format!(
            "Thank you: {email} is confirmed for this call. Its appointments can now be looked up with appointment_read, and moved or cancelled."
        ),
        Say::CodeEmailSubject => "Your confirmation code".to_owned(),
        Say::CodeEmailBody { code, minutes } => format!(
            "Your confirmation code is {code}.\r\n\r\nRead it to the assistant on the phone to reach your appointments. It works for {minutes} minutes, on this call only. If you did not ask for it, ignore this email.\r\n"
        ),
        Say::NoStaffLookup => "Sorry, I can't look up the business's staff on this call; I can tell you the business's name and time zone.".to_owned(),
        Say::OwnerOnly => "I can only look up the calendar owner; looking up other users needs CAL_ORGANIZATION_ID to be set.".to_owned(),
        Say::NoUserMatches => "No user matches that id or email.".to_owned(),
        Say::NeedsOrganization => "Creating users needs a Cal.com organization; the business must set CAL_ORGANIZATION_ID.".to_owned(),
        Say::BadUserEmail { email } => format!("'{email}' doesn't look like an email address."),
        Say::NeedUserName => "I need the new user's name.".to_owned(),
        Say::UserExists { email } => format!("A user with the email {email} already exists."),
        Say::OwnerIs { users: list } => format!("The calendar owner is {}.", users(list)),
        Say::UsersFound { users: list } => format!("Found {}.", users(list)),
        Say::UserCreated { user: u } => format!("Created {}.", user(u)),
        Say::BusinessIs { name, zone } => format!(
            "This is {}'s calendar; times are in {}.",
            name.as_deref().unwrap_or("the business"),
            zone.name()
        ),
    }
}

/// "Tuesday, December 8 in the afternoon", "any time from Monday, December 7 to Friday,
/// December 11".
fn wait_days(days: &WaitDays) -> String {
    let span = if days.first == days.last {
        speak_date(days.first, EN)
    } else {
        format!(
            "{} to {}",
            speak_date(days.first, EN),
            speak_date(days.last, EN)
        )
    };
    match days.part {
        Some(part) => format!("{span}, in the {}", part.as_str()),
        None => format!("{span}, any time"),
    }
}
