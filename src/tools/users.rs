//! `user_read` and `user_create`: the calendar owner, and organization members when configured.
//!
//! Members (their ids and emails) are staff's business: on other calls `user_read` gives only the
//! business's public name and time zone, and `user_create` is refused before it gets here (see
//! [`Tool::staff_only`](super::Tool::staff_only)).

use serde_json::{Value, json};

use super::{
    CallContext, Given, ToolContext, ToolError, ToolResult, params::UserCreateParams,
    params::UserReadParams, result_object, zone_or,
};
use crate::calcom::types::{NewOrgUser, User};

fn describe(u: &User) -> Value {
    json!({
        "userId": u.id,
        "name": u.name,
        "email": u.email,
        "username": u.username,
        "timeZone": u.time_zone,
    })
}

fn speak(u: &User) -> String {
    let name = u
        .name
        .clone()
        .or_else(|| u.username.clone())
        .unwrap_or_else(|| format!("user {}", u.id));
    match (&u.email, &u.time_zone) {
        (Some(email), Some(tz)) => format!("{name} ({email}), user {}, time zone {tz}", u.id),
        (Some(email), None) => format!("{name} ({email}), user {}", u.id),
        _ => format!("{name}, user {}", u.id),
    }
}

/// `user_read`: any member for staff; the business's public name and zone for everyone else.
pub(crate) async fn user_read(
    ctx: &ToolContext,
    call: &CallContext,
    p: UserReadParams,
) -> ToolResult {
    let now = ctx.clock.now();
    let tz = ctx.business_tz;
    let email = p.email.given().map(str::to_ascii_lowercase);
    let me = || async {
        ctx.cal
            .me()
            .await
            .map_err(|e| ToolError::calendar(&e, "looking up the calendar owner"))
    };
    if !call.staff {
        if p.user_id.is_some() || email.is_some() {
            return Err(ToolError(
                "Sorry, I can't look up the business's staff on this call; I can tell you the business's name and time zone."
                    .into(),
            ));
        }
        return Ok(public_profile(&me().await?, now, tz));
    }

    let (users, what) = match (p.user_id, email, ctx.organization_id) {
        (None, None, _) => (vec![me().await?], "The calendar owner is".to_owned()),
        (id, email, Some(org)) => {
            let emails: Vec<String> = email.iter().cloned().collect();
            let all = ctx
                .cal
                .org_users(org, &emails)
                .await
                .map_err(|e| ToolError::calendar(&e, "looking up users"))?;
            let matched: Vec<User> = all
                .into_iter()
                .filter(|u| id.is_none_or(|id| u.id == id))
                .filter(|u| {
                    email.as_deref().is_none_or(|e| {
                        u.email
                            .as_deref()
                            .is_some_and(|ue| ue.eq_ignore_ascii_case(e))
                    })
                })
                .collect();
            (matched, "Found".to_owned())
        }
        (id, email, None) => {
            // Without an organization the only user we can see is the owner.
            let owner = me().await?;
            let matches = id.is_none_or(|id| owner.id == id)
                && email.as_deref().is_none_or(|e| {
                    owner
                        .email
                        .as_deref()
                        .is_some_and(|oe| oe.eq_ignore_ascii_case(e))
                });
            if !matches {
                return Err(ToolError(
                    "I can only look up the calendar owner; looking up other users needs CAL_ORGANIZATION_ID to be set."
                        .into(),
                ));
            }
            (vec![owner], "The calendar owner is".to_owned())
        }
    };
    if users.is_empty() {
        return Err(ToolError("No user matches that id or email.".into()));
    }
    let spoken: Vec<String> = users.iter().take(5).map(speak).collect();
    let mut out = result_object(format!("{what} {}.", spoken.join("; ")), now, tz);
    out.insert(
        "users".into(),
        Value::Array(users.iter().map(describe).collect()),
    );
    Ok(Value::Object(out))
}

/// What any caller may know of the business: its name and time zone, without ids or emails.
fn public_profile(owner: &User, now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> Value {
    let name = owner
        .name
        .clone()
        .unwrap_or_else(|| "the business".to_owned());
    let mut out = result_object(
        format!("This is {name}'s calendar; times are in {}.", tz.name()),
        now,
        tz,
    );
    out.insert(
        "business".into(),
        json!({"name": name, "timeZone": tz.name()}),
    );
    Value::Object(out)
}

/// `user_create`.
pub(crate) async fn user_create(ctx: &ToolContext, p: UserCreateParams) -> ToolResult {
    let Some(org) = ctx.organization_id else {
        return Err(ToolError(
            "Creating users needs a Cal.com organization; the business must set CAL_ORGANIZATION_ID.".into(),
        ));
    };
    let email = p.email.trim().to_ascii_lowercase();
    if !email.contains('@') {
        return Err(ToolError(format!(
            "'{}' doesn't look like an email address.",
            p.email
        )));
    }
    let name = p.name.trim();
    if name.is_empty() {
        return Err(ToolError("I need the new user's name.".into()));
    }
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let new_user = NewOrgUser {
        email: email.clone(),
        username: p
            .username
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty()),
        name: name.to_owned(),
        time_zone: Some(tz.name().to_owned()),
    };
    let user = match ctx.cal.create_org_user(org, &new_user).await {
        Ok(u) => u,
        Err(e) if e.status() == Some(409) => {
            return Err(ToolError(format!(
                "A user with the email {email} already exists."
            )));
        }
        Err(e) => return Err(ToolError::calendar(&e, "creating the user")),
    };
    let mut out = result_object(
        format!("Created {}.", speak(&user)),
        ctx.clock.now(),
        ctx.business_tz,
    );
    out.insert("created".into(), json!(true));
    out.insert("user".into(), describe(&user));
    Ok(Value::Object(out))
}
