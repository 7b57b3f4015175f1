//! Slot answers shared between tool calls: identical concurrent queries make one upstream
//! request, an answer is reused for a short time (`SLOT_CACHE_SECS`), and a call keeps the
//! answers it fetched for as long as it lasts ([`CALL_MEMORY`]) while the calendar is unchanged.
//!
//! A query is answered by any kept answer whose range covers it, so the week the first read of a
//! call fetches (see `open_days`) answers the call's later reads of days in that week: a caller
//! who asks about tomorrow, then tomorrow afternoon, then Thursday costs one request.
//!
//! Open times change when a booking is made, moved or cancelled. Our own writes and Cal.com's
//! booking webhooks drop every cached answer on this replica: a booking of any event type can take
//! the host's time for the others, so dropping all of them is the only safe choice. A call's
//! longer-kept answer is reused only while the database's calendar version (bumped by every
//! change to the appointments table, on any replica) is the one it was fetched at. Failed answers
//! are never kept.
//!
//! The version is a database read, so it is read only when it decides something: before a new
//! answer is fetched for a call (the version it is kept at, read before asking Cal.com so a
//! change during the request is not missed), and before a call reuses an answer past the short
//! TTL. An answer inside the TTL, or one in flight, serves without it.

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::{CalError, types::SlotsByDay};
use crate::{clock::Clock, domain::tenant::TenantSlug};

/// Default time a slot answer is reused by anyone.
pub const DEFAULT_TTL: Duration = Duration::from_secs(30);

/// How long a call may reuse the answers it fetched itself, while the calendar is unchanged:
/// longer than a booking conversation.
pub const CALL_MEMORY: Duration = Duration::from_secs(15 * 60);

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

impl SlotQuery {
    /// Whether an answer to `self` also answers `other`: the same event type, zone and move, over
    /// a range that contains `other`'s (UTC texts of one format compare as instants do).
    fn covers(&self, other: &SlotQuery) -> bool {
        self.event_type_id == other.event_type_id
            && self.time_zone == other.time_zone
            && self.reschedule_uid == other.reschedule_uid
            && self.start <= other.start
            && self.end >= other.end
    }
}

/// The UTC range a slot query needs (`start` to `end`, texts as sent), and how far to fetch when
/// nothing kept covers it (`fetch_end`, at least `end`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotRange {
    /// Range start.
    pub start: String,
    /// End of what is needed.
    pub end: String,
    /// End of what is fetched.
    pub fetch_end: String,
}

impl SlotRange {
    /// Exactly `start` to `end`, nothing more.
    pub fn exactly(start: &str, end: &str) -> Self {
        Self {
            start: start.to_owned(),
            end: end.to_owned(),
            fetch_end: end.to_owned(),
        }
    }
}

/// Who asks and against which calendar version: a call's own answers are kept for it longer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Memory {
    /// The VAPI call.
    call_id: String,
    /// The calendar version read just before asking.
    version: i64,
}

/// A call asking for open times: what it fetches is kept for it (see the module).
pub struct CallAsking<'a> {
    /// The VAPI call.
    pub call_id: String,
    /// Reads the calendar version (`None` when it cannot be read: nothing is kept past the TTL
    /// then). Polled only when the version decides something.
    pub version: Pin<Box<dyn Future<Output = Option<i64>> + Send + 'a>>,
}

impl std::fmt::Debug for CallAsking<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallAsking")
            .field("call_id", &self.call_id)
            .finish_non_exhaustive()
    }
}

/// What a lookup in the cache found.
enum Lookup {
    /// An answer, kept or in flight.
    Found(Arc<OnceCell<Answer>>),
    /// Only an answer kept for the call past the TTL could serve: read the version first.
    NeedsVersion,
    /// Nothing: a new entry for `SlotQuery`, to fill.
    Inserted(Arc<OnceCell<Answer>>, SlotQuery),
}

type Answer = Result<SlotsByDay, CalError>;

#[derive(Debug)]
struct Entry {
    cell: Arc<OnceCell<Answer>>,
    created: DateTime<Utc>,
    /// The call that fetched it, and the calendar version then.
    memory: Option<Memory>,
}

impl Entry {
    /// Still worth keeping at `now`.
    fn alive(&self, now: DateTime<Utc>, ttl: Duration) -> bool {
        let age = (now - self.created).to_std().unwrap_or_default();
        self.cell.get().is_none() || age < ttl || (self.memory.is_some() && age < CALL_MEMORY)
    }

    /// May answer `asker` at `now`: fresh for anyone, or kept for the call that fetched it at
    /// the calendar version it still sees.
    fn serves(&self, now: DateTime<Utc>, ttl: Duration, asker: Option<&Memory>) -> bool {
        let age = (now - self.created).to_std().unwrap_or_default();
        self.cell.get().is_none()
            || age < ttl
            || (age < CALL_MEMORY && asker.is_some() && self.memory.as_ref() == asker)
    }
}

/// The cache; cheap to clone, shared by clones of the client.
#[derive(Clone, Debug)]
pub struct SlotCache {
    ttl: Duration,
    clock: Clock,
    entries: Arc<Mutex<HashMap<SlotQuery, Entry>>>,
    /// The business whose answers these are (the `tenant` label of its figures).
    pub(super) tenant: TenantSlug,
}

impl SlotCache {
    /// A cache keeping answers for `ttl` (zero: only concurrent identical queries are shared, and
    /// calls keep nothing), timed by `clock`.
    pub fn new(ttl: Duration, clock: Clock) -> Self {
        Self {
            ttl,
            clock,
            entries: Arc::new(Mutex::new(HashMap::new())),
            tenant: TenantSlug::default(),
        }
    }

    /// An answer covering `needed`: a kept one (see the module), the one an identical request in
    /// flight will give, or a new one from `fetch`, which asks for `fetched` (`needed` or more),
    /// kept for `asking`'s call.
    pub async fn get_or_fetch<F, Fut>(
        &self,
        needed: &SlotQuery,
        fetched: SlotQuery,
        asking: Option<CallAsking<'_>>,
        fetch: F,
    ) -> Answer
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Answer>,
    {
        // With no TTL nothing is kept, for calls either, and the version is never needed.
        let mut asking = asking.filter(|_| !self.ttl.is_zero());
        let mut memory = None;
        let (cell, inserted) = loop {
            let wants_version = memory.is_none() && asking.is_some();
            match self.lookup(needed, &fetched, memory.as_ref(), wants_version) {
                Lookup::Found(cell) => break (cell, None),
                Lookup::Inserted(cell, query) => break (cell, Some(query)),
                Lookup::NeedsVersion => {
                    // Asked once: without a version the call keeps nothing past the TTL.
                    if let Some(CallAsking { call_id, version }) = asking.take() {
                        memory = version.await.map(|version| Memory { call_id, version });
                    }
                }
            }
        };
        let outcome = if inserted.is_none() { "hit" } else { "miss" };
        metrics::counter!(
            "cal_slot_cache_total",
            crate::telemetry::TENANT_LABEL => self.tenant.shared(),
            "outcome" => outcome
        )
        .increment(1);
        let answer = cell.get_or_init(fetch).await.clone();
        if let Some(query) = inserted.filter(|_| answer.is_err() || self.ttl.is_zero()) {
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

    /// An entry that serves `needed` (fresh, in flight, or kept for `memory`), or else a new
    /// entry for `fetched` kept for `memory` — unless `wants_version`: then the caller reads the
    /// version and looks again, so that a new answer is kept at it and kept answers past the TTL
    /// are weighed against it.
    fn lookup(
        &self,
        needed: &SlotQuery,
        fetched: &SlotQuery,
        memory: Option<&Memory>,
        wants_version: bool,
    ) -> Lookup {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.clock.now();
        entries.retain(|_, e| e.alive(now, self.ttl));
        let found = entries
            .get(fetched)
            .filter(|e| e.serves(now, self.ttl, memory))
            .or_else(|| {
                entries.iter().find_map(|(q, e)| {
                    (e.cell.get().is_some_and(Result::is_ok)
                        && q.covers(needed)
                        && e.serves(now, self.ttl, memory))
                    .then_some(e)
                })
            })
            .map(|e| e.cell.clone());
        if let Some(cell) = found {
            return Lookup::Found(cell);
        }
        if wants_version {
            return Lookup::NeedsVersion;
        }
        let cell = Arc::new(OnceCell::new());
        entries.insert(
            fetched.clone(),
            Entry {
                cell: cell.clone(),
                created: now,
                memory: memory.cloned(),
            },
        );
        Lookup::Inserted(cell, fetched.clone())
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

    /// Runs `f` on a runtime of its own (with timers).
    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn query(day: &str) -> SlotQuery {
        range(day, day)
    }

    /// From `first`'s start to `last`'s end, in New York in November.
    fn range(first: &str, last: &str) -> SlotQuery {
        let next = chrono::NaiveDate::parse_from_str(last, "%Y-%m-%d").unwrap()
            + chrono::Duration::days(1);
        SlotQuery {
            event_type_id: 7,
            start: format!("{first}T05:00:00Z"),
            end: format!("{next}T04:59:59Z"),
            time_zone: "America/New_York".into(),
            reschedule_uid: None,
        }
    }

    /// `call_id` asking at calendar `version`, counting the reads of the version in `reads`.
    fn asking<'a>(call_id: &str, version: i64, reads: &'a AtomicUsize) -> Option<CallAsking<'a>> {
        Some(CallAsking {
            call_id: call_id.to_owned(),
            version: Box::pin(async move {
                reads.fetch_add(1, Ordering::SeqCst);
                Some(version)
            }),
        })
    }

    #[test]
    fn the_version_is_read_only_to_keep_an_answer_or_reuse_one_past_the_ttl() {
        block_on(async {
            let clock = Clock::fixed("2026-11-21T15:00:00Z".parse().unwrap());
            let cache = SlotCache::new(DEFAULT_TTL, clock.clone());
            let (fetches, reads) = (AtomicUsize::new(0), AtomicUsize::new(0));
            let fetch = || async {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok(SlotsByDay::default())
            };
            let week = range("2026-11-22", "2026-11-28");
            let (cache, reads_ref) = (&cache, &reads);
            let ask = |day: &str, version| {
                let (q, fetched) = (query(day), week.clone());
                let asked = asking("call-1", version, reads_ref);
                async move { cache.get_or_fetch(&q, fetched, asked, fetch).await }
            };
            // A new answer is kept at the version read before asking Cal.com.
            ask("2026-11-22", 1).await.unwrap();
            assert_eq!(
                (fetches.load(Ordering::SeqCst), reads.load(Ordering::SeqCst)),
                (1, 1)
            );
            // Inside the TTL the answer serves without a read.
            clock.advance(chrono::Duration::seconds(20));
            ask("2026-11-24", 1).await.unwrap();
            assert_eq!(
                (fetches.load(Ordering::SeqCst), reads.load(Ordering::SeqCst)),
                (1, 1)
            );
            // Past it, the version is read, and the same version lets the call reuse it.
            clock.advance(chrono::Duration::seconds(20));
            ask("2026-11-25", 1).await.unwrap();
            assert_eq!(
                (fetches.load(Ordering::SeqCst), reads.load(Ordering::SeqCst)),
                (1, 2)
            );
            // A calendar changed since (a webhook on any replica bumped the version): fetched
            // again, at the new version, with one read.
            ask("2026-11-25", 2).await.unwrap();
            assert_eq!(
                (fetches.load(Ordering::SeqCst), reads.load(Ordering::SeqCst)),
                (2, 3)
            );
        });
        // With no TTL nothing is kept, and the version is never read.
        block_on(async {
            let cache = SlotCache::new(Duration::ZERO, Clock::system());
            let reads = AtomicUsize::new(0);
            for _ in 0..2 {
                let q = query("2026-11-24");
                let asked = asking("call-1", 1, &reads);
                cache
                    .get_or_fetch(&q, q.clone(), asked, || async { Ok(SlotsByDay::default()) })
                    .await
                    .unwrap();
            }
            assert_eq!(reads.load(Ordering::SeqCst), 0);
        });
    }

    #[test]
    fn concurrent_identical_queries_share_one_fetch_and_are_counted() {
        let counts = Counts::default();
        let fetches = AtomicUsize::new(0);
        metrics::with_local_recorder(&counts, || {
            block_on(async {
                let cache = SlotCache::new(DEFAULT_TTL, Clock::system());
                let fetch = || async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok(SlotsByDay::default())
                };
                let (q24, q25) = (query("2026-11-24"), query("2026-11-25"));
                let (a, b, c) = tokio::join!(
                    cache.get_or_fetch(&q24, q24.clone(), None, fetch),
                    cache.get_or_fetch(&q24, q24.clone(), None, fetch),
                    cache.get_or_fetch(&q25, q25.clone(), None, fetch),
                );
                assert!(a.is_ok() && b.is_ok() && c.is_ok());
                // Later, an answer still fresh; after invalidation, a new fetch.
                cache
                    .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), None, fetch)
                    .await
                    .unwrap();
                cache.invalidate();
                cache
                    .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), None, fetch)
                    .await
                    .unwrap();
            });
        });
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        let counts = counts.0.lock().unwrap();
        let get = |k: &str| counts.get(k).map_or(0, |c| c.load(Ordering::Relaxed));
        assert_eq!(get("cal_slot_cache_total{tenant=default,outcome=hit}"), 2);
        assert_eq!(get("cal_slot_cache_total{tenant=default,outcome=miss}"), 3);
    }

    #[test]
    fn failed_answers_are_not_kept() {
        block_on(async {
            let cache = SlotCache::new(DEFAULT_TTL, Clock::system());
            let failed = cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), None, || async {
                    Err(CalError::Timeout)
                })
                .await;
            assert!(failed.is_err());
            let retried = cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), None, || async {
                    Ok(SlotsByDay::default())
                })
                .await;
            assert!(retried.is_ok());
        });
    }

    #[test]
    fn a_call_keeps_its_week_while_the_calendar_is_unchanged() {
        block_on(async {
            let clock = Clock::fixed("2026-11-21T15:00:00Z".parse().unwrap());
            let cache = SlotCache::new(DEFAULT_TTL, clock.clone());
            let fetches = AtomicUsize::new(0);
            let versions_read = AtomicUsize::new(0);
            let fetch = || async {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok(SlotsByDay::default())
            };
            let call = |version| asking("call-1", version, &versions_read);
            // The call fetches a week; a day inside it, asked a minute later, needs nothing new.
            cache
                .get_or_fetch(
                    &range("2026-11-22", "2026-11-28"),
                    range("2026-11-22", "2026-11-28"),
                    call(1),
                    fetch,
                )
                .await
                .unwrap();
            clock.advance(chrono::Duration::seconds(60));
            cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), call(1), fetch)
                .await
                .unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 1);
            // Another call, past the short TTL, fetches for itself.
            let other = asking("call-2", 1, &versions_read);
            cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), other, fetch)
                .await
                .unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 2);
            // A day outside the week is a new fetch; so is any day once the calendar changed
            // (past the short TTL, in which any answer serves anyone, as on one replica).
            clock.advance(chrono::Duration::seconds(31));
            cache
                .get_or_fetch(&query("2026-11-30"), query("2026-11-30"), call(1), fetch)
                .await
                .unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 3);
            cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), call(2), fetch)
                .await
                .unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 4);
            // And nothing is kept past the call's memory.
            clock.advance(chrono::Duration::seconds(CALL_MEMORY.as_secs() as i64));
            cache
                .get_or_fetch(&query("2026-11-24"), query("2026-11-24"), call(2), fetch)
                .await
                .unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 5);
        });
    }
}
