//! Logs and metrics: the log subscriber (text or JSON lines), the Prometheus recorder behind the
//! `metrics` facade, and the names of the metrics this service emits.
//!
//! Every module emits through `metrics::counter!` / `histogram!` / `gauge!`; the recorder is
//! installed once per process and `GET /metrics` renders it. A series about one business carries
//! its slug as the `tenant` label, so one business's figures can be read apart from another's
//! (see [`render_for`]).

use std::{sync::OnceLock, time::Duration};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::{config::LogFormat, domain::tenant::TenantSlug};

/// The label naming the business a series is about. Series of the deployment as a whole (the
/// database pool, refused credentials, messages no business claimed) carry none.
pub const TENANT_LABEL: &str = "tenant";

/// Tool-call latency in seconds, labelled `tool` and `outcome` (`ok`, `error`, `replayed`).
pub const TOOL_CALL_SECONDS: &str = "vapi_cal_tool_call_duration_seconds";
/// Webhooks received, labelled `source` (`vapi`, `cal`), `trigger` and `outcome`.
pub const WEBHOOKS_TOTAL: &str = "vapi_cal_webhooks_total";
/// Requests refused for a missing or wrong credential, labelled `source` and `reason`.
pub const AUTH_FAILURES_TOTAL: &str = "vapi_cal_auth_failures_total";
/// Write tool calls answered from an earlier run's stored answer, labelled `tool` and `how`
/// (`stored`: it had finished; `waited`: a concurrent copy waited for it).
pub const REPLAYS_TOTAL: &str = "vapi_cal_tool_call_replays_total";
/// Claims taken over from a run that stopped before answering, labelled `tool`.
pub const CLAIM_TAKEOVERS_TOTAL: &str = "vapi_cal_tool_claim_takeovers_total";
/// Group commits of appointment changes, labelled `outcome` (`committed`, `split`).
pub const DB_CHANGE_GROUPS_TOTAL: &str = "vapi_cal_db_change_groups_total";
/// Histogram: appointment changes committed per group.
pub const DB_CHANGES_PER_GROUP: &str = "vapi_cal_db_changes_per_group";
/// Database pool connections, labelled `state` (`idle`, `in_use`).
pub const DB_POOL_CONNECTIONS: &str = "vapi_cal_db_pool_connections";
/// Maximum size of the database pool.
pub const DB_POOL_MAX: &str = "vapi_cal_db_pool_max_connections";

/// Calls the business made or meant to, labelled `kind` (`reminder`, `no_show`) and `result`
/// (`placed`, `skipped`, `deferred`, `failed`).
pub const OUTBOUND_CALLS_TOTAL: &str = "vapi_cal_outbound_calls_total";
/// How the business's calls ended, labelled `kind` and `outcome`.
pub const OUTBOUND_OUTCOMES_TOTAL: &str = "vapi_cal_outbound_outcomes_total";
/// Calls handed over to a person after repeated tool faults, labelled `result` (`claimed`,
/// `sent`, `refused`, `no_control`).
pub const HAND_OVERS_TOTAL: &str = "vapi_cal_hand_overs_total";

/// Latency buckets (seconds) for every `*_seconds` histogram: tool calls must answer well
/// inside VAPI's timeout, so the buckets are dense below ten seconds.
const SECONDS_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0,
];

/// The process's Prometheus recorder, installed as the global `metrics` recorder on first use.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &SECONDS_BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            handle
        })
        .clone()
}

/// Sets up logging on standard error: `RUST_LOG` filters (default `vapi_cal=info,tower_http=warn`),
/// and `format` chooses human-readable text or one JSON object per line.
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("vapi_cal=info,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colour codes only on a terminal: in a log file or a collector they are noise.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        // Span fields (the request id) go on every line as `span` / `spans`.
        LogFormat::Json => builder.json().with_current_span(true).init(),
    }
}

/// The `tool` label of a tool name: the tool's own name, or `unknown` for any name that is not
/// one of ours, so made-up names sent by anyone cannot grow the metrics without bound.
pub fn tool_label(name: &str) -> &'static str {
    crate::tools::Tool::from_name(name).map_or("unknown", crate::tools::Tool::name)
}

/// Records one answered tool call of `tenant`'s.
pub fn tool_call(tenant: &TenantSlug, tool: &str, outcome: &'static str, elapsed: Duration) {
    metrics::histogram!(
        TOOL_CALL_SECONDS,
        TENANT_LABEL => tenant.shared(),
        "tool" => tool_label(tool),
        "outcome" => outcome
    )
    .record(elapsed.as_secs_f64());
}

/// Counts one webhook received, for `tenant` when one could be named (not for a refused
/// credential, an unknown route or a message nobody claims); `trigger` is a label of a closed
/// set (a message kind or a Cal.com trigger), never text from the request.
pub fn webhook(
    tenant: Option<&TenantSlug>,
    source: &'static str,
    trigger: &'static str,
    outcome: &'static str,
) {
    let mut labels = vec![
        metrics::Label::new("source", source),
        metrics::Label::new("trigger", trigger),
        metrics::Label::new("outcome", outcome),
    ];
    if let Some(tenant) = tenant {
        labels.insert(0, metrics::Label::new(TENANT_LABEL, tenant.shared()));
    }
    metrics::counter!(WEBHOOKS_TOTAL, labels).increment(1);
}

/// Counts a call `tenant` placed, skipped, put off or could not place.
pub fn outbound(tenant: &TenantSlug, kind: &'static str, result: &'static str) {
    metrics::counter!(
        OUTBOUND_CALLS_TOTAL,
        TENANT_LABEL => tenant.shared(),
        "kind" => kind,
        "result" => result
    )
    .increment(1);
}

/// Counts one step of a hand-over to a person after repeated tool faults in a call of
/// `tenant`'s.
pub fn hand_over(tenant: &TenantSlug, result: &'static str) {
    metrics::counter!(HAND_OVERS_TOTAL, TENANT_LABEL => tenant.shared(), "result" => result)
        .increment(1);
}

/// Counts how one of `tenant`'s calls ended.
pub fn outbound_outcome(tenant: &TenantSlug, kind: &'static str, outcome: &'static str) {
    metrics::counter!(
        OUTBOUND_OUTCOMES_TOTAL,
        TENANT_LABEL => tenant.shared(),
        "kind" => kind,
        "outcome" => outcome
    )
    .increment(1);
}

/// Counts one refused credential.
pub fn auth_failure(source: &'static str, reason: &'static str) {
    metrics::counter!(AUTH_FAILURES_TOTAL, "source" => source, "reason" => reason).increment(1);
}

/// Counts one write tool call of `tenant`'s answered from a stored answer.
pub fn replay(tenant: &TenantSlug, tool: &str, how: &'static str) {
    metrics::counter!(
        REPLAYS_TOTAL,
        TENANT_LABEL => tenant.shared(),
        "tool" => tool_label(tool),
        "how" => how
    )
    .increment(1);
}

/// Counts one claim of `tenant`'s taken over from a run that stopped.
pub fn takeover(tenant: &TenantSlug, tool: &str) {
    metrics::counter!(
        CLAIM_TAKEOVERS_TOTAL,
        TENANT_LABEL => tenant.shared(),
        "tool" => tool_label(tool)
    )
    .increment(1);
}

/// Counts one group commit of appointment changes: `committed` together, or `split` (the group
/// failed and each change was applied on its own).
pub fn change_group(outcome: &'static str, changes: usize) {
    metrics::counter!(DB_CHANGE_GROUPS_TOTAL, "outcome" => outcome).increment(1);
    metrics::histogram!(DB_CHANGES_PER_GROUP).record(changes as f64);
}

/// Publishes database pool use (read at scrape time).
pub fn db_pool(open: u32, idle: usize, max: u32) {
    let idle = idle as f64;
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(idle);
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use")
        .set((f64::from(open) - idle).max(0.0));
    metrics::gauge!(DB_POOL_MAX).set(f64::from(max));
}

/// The series of `rendered` (the Prometheus text exposition) about `tenant` only: every sample
/// labelled with its slug, each metric's `# HELP` and `# TYPE` lines kept where it has one.
/// Series of the deployment as a whole and of other businesses are left out.
pub fn render_for(rendered: &str, tenant: &TenantSlug) -> String {
    let wanted = format!("{TENANT_LABEL}=\"{}\"", tenant.as_str());
    let mut out = String::new();
    // The `#` lines of the metric whose samples come next.
    let mut comments: Vec<&str> = Vec::new();
    let mut after_sample = false;
    for line in rendered.lines() {
        if line.starts_with('#') {
            if after_sample {
                comments.clear();
                after_sample = false;
            }
            comments.push(line);
            continue;
        }
        if line.trim().is_empty() {
            comments.clear();
            continue;
        }
        after_sample = true;
        if sample_has_label(line, &wanted) {
            for comment in comments.drain(..) {
                out.push_str(comment);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether the sample `line` carries the label `name="value"` given as `wanted`. Label values are
/// slugs and closed-set words, which hold no quote, comma or brace, so the label set splits on
/// commas.
fn sample_has_label(line: &str, wanted: &str) -> bool {
    let Some((_, rest)) = line.split_once('{') else {
        return false;
    };
    let Some((labels, _)) = rest.split_once('}') else {
        return false;
    };
    labels.split(',').any(|label| label == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_business_reads_only_its_own_series() {
        let text = "# HELP a_total Things.\n# TYPE a_total counter\n\
            a_total{tenant=\"smile\",kind=\"x\"} 3\n\
            a_total{tenant=\"smile-2\",kind=\"x\"} 4\n\
            a_total{kind=\"y\"} 5\n\
            # TYPE pool gauge\npool{state=\"idle\"} 2\n\n\
            # TYPE b_seconds histogram\n\
            b_seconds_bucket{kind=\"z\",tenant=\"smile\",le=\"0.5\"} 1\n\
            b_seconds_sum{tenant=\"smile\",kind=\"z\"} 0.1\n";
        let smile = TenantSlug::parse("smile").unwrap();
        assert_eq!(
            render_for(text, &smile),
            "# HELP a_total Things.\n# TYPE a_total counter\n\
             a_total{tenant=\"smile\",kind=\"x\"} 3\n\
             # TYPE b_seconds histogram\n\
             b_seconds_bucket{kind=\"z\",tenant=\"smile\",le=\"0.5\"} 1\n\
             b_seconds_sum{tenant=\"smile\",kind=\"z\"} 0.1\n"
        );
        let other = TenantSlug::parse("nobody").unwrap();
        assert_eq!(render_for(text, &other), "");
    }
}
