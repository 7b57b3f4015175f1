//! One Cal.com request budget per API key: a token bucket every request draws from.
//!
//! Cal.com allows an API key 120 requests a minute and then blocks it for 60 seconds. Several
//! replicas share one key, so on PostgreSQL the bucket is a database row that every replica
//! updates under its row lock ([`crate::db::rate_budget`]); on SQLite (one process) it lives in
//! memory. The policy is here:
//!
//! - A tool call takes a token, or waits for one if the wait still fits its deadline; otherwise it
//!   is refused at once with the time to wait, so the caller hears a sentence instead of silence.
//! - Background work (reconcile, backfills) takes a token only while more than a reserve is left,
//!   and otherwise waits: tool calls always find tokens first.
//! - Cal.com's own word wins: an answer saying nothing remains (`X-RateLimit-Remaining-*: 0`), or
//!   a 429, blocks the key until its reset (`Retry-After`, `X-RateLimit-Reset-*`, else 60 s).

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db, rate_budget::BudgetRow};

/// Cal.com's default limit for an API key.
pub const DEFAULT_PER_MINUTE: u32 = 120;
/// How long Cal.com blocks a key that went over, when it does not say.
const DEFAULT_BLOCK: Duration = Duration::from_secs(60);
/// Longest background work waits for a token before giving up on this round.
const BACKGROUND_MAX_WAIT: Duration = Duration::from_secs(300);
const MILLI: i64 = 1000;

/// Who is asking: a caller on the line, or work nobody is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// A tool call: may wait only as long as its deadline allows.
    Interactive,
    /// Reconcile and backfills: leaves a reserve for tool calls and waits instead.
    Background,
}

impl Priority {
    /// Label used in logs and metrics.
    pub fn label(self) -> &'static str {
        match self {
            Priority::Interactive => "interactive",
            Priority::Background => "background",
        }
    }
}

/// What the bucket said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A token is taken: send after `wait`.
    Go {
        /// Time until the token is really there (zero when the bucket had one).
        wait: Duration,
    },
    /// Nothing taken: ask again after `wait`.
    Later {
        /// Time to sleep first.
        wait: Duration,
    },
    /// The wait does not fit: do not send.
    Refuse {
        /// When a token (or Cal.com's unblock) is expected.
        retry_after: Duration,
    },
}

/// The bucket's state; the same arithmetic serves the in-memory and the database copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Tokens in thousandths; negative while callers wait for tokens promised to them.
    pub tokens_milli: i64,
    /// When `tokens_milli` was brought up to date.
    pub refilled_at: DateTime<Utc>,
    /// Cal.com asked us to send nothing before this instant.
    pub blocked_until: Option<DateTime<Utc>>,
}

impl Bucket {
    /// A full bucket.
    pub fn full(per_minute: u32, now: DateTime<Utc>) -> Self {
        Self {
            tokens_milli: i64::from(per_minute) * MILLI,
            refilled_at: now,
            blocked_until: None,
        }
    }

    fn refill(&mut self, per_minute: u32, now: DateTime<Utc>) {
        let elapsed_ms = (now - self.refilled_at).num_milliseconds();
        if elapsed_ms <= 0 {
            return;
        }
        let capacity = i64::from(per_minute) * MILLI;
        // per_minute tokens per 60 000 ms = per_minute thousandths per 60 ms.
        let gained = elapsed_ms.saturating_mul(i64::from(per_minute)) / 60;
        self.tokens_milli = self.tokens_milli.saturating_add(gained).min(capacity);
        self.refilled_at = now;
    }

    /// Time for the bucket to gain `milli` thousandths of a token.
    fn time_for(per_minute: u32, milli: i64) -> Duration {
        let milli = u64::try_from(milli).unwrap_or(0);
        Duration::from_millis((milli * 60).div_ceil(u64::from(per_minute.max(1))))
    }

    /// Tokens kept for tool calls: background work never takes the last quarter of the budget.
    pub fn reserve_milli(per_minute: u32) -> i64 {
        (i64::from(per_minute) * MILLI / 4).max(MILLI)
    }

    /// Decides one request at `now`; a token taken is taken from `self`.
    pub fn decide(
        &mut self,
        per_minute: u32,
        now: DateTime<Utc>,
        priority: Priority,
        max_wait: Duration,
    ) -> Decision {
        self.refill(per_minute, now);
        if let Some(until) = self.blocked_until {
            if now < until {
                let wait = (until - now).to_std().unwrap_or_default();
                return match priority {
                    Priority::Interactive if wait > max_wait => {
                        Decision::Refuse { retry_after: wait }
                    }
                    _ => Decision::Later { wait },
                };
            }
            self.blocked_until = None;
        }
        let needed = match priority {
            Priority::Interactive => MILLI,
            Priority::Background => MILLI + Self::reserve_milli(per_minute),
        };
        if self.tokens_milli >= needed {
            self.tokens_milli -= MILLI;
            return Decision::Go {
                wait: Duration::ZERO,
            };
        }
        let wait = Self::time_for(per_minute, needed - self.tokens_milli);
        match priority {
            Priority::Interactive if wait <= max_wait => {
                // Promise the next token to this caller, so later ones queue behind it.
                self.tokens_milli -= MILLI;
                Decision::Go { wait }
            }
            Priority::Interactive => Decision::Refuse { retry_after: wait },
            Priority::Background => Decision::Later { wait },
        }
    }

    /// Takes in what Cal.com said about the key; true when the bucket changed.
    pub fn observe(&mut self, now: DateTime<Utc>, signal: &RateSignal) -> bool {
        let block = if signal.throttled {
            Some(signal.retry_after.or(signal.reset).unwrap_or(DEFAULT_BLOCK))
        } else if signal.remaining == Some(0) {
            Some(signal.reset.unwrap_or(DEFAULT_BLOCK))
        } else {
            None
        };
        let Some(block) = block else {
            return false;
        };
        let until = now + chrono::Duration::from_std(block).unwrap_or(chrono::Duration::MAX);
        if self.blocked_until.is_some_and(|b| b >= until) {
            return false;
        }
        self.blocked_until = Some(until);
        if signal.throttled {
            self.tokens_milli = self.tokens_milli.min(0);
        }
        true
    }
}

/// What one Cal.com answer said about the key's limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateSignal {
    /// The answer was 429.
    pub throttled: bool,
    /// `X-RateLimit-Remaining-*`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset-*`, as a duration from now.
    pub reset: Option<Duration>,
    /// `Retry-After`, as a duration from now.
    pub retry_after: Option<Duration>,
}

impl RateSignal {
    /// Reads the headers of one answer. Cal.com names its limits (`…-Default`), so any
    /// `x-ratelimit-remaining*` counts, the smallest winning; a reset is seconds from now, or an
    /// epoch second when it is that large.
    pub fn from_headers(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        now: DateTime<Utc>,
    ) -> Self {
        let number = |v: &reqwest::header::HeaderValue| v.to_str().ok()?.trim().parse::<u64>().ok();
        let as_wait = |n: u64| {
            if n >= 1_000_000_000 {
                let secs = i64::try_from(n).unwrap_or(i64::MAX) - now.timestamp();
                Duration::from_secs(u64::try_from(secs).unwrap_or(0))
            } else {
                Duration::from_secs(n)
            }
        };
        let mut signal = RateSignal {
            throttled: status == 429,
            ..RateSignal::default()
        };
        for (name, value) in headers {
            let name = name.as_str();
            if name.starts_with("x-ratelimit-remaining") {
                if let Some(n) = number(value) {
                    signal.remaining = Some(signal.remaining.map_or(n, |r| r.min(n)));
                }
            } else if name.starts_with("x-ratelimit-reset") {
                if let Some(n) = number(value) {
                    let wait = as_wait(n);
                    signal.reset = Some(signal.reset.map_or(wait, |r| r.max(wait)));
                }
            } else if name == "retry-after" {
                signal.retry_after = number(value).map(as_wait);
            }
        }
        signal
    }
}

/// A refused request: when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted {
    /// Time until a request could be sent.
    pub retry_after: Duration,
}

/// The budget of one API key, shared by clones of the client (and by replicas on PostgreSQL).
#[derive(Clone, Debug)]
pub struct Budget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    key_hash: String,
    per_minute: u32,
    store: Store,
}

#[derive(Debug)]
enum Store {
    Local(Mutex<Option<Bucket>>),
    Shared(Db),
}

impl Budget {
    /// A budget in this process only.
    pub fn local(api_key: &SecretString, per_minute: u32) -> Self {
        Self::with_store(api_key, per_minute, Store::Local(Mutex::new(None)))
    }

    /// A budget in the database, shared with every process using it.
    pub fn shared(db: Db, api_key: &SecretString, per_minute: u32) -> Self {
        Self::with_store(api_key, per_minute, Store::Shared(db))
    }

    /// Shared on PostgreSQL (where replicas run), in process on SQLite (one process per file).
    pub fn for_db(db: &Db, api_key: &SecretString, per_minute: u32) -> Self {
        match db.backend() {
            Backend::Postgres => Self::shared(db.clone(), api_key, per_minute),
            Backend::Sqlite => Self::local(api_key, per_minute),
        }
    }

    fn with_store(api_key: &SecretString, per_minute: u32, store: Store) -> Self {
        let key_hash = hex::encode(Sha256::digest(api_key.expose_secret().as_bytes()));
        Self {
            inner: Arc::new(Inner {
                key_hash,
                per_minute: per_minute.max(1),
                store,
            }),
        }
    }

    /// Requests a minute this budget allows.
    pub fn per_minute(&self) -> u32 {
        self.inner.per_minute
    }

    /// Waits for a token. A tool call waits at most `max_wait` (else it is refused at once);
    /// background work waits up to a few minutes.
    pub async fn acquire(&self, priority: Priority, max_wait: Duration) -> Result<(), Exhausted> {
        let max_wait = match priority {
            Priority::Interactive => max_wait,
            Priority::Background => BACKGROUND_MAX_WAIT,
        };
        let started = tokio::time::Instant::now();
        loop {
            let left = max_wait.saturating_sub(started.elapsed());
            match self.decide(priority, left).await {
                Decision::Go { wait } => {
                    if !wait.is_zero() {
                        metrics::counter!("cal_rate_limit_waits_total", "priority" => priority.label())
                            .increment(1);
                        tokio::time::sleep(wait).await;
                    }
                    return Ok(());
                }
                Decision::Later { wait } => {
                    if wait > left {
                        metrics::counter!("cal_rate_limit_refusals_total", "priority" => priority.label())
                            .increment(1);
                        return Err(Exhausted { retry_after: wait });
                    }
                    metrics::counter!("cal_rate_limit_waits_total", "priority" => priority.label())
                        .increment(1);
                    // Wake up now and then: another replica may have been refilled or unblocked.
                    tokio::time::sleep(
                        wait.clamp(Duration::from_millis(20), Duration::from_secs(1)),
                    )
                    .await;
                }
                Decision::Refuse { retry_after } => {
                    metrics::counter!("cal_rate_limit_refusals_total", "priority" => priority.label())
                        .increment(1);
                    return Err(Exhausted { retry_after });
                }
            }
        }
    }

    async fn decide(&self, priority: Priority, max_wait: Duration) -> Decision {
        let per_minute = self.inner.per_minute;
        match &self.inner.store {
            Store::Local(bucket) => {
                let now = Utc::now();
                let mut guard = bucket.lock().unwrap_or_else(|p| p.into_inner());
                let bucket = guard.get_or_insert_with(|| Bucket::full(per_minute, now));
                bucket.decide(per_minute, now, priority, max_wait)
            }
            Store::Shared(db) => {
                let go = Decision::Go {
                    wait: Duration::ZERO,
                };
                let outcome = self
                    .update_shared(db, |bucket, now| {
                        let decision = bucket.decide(per_minute, now, priority, max_wait);
                        // Only a taken token must be written; the rest changed nothing that counts.
                        (matches!(decision, Decision::Go { .. }), decision)
                    })
                    .await;
                // The calendar matters more than the ledger: if the database cannot keep the
                // budget, send anyway (Cal.com's own headers still stop a runaway).
                outcome.unwrap_or(go)
            }
        }
    }

    /// Takes in what a Cal.com answer said about the key.
    pub async fn observe(&self, signal: &RateSignal) {
        if !signal.throttled && signal.remaining != Some(0) {
            return;
        }
        tracing::warn!(
            throttled = signal.throttled,
            reset_secs = signal.retry_after.or(signal.reset).map(|d| d.as_secs()),
            "Cal.com says the request budget is spent; holding requests until it resets"
        );
        match &self.inner.store {
            Store::Local(bucket) => {
                let now = Utc::now();
                let mut guard = bucket.lock().unwrap_or_else(|p| p.into_inner());
                let per_minute = self.inner.per_minute;
                guard
                    .get_or_insert_with(|| Bucket::full(per_minute, now))
                    .observe(now, signal);
            }
            Store::Shared(db) => {
                let _ = self
                    .update_shared(db, |bucket, now| (bucket.observe(now, signal), ()))
                    .await;
            }
        }
    }

    /// Applies `change` to the shared row under its lock, writing it back if it says so.
    /// `None` when the database failed.
    async fn update_shared<T>(
        &self,
        db: &Db,
        change: impl FnOnce(&mut Bucket, DateTime<Utc>) -> (bool, T),
    ) -> Option<T> {
        let now = Utc::now();
        let fresh = Bucket::full(self.inner.per_minute, now);
        let fresh_row = BudgetRow {
            tokens_milli: fresh.tokens_milli,
            refilled_at: fresh.refilled_at,
            blocked_until: None,
            version: 0,
        };
        let outcome = db
            .with_budget_row(&self.inner.key_hash, &fresh_row, |row| {
                let mut bucket = Bucket {
                    tokens_milli: row.tokens_milli,
                    refilled_at: row.refilled_at,
                    blocked_until: row.blocked_until,
                };
                let (write, out) = change(&mut bucket, now);
                row.tokens_milli = bucket.tokens_milli;
                row.refilled_at = bucket.refilled_at;
                row.blocked_until = bucket.blocked_until;
                (write, out)
            })
            .await;
        match outcome {
            Ok(out) => Some(out),
            Err(err) => {
                tracing::warn!(%err, "could not use the shared Cal.com budget");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_full_bucket_serves_its_limit_then_refuses_what_does_not_fit() {
        let now = t("2026-11-21T15:00:00Z");
        let mut b = Bucket::full(6, now);
        for _ in 0..6 {
            assert_eq!(
                b.decide(6, now, Priority::Interactive, Duration::ZERO),
                Decision::Go {
                    wait: Duration::ZERO
                }
            );
        }
        // One token every 10 s: a caller allowed 2 s is refused and told when to come back.
        assert_eq!(
            b.decide(6, now, Priority::Interactive, Duration::from_secs(2)),
            Decision::Refuse {
                retry_after: Duration::from_secs(10)
            }
        );
        // A caller allowed 15 s gets the next token promised; the one after waits 20 s.
        assert_eq!(
            b.decide(6, now, Priority::Interactive, Duration::from_secs(15)),
            Decision::Go {
                wait: Duration::from_secs(10)
            }
        );
        assert_eq!(
            b.decide(6, now, Priority::Interactive, Duration::from_secs(15)),
            Decision::Refuse {
                retry_after: Duration::from_secs(20)
            }
        );
        // A minute later the promised token is paid back and five are there again.
        let later = now + chrono::Duration::seconds(60);
        assert_eq!(
            b.decide(6, later, Priority::Interactive, Duration::ZERO),
            Decision::Go {
                wait: Duration::ZERO
            }
        );
        assert_eq!(b.tokens_milli, 4000);
    }

    #[test]
    fn background_work_leaves_the_reserve_to_tool_calls() {
        let now = t("2026-11-21T15:00:00Z");
        let mut b = Bucket::full(8, now);
        // Reserve is a quarter (2 tokens): background may take 6, tool calls all 8.
        let mut background = 0;
        while let Decision::Go { .. } = b.decide(8, now, Priority::Background, Duration::ZERO) {
            background += 1;
        }
        assert_eq!(background, 6);
        assert!(matches!(
            b.decide(8, now, Priority::Background, Duration::ZERO),
            Decision::Later { wait } if wait == Duration::from_millis(7500)
        ));
        for _ in 0..2 {
            assert_eq!(
                b.decide(8, now, Priority::Interactive, Duration::ZERO),
                Decision::Go {
                    wait: Duration::ZERO
                }
            );
        }
    }

    #[test]
    fn cal_com_headers_block_the_key_until_reset() {
        let now = t("2026-11-21T15:00:00Z");
        let mut b = Bucket::full(120, now);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-ratelimit-limit-default", "120".parse().unwrap());
        headers.insert("x-ratelimit-remaining-default", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset-default", "42".parse().unwrap());
        let signal = RateSignal::from_headers(200, &headers, now);
        assert_eq!(signal.remaining, Some(0));
        assert!(b.observe(now, &signal));
        assert_eq!(
            b.decide(120, now, Priority::Interactive, Duration::from_secs(5)),
            Decision::Refuse {
                retry_after: Duration::from_secs(42)
            }
        );
        // After the reset the bucket serves again.
        let later = now + chrono::Duration::seconds(42);
        assert_eq!(
            b.decide(120, later, Priority::Interactive, Duration::ZERO),
            Decision::Go {
                wait: Duration::ZERO
            }
        );
        // A 429 with Retry-After as an epoch second blocks until then, and empties the bucket.
        let mut headers = reqwest::header::HeaderMap::new();
        let epoch = (later.timestamp() + 30).to_string();
        headers.insert("retry-after", epoch.parse().unwrap());
        let signal = RateSignal::from_headers(429, &headers, later);
        assert_eq!(signal.retry_after, Some(Duration::from_secs(30)));
        assert!(b.observe(later, &signal));
        assert!(b.tokens_milli <= 0);
        assert!(matches!(
            b.decide(120, later, Priority::Background, Duration::ZERO),
            Decision::Later { wait } if wait == Duration::from_secs(30)
        ));
    }
}
