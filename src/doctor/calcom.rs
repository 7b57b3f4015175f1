//! Cal.com checks: the key, the owner's zone, the rate budget, the default event type, the
//! organization and our webhook subscription.

use chrono::{Duration as ChronoDuration, SecondsFormat, Utc};

use super::{Check, Options, within};
use crate::{
    calcom::{CalClient, slot_cache::SlotRange},
    config::Settings,
    sync::bookings::SUBSCRIBED_TRIGGERS,
};

const KEY: (&str, &str) = ("cal.key", "Cal.com API key");
const ZONE: (&str, &str) = ("cal.zone", "Cal.com owner time zone");
const BUDGET: (&str, &str) = ("cal.rate", "Cal.com rate budget");
const EVENT_TYPE: (&str, &str) = ("cal.event_type", "Cal.com event type");
const ORGANIZATION: (&str, &str) = ("cal.organization", "Cal.com organization");
const WEBHOOK: (&str, &str) = ("cal.webhook", "Cal.com webhook");
const WEBHOOK_SECRET: (&str, &str) = ("cal.webhook_secret", "Cal.com webhook secret");
const WEBHOOK_TRIGGERS: (&str, &str) = ("cal.webhook_triggers", "Cal.com webhook triggers");

/// Days ahead searched for an open time of the event type.
const BOOKABLE_DAYS: i64 = 14;

/// The Cal.com checks. The key is checked first; the others depend on it and run side by side.
pub(super) async fn checks(settings: &Settings, options: &Options) -> Vec<Check> {
    let Some(key) = settings.cal_api_key.clone() else {
        return vec![Check::skipped(KEY.0, KEY.1, "CAL_API_KEY is not set")];
    };
    let limit = options.check_timeout;
    let cal = CalClient::new(&settings.cal_api_url, key, limit, limit);
    let (user, budget) = match within(limit, "Cal.com", cal.me_with_budget()).await {
        Ok(Ok(found)) => found,
        failed => {
            let detail = match failed {
                Ok(Err(e)) => e.to_string(),
                Err(e) => e,
                Ok(Ok(_)) => String::new(),
            };
            let key_rejected = detail.contains("answered 401") || detail.contains("answered 403");
            let fix = if key_rejected {
                "Create an API key in Cal.com (Settings → Developer → API keys) and set CAL_API_KEY to it.".to_owned()
            } else {
                format!(
                    "Check CAL_API_URL ({}) and that this host can reach it.",
                    settings.cal_api_url
                )
            };
            let because = "the Cal.com API key check failed";
            let mut out = vec![Check::fail(KEY.0, KEY.1, detail, fix)];
            for (id, name) in [EVENT_TYPE, WEBHOOK, WEBHOOK_SECRET, WEBHOOK_TRIGGERS] {
                out.push(Check::skipped(id, name, because));
            }
            return out;
        }
    };
    let mut out = vec![Check::pass(
        KEY.0,
        KEY.1,
        format!(
            "works for {} (user {})",
            user.name
                .as_deref()
                .or(user.username.as_deref())
                .unwrap_or("the owner"),
            user.id
        ),
    )];
    if let Some(tz) = settings.business_timezone {
        out.push(match user.time_zone.as_deref() {
            Some(zone) if zone == tz.name() => {
                Check::pass(ZONE.0, ZONE.1, format!("{zone}, the same as BUSINESS_TIMEZONE"))
            }
            Some(zone) => Check::warn(
                ZONE.0,
                ZONE.1,
                format!("{zone} differs from BUSINESS_TIMEZONE {}", tz.name()),
                Some("callers hear times in BUSINESS_TIMEZONE; make sure the owner's hours in Cal.com are meant in that zone".to_owned()),
            ),
            None => Check::warn(ZONE.0, ZONE.1, "Cal.com did not say the owner's zone", None),
        });
    }
    out.push(match budget {
        Some(b) if b.remaining * 10 < b.limit => Check::warn(
            BUDGET.0,
            BUDGET.1,
            format!(
                "{} of {} requests left in this window",
                b.remaining, b.limit
            ),
            Some(
                "something else is using this API key heavily; give vapi-cal its own key"
                    .to_owned(),
            ),
        ),
        Some(b) => Check::pass(
            BUDGET.0,
            BUDGET.1,
            format!(
                "{} of {} requests left in this window",
                b.remaining, b.limit
            ),
        ),
        None => Check::warn(
            BUDGET.0,
            BUDGET.1,
            "Cal.com sent no rate-limit headers",
            None,
        ),
    });
    let (event_type, organization, webhooks) = tokio::join!(
        event_type(&cal, settings, options),
        organization(&cal, settings, options),
        webhooks(&cal, settings, options),
    );
    out.push(event_type);
    out.extend(organization);
    out.extend(webhooks);
    out
}

async fn event_type(cal: &CalClient, settings: &Settings, options: &Options) -> Check {
    let (id_, name) = EVENT_TYPE;
    let default = settings
        .bookable_event_type_ids()
        .map(|ids| ids.first().copied());
    let id = match default {
        Ok(Some(id)) => id,
        Ok(None) => return Check::skipped(id_, name, "CAL_EVENT_TYPE_ID is not set"),
        Err(why) => {
            return Check::fail(
                id_,
                name,
                why,
                "List CAL_EVENT_TYPE_ID in CAL_EVENT_TYPE_IDS.",
            );
        }
    };
    let fix_id = "Set CAL_EVENT_TYPE_ID to the id of an event type this key's owner has (the number in its URL under Event Types).";
    let found = match within(options.check_timeout, "Cal.com", cal.event_type(id)).await {
        Ok(Ok(et)) => et,
        Ok(Err(e)) if e.is_not_found() => {
            return Check::fail(
                id_,
                name,
                format!("event type {id} does not exist in this Cal.com account"),
                fix_id,
            );
        }
        Ok(Err(e)) => {
            return Check::fail(
                id_,
                name,
                format!("could not read event type {id}: {e}"),
                fix_id,
            );
        }
        Err(e) => return Check::fail(id_, name, e, "Check that Cal.com is up and try again."),
    };
    let length = found
        .length_in_minutes
        .map_or_else(String::new, |m| format!(", {m} minutes"));
    let described = format!("{} (id {id}){length}", found.title);
    if found.booking_requires_authentication {
        return Check::fail(
            id_,
            name,
            format!(
                "{described} requires the booker to be signed in to Cal.com, so callers cannot book it"
            ),
            "Turn off \"Requires booker authentication\" in the event type's advanced settings.",
        );
    }
    let tz = settings.business_timezone.map_or("UTC", |t| t.name());
    let now = Utc::now();
    let start = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let end =
        (now + ChronoDuration::days(BOOKABLE_DAYS)).to_rfc3339_opts(SecondsFormat::Millis, true);
    match within(
        options.check_timeout,
        "Cal.com",
        cal.slots(id, &SlotRange::exactly(&start, &end), tz, None, None),
    )
    .await
    {
        Ok(Ok(days)) => {
            let open: usize = days.values().map(Vec::len).sum();
            if open == 0 {
                Check::warn(
                    id_,
                    name,
                    format!("{described} has no open time in the next {BOOKABLE_DAYS} days"),
                    Some("check the event type's availability schedule in Cal.com".to_owned()),
                )
            } else {
                Check::pass(
                    id_,
                    name,
                    format!(
                        "{described}, bookable: {open} open times in the next {BOOKABLE_DAYS} days"
                    ),
                )
            }
        }
        Ok(Err(e)) => Check::fail(
            id_,
            name,
            format!("{described}: could not read its open times: {e}"),
            fix_id,
        ),
        Err(e) => Check::fail(id_, name, e, "Check that Cal.com is up and try again."),
    }
}

async fn organization(cal: &CalClient, settings: &Settings, options: &Options) -> Option<Check> {
    let (id_, name) = ORGANIZATION;
    let org = settings.cal_organization_id?;
    Some(
        match within(options.check_timeout, "Cal.com", cal.org_users(org, &[])).await {
            Ok(Ok(users)) => Check::pass(
                id_,
                name,
                format!(
                    "organization {org} answers ({} members listed)",
                    users.len()
                ),
            ),
            Ok(Err(e)) => Check::fail(
                id_,
                name,
                format!("organization {org}: {e}"),
                "Set CAL_ORGANIZATION_ID to your organization's id and use an organization admin's API key, or unset it.",
            ),
            Err(e) => Check::fail(id_, name, e, "Check that Cal.com is up and try again."),
        },
    )
}

async fn webhooks(cal: &CalClient, settings: &Settings, options: &Options) -> Vec<Check> {
    let Some(public_url) = settings.public_url.as_deref() else {
        return vec![Check::skipped(
            WEBHOOK.0,
            WEBHOOK.1,
            "PUBLIC_URL is not set",
        )];
    };
    let url = format!("{}/cal/webhook", public_url.trim().trim_end_matches('/'));
    let register = "Run `vapi-cal calcom register-webhook` (try --dry-run first).";
    let subscriptions = match within(options.check_timeout, "Cal.com", cal.list_webhooks()).await {
        Ok(Ok(list)) => list,
        failed => {
            let detail = match failed {
                Ok(Err(e)) => format!("could not list the webhooks: {e}"),
                Err(e) => e,
                Ok(Ok(_)) => String::new(),
            };
            return vec![
                Check::fail(
                    WEBHOOK.0,
                    WEBHOOK.1,
                    detail,
                    "Check that Cal.com is up and try again.",
                ),
                Check::skipped(
                    WEBHOOK_SECRET.0,
                    WEBHOOK_SECRET.1,
                    "the webhooks could not be listed",
                ),
                Check::skipped(
                    WEBHOOK_TRIGGERS.0,
                    WEBHOOK_TRIGGERS.1,
                    "the webhooks could not be listed",
                ),
            ];
        }
    };
    let Some(ours) = subscriptions.iter().find(|w| w.subscriber_url == url) else {
        let elsewhere: Vec<&str> = subscriptions
            .iter()
            .map(|w| w.subscriber_url.as_str())
            .filter(|u| u.ends_with("/cal/webhook"))
            .collect();
        let detail = if elsewhere.is_empty() {
            format!("no subscription posts to {url}")
        } else {
            format!(
                "no subscription posts to {url}; found one for {}",
                elsewhere.join(", ")
            )
        };
        return vec![
            Check::fail(WEBHOOK.0, WEBHOOK.1, detail, register),
            Check::skipped(
                WEBHOOK_SECRET.0,
                WEBHOOK_SECRET.1,
                "there is no subscription",
            ),
            Check::skipped(
                WEBHOOK_TRIGGERS.0,
                WEBHOOK_TRIGGERS.1,
                "there is no subscription",
            ),
        ];
    };
    let active = if ours.active {
        Check::pass(
            WEBHOOK.0,
            WEBHOOK.1,
            format!(
                "subscription {} posts to {url} and is active",
                ours.id_text()
            ),
        )
    } else {
        Check::fail(
            WEBHOOK.0,
            WEBHOOK.1,
            format!(
                "subscription {} posts to {url} but is turned off",
                ours.id_text()
            ),
            register,
        )
    };
    let signed = if ours.has_secret {
        Check::pass(WEBHOOK_SECRET.0, WEBHOOK_SECRET.1, "deliveries are signed")
    } else {
        Check::fail(
            WEBHOOK_SECRET.0,
            WEBHOOK_SECRET.1,
            "the subscription has no secret, so its deliveries are unsigned and /cal/webhook rejects them",
            "Set CAL_WEBHOOK_SECRET and run `vapi-cal calcom register-webhook`.",
        )
    };
    let missing: Vec<&str> = SUBSCRIBED_TRIGGERS
        .iter()
        .copied()
        .filter(|t| !ours.triggers.iter().any(|have| have == t))
        .collect();
    let triggers = if missing.is_empty() {
        Check::pass(
            WEBHOOK_TRIGGERS.0,
            WEBHOOK_TRIGGERS.1,
            format!("all {} booking triggers", SUBSCRIBED_TRIGGERS.len()),
        )
    } else {
        Check::fail(
            WEBHOOK_TRIGGERS.0,
            WEBHOOK_TRIGGERS.1,
            format!("missing {}", missing.join(", ")),
            register,
        )
    };
    vec![active, signed, triggers]
}
