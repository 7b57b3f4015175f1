//! Unit tests of the simulator: slots, bookings, versions and auth, knobs, webhooks.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc, Weekday};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::*;
use crate::clock::Clock;

const KEY: &str = "cal_test_key";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid test timestamp")
        .with_timezone(&Utc)
}

struct Env {
    sim: Simulator,
    url: String,
    http: reqwest::Client,
    _handle: SimulatorHandle,
}

/// Simulator with a fixed clock at `now` and event type 7 ("30 Min Meeting", New York).
async fn env(now: &str) -> Env {
    let sim = Simulator::new(KEY, Clock::fixed(at(now)));
    sim.add_event_type(EventTypeSpec::new(
        7,
        "30 Min Meeting",
        30,
        chrono_tz::America::New_York,
    ));
    let handle = sim.spawn().await.expect("simulator binds");
    Env {
        sim,
        url: handle.url.clone(),
        http: reqwest::Client::new(),
        _handle: handle,
    }
}

impl Env {
    async fn get(&self, path: &str, version: Option<&str>) -> (u16, Value) {
        let mut req = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(KEY);
        if let Some(v) = version {
            req = req.header("cal-api-version", v);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(KEY)
            .header("cal-api-version", "2024-08-13")
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn slots(&self, query: &str) -> Value {
        let (status, body) = self
            .get(&format!("/v2/slots?{query}"), Some("2024-09-04"))
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    async fn book(&self, start: &str, email: &str) -> (u16, Value) {
        self.post(
            "/v2/bookings",
            json!({
                "start": start,
                "eventTypeId": 7,
                "attendee": {"name": "John Doe", "email": email,
                             "timeZone": "America/New_York", "phoneNumber": "+15551234567"},
                "metadata": {"voice_call_id": "c_1"},
                "bookingFieldsResponses": {"notes": "Booked by phone"}
            }),
        )
        .await
    }
}

fn starts(data: &Value, day: &str) -> Vec<String> {
    data[day]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|s| s["start"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn slots_date_only_bounds_are_utc_days() {
    let e = env("2026-09-01T00:00:00Z").await;
    let mut late = EventTypeSpec::new(8, "Evening", 30, chrono_tz::America::New_York);
    late.start_hour = 9;
    late.end_hour = 22;
    e.sim.add_event_type(late);

    // Date-only start/end = the whole UTC day 2026-09-15, i.e. 20:00 on the 14th to 19:59 on
    // the 15th in New York.
    let trap = e
        .slots("eventTypeId=8&start=2026-09-15&end=2026-09-15&timeZone=America/New_York")
        .await;
    let monday = starts(&trap, "2026-09-14");
    assert_eq!(
        monday,
        [
            "2026-09-14T20:00:00.000-04:00",
            "2026-09-14T20:30:00.000-04:00",
            "2026-09-14T21:00:00.000-04:00",
            "2026-09-14T21:30:00.000-04:00"
        ]
    );
    let tuesday = starts(&trap, "2026-09-15");
    assert_eq!(
        tuesday.first().map(String::as_str),
        Some("2026-09-15T09:00:00.000-04:00")
    );
    assert_eq!(
        tuesday.last().map(String::as_str),
        Some("2026-09-15T19:30:00.000-04:00")
    );

    // Explicit UTC bounds of the New York day give exactly that day.
    let right = e
        .slots("eventTypeId=8&start=2026-09-15T04:00:00Z&end=2026-09-16T03:59:59Z&timeZone=America/New_York")
        .await;
    let keys: Vec<&String> = right
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["2026-09-15"]);
    assert_eq!(starts(&right, "2026-09-15").len(), 26);

    // No timeZone: UTC strings and UTC date keys; format=range adds `end`.
    let utc = e
        .slots("eventTypeId=7&start=2026-09-15&end=2026-09-15&format=range")
        .await;
    assert_eq!(
        utc["2026-09-15"][0],
        json!({"start": "2026-09-15T13:00:00.000Z", "end": "2026-09-15T13:30:00.000Z"})
    );
    // Weekend: nothing.
    assert_eq!(
        e.slots("eventTypeId=7&start=2026-09-19&end=2026-09-20")
            .await,
        json!({})
    );
}

#[tokio::test]
async fn slots_follow_dst_transitions() {
    let e = env("2026-01-01T00:00:00Z").await;
    let mut spec = EventTypeSpec::new(9, "Hour", 60, chrono_tz::America::New_York);
    spec.weekdays = vec![Weekday::Sat, Weekday::Sun];
    e.sim.add_event_type(spec);
    let mut night = EventTypeSpec::new(10, "Night", 60, chrono_tz::America::New_York);
    night.weekdays = vec![Weekday::Sun];
    night.start_hour = 0;
    night.end_hour = 4;
    e.sim.add_event_type(night);

    // Spring forward (Sun 2026-03-08): 09:00 is EST the day before, EDT on the day.
    let spring = e
        .slots("eventTypeId=9&start=2026-03-07T00:00:00Z&end=2026-03-09T00:00:00Z")
        .await;
    assert_eq!(starts(&spring, "2026-03-07")[0], "2026-03-07T14:00:00.000Z");
    assert_eq!(starts(&spring, "2026-03-08")[0], "2026-03-08T13:00:00.000Z");
    let local = e
        .slots("eventTypeId=9&start=2026-03-08T00:00:00Z&end=2026-03-09T00:00:00Z&timeZone=America/New_York")
        .await;
    assert_eq!(
        starts(&local, "2026-03-08")[0],
        "2026-03-08T09:00:00.000-04:00"
    );
    // The nonexistent 02:00 is skipped.
    let gap = e
        .slots("eventTypeId=10&start=2026-03-08T00:00:00Z&end=2026-03-09T00:00:00Z")
        .await;
    assert_eq!(
        starts(&gap, "2026-03-08"),
        [
            "2026-03-08T05:00:00.000Z",
            "2026-03-08T06:00:00.000Z",
            "2026-03-08T07:00:00.000Z"
        ]
    );

    // Fall back (Sun 2026-11-01).
    let fall = e
        .slots("eventTypeId=9&start=2026-10-31T00:00:00Z&end=2026-11-02T00:00:00Z")
        .await;
    assert_eq!(starts(&fall, "2026-10-31")[0], "2026-10-31T13:00:00.000Z");
    assert_eq!(starts(&fall, "2026-11-01")[0], "2026-11-01T14:00:00.000Z");
    assert_eq!(starts(&fall, "2026-11-01").len(), 8);
    let ambiguous = e
        .slots("eventTypeId=10&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z&timeZone=America/New_York")
        .await;
    assert_eq!(
        starts(&ambiguous, "2026-11-01"),
        [
            "2026-11-01T00:00:00.000-04:00",
            "2026-11-01T01:00:00.000-04:00",
            "2026-11-01T02:00:00.000-05:00",
            "2026-11-01T03:00:00.000-05:00"
        ]
    );
}

#[tokio::test]
async fn booking_takes_the_slot_and_a_second_booking_gets_the_real_400() {
    let e = env("2026-09-01T00:00:00Z").await;
    let q = "eventTypeId=7&start=2026-09-15T00:00:00Z&end=2026-09-15T23:59:59Z";
    let before = starts(&e.slots(q).await, "2026-09-15");
    assert!(before.contains(&"2026-09-15T14:00:00.000Z".to_string()));

    // Offsets are accepted and stored as UTC.
    let (status, body) = e
        .book("2026-09-15T10:00:00-04:00", "john@example.com")
        .await;
    assert_eq!(status, 201, "{body}");
    let b = &body["data"];
    assert_eq!(body["status"], "success");
    assert_eq!(b["id"], 1001);
    assert_eq!(b["uid"].as_str().map(str::len), Some(22));
    assert_eq!(b["title"], "30 Min Meeting between Demo Owner and John Doe");
    assert_eq!(b["status"], "accepted");
    assert_eq!(b["start"], "2026-09-15T14:00:00.000Z");
    assert_eq!(b["end"], "2026-09-15T14:30:00.000Z");
    assert_eq!(b["duration"], 30);
    assert_eq!(b["eventType"], json!({"id": 7, "slug": "30-min-meeting"}));
    assert_eq!(b["hosts"][0]["email"], "owner@example.com");
    assert_eq!(b["cancellationReason"], "");
    assert_eq!(b["metadata"], json!({"voice_call_id": "c_1"}));
    assert_eq!(b["attendees"][0]["phoneNumber"], "+15551234567");
    assert_eq!(b["bookingFieldsResponses"]["notes"], "Booked by phone");
    assert_eq!(b["createdAt"], "2026-09-01T00:00:00.000Z");

    let after = starts(&e.slots(q).await, "2026-09-15");
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.contains(&"2026-09-15T14:00:00.000Z".to_string()));

    let (status, body) = e.book("2026-09-15T14:00:00Z", "jane@example.com").await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], "error");
    assert_eq!(body["path"], "/v2/bookings");
    assert_eq!(body["timestamp"], "2026-09-01T00:00:00.000Z");
    assert_eq!(
        body["error"],
        json!({"code": "BadRequestException",
               "message": "User either already has booking at this time or is not available",
               "details": {"message": "User either already has booking at this time or is not available",
                           "error": "Bad Request", "statusCode": 400}})
    );
    // Wrong minute, past, unknown event type, missing contact.
    let (status, _) = e.book("2026-09-15T14:10:00Z", "jane@example.com").await;
    assert_eq!(status, 400);
    let (_, body) = e.book("2026-08-31T14:00:00Z", "jane@example.com").await;
    assert_eq!(
        body["error"]["message"],
        "Attempting to book a meeting in the past."
    );
    let (status, body) = e
        .post(
            "/v2/bookings",
            json!({"start": "2026-09-15T15:00:00Z", "eventTypeId": 99,
                   "attendee": {"name": "A", "email": "a@example.com", "timeZone": "UTC"}}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].clone()),
        (404, json!("Event type with id 99 not found."))
    );
    let (status, body) = e
        .post(
            "/v2/bookings",
            json!({"start": "2026-09-15T15:00:00Z", "eventTypeId": 7,
                   "attendee": {"name": "A", "timeZone": "UTC"}}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Attendee must have at least one contact method (email or phone number)"
    );
    assert_eq!(e.sim.bookings().len(), 1);

    // List with filters and pagination.
    let (status, list) = e
        .get(
            "/v2/bookings?attendeeEmail=john@example.com&status=upcoming&take=1",
            Some("2024-08-13"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["pagination"]["totalItems"], 1);
    assert_eq!(list["pagination"]["hasNextPage"], false);
    let (_, list) = e
        .get(
            "/v2/bookings?attendeeEmail=John@example.com",
            Some("2024-08-13"),
        )
        .await;
    assert_eq!(list["pagination"]["totalItems"], 0);
}

#[tokio::test]
async fn reschedule_creates_new_uid_and_cancels_old() {
    let e = env("2026-09-01T00:00:00Z").await;
    let (_, created) = e.book("2026-09-15T14:00:00Z", "john@example.com").await;
    let old_uid = created["data"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // Moving within its own slot range: the old time counts as free.
    let (status, body) = e
        .post(
            &format!("/v2/bookings/{old_uid}/reschedule"),
            json!({"start": "2026-09-15T14:00:00Z", "reschedulingReason": "moved"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let new_uid = body["data"]["uid"].as_str().unwrap_or_default().to_string();
    assert_ne!(new_uid, old_uid);
    assert_eq!(body["data"]["rescheduledFromUid"], old_uid.as_str());
    assert_eq!(body["data"]["status"], "accepted");
    assert_eq!(body["data"]["id"], 1002);

    let (_, old) = e
        .get(&format!("/v2/bookings/{old_uid}"), Some("2024-08-13"))
        .await;
    assert_eq!(old["data"]["status"], "cancelled");
    assert_eq!(old["data"]["rescheduledToUid"], new_uid.as_str());

    let (status, body) = e
        .post(
            &format!("/v2/bookings/{old_uid}/reschedule"),
            json!({"start": "2026-09-15T16:00:00Z"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("rescheduled")
    );
    let (status, body) = e
        .post(
            "/v2/bookings/nope/reschedule",
            json!({"start": "2026-09-15T16:00:00Z"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["error"]["message"],
        "Booking with uid=nope was not found in the database"
    );
}

#[tokio::test]
async fn cancel_twice_is_400() {
    let e = env("2026-09-01T00:00:00Z").await;
    let (_, created) = e.book("2026-09-15T14:00:00Z", "john@example.com").await;
    let uid = created["data"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/v2/bookings/{uid}/cancel");
    let (status, body) = e.post(&path, json!({"cancellationReason": "sick"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "cancelled");
    assert_eq!(body["data"]["cancellationReason"], "sick");
    let (status, body) = e.post(&path, json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "This booking has already been cancelled."
    );
    // The slot is free again.
    let data = e
        .slots("eventTypeId=7&start=2026-09-15T14:00:00Z&end=2026-09-15T14:00:00Z")
        .await;
    assert_eq!(starts(&data, "2026-09-15"), ["2026-09-15T14:00:00.000Z"]);
}

#[tokio::test]
async fn version_and_auth_rules() {
    let e = env("2026-09-01T00:00:00Z").await;
    let q = "/v2/slots?eventTypeId=7&start=2026-09-15&end=2026-09-15";
    for version in [None, Some("2024-08-13")] {
        let (status, body) = e.get(q, version).await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "NotFoundException");
        assert_eq!(body["error"]["message"], format!("Cannot GET {q}"));
    }
    let (status, _) = e.get("/v2/bookings", None).await;
    assert_eq!(status, 400);
    let (status, _) = e.get("/v2/me", None).await;
    assert_eq!(status, 200);

    for auth in [None, Some("Bearer wrong")] {
        let mut req = e.http.get(format!("{}/v2/me", e.url));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.expect("request");
        assert_eq!(resp.status().as_u16(), 401);
        assert!(resp.headers().contains_key("x-ratelimit-remaining-default"));
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "UnauthorizedException");
        assert_eq!(
            body["error"]["message"],
            "ApiAuthStrategy - api key - Invalid API Key"
        );
        assert_eq!(body["path"], "/v2/me");
    }
    let (_, me) = e.get("/v2/me", None).await;
    assert_eq!(me["data"]["email"], "owner@example.com");
    assert_eq!(me["data"]["timeZone"], "America/New_York");
    assert_eq!(e.sim.request_count(), 7);
}

#[tokio::test]
async fn knob_failure_changes_nothing_then_success() {
    let e = env("2026-09-01T00:00:00Z").await;
    e.sim.fail_next(1, 500);
    let (status, body) = e.book("2026-09-15T14:00:00Z", "john@example.com").await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        json!({"statusCode": 500, "message": "Internal server error"})
    );
    assert!(e.sim.bookings().is_empty());
    let (status, _) = e.book("2026-09-15T14:00:00Z", "john@example.com").await;
    assert_eq!(status, 201);
    assert_eq!(e.sim.requests().len(), 2);

    e.sim.fail_next(1, 503);
    let resp = e
        .http
        .get(format!("{}/v2/me", e.url))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 503);

    e.sim.set_rate_limit(Some(1));
    assert_eq!(e.get("/v2/me", None).await.0, 200);
    let (status, body) = e.get("/v2/me", None).await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["code"], "ThrottlerException");
    e.sim.inner.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(e.get("/v2/me", None).await.0, 200);

    e.sim.hang_next(1, Duration::from_millis(150));
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .expect("client");
    let timed_out = quick
        .get(format!("{}/v2/me", e.url))
        .bearer_auth(KEY)
        .send()
        .await;
    assert!(timed_out.is_err());
}

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, Bytes)>>>);

async fn receiver() -> (String, Received) {
    let received = Received::default();
    let store = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                store.0.lock().expect("lock").push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/hook"), received)
}

#[tokio::test]
async fn webhooks_are_signed_over_the_exact_body() {
    let e = env("2026-09-01T00:00:00Z").await;
    let (hook_url, received) = receiver().await;
    e.sim.subscribe_webhook(
        &hook_url,
        Some("s3cret"),
        &[
            "BOOKING_CREATED",
            "BOOKING_CANCELLED",
            "BOOKING_RESCHEDULED",
        ],
    );
    let (_, created) = e.book("2026-09-15T14:00:00Z", "john@example.com").await;
    let uid = created["data"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let delivered = e.sim.wait_for_webhooks(1, Duration::from_secs(2)).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].status, Some(200));

    let (headers, body) = received.0.lock().expect("lock")[0].clone();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"s3cret").expect("key");
    mac.update(&body);
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(
        headers
            .get("x-cal-signature-256")
            .and_then(|v| v.to_str().ok()),
        Some(expected.as_str())
    );
    assert_eq!(
        headers
            .get("x-cal-webhook-version")
            .and_then(|v| v.to_str().ok()),
        Some("2021-10-20")
    );
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let text = String::from_utf8(body.to_vec()).expect("utf8");
    assert_eq!(
        e.sim.webhook_payload("BOOKING_CREATED", &uid).as_deref(),
        Some(text.as_str())
    );
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(v["createdAt"], "2026-09-01T00:00:00.000Z");
    let p = &v["payload"];
    assert_eq!(p["uid"], uid.as_str());
    assert_eq!(p["bookingId"], 1001);
    assert_eq!(p["type"], "30-min-meeting");
    assert_eq!(p["startTime"], "2026-09-15T14:00:00Z");
    assert_eq!(p["status"], "ACCEPTED");
    assert_eq!(p["metadata"]["voice_call_id"], "c_1");
    assert_eq!(p["attendees"][0]["firstName"], "John");
    assert_eq!(p["attendees"][0]["utcOffset"], -240);
    assert_eq!(p["organizer"]["username"], "owner");
    assert_eq!(
        p["responses"]["attendeePhoneNumber"]["value"],
        "+15551234567"
    );

    // Cancel: `+00:00` times, no metadata.
    e.post(
        &format!("/v2/bookings/{uid}/cancel"),
        json!({"cancellationReason": "sick"}),
    )
    .await;
    let delivered = e.sim.wait_for_webhooks(2, Duration::from_secs(2)).await;
    let cancelled: Value = serde_json::from_str(&delivered[1].body).expect("json");
    assert_eq!(cancelled["triggerEvent"], "BOOKING_CANCELLED");
    assert_eq!(
        cancelled["payload"]["startTime"],
        "2026-09-15T14:00:00+00:00"
    );
    assert_eq!(cancelled["payload"]["cancellationReason"], "sick");
    assert_eq!(cancelled["payload"]["requestReschedule"], false);
    assert!(cancelled["payload"].get("metadata").is_none());

    // Delivery disabled: recorded, not sent; no secret → sentinel signature.
    e.sim.set_webhook_delivery(false);
    e.sim
        .subscribe_webhook("http://127.0.0.1:9/none", None, &["BOOKING_CREATED"]);
    e.book("2026-09-15T15:00:00Z", "john@example.com").await;
    let delivered = e.sim.delivered_webhooks();
    assert_eq!(delivered.len(), 4);
    assert!(delivered[2..].iter().all(|d| d.status.is_none()));
    assert!(
        delivered
            .iter()
            .any(|d| d.signature.as_deref() == Some("no-secret-provided"))
    );
    assert_eq!(received.0.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn webhook_subscription_api() {
    let e = env("2026-09-01T00:00:00Z").await;
    let body = json!({"subscriberUrl": "https://example.com/hook", "active": true,
                      "triggers": ["BOOKING_CREATED"], "secret": "x"});
    let (status, created) = e.post("/v2/webhooks", body.clone()).await;
    assert_eq!(status, 201, "{created}");
    assert!(created["data"]["id"].is_string());
    assert_eq!(created["data"]["userId"], 1);
    let (status, dup) = e.post("/v2/webhooks", body).await;
    assert_eq!(status, 409);
    assert_eq!(dup["error"]["code"], "ConflictException");
    let (_, list) = e.get("/v2/webhooks", None).await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));

    e.sim.add_organization(5);
    let (status, user) = e
        .post(
            "/v2/organizations/5/users",
            json!({"email": "new@example.com"}),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["data"]["organizationId"], 5);
    let (status, _) = e
        .post(
            "/v2/organizations/5/users",
            json!({"email": "new@example.com"}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = e
        .post(
            "/v2/organizations/6/users",
            json!({"email": "x@example.com"}),
        )
        .await;
    assert_eq!(status, 403);
    let (_, users) = e
        .get(
            "/v2/organizations/5/users?emails=new@example.com,owner@example.com",
            None,
        )
        .await;
    assert_eq!(users["data"].as_array().map(Vec::len), Some(2));
    let (status, ets) = e.get("/v2/event-types", Some("2024-06-14")).await;
    assert_eq!(status, 200);
    assert_eq!(ets["data"][0]["lengthInMinutes"], 30);
}
