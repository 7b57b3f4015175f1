//! PostgreSQL with and without TLS, side by side: the same phases run once with
//! `sslmode=disable` and once with `sslmode=require`, and every path where TLS costs more than
//! [`WARN_RATIO`] is called out.

use serde::Serialize;

use crate::Run;

/// TLS costing more than this (no-TLS requests/s over TLS requests/s, or the same for p99 when
/// the p99 difference is also above [`WARN_P99_MS`]) gets a warning line.
pub const WARN_RATIO: f64 = 1.5;
/// A p99 ratio alone warns only when TLS adds at least this much, so sub-millisecond jitter does
/// not; a Nagle / delayed-ACK stall adds about 40 ms.
pub const WARN_P99_MS: f64 = 10.0;

/// `url` with its `sslmode` parameter (if any) replaced by `sslmode=<mode>`; the other
/// parameters are kept as they were written.
pub fn with_sslmode(url: &str, mode: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("sslmode="))
        .collect();
    let sslmode = format!("sslmode={mode}");
    params.push(&sslmode);
    format!("{base}?{}", params.join("&"))
}

/// One phase measured both ways.
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub scenario: String,
    pub concurrency: usize,
    pub no_tls_requests_per_sec: f64,
    pub tls_requests_per_sec: f64,
    /// No-TLS requests/s over TLS requests/s: how many times slower TLS is.
    pub requests_per_sec_ratio: f64,
    pub no_tls_p99_ms: f64,
    pub tls_p99_ms: f64,
    /// TLS p99 over no-TLS p99.
    pub p99_ratio: f64,
    /// Whether TLS costs more than [`WARN_RATIO`] on this path (never for the phases that do not
    /// reach the database: the floor and the bare simulator).
    pub warn: bool,
}

impl Comparison {
    /// The larger of the two costs that count for the warning.
    pub fn cost(&self) -> f64 {
        let p99_counts = self.tls_p99_ms - self.no_tls_p99_ms >= WARN_P99_MS;
        if p99_counts {
            self.requests_per_sec_ratio.max(self.p99_ratio)
        } else {
            self.requests_per_sec_ratio
        }
    }
}

/// The phases both runs measured, in the order they ran.
pub fn compare(no_tls: &Run, tls: &Run) -> Vec<Comparison> {
    no_tls
        .phases
        .iter()
        .filter(|p| !p.skipped)
        .filter_map(|plain| {
            let secure = tls.phases.iter().find(|t| {
                !t.skipped && t.scenario == plain.scenario && t.concurrency == plain.concurrency
            })?;
            let mut c = Comparison {
                scenario: plain.scenario.clone(),
                concurrency: plain.concurrency,
                no_tls_requests_per_sec: plain.requests_per_sec,
                tls_requests_per_sec: secure.requests_per_sec,
                requests_per_sec_ratio: plain.requests_per_sec / secure.requests_per_sec.max(1e-9),
                no_tls_p99_ms: plain.p99_ms,
                tls_p99_ms: secure.p99_ms,
                p99_ratio: secure.p99_ms / plain.p99_ms.max(1e-6),
                warn: false,
            };
            // The floor and the bare simulator phases do not touch the database: controls only.
            let control =
                plain.scenario.starts_with("floor") || plain.scenario.starts_with("bare ");
            c.warn = !control && c.cost() > WARN_RATIO;
            Some(c)
        })
        .collect()
}

/// The warning lines, one per path where TLS costs more than [`WARN_RATIO`].
pub fn warnings(comparisons: &[Comparison]) -> Vec<String> {
    comparisons
        .iter()
        .filter(|c| c.warn)
        .map(|c| {
            format!(
                "WARNING: TLS costs {:.1}x on {} (c={}): {:.0}/s vs {:.0}/s without TLS, p99 {:.2} ms vs {:.2} ms",
                c.cost(),
                c.scenario,
                c.concurrency,
                c.tls_requests_per_sec,
                c.no_tls_requests_per_sec,
                c.tls_p99_ms,
                c.no_tls_p99_ms
            )
        })
        .collect()
}

/// The side-by-side table, then the warnings (or a line saying there are none).
pub fn print(comparisons: &[Comparison]) {
    println!(
        "\n## PostgreSQL with and without TLS ({})",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!(
        "\n| phase | conns | requests/s no TLS | requests/s TLS | no TLS ÷ TLS | p99 ms no TLS | p99 ms TLS | TLS ÷ no TLS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for c in comparisons {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.2}× | {:.2} | {:.2} | {:.2}× |",
            c.scenario,
            c.concurrency,
            c.no_tls_requests_per_sec,
            c.tls_requests_per_sec,
            c.requests_per_sec_ratio,
            c.no_tls_p99_ms,
            c.tls_p99_ms,
            c.p99_ratio
        );
    }
    let warnings = warnings(comparisons);
    println!();
    if warnings.is_empty() {
        println!("TLS costs at most {WARN_RATIO}x on every path measured.");
    }
    for w in warnings {
        println!("{w}");
    }
}
