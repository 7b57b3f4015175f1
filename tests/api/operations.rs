//! Operations: the Prometheus scrape, request ids, and a shutdown that lets in-flight work finish.

use std::time::Duration;

use serde_json::json;

use crate::support::{CALLER, EVENT_TYPE, METRICS_TOKEN, Options, Outcome, TestApp};

fn booking_created(uid: &str, start: &str, end: &str) -> String {
    json!({
        "triggerEvent": "BOOKING_CREATED",
        "createdAt": "2026-11-21T15:00:00Z",
        "payload": {
            "title": "Consultation", "startTime": start, "endTime": end, "eventTypeId": EVENT_TYPE,
            "organizer": {"id": 1, "name": "Demo Owner", "email": "owner@example.com", "timeZone": "America/New_York"},
            "attendees": [{"email": "pat@example.com", "name": "Pat Caller", "timeZone": "America/New_York", "phoneNumber": CALLER}],
            "uid": uid, "bookingId": 100, "length": 30, "status": "ACCEPTED"
        }
    })
    .to_string()
}

#[tokio::test]
async fn the_metrics_scrape_shows_tool_calls_webhooks_and_refusals() {
    let app = TestApp::spawn_with(Options {
        metrics_token: true,
        ..Options::default()
    })
    .await;
    app.answer("user_read", json!({})).await;
    let (status, _) = app.send_message_with("{}", &[]).await;
    assert_eq!(status, 401);
    let (status, _) = app
        .deliver(&booking_created(
            "m-1",
            "2026-11-24T20:00:00Z",
            "2026-11-24T20:30:00Z",
        ))
        .await;
    assert_eq!(status, 200);

    let (status, _, _) = app.get_text("/metrics", &[]).await;
    assert_eq!(status, 401, "METRICS_TOKEN is required");
    let (status, _, _) = app
        .get_text("/metrics", &[("authorization", "Bearer wrong")])
        .await;
    assert_eq!(status, 401);
    let bearer = format!("Bearer {METRICS_TOKEN}");
    let (status, headers, text) = app
        .get_text("/metrics", &[("authorization", &bearer)])
        .await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/plain"),
        "{headers:?}"
    );
    for expected in [
        "# TYPE vapi_cal_tool_call_duration_seconds histogram",
        "vapi_cal_tool_call_duration_seconds_bucket{tenant=\"default\",tool=\"user_read\",outcome=\"ok\",le=\"0.5\"}",
        "vapi_cal_auth_failures_total{source=\"vapi\",reason=\"missing\"}",
        "vapi_cal_webhooks_total{tenant=\"default\",source=\"vapi\",trigger=\"tool-calls\",outcome=\"ok\"}",
        "vapi_cal_webhooks_total{tenant=\"default\",source=\"cal\",trigger=\"BOOKING_CREATED\",outcome=\"applied\"}",
        "vapi_cal_db_pool_connections{state=\"idle\"}",
        "vapi_cal_db_pool_max_connections",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_kept() {
    let app = TestApp::spawn().await;
    let (status, headers, _) = app
        .send_message_full("{}", &[("x-request-id", "req-from-the-proxy-42")])
        .await;
    assert_eq!(status, 401);
    assert_eq!(headers["x-request-id"], "req-from-the-proxy-42");

    let (status, headers, _) = app.get_text("/healthz", &[]).await;
    assert_eq!(status, 200);
    let made = headers["x-request-id"].to_str().unwrap_or_default();
    assert_eq!(made.len(), 36, "a UUID is made when none is given: {made}");
    let (_, again, _) = app.get_text("/healthz", &[]).await;
    assert_ne!(
        again["x-request-id"], headers["x-request-id"],
        "one id per request"
    );
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_tool_call_finish_and_answer() {
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let app = TestApp::spawn_with(Options {
        shutdown: Some(stopped),
        ..Options::default()
    })
    .await;
    app.sim.set_latency(Duration::from_millis(500));
    let url = app.url.clone();
    let booking = tokio::spawn(async move {
        let outcome = app
            .call(
                "appointment_create",
                json!({"start": "2026-11-24T15:00", "attendeeName": "Jane Roe"}),
            )
            .await;
        (outcome, app)
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    stop.send(()).expect("server running");
    let (outcome, app) = booking.await.expect("the call is answered");
    let r = outcome.ok();
    assert!(Outcome::summary(&r).starts_with("Booked"), "{r}");
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(
        app.db.all_appointments().await.expect("query").len(),
        1,
        "the booking was recorded before the answer"
    );
    // And the server is gone once nothing is in flight.
    let mut refused = false;
    for _ in 0..50 {
        if reqwest::get(format!("{url}/healthz")).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused, "the server stopped after draining");
}

#[tokio::test]
async fn a_cal_webhook_is_acknowledged_only_after_its_row_is_committed() {
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let app = TestApp::spawn_with(Options {
        shutdown: Some(stopped),
        ..Options::default()
    })
    .await;
    let bodies: Vec<(String, String)> = (0..20)
        .map(|i| {
            let uid = format!("committed-{i}");
            let body = booking_created(
                &uid,
                &format!("2026-11-24T{:02}:00:00Z", 10 + i % 10),
                &format!("2026-11-24T{:02}:30:00Z", 10 + i % 10),
            );
            (uid, body)
        })
        .collect();
    // Shut down as soon as the first delivery is answered, while the others are in flight.
    let first_answered = tokio::sync::Notify::new();
    let deliveries = futures_util::future::join_all(bodies.iter().map(|(uid, body)| {
        let (app, first_answered) = (&app, &first_answered);
        async move {
            let status = app.try_deliver(body).await;
            first_answered.notify_one();
            (uid.clone(), status)
        }
    }));
    let stopper = async {
        first_answered.notified().await;
        let _ = stop.send(());
    };
    let (answers, ()) = tokio::join!(deliveries, stopper);
    let mut acknowledged = 0;
    for (uid, status) in answers {
        if status == Some(200) {
            acknowledged += 1;
            assert!(
                app.db.appointment(&uid).await.expect("query").is_some(),
                "{uid} was acknowledged, so its row is there"
            );
        }
    }
    assert!(
        acknowledged > 0,
        "deliveries in flight at shutdown were answered"
    );
}

/// Retention keeps what may still be needed: old log rows and answered claims go, a claim still
/// running stays whatever its age, and recent rows stay.
#[tokio::test]
async fn retention_prunes_old_log_rows_and_answered_claims_but_never_a_running_claim() {
    use chrono::{Duration as Days, Utc};
    use vapi_cal::db::{
        tool_claims::{ClaimKey, ClaimedAnswer},
        tool_invocations::ToolInvocation,
    };
    let app = TestApp::spawn().await;
    let db = &app.db;
    let now = Utc::now();
    let claim = |id: &'static str, days_ago: i64, answered: bool| async move {
        let at = now - Days::days(days_ago);
        let key = ClaimKey::new(Some("call-r"), id);
        db.claim_tool_call(
            &key,
            "appointment_create",
            "owner",
            at,
            at + Days::seconds(65),
        )
        .await
        .expect("claim");
        if answered {
            let answer = ClaimedAnswer::Result(format!("booked {id}"));
            assert!(
                db.finish_claim(&key, "owner", &answer, at)
                    .await
                    .expect("finish")
            );
        }
        key
    };
    let old_done = claim("old-done", 120, true).await;
    let old_running = claim("old-running", 120, false).await;
    let recent_done = claim("recent-done", 10, true).await;
    let row = |id: &str, days_ago: i64| ToolInvocation {
        call_id: Some("call-r".to_owned()),
        caller_number: None,
        tool_call_id: id.to_owned(),
        tool: "availability_read".to_owned(),
        arguments: "{}".to_owned(),
        result: Some(format!("answer {id}")),
        error: None,
        failure: None,
        latency_ms: 1,
        created_at: now - Days::days(days_ago),
    };
    let mut rows: Vec<ToolInvocation> = (0..1_500).map(|i| row(&format!("old-{i}"), 120)).collect();
    rows.push(row("recent", 10));
    db.record_tool_invocations(&rows).await.expect("insert");

    assert_eq!(db.prune_tool_log(90, now).await.expect("prune"), 1_500 + 1);
    assert_eq!(db.claim_takeovers(&old_done).await.expect("read"), None);
    assert_eq!(
        db.claim_takeovers(&old_running).await.expect("read"),
        Some(0)
    );
    assert_eq!(
        db.claimed_answer(&recent_done).await.expect("read"),
        Some(ClaimedAnswer::Result("booked recent-done".to_owned()))
    );
    let left = db.tool_invocations_for_call("call-r").await.expect("read");
    let answers: Vec<String> = left.into_iter().filter_map(|(_, a)| a.result).collect();
    assert_eq!(answers, ["answer recent"]);
    assert_eq!(db.prune_tool_log(90, now).await.expect("prune"), 0);
}
