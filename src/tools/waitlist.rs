//! `waitlist_join` and `waitlist_leave`: a caller waits for a time that is full, and stops
//! waiting. An entry belongs to the number the call comes from (the one VAPI reports): it is the
//! number called back, so nobody can put someone else on the waitlist, read their entries or
//! take them off. The calls themselves are made by [`crate::outbound`].

use chrono::Duration;
use serde_json::{Value, json};

use super::{
    CallContext, Given, Say, ToolContext, ToolError, ToolResult,
    availability::event_type_or,
    params::{PartOfDay, WaitlistJoinParams, WaitlistLeaveParams},
    result_object,
    speech::WaitDays,
};
use crate::{
    db::DbError,
    domain::{
        local_time::{self, DayPart, resolve_days_said},
        text::{PROFILE_CHARS, clean_line},
        waitlist::{Entry, EntryState, Opening, OpeningKey, OpeningState},
    },
};

/// Waiting entries one number may have at once.
pub const MAX_WAITING_PER_NUMBER: usize = 3;
/// How far ahead the last day wanted may lie.
pub const MAX_DAYS_AHEAD: i64 = 90;

fn unavailable(err: &DbError) -> ToolError {
    tracing::error!(%err, "waitlist unavailable");
    Say::CannotWriteNow.into()
}

/// The days an entry wants, as said back.
pub(crate) fn wait_days(entry: &Entry) -> WaitDays {
    WaitDays {
        first: entry.first_day,
        last: entry.last_day,
        part: entry.part,
    }
}

/// The entry as an answer lists it.
pub(crate) fn describe(entry: &Entry, lang: crate::domain::language::Language) -> Value {
    json!({
        "waitlistId": entry.id,
        "firstDay": entry.first_day.to_string(),
        "lastDay": entry.last_day.to_string(),
        "days": if entry.first_day == entry.last_day {
            local_time::speak_date(entry.first_day, lang)
        } else {
            format!(
                "{} – {}",
                local_time::speak_date(entry.first_day, lang),
                local_time::speak_date(entry.last_day, lang)
            )
        },
        "partOfDay": entry.part.map(DayPart::as_str),
        "name": entry.name,
    })
}

fn day_part(part: PartOfDay) -> DayPart {
    match part {
        PartOfDay::Morning => DayPart::Morning,
        PartOfDay::Afternoon => DayPart::Afternoon,
        PartOfDay::Evening => DayPart::Evening,
    }
}

/// `waitlist_join`.
pub(crate) async fn waitlist_join(
    ctx: &ToolContext,
    call: &CallContext,
    p: WaitlistJoinParams,
) -> ToolResult {
    if !ctx.waitlist {
        return Err(Say::NoWaitlist.into());
    }
    let Some(phone) = call.caller_phone.clone() else {
        return Err(Say::WaitlistNeedsNumber.into());
    };
    let tz = ctx.business_tz;
    let now = ctx.clock.now();
    let today = local_time::local_today(now, tz);
    let said = resolve_days_said(&p.date, today, ctx.date_order, tz, call.lang)?;
    let last = match p.end_date.given() {
        Some(expr) => resolve_days_said(expr, today, ctx.date_order, tz, call.lang)?.last,
        None => said.last,
    };
    let first = said.first.max(today);
    if last < said.first {
        return Err(Say::EndBeforeStart {
            first: said.first,
            last,
        }
        .into());
    }
    if last < today {
        return Err(Say::DaysPassed { last, today }.into());
    }
    if last > today + Duration::days(MAX_DAYS_AHEAD) {
        return Err(Say::WaitlistTooFar {
            max_days: MAX_DAYS_AHEAD,
        }
        .into());
    }
    let part = p.part_of_day.map(day_part).or(said.window.part);
    let event_type_id = event_type_or(ctx, p.event_type_id)?;
    if ctx
        .db
        .is_opted_out(&phone)
        .await
        .map_err(|e| unavailable(&e))?
    {
        return Err(Say::WaitlistOptedOut.into());
    }
    let waiting = ctx
        .db
        .waitlist_entries_of(&phone, EntryState::Waiting)
        .await
        .map_err(|e| unavailable(&e))?;
    let same = waiting.iter().find(|e| {
        e.event_type_id == event_type_id
            && e.first_day == first
            && e.last_day == last
            && e.part == part
    });
    let (entry, already) = match same {
        Some(entry) => (entry.clone(), true),
        None => {
            if waiting.len() >= MAX_WAITING_PER_NUMBER {
                return Err(Say::WaitlistFull {
                    max: MAX_WAITING_PER_NUMBER,
                }
                .into());
            }
            let name = booking_name(ctx, &p, &phone).await?;
            let entry = Entry {
                id: format!("wl_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
                phone: phone.clone(),
                name,
                event_type_id,
                first_day: first,
                last_day: last,
                part,
                state: EntryState::Waiting,
                booked_uid: None,
                created_at: now,
            };
            ctx.db
                .join_waitlist(&entry, now)
                .await
                .map_err(|e| unavailable(&e))?;
            tracing::info!(
                call_id = call.call_id.as_deref().unwrap_or_default(),
                entry = %entry.id,
                "a caller joined the waitlist"
            );
            (entry, false)
        }
    };
    let summary = Say::WaitlistJoined {
        days: wait_days(&entry),
        id: entry.id.clone(),
        already,
    };
    let mut out = result_object(summary, call, now, tz);
    out.insert("waitlist".into(), describe(&entry, call.lang));
    Ok(Value::Object(out))
}

/// The name a time from the waitlist is booked under: as given, else the caller's last booking's.
async fn booking_name(
    ctx: &ToolContext,
    p: &WaitlistJoinParams,
    phone: &str,
) -> Result<String, ToolError> {
    if let Some(name) = p.attendee_name.given() {
        return Ok(clean_line(name, PROFILE_CHARS));
    }
    let last = ctx
        .db
        .latest_appointment_by_phone(phone)
        .await
        .map_err(|e| unavailable(&e))?;
    last.as_ref()
        .and_then(crate::domain::appointment::Appointment::attendee_name)
        .map(|n| clean_line(&n, PROFILE_CHARS))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Say::NeedName.into())
}

/// `waitlist_leave`.
pub(crate) async fn waitlist_leave(
    ctx: &ToolContext,
    call: &CallContext,
    p: WaitlistLeaveParams,
) -> ToolResult {
    let Some(phone) = call.caller_phone.as_deref() else {
        return Err(Say::WaitlistNeedsNumber.into());
    };
    let now = ctx.clock.now();
    let waiting = ctx
        .db
        .waitlist_entries_of(phone, EntryState::Waiting)
        .await
        .map_err(|e| unavailable(&e))?;
    let entry = match p.waitlist_id.given() {
        // Only this number's entries are looked at: another number's id reads as unknown.
        Some(id) => waiting.iter().find(|e| e.id == id),
        None if waiting.len() == 1 => waiting.first(),
        None if waiting.is_empty() => None,
        None => {
            return Err(Say::WaitlistWhich {
                listed: waiting
                    .iter()
                    .map(|e| (e.id.clone(), wait_days(e)))
                    .collect(),
            }
            .into());
        }
    };
    let Some(entry) = entry else {
        return Err(Say::WaitlistNotFound.into());
    };
    ctx.db
        .leave_waitlist(phone, &entry.id, now)
        .await
        .map_err(|e| unavailable(&e))?;
    let mut out = result_object(
        Say::WaitlistLeft {
            days: wait_days(entry),
        },
        call,
        now,
        ctx.business_tz,
    );
    out.insert("waitlistId".into(), json!(entry.id));
    Ok(Value::Object(out))
}

/// The caller's waiting entries, for `appointment_read`.
pub(crate) async fn entries_of(ctx: &ToolContext, phone: &str) -> Result<Vec<Entry>, ToolError> {
    ctx.db
        .waitlist_entries_of(phone, EntryState::Waiting)
        .await
        .map_err(|e| unavailable(&e))
}

/// A time being offered to someone on the waitlist (see [`crate::outbound::waitlist`]): refused
/// to every caller but the one it is offered to, whose hold in Cal.com is let go so their own
/// booking or move goes through. `Some` names the offer to mark filled once it has.
pub(crate) async fn held_time(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    start: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Held>, ToolError> {
    // Only a business with a waitlist holds times: the others' bookings skip the read.
    if !ctx.waitlist {
        return Ok(None);
    }
    let key = OpeningKey {
        event_type_id,
        slot_start: start,
    };
    let Some(opening) = ctx.db.opening(&key).await.map_err(|e| unavailable(&e))? else {
        return Ok(None);
    };
    let now = ctx.clock.now();
    let held = opening.state == OpeningState::Offering
        && opening.held_until.is_some_and(|until| until > now);
    if !held {
        return Ok(None);
    }
    if call.caller_phone.is_none() || opening.phone != call.caller_phone {
        return Err(Say::TimeHeld {
            at: start,
            zone: ctx.business_tz,
        }
        .into());
    }
    if let Some(uid) = &opening.reservation_uid
        && let Err(err) = ctx.cal.release_reservation(uid).await
    {
        // A booking does not look at holds: it still goes through.
        tracing::warn!(%err, "could not let go of the waitlist's hold before booking it");
    }
    let name = match (&opening.entry_id, &call.caller_phone) {
        (Some(id), Some(phone)) => ctx
            .db
            .waiting_entry(phone, id)
            .await
            .map_err(|e| unavailable(&e))?
            .map(|e| e.name),
        _ => None,
    };
    Ok(Some(Held { opening, name }))
}

/// A time offered from the waitlist to the caller booking it.
pub(crate) struct Held {
    /// The offer.
    pub opening: Opening,
    /// The name they joined the waitlist under.
    pub name: Option<String>,
}

/// The time offered from the waitlist was booked for its caller as `booked_uid`.
pub(crate) async fn offer_taken(ctx: &ToolContext, held: &Held, booked_uid: &str) {
    let opening = &held.opening;
    let Some(entry_id) = opening.entry_id.as_deref() else {
        return;
    };
    match ctx
        .db
        .fill_opening(&opening.key(), entry_id, booked_uid, ctx.clock.now())
        .await
    {
        Ok(true) => {
            crate::telemetry::outbound(ctx.db.tenant(), "waitlist_offer", "filled");
            tracing::info!(booking = booked_uid, "a time from the waitlist was booked");
        }
        Ok(false) => {}
        Err(err) => tracing::error!(%err, "could not record a waitlist booking"),
    }
}
