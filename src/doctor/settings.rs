//! Settings checks: the required ones present, URLs valid, secrets not placeholder values.

use secrecy::{ExposeSecret, SecretString};

use super::{Check, is_loopback};
use crate::config::{MIN_SECRET_CHARS, Settings};

/// Values people leave in place of a real secret.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "replaceme",
    "replace-me",
    "secret",
    "password",
    "token",
    "xxx",
    "todo",
    "example",
    "test",
    "none",
    "null",
];

/// The settings checks (no I/O).
pub(super) fn checks(settings: &Settings) -> Vec<Check> {
    let mut out = vec![required(settings)];
    if let Some(tz) = settings.business_timezone {
        out.push(Check::pass(
            "settings.timezone",
            "Business time zone",
            format!("BUSINESS_TIMEZONE is {}", tz.name()),
        ));
    }
    out.push(urls(settings));
    out.push(public_url(settings));
    out.push(secrets(settings));
    out.extend(outbound(settings));
    out
}

/// When the business makes calls: what it needs to place them (a VAPI key and a line) and a
/// hand-over number in E.164. Nothing when calls are off.
fn outbound(settings: &Settings) -> Option<Check> {
    let calls = &settings.outbound;
    if !calls.any_on() && calls.transfer_number.is_none() {
        return None;
    }
    let mut problems = Vec::new();
    if calls.any_on() && settings.vapi_api_key.is_none() {
        problems.push("VAPI_API_KEY is not set: no call can be placed".to_owned());
    }
    if calls.any_on() && settings.vapi_phone_number_id.is_none() {
        problems.push("VAPI_PHONE_NUMBER_ID is not set: there is no line to call from".to_owned());
    }
    if let Some(number) = &calls.transfer_number
        && crate::domain::phone::caller_e164(number).as_deref() != Some(number.trim())
    {
        problems.push(format!(
            "TRANSFER_NUMBER '{number}' is not in E.164 (+15551234567)"
        ));
    }
    Some(if problems.is_empty() {
        Check::pass(
            "settings.outbound",
            "Outbound calls",
            format!(
                "reminders {}, no-show follow-ups {}, waitlist {}, calling hours {}, at most {} at once",
                if calls.reminders.is_on() { "on" } else { "off" },
                if calls.no_show_follow_up.is_on() {
                    "on"
                } else {
                    "off"
                },
                if calls.waitlist.is_on() { "on" } else { "off" },
                calls.call_window,
                calls.outbound_max_concurrent
            ),
        )
    } else {
        Check::fail(
            "settings.outbound",
            "Outbound calls",
            problems.join("; "),
            "Set them, or turn the calls off (REMINDERS=off, NO_SHOW_FOLLOW_UP=off, WAITLIST=off).",
        )
    })
}

fn required(settings: &Settings) -> Check {
    let missing = settings.missing_for_serve();
    if missing.is_empty() {
        let signing = if settings.cal_webhook_secrets().is_empty() {
            "ACCEPT_UNSIGNED_CAL_WEBHOOKS"
        } else {
            "CAL_WEBHOOK_SECRET"
        };
        Check::pass(
            "settings.required",
            "Required settings",
            format!("CAL_API_KEY, CAL_EVENT_TYPE_ID, BUSINESS_TIMEZONE and {signing} are set"),
        )
    } else {
        Check::fail(
            "settings.required",
            "Required settings",
            format!("missing {}", missing.join(", ")),
            "Set them in the environment or .env (see .env.example).",
        )
    }
}

fn urls(settings: &Settings) -> Check {
    let mut problems = Vec::new();
    let mut named = vec![
        ("CAL_API_URL", Some(settings.cal_api_url.as_str())),
        ("VAPI_API_URL", Some(settings.vapi_api_url.as_str())),
        ("PUBLIC_URL", settings.public_url.as_deref()),
    ];
    named.retain(|(_, v)| v.is_some());
    for (name, value) in named.into_iter().filter_map(|(n, v)| Some((n, v?))) {
        match reqwest::Url::parse(value.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                if url.scheme() == "http" && !is_loopback(&url) {
                    problems.push(format!("{name} ({value}) is not HTTPS"));
                } else if name == "PUBLIC_URL" && (url.query().is_some() || url.path() != "/") {
                    problems.push(format!(
                        "PUBLIC_URL ({value}) must be the base URL, without a path or query"
                    ));
                }
            }
            _ => problems.push(format!("{name} ({value}) is not an http(s) URL")),
        }
    }
    if problems.is_empty() {
        Check::pass(
            "settings.urls",
            "URLs",
            "CAL_API_URL, VAPI_API_URL and PUBLIC_URL are valid",
        )
    } else {
        Check::fail(
            "settings.urls",
            "URLs",
            problems.join("; "),
            "Set each to an absolute https:// URL, e.g. CAL_API_URL=https://api.cal.com or PUBLIC_URL=https://voice.example.com.",
        )
    }
}

fn public_url(settings: &Settings) -> Check {
    match &settings.public_url {
        Some(url) => Check::pass(
            "settings.public_url",
            "Public URL",
            format!("PUBLIC_URL is {url}"),
        ),
        None => Check::warn(
            "settings.public_url",
            "Public URL",
            "PUBLIC_URL is not set, so the Cal.com webhook, the VAPI assistant and reachability cannot be checked",
            Some("set PUBLIC_URL to the service's public HTTPS base URL".to_owned()),
        ),
    }
}

fn secrets(settings: &Settings) -> Check {
    let mut placeholder = Vec::new();
    let webhook_secrets = settings.cal_webhook_secrets();
    let named: Vec<(&str, &SecretString)> = [
        ("CAL_API_KEY", settings.cal_api_key.as_ref()),
        ("VAPI_API_KEY", settings.vapi_api_key.as_ref()),
        ("VAPI_WEBHOOK_SECRET", settings.vapi_webhook_secret.as_ref()),
        ("ADMIN_TOKEN", settings.admin_token.as_ref()),
    ]
    .into_iter()
    .filter_map(|(n, v)| Some((n, v?)))
    .chain(webhook_secrets.iter().map(|s| ("CAL_WEBHOOK_SECRET", s)))
    .collect();
    for (name, value) in named {
        if is_placeholder(value.expose_secret().trim()) {
            placeholder.push(name);
        }
    }
    if !placeholder.is_empty() {
        return Check::fail(
            "settings.secrets",
            "Secrets",
            format!("{} hold(s) a placeholder value", placeholder.join(", ")),
            "Replace each with the real key or a long random secret (e.g. `openssl rand -hex 32`).",
        );
    }
    // The same rule `serve` applies: it refuses to start with any of these.
    let short = settings.short_secrets_for_serve();
    if !short.is_empty() {
        return Check::fail(
            "settings.secrets",
            "Secrets",
            format!(
                "{} is shorter than {MIN_SECRET_CHARS} characters; `serve` refuses to start",
                short.join(", ")
            ),
            "Use a long random value, e.g. `openssl rand -hex 32`.",
        );
    }
    if settings.accept_unsigned_cal_webhooks && webhook_secrets.is_empty() {
        return Check::warn(
            "settings.secrets",
            "Secrets",
            "ACCEPT_UNSIGNED_CAL_WEBHOOKS is on: anyone who can reach /cal/webhook can change the appointments table",
            Some("set CAL_WEBHOOK_SECRET and turn ACCEPT_UNSIGNED_CAL_WEBHOOKS off".to_owned()),
        );
    }
    Check::pass("settings.secrets", "Secrets", "no placeholder values")
}

/// `changeme`, `your-api-key`, `<secret>`, `xxxx`...
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    PLACEHOLDERS.contains(&lower.as_str())
        || lower.starts_with("your")
        || lower.starts_with('<')
        || lower.starts_with("...")
        || (lower.len() > 1
            && lower
                .chars()
                .all(|c| c == lower.chars().next().unwrap_or('x')))
}

#[cfg(test)]
mod tests {
    use super::{is_placeholder, outbound};
    use crate::config::{Settings, outbound::CallPolicy};

    #[test]
    fn calls_that_cannot_be_placed_fail_the_check() {
        let mut settings = Settings::defaults();
        assert!(
            outbound(&settings).is_none(),
            "nothing to check while calls are off"
        );
        settings.outbound.reminders = CallPolicy::Call;
        settings.outbound.transfer_number = Some("call the desk".into());
        let check = outbound(&settings).expect("a check");
        assert_eq!(check.status, crate::doctor::Status::Fail);
        for missing in ["VAPI_API_KEY", "VAPI_PHONE_NUMBER_ID", "TRANSFER_NUMBER"] {
            assert!(
                check.detail.contains(missing),
                "{missing}: {}",
                check.detail
            );
        }
        settings.vapi_api_key = Some("vapi_private".to_owned().into());
        settings.vapi_phone_number_id = Some("pn-1".into());
        settings.outbound.transfer_number = Some("+15550002222".into());
        assert_eq!(
            outbound(&settings).expect("a check").status,
            crate::doctor::Status::Pass
        );
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "changeme",
            "YOUR_API_KEY",
            "<secret>",
            "xxxxxxxx",
            "secret",
            "...",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for real in [
            "cal_live_3f9a8b7c6d5e4f3a",
            "b1946ac92492d2347c6235b4d2611184",
        ] {
            assert!(!is_placeholder(real), "{real}");
        }
    }
}
