//! `appointment_create`: resolve who the appointment is for, book it (or find the booking an
//! earlier run of the same call already made), and say what was booked.

use super::*;
use crate::domain::{
    appointment::{CALL_ID_KEY, CALLER_NUMBER_KEY},
    text::{PROFILE_CHARS, clean_line},
};
use crate::tools::speech::Filled;

/// `appointment_create`.
pub(crate) async fn appointment_create(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentCreateParams,
) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let start = future_start(ctx, call, &p.start, tz)?;
    let event_type_id = event_type_or(ctx, p.event_type_id)?;
    let held = crate::tools::waitlist::held_time(ctx, call, event_type_id, start).await?;
    let mut p = p;
    // A time offered from the waitlist is booked under the name they joined with.
    if p.attendee_name.given().is_none()
        && let Some(name) = held.as_ref().and_then(|h| h.name.clone())
    {
        p.attendee_name = Some(name);
    }
    // Who it is for, and what this call booked already: two reads, neither waiting on the other.
    let (attendee, call_bookings) =
        tokio::join!(resolve_attendee(ctx, call, &p), call_bookings(ctx, call));
    let attendee = attendee?;
    let booking = new_booking(call, &attendee, start, event_type_id, tz, p.notes.given());
    let created =
        match book_or_recover(ctx, call, &booking, &attendee, (call_bookings, start), tz).await? {
            Booked::New(created) => *created,
            Booked::Earlier(answer) => return Ok(answer),
        };
    if let Some(held) = &held {
        crate::tools::waitlist::offer_taken(ctx, held, &created.uid).await;
    }
    Ok(speak_booked(ctx, call, &created, &attendee, tz))
}

/// Who the appointment is for: as given, or from the caller's last booking.
struct Attendee {
    /// The name it is booked under.
    name: String,
    /// The email, lower-cased, if any.
    email: Option<String>,
    /// The phone number in E.164, if any.
    phone: Option<String>,
    /// Which parameters were filled from the caller's last booking.
    filled: Vec<&'static str>,
}

/// Works out the attendee from the parameters and, for a returning caller who left the name or
/// email out, their last booking made from the number they call from.
async fn resolve_attendee(
    ctx: &ToolContext,
    call: &CallContext,
    p: &AppointmentCreateParams,
) -> Result<Attendee, ToolError> {
    let phone = match (p.attendee_phone.given(), &call.caller_phone) {
        (Some(raw), caller) => {
            let given = phone::to_e164(raw).ok_or_else(|| {
                ToolError::Say(Say::PhoneNotFullForBooking {
                    raw: raw.to_owned(),
                })
            })?;
            // A caller books under their own number only: a booking under someone else's number
            // would show up as theirs (and as their profile) on that person's next call.
            if !call.staff && caller.as_ref() != Some(&given) {
                return Err(ToolError::Say(match caller {
                    Some(own) => Say::OnlyOwnNumber { own: own.clone() },
                    None => Say::NoNumberToBookUnder,
                }));
            }
            Some(given)
        }
        (None, caller) => caller.clone(),
    };
    // A returning caller need not spell their name and email again: take them from their last
    // accepted booking made from the number they are calling from, cleaned (they are data, not
    // instructions), and say them back in the answer.
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
    let name_on_file = on_file
        .as_ref()
        .and_then(Appointment::attendee_name)
        .map(|n| clean_line(&n, PROFILE_CHARS))
        .filter(|n| !n.is_empty());
    let email_on_file = on_file
        .as_ref()
        .and_then(|a| a.attendee_email.as_deref())
        .map(|e| clean_line(e, PROFILE_CHARS))
        .filter(|e| !e.is_empty());
    let mut filled = Vec::new();
    let name = match (p.attendee_name.given(), name_on_file) {
        (Some(n), _) => n.to_owned(),
        (None, Some(n)) => {
            filled.push("attendeeName");
            n
        }
        (None, None) => return Err(Say::NeedName.into()),
    };
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
            return Err(Say::BadEmail {
                email: e.to_owned(),
            }
            .into());
        }
        None => None,
    };
    if email.is_none() && phone.is_none() {
        return Err(Say::NeedPhoneOrEmail.into());
    }
    Ok(Attendee {
        name,
        email,
        phone,
        filled,
    })
}

/// The booking request, carrying the call and tool-call ids so a booking can be traced back to
/// its call (and found again by a run that lost its answer).
fn new_booking(
    call: &CallContext,
    attendee: &Attendee,
    start: DateTime<Utc>,
    event_type_id: i64,
    tz: Tz,
    notes: Option<&str>,
) -> NewBooking {
    let mut metadata = BTreeMap::new();
    if let Some(call_id) = &call.call_id {
        metadata.insert(CALL_ID_KEY.to_owned(), call_id.clone());
    }
    // Who booked it, so only bookings made from a number become that number's profile.
    if let Some(caller) = &call.caller_phone {
        metadata.insert(CALLER_NUMBER_KEY.to_owned(), caller.clone());
    }
    if !call.tool_call_id.is_empty() {
        metadata.insert("vapiToolCallId".to_owned(), call.tool_call_id.clone());
    }
    NewBooking {
        start: utc_iso(start),
        event_type_id,
        attendee: NewAttendee {
            name: attendee.name.clone(),
            email: attendee.email.clone(),
            phone_number: attendee.phone.clone(),
            time_zone: tz.name().to_owned(),
            // Cal.com writes its own emails to the attendee in this language.
            language: call.lang.code().to_owned(),
        },
        metadata,
        booking_fields_responses: notes
            .map(|n| BTreeMap::from([("notes".to_owned(), n.to_owned())])),
    }
}

/// What booking came to.
enum Booked {
    /// Cal.com has this booking for the call (new, or made by an earlier run of this tool call).
    New(Box<Booking>),
    /// The caller already booked this time earlier in the call: the answer says so.
    Earlier(Value),
}

/// Books, unless this call already booked the same time (`booked_before`, read before), or an
/// earlier run of this tool call reached Cal.com before it stopped; a timeout is checked before
/// the caller hears "failed".
async fn book_or_recover(
    ctx: &ToolContext,
    call: &CallContext,
    booking: &NewBooking,
    attendee: &Attendee,
    (booked_before, start): (Vec<Appointment>, DateTime<Utc>),
    tz: Tz,
) -> Result<Booked, ToolError> {
    let event_type_id = booking.event_type_id;
    let caller = (attendee.phone.as_deref(), attendee.email.as_deref());
    if let Some(existing) = same_booking(booked_before, event_type_id, start, caller) {
        return Ok(Booked::Earlier(already_booked(
            ctx,
            call,
            &existing,
            &attendee.name,
            tz,
        )));
    }
    // Over the caller's or the call's limit nothing goes to Cal.com.
    crate::tools::limits::admit_booking(ctx, call).await?;
    // A run that stopped before answering may have booked already: look before booking again.
    let recovered = if call.recovering {
        landed_booking(ctx, call, event_type_id, start).await
    } else {
        None
    };
    let created = match recovered {
        Some(b) => Ok(b),
        None => ctx.cal.create_booking(booking).await,
    };
    match created {
        Ok(b) => Ok(Booked::New(Box::new(b))),
        Err(e) if e.is_slot_unavailable() => {
            // Taken, perhaps by this caller's own booking a moment ago in this call.
            let booked_since = call_bookings(ctx, call).await;
            if let Some(existing) = same_booking(booked_since, event_type_id, start, caller) {
                return Ok(Booked::Earlier(already_booked(
                    ctx,
                    call,
                    &existing,
                    &attendee.name,
                    tz,
                )));
            }
            Err(taken(ctx, call, event_type_id, start, tz, None).await)
        }
        Err(e) if e.is_not_found() => Err(Say::NoSuchEventType { id: event_type_id }.into()),
        Err(e @ (CalError::Timeout | CalError::Unreachable(_))) => {
            // The request may have reached Cal.com and booked after we stopped waiting. Look
            // before telling the caller it failed: a caller who hears "failed" books again.
            match landed_booking(ctx, call, event_type_id, start).await {
                Some(b) => Ok(Booked::New(Box::new(b))),
                None => Err(Say::NothingBooked {
                    fault: Box::new(Say::Calendar {
                        fault: super::super::fault_of(&e),
                        doing: Doing::Booking,
                    }),
                    at: start,
                    zone: tz,
                }
                .into()),
            }
        }
        Err(e) => Err(ToolError::calendar(&e, Doing::Booking)),
    }
}

/// Notes the new booking for the call's commit and says what was booked, naming what was taken
/// from the caller's last booking.
fn speak_booked(
    ctx: &ToolContext,
    call: &CallContext,
    created: &Booking,
    attendee: &Attendee,
    tz: Tz,
) -> Value {
    let now = ctx.clock.now();
    call.record(vec![Observation::from_booking(created, now)]);
    let filled = attendee
        .filled
        .iter()
        .map(|f| match *f {
            "attendeeName" => Filled::Name(attendee.name.clone()),
            _ => Filled::Email(attendee.email.clone().unwrap_or_default()),
        })
        .collect();
    let summary = Say::Booked {
        at: created.start,
        zone: tz,
        name: attendee.name.clone(),
        uid: created.uid.clone(),
        pending: created.status.eq_ignore_ascii_case("pending"),
        filled,
    };
    let mut out = result_object(summary, call, now, tz);
    out.insert("booked".into(), json!(true));
    if !attendee.filled.is_empty() {
        out.insert("filledFromLastBooking".into(), json!(attendee.filled));
    }
    out.insert(
        "appointment".into(),
        describe(&from_cal(created, now), tz, call.lang),
    );
    Value::Object(out)
}

/// The appointments this call booked so far (none without a call id, or when they cannot be
/// read: the booking then goes to Cal.com, which refuses a time already taken).
async fn call_bookings(ctx: &ToolContext, call: &CallContext) -> Vec<Appointment> {
    let Some(call_id) = call.call_id.as_deref() else {
        return Vec::new();
    };
    ctx.db
        .appointments_of_call(call_id)
        .await
        .unwrap_or_else(|err| {
            tracing::warn!(%err, "could not look for an earlier booking in this call");
            Vec::new()
        })
}

/// An active appointment of `booked` this caller (same phone or email) made for the same event
/// type and start: asking again must not book twice.
fn same_booking(
    booked: Vec<Appointment>,
    event_type_id: i64,
    start: DateTime<Utc>,
    (phone, email): (Option<&str>, Option<&str>),
) -> Option<Appointment> {
    booked.into_iter().find(|a| {
        a.is_active()
            && a.event_type_id == Some(event_type_id)
            && a.start_time == Some(start)
            && (phone.is_some_and(|p| appointment_phones(a).iter().any(|x| x == p))
                || email.is_some_and(|e| appointment_emails(a).iter().any(|x| x == e)))
    })
}

/// The answer for a booking the caller already made in this call.
fn already_booked(
    ctx: &ToolContext,
    call: &CallContext,
    existing: &Appointment,
    name: &str,
    tz: Tz,
) -> Value {
    let summary = Say::AlreadyBooked {
        at: existing.start_time,
        zone: tz,
        name: name.to_owned(),
        uid: existing.uid.clone(),
    };
    let mut out = result_object(summary, call, ctx.clock.now(), tz);
    out.insert("booked".into(), json!(true));
    out.insert("alreadyBooked".into(), json!(true));
    out.insert("appointment".into(), describe(existing, tz, call.lang));
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
