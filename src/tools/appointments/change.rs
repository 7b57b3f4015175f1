//! `appointment_update` and `appointment_cancel`: change an appointment the caller owns.

use super::*;

/// `appointment_update`.
pub(crate) async fn appointment_update(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentUpdateParams,
) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let start = future_start(ctx, call, &p.start, tz)?;
    let old = owned_booking(ctx, call, &p.appointment_id).await?;
    if !old.is_active() {
        return Err(inactive(&old, tz));
    }
    if old.start_time == Some(start) {
        return Err(Say::AlreadyAt {
            at: start,
            zone: tz,
        }
        .into());
    }
    let event_type_id = old.event_type_id.or(ctx.default_event_type_id);
    let held = match event_type_id {
        Some(id) => crate::tools::waitlist::held_time(ctx, call, id, start).await?,
        None => None,
    };
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
            return Err(taken(ctx, call, event_type_id, start, tz, Some(&old.uid)).await);
        }
        Err(e) => return Err(ToolError::calendar(&e, Doing::Moving)),
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
    if let Some(held) = &held {
        crate::tools::waitlist::offer_taken(ctx, held, &moved.uid).await;
    }
    let summary = Say::Moved {
        from: old.start_time,
        to: moved.start,
        zone: tz,
        uid: moved.uid.clone(),
    };
    let mut out = result_object(summary, call, ctx.clock.now(), tz);
    out.insert("moved".into(), json!(true));
    out.insert("previousAppointmentId".into(), json!(old.uid));
    out.insert(
        "appointment".into(),
        describe(&from_cal(&moved, now), tz, call.lang),
    );
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
        return Err(inactive(&booking, tz));
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
            .map_err(|e| ToolError::calendar(&e, Doing::Cancelling))?;
        let now = ctx.clock.now();
        call.record(vec![Observation::from_booking(&done, now)]);
        from_cal(&done, now)
    };
    let summary = Say::Cancelled {
        at: cancelled.start_time,
        zone: tz,
        already,
    };
    let mut out = result_object(summary, call, ctx.clock.now(), tz);
    out.insert("cancelled".into(), json!(true));
    out.insert("appointment".into(), describe(&cancelled, tz, call.lang));
    Ok(Value::Object(out))
}
