//! `appointment_create`, `appointment_read`, `appointment_update`, `appointment_cancel`.
//!
//! A caller may only see or change appointments booked with the number they call from, or, on a
//! call without a number, with an email they gave in the same call; the booking's uid alone is
//! not proof of who is asking. A staff line (`STAFF_LINE`) lifts the check.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::{
    CallContext, Given, ToolContext, ToolError, ToolResult,
    availability::{event_type_or, open_days},
    params::{
        AppointmentCancelParams, AppointmentCreateParams, AppointmentReadParams,
        AppointmentUpdateParams, PartOfDay,
    },
    result_object, zone_or,
};
use crate::{
    appointments::{Appointment, Observation, Status},
    calcom::{
        CalError,
        types::{Booking, BookingQuery, NewAttendee, NewBooking},
    },
    callers,
    db::appointments::Contact,
    local_time::{
        self, local_days_bounds, local_today, parse_start, resolve_date, speak_instant, utc_iso,
    },
    phone, sync,
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

/// One appointment as the assistant needs it: id, spoken local time, status.
fn describe(a: &Appointment, tz: Tz) -> Value {
    let attendee = callers::attendee_name(a).unwrap_or_default();
    json!({
        "appointmentId": a.uid,
        "title": a.title,
        "status": a.status.as_str(),
        "when": a.start_time.map(|t| speak_instant(t, tz)),
        "start": a.start_time.map(|t| local_time::local_iso(t, tz)),
        "end": a.end_time.map(|t| local_time::local_iso(t, tz)),
        "startUtc": a.start_time.map(utc_iso),
        "attendee": attendee,
        "eventTypeId": a.event_type_id,
    })
}

/// "Tuesday, November 24 at 3:00 PM EST", or a placeholder for a row whose time is not known yet.
fn when(a: &Appointment, tz: Tz) -> String {
    a.start_time
        .map_or_else(|| "an unknown time".to_owned(), |t| speak_instant(t, tz))
}

/// The open times nearest to `wanted`, for "that time is taken".
async fn nearest_open_times(
    ctx: &ToolContext,
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
async fn taken_sentence(
    ctx: &ToolContext,
    event_type_id: i64,
    wanted: DateTime<Utc>,
    tz: Tz,
    reschedule_uid: Option<&str>,
) -> String {
    let alternatives = nearest_open_times(ctx, event_type_id, wanted, tz, reschedule_uid).await;
    let asked = speak_instant(wanted, tz);
    if alternatives.is_empty() {
        format!(
            "{asked} is not available, and nothing is open close to it. Please try another day."
        )
    } else {
        let spoken: Vec<String> = alternatives.iter().map(|t| speak_instant(*t, tz)).collect();
        let isos: Vec<String> = alternatives
            .iter()
            .map(|t| local_time::local_iso(*t, tz))
            .collect();
        format!(
            "{asked} is not available. The nearest open times are {} (start values: {}).",
            spoken.join("; "),
            isos.join(", ")
        )
    }
}

/// Parses a start and refuses times in the past.
fn future_start(ctx: &ToolContext, raw: &str, tz: Tz) -> Result<DateTime<Utc>, ToolError> {
    let now = ctx.clock.now();
    let start = parse_start(raw, tz, local_today(now, tz), ctx.date_order)?;
    if start <= now {
        return Err(ToolError(format!(
            "{} has already passed; it is now {}.",
            speak_instant(start, tz),
            speak_instant(now, tz)
        )));
    }
    Ok(start)
}

/// `appointment_create`.
pub(crate) async fn appointment_create(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentCreateParams,
) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let start = future_start(ctx, &p.start, tz)?;
    let event_type_id = event_type_or(ctx, p.event_type_id)?;
    let phone = match p.attendee_phone.given() {
        Some(raw) => Some(phone::to_e164(raw).ok_or_else(|| {
            ToolError(format!("'{raw}' doesn't look like a full phone number; please give it with the country code."))
        })?),
        None => call.caller_phone.clone(),
    };
    // A returning caller need not spell their name and email again: take them from their last
    // booking, but only when the booking is for the number they are calling from.
    let on_file = match (&call.caller_phone, &phone) {
        (Some(caller), Some(booked))
            if caller == booked
                && (p.attendee_name.given().is_none() || p.attendee_email.given().is_none()) =>
        {
            ctx.db
                .latest_appointment_by_phone(caller)
                .await
                .map_err(|e| local_lookup_failed(&e))?
        }
        _ => None,
    };
    let mut filled = Vec::new();
    let name = match (
        p.attendee_name.given(),
        on_file.as_ref().and_then(callers::attendee_name),
    ) {
        (Some(n), _) => n.to_owned(),
        (None, Some(n)) => {
            filled.push("attendeeName");
            n
        }
        (None, None) => return Err(ToolError("I need the name the appointment is for.".into())),
    };
    let name = name.as_str();
    let email_on_file = on_file.as_ref().and_then(|a| a.attendee_email.clone());
    let given_email = match (p.attendee_email.given(), email_on_file) {
        (Some(e), _) => Some(e.to_owned()),
        (None, Some(e)) => {
            filled.push("attendeeEmail");
            Some(e)
        }
        (None, None) => None,
    };
    let email = match given_email.as_deref() {
        Some(e) if e.contains('@') && e.rsplit('@').next().is_some_and(|d| d.contains('.')) => {
            Some(e.to_ascii_lowercase())
        }
        Some(e) => {
            return Err(ToolError(format!(
                "'{e}' doesn't look like an email address; please spell it again."
            )));
        }
        None => None,
    };
    if email.is_none() && phone.is_none() {
        return Err(ToolError(
            "I need a phone number or an email address to book the appointment.".into(),
        ));
    }
    let mut metadata = BTreeMap::new();
    if let Some(call_id) = &call.call_id {
        metadata.insert("vapiCallId".to_owned(), call_id.clone());
    }
    if !call.tool_call_id.is_empty() {
        metadata.insert("vapiToolCallId".to_owned(), call.tool_call_id.clone());
    }
    let notes = p.notes.given();
    let booking_email = email.clone();
    let booking = NewBooking {
        start: utc_iso(start),
        event_type_id,
        attendee: NewAttendee {
            name: name.to_owned(),
            email,
            phone_number: phone,
            time_zone: tz.name().to_owned(),
            language: "en".to_owned(),
        },
        metadata,
        booking_fields_responses: notes
            .map(|n| BTreeMap::from([("notes".to_owned(), n.to_owned())])),
    };
    let caller = (
        booking.attendee.phone_number.as_deref(),
        booking.attendee.email.as_deref(),
    );
    if let Some(existing) = same_call_booking(ctx, call, event_type_id, start, caller).await {
        return Ok(already_booked(ctx, &existing, name, tz));
    }
    // A run that stopped before answering may have booked already: look before booking again.
    let recovered = if call.recovering {
        landed_booking(ctx, call, event_type_id, start).await
    } else {
        None
    };
    let created = match recovered {
        Some(b) => Ok(b),
        None => ctx.cal.create_booking(&booking).await,
    };
    let created = match created {
        Ok(b) => b,
        Err(e) if e.is_slot_unavailable() => {
            // Taken, perhaps by this caller's own booking a moment ago in this call.
            if let Some(existing) = same_call_booking(ctx, call, event_type_id, start, caller).await
            {
                return Ok(already_booked(ctx, &existing, name, tz));
            }
            return Err(ToolError(
                taken_sentence(ctx, event_type_id, start, tz, None).await,
            ));
        }
        Err(e) if e.is_not_found() => {
            return Err(ToolError(format!(
                "Appointment type {event_type_id} doesn't exist in the calendar."
            )));
        }
        Err(e @ (CalError::Timeout | CalError::Unreachable(_))) => {
            // The request may have reached Cal.com and booked after we stopped waiting. Look
            // before telling the caller it failed: a caller who hears "failed" books again.
            match landed_booking(ctx, call, event_type_id, start).await {
                Some(b) => b,
                None => {
                    return Err(ToolError(format!(
                        "{} Nothing was booked for {}; please check the time is still open and try again.",
                        ToolError::calendar(&e, "booking the appointment").0,
                        speak_instant(start, tz)
                    )));
                }
            }
        }
        Err(e) => return Err(ToolError::calendar(&e, "booking the appointment")),
    };
    let now = ctx.clock.now();
    call.record(vec![Observation::from_booking(&created, now)]);
    let when = speak_instant(created.start, tz);
    let summary = if created.status.eq_ignore_ascii_case("pending") {
        format!(
            "Requested {when} for {name}; the business still has to confirm it. Appointment id {}.",
            created.uid
        )
    } else {
        format!("Booked {when} for {name}. Appointment id {}.", created.uid)
    };
    let summary = if filled.is_empty() {
        summary
    } else {
        let what: Vec<String> = filled
            .iter()
            .map(|f| match *f {
                "attendeeName" => format!("the name {name}"),
                _ => format!("the email {}", booking_email.as_deref().unwrap_or_default()),
            })
            .collect();
        format!(
            "{summary} I used {} from the caller's last booking.",
            what.join(" and ")
        )
    };
    let mut out = result_object(summary, ctx.clock.now(), tz);
    out.insert("booked".into(), json!(true));
    if !filled.is_empty() {
        out.insert("filledFromLastBooking".into(), json!(filled));
    }
    out.insert("appointment".into(), describe(&from_cal(&created, now), tz));
    Ok(Value::Object(out))
}

/// An active appointment this caller (same phone or email) already booked in this call for the
/// same event type and start: asking again must not book twice.
async fn same_call_booking(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    start: DateTime<Utc>,
    (phone, email): (Option<&str>, Option<&str>),
) -> Option<Appointment> {
    let call_id = call.call_id.as_deref()?;
    let booked = match ctx.db.appointments_of_call(call_id).await {
        Ok(list) => list,
        Err(err) => {
            tracing::warn!(%err, "could not look for an earlier booking in this call");
            return None;
        }
    };
    booked.into_iter().find(|a| {
        a.is_active()
            && a.event_type_id == Some(event_type_id)
            && a.start_time == Some(start)
            && (phone.is_some_and(|p| appointment_phones(a).iter().any(|x| x == p))
                || email.is_some_and(|e| appointment_emails(a).iter().any(|x| x == e)))
    })
}

/// The answer for a booking the caller already made in this call.
fn already_booked(ctx: &ToolContext, existing: &Appointment, name: &str, tz: Tz) -> Value {
    let summary = format!(
        "Already booked {} for {name} earlier in this call; nothing new was booked. Appointment id {}.",
        when(existing, tz),
        existing.uid
    );
    let mut out = result_object(summary, ctx.clock.now(), tz);
    out.insert("booked".into(), json!(true));
    out.insert("alreadyBooked".into(), json!(true));
    out.insert("appointment".into(), describe(existing, tz));
    Value::Object(out)
}

/// The booking this very tool call made, if Cal.com has it: the booking at `start` whose metadata
/// carries our tool-call id.
async fn landed_booking(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    start: DateTime<Utc>,
) -> Option<Booking> {
    if call.tool_call_id.is_empty() {
        return None;
    }
    let query = BookingQuery {
        event_type_id: Some(event_type_id),
        after_start: Some(utc_iso(start)),
        before_end: Some(utc_iso(start + Duration::days(1))),
        sort_start: Some("asc".into()),
        take: Some(100),
        ..BookingQuery::default()
    };
    let page = ctx.cal.list_bookings(&query).await.ok()?;
    page.bookings.into_iter().find(|b| {
        b.start == start
            && b.metadata
                .as_ref()
                .and_then(|m| m.get("vapiToolCallId"))
                .and_then(Value::as_str)
                == Some(call.tool_call_id.as_str())
    })
}

/// Finds a booking the caller may touch, or says why not. Asks Cal.com: changes need its current state.
async fn owned_booking(
    ctx: &ToolContext,
    call: &CallContext,
    uid: &str,
) -> Result<Appointment, ToolError> {
    let uid = uid.trim();
    if uid.is_empty() {
        return Err(ToolError(
            "I need the appointment id; look it up with appointment_read first.".into(),
        ));
    }
    let booking = match ctx.cal.get_booking(uid).await {
        Ok(b) => from_cal(&b, ctx.clock.now()),
        Err(e) if e.is_not_found() => {
            return Err(ToolError(format!(
                "I couldn't find an appointment with id {uid}."
            )));
        }
        Err(e) => return Err(ToolError::calendar(&e, "looking up the appointment")),
    };
    check_owner(ctx, call, booking).await
}

/// Lets the appointment through only if it is the caller's: booked under the number they call
/// from or, on a call without a number, under an email they gave earlier in this call. A staff
/// line skips the check.
async fn check_owner(
    ctx: &ToolContext,
    call: &CallContext,
    appointment: Appointment,
) -> Result<Appointment, ToolError> {
    if ctx.staff_line {
        return Ok(appointment);
    }
    if let Some(caller) = &call.caller_phone {
        if appointment_phones(&appointment).iter().any(|p| p == caller) {
            return Ok(appointment);
        }
        return Err(ToolError(format!(
            "Appointment {} isn't booked under the number you're calling from, so I can't share or change it.",
            appointment.uid
        )));
    }
    let given = match &call.call_id {
        Some(call_id) => ctx
            .db
            .call_emails(call_id)
            .await
            .map_err(|e| local_lookup_failed(&e))?,
        None => Vec::new(),
    };
    let booked_with = appointment_emails(&appointment);
    if given.iter().any(|e| booked_with.contains(e)) {
        return Ok(appointment);
    }
    Err(ToolError(format!(
        "This call has no phone number, so before I share or change appointment {} I need the email address it was booked with. Please ask the caller for it and look the appointment up by that email.",
        appointment.uid
    )))
}

/// Why an inactive booking can't be changed.
fn inactive_sentence(b: &Appointment, tz: Tz) -> String {
    match &b.rescheduled_to_uid {
        Some(new_uid) => format!(
            "Appointment {} was already moved; its new id is {new_uid}.",
            b.uid
        ),
        None => format!(
            "The appointment on {} is {} and can't be changed.",
            when(b, tz),
            b.status.as_str()
        ),
    }
}

/// `appointment_update`.
pub(crate) async fn appointment_update(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentUpdateParams,
) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let start = future_start(ctx, &p.start, tz)?;
    let old = owned_booking(ctx, call, &p.appointment_id).await?;
    if !old.is_active() {
        return Err(ToolError(inactive_sentence(&old, tz)));
    }
    if old.start_time == Some(start) {
        return Err(ToolError(format!(
            "The appointment is already at {}.",
            speak_instant(start, tz)
        )));
    }
    let reason = p.reason.given();
    let moved = match ctx
        .cal
        .reschedule_booking(&old.uid, &utc_iso(start), reason)
        .await
    {
        Ok(b) => b,
        Err(e) if e.is_slot_unavailable() => {
            let event_type_id = old
                .event_type_id
                .or(ctx.default_event_type_id)
                .unwrap_or_default();
            return Err(ToolError(
                taken_sentence(ctx, event_type_id, start, tz, Some(&old.uid)).await,
            ));
        }
        Err(e) => return Err(ToolError::calendar(&e, "moving the appointment")),
    };
    let now = ctx.clock.now();
    let old_now = Observation {
        uid: old.uid.clone(),
        observed_at: now,
        status: Some(Status::Rescheduled),
        rescheduled_to_uid: Some(moved.uid.clone()),
        ..Observation::default()
    };
    call.record(vec![Observation::from_booking(&moved, now), old_now]);
    let summary = format!(
        "Moved the appointment from {} to {}. The new appointment id is {}.",
        when(&old, tz),
        speak_instant(moved.start, tz),
        moved.uid
    );
    let mut out = result_object(summary, ctx.clock.now(), tz);
    out.insert("moved".into(), json!(true));
    out.insert("previousAppointmentId".into(), json!(old.uid));
    out.insert("appointment".into(), describe(&from_cal(&moved, now), tz));
    Ok(Value::Object(out))
}

/// `appointment_cancel`.
pub(crate) async fn appointment_cancel(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentCancelParams,
) -> ToolResult {
    let tz = ctx.business_tz;
    let booking = owned_booking(ctx, call, &p.appointment_id).await?;
    if matches!(
        booking.status,
        Status::Rescheduled | Status::Rejected | Status::Ended
    ) {
        return Err(ToolError(inactive_sentence(&booking, tz)));
    }
    let already = booking.status == Status::Cancelled;
    let cancelled = if already {
        booking
    } else {
        let reason = p
            .reason
            .given()
            .unwrap_or("Cancelled by the caller over the phone");
        let done = ctx
            .cal
            .cancel_booking(&booking.uid, reason)
            .await
            .map_err(|e| ToolError::calendar(&e, "cancelling the appointment"))?;
        let now = ctx.clock.now();
        call.record(vec![Observation::from_booking(&done, now)]);
        from_cal(&done, now)
    };
    let when = when(&cancelled, tz);
    let summary = if already {
        format!("The appointment on {when} was already cancelled.")
    } else {
        format!("Cancelled the appointment on {when}.")
    };
    let mut out = result_object(summary, ctx.clock.now(), tz);
    out.insert("cancelled".into(), json!(true));
    out.insert("appointment".into(), describe(&cancelled, tz));
    Ok(Value::Object(out))
}

/// The window an `appointment_read` covers: from the start date (or now) to the end date's end.
fn read_window(
    ctx: &ToolContext,
    tz: Tz,
    p: &AppointmentReadParams,
) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), ToolError> {
    let now = ctx.clock.now();
    let today = local_today(now, tz);
    let from = match p.start_date.given() {
        Some(expr) => local_days_bounds(resolve_date(expr, today, ctx.date_order)?, today, tz).0,
        None => now,
    };
    let to = match p.end_date.given() {
        Some(expr) => {
            let day = resolve_date(expr, today, ctx.date_order)?;
            Some(local_days_bounds(day, day, tz).1)
        }
        None => None,
    };
    Ok((from, to))
}

/// Upcoming bookings matching a phone, scanning Cal.com (which cannot filter by phone).
/// Used only until the local table has been synced once.
async fn bookings_by_phone(
    ctx: &ToolContext,
    phone: &str,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<Appointment>, ToolError> {
    let mut found = Vec::new();
    let now = ctx.clock.now();
    for page in 0..PHONE_SCAN_PAGES {
        let query = BookingQuery {
            status: Some("upcoming,unconfirmed".into()),
            after_start: Some(utc_iso(from)),
            before_end: to.map(utc_iso),
            sort_start: Some("asc".into()),
            take: Some(100),
            skip: Some(page * 100),
            ..BookingQuery::default()
        };
        let result = ctx
            .cal
            .list_bookings(&query)
            .await
            .map_err(|e| ToolError::calendar(&e, "looking up appointments"))?;
        found.extend(
            result
                .bookings
                .iter()
                .map(|b| from_cal(b, now))
                .filter(|a| appointment_phones(a).iter().any(|p| p == phone)),
        );
        if !result.has_next_page {
            break;
        }
    }
    Ok(found)
}

/// Upcoming bookings of an attendee email, from Cal.com.
async fn bookings_by_email(
    ctx: &ToolContext,
    email: &str,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<Appointment>, ToolError> {
    let query = BookingQuery {
        status: Some("upcoming,unconfirmed".into()),
        attendee_email: Some(email.to_owned()),
        after_start: Some(utc_iso(from)),
        before_end: to.map(utc_iso),
        sort_start: Some("asc".into()),
        take: Some(100),
        ..BookingQuery::default()
    };
    let now = ctx.clock.now();
    Ok(ctx
        .cal
        .list_bookings(&query)
        .await
        .map_err(|e| ToolError::calendar(&e, "looking up appointments"))?
        .bookings
        .iter()
        .map(|b| from_cal(b, now))
        .collect())
}

fn local_lookup_failed(err: &crate::db::DbError) -> ToolError {
    tracing::error!(%err, "appointment lookup in the local table failed");
    ToolError("I couldn't look up appointments just now. Please try again in a moment.".into())
}

/// `appointment_read`: from the local table once it has been synced (no Cal.com request),
/// from Cal.com before that.
pub(crate) async fn appointment_read(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentReadParams,
) -> ToolResult {
    let tz = ctx.business_tz;
    let now = ctx.clock.now();
    let local = sync::table_is_synced(&ctx.db).await;
    if let Some(uid) = p.appointment_id.given() {
        let stored = if local {
            ctx.db
                .appointment(uid)
                .await
                .map_err(|e| local_lookup_failed(&e))?
        } else {
            None
        };
        let appointment = match stored {
            Some(a) => check_owner(ctx, call, a).await?,
            // Not synced yet, or booked a moment ago and not here yet: ask Cal.com.
            None => owned_booking(ctx, call, uid).await?,
        };
        let summary = format!(
            "Appointment {} is on {} and is {}.",
            appointment.uid,
            when(&appointment, tz),
            appointment.status.as_str()
        );
        let mut out = result_object(summary, now, tz);
        out.insert("appointments".into(), json!([describe(&appointment, tz)]));
        return Ok(Value::Object(out));
    }
    let (from, to) = read_window(ctx, tz, &p)?;
    // The number VAPI reports beats one the model typed: callers only see their own bookings.
    let phone =
        match (&call.caller_phone, p.phone.given()) {
            (Some(caller), _) => Some(caller.clone()),
            (None, Some(raw)) => Some(phone::to_e164(raw).ok_or_else(|| {
                ToolError(format!("'{raw}' doesn't look like a full phone number."))
            })?),
            (None, None) => None,
        };
    let email = p.email.given().map(str::to_ascii_lowercase);
    if phone.is_none() && email.is_none() {
        return Err(ToolError(
            "I need a phone number or an email to look up appointments; this call has no caller number.".into(),
        ));
    }
    let mut found = match (&phone, local) {
        (Some(ph), true) => ctx
            .db
            .active_appointments(Contact::Phone(ph), from, to)
            .await
            .map_err(|e| local_lookup_failed(&e))?,
        (Some(ph), false) => bookings_by_phone(ctx, ph, from, to).await?,
        (None, _) => Vec::new(),
    };
    let mut searched = phone
        .iter()
        .map(|p| format!("the number {p}"))
        .collect::<Vec<_>>();
    if let (true, Some(email)) = (found.is_empty(), &email) {
        found = if local {
            ctx.db
                .active_appointments(Contact::Email(email), from, to)
                .await
                .map_err(|e| local_lookup_failed(&e))?
        } else {
            bookings_by_email(ctx, email, from, to).await?
        };
        searched.push(format!("the email {email}"));
    }
    found.retain(|a| a.is_active() && a.end_time.is_some_and(|end| end > now));
    found.sort_by_key(|a| a.start_time);
    let listed: Vec<&Appointment> = found.iter().take(LISTED).collect();
    let summary = if listed.is_empty() {
        format!(
            "No upcoming appointments found for {}.",
            searched.join(" or ")
        )
    } else {
        let items: Vec<String> = listed
            .iter()
            .map(|a| format!("{} (id {})", when(a, tz), a.uid))
            .collect();
        let count = found.len();
        let noun = if count == 1 {
            "appointment"
        } else {
            "appointments"
        };
        let more = count.saturating_sub(LISTED);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{count} upcoming {noun}: {}{tail}.", items.join("; "))
    };
    let mut out = result_object(summary, now, tz);
    out.insert("count".into(), json!(found.len()));
    out.insert(
        "appointments".into(),
        Value::Array(listed.iter().map(|a| describe(a, tz)).collect()),
    );
    Ok(Value::Object(out))
}
