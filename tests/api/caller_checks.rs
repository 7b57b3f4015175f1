//! Caller checks on calls without a number (web calls, withheld numbers): an appointment booked
//! before the call is neither shared nor changed, whatever email the caller gives, unless the
//! caller proved that email with a one-time code (see public_limits) or the line is a staff line.

use serde_json::json;

use crate::support::{Options, TestApp, status_at_calcom};

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
async fn without_a_number_an_email_given_in_the_call_opens_nothing() {
    let app = app_with_booking(false).await;
    // The caller gives the email the appointment was booked with (any letter case): saying an
    // email proves nothing, so nothing is listed and nothing can be changed.
    let listed = app
        .call_as(
            "appointment_read",
            json!({"email": "pat@EXAMPLE.com"}),
            None,
        )
        .await
        .ok();
    assert_eq!(listed["count"], 0, "{listed}");
    assert!(!listed.to_string().contains("pats"), "{listed}");
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
