//! Offering opened times to the waitlist.
//!
//! Each pass (under the business's `outbound` lease, with the reminders) finds the times freed
//! by a cancellation or a move, whatever told us about it (a webhook, a reconcile, our own
//! tools), and offers each to the first caller waiting for it: the time is held in Cal.com
//! (`POST /v2/slots/reservations`) for the length of a call and a margin, and the calling
//! assistant calls them. If they take it, it is booked for them (by the call's
//! `appointment_create`, or from the report when the call ended with a yes and no booking); if
//! they decline, nobody answers, or the hold runs out first, the hold is let go and the next
//! caller waiting is tried on the next pass. One caller at a time per time, each at most once
//! (see [`crate::db::waitlist`]).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::{CallTarget, MIN_NOTICE, Outbound, PassReport, PlaceError};
use crate::{
    calcom::types::{NewAttendee, NewBooking},
    db::{DbError, waitlist::OfferEnd},
    domain::{
        appointment::CALLER_NUMBER_KEY,
        local_time::{local_today, speak_instant, utc_iso},
        outbound::OutboundOutcome,
        waitlist::{Entry, OfferOutcome, Opening, OpeningState},
    },
};

/// How long a time is held for the caller it is offered to: a call and a margin.
pub const OFFER_HOLD: Duration = Duration::minutes(20);
/// The `callPurpose` of an offer call.
pub const CALL_PURPOSE: &str = "waitlist_offer";
/// How far ahead freed times are looked for.
const LOOK_AHEAD: Duration = Duration::days(92);
/// Times found or offered per pass, at most.
const BATCH: u32 = 200;

/// One thing a pass did with the waitlist, for the operator.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The time.
    pub slot_start: DateTime<Utc>,
    /// Its appointment type.
    pub event_type_id: i64,
    /// What happened (or, dry, would).
    pub what: StepKind,
    /// The number called, when one is.
    pub phone: Option<String>,
    /// Why, for the operator.
    pub detail: Option<String>,
}

/// What a pass did with one time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A freed time was found.
    Found,
    /// It was offered: held, and the caller called.
    Offered,
    /// An offer ended without a booking (the hold ran out, or the call could not be placed).
    OfferEnded,
    /// It was given up.
    Closed,
    /// It waits: nobody wants it yet, outside calling hours, or no free line.
    Waiting,
}

impl StepKind {
    /// How an operator reads it.
    pub const fn label(self) -> &'static str {
        match self {
            StepKind::Found => "time opened",
            StepKind::Offered => "offered",
            StepKind::OfferEnded => "offer ended",
            StepKind::Closed => "given up",
            StepKind::Waiting => "waiting",
        }
    }
}

fn step(opening: &Opening, what: StepKind, phone: Option<&str>, detail: Option<String>) -> Step {
    Step {
        slot_start: opening.slot_start,
        event_type_id: opening.event_type_id,
        what,
        phone: phone.map(str::to_owned),
        detail,
    }
}

/// The waitlist's part of a pass.
pub(super) async fn pass(
    outbound: &Outbound,
    now: DateTime<Utc>,
    dry_run: bool,
    report: &mut PassReport,
) -> Result<(), DbError> {
    let policy = &outbound.policy;
    if !policy.waitlist {
        return Ok(());
    }
    let db = &outbound.db;
    if !dry_run {
        db.expire_waitlist(local_today(now, policy.tz), now).await?;
    }
    let waiting = db.waiting_entries(1).await?;
    let found = if waiting.is_empty() {
        Vec::new()
    } else {
        find_freed_times(outbound, now, dry_run, report).await?
    };
    end_lapsed_offers(outbound, now, dry_run, report).await?;
    // Dry, the times just found were not written: they are looked at here too.
    let extra = if dry_run { found } else { Vec::new() };
    offer_open_times(outbound, now, dry_run, extra, report).await
}

/// Records the times freed since the last pass; returns them.
async fn find_freed_times(
    outbound: &Outbound,
    now: DateTime<Utc>,
    dry_run: bool,
    report: &mut PassReport,
) -> Result<Vec<Opening>, DbError> {
    let mut found = Vec::new();
    let db = &outbound.db;
    let freed = db
        .freed_appointments(now + MIN_NOTICE, now + LOOK_AHEAD, BATCH)
        .await?;
    for appointment in freed {
        let (Some(event_type_id), Some(start)) =
            (appointment.event_type_id, appointment.start_time)
        else {
            continue;
        };
        let minutes = appointment
            .end_time
            .map_or(30, |end| (end - start).num_minutes())
            .max(1);
        let opening = Opening::freed(event_type_id, start, minutes, &appointment.uid, now);
        if dry_run || db.add_opening(&opening).await? {
            report
                .waitlist
                .push(step(&opening, StepKind::Found, None, None));
            found.push(opening);
        }
    }
    Ok(found)
}

/// Offers whose hold ran out before their call's report came: nobody took the time in time, so
/// the next caller gets their turn.
async fn end_lapsed_offers(
    outbound: &Outbound,
    now: DateTime<Utc>,
    dry_run: bool,
    report: &mut PassReport,
) -> Result<(), DbError> {
    for opening in outbound
        .db
        .openings(&[OpeningState::Offering], false, BATCH)
        .await?
    {
        if opening.held_until.is_none_or(|until| until > now) {
            continue;
        }
        let detail = "the hold ran out before the call ended; the next caller waiting is tried";
        if dry_run
            || end_offer(
                outbound,
                &opening,
                OfferOutcome::NoAnswer,
                OpeningState::Open,
                detail,
                now,
            )
            .await?
        {
            report.waitlist.push(step(
                &opening,
                StepKind::OfferEnded,
                opening.phone.as_deref(),
                Some(detail.to_owned()),
            ));
        }
    }
    Ok(())
}

/// Ends the offer of `opening` (let go of its hold, store the outcome); true when this ended it.
async fn end_offer(
    outbound: &Outbound,
    opening: &Opening,
    outcome: OfferOutcome,
    next: OpeningState,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let Some(entry_id) = opening.entry_id.as_deref() else {
        return Ok(false);
    };
    let end = OfferEnd {
        outcome,
        next,
        detail: detail.to_owned(),
    };
    let ended = outbound
        .db
        .settle_offer(&opening.key(), entry_id, &end, now)
        .await?;
    if ended {
        release(outbound, opening).await;
        crate::telemetry::outbound_outcome(outbound.db.tenant(), CALL_PURPOSE, outcome.as_str());
    }
    Ok(ended)
}

/// Lets go of an opening's hold in Cal.com (it also lapses on its own).
async fn release(outbound: &Outbound, opening: &Opening) {
    if let (Some(cal), Some(uid)) = (&outbound.cal, &opening.reservation_uid)
        && let Err(err) = cal.release_reservation(uid).await
    {
        tracing::warn!(%err, "could not let go of a waitlist hold; it lapses on its own");
    }
}

/// Offers each open time to the first caller waiting for it, while lines are free.
async fn offer_open_times(
    outbound: &Outbound,
    now: DateTime<Utc>,
    dry_run: bool,
    extra: Vec<Opening>,
    report: &mut PassReport,
) -> Result<(), DbError> {
    let db = &outbound.db;
    let policy = &outbound.policy;
    let mut open = db.openings(&[OpeningState::Open], false, BATCH).await?;
    open.extend(extra);
    if open.is_empty() {
        return Ok(());
    }
    let mut free = i64::from(policy.max_concurrent) - outbound.ringing(now).await?;
    let in_hours = policy.window.contains(now, policy.tz);
    let paused = outbound.paused_until().is_some_and(|until| until > now);
    for opening in open {
        let key = opening.key();
        if opening.slot_start <= now + MIN_NOTICE + OFFER_HOLD {
            leave(
                outbound,
                &opening,
                StepKind::Closed,
                "too close to its start to offer",
                now,
                dry_run,
                report,
            )
            .await?;
            continue;
        }
        if db.booked_at(key.event_type_id, key.slot_start).await? {
            leave(
                outbound,
                &opening,
                StepKind::Closed,
                "booked again by someone else",
                now,
                dry_run,
                report,
            )
            .await?;
            continue;
        }
        let Some(entry) = first_waiting(outbound, &opening).await? else {
            leave(
                outbound,
                &opening,
                StepKind::Waiting,
                "nobody on the waitlist wants it yet",
                now,
                dry_run,
                report,
            )
            .await?;
            continue;
        };
        let why_not = if outbound.cal.is_none() {
            Some("CAL_API_KEY is not set: the time cannot be held")
        } else if !in_hours {
            Some("outside calling hours")
        } else if paused {
            Some("VAPI asked to wait")
        } else if free <= 0 {
            report.waiting_for_a_line += 1;
            Some("every line is busy")
        } else {
            None
        };
        if let Some(why) = why_not {
            leave(
                outbound,
                &opening,
                StepKind::Waiting,
                why,
                now,
                dry_run,
                report,
            )
            .await?;
            continue;
        }
        if dry_run {
            report.waitlist.push(step(
                &opening,
                StepKind::Offered,
                Some(&entry.phone),
                Some(format!("would call {} ({})", entry.phone, entry.id)),
            ));
            free -= 1;
            continue;
        }
        if !db
            .offer_opening(&key, &entry, now + OFFER_HOLD, now)
            .await?
        {
            // Another process offered it, or this caller had it offered before.
            continue;
        }
        free -= 1;
        if let Some(done) = offer(outbound, &opening, &entry, now).await? {
            report.waitlist.push(done);
        }
        if outbound.paused_until().is_some_and(|until| until > now) {
            break;
        }
    }
    Ok(())
}

/// The first caller waiting for `opening` who was not offered it, has not opted out, and wants
/// its part of the day.
async fn first_waiting(outbound: &Outbound, opening: &Opening) -> Result<Option<Entry>, DbError> {
    let tz = outbound.policy.tz;
    let day = opening.slot_start.with_timezone(&tz).date_naive();
    for entry in outbound.db.candidates_for(&opening.key(), day).await? {
        if !entry.wants(opening.event_type_id, opening.slot_start, tz) {
            continue;
        }
        if outbound.db.is_opted_out(&entry.phone).await? {
            continue;
        }
        return Ok(Some(entry));
    }
    Ok(None)
}

/// Records why an open time is given up (`Closed`) or still waits (`Waiting`), and reports it.
async fn leave(
    outbound: &Outbound,
    opening: &Opening,
    what: StepKind,
    why: &str,
    now: DateTime<Utc>,
    dry_run: bool,
    report: &mut PassReport,
) -> Result<(), DbError> {
    let key = opening.key();
    let recorded = dry_run
        || if what == StepKind::Closed {
            outbound.db.close_opening(&key, why, now).await?
        } else {
            outbound.db.note_opening(&key, why, now).await?;
            true
        };
    if recorded {
        report
            .waitlist
            .push(step(opening, what, None, Some(why.to_owned())));
    }
    Ok(())
}

/// Holds the time and calls the caller it is now offered to (the offer is claimed already).
async fn offer(
    outbound: &Outbound,
    opening: &Opening,
    entry: &Entry,
    now: DateTime<Utc>,
) -> Result<Option<Step>, DbError> {
    let db = &outbound.db;
    let key = opening.key();
    let Some(cal) = &outbound.cal else {
        return Ok(None);
    };
    let mut offered = opening.clone();
    offered.entry_id = Some(entry.id.clone());
    offered.phone = Some(entry.phone.clone());
    let held = cal
        .reserve_slot(
            key.event_type_id,
            &utc_iso(key.slot_start),
            opening.duration_minutes,
            OFFER_HOLD.num_minutes(),
        )
        .await;
    match held {
        Ok(reservation) => {
            db.opening_reserved(&key, &entry.id, &reservation.reservation_uid, now)
                .await?;
            offered.reservation_uid = Some(reservation.reservation_uid);
        }
        Err(err) if err.is_retryable() || err.status() == Some(429) => {
            // Cal.com is busy: the same caller is offered it on a later pass.
            db.withdraw_offer(
                &key,
                &entry.id,
                &format!("Cal.com could not hold it: {err}"),
                now,
            )
            .await?;
            return Ok(None);
        }
        Err(err) => {
            // Cal.com will not hold it: someone booked it meanwhile.
            let why = format!("Cal.com would not hold it: {err}");
            db.withdraw_offer(&key, &entry.id, &why, now).await?;
            db.close_opening(&key, &why, now).await?;
            return Ok(Some(step(opening, StepKind::Closed, None, Some(why))));
        }
    }
    let placed = outbound
        .create_call(|assistant_id, phone_number_id| {
            offer_body(outbound, opening, entry, assistant_id, phone_number_id)
        })
        .await;
    match placed {
        Ok(id) => {
            db.offer_call_placed(&key, &entry.id, &id, now).await?;
            outbound.remember_success();
            crate::telemetry::outbound(outbound.db.tenant(), CALL_PURPOSE, "placed");
            Ok(Some(step(
                opening,
                StepKind::Offered,
                Some(&entry.phone),
                Some(format!("called {} ({})", entry.phone, entry.id)),
            )))
        }
        Err(PlaceError::Vapi(err)) if err.is_retryable() => {
            let until = outbound.remember_refusal(now);
            release(outbound, &offered).await;
            let why = format!("{err}; trying again after {}", until.to_rfc3339());
            db.withdraw_offer(&key, &entry.id, &why, now).await?;
            crate::telemetry::outbound(outbound.db.tenant(), CALL_PURPOSE, "deferred");
            Ok(Some(step(
                opening,
                StepKind::Waiting,
                Some(&entry.phone),
                Some(why),
            )))
        }
        Err(err @ PlaceError::Vapi(_)) => {
            // VAPI refused this call (a number it cannot ring): the next caller gets the time.
            let why = err.to_string();
            end_offer(
                outbound,
                &offered,
                OfferOutcome::Failed,
                OpeningState::Open,
                &why,
                now,
            )
            .await?;
            crate::telemetry::outbound(outbound.db.tenant(), CALL_PURPOSE, "failed");
            Ok(Some(step(
                opening,
                StepKind::OfferEnded,
                Some(&entry.phone),
                Some(why),
            )))
        }
        Err(err) => {
            // Nothing can be placed (no key, no line, no assistant): nobody loses their turn.
            release(outbound, &offered).await;
            let why = err.to_string();
            db.withdraw_offer(&key, &entry.id, &why, now).await?;
            tracing::warn!(%err, "could not offer a time from the waitlist");
            Ok(Some(step(
                opening,
                StepKind::Waiting,
                Some(&entry.phone),
                Some(why),
            )))
        }
    }
}

/// The `CreateCallDTO` offering `opening` to `entry`.
fn offer_body(
    outbound: &Outbound,
    opening: &Opening,
    entry: &Entry,
    assistant_id: &str,
    phone_number_id: &str,
) -> Value {
    let policy = &outbound.policy;
    let local = opening.slot_start.with_timezone(&policy.tz);
    let variables = json!({
        "callPurpose": CALL_PURPOSE,
        "appointmentId": "",
        "appointmentTime": speak_instant(opening.slot_start, policy.tz, policy.language),
        // What `appointment_create` takes to book it, in the business's zone.
        "offeredStart": local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        "eventTypeId": opening.event_type_id.to_string(),
        "waitlistId": entry.id,
    });
    outbound.create_call_body(
        CallTarget {
            assistant_id,
            phone_number_id,
            phone: &entry.phone,
            name: Some(&entry.name),
            label: &format!("waitlist offer {}", entry.id),
        },
        variables,
    )
}

/// How an offer call ended, from its report: `None` when the call was not an offer, or its
/// offer is settled already.
pub(super) async fn record_ended(
    outbound: &Outbound,
    ended: &super::outcome::Ended<'_>,
    now: DateTime<Utc>,
) -> Result<Option<OfferOutcome>, DbError> {
    let db = &outbound.db;
    let Some(opening) = db
        .opening_of_call(Some(ended.vapi_call_id), ended.customer_number)
        .await?
    else {
        return Ok(None);
    };
    if opening.state != OpeningState::Offering {
        return Ok(None);
    }
    let Some(entry_id) = opening.entry_id.clone() else {
        return Ok(None);
    };
    if opening.vapi_call_id.is_none() {
        // The report came before VAPI's answer to `POST /call` was stored.
        db.offer_call_placed(&opening.key(), &entry_id, ended.vapi_call_id, now)
            .await?;
    }
    let outcome = offer_outcome(ended);
    if outcome == OfferOutcome::Booked {
        if let Some(uid) = book_for_them(outbound, &opening, &entry_id).await {
            if db
                .fill_opening(&opening.key(), &entry_id, &uid, now)
                .await?
            {
                crate::telemetry::outbound_outcome(
                    outbound.db.tenant(),
                    CALL_PURPOSE,
                    OfferOutcome::Booked.as_str(),
                );
            }
            return Ok(Some(OfferOutcome::Booked));
        }
        let detail = "they said yes but the time could not be booked; the next caller is tried";
        end_offer(
            outbound,
            &opening,
            OfferOutcome::Failed,
            OpeningState::Open,
            detail,
            now,
        )
        .await?;
        return Ok(Some(OfferOutcome::Failed));
    }
    let detail = format!(
        "{}; the next caller waiting is tried",
        outcome.as_str().replace('_', " ")
    );
    if end_offer(
        outbound,
        &opening,
        outcome,
        OpeningState::Open,
        &detail,
        now,
    )
    .await?
    {
        return Ok(Some(outcome));
    }
    Ok(None)
}

/// What the report says of the offer: a yes, a no, or nobody reached.
fn offer_outcome(ended: &super::outcome::Ended<'_>) -> OfferOutcome {
    let stated = ended
        .structured_data
        .and_then(|data| data.get("outcome"))
        .and_then(Value::as_str)
        .map(|w| w.trim().to_ascii_lowercase().replace([' ', '-'], "_"));
    match stated.as_deref() {
        Some("accepted" | "booked" | "confirmed" | "took_it" | "yes") => {
            return OfferOutcome::Booked;
        }
        Some("declined" | "no" | "not_interested" | "rejected") => return OfferOutcome::Declined,
        _ => {}
    }
    match OutboundOutcome::of_report(ended.ended_reason, ended.structured_data, None) {
        OutboundOutcome::NoAnswer | OutboundOutcome::Voicemail => OfferOutcome::NoAnswer,
        OutboundOutcome::Failed => OfferOutcome::Failed,
        _ => OfferOutcome::Declined,
    }
}

/// Books the offered time for the caller who said yes when the call itself did not; the new
/// booking's uid.
async fn book_for_them(outbound: &Outbound, opening: &Opening, entry_id: &str) -> Option<String> {
    let cal = outbound.cal.as_ref()?;
    let entry = outbound
        .db
        .waiting_entry(opening.phone.as_deref()?, entry_id)
        .await
        .ok()??;
    release(outbound, opening).await;
    let mut metadata = std::collections::BTreeMap::new();
    metadata.insert(CALLER_NUMBER_KEY.to_owned(), entry.phone.clone());
    metadata.insert("waitlistId".to_owned(), entry.id.clone());
    let booking = NewBooking {
        start: utc_iso(opening.slot_start),
        event_type_id: opening.event_type_id,
        attendee: NewAttendee {
            name: entry.name.clone(),
            email: None,
            phone_number: Some(entry.phone.clone()),
            time_zone: outbound.policy.tz.name().to_owned(),
            language: outbound.policy.language.code().to_owned(),
        },
        metadata,
        booking_fields_responses: None,
    };
    match cal.create_booking(&booking).await {
        Ok(created) => Some(created.uid),
        Err(err) => {
            tracing::warn!(%err, "could not book a time a caller took from the waitlist");
            None
        }
    }
}
