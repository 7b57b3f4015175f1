//! Request pipeline: route matching by method, path and `cal-api-version`, Bearer auth, the
//! `{status,data}` success envelope and Nest-style error bodies, and dispatch to the handlers.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Query, Request, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::bookings::{
    booking_json, booking_not_found, cancel_booking, create_booking, list_bookings,
    reschedule_booking,
};
use super::limits::{add_rate_headers, knob_failure, rate_check, rate_peek};
use super::slots::get_slots;
use super::state::{State, WebhookSub};
use super::text::iso_ms;
use super::users::{create_org_user, event_type_json, list_org_users, me_json};
use super::webhooks::{
    Outgoing, create_webhook, sign, update_webhook, webhook_body, webhook_json, webhook_not_found,
};
use super::{DeliveredWebhook, RecordedRequest, Simulator};

pub(super) const VERSION_BOOKINGS: &str = "2024-08-13";

pub(super) const VERSION_SLOTS: &str = "2024-09-04";

pub(super) const VERSION_EVENT_TYPES: &str = "2024-06-14";

pub(super) const MSG_THROTTLED: &str =
    "CustomThrottlerGuard - Too many requests. Please try again later.";

/// What a request produced: the response, extra delay, webhooks to send.
pub(super) struct Processed {
    pub(super) response: Response,
    pub(super) delay: Duration,
    pub(super) outgoing: Vec<Outgoing>,
    pub(super) dropped: bool,
}

pub(super) struct Ctx<'a> {
    pub(super) now: DateTime<Utc>,
    pub(super) method: &'a str,
    pub(super) path_q: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) version: Option<String>,
    pub(super) body: &'a [u8],
}

impl Ctx<'_> {
    pub(super) fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn version_is(&self, v: &str) -> bool {
        self.version.as_deref() == Some(v)
    }

    pub(super) fn err(&self, status: u16, message: impl Into<String>) -> ApiErr {
        ApiErr::http(status, message)
    }

    /// JSON body; empty body = `{}`.
    pub(super) fn json_body(&self) -> Result<Map<String, Value>, ApiErr> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Map::new());
        }
        match serde_json::from_slice::<Value>(self.body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(self.err(400, "Request body must be a JSON object")),
            Err(e) => Err(self.err(400, format!("Unexpected token in JSON: {e}"))),
        }
    }
}

/// An error answered in Cal.com's global-filter envelope (boxed: errors are the cold path).
pub(super) struct ApiErr(pub(super) Box<ApiErrBody>);

pub(super) struct ApiErrBody {
    pub(super) status: u16,
    pub(super) code: String,
    pub(super) message: String,
    pub(super) details: Option<Value>,
}

impl ApiErr {
    pub(super) fn new(status: u16, code: &str, message: &str, details: Option<Value>) -> Self {
        Self(Box::new(ApiErrBody {
            status,
            code: code.to_string(),
            message: message.to_string(),
            details,
        }))
    }

    pub(super) fn throttled() -> Self {
        Self::new(
            429,
            "ThrottlerException",
            MSG_THROTTLED,
            Some(Value::String(MSG_THROTTLED.to_string())),
        )
    }

    /// A Nest HttpException (code from the status, details `{message,error,statusCode}`).
    pub(super) fn http(status: u16, message: impl Into<String>) -> Self {
        let message = message.into();
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        let details = json!({"message": message, "error": reason, "statusCode": status});
        Self::new(status, exception_name(status), &message, Some(details))
    }
}

pub(super) fn exception_name(status: u16) -> &'static str {
    match status {
        400 => "BadRequestException",
        401 => "UnauthorizedException",
        403 => "ForbiddenException",
        404 => "NotFoundException",
        405 => "MethodNotAllowedException",
        408 => "RequestTimeoutException",
        409 => "ConflictException",
        413 => "PayloadTooLargeException",
        422 => "UnprocessableEntityException",
        429 => "ThrottlerException",
        500 => "InternalServerErrorException",
        501 => "NotImplementedException",
        502 => "BadGatewayException",
        503 => "ServiceUnavailableException",
        504 => "GatewayTimeoutException",
        _ => "HttpException",
    }
}

pub(super) type HandlerResult = Result<(u16, Value), ApiErr>;

pub(super) enum Route {
    Me,
    Slots,
    Reserve,
    GetReservation(String),
    DeleteReservation(String),
    ListBookings,
    CreateBooking,
    GetBooking(String),
    Reschedule(String),
    Cancel(String),
    ListEventTypes,
    GetEventType(String),
    ListOrgUsers(String),
    CreateOrgUser(String),
    ListWebhooks,
    CreateWebhook,
    GetWebhook(String),
    UpdateWebhook(String),
    DeleteWebhook(String),
}

pub(super) fn match_route(method: &str, path: &str, version: Option<&str>) -> Option<Route> {
    let trimmed = path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').skip(1).collect();
    let s = |i: usize| segs[i].to_string();
    let route = match (method, segs.as_slice()) {
        ("GET", ["v2", "me"]) => Route::Me,
        // The pre-2024-09-04 slots controller has no `/v2/slots` route at all.
        ("GET", ["v2", "slots"]) if version == Some(VERSION_SLOTS) => Route::Slots,
        ("POST", ["v2", "slots", "reservations"]) if version == Some(VERSION_SLOTS) => {
            Route::Reserve
        }
        ("GET", ["v2", "slots", "reservations", _]) if version == Some(VERSION_SLOTS) => {
            Route::GetReservation(s(3))
        }
        ("DELETE", ["v2", "slots", "reservations", _]) if version == Some(VERSION_SLOTS) => {
            Route::DeleteReservation(s(3))
        }
        ("GET", ["v2", "bookings"]) => Route::ListBookings,
        ("POST", ["v2", "bookings"]) => Route::CreateBooking,
        ("GET", ["v2", "bookings", _]) => Route::GetBooking(s(2)),
        ("POST", ["v2", "bookings", _, "reschedule"]) => Route::Reschedule(s(2)),
        ("POST", ["v2", "bookings", _, "cancel"]) => Route::Cancel(s(2)),
        ("GET", ["v2", "event-types"]) => Route::ListEventTypes,
        ("GET", ["v2", "event-types", _]) => Route::GetEventType(s(2)),
        ("GET", ["v2", "organizations", _, "users"]) => Route::ListOrgUsers(s(2)),
        ("POST", ["v2", "organizations", _, "users"]) => Route::CreateOrgUser(s(2)),
        ("GET", ["v2", "webhooks"]) => Route::ListWebhooks,
        ("POST", ["v2", "webhooks"]) => Route::CreateWebhook,
        ("GET", ["v2", "webhooks", _]) => Route::GetWebhook(s(2)),
        ("PATCH", ["v2", "webhooks", _]) => Route::UpdateWebhook(s(2)),
        ("DELETE", ["v2", "webhooks", _]) => Route::DeleteWebhook(s(2)),
        _ => return None,
    };
    Some(route)
}

pub(super) async fn entry(AxumState(sim): AxumState<Simulator>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let processed = sim.process(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        &bytes,
    );
    // Webhooks go out fire-and-forget once the response exists (they may well arrive before
    // the client reads the response, as with the real service).
    for out in processed.outgoing {
        let sim = sim.clone();
        tokio::spawn(async move { sim.deliver(out).await });
    }
    if !processed.delay.is_zero() {
        tokio::time::sleep(processed.delay).await;
    }
    if processed.dropped {
        // The status line goes out, then the body fails: the server closes the connection.
        let broken = futures_util::stream::once(async {
            Err::<axum::body::Bytes, _>(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "simulated dropped connection",
            ))
        });
        return Response::new(Body::from_stream(broken));
    }
    processed.response
}

pub(super) fn json_response(status: u16, value: &Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = code;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

pub(super) fn error_response(e: &ApiErr, now: DateTime<Utc>, path_q: &str) -> Response {
    let e = &e.0;
    let mut error = Map::new();
    error.insert("code".into(), json!(e.code));
    error.insert("message".into(), json!(e.message));
    if let Some(details) = &e.details {
        error.insert("details".into(), details.clone());
    }
    let body = json!({
        "status": "error",
        "timestamp": iso_ms(now),
        "path": path_q,
        "error": error,
    });
    let mut response = json_response(e.status, &body);
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        response.headers_mut().insert("X-Request-Id", v);
    }
    response
}

pub(super) fn dispatch(
    st: &mut State,
    ctx: &Ctx<'_>,
    route: Route,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    match route {
        Route::Me => Ok((200, json!({"status": "success", "data": me_json(st)}))),
        Route::Slots => get_slots(st, ctx),
        Route::Reserve => super::reservations::reserve(st, ctx),
        Route::GetReservation(uid) => super::reservations::get(st, ctx, &uid),
        Route::DeleteReservation(uid) => super::reservations::delete(st, &uid),
        Route::ListBookings => {
            require_bookings_version(ctx)?;
            list_bookings(st, ctx)
        }
        Route::CreateBooking => {
            if !ctx.version_is(VERSION_BOOKINGS) {
                return Err(ctx.err(400, "responses should not be empty"));
            }
            create_booking(st, ctx, events)
        }
        Route::GetBooking(uid) => {
            require_bookings_version(ctx)?;
            let b = st.booking(&uid).ok_or_else(|| booking_not_found(&uid))?;
            Ok((
                200,
                json!({"status": "success", "data": booking_json(st, b)}),
            ))
        }
        Route::Reschedule(uid) => {
            require_bookings_version(ctx)?;
            reschedule_booking(st, ctx, &uid, events)
        }
        Route::Cancel(uid) => {
            require_bookings_version(ctx)?;
            cancel_booking(st, ctx, &uid, events)
        }
        Route::ListEventTypes => {
            require_event_types_version(ctx)?;
            let data: Vec<Value> = st
                .event_types
                .iter()
                .filter(|e| ctx.q("eventSlug").is_none_or(|s| s == e.slug))
                .map(|e| event_type_json(st, e))
                .collect();
            Ok((200, json!({"status": "success", "data": data})))
        }
        Route::GetEventType(id) => {
            require_event_types_version(ctx)?;
            let et = id
                .parse::<i64>()
                .ok()
                .and_then(|id| st.event_type(id))
                .ok_or_else(|| ApiErr::http(404, format!("Event type with id={id} not found")))?;
            Ok((
                200,
                json!({"status": "success", "data": event_type_json(st, et)}),
            ))
        }
        Route::ListOrgUsers(org) => list_org_users(st, ctx, &org),
        Route::CreateOrgUser(org) => create_org_user(st, ctx, &org),
        Route::ListWebhooks => {
            let take = parse_paging(ctx, "take", 250, 1, 250)?;
            let skip = parse_paging(ctx, "skip", 0, 0, i64::MAX)?;
            let data: Vec<Value> = st
                .webhooks
                .iter()
                .skip(usize::try_from(skip).unwrap_or(usize::MAX))
                .take(usize::try_from(take).unwrap_or(usize::MAX))
                .map(|w| webhook_json(st, w))
                .collect();
            Ok((200, json!({"status": "success", "data": data})))
        }
        Route::CreateWebhook => create_webhook(st, ctx),
        Route::GetWebhook(id) => {
            let w = st
                .webhooks
                .iter()
                .find(|w| w.id == id)
                .ok_or_else(|| webhook_not_found(&id))?;
            Ok((
                200,
                json!({"status": "success", "data": webhook_json(st, w)}),
            ))
        }
        Route::UpdateWebhook(id) => update_webhook(st, ctx, &id),
        Route::DeleteWebhook(id) => {
            let pos = st
                .webhooks
                .iter()
                .position(|w| w.id == id)
                .ok_or_else(|| webhook_not_found(&id))?;
            let w = st.webhooks.remove(pos);
            Ok((
                200,
                json!({"status": "success", "data": webhook_json(st, &w)}),
            ))
        }
    }
}

pub(super) fn require_bookings_version(ctx: &Ctx<'_>) -> Result<(), ApiErr> {
    if ctx.version_is(VERSION_BOOKINGS) {
        Ok(())
    } else {
        Err(ctx.err(
            400,
            "legacy bookings API version not supported by simulator; send cal-api-version 2024-08-13",
        ))
    }
}

pub(super) fn require_event_types_version(ctx: &Ctx<'_>) -> Result<(), ApiErr> {
    if ctx.version_is(VERSION_EVENT_TYPES) {
        Ok(())
    } else {
        Err(ctx.err(
            400,
            "legacy event types API version not supported by simulator; send cal-api-version 2024-06-14",
        ))
    }
}

pub(super) fn parse_paging(
    ctx: &Ctx<'_>,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ApiErr> {
    let Some(raw) = ctx.q(name) else {
        return Ok(default);
    };
    let v: i64 = raw.trim().parse().map_err(|_| {
        ctx.err(
            400,
            format!("{name} must be a number conforming to the specified constraints"),
        )
    })?;
    if v < min {
        return Err(ctx.err(400, format!("{name} must not be less than {min}")));
    }
    if v > max {
        return Err(ctx.err(400, format!("{name} must not be greater than {max}")));
    }
    Ok(v)
}

impl Simulator {
    pub(super) fn process(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Processed {
        let now = self.now();
        let mut st = self.lock();
        st.requests.push(RecordedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_string),
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(body).into_owned(),
        });
        st.requests_received += 1;
        if let Some(limit) = st.request_log_limit
            && st.requests.len() > limit
        {
            let excess = st.requests.len() - limit;
            st.requests.drain(..excess);
        }
        let path_q = match query {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };

        let mut delay = st.latency;
        if st.hang_remaining > 0 {
            st.hang_remaining -= 1;
            delay += st.hang_duration;
        }
        let dropped = st.drop_remaining > 0;
        if dropped {
            st.drop_remaining -= 1;
        }
        if st.fail_remaining > 0 {
            st.fail_remaining -= 1;
            let status = st.fail_status;
            let mut response = knob_failure(status, now, &path_q);
            let (limit, remaining, reset) = rate_peek(&st, now);
            add_rate_headers(&mut response, limit, remaining, reset);
            return Processed {
                response,
                delay,
                outgoing: Vec::new(),
                dropped,
            };
        }

        let (allowed, limit, remaining, reset) = rate_check(&mut st, now);
        let version = headers
            .get("cal-api-version")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string());
        let ctx = Ctx {
            now,
            method,
            path_q,
            query: Query::<Vec<(String, String)>>::try_from_uri(
                &format!("/?{}", query.unwrap_or_default())
                    .parse()
                    .unwrap_or_default(),
            )
            .map(|q| q.0)
            .unwrap_or_default(),
            version,
            body,
        };

        let mut events: Vec<(&'static str, String)> = Vec::new();
        let result = if !allowed {
            Err(ApiErr::throttled())
        } else {
            match match_route(method, path, ctx.version.as_deref()) {
                None => Err(ctx.err(404, format!("Cannot {} {}", ctx.method, ctx.path_q))),
                Some(route) => {
                    if !self.authorized(headers) {
                        Err(ApiErr::http(
                            401,
                            "ApiAuthStrategy - api key - Invalid API Key",
                        ))
                    } else {
                        dispatch(&mut st, &ctx, route, &mut events)
                    }
                }
            }
        };

        let mut response = match result {
            Ok((status, value)) => json_response(status, &value),
            Err(e) => error_response(&e, now, &ctx.path_q),
        };
        add_rate_headers(&mut response, limit, remaining, reset);

        let mut outgoing = Vec::new();
        for (trigger, uid) in events {
            let Some(body) = webhook_body(&st, trigger, &uid, now) else {
                continue;
            };
            let subs: Vec<WebhookSub> = st
                .webhooks
                .iter()
                .filter(|w| w.active && w.triggers.iter().any(|t| t == trigger))
                .cloned()
                .collect();
            for sub in subs {
                let signature = sign(sub.secret.as_deref(), &body);
                if st.webhook_delivery {
                    outgoing.push(Outgoing {
                        url: sub.subscriber_url.clone(),
                        trigger: trigger.to_string(),
                        body: body.clone(),
                        signature,
                    });
                } else {
                    st.delivered.push(DeliveredWebhook {
                        url: sub.subscriber_url.clone(),
                        trigger: trigger.to_string(),
                        body: body.clone(),
                        signature: Some(signature),
                        status: None,
                    });
                }
            }
        }
        Processed {
            response,
            delay,
            outgoing,
            dropped,
        }
    }

    pub(super) fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let mut parts = value.trim().splitn(2, ' ');
        let scheme = parts.next().unwrap_or_default();
        let token = parts.next().unwrap_or_default().trim();
        scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token == self.inner.api_key
    }
}
