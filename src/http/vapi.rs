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
    extract::{Path, Request, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use futures_util::future::join_all;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::{
    app::{AppState, tenants::Tenant},
    domain::{language::Language, text},
    error::ApiError,
    http::body,
    telemetry,
    tools::{hand_over, limits::too_many_tool_calls, run_tool_call},
    vapi::{
        self, MessageKind, ToolCallResult, ToolCallsResponse,
        auth::{Admission, AuthError, Presented, VapiAuth},
    },
};

/// Receives one server message `{"message": {...}}` on the shared route: with one tenant it is
/// that tenant's; with several, the message names its tenant (its phone number, else its
/// assistant) and must carry that tenant's credential.
pub async fn webhook(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let tenant = state.tenants.current().only().cloned();
    serve(&state, tenant, request).await
}

/// Receives one server message on a tenant's own route, `/t/{slug}/vapi/webhook`: only that
/// tenant's credential is accepted.
pub async fn tenant_webhook(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let Some(tenant) = state.tenants.current().get(&slug).cloned() else {
        telemetry::webhook(None, "vapi", "unknown", "no_tenant");
        return Err(ApiError::NotFound("no business with that slug".to_owned()));
    };
    serve(&state, Some(tenant), request).await
}

/// Authenticates and runs one message, for `tenant` when the route already says whose it is.
async fn serve(
    state: &AppState,
    tenant: Option<Arc<Tenant>>,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let presented = presented(&parts.headers);
    let mut kind = MessageKind::Other;
    let (answer, served) = match tenant {
        Some(tenant) => {
            let body =
                authenticated_body(state, &tenant.vapi_auth, &parts.headers, presented, body)
                    .await?;
            let message = parse_message(&body)?;
            (
                handle(state, &tenant, message, &mut kind).await,
                tenant.slug.clone(),
            )
        }
        None => {
            // Any tenant's credential lets the body in; once the message names its tenant,
            // that tenant's own credential must be the one presented.
            let tenants = state.tenants.current();
            let body = authenticated_body(
                state,
                tenants.any_vapi_auth(),
                &parts.headers,
                presented,
                body,
            )
            .await?;
            let message = parse_message(&body)?;
            let info = vapi::call_info(message.get());
            let tenant = tenants.claiming(&info).map_err(|err| {
                telemetry::webhook(None, "vapi", "unknown", "no_tenant");
                ApiError::bad_request("no_tenant", err.to_string())
            })?;
            tenant
                .vapi_auth
                .verify(presented, &body, state.clock.now())
                .map_err(refused)?;
            (
                handle(state, tenant, message, &mut kind).await,
                tenant.slug.clone(),
            )
        }
    };
    let outcome = if answer.is_ok() { "ok" } else { "rejected" };
    telemetry::webhook(Some(&served), "vapi", kind.label(), outcome);
    answer
}

/// The credential headers of a request.
fn presented(headers: &HeaderMap) -> Presented<'_> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    Presented {
        vapi_secret: header("x-vapi-secret"),
        authorization: header("authorization"),
        signature: header("x-signature"),
        timestamp: header("x-timestamp"),
    }
}

/// The body of a message with a valid VAPI credential. The headers are checked first: a message
/// without a credential, with a wrong secret, or with a signature but no fresh timestamp is
/// refused before a byte of its body is read; only then is the body read (at most
/// [`body::VAPI_LIMIT`]) and a signature verified over it.
async fn authenticated_body(
    state: &AppState,
    auth: &VapiAuth,
    headers: &HeaderMap,
    presented: Presented<'_>,
    raw: Body,
) -> Result<Bytes, ApiError> {
    let admission = auth
        .check_headers(presented, state.clock.now())
        .map_err(refused)?;
    let body = body::read(headers, raw, body::VAPI_LIMIT, state.transport.body_timeout).await?;
    if let Admission::NeedsBody(signed) = admission {
        auth.verify_signature(signed, &body).map_err(refused)?;
    }
    Ok(body)
}

/// The `message` object of a body, or the 400 saying what is wrong.
fn parse_message(body: &[u8]) -> Result<Message, ApiError> {
    let envelope: Value =
        serde_json::from_slice(&text::without_nul_escapes(body)).map_err(|e| {
            ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))
        })?;
    match envelope {
        Value::Object(mut map) => match map.remove("message") {
            Some(message @ Value::Object(_)) => Ok(Message(message)),
            _ => Err(ApiError::bad_request(
                "missing_message",
                "the body has no 'message' object",
            )),
        },
        _ => Err(ApiError::bad_request(
            "missing_message",
            "the body has no 'message' object",
        )),
    }
}

/// A server message's `message` object.
struct Message(Value);

impl Message {
    fn get(&self) -> &Value {
        &self.0
    }
}

/// The 401 of a refused credential, counted and logged by its reason only (never the
/// credential that was presented).
fn refused(err: AuthError) -> ApiError {
    telemetry::auth_failure("vapi", err.reason());
    telemetry::webhook(None, "vapi", "unknown", "unauthorized");
    tracing::warn!(reason = err.reason(), "VAPI message refused: {err}");
    ApiError::Unauthorized(err.to_string())
}

/// Runs one authenticated server message.
/// `kind` is set to the message type, for the metrics.
async fn handle(
    state: &AppState,
    tenant: &Tenant,
    message: Message,
    kind_seen: &mut MessageKind,
) -> Result<Response, ApiError> {
    let message = message.get();
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
            let limit = tenant.tools.limits.tool_calls_per_message;
            let (calls, over) = split_at_limit(calls, limit);
            let runs = calls.into_iter().map(|tc| {
                let tools = &tenant.tools;
                let ctx = tools.call_context(&info, tc.id.clone());
                async move {
                    let answered =
                        run_tool_call(tools, &ctx, &tc.name, tc.arguments, &tc.raw_arguments).await;
                    let (result, error) = match answered.answer {
                        Ok(r) => (Some(r), None),
                        Err(e) => (None, Some(e)),
                    };
                    let result = ToolCallResult {
                        tool_call_id: tc.id,
                        name: tc.name,
                        result,
                        error,
                    };
                    (result, answered.failure, answered.lang)
                }
            });
            let answered = join_all(runs).await;
            let failures: Vec<_> = answered.iter().map(|(_, f, _)| *f).collect();
            let mut results: Vec<ToolCallResult> =
                answered.iter().map(|(r, _, _)| r.clone()).collect();
            if let Some(number) =
                hand_over::after_answers(&tenant.tools, info.call_id.as_deref(), &failures).await
            {
                hand_over_now(
                    state,
                    tenant,
                    message,
                    &info,
                    number,
                    &mut results,
                    &answered,
                )
                .await;
            }
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
                            .unwrap_or(tenant.tools.business_language),
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
            let ctx = tenant.tools.call_context(&info, String::new());
            let args = vapi::arguments_object(&params);
            let answered = run_tool_call(&tenant.tools, &ctx, &name, args, &params).await;
            let text = answered.answer.unwrap_or_else(|e| format!("Error: {e}"));
            Ok(Json(json!({ "result": text })).into_response())
        }
        lifecycle if lifecycle.is_lifecycle() => {
            crate::sync::call_history::record_message(&tenant.db, &state.clock, lifecycle, message)
                .await;
            if lifecycle == MessageKind::EndOfCallReport
                && let Some(call_id) = info.call_id.as_deref()
            {
                record_outbound_outcome(state, tenant, call_id, message).await;
            }
            Ok(Json(json!({})).into_response())
        }
        MessageKind::LanguageChangeDetected => {
            if let Some((call_id, lang, version)) =
                crate::sync::call_history::record_language(&tenant.db, &state.clock, &info, message)
                    .await
            {
                tenant
                    .tools
                    .call_languages
                    .remember(&call_id, lang, version);
            }
            Ok(Json(json!({})).into_response())
        }
        MessageKind::AssistantRequest => Ok(Json(
            crate::assistant::caller_context::assistant_request(
                &tenant.db,
                state.clock.now(),
                tenant.business_tz,
                tenant.tools.business_language,
                tenant.vapi_assistant_id.as_deref(),
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

/// Hands the call over to `number`: the last failed answer tells the caller, and VAPI's live
/// call control is asked to transfer the call (off the answer's path; what came of it is stored
/// with the hand-over).
async fn hand_over_now(
    state: &AppState,
    tenant: &Tenant,
    message: &Value,
    info: &vapi::CallInfo,
    number: String,
    results: &mut [ToolCallResult],
    answered: &[(
        ToolCallResult,
        Option<crate::domain::failure::Failure>,
        Language,
    )],
) {
    let lang = answered
        .iter()
        .rev()
        .find(|(r, _, _)| r.error.is_some())
        .map_or(tenant.tools.business_language, |(_, _, lang)| *lang);
    let words = crate::tools::Say::HandingOver.text(lang);
    if let Some(last) = results.iter_mut().rev().find(|r| r.error.is_some())
        && let Some(error) = &mut last.error
    {
        error.push(' ');
        error.push_str(&words);
    }
    let Some(call_id) = info.call_id.clone() else {
        return;
    };
    let control_url = vapi::control::control_url(message).map(str::to_owned);
    let (db, control, clock) = (
        tenant.db.clone(),
        tenant.control.clone(),
        state.clock.clone(),
    );
    tokio::spawn(async move {
        let (sent, label) = match control_url {
            Some(url) => {
                let sent = control.transfer(&url, &number, &words).await;
                let label = match sent {
                    vapi::control::Sent::Taken => "sent",
                    _ => "refused",
                };
                (sent.describe(), label)
            }
            None => (
                "the message had no live control URL: the assistant was told to hand over"
                    .to_owned(),
                "no_control",
            ),
        };
        telemetry::hand_over(db.tenant(), label);
        if let Err(err) = db.hand_over_result(&call_id, &sent, clock.now()).await {
            tracing::warn!(%err, call_id, "could not store a hand-over's result");
        }
    });
}

/// Stores how one of the business's own calls ended, when the report is about one.
async fn record_outbound_outcome(
    state: &AppState,
    tenant: &Tenant,
    call_id: &str,
    message: &Value,
) {
    let variable = |name: &str| {
        message
            .pointer(&format!("/call/assistantOverrides/variableValues/{name}"))
            .or_else(|| message.pointer(&format!("/artifact/variableValues/{name}")))
            .and_then(Value::as_str)
    };
    let ended = crate::outbound::outcome::Ended {
        vapi_call_id: call_id,
        ended_reason: message.get("endedReason").and_then(Value::as_str),
        structured_data: message.pointer("/analysis/structuredData"),
        appointment_id: variable("appointmentId"),
        customer_number: message
            .pointer("/customer/number")
            .or_else(|| message.pointer("/call/customer/number"))
            .and_then(Value::as_str),
    };
    let recorded = tenant.outbound.record_ended(ended, state.clock.now()).await;
    match recorded {
        Ok(Some(done)) => {
            tracing::info!(call_id, outcome = %done, "outbound call ended");
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(%err, call_id, "could not record an outbound call's outcome"),
    }
}

/// The first `limit` items, and the rest.
fn split_at_limit<T>(mut items: Vec<T>, limit: usize) -> (Vec<T>, Vec<T>) {
    let rest = items.split_off(limit.min(items.len()));
    (items, rest)
}
