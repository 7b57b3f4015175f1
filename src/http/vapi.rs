//! `POST /vapi/webhook`: VAPI server messages. Tool calls run concurrently and are answered in
//! order with HTTP 200; other message types are acknowledged.

use axum::{Json, body::Bytes, extract::State};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::{
    app::AppState,
    error::ApiError,
    tools::{CallContext, run_tool_call},
    vapi::{self, ToolCallResult, ToolCallsResponse},
};

/// Receives one server message `{"message": {...}}`.
pub async fn webhook(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let envelope: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))
    })?;
    let message = envelope
        .get("message")
        .filter(|m| m.is_object())
        .ok_or_else(|| {
            ApiError::bad_request("missing_message", "the body has no 'message' object")
        })?;
    let kind = message
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("missing_type", "the message has no 'type'"))?;
    let info = vapi::call_info(message);

    match kind {
        "tool-calls" => {
            let calls = vapi::tool_calls(message);
            let runs = calls.into_iter().map(|tc| {
                let ctx = CallContext::new(
                    info.call_id.clone(),
                    tc.id.clone(),
                    info.caller_number.as_deref(),
                );
                let tools = &state.tools;
                async move {
                    let answer =
                        run_tool_call(tools, &ctx, &tc.name, tc.arguments, &tc.raw_arguments).await;
                    let (result, error) = match answer {
                        Ok(r) => (Some(r), None),
                        Err(e) => (None, Some(e)),
                    };
                    ToolCallResult {
                        tool_call_id: tc.id,
                        name: tc.name,
                        result,
                        error,
                    }
                }
            });
            let results = join_all(runs).await;
            Ok(Json(
                serde_json::to_value(ToolCallsResponse { results }).unwrap_or_default(),
            ))
        }
        "function-call" => {
            let (name, params) = vapi::function_call(message).ok_or_else(|| {
                ApiError::bad_request(
                    "missing_function_call",
                    "a function-call message needs 'functionCall.name'",
                )
            })?;
            let ctx = CallContext::new(
                info.call_id.clone(),
                String::new(),
                info.caller_number.as_deref(),
            );
            let args = vapi::arguments_object(&params);
            let answer = run_tool_call(&state.tools, &ctx, &name, args, &params).await;
            let text = answer.unwrap_or_else(|e| format!("Error: {e}"));
            Ok(Json(json!({ "result": text })))
        }
        "assistant-request" => {
            let tools = &state.tools;
            Ok(Json(
                crate::callers::assistant_request(
                    &tools.db,
                    tools.clock.now(),
                    tools.business_tz,
                    state.vapi_assistant_id.as_deref(),
                    info.caller_number.as_deref(),
                )
                .await,
            ))
        }
        other => {
            tracing::debug!(kind = other, "server message acknowledged");
            Ok(Json(json!({})))
        }
    }
}
