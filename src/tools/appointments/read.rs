//! `appointment_read`: the caller's appointments, from the local table when it is synced, else
//! from Cal.com.

use super::*;
use crate::tools::speech::{Reaching, Searched};

/// The window an `appointment_read` covers: from the start date (or now) to the end date's end.
fn read_window(
    ctx: &ToolContext,
    call: &CallContext,
    tz: Tz,
    p: &AppointmentReadParams,
) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), ToolError> {
    let now = ctx.clock.now();
    let today = local_today(now, tz);
    let from = match p.start_date.given() {
        Some(expr) => {
            let day = resolve_date(expr, today, ctx.date_order, call.lang)?;
            local_days_bounds(day, today, tz).0
        }
        None => now,
    };
    let to = match p.end_date.given() {
        Some(expr) => {
            let day = resolve_date(expr, today, ctx.date_order, call.lang)?;
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
            .map_err(|e| ToolError::calendar(&e, Doing::LookingUpAppointments))?;
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
        .map_err(|e| ToolError::calendar(&e, Doing::LookingUpAppointments))?
        .bookings
        .iter()
        .map(|b| from_cal(b, now))
        .collect())
}

/// Upcoming appointments of a phone number, else of an email (the staff's search; a caller's
/// is by their own number only), with what was searched, for the answer.
async fn by_contact(
    ctx: &ToolContext,
    local: bool,
    phone: Option<&str>,
    email: Option<&str>,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> Result<(Vec<Appointment>, Searched), ToolError> {
    let mut found = match (phone, local) {
        (Some(ph), true) => ctx
            .db
            .active_appointments(Contact::Phone(ph), from, to)
            .await
            .map_err(|e| local_lookup_failed(&e))?,
        (Some(ph), false) => bookings_by_phone(ctx, ph, from, to).await?,
        (None, _) => Vec::new(),
    };
    let mut searched_email = None;
    if let (true, Some(email)) = (found.is_empty(), email) {
        found = by_email(ctx, local, email, from, to).await?;
        searched_email = Some(email.to_owned());
    }
    if phone.is_none() && searched_email.is_none() {
        return Err(Say::NeedContactToSearch.into());
    }
    let searched = Searched::Contacts {
        phone: phone.map(str::to_owned),
        email: searched_email,
        narrowed: false,
    };
    Ok((found, searched))
}

/// Upcoming appointments of an email, from the local table once synced, else from Cal.com.
async fn by_email(
    ctx: &ToolContext,
    local: bool,
    email: &str,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<Appointment>, ToolError> {
    if local {
        ctx.db
            .active_appointments(Contact::Email(email), from, to)
            .await
            .map_err(|e| local_lookup_failed(&e))
    } else {
        bookings_by_email(ctx, email, from, to).await
    }
}

impl CallReach {
    /// The appointments in `[from, to)` this call may reach: booked in it (from the local
    /// table, where a tool's write is stored with its answer), linked to it, or booked with a
    /// proven email.
    async fn appointments(
        &self,
        ctx: &ToolContext,
        local: bool,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Appointment>, ToolError> {
        let mut found = match &self.call_id {
            Some(call_id) => ctx
                .db
                .appointments_of_call(call_id)
                .await
                .map_err(|e| local_lookup_failed(&e))?,
            None => Vec::new(),
        };
        for uid in &self.linked {
            if found.iter().any(|a| &a.uid == uid) {
                continue;
            }
            if let Some(a) = ctx
                .db
                .appointment(uid)
                .await
                .map_err(|e| local_lookup_failed(&e))?
            {
                found.push(a);
            }
        }
        for email in &self.emails {
            for a in by_email(ctx, local, email, from, to).await? {
                if !found.iter().any(|f| f.uid == a.uid) {
                    found.push(a);
                }
            }
        }
        found.retain(|a| {
            a.end_time.is_some_and(|end| end > from)
                && to.is_none_or(|to| a.start_time.is_some_and(|start| start < to))
        });
        Ok(found)
    }
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
        let summary = Say::AppointmentIs {
            uid: appointment.uid.clone(),
            at: appointment.start_time,
            zone: tz,
            status: appointment.status,
        };
        let mut out = result_object(summary, call, now, tz);
        out.insert(
            "appointments".into(),
            json!([describe(&appointment, tz, call.lang)]),
        );
        return Ok(Value::Object(out));
    }
    let (from, to) = read_window(ctx, call, tz, &p)?;
    let wanted_phone = match p.phone.given() {
        Some(raw) => Some(phone::to_e164(raw).ok_or_else(|| {
            ToolError::Say(Say::PhoneNotFull {
                raw: raw.to_owned(),
            })
        })?),
        None => None,
    };
    let wanted_email = p.email.given().map(str::to_ascii_lowercase);
    let (mut found, searched) = match &call.caller_phone {
        // Staff look up anyone, by what they give (the number they call from by default).
        _ if call.staff => {
            let phone = wanted_phone.clone().or_else(|| call.caller_phone.clone());
            by_contact(
                ctx,
                local,
                phone.as_deref(),
                wanted_email.as_deref(),
                from,
                to,
            )
            .await?
        }
        // Callers see what is booked under their number; arguments only narrow it.
        Some(caller) => {
            let (mut found, mut searched) =
                by_contact(ctx, local, Some(caller), None, from, to).await?;
            // The narrowing values are not said back: an answer names only what the caller
            // may see.
            if let Some(phone) = &wanted_phone {
                found.retain(|a| appointment_phones(a).contains(phone));
            }
            if let Some(email) = &wanted_email {
                found.retain(|a| appointment_emails(a).contains(email));
            }
            if (wanted_phone.is_some() || wanted_email.is_some())
                && let Searched::Contacts { narrowed, .. } = &mut searched
            {
                *narrowed = true;
            }
            (found, searched)
        }
        // Without a number: what this call booked, and what proven emails open.
        None => {
            let reach = CallReach::of(ctx, call).await?;
            let mut found = reach.appointments(ctx, local, from, to).await?;
            if let Some(phone) = &wanted_phone {
                found.retain(|a| appointment_phones(a).contains(phone));
            }
            if let Some(email) = &wanted_email {
                found.retain(|a| appointment_emails(a).contains(email));
            }
            let searched = Searched::ThisCall {
                hint: reach
                    .emails
                    .is_empty()
                    .then(|| Box::new(no_number_hint(ctx, Reaching::EarlierAppointments))),
                emails: reach.emails.clone(),
            };
            (found, searched)
        }
    };
    found.retain(|a| a.is_active() && a.end_time.is_some_and(|end| end > now));
    found.sort_by_key(|a| a.start_time);
    let listed: Vec<&Appointment> = found.iter().take(LISTED).collect();
    let summary = if listed.is_empty() {
        Say::NoneFound { searched }
    } else {
        Say::Found {
            count: found.len(),
            listed: listed
                .iter()
                .map(|a| (a.start_time, a.uid.clone()))
                .collect(),
            zone: tz,
        }
    };
    let mut out = result_object(summary, call, now, tz);
    out.insert("count".into(), json!(found.len()));
    out.insert(
        "appointments".into(),
        Value::Array(listed.iter().map(|a| describe(a, tz, call.lang)).collect()),
    );
    // The waitlist of the number whose appointments these are: the caller's own (staff: the
    // number they looked up). A business without a waitlist offers nothing from it, so entries
    // left from when it had one are not read (nor said).
    let waitlist_phone = if !ctx.waitlist {
        None
    } else if call.staff {
        wanted_phone.or_else(|| call.caller_phone.clone())
    } else {
        call.caller_phone.clone()
    };
    if let Some(phone) = waitlist_phone {
        let waiting = crate::tools::waitlist::entries_of(ctx, &phone).await?;
        if !waiting.is_empty() {
            let listed = Say::WaitlistListed {
                listed: waiting
                    .iter()
                    .map(crate::tools::waitlist::wait_days)
                    .collect(),
            };
            if let Some(Value::String(text)) = out.get_mut("summary") {
                text.push(' ');
                text.push_str(&listed.text(call.lang));
            }
            out.insert(
                "waitlist".into(),
                Value::Array(
                    waiting
                        .iter()
                        .map(|e| crate::tools::waitlist::describe(e, call.lang))
                        .collect(),
                ),
            );
        }
    }
    Ok(Value::Object(out))
}
