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

#[cfg(test)]
mod tests {
    use std::{
        collections::BTreeMap,
        sync::atomic::{AtomicU64, AtomicUsize, Ordering},
    };

    use metrics::{Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, Recorder};

    use super::*;

    /// Counts counter increments by name and labels, as an exporter would.
    #[derive(Default)]
    struct Counts(Mutex<BTreeMap<String, Arc<AtomicU64>>>);

    struct Cell(Arc<AtomicU64>);

    impl CounterFn for Cell {
        fn increment(&self, value: u64) {
            self.0.fetch_add(value, Ordering::Relaxed);
        }
        fn absolute(&self, value: u64) {
            self.0.store(value, Ordering::Relaxed);
        }
    }

    impl Recorder for Counts {
        fn describe_counter(&self, _: KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {
        }
        fn describe_gauge(&self, _: KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {}
        fn describe_histogram(
            &self,
            _: KeyName,
            _: Option<metrics::Unit>,
            _: metrics::SharedString,
        ) {
        }
        fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
            let labels: Vec<String> = key
                .labels()
                .map(|l| format!("{}={}", l.key(), l.value()))
                .collect();
            let name = format!("{}{{{}}}", key.name(), labels.join(","));
            let cell = self.0.lock().unwrap().entry(name).or_default().clone();
            Counter::from_arc(Arc::new(Cell(cell)))
        }
        fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
            Gauge::noop()
        }
        fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
            Histogram::noop()
        }
    }

    fn query(day: &str) -> SlotQuery {
        SlotQuery {
            event_type_id: 7,
            start: format!("{day}T05:00:00Z"),
            end: format!("{day}T04:59:59Z"),
            time_zone: "America/New_York".into(),
            reschedule_uid: None,
        }
    }

    #[test]
    fn concurrent_identical_queries_share_one_fetch_and_are_counted() {
        let counts = Counts::default();
        let fetches = AtomicUsize::new(0);
        metrics::with_local_recorder(&counts, || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            rt.block_on(async {
                let cache = SlotCache::new(DEFAULT_TTL);
                let fetch = || async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok(SlotsByDay::default())
                };
                let (a, b, c) = tokio::join!(
                    cache.get_or_fetch(query("2026-11-24"), fetch),
                    cache.get_or_fetch(query("2026-11-24"), fetch),
                    cache.get_or_fetch(query("2026-11-25"), fetch),
                );
                assert!(a.is_ok() && b.is_ok() && c.is_ok());
                // Later, an answer still fresh; after invalidation, a new fetch.
                cache
                    .get_or_fetch(query("2026-11-24"), fetch)
                    .await
                    .unwrap();
                cache.invalidate();
                cache
                    .get_or_fetch(query("2026-11-24"), fetch)
                    .await
                    .unwrap();
            });
        });
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        let counts = counts.0.lock().unwrap();
        let get = |k: &str| counts.get(k).map_or(0, |c| c.load(Ordering::Relaxed));
        assert_eq!(get("cal_slot_cache_total{outcome=hit}"), 2);
        assert_eq!(get("cal_slot_cache_total{outcome=miss}"), 3);
    }

    #[test]
    fn failed_answers_are_not_kept() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let cache = SlotCache::new(DEFAULT_TTL);
            let failed = cache
                .get_or_fetch(query("2026-11-24"), || async { Err(CalError::Timeout) })
                .await;
            assert!(failed.is_err());
            let retried = cache
                .get_or_fetch(query("2026-11-24"), || async { Ok(SlotsByDay::default()) })
                .await;
            assert!(retried.is_ok());
        });
    }
}
