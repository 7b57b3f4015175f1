//! The operator API under `/api`: call history, one call with its transcript and appointments,
//! appointments, and per-day figures. Every route needs an operator token as
//! `Authorization: Bearer`: `ADMIN_TOKEN` reads every business (`?tenant=slug`, else the home
//! business), a business's own `admin_tokens` read that business only (any other `?tenant=` is
//! 404, whether or not it exists). Without any token configured the routes answer 404, so they
//! are never open by accident.

use std::collections::HashMap;

use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Query, Request, State, rejection::QueryRejection},
    http::{header, request::Parts},
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::{
    analytics::stats,
    app::{AppState, tenants::Tenant},
    dashboard::session::Grant,
    db::call_records::{CallCursor, CallFilter},
    domain::appointment::{Appointment, Status},
    domain::call::Call,
    domain::local_time::local_day_start,
    error::ApiError,
    http::throttle::ClientAddress,
};

/// Largest page of `/api/calls` and `/api/appointments`.
const MAX_LIMIT: u32 = 200;
/// Page size when none is given.
const DEFAULT_LIMIT: u32 = 50;

/// The `/api` routes, behind the admin token check.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/calls", get(list_calls))
        .route("/calls/{vapi_call_id}", get(one_call))
        .route("/appointments", get(list_appointments))
        .route("/stats", get(get_stats))
        .route_layer(middleware::from_fn_with_state(state, require_admin))
}

/// 404 without any operator token configured, 429 after too many wrong tokens from the
/// client's address, 401 without an operator's Bearer token, else the route, with what the
/// token grants.
async fn require_admin(
    State(state): State<AppState>,
    client: ClientAddress,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let tenants = state.tenants.current();
    let Some(access) = tenants.operators() else {
        return Err(ApiError::NotFound(
            "the operator API is off: set ADMIN_TOKEN to turn it on".to_owned(),
        ));
    };
    // An address with too many wrong tokens this minute is refused whatever it sends.
    state.auth_failures.check(client.0)?;
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    // Digests are compared, so the time says nothing of where (and whether) lengths differ.
    let Some(grant) = given.and_then(|g| access.grant(g)) else {
        state.auth_failures.failed(client.0);
        tracing::warn!(client = %client.0, "operator API request with a wrong token");
        return Err(ApiError::Unauthorized(
            "send Authorization: Bearer <ADMIN_TOKEN>".to_owned(),
        ));
    };
    request.extensions_mut().insert(grant);
    Ok(next.run(request).await)
}

/// The business an `/api` request reads (see the module's doc).
struct Reading(Arc<Tenant>);

/// The query parameter naming the business.
#[derive(serde::Deserialize)]
struct TenantParam {
    tenant: Option<String>,
}

impl FromRequestParts<AppState> for Reading {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let grant = parts
            .extensions
            .get::<Grant>()
            .cloned()
            .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer".to_owned()))?;
        let asked = Query::<TenantParam>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|Query(p)| p.tenant);
        state
            .tenants
            .current()
            .visible(&grant, asked.as_deref())
            .cloned()
            .map(Reading)
            .ok_or_else(|| ApiError::NotFound("no business with that slug".to_owned()))
    }
}

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn params(p: Params) -> Result<HashMap<String, String>, ApiError> {
    p.map(|Query(m)| m).map_err(|e| {
        ApiError::bad_request("bad_query", format!("the query string is malformed: {e}"))
    })
}

fn db_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

fn bad(name: &str, why: &str) -> ApiError {
    ApiError::bad_request("bad_parameter", format!("'{name}' {why}"))
}

/// A `from`/`to` bound: `YYYY-MM-DD` is a local business day (`to` includes it), or an RFC 3339
/// instant.
fn bound(
    p: &HashMap<String, String>,
    name: &str,
    tz: Tz,
    end: bool,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(raw) = p.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let day = if end {
            day.succ_opt().unwrap_or(day)
        } else {
            day
        };
        return Ok(Some(local_day_start(day, tz)));
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| bad(name, "must be a date (YYYY-MM-DD) or an RFC 3339 instant"))
}

fn limit(p: &HashMap<String, String>) -> Result<u32, ApiError> {
    match p.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                bad(
                    "limit",
                    &format!("must be a whole number from 1 to {MAX_LIMIT}"),
                )
            }),
    }
}

/// Cursors are opaque to clients: hex of `sort_at` and the call id.
fn encode_cursor(c: &CallCursor) -> String {
    c.encode()
}

fn decode_cursor(raw: &str) -> Result<CallCursor, ApiError> {
    CallCursor::decode(raw).ok_or_else(|| bad("cursor", "is not a cursor this API gave out"))
}

fn call_json(c: &Call) -> Value {
    serde_json::to_value(c).unwrap_or_default()
}

/// `GET /api/calls?from=&to=&limit=&cursor=`: newest first.
async fn list_calls(Reading(tenant): Reading, p: Params) -> Result<Json<Value>, ApiError> {
    let p = params(p)?;
    let tz = tenant.business_tz;
    let filter = CallFilter {
        from: bound(&p, "from", tz, false)?,
        to: bound(&p, "to", tz, true)?,
        limit: limit(&p)?,
        after: p.get("cursor").map(|c| decode_cursor(c)).transpose()?,
        ..CallFilter::default()
    };
    let page = tenant.db.list_calls(&filter).await.map_err(db_error)?;
    Ok(Json(json!({
        "calls": page.calls.iter().map(call_json).collect::<Vec<_>>(),
        "nextCursor": page.next_cursor.as_ref().map(encode_cursor),
    })))
}

/// `GET /api/calls/{vapiCallId}`: the call, its transcript, its tool calls, appointments and
/// hand-over.
async fn one_call(
    Reading(tenant): Reading,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let db = &tenant.db;
    let (call, lines) = db
        .call_with_lines(&id)
        .await
        .map_err(db_error)?
        .ok_or_else(|| ApiError::NotFound(format!("no call with id '{id}'")))?;
    let tz = tenant.business_tz;
    let mut appointments = Vec::new();
    for link in db.call_appointments(&id).await.map_err(db_error)? {
        let appointment = db
            .appointment(&link.appointment_uid)
            .await
            .map_err(db_error)?;
        appointments.push(json!({
            "action": link.action,
            "toolCallId": link.tool_call_id,
            "at": link.created_at,
            "appointment": appointment.as_ref().map(|a| appointment_json(a, tz, Some(&id))),
            "appointmentId": link.appointment_uid,
        }));
    }
    let tools = db.call_tool_invocations(&id).await.map_err(db_error)?;
    let mut body = call_json(&call);
    body["transcriptLines"] = serde_json::to_value(&lines).unwrap_or_default();
    body["appointments"] = Value::Array(appointments);
    body["toolCalls"] = serde_json::to_value(tools).unwrap_or_default();
    // The faults its tools had and the hand-over the service made, if any.
    let hand_over = db.hand_over_of(&id).await.map_err(db_error)?;
    body["handOver"] = serde_json::to_value(hand_over).unwrap_or_default();
    Ok(Json(body))
}

fn appointment_json(a: &Appointment, tz: Tz, call: Option<&str>) -> Value {
    let attendee = a.attendees.get(0);
    json!({
        "appointmentId": a.uid,
        "status": a.status.as_str(),
        "title": a.title,
        "startUtc": a.start_time.map(crate::domain::local_time::utc_iso),
        "endUtc": a.end_time.map(crate::domain::local_time::utc_iso),
        "start": a.start_time.map(|t| crate::domain::local_time::local_iso(t, tz)),
        "attendeeName": attendee.and_then(|x| x.get("name")).and_then(Value::as_str),
        "attendeePhone": a.attendee_phone,
        "attendeeEmail": a.attendee_email,
        "eventTypeId": a.event_type_id,
        "rescheduledFromId": a.rescheduled_from_uid,
        "rescheduledToId": a.rescheduled_to_uid,
        "cancellationReason": a.cancellation_reason,
        "vapiCallId": call,
    })
}

/// `GET /api/appointments?from=&to=&status=&phone=&limit=`: by start time.
async fn list_appointments(Reading(tenant): Reading, p: Params) -> Result<Json<Value>, ApiError> {
    let p = params(p)?;
    let tz = tenant.business_tz;
    let from = bound(&p, "from", tz, false)?;
    let to = bound(&p, "to", tz, true)?;
    let status = match p.get("status") {
        None => None,
        Some(name) => Some(Status::from_stored(name).ok_or_else(|| {
            let names: Vec<&str> = Status::KNOWN.iter().map(|s| s.as_str()).collect();
            bad("status", &format!("must be one of {}", names.join(", ")))
        })?),
    };
    let phone = match p.get("phone") {
        None => None,
        Some(raw) => Some(
            crate::domain::phone::to_e164(raw)
                .ok_or_else(|| bad("phone", "must be a phone number in E.164 (+15551234567)"))?,
        ),
    };
    let db = &tenant.db;
    let rows = db
        .list_appointments(from, to, status, phone.as_deref(), limit(&p)?)
        .await
        .map_err(db_error)?;
    let mut out = Vec::with_capacity(rows.len());
    for a in &rows {
        let call = db.appointment_call(&a.uid).await.map_err(db_error)?;
        out.push(appointment_json(a, tz, call.as_deref()));
    }
    Ok(Json(json!({ "appointments": out })))
}

/// A `from`/`to` day of `/api/stats`.
fn day(p: &HashMap<String, String>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    p.get(name)
        .map(|raw| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| bad(name, "must be a date (YYYY-MM-DD)"))
        })
        .transpose()
}

/// `GET /api/stats?from=&to=&assistantVersion=`: per local business day, of every call or of
/// those one assistant version served.
async fn get_stats(
    State(state): State<AppState>,
    Reading(tenant): Reading,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    let p = params(p)?;
    let tz = tenant.business_tz;
    let (from, to) = stats::range(day(&p, "from")?, day(&p, "to")?, state.clock.now(), tz)
        .map_err(|m| ApiError::bad_request("bad_parameter", m))?;
    let version = p
        .get("assistantVersion")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty());
    if version.is_some_and(|v| v.chars().count() > 64) {
        return Err(bad("assistantVersion", "has at most 64 characters"));
    }
    let report = stats::report(
        &tenant.db,
        tz,
        from,
        to,
        state.operator.success_threshold,
        version,
    )
    .await
    .map_err(db_error)?;
    Ok(Json(serde_json::to_value(report).unwrap_or_default()))
}
