//! Exactly once: copies of one write tool call reach Cal.com once, whether they arrive together,
//! one after another, or after the run that claimed them stopped.

use chrono::TimeDelta;
use futures_util::future::join_all;
use serde_json::{Value, json};
use vapi_cal::db::tool_claims::{ClaimKey, ClaimState};

use crate::support::{CALLER, EVENT_TYPE, Outcome, TestApp};

fn create_message(tool_call_id: &str, start: &str) -> String {
    json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-once", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "toolCallList": [{"id": tool_call_id, "type": "function", "function": {
            "name": "appointment_create",
            "arguments": {"start": start, "attendeeName": "Jane Roe"}
        }}]
    }})
    .to_string()
}

fn booking_posts(app: &TestApp) -> usize {
    crate::support::booking_posts(&app.sim)
}

/// A claim as a process leaves it when it is killed mid-call: taken long ago, never finished.
async fn orphan_claim(app: &TestApp, tool_call_id: &str) -> ClaimKey {
    let key = ClaimKey::new(Some("call-once"), tool_call_id);
    let long_ago = app.clock.now() - TimeDelta::minutes(5);
    let state = app
        .db
        .claim_tool_call(
            &key,
            "appointment_create",
            "a-process-that-was-killed",
            long_ago,
            long_ago + TimeDelta::seconds(30),
        )
        .await
        .expect("claim");
    assert_eq!(state, ClaimState::Claimed);
    key
}

#[tokio::test]
async fn fifty_concurrent_copies_of_one_booking_book_once() {
    let app = TestApp::spawn().await;
    // Slow enough that the copies arrive while the first one is still at Cal.com.
    app.sim.set_latency(std::time::Duration::from_millis(200));
    let body = create_message("tc-dup", "2026-11-24T15:00");
    let answers = join_all((0..50).map(|_| app.send_message_raw(&body))).await;
    let first = &answers[0].1["results"][0];
    assert!(first["result"].is_string(), "{first}");
    for (status, answer) in &answers {
        assert_eq!(*status, 200);
        assert_eq!(
            &answer["results"][0], first,
            "every copy gets the same answer"
        );
    }
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(
        booking_posts(&app),
        1,
        "one booking request reached Cal.com"
    );
    let (_, _, metrics) = app.get_text("/metrics", &[]).await;
    assert!(
        metrics.contains(
            "vapi_cal_tool_call_replays_total{tenant=\"default\",tool=\"appointment_create\",how=\"waited\"}"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_repeat_after_the_answer_replays_the_stored_error_too() {
    let app = TestApp::spawn().await;
    app.seed(
        "blocker",
        "2026-11-24T20:00:00Z",
        Some("+15550000000"),
        None,
    );
    let body = create_message("tc-taken", "2026-11-24T15:00");
    let (_, first) = app.send_message_raw(&body).await;
    let error = first["results"][0]["error"].as_str().unwrap_or_default();
    insta::assert_snapshot!("a_taken_time_answered_once", error);
    let requests = app.sim.request_count();
    let (_, again) = app.send_message_raw(&body).await;
    assert_eq!(again["results"][0], first["results"][0]);
    assert_eq!(
        app.sim.request_count(),
        requests,
        "the repeat asked Cal.com nothing"
    );
}

#[tokio::test]
async fn a_claim_left_by_a_stopped_run_is_taken_over() {
    let app = TestApp::spawn().await;
    let key = orphan_claim(&app, "tc-orphan").await;

    let (_, answer) = app
        .send_message_raw(&create_message("tc-orphan", "2026-11-24T15:00"))
        .await;
    let r = Outcome::from_result(&answer["results"][0], "tc-orphan", "appointment_create").ok();
    assert!(
        Outcome::summary(&r).starts_with("Booked Tuesday, November 24 at 3:00 PM EST"),
        "{r}"
    );
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(app.db.claim_takeovers(&key).await.expect("query"), Some(1));
}

#[tokio::test]
async fn a_stopped_run_whose_booking_went_through_is_answered_with_that_booking() {
    let app = TestApp::spawn().await;
    // The stopped run had reached Cal.com: the booking exists, carrying its tool-call id.
    let (status, made) = app
        .cal_api_post(
            "/v2/bookings",
            json!({
                "start": "2026-11-24T20:00:00Z",
                "eventTypeId": EVENT_TYPE,
                "attendee": {"name": "Jane Roe", "timeZone": "America/New_York",
                    "phoneNumber": CALLER, "language": "en"},
                "metadata": {"vapiCallId": "call-once", "vapiToolCallId": "tc-landed"}
            }),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let uid = made["data"]["uid"].as_str().expect("uid").to_owned();
    orphan_claim(&app, "tc-landed").await;
    let posts_before = booking_posts(&app);

    let (_, answer) = app
        .send_message_raw(&create_message("tc-landed", "2026-11-24T15:00"))
        .await;
    let r = Outcome::from_result(&answer["results"][0], "tc-landed", "appointment_create").ok();
    assert_eq!(r["appointment"]["appointmentId"], Value::from(uid), "{r}");
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(booking_posts(&app), posts_before, "nothing booked again");
}

#[tokio::test]
async fn the_same_caller_asking_again_in_the_same_call_gets_the_existing_booking() {
    let app = TestApp::spawn().await;
    let (_, first) = app
        .send_message_raw(&create_message("tc-first", "2026-11-24T15:00"))
        .await;
    let booked = Outcome::from_result(&first["results"][0], "tc-first", "appointment_create").ok();
    // Another tool-call id (the model asked again), same call, same caller, same start.
    let (_, second) = app
        .send_message_raw(&create_message("tc-second", "tuesday 3pm"))
        .await;
    let again = Outcome::from_result(&second["results"][0], "tc-second", "appointment_create").ok();
    assert!(
        Outcome::summary(&again).starts_with("Already booked Tuesday, November 24 at 3:00 PM EST"),
        "{again}"
    );
    assert_eq!(
        again["appointment"]["appointmentId"],
        booked["appointment"]["appointmentId"]
    );
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(booking_posts(&app), 1);
    // A different time is a new booking.
    let r = app
        .answer_as(
            "appointment_create",
            json!({"start": "2026-11-24T16:00", "attendeeName": "Jane Roe"}),
            Some(CALLER),
        )
        .await;
    assert!(Outcome::summary(&r).starts_with("Booked"), "{r}");
}
