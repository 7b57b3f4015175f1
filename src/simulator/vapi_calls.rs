//! A stand-in for VAPI's call API for the demo: `POST /call` places a pretend call and plays it
//! back to the service as VAPI would, through the service's own webhook: a `status-update`
//! (in progress), then, a few seconds later, the end-of-call report of a person who confirms
//! (transcript, summary and the calling assistant's structured `outcome`).
//!
//! Requests need `Authorization: Bearer <key>`, and a call needs `assistantId`, `phoneNumberId`
//! and `customer.number`, as VAPI's do. Each placed call is kept, so the demo can say what it
//! placed. `GET /call/{id}/mono-recording` redirects to the demo's one recording, as VAPI
//! redirects to a call's recording on its storage.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::clock::Clock;

/// How long the pretend person talks before the call ends.
const CALL_LENGTH: Duration = Duration::from_secs(3);

/// Where a running stand-in listens, and what it placed.
#[derive(Clone, Debug)]
pub struct VapiCalls {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    placed: Arc<Mutex<Vec<Value>>>,
}

#[derive(Clone)]
struct Ctx {
    key: String,
    webhook: String,
    secret: String,
    clock: Clock,
    placed: Arc<Mutex<Vec<Value>>>,
    http: reqwest::Client,
    recording: Option<String>,
}

impl VapiCalls {
    /// Serves on `listener`, accepting the API key `key`, and plays calls back to `webhook`
    /// with the VAPI secret `secret`; every call's recording is at `recording`.
    pub fn serve(
        listener: TcpListener,
        key: &str,
        webhook: &str,
        secret: &str,
        recording: Option<String>,
        clock: Clock,
    ) -> Self {
        let placed = Arc::new(Mutex::new(Vec::new()));
        let url = listener
            .local_addr()
            .map(|a| format!("http://{a}"))
            .unwrap_or_default();
        let ctx = Ctx {
            key: key.to_owned(),
            webhook: webhook.to_owned(),
            secret: secret.to_owned(),
            clock,
            placed: placed.clone(),
            http: reqwest::Client::new(),
            recording,
        };
        let app = Router::new()
            .route("/call", post(create))
            .route("/call/{id}/mono-recording", get(recording_of))
            .with_state(ctx);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, placed }
    }

    /// The calls placed so far.
    pub fn placed(&self) -> Vec<Value> {
        self.placed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

async fn create(State(ctx): State<Ctx>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&ctx, &headers) {
        return refuse(StatusCode::UNAUTHORIZED, "Invalid Key.");
    }
    let missing: Vec<&str> = ["/assistantId", "/phoneNumberId", "/customer/number"]
        .into_iter()
        .filter(|p| body.pointer(p).and_then(Value::as_str).is_none())
        .collect();
    if !missing.is_empty() {
        return refuse(
            StatusCode::BAD_REQUEST,
            &format!("missing {}", missing.join(", ")),
        );
    }
    let mut call = body.clone();
    let id = format!("demo-out-{}", uuid::Uuid::new_v4().simple());
    let now = ctx.clock.now().to_rfc3339();
    call["id"] = json!(id);
    call["type"] = json!("outboundPhoneCall");
    call["status"] = json!("queued");
    call["createdAt"] = json!(now);
    call["updatedAt"] = json!(now);
    ctx.placed
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(call.clone());
    tokio::spawn(play(ctx, call.clone()));
    (StatusCode::CREATED, Json(call)).into_response()
}

/// A call's recording: a redirect to where it is kept.
async fn recording_of(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    if !authorized(&ctx, &headers) {
        return refuse(StatusCode::UNAUTHORIZED, "Invalid Key.");
    }
    match &ctx.recording {
        Some(url) => (
            StatusCode::FOUND,
            [(axum::http::header::LOCATION, url.clone())],
        )
            .into_response(),
        None => refuse(StatusCode::NOT_FOUND, "Artifact not found."),
    }
}

fn authorized(ctx: &Ctx, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        == Some(ctx.key.as_str())
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"message": [message], "error": status.canonical_reason(), "statusCode": status.as_u16()})),
    )
        .into_response()
}

/// Plays the call back: it rings, the person answers and confirms, the call ends.
async fn play(ctx: Ctx, call: Value) {
    let started = ctx.clock.now();
    let identity = json!({
        "id": call["id"],
        "type": "outboundPhoneCall",
        "assistantId": call["assistantId"],
        "phoneNumberId": call["phoneNumberId"],
        "customer": call["customer"],
        "assistantOverrides": call["assistantOverrides"],
    });
    let common = |kind: &str| {
        json!({
            "type": kind,
            "timestamp": ctx.clock.now().timestamp_millis(),
            "call": identity,
            "customer": call["customer"],
            "phoneNumber": {"id": call["phoneNumberId"]},
        })
    };
    let mut ringing = common("status-update");
    ringing["status"] = json!("in-progress");
    send(&ctx, ringing).await;
    tokio::time::sleep(CALL_LENGTH).await;
    let vars = &call["assistantOverrides"]["variableValues"];
    let text = |key: &str| vars[key].as_str().unwrap_or_default().to_owned();
    // A waitlist offer is taken; a reminder is confirmed.
    let offer = text("callPurpose") == "waitlist_offer";
    let (greeting, reply, summary, outcome) = if offer {
        (
            format!(
                "Hi {}, this is {} calling. A time you asked for on our waitlist just opened up: {}. Would you like it?",
                text("callerName"),
                text("businessName"),
                text("appointmentTime")
            ),
            "Yes please, I'll take it!",
            "Waitlist offer: the caller took the time.",
            "accepted",
        )
    } else {
        (
            format!(
                "Hi {}, this is {} calling about your appointment {}. Can you still make it?",
                text("callerName"),
                text("businessName"),
                text("appointmentTime")
            ),
            "Yes, I'll be there. Thanks!",
            "Reminder call: the caller confirmed the appointment.",
            "confirmed",
        )
    };
    let transcript = format!("AI: {greeting}\nUser: {reply}\nAI: Great, see you then. Goodbye!\n");
    let ended = ctx.clock.now();
    let mut report = common("end-of-call-report");
    report["endedReason"] = json!("customer-ended-call");
    report["startedAt"] = json!(started.to_rfc3339());
    report["endedAt"] = json!(ended.to_rfc3339());
    report["cost"] = json!(0.05);
    report["artifact"] = json!({"transcript": transcript, "messages": []});
    report["analysis"] = json!({
        "summary": summary,
        "structuredData": {"outcome": outcome},
        "successEvaluation": "true",
    });
    send(&ctx, report).await;
}

async fn send(ctx: &Ctx, message: Value) {
    let sent = ctx
        .http
        .post(&ctx.webhook)
        .header("x-vapi-secret", &ctx.secret)
        .json(&json!({ "message": message }))
        .send()
        .await;
    if let Err(err) = sent {
        tracing::warn!(%err, "the demo's VAPI could not reach the webhook");
    }
}
