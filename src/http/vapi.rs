//! `POST /vapi/webhook`: VAPI server messages. The credential is checked from the headers before
//! the body is read (a signature's freshness too; the signature itself once the body is in);
//! tool calls run concurrently (at most `MAX_TOOL_CALLS_PER_MESSAGE`, the rest each answered with
//! an error) and are answered in order with HTTP 200; call lifecycle messages
//! (status, transcript, report, hang) are recorded as call records; other message types are
//! acknowledged.
//!
//! Each message is its own request, and a tool-calls message never touches the call records, so
//! recording a lifecycle message cannot hold a tool call's answer.

use axum::{
    Json,
    body::{Body, Bytes},
    extract::{Request, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::{
    app::AppState,
    domain::language::Language,
    error::ApiError,
    http::body,
    telemetry,
    tools::{limits::too_many_tool_calls, run_tool_call},
    vapi::{
        self, MessageKind, ToolCallResult, ToolCallsResponse,
        auth::{Admission, AuthError, Presented},
    },
};

/// Receives one server message `{"message": {...}}`.
pub async fn webhook(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let body = authenticated_body(&state, &parts.headers, body).await?;
    let mut kind = MessageKind::Other;
    let answer = handle(&state, &body, &mut kind).await;
    let outcome = if answer.is_ok() { "ok" } else { "rejected" };
    telemetry::webhook("vapi", kind.label(), outcome);
    answer
}

/// The body of a message with a valid VAPI credential. The headers are checked first: a message
/// without a credential, with a wrong secret, or with a signature but no fresh timestamp is
/// refused before a byte of its body is read; only then is the body read (at most
/// [`body::VAPI_LIMIT`]) and a signature verified over it.
async fn authenticated_body(
    state: &AppState,
    headers: &HeaderMap,
    raw: Body,
) -> Result<Bytes, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let presented = Presented {
        vapi_secret: header("x-vapi-secret"),
        authorization: header("authorization"),
        signature: header("x-signature"),
        timestamp: header("x-timestamp"),
    };
    let admission = state
        .vapi_auth
        .check_headers(presented, state.clock.now())
        .map_err(refused)?;
    let body = body::read(headers, raw, body::VAPI_LIMIT, state.transport.body_timeout).await?;
    if let Admission::NeedsBody(signed) = admission {
        state
            .vapi_auth
            .verify_signature(signed, &body)
            .map_err(refused)?;
    }
    Ok(body)
}

/// The 401 of a refused credential, counted and logged by its reason only (never the
/// credential that was presented).
fn refused(err: AuthError) -> ApiError {
    telemetry::auth_failure("vapi", err.reason());
    telemetry::webhook("vapi", "unknown", "unauthorized");
    tracing::warn!(reason = err.reason(), "VAPI message refused: {err}");
    ApiError::Unauthorized(err.to_string())
}

/// Runs one authenticated server message.
/// `kind` is set to the message type, for the metrics.
async fn handle(
    state: &AppState,
    body: &[u8],
    kind_seen: &mut MessageKind,
) -> Result<Response, ApiError> {
    let envelope: Value = serde_json::from_slice(body).map_err(|e| {
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
    let kind = MessageKind::parse(kind);
    *kind_seen = kind;
    let info = vapi::call_info(message);

    match kind {
        MessageKind::ToolCalls => {
            let calls = vapi::tool_calls(message);
            let limit = state.tools.limits.tool_calls_per_message;
            let (calls, over) = split_at_limit(calls, limit);
            let runs = calls.into_iter().map(|tc| {
                let tools = &state.tools;
                let ctx = tools.call_context(&info, tc.id.clone());
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
            let mut results = join_all(runs).await;
            // Past the limit each call gets an error of its own, in order, and nothing runs.
            results.extend(over.into_iter().map(|tc| {
                ToolCallResult {
                    tool_call_id: tc.id,
                    name: tc.name,
                    result: None,
                    error: Some(too_many_tool_calls(
                        limit,
                        tc.arguments
                            .as_ref()
                            .ok()
                            .and_then(|args| args.get("language"))
                            .and_then(Value::as_str)
                            .and_then(Language::from_tag)
                            .unwrap_or(state.tools.business_language),
                    )),
                }
            }));
            // Serialised once, straight from the typed answer.
            Ok(Json(ToolCallsResponse { results }).into_response())
        }
        MessageKind::FunctionCall => {
            let (name, params) = vapi::function_call(message).ok_or_else(|| {
                ApiError::bad_request(
                    "missing_function_call",
                    "a function-call message needs 'functionCall.name'",
                )
            })?;
            let ctx = state.tools.call_context(&info, String::new());
            let args = vapi::arguments_object(&params);
            let answer = run_tool_call(&state.tools, &ctx, &name, args, &params).await;
            let text = answer.unwrap_or_else(|e| format!("Error: {e}"));
            Ok(Json(json!({ "result": text })).into_response())
        }
        lifecycle if lifecycle.is_lifecycle() => {
            crate::sync::call_history::record_message(&state.db, &state.clock, lifecycle, message)
                .await;
            Ok(Json(json!({})).into_response())
        }
        MessageKind::LanguageChangeDetected => {
            if let Some((call_id, lang, version)) =
                crate::sync::call_history::record_language(&state.db, &state.clock, &info, message)
                    .await
            {
                state.tools.call_languages.remember(&call_id, lang, version);
            }
            Ok(Json(json!({})).into_response())
        }
        MessageKind::AssistantRequest => Ok(Json(
            crate::assistant::caller_context::assistant_request(
                &state.db,
                state.clock.now(),
                state.business_tz,
                state.tools.business_language,
                state.vapi_assistant_id.as_deref(),
                info.caller_number.as_deref(),
            )
            .await,
        )
        .into_response()),
        other => {
            tracing::debug!(kind = other.label(), "server message acknowledged");
            Ok(Json(json!({})).into_response())
        }
    }
}

/// The first `limit` items, and the rest.
fn split_at_limit<T>(mut items: Vec<T>, limit: usize) -> (Vec<T>, Vec<T>) {
    let rest = items.split_off(limit.min(items.len()));
    (items, rest)
}
