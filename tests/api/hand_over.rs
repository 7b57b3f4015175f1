//! The hand-over to a person the server decides: after the second fault in one call (ours or
//! the calendar's, never a caller's mistake) the failing answer says so and VAPI's live call
//! control is asked to transfer the call to `TRANSFER_NUMBER`, once per call. The control URL
//! comes from the message, so only VAPI's own (here: the fake's origin, `VAPI_API_URL`) is
//! ever requested.

use std::time::Duration;

use serde_json::{Value, json};
use vapi_cal::config::Settings;

use crate::support::*;
use crate::vapi_fake::VapiFake;

const DESK: &str = "+15550002222";

async fn world(transfer: Option<&str>) -> (TestApp, VapiFake) {
    let vapi = VapiFake::spawn().await;
    let mut outbound = Settings::defaults().outbound;
    outbound.transfer_number = transfer.map(str::to_owned);
    let app = TestApp::spawn_with(Options {
        vapi_api_url: Some(vapi.url.clone()),
        outbound: Some(outbound),
        ..Options::default()
    })
    .await;
    (app, vapi)
}

/// One tool call in the call `call_id` from the test caller, with the call's live control URL.
async fn tool_call(
    app: &TestApp,
    call_id: &str,
    control: &str,
    name: &str,
    args: Value,
) -> Outcome {
    let id = format!("tc-{}", uuid::Uuid::new_v4().simple());
    let message = json!({
        "type": "tool-calls",
        "timestamp": 1_763_730_000_123_u64,
        "call": {
            "id": call_id,
            "type": "inboundPhoneCall",
            "customer": {"number": CALLER},
            "monitor": {"listenUrl": "wss://example.invalid/listen", "controlUrl": control},
        },
        "customer": {"number": CALLER},
        "toolCallList": [{"id": id, "type": "function", "function": {"name": name, "arguments": args}}],
    });
    let (status, body) = app
        .send_message_raw(&json!({ "message": message }).to_string())
        .await;
    assert_eq!(status, 200, "{body}");
    Outcome::from_result(&body["results"][0], &id, name)
}

/// A booking Cal.com fails with a 500 (a fault of the calendar, not the caller's).
async fn failed_booking(app: &TestApp, call_id: &str, control: &str) -> String {
    app.sim.fail_next(1, 500);
    tool_call(
        app,
        call_id,
        control,
        "appointment_create",
        json!({"start": "Monday at 3pm", "attendeeName": "Jamie Rivera"}),
    )
    .await
    .err()
}

/// Waits until the call's hand-over has a result stored.
async fn hand_over_result(app: &TestApp, call_id: &str) -> vapi_cal::db::hand_overs::HandOver {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(h) = app.db.hand_over_of(call_id).await.unwrap()
                && h.result.is_some()
            {
                return h;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the hand-over's result is stored")
}

#[tokio::test]
async fn the_second_fault_in_a_call_hands_it_to_a_person_once() {
    let (app, vapi) = world(Some(DESK)).await;
    let control = format!("{}/control/call-a", vapi.url);
    let first = failed_booking(&app, "call-a", &control).await;
    assert!(
        !first.contains("person"),
        "one fault is not enough: {first}"
    );
    let second = failed_booking(&app, "call-a", &control).await;
    assert!(second.contains("handing you over to a person"), "{second}");

    let done = hand_over_result(&app, "call-a").await;
    assert_eq!(done.faults, 2);
    assert_eq!(done.destination.as_deref(), Some(DESK));
    assert!(done.handed_over_at.is_some());
    assert!(done.result.unwrap_or_default().contains("transfer sent"));
    let sent = vapi.control_messages();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "call-a");
    assert_eq!(sent[0].1["type"], "transfer");
    assert_eq!(sent[0].1["destination"]["number"], DESK);
    // Recorded on the call, once its record exists (an end-of-call report).
    let report = json!({
        "type": "end-of-call-report",
        "timestamp": 1_763_730_400_123_u64,
        "endedReason": "assistant-forwarded-call",
        "call": {"id": "call-a", "type": "inboundPhoneCall", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "artifact": {"transcript": "AI: One moment.\n", "messages": []},
    });
    assert_eq!(app.message(report).await.0, 200);
    let (status, call) = app.admin("/api/calls/call-a").await;
    assert_eq!(status, 200, "{call}");
    assert_eq!(call["handOver"]["destination"], DESK, "{call}");
    assert_eq!(call["handOver"]["faults"], 2);

    // A third fault does not hand the call over again; another call counts its own.
    let third = failed_booking(&app, "call-a", &control).await;
    assert!(!third.contains("person"), "{third}");
    let other = failed_booking(&app, "call-b", &format!("{}/control/call-b", vapi.url)).await;
    assert!(!other.contains("person"), "{other}");
    assert_eq!(vapi.control_messages().len(), 1);
}

#[tokio::test]
async fn a_callers_mistakes_are_conversation_not_a_reason_to_hand_over() {
    let (app, vapi) = world(Some(DESK)).await;
    let control = format!("{}/control/call-m", vapi.url);
    for _ in 0..3 {
        let refused = tool_call(
            &app,
            "call-m",
            &control,
            "appointment_create",
            json!({"start": "2020-01-01T10:00:00Z", "attendeeName": "Jamie Rivera"}),
        )
        .await
        .err();
        assert!(!refused.contains("person"), "{refused}");
    }
    assert!(app.db.hand_over_of("call-m").await.unwrap().is_none());
    assert!(vapi.control_messages().is_empty());
}

#[tokio::test]
async fn a_control_url_that_is_not_vapis_is_never_requested() {
    let (app, vapi) = world(Some(DESK)).await;
    // Another server (another origin than VAPI_API_URL) posing as the call's control.
    let elsewhere = VapiFake::spawn().await;
    let forged = format!("{}/control/call-f", elsewhere.url);
    failed_booking(&app, "call-f", &forged).await;
    let second = failed_booking(&app, "call-f", &forged).await;
    // The caller is still told, and the assistant has its transfer tool.
    assert!(second.contains("person"), "{second}");
    let done = hand_over_result(&app, "call-f").await;
    assert!(done.result.unwrap_or_default().contains("not VAPI's"));
    assert!(elsewhere.control_messages().is_empty());
    assert!(vapi.control_messages().is_empty());
}

#[tokio::test]
async fn without_a_transfer_number_nobody_is_handed_over() {
    let (app, vapi) = world(None).await;
    let control = format!("{}/control/call-n", vapi.url);
    for _ in 0..2 {
        let refused = failed_booking(&app, "call-n", &control).await;
        assert!(!refused.contains("person"), "{refused}");
    }
    assert!(vapi.control_messages().is_empty());
    assert!(app.db.hand_over_of("call-n").await.unwrap().is_none());
}
