//! Failed credentials per client address: after `AUTH_FAILURES_PER_MINUTE` failures in a minute
//! from one address, further attempts there are refused (429 with `Retry-After`) until the
//! minute is over, whether their credential is right or not, so guessing gains nothing.
//!
//! Counted in memory, per replica: N replicas let an address try N times as often, which still
//! turns a brute force of a 16-character secret into hopeless arithmetic. Behind a reverse proxy
//! every client has the proxy's address; forwarded headers are not trusted, since anyone can
//! send them.

use std::{
    collections::HashMap,
    convert::Infallible,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};

use crate::error::ApiError;

/// The window failures are counted in.
const WINDOW: Duration = Duration::from_secs(60);
/// Addresses tracked before expired windows are swept.
const SWEEP_AT: usize = 4_096;
/// Addresses tracked at most; beyond, new addresses share one window (bounded memory).
const MAX_ADDRESSES: usize = 65_536;
/// The address that stands for every address beyond [`MAX_ADDRESSES`].
const OVERFLOW: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

/// Failed attempts per client address, in fixed one-minute windows.
#[derive(Debug)]
pub struct FailureLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    started: Instant,
    failures: u32,
}

impl FailureLimiter {
    /// A limiter allowing `per_minute` failures per address a minute (0 turns it off).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Refuses the attempt (429) when `client` has used up its failures this minute.
    pub fn check(&self, client: IpAddr) -> Result<(), ApiError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let key = if windows.contains_key(&client) || windows.len() < MAX_ADDRESSES {
            client
        } else {
            OVERFLOW
        };
        match windows.get(&key) {
            Some(w) if w.failures >= self.per_minute && now < w.started + WINDOW => {
                let left = (w.started + WINDOW).saturating_duration_since(now);
                Err(ApiError::TooManyRequests {
                    retry_after_secs: left.as_secs().max(1),
                    message: "too many failed attempts from this address; try again later"
                        .to_owned(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts one failed attempt from `client`.
    pub fn failed(&self, client: IpAddr) {
        if self.per_minute == 0 {
            return;
        }
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= SWEEP_AT && !windows.contains_key(&client) {
            windows.retain(|_, w| now < w.started + WINDOW);
        }
        let key = if windows.contains_key(&client) || windows.len() < MAX_ADDRESSES {
            client
        } else {
            OVERFLOW
        };
        let window = windows.entry(key).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now >= window.started + WINDOW {
            *window = Window {
                started: now,
                failures: 0,
            };
        }
        window.failures = window.failures.saturating_add(1);
    }
}

/// The client's address as the server loop recorded it (unspecified when there is none, as for
/// a request that did not come through the server loop).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(OVERFLOW, |ConnectInfo(addr)| addr.ip()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_its_failures_and_others_are_not() {
        let limiter = FailureLimiter::new(3);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(one).is_ok());
            limiter.failed(one);
        }
        match limiter.check(one) {
            Err(ApiError::TooManyRequests {
                retry_after_secs, ..
            }) => assert!((1..=60).contains(&retry_after_secs)),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.check(two).is_ok());
        let off = FailureLimiter::new(0);
        for _ in 0..100 {
            off.failed(one);
        }
        assert!(off.check(one).is_ok());
    }
}
