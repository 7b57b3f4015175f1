//! The tenants file read as `serve` reads it: good files, every problem with its line, inline
//! secrets.

use secrecy::ExposeSecret;

use super::{Problem, parse};
use crate::domain::language::Language;

fn env(name: &str) -> Option<String> {
    match name {
        "SMILE_CAL_KEY" => Some("cal_live_smile".to_owned()),
        "SMILE_CAL_SECRET" => Some("smile-cal-secret-0123456789".to_owned()),
        "SMILE_VAPI_SECRET" => Some("smile-vapi-secret-0123456789".to_owned()),
        "CUT_CAL_KEY" => Some("cal_live_cut".to_owned()),
        "CUT_CAL_SECRET" => Some("cut-cal-secret-0123456789ab".to_owned()),
        "CUT_HMAC" => Some("cut-hmac-secret-0123456789ab".to_owned()),
        _ => None,
    }
}

const TWO: &str = r#"
[[tenant]]
slug = "smile"
name = "Smile Dental"
time_zone = "America/New_York"
cal_api_key = "env:SMILE_CAL_KEY"
event_type_ids = [11, 12]
cal_webhook_secrets = "env:SMILE_CAL_SECRET"
vapi_webhook_secrets = ["env:SMILE_VAPI_SECRET"]
vapi_assistant_ids = ["asst-smile"]
vapi_phone_number_ids = ["pn-smile"]
staff_numbers = ["+1 (212) 555-0100"]

[[tenant]]
slug = "cut-london"
name = "Cut & Colour"
time_zone = "Europe/London"
language = "es"
cal_api_url = "http://127.0.0.1:9000"
cal_api_key = "env:CUT_CAL_KEY"
event_type_ids = 21
cal_webhook_secrets = "env:CUT_CAL_SECRET"
vapi_hmac_secrets = "env:CUT_HMAC"
vapi_phone_number_ids = ["pn-cut"]
date_order = "DMY"
max_bookings_per_caller_per_day = 1
"#;

#[test]
fn a_good_file_defines_each_business() {
    let file = parse(TWO, &env).expect("valid");
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let [smile, cut] = file.tenants.as_slice() else {
        panic!("two tenants")
    };
    assert_eq!(smile.slug.as_str(), "smile");
    assert_eq!(smile.name, "Smile Dental");
    assert_eq!(smile.time_zone, chrono_tz::America::New_York);
    assert_eq!(smile.language, Language::En);
    assert_eq!(smile.cal_api_url, "https://api.cal.com");
    assert_eq!(smile.cal_api_key.expose_secret(), "cal_live_smile");
    assert_eq!(smile.event_type_ids, [11, 12]);
    assert_eq!(smile.staff_numbers, ["+12125550100"]);
    assert_eq!(smile.line, 2, "the [[tenant]] header's line");
    assert_eq!(cut.language, Language::Es);
    assert_eq!(cut.event_type_ids, [21]);
    assert_eq!(cut.vapi_hmac_secrets.len(), 1);
    assert_eq!(cut.limits.bookings_per_caller_per_day, Some(1));
    assert_eq!(cut.limits.bookings_per_call, None);
}

/// Every problem is reported in one run, each with its line.
#[test]
fn every_problem_is_named_with_its_line() {
    let bad = format!(
        "{TWO}\n[[tenant]]\nslug = \"smile\"\nname = \"Again\"\ntime_zone = \"Mars/Olympus\"\ncal_api_key = \"env:NOPE\"\nevent_type_ids = [31]\ncal_webhook_secrets = \"env:SMILE_CAL_SECRET\"\nvapi_webhook_secrets = \"short\"\nvapi_phone_number_ids = [\"pn-cut\"]\ncolour = \"blue\"\n"
    );
    let problems = parse(&bad, &env).expect_err("refused");
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    let has = |needle: &str| text.iter().any(|p| p.contains(needle));
    assert!(has("line 31: tenant 'smile': time_zone:"), "{text:#?}");
    assert!(
        has("line 32: tenant 'smile': cal_api_key: the environment variable NOPE is not set"),
        "{text:#?}"
    );
    assert!(
        has("line 35: tenant 'smile': vapi_webhook_secrets: a secret needs at least 16 characters"),
        "{text:#?}"
    );
    assert!(has("line 37: unknown key 'colour'"), "{text:#?}");
    // Cross-tenant claims are checked on the tenants that parsed: fix the first round and
    // they show.
    let dup = format!(
        "{TWO}\n[[tenant]]\nslug = \"smile\"\nname = \"Again\"\ntime_zone = \"UTC\"\ncal_api_key = \"inline-key\"\nevent_type_ids = [31]\ncal_webhook_secrets = \"env:CUT_CAL_SECRET\"\nvapi_webhook_secrets = \"env:SMILE_VAPI_SECRET\"\nvapi_phone_number_ids = [\"pn-cut\"]\n"
    );
    let problems = parse(&dup, &env).expect_err("refused");
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    let has = |needle: &str| text.iter().any(|p| p.contains(needle));
    assert!(
        has("line 28: tenant 'smile' is defined twice (first at line 2)"),
        "{text:#?}"
    );
    assert!(
        has(
            "phone number id pn-cut is claimed by tenant 'cut-london' (line 14) and tenant 'smile'"
        ),
        "{text:#?}"
    );
    assert!(
        has("VAPI secret is claimed by tenant 'smile' (line 2)"),
        "{text:#?}"
    );
    assert!(
        !text.iter().any(|p| p.contains("smile-vapi-secret")),
        "secrets are never printed: {text:#?}"
    );
}

#[test]
fn missing_keys_and_wrong_types_are_problems() {
    let problems = parse(
        "[[tenant]]\nslug = \"Bad Slug\"\nevent_type_ids = [\"x\"]\n",
        &env,
    )
    .expect_err("refused");
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    for needle in [
        "line 2: tenant 'Bad Slug': slug: a slug has only lower-case letters",
        "line 1: a [[tenant]] needs 'name'",
        "line 1: a [[tenant]] needs 'time_zone'",
        "cal_api_key is required",
        "line 3: tenant 'Bad Slug': 'event_type_ids' must hold positive whole numbers",
        "cal_webhook_secrets is required",
        "vapi_webhook_secrets or vapi_hmac_secrets is required",
    ] {
        assert!(
            text.iter().any(|p| p.contains(needle)),
            "{needle}: {text:#?}"
        );
    }
    assert_eq!(
        parse("", &env).expect_err("empty")[0].to_string(),
        "the file defines no [[tenant]]"
    );
    assert!(
        parse("[[tenant]\n", &env).expect_err("not toml")[0]
            .to_string()
            .starts_with("not a TOML file")
    );
    assert!(
        parse("tenant = 3\n", &env).expect_err("not a list")[0]
            .to_string()
            .contains("write [[tenant]]")
    );
}

#[test]
fn inline_secrets_are_allowed_with_a_warning() {
    let inline = TWO.replace("env:SMILE_CAL_SECRET", "an-inline-cal-secret-123");
    let file = parse(&inline, &env).expect("valid");
    let warnings: Vec<String> = file.warnings.iter().map(Problem::to_string).collect();
    assert_eq!(
        warnings,
        [
            "line 8: tenant 'smile': cal_webhook_secrets is written inline; prefer env:VAR_NAME so the file holds no secret"
        ]
    );
}

#[test]
fn each_business_sets_its_own_calls_and_a_bad_value_is_named_with_its_line() {
    let with_calls = TWO.replace(
        "max_bookings_per_caller_per_day = 1\n",
        "max_bookings_per_caller_per_day = 1\nreminders = \"call\"\nwaitlist = \"call\"\nreminder_lead_hours = 2\ncall_window = \"Mon-Fri 08:00-18:00\"\ntransfer_number = \"+44 20 7946 0018\"\n",
    );
    let file = parse(&with_calls, &env).expect("valid");
    let [smile, cut] = file.tenants.as_slice() else {
        panic!("two tenants")
    };
    assert_eq!(
        smile.outbound.reminders, None,
        "the deployment's setting stays"
    );
    assert_eq!(
        cut.outbound.reminders,
        Some(crate::config::outbound::CallPolicy::Call)
    );
    assert_eq!(cut.outbound.reminder_lead_hours, Some(2));
    assert_eq!(
        cut.outbound.waitlist,
        Some(crate::config::outbound::CallPolicy::Call)
    );
    assert_eq!(smile.outbound.waitlist, None);
    assert_eq!(
        cut.outbound.call_window.as_ref().map(ToString::to_string),
        Some("Mon-Fri 08:00-18:00".to_owned())
    );
    assert_eq!(
        cut.outbound.transfer_number.as_deref(),
        Some("+442079460018")
    );

    let bad = TWO.replace(
        "date_order = \"DMY\"\n",
        "date_order = \"DMY\"\nreminders = \"sometimes\"\nwaitlist = \"maybe\"\ncall_window = \"Funday 9-5\"\ntransfer_number = \"call me\"\n",
    );
    let problems = parse(&bad, &env).expect_err("refused");
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    let line_of = |needle: &str| {
        bad.lines()
            .position(|l| l.starts_with(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    for (key, needle) in [
        ("reminders", "reminders ="),
        ("waitlist", "waitlist ="),
        ("call_window", "call_window ="),
        ("transfer_number", "transfer_number ="),
    ] {
        let expected = format!("line {}: tenant 'cut-london': {key}", line_of(needle));
        assert!(
            text.iter().any(|t| t.starts_with(&expected)),
            "{expected} in {text:?}"
        );
    }
}

#[test]
fn a_business_sets_its_own_retention_ages() {
    let own = TWO.replace(
        "max_bookings_per_caller_per_day = 1\n",
        "max_bookings_per_caller_per_day = 1\ncall_retention_days = 30\ntranscript_retention_days = 0\n",
    );
    let file = parse(&own, &env).expect("valid");
    let [smile, cut] = file.tenants.as_slice() else {
        panic!("two tenants")
    };
    assert_eq!(smile.retention, super::TenantRetention::default());
    assert_eq!(cut.retention.calls_days, Some(30));
    assert_eq!(cut.retention.transcripts_days, Some(0), "0 keeps all");
    assert_eq!(cut.retention.tool_log_days, None);

    // Laid over the deployment's settings: its own ages where it sets them, else the deployment's.
    let deployment = crate::config::Settings::defaults();
    let settings = deployment.for_tenant(cut);
    assert_eq!(settings.call_retention_days, 30);
    assert_eq!(settings.transcript_retention_days, 0);
    assert_eq!(
        settings.tool_log_retention_days,
        deployment.tool_log_retention_days
    );
    assert_eq!(
        deployment.for_tenant(smile).call_retention_days,
        deployment.call_retention_days
    );

    let bad = TWO.replace(
        "max_bookings_per_caller_per_day = 1\n",
        "max_bookings_per_caller_per_day = 1\ncall_retention_days = -5\nsync_run_retention_days = \"forever\"\n",
    );
    let text: Vec<String> = parse(&bad, &env)
        .expect_err("refused")
        .iter()
        .map(Problem::to_string)
        .collect();
    for key in ["call_retention_days", "sync_run_retention_days"] {
        assert!(
            text.iter()
                .any(|t| t.contains(&format!("'{key}' must be a whole number"))),
            "{key} in {text:?}"
        );
    }
}

#[test]
fn a_business_may_name_its_own_vapi_key() {
    let own = TWO.replace(
        "max_bookings_per_caller_per_day = 1\n",
        "max_bookings_per_caller_per_day = 1\nvapi_api_key = \"env:CUT_CAL_KEY\"\n",
    );
    let file = parse(&own, &env).expect("valid");
    let [smile, cut] = file.tenants.as_slice() else {
        panic!("two tenants")
    };
    assert!(smile.vapi_api_key.is_none());
    let mut deployment = crate::config::Settings::defaults();
    deployment.vapi_api_key = Some("vapi_deployment".to_owned().into());
    let key_of = |def| {
        deployment
            .for_tenant(def)
            .vapi_api_key
            .map(|k| k.expose_secret().to_owned())
    };
    assert_eq!(key_of(cut).as_deref(), Some("cal_live_cut"));
    assert_eq!(key_of(smile).as_deref(), Some("vapi_deployment"));
}
