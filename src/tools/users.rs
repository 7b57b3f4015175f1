//! `user_read` and `user_create`: the calendar owner, and organization members when configured.
//!
//! Members (their ids and emails) are staff's business: on other calls `user_read` gives only the
//! business's public name and time zone, and `user_create` is refused before it gets here (see
//! [`Tool::staff_only`](super::Tool::staff_only)).

use serde_json::{Value, json};

use super::{
    CallContext, Doing, Given, Say, ToolContext, ToolError, ToolResult, params::UserCreateParams,
    params::UserReadParams, result_object, speech::UserLine, zone_or,
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

/// A user as read out to staff.
fn line(u: &User) -> UserLine {
    UserLine {
        name: u.name.clone().or_else(|| u.username.clone()),
        id: u.id,
        email: u.email.clone(),
        time_zone: u.time_zone.clone(),
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
            .map_err(|e| ToolError::calendar(&e, Doing::LookingUpOwner))
    };
    if !call.staff {
        if p.user_id.is_some() || email.is_some() {
            return Err(Say::NoStaffLookup.into());
        }
        return Ok(public_profile(call, &me().await?, now, tz));
    }

    let (users, owner) = match (p.user_id, email, ctx.organization_id) {
        (None, None, _) => (vec![me().await?], true),
        (id, email, Some(org)) => {
            let emails: Vec<String> = email.iter().cloned().collect();
            let all = ctx
                .cal
                .org_users(org, &emails)
                .await
                .map_err(|e| ToolError::calendar(&e, Doing::LookingUpUsers))?;
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
            (matched, false)
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
                return Err(Say::OwnerOnly.into());
            }
            (vec![owner], true)
        }
    };
    if users.is_empty() {
        return Err(Say::NoUserMatches.into());
    }
    let spoken: Vec<UserLine> = users.iter().take(5).map(line).collect();
    let summary = if owner {
        Say::OwnerIs { users: spoken }
    } else {
        Say::UsersFound { users: spoken }
    };
    let mut out = result_object(summary, call, now, tz);
    out.insert(
        "users".into(),
        Value::Array(users.iter().map(describe).collect()),
    );
    Ok(Value::Object(out))
}

/// What any caller may know of the business: its name and time zone, without ids or emails.
fn public_profile(
    call: &CallContext,
    owner: &User,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Value {
    let summary = Say::BusinessIs {
        name: owner.name.clone(),
        zone: tz,
    };
    let name = owner
        .name
        .clone()
        .unwrap_or_else(|| "the business".to_owned());
    let mut out = result_object(summary, call, now, tz);
    out.insert(
        "business".into(),
        json!({"name": name, "timeZone": tz.name()}),
    );
    Value::Object(out)
}

/// `user_create`.
pub(crate) async fn user_create(
    ctx: &ToolContext,
    call: &CallContext,
    p: UserCreateParams,
) -> ToolResult {
    let Some(org) = ctx.organization_id else {
        return Err(Say::NeedsOrganization.into());
    };
    let email = p.email.trim().to_ascii_lowercase();
    if !email.contains('@') {
        return Err(Say::BadUserEmail {
            email: p.email.clone(),
        }
        .into());
    }
    let name = p.name.trim();
    if name.is_empty() {
        return Err(Say::NeedUserName.into());
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
            return Err(Say::UserExists { email }.into());
        }
        Err(e) => return Err(ToolError::calendar(&e, Doing::CreatingUser)),
    };
    let mut out = result_object(
        Say::UserCreated { user: line(&user) },
        call,
        ctx.clock.now(),
        ctx.business_tz,
    );
    out.insert("created".into(), json!(true));
    out.insert("user".into(), describe(&user));
    Ok(Value::Object(out))
}
