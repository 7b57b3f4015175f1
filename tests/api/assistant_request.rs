//! `assistant-request`: the configured assistant, with what the local tables know about the
//! caller, answered without asking Cal.com.

use serde_json::{Value, json};

use crate::support::{ASSISTANT_ID, CALLER, TestApp};

/// The keys VAPI's `ServerMessageResponseAssistantRequest` defines (vapi-openapi.json).
const RESPONSE_KEYS: &[&str] = &[
    "destination",
    "assistantId",
    "assistant",
    "assistantOverrides",
    "squadId",
    "squad",
    "squadOverrides",
    "workflowId",
    "workflow",
    "workflowOverrides",
    "error",
];

fn check_shape(body: &Value) {
    let object = body.as_object().expect("an object");
    for key in object.keys() {
        assert!(RESPONSE_KEYS.contains(&key.as_str()), "unknown key {key}");
    }
    assert_eq!(body["assistantId"], ASSISTANT_ID);
    let overrides = body["assistantOverrides"].as_object().expect("overrides");
    assert_eq!(overrides.keys().collect::<Vec<_>>(), ["variableValues"]);
}

/// A caller with an appointment on Tuesday, synced into the local table.
async fn app_with_known_caller() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed(
        "upcoming-1",
        "2026-11-24T20:00:00Z",
        Some(CALLER),
        Some("pat@example.com"),
    );
    app.seed(
        "someone-else",
        "2026-11-23T15:00:00Z",
        Some("+15559990000"),
        Some("other@example.com"),
    );
    app.reconcile().await;
    app
}

#[tokio::test]
async fn a_known_caller_gets_their_name_email_and_next_appointment() {
    let app = app_with_known_caller().await;
    let cal_requests = app.sim.requests().len();
    let (status, body) = app.assistant_request(Some("+1 (555) 123-4567")).await;
    assert_eq!(status, 200, "{body}");
    check_shape(&body);
    assert_eq!(
        body["assistantOverrides"]["variableValues"],
        json!({
            "callerKnown": true,
            "callerName": "Pat Caller",
            "callerEmail": "pat@example.com",
            "nextAppointment": "Tuesday, November 24 at 3:00 PM EST",
            "nextAppointmentId": "upcoming-1",
            "today": "Saturday, November 21, 2026",
        })
    );
    assert_eq!(
        app.sim.requests().len(),
        cal_requests,
        "answered from the local tables only"
    );
}

#[tokio::test]
async fn unknown_and_withheld_numbers_get_the_same_assistant_and_nothing_personal() {
    let app = app_with_known_caller().await;
    let unknown = json!({
        "callerKnown": false,
        "callerName": "",
        "callerEmail": "",
        "nextAppointment": "",
        "nextAppointmentId": "",
        "today": "Saturday, November 21, 2026",
    });
    for caller in [Some("+15550001111"), Some("anonymous"), None] {
        let (status, body) = app.assistant_request(caller).await;
        assert_eq!(status, 200, "{body}");
        check_shape(&body);
        assert_eq!(
            body["assistantOverrides"]["variableValues"], unknown,
            "{caller:?}"
        );
        let text = body.to_string();
        assert!(
            !text.contains("Pat") && !text.contains("@example.com"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_caller_whose_appointments_have_passed_is_known_without_a_next_one() {
    let app = TestApp::spawn().await;
    app.seed(
        "last-week",
        "2026-11-14T15:00:00Z",
        Some(CALLER),
        Some("pat@example.com"),
    );
    app.reconcile().await;
    let (_, body) = app.assistant_request(Some(CALLER)).await;
    let values = &body["assistantOverrides"]["variableValues"];
    assert_eq!(values["callerKnown"], true);
    assert_eq!(values["callerName"], "Pat Caller");
    assert_eq!(values["nextAppointment"], "");
}

#[tokio::test]
async fn a_returning_caller_books_without_repeating_name_and_email() {
    let app = app_with_known_caller().await;
    let r = app
        .answer("appointment_create", json!({"start": "monday at 1pm"}))
        .await;
    let summary = r["summary"].as_str().unwrap_or_default();
    assert!(
        summary.ends_with(
            "I used the name Pat Caller and the email pat@example.com from the caller's last booking; please confirm them with the caller."
        ),
        "{summary}"
    );
    assert_eq!(
        r["filledFromLastBooking"],
        json!(["attendeeName", "attendeeEmail"])
    );
    let booked = app
        .sim
        .bookings()
        .into_iter()
        .find(|b| b["start"] == "2026-11-23T18:00:00.000Z")
        .expect("booked Monday at 1 PM");
    assert_eq!(booked["attendees"][0]["name"], "Pat Caller");
    assert_eq!(booked["attendees"][0]["email"], "pat@example.com");

    // A name the caller gives wins; only the missing email is filled.
    let r = app
        .answer(
            "appointment_create",
            json!({"start": "monday at 2pm", "attendeeName": "Sam Caller"}),
        )
        .await;
    assert_eq!(r["filledFromLastBooking"], json!(["attendeeEmail"]));
}

#[tokio::test]
async fn nothing_is_filled_for_another_number_or_an_unknown_caller() {
    let app = app_with_known_caller().await;
    // Booking for someone else's number is refused (it would become their profile).
    let e = app
        .refusal(
            "appointment_create",
            json!({"start": "monday at 10am", "attendeePhone": "+15559990000"}),
        )
        .await;
    assert_eq!(
        e,
        "I can only book under the number you're calling from (+15551234567); leave attendeePhone empty to use it."
    );
    let e = app
        .refusal_as(
            "appointment_create",
            json!({"start": "monday at 10am"}),
            Some("+15550001111"),
        )
        .await;
    assert_eq!(e, "I need the name the appointment is for.");
    assert_eq!(app.sim.bookings().len(), 2, "nothing booked");
}

#[tokio::test]
async fn the_demo_assistant_request_recognises_the_demo_caller() {
    assert_eq!(vapi_cal::cli::demo::DEMO_CALLER, CALLER);
    let app = app_with_known_caller().await;
    let curl = vapi_cal::cli::demo::assistant_request_curl("127.0.0.1:8080", "demo-secret");
    assert!(
        include_str!("../../README.md").contains(&curl),
        "README lacks: {curl}"
    );
    let body = curl
        .split_once("-d '")
        .and_then(|(_, rest)| rest.strip_suffix('\''))
        .expect("a -d body");
    let (status, answer) = app.send_message_raw(body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["assistantOverrides"]["variableValues"]["callerKnown"],
        true
    );
}

#[tokio::test]
async fn push_connects_the_phone_number_to_assistant_request() {
    use crate::vapi_fake::VapiFake;
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    let spec = vapi_cal::assistant::AssistantSpec {
        name: "Scheduler".into(),
        public_url: "https://cal.example.com".into(),
        business_tz: chrono_tz::America::New_York,
        business_language: vapi_cal::domain::language::Language::En,
        webhook_secret: Some(secrecy::SecretString::from("whsec_phone")),
        webhook_hmac_secret: None,
        tool_deadline_ms: 9000,
        overrides: None,
        transfer_number: None,
    };
    let server = spec.definition().expect("definition")["server"].clone();
    // Bought in the dashboard with a fixed assistant: VAPI would never send assistant-request.
    let id = fake.insert_phone_number(json!({"number": "+15550009999", "assistantId": "asst-old"}));

    let dry = vapi_cal::assistant::phone_number::connect(&client, &id, &server, true)
        .await
        .expect("dry run");
    assert!(dry.to_string().starts_with("Would connect"), "{dry}");
    assert!(
        !dry.to_string().contains("whsec_phone"),
        "secret masked: {dry}"
    );
    assert!(fake.writes().is_empty(), "a dry run writes nothing");

    let done = vapi_cal::assistant::phone_number::connect(&client, &id, &server, false)
        .await
        .expect("connect");
    assert!(done.to_string().starts_with("Connected"), "{done}");
    let live = &fake.phone_numbers()[0];
    assert_eq!(
        live["server"]["url"],
        "https://cal.example.com/vapi/webhook"
    );
    assert_eq!(
        live["server"]["headers"]["Authorization"],
        "Bearer whsec_phone"
    );
    assert_eq!(live["assistantId"], Value::Null);
    assert_eq!(fake.writes().len(), 1);

    let again = vapi_cal::assistant::phone_number::connect(&client, &id, &server, false)
        .await
        .expect("again");
    assert!(again.body.is_none(), "{again}");
    assert_eq!(
        fake.writes().len(),
        1,
        "nothing sent when already connected"
    );

    let missing =
        vapi_cal::assistant::phone_number::connect(&client, "no-such-number", &server, false)
            .await
            .expect_err("unknown number");
    assert!(format!("{missing:#}").contains("Not Found"), "{missing:#}");
}

/// Measures `assistant-request` end to end over HTTP (run with `--nocapture` to see the figures)
/// and checks every answer; the target (a few milliseconds) is read from the printout, not asserted.
#[tokio::test]
async fn assistant_request_latency_is_printed() {
    let app = app_with_known_caller().await;
    let mut took = Vec::new();
    for _ in 0..200 {
        let started = std::time::Instant::now();
        let (status, body) = app.assistant_request(Some(CALLER)).await;
        took.push(started.elapsed());
        assert_eq!(status, 200);
        assert_eq!(
            body["assistantOverrides"]["variableValues"]["callerKnown"],
            true
        );
    }
    took.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "assistant-request over HTTP, 200 requests: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(took[100]),
        ms(took[198]),
        ms(took[199])
    );
}
