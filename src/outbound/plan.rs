//! Planning: which appointments get a call, and when.
//!
//! A reminder rings the lead time before the start; outside calling hours it moves to the last
//! allowed moment before that, and when no such moment is left after the booking was made (it
//! was booked too close to its time) the reminder is planned as skipped, so the operator sees
//! why. A follow-up after a no-show rings at the first calling hour after Cal.com said so.
//!
//! Only a number the booking was made from is called: a booking a call from another number
//! (or from none) made under someone's number is never a reason to ring them, or anyone could
//! make the business call a stranger.

use chrono::{DateTime, Duration, Utc};

use super::Outbound;
use crate::{
    db::DbError,
    domain::{
        appointment::Appointment,
        outbound::{OutboundCall, OutboundKind, OutboundState},
    },
};

/// Appointments planned per pass, at most (the rest wait for the next pass).
const PLAN_BATCH: u32 = 500;
/// How far ahead of its lead time an appointment is planned: a reminder moved back over a long
/// closed stretch (a weekend, a holiday week) still has its row in time.
const PLAN_AHEAD: Duration = Duration::days(8);
/// Why a booking made by a call from another number gets no call.
const NOT_THEIR_BOOKING: &str = "booked by a call from another number: that number is not called";
/// Missed appointments older than this get no follow-up.
const NO_SHOW_WITHIN: Duration = Duration::days(7);

/// Plans the calls due to be planned at `now`; returns them as planned (dry: as they would be).
pub(super) async fn plan(
    outbound: &Outbound,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<OutboundCall>, DbError> {
    let policy = &outbound.policy;
    let db = &outbound.db;
    let mut planned = Vec::new();
    if policy.reminders {
        let lead = policy.lead.num_minutes();
        let upcoming = db
            .appointments_to_call(
                OutboundKind::Reminder,
                lead,
                now,
                now + policy.lead + PLAN_AHEAD,
                PLAN_BATCH,
            )
            .await?;
        for appointment in upcoming {
            if let Some(call) = reminder(outbound, &appointment, now) {
                planned.push(call);
            }
        }
    }
    if policy.no_show_follow_up {
        let missed = db
            .appointments_to_call(
                OutboundKind::NoShow,
                0,
                now - NO_SHOW_WITHIN,
                now,
                PLAN_BATCH,
            )
            .await?;
        for appointment in missed {
            if let Some(call) = follow_up(outbound, &appointment, now) {
                planned.push(call);
            }
        }
    }
    if !dry_run {
        let mut kept = Vec::with_capacity(planned.len());
        for call in planned {
            // Another replica may have planned it a moment ago: only what this one wrote counts.
            if db.plan_outbound_call(&call, now).await? {
                if call.state == OutboundState::Skipped {
                    crate::telemetry::outbound(db.tenant(), call.kind.as_str(), "skipped");
                }
                kept.push(call);
            }
        }
        planned = kept;
    }
    Ok(planned)
}

/// The reminder of `appointment`.
fn reminder(
    outbound: &Outbound,
    appointment: &Appointment,
    now: DateTime<Utc>,
) -> Option<OutboundCall> {
    let policy = &outbound.policy;
    let start = appointment.start_time?;
    let phone = appointment.attendee_phone.clone()?;
    let planned_at = start - policy.lead;
    // Not before the booking was made, nor before now when it was made while this was off.
    let booked_at = appointment.created_at.min(now);
    let due = policy
        .window
        .latest_at_or_before(planned_at, booked_at, policy.tz);
    let (state, due_at, detail) = if !appointment.booked_from(&phone) {
        (
            OutboundState::Skipped,
            planned_at,
            Some(NOT_THEIR_BOOKING.to_owned()),
        )
    } else {
        match due {
            Some(due) if due == planned_at => (OutboundState::Scheduled, due, None),
            Some(due) => (
                OutboundState::Scheduled,
                due,
                Some("moved into calling hours".to_owned()),
            ),
            None => (
                OutboundState::Skipped,
                planned_at,
                Some("booked too close to its time for a reminder within calling hours".to_owned()),
            ),
        }
    };
    Some(new_call(
        OutboundKind::Reminder,
        appointment,
        start,
        policy.lead.num_minutes(),
        phone,
        due_at,
        state,
        detail,
        now,
    ))
}

/// The follow-up of a missed `appointment`.
fn follow_up(
    outbound: &Outbound,
    appointment: &Appointment,
    now: DateTime<Utc>,
) -> Option<OutboundCall> {
    let policy = &outbound.policy;
    let start = appointment.start_time?;
    let phone = appointment.attendee_phone.clone()?;
    let due = policy.window.earliest_at_or_after(now, policy.tz);
    let (state, due_at, detail) = match (appointment.booked_from(&phone), due) {
        (false, _) => (
            OutboundState::Skipped,
            now,
            Some(NOT_THEIR_BOOKING.to_owned()),
        ),
        (true, Some(due)) => (OutboundState::Scheduled, due, None),
        (true, None) => (
            OutboundState::Skipped,
            now,
            Some("no calling hours are set".to_owned()),
        ),
    };
    Some(new_call(
        OutboundKind::NoShow,
        appointment,
        start,
        0,
        phone,
        due_at,
        state,
        detail,
        now,
    ))
}

#[allow(clippy::too_many_arguments)]
fn new_call(
    kind: OutboundKind,
    appointment: &Appointment,
    start: DateTime<Utc>,
    lead_minutes: i64,
    phone: String,
    due_at: DateTime<Utc>,
    state: OutboundState,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> OutboundCall {
    OutboundCall {
        kind,
        booking_uid: appointment.uid.clone(),
        appointment_start: start,
        lead_minutes,
        phone,
        attendee_name: appointment.attendee_name(),
        due_at,
        state,
        attempts: 0,
        vapi_call_id: None,
        outcome: None,
        detail,
        updated_at: now,
    }
}
