//! `appointment_create`, `appointment_read`, `appointment_update`, `appointment_cancel`.
//!
//! Who may see or change what, decided from the call and never from the arguments:
//! - a call with a number: appointments booked under that number; `email` and `phone` arguments
//!   only narrow the search;
//! - a call without a number: appointments booked (or moved) during this same call, and those
//!   booked with an email the call has proven (see [`proven_emails`]);
//! - a staff call (see [`StaffPolicy`](crate::tools::StaffPolicy)): any appointment.
//!
//! A booking's uid alone is no proof, and a caller who may not see an appointment hears the same
//! sentence whether its id exists or not.

mod change;
mod create;
mod read;
mod verify;

pub(crate) use change::{appointment_cancel, appointment_update};
pub(crate) use create::appointment_create;
pub(crate) use read::appointment_read;
pub(crate) use verify::caller_verify;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::{
    CallContext, Doing, Given, Say, ToolContext, ToolError, ToolResult,
    availability::{event_type_or, open_days},
    params::{
        AppointmentCancelParams, AppointmentCreateParams, AppointmentReadParams,
        AppointmentUpdateParams, PartOfDay,
    },
    result_object, speech, zone_or,
};
use crate::{
    calcom::{
        CalError,
        types::{Booking, BookingQuery, NewAttendee, NewBooking},
    },
    db::appointments::Contact,
    domain::appointment::{Appointment, Observation, Status},
    domain::language::Language,
    domain::local_time::{
        self, local_days_bounds, local_today, parse_start, resolve_date, speak_instant, utc_iso,
    },
    domain::phone,
};

/// Alternatives offered when a time is taken.
const ALTERNATIVES: usize = 3;
/// Bookings scanned when searching Cal.com by phone (it cannot filter by phone).
const PHONE_SCAN_PAGES: u32 = 4;
/// Appointments listed in one answer.
const LISTED: usize = 5;

/// A Cal.com booking in the shape of a stored appointment, so both sources are read alike.
fn from_cal(b: &Booking, now: DateTime<Utc>) -> Appointment {
    Appointment::merge(None, Observation::from_booking(b, now), now)
}

/// The phone numbers on an appointment, normalised.
fn appointment_phones(a: &Appointment) -> Vec<String> {
    let listed = a
        .attendees
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.get("phoneNumber").and_then(Value::as_str))
        .filter_map(phone::to_e164);
    a.attendee_phone.iter().cloned().chain(listed).collect()
}

/// The email addresses on an appointment, lower-case.
fn appointment_emails(a: &Appointment) -> Vec<String> {
    let listed = a
        .attendees
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.get("email").and_then(Value::as_str))
        .map(str::to_ascii_lowercase);
    a.attendee_email
        .iter()
        .map(|e| e.to_ascii_lowercase())
        .chain(listed)
        .collect()
}

/// One appointment as the assistant needs it: id, local time spoken in `lang`, status.
fn describe(a: &Appointment, tz: Tz, lang: Language) -> Value {
    let attendee = a.attendee_name().unwrap_or_default();
    json!({
        "appointmentId": a.uid,
        "title": a.title,
        "status": a.status.as_str(),
        "when": a.start_time.map(|t| speak_instant(t, tz, lang)),
        "start": a.start_time.map(|t| local_time::local_iso(t, tz)),
        "end": a.end_time.map(|t| local_time::local_iso(t, tz)),
        "startUtc": a.start_time.map(utc_iso),
        "attendee": attendee,
        "eventTypeId": a.event_type_id,
    })
}

/// The open times nearest to `wanted`, for "that time is taken".
async fn nearest_open_times(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    wanted: DateTime<Utc>,
    tz: Tz,
    reschedule_uid: Option<&str>,
) -> Vec<DateTime<Utc>> {
    let day = wanted.with_timezone(&tz).date_naive();
    let today = local_today(ctx.clock.now(), tz);
    let first = (day - Duration::days(1)).max(today);
    let Ok(days) = open_days(
        ctx,
        call,
        event_type_id,
        first,
        day + Duration::days(2),
        tz,
        reschedule_uid,
    )
    .await
    else {
        return Vec::new();
    };
    let mut all: Vec<DateTime<Utc>> = days
        .into_iter()
        .flat_map(|d| d.starts)
        .map(|t| t.with_timezone(&Utc))
        .collect();
    // A caller who wanted the afternoon wants another afternoon time before a nearer morning one.
    let part = |t: &DateTime<Utc>| PartOfDay::of(t.with_timezone(&tz).time());
    let wanted_part = part(&wanted);
    all.sort_by_key(|t| (part(t) != wanted_part, (*t - wanted).num_seconds().abs()));
    all.truncate(ALTERNATIVES);
    all.sort();
    all
}

/// "That time is not available. The nearest open times are …" (or that there are none nearby).
async fn taken(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    wanted: DateTime<Utc>,
    tz: Tz,
    reschedule_uid: Option<&str>,
) -> ToolError {
    let nearest = nearest_open_times(ctx, call, event_type_id, wanted, tz, reschedule_uid).await;
    ToolError::Say(Say::Taken {
        asked: wanted,
        zone: tz,
        nearest,
    })
}

/// Parses a start in the call's language and refuses times in the past.
fn future_start(
    ctx: &ToolContext,
    call: &CallContext,
    raw: &str,
    tz: Tz,
) -> Result<DateTime<Utc>, ToolError> {
    let now = ctx.clock.now();
    let start = parse_start(raw, tz, local_today(now, tz), ctx.date_order, call.lang)?;
    if start <= now {
        return Err(Say::StartPassed {
            start,
            now,
            zone: tz,
        }
        .into());
    }
    Ok(start)
}

/// Finds a booking the caller may touch, or says why not. Asks Cal.com: changes need its current state.
async fn owned_booking(
    ctx: &ToolContext,
    call: &CallContext,
    uid: &str,
) -> Result<Appointment, ToolError> {
    let uid = uid.trim();
    if uid.is_empty() {
        return Err(Say::NeedAppointmentId.into());
    }
    let booking = match ctx.cal.get_booking(uid).await {
        Ok(b) => from_cal(&b, ctx.clock.now()),
        Err(e) if e.is_not_found() && call.staff => {
            return Err(Say::NoAppointmentWithId {
                uid: uid.to_owned(),
            }
            .into());
        }
        Err(e) if e.is_not_found() => return Err(out_of_reach(ctx, call)),
        Err(e) => return Err(ToolError::calendar(&e, Doing::LookingUpAppointment)),
    };
    check_owner(ctx, call, booking).await
}

/// Lets the appointment through only if this call may reach it (see the module's rules).
async fn check_owner(
    ctx: &ToolContext,
    call: &CallContext,
    appointment: Appointment,
) -> Result<Appointment, ToolError> {
    let mine = match &call.caller_phone {
        _ if call.staff => true,
        Some(caller) => appointment_phones(&appointment).iter().any(|p| p == caller),
        None => CallReach::of(ctx, call).await?.covers(&appointment),
    };
    if mine {
        Ok(appointment)
    } else {
        Err(out_of_reach(ctx, call))
    }
}

/// The one answer for an appointment this call may not reach, the same whether the id exists or
/// not, naming nothing of the booking; it says how the caller can reach their own.
fn out_of_reach(ctx: &ToolContext, call: &CallContext) -> ToolError {
    ToolError::Say(match call.caller_phone {
        Some(_) => Say::NotUnderYourNumber,
        None => Say::NotInThisCall {
            hint: Box::new(no_number_hint(ctx, speech::Reaching::AnEarlierAppointment)),
        },
    })
}

/// The emails the caller proved on this call by reading back a one-time code (lower-case). Only
/// they, never an email named in a tool's arguments, open bookings on a call without a number:
/// anyone can say anyone's email.
pub(crate) async fn proven_emails(ctx: &ToolContext, call: &CallContext) -> Vec<String> {
    let Some(call_id) = &call.call_id else {
        return Vec::new();
    };
    ctx.db.proven_emails(call_id).await.unwrap_or_else(|err| {
        tracing::error!(%err, "could not read the emails proven on the call");
        Vec::new()
    })
}

/// What a call without a number may reach: what it booked, moved or cancelled itself (its links,
/// or the booking's `vapiCallId`), and bookings made with an email it proved.
struct CallReach {
    /// The call.
    call_id: Option<String>,
    /// Uids the call's tools booked, moved or cancelled.
    linked: Vec<String>,
    /// Proven emails, lower-case.
    emails: Vec<String>,
}

impl CallReach {
    /// Reads the call's links and proofs.
    async fn of(ctx: &ToolContext, call: &CallContext) -> Result<Self, ToolError> {
        let linked = match &call.call_id {
            Some(call_id) => ctx
                .db
                .call_appointments(call_id)
                .await
                .map_err(|e| local_lookup_failed(&e))?
                .into_iter()
                .map(|link| link.appointment_uid)
                .collect(),
            None => Vec::new(),
        };
        let emails = proven_emails(ctx, call)
            .await
            .into_iter()
            .map(|e| e.to_ascii_lowercase())
            .collect();
        Ok(Self {
            call_id: call.call_id.clone(),
            linked,
            emails,
        })
    }

    /// Whether the call may reach this appointment.
    fn covers(&self, a: &Appointment) -> bool {
        (self.call_id.is_some() && a.vapi_call_id == self.call_id)
            || self.linked.contains(&a.uid)
            || appointment_emails(a)
                .iter()
                .any(|e| self.emails.contains(e))
    }
}

/// What a caller without a number hears about a booking they have not proven is theirs: how to
/// prove it, or, on a line that cannot send codes, to call from their own phone.
fn no_number_hint(ctx: &ToolContext, reaching: speech::Reaching) -> Say {
    if ctx.mailer.is_none() {
        return Say::NoCodesOnThisLine;
    }
    Say::ConfirmEmailFirst { reaching }
}

/// Why an inactive booking can't be changed.
fn inactive(b: &Appointment, tz: Tz) -> ToolError {
    ToolError::Say(match &b.rescheduled_to_uid {
        Some(new_uid) => Say::AlreadyMoved {
            uid: b.uid.clone(),
            new_uid: new_uid.clone(),
        },
        None => Say::Inactive {
            at: b.start_time,
            zone: tz,
            status: b.status,
        },
    })
}

fn local_lookup_failed(err: &crate::db::DbError) -> ToolError {
    tracing::error!(%err, "appointment lookup in the local table failed");
    ToolError::Say(Say::LookupFailed)
}
