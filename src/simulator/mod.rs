//! In-process Cal.com API v2 simulator.
//!
//! An axum server implementing the subset of Cal.com API v2 the client uses (bookings 2024-08-13,
//! slots 2024-09-04, event types 2024-06-14, `/v2/me`, organization users, webhook subscriptions),
//! with the real wire shapes: Bearer auth, `cal-api-version` routing, `{status,data,pagination}`
//! envelopes, Nest-style error bodies and `X-RateLimit-*-Default` headers. It is stateful (all in
//! memory), has knobs for latency, failures, hangs and rate limits, and delivers signed Cal.com
//! webhooks (version 2021-10-20 payloads) to subscribed URLs. [`vapi_calls`] stands in for
//! VAPI's call API in the demo: it places pretend calls and plays them back.
//!
//! Used by the `demo` command, integration tests (one simulator per test on `127.0.0.1:0`) and
//! benchmarks. "Now" always comes from [`Clock`], so tests can pin it.
//!
//! One file per concern: `state`, `routing` (envelopes, auth, dispatch), `limits` (rate limits
//! and failure knobs), `slots`, `bookings`, `users` (owner, event types, organization users),
//! `webhooks` (subscriptions, payloads, delivery) and `text` helpers. [`smtp`] is a mail sink
//! standing in for an SMTP server; [`recording`] a call recording for the demo.

mod bookings;
mod limits;
pub mod recording;
mod reservations;
mod routing;
mod slots;
pub mod smtp;
mod standalone;
mod state;
mod text;
mod users;
pub mod vapi_calls;
mod webhooks;

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use axum::Router;
use chrono::{DateTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::clock::Clock;
use routing::entry;
pub use standalone::STANDALONE_REQUEST_LOG;
use state::{Me, RateWindow, State};
use text::slugify;

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
            requests_received: 0,
            request_log_limit: None,
            reservations: Vec::new(),
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

    /// The axum router serving the simulated API (every path goes through one dispatcher so
    /// unknown routes and methods answer like Nest: 404 `Cannot METHOD /path`).
    pub fn router(&self) -> Router {
        Router::new()
            .route(
                recording::RECORDING_PATH,
                axum::routing::get(recording::serve),
            )
            .fallback(entry)
            .with_state(self.clone())
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

    /// The live holds of `POST /v2/slots/reservations`: event type, start, and until when.
    pub fn held_slots(&self) -> Vec<(i64, DateTime<Utc>, DateTime<Utc>)> {
        let now = self.now();
        self.lock()
            .reservations
            .iter()
            .filter(|r| r.until > now)
            .map(|r| (r.event_type_id, r.start, r.until))
            .collect()
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

    /// Requests received since the simulator was made (not reset by [`Simulator::clear_requests`]).
    pub fn requests_received(&self) -> u64 {
        self.lock().requests_received
    }

    /// `Some(n)`: keep only the latest `n` requests in the log (a long-running server's memory
    /// stays flat); `None` (default) keeps all.
    pub fn set_request_log_limit(&self, limit: Option<usize>) {
        self.lock().request_log_limit = limit;
    }

    /// The logged requests numbered `n` and later (the first request received is number 0).
    pub fn requests_since(&self, n: u64) -> Vec<RecordedRequest> {
        let st = self.lock();
        let first = st.requests_received - st.requests.len() as u64;
        let skip = usize::try_from(n.saturating_sub(first)).unwrap_or(usize::MAX);
        st.requests.iter().skip(skip).cloned().collect()
    }
}
