//! Bookings (version 2024-08-13): create with Cal.com's validation and error messages, reschedule
//! (a new uid, the old one cancelled), cancel, list with filters and paging, and their JSON shape.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::routing::{ApiErr, Ctx, HandlerResult, parse_paging};
use super::state::{Attendee, Booking, State};
use super::text::{iso_ms, looks_like_email, new_uid, parse_iso};
use super::users::host_json;
use super::{EventTypeSpec, SeedBooking, Simulator};

pub(super) const MSG_NOT_AVAILABLE: &str =
    "User either already has booking at this time or is not available";

pub(super) const MSG_PAST: &str = "Attempting to book a meeting in the past.";

pub(super) const MSG_NOTICE: &str = "The event type can't be booked at the \"start\" time provided. This could be because it's too soon (violating the minimum booking notice) or too far in the future (outside the event's scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with \"start\" time equal to one of the available slots.";

pub(super) fn booking_not_found(uid: &str) -> ApiErr {
    ApiErr::http(
        404,
        format!("Booking with uid={uid} was not found in the database"),
    )
}

pub(super) fn create_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    let body = ctx.json_body()?;
    let start = parse_start(ctx, &body)?;
    let attendee = parse_attendee(ctx, &body)?;
    let metadata = parse_metadata(ctx, &body)?;
    let guests = match body.get("guests") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|g| {
                g.as_str()
                    .filter(|s| looks_like_email(s))
                    .map(str::to_string)
                    .ok_or_else(|| ctx.err(400, "each value in guests must be an email"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(ctx.err(400, "guests must be an array")),
    };
    let responses = match body.get("bookingFieldsResponses") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ctx.err(400, "bookingFieldsResponses must be an object")),
    };
    let location = parse_location(ctx, &body)?;
    let et_id = match body.get("eventTypeId") {
        Some(v) => v
            .as_i64()
            .ok_or_else(|| ctx.err(400, "eventTypeId must be an integer number"))?,
        None => {
            return Err(ctx.err(
                400,
                "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided",
            ));
        }
    };
    let et = st
        .event_type(et_id)
        .cloned()
        .ok_or_else(|| ctx.err(404, format!("Event type with id {et_id} not found.")))?;
    if let Some(len) = body.get("lengthInMinutes").filter(|v| !v.is_null())
        && len.as_i64() != Some(et.length_minutes)
    {
        return Err(ctx.err(
            400,
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
        ));
    }
    check_bookable(st, ctx, &et, start, None)?;

    let id = st.next_id();
    let uid = new_uid();
    let title = st.title_for(et.id, &attendee.name);
    st.bookings.push(Booking {
        id,
        uid: uid.clone(),
        event_type_id: et.id,
        title,
        start,
        end: start + chrono::Duration::minutes(et.length_minutes),
        status: "accepted".to_string(),
        attendee,
        guests,
        metadata,
        responses,
        location,
        cancellation_reason: None,
        cancelled_by_email: None,
        rescheduling_reason: None,
        rescheduled_by_email: None,
        rescheduled_from_uid: None,
        rescheduled_to_uid: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    });
    events.push(("BOOKING_CREATED", uid.clone()));
    let b = st.booking(&uid).ok_or_else(|| booking_not_found(&uid))?;
    Ok((
        201,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

/// Past / minimum notice / availability checks shared by create and reschedule.
pub(super) fn check_bookable(
    st: &State,
    ctx: &Ctx<'_>,
    et: &EventTypeSpec,
    start: DateTime<Utc>,
    ignore_uid: Option<&str>,
) -> Result<(), ApiErr> {
    if start < ctx.now {
        return Err(ctx.err(400, MSG_PAST));
    }
    if start < ctx.now + chrono::Duration::minutes(et.minimum_notice_minutes) {
        return Err(ctx.err(400, MSG_NOTICE));
    }
    if !st.is_open_slot(et, start, ctx.now, ignore_uid) {
        return Err(ctx.err(400, MSG_NOT_AVAILABLE));
    }
    Ok(())
}

pub(super) fn parse_start(
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> Result<DateTime<Utc>, ApiErr> {
    body.get("start")
        .and_then(Value::as_str)
        .and_then(parse_iso)
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))
}

pub(super) fn parse_attendee(ctx: &Ctx<'_>, body: &Map<String, Value>) -> Result<Attendee, ApiErr> {
    let a = match body.get("attendee") {
        Some(Value::Object(a)) => a,
        None | Some(Value::Null) => {
            return Err(ctx.err(400, "attendee should not be null or undefined"));
        }
        Some(_) => {
            return Err(ctx.err(
                400,
                "nested property attendee must be either object or array",
            ));
        }
    };
    let opt_str = |key: &str| -> Result<Option<String>, ApiErr> {
        match a.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ctx.err(400, format!("attendee.{key} must be a string"))),
        }
    };
    let name = opt_str("name")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ctx.err(400, "attendee.name must be a string"))?;
    let time_zone = opt_str("timeZone")?
        .filter(|s| s.parse::<Tz>().is_ok())
        .ok_or_else(|| ctx.err(400, "attendee.timeZone must be a valid IANA time-zone"))?;
    let email = opt_str("email")?.filter(|s| !s.is_empty());
    if let Some(e) = &email
        && !looks_like_email(e)
    {
        return Err(ctx.err(400, "attendee.email must be an email"));
    }
    let phone = opt_str("phoneNumber")?.filter(|s| !s.is_empty());
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !p.starts_with('+') || digits < 7 {
            return Err(ctx.err(400, "attendee.phoneNumber must be a valid phone number"));
        }
    }
    if email.is_none() && phone.is_none() {
        return Err(ctx.err(
            400,
            "Attendee must have at least one contact method (email or phone number)",
        ));
    }
    let language = opt_str("language")?.unwrap_or_else(|| "en".to_string());
    Ok(Attendee {
        name,
        email,
        phone,
        time_zone,
        language,
    })
}

pub(super) fn parse_metadata(
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiErr> {
    let m = match body.get("metadata") {
        None | Some(Value::Null) => return Ok(Map::new()),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ctx.err(400, "metadata must be an object")),
    };
    if m.len() > 50 {
        return Err(ctx.err(400, "Metadata can have a maximum of 50 keys"));
    }
    for (k, v) in &m {
        if k.chars().count() > 40 {
            return Err(ctx.err(
                400,
                "Metadata keys can have a maximum length of 40 characters",
            ));
        }
        let too_long = match v {
            Value::String(s) => s.chars().count() > 500,
            Value::Number(_) | Value::Bool(_) | Value::Null => false,
            other => other.to_string().chars().count() > 500,
        };
        if too_long {
            return Err(ctx.err(
                400,
                "Metadata values can have a maximum length of 500 characters",
            ));
        }
    }
    Ok(m)
}

/// Booking `location` input (object per the 2024-08-13 API, or a legacy plain string).
pub(super) fn parse_location(
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> Result<Option<String>, ApiErr> {
    let loc = match body.get("location") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => return Ok(Some(s.clone())),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ctx.err(400, "location must be an object")),
    };
    let field = |k: &str| loc.get(k).and_then(Value::as_str).map(str::to_string);
    let shown = match loc.get("type").and_then(Value::as_str) {
        Some("attendeePhone") => field("phone"),
        Some("attendeeAddress") => field("address"),
        Some("attendeeDefined") => field("location"),
        Some("integration") => match field("integration").as_deref() {
            Some("cal-video") | None => None,
            Some(other) => Some(format!("integrations:{}", other.replace('-', "_"))),
        },
        Some("address") => Some("Our office".to_string()),
        Some("link") => Some("https://example.com/meeting".to_string()),
        Some("phone") => Some("+15550000000".to_string()),
        Some("organizersDefaultApp") => None,
        _ => return Err(ctx.err(400, "location.type must be a valid location type")),
    };
    Ok(shown)
}

pub(super) fn reschedule_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    uid: &str,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    let body = ctx.json_body()?;
    let old = st
        .booking(uid)
        .cloned()
        .ok_or_else(|| booking_not_found(uid))?;
    if old.rescheduled_to_uid.is_some() {
        return Err(ctx.err(
            400,
            "Can't reschedule a booking that has already been rescheduled",
        ));
    }
    if old.status == "cancelled" || old.status == "rejected" {
        return Err(ctx.err(400, "Can't reschedule a booking that has been cancelled"));
    }
    let start = parse_start(ctx, &body)?;
    let reason = match body.get("reschedulingReason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "reschedulingReason must be a string")),
    };
    let by = match body.get("rescheduledBy") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if looks_like_email(s) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "rescheduledBy must be an email")),
    };
    let et = st.event_type(old.event_type_id).cloned().ok_or_else(|| {
        ctx.err(
            404,
            format!("Event type with id {} not found.", old.event_type_id),
        )
    })?;
    check_bookable(st, ctx, &et, start, Some(uid))?;

    let id = st.next_id();
    let new_uid = new_uid();
    let title = st.title_for(et.id, &old.attendee.name);
    let new = Booking {
        id,
        uid: new_uid.clone(),
        title,
        start,
        end: start + chrono::Duration::minutes(et.length_minutes),
        status: "accepted".to_string(),
        cancellation_reason: None,
        cancelled_by_email: None,
        rescheduling_reason: reason.clone(),
        rescheduled_by_email: by.clone(),
        rescheduled_from_uid: Some(old.uid.clone()),
        rescheduled_to_uid: None,
        created_at: ctx.now,
        updated_at: ctx.now,
        ..old.clone()
    };
    if let Some(o) = st.booking_mut(uid) {
        o.status = "cancelled".to_string();
        o.rescheduled_to_uid = Some(new_uid.clone());
        o.rescheduling_reason = reason;
        o.rescheduled_by_email = by;
        o.updated_at = ctx.now;
    }
    st.bookings.push(new);
    events.push(("BOOKING_RESCHEDULED", new_uid.clone()));
    let b = st
        .booking(&new_uid)
        .ok_or_else(|| booking_not_found(&new_uid))?;
    Ok((
        201,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

pub(super) fn cancel_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    uid: &str,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    if ctx.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.err(400, "Request body is required; send at least {}"));
    }
    let body = ctx.json_body()?;
    let reason = match body.get("cancellationReason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "cancellationReason must be a string")),
    };
    let me_email = st.me.email.clone();
    let b = st.booking_mut(uid).ok_or_else(|| booking_not_found(uid))?;
    if b.status == "cancelled" || b.status == "rejected" {
        return Err(ApiErr::http(
            400,
            "This booking has already been cancelled.",
        ));
    }
    b.status = "cancelled".to_string();
    b.cancellation_reason = reason;
    b.cancelled_by_email = Some(me_email);
    b.updated_at = ctx.now;
    events.push(("BOOKING_CANCELLED", uid.to_string()));
    let b = st.booking(uid).ok_or_else(|| booking_not_found(uid))?;
    Ok((
        200,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

pub(super) fn list_bookings(st: &State, ctx: &Ctx<'_>) -> HandlerResult {
    let now = ctx.now;
    let statuses: Vec<String> = match ctx.q("status").filter(|s| !s.trim().is_empty()) {
        None => Vec::new(),
        Some(raw) => raw.split(',').map(|s| s.trim().to_string()).collect(),
    };
    for s in &statuses {
        if !["upcoming", "recurring", "past", "cancelled", "unconfirmed"].contains(&s.as_str()) {
            return Err(ctx.err(
                400,
                "status must be one of the following values: upcoming, recurring, past, cancelled, unconfirmed",
            ));
        }
    }
    let date_param = |name: &str| -> Result<Option<DateTime<Utc>>, ApiErr> {
        match ctx.q(name) {
            None => Ok(None),
            Some(raw) => parse_iso(&raw.replace(' ', "+")).map(Some).ok_or_else(|| {
                ctx.err(400, format!("{name} must be a valid ISO 8601 date string"))
            }),
        }
    };
    let after_start = date_param("afterStart")?;
    let before_end = date_param("beforeEnd")?;
    let after_created = date_param("afterCreatedAt")?;
    let before_created = date_param("beforeCreatedAt")?;
    let after_updated = date_param("afterUpdatedAt")?;
    let before_updated = date_param("beforeUpdatedAt")?;
    let attendee_email = ctx.q("attendeeEmail").map(|s| s.trim().replace(' ', "+"));
    let attendee_name = ctx.q("attendeeName").map(|s| s.trim().to_string());
    let booking_uid = ctx.q("bookingUid");
    let mut event_type_ids: Vec<i64> = Vec::new();
    for key in ["eventTypeId", "eventTypeIds"] {
        if let Some(raw) = ctx.q(key) {
            for part in raw.split(',').filter(|p| !p.trim().is_empty()) {
                event_type_ids.push(part.trim().parse().map_err(|_| {
                    ctx.err(
                        400,
                        format!("{key} must be a number conforming to the specified constraints"),
                    )
                })?);
            }
        }
    }
    let take = parse_paging(ctx, "take", 100, 1, 250)?;
    let skip = parse_paging(ctx, "skip", 0, 0, i64::MAX)?;
    let mut sort: Option<(&str, bool)> = None;
    for key in ["sortStart", "sortEnd", "sortCreated", "sortUpdatedAt"] {
        if let Some(dir) = ctx.q(key) {
            let desc = match dir {
                "asc" => false,
                "desc" => true,
                _ => {
                    return Err(ctx.err(
                        400,
                        format!("{key} must be one of the following values: asc, desc"),
                    ));
                }
            };
            if sort.is_none() {
                sort = Some((key, desc));
            }
        }
    }

    let status_ok = |b: &Booking| {
        if statuses.is_empty() {
            return true;
        }
        let dead = b.status == "cancelled" || b.status == "rejected";
        statuses.iter().any(|s| match s.as_str() {
            "upcoming" => b.end >= now && !dead,
            "past" => b.end <= now && !dead,
            "cancelled" => dead,
            "unconfirmed" => b.status == "pending" && b.end >= now,
            _ => false,
        })
    };
    let mut matched: Vec<&Booking> = st
        .bookings
        .iter()
        .filter(|b| status_ok(b))
        .filter(|b| {
            attendee_email
                .as_deref()
                .is_none_or(|e| b.attendee.email_or_placeholder() == e)
        })
        .filter(|b| {
            attendee_name
                .as_deref()
                .is_none_or(|n| b.attendee.name == n)
        })
        .filter(|b| booking_uid.is_none_or(|u| b.uid == u))
        .filter(|b| event_type_ids.is_empty() || event_type_ids.contains(&b.event_type_id))
        .filter(|b| after_start.is_none_or(|t| b.start >= t))
        .filter(|b| before_end.is_none_or(|t| b.end <= t))
        .filter(|b| after_created.is_none_or(|t| b.created_at >= t))
        .filter(|b| before_created.is_none_or(|t| b.created_at <= t))
        .filter(|b| after_updated.is_none_or(|t| b.updated_at >= t))
        .filter(|b| before_updated.is_none_or(|t| b.updated_at <= t))
        .collect();
    if let Some((key, desc)) = sort {
        matched.sort_by(|a, b| {
            let ord = match key {
                "sortStart" => a.start.cmp(&b.start),
                "sortEnd" => a.end.cmp(&b.end),
                "sortCreated" => a.created_at.cmp(&b.created_at),
                _ => a.updated_at.cmp(&b.updated_at),
            }
            .then(a.id.cmp(&b.id));
            if desc { ord.reverse() } else { ord }
        });
    }
    let total = matched.len() as i64;
    let data: Vec<Value> = matched
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(take).unwrap_or(usize::MAX))
        .map(|b| booking_json(st, b))
        .collect();
    let returned = data.len() as i64;
    let pagination = json!({
        "totalItems": total,
        "remainingItems": (total - skip - returned).max(0),
        "returnedItems": returned,
        "itemsPerPage": take,
        "currentPage": skip / take + 1,
        "totalPages": (total + take - 1) / take,
        "hasNextPage": skip + take < total,
        "hasPreviousPage": skip > 0,
    });
    Ok((
        200,
        json!({"status": "success", "data": data, "pagination": pagination}),
    ))
}

pub(super) fn booking_json(st: &State, b: &Booking) -> Value {
    let slug = st
        .event_type(b.event_type_id)
        .map(|e| e.slug.clone())
        .unwrap_or_default();
    let email = b.attendee.email_or_placeholder();
    let mut m = Map::new();
    m.insert("id".into(), json!(b.id));
    m.insert("uid".into(), json!(b.uid));
    m.insert("title".into(), json!(b.title));
    m.insert("description".into(), json!(""));
    m.insert("status".into(), json!(b.status));
    m.insert("hosts".into(), json!([host_json(st)]));
    m.insert(
        "cancellationReason".into(),
        json!(b.cancellation_reason.clone().unwrap_or_default()),
    );
    m.insert(
        "cancelledByEmail".into(),
        json!(b.cancelled_by_email.clone().unwrap_or_default()),
    );
    if let Some(r) = &b.rescheduling_reason {
        m.insert("reschedulingReason".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_by_email {
        m.insert("rescheduledByEmail".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_from_uid {
        m.insert("rescheduledFromUid".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_to_uid {
        m.insert("rescheduledToUid".into(), json!(r));
    }
    m.insert("start".into(), json!(iso_ms(b.start)));
    m.insert("end".into(), json!(iso_ms(b.end)));
    m.insert("duration".into(), json!((b.end - b.start).num_minutes()));
    m.insert("eventTypeId".into(), json!(b.event_type_id));
    m.insert(
        "eventType".into(),
        json!({"id": b.event_type_id, "slug": slug}),
    );
    if b.location.is_none() {
        m.insert("meetingUrl".into(), json!(b.video_url()));
    }
    m.insert("location".into(), json!(b.shown_location()));
    m.insert("absentHost".into(), json!(false));
    m.insert("createdAt".into(), json!(iso_ms(b.created_at)));
    m.insert("updatedAt".into(), json!(iso_ms(b.updated_at)));
    m.insert("metadata".into(), Value::Object(b.metadata.clone()));
    m.insert("rating".into(), Value::Null);
    m.insert("icsUid".into(), json!(format!("{}@Cal.com", b.uid)));
    m.insert(
        "attendees".into(),
        json!([{
            "name": b.attendee.name,
            "email": email,
            "displayEmail": email,
            "timeZone": b.attendee.time_zone,
            "language": b.attendee.language,
            "absent": false,
            "phoneNumber": b.attendee.phone,
        }]),
    );
    m.insert("guests".into(), json!(b.guests));
    let mut bfr = Map::new();
    bfr.insert("name".into(), json!(b.attendee.name));
    if let Some(e) = &b.attendee.email {
        bfr.insert("email".into(), json!(e));
    }
    if let Some(p) = &b.attendee.phone {
        bfr.insert("attendeePhoneNumber".into(), json!(p));
    }
    if !b.guests.is_empty() {
        bfr.insert("guests".into(), json!(b.guests));
    }
    for (k, v) in &b.responses {
        if !bfr.contains_key(k) {
            bfr.insert(k.clone(), v.clone());
        }
    }
    m.insert("bookingFieldsResponses".into(), Value::Object(bfr));
    Value::Object(m)
}

impl Simulator {
    /// Inserts an accepted booking without sending a webhook and without availability checks.
    pub fn seed_booking(&self, seed: SeedBooking) {
        let now = self.now();
        let mut st = self.lock();
        let length = st
            .event_type(seed.event_type_id)
            .map(|e| e.length_minutes)
            .unwrap_or(30);
        let id = st.next_id();
        let title = st.title_for(seed.event_type_id, &seed.attendee_name);
        st.bookings.retain(|b| b.uid != seed.uid);
        st.bookings.push(Booking {
            id,
            uid: seed.uid,
            event_type_id: seed.event_type_id,
            title,
            start: seed.start,
            end: seed.start + chrono::Duration::minutes(length),
            status: "accepted".to_string(),
            attendee: Attendee {
                name: seed.attendee_name,
                email: seed.attendee_email,
                phone: seed.attendee_phone,
                time_zone: seed.attendee_time_zone,
                language: "en".to_string(),
            },
            guests: Vec::new(),
            metadata: Map::new(),
            responses: Map::new(),
            location: None,
            cancellation_reason: None,
            cancelled_by_email: None,
            rescheduling_reason: None,
            rescheduled_by_email: None,
            rescheduled_from_uid: None,
            rescheduled_to_uid: None,
            created_at: now,
            updated_at: now,
        });
    }

    /// Current bookings as `BookingOutput_2024_08_13` JSON, in creation order.
    pub fn bookings(&self) -> Vec<Value> {
        let st = self.lock();
        st.bookings.iter().map(|b| booking_json(&st, b)).collect()
    }
}
