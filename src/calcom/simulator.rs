//! In-process Cal.com API v2 simulator.
//!
//! An axum server implementing the subset of Cal.com API v2 the client uses (bookings 2024-08-13,
//! slots 2024-09-04, event types 2024-06-14, `/v2/me`, organization users, webhook subscriptions),
//! with the real wire shapes: Bearer auth, `cal-api-version` routing, `{status,data,pagination}`
//! envelopes, Nest-style error bodies and `X-RateLimit-*-Default` headers. It is stateful (all in
//! memory), has knobs for latency, failures, hangs and rate limits, and delivers signed Cal.com
//! webhooks (version 2021-10-20 payloads) to subscribed URLs.
//!
//! Used by the `demo` command, integration tests (one simulator per test on `127.0.0.1:0`) and
//! benchmarks. "Now" always comes from [`Clock`], so tests can pin it.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::clock::Clock;

const VERSION_BOOKINGS: &str = "2024-08-13";
const VERSION_SLOTS: &str = "2024-09-04";
const VERSION_EVENT_TYPES: &str = "2024-06-14";
const WEBHOOK_VERSION: &str = "2021-10-20";
const NOMINAL_RATE_LIMIT: u32 = 120;
const MSG_NOT_AVAILABLE: &str = "User either already has booking at this time or is not available";
const MSG_PAST: &str = "Attempting to book a meeting in the past.";
const MSG_NOTICE: &str = "The event type can't be booked at the \"start\" time provided. This could be because it's too soon (violating the minimum booking notice) or too far in the future (outside the event's scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with \"start\" time equal to one of the available slots.";
const MSG_THROTTLED: &str = "CustomThrottlerGuard - Too many requests. Please try again later.";
const WEBHOOK_TRIGGERS: &[&str] = &[
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

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// An event type the simulated owner offers, with a simple weekly schedule.
#[derive(Clone, Debug)]
pub struct EventTypeSpec {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub length_minutes: i64,
    /// The host's schedule zone.
    pub time_zone: Tz,
    /// Days with working hours.
    pub weekdays: Vec<Weekday>,
    /// Working hours `[start_hour, end_hour)` local time in `time_zone`.
    pub start_hour: u32,
    pub end_hour: u32,
    pub minimum_notice_minutes: i64,
}

impl EventTypeSpec {
    /// Mon–Fri 9–17, no minimum notice, slug derived from the title.
    pub fn new(id: i64, title: &str, length_minutes: i64, time_zone: Tz) -> Self {
        Self {
            id,
            slug: slugify(title),
            title: title.to_string(),
            length_minutes,
            time_zone,
            weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            start_hour: 9,
            end_hour: 17,
            minimum_notice_minutes: 0,
        }
    }
}

/// A booking inserted directly into the simulator's state (accepted, no webhook).
#[derive(Clone, Debug)]
pub struct SeedBooking {
    pub uid: String,
    pub event_type_id: i64,
    pub start: DateTime<Utc>,
    pub attendee_name: String,
    pub attendee_email: Option<String>,
    pub attendee_phone: Option<String>,
    pub attendee_time_zone: String,
}

/// One HTTP request the simulator received (header names lower-case).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// One webhook event: sent (status = response status, `None` on a network error) or, with
/// delivery disabled, generated but not sent (status `None`).
#[derive(Clone, Debug)]
pub struct DeliveredWebhook {
    pub url: String,
    pub trigger: String,
    pub body: String,
    pub signature: Option<String>,
    pub status: Option<u16>,
}

/// A running simulator server.
pub struct SimulatorHandle {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    pub addr: std::net::SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    join: tokio::task::JoinHandle<()>,
}

impl SimulatorHandle {
    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.join).await;
    }
}

/// The Cal.com API v2 simulator. Cheap to clone; all clones share state.
#[derive(Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

struct Inner {
    api_key: String,
    clock: Clock,
    state: Mutex<State>,
    http: OnceLock<reqwest::Client>,
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Me {
    id: i64,
    username: String,
    email: String,
    name: String,
    time_zone: String,
}

#[derive(Clone, Debug)]
struct Attendee {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    time_zone: String,
    language: String,
}

impl Attendee {
    /// Cal.com fills phone-only bookings with a `<digits>@sms.cal.com` placeholder email.
    fn email_or_placeholder(&self) -> String {
        match (&self.email, &self.phone) {
            (Some(e), _) => e.clone(),
            (None, Some(p)) => {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                format!("{digits}@sms.cal.com")
            }
            (None, None) => String::new(),
        }
    }
}

#[derive(Clone, Debug)]
struct Booking {
    id: i64,
    uid: String,
    event_type_id: i64,
    title: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Lower-case API status: accepted | cancelled | pending | rejected.
    status: String,
    attendee: Attendee,
    guests: Vec<String>,
    metadata: Map<String, Value>,
    /// Extra booking field responses (notes, custom fields…).
    responses: Map<String, Value>,
    /// `None` = Cal Video (location is the video URL).
    location: Option<String>,
    cancellation_reason: Option<String>,
    cancelled_by_email: Option<String>,
    rescheduling_reason: Option<String>,
    rescheduled_by_email: Option<String>,
    rescheduled_from_uid: Option<String>,
    rescheduled_to_uid: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Booking {
    fn is_active(&self) -> bool {
        self.status == "accepted" || self.status == "pending"
    }

    fn video_url(&self) -> String {
        format!("https://app.cal.com/video/{}", self.uid)
    }

    /// What the API and webhooks show as `location`.
    fn shown_location(&self) -> String {
        self.location.clone().unwrap_or_else(|| self.video_url())
    }
}

#[derive(Clone, Debug)]
struct OrgUser {
    id: i64,
    org_id: i64,
    email: String,
    username: Option<String>,
    name: Option<String>,
    time_zone: String,
    locale: String,
    time_format: i64,
    week_start: String,
    created: DateTime<Utc>,
}

#[derive(Clone, Debug)]
struct WebhookSub {
    id: String,
    subscriber_url: String,
    active: bool,
    triggers: Vec<String>,
    payload_template: Option<String>,
    secret: Option<String>,
}

#[derive(Default)]
struct RateWindow {
    start: Option<DateTime<Utc>>,
    count: u32,
    blocked_until: Option<DateTime<Utc>>,
}

struct State {
    me: Me,
    event_types: Vec<EventTypeSpec>,
    bookings: Vec<Booking>,
    next_booking_id: i64,
    orgs: Vec<i64>,
    org_users: Vec<OrgUser>,
    next_user_id: i64,
    webhooks: Vec<WebhookSub>,
    webhook_delivery: bool,
    delivered: Vec<DeliveredWebhook>,
    latency: Duration,
    fail_remaining: usize,
    fail_status: u16,
    hang_remaining: usize,
    hang_duration: Duration,
    drop_remaining: usize,
    rate_limit: Option<u32>,
    rate: RateWindow,
    requests: Vec<RecordedRequest>,
}

impl State {
    fn booking(&self, uid: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.uid == uid)
    }

    fn booking_mut(&mut self, uid: &str) -> Option<&mut Booking> {
        self.bookings.iter_mut().find(|b| b.uid == uid)
    }

    fn event_type(&self, id: i64) -> Option<&EventTypeSpec> {
        self.event_types.iter().find(|e| e.id == id)
    }

    fn title_for(&self, event_type_id: i64, attendee_name: &str) -> String {
        let et_title = self
            .event_type(event_type_id)
            .map(|e| e.title.clone())
            .unwrap_or_else(|| "Meeting".to_string());
        format!("{et_title} between {} and {attendee_name}", self.me.name)
    }

    fn next_id(&mut self) -> i64 {
        let id = self.next_booking_id;
        self.next_booking_id += 1;
        id
    }

    /// Open slots `(start, end)` of an event type whose start lies in `[from, to]`.
    fn open_slots(
        &self,
        et: &EventTypeSpec,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
        ignore_uid: Option<&str>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let busy: Vec<(DateTime<Utc>, DateTime<Utc>)> = self
            .bookings
            .iter()
            .filter(|b| b.event_type_id == et.id && b.is_active())
            .filter(|b| ignore_uid != Some(b.uid.as_str()))
            .map(|b| (b.start, b.end))
            .collect();
        let earliest = now + chrono::Duration::minutes(et.minimum_notice_minutes);
        candidate_slots(et, from, to)
            .into_iter()
            .filter(|(s, e)| *s >= earliest && !busy.iter().any(|(bs, be)| bs < e && be > s))
            .collect()
    }

    fn is_open_slot(
        &self,
        et: &EventTypeSpec,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        ignore_uid: Option<&str>,
    ) -> bool {
        self.open_slots(et, start, start, now, ignore_uid)
            .iter()
            .any(|(s, _)| *s == start)
    }

    fn org_has_email(&self, email: &str) -> bool {
        self.me.email.eq_ignore_ascii_case(email)
            || self
                .org_users
                .iter()
                .any(|u| u.email.eq_ignore_ascii_case(email))
    }
}

/// All schedule slots (ignoring bookings and notice) whose start lies in `[from, to]`.
fn candidate_slots(
    et: &EventTypeSpec,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    if et.length_minutes <= 0 || to < from {
        return out;
    }
    let tz = et.time_zone;
    let len = chrono::Duration::minutes(et.length_minutes);
    let first = from.with_timezone(&tz).date_naive() - chrono::Duration::days(1);
    let last = to.with_timezone(&tz).date_naive() + chrono::Duration::days(1);
    // Guard against absurd ranges (a decade of slots is not useful to anyone).
    let last = last.min(first + chrono::Duration::days(1500));
    let day_start = i64::from(et.start_hour) * 60;
    let day_end = i64::from(et.end_hour.min(24)) * 60;
    let mut date = first;
    while date <= last {
        if et.weekdays.contains(&date.weekday()) {
            let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
            let mut minute = day_start;
            while minute + et.length_minutes <= day_end {
                let local = midnight + chrono::Duration::minutes(minute);
                // Nonexistent local times (spring-forward gap) are skipped; ambiguous ones take
                // the earlier instant.
                if let Some(start) = tz.from_local_datetime(&local).earliest() {
                    let start = start.with_timezone(&Utc);
                    if start >= from && start <= to {
                        out.push((start, start + len));
                    }
                }
                minute += et.length_minutes;
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Simulator API
// ---------------------------------------------------------------------------------------------

impl Simulator {
    /// A simulator accepting `Authorization: Bearer <api_key>`. "Me" is user 1, `owner`,
    /// `owner@example.com`, "Demo Owner", America/New_York.
    pub fn new(api_key: impl Into<String>, clock: Clock) -> Self {
        let state = State {
            me: Me {
                id: 1,
                username: "owner".to_string(),
                email: "owner@example.com".to_string(),
                name: "Demo Owner".to_string(),
                time_zone: "America/New_York".to_string(),
            },
            event_types: Vec::new(),
            bookings: Vec::new(),
            next_booking_id: 1001,
            orgs: Vec::new(),
            org_users: Vec::new(),
            next_user_id: 2,
            webhooks: Vec::new(),
            webhook_delivery: true,
            delivered: Vec::new(),
            latency: Duration::ZERO,
            fail_remaining: 0,
            fail_status: 500,
            hang_remaining: 0,
            hang_duration: Duration::ZERO,
            drop_remaining: 0,
            rate_limit: None,
            rate: RateWindow::default(),
            requests: Vec::new(),
        };
        Self {
            inner: Arc::new(Inner {
                api_key: api_key.into(),
                clock,
                state: Mutex::new(state),
                http: OnceLock::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// Changes the owner's name, email and time zone (user id and username stay).
    pub fn set_me(&self, name: &str, email: &str, time_zone: &str) {
        let mut st = self.lock();
        st.me.name = name.to_string();
        st.me.email = email.to_string();
        st.me.time_zone = time_zone.to_string();
    }

    /// Adds (or replaces, by id) an event type.
    pub fn add_event_type(&self, spec: EventTypeSpec) {
        let mut st = self.lock();
        st.event_types.retain(|e| e.id != spec.id);
        st.event_types.push(spec);
    }

    /// Enables `/v2/organizations/{org_id}/users`; the owner is a member.
    pub fn add_organization(&self, org_id: i64) {
        let mut st = self.lock();
        if !st.orgs.contains(&org_id) {
            st.orgs.push(org_id);
        }
    }

    /// Inserts an accepted booking without sending a webhook and without availability checks.
    pub fn seed_booking(&self, seed: SeedBooking) {
        let now = self.now();
        let mut st = self.lock();
        let length = st
            .event_type(seed.event_type_id)
            .map(|e| e.length_minutes)
            .unwrap_or(30);
        let id = st.next_id();
        let title = st.title_for(seed.event_type_id, &seed.attendee_name);
        st.bookings.retain(|b| b.uid != seed.uid);
        st.bookings.push(Booking {
            id,
            uid: seed.uid,
            event_type_id: seed.event_type_id,
            title,
            start: seed.start,
            end: seed.start + chrono::Duration::minutes(length),
            status: "accepted".to_string(),
            attendee: Attendee {
                name: seed.attendee_name,
                email: seed.attendee_email,
                phone: seed.attendee_phone,
                time_zone: seed.attendee_time_zone,
                language: "en".to_string(),
            },
            guests: Vec::new(),
            metadata: Map::new(),
            responses: Map::new(),
            location: None,
            cancellation_reason: None,
            cancelled_by_email: None,
            rescheduling_reason: None,
            rescheduled_by_email: None,
            rescheduled_from_uid: None,
            rescheduled_to_uid: None,
            created_at: now,
            updated_at: now,
        });
    }

    /// The axum router serving the simulated API (every path goes through one dispatcher so
    /// unknown routes and methods answer like Nest: 404 `Cannot METHOD /path`).
    pub fn router(&self) -> Router {
        Router::new().fallback(entry).with_state(self.clone())
    }

    /// Binds `127.0.0.1:0` and serves the router in a tokio task.
    pub async fn spawn(&self) -> std::io::Result<SimulatorHandle> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = self.router();
        let join = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(err) = served {
                tracing::warn!(error = %err, "calcom simulator server stopped");
            }
        });
        Ok(SimulatorHandle {
            url: format!("http://{addr}"),
            addr,
            shutdown: Some(tx),
            join,
        })
    }

    /// Latency added to every response.
    pub fn set_latency(&self, d: Duration) {
        self.lock().latency = d;
    }

    /// The next `n` requests answer `status` with a real-shaped error body and change nothing.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut st = self.lock();
        st.fail_remaining = n;
        st.fail_status = status;
    }

    /// The next `n` requests are processed normally but wait `d` before the response is sent
    /// (like a slow upstream: the client may time out although the change happened).
    pub fn hang_next(&self, n: usize, d: Duration) {
        let mut st = self.lock();
        st.hang_remaining = n;
        st.hang_duration = d;
    }

    /// The next `n` requests are processed normally, then the connection is dropped in the middle
    /// of the answer (the client sees a broken connection although the change happened).
    pub fn drop_next(&self, n: usize) {
        self.lock().drop_remaining = n;
    }

    /// `None` = unlimited (default). `Some(n)`: after `n` requests within a 60 s window (measured
    /// with the simulator's [`Clock`]) requests get 429 ThrottlerException for 60 s.
    pub fn set_rate_limit(&self, per_minute: Option<u32>) {
        let mut st = self.lock();
        st.rate_limit = per_minute;
        st.rate = RateWindow::default();
    }

    /// Every request received, in order (knob-failed ones too).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Current bookings as `BookingOutput_2024_08_13` JSON, in creation order.
    pub fn bookings(&self) -> Vec<Value> {
        let st = self.lock();
        st.bookings.iter().map(|b| booking_json(&st, b)).collect()
    }

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

    fn http_client(&self) -> reqwest::Client {
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
}

// ---------------------------------------------------------------------------------------------
// Request pipeline
// ---------------------------------------------------------------------------------------------

/// A webhook to send after the response is produced.
struct Outgoing {
    url: String,
    trigger: String,
    body: String,
    signature: String,
}

/// What a request produced: the response, extra delay, webhooks to send.
struct Processed {
    response: Response,
    delay: Duration,
    outgoing: Vec<Outgoing>,
    dropped: bool,
}

struct Ctx<'a> {
    now: DateTime<Utc>,
    method: &'a str,
    path_q: String,
    query: Vec<(String, String)>,
    version: Option<String>,
    body: &'a [u8],
}

impl Ctx<'_> {
    fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn version_is(&self, v: &str) -> bool {
        self.version.as_deref() == Some(v)
    }

    fn err(&self, status: u16, message: impl Into<String>) -> ApiErr {
        ApiErr::http(status, message)
    }

    /// JSON body; empty body = `{}`.
    fn json_body(&self) -> Result<Map<String, Value>, ApiErr> {
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
struct ApiErr(Box<ApiErrBody>);

struct ApiErrBody {
    status: u16,
    code: String,
    message: String,
    details: Option<Value>,
}

impl ApiErr {
    fn new(status: u16, code: &str, message: &str, details: Option<Value>) -> Self {
        Self(Box::new(ApiErrBody {
            status,
            code: code.to_string(),
            message: message.to_string(),
            details,
        }))
    }

    fn throttled() -> Self {
        Self::new(
            429,
            "ThrottlerException",
            MSG_THROTTLED,
            Some(Value::String(MSG_THROTTLED.to_string())),
        )
    }

    /// A Nest HttpException (code from the status, details `{message,error,statusCode}`).
    fn http(status: u16, message: impl Into<String>) -> Self {
        let message = message.into();
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        let details = json!({"message": message, "error": reason, "statusCode": status});
        Self::new(status, exception_name(status), &message, Some(details))
    }
}

fn exception_name(status: u16) -> &'static str {
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

type HandlerResult = Result<(u16, Value), ApiErr>;

enum Route {
    Me,
    Slots,
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

fn match_route(method: &str, path: &str, version: Option<&str>) -> Option<Route> {
    let trimmed = path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').skip(1).collect();
    let s = |i: usize| segs[i].to_string();
    let route = match (method, segs.as_slice()) {
        ("GET", ["v2", "me"]) => Route::Me,
        // The pre-2024-09-04 slots controller has no `/v2/slots` route at all.
        ("GET", ["v2", "slots"]) if version == Some(VERSION_SLOTS) => Route::Slots,
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

async fn entry(AxumState(sim): AxumState<Simulator>, req: Request) -> Response {
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

impl Simulator {
    fn process(
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

    fn authorized(&self, headers: &HeaderMap) -> bool {
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

    async fn deliver(&self, out: Outgoing) {
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

fn rate_peek(st: &State, now: DateTime<Utc>) -> (u32, u32, i64) {
    let limit = st.rate_limit.unwrap_or(NOMINAL_RATE_LIMIT);
    if let Some(until) = st.rate.blocked_until
        && now < until
    {
        return (limit, 0, secs_until(now, until));
    }
    match st.rate.start {
        Some(start) if now < start + chrono::Duration::seconds(60) => {
            let remaining = remaining_for(st.rate_limit, st.rate.count);
            (
                limit,
                remaining,
                secs_until(now, start + chrono::Duration::seconds(60)),
            )
        }
        _ => (limit, limit, 60),
    }
}

fn remaining_for(rate_limit: Option<u32>, count: u32) -> u32 {
    match rate_limit {
        Some(n) => n.saturating_sub(count),
        // Unlimited: report the nominal limit but never an exhausted one, so polite clients
        // don't pause needlessly.
        None => NOMINAL_RATE_LIMIT.saturating_sub(count).max(1),
    }
}

/// Counts one request; returns (allowed, limit, remaining, reset seconds).
fn rate_check(st: &mut State, now: DateTime<Utc>) -> (bool, u32, u32, i64) {
    let limit = st.rate_limit.unwrap_or(NOMINAL_RATE_LIMIT);
    let window = chrono::Duration::seconds(60);
    if let Some(until) = st.rate.blocked_until {
        if now < until {
            return (false, limit, 0, secs_until(now, until));
        }
        st.rate = RateWindow::default();
    }
    let start = match st.rate.start {
        Some(start) if now < start + window => start,
        _ => {
            st.rate.start = Some(now);
            st.rate.count = 0;
            now
        }
    };
    st.rate.count += 1;
    if let Some(n) = st.rate_limit
        && st.rate.count > n
    {
        st.rate.count = n;
        let until = now + window;
        st.rate.blocked_until = Some(until);
        return (false, limit, 0, secs_until(now, until));
    }
    let remaining = remaining_for(st.rate_limit, st.rate.count);
    (true, limit, remaining, secs_until(now, start + window))
}

fn secs_until(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    let ms = (then - now).num_milliseconds().max(0);
    (ms + 999) / 1000
}

fn add_rate_headers(response: &mut Response, limit: u32, remaining: u32, reset: i64) {
    let h = response.headers_mut();
    h.insert("X-RateLimit-Limit-Default", HeaderValue::from(limit));
    h.insert(
        "X-RateLimit-Remaining-Default",
        HeaderValue::from(remaining),
    );
    h.insert("X-RateLimit-Reset-Default", HeaderValue::from(reset));
}

fn knob_failure(status: u16, now: DateTime<Utc>, path_q: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match status {
        500 => json_response(
            500,
            &json!({"statusCode": 500, "message": "Internal server error"}),
        ),
        502..=504 => {
            let text = format!(
                "{} {}",
                code.as_u16(),
                code.canonical_reason().unwrap_or("Error")
            );
            (
                code,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                text,
            )
                .into_response()
        }
        429 => error_response(&ApiErr::throttled(), now, path_q),
        other => {
            let message = code.canonical_reason().unwrap_or("Error").to_string();
            error_response(&ApiErr::http(other, message), now, path_q)
        }
    }
}

fn json_response(status: u16, value: &Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = code;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn error_response(e: &ApiErr, now: DateTime<Utc>, path_q: &str) -> Response {
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

fn dispatch(
    st: &mut State,
    ctx: &Ctx<'_>,
    route: Route,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    match route {
        Route::Me => Ok((200, json!({"status": "success", "data": me_json(st)}))),
        Route::Slots => get_slots(st, ctx),
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

fn require_bookings_version(ctx: &Ctx<'_>) -> Result<(), ApiErr> {
    if ctx.version_is(VERSION_BOOKINGS) {
        Ok(())
    } else {
        Err(ctx.err(
            400,
            "legacy bookings API version not supported by simulator; send cal-api-version 2024-08-13",
        ))
    }
}

fn require_event_types_version(ctx: &Ctx<'_>) -> Result<(), ApiErr> {
    if ctx.version_is(VERSION_EVENT_TYPES) {
        Ok(())
    } else {
        Err(ctx.err(
            400,
            "legacy event types API version not supported by simulator; send cal-api-version 2024-06-14",
        ))
    }
}

fn booking_not_found(uid: &str) -> ApiErr {
    ApiErr::http(
        404,
        format!("Booking with uid={uid} was not found in the database"),
    )
}

fn webhook_not_found(id: &str) -> ApiErr {
    ApiErr::http(404, format!("Webhook with id {id} not found"))
}

fn parse_paging(
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

// ---------------------------------------------------------------------------------------------
// Slots
// ---------------------------------------------------------------------------------------------

fn get_slots(st: &State, ctx: &Ctx<'_>) -> HandlerResult {
    let et_id = match (ctx.q("eventTypeId"), ctx.q("eventTypeSlug")) {
        (Some(raw), _) => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| ctx.err(400, "eventTypeId must be an integer number"))?,
        (None, Some(slug)) => {
            let username = ctx.q("username").unwrap_or_default();
            st.event_types
                .iter()
                .find(|e| e.slug == slug && username == st.me.username)
                .map(|e| e.id)
                .ok_or_else(|| ctx.err(404, "Event Type not found"))?
        }
        (None, None) => {
            return Err(ctx.err(
                400,
                "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug or usernames must be provided",
            ));
        }
    };
    let raw_start = ctx
        .q("start")
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))?;
    let raw_end = ctx
        .q("end")
        .ok_or_else(|| ctx.err(400, "end must be a valid ISO 8601 date string"))?;
    // The UTC-day trap: date-only bounds are whole *UTC* days, whatever `timeZone` says.
    let start = parse_slot_bound(raw_start, false)
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))?;
    let end = parse_slot_bound(raw_end, true)
        .ok_or_else(|| ctx.err(400, "end must be a valid ISO 8601 date string"))?;
    let out_tz = match ctx.q("timeZone").filter(|s| !s.trim().is_empty()) {
        Some(name) => Some(
            name.trim()
                .parse::<Tz>()
                .map_err(|_| ctx.err(400, "timeZone must be a valid IANA time-zone"))?,
        ),
        None => None,
    };
    let range = match ctx.q("format") {
        None | Some("time") => false,
        Some("range") => true,
        Some(_) => {
            return Err(ctx.err(
                400,
                "format must be one of the following values: range, time",
            ));
        }
    };
    if end < start {
        return Err(ctx.err(
            400,
            "Invalid time range given - check the 'start' and 'end' query parameters.",
        ));
    }
    let et = st
        .event_type(et_id)
        .ok_or_else(|| ctx.err(404, "Event Type not found"))?;
    let slots = st.open_slots(et, start, end, ctx.now, ctx.q("bookingUidToReschedule"));
    let mut data = Map::new();
    for (s, e) in slots {
        let key = match out_tz {
            Some(tz) => s.with_timezone(&tz).format("%Y-%m-%d").to_string(),
            None => s.format("%Y-%m-%d").to_string(),
        };
        let mut slot = Map::new();
        slot.insert("start".into(), json!(fmt_in_zone(s, out_tz)));
        if range {
            slot.insert("end".into(), json!(fmt_in_zone(e, out_tz)));
        }
        if let Value::Array(list) = data.entry(key).or_insert_with(|| json!([])) {
            list.push(Value::Object(slot));
        }
    }
    Ok((200, json!({"status": "success", "data": data})))
}

fn parse_slot_bound(raw: &str, is_end: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim().replace(' ', "+");
    if let Ok(date) = NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        let time = if is_end {
            date.and_hms_opt(23, 59, 59)?
        } else {
            date.and_hms_opt(0, 0, 0)?
        };
        return Some(time.and_utc());
    }
    parse_iso(&raw)
}

fn is_utc_zone(tz: Tz) -> bool {
    matches!(
        tz.name(),
        "UTC"
            | "Etc/UTC"
            | "Etc/UCT"
            | "UCT"
            | "Etc/Universal"
            | "Universal"
            | "Etc/Zulu"
            | "Zulu"
            | "Etc/GMT"
            | "GMT"
            | "Etc/GMT0"
            | "GMT0"
            | "Etc/GMT+0"
            | "Etc/GMT-0"
            | "GMT+0"
            | "GMT-0"
            | "Etc/Greenwich"
            | "Greenwich"
    )
}

/// Luxon-style ISO with milliseconds: `…Z` for UTC, otherwise the zone's offset.
fn fmt_in_zone(t: DateTime<Utc>, tz: Option<Tz>) -> String {
    match tz {
        Some(tz) if !is_utc_zone(tz) => t
            .with_timezone(&tz)
            .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string(),
        _ => iso_ms(t),
    }
}

// ---------------------------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------------------------

fn create_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    let body = ctx.json_body()?;
    let start = parse_start(ctx, &body)?;
    let attendee = parse_attendee(ctx, &body)?;
    let metadata = parse_metadata(ctx, &body)?;
    let guests = match body.get("guests") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|g| {
                g.as_str()
                    .filter(|s| looks_like_email(s))
                    .map(str::to_string)
                    .ok_or_else(|| ctx.err(400, "each value in guests must be an email"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(ctx.err(400, "guests must be an array")),
    };
    let responses = match body.get("bookingFieldsResponses") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ctx.err(400, "bookingFieldsResponses must be an object")),
    };
    let location = parse_location(ctx, &body)?;
    let et_id = match body.get("eventTypeId") {
        Some(v) => v
            .as_i64()
            .ok_or_else(|| ctx.err(400, "eventTypeId must be an integer number"))?,
        None => {
            return Err(ctx.err(
                400,
                "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided",
            ));
        }
    };
    let et = st
        .event_type(et_id)
        .cloned()
        .ok_or_else(|| ctx.err(404, format!("Event type with id {et_id} not found.")))?;
    if let Some(len) = body.get("lengthInMinutes").filter(|v| !v.is_null())
        && len.as_i64() != Some(et.length_minutes)
    {
        return Err(ctx.err(
            400,
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
        ));
    }
    check_bookable(st, ctx, &et, start, None)?;

    let id = st.next_id();
    let uid = new_uid();
    let title = st.title_for(et.id, &attendee.name);
    st.bookings.push(Booking {
        id,
        uid: uid.clone(),
        event_type_id: et.id,
        title,
        start,
        end: start + chrono::Duration::minutes(et.length_minutes),
        status: "accepted".to_string(),
        attendee,
        guests,
        metadata,
        responses,
        location,
        cancellation_reason: None,
        cancelled_by_email: None,
        rescheduling_reason: None,
        rescheduled_by_email: None,
        rescheduled_from_uid: None,
        rescheduled_to_uid: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    });
    events.push(("BOOKING_CREATED", uid.clone()));
    let b = st.booking(&uid).ok_or_else(|| booking_not_found(&uid))?;
    Ok((
        201,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

/// Past / minimum notice / availability checks shared by create and reschedule.
fn check_bookable(
    st: &State,
    ctx: &Ctx<'_>,
    et: &EventTypeSpec,
    start: DateTime<Utc>,
    ignore_uid: Option<&str>,
) -> Result<(), ApiErr> {
    if start < ctx.now {
        return Err(ctx.err(400, MSG_PAST));
    }
    if start < ctx.now + chrono::Duration::minutes(et.minimum_notice_minutes) {
        return Err(ctx.err(400, MSG_NOTICE));
    }
    if !st.is_open_slot(et, start, ctx.now, ignore_uid) {
        return Err(ctx.err(400, MSG_NOT_AVAILABLE));
    }
    Ok(())
}

fn parse_start(ctx: &Ctx<'_>, body: &Map<String, Value>) -> Result<DateTime<Utc>, ApiErr> {
    body.get("start")
        .and_then(Value::as_str)
        .and_then(parse_iso)
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))
}

fn parse_attendee(ctx: &Ctx<'_>, body: &Map<String, Value>) -> Result<Attendee, ApiErr> {
    let a = match body.get("attendee") {
        Some(Value::Object(a)) => a,
        None | Some(Value::Null) => {
            return Err(ctx.err(400, "attendee should not be null or undefined"));
        }
        Some(_) => {
            return Err(ctx.err(
                400,
                "nested property attendee must be either object or array",
            ));
        }
    };
    let opt_str = |key: &str| -> Result<Option<String>, ApiErr> {
        match a.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ctx.err(400, format!("attendee.{key} must be a string"))),
        }
    };
    let name = opt_str("name")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ctx.err(400, "attendee.name must be a string"))?;
    let time_zone = opt_str("timeZone")?
        .filter(|s| s.parse::<Tz>().is_ok())
        .ok_or_else(|| ctx.err(400, "attendee.timeZone must be a valid IANA time-zone"))?;
    let email = opt_str("email")?.filter(|s| !s.is_empty());
    if let Some(e) = &email
        && !looks_like_email(e)
    {
        return Err(ctx.err(400, "attendee.email must be an email"));
    }
    let phone = opt_str("phoneNumber")?.filter(|s| !s.is_empty());
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !p.starts_with('+') || digits < 7 {
            return Err(ctx.err(400, "attendee.phoneNumber must be a valid phone number"));
        }
    }
    if email.is_none() && phone.is_none() {
        return Err(ctx.err(
            400,
            "Attendee must have at least one contact method (email or phone number)",
        ));
    }
    let language = opt_str("language")?.unwrap_or_else(|| "en".to_string());
    Ok(Attendee {
        name,
        email,
        phone,
        time_zone,
        language,
    })
}

fn parse_metadata(ctx: &Ctx<'_>, body: &Map<String, Value>) -> Result<Map<String, Value>, ApiErr> {
    let m = match body.get("metadata") {
        None | Some(Value::Null) => return Ok(Map::new()),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ctx.err(400, "metadata must be an object")),
    };
    if m.len() > 50 {
        return Err(ctx.err(400, "Metadata can have a maximum of 50 keys"));
    }
    for (k, v) in &m {
        if k.chars().count() > 40 {
            return Err(ctx.err(
                400,
                "Metadata keys can have a maximum length of 40 characters",
            ));
        }
        let too_long = match v {
            Value::String(s) => s.chars().count() > 500,
            Value::Number(_) | Value::Bool(_) | Value::Null => false,
            other => other.to_string().chars().count() > 500,
        };
        if too_long {
            return Err(ctx.err(
                400,
                "Metadata values can have a maximum length of 500 characters",
            ));
        }
    }
    Ok(m)
}

/// Booking `location` input (object per the 2024-08-13 API, or a legacy plain string).
fn parse_location(ctx: &Ctx<'_>, body: &Map<String, Value>) -> Result<Option<String>, ApiErr> {
    let loc = match body.get("location") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => return Ok(Some(s.clone())),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ctx.err(400, "location must be an object")),
    };
    let field = |k: &str| loc.get(k).and_then(Value::as_str).map(str::to_string);
    let shown = match loc.get("type").and_then(Value::as_str) {
        Some("attendeePhone") => field("phone"),
        Some("attendeeAddress") => field("address"),
        Some("attendeeDefined") => field("location"),
        Some("integration") => match field("integration").as_deref() {
            Some("cal-video") | None => None,
            Some(other) => Some(format!("integrations:{}", other.replace('-', "_"))),
        },
        Some("address") => Some("Our office".to_string()),
        Some("link") => Some("https://example.com/meeting".to_string()),
        Some("phone") => Some("+15550000000".to_string()),
        Some("organizersDefaultApp") => None,
        _ => return Err(ctx.err(400, "location.type must be a valid location type")),
    };
    Ok(shown)
}

fn reschedule_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    uid: &str,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    let body = ctx.json_body()?;
    let old = st
        .booking(uid)
        .cloned()
        .ok_or_else(|| booking_not_found(uid))?;
    if old.rescheduled_to_uid.is_some() {
        return Err(ctx.err(
            400,
            "Can't reschedule a booking that has already been rescheduled",
        ));
    }
    if old.status == "cancelled" || old.status == "rejected" {
        return Err(ctx.err(400, "Can't reschedule a booking that has been cancelled"));
    }
    let start = parse_start(ctx, &body)?;
    let reason = match body.get("reschedulingReason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "reschedulingReason must be a string")),
    };
    let by = match body.get("rescheduledBy") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if looks_like_email(s) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "rescheduledBy must be an email")),
    };
    let et = st.event_type(old.event_type_id).cloned().ok_or_else(|| {
        ctx.err(
            404,
            format!("Event type with id {} not found.", old.event_type_id),
        )
    })?;
    check_bookable(st, ctx, &et, start, Some(uid))?;

    let id = st.next_id();
    let new_uid = new_uid();
    let title = st.title_for(et.id, &old.attendee.name);
    let new = Booking {
        id,
        uid: new_uid.clone(),
        title,
        start,
        end: start + chrono::Duration::minutes(et.length_minutes),
        status: "accepted".to_string(),
        cancellation_reason: None,
        cancelled_by_email: None,
        rescheduling_reason: reason.clone(),
        rescheduled_by_email: by.clone(),
        rescheduled_from_uid: Some(old.uid.clone()),
        rescheduled_to_uid: None,
        created_at: ctx.now,
        updated_at: ctx.now,
        ..old.clone()
    };
    if let Some(o) = st.booking_mut(uid) {
        o.status = "cancelled".to_string();
        o.rescheduled_to_uid = Some(new_uid.clone());
        o.rescheduling_reason = reason;
        o.rescheduled_by_email = by;
        o.updated_at = ctx.now;
    }
    st.bookings.push(new);
    events.push(("BOOKING_RESCHEDULED", new_uid.clone()));
    let b = st
        .booking(&new_uid)
        .ok_or_else(|| booking_not_found(&new_uid))?;
    Ok((
        201,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

fn cancel_booking(
    st: &mut State,
    ctx: &Ctx<'_>,
    uid: &str,
    events: &mut Vec<(&'static str, String)>,
) -> HandlerResult {
    if ctx.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.err(400, "Request body is required; send at least {}"));
    }
    let body = ctx.json_body()?;
    let reason = match body.get("cancellationReason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ctx.err(400, "cancellationReason must be a string")),
    };
    let me_email = st.me.email.clone();
    let b = st.booking_mut(uid).ok_or_else(|| booking_not_found(uid))?;
    if b.status == "cancelled" || b.status == "rejected" {
        return Err(ApiErr::http(
            400,
            "This booking has already been cancelled.",
        ));
    }
    b.status = "cancelled".to_string();
    b.cancellation_reason = reason;
    b.cancelled_by_email = Some(me_email);
    b.updated_at = ctx.now;
    events.push(("BOOKING_CANCELLED", uid.to_string()));
    let b = st.booking(uid).ok_or_else(|| booking_not_found(uid))?;
    Ok((
        200,
        json!({"status": "success", "data": booking_json(st, b)}),
    ))
}

fn list_bookings(st: &State, ctx: &Ctx<'_>) -> HandlerResult {
    let now = ctx.now;
    let statuses: Vec<String> = match ctx.q("status").filter(|s| !s.trim().is_empty()) {
        None => Vec::new(),
        Some(raw) => raw.split(',').map(|s| s.trim().to_string()).collect(),
    };
    for s in &statuses {
        if !["upcoming", "recurring", "past", "cancelled", "unconfirmed"].contains(&s.as_str()) {
            return Err(ctx.err(
                400,
                "status must be one of the following values: upcoming, recurring, past, cancelled, unconfirmed",
            ));
        }
    }
    let date_param = |name: &str| -> Result<Option<DateTime<Utc>>, ApiErr> {
        match ctx.q(name) {
            None => Ok(None),
            Some(raw) => parse_iso(&raw.replace(' ', "+")).map(Some).ok_or_else(|| {
                ctx.err(400, format!("{name} must be a valid ISO 8601 date string"))
            }),
        }
    };
    let after_start = date_param("afterStart")?;
    let before_end = date_param("beforeEnd")?;
    let after_created = date_param("afterCreatedAt")?;
    let before_created = date_param("beforeCreatedAt")?;
    let after_updated = date_param("afterUpdatedAt")?;
    let before_updated = date_param("beforeUpdatedAt")?;
    let attendee_email = ctx.q("attendeeEmail").map(|s| s.trim().replace(' ', "+"));
    let attendee_name = ctx.q("attendeeName").map(|s| s.trim().to_string());
    let booking_uid = ctx.q("bookingUid");
    let mut event_type_ids: Vec<i64> = Vec::new();
    for key in ["eventTypeId", "eventTypeIds"] {
        if let Some(raw) = ctx.q(key) {
            for part in raw.split(',').filter(|p| !p.trim().is_empty()) {
                event_type_ids.push(part.trim().parse().map_err(|_| {
                    ctx.err(
                        400,
                        format!("{key} must be a number conforming to the specified constraints"),
                    )
                })?);
            }
        }
    }
    let take = parse_paging(ctx, "take", 100, 1, 250)?;
    let skip = parse_paging(ctx, "skip", 0, 0, i64::MAX)?;
    let mut sort: Option<(&str, bool)> = None;
    for key in ["sortStart", "sortEnd", "sortCreated", "sortUpdatedAt"] {
        if let Some(dir) = ctx.q(key) {
            let desc = match dir {
                "asc" => false,
                "desc" => true,
                _ => {
                    return Err(ctx.err(
                        400,
                        format!("{key} must be one of the following values: asc, desc"),
                    ));
                }
            };
            if sort.is_none() {
                sort = Some((key, desc));
            }
        }
    }

    let status_ok = |b: &Booking| {
        if statuses.is_empty() {
            return true;
        }
        let dead = b.status == "cancelled" || b.status == "rejected";
        statuses.iter().any(|s| match s.as_str() {
            "upcoming" => b.end >= now && !dead,
            "past" => b.end <= now && !dead,
            "cancelled" => dead,
            "unconfirmed" => b.status == "pending" && b.end >= now,
            _ => false,
        })
    };
    let mut matched: Vec<&Booking> = st
        .bookings
        .iter()
        .filter(|b| status_ok(b))
        .filter(|b| {
            attendee_email
                .as_deref()
                .is_none_or(|e| b.attendee.email_or_placeholder() == e)
        })
        .filter(|b| {
            attendee_name
                .as_deref()
                .is_none_or(|n| b.attendee.name == n)
        })
        .filter(|b| booking_uid.is_none_or(|u| b.uid == u))
        .filter(|b| event_type_ids.is_empty() || event_type_ids.contains(&b.event_type_id))
        .filter(|b| after_start.is_none_or(|t| b.start >= t))
        .filter(|b| before_end.is_none_or(|t| b.end <= t))
        .filter(|b| after_created.is_none_or(|t| b.created_at >= t))
        .filter(|b| before_created.is_none_or(|t| b.created_at <= t))
        .filter(|b| after_updated.is_none_or(|t| b.updated_at >= t))
        .filter(|b| before_updated.is_none_or(|t| b.updated_at <= t))
        .collect();
    if let Some((key, desc)) = sort {
        matched.sort_by(|a, b| {
            let ord = match key {
                "sortStart" => a.start.cmp(&b.start),
                "sortEnd" => a.end.cmp(&b.end),
                "sortCreated" => a.created_at.cmp(&b.created_at),
                _ => a.updated_at.cmp(&b.updated_at),
            }
            .then(a.id.cmp(&b.id));
            if desc { ord.reverse() } else { ord }
        });
    }
    let total = matched.len() as i64;
    let data: Vec<Value> = matched
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(take).unwrap_or(usize::MAX))
        .map(|b| booking_json(st, b))
        .collect();
    let returned = data.len() as i64;
    let pagination = json!({
        "totalItems": total,
        "remainingItems": (total - skip - returned).max(0),
        "returnedItems": returned,
        "itemsPerPage": take,
        "currentPage": skip / take + 1,
        "totalPages": (total + take - 1) / take,
        "hasNextPage": skip + take < total,
        "hasPreviousPage": skip > 0,
    });
    Ok((
        200,
        json!({"status": "success", "data": data, "pagination": pagination}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Organization users, webhooks
// ---------------------------------------------------------------------------------------------

fn org_id_checked(st: &State, ctx: &Ctx<'_>, raw: &str) -> Result<i64, ApiErr> {
    let org: i64 = raw
        .parse()
        .map_err(|_| ctx.err(400, "Validation failed (numeric string is expected)"))?;
    if !st.orgs.contains(&org) {
        return Err(ctx.err(
            403,
            format!(
                "IsOrgGuard - the authenticated user is not a member of organization with id={org}"
            ),
        ));
    }
    Ok(org)
}

fn list_org_users(st: &State, ctx: &Ctx<'_>, raw_org: &str) -> HandlerResult {
    let org = org_id_checked(st, ctx, raw_org)?;
    let take = parse_paging(ctx, "take", 250, 1, 1000)?;
    let skip = parse_paging(ctx, "skip", 0, 0, i64::MAX)?;
    let emails: Vec<String> = ctx
        .query
        .iter()
        .filter(|(k, _)| k == "emails" || k == "emails[]")
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    let mut users = vec![owner_as_org_user(st, org)];
    users.extend(st.org_users.iter().filter(|u| u.org_id == org).cloned());
    let data: Vec<Value> = users
        .iter()
        .filter(|u| emails.is_empty() || emails.iter().any(|e| e.eq_ignore_ascii_case(&u.email)))
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(take).unwrap_or(usize::MAX))
        .map(org_user_json)
        .collect();
    Ok((200, json!({"status": "success", "data": data})))
}

fn create_org_user(st: &mut State, ctx: &Ctx<'_>, raw_org: &str) -> HandlerResult {
    let org = org_id_checked(st, ctx, raw_org)?;
    let body = ctx.json_body()?;
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| looks_like_email(e))
        .ok_or_else(|| ctx.err(400, "email must be an email"))?
        .to_string();
    let str_field = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let time_zone = match str_field("timeZone") {
        Some(tz) if tz.parse::<Tz>().is_err() => {
            return Err(ctx.err(400, "timeZone must be a valid IANA time-zone"));
        }
        Some(tz) => tz,
        None => "Europe/London".to_string(),
    };
    if st.org_has_email(&email) {
        return Err(ctx.err(409, "User with this email already exists"));
    }
    let user = OrgUser {
        id: st.next_user_id,
        org_id: org,
        username: Some(
            str_field("username")
                .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string()),
        ),
        name: str_field("name"),
        email,
        time_zone,
        locale: str_field("locale").unwrap_or_else(|| "en".to_string()),
        time_format: body.get("timeFormat").and_then(Value::as_i64).unwrap_or(12),
        week_start: str_field("weekday").unwrap_or_else(|| "Sunday".to_string()),
        created: ctx.now,
    };
    st.next_user_id += 1;
    let data = org_user_json(&user);
    st.org_users.push(user);
    Ok((201, json!({"status": "success", "data": data})))
}

fn owner_as_org_user(st: &State, org: i64) -> OrgUser {
    OrgUser {
        id: st.me.id,
        org_id: org,
        email: st.me.email.clone(),
        username: Some(st.me.username.clone()),
        name: Some(st.me.name.clone()),
        time_zone: st.me.time_zone.clone(),
        locale: "en".to_string(),
        time_format: 12,
        week_start: "Monday".to_string(),
        created: DateTime::<Utc>::from_timestamp(1_704_067_200, 0).unwrap_or_default(),
    }
}

fn parse_triggers(ctx: &Ctx<'_>, v: &Value) -> Result<Vec<String>, ApiErr> {
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

fn parse_subscriber_url(ctx: &Ctx<'_>, v: &Value) -> Result<String, ApiErr> {
    v.as_str()
        .filter(|s| {
            (s.starts_with("http://") || s.starts_with("https://"))
                && s.split("://").nth(1).is_some_and(|rest| !rest.is_empty())
        })
        .map(str::to_string)
        .ok_or_else(|| ctx.err(400, "subscriberUrl must be a URL address"))
}

fn opt_string(
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

fn create_webhook(st: &mut State, ctx: &Ctx<'_>) -> HandlerResult {
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

fn update_webhook(st: &mut State, ctx: &Ctx<'_>, id: &str) -> HandlerResult {
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

// ---------------------------------------------------------------------------------------------
// JSON shapes
// ---------------------------------------------------------------------------------------------

fn me_json(st: &State) -> Value {
    let org = st.orgs.iter().min().copied();
    let mut m = json!({
        "id": st.me.id,
        "username": st.me.username,
        "email": st.me.email,
        "name": st.me.name,
        "avatarUrl": null,
        "bio": null,
        "timeFormat": 12,
        "defaultScheduleId": 1,
        "weekStart": "Monday",
        "timeZone": st.me.time_zone,
        "organizationId": org,
    });
    if let (Some(org), Value::Object(map)) = (org, &mut m) {
        map.insert(
            "organization".into(),
            json!({"isPlatform": false, "id": org}),
        );
    }
    m
}

fn host_json(st: &State) -> Value {
    json!({
        "id": st.me.id,
        "name": st.me.name,
        "email": st.me.email,
        "displayEmail": st.me.email,
        "username": st.me.username,
        "timeZone": st.me.time_zone,
    })
}

fn booking_json(st: &State, b: &Booking) -> Value {
    let slug = st
        .event_type(b.event_type_id)
        .map(|e| e.slug.clone())
        .unwrap_or_default();
    let email = b.attendee.email_or_placeholder();
    let mut m = Map::new();
    m.insert("id".into(), json!(b.id));
    m.insert("uid".into(), json!(b.uid));
    m.insert("title".into(), json!(b.title));
    m.insert("description".into(), json!(""));
    m.insert("status".into(), json!(b.status));
    m.insert("hosts".into(), json!([host_json(st)]));
    m.insert(
        "cancellationReason".into(),
        json!(b.cancellation_reason.clone().unwrap_or_default()),
    );
    m.insert(
        "cancelledByEmail".into(),
        json!(b.cancelled_by_email.clone().unwrap_or_default()),
    );
    if let Some(r) = &b.rescheduling_reason {
        m.insert("reschedulingReason".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_by_email {
        m.insert("rescheduledByEmail".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_from_uid {
        m.insert("rescheduledFromUid".into(), json!(r));
    }
    if let Some(r) = &b.rescheduled_to_uid {
        m.insert("rescheduledToUid".into(), json!(r));
    }
    m.insert("start".into(), json!(iso_ms(b.start)));
    m.insert("end".into(), json!(iso_ms(b.end)));
    m.insert("duration".into(), json!((b.end - b.start).num_minutes()));
    m.insert("eventTypeId".into(), json!(b.event_type_id));
    m.insert(
        "eventType".into(),
        json!({"id": b.event_type_id, "slug": slug}),
    );
    if b.location.is_none() {
        m.insert("meetingUrl".into(), json!(b.video_url()));
    }
    m.insert("location".into(), json!(b.shown_location()));
    m.insert("absentHost".into(), json!(false));
    m.insert("createdAt".into(), json!(iso_ms(b.created_at)));
    m.insert("updatedAt".into(), json!(iso_ms(b.updated_at)));
    m.insert("metadata".into(), Value::Object(b.metadata.clone()));
    m.insert("rating".into(), Value::Null);
    m.insert("icsUid".into(), json!(format!("{}@Cal.com", b.uid)));
    m.insert(
        "attendees".into(),
        json!([{
            "name": b.attendee.name,
            "email": email,
            "displayEmail": email,
            "timeZone": b.attendee.time_zone,
            "language": b.attendee.language,
            "absent": false,
            "phoneNumber": b.attendee.phone,
        }]),
    );
    m.insert("guests".into(), json!(b.guests));
    let mut bfr = Map::new();
    bfr.insert("name".into(), json!(b.attendee.name));
    if let Some(e) = &b.attendee.email {
        bfr.insert("email".into(), json!(e));
    }
    if let Some(p) = &b.attendee.phone {
        bfr.insert("attendeePhoneNumber".into(), json!(p));
    }
    if !b.guests.is_empty() {
        bfr.insert("guests".into(), json!(b.guests));
    }
    for (k, v) in &b.responses {
        if !bfr.contains_key(k) {
            bfr.insert(k.clone(), v.clone());
        }
    }
    m.insert("bookingFieldsResponses".into(), Value::Object(bfr));
    Value::Object(m)
}

fn event_type_json(st: &State, e: &EventTypeSpec) -> Value {
    json!({
        "id": e.id,
        "lengthInMinutes": e.length_minutes,
        "title": e.title,
        "slug": e.slug,
        "description": "",
        "locations": [{"type": "integration", "integration": "cal-video"}],
        "bookingFields": [
            {"type": "name", "slug": "name", "isDefault": true, "required": true},
            {"type": "email", "slug": "email", "isDefault": true, "required": true},
            {"type": "phone", "slug": "attendeePhoneNumber", "isDefault": true, "required": false, "hidden": true},
            {"type": "radioInput", "slug": "location", "isDefault": true, "required": false},
            {"type": "textarea", "slug": "notes", "isDefault": true, "required": false},
            {"type": "multiemail", "slug": "guests", "isDefault": true, "required": false},
            {"type": "textarea", "slug": "rescheduleReason", "isDefault": true, "required": false},
        ],
        "disableGuests": false,
        "slotInterval": null,
        "minimumBookingNotice": e.minimum_notice_minutes,
        "beforeEventBuffer": 0,
        "afterEventBuffer": 0,
        "recurrence": null,
        "metadata": {},
        "price": 0,
        "currency": "usd",
        "lockTimeZoneToggleOnBookingPage": false,
        "seatsPerTimeSlot": null,
        "forwardParamsSuccessRedirect": null,
        "successRedirectUrl": null,
        "isInstantEvent": false,
        "seatsShowAvailabilityCount": null,
        "scheduleId": null,
        "hidden": false,
        "bookingRequiresAuthentication": false,
        "ownerId": st.me.id,
        "users": [{
            "id": st.me.id,
            "name": st.me.name,
            "username": st.me.username,
            "avatarUrl": null,
            "weekStart": "Monday",
            "brandColor": null,
            "darkBrandColor": null,
            "metadata": null,
        }],
        "bookingUrl": format!("https://cal.com/{}/{}", st.me.username, e.slug),
    })
}

fn org_user_json(u: &OrgUser) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "email": u.email,
        "emailVerified": iso_ms(u.created),
        "bio": null,
        "avatarUrl": null,
        "timeZone": u.time_zone,
        "weekStart": u.week_start,
        "appTheme": null,
        "theme": null,
        "defaultScheduleId": null,
        "locale": u.locale,
        "timeFormat": u.time_format,
        "hideBranding": false,
        "brandColor": null,
        "darkBrandColor": null,
        "allowDynamicBooking": true,
        "createdDate": iso_ms(u.created),
        "verified": true,
        "invitedTo": null,
        "metadata": {},
        "organizationId": u.org_id,
        "profile": {
            "id": u.id,
            "organizationId": u.org_id,
            "userId": u.id,
            "username": u.username,
        },
    })
}

fn webhook_json(st: &State, w: &WebhookSub) -> Value {
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

// ---------------------------------------------------------------------------------------------
// Webhook payloads (version 2021-10-20)
// ---------------------------------------------------------------------------------------------

fn utc_offset_minutes(zone: &str, at: DateTime<Utc>) -> i64 {
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

fn fmt_webhook_time(t: DateTime<Utc>, cancelled: bool) -> String {
    if cancelled {
        t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

fn base_payload(st: &State, b: &Booking, cancelled: bool, status: &str) -> Map<String, Value> {
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

fn webhook_body(st: &State, trigger: &str, uid: &str, now: DateTime<Utc>) -> Option<String> {
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
fn sign(secret: Option<&str>, body: &str) -> String {
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

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn iso_ms(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// ISO 8601: RFC 3339 with `Z`/offset, a naive date-time (taken as UTC) or a date (midnight UTC).
fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(n.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// 22 random URL-safe characters (base64url alphabet), like Cal.com's booking uids.
fn new_uid() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Two v4 UUIDs mixed so the fixed version/variant bits don't show up in the uid.
    let a = uuid::Uuid::new_v4().as_u128();
    let b = uuid::Uuid::new_v4().as_u128();
    let mut value = a ^ b.rotate_left(61);
    let mut out = String::with_capacity(22);
    for _ in 0..22 {
        out.push(ALPHABET[(value & 63) as usize] as char);
        value >>= 6;
    }
    out
}

#[cfg(test)]
mod tests {
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
}
