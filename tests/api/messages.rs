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
