//! The server-message envelope: malformed bodies, legacy function-call, other message types.

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn malformed_bodies_get_a_400_with_a_json_error() {
    let app = TestApp::spawn().await;
    let (status, body) = app.send_message_raw("{not json").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "invalid_json");
    let (status, body) = app.send_message_raw(r#"{"hello": 1}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "missing_message");
    let (status, body) = app.send_message_raw(r#"{"message": {"call": {}}}"#).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("type")
    );
    let (status, body) = app
        .send_message_raw(r#"{"message": {"type": "function-call"}}"#)
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "missing_function_call");
}

#[tokio::test]
async fn legacy_function_call_answers_with_result() {
    let app = TestApp::spawn().await;
    let body = json!({"message": {"type": "function-call", "functionCall": {"name": "user_read", "parameters": {}}}});
    let (status, answer) = app.send_message_raw(&body.to_string()).await;
    assert_eq!(status, 200);
    let result: serde_json::Value =
        serde_json::from_str(answer["result"].as_str().expect("result string")).expect("json");
    // Not a staff call: the business's public name and zone only.
    assert!(result["business"]["name"].is_string(), "{result}");
    assert!(result.get("users").is_none(), "{result}");

    let body = json!({"message": {"type": "function-call", "functionCall": {"name": "availability_read", "parameters": "{\"date\":\"someday\"}"}}});
    let (status, answer) = app.send_message_raw(&body.to_string()).await;
    assert_eq!(status, 200);
    assert!(
        answer["result"]
            .as_str()
            .unwrap_or("")
            .starts_with("Error: I couldn't understand 'someday' as a date"),
        "{answer}"
    );
}

#[tokio::test]
async fn other_message_types_are_acknowledged() {
    let app = TestApp::spawn().await;
    for kind in [
        "status-update",
        "end-of-call-report",
        "hang",
        "transcript[transcriptType=\"final\"]",
    ] {
        let body = json!({"message": {"type": kind, "call": {"id": "c1"}}});
        let (status, answer) = app.send_message_raw(&body.to_string()).await;
        assert_eq!(status, 200, "{kind}");
        assert_eq!(answer, json!({}));
    }
}

#[tokio::test]
async fn nul_characters_in_a_call_are_dropped_not_a_failed_write() {
    // PostgreSQL's text cannot hold U+0000; whatever VAPI relays from a caller may carry one.
    let app = TestApp::spawn().await;
    let nul = "a\u{0}b";
    let messages = [
        json!({"type": "status-update", "status": "in-progress", "timestamp": 1_763_730_000_000_u64,
            "call": {"id": "call-nul", "type": "inboundPhoneCall", "assistantId": nul,
                     "customer": {"number": crate::support::CALLER, "name": nul}},
            "customer": {"number": crate::support::CALLER, "name": nul}}),
        json!({"type": "transcript", "role": "user", "transcriptType": "final", "transcript": nul,
            "timestamp": 1_763_730_001_000_u64, "call": {"id": "call-nul"}}),
        json!({"type": "conversation-update", "timestamp": 1_763_730_002_000_u64,
            "messages": [{"role": "user", "message": nul}], "call": {"id": "call-nul"}}),
        json!({"type": "hang", "timestamp": 1_763_730_003_000_u64, "call": {"id": "call-nul"}}),
        json!({"type": "end-of-call-report", "timestamp": 1_763_730_060_000_u64, "endedReason": nul,
            "startedAt": "2025-11-21T13:00:00Z", "endedAt": "2025-11-21T13:01:00Z",
            "analysis": {"summary": nul, "successEvaluation": nul, "structuredData": {nul: nul}},
            "artifact": {"transcript": nul, "recordingUrl": nul,
                         "messages": [{"role": "user", "message": nul, "secondsFromStart": 1.0}]},
            "call": {"id": "call-nul", "type": "inboundPhoneCall"},
            "customer": {"number": crate::support::CALLER, "name": nul}}),
    ];
    for message in messages {
        let kind = message["type"].clone();
        let (status, answer) = app.message(message).await;
        assert_eq!(status, 200, "{kind}: {answer}");
    }
    let call = app
        .db
        .call("call-nul")
        .await
        .expect("query")
        .expect("the call is recorded");
    assert_eq!(call.summary.as_deref(), Some("ab"));
    assert_eq!(call.ended_reason.as_deref(), Some("ab"));

    // Tool arguments with NUL characters are answered, and each answer is logged.
    let calls = [
        (
            "appointment_create",
            json!({"start": "tomorrow 3pm", "attendeeName": "Jane\u{0} Roe",
                   "attendeeEmail": "jane\u{0}@example.com", "notes": nul}),
        ),
        ("availability_read", json!({"date": "to\u{0}morrow"})),
        ("appointment_read", json!({"email": "x\u{0}@example.com"})),
        (
            "appointment_cancel",
            json!({"appointmentId": nul, "reason": nul}),
        ),
        ("user_read", json!({"email": nul})),
    ];
    for (tool, args) in &calls {
        let outcome = app.call(tool, args.clone()).await;
        let heard = match (&outcome.result, &outcome.error) {
            (Some(result), _) => result.to_string(),
            (_, Some(error)) => error.clone(),
            _ => String::new(),
        };
        assert!(
            !heard.is_empty() && !heard.contains('\u{0}') && !heard.contains("\\u0000"),
            "{tool}: {heard:?}"
        );
    }
    let logged = app
        .db
        .tool_invocations_for_call("call-1")
        .await
        .expect("the tool log is readable");
    assert_eq!(logged.len(), calls.len(), "{logged:?}");
}

#[tokio::test]
async fn a_report_with_a_huge_summary_and_transcript_is_stored() {
    // PostgreSQL's search index of a text holds at most 1 MB of distinct words; a report
    // (up to 4 MB) must still be stored, not fail whole.
    let app = TestApp::spawn().await;
    let words: String = (0..150_000).map(|i| format!("w{i:x}q ")).collect();
    let lines: Vec<serde_json::Value> = (0..1)
        .map(|i| json!({"role": "user", "message": words, "secondsFromStart": f64::from(i)}))
        .collect();
    let (status, answer) = app
        .message(
            json!({"type": "end-of-call-report", "timestamp": 1_763_730_060_000_u64,
            "endedReason": "customer-ended-call",
            "startedAt": "2025-11-21T13:00:00Z", "endedAt": "2025-11-21T13:01:00Z",
            "analysis": {"summary": words},
            "artifact": {"transcript": words, "messages": lines},
            "call": {"id": "call-huge", "type": "inboundPhoneCall"},
            "customer": {"number": crate::support::CALLER}}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let call = app
        .db
        .call("call-huge")
        .await
        .expect("query")
        .expect("the call is recorded");
    let summary = call.summary.expect("a summary");
    assert!(summary.starts_with("w0q w1q"), "{}", &summary[..40]);
    assert_eq!(
        summary.chars().count(),
        vapi_cal::vapi::call_payloads::SEARCHED_TEXT_CHARS
    );
    assert!(
        call.transcript.is_some_and(|t| t.len() > 1_000_000),
        "the whole transcript is kept"
    );
}
