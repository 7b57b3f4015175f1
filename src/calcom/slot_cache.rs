//! Slot answers shared between tool calls: identical concurrent queries make one upstream
//! request, and an answer is reused for a short time (`SLOT_CACHE_SECS`).
//!
//! Open times change when a booking is made, moved or cancelled. Our own writes and Cal.com's
//! booking webhooks drop every cached answer: a booking of any event type can take the host's time
//! for the others, so dropping all of them is the only safe choice. Failed answers are never kept.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::OnceCell;

use super::{CalError, types::SlotsByDay};

/// Default time a slot answer is reused.
pub const DEFAULT_TTL: Duration = Duration::from_secs(30);

/// What identifies a slot query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SlotQuery {
    /// Event type.
    pub event_type_id: i64,
    /// Range start (UTC text as sent).
    pub start: String,
    /// Range end (UTC text as sent).
    pub end: String,
    /// Zone the days are keyed in.
    pub time_zone: String,
    /// Booking being moved, whose own time counts as open.
    pub reschedule_uid: Option<String>,
}

type Answer = Result<SlotsByDay, CalError>;

#[derive(Debug)]
struct Entry {
    cell: Arc<OnceCell<Answer>>,
    created: Instant,
}

/// The cache; cheap to clone, shared by clones of the client.
#[derive(Clone, Debug)]
pub struct SlotCache {
    ttl: Duration,
    entries: Arc<Mutex<HashMap<SlotQuery, Entry>>>,
}

impl SlotCache {
    /// A cache keeping answers for `ttl` (zero: only concurrent identical queries are shared).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The answer to `query`: a fresh cached one, the one an identical request in flight will
    /// give, or a new one from `fetch`.
    pub async fn get_or_fetch<F, Fut>(&self, query: SlotQuery, fetch: F) -> Answer
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Answer>,
    {
        let (cell, hit) = {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            entries
                .retain(|_, e| e.cell.get().is_none() || now.duration_since(e.created) < self.ttl);
            match entries.get(&query) {
                Some(entry) => (entry.cell.clone(), true),
                None => {
                    let cell = Arc::new(OnceCell::new());
                    entries.insert(
                        query.clone(),
                        Entry {
                            cell: cell.clone(),
                            created: now,
                        },
                    );
                    (cell, false)
                }
            }
        };
        let outcome = if hit { "hit" } else { "miss" };
        metrics::counter!("cal_slot_cache_total", "outcome" => outcome).increment(1);
        let answer = cell.get_or_init(fetch).await.clone();
        if answer.is_err() || self.ttl.is_zero() {
            // Errors are not remembered; with no TTL the entry only served the requests in flight.
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if entries
                .get(&query)
                .is_some_and(|e| Arc::ptr_eq(&e.cell, &cell))
            {
                entries.remove(&query);
            }
        }
        answer
    }

    /// Drops every cached answer (requests already in flight still finish for their callers).
    pub fn invalidate(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
