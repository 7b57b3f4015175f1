//! Who is calling: what the local appointments table knows about a phone number.
//!
//! `assistant-request` must be answered within VAPI's 7.5 s budget before the caller hears
//! anything, so this reads only the local tables (never Cal.com). A number with no booking, or no
//! number at all, gets nothing personal: only `callerKnown: false` and today's date.
//!
//! The name and email come from the caller's latest accepted booking made from their number
//! (see [`Db::latest_appointment_by_phone`]) and are cleaned to one short line: they reach the
//! assistant's prompt as quoted data, so they must not be able to pass for instructions.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use crate::{
    db::{Db, DbError, appointments::Contact},
    domain::language::Language,
    domain::local_time::{local_today, speak_full_date, speak_instant},
    domain::phone,
    domain::text::{PROFILE_CHARS, clean_line},
};

/// What the assistant may be told about the caller before the first word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallerContext {
    /// Whether the number has booked before.
    pub known: bool,
    /// Name on the caller's latest accepted booking, cleaned.
    pub name: Option<String>,
    /// Email on the caller's latest accepted booking, cleaned.
    pub email: Option<String>,
    /// The caller's next upcoming appointment: (id, spoken local time).
    pub next: Option<(String, String)>,
    /// Today's date in the business's zone, spoken.
    pub today: String,
}

/// Looks the caller up by the number they call from (as VAPI reports it, read strictly); dates
/// are spoken in `lang`, the language the assistant greets in.
pub async fn caller_context(
    db: &Db,
    now: DateTime<Utc>,
    tz: Tz,
    lang: Language,
    number: Option<&str>,
) -> Result<CallerContext, DbError> {
    let mut context = CallerContext {
        today: speak_full_date(local_today(now, tz), lang),
        ..CallerContext::default()
    };
    let Some(phone) = number.and_then(phone::caller_e164) else {
        return Ok(context);
    };
    let Some(latest) = db.latest_appointment_by_phone(&phone).await? else {
        return Ok(context);
    };
    context.known = true;
    let clean = |v: Option<&str>| {
        v.map(|v| clean_line(v, PROFILE_CHARS))
            .filter(|v| !v.is_empty())
    };
    context.name = clean(latest.attendee_name().as_deref());
    context.email = clean(latest.attendee_email.as_deref());
    let upcoming = db
        .active_appointments(Contact::Phone(&phone), now, None)
        .await?;
    context.next = upcoming
        .into_iter()
        .find(|a| a.start_time.is_some_and(|t| t > now))
        .and_then(|a| Some((a.uid, speak_instant(a.start_time?, tz, lang))));
    Ok(context)
}

impl CallerContext {
    /// The values for `assistantOverrides.variableValues`; every key is always present (empty
    /// when unknown) so the assistant's templates render the same way for every caller.
    pub fn variable_values(&self) -> Map<String, Value> {
        let text = |v: Option<&str>| Value::from(v.unwrap_or_default());
        let mut map = Map::new();
        map.insert("callerKnown".into(), json!(self.known));
        map.insert("callerName".into(), text(self.name.as_deref()));
        map.insert("callerEmail".into(), text(self.email.as_deref()));
        map.insert(
            "nextAppointment".into(),
            text(self.next.as_ref().map(|n| n.1.as_str())),
        );
        map.insert(
            "nextAppointmentId".into(),
            text(self.next.as_ref().map(|n| n.0.as_str())),
        );
        map.insert("today".into(), json!(self.today));
        map
    }
}

/// The answer to `assistant-request`: the configured assistant with the caller's context, or a
/// spoken error when no assistant is configured. A database failure still lets the call through,
/// as an unknown caller.
pub async fn assistant_request(
    db: &Db,
    now: DateTime<Utc>,
    tz: Tz,
    lang: Language,
    assistant_id: Option<&str>,
    number: Option<&str>,
) -> Value {
    let Some(assistant_id) = assistant_id else {
        tracing::error!("assistant-request received but VAPI_ASSISTANT_ID is not set");
        return json!({
            "error": "Sorry, this line is not set up to take calls yet. Please call back later."
        });
    };
    let context = match caller_context(db, now, tz, lang, number).await {
        Ok(c) => c,
        Err(err) => {
            tracing::error!(%err, "caller lookup failed; answering as an unknown caller");
            CallerContext {
                today: speak_full_date(local_today(now, tz), lang),
                ..CallerContext::default()
            }
        }
    };
    json!({
        "assistantId": assistant_id,
        "assistantOverrides": { "variableValues": context.variable_values() },
    })
}
