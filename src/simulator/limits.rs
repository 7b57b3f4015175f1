//! Rate limits (`X-RateLimit-*-Default` headers, 429 ThrottlerException) and the failure knobs
//! (latency, failing or hanging the next requests).

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::Simulator;
use super::routing::{ApiErr, error_response, json_response};
use super::state::{RateWindow, State};

pub(super) const NOMINAL_RATE_LIMIT: u32 = 120;

pub(super) fn rate_peek(st: &State, now: DateTime<Utc>) -> (u32, u32, i64) {
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

pub(super) fn remaining_for(rate_limit: Option<u32>, count: u32) -> u32 {
    match rate_limit {
        Some(n) => n.saturating_sub(count),
        // Unlimited: report the nominal limit but never an exhausted one, so polite clients
        // don't pause needlessly.
        None => NOMINAL_RATE_LIMIT.saturating_sub(count).max(1),
    }
}

/// Counts one request; returns (allowed, limit, remaining, reset seconds).
pub(super) fn rate_check(st: &mut State, now: DateTime<Utc>) -> (bool, u32, u32, i64) {
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

pub(super) fn secs_until(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    let ms = (then - now).num_milliseconds().max(0);
    (ms + 999) / 1000
}

pub(super) fn add_rate_headers(response: &mut Response, limit: u32, remaining: u32, reset: i64) {
    let h = response.headers_mut();
    h.insert("X-RateLimit-Limit-Default", HeaderValue::from(limit));
    h.insert(
        "X-RateLimit-Remaining-Default",
        HeaderValue::from(remaining),
    );
    h.insert("X-RateLimit-Reset-Default", HeaderValue::from(reset));
}

pub(super) fn knob_failure(status: u16, now: DateTime<Utc>, path_q: &str) -> Response {
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

impl Simulator {
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
}
