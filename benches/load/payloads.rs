//! What the benchmark sends: VAPI `tool-calls` messages, signed Cal.com webhooks made from the
//! simulator's own payloads, free slots for bookings, and bulk data for the growth runs.

use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use chrono::{Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use vapi_cal::{
    calcom::webhook,
    cli::demo,
    clock::Clock,
    db::{Db, tool_invocations::ToolInvocation},
    domain::local_time::local_today,
    simulator::Simulator,
};

/// The business zone of the simulator's demo seed and of the server.
pub const ZONE: &str = "America/New_York";
/// The caller every tool call comes from (the demo seed's caller, who has two appointments).
pub const CALLER: &str = demo::DEMO_CALLER;

/// Tool-call messages a bench call carries: message `seq` belongs to call `seq / CALL_MESSAGES`.
pub const CALL_MESSAGES: u64 = 4;

/// The call message `seq` belongs to.
pub fn call_of(seq: u64) -> u64 {
    seq / CALL_MESSAGES
}

/// A VAPI `tool-calls` message with one call (as VAPI sends it, minus the conversation so far),
/// from [`CALLER`], or from the `attendeePhone` the arguments name: a caller books only under the
/// number they call from, so a booking for someone else comes from their number.
pub fn tool_message(seq: u64, tool: &str, arguments: &Value) -> String {
    let mut arguments = arguments.clone();
    let caller = arguments
        .as_object_mut()
        .and_then(|args| args.remove("attendeePhone"))
        .and_then(|phone| phone.as_str().map(str::to_owned))
        .unwrap_or_else(|| CALLER.to_owned());
    // Every message of the run gets its own tool-call id: phases restart `seq`, and a repeated
    // id of a write tool would be answered from its claim instead of reaching Cal.com.
    static SENT: AtomicU64 = AtomicU64::new(0);
    let unique = SENT.fetch_add(1, Ordering::Relaxed);
    json!({"message": {
        "type": "tool-calls",
        "call": {"id": format!("bench-call-{}", call_of(seq))},
        "customer": {"number": caller},
        "toolCallList": [{
            "id": format!("bench-{tool}-{unique}-{}", std::process::id()),
            "type": "function",
            "function": {"name": tool, "arguments": arguments}
        }]
    }})
    .to_string()
}

fn zone() -> Tz {
    ZONE.parse().unwrap_or(chrono_tz::America::New_York)
}

/// Hands out distinct bookable slots of the demo type (30 min, 9:00–17:00 every day) from the
/// day after tomorrow on, so concurrent bookings never collide.
pub struct Slots {
    next: AtomicU64,
}

impl Slots {
    pub fn new() -> Self {
        Self {
            next: AtomicU64::new(0),
        }
    }

    /// The next free slot as local wall time (what a caller says) and as a UTC instant.
    pub fn take(&self) -> (String, String) {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        let tz = zone();
        let day = local_today(Utc::now(), tz) + Duration::days(2 + (k / 16) as i64);
        let minute = 9 * 60 + (k % 16) as u32 * 30;
        let local = day.and_time(
            NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN),
        );
        let utc = vapi_cal::domain::local_time::local_to_utc(local, tz)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S.000Z").to_string())
            .unwrap_or_default();
        (local.format("%Y-%m-%dT%H:%M").to_string(), utc)
    }
}

/// Cal.com webhook bodies for the create / reschedule / cancel mix, taken from the simulator
/// (the same payload code that feeds the end-to-end tests), with placeholders for uids.
pub struct WebhookTemplates {
    created: String,
    rescheduled: String,
    cancelled: String,
    secret: String,
}

impl WebhookTemplates {
    /// Builds the templates with an in-process simulator (one real reschedule over loopback).
    pub async fn new(secret: &str) -> anyhow::Result<Self> {
        let clock = Clock::system();
        let sim = Simulator::new("bench-key", clock.clone());
        demo::seed(&sim, zone(), &clock);
        let handle = sim.spawn().await?;
        let old_uid = demo::DEMO_MOVE_UID.to_owned();
        let (_, new_start) = Slots::new().take();
        let moved: Value = reqwest::Client::new()
            .post(format!("{}/v2/bookings/{old_uid}/reschedule", handle.url))
            .bearer_auth("bench-key")
            .header("cal-api-version", "2024-08-13")
            .json(&json!({"start": new_start, "reschedulingReason": "bench"}))
            .send()
            .await?
            .json()
            .await?;
        handle.shutdown().await;
        let new_uid = moved["data"]["uid"]
            .as_str()
            .context("the simulator did not reschedule")?
            .to_owned();
        let get = |trigger: &str, uid: &str| {
            sim.webhook_payload(trigger, uid)
                .with_context(|| format!("no {trigger} payload"))
        };
        Ok(Self {
            created: get("BOOKING_CREATED", demo::DEMO_CANCEL_UID)?
                .replace(demo::DEMO_CANCEL_UID, "@UID@"),
            rescheduled: get("BOOKING_RESCHEDULED", &new_uid)?
                .replace(&new_uid, "@UID@")
                .replace(&old_uid, "@OLD@"),
            cancelled: get("BOOKING_CANCELLED", demo::DEMO_CANCEL_UID)?
                .replace(demo::DEMO_CANCEL_UID, "@UID@"),
            secret: secret.to_owned(),
        })
    }

    /// Delivery `seq` of the mix: a booking is created, moved, then the moved one cancelled.
    /// `run` keeps uids of different runs apart; `phone` is the attendee's number.
    pub fn body(&self, run: &str, seq: u64, phone: &str) -> String {
        let k = seq / 3;
        let body = match seq % 3 {
            0 => self.created.replace("@UID@", &format!("bench{run}c{k}")),
            1 => self
                .rescheduled
                .replace("@UID@", &format!("bench{run}r{k}"))
                .replace("@OLD@", &format!("bench{run}c{k}")),
            _ => self.cancelled.replace("@UID@", &format!("bench{run}r{k}")),
        };
        body.replace(CALLER, phone)
    }

    /// A newly created booking for someone else (growth data).
    pub fn created_for(&self, uid: &str, phone: &str) -> String {
        self.created.replace("@UID@", uid).replace(CALLER, phone)
    }

    /// `X-Cal-Signature-256` of a body.
    pub fn sign(&self, body: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes any key length");
        mac.update(body.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A phone number unique to `n` (other callers, so the benchmark caller's reads stay small).
pub fn other_phone(n: u64) -> String {
    format!("+1202{:07}", n % 10_000_000)
}

/// Stores appointments of other callers until the table holds about `target` rows, through the
/// same parse-and-merge path a webhook takes (without HTTP), in large transactions.
pub async fn grow_appointments(
    db: &Db,
    templates: &WebhookTemplates,
    from: u64,
    target: u64,
) -> anyhow::Result<()> {
    let mut n = from;
    while n < target {
        let end = (n + 2_000).min(target);
        let mut observations = Vec::new();
        for i in n..end {
            let body = templates.created_for(&format!("grow{i}"), &other_phone(i));
            observations.extend(webhook::parse_delivery(body.as_bytes())?.observations);
        }
        db.apply_observations(None, observations, Utc::now())
            .await?;
        n = end;
    }
    Ok(())
}

/// Adds `rows` answered tool calls to the tool-call log, in large batches.
pub async fn grow_tool_log(db: &Db, rows: u64) -> anyhow::Result<()> {
    let mut n = 0;
    while n < rows {
        let end = (n + 5_000).min(rows);
        let batch: Vec<ToolInvocation> = (n..end)
            .map(|i| ToolInvocation {
                call_id: Some(format!("grow-call-{}", i / 4)),
                caller_number: None,
                tool_call_id: format!("grow-{i}"),
                tool: "availability_read".to_owned(),
                arguments: r#"{"date":"tomorrow"}"#.to_owned(),
                result: Some(r#"{"summary":"Open times on Tuesday."}"#.to_owned()),
                error: None,
                failure: None,
                latency_ms: 3,
                created_at: Utc::now(),
            })
            .collect();
        db.record_tool_invocations(&batch).await?;
        n = end;
    }
    Ok(())
}
