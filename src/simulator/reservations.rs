//! `/v2/slots/reservations` (version 2024-09-04): a time held for a few minutes. While held it is
//! left out of `GET /v2/slots` for everyone; a booking itself does not look at holds (the booking
//! engine gives a real booking priority over a reservation).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::routing::{ApiErr, Ctx, HandlerResult};
use super::state::State;
use super::text::{iso_ms, parse_iso};

/// Hold length when the request names none, in minutes.
const DEFAULT_HOLD_MINUTES: i64 = 5;

/// One held time.
#[derive(Clone, Debug)]
pub(super) struct Reservation {
    pub(super) uid: String,
    pub(super) event_type_id: i64,
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    pub(super) minutes: i64,
    pub(super) until: DateTime<Utc>,
}

impl Reservation {
    fn json(&self) -> Value {
        json!({
            "eventTypeId": self.event_type_id,
            "slotStart": iso_ms(self.start),
            "slotEnd": iso_ms(self.end),
            "slotDuration": (self.end - self.start).num_minutes(),
            "reservationUid": self.uid,
            "reservationDuration": self.minutes,
            "reservationUntil": iso_ms(self.until),
        })
    }
}

impl State {
    /// Whether a live hold covers part of `[start, end)` of `event_type_id`.
    pub(super) fn is_held(
        &self,
        event_type_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        self.reservations.iter().any(|r| {
            r.event_type_id == event_type_id && r.until > now && r.start < end && r.end > start
        })
    }
}

/// A positive whole number field, or `default` when absent.
fn minutes_field(
    ctx: &Ctx<'_>,
    body: &serde_json::Map<String, Value>,
    name: &str,
    default: i64,
) -> Result<i64, ApiErr> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_i64()
            .filter(|n| *n > 0)
            .ok_or_else(|| ctx.err(400, format!("{name} must be a positive integer"))),
    }
}

/// `POST /v2/slots/reservations`.
pub(super) fn reserve(st: &mut State, ctx: &Ctx<'_>) -> HandlerResult {
    let body = ctx.json_body()?;
    let event_type_id = body
        .get("eventTypeId")
        .and_then(Value::as_i64)
        .ok_or_else(|| ctx.err(400, "eventTypeId must be an integer number"))?;
    let start = body
        .get("slotStart")
        .and_then(Value::as_str)
        .and_then(parse_iso)
        .ok_or_else(|| ctx.err(400, "slotStart must be a valid ISO 8601 date string"))?;
    let et = st
        .event_type(event_type_id)
        .ok_or_else(|| ApiErr::http(404, format!("Event type with id={event_type_id} not found")))?
        .clone();
    let length = minutes_field(ctx, &body, "slotDuration", et.length_minutes)?;
    let minutes = minutes_field(ctx, &body, "reservationDuration", DEFAULT_HOLD_MINUTES)?;
    let end = start + Duration::minutes(length);
    if !st.is_open_slot(&et, start, ctx.now, None) {
        return Err(ctx.err(400, "Can't reserve a slot if the event is already booked."));
    }
    if st.is_held(event_type_id, start, end, ctx.now) {
        return Err(ctx.err(422, "This time slot is already reserved by another user"));
    }
    let reservation = Reservation {
        uid: uuid::Uuid::new_v4().to_string(),
        event_type_id,
        start,
        end,
        minutes,
        until: ctx.now + Duration::minutes(minutes),
    };
    let data = reservation.json();
    st.reservations.retain(|r| r.until > ctx.now);
    st.reservations.push(reservation);
    Ok((201, json!({"status": "success", "data": data})))
}

fn not_found(uid: &str) -> ApiErr {
    ApiErr::http(404, format!("Reserved slot with uid={uid} not found"))
}

/// `GET /v2/slots/reservations/{uid}`.
pub(super) fn get(st: &State, ctx: &Ctx<'_>, uid: &str) -> HandlerResult {
    let r = st
        .reservations
        .iter()
        .find(|r| r.uid == uid && r.until > ctx.now)
        .ok_or_else(|| not_found(uid))?;
    Ok((200, json!({"status": "success", "data": r.json()})))
}

/// `DELETE /v2/slots/reservations/{uid}`.
pub(super) fn delete(st: &mut State, uid: &str) -> HandlerResult {
    let pos = st
        .reservations
        .iter()
        .position(|r| r.uid == uid)
        .ok_or_else(|| not_found(uid))?;
    st.reservations.remove(pos);
    Ok((200, json!({"status": "success"})))
}
