//! What a booking conversation costs in Cal.com requests, with the pauses of a real call between
//! the questions, and that the open times a call keeps never hide a change of the calendar.

use chrono::Duration;
use serde_json::json;

use crate::support::{Options, TestApp, slot_requests};

#[tokio::test]
async fn a_booking_conversation_costs_two_calcom_requests() {
    let app = TestApp::spawn().await;
    app.reconcile().await;
    app.sim.clear_requests();
    // Saturday 10:00 in New York. The caller asks about tomorrow, thinks, narrows it down, then
    // settles on Tuesday: minutes pass between the questions, as on a phone.
    app.open_times("tomorrow").await;
    app.clock.advance(Duration::seconds(45));
    let afternoon = app
        .answer("availability_read", json!({"date": "tomorrow afternoon"}))
        .await;
    assert!(afternoon["totalOpenTimes"].as_u64().unwrap_or_default() > 0);
    app.clock.advance(Duration::seconds(50));
    let tuesday = app.open_times("Tuesday").await;
    assert_eq!(tuesday["days"][0]["date"], "2026-11-24", "{tuesday}");
    app.clock.advance(Duration::seconds(60));
    let booked = app.book("Tuesday at 2pm", "Jane Roe").await;
    app.clock.advance(Duration::seconds(20));
    let mine = app.appointments_of(Some(crate::support::CALLER)).await;
    assert!(mine.to_string().contains(&booked.uid), "{mine}");
    let requests: Vec<String> = app
        .sim
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(requests, ["GET /v2/slots", "POST /v2/bookings"]);
    // The time just booked is no longer offered to the call.
    let after = app.open_times("Tuesday").await;
    assert!(
        !after["days"][0]["starts"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-11-24T14:00:00-05:00")),
        "{after}"
    );
}

#[tokio::test]
async fn a_call_sees_a_booking_made_through_another_replica() {
    let app = TestApp::spawn().await;
    app.reconcile().await;
    let other = app.replica(Options::default()).await;
    let before = app.open_times("Tuesday").await;
    let first = before["days"][0]["starts"][0].clone();
    assert_eq!(slot_requests(&app), 1);
    // Someone else books Tuesday's first open time through the other replica; this replica's
    // cache is not told, but the calendar version is.
    let start = first.as_str().expect("a start").to_owned();
    other
        .answer_as(
            "appointment_create",
            json!({"start": start, "attendeeName": "Sam Other"}),
            Some("+15550002222"),
        )
        .await;
    app.clock.advance(Duration::seconds(45));
    let after = app.open_times("Tuesday").await;
    assert_eq!(slot_requests(&app), 2, "the call fetched again");
    assert_ne!(after["days"][0]["starts"][0], first, "{after}");
}

#[tokio::test]
async fn a_call_does_not_keep_what_another_call_fetched() {
    let app = TestApp::spawn().await;
    app.open_times("Tuesday").await;
    app.clock.advance(Duration::seconds(45));
    let (status, _) = app
        .message(json!({
            "type": "tool-calls",
            "call": {"id": "call-2"},
            "customer": {"number": crate::support::CALLER},
            "toolCallList": [{"id": "tc-2", "type": "function",
                "function": {"name": "availability_read", "arguments": {"date": "Tuesday"}}}],
        }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(slot_requests(&app), 2);
}
