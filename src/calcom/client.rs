//! The Cal.com API v2 client: one struct, one connection pool, versions pinned per endpoint family.
//!
//! GETs are retried with backoff on 5xx, 429 and timeouts, inside an overall deadline that stays
//! well under VAPI's tool timeout. POSTs that create or change bookings are never retried blindly:
//! a retry after a timeout could book the caller twice.
//!
//! Every request first takes a token from the key's [`Budget`] and reports back what Cal.com said
//! about the limit; 429s are not retried (Cal.com blocks the key for a minute, so a retry only
//! extends the block). Slot queries go through the [`SlotCache`]; booking writes empty it.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use backon::{ExponentialBuilder, Retryable};
use reqwest::{Method, RequestBuilder, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

use crate::{
    clock::Clock,
    domain::{tenant::TenantSlug, text},
};

use super::{
    budget::{self, Budget, Priority, RateSignal},
    call_share::CallShare,
    slot_cache::{self, CallAsking, SlotCache, SlotQuery, SlotRange},
    types::{
        Booking, BookingPage, BookingQuery, Envelope, ErrorBody, NewBooking, NewOrgUser,
        Reservation, SlotsByDay, User,
    },
};

/// `cal-api-version` of `/v2/bookings*`.
pub const BOOKINGS_VERSION: &str = "2024-08-13";
/// `cal-api-version` of `/v2/slots*`.
pub const SLOTS_VERSION: &str = "2024-09-04";
/// `cal-api-version` of `/v2/event-types*`.
pub const EVENT_TYPES_VERSION: &str = "2024-06-14";

/// What went wrong talking to Cal.com, classified so a tool can say something useful.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CalError {
    /// Cal.com answered with an error status.
    #[error("Cal.com answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Exception name from the error envelope.
        code: String,
        /// Message from the error envelope.
        message: String,
    },
    /// No answer within the request timeout or the overall deadline.
    #[error("Cal.com did not answer in time")]
    Timeout,
    /// The request could not be sent (DNS, connection refused, TLS).
    #[error("Cal.com could not be reached: {0}")]
    Unreachable(String),
    /// The answer was not the JSON we expected.
    #[error("Cal.com sent an answer we could not read: {0}")]
    Decode(String),
    /// The key's request budget is spent and the wait does not fit the deadline; nothing was sent.
    #[error("the Cal.com request budget is spent; a request could go in {retry_after_secs} s")]
    RateLimited {
        /// Seconds until a request could be sent.
        retry_after_secs: u64,
    },
    /// The call spent its share of the budget (`CAL_REQUESTS_PER_CALL`); nothing was sent.
    #[error("this call has sent its share of Cal.com requests")]
    CallShareSpent,
}

impl CalError {
    /// Worth retrying an idempotent request: server errors, timeouts, connection failures. Not a
    /// 429: Cal.com blocks the key for a minute and every retry would only be refused again.
    pub fn is_retryable(&self) -> bool {
        match self {
            CalError::Api { status, .. } => *status >= 500,
            CalError::Timeout | CalError::Unreachable(_) => true,
            CalError::Decode(_) | CalError::RateLimited { .. } | CalError::CallShareSpent => false,
        }
    }

    /// HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            CalError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The "slot taken / not available" family of booking errors.
    pub fn is_slot_unavailable(&self) -> bool {
        match self {
            CalError::Api {
                status: 400 | 409,
                message,
                ..
            } => {
                let m = message.to_ascii_lowercase();
                m.contains("not available")
                    || m.contains("already has booking")
                    || m.contains("no more seats")
            }
            _ => false,
        }
    }

    /// Cal.com said the thing does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// The message Cal.com gave, for errors a caller can act on.
    pub fn api_message(&self) -> Option<&str> {
        match self {
            CalError::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    fn from_reqwest(err: &reqwest::Error) -> Self {
        if err.is_timeout() {
            CalError::Timeout
        } else if err.is_decode() {
            CalError::Decode(err.to_string())
        } else {
            CalError::Unreachable(err.to_string())
        }
    }
}

/// Idle connections to Cal.com kept for reuse. Cal.com's rate limit keeps the requests of one
/// key to a few at a time, and each kept connection holds its read and write buffers: a burst
/// of 200 concurrent lookups would otherwise leave 200 of them open for the idle timeout.
const POOL_IDLE_CONNECTIONS: usize = 16;

/// Client for one Cal.com account (API key) at one base URL.
#[derive(Clone, Debug)]
pub struct CalClient {
    http: reqwest::Client,
    base_url: String,
    api_key: SecretString,
    request_timeout: Duration,
    deadline: Duration,
    budget: Budget,
    priority: Priority,
    slot_cache: SlotCache,
    /// The share of the call this client works for, if any (see [`CalClient::for_call`]).
    share: Option<Arc<CallShare>>,
    /// The business it works for (the `tenant` label of its figures).
    tenant: TenantSlug,
}

impl CalClient {
    /// Builds a client; `request_timeout` bounds one HTTP exchange, `deadline` a whole call with
    /// retries. It starts with an in-process budget of Cal.com's default limit and a slot cache of
    /// the default lifetime: see [`CalClient::with_budget`] and [`CalClient::with_slot_cache`].
    pub fn new(
        base_url: &str,
        api_key: SecretString,
        request_timeout: Duration,
        deadline: Duration,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(request_timeout)
            .connect_timeout(request_timeout.min(Duration::from_secs(3)))
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(POOL_IDLE_CONNECTIONS)
            .user_agent(concat!("vapi-cal/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let budget = Budget::local(&api_key, budget::DEFAULT_PER_MINUTE);
        Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            request_timeout,
            deadline,
            budget,
            priority: Priority::Interactive,
            slot_cache: SlotCache::new(slot_cache::DEFAULT_TTL, Clock::system()),
            share: None,
            tenant: TenantSlug::default(),
        }
    }

    /// The same client working for the business `tenant`: its requests and slot answers are
    /// counted under that business.
    pub fn for_tenant(mut self, tenant: &TenantSlug) -> Self {
        self.tenant = tenant.clone();
        self.slot_cache.tenant = tenant.clone();
        self
    }

    /// The same client working for one call: every request it sends is taken from `share`, and
    /// none is sent once the share is spent.
    pub fn for_call(&self, share: Arc<CallShare>) -> Self {
        Self {
            share: Some(share),
            ..self.clone()
        }
    }

    /// Draws requests from `budget` (shared with other clients and replicas of the same key).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Keeps slot answers for `ttl` (zero: only identical concurrent queries are shared).
    pub fn with_slot_cache(mut self, ttl: Duration, clock: Clock) -> Self {
        self.slot_cache = SlotCache::new(ttl, clock);
        self
    }

    /// The same client for background work: it leaves a reserve of the budget to tool calls and
    /// waits for tokens instead of being refused.
    pub fn background(&self) -> Self {
        Self {
            priority: Priority::Background,
            ..self.clone()
        }
    }

    /// Drops every cached slot answer: the calendar changed.
    pub fn slots_changed(&self) {
        self.slot_cache.invalidate();
    }

    /// Time allowed for one call, retries and waiting for the budget included. Background work
    /// has nobody on the line and may wait for the budget much longer.
    fn overall_deadline(&self) -> Duration {
        match self.priority {
            Priority::Interactive => self.deadline,
            Priority::Background => self.deadline + Duration::from_secs(300),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The overall deadline of one call, retries included.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    fn request(&self, method: Method, path: &str, version: Option<&str>) -> RequestBuilder {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(self.api_key.expose_secret());
        if let Some(version) = version {
            req = req.header("cal-api-version", version);
        }
        req
    }

    /// Takes a token, sends once and unwraps the envelope; keeps the error body on failure.
    /// `endpoint` names the route (no ids) for metrics and logs.
    async fn send<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        req: RequestBuilder,
    ) -> Result<Envelope<T>, CalError> {
        // Leave room for the request itself after waiting for a token.
        let max_wait = self.deadline.saturating_sub(self.request_timeout);
        if self.share.as_ref().is_some_and(|share| !share.take()) {
            tracing::warn!(
                endpoint,
                "the call's share of Cal.com requests is spent; request not sent"
            );
            return Err(CalError::CallShareSpent);
        }
        if let Err(spent) = self.budget.acquire(self.priority, max_wait).await {
            tracing::warn!(endpoint, retry_after = ?spent.retry_after, "Cal.com request budget spent; request not sent");
            return Err(CalError::RateLimited {
                retry_after_secs: spent.retry_after.as_secs_f64().ceil() as u64,
            });
        }
        let started = Instant::now();
        let record = |status: &str| {
            metrics::histogram!(
                "cal_request_duration_seconds",
                crate::telemetry::TENANT_LABEL => self.tenant.shared(),
                "endpoint" => endpoint,
                "status" => status.to_owned()
            )
            .record(started.elapsed().as_secs_f64());
        };
        let failed = |e: reqwest::Error| {
            let err = CalError::from_reqwest(&e);
            record(if matches!(err, CalError::Timeout) {
                "timeout"
            } else {
                "error"
            });
            err
        };
        let resp = req.send().await.map_err(failed)?;
        let status = resp.status();
        let signal = RateSignal::from_headers(status.as_u16(), resp.headers(), chrono::Utc::now());
        self.budget.observe(&signal).await;
        let bytes = resp.bytes().await.map_err(failed)?;
        record(status.as_str());
        if !status.is_success() {
            return Err(api_error(status, &bytes));
        }
        serde_json::from_slice::<Envelope<T>>(&text::without_nul_escapes(&bytes))
            .map_err(|e| CalError::Decode(e.to_string()))
    }

    /// GET with retries on transient failures, all inside the deadline.
    async fn get<T: DeserializeOwned, Q: Serialize + ?Sized>(
        &self,
        endpoint: &'static str,
        path: &str,
        version: Option<&str>,
        query: &Q,
    ) -> Result<Envelope<T>, CalError> {
        let attempt = || async {
            self.send::<T>(
                endpoint,
                self.request(Method::GET, path, version).query(query),
            )
            .await
        };
        let retried = attempt
            .retry(
                ExponentialBuilder::default()
                    .with_min_delay(Duration::from_millis(150))
                    .with_max_delay(Duration::from_secs(1))
                    .with_max_times(2)
                    .with_jitter(),
            )
            .when(CalError::is_retryable)
            .notify(|err, wait| tracing::warn!(%err, ?wait, path, "retrying Cal.com request"));
        tokio::time::timeout(self.overall_deadline(), retried)
            .await
            .unwrap_or(Err(CalError::Timeout))
    }

    /// POST exactly once (never retried), inside the deadline.
    async fn post<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        endpoint: &'static str,
        path: &str,
        version: Option<&str>,
        body: &B,
    ) -> Result<Envelope<T>, CalError> {
        let req = self.request(Method::POST, path, version).json(body);
        tokio::time::timeout(self.overall_deadline(), self.send::<T>(endpoint, req))
            .await
            .unwrap_or(Err(CalError::Timeout))
    }

    /// A booking write: whatever the outcome (a timed-out write may still have landed), the
    /// open times we cached may be wrong now.
    async fn booking_write<B: Serialize + ?Sized>(
        &self,
        endpoint: &'static str,
        path: &str,
        body: &B,
    ) -> Result<Booking, CalError> {
        let sent = self
            .post(endpoint, path, Some(BOOKINGS_VERSION), body)
            .await;
        if !matches!(sent, Err(CalError::RateLimited { .. })) {
            self.slots_changed();
        }
        Self::data(sent?)
    }

    fn data<T>(env: Envelope<T>) -> Result<T, CalError> {
        env.data
            .ok_or_else(|| CalError::Decode("the response had no data".to_owned()))
    }

    /// Open slots of an event type in `range`, keyed by local date in `time_zone`. Answered from
    /// the slot cache when a kept answer covers the range or an identical query is in flight;
    /// otherwise `range.fetch_end` is fetched, and kept for `asking`'s call (see [`slot_cache`]).
    pub async fn slots(
        &self,
        event_type_id: i64,
        range: &SlotRange,
        time_zone: &str,
        reschedule_uid: Option<&str>,
        asking: Option<CallAsking<'_>>,
    ) -> Result<SlotsByDay, CalError> {
        let query = |end: &str| SlotQuery {
            event_type_id,
            start: range.start.clone(),
            end: end.to_owned(),
            time_zone: time_zone.to_owned(),
            reschedule_uid: reschedule_uid.map(str::to_owned),
        };
        let fetched = query(&range.fetch_end);
        self.slot_cache
            .get_or_fetch(&query(&range.end), fetched, asking, || async {
                let mut query = vec![
                    ("eventTypeId", event_type_id.to_string()),
                    ("start", range.start.clone()),
                    ("end", range.fetch_end.clone()),
                    ("timeZone", time_zone.to_owned()),
                ];
                if let Some(uid) = reschedule_uid {
                    query.push(("bookingUidToReschedule", uid.to_owned()));
                }
                let env = self
                    .get::<SlotsByDay, _>("GET /v2/slots", "/v2/slots", Some(SLOTS_VERSION), &query)
                    .await?;
                Ok(env.data.unwrap_or_default())
            })
            .await
    }

    /// Creates a booking (`POST /v2/bookings`). Not retried.
    pub async fn create_booking(&self, booking: &NewBooking) -> Result<Booking, CalError> {
        self.booking_write("POST /v2/bookings", "/v2/bookings", booking)
            .await
    }

    /// Moves a booking; Cal.com answers with the new booking (new uid).
    pub async fn reschedule_booking(
        &self,
        uid: &str,
        start_utc: &str,
        reason: Option<&str>,
    ) -> Result<Booking, CalError> {
        let mut body = json!({ "start": start_utc });
        if let Some(reason) = reason {
            body["reschedulingReason"] = Value::from(reason);
        }
        let path = format!("/v2/bookings/{}/reschedule", path_segment(uid));
        self.booking_write("POST /v2/bookings/{uid}/reschedule", &path, &body)
            .await
    }

    /// Cancels a booking with a reason.
    pub async fn cancel_booking(&self, uid: &str, reason: &str) -> Result<Booking, CalError> {
        let path = format!("/v2/bookings/{}/cancel", path_segment(uid));
        let body = json!({ "cancellationReason": reason });
        self.booking_write("POST /v2/bookings/{uid}/cancel", &path, &body)
            .await
    }

    /// Holds the time starting at `slot_start_utc` for `hold_minutes` (`POST
    /// /v2/slots/reservations`): meanwhile nobody else is shown it among the open times. Not
    /// retried.
    pub async fn reserve_slot(
        &self,
        event_type_id: i64,
        slot_start_utc: &str,
        duration_minutes: i64,
        hold_minutes: i64,
    ) -> Result<Reservation, CalError> {
        let body = json!({
            "eventTypeId": event_type_id,
            "slotStart": slot_start_utc,
            "slotDuration": duration_minutes,
            "reservationDuration": hold_minutes,
        });
        let sent = self
            .post(
                "POST /v2/slots/reservations",
                "/v2/slots/reservations",
                Some(SLOTS_VERSION),
                &body,
            )
            .await;
        self.slots_changed();
        Self::data(sent?)
    }

    /// Lets a held time go (`DELETE /v2/slots/reservations/{uid}`); one already gone is no
    /// error.
    pub async fn release_reservation(&self, uid: &str) -> Result<(), CalError> {
        let path = format!("/v2/slots/reservations/{}", path_segment(uid));
        let req = self.request(Method::DELETE, &path, Some(SLOTS_VERSION));
        let sent = tokio::time::timeout(
            self.overall_deadline(),
            self.send::<Value>("DELETE /v2/slots/reservations/{uid}", req),
        )
        .await
        .unwrap_or(Err(CalError::Timeout));
        self.slots_changed();
        match sent {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// One booking by uid.
    pub async fn get_booking(&self, uid: &str) -> Result<Booking, CalError> {
        let path = format!("/v2/bookings/{}", path_segment(uid));
        Self::data(
            self.get("GET /v2/bookings/{uid}", &path, Some(BOOKINGS_VERSION), &())
                .await?,
        )
    }

    /// One page of bookings.
    pub async fn list_bookings(&self, query: &BookingQuery) -> Result<BookingPage, CalError> {
        let env = self
            .get::<Vec<Booking>, _>(
                "GET /v2/bookings",
                "/v2/bookings",
                Some(BOOKINGS_VERSION),
                query,
            )
            .await?;
        let has_next_page = env.pagination.as_ref().is_some_and(|p| p.has_next_page);
        Ok(BookingPage {
            bookings: env.data.unwrap_or_default(),
            has_next_page,
        })
    }

    /// The account owner.
    pub async fn me(&self) -> Result<User, CalError> {
        Self::data(self.get("GET /v2/me", "/v2/me", None, &()).await?)
    }

    /// Organization members, optionally filtered by emails.
    pub async fn org_users(&self, org_id: i64, emails: &[String]) -> Result<Vec<User>, CalError> {
        let mut query = vec![("take", "250".to_owned())];
        if !emails.is_empty() {
            query.push(("emails", emails.join(",")));
        }
        let env = self
            .get::<Vec<User>, _>(
                "GET /v2/organizations/{id}/users",
                &format!("/v2/organizations/{org_id}/users"),
                None,
                &query,
            )
            .await?;
        Ok(env.data.unwrap_or_default())
    }

    /// Creates an organization member.
    pub async fn create_org_user(&self, org_id: i64, user: &NewOrgUser) -> Result<User, CalError> {
        Self::data(
            self.post(
                "POST /v2/organizations/{id}/users",
                &format!("/v2/organizations/{org_id}/users"),
                None,
                user,
            )
            .await?,
        )
    }
}

/// A webhook subscription (`/v2/webhooks`).
#[derive(Debug, Clone, serde::Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSubscription {
    /// Subscription id (a string in Cal.com's database, a number in some outputs).
    #[serde(default)]
    pub id: Value,
    /// Where Cal.com posts.
    #[serde(default)]
    pub subscriber_url: String,
    /// Whether deliveries are on.
    #[serde(default)]
    pub active: bool,
    /// Triggers delivered.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// Whether Cal.com holds a signing secret for it (the value itself is never kept).
    #[serde(
        default,
        rename(deserialize = "secret"),
        deserialize_with = "secret_is_set",
        skip_serializing
    )]
    pub has_secret: bool,
}

/// Reads an optional `secret` as "is there one", so the value never sits in memory or in logs.
fn secret_is_set<'de, D: serde::Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    let value = <Option<Value> as serde::Deserialize>::deserialize(de)?;
    Ok(match value {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    })
}

impl WebhookSubscription {
    /// The id as a path segment.
    pub fn id_text(&self) -> String {
        match &self.id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl CalClient {
    /// The account's webhook subscriptions (first 250).
    pub async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>, CalError> {
        let env = self
            .get::<Vec<WebhookSubscription>, _>(
                "GET /v2/webhooks",
                "/v2/webhooks",
                None,
                &[("take", "250")],
            )
            .await?;
        Ok(env.data.unwrap_or_default())
    }

    /// Creates a subscription.
    pub async fn create_webhook(&self, body: &Value) -> Result<WebhookSubscription, CalError> {
        Self::data(
            self.post("POST /v2/webhooks", "/v2/webhooks", None, body)
                .await?,
        )
    }

    /// Updates a subscription.
    pub async fn update_webhook(
        &self,
        id: &str,
        body: &Value,
    ) -> Result<WebhookSubscription, CalError> {
        let req = self
            .request(
                Method::PATCH,
                &format!("/v2/webhooks/{}", path_segment(id)),
                None,
            )
            .json(body);
        let env = tokio::time::timeout(
            self.overall_deadline(),
            self.send::<WebhookSubscription>("PATCH /v2/webhooks/{id}", req),
        )
        .await
        .unwrap_or(Err(CalError::Timeout))?;
        Self::data(env)
    }
}

// Read calls `vapi-cal doctor` uses to check a deployment.

/// Requests left in Cal.com's rate window, from the `X-RateLimit-*` headers of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBudget {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in the current window.
    pub remaining: u64,
}

impl RateBudget {
    /// Reads `X-RateLimit-{Limit,Remaining}-Default` (API v2), or the plain names (older builds).
    fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
        let number = |names: [&str; 2]| {
            names.iter().find_map(|name| {
                headers
                    .get(*name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
            })
        };
        Some(Self {
            limit: number(["x-ratelimit-limit-default", "x-ratelimit-limit"])?,
            remaining: number(["x-ratelimit-remaining-default", "x-ratelimit-remaining"])?,
        })
    }
}

/// An event type as `GET /v2/event-types/{id}` describes it (the fields we check).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeInfo {
    /// Event type id.
    pub id: i64,
    /// Title shown to bookers.
    #[serde(default)]
    pub title: String,
    /// Length in minutes (`length` in older API versions).
    #[serde(default, alias = "length")]
    pub length_in_minutes: Option<i64>,
    /// Hidden from the public booking page (still bookable through the API).
    #[serde(default)]
    pub hidden: bool,
    /// Only signed-in Cal.com users may book it, which an API booking for a caller is not.
    #[serde(default)]
    pub booking_requires_authentication: bool,
}

impl CalClient {
    /// The account owner, and the rate budget the answer reports. Sent once, never retried, so
    /// a check says exactly what one request saw.
    pub async fn me_with_budget(&self) -> Result<(User, Option<RateBudget>), CalError> {
        let req = self.request(Method::GET, "/v2/me", None);
        let exchange = async {
            let resp = req.send().await.map_err(|e| CalError::from_reqwest(&e))?;
            let budget = RateBudget::from_headers(resp.headers());
            let status = resp.status();
            let bytes = resp.bytes().await.map_err(|e| CalError::from_reqwest(&e))?;
            if !status.is_success() {
                return Err(api_error(status, &bytes));
            }
            let env = serde_json::from_slice::<Envelope<User>>(&text::without_nul_escapes(&bytes))
                .map_err(|e| CalError::Decode(e.to_string()))?;
            Ok::<_, CalError>((Self::data(env)?, budget))
        };
        tokio::time::timeout(self.deadline, exchange)
            .await
            .unwrap_or(Err(CalError::Timeout))
    }

    /// One event type by id (`GET /v2/event-types/{id}`).
    pub async fn event_type(&self, id: i64) -> Result<EventTypeInfo, CalError> {
        Self::data(
            self.get(
                "GET /v2/event-types/{id}",
                &format!("/v2/event-types/{id}"),
                Some(EVENT_TYPES_VERSION),
                &(),
            )
            .await?,
        )
    }
}

/// Builds a typed error from a non-2xx answer, whatever shape its body has.
fn api_error(status: StatusCode, body: &[u8]) -> CalError {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let (code, message) = match (parsed.error, parsed.message) {
        (Some(detail), _) => (detail.code, detail.message),
        (None, Some(Value::String(m))) => (String::new(), m),
        (None, Some(other)) => (String::new(), other.to_string()),
        (None, None) => (
            String::new(),
            String::from_utf8_lossy(body).chars().take(300).collect(),
        ),
    };
    CalError::Api {
        status: status.as_u16(),
        code,
        message,
    }
}

/// Keeps a uid from escaping its path segment.
fn path_segment(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        .collect()
}
