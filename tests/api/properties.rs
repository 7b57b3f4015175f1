//! Property tests: arbitrary and mutated real bodies sent to both webhooks never panic the service
//! and never get a 5xx; the time-expression parser never panics and keeps its promises.

use chrono::{Datelike, Duration, NaiveDate, Timelike};
use proptest::{
    collection::{hash_map, vec},
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use serde_json::{Value, json};
use vapi_cal::domain::language::Language;
use vapi_cal::domain::local_time;

use crate::support::{CALLER, Options, TestApp};

/// Cases per property that talks to the service (each one is an HTTP round trip).
const HTTP_CASES: usize = 96;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,24}".prop_map(Value::from),
        prop_oneof![
            Just("tool-calls"),
            Just("function-call"),
            Just("BOOKING_CREATED"),
            Just("BOOKING_CANCELLED"),
            Just("2026-11-24T15:00:00Z"),
            Just("tomorrow 3pm"),
            Just("+15551234567"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            hash_map(".{0,12}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer inside `value` (the root included).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A change to a real payload: replace a value somewhere, or damage the bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    FlipByte(usize, u8),
    Truncate(usize),
}

fn arb_mutations() -> impl Strategy<Value = Vec<Mutation>> {
    vec(
        prop_oneof![
            (any::<usize>(), arb_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
            any::<usize>().prop_map(Mutation::Remove),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
            any::<usize>().prop_map(Mutation::Truncate),
        ],
        1..4,
    )
}

/// Applies mutations: structural ones first, then byte damage to the serialized text.
fn mutate(base: &Value, mutations: &[Mutation]) -> Vec<u8> {
    let mut value = base.clone();
    for m in mutations {
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        match m {
            Mutation::Replace(i, v) => {
                let at = &all[i % all.len()];
                if let Some(slot) = value.pointer_mut(at) {
                    *slot = v.clone();
                }
            }
            Mutation::Remove(i) => {
                let at = &all[i % all.len()];
                if let Some((parent, key)) = at.rsplit_once('/') {
                    match value.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key.replace("~1", "/").replace("~0", "~"));
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(i) = key.parse::<usize>()
                                && i < items.len()
                            {
                                items.remove(i);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut bytes = value.to_string().into_bytes();
    for m in mutations {
        match m {
            Mutation::FlipByte(i, b) if !bytes.is_empty() => {
                let len = bytes.len();
                bytes[i % len] = *b;
            }
            Mutation::Truncate(i) if !bytes.is_empty() => {
                let len = bytes.len();
                bytes.truncate(i % len);
            }
            _ => {}
        }
    }
    bytes
}

/// Draws `n` values from `strategy` (random seed; failures print the input).
fn draw<S: Strategy>(strategy: &S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::new(Config::default());
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("value").current())
        .collect()
}

/// A world where the budget never gets in the way of many cases.
async fn roomy_app() -> TestApp {
    TestApp::spawn_with(Options {
        cal_rate_limit_per_min: 1_000_000,
        ..Options::default()
    })
    .await
}

fn real_vapi_messages() -> Vec<Value> {
    let calls = json!([
        {"id": "tc-a", "type": "function", "function": {"name": "availability_read", "arguments": {"date": "tomorrow"}}},
        {"id": "tc-b", "type": "function", "function": {"name": "appointment_create", "arguments": {"start": "2026-11-24T15:00", "attendeeName": "Jane Roe", "attendeeEmail": "jane@example.com"}}},
        {"id": "tc-c", "type": "function", "function": {"name": "appointment_read", "arguments": "{\"email\":\"jane@example.com\"}"}},
        {"id": "tc-d", "type": "function", "function": {"name": "appointment_cancel", "arguments": {"appointmentId": "nope", "reason": "x"}}}
    ]);
    vec![
        json!({"message": {"type": "tool-calls", "timestamp": 1_763_730_000_123_u64,
            "call": {"id": "call-p", "type": "inboundPhoneCall", "customer": {"number": CALLER}},
            "customer": {"number": CALLER}, "toolCallList": calls}}),
        json!({"message": {"type": "function-call", "call": {"id": "call-p"},
            "functionCall": {"name": "availability_read", "parameters": {"date": "2026-11-24"}}}}),
        json!({"message": {"type": "status-update", "status": "in-progress", "call": {"id": "call-p"}}}),
        json!({"message": {"type": "end-of-call-report", "endedReason": "customer-ended-call",
            "call": {"id": "call-p"}, "artifact": {"transcript": "hello", "messages": []}}}),
    ]
}

#[tokio::test]
async fn arbitrary_and_mutated_vapi_messages_never_get_a_5xx() {
    let app = roomy_app().await;
    let bases = real_vapi_messages();
    let cases = draw(&(0..bases.len(), arb_mutations()), HTTP_CASES);
    for (i, mutations) in cases {
        let body = mutate(&bases[i], &mutations);
        let text = String::from_utf8_lossy(&body).into_owned();
        let (status, answer) = app.send_message_raw(&text).await;
        assert!(
            status == 200 || (400..500).contains(&status),
            "{status} for {text}: {answer}"
        );
        assert!(answer.is_object(), "a JSON answer for {text}: {answer}");
    }
    for value in draw(&arb_json(), HTTP_CASES) {
        let text = json!({"message": value}).to_string();
        let (status, answer) = app.send_message_raw(&text).await;
        assert!(
            status == 200 || (400..500).contains(&status),
            "{status} for {text}: {answer}"
        );
    }
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200, "still serving");
}

#[tokio::test]
async fn arbitrary_and_mutated_cal_com_webhooks_never_get_a_5xx() {
    let app = roomy_app().await;
    app.seed(
        "p-1",
        "2026-11-24T16:00:00Z",
        Some(CALLER),
        Some("pat@example.com"),
    );
    let (status, moved) = app
        .cal_api_post(
            "/v2/bookings/p-1/reschedule",
            json!({"start": "2026-11-25T16:00:00Z", "reschedulingReason": "moved"}),
        )
        .await;
    assert_eq!(status, 201, "{moved}");
    let new_uid = moved["data"]["uid"].as_str().expect("new uid").to_owned();
    let bases: Vec<Value> = [
        ("BOOKING_CREATED", new_uid.as_str()),
        ("BOOKING_RESCHEDULED", new_uid.as_str()),
        ("BOOKING_CANCELLED", new_uid.as_str()),
    ]
    .into_iter()
    .map(|(trigger, uid)| {
        let body = app.sim.webhook_payload(trigger, uid).expect("payload");
        serde_json::from_str(&body).expect("payload is JSON")
    })
    .collect();
    let cases = draw(&(0..bases.len(), arb_mutations()), HTTP_CASES);
    for (i, mutations) in cases {
        let body = mutate(&bases[i], &mutations);
        let text = String::from_utf8_lossy(&body).into_owned();
        // Signed correctly, so the body is parsed rather than refused at the door.
        let (status, answer) = app.deliver(&text).await;
        assert!(
            status == 200 || status == 400,
            "{status} for {text}: {answer}"
        );
    }
    for value in draw(&arb_json(), HTTP_CASES) {
        let text = value.to_string();
        let (status, answer) = app.deliver(&text).await;
        assert!(
            status == 200 || status == 400,
            "{status} for {text}: {answer}"
        );
    }
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200, "still serving");
}

fn arb_zone() -> impl Strategy<Value = chrono_tz::Tz> {
    prop_oneof![
        Just(chrono_tz::America::New_York),
        Just(chrono_tz::Pacific::Auckland),
        Just(chrono_tz::Asia::Kolkata),
        Just(chrono_tz::Pacific::Kiritimati),
        Just(chrono_tz::Pacific::Pago_Pago),
        Just(chrono_tz::UTC),
    ]
}

fn arb_today() -> impl Strategy<Value = NaiveDate> {
    (0i64..3650)
        .prop_map(|d| NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + Duration::days(d))
}

/// Phrases callers and models say, in any case and spacing.
fn arb_phrase() -> impl Strategy<Value = String> {
    let day = prop_oneof![
        Just("today".to_owned()),
        Just("tomorrow".to_owned()),
        Just("day after tomorrow".to_owned()),
        Just("next tuesday".to_owned()),
        Just("friday".to_owned()),
        Just("this sunday".to_owned()),
        (2020i32..2035, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        ".{0,12}",
    ];
    let clock = prop_oneof![
        (0u32..30, 0u32..70).prop_map(|(h, m)| format!("{h}:{m:02}")),
        (0u32..15).prop_map(|h| format!("{h}pm")),
        (0u32..15, 0u32..61).prop_map(|(h, m)| format!("{h}:{m:02} a.m.")),
        ".{0,8}",
    ];
    (day, clock, "[ T]{0,3}", any::<bool>()).prop_map(|(d, c, sep, upper)| {
        let s = format!("{d}{sep}{c}");
        if upper { s.to_uppercase() } else { s }
    })
}

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    #[test]
    fn any_text_resolves_or_is_refused_without_panicking(text in ".{0,40}", today in arb_today(), tz in arb_zone()) {
        let _ = local_time::resolve_date(&text, today, None, Language::En);
        let _ = local_time::parse_start(&text, tz, today, None, Language::En);
        let _ = local_time::parse_zone(&text);
    }

    #[test]
    fn spoken_phrases_never_panic(text in arb_phrase(), today in arb_today(), tz in arb_zone()) {
        let _ = local_time::resolve_date(&text, today, None, Language::En);
        let _ = local_time::parse_start(&text, tz, today, None, Language::En);
    }

    #[test]
    fn tomorrow_at_a_clock_time_is_tomorrow_at_that_time_locally(
        hour in 0u32..24, minute in 0u32..60, today in arb_today(), tz in arb_zone()
    ) {
        let text = format!("tomorrow {hour:02}:{minute:02}");
        // A wall time inside a DST gap is refused with a sentence; any other is exact.
        if let Ok(at) = local_time::parse_start(&text, tz, today, None, Language::En) {
            let local = at.with_timezone(&tz);
            prop_assert_eq!(local.date_naive(), today.succ_opt().expect("tomorrow"));
            prop_assert_eq!((local.hour(), local.minute()), (hour, minute));
        }
    }

    #[test]
    fn a_weekday_resolves_within_the_coming_week(
        day in 0usize..7, next in any::<bool>(), today in arb_today()
    ) {
        let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        let text = if next { format!("next {}", names[day]) } else { names[day].to_owned() };
        let date = local_time::resolve_date(&text, today, None, Language::En).expect("a weekday resolves");
        let ahead = (date - today).num_days();
        prop_assert_eq!(date.weekday().num_days_from_monday() as usize, day);
        if next { prop_assert!((1..=7).contains(&ahead)) } else { prop_assert!((0..=6).contains(&ahead)) }
    }
}
