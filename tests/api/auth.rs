//! VAPI authentication: shared secret (either header, either rotation value) and HMAC signatures;
//! a refused message is answered 401 before anything runs or is written.

use serde_json::{Value, json};

use crate::support::{CALLER, TestApp, VAPI_HMAC_SECRET, VAPI_SECRET, VAPI_SECRET_OLD};

/// A booking tool call: if it ran, the simulator would hold a booking.
fn booking_message() -> String {
    json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-auth", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "toolCallList": [{"id": "tc-auth", "type": "function", "function": {
            "name": "appointment_create",
            "arguments": {"start": "2026-11-24T15:00", "attendeeName": "Jane Roe"}
        }}]
    }})
    .to_string()
}

#[track_caller]
fn assert_unauthorized(status: u16, body: &Value) {
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

/// Nothing ran: no Cal.com request, no booking, no row.
async fn assert_untouched(app: &TestApp) {
    assert_eq!(app.sim.request_count(), 0, "no Cal.com request");
    assert!(app.sim.bookings().is_empty());
    assert!(
        app.db
            .tool_invocations_for_call("call-auth")
            .await
            .expect("query")
            .is_empty(),
        "no audit row"
    );
    assert!(app.db.all_appointments().await.expect("query").is_empty());
}

#[tokio::test]
async fn no_credential_or_a_wrong_one_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let body = booking_message();
    let refused: [&[(&str, &str)]; 5] = [
        &[],
        &[("x-vapi-secret", "not-the-secret")],
        &[("authorization", "Bearer not-the-secret")],
        &[("authorization", VAPI_SECRET)],
        &[("x-vapi-secret", "")],
    ];
    for headers in refused {
        let (status, answer) = app.send_message_with(&body, headers).await;
        assert_unauthorized(status, &answer);
        assert!(
            !answer.to_string().contains(VAPI_SECRET),
            "the secret is never echoed"
        );
    }
    // Refused before the body is read: even a body that is not JSON gets 401, not 400.
    let (status, answer) = app.send_message_with("not json", &[]).await;
    assert_unauthorized(status, &answer);
    assert_untouched(&app).await;
}

#[tokio::test]
async fn bearer_and_x_vapi_secret_with_either_rotation_value_are_accepted() {
    let app = TestApp::spawn().await;
    let bearer_new = format!("Bearer {VAPI_SECRET}");
    let bearer_old = format!("Bearer {VAPI_SECRET_OLD}");
    let accepted: [&[(&str, &str)]; 4] = [
        &[("x-vapi-secret", VAPI_SECRET)],
        &[("x-vapi-secret", VAPI_SECRET_OLD)],
        &[("authorization", &bearer_new)],
        &[("authorization", &bearer_old)],
    ];
    for (i, headers) in accepted.into_iter().enumerate() {
        let body = json!({"message": {"type": "tool-calls", "call": {"id": format!("c{i}")},
            "customer": {"number": CALLER},
            "toolCallList": [{"id": format!("t{i}"), "type": "function",
                "function": {"name": "user_read", "arguments": {}}}]}})
        .to_string();
        let (status, answer) = app.send_message_with(&body, headers).await;
        assert_eq!(status, 200, "{headers:?}: {answer}");
        assert!(answer["results"][0]["result"].is_string(), "{answer}");
    }
}

#[tokio::test]
async fn hmac_signatures_in_seconds_or_milliseconds_are_accepted() {
    let app = TestApp::spawn().await;
    let body = booking_message();
    let now = app.clock.now();
    let (status, answer) = app
        .send_message_signed(&body, VAPI_HMAC_SECRET, &now.timestamp().to_string())
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["results"][0]["result"].is_string(), "{answer}");
    assert_eq!(app.sim.bookings().len(), 1);

    let other = body.replace("tc-auth", "tc-auth-ms");
    let (status, answer) = app
        .send_message_signed(
            &other,
            VAPI_HMAC_SECRET,
            &now.timestamp_millis().to_string(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn bad_signatures_and_stale_or_future_timestamps_are_refused() {
    let app = TestApp::spawn().await;
    let body = booking_message();
    let now = app.clock.now().timestamp();
    // Signed with another key.
    let (status, answer) = app
        .send_message_signed(&body, "some-other-key", &now.to_string())
        .await;
    assert_unauthorized(status, &answer);
    // Signed correctly, but the body was changed on the way.
    let ts = now.to_string();
    let signature = vapi_cal::vapi::auth::sign(VAPI_HMAC_SECRET, &ts, body.as_bytes());
    let tampered = body.replace("Jane Roe", "Jane Doe");
    let (status, answer) = app
        .send_message_with(
            &tampered,
            &[("x-signature", &signature), ("x-timestamp", &ts)],
        )
        .await;
    assert_unauthorized(status, &answer);
    // Six minutes old, six minutes ahead, or no timestamp at all.
    for ts in [(now - 360).to_string(), (now + 360).to_string()] {
        let (status, answer) = app.send_message_signed(&body, VAPI_HMAC_SECRET, &ts).await;
        assert_unauthorized(status, &answer);
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("5 minutes"),
            "{answer}"
        );
    }
    let (status, answer) = app
        .send_message_with(&body, &[("x-signature", &signature)])
        .await;
    assert_unauthorized(status, &answer);
    assert_untouched(&app).await;
}
