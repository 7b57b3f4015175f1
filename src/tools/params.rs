//! Parameter types of the tools: what the model may send, and (through their doc comments) the
//! descriptions it reads. The JSON schemas in `tool-schemas/` are generated from these types.
//!
//! The struct doc comment is the tool's description; field doc comments describe the arguments.
//! Field names are camelCase on the wire and are a contract with the registered assistant.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::domain::text::strip_controls;

/// Longest name a caller may give (`attendeeName`, `name`, `username`), in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest note or reason (`notes`, `reason`), in characters.
pub const MAX_NOTE_CHARS: usize = 500;
/// Longest id (`appointmentId`, `eventTypeId`, `userId`, `waitlistId`), in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest of any other text argument (dates, times, emails, phone numbers, zones).
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest text kept of one argument in the tool-call log.
const RECORDED_CHARS: usize = 200;

/// The limit of a text argument, by its name.
fn limit_of(key: &str) -> usize {
    match key {
        "attendeeName" | "name" | "username" => MAX_NAME_CHARS,
        "notes" | "reason" => MAX_NOTE_CHARS,
        "appointmentId" | "eventTypeId" | "userId" | "waitlistId" => MAX_ID_CHARS,
        _ => MAX_TEXT_CHARS,
    }
}

/// Cleans every text argument in place (control and bidi characters removed, line breaks made
/// spaces) and checks its length, so no tool stores, sends or echoes more than its limit. The
/// error names the argument and its limit, never its value.
pub fn clean_arguments(args: &mut Map<String, Value>) -> Result<(), String> {
    for (key, value) in args.iter_mut() {
        let Value::String(text) = value else {
            continue;
        };
        let cleaned = strip_controls(text);
        let (length, limit) = (cleaned.trim().chars().count(), limit_of(key));
        if length > limit {
            return Err(format!(
                "{key} is too long ({length} characters; at most {limit})"
            ));
        }
        *text = cleaned;
    }
    Ok(())
}

/// The arguments as the tool-call log keeps them: the same JSON with every text cleaned of
/// control and bidi characters and cut to a bounded length, so the log and the console never
/// hold an oversized or display-forging value.
pub fn for_the_record(raw: &Value) -> Value {
    // Arguments sent as a JSON-encoded string are kept as the object they encode.
    if let Value::String(text) = raw
        && let Ok(object @ Value::Object(_)) = serde_json::from_str::<Value>(text)
    {
        return record_value(&object);
    }
    record_value(raw)
}

/// One value as the log keeps it, texts cleaned and cut.
fn record_value(raw: &Value) -> Value {
    match raw {
        Value::String(text) => Value::String(record_text(text)),
        Value::Array(items) => Value::Array(items.iter().map(record_value).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (record_text(k), record_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// One text as the log keeps it: cleaned, and cut with an ellipsis when too long.
fn record_text(text: &str) -> String {
    let cleaned = strip_controls(text);
    if cleaned.chars().count() > RECORDED_CHARS {
        let cut: String = cleaned.chars().take(RECORDED_CHARS).collect();
        format!("{cut}…")
    } else {
        cleaned
    }
}

/// Accepts an integer id sent as a number or as a string of digits (models do both).
fn lenient_id<'de, D: Deserializer<'de>>(de: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Num(i64),
        Text(String),
    }
    match Option::<NumOrText>::deserialize(de)? {
        None => Ok(None),
        Some(NumOrText::Num(n)) => Ok(Some(n)),
        Some(NumOrText::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(NumOrText::Text(t)) => t
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("'{t}' is not a number"))),
    }
}

/// List open appointment times for a day or a range of days, grouped by day, in the caller's time
/// zone. Use it before booking or moving an appointment, and offer the caller a few of the times.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityReadParams {
    /// First day to check, as the caller said it: YYYY-MM-DD, today, tomorrow, December 3, the 3rd, in 2 days, a week from Friday, Friday next week, Christmas Eve, a weekday (tuesday means the next Tuesday, today included; next tuesday is never today), or a range: this week, next week (Monday to Sunday), early next week, this weekend, next weekend. A window said with it is kept: tomorrow afternoon, tonight, after 4 on Thursday, before noon tomorrow, around 3 tomorrow. Default: today.
    #[serde(default)]
    pub date: Option<String>,
    /// Last day to check (inclusive), same formats as date. Default: the end of the range date names, the same day as date, or three days after today when no date is given.
    #[serde(default)]
    pub end_date: Option<String>,
    /// Only times at or after this local time of day, e.g. 2pm, 14:00, noon.
    #[serde(default)]
    pub after: Option<String>,
    /// Only times before this local time of day, e.g. 5pm, 17:00.
    #[serde(default)]
    pub before: Option<String>,
    /// Only times in this part of the day: morning (before 12:00), afternoon (12:00 to 17:00) or evening (from 17:00).
    #[serde(default)]
    pub part_of_day: Option<PartOfDay>,
    /// Cal.com event type id. Leave empty to use the business's default appointment type.
    #[serde(default, deserialize_with = "lenient_id")]
    pub event_type_id: Option<i64>,
    /// Cal.com user id of the host whose calendar to check. Leave empty for the business's calendar.
    #[serde(default, deserialize_with = "lenient_id")]
    pub user_id: Option<i64>,
    /// IANA time zone of the caller, e.g. America/New_York. Leave empty to use the business's time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A part of the day a caller may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
}

impl PartOfDay {
    /// The part of the day a local time falls in.
    pub fn of(time: chrono::NaiveTime) -> Self {
        use chrono::Timelike;
        match time.hour() {
            0..=11 => PartOfDay::Morning,
            12..=16 => PartOfDay::Afternoon,
            _ => PartOfDay::Evening,
        }
    }

    /// Lowercase name, as spoken: "the afternoon".
    pub fn as_str(self) -> &'static str {
        match self {
            PartOfDay::Morning => "morning",
            PartOfDay::Afternoon => "afternoon",
            PartOfDay::Evening => "evening",
        }
    }
}

/// The argument every tool takes besides its own (merged into each tool's schema; read before
/// the tool's own parameters).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct AnswerParams {
    /// The language to answer in, as a BCP 47 tag: the language the caller is speaking (en for
    /// English, es for Spanish). Leave it out to answer in the call's language.
    pub language: Option<String>,
}

/// Book an appointment at an open time. Call it only after the caller confirmed the day, time and
/// their name. The result contains the appointment id; never tell the caller they are booked
/// without a successful result.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentCreateParams {
    /// Start time as the caller said it, in timeZone or the business's zone: tomorrow at 3pm, 3pm tomorrow, December 3 at 10:30am, next tuesday at noon, a week from Friday at 10, tomorrow at ten thirty, 2026-11-24T15:00, or an ISO 8601 instant with offset. An hour without am/pm means 1-6 in the afternoon, 7-11 in the morning. An approximate time (around 3) is answered with a question, never booked.
    pub start: String,
    /// Cal.com event type id. Leave empty to use the business's default appointment type.
    #[serde(default, deserialize_with = "lenient_id")]
    pub event_type_id: Option<i64>,
    /// Full name of the person the appointment is for. Leave empty to use the name on the caller's last booking (from the same number).
    #[serde(default)]
    pub attendee_name: Option<String>,
    /// Email of the attendee, if the caller gave one. Leave empty to use the email on the caller's last booking (from the same number).
    #[serde(default)]
    pub attendee_email: Option<String>,
    /// Leave empty: the appointment is booked under the number the caller is calling from (another number is refused).
    #[serde(default)]
    pub attendee_phone: Option<String>,
    /// IANA time zone the start time is given in, e.g. America/New_York. Leave empty for the business's time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Anything the caller wants the business to know.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Find the caller's upcoming appointments. With no arguments it lists those booked under the
/// number the caller is calling from (on a call without a number: those booked during this call);
/// email and phone only narrow that list. It can also look up one appointment id.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentReadParams {
    /// Appointment id (Cal.com booking uid) to look up.
    #[serde(default)]
    pub appointment_id: Option<String>,
    /// Email the appointment was booked with.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number the appointment was booked with, in international format. Leave empty to use the caller's number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Only appointments on or after this day (YYYY-MM-DD, today, tomorrow or a weekday). Default: now.
    #[serde(default)]
    pub start_date: Option<String>,
    /// Only appointments on or before this day (inclusive), same formats.
    #[serde(default)]
    pub end_date: Option<String>,
}

/// Move one of the caller's appointments to a new time. Check availability first and confirm the
/// new time with the caller. The appointment gets a new id, which the result gives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentUpdateParams {
    /// Id of the appointment to move (from appointment_read or appointment_create).
    pub appointment_id: String,
    /// New start time, same forms as appointment_create's start: tomorrow at 3pm, December 3 at 10:30am, 2026-11-24T15:00, or an ISO 8601 instant with offset.
    pub start: String,
    /// IANA time zone the new start time is given in. Leave empty for the business's time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Why the caller is moving it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Cancel one of the caller's appointments. Confirm with the caller which appointment first.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentCancelParams {
    /// Id of the appointment to cancel (from appointment_read).
    pub appointment_id: String,
    /// Why the caller is cancelling.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Look up the business: with no arguments, its name and time zone. Looking up calendar users by id
/// or email works on staff calls only.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserReadParams {
    /// Cal.com user id.
    #[serde(default, deserialize_with = "lenient_id")]
    pub user_id: Option<i64>,
    /// Email of the user.
    #[serde(default)]
    pub email: Option<String>,
}

/// Create a calendar user in the business's Cal.com organization (for staff, not callers).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserCreateParams {
    /// Username; derived from the email when empty.
    #[serde(default)]
    pub username: Option<String>,
    /// Email of the new user.
    pub email: String,
    /// Full name of the new user.
    pub name: String,
    /// IANA time zone of the new user. Leave empty for the business's time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Confirm that a caller on a call without a phone number (a web call, or a withheld number)
/// owns the email an appointment was booked with, so their appointments can be found, moved or
/// cancelled. First call it with the email only: if the email has an appointment, a one-time
/// 6-digit code is emailed to it. Then ask the caller to read the code out and call it again with
/// the email and the code. Not needed when the caller's number is known.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallerVerifyParams {
    /// The email address the caller's appointment was booked with.
    pub email: String,
    /// The 6-digit code the caller read out from the email. Leave empty to send a code.
    #[serde(default)]
    pub code: Option<String>,
}

/// The caller asks the business not to call them again (reminders, follow-ups). Call it when
/// they say so ("please don't call me"); it applies to the number this call comes from, and
/// leaves their appointments as they are.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallOptOutParams {
    /// What the caller said, in a few words (optional).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Put the caller on the waitlist for days that are full. Offer it when availability_read finds no time the caller can take: when a matching time opens up (someone cancels or moves), the business calls this number, holds the time during the call, and books it if the caller wants it. The caller is called back on the number they are calling from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitlistJoinParams {
    /// First day wanted, as the caller said it (the formats of availability_read's date; a range such as next week works too).
    pub date: String,
    /// Last day wanted (inclusive), same formats. Default: the end of the range date names, else the same day as date.
    #[serde(default)]
    pub end_date: Option<String>,
    /// Only times in this part of the day: morning (before 12:00), afternoon (12:00 to 17:00) or evening (from 17:00). Leave empty for any time of those days.
    #[serde(default)]
    pub part_of_day: Option<PartOfDay>,
    /// Name to book under when a time is taken. Leave empty to use the name on the caller's last booking (from the same number).
    #[serde(default)]
    pub attendee_name: Option<String>,
    /// Cal.com event type id. Leave empty to use the business's default appointment type.
    #[serde(default, deserialize_with = "lenient_id")]
    pub event_type_id: Option<i64>,
}

/// Take one of the caller's waitlist entries off the waitlist, when they no longer want it. appointment_read lists their entries with the ids.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitlistLeaveParams {
    /// The entry's id (wl_...). Leave empty when the caller has only one entry.
    #[serde(default)]
    pub waitlist_id: Option<String>,
}
