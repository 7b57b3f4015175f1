//! Caller checks on calls without a number (web calls, withheld numbers): an appointment booked
//! earlier is shared or changed only for a caller who proved the email it was booked with by a
//! one-time code, unless the line is a staff line.

use serde_json::json;

use crate::support::{Options, TestApp};

async fn app_with_booking(staff_line: bool) -> TestApp {
    let app = TestApp::spawn_with(Options {
        staff_line,
        ..Options::default()
    })
    .await;
    app.seed(
        "pats",
        "2026-11-24T20:00:00Z",
        Some("+15557654321"),
        Some("pat@example.com"),
    );
    app
}

fn status_at_calcom(app: &TestApp, uid: &str) -> String {
    app.sim
        .bookings()
        .into_iter()
        .find(|b| b["uid"] == uid)
        .and_then(|b| b["status"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn without_a_number_an_appointment_id_alone_is_refused_politely() {
    let app = app_with_booking(false).await;
    for (tool, args) in [
        ("appointment_cancel", json!({"appointmentId": "pats"})),
        ("appointment_read", json!({"appointmentId": "pats"})),
        (
            "appointment_update",
            json!({"appointmentId": "pats", "start": "2026-11-25T10:00"}),
        ),
    ] {
        let e = app.call_as(tool, args, None).await.err();
        assert!(
            e.contains("no phone number") && e.contains("email address it was booked with"),
            "{tool}: {e}"
        );
    }
    assert_eq!(status_at_calcom(&app, "pats"), "accepted");
}

#[tokio::test]
async fn without_a_number_an_email_given_in_the_call_is_no_proof() {
    let app = app_with_booking(false).await;
    // Naming the email the appointment was booked with (any letter case) opens nothing: only a
    // one-time code sent to it does (see public_limits).
    let e = app
        .call_as(
            "appointment_read",
            json!({"email": "pat@EXAMPLE.com"}),
            None,
        )
        .await
        .err();
    assert!(e.contains("caller_verify") && !e.contains("pats"), "{e}");
    let e = app
        .call_as("appointment_cancel", json!({"appointmentId": "pats"}), None)
        .await
        .err();
    assert!(e.contains("email address it was booked with"), "{e}");
    assert_eq!(status_at_calcom(&app, "pats"), "accepted");
}

#[tokio::test]
async fn a_staff_line_may_change_any_appointment_by_id() {
    let app = app_with_booking(true).await;
    let r = app
        .call_as("appointment_cancel", json!({"appointmentId": "pats"}), None)
        .await
        .ok();
    assert_eq!(r["cancelled"], true, "{r}");
    let r = app
        .call_as(
            "appointment_read",
            json!({"appointmentId": "pats"}),
            Some("+15550001111"),
        )
        .await
        .ok();
    assert_eq!(r["appointments"][0]["appointmentId"], "pats", "{r}");
}
