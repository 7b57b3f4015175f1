//! The tool calls the demo prints, as the curl commands that send them the way VAPI does.

use super::*;

/// The demo's example tool calls: (tool, arguments JSON).
pub fn examples() -> Vec<(&'static str, String)> {
    vec![
        ("availability_read", r#"{"date":"tomorrow"}"#.to_owned()),
        (
            "availability_read",
            r#"{"date":"tomorrow","partOfDay":"afternoon"}"#.to_owned(),
        ),
        (
            "appointment_create",
            r#"{"start":"tomorrow 15:00","attendeeName":"Jamie Demo","attendeeEmail":"jamie@example.com"}"#.to_owned(),
        ),
        ("appointment_read", "{}".to_owned()),
        (
            "waitlist_join",
            r#"{"date":"tomorrow","partOfDay":"morning","attendeeName":"Jamie Demo"}"#.to_owned(),
        ),
        (
            "appointment_update",
            format!(r#"{{"appointmentId":"{DEMO_MOVE_UID}","start":"tomorrow 16:00","reason":"running late"}}"#),
        ),
        (
            "appointment_cancel",
            format!(r#"{{"appointmentId":"{DEMO_CANCEL_UID}","reason":"change of plans"}}"#),
        ),
        ("user_read", "{}".to_owned()),
        (
            "user_create",
            r#"{"email":"sam@example.com","name":"Sam Staff","timeZone":"America/Chicago"}"#.to_owned(),
        ),
    ]
}

/// A curl command that sends one tool call to `addr` the way VAPI does, with the demo's secret,
/// from the demo caller (from the demo's staff number for a staff-only tool).
pub fn curl_for(addr: &str, secret: &str, tool: &str, args: &str) -> String {
    let number = match crate::tools::Tool::from_name(tool) {
        Some(t) if t.staff_only() => DEMO_STAFF,
        _ => DEMO_CALLER,
    };
    format!(
        "curl -s -X POST http://{addr}/vapi/webhook -H 'Content-Type: application/json' -H 'X-Vapi-Secret: {secret}' -d '{{\"message\":{{\"type\":\"tool-calls\",\"call\":{{\"id\":\"demo-call\"}},\"customer\":{{\"number\":\"{number}\"}},\"toolCallList\":[{{\"id\":\"demo-{tool}\",\"type\":\"function\",\"function\":{{\"name\":\"{tool}\",\"arguments\":{args}}}}}]}}}}'"
    )
}

/// Arguments of the demo's `caller_verify` example: an email with a seeded booking.
pub(super) const DEMO_VERIFY_ARGS: &str = r#"{"email":"jamie@example.com"}"#;

/// A curl command that sends one tool call from a call without a caller number (a web call).
pub fn curl_without_number(addr: &str, secret: &str, tool: &str, args: &str) -> String {
    format!(
        "curl -s -X POST http://{addr}/vapi/webhook -H 'Content-Type: application/json' -H 'X-Vapi-Secret: {secret}' -d '{{\"message\":{{\"type\":\"tool-calls\",\"call\":{{\"id\":\"demo-web-call\",\"type\":\"webCall\"}},\"toolCallList\":[{{\"id\":\"demo-{tool}-{}\",\"type\":\"function\",\"function\":{{\"name\":\"{tool}\",\"arguments\":{args}}}}}]}}}}'",
        uuid::Uuid::new_v4().simple()
    )
}

/// A curl command that sends the `assistant-request` VAPI sends when the demo caller rings.
pub fn assistant_request_curl(addr: &str, secret: &str) -> String {
    format!(
        "curl -s -X POST http://{addr}/vapi/webhook -H 'Content-Type: application/json' -H 'X-Vapi-Secret: {secret}' -d '{{\"message\":{{\"type\":\"assistant-request\",\"call\":{{\"id\":\"demo-call\",\"type\":\"inboundPhoneCall\"}},\"customer\":{{\"number\":\"{DEMO_CALLER}\"}}}}}}'"
    )
}
