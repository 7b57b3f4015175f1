//! Each call's share of the Cal.com request budget: the key's budget ([`super::budget`]) is one
//! for every caller, so one call (a model looping over availability reads, a message with a
//! hundred tool calls) could spend it for everyone. A call may send at most its share
//! (`CAL_REQUESTS_PER_CALL`); answers from the slot cache cost nothing.
//!
//! Shares are counted in this process: VAPI sends one message to one replica, so a message's
//! requests are counted together; a call whose messages land on several replicas gets at most
//! one share on each.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

/// Calls tracked before idle ones are forgotten.
const TRACKED: usize = 4096;
/// A call unseen this long is over (VAPI calls end well before it).
const IDLE: Duration = Duration::from_secs(2 * 60 * 60);

/// One call's share: requests sent so far and the most it may send.
#[derive(Debug)]
pub struct CallShare {
    used: AtomicU32,
    limit: u32,
}

impl CallShare {
    /// A share of `limit` requests, none used.
    pub fn new(limit: u32) -> Self {
        Self {
            used: AtomicU32::new(0),
            limit,
        }
    }

    /// Takes one request from the share; false when it is spent.
    pub fn take(&self) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                (used < self.limit).then_some(used + 1)
            })
            .is_ok()
    }

    /// Requests taken so far.
    pub fn used(&self) -> u32 {
        self.used.load(Ordering::Acquire)
    }
}

/// A call's share and when the call was last seen.
type Tracked = (Arc<CallShare>, Instant);

/// The shares of the calls this process has seen, by VAPI call id.
#[derive(Clone, Debug)]
pub struct CallShares {
    per_call: u32,
    calls: Arc<Mutex<Calls>>,
}

/// The tracked calls, and the size at which idle ones are next looked for.
#[derive(Debug)]
struct Calls {
    by_id: HashMap<String, Tracked>,
    sweep_at: usize,
}

impl Default for Calls {
    fn default() -> Self {
        Self {
            by_id: HashMap::new(),
            sweep_at: TRACKED,
        }
    }
}

impl CallShares {
    /// Shares of `per_call` requests each.
    pub fn new(per_call: u32) -> Self {
        Self {
            per_call,
            calls: Arc::default(),
        }
    }

    /// The share of `call_id` (a new one for a call not seen before); a message without a call
    /// id gets a share of its own.
    pub fn of(&self, call_id: Option<&str>) -> Arc<CallShare> {
        let Some(call_id) = call_id else {
            return Arc::new(CallShare::new(self.per_call));
        };
        let now = Instant::now();
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        if calls.by_id.len() >= calls.sweep_at && !calls.by_id.contains_key(call_id) {
            calls
                .by_id
                .retain(|_, (_, seen)| now.duration_since(*seen) < IDLE);
            // When most calls are still live, the next sweep waits until they have doubled, so
            // sweeps stay rare (each is paid for by as many new calls) instead of running for
            // every new call.
            calls.sweep_at = (calls.by_id.len() * 2).max(TRACKED);
        }
        let entry = calls
            .by_id
            .entry(call_id.to_owned())
            .or_insert_with(|| (Arc::new(CallShare::new(self.per_call)), now));
        entry.1 = now;
        entry.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_runs_out_and_stays_out() {
        let share = CallShare::new(2);
        assert!(share.take());
        assert!(share.take());
        assert!(!share.take());
        assert!(!share.take());
        assert_eq!(share.used(), 2);
    }

    #[test]
    fn messages_of_one_call_draw_from_one_share() {
        let shares = CallShares::new(1);
        assert!(shares.of(Some("call-a")).take());
        assert!(!shares.of(Some("call-a")).take());
        assert!(shares.of(Some("call-b")).take());
        assert!(shares.of(None).take());
    }
}
