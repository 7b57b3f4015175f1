//! The owner (`/v2/me`), event types and organization users: their routes and JSON shapes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::routing::{ApiErr, Ctx, HandlerResult, parse_paging};
use super::state::{OrgUser, State};
use super::text::{iso_ms, looks_like_email};
use super::{EventTypeSpec, Simulator};

pub(super) fn org_id_checked(st: &State, ctx: &Ctx<'_>, raw: &str) -> Result<i64, ApiErr> {
    let org: i64 = raw
        .parse()
        .map_err(|_| ctx.err(400, "Validation failed (numeric string is expected)"))?;
    if !st.orgs.contains(&org) {
        return Err(ctx.err(
            403,
            format!(
                "IsOrgGuard - the authenticated user is not a member of organization with id={org}"
            ),
        ));
    }
    Ok(org)
}

pub(super) fn list_org_users(st: &State, ctx: &Ctx<'_>, raw_org: &str) -> HandlerResult {
    let org = org_id_checked(st, ctx, raw_org)?;
    let take = parse_paging(ctx, "take", 250, 1, 1000)?;
    let skip = parse_paging(ctx, "skip", 0, 0, i64::MAX)?;
    let emails: Vec<String> = ctx
        .query
        .iter()
        .filter(|(k, _)| k == "emails" || k == "emails[]")
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    let mut users = vec![owner_as_org_user(st, org)];
    users.extend(st.org_users.iter().filter(|u| u.org_id == org).cloned());
    let data: Vec<Value> = users
        .iter()
        .filter(|u| emails.is_empty() || emails.iter().any(|e| e.eq_ignore_ascii_case(&u.email)))
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(take).unwrap_or(usize::MAX))
        .map(org_user_json)
        .collect();
    Ok((200, json!({"status": "success", "data": data})))
}

pub(super) fn create_org_user(st: &mut State, ctx: &Ctx<'_>, raw_org: &str) -> HandlerResult {
    let org = org_id_checked(st, ctx, raw_org)?;
    let body = ctx.json_body()?;
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| looks_like_email(e))
        .ok_or_else(|| ctx.err(400, "email must be an email"))?
        .to_string();
    let str_field = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let time_zone = match str_field("timeZone") {
        Some(tz) if tz.parse::<Tz>().is_err() => {
            return Err(ctx.err(400, "timeZone must be a valid IANA time-zone"));
        }
        Some(tz) => tz,
        None => "Europe/London".to_string(),
    };
    if st.org_has_email(&email) {
        return Err(ctx.err(409, "User with this email already exists"));
    }
    let user = OrgUser {
        id: st.next_user_id,
        org_id: org,
        username: Some(
            str_field("username")
                .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string()),
        ),
        name: str_field("name"),
        email,
        time_zone,
        locale: str_field("locale").unwrap_or_else(|| "en".to_string()),
        time_format: body.get("timeFormat").and_then(Value::as_i64).unwrap_or(12),
        week_start: str_field("weekday").unwrap_or_else(|| "Sunday".to_string()),
        created: ctx.now,
    };
    st.next_user_id += 1;
    let data = org_user_json(&user);
    st.org_users.push(user);
    Ok((201, json!({"status": "success", "data": data})))
}

pub(super) fn owner_as_org_user(st: &State, org: i64) -> OrgUser {
    OrgUser {
        id: st.me.id,
        org_id: org,
        email: st.me.email.clone(),
        username: Some(st.me.username.clone()),
        name: Some(st.me.name.clone()),
        time_zone: st.me.time_zone.clone(),
        locale: "en".to_string(),
        time_format: 12,
        week_start: "Monday".to_string(),
        created: DateTime::<Utc>::from_timestamp(1_704_067_200, 0).unwrap_or_default(),
    }
}

pub(super) fn me_json(st: &State) -> Value {
    let org = st.orgs.iter().min().copied();
    let mut m = json!({
        "id": st.me.id,
        "username": st.me.username,
        "email": st.me.email,
        "name": st.me.name,
        "avatarUrl": null,
        "bio": null,
        "timeFormat": 12,
        "defaultScheduleId": 1,
        "weekStart": "Monday",
        "timeZone": st.me.time_zone,
        "organizationId": org,
    });
    if let (Some(org), Value::Object(map)) = (org, &mut m) {
        map.insert(
            "organization".into(),
            json!({"isPlatform": false, "id": org}),
        );
    }
    m
}

pub(super) fn host_json(st: &State) -> Value {
    json!({
        "id": st.me.id,
        "name": st.me.name,
        "email": st.me.email,
        "displayEmail": st.me.email,
        "username": st.me.username,
        "timeZone": st.me.time_zone,
    })
}

pub(super) fn event_type_json(st: &State, e: &EventTypeSpec) -> Value {
    json!({
        "id": e.id,
        "lengthInMinutes": e.length_minutes,
        "title": e.title,
        "slug": e.slug,
        "description": "",
        "locations": [{"type": "integration", "integration": "cal-video"}],
        "bookingFields": [
            {"type": "name", "slug": "name", "isDefault": true, "required": true},
            {"type": "email", "slug": "email", "isDefault": true, "required": true},
            {"type": "phone", "slug": "attendeePhoneNumber", "isDefault": true, "required": false, "hidden": true},
            {"type": "radioInput", "slug": "location", "isDefault": true, "required": false},
            {"type": "textarea", "slug": "notes", "isDefault": true, "required": false},
            {"type": "multiemail", "slug": "guests", "isDefault": true, "required": false},
            {"type": "textarea", "slug": "rescheduleReason", "isDefault": true, "required": false},
        ],
        "disableGuests": false,
        "slotInterval": null,
        "minimumBookingNotice": e.minimum_notice_minutes,
        "beforeEventBuffer": 0,
        "afterEventBuffer": 0,
        "recurrence": null,
        "metadata": {},
        "price": 0,
        "currency": "usd",
        "lockTimeZoneToggleOnBookingPage": false,
        "seatsPerTimeSlot": null,
        "forwardParamsSuccessRedirect": null,
        "successRedirectUrl": null,
        "isInstantEvent": false,
        "seatsShowAvailabilityCount": null,
        "scheduleId": null,
        "hidden": false,
        "bookingRequiresAuthentication": false,
        "ownerId": st.me.id,
        "users": [{
            "id": st.me.id,
            "name": st.me.name,
            "username": st.me.username,
            "avatarUrl": null,
            "weekStart": "Monday",
            "brandColor": null,
            "darkBrandColor": null,
            "metadata": null,
        }],
        "bookingUrl": format!("https://cal.com/{}/{}", st.me.username, e.slug),
    })
}

pub(super) fn org_user_json(u: &OrgUser) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "email": u.email,
        "emailVerified": iso_ms(u.created),
        "bio": null,
        "avatarUrl": null,
        "timeZone": u.time_zone,
        "weekStart": u.week_start,
        "appTheme": null,
        "theme": null,
        "defaultScheduleId": null,
        "locale": u.locale,
        "timeFormat": u.time_format,
        "hideBranding": false,
        "brandColor": null,
        "darkBrandColor": null,
        "allowDynamicBooking": true,
        "createdDate": iso_ms(u.created),
        "verified": true,
        "invitedTo": null,
        "metadata": {},
        "organizationId": u.org_id,
        "profile": {
            "id": u.id,
            "organizationId": u.org_id,
            "userId": u.id,
            "username": u.username,
        },
    })
}

impl Simulator {
    /// Changes the owner's name, email and time zone (user id and username stay).
    pub fn set_me(&self, name: &str, email: &str, time_zone: &str) {
        let mut st = self.lock();
        st.me.name = name.to_string();
        st.me.email = email.to_string();
        st.me.time_zone = time_zone.to_string();
    }

    /// Adds (or replaces, by id) an event type.
    pub fn add_event_type(&self, spec: EventTypeSpec) {
        let mut st = self.lock();
        st.event_types.retain(|e| e.id != spec.id);
        st.event_types.push(spec);
    }

    /// Enables `/v2/organizations/{org_id}/users`; the owner is a member.
    pub fn add_organization(&self, org_id: i64) {
        let mut st = self.lock();
        if !st.orgs.contains(&org_id) {
            st.orgs.push(org_id);
        }
    }
}
