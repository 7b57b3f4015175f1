//! `appointment_read`: the caller's appointments, from the local table when it is synced, else
//! from Cal.com. On a call without a number: those booked in the call and those of the emails
//! proven in the call, nothing else.

use super::*;

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
pub(super) async fn bookings_by_email(
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

/// `appointment_read`: from the local table once it has been synced (no Cal.com request),
/// from Cal.com before that.
pub(crate) async fn appointment_read(
    ctx: &ToolContext,
    call: &CallContext,
    p: AppointmentReadParams,
) -> ToolResult {
    let tz = ctx.business_tz;
    let now = ctx.clock.now();
    let local = ctx.db.bookings_table_is_synced().await;
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
    if call.caller_phone.is_none() && !ctx.staff_line {
        let (found, searched) = reachable_without_number(ctx, call, &p, from, to, local).await?;
        return Ok(listing(found, &searched, now, tz));
    }
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
    Ok(listing(found, &searched, now, tz))
}

/// On a call without a number: the active bookings made in this call and those of the emails
/// proven in it (a given email narrows to that one, and must be proven). A phone number or an
/// email named in the arguments is no proof.
async fn reachable_without_number(
    ctx: &ToolContext,
    call: &CallContext,
    p: &AppointmentReadParams,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    local: bool,
) -> Result<(Vec<Appointment>, Vec<String>), ToolError> {
    let mut proven = proven_emails(ctx, call).await;
    if let Some(wanted) = p.email.given().map(str::to_ascii_lowercase) {
        if !proven.contains(&wanted) {
            return Err(ToolError(no_number_sentence(
                ctx,
                &format!("the appointments of {wanted}"),
            )));
        }
        proven = vec![wanted];
    }
    let mut found = match &call.call_id {
        Some(call_id) => ctx
            .db
            .appointments_of_call(call_id)
            .await
            .map_err(|e| local_lookup_failed(&e))?
            .into_iter()
            .filter(|a| a.end_time.is_some_and(|end| end > from))
            .filter(|a| to.is_none_or(|to| a.start_time.is_some_and(|s| s < to)))
            .collect(),
        None => Vec::new(),
    };
    let mut searched = vec!["this call".to_owned()];
    for email in &proven {
        let of_email = if local {
            ctx.db
                .active_appointments(Contact::Email(email), from, to)
                .await
                .map_err(|e| local_lookup_failed(&e))?
        } else {
            bookings_by_email(ctx, email, from, to).await?
        };
        found.extend(of_email);
        searched.push(format!("the email {email}"));
    }
    if proven.is_empty() && found.is_empty() {
        return Err(ToolError(no_number_sentence(
            ctx,
            "appointments booked earlier",
        )));
    }
    found.sort_by(|a, b| a.uid.cmp(&b.uid));
    found.dedup_by(|a, b| a.uid == b.uid);
    Ok((found, searched))
}

/// The answer listing `found`'s active upcoming appointments, soonest first.
fn listing(mut found: Vec<Appointment>, searched: &[String], now: DateTime<Utc>, tz: Tz) -> Value {
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
    Value::Object(out)
}
