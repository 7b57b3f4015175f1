//! How a placed call ended, from the server messages VAPI sends about it: the end-of-call
//! report (or a `status-update` that says it ended, for calls nobody answered), stored on the
//! planned call. A call nobody answered, or a voicemail, is tried again an hour later within
//! calling hours, at most `REMINDER_RETRIES` times.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{OutboundPolicy, RETRY_AFTER};
use crate::{
    db::{Db, DbError, outbound::OutboundChange},
    domain::outbound::{OutboundCall, OutboundKind, OutboundOutcome, OutboundState},
};

/// What became of a placed call, when the message was about one.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// How it ended.
    pub outcome: OutboundOutcome,
    /// When it will be tried again, if it will.
    pub retry_at: Option<DateTime<Utc>>,
}

/// What an ended call's message says about it.
#[derive(Clone, Copy, Debug)]
pub struct Ended<'a> {
    /// VAPI's id of the call.
    pub vapi_call_id: &'a str,
    /// Why it ended.
    pub ended_reason: Option<&'a str>,
    /// The analysis' structured data.
    pub structured_data: Option<&'a Value>,
    /// The appointment the call was placed about (its `appointmentId` variable).
    pub appointment_id: Option<&'a str>,
    /// The number called.
    pub customer_number: Option<&'a str>,
}

/// Records the outcome of the business's own call from an ended call's message; `None` when
/// the call is not one the business placed, or its outcome is already recorded.
pub async fn record(
    db: &Db,
    policy: &OutboundPolicy,
    ended: Ended<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Recorded>, DbError> {
    let Ended {
        vapi_call_id,
        ended_reason,
        structured_data,
        ..
    } = ended;
    let Some(call) = placed_call(db, &ended, now).await? else {
        return Ok(None);
    };
    if call.state != OutboundState::Placed {
        return Ok(None);
    }
    let changed = what_the_call_did(db, &call, vapi_call_id).await?;
    let mut outcome = OutboundOutcome::of_report(ended_reason, structured_data, changed);
    if outcome == OutboundOutcome::Answered && db.is_opted_out(&call.phone).await? {
        outcome = OutboundOutcome::OptedOut;
    }
    let retry_at = retry_time(policy, &call, outcome, now);
    let change = match retry_at {
        Some(at) => OutboundChange {
            state: OutboundState::Scheduled,
            outcome: Some(outcome),
            detail: Some(format!(
                "{}; calling again at {}",
                outcome.label(),
                at.to_rfc3339()
            )),
            due_at: Some(at),
            attempts_delta: 0,
        },
        None => OutboundChange {
            state: OutboundState::Done,
            outcome: Some(outcome),
            detail: ended_reason.map(|r| crate::domain::text::clean_line(r, 120)),
            due_at: None,
            attempts_delta: 0,
        },
    };
    if !db
        .change_outbound_call(&call.key(), &[OutboundState::Placed], &change, now)
        .await?
    {
        // Another message about the same call got there first.
        return Ok(None);
    }
    crate::telemetry::outbound_outcome(db.tenant(), call.kind.as_str(), outcome.as_str());
    Ok(Some(Recorded { outcome, retry_at }))
}

/// The placed call the message is about: by VAPI's id, else (the report came before this
/// service recorded VAPI's answer to `POST /call`) the call about that appointment to that
/// number still being placed, which then gets VAPI's id.
async fn placed_call(
    db: &Db,
    ended: &Ended<'_>,
    now: DateTime<Utc>,
) -> Result<Option<OutboundCall>, DbError> {
    if let Some(call) = db.outbound_call_by_vapi_id(ended.vapi_call_id).await? {
        return Ok(Some(call));
    }
    let (Some(uid), Some(number)) = (ended.appointment_id, ended.customer_number) else {
        return Ok(None);
    };
    let Some(mut call) = db.outbound_call_being_placed(uid, number).await? else {
        return Ok(None);
    };
    if !db
        .outbound_placed(&call.key(), ended.vapi_call_id, now)
        .await?
    {
        return Ok(None);
    }
    call.state = OutboundState::Placed;
    call.vapi_call_id = Some(ended.vapi_call_id.to_owned());
    Ok(Some(call))
}

/// When a call that reached nobody is tried again: an hour later, inside calling hours, while
/// retries are left and (for a reminder) well before the appointment.
fn retry_time(
    policy: &OutboundPolicy,
    call: &OutboundCall,
    outcome: OutboundOutcome,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if !outcome.retryable() || call.attempts > i64::from(policy.retries) {
        return None;
    }
    let at = policy
        .window
        .earliest_at_or_after(now + RETRY_AFTER, policy.tz)?;
    match call.kind {
        OutboundKind::Reminder => (at + super::MIN_NOTICE < call.appointment_start).then_some(at),
        OutboundKind::NoShow => Some(at),
    }
}

/// What the call's own tools did to the appointment: cancelled it, or moved it (the move is
/// linked to the new booking, which the old one points to).
async fn what_the_call_did(
    db: &Db,
    call: &OutboundCall,
    vapi_call_id: &str,
) -> Result<Option<OutboundOutcome>, DbError> {
    let mut uids = vec![call.booking_uid.clone()];
    if let Some(appointment) = db.appointment(&call.booking_uid).await?
        && let Some(new) = appointment.rescheduled_to_uid
    {
        uids.push(new);
    }
    let links = db.links_of_appointments(&uids).await?;
    let by_this_call = links.iter().filter(|l| l.vapi_call_id == vapi_call_id);
    let mut outcome = None;
    for link in by_this_call {
        match link.action.as_str() {
            "moved" => outcome = Some(OutboundOutcome::Rescheduled),
            "cancelled" if outcome.is_none() => outcome = Some(OutboundOutcome::Cancelled),
            "booked" if call.kind == OutboundKind::NoShow => {
                outcome = Some(OutboundOutcome::Rescheduled)
            }
            _ => {}
        }
    }
    // A follow-up that booked a new time shows on the caller's other bookings, not this one.
    if outcome.is_none()
        && call.kind == OutboundKind::NoShow
        && !db.appointments_of_call(vapi_call_id).await?.is_empty()
    {
        outcome = Some(OutboundOutcome::Rescheduled);
    }
    Ok(outcome)
}
