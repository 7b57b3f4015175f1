//! The load generator: `concurrency` workers send requests back to back for a fixed duration;
//! every latency is kept, so percentiles are exact.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// One measured scenario, summarised.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub database: String,
    pub scenario: String,
    pub concurrency: usize,
    pub requests: u64,
    pub errors: u64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Cal.com requests per tool call (when the scenario reaches Cal.com).
    pub cal_requests_per_call: Option<f64>,
    /// Left out by `--only`.
    pub skipped: bool,
}

/// Runs `send(seq)` from `concurrency` workers until `duration` passes (or `max_requests` are
/// sent); `send` answers whether the request succeeded.
pub async fn run<F, Fut>(
    concurrency: usize,
    duration: Duration,
    max_requests: u64,
    send: F,
) -> Measured
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let send = Arc::new(send);
    let seq = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let send = send.clone();
            let seq = seq.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(4096);
                let mut errors = 0u64;
                while Instant::now() < deadline {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    if n >= max_requests {
                        break;
                    }
                    let t = Instant::now();
                    let ok = send(n).await;
                    latencies.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                    if !ok {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        if let Ok((l, e)) = w.await {
            all.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    Measured {
        latencies_us: all,
        errors,
        elapsed,
        skipped: false,
    }
}

/// Raw figures of one run.
pub struct Measured {
    pub latencies_us: Vec<u32>,
    pub errors: u64,
    pub elapsed: Duration,
    pub skipped: bool,
}

impl Measured {
    /// A phase that was not run.
    pub fn skipped() -> Self {
        Self {
            latencies_us: Vec::new(),
            errors: 0,
            elapsed: Duration::ZERO,
            skipped: true,
        }
    }

    /// The latency at quantile `q` (0..=1), in ms.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let last = self.latencies_us.len() - 1;
        let i = ((last as f64) * q).round() as usize;
        f64::from(self.latencies_us[i.min(last)]) / 1000.0
    }

    /// Summarises under a name.
    pub fn summary(&self, database: &str, scenario: &str, concurrency: usize) -> Summary {
        let requests = self.latencies_us.len() as u64;
        Summary {
            database: database.to_owned(),
            scenario: scenario.to_owned(),
            concurrency,
            requests,
            errors: self.errors,
            requests_per_sec: requests as f64 / self.elapsed.as_secs_f64().max(1e-9),
            p50_ms: self.quantile_ms(0.50),
            p90_ms: self.quantile_ms(0.90),
            p99_ms: self.quantile_ms(0.99),
            max_ms: self.quantile_ms(1.0),
            cal_requests_per_call: None,
            skipped: self.skipped,
        }
    }
}
