//! Webhook subscriptions (`/v2/webhooks`) and delivery: version 2021-10-20 payloads signed with
//! `X-Cal-Signature-256` over the exact body, sent after the response.

use std::time::Duration;

use axum::http::header;
use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use super::routing::{ApiErr, Ctx, HandlerResult};
use super::state::{Booking, State, WebhookSub};
use super::text::iso_ms;
use super::{DeliveredWebhook, Simulator};

pub(super) const WEBHOOK_VERSION: &str = "2021-10-20";

pub(super) const WEBHOOK_TRIGGERS: &[&str] = &[
    "BOOKING_CREATED",
    "BOOKING_PAYMENT_INITIATED",
    "BOOKING_PAID",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
    "MEETING_ENDED",
    "MEETING_STARTED",
    "RECORDING_READY",
    "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "OOO_CREATED",
    "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    "FORM_SUBMITTED_NO_EVENT",
    "ROUTING_FORM_FALLBACK_HIT",
    "DELEGATION_CREDENTIAL_ERROR",
    "WRONG_ASSIGNMENT_REPORT",
];

/// A webhook to send after the response is produced.
pub(super) struct Outgoing {
    pub(super) url: String,
    pub(super) trigger: String,
    pub(super) body: String,
    pub(super) signature: String,
}

pub(super) fn webhook_not_found(id: &str) -> ApiErr {
    ApiErr::http(404, format!("Webhook with id {id} not found"))
}

pub(super) fn parse_triggers(ctx: &Ctx<'_>, v: &Value) -> Result<Vec<String>, ApiErr> {
    let list = v
        .as_array()
        .ok_or_else(|| ctx.err(400, "triggers must be an array"))?;
    list.iter()
        .map(|t| {
            t.as_str()
                .filter(|s| WEBHOOK_TRIGGERS.contains(s))
                .map(str::to_string)
                .ok_or_else(|| {
                    ctx.err(
                        400,
                        format!(
                            "each value in triggers must be one of the following values: {}",
                            WEBHOOK_TRIGGERS.join(", ")
                        ),
                    )
                })
        })
        .collect()
}

pub(super) fn parse_subscriber_url(ctx: &Ctx<'_>, v: &Value) -> Result<String, ApiErr> {
    v.as_str()
        .filter(|s| {
            (s.starts_with("http://") || s.starts_with("https://"))
                && s.split("://").nth(1).is_some_and(|rest| !rest.is_empty())
        })
        .map(str::to_string)
        .ok_or_else(|| ctx.err(400, "subscriberUrl must be a URL address"))
}

pub(super) fn opt_string(
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, ApiErr> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ctx.err(400, format!("{key} must be a string"))),
    }
}

pub(super) fn create_webhook(st: &mut State, ctx: &Ctx<'_>) -> HandlerResult {
    let body = ctx.json_body()?;
    let active = body
        .get("active")
        .and_then(Value::as_bool)
        .ok_or_else(|| ctx.err(400, "active must be a boolean value"))?;
    let subscriber_url =
        parse_subscriber_url(ctx, body.get("subscriberUrl").unwrap_or(&Value::Null))?;
    let triggers = parse_triggers(ctx, body.get("triggers").unwrap_or(&Value::Null))?;
    let secret = opt_string(ctx, &body, "secret")?;
    let payload_template = opt_string(ctx, &body, "payloadTemplate")?;
    if st
        .webhooks
        .iter()
        .any(|w| w.subscriber_url == subscriber_url)
    {
        return Err(ctx.err(409, "Webhook with this subscriber url already exists"));
    }
    let w = WebhookSub {
        id: uuid::Uuid::new_v4().to_string(),
        subscriber_url,
        active,
        triggers,
        payload_template,
        secret,
    };
    let data = webhook_json(st, &w);
    st.webhooks.push(w);
    Ok((201, json!({"status": "success", "data": data})))
}

pub(super) fn update_webhook(st: &mut State, ctx: &Ctx<'_>, id: &str) -> HandlerResult {
    let body = ctx.json_body()?;
    let pos = st
        .webhooks
        .iter()
        .position(|w| w.id == id)
        .ok_or_else(|| webhook_not_found(id))?;
    let mut w = st.webhooks[pos].clone();
    if let Some(v) = body.get("active").filter(|v| !v.is_null()) {
        w.active = v
            .as_bool()
            .ok_or_else(|| ctx.err(400, "active must be a boolean value"))?;
    }
    if let Some(v) = body.get("subscriberUrl").filter(|v| !v.is_null()) {
        let url = parse_subscriber_url(ctx, v)?;
        if st
            .webhooks
            .iter()
            .any(|o| o.id != id && o.subscriber_url == url)
        {
            return Err(ctx.err(409, "Webhook with this subscriber url already exists"));
        }
        w.subscriber_url = url;
    }
    if let Some(v) = body.get("triggers").filter(|v| !v.is_null()) {
        w.triggers = parse_triggers(ctx, v)?;
    }
    if body.contains_key("secret") {
        w.secret = opt_string(ctx, &body, "secret")?;
    }
    if body.contains_key("payloadTemplate") {
        w.payload_template = opt_string(ctx, &body, "payloadTemplate")?;
    }
    let data = webhook_json(st, &w);
    st.webhooks[pos] = w;
    Ok((200, json!({"status": "success", "data": data})))
}

pub(super) fn webhook_json(st: &State, w: &WebhookSub) -> Value {
    let mut m = json!({
        "id": w.id,
        "userId": st.me.id,
        "subscriberUrl": w.subscriber_url,
        "active": w.active,
        "triggers": w.triggers,
        "payloadTemplate": w.payload_template,
    });
    if let (Some(secret), Value::Object(map)) = (&w.secret, &mut m) {
        map.insert("secret".into(), json!(secret));
    }
    m
}

pub(super) fn utc_offset_minutes(zone: &str, at: DateTime<Utc>) -> i64 {
    zone.parse::<Tz>()
        .map(|tz| {
            i64::from(
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ) / 60
        })
        .unwrap_or(0)
}

pub(super) fn fmt_webhook_time(t: DateTime<Utc>, cancelled: bool) -> String {
    if cancelled {
        t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

pub(super) fn base_payload(
    st: &State,
    b: &Booking,
    cancelled: bool,
    status: &str,
) -> Map<String, Value> {
    let et = st.event_type(b.event_type_id);
    let slug = et.map(|e| e.slug.clone()).unwrap_or_default();
    let length = et
        .map(|e| e.length_minutes)
        .unwrap_or_else(|| (b.end - b.start).num_minutes());
    let (first, last) = match b.attendee.name.split_once(' ') {
        Some((f, l)) => (f.to_string(), l.to_string()),
        None => (b.attendee.name.clone(), String::new()),
    };
    let notes = b
        .responses
        .get("notes")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let location = if cancelled {
        b.location
            .clone()
            .unwrap_or_else(|| "integrations:daily".to_string())
    } else {
        b.shown_location()
    };

    let mut responses = Map::new();
    responses.insert(
        "name".into(),
        json!({"label": "your_name", "value": b.attendee.name, "isHidden": false}),
    );
    responses.insert(
        "email".into(),
        json!({"label": "email_address", "value": b.attendee.email_or_placeholder(), "isHidden": false}),
    );
    if let Some(p) = &b.attendee.phone {
        responses.insert(
            "attendeePhoneNumber".into(),
            json!({"label": "phone_number", "value": p, "isHidden": false}),
        );
    }
    responses.insert(
        "location".into(),
        json!({"label": "location", "value": {"value": b.location.clone().unwrap_or_else(|| "integrations:daily".into()), "optionValue": ""}, "isHidden": false}),
    );
    if !b.guests.is_empty() {
        responses.insert(
            "guests".into(),
            json!({"label": "additional_guests", "value": b.guests, "isHidden": false}),
        );
    }
    let mut user_fields = Map::new();
    for (k, v) in &b.responses {
        let label = match k.as_str() {
            "notes" => "additional_notes".to_string(),
            other => other.to_string(),
        };
        let entry = json!({"label": label, "value": v, "isHidden": false});
        if k != "notes" {
            user_fields.insert(k.clone(), entry.clone());
        }
        responses.entry(k.clone()).or_insert(entry);
    }
    if let Some(r) = &b.rescheduling_reason
        && b.rescheduled_from_uid.is_some()
    {
        responses.insert(
            "rescheduleReason".into(),
            json!({"label": "reason_for_reschedule", "value": r, "isHidden": false}),
        );
    }

    let mut attendees = vec![json!({
        "email": b.attendee.email_or_placeholder(),
        "name": b.attendee.name,
        "firstName": first,
        "lastName": last,
        "timeZone": b.attendee.time_zone,
        "phoneNumber": b.attendee.phone,
        "language": {"locale": b.attendee.language},
        "utcOffset": utc_offset_minutes(&b.attendee.time_zone, b.start),
    })];
    for g in &b.guests {
        attendees.push(json!({
            "email": g,
            "name": "",
            "firstName": "",
            "lastName": "",
            "timeZone": b.attendee.time_zone,
            "language": {"locale": "en"},
            "utcOffset": utc_offset_minutes(&b.attendee.time_zone, b.start),
        }));
    }

    let mut p = Map::new();
    p.insert("type".into(), json!(slug));
    p.insert("title".into(), json!(b.title));
    p.insert("description".into(), json!(notes));
    p.insert("additionalNotes".into(), json!(notes));
    p.insert("customInputs".into(), json!({}));
    p.insert(
        "startTime".into(),
        json!(fmt_webhook_time(b.start, cancelled)),
    );
    p.insert("endTime".into(), json!(fmt_webhook_time(b.end, cancelled)));
    p.insert(
        "organizer".into(),
        json!({
            "id": st.me.id,
            "name": st.me.name,
            "email": st.me.email,
            "username": st.me.username,
            "usernameInOrg": st.me.username,
            "timeZone": st.me.time_zone,
            "language": {"locale": "en"},
            "timeFormat": "h:mma",
            "utcOffset": utc_offset_minutes(&st.me.time_zone, b.start),
        }),
    );
    p.insert("responses".into(), Value::Object(responses));
    p.insert("userFieldsResponses".into(), Value::Object(user_fields));
    p.insert("attendees".into(), Value::Array(attendees));
    p.insert("location".into(), json!(location));
    p.insert("destinationCalendar".into(), Value::Null);
    p.insert("hideCalendarNotes".into(), json!(false));
    p.insert("requiresConfirmation".into(), json!(false));
    p.insert("eventTypeId".into(), json!(b.event_type_id));
    p.insert("seatsShowAttendees".into(), json!(true));
    p.insert("seatsPerTimeSlot".into(), Value::Null);
    p.insert("seatsShowAvailabilityCount".into(), json!(true));
    p.insert("schedulingType".into(), Value::Null);
    p.insert("iCalUID".into(), json!(format!("{}@Cal.com", b.uid)));
    p.insert("iCalSequence".into(), json!(0));
    p.insert("uid".into(), json!(b.uid));
    p.insert("bookingId".into(), json!(b.id));
    if !cancelled {
        let mut metadata = Map::new();
        if b.location.is_none() {
            metadata.insert("videoCallUrl".into(), json!(b.video_url()));
        }
        for (k, v) in &b.metadata {
            metadata.insert(k.clone(), v.clone());
        }
        p.insert("metadata".into(), Value::Object(metadata));
    }
    p.insert("eventTitle".into(), json!(et.map(|e| e.title.clone())));
    p.insert("eventDescription".into(), Value::Null);
    p.insert("price".into(), json!(0));
    p.insert("currency".into(), json!("usd"));
    p.insert("length".into(), json!(length));
    p.insert("status".into(), json!(status));
    if let Some(phone) = &b.attendee.phone {
        p.insert("smsReminderNumber".into(), json!(phone));
    }
    p
}

pub(super) fn webhook_body(
    st: &State,
    trigger: &str,
    uid: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    let b = st.booking(uid)?;
    let live_status = if b.status == "cancelled" {
        "ACCEPTED".to_string()
    } else {
        b.status.to_uppercase()
    };
    let payload = match trigger {
        "BOOKING_CREATED" => base_payload(st, b, false, &live_status),
        "BOOKING_RESCHEDULED" => {
            let old = st.booking(b.rescheduled_from_uid.as_deref()?)?;
            let mut p = base_payload(st, b, false, &live_status);
            p.insert("rescheduleId".into(), json!(old.id));
            p.insert("rescheduleUid".into(), json!(old.uid));
            p.insert(
                "rescheduleStartTime".into(),
                json!(fmt_webhook_time(old.start, false)),
            );
            p.insert(
                "rescheduleEndTime".into(),
                json!(fmt_webhook_time(old.end, false)),
            );
            p.insert("rescheduledBy".into(), json!(b.rescheduled_by_email));
            p
        }
        "BOOKING_CANCELLED" => {
            let mut p = base_payload(st, b, true, "CANCELLED");
            p.insert("cancellationReason".into(), json!(b.cancellation_reason));
            p.insert(
                "cancelledBy".into(),
                json!(
                    b.cancelled_by_email
                        .clone()
                        .unwrap_or_else(|| st.me.email.clone())
                ),
            );
            p.insert("requestReschedule".into(), json!(false));
            p
        }
        _ => return None,
    };
    let envelope = json!({
        "triggerEvent": trigger,
        "createdAt": iso_ms(now),
        "payload": payload,
    });
    Some(envelope.to_string())
}

/// `X-Cal-Signature-256`: lowercase hex HMAC-SHA256 of the exact body, or `no-secret-provided`.
pub(super) fn sign(secret: Option<&str>, body: &str) -> String {
    match secret.filter(|s| !s.is_empty()) {
        Some(secret) => match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
            Ok(mut mac) => {
                mac.update(body.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => "no-secret-provided".to_string(),
        },
        None => "no-secret-provided".to_string(),
    }
}

impl Simulator {
    /// Adds an active user-level webhook subscription; returns its id.
    pub fn subscribe_webhook(&self, url: &str, secret: Option<&str>, triggers: &[&str]) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.lock().webhooks.push(WebhookSub {
            id: id.clone(),
            subscriber_url: url.to_string(),
            active: true,
            triggers: triggers.iter().map(|t| t.to_string()).collect(),
            payload_template: None,
            secret: secret.map(str::to_string),
        });
        id
    }

    /// Default true. When false, webhook events are generated and recorded (status `None`) but
    /// not sent, to simulate lost deliveries.
    pub fn set_webhook_delivery(&self, enabled: bool) {
        self.lock().webhook_delivery = enabled;
    }

    /// Webhook events recorded so far (sent ones are recorded when the attempt completes).
    pub fn delivered_webhooks(&self) -> Vec<DeliveredWebhook> {
        self.lock().delivered.clone()
    }

    /// Waits (polling) until at least `n` webhook events are recorded or `timeout` passes;
    /// returns what is recorded then.
    pub async fn wait_for_webhooks(&self, n: usize, timeout: Duration) -> Vec<DeliveredWebhook> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let delivered = self.delivered_webhooks();
            if delivered.len() >= n || tokio::time::Instant::now() >= deadline {
                return delivered;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The exact JSON body the simulator would send now for `trigger` (BOOKING_CREATED,
    /// BOOKING_RESCHEDULED — `booking_uid` is the new booking —, BOOKING_CANCELLED) and booking.
    pub fn webhook_payload(&self, trigger: &str, booking_uid: &str) -> Option<String> {
        let now = self.now();
        let st = self.lock();
        webhook_body(&st, trigger, booking_uid, now)
    }

    pub(super) fn http_client(&self) -> reqwest::Client {
        self.inner
            .http
            .get_or_init(|| {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap_or_default()
            })
            .clone()
    }

    pub(super) async fn deliver(&self, out: Outgoing) {
        let result = self
            .http_client()
            .post(&out.url)
            .header(header::CONTENT_TYPE, "application/json")
            .header("X-Cal-Signature-256", out.signature.as_str())
            .header("X-Cal-Webhook-Version", WEBHOOK_VERSION)
            .body(out.body.clone())
            .send()
            .await;
        let status = match result {
            Ok(resp) => Some(resp.status().as_u16()),
            Err(err) => {
                tracing::debug!(url = %out.url, error = %err, "simulated webhook delivery failed");
                None
            }
        };
        self.lock().delivered.push(DeliveredWebhook {
            url: out.url,
            trigger: out.trigger,
            body: out.body,
            signature: Some(out.signature),
            status,
        });
    }
}
