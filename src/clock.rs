//! The one source of "now" for the service and the Cal.com simulator.
//!
//! Tool answers depend on today's date in the business's zone ("tomorrow", "today is …"), so tests
//! must be able to pin the clock: a fixed clock makes late-evening and DST cases reproducible.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Wall clock, either the system's or a fixed instant that tests (and the demo) can move.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The real system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock frozen at `at` until [`Clock::set`] or [`Clock::advance`] moves it.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => Utc::now(),
        }
    }

    /// Moves a fixed clock to `at`; a system clock ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.fixed {
            *fixed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }

    /// Moves a fixed clock forward by `by`; a system clock ignores it.
    pub fn advance(&self, by: Duration) {
        let now = self.now();
        self.set(now + by);
    }
}
