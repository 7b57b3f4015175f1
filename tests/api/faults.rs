//! Cal.com failing in every way the simulator can: the caller always hears a sentence within the
//! deadline, the answer is never a 5xx, and nothing is half-written.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Outcome, TestApp};

/// The tests' tool deadline (2.5 s) plus room for the answer to travel.
const WITHIN_DEADLINE: Duration = Duration::from_millis(4000);

async fn timed_call(app: &TestApp, name: &str, args: serde_json::Value) -> (Outcome, Duration) {
    let started = Instant::now();
    let outcome = app.call(name, args).await;
    (outcome, started.elapsed())
}

fn book_at_three() -> serde_json::Value {
    json!({"start": "2026-11-24T15:00", "attendeeName": "Jane Roe", "attendeeEmail": "jane@example.com"})
}

async fn local_appointments(app: &TestApp) -> usize {
    app.db
        .all_appointments()
        .await
        .expect("read appointments")
        .len()
}

/// The caller heard the sentence of snapshot `sentence` inside the deadline, and neither Cal.com
/// nor our table holds a booking.
async fn spoken_and_nothing_written(
    app: &TestApp,
    outcome: Outcome,
    took: Duration,
    sentence: &str,
) {
    let e = outcome.err();
    insta::assert_snapshot!(sentence, e);
    assert!(took < WITHIN_DEADLINE, "{took:?}");
    assert!(app.sim.bookings().is_empty());
    assert_eq!(local_appointments(app).await, 0);
}

#[tokio::test]
async fn a_5xx_on_a_booking_is_spoken_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.sim.fail_next(1, 502);
    let (o, took) = timed_call(&app, "appointment_create", book_at_three()).await;
    spoken_and_nothing_written(&app, o, took, "a_502_on_a_booking").await;
}

#[tokio::test]
async fn a_429_with_a_reset_on_a_booking_is_spoken_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.sim.set_rate_limit(Some(1));
    app.open_times("2026-11-24").await;
    // The availability answer said 0 remain (reset in 60 s): the booking is not even sent.
    let (o, took) = timed_call(&app, "appointment_create", book_at_three()).await;
    spoken_and_nothing_written(&app, o, took, "a_booking_held_until_the_rate_limit_resets").await;
    assert_eq!(app.sim.request_count(), 1);
}

#[tokio::test]
async fn a_429_from_cal_com_on_a_booking_is_spoken_and_not_retried() {
    let app = TestApp::spawn().await;
    app.sim.fail_next(1, 429);
    let (o, took) = timed_call(&app, "appointment_create", book_at_three()).await;
    spoken_and_nothing_written(&app, o, took, "a_429_on_a_booking").await;
    assert_eq!(app.sim.request_count(), 1);
}

#[tokio::test]
async fn a_slow_answer_past_the_deadline_is_spoken_inside_it() {
    let app = TestApp::spawn().await;
    app.sim.hang_next(10, Duration::from_secs(6));
    let (o, took) = timed_call(&app, "availability_read", json!({"date": "2026-11-24"})).await;
    let e = o.err();
    insta::assert_snapshot!("a_read_past_the_deadline", e);
    assert!(took < WITHIN_DEADLINE, "{took:?}");
}

#[tokio::test]
async fn a_dropped_connection_on_a_read_is_retried_then_spoken() {
    let app = TestApp::spawn().await;
    app.sim.drop_next(1);
    let r = app.open_times("2026-11-24").await;
    assert_eq!(
        r["totalOpenTimes"], 16,
        "one dropped connection is retried away"
    );

    app.sim.drop_next(10);
    // A day outside the week the first read fetched (and keeps for the call).
    let (o, took) = timed_call(&app, "availability_read", json!({"date": "2026-12-02"})).await;
    let e = o.err();
    insta::assert_snapshot!("a_read_whose_connections_all_drop", e);
    assert!(took < WITHIN_DEADLINE, "{took:?}");
}

#[tokio::test]
async fn a_dropped_connection_after_cal_com_booked_reports_the_booking_once() {
    let app = TestApp::spawn().await;
    // Cal.com books, then the connection breaks before we read the answer.
    app.sim.drop_next(1);
    let (o, took) = timed_call(&app, "appointment_create", book_at_three()).await;
    let r = o.ok();
    assert!(
        Outcome::summary(&r).starts_with("Booked Tuesday, November 24 at 3:00 PM EST"),
        "{r}"
    );
    assert!(took < WITHIN_DEADLINE, "{took:?}");
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(
        local_appointments(&app).await,
        1,
        "recorded once, locally too"
    );
    let posts = app
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "the booking POST is never repeated");
}

#[tokio::test]
async fn a_failed_cancel_leaves_the_appointment_as_cal_com_has_it() {
    let app = TestApp::spawn().await;
    app.seed(
        "keep-me",
        "2026-11-24T16:00:00Z",
        Some(crate::support::CALLER),
        None,
    );
    app.reconcile().await;
    // Every attempt fails: the read before the cancel is retried, the cancel POST is not.
    app.sim.fail_next(5, 500);
    let e = app
        .refusal(
            "appointment_cancel",
            json!({"appointmentId": "keep-me", "reason": "plans changed"}),
        )
        .await;
    insta::assert_snapshot!("a_cancel_on_a_failing_calendar", e);
    // Cal.com changed nothing, and neither did we.
    assert_eq!(app.sim.bookings()[0]["status"], "accepted");
    let local = app
        .db
        .appointment("keep-me")
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(
        local.status,
        vapi_cal::domain::appointment::Status::Accepted
    );
}
